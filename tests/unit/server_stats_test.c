/*
 * server_stats_test.c: statistics kept in the same transactions as the
 * cases (server/derived.c), the deadline watch (watch.c), the recount,
 * retention by calendar months (server/retention.c) and the ZIP writer
 * (server/zip.c), against a real LMDB store in a temporary directory and real keys. The
 * handlers are called directly with a `now` the test chooses, so that
 * deadlines pass and months go by without waiting.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/pages.h"
#include "tests/unit/tap.h"

extern const char *const srv_shipped_holidays[];

static char		 dir[] = "/tmp/bisik-stats-XXXXXX";
static struct srv_ctx	 ctx;
static struct srv_keys	 keys;
static struct srv_config cfg;
static struct store	*st;

static const char PW[] = "correct horse battery staple";
#define DAY	86400

static time_t
at(const char *iso)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(iso, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		abort();
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* Calls a handler; the answer's body (owned) in *out if wanted. */
static unsigned
call(srv_handler fn, const char *body, const char *token, const char *param,
    const char *const *args, time_t now, json_t **out)
{
	struct srv_request	rq;
	struct srv_reply	rp;
	char			auth[160];

	memset(&rq, 0, sizeof(rq));
	memset(&rp, 0, sizeof(rp));
	rq.method = body != NULL ? "POST" : "GET";
	rq.path = "/api/v1/test";
	rq.body = body != NULL ? body : "";
	rq.len = strlen(rq.body);
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		rq.authorization = auth;
	}
	rq.content_type = "application/json";
	rq.param[0] = param;
	rq.args = args;
	rq.now = now;
	fn(&ctx, &rq, &rp);
	if (out != NULL)
		*out = rp.body;
	else
		json_decref(rp.body);
	free(rp.raw);
	return rp.status;
}

static void
session(const char *user, time_t now, char tok[128])
{
	char	body[256];
	json_t	*out = NULL;

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}",
	    user, PW);
	tok[0] = '\0';
	if (call(api_auth_login, body, NULL, NULL, NULL, now, &out) == 200)
		snprintf(tok, 128, "%s", json_string_value(json_object_get(out,
		    "session")));
	json_decref(out);
}

static int
submit(const char *title, time_t now, char ref[CORE_CASE_REF_MAX])
{
	char	body[512];
	json_t	*out = NULL;
	int	rc = -1;

	snprintf(body, sizeof(body), "{\"kind\":\"complaint\",\"title\":\"%s\","
	    "\"body\":\"Saluran air di Jalan Cempaka tersumbat lumpur dan air "
	    "meluap setiap hujan.\",\"agency\":\"dinas-pu\"}", title);
	if (call(api_report_submit, body, NULL, NULL, NULL, now, &out) == 201) {
		snprintf(ref, CORE_CASE_REF_MAX, "%s", json_string_value(
		    json_object_get(out, "case")));
		rc = 0;
	}
	json_decref(out);
	return rc;
}

