/*
 * pages_staf.c: /staf, the staff's working day in the browser: sign-in
 * with TOTP, a case with every workflow action as a form (the likely
 * duplicates with a merge button, the liaison from a list, a reject that
 * asks to confirm, the resolution with a completion photo), messages and
 * evidence with image previews, the export and the legal hold, sessions,
 * two-factor set-up, the agency directory, sign-out. The queue, the bulk
 * actions, the intake and the periodic report are in pages_queue.c;
 * docs/staff-pages.md describes them all.
 *
 * Every page signs the staff member in from the session cookie through
 * srv_auth_staff (which takes the cookie only from the pages), and every
 * POST is refused with 403 unless its CSRF token matches the session
 * (pages_common.c) and the browser does not call it cross-site. What a
 * role may see and do is the API's decision: the pages call the same
 * handlers and show their answers, and only offer the forms of actions
 * core_workflow_next() allows for the role in the case's state.
 *
 * Accounts and agencies are managed offline (bisikd user / agency), as
 * the API has no routes for them; /staf/instansi lists the directory.
 * Identity disclosure needs an admin's key file on their own machine
 * (bisik disclose ...), which a web page must never hold; the case page
 * says so where an identity is on file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

/* ---- sign-in ------------------------------------------------------------ */

/*
 * The sign-in's answer from the API's: on success the session cookie and
 * a redirect into /staf, else the form again with the error.
 */
static void
login_finish(struct page *p, const struct srv_reply *out)
{
	const char	*tok, *code;
	char		 loc[32];

	if (out->status != 200 || (tok = json_string_value(json_object_get(
	    out->body, "session"))) == NULL) {
		code = json_string_value(json_object_get(json_object_get(
		    out->body, "error"), "code"));
		page_staff_common_login_form(p, out, code != NULL &&
		    strcmp(code, "totp_required") == 0);
		page_common_send(p, out->status == 200 ? 503 : out->status);
		return;
	}
	snprintf(loc, sizeof(loc), "/staf%s", page_common_lq(p, 1));
	page_common_redirect(p, loc);
	page_common_set_cookie(p, tok);
}

/*
 * A parked sign-in's page, made once the hash is done from the handler's
 * copy of the request (arg), whose strings (the connection's headers,
 * the kept body) live as long as the request.
 */
static void
login_render(struct srv_ctx *ctx, void *arg, const struct srv_reply *api,
    struct srv_reply *rp)
{
	struct page p;

	page_common_init(&p, ctx, arg, rp);
	if (page_common_form(&p, 4096) == 0)
		login_finish(&p, api);
	page_common_free(&p);
}

void
page_staf_login(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p = { 0 };
	struct srv_reply	 out = { 0 };
	struct srv_request	*copy;
	json_t			*body;

	memset(&out, 0, sizeof(out));
	page_common_init(&p, ctx, rq, rp);
	if (page_common_form(&p, 4096) == -1)
		goto done;
	if (!page_common_same_origin(&p)) {
		page_common_fail(&p, 403);
		goto done;
	}
	body = json_pack("{s:s, s:s}", "username", page_form_get(&p.form,
	    "username") ? page_form_get(&p.form, "username") : "", "password",
	    page_form_get(&p.form, "password") ? page_form_get(&p.form,
	    "password") : "");
	if (body != NULL && page_form_text(&p.form, "totp") != NULL)
		json_object_set_new(body, "totp", json_string(page_form_text(
		    &p.form, "totp")));
	if (body == NULL) {
		/* A field that is not UTF-8 (the form parser lets it
		 * through): the API's 400, and the form again. */
		srv_http_error(&out, 400, "malformed",
		    "The request body is malformed.");
		srv_http_reply_json(&out);
		login_finish(&p, &out);
		goto done;
	}
	if ((copy = malloc(sizeof(*copy))) == NULL) {
		json_decref(body);
		page_common_fail(&p, 503);
		goto done;
	}
	*copy = *rq;
	if (api_auth_login_page(ctx, rq, body, login_render, free, copy,
	    &out) == 0) {
		/* Parked: login_render makes the page once woken. */
		json_decref(body);
		goto done;
	}
	json_decref(body);
	free(copy);
	login_finish(&p, &out);
 done:
	page_common_api_free(&out);
	page_common_free(&p);
}

static void
logout_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	(void)st;
	page_common_api(p, api_auth_logout, c, out);
	page_common_redirect(p, "/staf");
	page_common_set_cookie(p, NULL);
}

/* ---- one case ------------------------------------------------------------------ */

static void
s_timeline(struct page *p, const json_t *tl)
{
	const json_t	*e;
	const char	*s;
	size_t		 i;

	HTML(&p->h, LIT("<h2>"), TR(M_PANTAU_TIMELINE),
	    LIT("</h2>\n<ol class=\"timeline\">\n"));
	json_array_foreach(tl, i, e) {
		page_common_event_head(p, e);
		HTML(&p->h, LIT(" <span class=\"meta\">("), TR(M_BY), LIT(" "));
		page_common_name(p, json_string_value(json_object_get(e,
		    "by")));
		html_raw(&p->h, ")</span>");
		if (json_is_true(json_object_get(e, "internal")))
			HTML(&p->h, LIT(" <strong>"), TR(M_INTERNAL),
			    LIT("</strong>"));
		if ((s = json_string_value(json_object_get(e, "agency"))) !=
		    NULL)
			HTML(&p->h, LIT(" → "), TXT(s));
		page_common_event_tail(p, e);
	}
	html_raw(&p->h, "</ol>\n");
}

static void
s_messages(struct page *p, const json_t *ms)
{
	const json_t	*e;
	const char	*from;
	size_t		 i;

	HTML(&p->h, LIT("<h2>"), TR(M_PANTAU_MESSAGES), LIT("</h2>\n"));
	if (json_array_size(ms) == 0)
		HTML(&p->h, LIT("<p>"), TR(M_PANTAU_NO_MESSAGES),
		    LIT("</p>\n"));
	json_array_foreach(ms, i, e) {
		from = json_string_value(json_object_get(e, "from"));
		HTML(&p->h, LIT("<div class=\"msg"), RAW(from != NULL &&
		    strcmp(from, "staff") == 0 ? " staff" : ""),
		    LIT("\"><p class=\"meta\">"));
		page_common_name(p, json_string_value(json_object_get(e,
		    "by")));
		html_raw(&p->h, ", ");
		page_common_time(p, json_string_value(json_object_get(e,
		    "at")));
		HTML(&p->h, LIT("</p><p class=\"pre\">"),
		    TXT(json_string_value(json_object_get(e, "body"))),
		    LIT("</p>"));
		if (json_is_string(json_object_get(e, "original")))
			HTML(&p->h, LIT("<details><summary>"),
			    TR(M_STAF_ORIGINAL),
			    LIT("</summary><p class=\"pre\">"),
			    TXT(json_string_value(json_object_get(e,
			    "original"))), LIT("</p></details>"));
		html_raw(&p->h, "</div>\n");
	}
}

static void
s_attachments(struct page *p, const char *ref, const json_t *as, int central)
{
	const json_t	*e;
	const char	*from;
	size_t		 i, images = 0;
	char		 n[24];

	if (json_array_size(as) == 0)
		return;
	HTML(&p->h, LIT("<h2>"), TR(M_ATTACHMENTS), LIT("</h2>\n<div "
	    "class=\"table\" tabindex=\"0\" role=\"region\" aria-label=\""),
	    TR(M_ATTACHMENTS), LIT("\"><table><thead><tr><th scope=\"col\">"
	    "#</th><th scope=\"col\">"), TR(M_F_FILE),
	    LIT("</th><th scope=\"col\">"), TR(M_FROM),
	    LIT("</th><th scope=\"col\">"), TR(M_DOWNLOAD),
	    LIT("</th></tr></thead><tbody>\n"));
	json_array_foreach(as, i, e) {
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(
		    json_object_get(e, "attachment")));
		from = json_string_value(json_object_get(e, "from"));
		HTML(&p->h, LIT("<tr><td>"), TXT(n), LIT("</td><td>"),
		    TXT(json_string_value(json_object_get(e, "name"))),
		    LIT(" ("), TXT(json_string_value(json_object_get(e,
		    "type"))), LIT(", "),
		    INT((int)((json_integer_value(json_object_get(e, "size")) +
		    1023) / 1024)), LIT(" KiB)</td><td><span class=\"from "),
		    RAW(from != NULL && strcmp(from, "reporter") == 0 ?
		    "reporter" : "staff"), LIT("\">"), TR(from != NULL &&
		    strcmp(from, "reporter") == 0 ? M_STAF_FROM_REPORTER :
		    M_STAF_FROM_STAFF),
		    LIT("</span></td><td><a href=\"/staf/kasus/"));
		html_url(&p->h, ref);
		html_raw(&p->h, "/lampiran/");
		html_url(&p->h, n);
		HTML(&p->h, LIT("\">"), TR(M_DOWNLOAD), LIT("</a>"));
		if (central) {
			html_raw(&p->h, " · <a href=\"/staf/kasus/");
			html_url(&p->h, ref);
			html_raw(&p->h, "/lampiran/");
			html_url(&p->h, n);
			HTML(&p->h, LIT("?variant=original\">"),
			    TR(M_STAF_ORIGINAL_FILE), LIT("</a>"));
		}
		html_raw(&p->h, "</td></tr>\n");
		if (page_common_is_image(e))
			images++;
	}
	html_raw(&p->h, "</tbody></table></div>\n");
	if (images == 0)
		return;
	/* Previews: the copies without metadata, the same file as the
	 * download link (img-src 'self', the session cookie). */
	HTML(&p->h, LIT("<h3>"), TR(M_STAF_PREVIEWS_H),
	    LIT("</h3>\n<p class=\"help\">"), TR(M_STAF_PREVIEWS_HELP),
	    LIT("</p>\n<div class=\"photos\">"));
	json_array_foreach(as, i, e) {
		if (!page_common_is_image(e))
			continue;
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(
		    json_object_get(e, "attachment")));
		from = json_string_value(json_object_get(e, "from"));
		html_raw(&p->h, "<figure><img class=\"evidence\" src=\"/staf/kasus/");
		html_url(&p->h, ref);
		html_raw(&p->h, "/lampiran/");
		html_url(&p->h, n);
		html_raw(&p->h, "\" alt=\"");
		page_common_trn(p, M_STAF_PHOTO_ALT, atoll(n), 0);
		HTML(&p->h, LIT("\"><figcaption>"), TXT(n), LIT(" · "), TR(from
		    != NULL && strcmp(from, "reporter") == 0 ?
		    M_STAF_FROM_REPORTER : M_STAF_FROM_STAFF),
		    LIT("</figcaption></figure>"));
	}
	html_raw(&p->h, "</div>\n");
}

