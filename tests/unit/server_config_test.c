/*
 * server_config_test.c: server/config.c, the parser of bisikd's
 * configuration file, and the defaults it derives from the machine.
 *
 * - The worker threads for the number of online cores, at the edges of
 *   SRV_THREADS_DEFAULT_MIN and SRV_THREADS_DEFAULT_MAX.
 * - Every numeric row of the table of keys (server/config.h), at the top
 *   and in an object: its minimum and maximum are accepted and stored,
 *   one past each is refused with a sentence naming the key and both
 *   limits. Every row refuses a value of the wrong type. A few cases
 *   written out by hand, with the numbers themselves, so that the loop
 *   cannot pass by reading back what a wrong table says.
 * - Every number and switch has its default in the table (but the five
 *   named, which have none or a computed one): within its range, and
 *   what srv_config_defaults sets; the defaults also written out by hand.
 * - README.md ("Configuration") lists the same keys, ranges and defaults.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server/server.h"
#include "server/config.h"
#include "tests/unit/tap.h"

/* Parses text into a fresh default config; the sentence of a refusal in
 * err. Returns what srv_config_parse returned. */
static int
parse(struct srv_config *cfg, const char *text, char *err, size_t errlen)
{
	int rc;

	srv_config_defaults(cfg);
	err[0] = '\0';
	rc = srv_config_parse(cfg, text, strlen(text), err, errlen);
	if (rc == -1 && err[0] == '\0')
		snprintf(err, errlen, "(no sentence)");
	return rc;
}

/* The value of a UINT or HOURS row's field. */
static long long
field(const struct srv_config *cfg, const struct srv_config_key *row)
{
	const char	*f = (const char *)cfg + row->offset;
	size_t		 s;
	unsigned	 u;

	if (row->size == sizeof(size_t) && row->size != sizeof(unsigned)) {
		memcpy(&s, f, sizeof(s));
		return (long long)s;
	}
	memcpy(&u, f, sizeof(u));
	return (long long)u;
}

/* {"KEY":VALUE} at the top, {"PARENT":{"KEY":VALUE}} for a member. */
static void
doc(char *buf, size_t len, const struct srv_config_key *parent,
    const struct srv_config_key *row, const char *value)
{
	if (parent != NULL)
		snprintf(buf, len, "{\"%s\":{\"%s\":%s}}", parent->name,
		    row->name, value);
	else
		snprintf(buf, len, "{\"%s\":%s}", row->name, value);
}

/* Refused, with a sentence that names the key and holds each of the
 * words given (NULL ends them). */
static int
refused(const char *text, const char *key, const char *w1, const char *w2)
{
	struct srv_config	cfg;
	char			err[256];
	int			good;

	good = parse(&cfg, text, err, sizeof(err)) == -1 &&
	    strstr(err, key) != NULL && (w1 == NULL || strstr(err, w1) != NULL) &&
	    (w2 == NULL || strstr(err, w2) != NULL);
	if (!good)
		printf("# %s -> %s\n", text, err);
	srv_config_free(&cfg);
	return good;
}

/* Accepted, and the row's field holds want afterwards. */
static int
accepted(const char *text, const struct srv_config_key *row, long long want)
{
	struct srv_config	cfg;
	char			err[256];
	int			good;

	good = parse(&cfg, text, err, sizeof(err)) == 0 &&
	    field(&cfg, row) == want;
	if (!good)
		printf("# %s -> %s (field %lld, want %lld)\n", text, err,
		    field(&cfg, row), want);
	srv_config_free(&cfg);
	return good;
}

/* Both edges of one numeric row and one past each; returns 1 if the row
 * has edges (UINT, HOURS). */
