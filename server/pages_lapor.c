/*
 * pages_lapor.c: /lapor, the submission form, its answer (the receipt
 * page that shows the case number and the token once) and /lapor/bukti,
 * the signed proof of filing as a download.
 *
 * Spam without tracking: the form carries a signed challenge of
 * crypto/pow.c (MAC'd, with its expiry, hence its time of issue).
 *  - With JavaScript, /static/pow.js solves it as a proof of work and
 *    fills "nonce"; the page then calls api_report_submit, which checks
 *    it exactly as for any API client.
 *  - Without JavaScript, "nonce" stays empty; the page checks the MAC,
 *    that the challenge has not expired and that form_min_seconds have
 *    passed since it was issued, and srv_report_submit_waited makes it
 *    single use (its id goes into pow_seen in the submission's own
 *    transaction). Nothing about the sender is kept for this.
 * Waiting costs a person nothing (writing a report takes longer) and a
 * script time per submission; the global rate limit bounds the rest.
 *
 * The identity section says who can ever open it: the threshold of the
 * installed escrow key is read from the store and shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

/* Levels of the agency directory in the order the select shows them. */
static const struct {
	const char	*level;
	int		 key;
} levels[] = {
	{ "kementerian", M_LEVEL_KEMENTERIAN },
	{ "lembaga", M_LEVEL_LEMBAGA },
	{ "provinsi", M_LEVEL_PROVINSI },
	{ "kabupaten", M_LEVEL_KABUPATEN },
	{ "kota", M_LEVEL_KOTA },
};
#define NLEVELS	(sizeof(levels) / sizeof(levels[0]))

static int
by_name(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a,
	    "name"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b,
	    "name"));

	return strcmp(x != NULL ? x : "", y != NULL ? y : "");
}

/* The options of one group: agencies whose level is `level` (NULL: any
 * level not in the list above). */
static void
agency_group(struct page *p, json_t **a, size_t n, const char *level,
    const char *selected, const char *label)
{
	const char	*lv, *id;
	size_t		 i, k, shown = 0;
	int		 known;

	for (i = 0; i < n; i++) {
		lv = json_string_value(json_object_get(a[i], "level"));
		id = json_string_value(json_object_get(a[i], "id"));
		if (id == NULL)
			continue;
		if (level != NULL) {
			if (lv == NULL || strcmp(lv, level) != 0)
				continue;
		} else {
			for (k = 0, known = 0; k < NLEVELS && lv != NULL; k++)
				if (strcmp(lv, levels[k].level) == 0)
					known = 1;
			if (known)
				continue;
		}
		if (shown++ == 0)
			html_put(&p->h, "<optgroup label=\"%a\">", label);
		html_put(&p->h, "<option value=\"%a\"%r>%s</option>", id,
		    selected != NULL && strcmp(selected, id) == 0 ?
		    " selected" : "", json_string_value(json_object_get(a[i],
		    "name")));
	}
	if (shown > 0)
		html_raw(&p->h, "</optgroup>");
}

static void
agency_select(struct page *p, const char *selected)
{
	struct api_call	 c;
	struct srv_reply out;
	json_t		**a = NULL, *v;
	size_t		 n, i;

	memset(&c, 0, sizeof(c));
	page_api(p, api_agencies, &c, &out);
	html_put(&p->h, "<label for=\"agency\">%t</label>\n<p class=\"help\" "
	    "id=\"agency-help\">%t</p>\n<select id=\"agency\" name=\"agency\" "
	    "aria-describedby=\"agency-help\"><option value=\"\">%t</option>",
	    M_F_AGENCY, M_LAPOR_AGENCY_HELP, M_OPT_NONE);
	if (out.status == 200 && json_is_array(out.body) &&
	    (n = json_array_size(out.body)) > 0 &&
	    (a = calloc(n, sizeof(*a))) != NULL) {
		json_array_foreach(out.body, i, v)
			a[i] = v;
		qsort(a, n, sizeof(*a), by_name);
		for (i = 0; i < NLEVELS; i++)
			agency_group(p, a, n, levels[i].level, selected,
			    tr(p->lang, levels[i].key));
		agency_group(p, a, n, NULL, selected,
		    tr(p->lang, M_LEVEL_OTHER));
	}
	html_raw(&p->h, "</select>\n");
	free(a);
	page_api_free(&out);
}