/* The catalogue key of a kind of automatic mask, -1 if unknown. */
static int
rk_key(const char *kind)
{
	static const char *const kinds[] = {
		"email", "phone", "nik", "npwp", "account", "plate", "url",
		"handle", "name",
	};
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return M_RK_EMAIL + (int)i;
	return -1;
}

/* Was the form just sent (a preview or a refused action) this action's?
 * Then its fields are shown again as typed. */
static int
resent(const struct page *p, const char *action)
{
	const char *a = page_form_get(&p->form, "action");

	return a != NULL && strcmp(a, action) == 0;
}

/* Was value among the form's "unmask" fields? */
static int
unmask_sent(const struct page *p, const char *value)
{
	size_t i;

	for (i = 0; i < p->form.n; i++)
		if (!p->form.f[i].file && p->form.f[i].value != NULL &&
		    strcmp(p->form.f[i].name, "unmask") == 0 &&
		    strcmp(p->form.f[i].value, value) == 0)
			return 1;
	return 0;
}

/*
 * The review fields of the disposition and publication forms: phrases
 * (one a line), byte spans, and a checkbox for each distinct value the
 * automatic filter masked, to undo it with a reason. What was typed is
 * shown again after a preview or a refusal.
 */
static void
redaction_fields(struct page *p, const char *id, const char *action,
    const json_t *v)
{
	static const char *const parts[] = { "title", "body", "location" };
	static const char *const reasons[] = {
		"official_contact", "public_official", "needed_for_followup",
		"not_personal",
	};
	const json_t	*masks = json_object_get(json_object_get(v, "original"),
			    "masks"), *e, *seen;
	const char	*val, *reason;
	int		 again = resent(p, action), n = 0, k;
	size_t		 i, j;
	json_t		*done = json_object();

	HTML(&p->h, LIT("<label for=\""), ATTR(id), LIT("-phrases\">"),
	    TR(M_STAF_PHRASES), LIT("</label><p class=\"help\">"),
	    TR(M_STAF_PHRASES_HELP), LIT("</p><textarea id=\""), ATTR(id),
	    LIT("-phrases\" name=\"phrases\" rows=\"3\" cols=\"60\">"),
	    TXT(again && page_form_get(&p->form,
	    "phrases") ? page_form_get(&p->form,
	    "phrases") : ""), LIT("</textarea><label for=\""), ATTR(id),
	    LIT("-spans\">"), TR(M_STAF_SPANS),
	    LIT("</label><p class=\"help\">"), TR(M_STAF_SPANS_HELP),
	    LIT("</p><input id=\""), ATTR(id), LIT("-spans\" name=\"spans\" "
	    "type=\"text\" maxlength=\"1000\" autocomplete=\"off\" value=\""),
	    ATTR(again && page_form_get(&p->form,
	    "spans") ? page_form_get(&p->form, "spans") : ""), LIT("\">"));
	for (j = 0; done != NULL && j < sizeof(parts) / sizeof(parts[0]); j++)
		json_array_foreach(json_object_get(masks, parts[j]), i, e) {
			if ((val = json_string_value(json_object_get(e,
			    "value"))) == NULL ||
			    (seen = json_object_get(done, val)) != NULL)
				continue;
			json_object_set_new(done, val, json_true());
			if (n++ == 0)
				HTML(&p->h, LIT("<fieldset><legend>"),
				    TR(M_STAF_UNMASK),
				    LIT("</legend><p class=\"help\">"),
				    TR(M_STAF_UNMASK_HELP), LIT("</p>"));
			HTML(&p->h, LIT("<div class=\"choice\"><input "
			    "type=\"checkbox\" id=\""), ATTR(id), LIT("-um-"),
			    INT(n), LIT("\" name=\"unmask\" value=\""),
			    ATTR(val), LIT("\""), RAW(again && unmask_sent(p,
			    val) ? " checked" : ""), LIT("><label for=\""),
			    ATTR(id), LIT("-um-"), INT(n), LIT("\">"));
			if ((k = rk_key(json_string_value(json_object_get(e,
			    "kind")))) >= 0)
				HTML(&p->h, LIT("<span class=\"kind\">"), TR(k),
				    LIT("</span> "));
			HTML(&p->h, TXT(val), LIT("</label></div>"));
		}
	json_decref(done);
	if (n > 0) {
		reason = again ? page_form_get(&p->form,
		    "unmask_reason") : NULL;
		HTML(&p->h, LIT("<label for=\""), ATTR(id), LIT("-reason\">"),
		    TR(M_STAF_UNMASK_REASON), LIT("</label><select id=\""),
		    ATTR(id), LIT("-reason\" name=\"unmask_reason\">"));
		for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
			HTML(&p->h, LIT("<option value=\""), ATTR(reasons[i]),
			    LIT("\""), RAW(reason != NULL && strcmp(reason,
			    reasons[i]) == 0 ? " selected" : ""), LIT(">"),
			    TR(M_UM_OFFICIAL_CONTACT + (int)i),
			    LIT("</option>"));
		html_raw(&p->h, "</select></fieldset>");
	}
}

/* text with each automatic mask marked (its kind as the title); masks
 * are byte spans of text, in order. */
static void
marked_text(struct page *p, const char *text, const json_t *masks)
{
	const json_t	*e;
	size_t		 i, pos = 0, len = strlen(text), a, b;
	char		*piece;
	int		 k;

	json_array_foreach(masks, i, e) {
		a = (size_t)json_integer_value(json_object_get(e, "start"));
		b = (size_t)json_integer_value(json_object_get(e, "end"));
		if (a < pos || b <= a || b > len)
			continue;
		if ((piece = strndup(text + pos, a - pos)) != NULL) {
			html_text(&p->h, piece);
			crypto_wipe(piece, a - pos);
			free(piece);
		}
		k = rk_key(json_string_value(json_object_get(e, "kind")));
		HTML(&p->h, LIT("<mark class=\"auto\" data-kind=\""),
		    ATTR(json_string_value(json_object_get(e, "kind"))),
		    LIT("\" title=\""), TR(k >= 0 ? k : M_STAF_REDACTED),
		    LIT("\">"));
		if ((piece = strndup(text + a, b - a)) != NULL) {
			html_text(&p->h, piece);
			crypto_wipe(piece, b - a);
			free(piece);
		}
		html_raw(&p->h, "</mark>");
		pos = b;
	}
	html_text(&p->h, text + pos);
}

/* The liaison of the accept form: a list of the agency's liaison
 * officers (GET /liaisons); a typed username when the list cannot be
 * had. */
static void
liaison_field(struct page *p, const char *agency)
{
	struct html	*h = &p->h;
	size_t		 mark;
	int		 n;

	HTML(h, LIT("<label for=\"a-liaison\">"), TR(M_F_LIAISON),
	    LIT("</label>"));
	mark = h->b.len;
	HTML(h, LIT("<select id=\"a-liaison\" name=\"liaison\" required>"
	    "<option value=\"\">"), TR(M_STAF_LIAISON_PICK), LIT("</option>"));
	n = page_staff_common_liaison_options(p, agency, resent(p, "accept") ?
	    page_form_get(&p->form, "liaison") : NULL);
	if (n > 0) {
		html_raw(h, "</select>");
		return;
	}
	/* Back to before the <select> (never a shorter buffer). */
	core_buf_cut(&h->b, mark);
	if (n == 0)
		HTML(h, LIT("<p class=\"alert\" id=\"a-none\">"),
		    TR(M_STAF_LIAISON_NONE), LIT("</p>"));
	HTML(h, LIT("<input id=\"a-liaison\" name=\"liaison\" type=\"text\" "
	    "required maxlength=\""), INT(SRV_USERNAME_MAX),
	    LIT("\" autocomplete=\"off\">"));
}

