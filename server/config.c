/*
 * config.c: the `bisikd serve --config FILE` parser.
 *
 * The file is outside input of a special kind: an operator wrote it, but a
 * typo must never silently weaken the service (a misspelt "pow_dificulty"
 * would turn spam protection off). So every key is known, every type and
 * range is checked, and the first problem is named in one sentence that
 * gives the key but never echoes a value (a key path may be pasted into a
 * ticket; a value could be a secret path or worse).
 */
#include <arpa/inet.h>
#include <assert.h>
#include <dirent.h>
#include <stddef.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/util.h"
#include "server/config.h"
#include "server/media.h"

unsigned
srv_config_threads_for(long cores)
{
	if (cores < 1)
		cores = 1;
	if (cores > SRV_THREADS_DEFAULT_MAX / SRV_THREADS_PER_CORE)
		return SRV_THREADS_DEFAULT_MAX;
	if (cores * SRV_THREADS_PER_CORE < SRV_THREADS_DEFAULT_MIN)
		return SRV_THREADS_DEFAULT_MIN;
	return (unsigned)cores * SRV_THREADS_PER_CORE;
}

static void store_uint(struct srv_config *, const struct srv_config_key *,
    long long);

/* The table's defaults of rows and, for an object, of its members. */
static void
defaults_rows(struct srv_config *c, const struct srv_config_key *rows,
    size_t nrows)
{
	size_t i;

	for (i = 0; i < nrows; i++) {
		if (rows[i].type == SRV_CFG_OBJECT)
			defaults_rows(c, rows[i].members, rows[i].nmembers);
		else if (rows[i].def != SRV_CFG_NO_DEFAULT)
			store_uint(c, &rows[i], rows[i].def);
	}
}

void
srv_config_defaults(struct srv_config *c)
{
	memset(c, 0, sizeof(*c));
	/* Numbers and switches: the table's default column. */
	defaults_rows(c, srv_config_keys, srv_config_nkeys);
	/* What the table cannot say: text, the calendar, and what follows
	 * the machine. Without a key, retention keeps every case (no policy
	 * bit, a calendar month per "month") and there is no TLS, metrics
	 * listener or holiday directory (zeroed above). */
	snprintf(c->listen_addr, sizeof(c->listen_addr), "127.0.0.1");
	c->listen_port = 8080;
	core_calendar_init(&c->calendar);
	c->threads = srv_config_threads_for(sysconf(_SC_NPROCESSORS_ONLN));
	c->log_level = LOG_INFO;
}

void
srv_config_free(struct srv_config *c)
{
	if (c == NULL)
		return;
	if (c->tls_key != NULL) {
		crypto_wipe(c->tls_key, strlen(c->tls_key));
		free(c->tls_key);
	}
	free(c->tls_cert);
	c->tls_cert = c->tls_key = NULL;
}

int
srv_config_listen_parse(struct srv_config *c, const char *s)
{
	char		 host[64];
	const char	*colon, *h;
	size_t		 hlen;
	char		*end;
	unsigned long	 port;
	unsigned char	 buf[sizeof(struct in6_addr)];

	if (s == NULL || strlen(s) > 80)
		return -1;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (rb == NULL || rb[1] != ':')
			return -1;
		h = s + 1;
		hlen = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		h = s;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return -1;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, buf) != 1 &&
	    inet_pton(AF_INET6, host, buf) != 1)
		return -1;
	if (colon[1] < '0' || colon[1] > '9')
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || port == 0 || port > 65535)
		return -1;
	memcpy(c->listen_addr, host, hlen + 1);
	c->listen_port = (unsigned)port;
	return 0;
}

static int
fail(char *err, size_t errlen, const char *key, const char *what)
{
	snprintf(err, errlen, "config key \"%s\" %s.", key, what);
	return -1;
}

