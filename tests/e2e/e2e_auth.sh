#!/bin/sh
# e2e_auth.sh: staff accounts and sign-in against a real bisikd on loopback:
# `bisikd user` commands, login and its one 401, lockout (its end seen by
# moving bisikd's clock with libfaketime), logout, own sessions, disabled
# users, the Argon2id bound under 30 parallel logins, a login's hash off
# the HTTP thread (/metrics shows it running while health is answered),
# TOTP enrolment (codes from oathtool) and recovery codes, the
# totp_required switch, and a scan of the data directory and the log for
# any password, session token, TOTP secret or recovery code.
#
#   BISIK_BUILD=build sh tests/e2e/e2e_auth.sh
. "$(dirname "$0")/lib.sh"

need_binaries
need_tools oathtool faketime

FAKELIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[ -r "$FAKELIB" ] || die "setup" "no $FAKELIB (scripts/deps.sh installs faketime)"

# Everything secret this script sees; the leak scan looks for each.
SECRETS=$T/secrets
: > "$SECRETS"
remember() { printf '%s\n' "$1" >> "$SECRETS"; }

# pwfile NAME PASSWORD: a password file (CRLF, to check it is not part).
pwfile() {
	printf '%s\r\n' "$2" > "$T/$1.pw"
	remember "$2"
}

