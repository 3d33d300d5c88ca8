#!/bin/sh
# run.sh: every test of `make test`, in order: unit tests (release build),
# end-to-end tests (release build), the same under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), then a short run of each
# libFuzzer target over its corpus; tests/layers.py checks the layers and
# circles of calls of server/ in both builds. Ends with the line
# "N passed, N failed, N skipped"; exits 1 on any failure.
#
# The programs run BISIK_TEST_JOBS at a time (default 2): much of an
# end-to-end test is waiting (fsync, a server starting, a slow client), so
# two lanes on two cores finish in little more than half the time. Each
# program has its own temporary directory, data directory and free loopback
# port, so no two share anything. A lane takes the next program from one
# queue (longest first, so that the lanes end together); each result is
# printed whole, as one block, when its program ends.
#
# What a test program prints (tests/unit/tap.h, tests/e2e/lib.sh):
#   ok - NAME                    a check that passed
#   not ok - NAME: DETAIL        a check that failed
#   ok - NAME # SKIP REASON      a check that did not run, and why
# Anything else is commentary. A program that exits non-zero without a
# "not ok" line counts as one failure; so does a test program that was not
# built (every tests/unit/*_test.c and tests/fuzz/fuzz_*.c must be). A skip
# counts as neither passed nor failed, and is allowed only for the names in
# ALLOWED_SKIPS below, each explained in README.md ("Tests"); any other
# skip is a failure, so that no check can quietly stop running.
set -u
cd "$(dirname "$0")/.." || exit 1
LOG=${BISIK_TEST_LOG:-build/test-logs}
mkdir -p "$LOG"
PASS=0
FAIL=0
SKIP=0
# The fuzz smoke run of each target: libFuzzer first runs every input of
# tests/fuzz/corpus/TARGET once (the deterministic part: each past
# finding that was fixed lives there), then mutates them for this many
# seconds. The corpus replay is what `make test` relies on; the few
# seconds of mutation only catch a gross new crash (make fuzz runs each
# target for 10 minutes, with random seeds). The mutations start from a
# fixed seed, so a commit's smoke run tries the same inputs in the same
# order on every machine (a faster one gets further): a crash it finds
# in CI is found again here, instead of a random seed's find failing
# one run of an unchanged commit.
FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-3}
FUZZ_SMOKE_SEED=${FUZZ_SMOKE_SEED:-2026}

# One name a line, exactly as the test prints it before " # SKIP".
ALLOWED_SKIPS="as root without a service user: refused
privilege drop
key bytes in memory
bisikd's mapped data file"

# skip_allowed NAME: NAME is one of ALLOWED_SKIPS.
skip_allowed() {
	printf '%s\n' "$ALLOWED_SKIPS" | grep -qxF -- "$1"
}

