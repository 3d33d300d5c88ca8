#!/bin/sh
# run.sh: `make bench`. Measures Bisik against this machine's own raw
# ceilings, measured in the same run with the same load, and prints a
# table per stage (figure, its p99, the ceiling and the ceiling's p99, the
# ratio, the target, the verdict), then the machine's raw limits and every
# verdict together. Loopback only; every run is bounded by BENCH_SECONDS.
#
# The ceilings:
# - keep-alive GET: bench/raw_mhd.c, a minimal libmicrohttpd handler
#   started like bisikd (server/http.c) and answering at the second
#   callback, so it keeps connections alive (checked with curl before
#   measuring: the run stops if it does not). It runs at several thread
#   counts and the best is the ceiling; bisikd runs at several `threads`
#   values; every server gets the same wrk load (-t, -c, keep-alive,
#   duration), round after round, so that the other load on the machine
#   falls on all of them alike.
# - durable commit: bench/raw_lmdb.c, one 2 KiB put per LMDB transaction
#   with the durability of bisikd's store (fsync per commit), in a
#   directory on the file system of bisikd's data directories.
# Each figure is run BENCH_RUNS times; the tables give the median, the
# range and the spread ((max - min) / min). A ratio to a ceiling whose own
# runs spread by more than SPREAD_MAX % has no verdict: it prints
# "unreliable" instead of met or NOT met.
#
# Quick by default (a few minutes). BENCH_FULL=1 adds the million-case
# figures (follow-up and start-up at 1,000,000 stored cases; rekey and the
# transparency figures at 100,000 cases), 10-second runs and more thread
# counts: by its parts' timings here, about 20 minutes on a quiet
# two-core machine and over an hour under load, most of it the fill. Other knobs: BENCH_SECONDS,
# BENCH_RUNS, BENCH_RAW_THREADS, BENCH_BISIK_THREADS, BENCH_WRK_THREADS,
# BENCH_CONNS, BENCH_IDLE_CONNS, BENCH_SCALE_CASES, BENCH_STAGES (a
# subset of the stage names below, e.g. BENCH_STAGES="get submit").
#
# Each stage is one function, stage_NAME, named in STAGES; it starts and
# stops its own servers, prints its own table and adds its verdicts to the
# summary with `verdict_row`.
set -eu
cd "$(dirname "$0")/.."

FULL=${BENCH_FULL:-0}
if [ "$FULL" = 1 ]; then
	DURATION=${BENCH_SECONDS:-10}
	RAW_THREADS=${BENCH_RAW_THREADS:-1 2 4 8 16 32}
	BISIK_THREADS=${BENCH_BISIK_THREADS:-1 2 4 8 16 32}
	SCALE=${BENCH_SCALE_CASES:-1000000}
	export REKEY_CASES=${REKEY_CASES:-100000}
	export BENCH_TRANSPARENCY_CASES=${BENCH_TRANSPARENCY_CASES:-100000}
else
	DURATION=${BENCH_SECONDS:-3}
	RAW_THREADS=${BENCH_RAW_THREADS:-1 2 4 8 16 32}
	BISIK_THREADS=${BENCH_BISIK_THREADS:-2 8 16 32}
	SCALE=${BENCH_SCALE_CASES:-10000}
	export REKEY_CASES=${REKEY_CASES:-10000}
	export BENCH_TRANSPARENCY_CASES=${BENCH_TRANSPARENCY_CASES:-10000}
fi
RUNS=${BENCH_RUNS:-3}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
CONNS=${BENCH_CONNS:-64}
IDLE_N=${BENCH_IDLE_CONNS:-1000}
# Seconds of submissions and of follow-ups before the memory is sampled:
# the heap grows with the load a server has seen, not only with its
# connections.
MEM_WARM=${BENCH_MEM_WARM_SECONDS:-10}
# The follow-up target of the scale stage applies at this many cases.
SCALE_TARGET_CASES=1000000
# A ceiling whose runs differ by more than this (percent) gives no verdict.
SPREAD_MAX=20
# Client-sealed submissions a second the bodies of one run are made for
# (bench/sealed_bodies.c; about 7.7 KiB and 0.1 ms of sealing each).
SEALED_RATE=${BENCH_SEALED_RATE:-8000}
STAGES=${BENCH_STAGES:-dedup redact get submit memory scale_small scale_large rekey transparency}

