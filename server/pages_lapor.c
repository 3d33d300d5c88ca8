/*
 * pages_lapor.c: /lapor, the submission form, its answer (the receipt
 * page that shows the case number and the token once), its printable
 * page and other language (/lapor/tanda-terima) and /lapor/bukti, the
 * signed proof of filing as a download or a document to read.
 *
 * Spam without tracking: the form carries a signed challenge of
 * crypto/pow.c (MAC'd, with its expiry, hence its time of issue).
 *  - With JavaScript, /static/pow.js solves it as a proof of work and
 *    fills "nonce"; the page then calls api_report_submit, which checks
 *    it exactly as for any API client.
 *  - Without JavaScript, "nonce" stays empty; the page checks the MAC,
 *    that the challenge has not expired and that form_min_seconds have
 *    passed since it was issued, and api_report_submit_waited makes it
 *    single use (its id goes into pow_seen in the submission's own
 *    transaction). Nothing about the sender is kept for this.
 * Waiting costs a person nothing (writing a report takes longer) and a
 * script time per submission; the global rate limit bounds the rest.
 *
 * The identity section says who can ever open it: the threshold of the
 * installed escrow key is read from the store and shown.
 *
 * Every error of the form is listed at once, each linked to its input
 * (form_errors); agencies come grouped (central, province, regency,
 * city) and sorted, with a filter box when JavaScript runs.
 *
 * Never losing the token: the receipt is the answer to the POST, so it
 * cannot be fetched again by URL (the token never goes into one, and
 * the page is no-store). Its language switch, its printable page and its
 * proof of filing post what they need again (/lapor/tanda-terima,
 * /lapor/bukti), the last two into a new tab so that the receipt stays
 * open; with JavaScript its history entry becomes a GET of /lapor, so
 * that Back or Forward brings the form, not a dead POST. A form sent
 * again after it was accepted (Back and Reload without JavaScript, a
 * second click) finds its challenge spent: it is told so, and not shown
 * the filled form to file twice.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/pages.h"

/* What the receipt's own pages post: the token, the proof's seven fields
 * (a base64 signature is the longest, under 100 bytes, tripled when its
 * '+', '/' and '=' are percent-encoded) and two flags. */
#define RECEIPT_FORM_MAX	2048

/*
 * The agency choice: a <select> grouped by level, sorted by name, which
 * works without JavaScript; with it, bisik.js puts a filter box before
 * it (data-filter names the box's label) that hides the options not
 * matching what is typed.
 */
static void
agency_select(struct page *p, const json_t *list, const char *selected,
    int invalid)
{
	HTML(&p->h, LIT("<label for=\"agency\">"), TR(M_F_AGENCY),
	    LIT("</label>\n<p class=\"help\" id=\"agency-help\">"),
	    TR(M_LAPOR_AGENCY_HELP), LIT("</p>\n<select id=\"agency\" "
	    "name=\"agency\" aria-describedby=\"agency-help\" data-filter=\""),
	    ATTR(page_common_tr(p, M_LAPOR_AGENCY_FILTER)),
	    LIT("\" data-filter-help=\""), ATTR(page_common_tr(p,
	    M_LAPOR_AGENCY_FILTER_HELP)), LIT("\""), RAW(invalid ?
	    " aria-invalid=\"true\"" : ""), LIT("><option value=\"\">"),
	    TR(M_OPT_NONE), LIT("</option>"));
	page_common_agency_options(p, list, selected);
	html_raw(&p->h, "</select>\n");
}

/* "Other" goes last whatever its name sorts as. */
static int
other_category(const json_t *c)
{
	const char *id = json_string_value(json_object_get(c, "id"));

	return id != NULL && strcmp(id, "lainnya") == 0;
}

static int
category_order(const void *a, const void *b)
{
	int x = other_category(*(json_t *const *)a);
	int y = other_category(*(json_t *const *)b);

	if (x != y)
		return x - y;
	return page_common_by_name(a, b);
}

static void
category_select(struct page *p, const json_t *list, const char *selected,
    int invalid)
{
	json_t		**a = NULL, *v;
	const char	*id;
	size_t		 i, n;

	HTML(&p->h, LIT("<label for=\"category\">"), TR(M_F_CATEGORY),
	    LIT("</label>\n<p class=\"help\" id=\"category-help\">"),
	    TR(M_LAPOR_CATEGORY_HELP), LIT("</p>\n<select id=\"category\" "
	    "name=\"category\" aria-describedby=\"category-help\""), RAW(invalid
	    ? " aria-invalid=\"true\"" : ""), LIT("><option value=\"\">"),
	    TR(M_OPT_NONE), LIT("</option>"));
	if (json_is_array(list) && (n = json_array_size(list)) > 0 &&
	    (a = calloc(n, sizeof(*a))) != NULL) {
		json_array_foreach(list, i, v)
			a[i] = v;
		qsort(a, n, sizeof(*a), category_order);
		for (i = 0; i < n; i++) {
			if ((id = json_string_value(json_object_get(a[i],
			    "id"))) == NULL)
				continue;
			HTML(&p->h, LIT("<option value=\""), ATTR(id),
			    LIT("\""), RAW(selected != NULL && strcmp(selected,
			    id) == 0 ? " selected" : ""), LIT(">"),
			    TXT(json_string_value(json_object_get(a[i],
			    "name"))), LIT("</option>"));
		}
	}
	html_raw(&p->h, "</select>\n");
	free(a);
}

static void
option(struct page *p, const char *value, int key, const char *cur, int dflt)
{
	int sel = cur != NULL ? strcmp(cur, value) == 0 : dflt;

	HTML(&p->h, LIT("<option value=\""), ATTR(value), LIT("\""), RAW(sel ?
	    " selected" : ""), LIT(">"), TR(key), LIT("</option>"));
}