/* Reads a whole PEM file named by the config; bounded. */
static char *
read_pem(const char *path)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if ((buf = malloc(SRV_CONFIG_MAX + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, SRV_CONFIG_MAX + 1, f);
	fclose(f);
	if (n == 0 || n > SRV_CONFIG_MAX || memchr(buf, '\0', n) != NULL) {
		crypto_wipe(buf, SRV_CONFIG_MAX + 1);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* ---- checks of the keys that are not a number --------------------------- */

static int
check_listen(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	(void)p;
	(void)row;
	(void)err;
	(void)errlen;
	if (!json_is_string(v))
		return -1;
	return srv_config_listen_parse(c, json_string_value(v));
}

/* GET /metrics on its own listener, loopback only. */
static int
check_metrics(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	struct srv_config m;

	(void)p;
	(void)row;
	(void)err;
	(void)errlen;
	memset(&m, 0, sizeof(m));
	if (!json_is_string(v) ||
	    srv_config_listen_parse(&m, json_string_value(v)) == -1 ||
	    !srv_confine_addr_loopback(m.listen_addr))
		return -1;
	memcpy(c->metrics_addr, m.listen_addr, sizeof(c->metrics_addr));
	c->metrics_port = m.listen_port;
	return 0;
}

static int
check_holidays(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	size_t	 i;
	json_t	*d;

	(void)p;
	if (!json_is_array(v))
		return -1;
	json_array_foreach(v, i, d) {
		if (!json_is_string(d) || core_calendar_add(&c->calendar,
		    json_string_value(d)) == -1) {
			snprintf(err, errlen, "config key \"%s\" entry %zu is "
			    "not a valid \"YYYY-MM-DD\" date.", row->name, i + 1);
			return -1;
		}
	}
	return 0;
}

/* A non-empty string of at most row->max bytes without NUL into the
 * row's field. */
static int
check_string(struct srv_config *c, const struct srv_config_key *row,
    const json_t *v)
{
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > (size_t)row->max ||
	    json_string_length(v) >= row->size ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	memcpy((char *)c + row->offset, json_string_value(v),
	    json_string_length(v) + 1);
	return 0;
}

static int
check_dir(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	(void)p;
	if (check_string(c, row, v) == -1) {
		snprintf(err, errlen, "config key \"%s\" must be a directory "
		    "path of at most %lld bytes.", row->name, row->max);
		return -1;
	}
	return 0;
}

/* The service user root changes to (confine.c). */
static int
check_user(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	(void)p;
	(void)err;
	(void)errlen;
	if (!json_is_string(v) || strspn(json_string_value(v),
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
	    != json_string_length(v))
		return -1;
	return check_string(c, row, v);
}

/* The TLS files are read once both names are known. */
static int
check_tls(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	(void)c;
	(void)err;
	(void)errlen;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return -1;
	if (strcmp(row->name, "tls_cert") == 0)
		p->tls_cert = json_string_value(v);
	else
		p->tls_key = json_string_value(v);
	return 0;
}

static int
check_log_level(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	static const char *const lv[] = { "error", "warn", "info", "debug" };
	int i;

	(void)p;
	(void)row;
	(void)err;
	(void)errlen;
	for (i = 0; i < (int)(sizeof(lv) / sizeof(lv[0])) &&
	    json_is_string(v); i++)
		if (strcmp(json_string_value(v), lv[i]) == 0) {
			c->log_level = i;
			return 0;
		}
	return -1;
}

/* After a retention member is stored: its state has a policy now. */
static int
check_retention(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const json_t *v, char *err,
    size_t errlen)
{
	size_t i = (row->offset - offsetof(struct srv_config,
	    retention_months)) / sizeof(c->retention_months[0]);

	(void)p;
	(void)v;
	(void)err;
	(void)errlen;
	assert(i < SRV_RETAIN_MAX);
	c->retention_policy |= 1u << i;
	return 0;
}

/* ---- the table ------------------------------------------------------- */

#define OFF(f)		offsetof(struct srv_config, f)
#define SZ(f)		sizeof(((struct srv_config *)NULL)->f)
/* d: the default (SRV_CFG_NO_DEFAULT: none in the table). */
#define ROW_NUM(n, f, d, lo, hi, u) \
	{ (n), SRV_CFG_UINT, OFF(f), SZ(f), (lo), (hi), (d), (u), NULL, \
	    NULL, NULL, 0, 0 }
#define ROW_BOOL(n, f, d) \
	{ (n), SRV_CFG_BOOL, OFF(f), SZ(f), 0, 1, (d), NULL, NULL, NULL, \
	    NULL, 0, 0 }
#define ROW_HOURS(n, f, d, hi, rnd) \
	{ (n), SRV_CFG_HOURS, OFF(f), SZ(f), SRV_HOURS_MIN_SECONDS, (hi), \
	    (d) * 3600, "hours", NULL, NULL, NULL, 0, (rnd) }
#define ROW_CHECK(n, f, hi, fn, w) \
	{ (n), SRV_CFG_CHECK, (f), 0, 0, (hi), SRV_CFG_NO_DEFAULT, NULL, \
	    (fn), (w), NULL, 0, 0 }
#define ROW_PATH(n, f, hi, fn, w) \
	{ (n), SRV_CFG_CHECK, OFF(f), SZ(f), 0, (hi), SRV_CFG_NO_DEFAULT, \
	    NULL, (fn), (w), NULL, 0, 0 }
#define ROW_OBJECT(n, m) \
	{ (n), SRV_CFG_OBJECT, 0, 0, 0, 0, SRV_CFG_NO_DEFAULT, NULL, NULL, \
	    NULL, (m), sizeof(m) / sizeof((m)[0]), 0 }

static const struct srv_config_key deadline_keys[] = {
	ROW_NUM("dispose", deadlines.dispose, SRV_DEADLINE_DISPOSE,
	    SRV_DEADLINE_DAYS_MIN, SRV_DEADLINE_DAYS_MAX, "working days"),
	ROW_NUM("accept", deadlines.accept, SRV_DEADLINE_ACCEPT,
	    SRV_DEADLINE_DAYS_MIN, SRV_DEADLINE_DAYS_MAX, "working days"),
	ROW_NUM("respond", deadlines.respond, SRV_DEADLINE_RESPOND,
	    SRV_DEADLINE_DAYS_MIN, SRV_DEADLINE_DAYS_MAX, "working days"),
	ROW_NUM("resolve", deadlines.resolve, SRV_DEADLINE_RESOLVE,
	    SRV_DEADLINE_DAYS_MIN, SRV_DEADLINE_DAYS_MAX, "working days"),
};

/* 0 turns a limit off. */
static const struct srv_config_key rate_keys[] = {
	ROW_NUM("per_address", rate_per_address, 0, 0, SRV_RATE_MAX,
	    "requests a minute"),
	ROW_NUM("global", rate_global, 0, 0, SRV_RATE_MAX,
	    "requests a minute"),
};

/* Whole months once final (0 shreds at the next sweep); a state left
 * out is kept for ever. The order is enum srv_retain's. */
static const struct srv_config_key retention_keys[] = {
	{ "closed", SRV_CFG_UINT, OFF(retention_months[SRV_RETAIN_CLOSED]),
	    sizeof(int), 0, SRV_RETAIN_MONTHS_MAX, SRV_CFG_NO_DEFAULT, "months",
	    check_retention, NULL, NULL, 0, 0 },
	{ "rejected", SRV_CFG_UINT, OFF(retention_months[SRV_RETAIN_REJECTED]),
	    sizeof(int), 0, SRV_RETAIN_MONTHS_MAX, SRV_CFG_NO_DEFAULT, "months",
	    check_retention, NULL, NULL, 0, 0 },
	{ "merged", SRV_CFG_UINT, OFF(retention_months[SRV_RETAIN_MERGED]),
	    sizeof(int), 0, SRV_RETAIN_MONTHS_MAX, SRV_CFG_NO_DEFAULT, "months",
	    check_retention, NULL, NULL, 0, 0 },
};

const struct srv_config_key srv_config_keys[] = {
	ROW_CHECK("listen", 0, 0, check_listen,
	    "must be a numeric \"ADDRESS:PORT\" such as \"127.0.0.1:8080\""),
	/* 0 turns the proof of work off. */
	ROW_NUM("pow_difficulty", pow_difficulty, SRV_POW_DEFAULT, 0,
	    CRYPTO_POW_MAX_DIFFICULTY, "bits"),
	ROW_NUM("max_body_bytes", max_body_bytes, SRV_BODY_DEFAULT,
	    SRV_BODY_MIN, SRV_BODY_MAX, NULL),
	ROW_NUM("max_attachment_bytes", max_attachment_bytes,
	    SRV_ATTACH_DEFAULT, SRV_ATTACH_MIN, SRV_BODY_MAX, NULL),
	ROW_NUM("suppression_threshold", suppression_threshold,
	    SRV_SUPPRESSION_DEFAULT, SRV_SUPPRESSION_MIN, SRV_SUPPRESSION_MAX,
	    NULL),
	ROW_CHECK("holidays", 0, 0, check_holidays,
	    "must be a list of \"YYYY-MM-DD\" dates"),
	ROW_PATH("holidays_dir", holidays_dir, SRV_HOLIDAYS_DIR_MAX, check_dir,
	    NULL),
	ROW_OBJECT("deadlines", deadline_keys),
	ROW_CHECK("tls_cert", 0, 0, check_tls, "must be a file path"),
	ROW_CHECK("tls_key", 0, 0, check_tls, "must be a file path"),
	/* The default follows the machine (srv_config_threads_for). */
	ROW_NUM("threads", threads, SRV_CFG_NO_DEFAULT, SRV_THREADS_MIN,
	    SRV_THREADS_MAX, NULL),
	ROW_OBJECT("rate_limit", rate_keys),
	ROW_BOOL("totp_required", totp_required, 0),
	/* The first lockout of a staff account (auth.c); further failures
	 * double it up to the cap. */
	ROW_NUM("login_lock_seconds", login_lock, SRV_LOCK_FIRST,
	    SRV_LOCK_FIRST_MIN, SRV_LOCK_MAX, "seconds"),
	/* The web form's least time, pages_form.c. */
	ROW_NUM("form_min_seconds", form_min_seconds, SRV_FORM_MIN_SECONDS, 0,
	    SRV_FORM_MIN_SECONDS_MAX, "seconds"),
	/* Fractions of hours allowed (tests use seconds). */
	ROW_HOURS("disclosure_ttl_hours", disclosure_ttl,
	    SRV_DISCLOSURE_TTL_HOURS, SRV_DISCLOSURE_TTL_MAX, 0),
	ROW_HOURS("dkg_phase_hours", dkg_phase, SRV_DKG_PHASE_HOURS,
	    SRV_DKG_PHASE_MAX, 1),
	ROW_BOOL("cookie_secure", cookie_secure, 0),
	ROW_PATH("user", user, sizeof(((struct srv_config *)NULL)->user) - 1,
	    check_user, "must be a user name"),
	/* Seconds an image may take in the helper (media.h). */
	ROW_NUM("image_timeout", image_timeout, SRV_MEDIA_TIMEOUT_DEFAULT,
	    SRV_MEDIA_TIMEOUT_MIN, SRV_MEDIA_TIMEOUT_MAX, "seconds"),
	ROW_BOOL("seccomp", seccomp, 1),
	ROW_CHECK("metrics_listen", 0, 0, check_metrics, "must be a numeric "
	    "loopback \"ADDRESS:PORT\" such as \"127.0.0.1:9090\""),
	ROW_OBJECT("retention", retention_keys),
	/* For tests only: a "month" of retention lasts this many seconds
	 * instead of a calendar month (without it: calendar months). */
	ROW_NUM("retention_unit_seconds", retention_unit, SRV_CFG_NO_DEFAULT,
	    SRV_RETAIN_UNIT_MIN, SRV_RETAIN_UNIT_MAX, "seconds"),
	/* How often the sweeper looks (sweeper.c); tests shorten it. */
	ROW_NUM("sweep_interval_seconds", sweep_interval, SRV_SWEEP_INTERVAL,
	    SRV_SWEEP_INTERVAL_MIN, SRV_SWEEP_INTERVAL_MAX, "seconds"),
	ROW_CHECK("log_level", 0, 0, check_log_level,
	    "must be \"error\", \"warn\", \"info\" or \"debug\""),
};
const size_t srv_config_nkeys = sizeof(srv_config_keys) /
    sizeof(srv_config_keys[0]);

/* ---- the loop ------------------------------------------------------- */

/* Stores n, already in the row's range, in a field of the row's size. */
static void
store_uint(struct srv_config *c, const struct srv_config_key *row,
    long long n)
{
	char *f = (char *)c + row->offset;

	if (row->size == sizeof(size_t) && row->size != sizeof(unsigned)) {
		size_t s = (size_t)n;
		memcpy(f, &s, sizeof(s));
	} else if (row->size == sizeof(unsigned)) {
		unsigned u = (unsigned)n;	/* int fields: same bits */
		memcpy(f, &u, sizeof(u));
	} else
		assert(!"config row of an unknown field size");
}

/* "config key "deadlines" has an unknown member (dispose, accept, ...)." */
static int
fail_member(char *err, size_t errlen, const struct srv_config_key *row)
{
	size_t	i, n;
	int	w;

	w = snprintf(err, errlen, "config key \"%s\" has an unknown member (",
	    row->name);
	n = w < 0 ? errlen : (size_t)w;
	for (i = 0; i < row->nmembers && n < errlen; i++) {
		w = snprintf(err + n, errlen - n, "%s%s", i > 0 ? ", " : "",
		    row->members[i].name);
		n = w < 0 ? errlen : n + (size_t)w;
	}
	if (n < errlen)
		snprintf(err + n, errlen - n, ").");
	return -1;
}

static int parse_rows(struct srv_config *, struct srv_config_parse *,
    const struct srv_config_key *, size_t, const struct srv_config_key *,
    json_t *, char *, size_t);

/* One value by its row; key is its name as people write it
 * ("deadlines.dispose"). */
static int
parse_value(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *row, const char *key, json_t *v,
    char *err, size_t errlen)
{
	long long	n;
	double		s;

	switch (row->type) {
	case SRV_CFG_UINT:
		n = json_is_integer(v) ? json_integer_value(v) : 0;
		if (!json_is_integer(v) || n < row->min || n > row->max) {
			snprintf(err, errlen, "config key \"%s\" must be a whole "
			    "number%s%s from %lld to %lld.", key,
			    row->unit != NULL ? " of " : "",
			    row->unit != NULL ? row->unit : "", row->min,
			    row->max);
			return -1;
		}
		store_uint(c, row, n);
		if (row->check != NULL)
			return row->check(c, p, row, v, err, errlen);
		return 0;
	case SRV_CFG_BOOL:
		if (!json_is_boolean(v))
			return fail(err, errlen, key, "must be true or false");
		store_uint(c, row, json_is_true(v));
		return 0;
	case SRV_CFG_HOURS:
		s = json_is_integer(v) ? (double)json_integer_value(v) :
		    json_is_real(v) ? json_real_value(v) : -1.0;
		s *= 3600.0;
		if (!(s >= (double)row->min) || s > (double)row->max) {
			snprintf(err, errlen, "config key \"%s\" must be a number "
			    "of hours from %lld second%s to %g.", key, row->min,
			    row->min == 1 ? "" : "s", (double)row->max / 3600.0);
			return -1;
		}
		store_uint(c, row, (long long)(s + (row->round ? 0.5 : 0.0)));
		return 0;
	case SRV_CFG_OBJECT:
		if (!json_is_object(v))
			return fail(err, errlen, key, "must be an object");
		return parse_rows(c, p, row->members, row->nmembers, row, v,
		    err, errlen);
	case SRV_CFG_CHECK:
		if (errlen > 0)
			err[0] = '\0';
		if (row->check(c, p, row, v, err, errlen) == 0)
			return 0;
		if (errlen > 0 && err[0] == '\0')
			fail(err, errlen, key, row->what != NULL ? row->what :
			    "is not valid");
		return -1;
	default:
		break;
	}
	assert(!"config row of an unknown type");
	return -1;
}

/* Every member of o by the rows; parent is NULL at the top. */
static int
parse_rows(struct srv_config *c, struct srv_config_parse *p,
    const struct srv_config_key *rows, size_t nrows,
    const struct srv_config_key *parent, json_t *o, char *err,
    size_t errlen)
{
	char		 path[64];
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; i < nrows; i++)
			if (strcmp(k, rows[i].name) == 0)
				break;
		if (i == nrows) {
			if (parent != NULL)
				return fail_member(err, errlen, parent);
			/* Never echo the unknown key in full: cap it. */
			snprintf(err, errlen, "config key \"%.40s\" is not "
			    "known.", k);
			return -1;
		}
		if (parent != NULL)
			snprintf(path, sizeof(path), "%s.%s", parent->name, k);
		else
			snprintf(path, sizeof(path), "%s", k);
		if (parse_value(c, p, &rows[i], path, v, err, errlen) == -1)
			return -1;
	}
	return 0;
}

int
srv_config_parse(struct srv_config *c, const char *buf, size_t len,
    char *err, size_t errlen)
{
	struct core_errors	 errs;
	struct srv_config_parse	 p;
	json_t			*root = NULL;
	int			 rc = -1;

	memset(&errs, 0, sizeof(errs));
	memset(&p, 0, sizeof(p));
	if (len > SRV_CONFIG_MAX) {
		snprintf(err, errlen, "the config file is too large.");
		return -1;
	}
	if (core_json_parse(buf, len, 4, &root, &errs) != CORE_OK) {
		snprintf(err, errlen, "the config file is not valid JSON: %s",
		    errs.message != NULL ? errs.message : "parse error.");
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "the config file must hold a JSON object.");
		goto out;
	}
	if (parse_rows(c, &p, srv_config_keys, srv_config_nkeys, NULL, root,
	    err, errlen) == -1)
		goto out;
	if ((p.tls_cert == NULL) != (p.tls_key == NULL)) {
		snprintf(err, errlen, "config keys \"tls_cert\" and \"tls_key\" "
		    "must be given together.");
		goto out;
	}
	if (p.tls_cert != NULL) {
		if ((c->tls_cert = read_pem(p.tls_cert)) == NULL) {
			fail(err, errlen, "tls_cert", "names a file that cannot "
			    "be read as PEM");
			goto out;
		}
		if ((c->tls_key = read_pem(p.tls_key)) == NULL) {
			fail(err, errlen, "tls_key", "names a file that cannot "
			    "be read as PEM");
			goto out;
		}
	}
	rc = 0;
 out:
	json_decref(root);
	return rc;
}

/* ---- holidays from a directory ------------------------------------------ */

/* Reads one holiday file into the calendar; bounded. */
static int
holiday_file(struct srv_config *c, const char *dir, const char *name,
    char *err, size_t errlen)
{
	char	 path[SRV_HOLIDAYS_DIR_MAX + 1 + 256 + 1];
	char	*buf = NULL;
	FILE	*f = NULL;
	size_t	 n, bad = 0;
	int	 rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "re")) == NULL ||
	    (buf = malloc(SRV_HOLIDAY_FILE_MAX + 1)) == NULL) {
		snprintf(err, errlen, "the holiday file %.80s cannot be read.",
		    name);
		goto out;
	}
	n = fread(buf, 1, SRV_HOLIDAY_FILE_MAX + 1, f);
	if (ferror(f) || n > SRV_HOLIDAY_FILE_MAX) {
		snprintf(err, errlen, "the holiday file %.80s cannot be read "
		    "or is larger than %d bytes.", name, SRV_HOLIDAY_FILE_MAX);
		goto out;
	}
	if (core_calendar_load_csv(&c->calendar, buf, n, &bad) == -1) {
		snprintf(err, errlen, "the holiday file %.80s: line %zu is not "
		    "\"YYYY-MM-DD,type,name\" (or the list is full).", name,
		    bad);
		goto out;
	}
	rc = 0;
 out:
	free(buf);
	if (f != NULL)
		fclose(f);
	return rc;
}

