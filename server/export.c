/*
 * export.c: GET /api/v1/cases/{case}/export, one case as a ZIP archive
 * for a staff member who may see it:
 *
 *   case.json        the staff view of GET /cases/{case} without its
 *                    timeline and messages
 *   timeline.json    {"case", "timeline", "messages"}
 *   attachments/N-NAME  each attachment as the caller gets it
 *
 * It is exactly what the caller could read through the API, in one file:
 * agency staff get the redacted view (redacted title and body, reporter
 * messages through the filter, reporters' files as the agency copy named
 * lampiran-N), central admins their own view (with the original text)
 * and the agency copies too: an original, whose metadata may locate a
 * reporter, is fetched one by one (?variant=original) and audited there.
 * Never the identity. Auditors get 403, out of scope is 404.
 *
 * The export is audited ("case.export", in its own transaction before the
 * archive is read): a copy of a case leaving the system is an event. At
 * most SRV_EXPORT_JOBS archives are built at once, each in memory, wiped
 * once sent.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

static atomic_uint g_exports;

struct export_job {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const char		*ref;
	uint64_t		 seq;
	time_t			 now;
	uint8_t			*zip;		/* out */
	size_t			 len;
};

static int
load_scoped(struct store_txn *txn, struct export_job *j, struct srv_case *c)
{
	int rc;

	if ((rc = srv_case_load(txn, j->ctx->keys, j->seq, c)) != STORE_OK)
		return rc;
	if (strcmp(c->ref, j->ref) != 0 ||
	    !srv_workflow_in_scope(txn, j->st, c->meta)) {
		srv_case_free(c);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

static int
audit_job(struct store_txn *txn, void *arg)
{
	struct export_job	*j = arg;
	struct srv_case		 c;
	char			 actor[96];
	json_t			*d;
	int			 rc;

	if ((rc = load_scoped(txn, j, &c)) != STORE_OK)
		return rc;
	srv_audit_actor(j->st, actor, sizeof(actor));
	d = json_pack("{s:s}", "view", j->st->role == CORE_ROLE_CENTRAL_ADMIN ?
	    "central" : "agency");
	rc = d == NULL ? STORE_IO : srv_audit_append(txn, j->ctx->keys, j->now,
	    actor, "case.export", c.ref, NULL, d);
	json_decref(d);
	srv_case_free(&c);
	return rc;
}

/* "attachments/N-NAME" with the name made safe for any unzip. */
static void
entry_name(uint32_t n, const char *name, char *out, size_t outlen)
{
	size_t	o, i;

	o = (size_t)snprintf(out, outlen, "attachments/%" PRIu32 "-", n);
	for (i = 0; name[i] != '\0' && o + 1 < outlen; i++)
		out[o++] = (unsigned char)name[i] < 0x20 || name[i] == '/' ||
		    name[i] == '\\' || name[i] == ':' || name[i] == 0x7f ?
		    '_' : name[i];
	out[o] = '\0';
	/* A name cut inside a UTF-8 sequence loses the broken end. */
	while (o > 0 && core_utf8_len(out, o) < 0)
		out[--o] = '\0';
}

static int
add_json(struct srv_zip *z, const char *name, const json_t *v)
{
	char	*text;
	int	 rc;

	if ((text = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS)) == NULL)
		return -1;
	rc = srv_zip_add(z, name, text, strlen(text));
	crypto_wipe(text, strlen(text));
	core_json_free(text);
	return rc;
}

static int
build_job(struct store_txn *txn, void *arg)
{
	struct export_job	*j = arg;
	struct srv_case		 c = { 0 };
	struct srv_zip		*z = NULL;
	json_t			*view = NULL, *tl = NULL, *a;
	uint8_t			*data;
	size_t			 len, i;
	char			 name[SRV_ATTACH_NAME_BYTES], path[640];
	int			 rc = STORE_IO, type, audience;

	if ((rc = load_scoped(txn, j, &c)) != STORE_OK)
		return rc;
	audience = j->st->role == CORE_ROLE_CENTRAL_ADMIN ? SRV_AUD_CENTRAL :
	    SRV_AUD_AGENCY;
	if ((view = api_cases_staff_view(txn, j->st, &c, j->now, &rc)) == NULL)
		goto out;
	rc = STORE_IO;
	if ((z = srv_zip_new(j->now)) == NULL ||
	    (tl = json_pack("{s:s, s:O, s:O}", "case", c.ref, "timeline",
	    json_object_get(view, "timeline"), "messages",
	    json_object_get(view, "messages"))) == NULL)
		goto out;
	json_object_del(view, "timeline");
	json_object_del(view, "messages");
	if (add_json(z, "case.json", view) == -1 ||
	    add_json(z, "timeline.json", tl) == -1)
		goto out;
	json_array_foreach(json_object_get(view, "attachments"), i, a) {
		json_int_t n = json_integer_value(json_object_get(a,
		    "attachment"));

		if (n < 1 || n > (json_int_t)UINT32_MAX)
			continue;
		rc = api_attach_get(txn, &c, (uint32_t)n, audience, &data, &len,
		    &type, name);
		if (rc != STORE_OK)
			goto out;
		entry_name((uint32_t)n, name, path, sizeof(path));
		crypto_wipe(name, sizeof(name));
		rc = srv_zip_add(z, path, data, len) == 0 ? STORE_OK : STORE_IO;
		crypto_wipe(data, len);
		free(data);
		if (rc != STORE_OK)
			goto out;
	}
	rc = srv_zip_finish(z, &j->zip, &j->len) == 0 ? STORE_OK : STORE_IO;
	z = NULL;
 out:
	srv_zip_free(z);
	json_decref(tl);
	json_decref(view);
	srv_case_free(&c);
	return rc;
}

void
srv_export_case(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st = { 0 };
	struct export_job	j;
	char			name[CORE_CASE_REF_MAX + 8];
	int			year, rc;

	if (srv_auth_staff(ctx, rq, &st, rp) == -1)
		return;
	memset(&j, 0, sizeof(j));
	if (st.role != CORE_ROLE_CENTRAL_ADMIN &&
	    st.role != CORE_ROLE_AGENCY_ADMIN && st.role != CORE_ROLE_LIAISON) {
		srv_http_error(rp, 403, "forbidden",
		    "Your role may not do this.");
		goto out;
	}
	if (rq->param[0] == NULL || core_case_ref_parse(rq->param[0], &year,
	    &j.seq) == -1) {
		srv_http_not_found(rp);
		goto out;
	}
	if (atomic_fetch_add(&g_exports, 1) >= SRV_EXPORT_JOBS) {
		atomic_fetch_sub(&g_exports, 1);
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	j.ctx = ctx;
	j.st = &st;
	j.ref = rq->param[0];
	j.now = rq->now;
	rc = store_write(ctx->store, audit_job, &j);
	if (rc == STORE_OK)
		rc = store_read(ctx->store, build_job, &j);
	atomic_fetch_sub(&g_exports, 1);
	if (rc == STORE_NOTFOUND)
		srv_http_not_found(rp);
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else {
		snprintf(name, sizeof(name), "%s.zip", rq->param[0]);
		srv_http_ok_bytes(rp, j.zip, j.len, "application/zip", name);
		srv_log(LOG_INFO, "case_export", "role=%s user=%llu bytes=%zu",
		    core_role_name(st.role), (unsigned long long)st.user_id,
		    j.len);
	}
 out:
	crypto_wipe(&st, sizeof(st));
}