/* 1 if an error answer names the field (identity: any of its parts). */
static int
invalid(const struct srv_reply *err, const char *name)
{
	const json_t	*f;
	const char	*k;
	json_t		*v;

	if (err == NULL)
		return 0;
	f = json_object_get(json_object_get(err->body, "error"), "fields");
	json_object_foreach((json_t *)(uintptr_t)f, k, v)
		if (strcmp(k, name) == 0)
			return 1;
	return 0;
}

/* 1 if an error answer names any field. */
static int
invalid_any(const struct srv_reply *err)
{
	return json_object_size(json_object_get(json_object_get(err->body,
	    "error"), "fields")) > 0;
}

static void
text_input(struct page *p, const char *name, int label, int help,
    const char *type, int maxlen, int required, const char *value,
    const char *autocomplete, int bad)
{
	HTML(&p->h, LIT("<label for=\""), ATTR(name), LIT("\">"), TR(label),
	    RAW(required ? " <span class=\"req\">*</span>" : ""),
	    LIT("</label>\n"));
	if (help >= 0)
		HTML(&p->h, LIT("<p class=\"help\" id=\""), ATTR(name),
		    LIT("-help\">"), TR(help), LIT("</p>\n"));
	HTML(&p->h, LIT("<input id=\""), ATTR(name), LIT("\" name=\""),
	    ATTR(name), LIT("\" type=\""), ATTR(type), LIT("\""));
	if (maxlen > 0)
		HTML(&p->h, LIT(" maxlength=\""), INT(maxlen), LIT("\""));
	if (help >= 0)
		HTML(&p->h, LIT(" aria-describedby=\""), ATTR(name),
		    LIT("-help\""));
	HTML(&p->h, RAW(required ? " required" : ""), RAW(bad ?
	    " aria-invalid=\"true\"" : ""), LIT(" autocomplete=\""),
	    ATTR(autocomplete), LIT("\" value=\""), ATTR(value != NULL ? value :
	    ""), LIT("\">\n"));
}

/* Inputs of the fields an error may name, for its list of links. */
static const char *const lapor_ids[] = {
	"kind", "kind", "title", "title", "body", "body",
	"category", "category", "agency", "agency", "location", "location",
	"occurred_on", "occurred_on", "visibility", "vis-c",
	"identity", "id_name", "pow", "pow-status", "file", "file", NULL,
};

/*
 * The form, filled with what was sent when it comes back with errors.
 * It is sent without the browser's own checks (novalidate): the server
 * lists every error at once, each linked to its input, where a browser
 * stops at the first.
 */