/* The forms of the actions the role may take in this state. */
static void
action_forms(struct page *p, const struct srv_staff *st, const json_t *v,
    const char *path, const struct page_dir *dir)
{
	struct html		*h = &p->h;
	enum core_status	 to;
	int			 status = core_status_parse(json_string_value(
				    json_object_get(v, "status")));
	int			 a, any = 0;
	const json_t		*e;
	size_t			 i;

	if (status < 0)
		return;
	for (a = 0; a < CORE_ACT_MAX; a++) {
		if (a == CORE_ACT_CONFIRM || a == CORE_ACT_REOPEN ||
		    a == CORE_ACT_CLOSE)
			continue;
		if (core_workflow_next((enum core_status)status,
		    (enum core_action)a, st->role, &to) != CORE_WF_OK)
			continue;
		if (!any++)
			HTML(h, LIT("<h2>"), TR(M_STAF_ACTIONS),
			    LIT("</h2>\n"));
		HTML(h, LIT("<section class=\"card"), RAW(a == CORE_ACT_REJECT ?
		    " reject" : ""), LIT("\"><h3>"), TR(M_ACT_DISPOSE + a),
		    LIT("</h3>"));
		page_staff_common_post_open(p, path, a == CORE_ACT_RESOLVE);
		HTML(h, LIT("<input type=\"hidden\" name=\"action\" value=\""),
		    ATTR(core_action_name((enum core_action)a)), LIT("\">"));
		switch (a) {
		case CORE_ACT_DISPOSE:
			HTML(h, LIT("<label for=\"d-agency\">"), TR(M_F_AGENCY),
			    LIT("</label><select id=\"d-agency\" "
			    "name=\"agency\" required data-filter=\""),
			    ATTR(page_common_tr(p, M_LAPOR_AGENCY_FILTER)),
			    LIT("\" data-filter-help=\""), ATTR(page_common_tr(p,
			    M_LAPOR_AGENCY_FILTER_HELP)),
			    LIT("\"><option value=\"\">"),
			    TR(M_STAF_AGENCY_PICK), LIT("</option>"));
			page_common_agency_options(p, dir->agencies, resent(p,
			    "dispose") && page_form_get(&p->form, "agency") != NULL ?
			    page_form_get(&p->form,
			    "agency") : json_string_value(
			    json_object_get(v, "agency")));
			html_raw(h, "</select>");
			redaction_fields(p, "d", "dispose", v);
			break;
		case CORE_ACT_REJECT:
			HTML(h, LIT("<label for=\"r-reason\">"), TR(M_F_REASON),
			    LIT("</label><select id=\"r-reason\" "
			    "name=\"reason\" required><option "
			    "value=\"not_a_complaint\">"),
			    TR(M_RJ_NOT_A_COMPLAINT), LIT("</option><option "
			    "value=\"not_our_authority\">"),
			    TR(M_RJ_NOT_OUR_AUTHORITY),
			    LIT("</option><option value=\"incomplete\">"),
			    TR(M_RJ_INCOMPLETE),
			    LIT("</option></select><label for=\"r-note\">"),
			    TR(M_F_NOTE), LIT("</label><textarea id=\"r-note\" "
			    "name=\"note\" rows=\"3\" cols=\"60\"></textarea>"
			    "<p class=\"help\">"), TR(M_STAF_REJECT_HELP),
			    LIT("</p>"));
			break;
		case CORE_ACT_MERGE:
			HTML(h, LIT("<label for=\"m-into\">"), TR(M_F_INTO),
			    LIT("</label><input id=\"m-into\" name=\"into\" "
			    "type=\"text\" required maxlength=\"32\" "
			    "autocomplete=\"off\" "
			    "placeholder=\"BSK-2026-000001\">"));
			break;
		case CORE_ACT_ACCEPT:
			liaison_field(p, json_string_value(json_object_get(v,
			    "agency")));
			break;
		case CORE_ACT_RETURN:
			HTML(h, LIT("<label for=\"t-reason\">"), TR(M_F_REASON),
			    LIT("</label><textarea id=\"t-reason\" "
			    "name=\"reason\" rows=\"3\" cols=\"60\" required>"
			    "</textarea>"));
			break;
		case CORE_ACT_RESPOND:
			HTML(h, LIT("<label for=\"p-note\">"), TR(M_F_NOTE),
			    LIT("</label><textarea id=\"p-note\" name=\"note\" "
			    "rows=\"4\" cols=\"60\" required></textarea><div "
			    "class=\"choice\"><input type=\"checkbox\" "
			    "id=\"p-internal\" name=\"internal\" value=\"1\">"
			    "<label for=\"p-internal\">"),
			    TR(M_STAF_INTERNAL_NOTE), LIT("</label></div>"));
			break;
		case CORE_ACT_RESOLVE:
			HTML(h, LIT("<label for=\"s-resolution\">"),
			    TR(M_F_RESOLUTION), LIT("</label><textarea "
			    "id=\"s-resolution\" name=\"resolution\" "
			    "rows=\"5\" cols=\"60\" required maxlength=\""),
			    INT(CORE_BODY_MAX), LIT("\">"), TXT(resent(p,
			    "resolve") && page_form_get(&p->form, "resolution") !=
			    NULL ? page_form_get(&p->form, "resolution") : ""),
			    LIT("</textarea><label for=\"s-photo\">"),
			    TR(M_F_PHOTOS), LIT("</label><p class=\"help\" "
			    "id=\"s-photo-help\">"));
			page_common_trn(p, M_STAF_PHOTOS_HELP,
			    SRV_RESOLVE_PHOTOS_MAX, 0);
			html_raw(h, "</p><input id=\"s-photo\" name=\"photo\" "
			    "type=\"file\" multiple accept=\"image/jpeg,"
			    "image/png,image/webp,application/pdf\" "
			    "aria-describedby=\"s-photo-help\">");
			if (json_array_size(json_object_get(v, "attachments")) > 0)
				HTML(h, LIT("<fieldset><legend>"),
				    TR(M_STAF_EVIDENCE_PICK), LIT("</legend>"));
			json_array_foreach(json_object_get(v, "attachments"), i,
			    e) {
				char		 n[24];
				const char	*from = json_string_value(
						    json_object_get(e, "from"));

				snprintf(n, sizeof(n), "%lld", (long long)
				    json_integer_value(json_object_get(e,
				    "attachment")));
				HTML(h, LIT("<div class=\"choice\"><input "
				    "type=\"checkbox\" id=\"s-att-"), ATTR(n),
				    LIT("\" name=\"attachment\" value=\""),
				    ATTR(n), LIT("\"><label for=\"s-att-"),
				    ATTR(n), LIT("\">"),
				    TXT(json_string_value(json_object_get(e,
				    "name"))), LIT(" ("), TR(from != NULL &&
				    strcmp(from, "reporter") == 0 ?
				    M_STAF_FROM_REPORTER : M_STAF_FROM_STAFF),
				    LIT(")</label></div>"));
			}
			if (json_array_size(json_object_get(v, "attachments")) > 0)
				html_raw(h, "</fieldset>");
			break;
		case CORE_ACT_PUBLISH:
			redaction_fields(p, "u", "publish", v);
			break;
		default:
			break;
		}
		html_raw(h, "<p>");
		if (a == CORE_ACT_DISPOSE || a == CORE_ACT_PUBLISH)
			HTML(h, LIT("<button type=\"submit\" name=\"preview\" "
			    "value=\"1\" class=\"secondary\">"),
			    TR(M_STAF_PREVIEW), LIT("</button> "));
		/* Rejecting ends the case: it asks to confirm first, and
		 * its button does not look like the others. */
		if (a == CORE_ACT_REJECT)
			HTML(h, LIT("<button type=\"submit\" "
			    "class=\"danger\">"), TR(M_STAF_REJECT_NEXT),
			    LIT("</button></p></form></section>\n"));
		else
			HTML(h, LIT("<button type=\"submit\">"),
			    TR(M_ACT_DISPOSE + a),
			    LIT("</button></p></form></section>\n"));
	}
}

/* Identity disclosure requests as a table (read only: requesting and
 * approving need the admin's key, so they happen in `bisik disclose`). */
