/*
 * calendar.c: calendar dates and the working-day deadlines.
 *
 * Deadlines are legal ones, counted on the calendar of Western Indonesia
 * Time whatever zone the server runs in, so nothing here uses the C
 * library's time zone machinery (timegm, localtime, TZ): dates are turned
 * into day numbers and back with plain proleptic Gregorian arithmetic.
 */
#include <string.h>

#include "core.h"

#define SECS_PER_DAY	86400
/* Only four-digit years are written or read. */
#define DATE_YEAR_MIN	1
#define DATE_YEAR_MAX	9999
/* 0001-01-01 and 9999-12-31 as days since 1970-01-01. */
#define DAY_MIN		(-719162)
#define DAY_MAX		2932896

/* Floor division: day numbers before 1970 are negative. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	 q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int	 days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

/*
 * Days since 1970-01-01 of a civil date. Years are counted from March so
 * that the leap day falls at the end of a year; a 400-year era has
 * exactly 146097 days, which makes the count a few multiplications.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = floor_div(y, 400);
	yoe = y - era * 400;				/* 0..399 */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* 0..365 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0..146096 */
	return era * 146097 + doe - 719468;	/* 719468: 0000-03-01 to 1970 */
}

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t	 era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, size_t n, int *v)
{
	size_t	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Parses exactly 10 bytes "YYYY-MM-DD". */
static int
date_parse_n(const char *s, int32_t *day)
{
	int	 y, m, d;

	if (digits(s, 4, &y) == -1 || s[4] != '-' ||
	    digits(s + 5, 2, &m) == -1 || s[7] != '-' ||
	    digits(s + 8, 2, &d) == -1)
		return -1;
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 ||
	    d < 1 || d > month_days(y, m))
		return -1;
	*day = (int32_t)days_from_civil(y, m, d);
	return 0;
}

int
core_date_parse(const char *s, int32_t *day)
{
	int32_t	 v;

	if (s == NULL || strlen(s) != 10 || date_parse_n(s, &v) == -1)
		return -1;
	if (day != NULL)
		*day = v;
	return 0;
}

void
core_date_format(int32_t day, char out[11])
{
	int64_t	 y;
	int	 m, d, i;

	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > DATE_YEAR_MAX) {
		(void)memcpy(out, "0000-00-00", 11);
		return;
	}
	for (i = 3; i >= 0; i--) {
		out[i] = (char)('0' + y % 10);
		y /= 10;
	}
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

void
core_calendar_init(struct core_calendar *cal)
{
	memset(cal, 0, sizeof(*cal));
}