static void
category_select(struct page *p, const char *selected)
{
	struct api_call	 c;
	struct srv_reply out;
	json_t		*v;
	const char	*id;
	size_t		 i;

	memset(&c, 0, sizeof(c));
	page_api(p, api_categories, &c, &out);
	html_put(&p->h, "<label for=\"category\">%t</label>\n<select "
	    "id=\"category\" name=\"category\"><option value=\"\">%t</option>",
	    M_F_CATEGORY, M_OPT_NONE);
	if (out.status == 200 && json_is_array(out.body))
		json_array_foreach(out.body, i, v) {
			if ((id = json_string_value(json_object_get(v, "id"))) ==
			    NULL)
				continue;
			html_put(&p->h, "<option value=\"%a\"%r>%s</option>", id,
			    selected != NULL && strcmp(selected, id) == 0 ?
			    " selected" : "", json_string_value(json_object_get(v,
			    "name")));
		}
	html_raw(&p->h, "</select>\n");
	page_api_free(&out);
}

static int
escrow_read(struct store_txn *txn, void *arg)
{
	return srv_escrow_current(txn, arg) == 0 ? STORE_OK : STORE_NOTFOUND;
}

/* A catalogue text with {1} and {2} replaced by numbers, escaped. */
void
page_trn(struct page *p, int key, long long a, long long b)
{
	const char	*s = tr(p->lang, key), *q;
	char		 buf[1024];
	size_t		 o = 0;

	for (q = s; *q != '\0' && o + 24 < sizeof(buf); q++) {
		if (q[0] == '{' && (q[1] == '1' || q[1] == '2') && q[2] == '}') {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%lld",
			    q[1] == '1' ? a : b);
			q += 2;
		} else
			buf[o++] = *q;
	}
	buf[o] = '\0';
	html_text(&p->h, buf);
}

static void
option(struct page *p, const char *value, int key, const char *cur, int dflt)
{
	int sel = cur != NULL ? strcmp(cur, value) == 0 : dflt;

	html_put(&p->h, "<option value=\"%a\"%r>%t</option>", value,
	    sel ? " selected" : "", key);
}

static void
text_input(struct page *p, const char *name, int label, int help,
    const char *type, int maxlen, int required, const char *value,
    const char *autocomplete)
{
	html_put(&p->h, "<label for=\"%a\">%t%r</label>\n", name, label,
	    required ? " <span class=\"req\">*</span>" : "");
	if (help >= 0)
		html_put(&p->h, "<p class=\"help\" id=\"%a-help\">%t</p>\n",
		    name, help);
	html_put(&p->h, "<input id=\"%a\" name=\"%a\" type=\"%a\"", name, name,
	    type);
	if (maxlen > 0)
		html_put(&p->h, " maxlength=\"%d\"", maxlen);
	if (help >= 0)
		html_put(&p->h, " aria-describedby=\"%a-help\"", name);
	html_put(&p->h, "%r autocomplete=\"%a\" value=\"%a\">\n",
	    required ? " required" : "", autocomplete, value != NULL ? value : "");
}

