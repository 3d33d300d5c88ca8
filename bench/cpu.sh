#!/bin/sh
# cpu.sh: bisikd's CPU time per request under the two loads of `make
# bench` (the reporter's follow-up GET, the durable submission), for
# comparing two builds on a machine that others load: a rate measured
# there says how much CPU bisikd was given, the CPU time per request says
# what a request costs. For each load it starts a fresh bisikd (threads=N
# with BENCH_CPU_THREADS), drives it with `wrk -t1 -c64` as bench/run.sh
# does and counts bisikd's CPU time with
#
#   perf stat -e task-clock,context-switches -p PID -- sleep SECS
#
# from 1 s into the load, then prints the rate, the p99, the CPU time per
# request (task-clock / (rate x SECS)) and the context switches per
# request. BENCH_CPU_SECONDS (default 10), BENCH_CPU_RUNS (default 3),
# BENCH_CPU_LOADS (default "followup submission sealed": "submission" has
# the server seal the identity, "sealed" sends one the client sealed, as
# `bisik submit` and the JavaScript page do; its bodies are made before
# the load by build/bench/sealed_bodies); KEEP=1 keeps the temporary
# directory (wrk's and perf's output).
#
#   sh bench/cpu.sh                     (after `make all
#                                        build/bench/sealed_bodies`; as root or with
#                                        kernel.perf_event_paranoid <= 1)
#   BISIK_BUILD=/other/tree/build sh bench/cpu.sh   (another build)
set -eu
cd "$(dirname "$0")/.."
B=${BISIK_BUILD:-build}
SECS=${BENCH_CPU_SECONDS:-10}
RUNS=${BENCH_CPU_RUNS:-3}
LOADS=${BENCH_CPU_LOADS:-followup submission sealed}
THREADS=${BENCH_CPU_THREADS:-}
# The "sealed" load's bodies are made before it (one fresh sealed identity
# each, sealed by bench/sealed_bodies.c as a client would): enough for this
# many submissions a second; past them the server refuses repeats (409).
SEALED_RATE=${BENCH_CPU_SEALED_RATE:-8000}
CONNS=64
command -v perf >/dev/null 2>&1 || { echo "cpu: perf is missing: sh scripts/deps.sh" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || { echo "cpu: wrk is missing: sh scripts/deps.sh" >&2; exit 1; }
case " $LOADS " in *" sealed "*)
	[ -x "$B/bench/sealed_bodies" ] || { echo "cpu: $B/bench/sealed_bodies is missing: make $B/bench/sealed_bodies" >&2; exit 1; } ;;
esac
W=$(mktemp -d)
PID=""
WRK=""
cleanup() {
	[ -z "$WRK" ] || kill "$WRK" 2>/dev/null || true
	[ -z "$PID" ] || kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	if [ -n "${KEEP:-}" ]; then echo "cpu: kept $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT INT TERM

ALLOW_ROOT=""
[ "$(id -u)" != 0 ] || ALLOW_ROOT=--allow-root
if [ -n "$THREADS" ]; then
	printf '{"pow_difficulty":0,"log_level":"error","threads":%s}\n' "$THREADS"
else
	printf '{"pow_difficulty":0,"log_level":"error"}\n'
fi > "$W/config.json"
printf 'bench passphrase 0123456789\n' > "$W/pass"
$B/bisik keygen --out "$W/admin.key" --passphrase-file "$W/pass" >/dev/null
$B/bisik escrow ceremony --threshold 1 --admin "$W/admin.key.pub" \
    --out-dir "$W/escrow" >/dev/null
$B/bisik escrow sign --escrow "$W/escrow/escrow.pub" --key "$W/admin.key" \
    --passphrase-file "$W/pass" >/dev/null

serve() {	# serve NAME: a fresh data directory served; sets PID, URL
	$B/bisikd init --data "$W/$1" >/dev/null
	$B/bisikd escrow set --data "$W/$1" --public-key "$W/escrow/escrow.pub" >/dev/null
	for try in 1 2 3 4 5; do
		P=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 ))
		$B/bisikd serve --data "$W/$1" --listen "127.0.0.1:$P" \
		    --config "$W/config.json" $ALLOW_ROOT 2>>"$W/server.log" & PID=$!
		URL=http://127.0.0.1:$P/api/v1
		i=0
		while [ $i -lt 300 ] && kill -0 "$PID" 2>/dev/null; do
			curl -s -o /dev/null --max-time 1 "$URL/health" && return 0
			sleep 0.05; i=$((i + 1))
		done
		kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
	done
	echo "cpu: bisikd did not start: $(tail -n 2 "$W/server.log")" >&2
	exit 1
}

