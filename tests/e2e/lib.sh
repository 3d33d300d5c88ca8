# lib.sh: shared helpers of the end-to-end tests (POSIX sh, dash).
#
# Sourced by tests/e2e/e2e_*.sh as ". "$(dirname "$0")/lib.sh"". It finds
# the binaries of $BISIK_BUILD (build or build-asan), makes one temp dir
# ($T) that is removed on exit, and kills every server it started. Each
# test prints "ok - NAME" or "not ok - NAME: DETAIL"; finish() ends the
# script with status 1 if any failed.
#
# Never a silent pass: a tool the script needs is checked with need_tools
# (missing: "not ok", scripts/deps.sh installs them all); a set-up step that
# fails ends the script with die or prints "not ok" for the block it would
# have run; a check that cannot run on this machine prints
# "ok - NAME # SKIP REASON" through skip, which tests/run.sh accepts only
# for the names it lists (README, "Tests"). Error answers are checked whole
# with err_is STATUS CODE (status, the error shape, the code), and answers
# that must not tell two cases apart with same_body FILE.
#
# Servers: start_server [--escrow] [CONFIG_JSON] makes a fresh data dir and
# serves it on a free loopback port; the current server is described by
# SRV_PID SRV_PORT SRV_URL SRV_DATA SRV_DIR SRV_LOG SRV_CONF, which
# save_server NAME / use_server NAME copy away and back when a script runs
# more than one. Requests go through api METHOD PATH [curl args...], which
# leaves the status in $ST, the body in $T/body and the headers in
# $T/headers; every curl call is bounded by --max-time.
set -u

