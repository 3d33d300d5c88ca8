/*
 * server_holidays_test.c: holiday lists read at start from a directory
 * (srv_config_holidays_load, server/config.c) and the coverage check behind the
 * log warning and the staff banner (srv_config_holidays_missing), on real files
 * in a temp directory.
 *
 * The limits at their edges and one past: the "holidays_dir" path
 * (SRV_HOLIDAYS_DIR_MAX bytes), a file's size (SRV_HOLIDAY_FILE_MAX) and
 * the number of files (SRV_HOLIDAY_FILES_MAX). A bad line is named with
 * its file and line, and leaves the calendar as it was; names other than
 * holidays-*.csv are not read; a named directory that cannot be read
 * fails. Dates of years after 2026 here are made up for the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/server.h"
#include "tests/unit/tap.h"

static char	dir[] = "/tmp/bisik-holidays-XXXXXX";

static int
put(const char *name, const char *text, size_t len)
{
	char	 path[512];
	FILE	*f;
	int	 rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fwrite(text, 1, len, f) == len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

static void
drop(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)unlink(path);
}

/* A fresh config reading dir, with no holidays at all. */
static void
fresh(struct srv_config *c)
{
	srv_config_defaults(c);
	core_calendar_init(&c->calendar);
	snprintf(c->holidays_dir, sizeof(c->holidays_dir), "%s", dir);
}

/* Unix time of a WIB noon. */
static time_t
wib(const char *date)
{
	int32_t day = 0;

	if (core_date_parse(date, &day) == -1)
		return 0;
	return (time_t)day * 86400 + 12 * 3600 - CORE_TZ_OFFSET;
}

static int
is_holiday(const struct srv_config *c, const char *date)
{
	int32_t day = 0;

	return core_date_parse(date, &day) == 0 &&
	    !core_is_working_day(&c->calendar, day);
}

static void
test_dir_key(void)
{
	struct srv_config	 c;
	char			 json[SRV_HOLIDAYS_DIR_MAX + 64], err[256];
	char			 path[SRV_HOLIDAYS_DIR_MAX + 2];

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[SRV_HOLIDAYS_DIR_MAX] = '\0';
	snprintf(json, sizeof(json), "{\"holidays_dir\":\"%s\"}", path);
	srv_config_defaults(&c);
	CHECK(srv_config_parse(&c, json, strlen(json), err, sizeof(err)) == 0 &&
	    strlen(c.holidays_dir) == SRV_HOLIDAYS_DIR_MAX,
	    "holidays_dir of SRV_HOLIDAYS_DIR_MAX bytes is taken");
	path[SRV_HOLIDAYS_DIR_MAX] = 'a';
	path[SRV_HOLIDAYS_DIR_MAX + 1] = '\0';
	snprintf(json, sizeof(json), "{\"holidays_dir\":\"%s\"}", path);
	srv_config_defaults(&c);
	CHECK(srv_config_parse(&c, json, strlen(json), err, sizeof(err)) ==
	    -1 && strstr(err, "holidays_dir") != NULL,
	    "holidays_dir one byte longer is refused, naming the key");
	srv_config_defaults(&c);
	CHECK(srv_config_parse(&c, "{\"holidays_dir\":\"\"}", 19, err,
	    sizeof(err)) == -1 && srv_config_parse(&c, "{\"holidays_dir\":7}",
	    18, err, sizeof(err)) == -1,
	    "holidays_dir empty or not a string is refused");
}