static void
disclosure_table(struct page *p, const json_t *list)
{
	const json_t	*e;
	size_t		 i;

	if (json_array_size(list) == 0) {
		HTML(&p->h, LIT("<p>"), TR(M_NO_DATA), LIT("</p>\n"));
		return;
	}
	HTML(&p->h, LIT("<div class=\"table\"><table><thead><tr><th "
	    "scope=\"col\">"), TR(M_STAF_REQUEST),
	    LIT("</th><th scope=\"col\">"), TR(M_PANTAU_CASE),
	    LIT("</th><th scope=\"col\">"), TR(M_STATUS),
	    LIT("</th><th scope=\"col\">"), TR(M_STAF_APPROVALS),
	    LIT("</th><th scope=\"col\">"), TR(M_STAF_LEGAL_BASIS),
	    LIT("</th><th scope=\"col\">"), TR(M_STAF_EXPIRES),
	    LIT("</th></tr></thead><tbody>\n"));
	json_array_foreach(list, i, e) {
		HTML(&p->h, LIT("<tr><td><code>"),
		    TXT(json_string_value(json_object_get(e, "request"))),
		    LIT("</code></td><td><a href=\"/staf/kasus/"),
		    URL(json_string_value(json_object_get(e, "case"))),
		    RAW(page_common_lq(p, 1)), LIT("\" translate=\"no\">"),
		    TXT(json_string_value(json_object_get(e, "case"))),
		    LIT("</a></td><td>"),
		    TXT(json_string_value(json_object_get(e, "state"))),
		    LIT("</td><td>"),
		    INT((int)json_integer_value(json_object_get(e,
		    "approvals_count"))), LIT(" / "),
		    INT((int)json_integer_value(json_object_get(e,
		    "threshold"))), LIT("</td><td>"),
		    TXT(json_string_value(json_object_get(e, "legal_basis"))),
		    LIT("</td><td>"));
		page_common_time(p, json_string_value(json_object_get(e, "expires_at")));
		html_raw(&p->h, "</td></tr>\n");
	}
	html_raw(&p->h, "</tbody></table></div>\n");
}

static void
case_disclosures(struct page *p, const char *ref)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };

	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.param0 = ref;
	page_common_api(p, api_disclose_case_list, &c, &out);
	HTML(&p->h, LIT("<h2>"), TR(M_STAF_DISCLOSURES), LIT("</h2>\n"));
	if (out.status == 200)
		disclosure_table(p, json_object_get(out.body, "requests"));
	else
		page_common_api_error(p, &out);
	page_common_api_free(&out);
}

static void
disclosures_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	page_common_head(p, page_common_tr(p, M_STAF_DISCLOSURES), NAV_STAF, 0);
	page_staff_common_nav(p, st);
	HTML(&p->h, LIT("<h1>"), TR(M_STAF_DISCLOSURES), LIT("</h1>\n<p>"),
	    TR(M_STAF_DISCLOSE), LIT("</p>\n"));
	page_common_api(p, api_disclose_list, c, out);
	if (out->status == 200)
		disclosure_table(p, json_object_get(out->body, "disclosures"));
	else
		page_common_api_error(p, out);
	page_common_foot(p);
	page_common_send(p, 200);
}

/* Likely duplicates (central admins): each with its similarity, and a
 * button that merges this case into it when this case may be merged. */
static void
dup_section(struct page *p, const struct srv_staff *st, const json_t *v,
    const char *path)
{
	struct html		*h = &p->h;
	const json_t		*dups = json_object_get(v, "duplicates"), *e;
	const char		*ref, *dst;
	int			 status = core_status_parse(json_string_value(
				    json_object_get(v, "status")));
	enum core_status	 to;
	int			 can;
	size_t			 i;

	if (!json_is_array(dups))
		return;
	can = status >= 0 && core_workflow_next((enum core_status)status,
	    CORE_ACT_MERGE, st->role, &to) == CORE_WF_OK;
	HTML(h, LIT("<section class=\"card dups\"><h2 id=\"dups-h\">"),
	    TR(M_STAF_DUPS_H), LIT("</h2>"));
	if (json_array_size(dups) == 0) {
		HTML(h, LIT("<p>"), TR(M_STAF_DUPS_NONE),
		    LIT("</p></section>\n"));
		return;
	}
	/* A list, not a table: it sits in the narrow column beside the
	 * text, each case with its merge button under it. */
	HTML(h, LIT("<p class=\"help\">"), TR(M_STAF_DUPS_HELP),
	    LIT("</p><ul class=\"duplist\">\n"));
	json_array_foreach(dups, i, e) {
		if ((ref = json_string_value(json_object_get(e, "case"))) ==
		    NULL)
			continue;
		dst = json_string_value(json_object_get(e, "status"));
		html_raw(h, "<li><a class=\"ref\" href=\"/staf/kasus/");
		html_url(h, ref);
		HTML(h, RAW(page_common_lq(p, 1)), LIT("\" translate=\"no\">"),
		    TXT(ref), LIT("</a> <span class=\"sim\">"),
		    TR(M_STAF_SIMILARITY), LIT(": "),
		    INT((int)(json_number_value(json_object_get(e,
		    "similarity")) * 100.0 + 0.5)), LIT(" %</span> "));
		page_common_status(p, dst);
		/* A merged case is never a target: the API refuses. */
		if (can && (dst == NULL || strcmp(dst, "merged") != 0)) {
			page_staff_common_post_open(p, path, 0);
			HTML(h, LIT("<input type=\"hidden\" name=\"action\" "
			    "value=\"merge\"><input type=\"hidden\" "
			    "name=\"into\" value=\""), ATTR(ref), LIT("\">"
			    "<button type=\"submit\" class=\"secondary\">"),
			    TR(M_STAF_MERGE_TO),
			    LIT(" <span translate=\"no\">"), TXT(ref),
			    LIT("</span></button></form>"));
		}
		html_raw(h, "</li>\n");
	}
	html_raw(h, "</ul>");
	if (json_is_true(json_object_get(v, "duplicates_capped")))
		HTML(h, LIT("<p class=\"help\">"), TR(M_STAF_DUPS_CAPPED),
		    LIT("</p>"));
	html_raw(h, "</section>\n");
}

/* The export (central admins, agency admins, liaisons) and the legal
 * hold (central admins). */
static void
tools_section(struct page *p, const struct srv_staff *st, const json_t *v,
    const char *ref)
{
	struct html	*h = &p->h;
	int		 central = st->role == CORE_ROLE_CENTRAL_ADMIN;
	int		 held = json_is_true(json_object_get(v, "legal_hold"));
	char		 path[96];

	if (!central && st->role != CORE_ROLE_AGENCY_ADMIN &&
	    st->role != CORE_ROLE_LIAISON)
		return;
	HTML(h, LIT("<section class=\"card\" aria-labelledby=\"tools-h\"><h2 "
	    "id=\"tools-h\">"), TR(M_STAF_TOOLS_H), LIT("</h2><p><a "
	    "class=\"button alt\" href=\"/staf/kasus/"));
	html_url(h, ref);
	HTML(h, LIT("/ekspor\" download>"), TR(M_STAF_EXPORT),
	    LIT("</a></p><p class=\"help\">"), TR(M_STAF_EXPORT_HELP),
	    LIT("</p>"));
	if (central) {
		snprintf(path, sizeof(path), "/staf/kasus/%s/tahan", ref);
		HTML(h, LIT("<p>"), TR(held ? M_STAF_HOLD_ON : M_STAF_HOLD_OFF),
		    LIT("</p>"));
		page_staff_common_post_open(p, path, 0);
		HTML(h, LIT("<input type=\"hidden\" name=\"hold\" value=\""),
		    RAW(held ? "0" : "1"), LIT("\"><p><button type=\"submit\" "
		    "class=\"secondary\">"), TR(held ? M_STAF_HOLD_RELEASE :
		    M_STAF_HOLD_SET), LIT("</button></p></form>"));
	}
	html_raw(h, "</section>\n");
}

/* A title and a text, each only when there is one. */
static void
text_block(struct page *p, const json_t *o)
{
	const char *t = json_string_value(json_object_get(o, "title"));
	const char *b = json_string_value(json_object_get(o, "body"));

	if (t != NULL && t[0] != '\0')
		HTML(&p->h, LIT("<p><strong>"), TXT(t), LIT("</strong></p>\n"));
	if (b != NULL && b[0] != '\0')
		HTML(&p->h, LIT("<p class=\"pre\">"), TXT(b), LIT("</p>\n"));
}

