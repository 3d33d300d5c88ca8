/*
 * core_stats_test.c: the statistics rules of core/stats.c: what a case
 * counts as (status, deadlines met or late, durations, rating, overdue),
 * which deadlines the server must watch, the period syntax of reports,
 * months in Western Indonesia Time, medians of day histograms, and the
 * suppression of small and complementary cells.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "tests/unit/tap.h"

#define DAY	86400

static int
has(const struct core_stat_item *it, size_t n, int stat, int arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (it[i].stat == stat && it[i].arg == arg)
			return 1;
	return 0;
}

static int
period_is(const char *s, int32_t f, int32_t l)
{
	int32_t a = -5, b = -5;

	return core_period_parse(s, &a, &b) == 0 && a == f && b == l;
}

static int
period_bad(const char *s)
{
	int32_t a = -5, b = -5;

	return core_period_parse(s, &a, &b) == -1 && a == -5 && b == -5;
}

/* No relation may be left with exactly one suppressed member. */
static int
safe(const uint8_t *sup, const size_t *rel, size_t rellen)
{
	size_t r, i, np, u;

	for (r = 0; r < rellen; r += 2 + np) {
		np = rel[r + 1];
		u = sup[rel[r]];
		for (i = 0; i < np; i++)
			u += sup[rel[r + 2 + i]];
		if (u == 1)
			return 0;
	}
	return 1;
}

