/*
 * publish.c: what the public may see of resolved public cases.
 *
 *   GET /api/v1/public/cases?q=&category=&cursor=&limit=
 *                                                published cases, newest first
 *   GET /api/v1/public/cases/{case}              one of them (404 otherwise)
 *   GET /api/v1/public/cases/{case}/attachments/{n}   its completion photos
 *   GET /api/v1/public/feed.atom                 the latest, as an Atom feed
 *
 * A case is shown only while its record says "published" (set by the
 * central admin's publish action, which api_cases.c allows only for a
 * resolved or closed case its reporter made public) and its visibility is
 * still "public": both are checked on every read, so nothing reaches the
 * public by an index entry alone. What is shown is the text the central
 * admin approved at publication (published_title, published_body,
 * published_resolution: the automatic masks and every manual one),
 * kind, category, agency, status, dates and the status changes of the
 * timeline: never a note, a message, the original text, a name or an id
 * of a staff member.
 *
 * Photos: only images staff attached to the resolution, as the agency
 * copy (decoded and re-encoded without any metadata, attach.c); never a
 * reporter's file, never a PDF (whose metadata is not removed), never an
 * original.
 *
 * The feed also carries the audit chain's signed head (bisik:auditHead),
 * as /statistik shows it: every reader who keeps a copy holds a witness
 * that `bisik audit verify --expect SEQ:HASH` can hold the chain to, so
 * a later rewrite of history by whoever runs the server shows.
 *
 * The published cases are indexed in the stats table ("p:" ‖ time ‖
 * case, derived.c); a page walks it backwards. A search (q=) compares the
 * normalised query (core_text_normalize: case, diacritics and punctuation
 * do not matter) with the normalised reference, title and body, and a
 * category (category=) with the case's; either opens at most
 * SRV_PUBLIC_SCAN_MAX cases a page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

static json_t *
opt(const json_t *v)
{
	return v != NULL ? json_incref((json_t *)(uintptr_t)v) : json_null();
}

/* 1 if the case may be shown to the public now. */
static int
is_public(const json_t *meta)
{
	const char *vis = json_string_value(json_object_get(meta, "visibility"));

	return json_is_true(json_object_get(meta, "published")) &&
	    vis != NULL && strcmp(vis, "public") == 0;
}

/* The images attached to the resolution that staff uploaded. */
static int
photo_numbers(struct store_txn *txn, const struct srv_case *c, uint32_t *out,
    size_t max, size_t *n)
{
	const json_t	*ids = json_object_get(c->meta, "resolution_attachments");
	const json_t	*v;
	const char	*by, *type;
	uint8_t		 key[12];
	json_t		*rec;
	json_int_t	 id;
	size_t		 i;
	int		 rc, t;

	*n = 0;
	json_array_foreach(ids, i, v) {
		id = json_is_integer(v) ? json_integer_value(v) :
		    json_is_string(v) ? strtoll(json_string_value(v), NULL, 10) : 0;
		if (id < 1 || id > (json_int_t)UINT32_MAX || *n >= max)
			continue;
		store_be64_put(key, c->seq);
		store_be32_put(key + 8, (uint32_t)id);
		rec = NULL;
		rc = srv_record_get(txn, STORE_T_ATTACHMENTS, key, sizeof(key),
		    &rec);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			return rc;
		by = json_string_value(json_object_get(rec, "by"));
		type = json_string_value(json_object_get(rec, "type"));
		t = srv_attach_type_parse(type);
		if (by != NULL && strcmp(by, "reporter") != 0 &&
		    (t == SRV_ATTACH_JPEG || t == SRV_ATTACH_PNG ||
		    t == SRV_ATTACH_WEBP))
			out[(*n)++] = (uint32_t)id;
		json_decref(rec);
	}
	return STORE_OK;
}

