/*
 * server_workflow_test.c: the staff workflow (server/workflow.c,
 * api_cases.c, queue.c, sweeper.c) against a real LMDB store in a
 * temporary directory, real keys and the shipped 2026 holidays.
 *
 * The handlers are called directly with a request whose `now` the test
 * chooses, so that deadlines are checked against dates worked out by hand
 * (Nyepi and Idul Fitri 2026 fall inside them), a case becomes overdue and
 * escalated without waiting, the reporter's 14 days to reopen run out,
 * and the automatic close is run at chosen times, including a backlog
 * larger than one sweep's batch.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server.h"
#include "tests/unit/tap.h"

extern const char *const srv_shipped_holidays[];

static char		 dir[] = "/tmp/bisik-wf-XXXXXX";
static struct srv_ctx	 ctx;
static struct srv_keys	 keys;
static struct srv_config cfg;
static struct store	*st;

static const char PW[] = "correct horse battery staple";
#define DAY	86400

/* "YYYY-MM-DDTHH:MM:SSZ" to time_t. */
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

static unsigned
call(srv_handler fn, const char *body, const char *token, const char *param,
    time_t now, json_t **out)
{
	struct srv_request	rq;
	struct srv_reply	rp;
	char			auth[128];

	memset(&rq, 0, sizeof(rq));
	memset(&rp, 0, sizeof(rp));
	rq.method = body != NULL ? "POST" : "GET";
	rq.path = "/api/v1/cases";
	rq.body = body != NULL ? body : "";
	rq.len = strlen(rq.body);
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		rq.authorization = auth;
	}
	rq.content_type = "application/json";
	rq.param[0] = param;
	rq.now = now;
	fn(&ctx, &rq, &rp);
	srv_http_reply_json(&rp);
	if (out != NULL)
		*out = rp.body;
	else
		json_decref(rp.body);
	return rp.status;
}

/* A fresh session of user at now (sessions expire; the test's clock
 * jumps by days). */
static void
session(const char *user, time_t now, char tok[128])
{
	json_t	*req = json_pack("{s:s, s:s}", "username", user, "password",
		    PW), *out = NULL;
	char	*text = json_dumps(req, JSON_COMPACT);

	tok[0] = '\0';
	if (call(api_auth_login, text, NULL, NULL, now, &out) == 200)
		snprintf(tok, 128, "%s", json_string_value(json_object_get(out,
		    "session")));
	json_decref(out);
	json_decref(req);
	core_json_free(text);
}

/* Files a report at now; ref and token out. */
static int
submit(const char *title, const char *visibility, time_t now,
    char ref[CORE_CASE_REF_MAX], char token[64])
{
	json_t	*req = json_pack("{s:s, s:s, s:s, s:s}", "kind", "complaint",
		    "title", title, "body", "Jalan di depan pasar berlubang "
		    "besar sejak bulan lalu.", "visibility", visibility);
	json_t	*out = NULL;
	char	*text = json_dumps(req, JSON_COMPACT);
	int	 rc = -1;

	if (call(api_report_submit, text, NULL, NULL, now, &out) == 201) {
		snprintf(ref, CORE_CASE_REF_MAX, "%s", json_string_value(
		    json_object_get(out, "case")));
		snprintf(token, 64, "%s", json_string_value(json_object_get(
		    out, "token")));
		rc = 0;
	}
	json_decref(out);
	json_decref(req);
	core_json_free(text);
	return rc;
}

static unsigned
action(const char *tok, const char *ref, const char *body, time_t now,
    json_t **out)
{
	return call(api_cases_action, body, tok, ref, now, out);
}

static int
str_is(const json_t *o, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL && want != NULL && strcmp(v, want) == 0;
}

static const char *
str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "(null)";
}

/* ---- deadlines on the 2026 calendar --------------------------------------- */

