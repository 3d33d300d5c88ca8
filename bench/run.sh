#!/bin/sh
# run.sh: `make bench`. Measures, in one run on this machine, the raw
# ceilings (a minimal libmicrohttpd GET handler; single-put durable LMDB
# commits) and Bisik's figures (follow-up GET by token; durable submission
# of a 2 KiB report with a sealed identity, proof of work off), with wrk at
# 64 keep-alive connections, and prints them side by side with the ratios
# and the targets. Loopback only; every run is bounded by DURATION.
set -eu
cd "$(dirname "$0")/.."
DURATION=${BENCH_SECONDS:-10}
CONNS=64
RAW_THREADS=${BENCH_RAW_THREADS:-$(nproc)}
B=build
W=$(mktemp -d)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

cc -O2 -o "$W/raw_mhd" bench/raw_mhd.c -lmicrohttpd -pthread
cc -O2 -o "$W/raw_lmdb" bench/raw_lmdb.c -llmdb

port() { echo $(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 )); }
wait_up() {	# wait_up URL
	i=0
	while [ $i -lt 100 ]; do
		curl -s -o /dev/null --max-time 1 "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "bench: server did not start" >&2; exit 1
}
# wrk_run OUT ARGS...: prints "req/s p99_ms"
wrk_run() {
	out=$1; shift
	wrk -t2 -c$CONNS -d${DURATION}s --timeout 5s --latency "$@" > "$out" 2>&1
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000}
	    else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}
	    print v}' "$out")
	non2xx=$(awk '/Non-2xx/ {print $5}' "$out")
	echo "${rps:-0} ${p99:-0} ${non2xx:-0}"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "load: wrk -t2 -c$CONNS -d${DURATION}s; raw server threads $RAW_THREADS (its best here); bisikd threads: its default"
echo

