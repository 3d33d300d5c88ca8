#!/bin/sh
# transparency.sh: the transparency features at scale, run by bench/run.sh.
#
# Fills a data directory with N reports (BENCH_TRANSPARENCY_CASES, default
# 100,000) through the real submission path (build/bench/fill: near-copies
# of one complaint about 997 streets, the worst case for duplicate
# buckets), then measures: GET /stats over all time (counters summed at
# read time), GET /cases/{case} for a central admin (duplicates: LSH
# buckets full, candidates re-signed from their sealed text, bounded),
# GET /public/cases, and `bisikd stats rebuild` (a recount of every
# case). Loopback only.
set -eu
cd "$(dirname "$0")/.."
B=${BISIK_BUILD:-build}
N=${BENCH_TRANSPARENCY_CASES:-100000}
W=$(mktemp -d)
PID=""
cleanup() {
	[ -z "$PID" ] || kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$W"; [ -z "${KEEP:-}" ] || echo "kept $W" >&2
}
trap cleanup EXIT INT TERM

D=$W/data
$B/bisikd init --data "$D" >/dev/null
printf 'bench password 0123456789\n' > "$W/pw"
$B/bisikd user add --data "$D" --username pusat --role central_admin \
    --password-file "$W/pw" >/dev/null
echo "transparency at scale: filling $N cases..." >&2
t0=$(date +%s.%N)
$B/bench/fill "$D" "$N" 32 >/dev/null
t1=$(date +%s.%N)
printf '%-34s %12s\n' "fill $N cases (submission path)" \
    "$(awk -v a="$t0" -v b="$t1" -v n="$N" 'BEGIN {printf "%.0f/s", n / (b - a)}')"

printf '{"pow_difficulty":0,"log_level":"error"}\n' > "$W/config.json"
up=0
for try in 1 2 3 4 5; do	# a taken port: try another
	P=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 ))
	$B/bisikd serve --data "$D" --listen "127.0.0.1:$P" --config "$W/config.json" \
	    $(test "$(id -u)" != 0 || echo --allow-root) 2>"$W/server.log" & PID=$!
	i=0
	while [ $i -lt 100 ] && kill -0 "$PID" 2>/dev/null; do
		if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$P/api/v1/health"; then
			up=1
			break
		fi
		sleep 0.1; i=$((i + 1))
	done
	[ $up = 1 ] && break
	kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""
done
[ $up = 1 ] || { echo "bench: server did not start: $(tail -n 2 "$W/server.log")" >&2; exit 1; }
U=http://127.0.0.1:$P/api/v1
S=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
    --data "{\"username\":\"pusat\",\"password\":\"bench password 0123456789\"}" \
    "$U/auth/login" | jq -r .session)
REF=$(curl -s --max-time 30 -H "Authorization: Bearer $S" "$U/cases?limit=1" |
    jq -r '.cases[0].case')

# timed NAME REPEAT CURL_ARGS...: mean and worst milliseconds
timed() {
	name=$1; rep=$2; shift 2
	k=0; : > "$W/times"
	while [ $k -lt "$rep" ]; do
		curl -s -o "$W/out" -w '%{time_total}\n' --max-time 60 "$@" >> "$W/times"
		k=$((k + 1))
	done
	awk -v n="$name" '{ s += $1; if ($1 > m) m = $1 } END {
	    printf "%-34s %9.1f ms mean %8.1f ms worst\n", n, 1000 * s / NR, 1000 * m }' "$W/times"
}
timed "GET /stats (all time)" 20 "$U/stats"
timed "GET /cases/{case} with duplicates" 10 -H "Authorization: Bearer $S" "$U/cases/$REF"
printf '%-34s %12s\n' "  duplicates listed" \
    "$(jq '.duplicates | length' "$W/out")$(jq -r 'if .duplicates_capped then " (capped)" else "" end' "$W/out")"
timed "GET /public/cases" 20 "$U/public/cases"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""

t0=$(date +%s.%N)
$B/bisikd stats rebuild --data "$D" > "$W/rebuild.out" 2>&1 || true
t1=$(date +%s.%N)
printf '%-34s %9.1f s      %s\n' "bisikd stats rebuild ($N cases)" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" "$(tail -n 1 "$W/rebuild.out")"
printf '%-34s %12s\n' "data file" "$(du -h "$D/data.mdb" | cut -f1)"