# login USER PASSWORD [TOTP]: POST /auth/login; SESSION on 200.
SESSION=""
login() {
	if [ $# -ge 3 ]; then
		_j=$(jq -nc --arg u "$1" --arg p "$2" --arg c "$3" \
		    '{username:$u,password:$p,totp:$c}')
	else
		_j=$(jq -nc --arg u "$1" --arg p "$2" '{username:$u,password:$p}')
	fi
	SESSION=""
	api_json POST /api/v1/auth/login "$_j"
	if [ "$ST" = 200 ]; then
		SESSION=$(jq -r '.session // empty' "$T/body")
		remember "$SESSION"
		remember "$(printf '%s' "$SESSION" | tr -d '-')"
	fi
}

# as TOKEN METHOD PATH [curl args]
as() {
	_tok=$1
	shift
	_m=$1
	_p=$2
	shift 2
	api "$_m" "$_p" -H "Authorization: Bearer $_tok" "$@"
}

# code_at OFFSET SECRET: the TOTP of now + OFFSET seconds.
code_at() {
	oathtool --totp -b --now "$(date -u -d "@$(( $(date +%s) + $1 ))" \
	    '+%Y-%m-%d %H:%M:%S UTC')" "$2"
}

PW_ADMIN='admin password one two'
PW_LIAISON='liaison pass phrase'
PW_LOCK='lockme password 123'
PW_VICTIM='victim password 123'
PW_TOTP='totp user password'
pwfile admin "$PW_ADMIN"
pwfile liaison "$PW_LIAISON"
pwfile lock "$PW_LOCK"
pwfile victim "$PW_VICTIM"
pwfile totp "$PW_TOTP"
pwfile short 'elevenchars'
remember 'wrong password here'

new_data || die "setup" "cannot make a data dir"

# ---- bisikd user -----------------------------------------------------------

u() { "$BISIKD" user "$@" --data "$SRV_DATA" > "$T/cli.out" 2> "$T/cli.err"; }

u add --username admin1 --role central_admin --password-file "$T/admin.pw"
result "user add central_admin" "$([ $? -eq 0 ] || snip "$T/cli.err")"
u add --username liaison1 --role liaison --agency dinas-pu \
    --password-file "$T/liaison.pw"
result "user add liaison with agency" "$([ $? -eq 0 ] || snip "$T/cli.err")"
for n in lockme:lock:liaison victim:victim:auditor totpuser:totp:central_admin; do
	_u=${n%%:*}; _r=${n##*:}; _f=${n#*:}; _f=${_f%%:*}
	if [ "$_r" = liaison ]; then
		u add --username "$_u" --role "$_r" --agency dinas-pu \
		    --password-file "$T/$_f.pw" || notok "user add $_u" "$(snip "$T/cli.err")"
	else
		u add --username "$_u" --role "$_r" --password-file "$T/$_f.pw" ||
		    notok "user add $_u" "$(snip "$T/cli.err")"
	fi
done
u add --username other1 --role agency_admin --agency no-such \
    --password-file "$T/admin.pw"
rc=$?
result "user add: unknown agency is exit 1, one line" \
    "$([ $rc -eq 1 ] && [ "$(wc -l < "$T/cli.err")" -eq 1 ] || echo "rc=$rc $(snip "$T/cli.err")")"
u add --username other2 --role liaison --password-file "$T/admin.pw"
result "user add: agency role without --agency is exit 1" "$([ $? -eq 1 ] || echo bad)"
u add --username other3 --role auditor --password-file "$T/short.pw"
result "user add: password of 11 characters is exit 1" "$([ $? -eq 1 ] || echo bad)"
u add --username admin1 --role auditor --password-file "$T/admin.pw"
result "user add: taken username is exit 1" "$([ $? -eq 1 ] || echo bad)"
u add --username other4 --role auditor
result "user add: missing --password-file is usage (exit 2)" "$([ $? -eq 2 ] || echo bad)"
u frobnicate --username x
result "user: unknown subcommand is usage (exit 2)" "$([ $? -eq 2 ] || echo bad)"
u list
_w=""
grep -q "^admin1	central_admin	-	no	off$" "$T/cli.out" || _w="admin1 row missing;"
grep -q "^liaison1	liaison	dinas-pu	no	off$" "$T/cli.out" || _w="$_w liaison1 row missing;"
grep -q 'argon2\|\$' "$T/cli.out" && _w="$_w a hash is listed;"
result "user list: username, role, agency, disabled, totp; no hashes" "$_w"

# login_lock_seconds: see "lockout" below.
AUTH_CONF='{"pow_difficulty":0,"login_lock_seconds":30}'
serve "$AUTH_CONF" || die "serve" "bisikd did not start"

# ---- login -------------------------------------------------------------------

login admin1 "$PW_ADMIN"
ADMIN=$SESSION
_w=""
[ "$ST" = 200 ] || _w="status $ST;"
jqt '.role == "central_admin" and .agency == null and
    (.expires_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")) and
    (.session | test("^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$"))' || _w="$_w body $(snip "$T/body");"
_h=$(sec_headers)
[ -z "$_h" ] || _w="$_w$_h"
result "login: 200 session, role, agency, expires_at" "$_w"

login liaison1 "$PW_LIAISON"
result "login: liaison gets its agency" \
    "$([ "$ST" = 200 ] && jqt '.role == "liaison" and .agency == "dinas-pu"' || echo "$ST $(snip "$T/body")")"
LIAISON=$SESSION

login admin1 'wrong password here'
cp "$T/body" "$T/wrong.body"
_st1=$ST
_www=$(hdr WWW-Authenticate)
login nobody-here "$PW_ADMIN"
cp "$T/body" "$T/unknown.body"
_st2=$ST
login 'NOT A USERNAME' "$PW_ADMIN"
result "wrong password, unknown and malformed username: one identical 401" \
    "$(err_is 401 unauthorized malformed; same_body "$T/unknown.body"
    cp "$T/wrong.body" "$T/body"; ST=$_st1; err_is 401 unauthorized wrong
    same_body "$T/unknown.body")"
result "401 carries WWW-Authenticate: Bearer" "$([ "$_www" = Bearer ] || echo "$_www")"

as "$ADMIN" GET /api/v1/auth/sessions
result "a staff session works" "$([ "$ST" = 200 ] || echo "$ST")"
api GET /api/v1/auth/sessions
cp "$T/body" "$T/401.none"
result "missing session is 401" "$(err_is 401 unauthorized)"
as "XXXX-$ADMIN" GET /api/v1/auth/sessions
result "malformed session is 401, byte for byte the missing one's" \
    "$(err_is 401 unauthorized; same_body "$T/401.none")"

# ---- lockout -------------------------------------------------------------------

# This server locks an account for 30 s from its 5th failure
# (login_lock_seconds; the default 1 s lock can end before a loaded
# machine sends the next request). The right password 2 s after the 5th
# failure must get the one 401: a server that never locks, or ignores the
# setting and locks 1 s, lets it in.
i=0
while [ $i -lt 5 ]; do
	login lockme 'wrong password here'
	i=$((i + 1))
done
sleep 2.2
login lockme "$PW_LOCK"
result "lockout: 2 s after 5 failures the right password gets the same 401" \
    "$(err_is 401 unauthorized; same_body "$T/unknown.body")"
# Three more guesses while locked. Had they counted, the 8th failure
# would lock for 30 * 2^3 = 240 s.
i=0
while [ $i -lt 3 ]; do
	login lockme 'wrong password here'
	i=$((i + 1))
done
result "lockout: a guess while locked gets the same 401" \
    "$(err_is 401 unauthorized; same_body "$T/unknown.body")"
# Over after its delay, without waiting for it: bisikd again on the same
# data with its clock 45 s ahead (libfaketime; seccomp off, as its own
# calls are not on bisikd's allow-list). The 30 s lock is over by then; a
# lock that never ends, or one the guesses above had grown to 240 s, is
# not (unless this machine took 195 s from the last guess to here).
stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
_asan=${ASAN_OPTIONS:-}
export LD_PRELOAD="$FAKELIB" FAKETIME=+45 \
    ASAN_OPTIONS="$_asan:verify_asan_link_order=0"
serve "$(printf '%s' "$AUTH_CONF" | jq -c '. + {seccomp: false}')"
_rc=$?
unset LD_PRELOAD FAKETIME
export ASAN_OPTIONS="$_asan"
[ $_rc -eq 0 ] || die "serve" "bisikd 45 s ahead did not start: $(log_problem "$SRV_LOG")"
login lockme "$PW_LOCK"
result "lockout: over after its 30 s, not grown by the guesses while locked" \
    "$([ "$ST" = 200 ] || echo "$ST $(snip "$T/body")")"
stop_server || notok "server 45 s ahead stops cleanly" "$SRV_STOP_WHY"
serve "$AUTH_CONF" || die "serve" "restart on the real clock failed"

# ---- logout, own sessions ------------------------------------------------------

login liaison1 "$PW_LIAISON"
LIAISON2=$SESSION
as "$LIAISON2" GET /api/v1/auth/sessions
_w=""
[ "$ST" = 200 ] || _w="status $ST;"
jqt '(.sessions | length) == 2 and ([.sessions[] | select(.current)] | length) == 1 and
    all(.sessions[]; (.id | test("^[0-9a-f]{16}$")) and has("created_at") and has("last_seen"))' ||
    _w="$_w $(snip "$T/body")"
result "sessions: own two, one current, short hex ids" "$_w"
OLD_ID=$(jq -r '.sessions[] | select(.current | not) | .id' "$T/body")
as "$ADMIN" POST "/api/v1/auth/sessions/$OLD_ID/revoke"
result "revoke another user's session id: 404" "$(err_is 404 not_found)"
as "$LIAISON2" POST "/api/v1/auth/sessions/$OLD_ID/revoke"
_r=$ST
as "$LIAISON" GET /api/v1/auth/sessions
result "revoke own other session: 204, it stops working" \
    "$([ "$_r" = 204 ] || echo "revoke $_r"; err_is 401 unauthorized; same_body "$T/401.none")"
as "$LIAISON2" POST /api/v1/auth/logout
_r=$ST
_len=$(wc -c < "$T/body")
as "$LIAISON2" GET /api/v1/auth/sessions
result "logout: 204 without a body, then the session is dead" \
    "$([ "$_r" = 204 ] && [ "$_len" -eq 0 ] || echo "logout $_r, $_len bytes"
    err_is 401 unauthorized; same_body "$T/401.none")"

# ---- disabled user ---------------------------------------------------------------

login victim "$PW_VICTIM"
VICTIM=$SESSION
u disable --username victim
_d=$?
login victim "$PW_VICTIM"
result "disabled user cannot log in (the same 401)" \
    "$([ $_d -eq 0 ] || echo "disable exit $_d"
    err_is 401 unauthorized; same_body "$T/unknown.body")"