static int
edges(const struct srv_config_key *parent, const struct srv_config_key *row)
{
	char	key[64], name[320], text[160], v[64], lo[32], hi[32];

	if (parent != NULL)
		snprintf(key, sizeof(key), "\"%s.%s\"", parent->name, row->name);
	else
		snprintf(key, sizeof(key), "\"%s\"", row->name);
	snprintf(lo, sizeof(lo), "%lld", row->min);
	if (row->type == SRV_CFG_UINT) {
		snprintf(hi, sizeof(hi), "%lld", row->max);
		snprintf(v, sizeof(v), "%lld", row->min);
		doc(text, sizeof(text), parent, row, v);
		snprintf(name, sizeof(name), "table: %s accepts its minimum %s",
		    key, lo);
		CHECK(accepted(text, row, row->min), name);
		snprintf(v, sizeof(v), "%lld", row->max);
		doc(text, sizeof(text), parent, row, v);
		snprintf(name, sizeof(name), "table: %s accepts its maximum %s",
		    key, hi);
		CHECK(accepted(text, row, row->max), name);
		snprintf(v, sizeof(v), "%lld", row->min - 1);
		doc(text, sizeof(text), parent, row, v);
		snprintf(name, sizeof(name), "table: %s refuses %s, naming the "
		    "range %s to %s", key, v, lo, hi);
		CHECK(refused(text, key, lo, hi), name);
		snprintf(v, sizeof(v), "%lld", row->max + 1);
		doc(text, sizeof(text), parent, row, v);
		snprintf(name, sizeof(name), "table: %s refuses %s, naming the "
		    "range %s to %s", key, v, lo, hi);
		CHECK(refused(text, key, lo, hi), name);
		return 1;
	}
	if (row->type != SRV_CFG_HOURS)
		return 0;
	/* Hours in the file, seconds in the row and the field. */
	snprintf(hi, sizeof(hi), "%g", (double)row->max / 3600.0);
	snprintf(v, sizeof(v), "%.17g", (double)row->min / 3600.0);
	doc(text, sizeof(text), parent, row, v);
	snprintf(name, sizeof(name), "table: %s accepts its minimum, %s "
	    "second", key, lo);
	CHECK(accepted(text, row, row->min), name);
	snprintf(v, sizeof(v), "%.17g", (double)row->max / 3600.0);
	doc(text, sizeof(text), parent, row, v);
	snprintf(name, sizeof(name), "table: %s accepts its maximum, %s hours",
	    key, hi);
	CHECK(accepted(text, row, row->max), name);
	snprintf(v, sizeof(v), "%.17g", (double)row->min / 2.0 / 3600.0);
	doc(text, sizeof(text), parent, row, v);
	snprintf(name, sizeof(name), "table: %s refuses half its minimum, "
	    "naming the range", key);
	CHECK(refused(text, key, "second", hi), name);
	snprintf(v, sizeof(v), "%.17g", (double)(row->max + 1) / 3600.0);
	doc(text, sizeof(text), parent, row, v);
	snprintf(name, sizeof(name), "table: %s refuses a second past its "
	    "maximum, naming %s hours", key, hi);
	CHECK(refused(text, key, "second", hi), name);
	return 1;
}

/*
 * A row's default (its table column): within the row's range, and what
 * srv_config_defaults leaves in the field. Returns 1 if the row has a
 * default, 0 if it has none, -1 if it should have one (a number or a
 * switch whose default is not in the table is listed by the caller).
 */
static int
row_default(const struct srv_config_key *parent,
    const struct srv_config_key *row)
{
	struct srv_config	cfg;
	char			key[64], name[320];

	if (parent != NULL)
		snprintf(key, sizeof(key), "\"%s.%s\"", parent->name, row->name);
	else
		snprintf(key, sizeof(key), "\"%s\"", row->name);
	if (row->type != SRV_CFG_UINT && row->type != SRV_CFG_BOOL &&
	    row->type != SRV_CFG_HOURS) {
		/* srv_config_defaults would store it as a number. */
		snprintf(name, sizeof(name), "defaults: %s, not a number, has "
		    "none in the table", key);
		CHECK(row->def == SRV_CFG_NO_DEFAULT, name);
		return 0;
	}
	if (row->def == SRV_CFG_NO_DEFAULT)
		return -1;
	srv_config_defaults(&cfg);
	snprintf(name, sizeof(name), "defaults: %s is %lld, within %lld..%lld, "
	    "and set", key, row->def, row->min, row->max);
	CHECK(row->def >= row->min && row->def <= row->max &&
	    field(&cfg, row) == row->def, name);
	srv_config_free(&cfg);
	return 1;
}

/* A value of the wrong JSON type: an object, or for an object a number. */
static void
wrong_type(const struct srv_config_key *parent,
    const struct srv_config_key *row)
{
	char	key[64], name[320], text[160];

	if (parent != NULL)
		snprintf(key, sizeof(key), "\"%s.%s\"", parent->name, row->name);
	else
		snprintf(key, sizeof(key), "\"%s\"", row->name);
	doc(text, sizeof(text), parent, row,
	    row->type == SRV_CFG_OBJECT ? "1" : "{}");
	snprintf(name, sizeof(name), "table: %s refuses a value of the wrong "
	    "type, naming the key", key);
	CHECK(refused(text, key, NULL, NULL), name);
}