/* The form, filled with what was sent when it comes back with errors. */
static void
lapor_form(struct page *p, const char *challenge, const struct srv_reply *err)
{
	struct srv_escrow	 esc;
	const struct form	*f = &p->form;
	struct html		*h = &p->h;
	const char		*kind = form_get(f, "kind");
	const char		*vis = form_get(f, "visibility");
	int			 escrow;

	escrow = store_read(p->ctx->store, escrow_read, &esc) == STORE_OK;
	page_head(p, tr(p->lang, M_LAPOR_TITLE), NAV_LAPOR, 1);
	html_put(h, "<h1>%t</h1>\n<p class=\"lead\">%t</p>\n", M_LAPOR_TITLE,
	    M_LAPOR_INTRO);
	if (err != NULL)
		page_api_error(p, err);
	html_put(h, "<form class=\"stack\" method=\"post\" action=\"/lapor\" "
	    "enctype=\"multipart/form-data\" id=\"lapor\" data-working=\"%a\" "
	    "data-done=\"%a\">\n", tr(p->lang, M_POW_WORKING),
	    tr(p->lang, M_POW_DONE));
	page_lang_input(p);
	html_put(h, "<input type=\"hidden\" name=\"challenge\" value=\"%a\">"
	    "<input type=\"hidden\" name=\"nonce\" value=\"\">"
	    "<input type=\"hidden\" name=\"difficulty\" value=\"%d\">\n",
	    challenge, (int)p->ctx->cfg->pow_difficulty);

	html_put(h, "<fieldset><legend>%t</legend>\n", M_LAPOR_WHAT);
	html_put(h, "<label for=\"kind\">%t</label>\n<select id=\"kind\" "
	    "name=\"kind\">", M_F_KIND);
	option(p, "complaint", M_KIND_COMPLAINT, kind, 1);
	option(p, "aspiration", M_KIND_ASPIRATION, kind, 0);
	option(p, "information_request", M_KIND_INFORMATION_REQUEST, kind, 0);
	html_raw(h, "</select>\n");
	text_input(p, "title", M_F_TITLE, M_LAPOR_TITLE_HELP, "text",
	    CORE_TITLE_MAX, 1, form_get(f, "title"), "off");
	html_put(h, "<label for=\"body\">%t <span class=\"req\">*</span>"
	    "</label>\n<p class=\"help\" id=\"body-help\">%t</p>\n"
	    "<textarea id=\"body\" name=\"body\" rows=\"10\" cols=\"60\" "
	    "required maxlength=\"%d\" aria-describedby=\"body-help\">%s"
	    "</textarea>\n", M_F_BODY, M_LAPOR_BODY_HELP, CORE_BODY_MAX,
	    form_get(f, "body"));
	category_select(p, form_get(f, "category"));
	agency_select(p, form_get(f, "agency"));
	text_input(p, "location", M_F_LOCATION, -1, "text", CORE_LOCATION_MAX,
	    0, form_get(f, "location"), "off");
	text_input(p, "occurred_on", M_F_OCCURRED_ON, -1, "date", 0, 0,
	    form_get(f, "occurred_on"), "off");
	html_put(h, "</fieldset>\n<fieldset><legend>%t</legend>\n"
	    "<p class=\"help\">%t</p>\n", M_F_VISIBILITY, M_LAPOR_VIS_HELP);
	html_put(h, "<div class=\"choice\"><input type=\"radio\" id=\"vis-c\" "
	    "name=\"visibility\" value=\"confidential\"%r><label for=\"vis-c\">"
	    "%t</label></div>\n<div class=\"choice\"><input type=\"radio\" "
	    "id=\"vis-p\" name=\"visibility\" value=\"public\"%r><label "
	    "for=\"vis-p\">%t</label></div>\n</fieldset>\n",
	    vis == NULL || strcmp(vis, "public") != 0 ? " checked" : "",
	    M_VIS_CONFIDENTIAL_LONG, vis != NULL && strcmp(vis, "public") == 0 ?
	    " checked" : "", M_VIS_PUBLIC_LONG);

	html_put(h, "<fieldset><legend>%t</legend>\n<p>%t</p>\n", M_F_IDENTITY,
	    M_LAPOR_ID_ANON);
	if (escrow) {
		html_raw(h, "<p>");
		page_trn(p, M_LAPOR_ID_WHO, esc.threshold, esc.holders);
		html_put(h, "</p>\n<p>%t</p>\n", M_LAPOR_ID_TOLD);
		text_input(p, "id_name", M_F_ID_NAME, -1, "text",
		    CORE_IDENTITY_FIELD_MAX, 0, form_get(f, "id_name"), "off");
		text_input(p, "id_email", M_F_ID_EMAIL, -1, "email",
		    CORE_IDENTITY_FIELD_MAX, 0, form_get(f, "id_email"), "off");
		text_input(p, "id_phone", M_F_ID_PHONE, -1, "tel",
		    CORE_IDENTITY_FIELD_MAX, 0, form_get(f, "id_phone"), "off");
		text_input(p, "id_nik", M_F_ID_NIK, -1, "text",
		    CORE_IDENTITY_FIELD_MAX, 0, form_get(f, "id_nik"), "off");
		text_input(p, "id_address", M_F_ID_ADDRESS, -1, "text",
		    CORE_IDENTITY_FIELD_MAX, 0, form_get(f, "id_address"), "off");
	} else
		html_put(h, "<p>%t</p>\n", M_LAPOR_ID_UNAVAILABLE);
	html_raw(h, "</fieldset>\n");

	html_put(h, "<fieldset><legend>%t</legend>\n<label for=\"file\">%t"
	    "</label>\n<p class=\"help\" id=\"file-help\">", M_F_FILE,
	    M_F_FILE_ONE);
	page_trn(p, M_LAPOR_FILE_HELP, (long long)(p->ctx->cfg->
	    max_attachment_bytes / (1024 * 1024)), 0);
	html_raw(h, "</p>\n<input id=\"file\" name=\"file\" type=\"file\" "
	    "accept=\"image/jpeg,image/png,image/webp,application/pdf,"
	    "text/plain\" aria-describedby=\"file-help\">\n</fieldset>\n");

	html_raw(h, "<p class=\"help\" id=\"pow-status\" aria-live=\"polite\">");
	page_trn(p, M_LAPOR_WAIT, p->ctx->cfg->form_min_seconds, 0);
	html_put(h, "</p>\n<p><button type=\"submit\">%t</button></p>\n"
	    "</form>\n", M_LAPOR_SUBMIT);
	page_foot(p);
}