static int
status_entry(json_t *e, const char *text, void *arg)
{
	json_t	*list = arg, *o;

	(void)text;
	if (!json_is_true(json_object_get(e, "visible")) ||
	    !json_is_string(json_object_get(e, "status")) ||
	    !json_is_string(json_object_get(e, "type")) ||
	    strcmp(json_string_value(json_object_get(e, "type")), "status") != 0)
		return 0;
	o = json_pack("{s:o, s:O}", "at", srv_record_time(e, "at"),
	    "status", json_object_get(e, "status"));
	return o != NULL && json_array_append_new(list, o) == 0 ? 0 : STORE_IO;
}

/* The public view of a loaded, public case; full adds the timeline. */
static json_t *
public_view(struct store_txn *txn, const struct srv_case *c, int full,
    int *rcp)
{
	const json_t	*m = c->meta, *ct = c->content;
	uint32_t	 photos[SRV_RESOLVE_ATTACH_MAX];
	size_t		 np = 0, i;
	json_t		*v, *tl, *ph, *p;
	char		 url[160];
	int		 rc;

	*rcp = STORE_IO;
	v = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
	    " s:o, s:o}",
	    "case", c->ref,
	    "kind", opt(json_object_get(m, "kind")),
	    "status", opt(json_object_get(m, "status")),
	    "agency", opt(json_object_get(m, "agency")),
	    "category", opt(json_object_get(m, "category")),
	    "title", opt(json_object_get(ct, "published_title")),
	    "body", opt(json_object_get(ct, "published_body")),
	    "resolution", opt(json_object_get(ct, "published_resolution")),
	    "created_at", srv_record_time(m, "created_at"),
	    "resolved_at", srv_record_time(m, "resolved_at"),
	    "closed_at", srv_record_time(m, "closed_at"),
	    "published_at", srv_record_time(m, "published_at"));
	if (v == NULL)
		return NULL;
	if ((rc = photo_numbers(txn, c, photos, SRV_RESOLVE_ATTACH_MAX,
	    &np)) != STORE_OK || (ph = json_array()) == NULL) {
		json_decref(v);
		*rcp = rc;
		return NULL;
	}
	for (i = 0; i < np; i++) {
		snprintf(url, sizeof(url), "/api/v1/public/cases/%s/attachments/"
		    "%" PRIu32, c->ref, photos[i]);
		if ((p = json_pack("{s:I, s:s}", "attachment",
		    (json_int_t)photos[i], "url", url)) != NULL)
			json_array_append_new(ph, p);
	}
	json_object_set_new(v, "photos", ph);
	if (full) {
		if ((tl = json_array()) == NULL ||
		    json_object_set_new(v, "timeline", tl) == -1 ||
		    (rc = srv_case_timeline_each(txn, c, status_entry, tl)) !=
		    STORE_OK) {
			json_decref(v);
			*rcp = rc;
			return NULL;
		}
	}
	*rcp = STORE_OK;
	return v;
}

