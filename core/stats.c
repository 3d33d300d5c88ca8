/*
 * stats.c: the rules of Bisik's statistics, with no storage.
 *
 * A case counts in the statistics through a short list of items
 * (core_stat_items) computed from its record alone: its status, for each
 * stage deadline whether it was met or late, the whole days it took to be
 * dispositioned and resolved, its rating, whether it is overdue now. The
 * server keeps one counter per (submission month, agency, category, item)
 * and, whenever a case record changes, adds the new case's items and
 * takes away the old ones in the same transaction; a recount from the
 * records (bisikd stats rebuild) must then give the same counters. For
 * that the items must depend on the record only, never on the clock: a
 * deadline that passes while nothing happens becomes "late" when the
 * server's deadline watch writes the passed due time into the record
 * ("missed"), and core_stat_watch names the deadlines still to watch.
 *
 * A merged case counts only as merged: its complaint is the surviving
 * case's, which keeps counting once.
 *
 * Also here: the period syntax of reports and statistics (YYYY, YYYY-MM,
 * YYYY-Qn, in months of Western Indonesia Time), medians from day
 * histograms, and the suppression of small cells (core_suppress).
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"

static const char *const stage_names[CORE_STAGE_MAX] = {
	"dispose", "accept", "respond", "resolve",
};

const char *
core_stage_name(enum core_stage s)
{
	return (unsigned)s < CORE_STAGE_MAX ? stage_names[s] : NULL;
}

void
core_case_facts_init(struct core_case_facts *f)
{
	int i;

	memset(f, 0, sizeof(*f));
	f->status = -1;
	f->created_at = f->disposed_at = f->accepted_at = f->responded_at =
	    f->resolved_at = f->rejected_at = -1;
	for (i = 0; i < CORE_STAGE_MAX; i++)
		f->due[i] = f->missed[i] = -1;
}

static int
routed(int st)
{
	return st == CORE_ST_DISPOSITIONED || st == CORE_ST_IN_PROGRESS ||
	    st == CORE_ST_RESOLVED || st == CORE_ST_CLOSED;
}

static int
open_status(int st)
{
	return st == CORE_ST_SUBMITTED || st == CORE_ST_DISPOSITIONED ||
	    st == CORE_ST_IN_PROGRESS;
}

/*
 * Where a stage stands: 0 it does not apply, 1 done at *done, 2 pending.
 * Only the record's current deadlines count: a return to the central
 * admins or a reopening starts a stage afresh, and the record keeps the
 * new deadline only.
 */
static int
stage_state(const struct core_case_facts *f, int stage, int64_t *done)
{
	int st = f->status;

	if (f->due[stage] < 0)
		return 0;
	switch (stage) {
	case CORE_STAGE_DISPOSE:
		if (st == CORE_ST_SUBMITTED)
			return 2;
		*done = st == CORE_ST_REJECTED ? f->rejected_at : f->disposed_at;
		break;
	case CORE_STAGE_ACCEPT:
		if (!routed(st))
			return 0;
		if (st == CORE_ST_DISPOSITIONED)
			return 2;
		*done = f->accepted_at;
		break;
	case CORE_STAGE_RESPOND:
		if (!routed(st))
			return 0;
		if (f->responded_at < 0)
			return open_status(st) ? 2 : 0;
		*done = f->responded_at;
		break;
	default:
		if (st != CORE_ST_IN_PROGRESS && st != CORE_ST_RESOLVED &&
		    st != CORE_ST_CLOSED)
			return 0;
		if (st == CORE_ST_IN_PROGRESS)
			return 2;
		*done = f->resolved_at;
		break;
	}
	/* A record that says done without a time is counted nowhere. */
	return *done >= 0 ? 1 : 0;
}

static uint16_t
days_between(int64_t from, int64_t to)
{
	int64_t d = (to - from) / 86400;

	return (uint16_t)(d > CORE_STAT_DAYS_CAP ? CORE_STAT_DAYS_CAP : d);
}

size_t
core_stat_items(const struct core_case_facts *f,
    struct core_stat_item out[CORE_STAT_ITEMS_MAX])
{
	int64_t	done = -1;
	size_t	n = 0;
	int	s, state, overdue = 0;

	if (f->status < 0 || f->status >= CORE_ST_MAX)
		return 0;
	out[n].stat = CORE_STAT_STATUS;
	out[n++].arg = (uint16_t)f->status;
	if (f->status == CORE_ST_MERGED)
		return n;
	for (s = 0; s < CORE_STAGE_MAX; s++) {
		state = stage_state(f, s, &done);
		if (state == 0)
			continue;
		if (state == 2) {
			if (f->missed[s] == f->due[s]) {
				out[n].stat = CORE_STAT_LATE;
				out[n++].arg = (uint16_t)s;
				overdue = 1;
			}
			continue;
		}
		out[n].stat = done <= f->due[s] && f->missed[s] != f->due[s] ?
		    CORE_STAT_MET : CORE_STAT_LATE;
		out[n++].arg = (uint16_t)s;
	}
	if (routed(f->status) && f->disposed_at >= f->created_at &&
	    f->created_at >= 0) {
		out[n].stat = CORE_STAT_DAYS_DISPOSE;
		out[n++].arg = days_between(f->created_at, f->disposed_at);
	}
	if ((f->status == CORE_ST_RESOLVED || f->status == CORE_ST_CLOSED) &&
	    f->resolved_at >= f->created_at && f->created_at >= 0) {
		out[n].stat = CORE_STAT_DAYS_RESOLVE;
		out[n++].arg = days_between(f->created_at, f->resolved_at);
	}
	if (f->rating >= 1 && f->rating <= 5) {
		out[n].stat = CORE_STAT_RATING;
		out[n++].arg = (uint16_t)f->rating;
	}
	if (overdue && open_status(f->status)) {
		out[n].stat = CORE_STAT_OVERDUE;
		out[n++].arg = 0;
	}
	return n;
}