static void
test_deadlines(void)
{
	char	ca[128], aa[128], li[128], ref[CORE_CASE_REF_MAX], tok[64];
	json_t	*v = NULL, *dl;
	time_t	t0 = at("2026-03-16T02:00:00Z");	/* Mon 09:00 WIB */
	time_t	t1 = at("2026-03-26T03:00:00Z");	/* Thu 10:00 WIB */
	time_t	t2 = at("2026-04-01T03:00:00Z");	/* Wed 10:00 WIB */

	CHECK(submit("Lubang di jalan pasar", "public", t0, ref, tok) == 0,
	    "a report is filed on Mon 16 March 2026");
	session("pusat", t0, ca);
	CHECK(call(api_cases_get, NULL, ca, ref, t0, &v) == 200 &&
	    str_is(v, "due_at", "2026-03-26T16:59:59Z"),
	    "dispose due Thu 26 March: Nyepi, its leave days and Idul Fitri "
	    "leave (18-24 March) are skipped");
	json_decref(v);

	session("pusat", t1, ca);
	CHECK(action(ca, ref, "{\"action\":\"dispose\",\"agency\":"
	    "\"dinas-pu\"}", t1, &v) == 200, "disposed on Thu 26 March");
	dl = json_object_get(v, "deadlines");
	CHECK(str_is(dl, "accept", "2026-03-31T16:59:59Z"),
	    "accept due Tue 31 March (3 working days over a weekend)");
	CHECK(str_is(dl, "respond", "2026-04-02T16:59:59Z"),
	    "first answer due Thu 2 April (5 working days)");
	CHECK(str_is(v, "due_at", "2026-03-31T16:59:59Z"),
	    "due_at is the accept deadline");
	json_decref(v);

	session("admin-pu", t2, aa);
	CHECK(action(aa, ref, "{\"action\":\"accept\",\"liaison\":"
	    "\"lia-bdg\"}", t2, &v) == 200, "accepted on Wed 1 April");
	dl = json_object_get(v, "deadlines");
	CHECK(str_is(dl, "resolve", "2026-04-22T16:59:59Z"),
	    "resolve due Wed 22 April (14 working days, Good Friday "
	    "skipped)");
	CHECK(str_is(v, "due_at", "2026-04-02T16:59:59Z") &&
	    json_is_false(json_object_get(v, "overdue")),
	    "in progress: due at the first-answer deadline, not overdue");
	json_decref(v);

	/* Friday 3 April: the first answer is a day late. */
	session("lia-bdg", at("2026-04-03T01:00:00Z"), li);
	CHECK(call(api_cases_get, NULL, li, ref, at("2026-04-03T01:00:00Z"),
	    &v) == 200 && json_is_true(json_object_get(v, "overdue")) &&
	    json_is_true(json_object_get(v, "escalated")),
	    "a missed deadline makes the case overdue and escalated");
	json_decref(v);
	v = NULL;
	session("pusat", at("2026-04-03T01:00:00Z"), ca);
	CHECK(call(srv_queue_list, NULL, ca, NULL, at("2026-04-03T01:00:00Z"),
	    &v) == 200 && json_is_true(json_object_get(json_array_get(
	    json_object_get(v, "cases"), 0), "escalated")),
	    "the central queue shows it escalated");
	json_decref(v);
	v = NULL;
	CHECK(call(srv_queue_counts, NULL, ca, NULL, at("2026-04-03T01:00:00Z"),
	    &v) == 200 && json_integer_value(json_object_get(json_object_get(
	    json_object_get(v, "counts"), "in_progress"), "overdue")) == 1,
	    "counts: one overdue case in progress");
	json_decref(v);

	CHECK(action(li, ref, "{\"action\":\"respond\",\"note\":\"Kami cek\"}",
	    at("2026-04-03T01:00:00Z"), &v) == 200 &&
	    str_is(v, "due_at", "2026-04-22T16:59:59Z") &&
	    json_is_false(json_object_get(v, "overdue")),
	    "the late answer moves due_at to the resolve deadline");
	json_decref(v);
}

/* ---- reopen window and the automatic close ------------------------------ */

/* Sessions for resolved_case at `when`: a login costs an Argon2id hash,
 * so a backlog of cases shares them. One user each: a sign-in prunes the
 * user's sessions that have expired by its own time. */
struct sessions {
	time_t	when;
	char	ca[128], aa[128], li[128];
};

static void
sessions_at(time_t when, struct sessions *s)
{
	s->when = when;
	session("pusat", when - 2 * DAY, s->ca);
	session("admin-pu", when - DAY, s->aa);
	session("lia-bdg", when, s->li);
}

/* A case taken to resolved at s->when; ref and token out. */
static int
resolved_case(const struct sessions *s, char ref[CORE_CASE_REF_MAX],
    char tok[64])
{
	time_t when = s->when;

	if (submit("Lampu jalan padam", "confidential", when - 3 * DAY, ref,
	    tok) == -1)
		return -1;
	return action(s->ca, ref, "{\"action\":\"dispose\",\"agency\":"
	    "\"dinas-pu\"}", when - 2 * DAY, NULL) == 200 &&
	    action(s->aa, ref, "{\"action\":\"accept\",\"liaison\":"
	    "\"lia-bdg\"}", when - DAY, NULL) == 200 &&
	    action(s->li, ref, "{\"action\":\"resolve\",\"resolution\":"
	    "\"Sudah diperbaiki\"}", when, NULL) == 200 ? 0 : -1;
}

