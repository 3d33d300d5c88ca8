/*
 * caseref.c: case references ("BSK-2026-000123") and UTC time stamps.
 *
 * A reference is typed by hand by reporters and staff and appears in URLs,
 * so it has exactly one spelling: the parser accepts only what
 * core_case_ref writes, and a reference that would read the same with
 * different bytes (extra leading zeros, lower case, a sign) is refused.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

#define CASE_REF_PREFIX		"BSK-"
#define CASE_SEQ_DIGITS_MIN	6
/* 19 digits always fit in 64 bits; 20 might not. */
#define CASE_SEQ_DIGITS_MAX	19
#define CASE_YEAR_MIN		2000
#define CASE_YEAR_MAX		9999

void
core_case_ref(int year, uint64_t seq, char out[CORE_CASE_REF_MAX])
{
	(void)snprintf(out, CORE_CASE_REF_MAX, CASE_REF_PREFIX "%04d-%06llu",
	    year, (unsigned long long)seq);
}

static int
isdigit_c(char c)
{
	return c >= '0' && c <= '9';
}

int
core_case_ref_parse(const char *s, int *year, uint64_t *seq)
{
	size_t		 i, n;
	int		 y = 0;
	uint64_t	 q = 0;

	if (s == NULL ||
	    strncmp(s, CASE_REF_PREFIX, sizeof(CASE_REF_PREFIX) - 1) != 0)
		return -1;
	s += sizeof(CASE_REF_PREFIX) - 1;
	for (i = 0; i < 4; i++) {
		if (!isdigit_c(s[i]))
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	if (s[4] != '-' || y < CASE_YEAR_MIN || y > CASE_YEAR_MAX)
		return -1;
	s += 5;
	for (n = 0; isdigit_c(s[n]); n++) {
		if (n >= CASE_SEQ_DIGITS_MAX)
			return -1;
		q = q * 10 + (uint64_t)(s[n] - '0');
	}
	if (s[n] != '\0' || n < CASE_SEQ_DIGITS_MIN)
		return -1;
	/* Past six digits the width grows with the number: no padding. */
	if (n > CASE_SEQ_DIGITS_MIN && s[0] == '0')
		return -1;
	if (q == 0)
		return -1;
	if (year != NULL)
		*year = y;
	if (seq != NULL)
		*seq = q;
	return 0;
}

/* Writes v as exactly w decimal digits (v is known to fit). */
static void
put_digits(char *out, int v, int w)
{
	while (w-- > 0) {
		out[w] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
core_time_iso(time_t t, char out[21])
{
	struct tm	 tm;

	/* Four-digit years only, so the text always fits and sorts. */
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900) {
		(void)memcpy(out, "1970-01-01T00:00:00Z", 21);
		return;
	}
	(void)memcpy(out, "0000-00-00T00:00:00Z", 21);
	put_digits(out, tm.tm_year + 1900, 4);
	put_digits(out + 5, tm.tm_mon + 1, 2);
	put_digits(out + 8, tm.tm_mday, 2);
	put_digits(out + 11, tm.tm_hour, 2);
	put_digits(out + 14, tm.tm_min, 2);
	put_digits(out + 17, tm.tm_sec, 2);
}

void
core_time_wib(time_t t, char out[CORE_TIME_WIB_TEXT])
{
	struct tm	 tm;
	time_t		 w;

	if (t > (time_t)INT64_MAX - CORE_TZ_OFFSET) {
		(void)memcpy(out, "?", 2);
		return;
	}
	w = t + CORE_TZ_OFFSET;
	/* Four-digit years only, so the text always fits. */
	if (gmtime_r(&w, &tm) == NULL || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900) {
		(void)memcpy(out, "?", 2);
		return;
	}
	(void)memcpy(out, "0000-00-00 00:00 WIB", CORE_TIME_WIB_TEXT);
	put_digits(out, tm.tm_year + 1900, 4);
	put_digits(out + 5, tm.tm_mon + 1, 2);
	put_digits(out + 8, tm.tm_mday, 2);
	put_digits(out + 11, tm.tm_hour, 2);
	put_digits(out + 14, tm.tm_min, 2);
}

int
core_time_iso_parse(const char *s, time_t *out)
{
	static const int	 at[6] = { 11, 12, 14, 15, 17, 18 };
	char			 date[11];
	int32_t			 day;
	int			 d[6], i;

	if (s == NULL || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return -1;
	(void)memcpy(date, s, 10);
	date[10] = '\0';
	if (core_date_parse(date, &day) == -1)
		return -1;
	for (i = 0; i < 6; i++) {
		if (s[at[i]] < '0' || s[at[i]] > '9')
			return -1;
		d[i] = s[at[i]] - '0';
	}
	if (d[0] * 10 + d[1] > 23 || d[2] * 10 + d[3] > 59 ||
	    d[4] * 10 + d[5] > 59)
		return -1;
	*out = (time_t)day * 86400 + (d[0] * 10 + d[1]) * 3600 +
	    (d[2] * 10 + d[3]) * 60 + d[4] * 10 + d[5];
	return 0;
}