size_t
core_stat_watch(const struct core_case_facts *f, int stages[CORE_STAGE_MAX])
{
	int64_t	done;
	size_t	n = 0;
	int	s;

	if (f->status < 0 || f->status >= CORE_ST_MAX ||
	    f->status == CORE_ST_MERGED)
		return 0;
	for (s = 0; s < CORE_STAGE_MAX; s++)
		if (stage_state(f, s, &done) == 2 && f->missed[s] != f->due[s])
			stages[n++] = s;
	return n;
}

/* ---- months and periods -------------------------------------------------- */

int32_t
core_month_of(time_t t)
{
	time_t		wib = t + CORE_TZ_OFFSET;
	struct tm	tm;

	if (gmtime_r(&wib, &tm) == NULL)
		return 0;
	return (int32_t)(tm.tm_year + 1900) * 12 + tm.tm_mon;
}

time_t
core_month_start(int32_t month)
{
	char	date[32];
	int32_t	day;

	if (month < 0 || month / 12 > 9999)
		return (time_t)-1;
	snprintf(date, sizeof(date), "%04u-%02u-01", (unsigned)(month / 12),
	    (unsigned)(month % 12 + 1));
	if (core_date_parse(date, &day) == -1)
		return (time_t)-1;
	return (time_t)day * 86400 - CORE_TZ_OFFSET;
}

void
core_month_format(int32_t month, char out[8])
{
	unsigned y = month < 0 ? 0 : (unsigned)(month / 12) % 10000;
	unsigned m = month < 0 ? 1 : (unsigned)(month % 12) + 1;

	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
core_period_parse(const char *s, int32_t *first, int32_t *last)
{
	size_t	n;
	int	year, m;

	if (s == NULL || (n = strlen(s)) < 4 || !digits(s, 4))
		return -1;
	year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	if (year < CORE_PERIOD_YEAR_MIN || year > CORE_PERIOD_YEAR_MAX)
		return -1;
	if (n == 4) {
		*first = year * 12;
		*last = year * 12 + 11;
		return 0;
	}
	if (n == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' &&
	    s[6] <= '4') {
		*first = year * 12 + (s[6] - '1') * 3;
		*last = *first + 2;
		return 0;
	}
	if (n == 7 && s[4] == '-' && digits(s + 5, 2)) {
		m = (s[5] - '0') * 10 + (s[6] - '0');
		if (m < 1 || m > 12)
			return -1;
		*first = *last = year * 12 + m - 1;
		return 0;
	}
	return -1;
}

/* ---- medians ---------------------------------------------------------------- */

/* The value at 1-based rank r of a histogram. */
static size_t
rank_value(const uint64_t *counts, size_t n, uint64_t r)
{
	uint64_t	seen = 0;
	size_t		i;

	for (i = 0; i < n; i++) {
		seen += counts[i];
		if (seen >= r)
			return i;
	}
	return n - 1;
}

double
core_hist_median(const uint64_t *counts, size_t n)
{
	uint64_t	total = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		total += counts[i];
	if (total == 0)
		return -1;
	if (total % 2 == 1)
		return (double)rank_value(counts, n, (total + 1) / 2);
	return ((double)rank_value(counts, n, total / 2) +
	    (double)rank_value(counts, n, total / 2 + 1)) / 2;
}

/* ---- suppression ------------------------------------------------------------ */

void
core_suppress(const uint64_t *values, size_t ncells, const size_t *rel,
    size_t rellen, uint64_t threshold, uint8_t *suppressed)
{
	size_t	i, r, np, unknown, pick;
	int	changed;

	for (i = 0; i < ncells; i++)
		suppressed[i] = values[i] < threshold;
	do {
		changed = 0;
		for (r = 0; r + 1 < rellen; r += 2 + np) {
			np = rel[r + 1];
			if (r + 2 + np > rellen)
				break;	/* a malformed list ends here */
			unknown = suppressed[rel[r]] ? 1 : 0;
			for (i = 0; i < np; i++)
				unknown += suppressed[rel[r + 2 + i]];
			if (unknown != 1)
				continue;
			/* One unknown is the total minus the rest (or the sum
			 * of the parts): hide a second cell, the smallest
			 * part still shown, else the total. */
			pick = SIZE_MAX;
			for (i = 0; i < np; i++) {
				size_t c = rel[r + 2 + i];

				if (!suppressed[c] && (pick == SIZE_MAX ||
				    values[c] < values[pick]))
					pick = c;
			}
			if (pick == SIZE_MAX)
				pick = rel[r];
			if (!suppressed[pick]) {
				suppressed[pick] = 1;
				changed = 1;
			}
		}
	} while (changed);
}