/* Index of the first holiday >= day. */
static size_t
lower_bound(const struct core_calendar *cal, int32_t day)
{
	size_t	 lo = 0, hi = cal->ndays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
calendar_add_day(struct core_calendar *cal, int32_t day)
{
	size_t	 i;

	i = lower_bound(cal, day);
	if (i < cal->ndays && cal->days[i] == day)
		return 0;
	if (cal->ndays >= CORE_HOLIDAYS_MAX)
		return -1;
	memmove(&cal->days[i + 1], &cal->days[i],
	    (cal->ndays - i) * sizeof(cal->days[0]));
	cal->days[i] = day;
	cal->ndays++;
	return 0;
}

int
core_calendar_add(struct core_calendar *cal, const char *date)
{
	int32_t	 day;

	if (core_date_parse(date, &day) == -1)
		return -1;
	return calendar_add_day(cal, day);
}

/*
 * One line of the holiday CSV, without its line end. Returns 0 for a
 * line that adds nothing (blank, comment, header), 1 with *day set for a
 * holiday, -1 for anything else.
 */
static int
csv_line(const char *s, size_t n, int32_t *day)
{
	size_t	 i;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	for (i = 0; i < n; i++)
		if (s[i] == '\0')
			return -1;
	if (n == 0 || s[0] == '#')
		return 0;
	if (n >= 5 && memcmp(s, "date,", 5) == 0)
		return 0;
	/* "YYYY-MM-DD,type,name": a type and a name must follow. */
	if (n < 11 || s[10] != ',' || date_parse_n(s, day) == -1)
		return -1;
	for (i = 11; i < n && s[i] != ','; i++)
		;
	if (i == 11 || i >= n - 1)
		return -1;
	return 1;
}

int
core_calendar_load_csv(struct core_calendar *cal, const char *buf,
    size_t len, size_t *badline)
{
	struct core_calendar	 tmp;
	const char		*nl;
	size_t			 off = 0, n, line = 0;
	int32_t			 day;
	int			 rc;

	if (badline != NULL)
		*badline = 0;
	if (buf == NULL && len > 0)
		return -1;
	/* Work on a copy so that a bad file leaves *cal as it was. */
	tmp = *cal;
	while (off < len) {
		line++;
		nl = memchr(buf + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (buf + off)) : len - off;
		rc = csv_line(buf + off, n, &day);
		if (rc == -1 ||
		    (rc == 1 && calendar_add_day(&tmp, day) == -1)) {
			if (badline != NULL)
				*badline = line;
			return -1;
		}
		off += n + (nl != NULL);
	}
	*cal = tmp;
	return 0;
}

int
core_is_working_day(const struct core_calendar *cal, int32_t day)
{
	int64_t	 wd;
	size_t	 i;

	/* 1970-01-01 was a Thursday: with 0 = Sunday it is 4. */
	wd = floor_div((int64_t)day + 4, 7);
	wd = (int64_t)day + 4 - wd * 7;
	if (wd == 0 || wd == 6)
		return 0;
	if (cal == NULL)
		return 1;
	i = lower_bound(cal, day);
	return !(i < cal->ndays && cal->days[i] == day);
}

int
core_day_year(int32_t day)
{
	int64_t	 y;
	int	 m, d;

	civil_from_days(day, &y, &m, &d);
	return (int)y;
}

int
core_calendar_missing_year(const struct core_calendar *cal, int32_t today,
    int days)
{
	int64_t	 last;
	int	 y, y1;
	int32_t	 jan1, next;
	size_t	 i;

	if (days < 0)
		days = 0;
	last = (int64_t)today + days;
	if (today < DAY_MIN || last > DAY_MAX)
		return 0;	/* no four-digit year to name */
	y1 = core_day_year((int32_t)last);
	for (y = core_day_year(today); y <= y1; y++) {
		jan1 = (int32_t)days_from_civil(y, 1, 1);
		next = (int32_t)days_from_civil(y + 1, 1, 1);
		i = cal != NULL ? lower_bound(cal, jan1) : 0;
		if (cal == NULL || i == cal->ndays || cal->days[i] >= next)
			return y;
	}
	return 0;
}

time_t
core_add_working_days(const struct core_calendar *cal, time_t from,
    int days)
{
	int64_t	 day, sec;
	int	 counted = 0;

	if (days > CORE_WORKING_DAYS_MAX)
		days = CORE_WORKING_DAYS_MAX;
	/* Day and second apart first, so that no time overflows. */
	day = floor_div((int64_t)from, SECS_PER_DAY);
	if ((sec = (int64_t)from % SECS_PER_DAY) < 0)
		sec += SECS_PER_DAY;
	if (sec + CORE_TZ_OFFSET >= SECS_PER_DAY)
		day++;
	/* Outside four-digit years there is no calendar to count on. */
	if (day < DAY_MIN || day > DAY_MAX)
		return from;
	/* At most CORE_HOLIDAYS_MAX days are not weekends, so this ends. */
	while (counted < days) {
		day++;
		if (core_is_working_day(cal, (int32_t)day))
			counted++;
	}
	return (time_t)(day * SECS_PER_DAY + SECS_PER_DAY - 1 -
	    CORE_TZ_OFFSET);
}