/* GET /stats with threshold 1 (every figure shown); the answer. */
static json_t *
stats(time_t now)
{
	json_t *out = NULL;

	cfg.suppression_threshold = 1;
	if (call(api_stats, NULL, NULL, NULL, (const char *const []){ NULL },
	    now, &out) != 200) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* /statistik as HTML at a threshold (malloc'd, or NULL). */
static char *
statistik(time_t now, unsigned threshold)
{
	static const char *const noargs[] = { NULL };
	struct srv_request	 rq;
	struct srv_reply	 rp;
	char			*html = NULL;

	memset(&rq, 0, sizeof(rq));
	memset(&rp, 0, sizeof(rp));
	rq.method = "GET";
	rq.path = "/statistik";
	rq.args = noargs;
	rq.now = now;
	cfg.suppression_threshold = threshold;
	page_public_statistik(&ctx, &rq, &rp);
	if (rp.status == 200 && rp.raw != NULL &&
	    (html = malloc(rp.raw_len + 1)) != NULL) {
		memcpy(html, rp.raw, rp.raw_len);
		html[rp.raw_len] = '\0';
	}
	json_decref(rp.body);
	free(rp.raw);
	return html;
}

static double
num(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);

	if (b != NULL)
		v = json_object_get(v, b);
	return json_is_number(v) ? json_number_value(v) : -1;
}

static size_t
recount(int fix)
{
	FILE	*f = fopen("/dev/null", "w");
	size_t	 diffs = 99;

	if (f == NULL || srv_derived_rebuild(st, f, fix, &diffs) != STORE_OK)
		diffs = 99;
	if (f != NULL)
		fclose(f);
	return diffs;
}

static void
test_watch(void)
{
	char	 refs[3][CORE_CASE_REF_MAX], ca[128], body[128];
	time_t	 t0 = at("2026-03-02T03:00:00Z");	/* a Monday */
	json_t	*s;
	char	*html;
	size_t	 n = 0, i;

	for (i = 0; i < 3; i++)
		CHECK(submit("Saluran tersumbat", t0 + (time_t)i, refs[i]) == 0,
		    "a report is filed");
	s = stats(t0 + 60);
	CHECK(s != NULL && num(s, "total", "received") == 3 &&
	    num(json_object_get(s, "total"), "by_status", "submitted") == 3,
	    "stats count the new cases at once (same transaction)");
	CHECK(s != NULL && json_is_null(json_object_get(s, "total") != NULL ?
	    json_object_get(json_object_get(s, "total"), "on_time") : NULL),
	    "no deadline has an outcome yet: on_time is null");
	CHECK(s != NULL && json_is_true(json_object_get(json_object_get(s,
	    "total"), "none_due")), "and none_due says why");
	json_decref(s);
	html = statistik(t0 + 60, 1);
	CHECK(html != NULL && strstr(html, "<td>—</td>") != NULL &&
	    strstr(html, "100%") == NULL &&
	    strstr(html, "&quot;—&quot; pada Tepat waktu") != NULL,
	    "/statistik: nothing due yet is \"—\", explained, never 100 %");
	CHECK(html != NULL && strstr(html, "<th scope=\"row\">Dinas PU</th>") !=
	    NULL && strstr(html, "<th scope=\"row\">Semua instansi</th>") !=
	    NULL, "/statistik: agencies by name and a total row");
	free(html);
	html = statistik(t0 + 60, 5);
	CHECK(html != NULL && strstr(html, "kurang dari 5 laporan") != NULL &&
	    strstr(html, "&lt; 5") == NULL && strstr(html, "<td>—</td>") ==
	    NULL, "/statistik: below the threshold, in words; none_due untold");
	free(html);

	CHECK(srv_watch_sweep(&ctx, t0 + DAY, &n) == STORE_OK && n == 0,
	    "the watch marks nothing before a deadline");
	CHECK(srv_watch_sweep(&ctx, t0 + 10 * DAY, &n) == STORE_OK && n == 3,
	    "the watch marks the three passed dispose deadlines");
	CHECK(srv_watch_sweep(&ctx, t0 + 10 * DAY, &n) == STORE_OK && n == 0,
	    "and each only once");
	s = stats(t0 + 10 * DAY);
	CHECK(s != NULL && json_is_false(json_object_get(json_object_get(s,
	    "total"), "none_due")), "passed deadlines: none_due is false");
	CHECK(s != NULL && num(s, "total", "overdue") == 3 &&
	    num(json_object_get(s, "total"), "on_time_by_stage", "dispose") == 0,
	    "passed deadlines count late and overdue");
	json_decref(s);
	CHECK(recount(0) == 0, "the recount agrees with the counters");

	/* A late disposition: still late, no longer overdue (the agency's
	 * deadlines are new). */
	session("pusat", t0 + 10 * DAY, ca);
	snprintf(body, sizeof(body), "{\"action\":\"dispose\",\"agency\":"
	    "\"dinas-pu\"}");
	CHECK(call(api_cases_action, body, ca, refs[0], NULL, t0 + 10 * DAY,
	    NULL) == 200, "a late disposition");
	s = stats(t0 + 10 * DAY);
	CHECK(s != NULL && num(s, "total", "overdue") == 2 &&
	    num(json_object_get(s, "total"), "on_time_by_stage", "dispose") == 0 &&
	    num(json_object_get(s, "total"), "by_status", "dispositioned") == 1,
	    "the disposed case counts late, not overdue, dispositioned");
	CHECK(s != NULL && num(s, "total", "median_days_to_disposition") == 10,
	    "median days to disposition from the day histograms");
	json_decref(s);
	CHECK(recount(0) == 0, "the recount still agrees");
}

/* A counter changed behind the server's back is found and fixed. */
struct first {
	uint8_t	k[STORE_KEY_MAX];
	size_t	n;
};

static int
first_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct first *f = arg;

	(void)val;
	(void)vlen;
	memcpy(f->k, key, klen);
	f->n = klen;
	return STORE_STOP;
}

