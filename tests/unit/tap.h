/*
 * tap.h: the smallest test harness that can fail. Each check prints
 * "ok - name" or "not ok - name (file:line)"; tap_done() prints the closing
 * "N passed, N failed" line that tests/run.sh adds up, and returns the exit
 * status (1 if anything failed).
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
