#!/bin/sh
# e2e_crash.sh: an acknowledged submission survives a crash.
# Eight loops submit reports at once; while they run the server is killed
# with SIGKILL. The environment must then open cleanly (mdb_stat), the
# server must start again on the same data dir, and every case that was
# answered 201 must be followable with its token. Done twice (a crash of a
# store that already lived through one), then checked once more after a
# clean stop. Case numbers of acknowledged cases are never given again.
# Last, SIGTERM while the loops submit: submissions waiting for their
# commit hold parked connections, which the server must answer before its
# HTTP library stops (it may not stop with one suspended); it exits 0 and
# every case answered 201 is there after a restart.
. "$(dirname "$0")/lib.sh"
need_binaries
need_tools mdb_stat mdb_dump

N=8		# concurrent loops
PER=25		# submissions per loop
ROUNDS=2

start_server || die "start server" "cannot start bisikd"
ACKS=$T/acks.all
: > "$ACKS"

# loop K ROUND: PER submissions; each 201 appends "case token" to acks,
# each one not answered (from the first that got no answer on) "cut".
submit_loop() {
	_k=$1
	_r=$2
	_i=0
	while [ $_i -lt $PER ]; do
		printf '{"kind":"complaint","title":"Uji tabrakan %s-%s-%s","body":"Laporan uji ketahanan nomor %s dari putaran %s, loop %s."}' \
		    "$_r" "$_k" "$_i" "$_i" "$_r" "$_k" > "$T/req.$_r.$_k"
		_st=$(curl -s --max-time 10 -o "$T/res.$_r.$_k" -w '%{http_code}' \
		    -H 'Expect:' -H 'Content-Type: application/json' \
		    --data-binary @"$T/req.$_r.$_k" "$SRV_URL/api/v1/reports" 2> /dev/null)
		case $_st in
		201)
			jq -r '[.case, .token] | join(" ")' "$T/res.$_r.$_k" \
			    >> "$T/acks.$_r.$_k"
			;;
		000 | "")
			# No answer: the server is gone (killed or
			# stopping), so every later try of this loop
			# could only fail the same way. They are counted
			# as cut without being sent: a failed curl per
			# remaining submission cost seconds a round.
			seq "$_i" $((PER - 1)) | sed 's/.*/cut/' \
			    >> "$T/cut.$_r.$_k"
			break
			;;
		*)
			echo "$_st" >> "$T/other.$_r.$_k"
			;;
		esac
		_i=$((_i + 1))
	done
}

# followup_acks: every acknowledged case (ACKS) answers its follow-up
# with its own case number (followup_each: FU_MISS, FU_WHY).
followup_acks() {
	awk 'NF { print $2, $1 }' "$ACKS" > "$T/acks.fu"
	followup_each "$T/acks.fu" case
}

count_lines() {
	cat "$@" 2> /dev/null | wc -l | tr -d ' '
}

round=1
while [ $round -le $ROUNDS ]; do
	LOOPS=""
	k=0
	while [ $k -lt $N ]; do
		: > "$T/acks.$round.$k"
		submit_loop $k $round &
		LOOPS="$LOOPS $!"
		ALL_PIDS="$ALL_PIDS $!"
		k=$((k + 1))
	done
	# Kill once a good share is acknowledged (at most after 2 s x SLOW).
	w=0
	while [ $w -lt $((20 * SLOW)) ]; do
		[ "$(count_lines "$T"/acks.$round.*)" -ge 40 ] && break
		sleep 0.1
		w=$((w + 1))
	done
	kill9_server
	for p in $LOOPS; do
		wait "$p"
	done
	acked=$(count_lines "$T"/acks.$round.*)
	cut=$(count_lines "$T"/cut.$round.*)
	other=$(count_lines "$T"/other.$round.*)
	echo "# round $round: $acked acknowledged, $cut failed at or after the kill, $other other answers"
	cat "$T"/acks.$round.* >> "$ACKS"
	d=""
	[ "$acked" -gt 0 ] || d="no submission was acknowledged before the kill"
	[ "$other" -eq 0 ] || d="$d answers other than 201: $(cat "$T"/other.$round.* | sort | uniq -c | tr '\n' ' ')"
	result "round $round: concurrent submissions are answered 201 until the kill" "$d"
	if [ $((acked + other)) -ge $((N * PER)) ]; then
		echo "# round $round: every submission finished before the kill"
	fi

	# The environment opens cleanly after SIGKILL, before any server runs.
	mdb_stat -e "$SRV_DATA" > "$T/stat.e" 2>&1
	rc1=$?
	mdb_stat -a "$SRV_DATA" > "$T/stat.a" 2>&1
	rc2=$?
	d=""
	[ $rc1 -eq 0 ] || d="mdb_stat -e exit $rc1: $(snip "$T/stat.e")"
	[ $rc2 -eq 0 ] || d="$d mdb_stat -a exit $rc2: $(snip "$T/stat.a")"
	grep -q 'Status of tokens' "$T/stat.a" || d="$d no tokens table in mdb_stat -a"
	result "round $round: after SIGKILL the LMDB environment opens cleanly (mdb_stat)" "$d"

	serve || die "round $round: restart" "bisikd does not start again on the crashed data dir: $(tail -n 5 "$SRV_LOG" | tr '\n' ' ')"
	ok "round $round: bisikd starts again on the same data dir"

	# Every acknowledged case so far is there.
	d=""
	total=$(count_lines "$ACKS")
	followup_acks
	[ "$FU_MISS" -eq 0 ] || d="$FU_MISS of $total acknowledged cases lost: $FU_WHY"
	result "round $round: all $total acknowledged cases are followable with their tokens" "$d"
	round=$((round + 1))