B=build
W=$(mktemp -d)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

die() { echo "bench: $*" >&2; exit 1; }
ALLOW_ROOT=""
[ "$(id -u)" != 0 ] || ALLOW_ROOT=--allow-root
START=$(date +%s)
STAGE_N=0
STAGE_OF=$(echo $STAGES | wc -w)
progress() {	# progress TITLE: the progress line of the next stage
	STAGE_N=$((STAGE_N + 1))
	el=$(( $(date +%s) - START ))
	printf 'bench: [%d/%d] %s (%d:%02d elapsed)\n' "$STAGE_N" "$STAGE_OF" \
	    "$1" $((el / 60)) $((el % 60)) >&2
	printf '\n== %s ==\n' "$1"
}

# ---- servers ------------------------------------------------------------
# port: a random loopback port that nothing listens on now (other test
# servers may share the machine; a server that answers on a taken port
# would be measured in place of ours)
port() {
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 ))
		rc=0
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" || rc=$?
		[ "$rc" != 7 ] || { echo "$p"; return 0; }	# 7: refused
	done
}
serve_up() {	# serve_up PID URL: 0 once URL answers, 1 if PID died or 10 s passed
	i=0
	while [ $i -lt 500 ]; do
		kill -0 "$1" 2>/dev/null || return 1
		curl -s -o /dev/null --max-time 1 "$2" && return 0
		sleep 0.02; i=$((i + 1))
	done
	return 1
}
stop_all() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	PIDS=""
}
start_raw() {	# start_raw THREADS: sets SRV_PID, SRV_PORT
	for try in 1 2 3 4 5; do	# a taken port: try another
		SRV_PORT=$(port)
		"$W/raw_mhd" "$SRV_PORT" "$1" 2>>"$W/raw.log" & SRV_PID=$!
		PIDS="$PIDS $SRV_PID"
		serve_up "$SRV_PID" "http://127.0.0.1:$SRV_PORT/" && return 0
	done
	die "the raw server did not start: $(tail -n 1 "$W/raw.log")"
}
start_bisik() {	# start_bisik DATA CONFIG: sets SRV_PID, SRV_PORT, SRV_URL
	for try in 1 2 3 4 5; do
		SRV_PORT=$(port)
		$B/bisikd serve --data "$1" --listen "127.0.0.1:$SRV_PORT" \
		    --config "$2" $ALLOW_ROOT 2>>"$W/server.log" & SRV_PID=$!
		PIDS="$PIDS $SRV_PID"
		SRV_URL=http://127.0.0.1:$SRV_PORT/api/v1
		serve_up "$SRV_PID" "$SRV_URL/health" && return 0
	done
	die "bisikd did not start: $(tail -n 2 "$W/server.log")"
}
config() {	# config FILE [THREADS]: proof of work off, errors only
	if [ -n "${2:-}" ]; then
		printf '{"pow_difficulty":0,"log_level":"error","threads":%s}\n' "$2"
	else
		printf '{"pow_difficulty":0,"log_level":"error"}\n'
	fi > "$1"
}
escrow_ready=0
bisik_init() {	# bisik_init DATA: a data directory with an escrow key
	$B/bisikd init --data "$1" >/dev/null
	if [ $escrow_ready = 0 ]; then
		printf 'bench passphrase 0123456789\n' > "$W/pass"
		$B/bisik keygen --out "$W/admin.key" --passphrase-file "$W/pass" >/dev/null
		$B/bisik escrow ceremony --threshold 1 --admin "$W/admin.key.pub" \
		    --out-dir "$W/escrow" >/dev/null
		$B/bisik escrow sign --escrow "$W/escrow/escrow.pub" \
		    --key "$W/admin.key" --passphrase-file "$W/pass" >/dev/null
		escrow_ready=1
	fi
	$B/bisikd escrow set --data "$1" --public-key "$W/escrow/escrow.pub" >/dev/null
}
submit_one() {	# submit_one URL: prints the token of a new report
	curl -s --max-time 10 -H 'Content-Type: application/json' \
	    --data '{"kind":"complaint","title":"Lampu jalan mati","body":"Lampu jalan di gang kami mati sejak sebulan lalu."}' \
	    "$1/reports" | jq -r .token
}
# keepalive URL [CURL_ARGS...]: two requests in one curl call share one
# TCP connection and no answer says "Connection: close".
keepalive() {
	url=$1; shift
	curl -sv --max-time 5 -o /dev/null -o /dev/null "$@" "$url" "$url" \
	    2>"$W/keepalive.txt" || return 1
	[ "$(grep -c '^\* Connected to' "$W/keepalive.txt")" = 1 ] &&
	    grep -q '^\* Re-using existing connection' "$W/keepalive.txt" &&
	    ! grep -qi '^< connection: *close' "$W/keepalive.txt"
}

