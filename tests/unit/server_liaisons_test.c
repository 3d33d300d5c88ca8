/*
 * server_liaisons_test.c: GET /api/v1/liaisons (users.c) at its bound,
 * against a real LMDB store with real keys.
 *
 * The list is capped at SRV_LIAISONS_MAX: with exactly that many active
 * liaisons of an agency all are listed, sorted by username, "capped"
 * false; with one more, SRV_LIAISONS_MAX are listed and "capped" is true.
 * Disabled liaisons, other roles and other agencies are never listed; a
 * sub-agency's liaisons are. The liaisons' records are written directly
 * (as `bisikd user add` would, without a password: the list never reads
 * one), so that a thousand accounts take no password hashing.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server.h"
#include "tests/unit/tap.h"

static char		 dir[] = "/tmp/bisik-liaisons-XXXXXX";
static struct srv_ctx	 ctx;
static struct srv_keys	 keys;
static struct srv_config cfg;
static struct store	*st;

static const char PW[] = "correct horse battery staple";
#define NOW	((time_t)1780000000)	/* 2026-05-28 */

static unsigned
call(srv_handler fn, const char *body, const char *token,
    const char *const *args, json_t **out)
{
	struct srv_request	rq;
	struct srv_reply	rp;
	char			auth[128];

	memset(&rq, 0, sizeof(rq));
	memset(&rp, 0, sizeof(rp));
	rq.method = body != NULL ? "POST" : "GET";
	rq.path = "/api/v1/liaisons";
	rq.body = body != NULL ? body : "";
	rq.len = strlen(rq.body);
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		rq.authorization = auth;
	}
	rq.content_type = "application/json";
	rq.args = args;
	rq.now = NOW;
	fn(&ctx, &rq, &rp);
	if (out != NULL)
		*out = rp.body;
	else
		json_decref(rp.body);
	return rp.status;
}

/* Liaison records with ids from..from+n-1 (usernames l-<id>). */
struct put_job {
	uint64_t	 from;
	size_t		 n;
	const char	*role, *agency;
	int		 disabled;
};

static int
put_users(struct store_txn *txn, void *arg)
{
	struct put_job	*j = arg;
	json_t		*rec;
	char		 name[32];
	size_t		 i;
	int		 rc = STORE_OK;

	for (i = 0; i < j->n && rc == STORE_OK; i++) {
		snprintf(name, sizeof(name), "l-%06llu",
		    (unsigned long long)(j->from + i));
		if ((rec = json_pack("{s:s, s:s, s:s, s:b}", "username", name,
		    "role", j->role, "agency", j->agency, "disabled",
		    j->disabled)) == NULL)
			return STORE_IO;
		rc = srv_users_put(txn, j->from + i, rec);
		json_decref(rec);
	}
	return rc;
}

static int
users(uint64_t from, size_t n, const char *role, const char *agency,
    int disabled)
{
	struct put_job j = { from, n, role, agency, disabled };

	return store_write(st, put_users, &j) == STORE_OK ? 0 : -1;
}

/* GET /liaisons?agency=ID: the count, whether capped, whether sorted. */
static unsigned
list(const char *tok, const char *agency, size_t *n, int *capped,
    int *sorted)
{
	const char *const	 args[] = { "agency", agency, NULL };
	json_t			*out = NULL, *e;
	const char		*prev = "", *u;
	unsigned		 status;
	size_t			 i;

	*n = 0;
	*capped = -1;
	*sorted = 1;
	status = call(api_users_liaisons, NULL, tok, args, &out);
	json_array_foreach(json_object_get(out, "liaisons"), i, e) {
		u = json_string_value(json_object_get(e, "username"));
		if (u == NULL || strcmp(prev, u) >= 0)
			*sorted = 0;
		prev = u != NULL ? u : "";
	}
	*n = json_array_size(json_object_get(out, "liaisons"));
	*capped = json_is_true(json_object_get(out, "capped"));
	json_decref(out);
	return status;
}

int
main(void)
{
	char	 err[256], tok[128] = "", cmd[PATH_MAX + 16];
	json_t	*out = NULL, *req;
	char	*text;
	size_t	 n;
	int	 capped, sorted;

	if (crypto_init() == -1 || mkdtemp(dir) == NULL) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	core_json_wipe_on_free();
	srv_log_set_level(LOG_ERR);
	srv_config_defaults(&cfg);
	if (srv_keys_create(dir) == -1 || srv_keys_load(dir, &keys) == -1 ||
	    store_open(dir, STORE_CREATE, &st) != STORE_OK) {
		fprintf(stderr, "store setup failed\n");
		return 1;
	}
	ctx.store = st;
	ctx.keys = &keys;
	ctx.cfg = &cfg;
	srv_audit_init(&keys);
	srv_auth_init();
	if (srv_directory_agency_put(st, "dinas-pu", "Dinas PU", NULL, NULL,
	    err, sizeof(err)) == -1 ||
	    srv_directory_agency_put(st, "dinas-pu-bdg", "Dinas PU Bandung",
	    "dinas-pu", NULL, err, sizeof(err)) == -1 ||
	    srv_directory_agency_put(st, "dinkes", "Dinas Kesehatan", NULL,
	    NULL, err, sizeof(err)) == -1 ||
	    srv_users_add(st, "pusat", "central_admin", NULL, PW, strlen(PW),
	    NOW, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "directory: %s\n", err);
		return 1;
	}
	req = json_pack("{s:s, s:s}", "username", "pusat", "password", PW);
	text = json_dumps(req, JSON_COMPACT);
	if (call(api_auth_login, text, NULL, NULL, &out) == 200)
		snprintf(tok, sizeof(tok), "%s", json_string_value(
		    json_object_get(out, "session")));
	json_decref(out);
	json_decref(req);
	core_json_free(text);
	CHECK(tok[0] != '\0', "a central admin signs in");

	/* SRV_LIAISONS_MAX - 1 of the agency, one of its sub-agency, and
	 * some that never count. */
	CHECK(users(1000, SRV_LIAISONS_MAX - 1, "liaison", "dinas-pu", 0) ==
	    0 && users(5000, 1, "liaison", "dinas-pu-bdg", 0) == 0 &&
	    users(6000, 3, "liaison", "dinas-pu", 1) == 0 &&
	    users(7000, 3, "agency_admin", "dinas-pu", 0) == 0 &&
	    users(8000, 3, "liaison", "dinkes", 0) == 0,
	    "set up SRV_LIAISONS_MAX liaisons and others");
	CHECK(list(tok, "dinas-pu", &n, &capped, &sorted) == 200 &&
	    n == SRV_LIAISONS_MAX && capped == 0 && sorted,
	    "exactly SRV_LIAISONS_MAX: all listed, sorted, not capped");
	CHECK(list(tok, "dinas-pu-bdg", &n, &capped, &sorted) == 200 &&
	    n == 1 && capped == 0,
	    "a sub-agency: only its own liaison");
	CHECK(list(tok, "dinkes", &n, &capped, &sorted) == 200 && n == 3,
	    "another agency: its own three");
	CHECK(users(9000, 1, "liaison", "dinas-pu", 0) == 0,
	    "set up one liaison more");
	CHECK(list(tok, "dinas-pu", &n, &capped, &sorted) == 200 &&
	    n == SRV_LIAISONS_MAX && capped == 1 && sorted,
	    "one more: SRV_LIAISONS_MAX listed, capped");
	CHECK(list(tok, "nowhere", &n, &capped, &sorted) == 404,
	    "an unknown agency: 404");

	store_close(st);
	srv_keys_free(&keys);
	srv_config_free(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tap_done();
}
