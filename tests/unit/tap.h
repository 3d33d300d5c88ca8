/*
 * tap.h: the smallest test harness that can fail. Each check prints
 * "ok - name" or "not ok - name (file:line)"; tap_done() prints the closing
 * "N passed, N failed" line and returns the exit status (1 if anything
 * failed). tests/run.sh adds up the "ok" and "not ok" lines.
 *
 * A unit test never skips (tests/run.sh would count "ok - name # SKIP
 * reason" as a skip, and accepts only the few it lists): what a check
 * needs is linked in or installed by scripts/deps.sh, so a missing tool
 * is a failing CHECK, never a check left out.
 */
#ifndef BISIK_TAP_H
#define BISIK_TAP_H

#include <stdio.h>

static int tap_pass, tap_fail;

#define CHECK(cond, name) do {						\
	if (cond) {							\
		tap_pass++;						\
		printf("ok - %s\n", (name));				\
	} else {							\
		tap_fail++;						\
		printf("not ok - %s (%s:%d)\n", (name), __FILE__, __LINE__); \
	}								\
	fflush(stdout);							\
} while (0)

static inline int
tap_done(void)
{
	printf("%d passed, %d failed\n", tap_pass, tap_fail);
	return tap_fail ? 1 : 0;
}

#endif