E2E_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$E2E_DIR/../.." && pwd)
BISIK_BUILD=${BISIK_BUILD:-build}
case $BISIK_BUILD in
/*) BUILD_DIR=$BISIK_BUILD ;;
*) BUILD_DIR=$ROOT/$BISIK_BUILD ;;
esac
BISIKD=$BUILD_DIR/bisikd
BISIK=$BUILD_DIR/bisik
# The sanitizer build is slower; waits scale with this.
case $BISIK_BUILD in
*asan*) SLOW=3 ;;
*) SLOW=1 ;;
esac
# Sanitizer reports must fail the run, and leaks count.
# Slow unwinding gives whole stacks through the (uninstrumented) libraries.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

PASSED=0
FAILED=0
SKIPPED=0
ALL_PIDS=""
T=$(mktemp -d "${TMPDIR:-/tmp}/bisik-e2e.XXXXXX") || exit 1
chmod 700 "$T"
# bisik reads a configuration file and keeps state (the audit heads it
# verified) under the user's directories: each run gets its own, so that
# no test reads the tester's files or a head left by an earlier server
# on the same port.
export XDG_CONFIG_HOME="$T/xdg-config" XDG_STATE_HOME="$T/xdg-state"
unset BISIK_ESCROW_FINGERPRINT
ST=000
# Only ends a hang: a busy machine running the sanitizer build can take
# half a minute for a bulk action of 50 cases.
CURL_MAX=${CURL_MAX:-$((60 * SLOW))}

# is_ours PID: PID is running (not a zombie) and a child of this shell, so
# a PID that was reused by someone else's process is never signalled.
is_ours() {
	_stat=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	set -- $_stat
	[ "${2:-}" = "$$" ] && [ "${1:-}" != Z ]
}

e2e_cleanup() {
	for p in $ALL_PIDS; do
		is_ours "$p" && kill -TERM "$p" 2>/dev/null
	done
	for p in $ALL_PIDS; do
		i=0
		while is_ours "$p" && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		is_ours "$p" && kill -KILL "$p" 2>/dev/null
	done
	if [ -n "${KEEP_TMP:-}" ]; then
		echo "# kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# ---- results ---------------------------------------------------------------

ok() {
	echo "ok - $1"
	PASSED=$((PASSED + 1))
}

# notok NAME DETAIL
notok() {
	echo "not ok - $1: $(printf '%s' "$2" | tr '\n\r' '  ' | cut -c1-600)"
	FAILED=$((FAILED + 1))
}

# skip NAME REASON: a check that cannot run here (tests/run.sh fails the
# run unless NAME is one of its ALLOWED_SKIPS).
skip() {
	echo "ok - $1 # SKIP $2"
	SKIPPED=$((SKIPPED + 1))
}

# check NAME CMD...: ok if CMD succeeds.
check() {
	_cn=$1
	shift
	if "$@"; then
		ok "$_cn"
	else
		notok "$_cn" "failed: $*"
	fi
}

# result NAME DETAIL: ok when DETAIL is empty.
result() {
	if [ -z "$2" ]; then ok "$1"; else notok "$1" "$2"; fi
}

finish() {
	echo "# $PASSED passed, $FAILED failed, $SKIPPED skipped ($BISIK_BUILD)"
	[ "$FAILED" -eq 0 ] && exit 0
	exit 1
}

die() {
	notok "${1:-setup}" "${2:-setup failed}"
	finish
}

need_binaries() {
	if [ ! -x "$BISIKD" ] || [ ! -x "$BISIK" ]; then
		die "binaries" "$BISIKD or $BISIK is missing (run make)"
	fi
	need_tools curl jq
}

# need_tools TOOL...: every outside program the script runs is installed;
# the first missing one ends the script with "not ok".
need_tools() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 ||
		    die "tools" "$_c is missing (scripts/deps.sh installs it)"
	done
}

# ---- small helpers -----------------------------------------------------------

# rep STRING N: STRING repeated N times, no newline.
rep() {
	awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

# rand_port: a port in 20000..59999.
rand_port() {
	_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' \n')
	echo $((_r % 40000 + 20000))
}

# snip FILE: the start of a file on one line, for failure details.
snip() {
	head -c "${2:-240}" "$1" 2>/dev/null | tr '\n\r' '  ' | tr -c '[:print:]' '?'
}

# hdr NAME: the value of a header of the last answer (last block), or
# nothing; exit 1 if absent.
hdr() {
	awk -v n="$1" '
		BEGIN { n = tolower(n); found = 0 }
		/^HTTP\// { v = ""; found = 0; next }
		{
			sub(/\r$/, "")
			i = index($0, ":")
			if (i == 0) next
			if (tolower(substr($0, 1, i - 1)) == n) {
				v = substr($0, i + 1); sub(/^[ \t]+/, "", v)
				found = 1
			}
		}
		END { if (found) { print v; exit 0 } exit 1 }' "${2:-$T/headers}"
}

# ---- escrow (made once per script, installable in any data dir) -------------

ESCROW_PUB=""
make_escrow() {
	[ -n "$ESCROW_PUB" ] && return 0
	_e=$T/escrow-keys
	mkdir -p "$_e"
	printf 'correct horse battery staple e2e\n' > "$_e/pass"
	# The cheapest Argon2id level: tests open admin keys dozens of
	# times; e2e_cli checks the default level and what each records.
	if ! "$BISIK" keygen --out "$_e/admin.key" --kdf interactive \
	    --passphrase-file "$_e/pass" > "$_e/keygen.out" 2>&1; then
		echo "# keygen failed: $(snip "$_e/keygen.out")" >&2
		return 1
	fi
	if ! "$BISIK" escrow ceremony --threshold 1 \
	    --admin "$_e/admin.key.pub" --out-dir "$_e/escrow" \
	    > "$_e/ceremony.out" 2>&1; then
		echo "# ceremony failed: $(snip "$_e/ceremony.out")" >&2
		return 1
	fi
	# bisikd escrow set installs only a file every holder has signed.
	if ! "$BISIK" escrow sign --escrow "$_e/escrow/escrow.pub" \
	    --key "$_e/admin.key" --passphrase-file "$_e/pass" \
	    > "$_e/sign.out" 2>&1; then
		echo "# escrow sign failed: $(snip "$_e/sign.out")" >&2
		return 1
	fi
	ESCROW_PUB=$_e/escrow/escrow.pub
}

# ---- servers -------------------------------------------------------------------

SRV_PID=""
SRV_PORT=""
SRV_URL=""
SRV_DATA=""
SRV_DIR=""
SRV_LOG=""
SRV_CONF=""
SRV_N=0
DEFAULT_CONFIG='{"pow_difficulty":0}'
# Test machines run as root without a "bisik" account: bisikd serve
# refuses root unless told (confine.c). Scripts that start bisikd serve
# themselves pass $ALLOW_ROOT too.
ALLOW_ROOT=""
[ "$(id -u)" = 0 ] && ALLOW_ROOT=--allow-root

# new_data [--escrow]: a new server dir ($SRV_DIR) with an initialised data
# dir ($SRV_DATA), the agency dinas-pu and, with --escrow, a 1-of-1 escrow.
new_data() {
	SRV_N=$((SRV_N + 1))
	SRV_DIR=$T/srv$SRV_N
	mkdir -p "$SRV_DIR"
	SRV_DATA=$SRV_DIR/data
	SRV_LOG=$SRV_DIR/server.log
	SRV_CONF=$SRV_DIR/config.json
	: > "$SRV_LOG"
	if ! "$BISIKD" init --data "$SRV_DATA" > "$SRV_DIR/init.out" 2>&1; then
		echo "# bisikd init failed: $(snip "$SRV_DIR/init.out")" >&2
		return 1
	fi
	if [ "${1:-}" = "--escrow" ]; then
		make_escrow || return 1
		if ! "$BISIKD" escrow set --data "$SRV_DATA" \
		    --public-key "$ESCROW_PUB" > "$SRV_DIR/escrow.out" 2>&1; then
			echo "# escrow set failed: $(snip "$SRV_DIR/escrow.out")" >&2
			return 1
		fi
	fi
	if ! "$BISIKD" agency add --data "$SRV_DATA" --id dinas-pu \
	    --name "Dinas Pekerjaan Umum" > "$SRV_DIR/agency.out" 2>&1; then
		echo "# agency add failed: $(snip "$SRV_DIR/agency.out")" >&2
		return 1
	fi
}

# serve [CONFIG_JSON]: starts bisikd on $SRV_DATA on a free loopback port
# and waits until /health answers; the config is written to $SRV_CONF.
serve() {
	printf '%s\n' "${1:-$DEFAULT_CONFIG}" > "$SRV_CONF"
	_try=0
	while [ $_try -lt 12 ]; do
		_try=$((_try + 1))
		SRV_PORT=$(rand_port)
		SRV_URL=http://127.0.0.1:$SRV_PORT
		echo "# serve try $_try port $SRV_PORT" >> "$SRV_LOG"
		"$BISIKD" serve --data "$SRV_DATA" --listen "127.0.0.1:$SRV_PORT" \
		    --config "$SRV_CONF" $ALLOW_ROOT 2>> "$SRV_LOG" &
		SRV_PID=$!
		ALL_PIDS="$ALL_PIDS $SRV_PID"
		_i=0
		_limit=$((150 * SLOW))
		while [ $_i -lt $_limit ]; do
			if ! is_ours "$SRV_PID"; then
				break
			fi
			if grep -q "event=listening.*port=$SRV_PORT" "$SRV_LOG" &&
			    [ "$(curl -s -o /dev/null -w '%{http_code}' \
			    --max-time 2 "$SRV_URL/api/v1/health")" = 200 ]; then
				return 0
			fi
			sleep 0.1
			_i=$((_i + 1))
		done
		if is_ours "$SRV_PID"; then
			echo "# server on port $SRV_PORT did not answer" >&2
			kill -KILL "$SRV_PID" 2>/dev/null
			wait "$SRV_PID" 2>/dev/null
			return 1
		fi
		wait "$SRV_PID" 2>/dev/null
		_rc=$?
		# 1 with "cannot listen": the port was taken; try another.
		if [ $_rc -ne 1 ] || ! tail -n 3 "$SRV_LOG" | grep -q "cannot listen"; then
			echo "# bisikd serve exited $_rc: $(tail -n 5 "$SRV_LOG" | tr '\n' ' ')" >&2
			return 1
		fi
	done
	echo "# no free port found" >&2
	return 1
}

# start_server [--escrow] [CONFIG_JSON]
start_server() {
	_esc=""
	if [ "${1:-}" = "--escrow" ]; then
		_esc=--escrow
		shift
	fi
	new_data $_esc || return 1
	serve "${1:-$DEFAULT_CONFIG}"
}

# log_problem LOG: a one-line digest of what went wrong in a server log:
# the sanitizer's verdict and first frame in our code, else the last lines.
log_problem() {
	_e=$(grep -m1 -E 'ERROR: [A-Za-z]+Sanitizer|runtime error' "$1" | sed 's/^==[0-9]*==//')
	if [ -n "$_e" ]; then
		_s=$(grep -m1 '^SUMMARY' "$1")
		_f=$(grep -E ' in [A-Za-z_0-9]+ (server|core|store|crypto|client)/[A-Za-z_0-9]+\.c:[0-9]+' "$1" |
		    grep -v -E 'jsonalloc\.c|wipe_malloc' | head -n 1 | sed 's/^ *#[0-9]* 0x[0-9a-f]* //')
		printf '%s; %s; first frame of ours: %s' "$_e" "$_s" "${_f:-?}"
	else
		tail -n 5 "$1" | tr '\n' ' ' | cut -c1-400
	fi
}

# stop_server: SIGTERM, then the server must exit with 0 within 10 s
# (30 s for the sanitizer build). Returns 1 otherwise, with SRV_STOP_WHY.
SRV_STOP_WHY=""
stop_server() {
	SRV_STOP_WHY=""
	[ -n "$SRV_PID" ] || return 0
	if ! is_ours "$SRV_PID"; then
		wait "$SRV_PID" 2>/dev/null
		SRV_STOP_WHY="the server had already exited with $?"
		SRV_PID=""
		return 1
	fi
	kill -TERM "$SRV_PID"
	_i=0
	_limit=$((100 * SLOW))
	while is_ours "$SRV_PID" && [ $_i -lt $_limit ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if is_ours "$SRV_PID"; then
		kill -KILL "$SRV_PID"
		wait "$SRV_PID" 2>/dev/null
		SRV_STOP_WHY="the server did not stop within $((10 * SLOW)) s of SIGTERM"
		SRV_PID=""
		return 1
	fi
	wait "$SRV_PID"
	_rc=$?
	SRV_PID=""
	if [ $_rc -ne 0 ]; then
		SRV_STOP_WHY="the server exited with $_rc: $(log_problem "$SRV_LOG")"
		return 1
	fi
	return 0
}

# kill9_server: SIGKILL, reaped.
kill9_server() {
	[ -n "$SRV_PID" ] || return 0
	is_ours "$SRV_PID" && kill -KILL "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=""
}

# save_server NAME / use_server NAME: keep several servers apart.
save_server() {
	eval "S_${1}_PID=\$SRV_PID S_${1}_PORT=\$SRV_PORT S_${1}_URL=\$SRV_URL"
	eval "S_${1}_DATA=\$SRV_DATA S_${1}_DIR=\$SRV_DIR S_${1}_LOG=\$SRV_LOG"
	eval "S_${1}_CONF=\$SRV_CONF"
}
use_server() {
	eval "SRV_PID=\$S_${1}_PID SRV_PORT=\$S_${1}_PORT SRV_URL=\$S_${1}_URL"
	eval "SRV_DATA=\$S_${1}_DATA SRV_DIR=\$S_${1}_DIR SRV_LOG=\$S_${1}_LOG"
	eval "SRV_CONF=\$S_${1}_CONF"
}

# ---- requests ------------------------------------------------------------------

# api METHOD PATH [curl args...]: status in $ST, body in $T/body, headers in
# $T/headers. "Expect:" keeps curl from a 100-continue round.
api() {
	_m=$1
	_p=$2
	shift 2
	: > "$T/body"
	: > "$T/headers"
	ST=$(curl -sS --max-time "$CURL_MAX" -o "$T/body" -D "$T/headers" \
	    -w '%{http_code}' -H 'Expect:' -X "$_m" "$@" "$SRV_URL$_p" \
	    2> "$T/curl.err") || ST=000
	[ -n "$ST" ] || ST=000
}

# api_json METHOD PATH JSON [curl args...]: a JSON body.
api_json() {
	_m=$1
	_p=$2
	printf '%s' "$3" > "$T/req.json"
	shift 3
	api "$_m" "$_p" -H 'Content-Type: application/json' \
	    --data-binary @"$T/req.json" "$@"
}

# raw_http FORMAT: writes printf FORMAT (backslash escapes interpreted) on
# one TCP connection to the server and keeps what comes back until the
# server closes it in $T/raw.out; for inputs curl will not send (request
# smuggling). The last request should close the connection (Connection:
# close, or a framing error): CURL_MAX only ends a hang. Uses bash's
# /dev/tcp (bash is essential on Debian); returns 1 if it cannot connect.
raw_http() {
	bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$2" || exit 9
	    printf "$1" >&3
	    timeout "$3" cat <&3' _ "$1" "$SRV_PORT" "$CURL_MAX" > "$T/raw.out" 2> /dev/null
	[ $? -ne 9 ]
}
# raw_answers: the status codes of every answer in $T/raw.out, in order.
raw_answers() {
	grep -a -o 'HTTP/1\.[01] [0-9][0-9][0-9]' "$T/raw.out" | cut -d' ' -f2 |
	    tr '\n' ' ' | sed 's/ $//'
}

# alive: /health answers 200 {"status":"ok"}. The body is compared byte
# for byte (the server writes compact JSON): no jq, as the batteries ask
# after every request. The bound (CURL_MAX) only ends a hang: a dead
# server is refused at once, and a busy one running the sanitizer build
# may take seconds, which is not a failure.
alive() {
	_b=$(curl -s --max-time "$CURL_MAX" "$SRV_URL/api/v1/health" 2>/dev/null) || return 1
	[ "$_b" = '{"status":"ok"}' ]
}

# jqt JQ_EXPR [FILE [jq args]]: true if the expression is true on the
# last body, which must be one JSON value: jq -e alone counts an empty
# body as true, so a check could pass on no answer at all.
jqt() {
	_jx=$1
	_jf=${2:-$T/body}
	[ $# -gt 1 ] && shift 2 || shift
	jq -n -e "$@" "[inputs] | length == 1 and (.[0] | ($_jx))" "$_jf" \
	    > /dev/null 2>&1
}

# error_shape STATUS: the body is the error object (docs/openapi.yaml, Error); "fields" (an
# object of strings, not empty) only on 422.
ERROR_SHAPE_JQ='
    type == "object" and (keys == ["error"]) and
    (.error | type == "object") and
    (.error.code | type == "string" and test("^[a-z][a-z0-9_]*$")) and
    (.error.message | type == "string" and length > 0) and
    (((.error | keys) - ["code", "message", "fields"]) == []) and
    (if $st == 422 then
	(.error.fields | type == "object" and length > 0 and
	 all(.[]; type == "string"))
     else (.error | has("fields") | not) end)'
error_shape() {
	jqt "$ERROR_SHAPE_JQ" "$T/body" --argjson st "$1"
}

# err_is STATUS CODE [LABEL]: the last answer has this status, the error
# shape (error_shape) and this code; prints what is wrong (after "LABEL: "
# when given), nothing when all is well. For result:
#   result NAME "$(err_is 404 not_found)"
# The shape and the code are judged by one jq (the battery scripts call
# this hundreds of times; a process less each time is felt on a busy
# machine); a body that is not JSON fails the shape.
err_is() {
	_ew=""
	if [ "$ST" != "$1" ]; then
		_ew="status $ST, not $1: $(snip "$T/body")"
	else
		_ev=$(jq -n -r --argjson st "$1" --arg c "$2" "[inputs] |
		    if length == 1 and (.[0] | $ERROR_SHAPE_JQ) then
		    (if .[0].error.code == \$c then \"good\" else \"code\" end)
		    else \"shape\" end" "$T/body" 2> /dev/null)
		case $_ev in
		good) ;;
		code) _ew="code $(jq -r '.error.code' "$T/body" 2>/dev/null), not $2: $(snip "$T/body")" ;;
		*) _ew="not the error shape: $(snip "$T/body")" ;;
		esac
	fi
	[ -z "$_ew" ] || printf '%s%s; ' "${3:+$3: }" "$_ew"
}

# same_body FILE: the last answer's body is FILE byte for byte (an answer
# that must not tell a hidden case from a missing one, a wrong token from
# none); prints what is wrong.
same_body() {
	cmp -s "$T/body" "$1" ||
	    printf 'body differs from %s: %s vs %s' "$(basename "$1")" \
		"$(snip "$T/body")" "$(snip "$1")"
}

# sec_headers: the headers every answer carries (docs/openapi.yaml, info);
# prints what is wrong, nothing when all is well. The headers of the last
# answer (last block, as hdr reads them) are judged in one awk.
sec_headers() {
	awk '
		/^HTTP\// { split("", h); next }
		{
			sub(/\r$/, "")
			i = index($0, ":")
			if (i == 0) next
			v = substr($0, i + 1); sub(/^[ \t]+/, "", v)
			h[tolower(substr($0, 1, i - 1))] = v
		}
		function has(s, t) { return index(s, t) > 0 }
		END {
			w = ""
			csp = ""
			if ("content-security-policy" in h)
				csp = h["content-security-policy"]
			else
				w = w " no CSP;"
			if (!has(csp, "default-src \047none\047") &&
			    !has(csp, "default-src \047self\047"))
				w = w " CSP without default-src \047none\047/\047self\047;"
			if (!has(csp, "frame-ancestors \047none\047"))
				w = w " CSP without frame-ancestors \047none\047;"
			if (has(csp, "unsafe-inline") || has(csp, "unsafe-eval") ||
			    has(csp, "://") || has(csp, "*"))
				w = w " CSP allows unsafe or other hosts;"
			if (h["x-content-type-options"] != "nosniff")
				w = w " X-Content-Type-Options not nosniff;"
			if (h["referrer-policy"] != "no-referrer")
				w = w " Referrer-Policy not no-referrer;"
			if (!has(h["cache-control"], "no-store"))
				w = w " Cache-Control without no-store;"
			if (("server" in h) && h["server"] ~ /[0-9]/)
				w = w " Server header with a version (" h["server"] ");"
			if (index(h["content-type"], "application/json") != 1)
				w = w " Content-Type not application/json (" h["content-type"] ");"
			printf "%s", w
		}' "$T/headers"
}

# A report that passes validation; vary it with jq.
VALID_REPORT='{"kind":"complaint","title":"Jalan rusak parah","body":"Jalan di depan pasar berlubang besar sejak bulan lalu."}'

# submit_report [JSON] [curl args...]: POST /reports; on 201 sets CASE and
# TOKEN from the answer.
CASE=""
TOKEN=""
submit_report() {
	_j=${1:-$VALID_REPORT}
	[ $# -gt 0 ] && shift
	CASE=""
	TOKEN=""
	api_json POST /api/v1/reports "$_j" "$@"
	if [ "$ST" = 201 ]; then
		CASE=$(jq -r '.case // empty' "$T/body")
		TOKEN=$(jq -r '.token // empty' "$T/body")
	fi
}

# followup TOKEN: GET /followup with the token.
followup() {
	api GET /api/v1/followup -H "Authorization: Bearer $1"
}

# followup_each LIST FIELD: GET /followup for every line "TOKEN WANT" of
# LIST (WANT is the rest of the line, spaces allowed), all from one curl
# (one process and one kept-alive connection instead of a curl and a jq
# per case: hundreds of cases took minutes under the sanitizer build).
# A line passes when its answer is 200 and the string FIELD of its JSON
# body equals WANT. Sets FU_MISS (lines that did not pass) and FU_WHY
# (the first five of them, "WANT: HTTP STATUS").
FU_MISS=0
FU_WHY=""
followup_each() {
	_fd=$T/followup_each
	rm -rf "$_fd"
	mkdir -p "$_fd"
	awk -v url="$SRV_URL/api/v1/followup" -v d="$_fd" -v max="$CURL_MAX" '
	NF {
		n++
		if (n > 1)
			print "next"
		printf "url = \"%s\"\nheader = \"Authorization: Bearer %s\"\n", url, $1
		printf "output = \"%s/%d\"\nwrite-out = \"%d %%{http_code}\\n\"\n", d, n, n
		printf "max-time = %s\n", max
		w = $0
		sub(/^[^ ]+ /, "", w)
		print n " " w > (d "/want")
	}' "$1" > "$_fd/curl.conf"
	: >> "$_fd/want"
	curl -s -K "$_fd/curl.conf" > "$_fd/status" 2> /dev/null
	# "N VALUE" for every body that is a JSON object with FIELD; one
	# that is not gives no line, and so a miss.
	for _ff in "$_fd"/[0-9]*; do
		[ -f "$_ff" ] && printf '%s\n' "$_ff"
	done | xargs -r jq -r --arg f "$2" 'select(type == "object") |
	    (input_filename | sub(".*/"; "")) + " " + (.[$f] | strings)' \
	    > "$_fd/got" 2> /dev/null
	FU_MISS=$(awk -v sf="$_fd/status" -v gf="$_fd/got" '
	BEGIN {
		while ((getline l < sf) > 0) {
			split(l, a, " ")
			st[a[1]] = a[2]
		}
		while ((getline l < gf) > 0) {
			k = l
			sub(/ .*/, "", k)
			v = l
			sub(/^[^ ]+ /, "", v)
			got[k] = v
		}
	}
	{
		k = $1
		w = $0
		sub(/^[^ ]+ /, "", w)
		if (st[k] != "200" || !(k in got) || got[k] != w)
			print w ": HTTP " (k in st ? st[k] : "none")
	}' "$_fd/want" > "$_fd/miss"; wc -l < "$_fd/miss" | tr -d ' ')
	FU_WHY=$(head -n 5 "$_fd/miss" | tr '\n' ';')
}