/* The default of a row as README writes it: a number, true or false,
 * hours as a number; "" for a row without one in the table. */
static void
default_text(char *buf, size_t len, const struct srv_config_key *row)
{
	buf[0] = '\0';
	if (row->def == SRV_CFG_NO_DEFAULT)
		return;
	if (row->type == SRV_CFG_BOOL)
		snprintf(buf, len, "%s", row->def ? "true" : "false");
	else if (row->type == SRV_CFG_HOURS)
		snprintf(buf, len, "%g", (double)row->def / 3600.0);
	else if (row->type == SRV_CFG_UINT)
		snprintf(buf, len, "%lld", row->def);
}

/* README's second column (the default) of line shows the row's default:
 * the whole cell, without backquotes, for a number or a switch; for an
 * object, "MEMBER":N of every member with a default. Rows without a
 * default in the table are not checked. */
static int
readme_default(const char *line, const struct srv_config_key *row)
{
	char		 cell[256], want[96], d[64];
	const char	*a, *b, *p;
	size_t		 i, n = 0;

	if ((a = strchr(line + 1, '|')) == NULL ||
	    (b = strchr(a + 1, '|')) == NULL)
		return 0;
	for (p = a + 1; p < b && n + 1 < sizeof(cell); p++)
		if (*p != '`' && *p != ' ')
			cell[n++] = *p;
	cell[n] = '\0';
	if (row->type != SRV_CFG_OBJECT) {
		default_text(d, sizeof(d), row);
		return d[0] == '\0' || strcmp(cell, d) == 0;
	}
	for (i = 0; i < row->nmembers; i++) {
		default_text(d, sizeof(d), &row->members[i]);
		if (d[0] == '\0')
			continue;
		snprintf(want, sizeof(want), "\"%s\":%s", row->members[i].name,
		    d);
		if ((p = strstr(cell, want)) == NULL ||
		    (p[strlen(want)] != ',' && p[strlen(want)] != '}'))
			return 0;
	}
	return 1;
}

/*
 * README.md's "Configuration" table: its keys (first column, in
 * backquotes) are the table's top-level keys, each row of a numeric key
 * gives its range as "MIN..MAX", an hours key its maximum as "MAX hours",
 * and an object's row names each member with its range.
 */
static void
readme(void)
{
	FILE			*f;
	char			 line[2048], *p, *q, want[96];
	const struct srv_config_key *row, *m;
	char			 lines[64][2048];
	size_t			 n = 0, i, j, k;
	int			 in = 0, found, bad = 0, listed;

	if ((f = fopen("README.md", "r")) == NULL) {
		CHECK(0, "README: opened (run from the top of the tree)");
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "## ", 3) == 0)
			in = strcmp(line, "## Configuration\n") == 0;
		if (in && strncmp(line, "| `", 3) == 0 && n < 64)
			memcpy(lines[n++], line, sizeof(line));
	}
	fclose(f);
	CHECK(n > 10, "README: the Configuration section has its table");
	/* Every key named in a first column is a row of the table. */
	for (i = 0; i < n; i++) {
		q = strchr(lines[i] + 1, '|');
		if (q == NULL)
			continue;
		*q = '\0';
		for (p = lines[i]; (p = strchr(p, '`')) != NULL; p = q + 1) {
			if ((q = strchr(p + 1, '`')) == NULL)
				break;
			*q = '\0';
			for (k = 0; k < srv_config_nkeys; k++)
				if (strcmp(p + 1, srv_config_keys[k].name) == 0)
					break;
			if (k == srv_config_nkeys) {
				printf("# README names \"%s\", not in the "
				    "table\n", p + 1);
				bad++;
			}
			*q = '`';
		}
		lines[i][strlen(lines[i])] = '|';
	}
	CHECK(bad == 0, "README: every key it lists is a key of the table");
	/* Every key of the table has a line, with its range. */
	bad = 0;
	for (k = 0; k < srv_config_nkeys; k++) {
		row = &srv_config_keys[k];
		snprintf(want, sizeof(want), "`%s`", row->name);
		found = -1;
		for (i = 0; i < n && found < 0; i++) {
			q = strchr(lines[i] + 1, '|');
			if (q != NULL && (p = strstr(lines[i], want)) != NULL &&
			    p < q)
				found = (int)i;
		}
		if (found < 0) {
			printf("# README does not list \"%s\"\n", row->name);
			bad++;
			continue;
		}
		listed = 1;
		if (row->type == SRV_CFG_UINT) {
			snprintf(want, sizeof(want), "%lld..%lld", row->min,
			    row->max);
			listed = strstr(lines[found], want) != NULL;
		} else if (row->type == SRV_CFG_HOURS) {
			snprintf(want, sizeof(want), "%g hours",
			    (double)row->max / 3600.0);
			listed = strstr(lines[found], want) != NULL;
		} else if (row->type == SRV_CFG_OBJECT) {
			for (j = 0; j < row->nmembers && listed; j++) {
				m = &row->members[j];
				snprintf(want, sizeof(want), "\"%s\"", m->name);
				listed = strstr(lines[found], want) != NULL;
				snprintf(want, sizeof(want), "%lld..%lld",
				    m->min, m->max);
				listed = listed &&
				    strstr(lines[found], want) != NULL;
			}
		}
		if (!listed) {
			printf("# README's line of \"%s\" lacks \"%s\"\n",
			    row->name, want);
			bad++;
		}
		if (!readme_default(lines[found], row)) {
			printf("# README's default of \"%s\" is not the "
			    "table's\n", row->name);
			bad++;
		}
	}
	CHECK(bad == 0, "README: every key of the table is listed, with its "
	    "range and its default");
}