# ---- measuring ----------------------------------------------------------
# wrk_run OUT ARGS...: appends "req/s p99_ms non2xx socket_errors" to OUT
# (wrk's own output goes to OUT.txt)
wrk_run() {
	out=$1; shift
	wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WRK_SECONDS:-$DURATION}s" --timeout 5s --latency \
	    "$@" > "$out.txt" 2>&1 || true
	awk '
	/^Requests\/sec:/ { rps = $2 }
	$1 == "99%" { v = $2
		if (v ~ /us$/) { sub("us", "", v); v = v / 1000 }
		else if (v ~ /ms$/) sub("ms", "", v)
		else if (v ~ /m$/) { sub("m", "", v); v = v * 60000 }
		else if (v ~ /s$/) { sub("s", "", v); v = v * 1000 }
		p99 = v }
	/Non-2xx/ { bad = $5 }
	/Socket errors:/ { gsub(",", ""); err = $4 + $6 + $8 + $10 }
	END { printf "%s %s %d %d\n", rps == "" ? 0 : rps, p99 == "" ? 0 : p99, bad, err }
	' "$out.txt" >> "$out"
}
# stats FILE: "median min max spread_percent p99_median p99_min p99_max
# non2xx socket_errors" over the runs in FILE (lines of wrk_run or
# raw_lmdb: rate p99 [non2xx errors])
stats() {
	awk '
	function sort(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	}
	function med(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	{ n++; r[n] = $1 + 0; p[n] = $2 + 0; bad += $3; err += $4 }
	END {
		if (n == 0) { print "0 0 0 0 0 0 0 0 0"; exit }
		sort(r, n); sort(p, n)
		printf "%.1f %.1f %.1f %.1f %.2f %.2f %.2f %d %d\n", med(r, n),
		    r[1], r[n], (r[1] > 0 ? 100 * (r[n] - r[1]) / r[1] : 999),
		    med(p, n), p[1], p[n], bad, err
	}' "$1"
}
# Number formatting: 12345.6 -> 12,346
AWK_FMT='function commas(x,   s, r) { s = sprintf("%.0f", x); r = ""
	while (length(s) > 3) { r = "," substr(s, length(s) - 2) r
		s = substr(s, 1, length(s) - 3) }
	return s r }'