as "$VICTIM" GET /api/v1/auth/sessions
result "a disabled user's session is dead" "$(err_is 401 unauthorized)"

# ---- reset-password --------------------------------------------------------------

login lockme "$PW_LOCK"
LOCKS=$SESSION
pwfile lock2 'lockme password new 456'
u reset-password --username lockme --password-file "$T/lock2.pw"
_d=$?
as "$LOCKS" GET /api/v1/auth/sessions
_s=$ST
login lockme 'lockme password new 456'
result "reset-password: old sessions end, the new password works" \
    "$([ $_d -eq 0 ] && [ "$_s" = 401 ] && [ "$ST" = 200 ] || echo "$_d $_s $ST")"

# ---- 30 parallel wrong logins -----------------------------------------------------

mkdir -p "$T/par"
_pids=""
i=0
while [ $i -lt 30 ]; do
	if [ $((i % 2)) -eq 0 ]; then _u=lockme; else _u=nobody-$i; fi
	jq -nc --arg u "$_u" '{username:$u,password:"wrong password here"}' > "$T/par/$i.json"
	curl -sS --max-time "$CURL_MAX" -o "$T/par/$i.body" -w '%{http_code}' \
	    -H 'Content-Type: application/json' -H 'Expect:' \
	    --data-binary @"$T/par/$i.json" "$SRV_URL/api/v1/auth/login" \
	    > "$T/par/$i.st" 2>/dev/null &
	_pids="$_pids $!"
	i=$((i + 1))