# ---- duplicate detection: precision and recall (labelled pairs) -------
# bench/dedup.c against core/ as built by `make`; the pairs are made by
# bench/gen_dedup_pairs.py from hand-written complaints.
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. $(pkg-config --cflags jansson) \
    -o "$W/dedup" bench/dedup.c $B/obj/core/*.o -ljansson -lutf8proc
"$W/dedup" bench/data/dedup_pairs.tsv
echo

# ---- raw ceilings -------------------------------------------------------
P=$(port)
"$W/raw_mhd" "$P" "$RAW_THREADS" & PIDS="$PIDS $!"
wait_up "http://127.0.0.1:$P/"
set -- $(wrk_run "$W/raw_get.txt" "http://127.0.0.1:$P/")
RAW_GET=$1; RAW_GET_P99=$2
kill $PIDS 2>/dev/null || true; wait 2>/dev/null || true; PIDS=""

mkdir "$W/lmdb"
RAW_COMMIT=$("$W/raw_lmdb" "$W/lmdb" 5)

# ---- Bisik --------------------------------------------------------------
D="$W/data"
$B/bisikd init --data "$D" >/dev/null
printf 'bench passphrase 0123456789\n' > "$W/pass"
$B/bisik keygen --out "$W/admin.key" --passphrase-file "$W/pass" >/dev/null
$B/bisik escrow ceremony --threshold 1 --admin "$W/admin.key.pub" \
    --out-dir "$W/escrow" >/dev/null
$B/bisikd escrow set --data "$D" --public-key "$W/escrow/escrow.pub" >/dev/null
printf '{"pow_difficulty":0,"log_level":"error"}\n' > "$W/config.json"
P=$(port)
$B/bisikd serve --data "$D" --listen "127.0.0.1:$P" --config "$W/config.json" $(test "$(id -u)" != 0 || echo --allow-root) \
    2>"$W/server.log" & PIDS="$PIDS $!"
wait_up "http://127.0.0.1:$P/api/v1/health"

TOKEN=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
    --data '{"kind":"complaint","title":"Lampu jalan mati","body":"Lampu jalan di gang kami mati sejak sebulan lalu."}' \
    "http://127.0.0.1:$P/api/v1/reports" | jq -r .token)
set -- $(BISIK_TOKEN="$TOKEN" wrk_run "$W/followup.txt" -s bench/followup.lua \
    "http://127.0.0.1:$P/api/v1/followup")
FU=$1; FU_P99=$2; FU_BAD=$3
set -- $(wrk_run "$W/submit.txt" -s bench/submit.lua \
    "http://127.0.0.1:$P/api/v1/reports")
SUB=$1; SUB_P99=$2; SUB_BAD=$3

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
meets() { awk -v r="$1" -v t="$2" -v p="$3" -v pt="$4" 'BEGIN {
	print ((r >= t && p <= pt) ? "met" : "NOT met") }'; }

R_FU=$(ratio "$FU" "$RAW_GET")
R_SUB=$(ratio "$SUB" "$RAW_COMMIT")
printf '%-34s %12s %10s\n' "figure" "rate" "p99 ms"
printf '%-34s %12s %10s\n' "raw libmicrohttpd GET (ceiling)" "$RAW_GET/s" "$RAW_GET_P99"
printf '%-34s %12s %10s\n' "raw durable LMDB commit (ceiling)" "$RAW_COMMIT/s" "-"
printf '%-34s %12s %10s   %sx raw GET    (target >= 0.50x, p99 <= 10 ms: %s)\n' \
    "bisik follow-up GET" "$FU/s" "$FU_P99" "$R_FU" "$(meets "$R_FU" 0.5 "$FU_P99" 10)"
printf '%-34s %12s %10s   %sx raw commit (target >= 2.0x, p99 <= 50 ms: %s)\n' \
    "bisik durable submission" "$SUB/s" "$SUB_P99" "$R_SUB" "$(meets "$R_SUB" 2.0 "$SUB_P99" 50)"
[ "$FU_BAD" = 0 ] || echo "warning: $FU_BAD follow-up answers were not 2xx"
[ "$SUB_BAD" = 0 ] || echo "warning: $SUB_BAD submissions were not 2xx"

# ---- memory with idle connections ---------------------------------------
cc -O2 -o "$W/idle_conns" bench/idle_conns.c
SRV_PID=$(pgrep -f "bisikd serve --data $D" | head -n1)
IDLE_N=${BENCH_IDLE_CONNS:-1000}
"$W/idle_conns" "$P" "$IDLE_N" 8 > "$W/idle.txt" & IDLE_PID=$!
sleep 1.5	# the slow-client guard sheds idle connections after 2 s at this load
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$SRV_PID/status")
ANON_KB=$(awk '/^RssAnon/ {print $2}' "/proc/$SRV_PID/status")
T_HEALTH=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 "http://127.0.0.1:$P/api/v1/health" || echo fail)
wait $IDLE_PID 2>/dev/null || true
printf '%-34s %12s   (%s idle connections; target <= 64 MiB; of it %s MiB private, the rest shared libraries and LMDB pages in the page cache; /health meanwhile %ss)\n' \
    "bisikd resident memory" "$((RSS_KB / 1024)) MiB" "$(cat "$W/idle.txt")" "$((ANON_KB / 1024))" "$T_HEALTH"
kill $PIDS 2>/dev/null || true; wait 2>/dev/null || true; PIDS=""

# ---- scale: follow-up at 1,000 and at 1,000,000 cases; start-up ---------
# Filled through the real submission handler without HTTP (build/bench/fill).
SCALE=${BENCH_SCALE_CASES:-1000000}
scale_run() {	# scale_run CASES: prints "followup_rps p99 startup_s"
	SD="$W/scale-$1"
	$B/bisikd init --data "$SD" >/dev/null
	tok=$($B/bench/fill "$SD" "$1" 32)
	sp=$(port)
	t0=$(date +%s.%N)
	$B/bisikd serve --data "$SD" --listen "127.0.0.1:$sp" --config "$W/config.json" \
	    $(test "$(id -u)" != 0 || echo --allow-root) 2>>"$W/server.log" & PIDS="$PIDS $!"
	wait_up "http://127.0.0.1:$sp/api/v1/health"
	t1=$(date +%s.%N)
	set -- $(BISIK_TOKEN="$tok" wrk_run "$W/scale-$1.txt" -s bench/followup.lua \
	    "http://127.0.0.1:$sp/api/v1/followup")
	echo "$1 $2 $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
	kill $PIDS 2>/dev/null || true; wait 2>/dev/null || true; PIDS=""
	rm -rf "$SD"
}
set -- $(scale_run 1000); S1_RPS=$1; S1_P99=$2; S1_UP=$3
echo "filling $SCALE cases (this takes a few minutes)..." >&2
set -- $(scale_run "$SCALE"); SM_RPS=$1; SM_P99=$2; SM_UP=$3
printf '%-34s %12s %10s   start-up %ss\n' "follow-up at 1,000 cases" "$S1_RPS/s" "$S1_P99" "$S1_UP"
printf '%-34s %12s %10s   start-up %ss (target < 1 s)   %sx the rate at 1,000 (target >= 0.80x)\n' \
    "follow-up at $SCALE cases" "$SM_RPS/s" "$SM_P99" "$SM_UP" "$(ratio "$SM_RPS" "$S1_RPS")"

# Storage key rotation of 100,000 cases, killed midway and resumed.
echo
BISIK_BUILD=$B sh bench/rekey.sh

# Statistics, duplicates, publication and the recount at 100,000 cases.
echo
BISIK_BUILD=$B sh bench/transparency.sh
