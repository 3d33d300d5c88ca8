#!/bin/sh
# e2e_confine.sh: `bisikd serve` confines itself (server/confine.c).
#  - the process has no-new-privileges and, in the release build, the
#    seccomp filter (Seccomp: 2 in /proc) and keeps serving under it;
#  - a forbidden system call (execve) made after start, from the main
#    thread or from a thread that ran before the filter was installed,
#    kills the process with SIGSYS; with "seccomp": false the same call
#    only fails (ENOENT) and the server goes on; the sanitizer build never
#    installs the filter and says so;
#  - the image helper's workers (server/media_confine.c) run with
#    no-new-privileges, their own seccomp filter (release build: Seccomp 2
#    with one filter more than their supervisor, which has none) and their
#    limits (address space, CPU, descriptors, file size, core);
#    tests/e2e/e2e_media.sh tests the rest of the helper;
#  - started as root it becomes the configured user (here "nobody") and
#    still stores and serves, and so do the image helper and its workers
#    (not dumpable, as their root-owned /proc files show);
#    it refuses root without a user unless --allow-root; an unknown user
#    is refused;
#  - the shipped systemd unit scores <= 2.0 in systemd-analyze security,
#    and the man pages are clean for mandoc and groff.
. "$(dirname "$0")/lib.sh"
need_binaries
need_tools systemd-analyze mandoc groff getent

case $BISIK_BUILD in
*asan*) ASAN=1 ;;
*) ASAN=0 ;;
esac

# status_of PID FIELD: a field of /proc/PID/status.
status_of() {
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }' \
	    "/proc/$1/status" 2>/dev/null
}

# ---- confined and serving ------------------------------------------------------

start_server || die "start server" "cannot start bisikd"
d=""
[ "$(status_of "$SRV_PID" NoNewPrivs)" = 1 ] || d="NoNewPrivs is $(status_of "$SRV_PID" NoNewPrivs)"
grep -q 'event=confined' "$SRV_LOG" || d="$d no event=confined line"
result "the server runs with no-new-privileges and logs its confinement" "$d"

if [ $ASAN = 0 ]; then
	d=""
	[ "$(status_of "$SRV_PID" Seccomp)" = 2 ] || d="Seccomp is $(status_of "$SRV_PID" Seccomp)"
	grep -q 'event=confined.*seccomp=on' "$SRV_LOG" || d="$d log does not say seccomp=on"
	result "release build: the seccomp filter is installed (Seccomp: 2)" "$d"
else
	d=""
	grep -q 'event=confined.*seccomp=off-sanitizer' "$SRV_LOG" ||
	    d="log: $(grep event=confined "$SRV_LOG")"
	grep -q 'event=seccomp_off reason=sanitizer_build' "$SRV_LOG" || d="$d no warning"
	result "sanitizer build: the filter is off and the log says why" "$d"
fi