static int
tamper_job(struct store_txn *txn, void *arg)
{
	struct first	f;
	uint8_t		val[9] = { SRV_RECORD_V1 };
	int		rc;

	(void)arg;
	memset(&f, 0, sizeof(f));
	rc = store_each(txn, STORE_T_STATS, SRV_STATS_PREFIX, 2,
	    SRV_STATS_PREFIX, 2, first_each, &f);
	if (rc != STORE_OK || f.n == 0)
		return STORE_NOTFOUND;
	store_be64_put(val + 1, 777);
	return store_put(txn, STORE_T_STATS, f.k, f.n, val, sizeof(val), 0);
}

static void
test_recount(void)
{
	CHECK(store_write(st, tamper_job, NULL) == STORE_OK,
	    "a counter is tampered with");
	CHECK(recount(0) == 1, "the recount names exactly that difference");
	CHECK(recount(1) == 1 && recount(0) == 0,
	    "the recount with fix puts it right");
}

/* Retention by calendar months: a case is kept at least that many
 * months. Rejected on 15 January at 12:00 WIB with "rejected": 1, it goes
 * at 12:00 WIB on 15 February; rejected on 31 January, when February has
 * no 31st, at the start of 1 March. */
static int
reject_at(const char *iso, char ref[CORE_CASE_REF_MAX])
{
	char	ca[128];
	time_t	t = at(iso);

	if (submit("Laporan untuk retensi", t - 3600, ref) == -1)
		return -1;
	session("pusat", t, ca);
	return call(api_cases_action, "{\"action\":\"reject\",\"reason\":"
	    "\"incomplete\"}", ca, ref, NULL, t, NULL) == 200 ? 0 : -1;
}

static void
test_retention(void)
{
	char	r15[CORE_CASE_REF_MAX], r31[CORE_CASE_REF_MAX], ca[128];
	json_t	*v = NULL;
	size_t	n = 0;

	CHECK(reject_at("2026-01-15T05:00:00Z", r15) == 0 &&
	    reject_at("2026-01-31T05:00:00Z", r31) == 0,
	    "cases rejected on 15 and 31 January");
	cfg.retention_months[SRV_RETAIN_REJECTED] = 1;
	cfg.retention_policy = 1u << SRV_RETAIN_REJECTED;
	cfg.retention_unit = 0;
	CHECK(srv_retention_sweep(&ctx, at("2026-02-15T04:59:59Z"), &n) ==
	    STORE_OK && n == 0, "not due a second before 15 February 12:00");
	CHECK(srv_retention_sweep(&ctx, at("2026-02-15T05:00:00Z"), &n) ==
	    STORE_OK && n == 1, "the one of 15 January goes at 15 February 12:00");
	CHECK(srv_retention_sweep(&ctx, at("2026-02-28T16:59:59Z"), &n) ==
	    STORE_OK && n == 0, "the one of 31 January stays through February");
	CHECK(srv_retention_sweep(&ctx, at("2026-02-28T17:00:00Z"), &n) ==
	    STORE_OK && n == 1, "and goes on 1 March");
	session("pusat", at("2026-03-01T00:00:00Z"), ca);
	CHECK(call(api_cases_get, NULL, ca, r31, NULL,
	    at("2026-03-01T00:00:00Z"), &v) == 404, "the shredded case is gone");
	json_decref(v);
	CHECK(recount(0) == 0, "its counts stay and the recount agrees");
	cfg.retention_policy = 0;
}