void
page_lapor_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	p;
	char		ch[CRYPTO_CHALLENGE_TEXT];

	page_init(&p, ctx, rq, rp);
	crypto_challenge_new(ctx->keys->challenge, (uint64_t)rq->now +
	    SRV_CHALLENGE_TTL, ctx->cfg->pow_difficulty, ch);
	lapor_form(&p, ch, NULL);
	page_send(&p, 200);
	page_free(&p);
}

/* The token in groups, each group its own element, for copying by hand. */
void
page_token(struct page *p, const char *token)
{
	const char	*q;
	char		 g[8];
	size_t		 n;

	html_raw(&p->h, "<p class=\"token\" translate=\"no\">");
	for (q = token; *q != '\0';) {
		n = strcspn(q, "-");
		if (n >= sizeof(g))
			n = sizeof(g) - 1;
		memcpy(g, q, n);
		g[n] = '\0';
		html_put(&p->h, "<span class=\"g\">%s</span>", g);
		q += n;
		if (*q == '-') {
			html_raw(&p->h, "<span class=\"sep\">-</span>");
			q++;
		}
	}
	html_raw(&p->h, "</p>\n");
	crypto_wipe(g, sizeof(g));
}

static void
receipt_page(struct page *p, const json_t *ans, const struct srv_reply *att)
{
	struct html	*h = &p->h;
	const json_t	*rc = json_object_get(ans, "receipt");
	const char	*ref = json_string_value(json_object_get(ans, "case"));

	page_head(p, tr(p->lang, M_RCPT_TITLE), NAV_LAPOR, 0);
	html_put(h, "<h1>%t</h1>\n<div class=\"receipt\">\n<h2>%t</h2>\n"
	    "<p class=\"caseref\" translate=\"no\">%s</p>\n<h2>%t</h2>\n",
	    M_RCPT_TITLE, M_RCPT_CASE, ref, M_RCPT_TOKEN);
	page_token(p, json_string_value(json_object_get(ans, "token")));
	html_put(h, "<div class=\"alert\" role=\"alert\"><p><strong>%t"
	    "</strong></p><p>%t</p></div>\n</div>\n", M_RCPT_WARN_H,
	    M_RCPT_WARN);
	if (att != NULL && att->status != 201) {
		html_put(h, "<p>%t</p>", M_RCPT_ATTACH_FAILED);
		page_api_error(p, att);
	}
	html_put(h, "<h2>%t</h2>\n<p>%t</p>\n<form method=\"post\" "
	    "action=\"/lapor/bukti\">", M_RCPT_PROOF_H, M_RCPT_PROOF);
	page_lang_input(p);
	html_put(h, "<input type=\"hidden\" name=\"case\" value=\"%a\">"
	    "<input type=\"hidden\" name=\"at\" value=\"%a\">"
	    "<input type=\"hidden\" name=\"content_hash\" value=\"%a\">"
	    "<input type=\"hidden\" name=\"signature\" value=\"%a\">"
	    "<button type=\"submit\">%t</button></form>\n",
	    json_string_value(json_object_get(rc, "case")),
	    json_string_value(json_object_get(rc, "at")),
	    json_string_value(json_object_get(rc, "content_hash")),
	    json_string_value(json_object_get(rc, "signature")),
	    M_RCPT_DOWNLOAD);
	html_put(h, "<h2>%t</h2>\n<p>%t</p>\n<form method=\"post\" "
	    "action=\"/pantau\">", M_RCPT_NEXT_H, M_RCPT_NEXT);
	page_lang_input(p);
	html_put(h, "<input type=\"hidden\" name=\"token\" value=\"%a\">"
	    "<button type=\"submit\">%t</button></form>\n",
	    json_string_value(json_object_get(ans, "token")), M_RCPT_FOLLOW);
	page_foot(p);
}