static void
lapor_form(struct page *p, const char *challenge, const struct srv_reply *err,
    const struct page_dir *dir)
{
	const struct form	*f = &p->form;
	const struct srv_deadlines *dl = &p->ctx->cfg->deadlines;
	struct html		*h = &p->h;
	const char		*kind = page_form_get(f, "kind");
	const char		*vis = page_form_get(f, "visibility");
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	unsigned		 k = 0, n = 0;
	int			 escrow;

	escrow = page_common_escrow(p, &k, &n, fp) == 0;
	p->field_ids = lapor_ids;
	/* The language switch takes what was typed along. */
	p->switch_form = "lapor";
	p->switch_action = "/lapor/bahasa";
	page_common_head(p, page_common_tr(p, M_LAPOR_TITLE), NAV_LAPOR,
	    PAGE_SCRIPT_POW | PAGE_SCRIPT_PAGE);
	HTML(h, LIT("<h1>"), TR(M_LAPOR_TITLE),
	    LIT("</h1>\n<p class=\"lead\">"), TR(M_LAPOR_INTRO), LIT("</p>\n"));
	HTML(h, LIT("<h2>"), TR(M_LAPOR_TIME_H), LIT("</h2>\n<p>"));
	page_common_trn3(p, M_LAPOR_TIME, dl->dispose, dl->accept, dl->resolve);
	html_raw(h, "</p>\n");
	if (err != NULL)
		page_common_api_error(p, err);
	HTML(h, LIT("<form class=\"stack\" method=\"post\" action=\"/lapor\" "
	    "enctype=\"multipart/form-data\" id=\"lapor\" novalidate "
	    "data-working=\""), ATTR(page_common_tr(p, M_POW_WORKING)),
	    LIT("\" data-done=\""), ATTR(page_common_tr(p,
	    M_POW_DONE)), LIT("\">\n"));
	page_common_lang_input(p);
	HTML(h, LIT("<input type=\"hidden\" name=\"challenge\" value=\""),
	    ATTR(challenge), LIT("\"><input type=\"hidden\" name=\"nonce\" "
	    "value=\"\"><input type=\"hidden\" name=\"difficulty\" value=\""),
	    INT((int)p->ctx->cfg->pow_difficulty), LIT("\">\n"));
	/* A form shown with its errors keeps them across a language
	 * switch: the switch checks it again. */
	if (err != NULL && invalid_any(err))
		html_raw(h, "<input type=\"hidden\" name=\"periksa\" "
		    "value=\"1\">\n");

	HTML(h, LIT("<fieldset><legend>"), TR(M_LAPOR_WHAT),
	    LIT("</legend>\n"));
	HTML(h, LIT("<label for=\"kind\">"), TR(M_F_KIND), LIT("</label>\n<p "
	    "class=\"help\" id=\"kind-help\">"), TR(M_LAPOR_KIND_HELP),
	    LIT("</p>\n<select id=\"kind\" name=\"kind\" "
	    "aria-describedby=\"kind-help\""), RAW(invalid(err, "kind") ?
	    " aria-invalid=\"true\"" : ""), LIT(">"));
	option(p, "complaint", M_KIND_COMPLAINT, kind, 1);
	option(p, "aspiration", M_KIND_ASPIRATION, kind, 0);
	option(p, "information_request", M_KIND_INFORMATION_REQUEST, kind, 0);
	html_raw(h, "</select>\n");
	text_input(p, "title", M_F_TITLE, M_LAPOR_TITLE_HELP, "text",
	    CORE_TITLE_MAX, 1, page_form_get(f, "title"), "off",
	    invalid(err, "title"));
	HTML(h, LIT("<label for=\"body\">"), TR(M_F_BODY), LIT(" <span "
	    "class=\"req\">*</span></label>\n<p class=\"help\" "
	    "id=\"body-help\">"), TR(M_LAPOR_BODY_HELP), LIT("</p>\n<textarea "
	    "id=\"body\" name=\"body\" rows=\"10\" cols=\"60\" required "
	    "maxlength=\""), INT(CORE_BODY_MAX),
	    LIT("\" aria-describedby=\"body-help\""), RAW(invalid(err, "body") ?
	    " aria-invalid=\"true\"" : ""), LIT(">"), TXT(page_form_get(f,
	    "body")), LIT("</textarea>\n"));
	category_select(p, dir->categories, page_form_get(f, "category"),
	    invalid(err, "category"));
	agency_select(p, dir->agencies, page_form_get(f, "agency"),
	    invalid(err, "agency"));
	text_input(p, "location", M_F_LOCATION, -1, "text", CORE_LOCATION_MAX,
	    0, page_form_get(f, "location"), "off", invalid(err, "location"));
	text_input(p, "occurred_on", M_F_OCCURRED_ON, -1, "date", 0, 0,
	    page_form_get(f, "occurred_on"), "off", invalid(err,
	    "occurred_on"));
	HTML(h, LIT("</fieldset>\n<fieldset><legend>"), TR(M_F_VISIBILITY),
	    LIT("</legend>\n<p class=\"help\">"), TR(M_LAPOR_VIS_HELP),
	    LIT("</p>\n"));
	HTML(h, LIT("<div class=\"choice\"><input type=\"radio\" id=\"vis-c\" "
	    "name=\"visibility\" value=\"confidential\""), RAW(vis == NULL ||
	    strcmp(vis, "public") != 0 ? " checked" : ""),
	    LIT("><label for=\"vis-c\">"), TR(M_VIS_CONFIDENTIAL_LONG),
	    LIT("</label></div>\n<div class=\"choice\"><input type=\"radio\" "
	    "id=\"vis-p\" name=\"visibility\" value=\"public\""), RAW(vis !=
	    NULL && strcmp(vis, "public") == 0 ? " checked" : ""),
	    LIT("><label for=\"vis-p\">"), TR(M_VIS_PUBLIC_LONG),
	    LIT("</label></div>\n</fieldset>\n"));

	HTML(h, LIT("<fieldset><legend>"), TR(M_F_IDENTITY),
	    LIT("</legend>\n<p>"), TR(M_LAPOR_ID_ANON), LIT("</p>\n"));
	if (escrow) {
		html_raw(h, "<p>");
		page_common_trn(p, M_LAPOR_ID_WHO, k, n);
		HTML(h, LIT("</p>\n<p>"), TR(M_LAPOR_ID_TOLD), LIT("</p>\n"));
		page_common_escrow_fp(p, fp);
		text_input(p, "id_name", M_F_ID_NAME, -1, "text",
		    CORE_IDENTITY_FIELD_MAX, 0, page_form_get(f,
		    "id_name"), "off", invalid(err, "identity.name"));
		text_input(p, "id_email", M_F_ID_EMAIL, -1, "email",
		    CORE_IDENTITY_FIELD_MAX, 0, page_form_get(f,
		    "id_email"), "off", invalid(err, "identity.email"));
		text_input(p, "id_phone", M_F_ID_PHONE, -1, "tel",
		    CORE_IDENTITY_FIELD_MAX, 0, page_form_get(f,
		    "id_phone"), "off", invalid(err, "identity.phone"));
		text_input(p, "id_nik", M_F_ID_NIK, -1, "text",
		    CORE_IDENTITY_FIELD_MAX, 0, page_form_get(f,
		    "id_nik"), "off", invalid(err, "identity.nik"));
		text_input(p, "id_address", M_F_ID_ADDRESS, -1, "text",
		    CORE_IDENTITY_FIELD_MAX, 0, page_form_get(f, "id_address"), "off",
		    invalid(err, "identity.address"));
	} else
		HTML(h, LIT("<p>"), TR(M_LAPOR_ID_UNAVAILABLE), LIT("</p>\n"));
	html_raw(h, "</fieldset>\n");

	HTML(h, LIT("<fieldset><legend>"), TR(M_F_FILE),
	    LIT("</legend>\n<label for=\"file\">"), TR(M_F_FILE_ONE),
	    LIT("</label>\n<p class=\"help\" id=\"file-help\">"));
	page_common_trn(p, M_LAPOR_FILE_HELP, (long long)(p->ctx->cfg->
	    max_attachment_bytes / (1024 * 1024)), 0);
	html_raw(h, "</p>\n<input id=\"file\" name=\"file\" type=\"file\" "
	    "accept=\"image/jpeg,image/png,image/webp,application/pdf,"
	    "text/plain\" aria-describedby=\"file-help\">\n</fieldset>\n");

	html_raw(h, "<p class=\"help\" id=\"pow-status\" aria-live=\"polite\">");
	page_common_trn(p, M_LAPOR_WAIT, p->ctx->cfg->form_min_seconds, 0);
	HTML(h, LIT("</p>\n<p><button type=\"submit\">"), TR(M_LAPOR_SUBMIT),
	    LIT("</button></p>\n</form>\n"));
	page_common_foot(p);
}

void
page_lapor_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	p;
	struct page_dir	dir;
	char		ch[CRYPTO_CHALLENGE_TEXT];

	page_common_init(&p, ctx, rq, rp);
	page_common_dir_load(&p, &dir);
	crypto_challenge_new(ctx->keys->challenge, (uint64_t)rq->now +
	    SRV_CHALLENGE_TTL, ctx->cfg->pow_difficulty, ch);
	lapor_form(&p, ch, NULL, &dir);
	page_common_send(&p, 200);
	page_common_dir_free(&dir);
	page_common_free(&p);
}

static json_t	*report_json(const struct form *);
static int	 form_errors(const json_t *, const struct page_dir *,
		    const char *, const char *, struct srv_reply *);