static void
case_page(struct page *p, const struct srv_staff *st, const json_t *v,
    const struct srv_reply *err, int notice, const json_t *preview,
    int preview_public)
{
	struct html	*h = &p->h;
	const char	*ref = json_string_value(json_object_get(v, "case"));
	const char	*status = json_string_value(json_object_get(v, "status"));
	const json_t	*orig = json_object_get(v, "original");
	int		 central = st->role == CORE_ROLE_CENTRAL_ADMIN;
	int		 st_i = core_status_parse(status);
	const char	*emsg;
	char		 path[96];
	struct page_dir	 dir = { 0 };

	page_common_dir_load(p, &dir);
	page_common_head(p, ref, NAV_STAF, PAGE_SCRIPT_PAGE | (central &&
	    json_is_object(orig) ? PAGE_SCRIPT_REVIEW : 0));
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_PANTAU_CASE), LIT(" <span translate=\"no\">"),
	    TXT(ref), LIT("</span></h1>\n<p>"));
	page_common_status(p, status);
	if (json_is_true(json_object_get(v, "overdue")))
		HTML(h, LIT(" <span class=\"overdue\">"), TR(M_OVERDUE),
		    LIT("</span>"));
	html_raw(h, "</p>\n");
	if (err != NULL) {
		page_common_api_error(p, err);
		/* A refused review names its entry and why ("Redaction 2:
		 * the phrase does not occur in the text."). */
		emsg = json_string_value(json_object_get(json_object_get(
		    err->body, "error"), "message"));
		if (emsg != NULL && strncmp(emsg, "Redaction ", 10) == 0)
			HTML(h, LIT("<p class=\"alert\" lang=\"en\">"),
			    TXT(emsg), LIT("</p>\n"));
	}
	if (notice >= 0)
		page_common_notice(p, notice);
	HTML(h, LIT("<dl class=\"facts\"><dt>"), TR(M_F_KIND),
	    LIT("</dt><dd>"));
	page_common_name(p, json_string_value(json_object_get(v, "kind")));
	HTML(h, LIT("</dd><dt>"), TR(M_F_VISIBILITY), LIT("</dt><dd>"));
	page_common_name(p, json_string_value(json_object_get(v,
	    "visibility")));
	HTML(h, LIT("</dd><dt>"), TR(M_F_CHANNEL), LIT("</dt><dd>"));
	HTML(h,
	    TR(page_staff_common_channel_key(json_string_value(json_object_get(v,
	    "channel"))) >= 0 ?
	    page_staff_common_channel_key(json_string_value(json_object_get(v,
	    "channel"))) : M_CH_WEB));
	HTML(h, LIT("</dd><dt>"), TR(M_F_AGENCY), LIT("</dt><dd>"),
	    TXT(json_is_string(json_object_get(v, "agency")) ?
	    page_common_dir_name(dir.agencies,
	    json_string_value(json_object_get(v,
	    "agency"))) : page_common_tr(p, M_NOT_YET)), LIT("</dd><dt>"),
	    TR(M_F_CATEGORY), LIT("</dt><dd>"),
	    TXT(json_is_string(json_object_get(v, "category")) ?
	    page_common_dir_name(dir.categories,
	    json_string_value(json_object_get(v,
	    "category"))) : "–"), LIT("</dd><dt>"), TR(M_F_LIAISON),
	    LIT("</dt><dd>"), TXT(json_is_string(json_object_get(v, "liaison"))
	    ? json_string_value(json_object_get(v, "liaison")) : "–"),
	    LIT("</dd><dt>"), TR(M_SUBMITTED_AT), LIT("</dt><dd>"));
	page_common_time(p, json_string_value(json_object_get(v,
	    "created_at")));
	HTML(h, LIT("</dd><dt>"), TR(M_DUE), LIT("</dt><dd>"));
	page_common_time(p, json_string_value(json_object_get(v, "due_at")));
	html_raw(h, "</dd>");
	if (json_is_integer(json_object_get(v, "rating")))
		HTML(h, LIT("<dt>"), TR(M_F_RATING), LIT("</dt><dd>"),
		    INT((int)json_integer_value(json_object_get(v, "rating"))),
		    LIT("</dd>"));
	if (central)
		HTML(h, LIT("<dt>"), TR(M_STAF_IDENTITY), LIT("</dt><dd>"),
		    TR(json_is_true(json_object_get(v, "identity")) ?
		    M_STAF_IDENTITY_ON_FILE : M_STAF_IDENTITY_NONE),
		    LIT("</dd>"));
	html_raw(h, "</dl>\n");
	if (central && json_is_true(json_object_get(v, "identity"))) {
		HTML(h, LIT("<p class=\"help\">"), TR(M_STAF_DISCLOSE),
		    LIT("</p>\n"));
		case_disclosures(p, ref);
	}

	/* The text on the left, what to do on the right (one column on
	 * narrow screens, the actions after the text). */
	html_raw(h, "<div class=\"casegrid\"><div class=\"casetext\">\n");
	if (central && json_is_object(orig)) {
		/* Redaction review: what the agency sees now beside what the
		 * reporter wrote, each automatic mask marked there (spans
		 * count bytes of the left-hand text). review.js turns a
		 * selection in the right-hand text into a phrase. */
		const json_t	*mk = json_object_get(orig, "masks");

		HTML(h, LIT("<h2>"), TR(M_STAF_REVIEW), LIT("</h2>\n"));
		if (json_is_object(preview)) {
			HTML(h, LIT("<section class=\"card\" id=\"pratinjau\">"
			    "<h3>"), TR(preview_public ? M_STAF_PREVIEW_PUBLIC :
			    M_STAF_PREVIEW_AGENCY), LIT("</h3>"));
			text_block(p, preview);
			if (json_is_string(json_object_get(preview, "location")))
				HTML(h, LIT("<p>"), TR(M_F_LOCATION), LIT(": "),
				    TXT(json_string_value(json_object_get(preview,
				    "location"))), LIT("</p>"));
			if (json_is_string(json_object_get(preview,
			    "resolution")))
				HTML(h, LIT("<p class=\"pre\">"),
				    TXT(json_string_value(json_object_get(preview,
				    "resolution"))), LIT("</p>"));
			html_raw(h, "</section>\n");
		}
		HTML(h, LIT("<div class=\"cols\"><section><h3>"),
		    TR(M_STAF_REDACTED), LIT("</h3>"));
		text_block(p, v);
		HTML(h, LIT("<p class=\"meta\">"), TR(M_STAF_BYTES), LIT(": "),
		    INT((int)strlen(json_string_value(json_object_get(v,
		    "body")) ? json_string_value(json_object_get(v, "body")) :
		    "")), LIT("</p></section><section><h3>"),
		    TR(M_STAF_ORIGINAL), LIT("</h3><p class=\"help\">"),
		    TR(M_STAF_REVIEW_HELP),
		    LIT("</p><div id=\"review-text\">"));
		if (json_is_string(json_object_get(orig, "title"))) {
			html_raw(h, "<p><strong>");
			marked_text(p, json_string_value(json_object_get(orig,
			    "title")), json_object_get(mk, "title"));
			html_raw(h, "</strong></p>\n");
		}
		if (json_is_string(json_object_get(orig, "body"))) {
			html_raw(h, "<p class=\"pre\">");
			marked_text(p, json_string_value(json_object_get(orig,
			    "body")), json_object_get(mk, "body"));
			html_raw(h, "</p>\n");
		}
		if (json_is_string(json_object_get(orig, "location"))) {
			HTML(h, LIT("<p>"), TR(M_F_LOCATION), LIT(": "));
			marked_text(p, json_string_value(json_object_get(orig,
			    "location")), json_object_get(mk, "location"));
			html_raw(h, "</p>");
		}
		HTML(h, LIT("</div><p id=\"review-tools\" hidden><button "
		    "type=\"button\" id=\"mask-selection\">"),
		    TR(M_STAF_MASK_SELECTION), LIT("</button></p>"));
		if (json_is_string(json_object_get(orig, "source")))
			HTML(h, LIT("<p>"), TR(M_STAF_SOURCE), LIT(": "),
			    TXT(json_string_value(json_object_get(orig,
			    "source"))), LIT("</p>"));
		html_raw(h, "</section></div>\n");
	} else
		text_block(p, v);
	if (json_is_string(json_object_get(v, "location")))
		HTML(h, LIT("<p>"), TR(M_F_LOCATION), LIT(": "),
		    TXT(json_string_value(json_object_get(v, "location"))),
		    LIT("</p>\n"));
	if (json_is_string(json_object_get(v, "resolution")))
		HTML(h, LIT("<h2>"), TR(M_F_RESOLUTION),
		    LIT("</h2>\n<p class=\"pre\">"),
		    TXT(json_string_value(json_object_get(v, "resolution"))),
		    LIT("</p>\n"));

	s_attachments(p, ref, json_object_get(v, "attachments"), central);
	s_messages(p, json_object_get(v, "messages"));
	s_timeline(p, json_object_get(v, "timeline"));
	html_raw(h, "</div><div class=\"caseside\">\n");
	snprintf(path, sizeof(path), "/staf/kasus/%s/aksi", ref);
	if (central)
		dup_section(p, st, v, path);
	action_forms(p, st, v, path, &dir);

	if (st_i >= 0 && st_i != CORE_ST_CLOSED && st_i != CORE_ST_REJECTED &&
	    st_i != CORE_ST_MERGED && st->role != CORE_ROLE_AUDITOR) {
		snprintf(path, sizeof(path), "/staf/kasus/%s/pesan", ref);
		HTML(h, LIT("<h2>"), TR(M_STAF_MESSAGE_H), LIT("</h2>\n"));
		page_staff_common_post_open(p, path, 0);
		HTML(h, LIT("<label for=\"msg\">"), TR(M_STAF_MESSAGE),
		    LIT("</label><textarea id=\"msg\" name=\"body\" rows=\"4\" "
		    "cols=\"60\" required maxlength=\""), INT(CORE_MESSAGE_MAX),
		    LIT("\"></textarea><p><button type=\"submit\">"),
		    TR(M_SEND), LIT("</button></p></form>\n"));
		if (st->role == CORE_ROLE_LIAISON ||
		    st->role == CORE_ROLE_AGENCY_ADMIN ||
		    st->role == CORE_ROLE_CENTRAL_ADMIN) {
			snprintf(path, sizeof(path), "/staf/kasus/%s/lampiran",
			    ref);
			HTML(h, LIT("<h2>"), TR(M_PANTAU_EVIDENCE_H),
			    LIT("</h2>\n"));
			page_staff_common_post_open(p, path, 1);
			HTML(h, LIT("<label for=\"evidence\">"),
			    TR(M_F_FILE_ONE), LIT("</label><input "
			    "id=\"evidence\" name=\"file\" type=\"file\" "
			    "required><p><button type=\"submit\">"),
			    TR(M_UPLOAD), LIT("</button></p></form>\n"));
		}
	}
	tools_section(p, st, v, ref);
	html_raw(h, "</div></div>\n");
	page_common_dir_free(&dir);
	page_common_foot(p);
}