done

dups=$(cut -d' ' -f1 "$ACKS" | sort | uniq -d | head -n 5 | tr '\n' ' ')
result "no case reference was acknowledged twice" "$([ -z "$dups" ] || echo "duplicates: $dups")"
dupt=$(cut -d' ' -f2 "$ACKS" | sort | uniq -d | head -n 1)
result "no token was handed out twice" "$([ -z "$dupt" ] || echo "a duplicate token")"

# New cases after the crashes get numbers above every acknowledged one.
submit_report
d=""
[ "$ST" = 201 ] || d="HTTP $ST $(snip "$T/body")"
if [ -z "$d" ]; then
	newseq=$(printf '%s' "$CASE" | sed 's/^BSK-[0-9]*-0*//')
	maxseq=$(cut -d' ' -f1 "$ACKS" | sed 's/^BSK-[0-9]*-0*//' | sort -n | tail -n 1)
	[ "${newseq:-0}" -gt "${maxseq:-0}" ] || d="new case $CASE is not above the highest acknowledged ($maxseq)"
fi
result "a submission after the crashes gets a new, higher case number" "$d"

stop_server
result "the server stops cleanly after the crashes" "$SRV_STOP_WHY"
mdb_dump -a "$SRV_DATA" > "$T/dump" 2> "$T/dump.err"
rc=$?
result "mdb_dump reads every table after the crashes" "$([ $rc -eq 0 ] || echo "exit $rc $(snip "$T/dump.err")")"

serve || die "final restart" "bisikd does not start after a clean stop"
d=""
followup_acks
[ "$FU_MISS" -eq 0 ] || d="$FU_MISS acknowledged cases missing: $FU_WHY"
result "after a clean stop and start all acknowledged cases are still there" "$d"

# SIGTERM with submissions in flight (parked connections).
round=term
LOOPS=""
k=0
while [ $k -lt $N ]; do
	: > "$T/acks.$round.$k"
	submit_loop $k $round &
	LOOPS="$LOOPS $!"
	ALL_PIDS="$ALL_PIDS $!"
	k=$((k + 1))
done
w=0
while [ $w -lt $((20 * SLOW)) ]; do
	[ "$(count_lines "$T"/acks.$round.*)" -ge 40 ] && break
	sleep 0.1
	w=$((w + 1))
done
stop_server
why=$SRV_STOP_WHY
for p in $LOOPS; do
	wait "$p"
done
acked=$(count_lines "$T"/acks.$round.*)
other=$(count_lines "$T"/other.$round.*)
echo "# SIGTERM round: $acked acknowledged, $(count_lines "$T"/cut.$round.*) cut, $other other answers"
d=$why
[ "$acked" -gt 0 ] || d="$d no submission was acknowledged before SIGTERM"
[ "$other" -eq 0 ] || d="$d answers other than 201: $(cat "$T"/other.$round.* | sort | uniq -c | tr '\n' ' ')"
result "SIGTERM while submissions wait for their commit: a clean stop" "$d"
cat "$T"/acks.$round.* >> "$ACKS"
serve || die "restart after SIGTERM" "bisikd does not start: $(tail -n 5 "$SRV_LOG" | tr '\n' ' ')"
d=""
followup_acks
[ "$FU_MISS" -eq 0 ] || d="$FU_MISS acknowledged cases missing: $FU_WHY"
result "after SIGTERM under load every acknowledged case is there" "$d"
stop_server
result "final stop is clean" "$SRV_STOP_WHY"
finish