/*
 * POST /lapor/bahasa: the form's language switch. The form comes back
 * filled with what was typed (not a chosen file: no browser lets a page
 * fill one in), in the language asked for, with its challenge while it is
 * good; nothing is filed.
 */
void
page_lapor_lang(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	 p = { 0 };
	struct page_dir	 dir = { NULL, NULL };
	struct srv_reply err = { 0 };
	const char	*ch;
	char		 fresh[CRYPTO_CHALLENGE_TEXT];
	json_t		*body = NULL;
	uint8_t		 id[CRYPTO_CHALLENGE_ID_BYTES] = { 0 };
	uint64_t	 expires = 0;
	unsigned	 diff;
	int		 l;

	page_common_init(&p, ctx, rq, rp);
	if (page_common_form(&p, ctx->cfg->max_body_bytes) == -1)
		goto out;
	if ((l = page_common_lang_parse(page_form_get(&p.form,
		"ganti_bahasa"))) >= 0) {
		page_common_lang_set(&p, l);
		p.lang_given = 1;
	}
	ch = page_form_get(&p.form, "challenge");
	if (ch != NULL && crypto_challenge_check(ctx->keys->challenge, ch,
	    strlen(ch), id, &expires, &diff) == 0 &&
	    expires >= (uint64_t)rq->now)
		snprintf(fresh, sizeof(fresh), "%s", ch);
	else
		crypto_challenge_new(ctx->keys->challenge, (uint64_t)rq->now +
		    SRV_CHALLENGE_TTL, ctx->cfg->pow_difficulty, fresh);
	page_common_dir_load(&p, &dir);
	if (page_form_text(&p.form, "periksa") != NULL &&
	    (body = report_json(&p.form)) != NULL &&
	    form_errors(body, &dir, NULL, NULL, &err) == -1)
		lapor_form(&p, fresh, &err, &dir);
	else
		lapor_form(&p, fresh, NULL, &dir);
	page_common_send(&p, 200);
 out:
	json_decref(body);
	page_common_api_free(&err);
	page_common_dir_free(&dir);
	crypto_wipe(id, sizeof(id));
	page_common_free(&p);
}

/* What a receipt is made of: the token and the signed proof of filing
 * (borrowed from the API's answer or from the posted form): the case,
 * when, the content hash, the sealed identity's hash (NULL without an
 * identity), the audit head at filing (the reporter's witness of the
 * audit log: sequence number in decimal, hash in hex) and the
 * signature. */
struct receipt {
	const char	*token, *ref, *at, *hash, *id_hash, *seq, *head, *sig;
};

/* The proof's fields as hidden inputs (never the token). */
static void
proof_inputs(struct page *p, const struct receipt *r)
{
	HTML(&p->h, LIT("<input type=\"hidden\" name=\"case\" value=\""),
	    ATTR(r->ref), LIT("\"><input type=\"hidden\" name=\"at\" value=\""),
	    ATTR(r->at), LIT("\"><input type=\"hidden\" name=\"content_hash\" "
	    "value=\""), ATTR(r->hash), LIT("\">"));
	if (r->id_hash != NULL)
		HTML(&p->h, LIT("<input type=\"hidden\" name=\"identity_hash\" "
		    "value=\""), ATTR(r->id_hash), LIT("\">"));
	HTML(&p->h, LIT("<input type=\"hidden\" name=\"audit_seq\" value=\""),
	    ATTR(r->seq), LIT("\"><input type=\"hidden\" name=\"audit_head\" "
	    "value=\""), ATTR(r->head), LIT("\"><input type=\"hidden\" "
	    "name=\"signature\" value=\""), ATTR(r->sig), LIT("\">"));
}

/* The proof's fields for a page's language switch. */
static void
proof_switch(struct page *p, const struct receipt *r)
{
	page_common_switch_field(p, "case", r->ref);
	page_common_switch_field(p, "at", r->at);
	page_common_switch_field(p, "content_hash", r->hash);
	page_common_switch_field(p, "identity_hash", r->id_hash);
	page_common_switch_field(p, "audit_seq", r->seq);
	page_common_switch_field(p, "audit_head", r->head);
	page_common_switch_field(p, "signature", r->sig);
}

/* The receipt's own page in the other language, or printable. */
static void
receipt_switch(struct page *p, const struct receipt *r, int print)
{
	page_common_switch(p, "/lapor/tanda-terima", "/lapor");
	page_common_switch_field(p, "token", r->token);
	proof_switch(p, r);
	if (print)
		page_common_switch_field(p, "cetak", "1");
}

/*
 * The receipt: case number and token, once after filing and again on a
 * language switch (POST /lapor/tanda-terima, which posts them back);
 * what happens next; the printable page and the proof of filing, both in
 * a new tab so that this one stays; the escrow fingerprint.
 */
