#!/bin/sh
# run.sh: every test of `make test`, in order: unit tests (release build),
# end-to-end tests (release build), the same under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), then a short run of each
# libFuzzer target over its corpus. Every test program prints "ok - …" and
# "not ok - …" lines; a program that dies without saying so counts as one
# failure. Ends with the line "N passed, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 1
LOG=${BISIK_TEST_LOG:-build/test-logs}
mkdir -p "$LOG"
PASS=0
FAIL=0
FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-10}

run() {	# run NAME CMD...: runs one test program and adds up its lines
	name=$1; shift
	out="$LOG/$name.log"
	mkdir -p "$(dirname "$out")"
	start=$(date +%s)
	"$@" > "$out" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc" >> "$out"
		f=1
	fi
	PASS=$((PASS + p)); FAIL=$((FAIL + f))
	printf '%-40s %4d passed, %3d failed  (%ds)\n' "$name" "$p" "$f" \
	    $(( $(date +%s) - start ))
	if [ "$f" -gt 0 ]; then
		grep '^not ok - ' "$out" | head -n 20 | sed 's/^/    /'
		echo "    (full output: $out)"
	fi
}

for mode in build build-asan; do
	for t in "$mode"/tests/*_test; do
		[ -x "$t" ] || continue
		run "$mode/$(basename "$t")" "$t"
	done
	for t in tests/e2e/e2e_*.sh; do
		[ -f "$t" ] || continue
		run "$mode/$(basename "$t" .sh)" env BISIK_BUILD="$mode" sh "$t"
	done
done

for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f")
	corpus=$(mktemp -d)
	[ -d "tests/fuzz/corpus/$n" ] && cp -r "tests/fuzz/corpus/$n/." "$corpus/"
	run "fuzz/$n" sh -c "'$f' -max_total_time=$FUZZ_SMOKE_SECONDS \
	    -max_len=65536 -print_final_stats=0 '$corpus' >/dev/null 2>&1 && \
	    echo 'ok - $n ran ${FUZZ_SMOKE_SECONDS}s without a crash' || \
	    { echo 'not ok - $n found a crash'; exit 1; }"
	rm -rf "$corpus"
done

echo "$PASS passed, $FAIL failed"
# A run that counted nothing is broken, not green.
[ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]