/* Loads a case if it is public; STORE_NOTFOUND otherwise. */
static int
load_public(struct store_txn *txn, struct srv_ctx *ctx, uint64_t seq,
    const char *ref, struct srv_case *c)
{
	int rc;

	if ((rc = srv_case_load(txn, ctx->keys, seq, c)) != STORE_OK)
		return rc;
	if ((ref != NULL && strcmp(c->ref, ref) != 0) || !is_public(c->meta)) {
		srv_case_free(c);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/* ---- the list ------------------------------------------------------------------ */

struct plist {
	struct srv_ctx	*ctx;
	struct store_txn *txn;
	const char	*q;		/* normalised, or NULL */
	const char	*category;	/* or NULL */
	size_t		 limit, scanned;
	int		 has_cursor;
	uint64_t	 cat, cseq;	/* cursor: strictly before */
	uint64_t	 lat, lseq;	/* last entry looked at */
	int		 more, rc;
	json_t		*cases;
	int		 full;		/* feed: with content */
};

/* 1 if the normalised reference, title or body holds the query. */
static int
matches(const struct srv_case *c, const char *q)
{
	const char	*t = json_string_value(json_object_get(c->content,
			    "published_title"));
	const char	*b = json_string_value(json_object_get(c->content,
			    "published_body"));
	char		*text, *norm;
	size_t		 rl, tl, bl;
	int		 hit;

	rl = strlen(c->ref);
	tl = t != NULL ? strlen(t) : 0;
	bl = b != NULL ? strlen(b) : 0;
	if ((text = malloc(rl + tl + bl + 3)) == NULL)
		return 0;
	memcpy(text, c->ref, rl);
	text[rl] = '\n';
	memcpy(text + rl + 1, t != NULL ? t : "", tl);
	text[rl + 1 + tl] = '\n';
	memcpy(text + rl + tl + 2, b != NULL ? b : "", bl + 1);
	norm = core_text_normalize(text, rl + tl + bl + 2);
	free(text);
	hit = norm != NULL && strstr(norm, q) != NULL;
	free(norm);
	return hit;
}

static int
plist_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct plist	*l = arg;
	struct srv_case	 c;
	const uint8_t	*k = key;
	uint64_t	 at, seq;
	json_t		*v;
	int		 rc;

	(void)val;
	(void)vlen;
	if (klen != 18)
		return 0;
	at = store_be64_get(k + 2);
	seq = store_be64_get(k + 10);
	if (l->has_cursor && (at > l->cat || (at == l->cat && seq >= l->cseq)))
		return 0;	/* the cursor's own entry and later */
	if (json_array_size(l->cases) >= l->limit || ((l->q != NULL ||
	    l->category != NULL) && l->scanned >= SRV_PUBLIC_SCAN_MAX)) {
		l->more = 1;
		return STORE_STOP;
	}
	l->scanned++;
	l->lat = at;
	l->lseq = seq;
	rc = load_public(l->txn, l->ctx, seq, NULL, &c);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK) {
		l->rc = rc;
		return STORE_STOP;
	}
	if ((l->q == NULL || matches(&c, l->q)) && (l->category == NULL ||
	    (json_is_string(json_object_get(c.meta, "category")) &&
	    strcmp(json_string_value(json_object_get(c.meta, "category")),
	    l->category) == 0))) {
		v = public_view(l->txn, &c, l->full, &rc);
		if (v == NULL || json_array_append_new(l->cases, v) == -1) {
			l->rc = v == NULL ? rc : STORE_IO;
			srv_case_free(&c);
			return STORE_STOP;
		}
	}
	srv_case_free(&c);
	return 0;
}

static int
plist_read(struct store_txn *txn, void *arg)
{
	struct plist	*l = arg;
	uint8_t		 from[18];
	int		 rc;

	l->txn = txn;
	memcpy(from, SRV_PUBLIC_PREFIX, 2);
	if (l->has_cursor) {
		store_be64_put(from + 2, l->cat);
		store_be64_put(from + 10, l->cseq);
	} else
		memset(from + 2, 0xff, 16);
	rc = store_each_rev(txn, STORE_T_STATS, from, sizeof(from),
	    SRV_PUBLIC_PREFIX, 2, plist_each, l);
	if (rc == STORE_OK)
		return l->rc;
	return rc;
}