/* Loads the case through the API and renders it; the status sent is the
 * API's unless `status` is given (an action's refusal). */
static void
case_show_preview(struct page *p, const struct srv_staff *st,
    const char *ref, const struct srv_reply *err, int notice,
    unsigned status, const json_t *preview, int preview_public)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };

	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.param0 = ref;
	page_common_api(p, api_cases_get, &c, &out);
	if (out.status != 200) {
		page_common_head(p, page_common_tr(p, M_ERR_TITLE), NAV_STAF,
		    0);
		page_staff_common_nav(p, st);
		page_common_api_error(p, err != NULL ? err : &out);
		page_common_foot(p);
		page_common_send(p, err != NULL ? err->status : out.status);
	} else {
		case_page(p, st, out.body, err, notice, preview,
		    preview_public);
		page_common_send(p, status != 0 ? status : 200);
	}
	page_common_api_free(&out);
}

static void
case_show(struct page *p, const struct srv_staff *st, const char *ref,
    const struct srv_reply *err, int notice, unsigned status)
{
	case_show_preview(p, st, ref, err, notice, status, NULL, 0);
}

static void
case_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	const char		*ok;

	(void)c;
	(void)out;
	ok = srv_http_query(p->rq, "ok");
	case_show(p, st, p->rq->param[0], NULL, ok != NULL &&
	    strcmp(ok, "1") == 0 ? M_STAF_DONE : -1, 0);
}

/* Manual redactions from the form: one phrase a line, spans as
 * "START-END" separated by commas or spaces. NULL when none. */
static json_t *
redactions(const struct form *f, int *bad)
{
	const char	*ph = page_form_text(f, "phrases"), *sp = page_form_text(f, "spans");
	json_t		*a = json_array();
	char		*copy, *line, *save;
	long		 s, e;
	int		 used;
	size_t		 i;

	*bad = 0;
	if (a == NULL)
		return NULL;
	if (ph != NULL && (copy = strdup(ph)) != NULL) {
		for (line = strtok_r(copy, "\r\n", &save); line != NULL;
		    line = strtok_r(NULL, "\r\n", &save))
			if (!core_text_blank(line, strlen(line)))
				json_array_append_new(a, json_pack("{s:s}",
				    "phrase", line));
		crypto_wipe(copy, strlen(ph));
		free(copy);
	}
	if (sp != NULL && (copy = strdup(sp)) != NULL) {
		for (line = strtok_r(copy, ", \t", &save); line != NULL;
		    line = strtok_r(NULL, ", \t", &save)) {
			if (sscanf(line, "%ld-%ld%n", &s, &e, &used) != 2 ||
			    line[used] != '\0' || s < 0 || e < 0) {
				*bad = 1;
				continue;
			}
			json_array_append_new(a, json_pack("{s:I, s:I}", "start",
			    (json_int_t)s, "end", (json_int_t)e));
		}
		free(copy);
	}
	/* Undone automatic masks, all with the one reason chosen (an
	 * empty one is refused by the API with its reason). */
	for (i = 0; i < f->n; i++)
		if (!f->f[i].file && f->f[i].value != NULL &&
		    strcmp(f->f[i].name, "unmask") == 0)
			json_array_append_new(a, json_pack("{s:s, s:s}", "unmask",
			    f->f[i].value, "reason", page_form_get(f,
			    "unmask_reason") != NULL ? page_form_get(f,
			    "unmask_reason") : ""));
	if (json_array_size(a) == 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* The JSON body of an action from its form: only the fields the action
 * takes, as the API expects them. */
static json_t *
action_body(const struct form *f, int *bad)
{
	const char	*act = page_form_text(f, "action");
	json_t		*o, *r, *att;
	size_t		 i;
	int		 a;

	*bad = 0;
	if (act == NULL || (a = core_action_parse(act)) < 0 ||
	    (o = json_pack("{s:s}", "action", act)) == NULL) {
		*bad = 1;
		return NULL;
	}
	switch (a) {
	case CORE_ACT_DISPOSE:
	case CORE_ACT_PUBLISH:
		if (a == CORE_ACT_DISPOSE && page_form_text(f,
			"agency") != NULL) json_object_set_new(o, "agency",
			    json_string(page_form_text(f, "agency")));
		if ((r = redactions(f, bad)) != NULL)
			json_object_set_new(o, "redactions", r);
		break;
	case CORE_ACT_REJECT:
	case CORE_ACT_RETURN:
		if (page_form_text(f, "reason") != NULL)
			json_object_set_new(o, "reason",
			    json_string(page_form_text(f, "reason")));
		if (a == CORE_ACT_REJECT && page_form_text(f, "note") != NULL)
			json_object_set_new(o, "note",
			    json_string(page_form_text(f, "note")));
		break;
	case CORE_ACT_MERGE:
		if (page_form_text(f, "into") != NULL)
			json_object_set_new(o, "into",
			    json_string(page_form_text(f, "into")));
		break;
	case CORE_ACT_ACCEPT:
		if (page_form_text(f, "liaison") != NULL)
			json_object_set_new(o, "liaison",
			    json_string(page_form_text(f, "liaison")));
		break;
	case CORE_ACT_RESPOND:
		if (page_form_text(f, "note") != NULL)
			json_object_set_new(o, "note",
			    json_string(page_form_text(f, "note")));
		if (page_form_text(f, "internal") != NULL)
			json_object_set_new(o, "internal", json_true());
		break;
	case CORE_ACT_RESOLVE:
		if (page_form_text(f, "resolution") != NULL)
			json_object_set_new(o, "resolution",
			    json_string(page_form_text(f, "resolution")));
		att = json_array();
		for (i = 0; i < f->n && att != NULL; i++) {
			char		*end;
			long long	 n;

			if (f->f[i].file || strcmp(f->f[i].name,
			    "attachment") != 0 || f->f[i].value == NULL)
				continue;
			n = strtoll(f->f[i].value, &end, 10);
			if (*end != '\0' || n < 1)
				*bad = 1;
			else
				json_array_append_new(att, json_integer(n));
		}
		if (json_array_size(att) > 0)
			json_object_set_new(o, "attachments", att);
		else
			json_decref(att);
		break;
	default:
		break;
	}
	return o;
}

/* After an action: back to the case (303, so a reload does not repeat
 * it), or to the queue when the case left the caller's reach. */
static void
after_action(struct page *p, const char *ref, const struct srv_reply *out)
{
	char loc[96];

	if (out->status == 200 && json_object_get(out->body, "timeline") == NULL)
		snprintf(loc, sizeof(loc), "/staf%s", page_common_lq(p, 1));
	else
		snprintf(loc, sizeof(loc), "/staf/kasus/%s?ok=1%s", ref,
		    page_common_lq(p, 0));
	page_common_redirect(p, loc);
}

/* The preview button of the disposition or publication form: the case
 * page again, with what the agency (or the public) would read and the
 * form as typed; a refused review answers with its reason. */
static void
preview(struct page *p, const struct srv_staff *st, const char *ref)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };
	const char	*act = page_form_text(&p->form, "action");
	json_t		*r;
	int		 bad = 0, pub = act != NULL &&
			    strcmp(act, "publish") == 0;

	memset(&out, 0, sizeof(out));
	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.param0 = ref;
	r = redactions(&p->form, &bad);
	c.body = json_pack("{s:o, s:s}", "redactions", r != NULL ? r :
	    json_array(), "action", pub ? "publish" : "dispose");
	if (c.body == NULL || bad) {
		srv_http_error(&out, 422, "invalid",
		    "Some fields are not valid.");
		if (out.body != NULL)
			json_object_set_new(json_object_get(out.body, "error"),
			    "fields", json_pack("{s:s}", "redactions",
			    "invalid"));
	} else
		page_common_api(p, api_cases_preview, &c, &out);
	json_decref(c.body);
	if (out.status == 200)
		case_show_preview(p, st, ref, NULL, -1, 200, out.body, pub);
	else
		case_show(p, st, ref, &out, -1, out.status);
	page_common_api_free(&out);
}

/*
 * Rejecting ends a case for good: the form's first press shows what will
 * happen and the reason and note as sent, with a distinct button that
 * posts them again with confirm=1, and a way back.
 */