done
for p in $_pids; do
	wait "$p"	# a bare wait would also wait for the server
done
_w=""
_busy=0
i=0
while [ $i -lt 30 ]; do
	_s=$(cat "$T/par/$i.st" 2>/dev/null)
	case $_s in
	401) ;;
	503) _busy=$((_busy + 1))
	     jq -e '.error.code == "busy"' "$T/par/$i.body" >/dev/null 2>&1 ||
		 _w="$_w 503 without code busy;" ;;
	*) _w="$_w request $i got '$_s';" ;;
	esac
	i=$((i + 1))
done
alive || _w="$_w server not alive;"
result "30 parallel wrong logins: each 401 or 503, server alive ($_busy busy)" "$_w"

# ---- a login's Argon2id does not hold its HTTP thread -------------------------------
# One HTTP worker thread, one login at a time (an unknown user: the dummy
# hash). Once /metrics, on its own listener, shows the login holding its
# Argon2id slot, GET /health goes to the one worker; the slot must still
# be held when health has answered, so the worker answered while the hash
# ran. A login hashed on the worker holds health until its hash is done,
# and the slot is free by then. A try where the hash ended before it was
# seen, or between the two reads, proves nothing and is repeated (at most
# 5); a fast machine may need one.
stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
MPORT=$(rand_port)
serve "$(printf '%s' "$AUTH_CONF" | jq -c --arg m "127.0.0.1:$MPORT" \
    '. + {threads: 1, metrics_listen: $m}')" ||
    die "serve" "one thread with metrics: $(log_problem "$SRV_LOG")"