static void
test_load(void)
{
	static const char y27[] = "# made up for the test\n"
	    "date,type,name\n2027-08-17,libur_nasional,Uji\r\n";
	struct srv_config	 c;
	char			 err[256] = "", name[64];
	size_t			 n = 99, i;

	fresh(&c);
	CHECK(srv_config_holidays_load(&c, &n, err, sizeof(err)) == 0 && n == 0,
	    "an empty directory: nothing read, no error");
	CHECK(srv_config_holidays_missing(&c, wib("2026-12-06")) == 2026,
	    "no holidays: this year is named");
	CHECK(put("holidays-id-2027.csv", y27, strlen(y27)) == 0 &&
	    put("holidays-id-2028.csv.bak", "garbage\n", 8) == 0 &&
	    put("README", "garbage\n", 8) == 0, "set up files");
	fresh(&c);
	CHECK(core_calendar_add(&c.calendar, "2026-12-25") == 0, "set up 2026");
	CHECK(srv_config_holidays_missing(&c, wib("2026-12-06")) == 2027,
	    "2026 only, 90 days from 6 December 2026: 2027 is named");
	CHECK(srv_config_holidays_load(&c, &n, err,
	    sizeof(err)) == 0 && n == 1 &&
	    is_holiday(&c, "2027-08-17"), "holidays-id-2027.csv is read");
	CHECK(srv_config_holidays_missing(&c, wib("2026-12-06")) == 0,
	    "with 2027 loaded the next 90 days are covered");
	CHECK(srv_config_holidays_missing(&c, wib("2027-10-04")) == 2028,
	    "and in October 2027 the window reaches 2028");

	/* A bad line: the file and its line, the calendar unchanged. */
	CHECK(put("holidays-id-2029.csv", "2029-01-01,libur_nasional,A\n"
	    "2029-13-01,libur_nasional,B\n", 56) == 0, "set up a bad file");
	fresh(&c);
	CHECK(srv_config_holidays_load(&c, &n, err, sizeof(err)) == -1 &&
	    strstr(err, "holidays-id-2029.csv: line 2") != NULL,
	    "a bad line is named with its file and line");
	CHECK(!is_holiday(&c, "2029-01-01"),
	    "a bad file adds none of its dates");
	drop("holidays-id-2029.csv");

	/* Size: SRV_HOLIDAY_FILE_MAX bytes are read, one more is not. */
	{
		char	*big = malloc(SRV_HOLIDAY_FILE_MAX + 1);
		size_t	 head;

		CHECK(big != NULL, "set up a large file");
		if (big == NULL)
			return;
		head = (size_t)snprintf(big, SRV_HOLIDAY_FILE_MAX,
		    "2030-05-01,libur_nasional,Uji\n#");
		memset(big + head, 'x', SRV_HOLIDAY_FILE_MAX - head - 1);
		big[SRV_HOLIDAY_FILE_MAX - 1] = '\n';
		big[SRV_HOLIDAY_FILE_MAX] = '\n';
		CHECK(put("holidays-id-2030.csv", big, SRV_HOLIDAY_FILE_MAX) ==
		    0, "set up a file of SRV_HOLIDAY_FILE_MAX bytes");
		fresh(&c);
		CHECK(srv_config_holidays_load(&c, &n, err, sizeof(err)) == 0 &&
		    is_holiday(&c, "2030-05-01"),
		    "a file of SRV_HOLIDAY_FILE_MAX bytes is read");
		CHECK(put("holidays-id-2030.csv", big, SRV_HOLIDAY_FILE_MAX +
		    1) == 0, "set up a file one byte larger");
		fresh(&c);
		CHECK(srv_config_holidays_load(&c, &n, err,
		    sizeof(err)) == -1 &&
		    strstr(err, "holidays-id-2030.csv") != NULL &&
		    strstr(err, "larger") != NULL,
		    "a file one byte larger is refused, naming it");
		free(big);
		drop("holidays-id-2030.csv");
	}

	/* Files: SRV_HOLIDAY_FILES_MAX are read, one more is refused. */
	for (i = 1; i < SRV_HOLIDAY_FILES_MAX; i++) {
		snprintf(name, sizeof(name), "holidays-uji-%03zu.csv", i);
		if (put(name, "# none\n", 7) == -1)
			break;
	}
	fresh(&c);
	CHECK(srv_config_holidays_load(&c, &n, err, sizeof(err)) == 0 &&
	    n == SRV_HOLIDAY_FILES_MAX,
	    "SRV_HOLIDAY_FILES_MAX files are read");
	CHECK(put("holidays-uji-999.csv", "# none\n", 7) == 0,
	    "set up one file more");
	fresh(&c);
	CHECK(srv_config_holidays_load(&c, &n, err, sizeof(err)) == -1 &&
	    strstr(err, "more than") != NULL,
	    "one file more is refused");
	for (i = 1; i < SRV_HOLIDAY_FILES_MAX; i++) {
		snprintf(name, sizeof(name), "holidays-uji-%03zu.csv", i);
		drop(name);
	}
	drop("holidays-uji-999.csv");

	/* A named directory that cannot be read fails the start. */
	fresh(&c);
	snprintf(c.holidays_dir, sizeof(c.holidays_dir), "%s/nope", dir);
	CHECK(srv_config_holidays_load(&c, &n, err, sizeof(err)) == -1 &&
	    strstr(err, "holidays_dir") != NULL,
	    "a missing holidays_dir is an error naming the key");
	drop("holidays-id-2027.csv");
	drop("holidays-id-2028.csv.bak");
	drop("README");
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		CHECK(0, "mkdtemp");
		return tap_done();
	}
	test_dir_key();
	test_load();
	(void)rmdir(dir);
	return tap_done();
}