num() { awk -v x="$1" "$AWK_FMT"' BEGIN { print commas(x) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# judge RATIO TARGET P99 P99_TARGET CEILING_SPREAD: met, NOT met or unreliable
judge() {
	awk -v r="$1" -v t="$2" -v p="$3" -v pt="$4" -v s="$5" -v smax="$SPREAD_MAX" 'BEGIN {
		if (r == "n/a") print "n/a"
		else if (s > smax) printf "unreliable: ceiling spread %.0f %%\n", s
		else print ((r >= t && p <= pt) ? "met" : "NOT met") }'
}
# detail_row NAME THREADS STATS: one line of a sweep table
detail_head() {
	printf '%-22s %7s %12s %20s %7s %22s %s\n' "server" "threads" "req/s median" \
	    "runs min-max" "spread" "p99 ms median (range)" "errors"
}
detail_row() {
	name=$1; thr=$2; shift 2
	set -- $*
	awk -v n="$name" -v t="$thr" -v m="$1" -v lo="$2" -v hi="$3" -v s="$4" \
	    -v pm="$5" -v plo="$6" -v phi="$7" -v bad="$8" -v err="$9" "$AWK_FMT"' BEGIN {
		e = ""; if (bad > 0) e = bad " non-2xx"; if (err > 0) e = e (e == "" ? "" : ", ") err " socket"
		printf "%-22s %7s %12s %20s %6.0f%% %22s %s\n", n, t, commas(m),
		    commas(lo) "-" commas(hi), s, sprintf("%.2f (%.2f-%.2f)", pm, plo, phi),
		    e == "" ? "-" : e }'
}
# The verdict table: one format for every stage and for the summary.
VERDICT_FMT='%-36s %-12s %-8s %-46s %-8s %-6s %-24s %s\n'
verdict_head() {
	printf "$VERDICT_FMT" "figure" "measured" "p99 ms" "ceiling (median, range, spread)" \
	    "ceil p99" "ratio" "target" "verdict"
}
# verdict_row FIGURE MEASURED P99 CEILING CEIL_P99 RATIO TARGET VERDICT:
# prints the row and keeps it for the summary
verdict_row() {
	printf "$VERDICT_FMT" "$@" | tee -a "$W/summary"
}
# best PREFIX THREADS...: the thread count whose runs have the best median
best() {
	pre=$1; shift
	bt=""; bm=-1
	for t in "$@"; do
		m=$(stats "$pre-$t" | cut -d' ' -f1)
		if awk -v a="$m" -v b="$bm" 'BEGIN { exit !(a > b) }'; then
			bt=$t; bm=$m
		fi
	done
	echo "$bt"
}
ceiling_text() {	# ceiling_text UNIT LABEL STATS
	u=$1; l=$2; shift 2
	set -- $*
	awk -v m="$1" -v lo="$2" -v hi="$3" -v s="$4" -v u="$u" -v l="$l" "$AWK_FMT"' BEGIN {
		printf "%s%s %s (%s-%s, %.0f%%)\n", commas(m), u, l, commas(lo), commas(hi), s }'
}

# ---- stages -------------------------------------------------------------