argon_now() {
	curl -s --max-time "$CURL_MAX" "http://127.0.0.1:$MPORT/metrics" |
	    awk '$1 == "bisik_auth_argon_running" { print $2 }'
}
# login_bg KIND USER: one wrong login in the background, through the API
# or the sign-in page; LOGIN_PID.
login_bg() {
	if [ "$1" = api ]; then
		curl -s -o /dev/null --max-time "$CURL_MAX" -H 'Expect:' \
		    -H 'Content-Type: application/json' \
		    --data-binary "{\"username\":\"$2\",\"password\":\"wrong password here\"}" \
		    "$SRV_URL/api/v1/auth/login" &
	else
		curl -s -o /dev/null --max-time "$CURL_MAX" -H 'Expect:' \
		    --data-urlencode "username=$2" \
		    --data-urlencode "password=wrong password here" \
		    "$SRV_URL/staf/masuk" &
	fi
	LOGIN_PID=$!
}
# meanwhile KIND: the check above for one kind of login; sets _w, _try.
meanwhile() {
	_w="no try saw the login's hash running"
	_try=0
	while [ $_try -lt 5 ] && [ -n "$_w" ]; do
		_try=$((_try + 1))
		login_bg "$1" "nobody-parked"
		_a=0
		while kill -0 "$LOGIN_PID" 2> /dev/null; do
			_a=$(argon_now)
			[ "${_a:-0}" -ge 1 ] && break
		done
		if [ "${_a:-0}" -ge 1 ]; then
			_h=$(curl -s --max-time "$CURL_MAX" "$SRV_URL/api/v1/health")
			_b=$(argon_now)
			if [ "$_h" != '{"status":"ok"}' ]; then
				_w="health answered '$_h'"
			elif [ "${_b:-0}" -ge 1 ]; then
				_w=""
			else
				_w="in $_try tries health was answered only once the hash was done"
			fi
		fi
		wait "$LOGIN_PID"
	done
}
meanwhile api
result "a login's Argon2id runs off the HTTP thread: health answered meanwhile ($_try tries)" "$_w"
meanwhile page
result "the sign-in page's Argon2id too: health answered meanwhile ($_try tries)" "$_w"
# A password that is not UTF-8 through the page: the API's 400 and the
# form again, as any refused sign-in.
_s=$(curl -s -o "$T/bad8.html" -w '%{http_code}' --max-time "$CURL_MAX" \
    --data 'username=nobody&password=%FF%FE' "$SRV_URL/staf/masuk")
_w=""
[ "$_s" = 400 ] || _w="status $_s"
grep -q 'name="password"' "$T/bad8.html" || _w="$_w no sign-in form: $(snip "$T/bad8.html")"
result "sign-in page: a password that is not UTF-8 is 400 with the form" "$_w"
# SIGTERM while a login's hash runs: its connection is parked, and
# libmicrohttpd must not be stopped with a suspended connection. The
# server waits for the hash, answers the login and stops cleanly.
curl -s -o /dev/null -w '%{http_code}' --max-time "$CURL_MAX" -H 'Expect:' \
    -H 'Content-Type: application/json' \
    --data-binary '{"username":"nobody-term","password":"wrong password here"}' \
    "$SRV_URL/api/v1/auth/login" > "$T/term.st" 2> /dev/null &
_lp=$!
while kill -0 "$_lp" 2> /dev/null; do
	_a=$(argon_now)
	[ "${_a:-0}" -ge 1 ] && break
done
stop_server
_w=$SRV_STOP_WHY
wait "$_lp"
[ "$(cat "$T/term.st")" = 401 ] || _w="$_w the login got '$(cat "$T/term.st")'"
result "SIGTERM while a login's hash runs: the login is answered, a clean stop" "$_w"
serve "$AUTH_CONF" || die "serve" "restart after the one-thread server failed"

# ---- TOTP ---------------------------------------------------------------------------

login totpuser "$PW_TOTP"
TOTPS=$SESSION
as "$TOTPS" POST /api/v1/auth/totp/enroll
SECRET=$(jq -r '.secret // empty' "$T/body")
remember "$SECRET"
_w=""
[ "$ST" = 200 ] || _w="status $ST;"
jqt '(.secret | test("^[A-Z2-7]{32}$")) and
    (.otpauth | startswith("otpauth://totp/Bisik:totpuser?secret=")) and
    (.qr_svg | startswith("<svg ") and endswith("</svg>") and
     (test("<script") | not))' || _w="$_w $(snip "$T/body")"
result "TOTP enrol: base32 secret, otpauth URI, SVG QR code" "$_w"

api_json POST /api/v1/auth/totp/confirm '{"code":"000000"}' \
    -H "Authorization: Bearer $TOTPS"
_bad=$ST
CODE=$(code_at 0 "$SECRET")
api_json POST /api/v1/auth/totp/confirm "{\"code\":\"$CODE\"}" \
    -H "Authorization: Bearer $TOTPS"
RC1=$(jq -r '.recovery_codes[0] // empty' "$T/body")
RC2=$(jq -r '.recovery_codes[1] // empty' "$T/body")
RC3=$(jq -r '.recovery_codes[2] // empty' "$T/body")
jq -r '.recovery_codes[]?' "$T/body" >> "$SECRETS"
result "TOTP confirm: a wrong code is 422, the right one gives 10 recovery codes" \
    "$([ "$_bad" = 422 ] && [ "$ST" = 200 ] && jqt '(.recovery_codes | length) == 10' ||
    echo "$_bad $ST $(snip "$T/body")")"