/* Cases written out with their numbers, whatever the table says. */
static void
by_hand(void)
{
	struct srv_config	cfg;
	char			err[256];
	int			rc;

	rc = parse(&cfg, "{\"threads\":256}", err, sizeof(err));
	CHECK(rc == 0 && cfg.threads == 256, "by hand: threads 256 accepted");
	CHECK(refused("{\"threads\":257}", "\"threads\"", "1 to 256", NULL),
	    "by hand: threads 257 refused: \"from 1 to 256\"");
	CHECK(refused("{\"pow_difficulty\":33}", "pow_difficulty",
	    "bits from 0 to 32", NULL),
	    "by hand: pow_difficulty 33 refused: \"bits from 0 to 32\"");
	rc = parse(&cfg, "{\"max_body_bytes\":67108864}", err, sizeof(err));
	CHECK(rc == 0 && cfg.max_body_bytes == 64 * 1024 * 1024,
	    "by hand: max_body_bytes 64 MiB accepted and stored whole");
	CHECK(refused("{\"max_attachment_bytes\":1023}",
	    "max_attachment_bytes", "from 1024 to 67108864", NULL),
	    "by hand: max_attachment_bytes 1023 refused");
	rc = parse(&cfg, "{\"deadlines\":{\"resolve\":365,\"dispose\":1}}",
	    err, sizeof(err));
	CHECK(rc == 0 && cfg.deadlines.resolve == 365 &&
	    cfg.deadlines.dispose == 1 && cfg.deadlines.accept == 3,
	    "by hand: deadlines resolve 365, dispose 1; accept kept at 3");
	CHECK(refused("{\"deadlines\":{\"respond\":366}}",
	    "\"deadlines.respond\"", "working days from 1 to 365", NULL),
	    "by hand: deadlines.respond 366 refused");
	rc = parse(&cfg, "{\"retention\":{\"merged\":0,\"closed\":1200}}",
	    err, sizeof(err));
	CHECK(rc == 0 && cfg.retention_policy == (1u << SRV_RETAIN_MERGED |
	    1u << SRV_RETAIN_CLOSED) && cfg.retention_months[SRV_RETAIN_MERGED] ==
	    0 && cfg.retention_months[SRV_RETAIN_CLOSED] == 1200,
	    "by hand: retention merged 0, closed 1200; rejected kept for ever");
	CHECK(refused("{\"retention\":{\"closed\":1201}}",
	    "\"retention.closed\"", "months from 0 to 1200", NULL),
	    "by hand: retention.closed 1201 refused");
	rc = parse(&cfg, "{\"disclosure_ttl_hours\":720,"
	    "\"dkg_phase_hours\":0.0004}", err, sizeof(err));
	CHECK(rc == 0 && cfg.disclosure_ttl == 720 * 3600 &&
	    cfg.dkg_phase == 1, "by hand: disclosure 720 hours; a ceremony "
	    "phase of 1.44 s rounds to 1 s");
	rc = parse(&cfg, "{\"disclosure_ttl_hours\":0.0005}", err,
	    sizeof(err));
	CHECK(rc == 0 && cfg.disclosure_ttl == 1,
	    "by hand: a disclosure TTL of 1.8 s is cut to 1 s");
	CHECK(refused("{\"disclosure_ttl_hours\":720.001}",
	    "disclosure_ttl_hours", "from 1 second to 720", NULL),
	    "by hand: disclosure_ttl_hours 720.001 refused");
	CHECK(refused("{\"dkg_phase_hours\":169}", "dkg_phase_hours",
	    "to 168", NULL), "by hand: dkg_phase_hours 169 refused");
	CHECK(refused("{\"rate_limit\":{\"global\":100000001}}",
	    "\"rate_limit.global\"", "0 to 100000000", NULL),
	    "by hand: rate_limit.global 100000001 refused");
	CHECK(refused("{\"suppression_threshold\":0}",
	    "suppression_threshold", "from 1 to 1000000", NULL),
	    "by hand: suppression_threshold 0 refused");
	rc = parse(&cfg, "{}", err, sizeof(err));
	CHECK(rc == 0 && cfg.login_lock == 1,
	    "by hand: login_lock_seconds is 1 unless set");
	CHECK(rc == 0 && cfg.pow_difficulty == 16 &&
	    cfg.max_body_bytes == 262144 &&
	    cfg.max_attachment_bytes == 10485760 &&
	    cfg.suppression_threshold == 5 && cfg.deadlines.dispose == 3 &&
	    cfg.deadlines.accept == 3 && cfg.deadlines.respond == 5 &&
	    cfg.deadlines.resolve == 14 && cfg.rate_per_address == 0 &&
	    cfg.rate_global == 0 && cfg.totp_required == 0 &&
	    cfg.seccomp == 1 && cfg.image_timeout == 30 &&
	    cfg.form_min_seconds == 5 && cfg.cookie_secure == 0 &&
	    cfg.disclosure_ttl == 72 * 3600 && cfg.dkg_phase == 24 * 3600 &&
	    cfg.sweep_interval == 60 && cfg.retention_policy == 0 &&
	    cfg.retention_unit == 0 && cfg.listen_port == 8080 &&
	    strcmp(cfg.listen_addr, "127.0.0.1") == 0 &&
	    cfg.log_level == LOG_INFO && cfg.tls_cert == NULL,
	    "by hand: the defaults without a file, number by number");
	rc = parse(&cfg, "{\"login_lock_seconds\":900}", err, sizeof(err));
	CHECK(rc == 0 && cfg.login_lock == 900,
	    "by hand: login_lock_seconds 900 accepted");
	CHECK(refused("{\"login_lock_seconds\":901}", "login_lock_seconds",
	    "seconds from 1 to 900", NULL),
	    "by hand: login_lock_seconds 901 refused");
	/* The sentences tests/e2e/e2e_cli.sh and people rely on. */
	parse(&cfg, "{\"pow_dificulty\":8}", err, sizeof(err));
	CHECK(strcmp(err, "config key \"pow_dificulty\" is not known.") == 0,
	    "by hand: an unknown key is named, not known");
	parse(&cfg, "{\"deadlines\":{\"foo\":1}}", err, sizeof(err));
	CHECK(strcmp(err, "config key \"deadlines\" has an unknown member "
	    "(dispose, accept, respond, resolve).") == 0,
	    "by hand: an unknown member is refused, naming the members");
	parse(&cfg, "{\"pow_difficulty\":\"8\"}", err, sizeof(err));
	CHECK(strcmp(err, "config key \"pow_difficulty\" must be a whole "
	    "number of bits from 0 to 32.") == 0,
	    "by hand: a number as a string is refused with its range");
	parse(&cfg, "{\"seccomp\":1}", err, sizeof(err));
	CHECK(strcmp(err, "config key \"seccomp\" must be true or false.") ==
	    0, "by hand: a boolean as a number is refused");
	CHECK(refused("{\"holidays_dir\":\"\"}", "holidays_dir",
	    "at most 255 bytes", NULL),
	    "by hand: an empty holidays_dir refused, naming 255 bytes");
	CHECK(refused("{\"user\":\"a/b\"}", "\"user\"", "user name", NULL),
	    "by hand: a user name with a slash refused");
	rc = parse(&cfg, "{\"user\":\"bisik-svc_1.x\",\"log_level\":"
	    "\"debug\",\"seccomp\":false,\"metrics_listen\":"
	    "\"127.0.0.1:9090\",\"listen\":\"[::1]:8081\"}", err, sizeof(err));
	CHECK(rc == 0 && strcmp(cfg.user, "bisik-svc_1.x") == 0 &&
	    cfg.log_level == LOG_DEBUG && cfg.seccomp == 0 &&
	    cfg.metrics_port == 9090 && cfg.listen_port == 8081 &&
	    strcmp(cfg.listen_addr, "::1") == 0,
	    "by hand: user, log_level, seccomp, metrics_listen and listen");
	CHECK(refused("{\"metrics_listen\":\"10.0.0.1:9090\"}",
	    "metrics_listen", "loopback", NULL),
	    "by hand: metrics_listen off loopback refused");
}