static unsigned
reporter(srv_handler fn, const char *tok, const char *body, time_t now,
    json_t **out)
{
	return call(fn, body, tok, NULL, now, out);
}

static int
count_of(const char *status, time_t now, const char *field)
{
	char	 ca[128];
	json_t	*v = NULL;
	int	 n = -1;

	session("pusat", now, ca);
	if (call(srv_queue_counts, NULL, ca, NULL, now, &v) == 200)
		n = (int)json_integer_value(json_object_get(json_object_get(
		    json_object_get(v, "counts"), status), field));
	json_decref(v);
	return n;
}

static void
test_reopen_and_close(void)
{
	char	ref[CORE_CASE_REF_MAX], tok[64], ref2[CORE_CASE_REF_MAX];
	char	tok2[64], ca[128];
	struct sessions ss;
	json_t	*v = NULL, *tl;
	size_t	closed;
	time_t	r = at("2026-06-10T03:00:00Z");

	sessions_at(r, &ss);
	CHECK(resolved_case(&ss, ref, tok) == 0, "a case is resolved");
	CHECK(resolved_case(&ss, ref2, tok2) == 0,
	    "a second case is resolved");
	CHECK(reporter(api_cases_followup_reopen, tok, "{\"reason\":\"Masih "
	    "padam\"}", r + 14 * DAY, &v) == 409 &&
	    strstr(str(json_object_get(v, "error"), "message"), "14 days") !=
	    NULL, "reopening 14 days after the resolution: 409");
	json_decref(v);
	v = NULL;
	CHECK(reporter(api_cases_followup_reopen, tok2, "{\"reason\":\"Masih "
	    "padam\"}", r + 14 * DAY - 60, &v) == 200 &&
	    str_is(v, "status", "in_progress"),
	    "reopening a minute before the 14 days end: 200");
	json_decref(v);

	CHECK(srv_sweeper_run(&ctx, r + 14 * DAY - 1, &closed) == STORE_OK &&
	    closed == 0, "the sweep closes nothing before the 14 days end");
	CHECK(srv_sweeper_run(&ctx, r + 14 * DAY, &closed) == STORE_OK &&
	    closed == 1, "the sweep closes the resolved case when they end");
	CHECK(srv_sweeper_run(&ctx, r + 14 * DAY, &closed) == STORE_OK &&
	    closed == 0, "a second sweep finds nothing more");
	v = NULL;
	CHECK(reporter(api_followup_get, tok, NULL, r + 14 * DAY, &v) == 200 &&
	    str_is(v, "status", "closed"), "the reporter sees it closed");
	tl = json_object_get(v, "timeline");
	CHECK(str_is(json_array_get(tl, json_array_size(tl) - 1), "by",
	    "system") && str_is(json_array_get(tl, json_array_size(tl) - 1),
	    "status", "closed"), "by the system, in the timeline");
	CHECK(json_is_true(json_object_get(json_array_get(tl,
	    json_array_size(tl) - 1), "automatic")) && str_is(v, "closed_by",
	    "system") && json_is_null(json_object_get(v, "rating")) &&
	    json_is_string(json_object_get(v, "closed_at")) &&
	    json_is_string(json_object_get(v, "resolved_at")),
	    "the reporter's view says the system closed it, and when");
	CHECK(json_is_object(json_object_get(v, "deadlines")) &&
	    json_is_string(json_object_get(json_object_get(v, "deadlines"),
	    "dispose")) && json_is_false(json_object_get(v, "identity")) &&
	    json_is_string(json_object_get(v, "resolution")),
	    "the reporter's view has the deadlines, identity line, resolution");
	json_decref(v);
	v = NULL;
	session("pusat", r + 14 * DAY, ca);
	CHECK(call(api_cases_get, NULL, ca, ref2, r + 14 * DAY, &v) == 200 &&
	    str_is(v, "status", "in_progress"),
	    "the reopened case is left alone");
	json_decref(v);
	v = NULL;
	CHECK(reporter(api_cases_followup_confirm, tok, "{\"rating\":5}",
	    r + 14 * DAY, &v) == 409, "a closed case takes no rating");
	json_decref(v);
}