/* The report JSON of the form's fields; empty optional fields are left
 * out, so that they mean "not given" as in the API. */
static json_t *
report_json(const struct form *f)
{
	static const char *const opt[] = { "agency", "category", "location",
	    "occurred_on" };
	static const char *const idf[][2] = { { "id_name", "name" },
	    { "id_email", "email" }, { "id_phone", "phone" }, { "id_nik", "nik" },
	    { "id_address", "address" } };
	json_t	*o, *id;
	size_t	 i;

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "kind", json_string(form_text(f, "kind") ?
	    form_text(f, "kind") : "complaint"));
	json_object_set_new(o, "title", json_string(form_get(f, "title") ?
	    form_get(f, "title") : ""));
	json_object_set_new(o, "body", json_string(form_get(f, "body") ?
	    form_get(f, "body") : ""));
	json_object_set_new(o, "visibility", json_string(form_text(f,
	    "visibility") ? form_text(f, "visibility") : "confidential"));
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (form_text(f, opt[i]) != NULL)
			json_object_set_new(o, opt[i],
			    json_string(form_text(f, opt[i])));
	id = NULL;
	for (i = 0; i < sizeof(idf) / sizeof(idf[0]); i++)
		if (form_text(f, idf[i][0]) != NULL) {
			if (id == NULL && (id = json_object()) != NULL)
				json_object_set_new(o, "identity", id);
			json_object_set_new(id, idf[i][1],
			    json_string(form_text(f, idf[i][0])));
		}
	/* A NULL member (a value that is not UTF-8) leaves a key out; the
	 * API then names the missing field. */
	return o;
}

static void
refuse_form(struct page *p, const char *challenge, unsigned status,
    const char *code, const char *field, const char *reason)
{
	struct srv_reply e;

	memset(&e, 0, sizeof(e));
	srv_error(&e, status, code, "refused");
	if (field != NULL && e.body != NULL)
		json_object_set_new(json_object_get(e.body, "error"), "fields",
		    json_pack("{s:s}", field, reason));
	lapor_form(p, challenge, &e);
	json_decref(e.body);
	page_send(p, status);
}

void
page_lapor_post(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p;
	struct api_call		 c;
	struct srv_reply	 ans, att;
	struct srv_request	 sub;
	const struct form_field	*file;
	const char		*ch, *nonce;
	uint8_t			 id[CRYPTO_CHALLENGE_ID_BYTES];
	uint64_t		 expires = 0;
	unsigned		 diff;
	char			 fresh[CRYPTO_CHALLENGE_TEXT];
	json_t			*body;
	char			*text;
	int			 ok_ch;

	page_init(&p, ctx, rq, rp);
	if (page_form(&p, ctx->cfg->max_body_bytes) == -1)
		goto out;
	memset(&ans, 0, sizeof(ans));
	memset(&att, 0, sizeof(att));
	ch = form_get(&p.form, "challenge");
	nonce = form_text(&p.form, "nonce");
	ok_ch = ch != NULL && crypto_challenge_check(ctx->keys->challenge, ch,
	    strlen(ch), id, &expires, &diff) == 0 &&
	    expires >= (uint64_t)rq->now;
	/* A form sent back keeps its challenge while it is good, so that
	 * fixing one field does not mean waiting again. */
	if (ok_ch)
		snprintf(fresh, sizeof(fresh), "%s", ch);
	else
		crypto_challenge_new(ctx->keys->challenge, (uint64_t)rq->now +
		    SRV_CHALLENGE_TTL, ctx->cfg->pow_difficulty, fresh);
	if ((body = report_json(&p.form)) == NULL) {
		page_fail(&p, 503);
		goto out;
	}
	if (nonce != NULL) {
		/* With JavaScript: the proof of work, checked by the API. */
		if (ch != NULL)
			json_object_set_new(body, "pow", json_pack("{s:s, s:s}",
			    "challenge", ch, "nonce", nonce));
		memset(&c, 0, sizeof(c));
		c.body = body;
		page_api(&p, api_report_submit, &c, &ans);
	} else {
		/* Without: the signed challenge and the waiting time. */
		if (!ok_ch) {
			json_decref(body);
			refuse_form(&p, fresh, 422, "invalid", "pow", "expired");
			goto out;
		}
		if ((uint64_t)rq->now < expires - SRV_CHALLENGE_TTL +
		    ctx->cfg->form_min_seconds) {
			json_decref(body);
			refuse_form(&p, fresh, 422, "too_soon", "pow",
			    "too soon");
			goto out;
		}
		if ((text = json_dumps(body, JSON_COMPACT)) == NULL) {
			json_decref(body);
			page_fail(&p, 422);
			goto out;
		}
		sub = *rq;
		sub.body = text;
		sub.len = strlen(text);
		sub.content_type = "application/json";
		sub.authorization = NULL;
		sub.args = NULL;
		srv_report_submit_waited(ctx, &sub, id, expires, &ans);
		crypto_wipe(text, strlen(text));
		core_json_free(text);
	}
	json_decref(body);
	if (ans.status != 201 || !json_is_string(json_object_get(ans.body,
	    "token"))) {
		/* A challenge the API refused (spent, expired) is replaced. */
		if (json_object_get(json_object_get(json_object_get(ans.body,
		    "error"), "fields"), "pow") != NULL)
			crypto_challenge_new(ctx->keys->challenge,
			    (uint64_t)rq->now + SRV_CHALLENGE_TTL,
			    ctx->cfg->pow_difficulty, fresh);
		lapor_form(&p, fresh, &ans);
		page_send(&p, ans.status == 201 ? 503 : ans.status);
		page_api_free(&ans);
		goto out;
	}
	/* The case exists now: whatever happens to the attachment, the
	 * token is shown. */
	if ((file = form_file(&p.form, "file")) != NULL) {
		memset(&c, 0, sizeof(c));
		c.token = json_string_value(json_object_get(ans.body, "token"));
		c.file = (const uint8_t *)file->value;
		c.file_len = file->len;
		c.file_name = file->fname;
		page_api(&p, api_followup_attach, &c, &att);
	}
	receipt_page(&p, ans.body, file != NULL ? &att : NULL);
	page_send(&p, 201);
	page_api_free(&att);
	page_api_free(&ans);
 out:
	crypto_wipe(id, sizeof(id));
	page_free(&p);
}