int
main(void)
{
	const struct srv_config_key	*row;
	size_t				 i, j, numeric = 0, nodef = 0;
	int				 d;
	struct srv_config	cfg;
	long			cores = sysconf(_SC_NPROCESSORS_ONLN);

	CHECK(srv_config_threads_for(0) == SRV_THREADS_DEFAULT_MIN &&
	    srv_config_threads_for(-1) == SRV_THREADS_DEFAULT_MIN,
	    "threads: an unknown core count is taken as one core");
	CHECK(srv_config_threads_for(1) == SRV_THREADS_PER_CORE &&
	    srv_config_threads_for(1) >= SRV_THREADS_DEFAULT_MIN,
	    "threads: one core gets SRV_THREADS_PER_CORE, not below the minimum");
	CHECK(srv_config_threads_for(2) == 2 * SRV_THREADS_PER_CORE,
	    "threads: two cores get twice SRV_THREADS_PER_CORE");
	CHECK(srv_config_threads_for(SRV_THREADS_DEFAULT_MAX / SRV_THREADS_PER_CORE) ==
	    SRV_THREADS_DEFAULT_MAX,
	    "threads: the core count that reaches SRV_THREADS_DEFAULT_MAX");
	CHECK(srv_config_threads_for(SRV_THREADS_DEFAULT_MAX / SRV_THREADS_PER_CORE +
	    1) == SRV_THREADS_DEFAULT_MAX && srv_config_threads_for(LONG_MAX) ==
	    SRV_THREADS_DEFAULT_MAX,
	    "threads: one core more, and any number more, stay at the maximum");
	CHECK(SRV_THREADS_DEFAULT_MAX <= SRV_THREADS_MAX,
	    "threads: the largest default is a value the config key accepts");
	srv_config_defaults(&cfg);
	CHECK(cfg.threads == srv_config_threads_for(cores),
	    "threads: the configuration's default follows this machine's cores");

	by_hand();
	for (i = 0; i < srv_config_nkeys; i++) {
		row = &srv_config_keys[i];
		numeric += (size_t)edges(NULL, row);
		wrong_type(NULL, row);
		if ((d = row_default(NULL, row)) == -1)
			printf("# no default in the table: %s\n", row->name);
		nodef += d == -1;
		for (j = 0; row->type == SRV_CFG_OBJECT && j < row->nmembers;
		    j++) {
			numeric += (size_t)edges(row, &row->members[j]);
			wrong_type(row, &row->members[j]);
			if ((d = row_default(row, &row->members[j])) == -1)
				printf("# no default in the table: %s.%s\n",
				    row->name, row->members[j].name);
			nodef += d == -1;
		}
	}
	/* threads (from the cores), the 3 retention members and
	 * retention_unit_seconds (absent: kept for ever, calendar months). */
	CHECK(nodef == 5, "defaults: every number and switch but the 5 "
	    "named has its default in the table");
	/* 10 numbers and 2 hours at the top, 4 deadlines, 2 rates and 3
	 * retention members: a shorter loop has lost rows. */
	CHECK(srv_config_nkeys == 26 && numeric == 21,
	    "table: 26 keys, 21 of them with edges, were checked");
	readme();
	return tap_done();
}