static void
test_backlog(void)
{
	char	ref[CORE_CASE_REF_MAX], tok[64];
	struct sessions ss;
	size_t	closed, i, made = 0;
	time_t	r = at("2026-07-01T03:00:00Z");
	int	before = count_of("closed", r, "total");

	sessions_at(r, &ss);
	for (i = 0; i < SRV_SWEEP_BATCH + 3; i++)
		made += resolved_case(&ss, ref, tok) == 0;
	CHECK(made == SRV_SWEEP_BATCH + 3, "a backlog of resolved cases");
	CHECK(count_of("resolved", r, "total") == SRV_SWEEP_BATCH + 3,
	    "counts: all of them resolved");
	CHECK(srv_sweeper_run(&ctx, r + 30 * DAY, &closed) == STORE_OK &&
	    closed == SRV_SWEEP_BATCH, "one sweep closes one batch");
	CHECK(srv_sweeper_run(&ctx, r + 30 * DAY, &closed) == STORE_OK &&
	    closed == 3, "the next sweep the rest");
	CHECK(count_of("resolved", r + 30 * DAY, "total") == 0 &&
	    count_of("closed", r + 30 * DAY, "total") ==
	    before + SRV_SWEEP_BATCH + 3, "counts follow the closes");
}

/* The raw case record of seq: set (add the plain content hash a record
 * written before keyed hashes carried) or read it back. */
struct raw_case {
	uint64_t	 seq;
	int		 add;	/* 1: add "content_hash"; 0: read */
	int		 has;	/* out: the record holds "content_hash" */
};

static int
raw_case_job(struct store_txn *txn, void *arg)
{
	struct raw_case	*r = arg;
	uint8_t		 key[8];
	json_t		*meta = NULL;
	int		 rc;

	store_be64_put(key, r->seq);
	if ((rc = srv_record_get(txn, STORE_T_CASES, key, 8, &meta)) !=
	    STORE_OK)
		return rc;
	if (r->add) {
		json_object_set_new(meta, "content_hash", json_string(
		    "7r1dTjaGXy9sRxCJQ7Z2aQ8Y1lXCMgm4l3m1b2d9QdE="));
		rc = srv_record_put(txn, STORE_T_CASES, key, 8, meta, 0);
	}
	r->has = json_object_get(meta, "content_hash") != NULL;
	json_decref(meta);
	return rc;
}

/*
 * No content hash in plain (SECURITY.md, "What is logged and stored"): a
 * new case's record holds none, and a record from before that carries
 * one loses it at its next rewrite.
 */
static void
test_content_hash(void)
{
	char		ref[CORE_CASE_REF_MAX], tok[64], ca[128];
	struct raw_case	r = { 0, 0, 0 };
	time_t		t = at("2026-08-03T03:00:00Z");
	json_t		*v = NULL;
	int		year;

	session("pusat", t, ca);
	CHECK(submit("Hash isi tidak disimpan", "confidential", t, ref,
	    tok) == 0 && core_case_ref_parse(ref, &year, &r.seq) == 0,
	    "content hash: a case is filed");
	CHECK(store_read(st, raw_case_job, &r) == STORE_OK && !r.has,
	    "content hash: its record holds none");
	r.add = 1;
	CHECK(store_write(st, raw_case_job, &r) == STORE_OK,
	    "content hash: an old record with one is written as root would");
	r.add = 0;
	CHECK(store_read(st, raw_case_job, &r) == STORE_OK && r.has,
	    "content hash: the old record carries it");
	CHECK(action(ca, ref, "{\"action\":\"dispose\",\"agency\":"
	    "\"dinas-pu\"}", t + 60, &v) == 200, "content hash: disposed");
	json_decref(v);
	CHECK(store_read(st, raw_case_job, &r) == STORE_OK && !r.has,
	    "content hash: the rewrite dropped it");
}

/*
 * The agency's copy of an older filter's record is filtered again when
 * read (docs/formats.md): version 2 left "9914567 12-03-2026" of
 * "9914567 12-03-2026 34o@gmail.com" (it did not read its own output);
 * read now, it is masked as the NPWP it is once the address is a marker.
 * A record of the current version is taken as stored.
 */
struct old_copy {
	uint64_t	 seq;
	int		 version;	/* write: redact_v to store */
	int		 write;
	char		 copy[128];	/* read: redacted_body */
	json_int_t	 v;		/* read: redact_v as loaded */
};