# sealed_bodies: $W/sealed, bodies with client-sealed identities for the
# server at URL, enough for SEALED_RATE submissions a second
sealed_bodies() {
	key=$(curl -s --max-time 10 "$URL/keys" | jq -r .escrow_key)
	$B/bench/sealed_bodies "$key" $((SEALED_RATE * (SECS + 2))) "$W/sealed" ||
	    { echo "cpu: sealed_bodies failed" >&2; exit 1; }
}

# measure NAME WRK_ARGS...: wrk for SECS + 2 s, perf stat for SECS from 1 s in
measure() {
	name=$1; shift
	wrk -t1 -c$CONNS -d$((SECS + 2))s --timeout 5s --latency "$@" \
	    > "$W/wrk" 2>&1 & WRK=$!
	sleep 1
	perf stat -x, -e task-clock,context-switches -p "$PID" -o "$W/stat" \
	    -- sleep "$SECS" 2>/dev/null ||
	    { echo "cpu: perf stat failed" >&2; exit 1; }
	wait "$WRK" || true; WRK=""
	kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
	awk -F, -v name="$name" -v secs="$SECS" -v threads="${THREADS:-default}" \
	    -v load="$(cut -d' ' -f1 /proc/loadavg)" '
	    FILENAME ~ /stat$/ && $3 == "task-clock" { tc = $1 }
	    FILENAME ~ /stat$/ && $3 == "context-switches" { cs = $1 }
	    FILENAME ~ /wrk$/ { split($0, f, " ") }
	    FILENAME ~ /wrk$/ && f[1] == "Requests/sec:" { rate = f[2] }
	    FILENAME ~ /wrk$/ && f[1] == "99%" { p99 = f[2] }
	    FILENAME ~ /wrk$/ && f[1] == "Non-2xx" { bad = f[5] }
	    END {
		n = rate * secs
		if (n <= 0) { printf "%-11s threads=%s: no requests\n", name, threads; exit }
		printf "%-11s threads=%-7s %9.0f req/s  p99 %-9s CPU %7.1f us/req  %5.2f cs/req  (load %s)\n",
		    name, threads, rate, p99, tc * 1000 / n, cs / n, load
		if (bad > 0) printf "%-11s warning: %d answers were not 2xx\n", name, bad
	    }' "$W/stat" "$W/wrk"
}

for load in $LOADS; do
	r=0
	while [ $r -lt "$RUNS" ]; do
		r=$((r + 1))
		case $load in
		followup)
			serve "f$r"
			TOKEN=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
			    --data '{"kind":"complaint","title":"Lampu jalan mati","body":"Lampu jalan di gang kami mati sejak sebulan lalu."}' \
			    "$URL/reports" | jq -r .token)
			BISIK_TOKEN=$TOKEN measure followup -s bench/followup.lua "$URL/followup"
			;;
		submission)
			serve "s$r"
			measure submission -s bench/submit.lua "$URL/reports"
			;;
		sealed)
			serve "c$r"
			sealed_bodies
			BENCH_SEALED_BODIES=$W/sealed measure sealed \
			    -s bench/submit_sealed.lua "$URL/reports"
			rm -f "$W/sealed"
			;;
		*)	echo "cpu: unknown load $load (followup, submission, sealed)" >&2; exit 1 ;;
		esac
	done
done