void
srv_publish_cases(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const char *const allowed[] = { "q", "cursor", "limit",
	    "category" };
	struct plist		 l;
	struct core_errors	 errs;
	const char		*q = srv_http_query(rq, "q");
	const char		*category = srv_http_query(rq, "category");
	const char		*cursor = srv_http_query(rq, "cursor");
	const char		*limit = srv_http_query(rq, "limit");
	char			*norm = NULL, *end;
	unsigned long		 n;
	long			 cp;
	int			 rc;

	memset(&l, 0, sizeof(l));
	memset(&errs, 0, sizeof(errs));
	if (srv_http_query_check(rq, allowed, 4) == -1) {
		errs.message = "The query has a parameter that is not known or "
		    "is repeated.";
		srv_http_error_core(rp, CORE_MALFORMED, &errs);
		return;
	}
	l.limit = SRV_PUBLIC_LIMIT_DEFAULT;
	/* A category is a filter: one that names nothing finds nothing. */
	if (category != NULL && !core_id_ok(category))
		core_errors_add(&errs, "category", "invalid");
	l.category = category;
	if (limit != NULL) {
		n = strtoul(limit, &end, 10);
		if (*limit < '0' || *limit > '9' || *end != '\0' || n < 1 ||
		    n > SRV_PUBLIC_LIMIT_MAX)
			core_errors_add(&errs, "limit", "out of range");
		else
			l.limit = n;
	}
	if (cursor != NULL && srv_cursor_decode(cursor, &l.cat, &l.cseq) == -1)
		core_errors_add(&errs, "cursor", "invalid");
	l.has_cursor = cursor != NULL;
	if (q != NULL) {
		cp = core_utf8_len(q, strlen(q));
		if (!core_text_ok(q, strlen(q)) || cp < 1 ||
		    cp > SRV_QUEUE_Q_MAX || (norm = core_text_normalize(q,
		    strlen(q))) == NULL || norm[0] == '\0')
			core_errors_add(&errs, "q", "invalid");
		l.q = norm;
	}
	if (errs.nfields > 0) {
		errs.message = "Some query parameters are not valid.";
		srv_http_error_core(rp, CORE_INVALID, &errs);
		free(norm);
		return;
	}
	l.ctx = ctx;
	l.full = 0;
	if ((l.cases = json_array()) == NULL) {
		free(norm);
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	rc = store_read(ctx->store, plist_read, &l);
	free(norm);
	if (rc != STORE_OK) {
		json_decref(l.cases);
		srv_http_error_store(rp, rc);
		return;
	}
	srv_http_ok(rp, 200, json_pack("{s:o, s:o}", "cases", l.cases,
	    "next_cursor", l.more ? srv_cursor_encode(l.lat, l.lseq) :
	    json_null()));
}

/* ---- one case -------------------------------------------------------------------- */

struct pone {
	struct srv_ctx	*ctx;
	const char	*ref;
	uint64_t	 seq;
	uint32_t	 n;		/* attachment */
	json_t		*view;
	uint8_t		*data;
	size_t		 len;
	int		 type;
};

static int
pone_read(struct store_txn *txn, void *arg)
{
	struct pone	*o = arg;
	struct srv_case	 c;
	int		 rc;

	if ((rc = load_public(txn, o->ctx, o->seq, o->ref, &c)) != STORE_OK)
		return rc;
	o->view = public_view(txn, &c, 1, &rc);
	srv_case_free(&c);
	return rc;
}

static int
case_param(const char *p, uint64_t *seq)
{
	int year;

	return p == NULL || core_case_ref_parse(p, &year, seq) == -1 ? -1 : 0;
}

void
srv_publish_case(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct pone	o;
	int		rc;

	memset(&o, 0, sizeof(o));
	if (case_param(rq->param[0], &o.seq) == -1) {
		srv_http_not_found(rp);
		return;
	}
	o.ctx = ctx;
	o.ref = rq->param[0];
	rc = store_read(ctx->store, pone_read, &o);
	if (rc == STORE_NOTFOUND)
		srv_http_not_found(rp);
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else
		srv_http_ok(rp, 200, o.view);
}

static int
photo_read(struct store_txn *txn, void *arg)
{
	struct pone	*o = arg;
	struct srv_case	 c;
	uint32_t	 photos[SRV_RESOLVE_ATTACH_MAX];
	char		 name[SRV_ATTACH_NAME_BYTES];
	size_t		 np, i;
	int		 rc;

	if ((rc = load_public(txn, o->ctx, o->seq, o->ref, &c)) != STORE_OK)
		return rc;
	rc = photo_numbers(txn, &c, photos, SRV_RESOLVE_ATTACH_MAX, &np);
	for (i = 0; rc == STORE_OK && i < np; i++)
		if (photos[i] == o->n)
			break;
	if (rc == STORE_OK && i == np)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc = api_attach_get(txn, &c, o->n, SRV_AUD_AGENCY, &o->data,
		    &o->len, &o->type, name);
	crypto_wipe(name, sizeof(name));
	srv_case_free(&c);
	return rc;
}

void
srv_publish_attachment(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct pone	 o;
	char		 name[64];
	const char	*p = rq->param[1];
	unsigned long	 n;
	char		*end;
	int		 rc;

	memset(&o, 0, sizeof(o));
	if (case_param(rq->param[0], &o.seq) == -1 || p == NULL ||
	    p[0] < '1' || p[0] > '9' || strlen(p) > 10 ||
	    (n = strtoul(p, &end, 10)) > UINT32_MAX || *end != '\0') {
		srv_http_not_found(rp);
		return;
	}
	o.ctx = ctx;
	o.ref = rq->param[0];
	o.n = (uint32_t)n;
	rc = store_read(ctx->store, photo_read, &o);
	if (rc == STORE_NOTFOUND)
		srv_http_not_found(rp);
	else if (rc != STORE_OK)
		srv_http_error_store(rp, rc);
	else {
		snprintf(name, sizeof(name), "bukti-%s-%" PRIu32 ".%s",
		    rq->param[0], o.n, srv_attach_ext(o.type));
		srv_http_ok_bytes(rp, o.data, o.len, srv_attach_mime(o.type),
		    name);
	}
}

/* ---- the feed ---------------------------------------------------------------------- */

/* The feed's buffer: SRV_FEED_ENTRIES entries of a title, a body and a
 * resolution of at most 20,000 characters each, every character escaped
 * to at most 6 bytes ("&quot;"), is under 20 MiB; past this something is
 * wrong and the answer is 503, not half a feed. */
#define FEED_MAX	(32 * 1024 * 1024)

static void
xput(struct core_buf *b, const char *s, size_t n)
{
	core_buf_add(b, s, n);
}

static void
xs(struct core_buf *b, const char *s)
{
	xput(b, s, strlen(s));
}

/* XML character data: markup characters escaped; C0 controls other than
 * tab and line breaks (which XML 1.0 forbids; case text never holds them)
 * dropped. */
static void
xtext(struct core_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&':
			xs(b, "&amp;");
			break;
		case '<':
			xs(b, "&lt;");
			break;
		case '>':
			xs(b, "&gt;");
			break;
		case '"':
			xs(b, "&quot;");
			break;
		case '\'':
			xs(b, "&apos;");
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t' ||
			    *s == '\n' || *s == '\r')
				xput(b, s, 1);
			break;
		}
	}
}