static void
reject_confirm(struct page *p, const struct srv_staff *st, const char *ref)
{
	struct html	*h = &p->h;
	const char	*reason = page_form_text(&p->form, "reason");
	const char	*note = page_form_get(&p->form, "note");
	char		 path[96];

	snprintf(path, sizeof(path), "/staf/kasus/%s", ref);
	p->lang_path = path;
	page_common_head(p, page_common_tr(p, M_STAF_CONFIRM_H), NAV_STAF, 0);
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_STAF_CONFIRM_H), LIT(": "), TR(M_ACT_DISPOSE +
	    CORE_ACT_REJECT), LIT(" <span translate=\"no\">"), TXT(ref),
	    LIT("</span></h1>\n<div class=\"alert\" role=\"alert\"><p>"),
	    TR(M_STAF_CONFIRM_REJECT),
	    LIT("</p></div>\n<dl class=\"facts\"><dt>"), TR(M_F_REASON),
	    LIT("</dt><dd>"));
	page_common_name(p, reason != NULL ? reason : "");
	HTML(h, LIT("</dd><dt>"), TR(M_F_NOTE), LIT("</dt><dd class=\"pre\">"),
	    TXT(note != NULL ? note : "–"), LIT("</dd></dl>\n"));
	snprintf(path, sizeof(path), "/staf/kasus/%s/aksi", ref);
	page_staff_common_post_open(p, path, 0);
	HTML(h, LIT("<input type=\"hidden\" name=\"action\" value=\"reject\">"
	    "<input type=\"hidden\" name=\"confirm\" value=\"1\"><input "
	    "type=\"hidden\" name=\"reason\" value=\""), ATTR(reason != NULL ?
	    reason : ""), LIT("\"><input type=\"hidden\" name=\"note\" "
	    "value=\""), ATTR(note != NULL ? note : ""), LIT("\"><p "
	    "class=\"cta\"><button type=\"submit\" class=\"danger\">"),
	    TR(M_STAF_CONFIRM_YES_REJECT), LIT("</button> <a class=\"button "
	    "alt\" href=\"/staf/kasus/"));
	html_url(h, ref);
	HTML(h, RAW(page_common_lq(p, 1)), LIT("\">"), TR(M_STAF_CANCEL),
	    LIT("</a></p></form>\n"));
	page_common_foot(p);
	page_common_send(p, 200);
}

/*
 * The completion photos of the resolve form (a multiple file input): up
 * to SRV_RESOLVE_PHOTOS_MAX, each of a type the API takes, all checked
 * before any is sent; then each is uploaded (the API's checks and
 * metadata removal, as any staff file) and named in the resolution's
 * "attachments". No photo: nothing to do. A resolution without text is
 * left to the API to refuse, before any upload. -1 with the refusal in
 * out; a photo the API refuses after others went leaves those as the
 * case's evidence, which the form lists to tick.
 */
static int
resolve_photos(struct page *p, const char *ref, json_t *body,
    struct srv_reply *out)
{
	const struct form_field	*f;
	struct api_call		 c;
	json_t			*att;
	size_t			 i = 0, n = 0;

	if (page_form_text(&p->form, "resolution") == NULL)
		return 0;
	while ((f = page_form_file_next(&p->form, "photo", &i)) != NULL) {
		if (++n > SRV_RESOLVE_PHOTOS_MAX) {
			srv_http_error(out, 422, "too_many_photos", "Too many "
			    "completion photos for one resolution.");
			return -1;
		}
		if (srv_attach_sniff((const uint8_t *)f->value, f->len) ==
		    -1) {
			srv_http_error(out, 415, "unsupported_type",
			    "Only JPEG, "
			    "PNG and WebP images, PDF and plain UTF-8 text "
			    "are taken.");
			return -1;
		}
	}
	i = 0;
	while ((f = page_form_file_next(&p->form, "photo", &i)) != NULL) {
		memset(&c, 0, sizeof(c));
		c.session = p->session;
		c.param0 = ref;
		c.file = (const uint8_t *)f->value;
		c.file_len = f->len;
		c.file_name = f->fname;
		page_common_api(p, api_attach_case, &c, out);
		if (out->status != 201)
			return -1;
		if ((att = json_object_get(body, "attachments")) == NULL) {
			att = json_array();
			json_object_set_new(body, "attachments", att);
		}
		json_array_append(att, json_object_get(out->body,
		    "attachment"));
		page_common_api_free(out);
		memset(out, 0, sizeof(*out));
	}
	return 0;
}

static void
action_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	const char		*act;
	int			 bad;

	c->param0 = p->rq->param[0];
	if (page_form_text(&p->form, "preview") != NULL) {
		preview(p, st, p->rq->param[0]);
		return;
	}
	act = page_form_text(&p->form, "action");
	if (act != NULL && strcmp(act, "reject") == 0 &&
	    page_form_text(&p->form, "confirm") == NULL) {
		reject_confirm(p, st, p->rq->param[0]);
		return;
	}
	c->body = action_body(&p->form, &bad);
	if (c->body == NULL || bad) {
		srv_http_error(out, 422, "invalid",
		    "Some fields are not valid.");
		if (out->body != NULL)
			json_object_set_new(json_object_get(out->body, "error"),
			    "fields", json_pack("{s:s}", c->body == NULL ?
			    "action" : "redactions", "invalid"));
	} else if (act != NULL && strcmp(act, "resolve") == 0 &&
	    resolve_photos(p, p->rq->param[0], c->body, out) == -1)
		;	/* the upload's refusal is in out */
	else
		page_common_api(p, api_cases_action, c, out);
	json_decref(c->body);
	if (out->status == 200)
		after_action(p, p->rq->param[0], out);
	else
		case_show(p, st, p->rq->param[0], out, -1, out->status);
}

static void
message_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	c->param0 = p->rq->param[0];
	c->body = json_pack("{s:s}", "body", page_form_get(&p->form, "body") ?
	    page_form_get(&p->form, "body") : "");
	page_common_api(p, api_cases_message, c, out);
	json_decref(c->body);
	if (out->status == 201)
		after_action(p, p->rq->param[0], out);
	else
		case_show(p, st, p->rq->param[0], out, -1, out->status);
}

static void
attach_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	const struct form_field	*f;

	c->param0 = p->rq->param[0];
	if ((f = page_form_file(&p->form, "file")) != NULL) {
		c->file = (const uint8_t *)f->value;
		c->file_len = f->len;
		c->file_name = f->fname;
	} else {
		c->file = (const uint8_t *)"";
		c->file_name = "attachment";
	}
	page_common_api(p, api_attach_case, c, out);
	if (out->status == 201)
		after_action(p, p->rq->param[0], out);
	else
		case_show(p, st, p->rq->param[0], out, -1, out->status);
}

static void
attach_get_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	const char		*args[3] = { NULL, NULL, NULL };
	const char		*variant = srv_http_query(p->rq, "variant");

	if (variant != NULL) {
		args[0] = "variant";
		args[1] = variant;
	}
	c->param0 = p->rq->param[0];
	c->param1 = p->rq->param[1];
	c->args = args;
	page_common_api(p, api_attach_case_get, c, out);
	if (out->status == 200 && out->raw != NULL)
		page_common_pass_raw(p, out);
	else
		case_show(p, st, p->rq->param[0], out, -1, out->status);
}

/* The case export (GET /cases/{case}/export): the ZIP, or the case page
 * with the refusal. */
static void
export_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	c->param0 = p->rq->param[0];
	page_common_api(p, srv_export_case, c, out);
	if (out->status == 200 && out->raw != NULL)
		page_common_pass_raw(p, out);
	else
		case_show(p, st, p->rq->param[0], out, -1, out->status);
}

/* Setting or releasing the legal hold (POST /cases/{case}/hold): the
 * form's "hold" is 1 or 0. */
static void
hold_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	const char		*h;
	char			 loc[96];

	c->param0 = p->rq->param[0];
	h = page_form_text(&p->form, "hold");
	/* Anything but "1" or "0" is sent as a string, which the API
	 * refuses with its reason. */
	c->body = h != NULL && strcmp(h, "1") == 0 ? json_pack("{s:b}", "hold",
	    1) : h != NULL && strcmp(h, "0") == 0 ? json_pack("{s:b}", "hold",
	    0) : h != NULL ? json_pack("{s:s}", "hold", h) : json_object();
	page_common_api(p, api_hold_case, c, out);
	json_decref(c->body);
	if (out->status == 200) {
		snprintf(loc, sizeof(loc), "/staf/kasus/%s?ok=1%s",
		    p->rq->param[0], page_common_lq(p, 0));
		page_common_redirect(p, loc);
	} else
		case_show(p, st, p->rq->param[0], out, -1, out->status);
}

/* ---- sessions, two-factor set-up, agencies ---------------------------------- */