static void
receipt_page(struct page *p, const struct receipt *r, const json_t *view,
    const struct page_dir *dir, const struct srv_reply *att)
{
	struct html *h = &p->h;

	receipt_switch(p, r, 0);
	page_common_head(p, page_common_tr(p, M_RCPT_TITLE), NAV_LAPOR, 0);
	HTML(h, LIT("<h1>"), TR(M_RCPT_TITLE),
	    LIT("</h1>\n<div class=\"receipt\">\n<h2>"), TR(M_RCPT_CASE),
	    LIT("</h2>\n<p class=\"caseref\" translate=\"no\">"), TXT(r->ref),
	    LIT("</p>\n<h2>"), TR(M_RCPT_TOKEN), LIT("</h2>\n"));
	page_common_token(p, r->token);
	HTML(h, LIT("<div class=\"alert\" role=\"alert\"><p><strong>"),
	    TR(M_RCPT_WARN_H), LIT("</strong></p><p>"), TR(M_RCPT_WARN),
	    LIT("</p><p>"), TR(M_RCPT_BACK), LIT("</p></div>\n</div>\n"));
	if (att != NULL && att->status != 201) {
		HTML(h, LIT("<p>"), TR(M_RCPT_ATTACH_FAILED), LIT("</p>"));
		page_common_api_error(p, att);
	}
	HTML(h, LIT("<h2>"), TR(M_RCPT_PRINT_H), LIT("</h2>\n<p>"),
	    TR(M_RCPT_PRINT_HELP), LIT("</p>\n<form method=\"post\" "
	    "action=\"/lapor/tanda-terima\" target=\"_blank\">"));
	page_common_lang_input(p);
	HTML(h, LIT("<input type=\"hidden\" name=\"token\" value=\""),
	    ATTR(r->token), LIT("\"><input type=\"hidden\" name=\"cetak\" "
	    "value=\"1\">"));
	proof_inputs(p, r);
	HTML(h, LIT("<button type=\"submit\">"), TR(M_RCPT_PRINT),
	    LIT("</button></form>\n"));
	if (view != NULL)
		page_pantau_next(p, view, dir);
	HTML(h, LIT("<h2>"), TR(M_RCPT_PROOF_H), LIT("</h2>\n<p>"),
	    TR(M_RCPT_PROOF), LIT("</p>\n<form class=\"buttons\" "
	    "method=\"post\" action=\"/lapor/bukti\">"));
	page_common_lang_input(p);
	proof_inputs(p, r);
	HTML(h, LIT("<button type=\"submit\" name=\"format\" value=\"html\" "
	    "formtarget=\"_blank\">"), TR(M_RCPT_PROOF_READ), LIT("</button> "
	    "<button class=\"alt\" type=\"submit\" name=\"format\" "
	    "value=\"json\">"), TR(M_RCPT_DOWNLOAD), LIT("</button></form>\n"));
	page_common_escrow_fingerprint(p);
	HTML(h, LIT("<h2>"), TR(M_RCPT_NEXT_H), LIT("</h2>\n<p>"),
	    TR(M_RCPT_NEXT), LIT("</p>\n<form method=\"post\" "
	    "action=\"/pantau\">"));
	page_common_lang_input(p);
	HTML(h, LIT("<input type=\"hidden\" name=\"token\" value=\""),
	    ATTR(r->token), LIT("\"><button type=\"submit\">"),
	    TR(M_RCPT_FOLLOW), LIT("</button></form>\n"));
	page_common_foot(p);
}

/* The printable receipt: what a reporter keeps on paper. */
static void
print_page(struct page *p, const struct receipt *r, const json_t *view,
    const struct page_dir *dir)
{
	struct html *h = &p->h;

	receipt_switch(p, r, 1);
	page_common_head(p, page_common_tr(p, M_RCPT_PRINT_H), NAV_NONE, 0);
	HTML(h, LIT("<h1>"), TR(M_RCPT_PRINT_H), LIT("</h1>\n<p "
	    "class=\"noprint\"><button type=\"button\" class=\"print\" "
	    "hidden>"), TR(M_RCPT_PRINT_BUTTON), LIT("</button></p>\n<p "
	    "class=\"help noprint\">"), TR(M_RCPT_PRINT_HOW), LIT("</p>\n<div "
	    "class=\"receipt\">\n<dl class=\"facts\"><dt>"), TR(M_RCPT_CASE),
	    LIT("</dt><dd class=\"caseref\" translate=\"no\">"), TXT(r->ref),
	    LIT("</dd><dt>"), TR(M_SUBMITTED_AT), LIT("</dt><dd>"));
	page_common_date(p, page_common_iso(r->at));
	html_raw(h, ", ");
	page_common_clock(p, r->at);
	HTML(h, LIT("</dd></dl>\n<h2>"), TR(M_RCPT_TOKEN), LIT("</h2>\n"));
	page_common_token(p, r->token);
	HTML(h, LIT("<p><strong>"), TR(M_RCPT_WARN_H), LIT("</strong> "),
	    TR(M_RCPT_WARN), LIT("</p>\n</div>\n"));
	if (view != NULL)
		page_pantau_next(p, view, dir);
	page_common_escrow_fingerprint(p);
	page_common_foot(p);
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
	json_object_set_new(o, "kind", json_string(page_form_text(f, "kind") ?
	    page_form_text(f, "kind") : "complaint"));
	json_object_set_new(o, "title", json_string(page_form_get(f, "title") ?
	    page_form_get(f, "title") : ""));
	json_object_set_new(o, "body", json_string(page_form_get(f, "body") ?
	    page_form_get(f, "body") : ""));
	json_object_set_new(o, "visibility", json_string(page_form_text(f,
	    "visibility") ? page_form_text(f, "visibility") : "confidential"));
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (page_form_text(f, opt[i]) != NULL)
			json_object_set_new(o, opt[i],
			    json_string(page_form_text(f, opt[i])));
	id = NULL;
	for (i = 0; i < sizeof(idf) / sizeof(idf[0]); i++)
		if (page_form_text(f, idf[i][0]) != NULL) {
			if (id == NULL && (id = json_object()) != NULL)
				json_object_set_new(o, "identity", id);
			json_object_set_new(id, idf[i][1],
			    json_string(page_form_text(f, idf[i][0])));
		}
	/* A NULL member (a value that is not UTF-8) leaves a key out; the
	 * API then names the missing field. */
	return o;
}

/* 1 if the list holds an entry with this id. */
static int
dir_has(const json_t *list, const char *id)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(list, i, e)
		if (json_is_string(json_object_get(e, "id")) &&
		    strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return 1;
	return 0;
}

/*
 * Every error of the form at once, before anything is sent to the API:
 * the report's own validation (core_report_parse, which lists every
 * field), agency and category against the directory, and the waiting
 * time (pow_reason, NULL when it is fine). 0 when all is well; else the
 * 422 answer is in err.
 */