static void
xelem(struct core_buf *b, const char *name, const char *attrs,
    const char *text)
{
	xs(b, "<");
	xs(b, name);
	xs(b, attrs);
	xs(b, ">");
	xtext(b, text);
	xs(b, "</");
	xs(b, name);
	xs(b, ">\n");
}

static void
feed_entry(struct core_buf *b, const json_t *c)
{
	const char	*ref = json_string_value(json_object_get(c, "case"));
	const char	*pub = json_string_value(json_object_get(c,
			    "published_at"));
	const char	*cat = json_string_value(json_object_get(c, "category"));
	const char	*res = json_string_value(json_object_get(c, "resolution"));
	char		 id[96];

	xs(b, "<entry>\n");
	snprintf(id, sizeof(id), "urn:bisik:case:%s", ref != NULL ? ref : "");
	xelem(b, "id", "", id);
	xelem(b, "title", " type=\"text\"", json_string_value(
	    json_object_get(c, "title")));
	xelem(b, "published", "", pub);
	xelem(b, "updated", "", pub);
	xs(b, "<link rel=\"alternate\" type=\"text/html\" href=\"/publik?q=");
	xtext(b, ref);
	xs(b, "\"/>\n<link rel=\"related\" type=\"application/json\" "
	    "href=\"/api/v1/public/cases/");
	xtext(b, ref);
	xs(b, "\"/>\n");
	if (cat != NULL) {
		xs(b, "<category term=\"");
		xtext(b, cat);
		xs(b, "\"/>\n");
	}
	xs(b, "<content type=\"text\">");
	xtext(b, json_string_value(json_object_get(c, "body")));
	if (res != NULL) {
		xs(b, "\n\nPenyelesaian / Resolution:\n");
		xtext(b, res);
	}
	xs(b, "</content>\n</entry>\n");
}

