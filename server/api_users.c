/*
 * api_users.c: GET /api/v1/liaisons, the one route that reads staff
 * accounts (users.c): it names the liaisons a case may be given to (their
 * usernames and agencies, nothing else), within the caller's scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

struct liaison_arg {
	struct store_txn	*txn;
	const struct srv_staff	*st;
	struct srv_staff	 probe;	/* an admin of the case's agency */
	int			 all;	/* every agency (central admins) */
	json_t			*out;
	int			 capped;
};

static int
liaison_one(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct liaison_arg	*a = arg;
	const char		*role, *agency, *name;
	json_t			*rec, *o;
	int			 rc = 0;

	(void)key;
	if (klen != 8 || srv_record_decode(val, vlen, &rec) != STORE_OK)
		return STORE_CORRUPT;
	role = json_string_value(json_object_get(rec, "role"));
	agency = json_string_value(json_object_get(rec, "agency"));
	name = json_string_value(json_object_get(rec, "username"));
	/* The same test as the accept action (api_cases.c), and within
	 * what the caller may see. */
	if (role != NULL && strcmp(role, "liaison") == 0 && name != NULL &&
	    agency != NULL && !json_is_true(json_object_get(rec, "disabled")) &&
	    (a->all || srv_directory_scope(a->txn, &a->probe, agency)) &&
	    srv_directory_scope(a->txn, a->st, agency)) {
		if (json_array_size(a->out) == SRV_LIAISONS_MAX) {
			a->capped = 1;
			rc = STORE_STOP;
		} else if ((o = json_pack("{s:s, s:s}", "username", name,
		    "agency", agency)) == NULL ||
		    json_array_append_new(a->out, o) == -1)
			rc = STORE_IO;
	}
	json_decref(rec);
	return rc;
}

static int
liaisons_read(struct store_txn *txn, void *arg)
{
	struct liaison_arg	*a = arg;
	int			 rc;

	a->txn = txn;
	/* An agency outside the caller's reach is as unknown as one that
	 * does not exist. */
	if (!a->all && (!srv_directory_agency_exists(txn, a->probe.agency) ||
	    !srv_directory_scope(txn, a->st, a->probe.agency)))
		return STORE_NOTFOUND;
	rc = store_each(txn, STORE_T_USERS, NULL, 0, NULL, 0, liaison_one, a);
	return rc;
}

static int
by_username(const void *x, const void *y)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)x,
	    "username")), json_string_value(json_object_get(
	    *(json_t *const *)y, "username")));
}

/* Every agency's: grouped by agency id, then by username. */
static int
by_agency(const void *x, const void *y)
{
	int c = strcmp(json_string_value(json_object_get(*(json_t *const *)x,
	    "agency")), json_string_value(json_object_get(*(json_t *const *)y,
	    "agency")));

	return c != 0 ? c : by_username(x, y);
}

void
api_users_liaisons(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const char *const allowed[] = { "agency" };
	struct srv_staff	 st = { 0 };
	struct liaison_arg	 a = { 0 };
	struct core_errors	 errs;
	const char		*agency = srv_http_query(rq, "agency");
	json_t			**v = NULL, *sorted = NULL;
	size_t			 i, n;
	int			 rc;

	memset(&a, 0, sizeof(a));
	memset(&errs, 0, sizeof(errs));
	if (srv_auth_staff(ctx, rq, &st, rp) == -1)
		return;
	if (st.role != CORE_ROLE_CENTRAL_ADMIN &&
	    st.role != CORE_ROLE_AGENCY_ADMIN) {
		srv_http_error(rp, 403, "forbidden",
		    "Your role may not do this.");
		goto out;
	}
	if (srv_http_query_check(rq, allowed, 1) == -1) {
		errs.message = "The query has a parameter that is not known or "
		    "is repeated.";
		srv_http_error_core(rp, CORE_MALFORMED, &errs);
		goto out;
	}
	if (agency == NULL && st.role == CORE_ROLE_AGENCY_ADMIN)
		agency = st.agency;
	/* A central admin's queue filter lists every agency's liaisons. */
	a.all = agency == NULL && st.role == CORE_ROLE_CENTRAL_ADMIN;
	if (!a.all && (agency == NULL || !core_id_ok(agency))) {
		errs.message = "Name the agency by its id.";
		core_errors_add(&errs, "agency", agency == NULL ? "required" :
		    "invalid");
		srv_http_error_core(rp, CORE_INVALID, &errs);
		goto out;
	}
	a.st = &st;
	a.probe.role = CORE_ROLE_AGENCY_ADMIN;
	snprintf(a.probe.agency, sizeof(a.probe.agency), "%s", a.all ? "" :
	    agency);
	if ((a.out = json_array()) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	rc = store_read(ctx->store, liaisons_read, &a);
	if (rc == STORE_NOTFOUND) {
		srv_http_error(rp, 404, "not_found", "Nothing is here.");
		goto out;
	}
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	n = json_array_size(a.out);
	if (n > 0 && (v = calloc(n, sizeof(*v))) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	for (i = 0; i < n; i++)
		v[i] = json_array_get(a.out, i);
	if (n > 0)
		qsort(v, n, sizeof(*v), a.all ? by_agency : by_username);
	if ((sorted = json_array()) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	srv_http_ok(rp, 200, json_pack("{s:s?, s:o, s:b}", "agency", agency,
	    "liaisons", sorted, "capped", a.capped));
	sorted = NULL;
 out:
	free(v);
	json_decref(sorted);
	json_decref(a.out);
	crypto_wipe(&st, sizeof(st));
}