/* /lapor/bukti: the receipt the page showed, as a JSON download after
 * its signature is checked (so the route serves only real receipts). */
void
page_lapor_bukti(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	 p;
	const char	*ref, *at, *hb, *sb;
	uint8_t		 hash[CRYPTO_HASH_BYTES], sig[CRYPTO_SIG_BYTES];
	size_t		 hl, sl;
	char		 pk[64], name[64];
	json_t		*o;
	char		*text;

	page_init(&p, ctx, rq, rp);
	if (page_form(&p, 1024) == -1)
		goto out;
	ref = form_get(&p.form, "case");
	at = form_get(&p.form, "at");
	hb = form_get(&p.form, "content_hash");
	sb = form_get(&p.form, "signature");
	if (ref == NULL || at == NULL || hb == NULL || sb == NULL ||
	    strlen(ref) >= CORE_CASE_REF_MAX ||
	    crypto_b64_decode(hb, strlen(hb), hash, sizeof(hash), &hl) == -1 ||
	    hl != sizeof(hash) ||
	    crypto_b64_decode(sb, strlen(sb), sig, sizeof(sig), &sl) == -1 ||
	    sl != sizeof(sig) ||
	    crypto_receipt_verify(ctx->keys->receipt_pk, ref, at, hash,
	    sig) == -1) {
		page_fail(&p, 400);
		goto out;
	}
	crypto_b64_encode(ctx->keys->receipt_pk, CRYPTO_SIGN_PK_BYTES, pk);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "case", ref, "at", at,
	    "content_hash", hb, "signature", sb, "receipt_key", pk);
	text = o != NULL ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) :
	    NULL;
	json_decref(o);
	if (text == NULL) {
		page_fail(&p, 503);
		goto out;
	}
	snprintf(name, sizeof(name), "bukti-%s.json", ref);
	/* srv_ok_bytes takes malloc'd bytes; jansson's are its own. */
	{
		size_t	 n = strlen(text);
		uint8_t	*b = malloc(n + 1);

		if (b == NULL) {
			core_json_free(text);
			page_fail(&p, 503);
			goto out;
		}
		memcpy(b, text, n + 1);
		core_json_free(text);
		srv_ok_bytes(rp, b, n, "application/json", name);
		rp->page = 1;
	}
 out:
	page_free(&p);
}