/* <bisik:auditHead seq="N" hash="hex" signature="base64"/> */
static void
feed_head(struct core_buf *b, const struct srv_audit_tip *h)
{
	char	hex[2 * CRYPTO_HASH_BYTES + 1], sig[CRYPTO_SIG_BYTES * 2];
	char	seq[24];
	size_t	i;

	if (!h->found)
		return;
	for (i = 0; i < CRYPTO_HASH_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", h->hash[i]);
	crypto_b64_encode(h->sig, sizeof(h->sig), sig);
	snprintf(seq, sizeof(seq), "%" PRIu64, h->seq);
	xs(b, "<bisik:auditHead seq=\"");
	xs(b, seq);
	xs(b, "\" hash=\"");
	xs(b, hex);
	xs(b, "\" signature=\"");
	xs(b, sig);
	xs(b, "\"/>\n");
}

void
srv_publish_feed(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const char *const none[] = { "" };
	struct plist	 l;
	struct srv_audit_tip h;
	struct core_buf	 b;
	char		 now[21], *text;
	const char	*updated;
	size_t		 i, len;
	json_t		*c;
	int		 rc;

	if (srv_http_query_check(rq, none, 0) == -1) {
		struct core_errors errs;

		memset(&errs, 0, sizeof(errs));
		errs.message = "The feed takes no query parameters.";
		srv_http_error_core(rp, CORE_MALFORMED, &errs);
		return;
	}
	memset(&l, 0, sizeof(l));
	core_buf_init(&b, FEED_MAX);
	l.ctx = ctx;
	l.limit = SRV_FEED_ENTRIES;
	if ((l.cases = json_array()) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	rc = store_read(ctx->store, plist_read, &l);
	if (rc == STORE_OK)
		rc = srv_audit_tip(ctx->store, &h);
	if (rc != STORE_OK) {
		json_decref(l.cases);
		srv_http_error_store(rp, rc);
		return;
	}
	core_time_iso(rq->now, now);
	updated = json_array_size(l.cases) > 0 ? json_string_value(
	    json_object_get(json_array_get(l.cases, 0), "published_at")) : NULL;
	xs(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	    "xmlns:bisik=\"urn:bisik:audit\" xml:lang=\"id\">\n");
	xelem(&b, "title", " type=\"text\"", "Bisik: laporan publik yang "
	    "telah ditindaklanjuti");
	xelem(&b, "subtitle", " type=\"text\"", "Published public cases, "
	    "redacted as approved by the central admins.");
	xelem(&b, "id", "", "urn:bisik:public-cases");
	xelem(&b, "updated", "", updated != NULL ? updated : now);
	xs(&b, "<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"/api/v1/public/feed.atom\"/>\n<link rel=\"alternate\" "
	    "type=\"text/html\" href=\"/publik\"/>\n<author><name>Bisik"
	    "</name></author>\n");
	feed_head(&b, &h);
	json_array_foreach(l.cases, i, c)
		feed_entry(&b, c);
	xs(&b, "</feed>\n");
	json_decref(l.cases);
	if ((text = core_buf_take(&b, &len)) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	/* An empty name: shown inline, not offered as a download. */
	srv_http_ok_bytes(rp, (uint8_t *)text, len,
	    "application/atom+xml; charset=utf-8", "");
}