run() {	# run NAME CMD...: runs one test program and adds up its lines
	name=$1; shift
	out="$LOG/$name.log"
	res="$out.result"
	mkdir -p "$(dirname "$out")"
	start=$(date +%s)
	"$@" > "$out" 2>&1
	rc=$?
	s=0
	grep '^ok - .* # SKIP' "$out" | sed 's/^ok - //; s/ # SKIP.*//' \
	    > "$out.skips"
	while IFS= read -r sk; do
		if skip_allowed "$sk"; then
			s=$((s + 1))
		else
			echo "not ok - unexplained skip (tests/run.sh, ALLOWED_SKIPS): $sk" >> "$out"
		fi
	done < "$out.skips"
	rm -f "$out.skips"
	p=$(grep '^ok - ' "$out" | grep -vc ' # SKIP')
	f=$(grep -c '^not ok - ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc" >> "$out"
		f=1
	fi
	PASS=$((PASS + p)); FAIL=$((FAIL + f)); SKIP=$((SKIP + s))
	{
		printf '%-40s %4d passed, %3d failed, %2d skipped  (%ds)\n' \
		    "$name" "$p" "$f" "$s" $(( $(date +%s) - start ))
		if [ "$f" -gt 0 ]; then
			grep '^not ok - ' "$out" | head -n 20 | sed 's/^/    /'
			echo "    (full output: $out)"
		fi
	} > "$res"
	# One write of a few lines: the other lane's block cannot cut in.
	cat "$res"
	rm -f "$res"
}

# missing NAME WHAT: a test program that should exist does not.
missing() {
	echo "not ok - $1: $2 was not built (make all unit; make MODE=asan all unit; make fuzz-build)"
	FAIL=$((FAIL + 1))
}

# ---- the queue --------------------------------------------------------------
# One job a line: "KIND MODE PATH". End-to-end tests first, the slowest of
# them first (the browser pass, the hostile operator, faults, disclosure),
# each under ASan before the release build; then unit tests; the fuzz
# smoke runs (FUZZ_SMOKE_SECONDS each) last, as short even-sized jobs.
QUEUE=$(mktemp "${TMPDIR:-/tmp}/bisik-queue.XXXXXX") || exit 1
LANES=$(mktemp -d "${TMPDIR:-/tmp}/bisik-lanes.XXXXXX") || exit 1
trap 'rm -rf "$QUEUE" "$QUEUE.lock" "$LANES"' EXIT
SLOW='e2e_browser e2e_hostile_escrow e2e_hostile_report e2e_faults
e2e_disclose e2e_dkg e2e_badinput e2e_crash e2e_media'
{
	for n in $SLOW; do
		[ -f "tests/e2e/$n.sh" ] || continue
		echo "e2e build-asan tests/e2e/$n.sh"
		echo "e2e build tests/e2e/$n.sh"
	done
	for t in tests/e2e/e2e_*.sh; do
		case " $(echo $SLOW) " in
		*" $(basename "$t" .sh) "*) continue ;;
		esac
		echo "e2e build-asan $t"
		echo "e2e build $t"
	done
	for mode in build-asan build; do
		echo "layers $mode tests/layers.py"
		for src in tests/unit/*_test.c; do
			echo "unit $mode $src"
		done
	done
	for src in tests/fuzz/fuzz_*.c; do
		echo "fuzz build-fuzz $src"
	done
} > "$QUEUE"

# job KIND MODE PATH: runs one line of the queue.
job() {
	case $1 in
	unit)
		t=$2/tests/$(basename "$3" .c)
		if [ ! -x "$t" ]; then
			missing "$2/$(basename "$t")" "$t"
			return
		fi
		run "$2/$(basename "$t")" "$t"
		;;
	e2e)
		run "$2/$(basename "$3" .sh)" env BISIK_BUILD="$2" sh "$3"
		;;
	layers)
		run "$2/layers" python3 "$3" "$2"
		;;
	fuzz)
		n=$(basename "$3" .c)
		f=build-fuzz/$n
		if [ ! -x "$f" ]; then
			missing "fuzz/$n" "$f"
			return
		fi
		corpus=$(mktemp -d)
		[ -d "tests/fuzz/corpus/$n" ] &&
		    cp -r "tests/fuzz/corpus/$n/." "$corpus/"
		run "fuzz/$n" fuzz_smoke "$f" "$corpus" "$n"
		rm -rf "$corpus"
		;;
	esac
}

# fuzz_smoke BINARY CORPUS NAME: the smoke run of one target. A crash's
# "not ok" line carries libFuzzer's summary and the input in base64 (when
# libFuzzer prints it, for inputs of a few KiB), which is all of it that
# CI's output keeps; libFuzzer's whole output and the input itself
# (crash-*) are left in $LOG/fuzz/NAME.fuzzer/.
fuzz_smoke() {
	_fo="$LOG/fuzz/$3.fuzzer"
	mkdir -p "$_fo"
	if "$1" -max_total_time="$FUZZ_SMOKE_SECONDS" -seed="$FUZZ_SMOKE_SEED" \
	    -max_len=65536 -print_final_stats=0 -artifact_prefix="$_fo/" \
	    "$2" > "$_fo/output" 2>&1; then
		echo "ok - $3 ran ${FUZZ_SMOKE_SECONDS}s without a crash"
		rm -rf "$_fo"
		return 0
	fi
	echo "not ok - $3 found a crash: $(grep -m 1 '^SUMMARY' "$_fo/output")" \
	    "input (base64): $(grep -m 1 '^Base64: ' "$_fo/output" |
	    cut -c 9-4008) (output and input: $_fo)"
	return 1
}

# next: prints and removes the queue's first line (empty when done).
next() {
	flock "$QUEUE.lock" sh -c 'head -n 1 "$1"; sed -i 1d "$1"' _ "$QUEUE"
}

# lane N: runs jobs until the queue is empty, then leaves its counts.
lane() {
	PASS=0; FAIL=0; SKIP=0
	while j=$(next) && [ -n "$j" ]; do
		# shellcheck disable=SC2086
		job $j
	done
	echo "$PASS $FAIL $SKIP" > "$LANES/$1"
}

JOBS=${BISIK_TEST_JOBS:-2}
case $JOBS in
''|*[!0-9]*|0) echo "BISIK_TEST_JOBS must be a whole number from 1" >&2; exit 2 ;;
esac
i=1
while [ "$i" -le "$JOBS" ]; do
	lane "$i" &
	i=$((i + 1))
done
wait
PASS=0; FAIL=0; SKIP=0
i=1
while [ "$i" -le "$JOBS" ]; do
	if [ -f "$LANES/$i" ]; then
		read -r p f s < "$LANES/$i"
		PASS=$((PASS + p)); FAIL=$((FAIL + f)); SKIP=$((SKIP + s))
	else
		echo "not ok - test lane $i ended without its counts"
		FAIL=$((FAIL + 1))
	fi
	i=$((i + 1))
done

echo "$PASS passed, $FAIL failed, $SKIP skipped"
# A run that counted nothing is broken, not green.
[ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]