login totpuser "$PW_TOTP"
result "TOTP on: password alone answers 401 totp_required" \
    "$(err_is 401 totp_required)"
login totpuser 'wrong password here'
result "TOTP on: a wrong password is still the generic 401" \
    "$(err_is 401 unauthorized; same_body "$T/unknown.body")"
# The next step's code: the confirming code's step is used up.
NEXT=$(code_at 30 "$SECRET")
login totpuser "$PW_TOTP" "$NEXT"
result "TOTP on: password and code sign in" "$([ "$ST" = 200 ] || echo "$ST $(snip "$T/body")")"
login totpuser "$PW_TOTP" "$NEXT"
result "TOTP: the same code cannot be used twice" \
    "$(err_is 401 totp_required)"
login totpuser "$PW_TOTP" "$RC1"
_a=$ST
login totpuser "$PW_TOTP" "$(printf '%s' "$RC2" | tr 'A-Z' 'a-z' | tr -d '-')"
_b=$ST
login totpuser "$PW_TOTP" "$RC1"
result "recovery code works once (typed in any case, with or without -)" \
    "$([ "$_a" = 200 ] && [ "$_b" = 200 ] || echo "$_a $_b"; err_is 401 totp_required)"
as "$TOTPS" POST /api/v1/auth/totp/enroll
result "enrolling again is 409 totp_enrolled" "$(err_is 409 totp_enrolled)"
u list
result "user list shows totp on" \
    "$(grep -q '^totpuser	central_admin	-	no	on$' "$T/cli.out" || snip "$T/cli.out")"

# ---- totp_required ------------------------------------------------------------------

stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
serve '{"pow_difficulty":0,"totp_required":true}' || die "serve" "restart failed"
login admin1 "$PW_ADMIN"
ENROL=$SESSION
result "totp_required: a central admin without TOTP gets an enrolment-only session" \
    "$([ "$ST" = 200 ] && jqt '.totp_enrollment_required == true' || echo "$ST $(snip "$T/body")")"
as "$ENROL" GET /api/v1/cases
_d=$(err_is 403 totp_enrollment_required "GET /cases")
as "$ENROL" GET /api/v1/auth/sessions
result "enrolment-only session: 403 on staff routes, sessions still allowed" \
    "$_d$([ "$ST" = 200 ] || echo "sessions $ST")"
as "$ENROL" POST /api/v1/auth/totp/enroll
result "enrolment-only session may enrol" "$([ "$ST" = 200 ] || echo "$ST")"
remember "$(jq -r '.secret // empty' "$T/body")"
login liaison1 "$PW_LIAISON"
result "totp_required does not touch agency staff" \
    "$([ "$ST" = 200 ] && jqt 'has("totp_enrollment_required") | not' || echo "$ST")"
login totpuser "$PW_TOTP" "$RC3"
result "an enrolled central admin signs in fully" \
    "$([ "$ST" = 200 ] && jqt 'has("totp_enrollment_required") | not' || echo "$ST $(snip "$T/body")")"

# ---- leaks --------------------------------------------------------------------------

stop_server || notok "server stops cleanly" "$SRV_STOP_WHY"
_w=""
while IFS= read -r s; do
	[ -n "$s" ] || continue
	if grep -a -r -q -F -- "$s" "$SRV_DATA" "$SRV_LOG" 2>/dev/null; then
		_w="$_w a secret of length ${#s} found;"
	fi
done < "$SECRETS"
result "no password, session token, TOTP secret or recovery code in the data dir or log" "$_w"
_w=""
for n in admin1 liaison1 lockme victim totpuser nobody-here; do
	grep -q -F -- "$n" "$SRV_LOG" && _w="$_w $n;"
done
result "the log names no user" "$_w"
result "successful logins are logged by user id" \
    "$(grep -q 'event=login_ok user=[0-9]' "$SRV_LOG" || echo missing)"

finish