static int
form_errors(const json_t *body, const struct page_dir *dir,
    const char *pow_code, const char *pow_reason, struct srv_reply *err)
{
	struct core_errors	 errs;
	struct core_report	 r;
	const char		*a, *c;
	char			*text;
	json_t			*fields;
	int			 rc = CORE_OK;

	memset(&errs, 0, sizeof(errs));
	memset(err, 0, sizeof(*err));
	if ((text = json_dumps(body, JSON_COMPACT)) != NULL) {
		rc = core_report_parse(text, strlen(text), 0, &r, &errs);
		if (rc == CORE_OK)
			core_report_free(&r);
		crypto_wipe(text, strlen(text));
		core_json_free(text);
	}
	if (rc == CORE_MALFORMED)
		return 0;	/* the API answers that one */
	a = json_string_value(json_object_get(body, "agency"));
	c = json_string_value(json_object_get(body, "category"));
	if (a != NULL && dir->agencies != NULL && core_id_ok(a) &&
	    !dir_has(dir->agencies, a))
		core_errors_add(&errs, "agency", "unknown");
	if (c != NULL && dir->categories != NULL && core_id_ok(c) &&
	    !dir_has(dir->categories, c))
		core_errors_add(&errs, "category", "unknown");
	if (errs.nfields == 0 && pow_reason == NULL)
		return 0;
	srv_http_error_core(err, CORE_INVALID, &errs);
	if (pow_reason != NULL && err->body != NULL) {
		json_t *e = json_object_get(err->body, "error");

		if (errs.nfields == 0)
			json_object_set_new(e, "code", json_string(pow_code));
		if ((fields = json_object_get(e, "fields")) == NULL) {
			fields = json_object();
			json_object_set_new(e, "fields", fields);
		}
		json_object_set_new(fields, "pow", json_string(pow_reason));
	}
	return -1;
}

/* A form sent again after it was accepted (Back, Reload, a second
 * click): its challenge is spent, so a report was filed with it. The
 * form is not shown again, so that nobody files twice by mistake. */
static void
already_sent(struct page *p, const char *challenge)
{
	/* Its language switch sends the spent challenge again, which
	 * brings this page again. */
	page_common_switch(p, "/lapor", "/lapor");
	page_common_switch_field(p, "challenge", challenge);
	page_common_head(p, page_common_tr(p, M_E_ALREADY_SENT_H), NAV_LAPOR,
	    0);
	HTML(&p->h, LIT("<h1>"), TR(M_E_ALREADY_SENT_H), LIT("</h1>\n<div "
	    "class=\"alert\" role=\"alert\"><p>"), TR(M_E_ALREADY_SENT),
	    LIT("</p></div>\n<p class=\"cta\"><a class=\"button\" "
	    "href=\"/pantau"), RAW(page_common_lq(p, 1)), LIT("\">"),
	    TR(M_HOME_CTA_PANTAU), LIT("</a> <a class=\"button alt\" "
	    "href=\"/lapor"), RAW(page_common_lq(p, 1)), LIT("\">"),
	    TR(M_HOME_CTA_LAPOR), LIT("</a></p>\n"));
	page_common_foot(p);
}

static int
spent_read(struct store_txn *txn, void *arg)
{
	const void	*v;
	size_t		 vlen;

	return store_get(txn, STORE_T_POW_SEEN, arg,
	    CRYPTO_CHALLENGE_ID_BYTES, &v, &vlen);
}

/* 1 if a report was filed with this challenge (its id is in pow_seen,
 * written in the submission's own transaction). */
static int
challenge_spent(struct srv_ctx *ctx, const uint8_t id[CRYPTO_CHALLENGE_ID_BYTES])
{
	return store_read(ctx->store, spent_read, (void *)(uintptr_t)id) ==
	    STORE_OK;
}

/* The reporter's view of the case just filed, for "what happens next". */
static void
view_of(struct page *p, const char *token, struct srv_reply *got)
{
	struct api_call c;

	memset(&c, 0, sizeof(c));
	c.token = token;
	page_common_api(p, api_followup_get, &c, got);
}