# A case reference (docs/design.md, "Case lifecycle"; core/caseref.c).
CASE_RE='^BSK-[0-9]{4}-[0-9]{6,}$'

# ---- proof of work, solved in sh ---------------------------------------------

# The server's check is BLAKE2b-256(challenge ‖ nonce) with DIFFICULTY
# leading zero bits (crypto/pow.c); b2sum -l 256 computes the same
# unkeyed BLAKE2b-256. pow_solve CHALLENGE DIFFICULTY: DIFFICULTY must be
# a multiple of 4. Sets POW_NONCE (a solution) and POW_BAD (a nonce that
# does not solve it); returns 1 if none was found. Bounded: 4096 tries (failure chance ~1e-7 at 8 bits).
POW_BAD=""
POW_NONCE=""
pow_solve() {
	_c=$1
	_d=$2
	_z=$(rep 0 $((_d / 4)))
	_pd=$T/pow
	POW_BAD=""
	POW_NONCE=""
	_b=0
	while [ $_b -lt 16 ]; do
		rm -rf "$_pd"
		mkdir -p "$_pd"
		_i=0
		while [ $_i -lt 256 ]; do
			_n=$((_b * 256 + _i))
			printf '%s%s' "$_c" "$_n" > "$_pd/$_n"
			_i=$((_i + 1))
		done
		_out=$(cd "$_pd" && b2sum -l 256 -- * 2>/dev/null)
		if [ -z "$POW_BAD" ]; then
			POW_BAD=$(printf '%s\n' "$_out" | awk -v z="$_z" \
			    'index($1, z) != 1 { print $2; exit }')
		fi
		_hit=$(printf '%s\n' "$_out" | awk -v z="$_z" \
		    'index($1, z) == 1 { print $2; exit }')
		if [ -n "$_hit" ]; then
			rm -rf "$_pd"
			POW_NONCE=$_hit
			return 0
		fi
		_b=$((_b + 1))
	done
	rm -rf "$_pd"
	return 1
}
