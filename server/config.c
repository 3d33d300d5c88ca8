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
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/server.h"
#include "server/media.h"

unsigned
srv_threads_for(long cores)
{
	if (cores < 1)
		cores = 1;
	if (cores > SRV_THREADS_DEFAULT_MAX / SRV_THREADS_PER_CORE)
		return SRV_THREADS_DEFAULT_MAX;
	if (cores * SRV_THREADS_PER_CORE < SRV_THREADS_DEFAULT_MIN)
		return SRV_THREADS_DEFAULT_MIN;
	return (unsigned)cores * SRV_THREADS_PER_CORE;
}

void
srv_config_defaults(struct srv_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen_addr, sizeof(c->listen_addr), "127.0.0.1");
	c->listen_port = 8080;
	c->pow_difficulty = 16;
	c->max_body_bytes = SRV_BODY_DEFAULT;
	c->max_attachment_bytes = SRV_ATTACH_DEFAULT;
	c->suppression_threshold = 5;
	core_calendar_init(&c->calendar);
	c->deadlines.dispose = 3;
	c->deadlines.accept = 3;
	c->deadlines.respond = 5;
	c->deadlines.resolve = 14;
	c->threads = srv_threads_for(sysconf(_SC_NPROCESSORS_ONLN));
	c->rate_per_address = 0;
	c->rate_global = 0;
	c->log_level = LOG_INFO;
	c->totp_required = 0;
	c->seccomp = 1;
	c->image_timeout = SRV_MEDIA_TIMEOUT_DEFAULT;
	c->form_min_seconds = SRV_FORM_MIN_SECONDS;
	c->cookie_secure = 0;
	c->disclosure_ttl = SRV_DISCLOSURE_TTL_HOURS * 3600;
	c->dkg_phase = SRV_DKG_PHASE_HOURS * 3600;
	/* Retention: every case is kept until a policy says otherwise. */
	c->retention_policy = 0;
	c->retention_unit = 0;
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
srv_listen_parse(struct srv_config *c, const char *s)
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