# Precision and recall of duplicate detection on labelled pairs: core/ as
# built by `make`; pairs made by bench/gen_dedup_pairs.py.
stage_dedup() {
	progress "duplicate detection: precision and recall"
	cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. $(pkg-config --cflags jansson) \
	    -o "$W/dedup" bench/dedup.c $B/obj/core/*.o -ljansson -lutf8proc
	"$W/dedup" bench/data/dedup_pairs.tsv
}

# The redaction filter on its labelled battery (tests/data/redact_battery.txt,
# the unit test's): recall on labelled values, controls kept, and its speed
# in CPU time beside the rest of core's work for a report (bench/redact.c).
stage_redact() {
	progress "redaction: recall, controls kept, speed"
	cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. $(pkg-config --cflags jansson) \
	    -o "$W/redact" bench/redact.c $B/obj/core/*.o -ljansson -lutf8proc
	"$W/redact" tests/data/redact_battery.txt
}

# Follow-up GET by token against the raw keep-alive GET ceiling.
stage_get() {
	progress "follow-up GET against the raw keep-alive GET ceiling"
	for t in $RAW_THREADS; do
		start_raw "$t"
		keepalive "http://127.0.0.1:$SRV_PORT/" ||
		    die "the raw server closes connections (curl -sv URL URL: $(grep -iE '^\* (connected|closing|re-using)|^< connection:' "$W/keepalive.txt" | tr -d '\r' | tr '\n' ';')): its figure would not be a keep-alive ceiling; refusing to run."
		eval "RAW_PORT_$t=$SRV_PORT"
		: > "$W/get-raw-$t"
	done
	for t in $BISIK_THREADS; do
		mkdir -p "$W/get-$t"
		bisik_init "$W/get-$t/data"
		config "$W/get-$t/config.json" "$t"
		start_bisik "$W/get-$t/data" "$W/get-$t/config.json"
		tok=$(submit_one "$SRV_URL")
		[ -n "$tok" ] && [ "$tok" != null ] || die "no token from bisikd"
		keepalive "$SRV_URL/followup" -H "Authorization: Bearer $tok" ||
		    echo "warning: bisikd ($t threads) closed a follow-up connection; its figure is not keep-alive"
		eval "FU_PORT_$t=$SRV_PORT FU_TOK_$t=$tok"
		: > "$W/get-bisik-$t"
	done
	r=1
	while [ $r -le "$RUNS" ]; do
		echo "bench:   round $r/$RUNS" >&2
		for t in $RAW_THREADS; do
			eval "p=\$RAW_PORT_$t"
			wrk_run "$W/get-raw-$t" "http://127.0.0.1:$p/"
		done
		for t in $BISIK_THREADS; do
			eval "p=\$FU_PORT_$t tok=\$FU_TOK_$t"
			BISIK_TOKEN=$tok wrk_run "$W/get-bisik-$t" -s bench/followup.lua \
			    "http://127.0.0.1:$p/api/v1/followup"
		done
		r=$((r + 1))
	done
	stop_all

	echo "load: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s keep-alive, $RUNS runs each, round after round"
	detail_head
	for t in $RAW_THREADS; do detail_row "raw libmicrohttpd GET" "$t" "$(stats "$W/get-raw-$t")"; done
	for t in $BISIK_THREADS; do detail_row "bisikd follow-up GET" "$t" "$(stats "$W/get-bisik-$t")"; done
	RAW_BEST=$(best "$W/get-raw" $RAW_THREADS)
	FU_BEST=$(best "$W/get-bisik" $BISIK_THREADS)
	set -- $(stats "$W/get-raw-$RAW_BEST"); RAW_GET=$1; RAW_GET_SPREAD=$4; RAW_GET_P99=$5
	RAW_GET_TEXT=$(ceiling_text /s "raw GET, $RAW_BEST thr" "$*")
	set -- $(stats "$W/get-bisik-$FU_BEST"); FU=$1; FU_P99=$5
	echo "best: raw server at $RAW_BEST threads; bisikd at threads=$FU_BEST"
	verdict_head
	R=$(ratio "$FU" "$RAW_GET")
	verdict_row "follow-up GET (bisikd, $FU_BEST thr)" "$(num "$FU")/s" "$FU_P99" \
	    "$RAW_GET_TEXT" "$RAW_GET_P99" "${R}x" ">= 0.50x, p99 <= 10 ms" \
	    "$(judge "$R" 0.5 "$FU_P99" 10 "$RAW_GET_SPREAD")"
	for t in $BISIK_THREADS; do
		[ "$t" != "$FU_BEST" ] || continue
		set -- $(stats "$W/get-bisik-$t")
		R=$(ratio "$1" "$RAW_GET")
		verdict_row "follow-up GET (bisikd, $t thr)" "$(num "$1")/s" "$5" \
		    "$RAW_GET_TEXT" "$RAW_GET_P99" "${R}x" ">= 0.50x, p99 <= 10 ms" \
		    "$(judge "$R" 0.5 "$5" 10 "$RAW_GET_SPREAD")"
	done
}

# Durable submissions (2 KiB with an identity sealed to the escrow key)
# against single-put durable LMDB commits: the server seals the identity
# (submit.lua) at each thread count; and, at bisikd's default threads, the
# client sealed it, as `bisik submit` and the JavaScript page do
# (submit_sealed.lua, bodies made before each run by sealed_bodies.c, one
# fresh sealed identity each, enough for SEALED_RATE submissions a second).
stage_submit() {
	progress "durable submission against the raw durable commit ceiling"
	: > "$W/commit-raw"
	mkdir -p "$W/sub-sealed"
	bisik_init "$W/sub-sealed/data"
	config "$W/sub-sealed/config.json"
	start_bisik "$W/sub-sealed/data" "$W/sub-sealed/config.json"
	SEALED_PORT=$SRV_PORT
	SEALED_KEY=$(curl -s --max-time 10 "$SRV_URL/keys" | jq -r .escrow_key)
	: > "$W/sub-client-sealed"
	for t in $BISIK_THREADS; do
		mkdir -p "$W/sub-$t"
		bisik_init "$W/sub-$t/data"
		config "$W/sub-$t/config.json" "$t"
		start_bisik "$W/sub-$t/data" "$W/sub-$t/config.json"
		eval "SUB_PORT_$t=$SRV_PORT"
		: > "$W/sub-bisik-$t"
	done
	r=1
	while [ $r -le "$RUNS" ]; do
		echo "bench:   round $r/$RUNS" >&2
		mkdir "$W/lmdb-$r"
		"$W/raw_lmdb" "$W/lmdb-$r" "$DURATION" >> "$W/commit-raw" ||
		    die "raw_lmdb failed"
		rm -rf "$W/lmdb-$r"
		for t in $BISIK_THREADS; do
			eval "p=\$SUB_PORT_$t"
			wrk_run "$W/sub-bisik-$t" -s bench/submit.lua \
			    "http://127.0.0.1:$p/api/v1/reports"
		done
		$B/bench/sealed_bodies "$SEALED_KEY" \
		    $((SEALED_RATE * (${WRK_SECONDS:-$DURATION} + 1))) \
		    "$W/sealed-bodies" || die "sealed_bodies failed"
		BENCH_SEALED_BODIES=$W/sealed-bodies wrk_run "$W/sub-client-sealed" \
		    -s bench/submit_sealed.lua "http://127.0.0.1:$SEALED_PORT/api/v1/reports"
		rm -f "$W/sealed-bodies"
		r=$((r + 1))
	done
	stop_all
	echo "load: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s keep-alive, $RUNS runs each; raw commits: one writer, ${DURATION}s a run"
	detail_head
	detail_row "raw LMDB commit" 1 "$(stats "$W/commit-raw")"
	for t in $BISIK_THREADS; do detail_row "bisikd submission" "$t" "$(stats "$W/sub-bisik-$t")"; done
	detail_row "bisikd client-sealed" default "$(stats "$W/sub-client-sealed")"
	SUB_BEST=$(best "$W/sub-bisik" $BISIK_THREADS)
	set -- $(stats "$W/commit-raw"); RAW_COMMIT=$1; RAW_COMMIT_SPREAD=$4; RAW_COMMIT_P99=$5
	RAW_COMMIT_TEXT=$(ceiling_text /s "raw commit" "$*")
	echo "best: bisikd at threads=$SUB_BEST"
	verdict_head
	shown=0
	for t in $SUB_BEST $BISIK_THREADS; do
		# the best first, then the others
		[ "$t" != "$SUB_BEST" ] || [ "$shown" = 0 ] || continue
		shown=1
		set -- $(stats "$W/sub-bisik-$t")
		R=$(ratio "$1" "$RAW_COMMIT")
		verdict_row "durable submission (bisikd, $t thr)" "$(num "$1")/s" "$5" \
		    "$RAW_COMMIT_TEXT" "$RAW_COMMIT_P99" "${R}x" ">= 2.0x, p99 <= 50 ms" \
		    "$(judge "$R" 2.0 "$5" 50 "$RAW_COMMIT_SPREAD")"
		[ "$8" = 0 ] || echo "warning: $8 submissions were not 2xx"
	done
	# Both figures, never one for the other: the server-sealed rows
	# above, the client-sealed one here.
	set -- $(stats "$W/sub-client-sealed")
	R=$(ratio "$1" "$RAW_COMMIT")
	verdict_row "client-sealed submission (default)" "$(num "$1")/s" "$5" \
	    "$RAW_COMMIT_TEXT" "$RAW_COMMIT_P99" "${R}x" ">= 2.0x, p99 <= 50 ms" \
	    "$(judge "$R" 2.0 "$5" 50 "$RAW_COMMIT_SPREAD")"
	[ "$8" = 0 ] || echo "warning: $8 client-sealed submissions were not 2xx (past the bodies made: raise BENCH_SEALED_RATE)"
}

# Resident memory of bisikd (default threads) holding IDLE_N idle
# connections, after a short load of submissions and follow-ups.
stage_memory() {
	progress "resident memory with $(num "$IDLE_N") idle connections"
	cc -O2 -o "$W/idle_conns" bench/idle_conns.c
	bisik_init "$W/mem"
	config "$W/mem.json"
	start_bisik "$W/mem" "$W/mem.json"
	tok=$(submit_one "$SRV_URL")
	WRK_SECONDS=$MEM_WARM
	wrk_run "$W/mem-warm" -s bench/submit.lua "$SRV_URL/reports"
	BISIK_TOKEN=$tok wrk_run "$W/mem-warm" -s bench/followup.lua "$SRV_URL/followup"
	WRK_SECONDS=""
	"$W/idle_conns" "$SRV_PORT" "$IDLE_N" 8 > "$W/idle.txt" & IDLE_PID=$!
	# The slow-client guard sheds idle connections after 2 s once half
	# of the slots are taken: sample before that, keep the largest.
	: > "$W/mem-samples"
	for s in 1 2 3; do
		sleep 0.5
		# Rss of each mapping, by file (anonymous ones as [anon]),
		# to tell the LMDB map (data.mdb) from the libraries.
		awk '
		/^[0-9a-f]+-[0-9a-f]+ / { f = NF >= 6 ? $NF : "[anon]" }
		/^Rss:/ { r[f] += $2 }
		END { for (f in r) print r[f], f }' "/proc/$SRV_PID/smaps" |
		    sort -rn > "$W/mem-maps-$s"
		awk -v fds="$(ls "/proc/$SRV_PID/fd" | wc -l)" \
		    -v mdb="$(awk '$2 ~ /\/data\.mdb$/ { k += $1 } END { print k + 0 }' "$W/mem-maps-$s")" \
		    -v s="$s" '
		/^VmRSS:/ { rss = $2 } /^RssAnon:/ { an = $2 }
		/^RssFile:/ { fi = $2 } /^RssShmem:/ { sh = $2 }
		END { print rss, an, fi, sh, fds, mdb, s }' "/proc/$SRV_PID/status" >> "$W/mem-samples"
	done
	MEM_DATA_KB=$(( $(stat -c %s "$W/mem/data.mdb") / 1024 ))
	T_HEALTH=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 "$SRV_URL/health" || echo fail)
	wait $IDLE_PID 2>/dev/null || true
	stop_all
	set -- $(sort -n -k1,1 "$W/mem-samples" | tail -n 1)
	MEM_RSS_KB=$1
	MEM_RSS=$(( $1 / 1024 ))
	echo "bisikd (threads: default) after ${MEM_WARM}s of submissions and ${MEM_WARM}s of follow-ups; $(cat "$W/idle.txt") idle connections opened, $5 descriptors open in bisikd at the sample"
	printf '  VmRSS %d MiB = RssAnon %d MiB (private heap and stacks) + RssFile %d MiB (libraries, LMDB pages) + RssShmem %d MiB; /health meanwhile %ss\n' \
	    "$MEM_RSS" $(( $2 / 1024 )) $(( $3 / 1024 )) $(( $4 / 1024 )) "$T_HEALTH"
	printf '  of RssFile, the LMDB map: %d KiB of a %d MiB data.mdb; the largest mappings (KiB):\n' \
	    "$6" $(( MEM_DATA_KB / 1024 ))
	head -n 6 "$W/mem-maps-$7" | sed 's/^/    /'
	verdict_head
	verdict_row "resident memory, $(num "$IDLE_N") idle conns" "$MEM_RSS MiB" "-" \
	    "-" "-" "-" "<= 64 MiB total RSS" \
	    "$( [ "$MEM_RSS_KB" -le $((64 * 1024)) ] && echo met || echo "NOT met")"
}

# scale_run CASES: follow-up RUNS times and start-up on a data directory
# filled with CASES reports through the real submission handler without
# HTTP (build/bench/fill); leaves the runs in $W/scale-CASES and the
# start-up seconds in SCALE_UP.
scale_run() {
	sd=$W/scale-$1.d
	$B/bisikd init --data "$sd" >/dev/null
	echo "bench:   filling $(num "$1") cases" >&2
	tok=$($B/bench/fill "$sd" "$1" 32)
	config "$W/scale.json"
	t0=$(date +%s.%N)
	start_bisik "$sd" "$W/scale.json"
	t1=$(date +%s.%N)
	SCALE_UP=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	: > "$W/scale-$1"
	r=1
	while [ $r -le "$RUNS" ]; do
		BISIK_TOKEN=$tok wrk_run "$W/scale-$1" -s bench/followup.lua "$SRV_URL/followup"
		r=$((r + 1))
	done
	stop_all
	rm -rf "$sd"
}

stage_scale_small() {
	progress "follow-up and start-up at 1,000 cases"
	scale_run 1000
	set -- $(stats "$W/scale-1000"); S1=$1; S1_SPREAD=$4
	S1_TEXT=$(ceiling_text /s "at 1,000" "$*")
	detail_head
	detail_row "follow-up, 1,000 cases" default "$(stats "$W/scale-1000")"
	verdict_head
	verdict_row "start-up at 1,000 cases" "${SCALE_UP} s" "-" "-" "-" "-" "< 1 s" \
	    "$(awk -v s="$SCALE_UP" 'BEGIN { print (s < 1 ? "met" : "NOT met") }')"
}

stage_scale_large() {
	progress "follow-up and start-up at $(num "$SCALE") cases"
	scale_run "$SCALE"
	detail_head
	detail_row "follow-up, $(num "$SCALE") cases" default "$(stats "$W/scale-$SCALE")"
	set -- $(stats "$W/scale-$SCALE")
	R=$(ratio "$1" "${S1:-0}")
	if [ "$SCALE" -ge "$SCALE_TARGET_CASES" ]; then
		V=$(judge "$R" 0.8 0 1 "${S1_SPREAD:-0}")
		VU=$(awk -v s="$SCALE_UP" 'BEGIN { print (s < 1 ? "met" : "NOT met") }')
	else
		V="n/a: target at 1,000,000 (BENCH_FULL=1)"
		VU=$V
	fi
	verdict_head
	verdict_row "follow-up at $(num "$SCALE") cases" "$(num "$1")/s" "$5" \
	    "${S1_TEXT:-n/a (stage scale_small not run)}" "-" "${R}x" ">= 0.80x" "$V"
	verdict_row "start-up at $(num "$SCALE") cases" "${SCALE_UP} s" "-" "-" "-" "-" "< 1 s" "$VU"
}

# Storage key rotation, killed midway and resumed (bench/rekey.sh).
stage_rekey() {
	progress "storage key rotation at $(num "$REKEY_CASES") cases"
	BISIK_BUILD=$B sh bench/rekey.sh
}

# Statistics, duplicates, publication and the recount (bench/transparency.sh).
stage_transparency() {
	progress "transparency features at $(num "$BENCH_TRANSPARENCY_CASES") cases"
	BISIK_BUILD=$B sh bench/transparency.sh
}

# ---- the run ------------------------------------------------------------
for s in $STAGES; do
	command -v "stage_$s" >/dev/null 2>&1 || die "no stage \"$s\" (stages: dedup redact get submit memory scale_small scale_large rekey transparency)"
done
cc -O2 -o "$W/raw_mhd" bench/raw_mhd.c -lmicrohttpd -pthread
cc -O2 -o "$W/raw_lmdb" bench/raw_lmdb.c -llmdb
: > "$W/summary"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r), data on $(df -T "$W" | awk 'NR == 2 { print $2 }')"
echo "bench: $( [ "$FULL" = 1 ] && echo "full run (BENCH_FULL=1)" || echo "quick run (BENCH_FULL=1 for the million-case figures)"): $STAGE_OF stages" >&2
echo "machine: $MACHINE; load average $LOAD0"
for s in $STAGES; do
	"stage_$s"
done

el=$(( $(date +%s) - START ))
printf '\n== summary (%d:%02d) ==\n' $((el / 60)) $((el % 60))
echo "machine:    $MACHINE"
echo "load:       load average $LOAD0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (other work on the machine lowers every figure and widens the spread)"
echo "libraries:  libmicrohttpd $(pkg-config --modversion libmicrohttpd), LMDB $(pkg-config --modversion lmdb)"
[ -z "${RAW_GET:-}" ] || echo "raw limits: keep-alive GET $RAW_GET_TEXT, p99 $RAW_GET_P99 ms (threads tried: $RAW_THREADS)"
[ -z "${RAW_COMMIT:-}" ] || echo "            durable commit $RAW_COMMIT_TEXT, p99 $RAW_COMMIT_P99 ms a commit"
echo "load:       wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s keep-alive, $RUNS runs a figure; bisikd threads tried: $BISIK_THREADS"
verdict_head
cat "$W/summary"
echo "bench: done in $((el / 60)):$(printf '%02d' $((el % 60)))" >&2