void
page_lapor_post(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p = { 0 };
	struct page_dir		 dir = { NULL, NULL };
	struct api_call		 c;
	struct srv_reply	 ans = { 0 }, att = { 0 }, got = { 0 };
	struct srv_reply	 err = { 0 };
	struct srv_request	 sub;
	struct receipt		 r;
	const struct form_field	*file = NULL;
	const char		*ch, *nonce, *pow_reason = NULL, *pow_code = NULL;
	uint8_t			 id[CRYPTO_CHALLENGE_ID_BYTES] = { 0 };
	uint64_t		 expires = 0;
	unsigned		 diff;
	char			 fresh[CRYPTO_CHALLENGE_TEXT], seq[24];
	json_t			*body = NULL, *pow;
	char			*text;
	int			 ok_ch;

	page_common_init(&p, ctx, rq, rp);
	if (page_common_form(&p, ctx->cfg->max_body_bytes) == -1)
		goto out;
	page_common_dir_load(&p, &dir);
	ch = page_form_get(&p.form, "challenge");
	nonce = page_form_text(&p.form, "nonce");
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
	/* Sent again after it was filed: said before anything else. */
	if (ok_ch && challenge_spent(ctx, id)) {
		already_sent(&p, ch);
		page_common_send(&p, 409);
		goto out;
	}
	if ((body = report_json(&p.form)) == NULL) {
		page_common_fail(&p, 503);
		goto out;
	}
	/* Without JavaScript: the signed challenge and the waiting time. */
	if (nonce == NULL && !ok_ch) {
		pow_code = "invalid";
		pow_reason = "expired";
	} else if (nonce == NULL && (uint64_t)rq->now < expires -
	    SRV_CHALLENGE_TTL + ctx->cfg->form_min_seconds) {
		pow_code = "too_soon";
		pow_reason = "too soon";
	}
	if (form_errors(body, &dir, pow_code, pow_reason, &err) == -1) {
		lapor_form(&p, fresh, &err, &dir);
		page_common_send(&p, err.status);
		goto out;
	}
	if (nonce != NULL) {
		/* With JavaScript: the proof of work, checked by the API. */
		if (ch != NULL)
			json_object_set_new(body, "pow", json_pack("{s:s, s:s}",
			    "challenge", ch, "nonce", nonce));
		memset(&c, 0, sizeof(c));
		c.body = body;
		page_common_api(&p, api_report_submit, &c, &ans);
	} else {
		if ((text = json_dumps(body, JSON_COMPACT)) == NULL) {
			page_common_fail(&p, 503);
			goto out;
		}
		sub = *rq;
		sub.body = text;
		sub.len = strlen(text);
		sub.content_type = "application/json";
		sub.authorization = NULL;
		sub.args = NULL;
		api_report_submit_waited(ctx, &sub, id, expires, &ans);
		crypto_wipe(text, strlen(text));
		core_json_free(text);
	}
	if (ans.status != 201 || !json_is_string(json_object_get(ans.body,
	    "token"))) {
		pow = json_object_get(json_object_get(json_object_get(ans.body,
		    "error"), "fields"), "pow");
		if (json_is_string(pow) && strcmp(json_string_value(pow),
		    "already used") == 0) {
			already_sent(&p, ch);
			page_common_send(&p, 409);
			goto out;
		}
		/* A challenge the API refused (expired) is replaced. */
		if (pow != NULL)
			crypto_challenge_new(ctx->keys->challenge,
			    (uint64_t)rq->now + SRV_CHALLENGE_TTL,
			    ctx->cfg->pow_difficulty, fresh);
		lapor_form(&p, fresh, &ans, &dir);
		page_common_send(&p, ans.status == 201 ? 503 : ans.status);
		goto out;
	}
	/* The case exists now: whatever happens to the attachment, the
	 * token is shown. */
	r.token = json_string_value(json_object_get(ans.body, "token"));
	r.ref = json_string_value(json_object_get(ans.body, "case"));
	r.at = json_string_value(json_object_get(json_object_get(ans.body,
	    "receipt"), "at"));
	r.hash = json_string_value(json_object_get(json_object_get(ans.body,
	    "receipt"), "content_hash"));
	r.sig = json_string_value(json_object_get(json_object_get(ans.body,
	    "receipt"), "signature"));
	r.id_hash = json_string_value(json_object_get(json_object_get(
	    ans.body, "receipt"), "identity_hash"));
	snprintf(seq, sizeof(seq), "%" PRIu64, (uint64_t)json_integer_value(
	    json_object_get(json_object_get(ans.body, "receipt"), "audit_seq")));
	r.seq = seq;
	r.head = json_string_value(json_object_get(json_object_get(ans.body,
	    "receipt"), "audit_head"));
	if ((file = page_form_file(&p.form, "file")) != NULL) {
		memset(&c, 0, sizeof(c));
		c.token = r.token;
		c.file = (const uint8_t *)file->value;
		c.file_len = file->len;
		c.file_name = file->fname;
		page_common_api(&p, api_attach_followup, &c, &att);
	}
	view_of(&p, r.token, &got);
	receipt_page(&p, &r, got.status == 200 ? got.body : NULL, &dir,
	    file != NULL ? &att : NULL);
	page_common_send(&p, 201);
 out:
	json_decref(body);
	page_common_api_free(&err);
	page_common_api_free(&got);
	page_common_api_free(&att);
	page_common_api_free(&ans);
	page_common_dir_free(&dir);
	crypto_wipe(id, sizeof(id));
	page_common_free(&p);
}

/* The base64 of exactly len bytes into out: 0, else -1. */
static int
b64_read(const char *s, uint8_t *out, size_t len)
{
	size_t	n;

	if (crypto_b64_decode(s, strlen(s), out, len, &n) == -1 || n != len)
		return -1;
	return 0;
}