int
main(void)
{
	struct core_case_facts	f;
	struct core_stat_item	it[CORE_STAT_ITEMS_MAX];
	int			stages[CORE_STAGE_MAX];
	size_t			n;
	const int64_t		t0 = 1780000000;	/* 2026-05-28 */

	/* ---- items ---- */
	core_case_facts_init(&f);
	f.status = CORE_ST_SUBMITTED;
	f.created_at = t0;
	f.due[CORE_STAGE_DISPOSE] = t0 + 3 * DAY;
	n = core_stat_items(&f, it);
	CHECK(n == 1 && has(it, n, CORE_STAT_STATUS, CORE_ST_SUBMITTED),
	    "a new case counts by its status only");
	CHECK(core_stat_watch(&f, stages) == 1 &&
	    stages[0] == CORE_STAGE_DISPOSE, "its dispose deadline is watched");
	f.missed[CORE_STAGE_DISPOSE] = f.due[CORE_STAGE_DISPOSE];
	n = core_stat_items(&f, it);
	CHECK(has(it, n, CORE_STAT_LATE, CORE_STAGE_DISPOSE) &&
	    has(it, n, CORE_STAT_OVERDUE, 0),
	    "a pending deadline seen to pass counts late and overdue");
	CHECK(core_stat_watch(&f, stages) == 0, "and is no longer watched");
	/* A return sets a new deadline: the old miss no longer applies. */
	f.due[CORE_STAGE_DISPOSE] += 10 * DAY;
	n = core_stat_items(&f, it);
	CHECK(!has(it, n, CORE_STAT_LATE, CORE_STAGE_DISPOSE) &&
	    !has(it, n, CORE_STAT_OVERDUE, 0),
	    "a new deadline of the stage replaces the missed one");

	core_case_facts_init(&f);
	f.status = CORE_ST_CLOSED;
	f.created_at = t0;
	f.disposed_at = t0 + 2 * DAY + 5;
	f.accepted_at = t0 + 4 * DAY;
	f.responded_at = t0 + 20 * DAY;
	f.resolved_at = t0 + 20 * DAY;
	f.due[CORE_STAGE_DISPOSE] = t0 + 3 * DAY;
	f.due[CORE_STAGE_ACCEPT] = t0 + 5 * DAY;
	f.due[CORE_STAGE_RESPOND] = t0 + 7 * DAY;
	f.due[CORE_STAGE_RESOLVE] = t0 + 25 * DAY;
	f.rating = 4;
	n = core_stat_items(&f, it);
	CHECK(has(it, n, CORE_STAT_STATUS, CORE_ST_CLOSED) &&
	    has(it, n, CORE_STAT_MET, CORE_STAGE_DISPOSE) &&
	    has(it, n, CORE_STAT_MET, CORE_STAGE_ACCEPT) &&
	    has(it, n, CORE_STAT_LATE, CORE_STAGE_RESPOND) &&
	    has(it, n, CORE_STAT_MET, CORE_STAGE_RESOLVE),
	    "a closed case: each deadline met or late by its time");
	CHECK(has(it, n, CORE_STAT_DAYS_DISPOSE, 2) &&
	    has(it, n, CORE_STAT_DAYS_RESOLVE, 20) &&
	    has(it, n, CORE_STAT_RATING, 4) && !has(it, n, CORE_STAT_OVERDUE, 0),
	    "durations in whole days, the rating, not overdue");
	CHECK(core_stat_watch(&f, stages) == 0, "a closed case is not watched");
	f.resolved_at = t0 + 4000 * (int64_t)DAY;
	n = core_stat_items(&f, it);
	CHECK(has(it, n, CORE_STAT_DAYS_RESOLVE, CORE_STAT_DAYS_CAP),
	    "durations are capped");

	f.status = CORE_ST_MERGED;
	n = core_stat_items(&f, it);
	CHECK(n == 1 && has(it, n, CORE_STAT_STATUS, CORE_ST_MERGED),
	    "a merged case counts only as merged (no double count)");
	CHECK(core_stat_watch(&f, stages) == 0, "a merged case is not watched");

	core_case_facts_init(&f);
	f.status = CORE_ST_REJECTED;
	f.created_at = t0;
	f.rejected_at = t0 + DAY;
	f.due[CORE_STAGE_DISPOSE] = t0 + 3 * DAY;
	n = core_stat_items(&f, it);
	CHECK(has(it, n, CORE_STAT_MET, CORE_STAGE_DISPOSE) && n == 2,
	    "a rejection in time meets the dispose deadline");

	core_case_facts_init(&f);
	f.status = CORE_ST_IN_PROGRESS;
	f.created_at = t0;
	f.disposed_at = t0 + DAY;
	f.accepted_at = t0 + 2 * DAY;
	f.due[CORE_STAGE_DISPOSE] = t0 + 3 * DAY;
	f.due[CORE_STAGE_ACCEPT] = t0 + 4 * DAY;
	f.due[CORE_STAGE_RESPOND] = t0 + 6 * DAY;
	f.due[CORE_STAGE_RESOLVE] = t0 + 20 * DAY;
	n = core_stat_watch(&f, stages);
	CHECK(n == 2 && stages[0] == CORE_STAGE_RESPOND &&
	    stages[1] == CORE_STAGE_RESOLVE,
	    "in progress: the answer and the resolution are watched");
	f.status = -1;
	CHECK(core_stat_items(&f, it) == 0, "an unknown status counts nothing");

	/* ---- periods ---- */
	CHECK(period_is("2026-Q3", 2026 * 12 + 6, 2026 * 12 + 8),
	    "period 2026-Q3 is July to September");
	CHECK(period_is("2026-Q1", 2026 * 12, 2026 * 12 + 2), "period 2026-Q1");
	CHECK(period_is("2026-07", 2026 * 12 + 6, 2026 * 12 + 6),
	    "period 2026-07 is one month");
	CHECK(period_is("2026-12", 2026 * 12 + 11, 2026 * 12 + 11),
	    "period 2026-12");
	CHECK(period_is("2026", 2026 * 12, 2026 * 12 + 11),
	    "period 2026 is the year");
	CHECK(period_bad("2026-Q5") && period_bad("2026-Q0") &&
	    period_bad("2026-q1") && period_bad("2026-13") &&
	    period_bad("2026-00") && period_bad("2026-7") &&
	    period_bad("26-07") && period_bad("2026-07-01") &&
	    period_bad("") && period_bad("1999-01") && period_bad("2026-Q") &&
	    period_bad(" 2026") && period_bad("2026 ") && period_bad("２０２６") &&
	    period_bad(NULL), "malformed periods are refused");

	/* ---- months in WIB ---- */
	CHECK(core_month_of(1782838800 - 1) == 2026 * 12 + 5 &&
	    core_month_of(1782838800) == 2026 * 12 + 6,
	    "July 2026 starts at 2026-06-30T17:00:00Z (00:00 WIB)");
	CHECK(core_month_start(2026 * 12 + 6) == 1782838800,
	    "the start of a month is 00:00 WIB of its first day");
	{
		char m[8];

		core_month_format(2026 * 12 + 6, m);
		CHECK(strcmp(m, "2026-07") == 0, "months format as YYYY-MM");
	}

	/* ---- medians ---- */
	{
		uint64_t h1[5] = { 0, 1, 0, 0, 0 };
		uint64_t h2[5] = { 0, 1, 0, 1, 0 };
		uint64_t h3[5] = { 2, 0, 0, 0, 1 };
		uint64_t h4[5] = { 0 };

		CHECK(core_hist_median(h1, 5) == 1, "median of one value");
		CHECK(core_hist_median(h2, 5) == 2,
		    "median of an even count is the mean of the middle two");
		CHECK(core_hist_median(h3, 5) == 0, "median of 0, 0, 4 is 0");
		CHECK(core_hist_median(h4, 5) == -1, "median of nothing is -1");
	}

	/* ---- suppression ---- */
	{
		/* total 10 = 6 + 3 + 1 at threshold 3: 1 is small, and
		 * 10 - 6 - 3 would give it back: 3 goes too. */
		uint64_t v[4] = { 10, 6, 3, 1 };
		size_t	 rel[] = { 0, 3, 1, 2, 3 };
		uint8_t	 s[4];

		core_suppress(v, 4, rel, 5, 3, s);
		CHECK(!s[0] && !s[1] && s[2] && s[3],
		    "a small cell and the smallest other part are suppressed");
		CHECK(safe(s, rel, 5), "no relation gives a cell back");
	}
	{
		uint64_t v[3] = { 2, 1, 1 };
		size_t	 rel[] = { 0, 2, 1, 2 };
		uint8_t	 s[3];

		core_suppress(v, 3, rel, 4, 3, s);
		CHECK(s[0] && s[1] && s[2], "a small total hides all its parts");
	}
	{
		/* A zero is a count below the threshold too. */
		uint64_t v[3] = { 9, 9, 0 };
		size_t	 rel[] = { 0, 2, 1, 2 };
		uint8_t	 s[3];

		core_suppress(v, 3, rel, 4, 5, s);
		CHECK(!s[0] && s[1] && s[2],
		    "zero counts are suppressed and protected like others");
	}
	{
		/* One part only: the total equals it. */
		uint64_t v[2] = { 7, 7 };
		size_t	 rel[] = { 0, 1, 1 };
		uint8_t	 s[2];

		core_suppress(v, 2, rel, 3, 8, s);
		CHECK(s[0] && s[1], "a total of one part goes with it");
	}
	{
		/* A 2 x 3 table with row totals, column totals and a grand
		 * total: the second suppression of one relation may break
		 * another; the loop settles with every relation safe. */
		enum { A1, A2, A3, B1, B2, B3, RA, RB, C1, C2, C3, G, NC };
		uint64_t v[NC] = { 1, 8, 9, 7, 8, 9, 18, 24, 8, 16, 18, 42 };
		size_t	 rel[] = {
			RA, 3, A1, A2, A3,	RB, 3, B1, B2, B3,
			C1, 2, A1, B1,		C2, 2, A2, B2,
			C3, 2, A3, B3,		G, 2, RA, RB,
			G, 3, C1, C2, C3,
		};
		uint8_t	 s[NC];
		size_t	 i, nsup = 0;

		core_suppress(v, NC, rel, sizeof(rel) / sizeof(rel[0]), 3, s);
		for (i = 0; i < NC; i++)
			nsup += s[i];
		CHECK(s[A1] && safe(s, rel, sizeof(rel) / sizeof(rel[0])),
		    "a two-way table: every row and column relation is safe");
		CHECK(nsup >= 4 && !s[G], "and the grand total stays shown");
	}
	return tap_done();
}