int
srv_config_holidays_load(struct srv_config *c, size_t *nfiles, char *err,
    size_t errlen)
{
	const char	*dir = c->holidays_dir[0] != '\0' ? c->holidays_dir :
			    SRV_SHARE_DIR;
	struct dirent	*e;
	DIR		*d;
	int		 rc = 0;

	*nfiles = 0;
	if ((d = opendir(dir)) == NULL) {
		/* The installed directory is optional (a build run from its
		 * tree has none); one the operator named is not. */
		if (c->holidays_dir[0] == '\0')
			return 0;
		snprintf(err, errlen, "config key \"holidays_dir\" names a "
		    "directory that cannot be read.");
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (fnmatch("holidays-*.csv", e->d_name, FNM_PERIOD) != 0)
			continue;
		if (*nfiles == SRV_HOLIDAY_FILES_MAX) {
			snprintf(err, errlen, "the holiday directory holds more "
			    "than %d holidays-*.csv files.",
			    SRV_HOLIDAY_FILES_MAX);
			rc = -1;
			break;
		}
		if ((rc = holiday_file(c, dir, e->d_name, err, errlen)) == 0)
			(*nfiles)++;
	}
	closedir(d);
	return rc;
}

int
srv_config_holidays_missing(const struct srv_config *c, time_t now)
{
	int64_t day = ((int64_t)now + CORE_TZ_OFFSET) / 86400;

	if (now < 0 || day > INT32_MAX)
		return 0;
	return core_calendar_missing_year(&c->calendar, (int32_t)day,
	    CORE_HOLIDAY_LOOKAHEAD);
}

int
srv_config_holidays_warn(const struct srv_config *c, time_t now)
{
	int y = srv_config_holidays_missing(c, now);

	if (y != 0)
		srv_log(LOG_WARN, "holidays_missing", "year=%d days_ahead=%d "
		    "how=\"add holidays-id-%d.csv (lines YYYY-MM-DD,type,name) "
		    "to %s or list the dates in the config key holidays, then "
		    "restart\"", y, CORE_HOLIDAY_LOOKAHEAD, y,
		    c->holidays_dir[0] != '\0' ? "holidays_dir" : SRV_SHARE_DIR);
	return y;
}
