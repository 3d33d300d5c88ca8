#!/bin/sh
# run.sh: every test of `make test`, in order: unit tests (release build),
# end-to-end tests (release build), the same under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), then a short run of each
# libFuzzer target over its corpus. Ends with the line
# "N passed, N failed, N skipped"; exits 1 on any failure.
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
FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-10}

# One name a line, exactly as the test prints it before " # SKIP".
ALLOWED_SKIPS='as root without a service user: refused
privilege drop
key bytes in memory'

# skip_allowed NAME: NAME is one of ALLOWED_SKIPS.
skip_allowed() {
	printf '%s\n' "$ALLOWED_SKIPS" | grep -qxF -- "$1"
}

run() {	# run NAME CMD...: runs one test program and adds up its lines
	name=$1; shift
	out="$LOG/$name.log"
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
	printf '%-40s %4d passed, %3d failed, %2d skipped  (%ds)\n' "$name" \
	    "$p" "$f" "$s" $(( $(date +%s) - start ))
	if [ "$f" -gt 0 ]; then
		grep '^not ok - ' "$out" | head -n 20 | sed 's/^/    /'
		echo "    (full output: $out)"
	fi
}

# missing NAME WHAT: a test program that should exist does not.
missing() {
	echo "not ok - $1: $2 was not built (make all unit; make MODE=asan all unit; make fuzz-build)"
	FAIL=$((FAIL + 1))
}

for mode in build build-asan; do
	for src in tests/unit/*_test.c; do
		t=$mode/tests/$(basename "$src" .c)
		if [ ! -x "$t" ]; then
			missing "$mode/$(basename "$t")" "$t"
			continue
		fi
		run "$mode/$(basename "$t")" "$t"
	done
	for t in tests/e2e/e2e_*.sh; do
		run "$mode/$(basename "$t" .sh)" env BISIK_BUILD="$mode" sh "$t"
	done
done

for src in tests/fuzz/fuzz_*.c; do
	n=$(basename "$src" .c)
	f=build-fuzz/$n
	if [ ! -x "$f" ]; then
		missing "fuzz/$n" "$f"
		continue
	fi
	corpus=$(mktemp -d)
	[ -d "tests/fuzz/corpus/$n" ] && cp -r "tests/fuzz/corpus/$n/." "$corpus/"
	run "fuzz/$n" sh -c "'$f' -max_total_time=$FUZZ_SMOKE_SECONDS \
	    -max_len=65536 -print_final_stats=0 '$corpus' >/dev/null 2>&1 && \
	    echo 'ok - $n ran ${FUZZ_SMOKE_SECONDS}s without a crash' || \
	    { echo 'not ok - $n found a crash'; exit 1; }"
	rm -rf "$corpus"
done

echo "$PASS passed, $FAIL failed, $SKIP skipped"
# A run that counted nothing is broken, not green.
[ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]
