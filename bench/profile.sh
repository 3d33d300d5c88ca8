#!/bin/sh
# profile.sh: where bisikd spends its CPU under the two loads of
# `make bench`: the reporter's follow-up GET and the durable submission
# (2 KiB with an identity sealed to the escrow key, proof of work off).
# For each load it starts bisikd (default configuration, or threads=N
# with BENCH_PROFILE_THREADS), drives it with wrk as bench/run.sh does,
# and samples it with perf for BENCH_PROFILE_SECONDS (default 10):
#
#   perf record -e cpu-clock -F 499 --call-graph dwarf,16384 -p PID
#
# then prints the CPU per library (self time), the top functions by self
# time, and the top functions of bisikd and its libraries by inclusive
# time (the function and what it calls). cpu-clock is a software event:
# it works in virtual machines without hardware counters (`perf stat -e
# instructions true` says "not supported" there). The libraries' internal
# functions have no symbols without Debian's -dbgsym packages and show as
# addresses; the inclusive view attributes them to their callers.
# BENCH_PROFILE_LOADS (default "followup submission sealed"; "sealed" is
# the submission with an identity the client sealed, see bench/cpu.sh).
# KEEP=1 keeps the perf data (in the directory it names) for perf report.
#
#   sh bench/profile.sh            (after `make all build/bench/sealed_bodies`;
#                                   run as root or with
#                                   kernel.perf_event_paranoid <= 1)
set -eu
cd "$(dirname "$0")/.."
B=${BISIK_BUILD:-build}
SECS=${BENCH_PROFILE_SECONDS:-10}
THREADS=${BENCH_PROFILE_THREADS:-}
LOADS=${BENCH_PROFILE_LOADS:-followup submission sealed}
# The "sealed" load's bodies (bench/cpu.sh): enough for this many a second.
SEALED_RATE=${BENCH_PROFILE_SEALED_RATE:-8000}
CONNS=64
# Rows printed per view.
TOP=25
command -v perf >/dev/null 2>&1 || { echo "profile: perf is missing: sh scripts/deps.sh" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || { echo "profile: wrk is missing: sh scripts/deps.sh" >&2; exit 1; }
W=$(mktemp -d)
PID=""
WRK=""
cleanup() {
	[ -z "$WRK" ] || kill "$WRK" 2>/dev/null || true
	[ -z "$PID" ] || kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	if [ -n "${KEEP:-}" ]; then echo "profile: kept $W" >&2; else rm -rf "$W"; fi
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
	echo "profile: bisikd did not start: $(tail -n 2 "$W/server.log")" >&2
	exit 1
}

# profile NAME WRK_ARGS...: wrk for SECS + 2 s, perf for SECS from 1 s in
profile() {
	name=$1; shift
	wrk -t1 -c$CONNS -d$((SECS + 2))s --timeout 5s --latency "$@" \
	    > "$W/$name.wrk" 2>&1 & WRK=$!
	sleep 1
	perf record -e cpu-clock -F 499 --call-graph dwarf,16384 -p "$PID" \
	    -o "$W/$name.perf" -- sleep "$SECS" 2>"$W/$name.perf.log" ||
	    { echo "profile: perf record failed: $(tail -n 2 "$W/$name.perf.log")" >&2; exit 1; }
	wait "$WRK" || true; WRK=""
	kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""

	echo "== $name: $(awk '/^Requests\/sec:/ { r = $2 } $1 == "99%" { p = $2 }
	    END { printf "%s req/s, p99 %s", r, p }' "$W/$name.wrk") under wrk -t1 -c$CONNS; perf cpu-clock at 499 Hz for ${SECS} s, $(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' "$W/$name.perf.log") samples; bisikd threads: ${THREADS:-default} =="
	echo "-- CPU per library (self time; [kernel.kallsyms] is the network stack and scheduling)"
	perf report -i "$W/$name.perf" --stdio --no-children --sort dso -g none \
	    --percent-limit 0.5 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12
	echo "-- top functions by self time"
	perf report -i "$W/$name.perf" --stdio --no-children --sort dso,symbol -g none \
	    2>/dev/null | grep -v '^#' | grep -v '^$' | head -n "$TOP" |
	    awk '{ printf "%8s  %-26s %s\n", $1, $2, $4 }'
	perf report -i "$W/$name.perf" --stdio --no-children --sort dso,symbol -g none \
	    2>/dev/null | grep -v '^#' | awk '$2 == "libc.so.6" &&
	    $4 ~ /malloc|free|calloc|realloc|unlink_chunk/ { s += $1 }
	    END { printf "-- the allocator (libc malloc, free and their helpers), self time: %.1f%%\n", s }'
	echo "-- top functions of bisikd and its libraries by inclusive time (named ones)"
	perf report -i "$W/$name.perf" --stdio --children --sort dso,symbol -g none \
	    2>/dev/null | grep -v '^#' | grep -v '^$' |
	    awk '$3 !~ /kernel|libc|vdso|\[unknown\]/ && $5 !~ /^0x/ && $5 != "start_thread" &&
	        $5 != "clone" { printf "%8s %8s  %-26s %s\n", $1, $2, $3, $5 }' |
	    head -n "$TOP"
	echo
}

for load in $LOADS; do
	case $load in
	followup)
		serve followup
		TOKEN=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
		    --data '{"kind":"complaint","title":"Lampu jalan mati","body":"Lampu jalan di gang kami mati sejak sebulan lalu."}' \
		    "$URL/reports" | jq -r .token)
		BISIK_TOKEN=$TOKEN profile followup -s bench/followup.lua "$URL/followup"
		;;
	submission)
		serve submission
		profile submission -s bench/submit.lua "$URL/reports"
		;;
	sealed)
		serve sealed
		key=$(curl -s --max-time 10 "$URL/keys" | jq -r .escrow_key)
		$B/bench/sealed_bodies "$key" $((SEALED_RATE * (SECS + 2))) \
		    "$W/sealed.bodies" ||
		    { echo "profile: sealed_bodies failed" >&2; exit 1; }
		BENCH_SEALED_BODIES=$W/sealed.bodies profile sealed \
		    -s bench/submit_sealed.lua "$URL/reports"
		rm -f "$W/sealed.bodies"
		;;
	*)	echo "profile: unknown load $load (followup, submission, sealed)" >&2; exit 1 ;;
	esac
done