/* Integer in [lo, hi]; JSON reals and booleans are not integers. */
static int
get_uint(const json_t *v, long long lo, long long hi, long long *out)
{
	long long n;

	if (!json_is_integer(v))
		return -1;
	n = json_integer_value(v);
	if (n < lo || n > hi)
		return -1;
	*out = n;
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

static int
parse_deadlines(struct srv_config *c, json_t *o, char *err,
    size_t errlen)
{
	const char	*k;
	json_t		*v;
	long long	 n;

	if (!json_is_object(o))
		return fail(err, errlen, "deadlines", "must be an object");
	json_object_foreach(o, k, v) {
		int *slot;

		if (strcmp(k, "dispose") == 0)
			slot = &c->deadlines.dispose;
		else if (strcmp(k, "accept") == 0)
			slot = &c->deadlines.accept;
		else if (strcmp(k, "respond") == 0)
			slot = &c->deadlines.respond;
		else if (strcmp(k, "resolve") == 0)
			slot = &c->deadlines.resolve;
		else {
			snprintf(err, errlen,
			    "config key \"deadlines\" has an unknown member.");
			return -1;
		}
		if (get_uint(v, 1, 365, &n) == -1) {
			snprintf(err, errlen, "config key \"deadlines.%s\" must "
			    "be a whole number of working days from 1 to 365.", k);
			return -1;
		}
		*slot = (int)n;
	}
	return 0;
}

static int
parse_rate(struct srv_config *c, json_t *o, char *err, size_t errlen)
{
	const char	*k;
	json_t		*v;
	long long	 n;

	if (!json_is_object(o))
		return fail(err, errlen, "rate_limit", "must be an object");
	json_object_foreach(o, k, v) {
		unsigned *slot;

		if (strcmp(k, "per_address") == 0)
			slot = &c->rate_per_address;
		else if (strcmp(k, "global") == 0)
			slot = &c->rate_global;
		else {
			snprintf(err, errlen,
			    "config key \"rate_limit\" has an unknown member.");
			return -1;
		}
		if (get_uint(v, 0, 100000000, &n) == -1) {
			snprintf(err, errlen, "config key \"rate_limit.%s\" must "
			    "be a whole number of requests a minute (0 = off).", k);
			return -1;
		}
		*slot = (unsigned)n;
	}
	return 0;
}

/* {"closed": N, "rejected": N, "merged": N}: whole months (0 shreds
 * at the next sweep), any member left out kept for ever. */
static int
parse_retention(struct srv_config *c, json_t *o, char *err, size_t errlen)
{
	static const char *const names[SRV_RETAIN_MAX] = {
		"closed", "rejected", "merged",
	};
	const char	*k;
	json_t		*v;
	long long	 n;
	int		 i;

	if (!json_is_object(o))
		return fail(err, errlen, "retention", "must be an object");
	json_object_foreach(o, k, v) {
		for (i = 0; i < SRV_RETAIN_MAX; i++)
			if (strcmp(k, names[i]) == 0)
				break;
		if (i == SRV_RETAIN_MAX) {
			snprintf(err, errlen, "config key \"retention\" has an "
			    "unknown member (closed, rejected, merged).");
			return -1;
		}
		if (get_uint(v, 0, SRV_RETAIN_MONTHS_MAX, &n) == -1) {
			snprintf(err, errlen, "config key \"retention.%s\" must "
			    "be a whole number of months from 0 to 1200.", k);
			return -1;
		}
		c->retention_months[i] = (int)n;
		c->retention_policy |= 1u << i;
	}
	return 0;
}

int
srv_config_parse(struct srv_config *c, const char *buf, size_t len,
    char *err, size_t errlen)
{
	struct core_errors	 errs;
	json_t			*root = NULL, *v;
	const char		*k, *cert = NULL, *key = NULL;
	long long		 n;
	int			 rc = -1;

	memset(&errs, 0, sizeof(errs));
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
	json_object_foreach(root, k, v) {
		if (strcmp(k, "listen") == 0) {
			if (!json_is_string(v) ||
			    srv_listen_parse(c, json_string_value(v)) == -1) {
				fail(err, errlen, k, "must be a numeric "
				    "\"ADDRESS:PORT\" such as \"127.0.0.1:8080\"");
				goto out;
			}
		} else if (strcmp(k, "pow_difficulty") == 0) {
			if (get_uint(v, 0, CRYPTO_POW_MAX_DIFFICULTY, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "of bits from 0 to 32");
				goto out;
			}
			c->pow_difficulty = (unsigned)n;
		} else if (strcmp(k, "max_body_bytes") == 0) {
			if (get_uint(v, SRV_BODY_MIN, SRV_BODY_MAX, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "from 1024 to 67108864");
				goto out;
			}
			c->max_body_bytes = (size_t)n;
		} else if (strcmp(k, "max_attachment_bytes") == 0) {
			if (get_uint(v, 1024, SRV_BODY_MAX, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "from 1024 to 67108864");
				goto out;
			}
			c->max_attachment_bytes = (size_t)n;
		} else if (strcmp(k, "suppression_threshold") == 0) {
			if (get_uint(v, 1, 1000000, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "of at least 1");
				goto out;
			}
			c->suppression_threshold = (unsigned)n;
		} else if (strcmp(k, "holidays") == 0) {
			size_t i;
			json_t *d;

			if (!json_is_array(v)) {
				fail(err, errlen, k, "must be a list of "
				    "\"YYYY-MM-DD\" dates");
				goto out;
			}
			json_array_foreach(v, i, d) {
				if (!json_is_string(d) || core_calendar_add(
				    &c->calendar, json_string_value(d)) == -1) {
					snprintf(err, errlen, "config key "
					    "\"holidays\" entry %zu is not a valid "
					    "\"YYYY-MM-DD\" date.", i + 1);
					goto out;
				}
			}
		} else if (strcmp(k, "holidays_dir") == 0) {
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    json_string_length(v) > SRV_HOLIDAYS_DIR_MAX ||
			    strlen(json_string_value(v)) !=
			    json_string_length(v)) {
				fail(err, errlen, k, "must be a directory path "
				    "of at most 255 bytes");
				goto out;
			}
			memcpy(c->holidays_dir, json_string_value(v),
			    json_string_length(v) + 1);
		} else if (strcmp(k, "deadlines") == 0) {
			if (parse_deadlines(c, v, err, errlen) == -1)
				goto out;
		} else if (strcmp(k, "tls_cert") == 0) {
			if (!json_is_string(v) || json_string_length(v) == 0) {
				fail(err, errlen, k, "must be a file path");
				goto out;
			}
			cert = json_string_value(v);
		} else if (strcmp(k, "tls_key") == 0) {
			if (!json_is_string(v) || json_string_length(v) == 0) {
				fail(err, errlen, k, "must be a file path");
				goto out;
			}
			key = json_string_value(v);
		} else if (strcmp(k, "threads") == 0) {
			if (get_uint(v, 1, SRV_THREADS_MAX, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "from 1 to 256");
				goto out;
			}
			c->threads = (unsigned)n;
		} else if (strcmp(k, "rate_limit") == 0) {
			if (parse_rate(c, v, err, errlen) == -1)
				goto out;
		} else if (strcmp(k, "totp_required") == 0) {
			if (!json_is_boolean(v)) {
				fail(err, errlen, k, "must be true or false");
				goto out;
			}
			c->totp_required = json_is_true(v);
		} else if (strcmp(k, "form_min_seconds") == 0) {
			if (get_uint(v, 0, SRV_FORM_MIN_SECONDS_MAX, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "of seconds from 0 to 600");
				goto out;
			}
			c->form_min_seconds = (unsigned)n;
		} else if (strcmp(k, "disclosure_ttl_hours") == 0) {
			/* Hours, fractions allowed (tests use seconds); from
			 * one second to 30 days. */
			double h = json_is_integer(v) ?
			    (double)json_integer_value(v) : json_is_real(v) ?
			    json_real_value(v) : -1.0;

			if (!(h * 3600.0 >= 1.0) ||
			    h * 3600.0 > (double)SRV_DISCLOSURE_TTL_MAX) {
				fail(err, errlen, k, "must be a number of hours "
				    "from one second to 720");
				goto out;
			}
			c->disclosure_ttl = (unsigned)(h * 3600.0);
		} else if (strcmp(k, "dkg_phase_hours") == 0) {
			/* Hours, fractions allowed (tests use seconds); from
			 * one second to 7 days. */
			double h = json_is_integer(v) ?
			    (double)json_integer_value(v) : json_is_real(v) ?
			    json_real_value(v) : -1.0;

			if (!(h * 3600.0 >= 1.0) ||
			    h * 3600.0 > (double)SRV_DKG_PHASE_MAX) {
				fail(err, errlen, k, "must be a number of hours "
				    "from one second to 168");
				goto out;
			}
			c->dkg_phase = (unsigned)(h * 3600.0 + 0.5);
		} else if (strcmp(k, "cookie_secure") == 0) {
			if (!json_is_boolean(v)) {
				fail(err, errlen, k, "must be true or false");
				goto out;
			}
			c->cookie_secure = json_is_true(v);
		} else if (strcmp(k, "user") == 0) {
			/* The service user root changes to (confine.c). */
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    json_string_length(v) >= sizeof(c->user) ||
			    strspn(json_string_value(v), "abcdefghijklmnopqrstu"
			    "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
			    json_string_length(v)) {
				fail(err, errlen, k, "must be a user name");
				goto out;
			}
			memcpy(c->user, json_string_value(v),
			    json_string_length(v) + 1);
		} else if (strcmp(k, "image_timeout") == 0) {
			/* Seconds an image may take in the helper (media.h). */
			if (get_uint(v, SRV_MEDIA_TIMEOUT_MIN,
			    SRV_MEDIA_TIMEOUT_MAX, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "of seconds from 1 to 600");
				goto out;
			}
			c->image_timeout = (unsigned)n;
		} else if (strcmp(k, "seccomp") == 0) {
			if (!json_is_boolean(v)) {
				fail(err, errlen, k, "must be true or false");
				goto out;
			}
			c->seccomp = json_is_true(v);
		} else if (strcmp(k, "metrics_listen") == 0) {
			/* GET /metrics on its own listener, loopback only. */
			struct srv_config m;

			memset(&m, 0, sizeof(m));
			if (!json_is_string(v) ||
			    srv_listen_parse(&m, json_string_value(v)) == -1 ||
			    !srv_addr_loopback(m.listen_addr)) {
				fail(err, errlen, k, "must be a numeric loopback "
				    "\"ADDRESS:PORT\" such as \"127.0.0.1:9090\"");
				goto out;
			}
			memcpy(c->metrics_addr, m.listen_addr,
			    sizeof(c->metrics_addr));
			c->metrics_port = m.listen_port;
		} else if (strcmp(k, "retention") == 0) {
			if (parse_retention(c, v, err, errlen) == -1)
				goto out;
		} else if (strcmp(k, "retention_unit_seconds") == 0) {
			/* For tests only: a "month" of retention lasts this
			 * many seconds instead of a calendar month. */
			if (get_uint(v, 1, 31 * 86400, &n) == -1) {
				fail(err, errlen, k, "must be a whole number "
				    "of seconds from 1 to 2678400");
				goto out;
			}
			c->retention_unit = (unsigned)n;
		} else if (strcmp(k, "log_level") == 0) {
			static const char *lv[] = { "error", "warn", "info",
			    "debug" };
			int i, found = -1;

			for (i = 0; i < 4 && json_is_string(v); i++)
				if (strcmp(json_string_value(v), lv[i]) == 0)
					found = i;
			if (found < 0) {
				fail(err, errlen, k, "must be \"error\", "
				    "\"warn\", \"info\" or \"debug\"");
				goto out;
			}
			c->log_level = found;
		} else {
			/* Never echo the unknown key in full: cap it. */
			snprintf(err, errlen, "config key \"%.40s\" is not known.",
			    k);
			goto out;
		}
	}
	if ((cert == NULL) != (key == NULL)) {
		snprintf(err, errlen, "config keys \"tls_cert\" and \"tls_key\" "
		    "must be given together.");
		goto out;
	}
	if (cert != NULL) {
		if ((c->tls_cert = read_pem(cert)) == NULL) {
			fail(err, errlen, "tls_cert", "names a file that cannot "
			    "be read as PEM");
			goto out;
		}
		if ((c->tls_key = read_pem(key)) == NULL) {
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
srv_holidays_load(struct srv_config *c, size_t *nfiles, char *err,
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
srv_holidays_missing(const struct srv_config *c, time_t now)
{
	int64_t day = ((int64_t)now + CORE_TZ_OFFSET) / 86400;

	if (now < 0 || day > INT32_MAX)
		return 0;
	return core_calendar_missing_year(&c->calendar, (int32_t)day,
	    CORE_HOLIDAY_LOOKAHEAD);
}

int
srv_holidays_warn(const struct srv_config *c, time_t now)
{
	int y = srv_holidays_missing(c, now);

	if (y != 0)
		srv_log(LOG_WARN, "holidays_missing", "year=%d days_ahead=%d "
		    "how=\"add holidays-id-%d.csv (lines YYYY-MM-DD,type,name) "
		    "to %s or list the dates in the config key holidays, then "
		    "restart\"", y, CORE_HOLIDAY_LOOKAHEAD, y,
		    c->holidays_dir[0] != '\0' ? "holidays_dir" : SRV_SHARE_DIR);
	return y;
}