/* The posted proof of filing, if its signature verifies: 0, else -1. */
static int
receipt_posted(struct page *p, struct receipt *r)
{
	struct crypto_receipt	 cr;
	uint8_t			 sig[CRYPTO_SIG_BYTES];
	char			*end = NULL;

	memset(r, 0, sizeof(*r));
	memset(&cr, 0, sizeof(cr));
	r->token = page_form_get(&p->form, "token");
	r->ref = page_form_get(&p->form, "case");
	r->at = page_form_get(&p->form, "at");
	r->hash = page_form_get(&p->form, "content_hash");
	r->id_hash = page_form_get(&p->form, "identity_hash");
	r->seq = page_form_get(&p->form, "audit_seq");
	r->head = page_form_get(&p->form, "audit_head");
	r->sig = page_form_get(&p->form, "signature");
	if (r->ref == NULL || r->at == NULL || r->hash == NULL ||
	    r->seq == NULL || r->head == NULL || r->sig == NULL ||
	    strlen(r->ref) >= CORE_CASE_REF_MAX ||
	    b64_read(r->hash, cr.content_hash, CRYPTO_HASH_BYTES) == -1 ||
	    (r->id_hash != NULL && b64_read(r->id_hash, cr.identity_hash,
	    CRYPTO_HASH_BYTES) == -1) ||
	    core_hex_decode(r->head, cr.audit_head, CRYPTO_HASH_BYTES) == -1 ||
	    b64_read(r->sig, sig, sizeof(sig)) == -1 ||
	    r->seq[0] < '0' || r->seq[0] > '9' || strlen(r->seq) > 20)
		return -1;
	errno = 0;
	cr.audit_seq = strtoull(r->seq, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	cr.case_ref = r->ref;
	cr.at = r->at;
	cr.has_identity = r->id_hash != NULL;
	return crypto_receipt_verify(p->ctx->keys->receipt_pk, &cr, sig);
}

/*
 * POST /lapor/tanda-terima: the receipt again, from what its page posts
 * (the token and the signed proof), in the language asked for, or as the
 * printable page (cetak=1). The proof must verify and the token must open
 * the same case: the route shows nothing a caller did not already hold.
 */
void
page_lapor_receipt(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p = { 0 };
	struct page_dir		 dir = { NULL, NULL };
	struct srv_reply	 got = { 0 };
	struct receipt		 r;
	const char		*vc;

	page_common_init(&p, ctx, rq, rp);
	if (page_common_form(&p, RECEIPT_FORM_MAX) == -1)
		goto out;
	if (receipt_posted(&p, &r) == -1 || r.token == NULL) {
		page_common_fail(&p, 400);
		goto out;
	}
	view_of(&p, r.token, &got);
	if (got.status != 200) {
		page_common_fail(&p, got.status);
		goto out;
	}
	vc = json_string_value(json_object_get(got.body, "case"));
	if (vc == NULL || strcmp(vc, r.ref) != 0) {
		page_common_fail(&p, 400);
		goto out;
	}
	page_common_dir_load(&p, &dir);
	if (page_form_text(&p.form, "cetak") != NULL)
		print_page(&p, &r, got.body, &dir);
	else
		receipt_page(&p, &r, got.body, &dir, NULL);
	page_common_send(&p, 200);
 out:
	page_common_api_free(&got);
	page_common_dir_free(&dir);
	page_common_free(&p);
}

/* The proof of filing as a document to read: what it says and how to
 * check it. */
static void
proof_page(struct page *p, const struct receipt *r, const char *key)
{
	struct html *h = &p->h;

	page_common_switch(p, "/lapor/bukti", "/lapor");
	proof_switch(p, r);
	page_common_switch_field(p, "format", "html");
	page_common_head(p, page_common_tr(p, M_BUKTI_TITLE), NAV_NONE, 0);
	HTML(h, LIT("<h1>"), TR(M_BUKTI_TITLE),
	    LIT("</h1>\n<p class=\"lead\">"), TR(M_BUKTI_INTRO),
	    LIT("</p>\n<dl class=\"facts proof\"><dt>"), TR(M_RCPT_CASE),
	    LIT("</dt><dd class=\"caseref\" translate=\"no\">"), TXT(r->ref),
	    LIT("</dd><dt>"), TR(M_BUKTI_AT), LIT("</dt><dd>"));
	page_common_date(p, page_common_iso(r->at));
	html_raw(h, ", ");
	page_common_clock(p, r->at);
	HTML(h, LIT("</dd><dt>"), TR(M_BUKTI_HASH),
	    LIT("</dt><dd><code class=\"mono\">"), TXT(r->hash),
	    LIT("</code></dd>"));
	if (r->id_hash != NULL)
		HTML(h, LIT("<dt>"), TR(M_BUKTI_IDHASH),
		    LIT("</dt><dd><code class=\"mono\">"), TXT(r->id_hash),
		    LIT("</code></dd>"));
	HTML(h, LIT("<dt>"), TR(M_BUKTI_AUDIT),
	    LIT("</dt><dd><code class=\"mono\">"), TXT(r->seq), LIT(":"),
	    TXT(r->head), LIT("</code></dd><dt>"), TR(M_BUKTI_SIG),
	    LIT("</dt><dd><code class=\"mono\">"), TXT(r->sig),
	    LIT("</code></dd><dt>"), TR(M_BUKTI_KEY),
	    LIT("</dt><dd><code class=\"mono\">"), TXT(key), LIT("</code></dd>"
	    "</dl>\n<div class=\"notice\" role=\"status\"><p>"),
	    TR(M_BUKTI_VALID), LIT("</p></div>\n<p>"), TR(M_BUKTI_VERIFY),
	    LIT("</p>\n"));
	HTML(h, LIT("<form method=\"post\" action=\"/lapor/bukti\">"));
	page_common_lang_input(p);
	proof_inputs(p, r);
	HTML(h, LIT("<button type=\"submit\" name=\"format\" value=\"json\">"),
	    TR(M_RCPT_DOWNLOAD), LIT("</button></form>\n"));
	page_common_foot(p);
}

/* /lapor/bukti: the receipt the page showed, after its signature is
 * checked (so the route serves only real receipts): a JSON download, or
 * with format=html a document to read. */
void
page_lapor_bukti(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	 p = { 0 };
	struct receipt	 r;
	const char	*fmt;
	char		 pk[64], name[64];
	json_t		*o;
	char		*text;

	page_common_init(&p, ctx, rq, rp);
	if (page_common_form(&p, RECEIPT_FORM_MAX) == -1)
		goto out;
	fmt = page_form_text(&p.form, "format");
	if (receipt_posted(&p, &r) == -1 || (fmt != NULL &&
	    strcmp(fmt, "html") != 0 && strcmp(fmt, "json") != 0)) {
		page_common_fail(&p, 400);
		goto out;
	}
	crypto_b64_encode(ctx->keys->receipt_pk, CRYPTO_SIGN_PK_BYTES, pk);
	if (fmt != NULL && strcmp(fmt, "html") == 0) {
		proof_page(&p, &r, pk);
		page_common_send(&p, 200);
		goto out;
	}
	o = json_pack("{s:s, s:s, s:s, s:s*, s:I, s:s, s:s, s:s}", "case", r.ref,
	    "at", r.at, "content_hash", r.hash, "identity_hash", r.id_hash,
	    "audit_seq", (json_int_t)strtoll(r.seq, NULL, 10), "audit_head",
	    r.head, "signature", r.sig, "receipt_key", pk);
	text = o != NULL ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) :
	    NULL;
	json_decref(o);
	if (text == NULL) {
		page_common_fail(&p, 503);
		goto out;
	}
	snprintf(name, sizeof(name), "bukti-%s.json", r.ref);
	/* srv_http_ok_bytes takes malloc'd bytes; jansson's are its own. */
	{
		size_t	 n = strlen(text);
		uint8_t	*b = malloc(n + 1);

		if (b == NULL) {
			core_json_free(text);
			page_common_fail(&p, 503);
			goto out;
		}
		memcpy(b, text, n + 1);
		core_json_free(text);
		srv_http_ok_bytes(rp, b, n, "application/json", name);
		rp->page = 1;
	}
 out:
	page_common_free(&p);
}
