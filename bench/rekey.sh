#!/bin/sh
# rekey.sh: `bisikd rekey` on a data directory of REKEY_CASES cases
# (default 100,000), submitted through the API with wrk. The rotation is
# killed with SIGKILL at about a third and resumed; prints the cases
# re-wrapped per second of each run and overall. Part of `make bench`;
# e2e_rekey.sh checks the same with a few hundred cases in `make test`.
set -eu
cd "$(dirname "$0")/.."
CASES=${REKEY_CASES:-100000}
B=${BISIK_BUILD:-build}
THREADS=2
# bisikd serve refuses root unless told (confine.c): test machines.
ALLOW_ROOT=""
[ "$(id -u)" = 0 ] && ALLOW_ROOT=--allow-root
W=$(mktemp -d)
PID=""
WRK=""
cleanup() {
	[ -n "$WRK" ] && kill "$WRK" 2>/dev/null || true
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
D=$W/data
$B/bisikd init --data "$D" > /dev/null
printf '{"pow_difficulty":0,"log_level":"info"}\n' > "$W/config.json"
P=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 ))
$B/bisikd serve --data "$D" --listen "127.0.0.1:$P" --config "$W/config.json" \
    $ALLOW_ROOT 2> "$W/server.log" & PID=$!
i=0
until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$P/api/v1/health"; do
	i=$((i + 1)); [ $i -lt 300 ] || { echo "rekey bench: no server: $(tail -n 3 "$W/server.log")" >&2; exit 1; }
	sleep 0.1
done
echo "rekey bench: submitting $CASES cases ..."
t0=$(now)
# wrk has no request count: it runs until the log shows CASES submissions.
wrk -t$THREADS -c32 -d3600s --timeout 10s -s bench/rekey_submit.lua \
    "http://127.0.0.1:$P/api/v1/reports" > "$W/wrk.txt" 2>&1 & WRK=$!
while [ "$(grep -c 'event=case_submitted' "$W/server.log")" -lt "$CASES" ]; do
	kill -0 "$WRK" 2>/dev/null || { echo "rekey bench: wrk stopped" >&2; exit 1; }
	sleep 1
done
kill "$WRK" 2>/dev/null || true
wait "$WRK" 2>/dev/null || true
WRK=""
t1=$(now)
kill -TERM "$PID"; wait "$PID" || true; PID=""
echo "rekey bench: submitted in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"

# First run, killed at about a third.
$B/bisikd rekey --data "$D" 2> "$W/rk1.err" & RK=$!
t0=$(now)
while kill -0 "$RK" 2>/dev/null; do
	n=$(grep -o '\] [0-9]*/' "$W/rk1.err" | tail -n 1 | tr -dc 0-9)
	[ -n "$n" ] && [ "$n" -ge $((CASES / 3)) ] && break
	sleep 0.05
done
kill -KILL "$RK" 2>/dev/null || true
wait "$RK" 2>/dev/null || true
t1=$(now)
done1=$(grep -o '\] [0-9]*/' "$W/rk1.err" | tail -n 1 | tr -dc 0-9)
total=$(grep -o '/[0-9]* cases' "$W/rk1.err" | tail -n 1 | tr -dc 0-9)
tail -n 2 "$W/rk1.err" | tr '\r' '\n' | grep rekey: | tail -n 1
if grep -q 'rekey: done' "$W/rk1.err"; then
	:
elif [ "${done1:-0}" -ge "${total:-1}" ]; then
	# Small runs: progress is printed per batch, so the first line seen
	# after a third may already be the last one.
	echo "rekey bench: killed with SIGKILL after the last batch ($total of $total cases; too few cases to stop it at a third)"
else
	echo "rekey bench: killed with SIGKILL after ${done1:-0} of $total cases"
fi

# Second run: resumes and finishes.
if grep -q 'rekey: done' "$W/rk1.err"; then
	echo "rekey bench: the first run finished before it could be killed"
	awk -v t="$total" -v a="$t0" -v b="$t1" 'BEGIN {
	    printf "rekey bench: %d cases in %.1f s: %.0f cases/s\n", t, b - a,
	    ((b - a) > 0 ? t / (b - a) : 0) }'
else
	t2=$(now)
	$B/bisikd rekey --data "$D" 2> "$W/rk2.err"
	t3=$(now)
	tr '\r' '\n' < "$W/rk2.err" | grep -E 'rekey: \[' | tail -n 1
	awk -v t="$total" -v d1="${done1:-0}" -v a="$t0" -v b="$t1" -v c="$t2" -v e="$t3" 'BEGIN {
		r1 = (b - a) > 0 ? d1 / (b - a) : 0
		r2 = (e - c) > 0 ? (t - d1) / (e - c) : 0
		printf "rekey bench: %d cases; first run %.0f cases/s, resumed run %.0f cases/s, overall %.0f cases/s (%.1f s)\n",
		    t, r1, r2, t / ((b - a) + (e - c)), (b - a) + (e - c) }'
fi
# The rotated directory serves.
$B/bisikd serve --data "$D" --listen "127.0.0.1:$P" --config "$W/config.json" \
    $ALLOW_ROOT 2>> "$W/server.log" & PID=$!
i=0
until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$P/api/v1/health"; do
	i=$((i + 1)); [ $i -lt 300 ] || { echo "rekey bench: the rotated data does not serve: $(tail -n 3 "$W/server.log")" >&2; exit 1; }
	sleep 0.1
done
echo "rekey bench: the rotated data directory serves"