static void
sessions_page(struct page *p, const struct srv_staff *st,
    const struct srv_reply *err)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };
	const json_t	*e;
	size_t		 i;
	char		 path[96];

	page_common_head(p, page_common_tr(p, M_STAF_SESSIONS), NAV_STAF, 0);
	page_staff_common_nav(p, st);
	HTML(&p->h, LIT("<h1>"), TR(M_STAF_SESSIONS), LIT("</h1>\n<p>"),
	    TR(M_STAF_SESSIONS_INTRO), LIT("</p>\n"));
	if (err != NULL)
		page_common_api_error(p, err);
	memset(&c, 0, sizeof(c));
	c.session = p->session;
	page_common_api(p, api_auth_sessions, &c, &out);
	if (out.status != 200)
		page_common_api_error(p, &out);
	else {
		HTML(&p->h, LIT("<div class=\"table\"><table><thead><tr><th "
		    "scope=\"col\">"), TR(M_STAF_SIGNED_IN),
		    LIT("</th><th scope=\"col\">"), TR(M_STAF_LAST_SEEN),
		    LIT("</th><th scope=\"col\">"), TR(M_STAF_EXPIRES),
		    LIT("</th><th scope=\"col\"><span>"), TR(M_STAF_REVOKE),
		    LIT("</span></th></tr></thead><tbody>\n"));
		json_array_foreach(json_object_get(out.body, "sessions") ?
		    json_object_get(out.body, "sessions") : out.body, i, e) {
			html_raw(&p->h, "<tr><td>");
			page_common_time(p, json_string_value(json_object_get(e,
			    "created_at")));
			html_raw(&p->h, "</td><td>");
			page_common_time(p, json_string_value(json_object_get(e,
			    "last_seen")));
			html_raw(&p->h, "</td><td>");
			page_common_time(p, json_string_value(json_object_get(e,
			    "expires_at")));
			html_raw(&p->h, "</td><td>");
			if (json_is_true(json_object_get(e, "current")))
				HTML(&p->h, TR(M_STAF_THIS_SESSION));
			else {
				snprintf(path, sizeof(path), "/staf/sesi/%s/cabut",
				    json_string_value(json_object_get(e, "id")) ?
				    json_string_value(json_object_get(e, "id")) :
				    "-");
				page_staff_common_post_open(p, path, 0);
				HTML(&p->h, LIT("<button class=\"alt\" "
				    "type=\"submit\">"), TR(M_STAF_REVOKE),
				    LIT("</button></form>"));
			}
			html_raw(&p->h, "</td></tr>\n");
		}
		html_raw(&p->h, "</tbody></table></div>\n");
	}
	page_common_api_free(&out);
	page_common_foot(p);
}

static void
sessions_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	(void)c;
	(void)out;
	sessions_page(p, st, NULL);
	page_common_send(p, 200);
}

static void
revoke_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	c->param0 = p->rq->param[0];
	page_common_api(p, api_auth_session_revoke, c, out);
	if (out->status == 204)
		page_common_redirect(p, "/staf/sesi");
	else {
		sessions_page(p, st, out);
		page_common_send(p, out->status);
	}
}

static void
totp_page(struct page *p, const struct srv_staff *st,
    const struct srv_reply *err, const json_t *enrol, const json_t *codes)
{
	struct html	*h = &p->h;
	const json_t	*e;
	size_t		 i;

	page_common_head(p, page_common_tr(p, M_STAF_TOTP_SETUP), NAV_STAF, 0);
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_STAF_TOTP_SETUP), LIT("</h1>\n"));
	if (p->limited)
		HTML(h, LIT("<div class=\"alert\"><p>"),
		    TR(M_E_TOTP_ENROLMENT_REQUIRED), LIT("</p></div>\n"));
	if (err != NULL)
		page_common_api_error(p, err);
	if (codes != NULL) {
		HTML(h, LIT("<div class=\"receipt\"><h2>"),
		    TR(M_STAF_RECOVERY_H), LIT("</h2><p>"), TR(M_STAF_RECOVERY),
		    LIT("</p><ul class=\"codes\">"));
		json_array_foreach(codes, i, e)
			HTML(h, LIT("<li>"), TXT(json_string_value(e)),
			    LIT("</li>"));
		html_raw(h, "</ul></div>\n");
		page_common_foot(p);
		return;
	}
	if (enrol != NULL) {
		/* The QR code is SVG made by totp.c from the otpauth URI
		 * (rects and one path, no text, no style, no script). */
		HTML(h, LIT("<p>"), TR(M_STAF_TOTP_SCAN),
		    LIT("</p>\n<div class=\"qr\">"));
		html_raw(h, json_string_value(json_object_get(enrol, "qr_svg")));
		HTML(h, LIT("</div>\n<p>"), TR(M_STAF_TOTP_SECRET),
		    LIT(" <code class=\"mono\">"),
		    TXT(json_string_value(json_object_get(enrol, "secret"))),
		    LIT("</code></p>\n"));
		page_staff_common_post_open(p, "/staf/totp/konfirmasi", 0);
		HTML(h, LIT("<label for=\"code\">"), TR(M_STAF_TOTP),
		    LIT("</label><input id=\"code\" name=\"code\" "
		    "type=\"text\" required maxlength=\"16\" "
		    "autocomplete=\"one-time-code\"><p><button "
		    "type=\"submit\">"), TR(M_STAF_TOTP_CONFIRM),
		    LIT("</button></p></form>\n"));
		page_common_foot(p);
		return;
	}
	HTML(h, LIT("<p>"), TR(M_STAF_TOTP_INTRO), LIT("</p>\n"));
	page_staff_common_post_open(p, "/staf/totp/mulai", 0);
	HTML(h, LIT("<p><button type=\"submit\">"), TR(M_STAF_TOTP_START),
	    LIT("</button></p></form>\n"));
	page_common_foot(p);
}

static void
totp_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	(void)c;
	(void)out;
	totp_page(p, st, NULL, NULL, NULL);
	page_common_send(p, 200);
}

static void
totp_start_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	page_common_api(p, api_auth_totp_enroll, c, out);
	if (out->status == 200)
		totp_page(p, st, NULL, out->body, NULL);
	else
		totp_page(p, st, out, NULL, NULL);
	page_common_send(p, out->status);
}

static void
totp_confirm_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	c->body = json_pack("{s:s}", "code", page_form_get(&p->form, "code") ?
	    page_form_get(&p->form, "code") : "");
	page_common_api(p, api_auth_totp_confirm, c, out);
	json_decref(c->body);
	if (out->status == 200)
		totp_page(p, st, NULL, NULL, json_object_get(out->body,
		    "recovery_codes"));
	else
		totp_page(p, st, out, NULL, NULL);
	page_common_send(p, out->status);
}

static void
agencies_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	const json_t		*e;
	size_t			 i;

	page_common_head(p, page_common_tr(p, M_STAF_AGENCIES), NAV_STAF, 0);
	page_staff_common_nav(p, st);
	HTML(&p->h, LIT("<h1>"), TR(M_STAF_AGENCIES), LIT("</h1>\n<p>"),
	    TR(M_STAF_ADMIN_OFFLINE), LIT("</p>\n"));
	page_common_api(p, api_public_agencies, c, out);
	HTML(&p->h, LIT("<div class=\"table\"><table><thead><tr><th "
	    "scope=\"col\">id</th><th scope=\"col\">"), TR(M_STAF_NAME),
	    LIT("</th><th scope=\"col\">"), TR(M_STAF_PARENT),
	    LIT("</th><th scope=\"col\">"), TR(M_STAF_LEVEL),
	    LIT("</th></tr></thead><tbody>\n"));
	json_array_foreach(out->body, i, e)
		HTML(&p->h, LIT("<tr><td><code>"),
		    TXT(json_string_value(json_object_get(e, "id"))),
		    LIT("</code></td><td>"),
		    TXT(json_string_value(json_object_get(e, "name"))),
		    LIT("</td><td>"), TXT(json_string_value(json_object_get(e,
		    "parent"))), LIT("</td><td>"),
		    TXT(json_string_value(json_object_get(e, "level"))),
		    LIT("</td></tr>\n"));
	html_raw(&p->h, "</tbody></table></div>\n");
	page_common_foot(p);
	page_common_send(p, 200);
}

/* ---- the staff pages: route handler, flags, what the page does ---------- */

PAGE_STAFF(page_staf_logout, PAGE_STAFF_POST | PAGE_STAFF_ENROL, logout_run)
PAGE_STAFF(page_staf_disclosures, 0, disclosures_run)
PAGE_STAFF(page_staf_case, 0, case_run)
PAGE_STAFF(page_staf_action, PAGE_STAFF_POST | PAGE_STAFF_FILES, action_run)
PAGE_STAFF(page_staf_message, PAGE_STAFF_POST, message_run)
PAGE_STAFF(page_staf_attach, PAGE_STAFF_POST, attach_run)
PAGE_STAFF(page_staf_attach_get, 0, attach_get_run)
PAGE_STAFF(page_staf_export, 0, export_run)
PAGE_STAFF(page_staf_hold, PAGE_STAFF_POST, hold_run)
PAGE_STAFF(page_staf_sessions, PAGE_STAFF_ENROL, sessions_run)
PAGE_STAFF(page_staf_revoke, PAGE_STAFF_POST | PAGE_STAFF_ENROL, revoke_run)
PAGE_STAFF(page_staf_totp, PAGE_STAFF_ENROL, totp_run)
PAGE_STAFF(page_staf_totp_start, PAGE_STAFF_POST | PAGE_STAFF_ENROL,
    totp_start_run)
PAGE_STAFF(page_staf_totp_confirm, PAGE_STAFF_POST | PAGE_STAFF_ENROL,
    totp_confirm_run)
PAGE_STAFF(page_staf_agencies, 0, agencies_run)