static int
old_copy_job(struct store_txn *txn, void *arg)
{
	struct old_copy	*o = arg;
	struct srv_case	 c;
	char		*text;
	int		 rc;

	if ((rc = srv_case_load(txn, &keys, o->seq, &c)) != STORE_OK)
		return rc;
	if (o->write) {
		json_object_set_new(c.content, "body", json_string(
		    "9914567 12-03-2026 34o@gmail.com"));
		json_object_set_new(c.content, "redacted_body", json_string(
		    "9914567 12-03-2026 [email disamarkan]"));
		json_object_set_new(c.content, "redact_v",
		    json_integer(o->version));
		text = json_dumps(c.content, JSON_COMPACT);
		rc = text == NULL ? STORE_IO : srv_case_content_write(txn,
		    o->seq, c.dek, text, strlen(text));
		core_json_free(text);
	} else {
		snprintf(o->copy, sizeof(o->copy), "%s", str(c.content,
		    "redacted_body"));
		o->v = json_integer_value(json_object_get(c.content,
		    "redact_v"));
	}
	srv_case_free(&c);
	return rc;
}

static void
test_redact_version(void)
{
	char		ref[CORE_CASE_REF_MAX], tok[64];
	struct old_copy	o;
	time_t		t = at("2026-08-04T03:00:00Z");
	int		year;

	memset(&o, 0, sizeof(o));
	CHECK(submit("Salinan lama", "confidential", t, ref, tok) == 0 &&
	    core_case_ref_parse(ref, &year, &o.seq) == 0,
	    "redact version: a case is filed");
	o.write = 1;
	o.version = 2;
	CHECK(store_write(st, old_copy_job, &o) == STORE_OK,
	    "redact version: a copy of filter version 2 is stored");
	o.write = 0;
	CHECK(store_read(st, old_copy_job, &o) == STORE_OK &&
	    strcmp(o.copy, "[NPWP disamarkan] [email disamarkan]") == 0 &&
	    o.v == CORE_REDACT_VERSION,
	    "redact version: version 2's copy is filtered again when read");
	o.write = 1;
	o.version = CORE_REDACT_VERSION;
	CHECK(store_write(st, old_copy_job, &o) == STORE_OK,
	    "redact version: the same copy stored as the current version");
	o.write = 0;
	CHECK(store_read(st, old_copy_job, &o) == STORE_OK &&
	    strcmp(o.copy, "9914567 12-03-2026 [email disamarkan]") == 0,
	    "redact version: the current version's copy is read as stored");
}

static void
test_thread(void)
{
	struct timespec a, b;
	double		 s;
	unsigned	 was = cfg.sweep_interval;

	/*
	 * With the longest interval, a sweeper that waited out its interval
	 * before stopping would take an hour; 600 s only ends such a hang
	 * (no speed is asserted: a stop that wakes the thread takes
	 * milliseconds).
	 */
	cfg.sweep_interval = SRV_SWEEP_INTERVAL_MAX;
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(srv_sweeper_start(&ctx) == 0, "the sweeper thread starts");
	CHECK(srv_sweeper_start(&ctx) == -1, "only once");
	srv_sweeper_stop();
	clock_gettime(CLOCK_MONOTONIC, &b);
	s = (double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	CHECK(s < 600, "and stops when told, not after its interval");
	srv_sweeper_stop();	/* harmless twice */
	CHECK(srv_sweeper_start(&ctx) == 0, "and starts again");
	srv_sweeper_stop();
	cfg.sweep_interval = was;
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
	/* Offline commands (user, agency) sign audit entries. */
	srv_audit_init(&keys);
	if (srv_directory_agency_put(st, "dinas-pu", "Dinas PU", NULL, NULL,
	    err, sizeof(err)) == -1 ||
	    srv_directory_agency_put(st, "dinas-pu-bdg", "Dinas PU Bandung",
	    "dinas-pu", NULL, err, sizeof(err)) == -1 ||
	    srv_users_add(st, "pusat", "central_admin", NULL, PW, strlen(PW),
	    at("2026-01-01T00:00:00Z"), NULL, err, sizeof(err)) == -1 ||
	    srv_users_add(st, "admin-pu", "agency_admin", "dinas-pu", PW,
	    strlen(PW), at("2026-01-01T00:00:00Z"), NULL, err,
	    sizeof(err)) == -1 ||
	    srv_users_add(st, "lia-bdg", "liaison", "dinas-pu-bdg", PW,
	    strlen(PW), at("2026-01-01T00:00:00Z"), NULL, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "directory: %s\n", err);
		return 1;
	}
	srv_auth_init();

	test_deadlines();
	test_reopen_and_close();
	test_backlog();
	test_content_hash();
	test_redact_version();
	test_thread();

	store_close(st);
	srv_keys_free(&keys);
	srv_config_free(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tap_done();
}