# The image helper: bisikd's one child, the supervisor, and its workers.
# media_pids: SUP and W1 (a worker), waiting up to 20 s (x SLOW).
media_pids() {
	SUP=""
	W1=""
	_i=0
	while [ $_i -lt $((200 * SLOW)) ]; do
		SUP=$(cat /proc/"$SRV_PID"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' | head -n 1)
		[ -n "$SUP" ] && W1=$(cat /proc/"$SUP"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' | head -n 1)
		[ -n "$W1" ] && [ "$(status_of "$W1" NoNewPrivs)" = 1 ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
# limit_of PID NAME: soft and hard value of a line of /proc/PID/limits.
limit_of() {
	awk -v n="$2" 'index($0, n) == 1 { s = substr($0, 27); split(s, a, " +");
	    print a[1], a[2]; exit }' "/proc/$1/limits" 2>/dev/null
}
d=""
if media_pids; then
	[ "$(status_of "$W1" NoNewPrivs)" = 1 ] || d="worker NoNewPrivs $(status_of "$W1" NoNewPrivs)"
	[ "$(limit_of "$W1" 'Max cpu time')" = "60 61" ] || d="$d cpu $(limit_of "$W1" 'Max cpu time')"
	[ "$(limit_of "$W1" 'Max open files')" = "32 32" ] || d="$d nofile $(limit_of "$W1" 'Max open files')"
	[ "$(limit_of "$W1" 'Max file size')" = "0 0" ] || d="$d fsize $(limit_of "$W1" 'Max file size')"
	[ "$(limit_of "$W1" 'Max core file size')" = "0 0" ] || d="$d core $(limit_of "$W1" 'Max core file size')"
	if [ $ASAN = 0 ]; then
		[ "$(status_of "$W1" Seccomp)" = 2 ] || d="$d worker Seccomp $(status_of "$W1" Seccomp)"
		[ "$(status_of "$SUP" Seccomp)" = 0 ] || d="$d supervisor Seccomp $(status_of "$SUP" Seccomp)"
		[ "$(status_of "$W1" Seccomp_filters)" = 1 ] || d="$d worker filters $(status_of "$W1" Seccomp_filters)"
		[ "$(limit_of "$W1" 'Max address space')" = "1073741824 1073741824" ] ||
		    d="$d address space $(limit_of "$W1" 'Max address space')"
	fi
else
	d="no image helper worker under bisikd $SRV_PID"
fi
result "an image worker: no-new-privileges, its own seccomp filter (release), CPU, memory, descriptor and file limits" "$d"

# Under the filter the whole path of a report still works.
submit_report
c1=$CASE
t1=$TOKEN
d=""
[ "$ST" = 201 ] || d="submit: $ST $(snip "$T/body")"
followup "$t1"
[ "$ST" = 200 ] && jqt ".case == \"$c1\"" || d="$d followup: $ST $(snip "$T/body")"
alive || d="$d not alive"
result "a confined server stores and serves a report" "$d"
stop_server
result "a confined server stops on SIGTERM with status 0" "$SRV_STOP_WHY"

# ---- the forbidden call -----------------------------------------------------------

# forbidden MODE CONFIG: runs serve with the trigger; waits at most 20 s;
# sets FRC (exit status, 159 = SIGSYS) and FLOG.
forbidden() {
	_try=0
	while [ $_try -lt 5 ]; do	# another port if this one is taken
		_try=$((_try + 1))
		forbidden1 "$@"
		grep -q 'cannot listen' "$FLOG" || break
	done
}
forbidden1() {
	FLOG=$SRV_DIR/forbidden-$1.log
	printf '%s\n' "$2" > "$SRV_DIR/forbidden.json"
	: > "$FLOG"
	BISIK_TEST_FORBIDDEN_SYSCALL=$1 "$BISIKD" serve --data "$SRV_DATA" \
	    --listen "127.0.0.1:$(rand_port)" --config "$SRV_DIR/forbidden.json" \
	    $ALLOW_ROOT 2> "$FLOG" &
	_p=$!
	ALL_PIDS="$ALL_PIDS $_p"
	_i=0
	while is_ours "$_p" && [ $_i -lt $((200 * SLOW)) ]; do
		grep -q 'event=listening' "$FLOG" && break
		sleep 0.1
		_i=$((_i + 1))
	done
	if is_ours "$_p"; then
		kill -TERM "$_p"
	fi
	wait "$_p"
	FRC=$?
}

for mode in thread main; do
	forbidden $mode '{"pow_difficulty":0}'
	if [ $ASAN = 0 ]; then
		d=""
		[ "$FRC" = 159 ] || d="exit status $FRC, not 159 (SIGSYS)"
		grep -q "event=seccomp_test call=execve thread=" "$FLOG" ||
		    d="$d the call was not tried: $(tail -n 2 "$FLOG" | tr '\n' ' ')"
		grep -q 'result=' "$FLOG" && d="$d the call returned"
		grep -q 'event=listening' "$FLOG" && d="$d it went on to serve"
		result "a forbidden system call (execve, $mode thread) kills bisikd with SIGSYS" "$d"
	else
		d=""
		grep -q 'event=seccomp_test call=execve result=enoent' "$FLOG" ||
		    d="log: $(tail -n 3 "$FLOG" | tr '\n' ' ')"
		[ "$FRC" = 0 ] || d="$d exit $FRC"
		result "sanitizer build: the forbidden call ($mode) only fails, unfiltered (documented)" "$d"
	fi
done

forbidden thread '{"pow_difficulty":0,"seccomp":false}'
d=""
grep -q 'event=seccomp_test call=execve result=enoent' "$FLOG" || d="log: $(tail -n 3 "$FLOG" | tr '\n' ' ')"
grep -q 'event=seccomp_off reason=' "$FLOG" || d="$d no seccomp_off warning"
[ "$FRC" = 0 ] || d="$d exit $FRC"
result "\"seccomp\": false: the same call fails with ENOENT, the server serves and stops cleanly" "$d"

# ---- privileges ------------------------------------------------------------------------

if [ "$(id -u)" = 0 ] && getent passwd nobody > /dev/null 2>&1; then
	NUID=$(id -u nobody)
	serve '{"pow_difficulty":0,"user":"nobody"}' || die "serve as nobody" "$(tail -n 3 "$SRV_LOG")"
	d=""
	uids=$(status_of "$SRV_PID" Uid)
	for u in $uids; do
		[ "$u" = "$NUID" ] || d="Uid line: $uids"
	done
	gids=$(status_of "$SRV_PID" Gid)
	set -- $gids
	[ "$1" = "$2" ] && [ "$2" = "$3" ] && [ "$1" != 0 ] || d="$d Gid line: $gids"
	grp=$(status_of "$SRV_PID" Groups)
	case " $grp " in *" 0 "*) d="$d still in group 0: $grp" ;; esac
	grep -q 'event=confined user=nobody' "$SRV_LOG" || d="$d log: $(grep event=confined "$SRV_LOG")"
	result "started as root with \"user\": \"nobody\", every uid and gid is nobody's" "$d"
	d=""
	if media_pids; then
		for p in "$SUP" "$W1"; do
			for u in $(status_of "$p" Uid); do
				[ "$u" = "$NUID" ] || d="$d $p Uid line: $(status_of "$p" Uid)"
			done
			set -- $(status_of "$p" Gid)
			[ "$1" = "$2" ] && [ "$2" = "$3" ] && [ "$1" != 0 ] || d="$d $p Gid line: $*"
		done
	else
		d="no image helper worker"
	fi
	for p in "$SUP" "$W1"; do
		# Not dumpable: the kernel gives its /proc files to root.
		owner=$(stat -c %u "/proc/$p/status" 2>/dev/null)
		[ "$owner" = 0 ] || d="$d $p is dumpable: /proc/$p/status belongs to uid $owner;"
	done
	result "the image helper and its workers run as nobody too, not dumpable" "$d"
	api POST /api/v1/followup/attachments -H "Authorization: Bearer $t1" \
	    -F "file=@$ROOT/tests/fixtures/gps.jpg;filename=foto.jpg"
	result "as nobody, a photo is re-encoded by the helper (201)" \
	    "$([ "$ST" = 201 ] || echo "status $ST: $(snip "$T/body")")"
	submit_report
	d=""
	[ "$ST" = 201 ] || d="submit: $ST $(snip "$T/body")"
	followup "$t1"
	[ "$ST" = 200 ] || d="$d follow the earlier case: $ST"
	result "after the drop it still stores (files opened before) and serves" "$d"
	stop_server
	result "the dropped server stops on SIGTERM with status 0" "$SRV_STOP_WHY"

	if ! getent passwd bisik > /dev/null 2>&1; then
		printf '{"pow_difficulty":0}' > "$SRV_DIR/noroot.json"
		try=0
		while [ $try -lt 5 ]; do	# another port if this one is taken
			try=$((try + 1))
			"$BISIKD" serve --data "$SRV_DATA" --listen "127.0.0.1:$(rand_port)" \
			    --config "$SRV_DIR/noroot.json" > "$SRV_DIR/noroot.out" 2>&1 < /dev/null &
			p=$!
			ALL_PIDS="$ALL_PIDS $p"
			i=0
			while is_ours "$p" && [ $i -lt $((100 * SLOW)) ]; do sleep 0.1; i=$((i + 1)); done
			is_ours "$p" && kill -KILL "$p"
			wait "$p"
			rc=$?
			grep -q 'cannot listen' "$SRV_DIR/noroot.out" || break
		done
		d=""
		[ "$rc" = 1 ] || d="exit $rc"
		grep -q 'refusing to serve as root' "$SRV_DIR/noroot.out" || d="$d: $(snip "$SRV_DIR/noroot.out")"
		result "as root without a service user and without --allow-root: exit 1, one sentence" "$d"
	else
		skip "as root without a service user: refused" "this machine has a bisik account"
	fi
	printf '{"user":"no-such-user-e2e"}' > "$SRV_DIR/nouser.json"
	try=0
	while [ $try -lt 5 ]; do	# another port if this one is taken
		try=$((try + 1))
		"$BISIKD" serve --data "$SRV_DATA" --listen "127.0.0.1:$(rand_port)" \
		    --config "$SRV_DIR/nouser.json" > "$SRV_DIR/nouser.out" 2>&1 < /dev/null
		rc=$?
		grep -q 'cannot listen' "$SRV_DIR/nouser.out" || break
	done
	d=""
	[ "$rc" = 1 ] || d="exit $rc"
	grep -q 'does not exist' "$SRV_DIR/nouser.out" || d="$d: $(snip "$SRV_DIR/nouser.out")"
	result "an unknown \"user\": exit 1, one sentence" "$d"
else
	skip "privilege drop" "not run as root (or no nobody account)"
fi

# ---- packaging: systemd unit, man pages ---------------------------------------------

UNIT=$ROOT/contrib/bisikd.service
if [ -f "$UNIT" ]; then
	timeout 60 systemd-analyze security --offline=yes --no-pager "$UNIT" \
	    > "$T/sa.out" 2>&1
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$T/sa.out" | tail -n 1)
	echo "# systemd-analyze security: ${score:-?}"
	if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
		ok "systemd-analyze security contrib/bisikd.service: exposure $score <= 2.0"
	else
		notok "systemd-analyze security contrib/bisikd.service <= 2.0" "$(tail -n 3 "$T/sa.out")"
	fi
else
	notok "systemd-analyze security" "contrib/bisikd.service is missing"
fi

for m in "$ROOT/contrib/bisikd.8" "$ROOT/contrib/bisik.1"; do
	d=""
	mandoc -T lint -W warning "$m" > "$T/lint.out" 2>&1 || d="mandoc: $(head -n 3 "$T/lint.out")"
	groff -man -Tutf8 -ww -z "$m" > "$T/groff.out" 2>&1
	[ -s "$T/groff.out" ] && d="$d groff: $(head -n 3 "$T/groff.out")"
	[ -f "$m" ] || d="missing"
	result "man page $(basename "$m") is clean (mandoc -T lint, groff -ww)" "$d"
done

finish