static void
test_zip(void)
{
	char		 path[PATH_MAX], cmd[PATH_MAX + 64];
	struct srv_zip	*z = srv_zip_new(at("2026-07-01T00:00:00Z"));
	uint8_t		*out = NULL;
	size_t		 len = 0;
	FILE		*f;
	int		 ok;

	CHECK(z != NULL && srv_zip_add(z, "case.json", "{}", 2) == 0 &&
	    srv_zip_add(z, "attachments/1-foto \xc3\xa9.jpg", "\xff\xd8", 2) ==
	    0 && srv_zip_add(z, "empty.txt", "", 0) == 0,
	    "zip: entries with UTF-8 names and an empty one");
	CHECK(srv_zip_add(z, "../evil", "x", 1) == -1 &&
	    srv_zip_add(z, "/abs", "x", 1) == -1 &&
	    srv_zip_add(z, "a/../b", "x", 1) == -1 &&
	    srv_zip_add(z, "a\\b", "x", 1) == -1 &&
	    srv_zip_add(z, "a//b", "x", 1) == -1 &&
	    srv_zip_add(z, "", "x", 1) == -1 &&
	    srv_zip_add(z, "bad\xff", "x", 1) == -1,
	    "zip: names that could escape or are not UTF-8 are refused");
	CHECK(srv_zip_finish(z, &out, &len) == 0 && len > 22 &&
	    memcmp(out, "PK\x03\x04", 4) == 0 &&
	    memcmp(out + len - 22, "PK\x05\x06", 4) == 0 && out[len - 12] == 3,
	    "zip: local headers, a central directory of 3 entries");
	snprintf(path, sizeof(path), "%s/t.zip", dir);
	if ((f = fopen(path, "wb")) != NULL) {
		(void)!fwrite(out, 1, len, f);
		fclose(f);
	}
	/* unzip comes from scripts/deps.sh; without it this check fails. */
	snprintf(cmd, sizeof(cmd), "unzip -tq '%s' > /dev/null 2>&1", path);
	ok = system(cmd) == 0;
	CHECK(ok, "zip: unzip -t finds the archive sound");
	free(out);
}

int
main(void)
{
	char	err[256], cmd[PATH_MAX + 16];
	size_t	i;

	if (crypto_init() == -1 || mkdtemp(dir) == NULL) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	core_json_wipe_on_free();
	srv_log_set_level(LOG_ERR);
	srv_config_defaults(&cfg);
	cfg.pow_difficulty = 0;
	for (i = 0; srv_shipped_holidays[i] != NULL; i++)
		if (core_calendar_add(&cfg.calendar,
		    srv_shipped_holidays[i]) == -1)
			return 1;
	if (srv_keys_create(dir) == -1 || srv_keys_load(dir, &keys) == -1 ||
	    store_open(dir, STORE_CREATE, &st) != STORE_OK) {
		fprintf(stderr, "store setup failed\n");
		return 1;
	}
	ctx.store = st;
	ctx.keys = &keys;
	ctx.cfg = &cfg;
	srv_audit_init(&keys);
	if (srv_directory_agency_put(st, "dinas-pu", "Dinas PU", NULL, NULL,
	    err, sizeof(err)) == -1 ||
	    srv_users_add(st, "pusat", "central_admin", NULL, PW, strlen(PW),
	    at("2026-01-01T00:00:00Z"), NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "directory: %s\n", err);
		return 1;
	}
	srv_auth_init();

	test_watch();
	test_recount();
	test_retention();
	test_zip();

	store_close(st);
	srv_keys_free(&keys);
	srv_config_free(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tap_done();
}
