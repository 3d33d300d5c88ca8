/*
 * pages_pantau.c: /pantau, the reporter's follow-up with the token.
 *
 * The token only ever travels in a POST body: the entry form, and a
 * hidden field in every form of the answer (reply, evidence, rating,
 * reopening, rotation, downloads), so that it never lands in a URL, a
 * history, a log or a Referer. Each POST calls the API handler of the
 * action with the token as its bearer, then GET /followup for the view;
 * answers are no-store like every page. The token is not kept anywhere
 * else, and no cookie is set.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

/* The token as typed: white space around it dropped (a pasted line end). */
static void
token_clean(const char *in, char out[CRYPTO_TOKEN_MAX_INPUT + 1])
{
	size_t n;

	out[0] = '\0';
	if (in == NULL)
		return;
	while (isspace((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n > 0 && isspace((unsigned char)in[n - 1]))
		n--;
	if (n > CRYPTO_TOKEN_MAX_INPUT)
		n = CRYPTO_TOKEN_MAX_INPUT;	/* the API says 401 */
	memcpy(out, in, n);
	out[n] = '\0';
}

static void
entry_form(struct page *p, const struct srv_reply *err)
{
	struct html *h = &p->h;

	page_head(p, tr(p->lang, M_PANTAU_TITLE), NAV_PANTAU, 0);
	html_put(h, "<h1>%t</h1>\n<p class=\"lead\">%t</p>\n", M_PANTAU_TITLE,
	    M_PANTAU_INTRO);
	if (err != NULL)
		page_api_error(p, err);
	html_put(h, "<form class=\"stack\" method=\"post\" action=\"/pantau\">");
	page_lang_input(p);
	html_put(h, "<label for=\"token\">%t</label>\n<p class=\"help\" "
	    "id=\"token-help\">%t</p>\n<input id=\"token\" name=\"token\" "
	    "type=\"password\" required maxlength=\"%d\" autocomplete=\"off\" "
	    "spellcheck=\"false\" aria-describedby=\"token-help\">\n"
	    "<p><button type=\"submit\">%t</button></p>\n</form>\n",
	    M_PANTAU_TOKEN, M_PANTAU_TOKEN_HELP, CRYPTO_TOKEN_MAX_INPUT,
	    M_PANTAU_OPEN);
	page_foot(p);
}

void
page_pantau_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page p;

	page_init(&p, ctx, rq, rp);
	entry_form(&p, NULL);
	page_send(&p, 200);
	page_free(&p);
}

/* The start of every action form: method, hidden token and language. */
static void
form_open(struct page *p, const char *token, const char *aksi, int multipart)
{
	html_put(&p->h, "<form class=\"stack\" method=\"post\" "
	    "action=\"/pantau\"%r>", multipart ?
	    " enctype=\"multipart/form-data\"" : "");
	page_lang_input(p);
	html_put(&p->h, "<input type=\"hidden\" name=\"token\" value=\"%a\">"
	    "<input type=\"hidden\" name=\"aksi\" value=\"%a\">\n", token, aksi);
}

static void
timeline(struct page *p, const json_t *tl)
{
	const json_t	*e;
	const char	*s;
	size_t		 i;

	if (!json_is_array(tl) || json_array_size(tl) == 0)
		return;
	html_put(&p->h, "<h2>%t</h2>\n<ol class=\"timeline\">\n",
	    M_PANTAU_TIMELINE);
	json_array_foreach(tl, i, e) {
		html_raw(&p->h, "<li>");
		page_time(p, json_string_value(json_object_get(e, "at")));
		html_raw(&p->h, " – ");
		if ((s = json_string_value(json_object_get(e, "status"))) !=
		    NULL)
			page_status(p, s);
		else
			page_name(p, json_string_value(json_object_get(e,
			    "event")));
		if ((s = json_string_value(json_object_get(e, "by"))) != NULL) {
			html_put(&p->h, " <span class=\"meta\">(%t ", M_BY);
			page_name(p, s);
			html_raw(&p->h, ")</span>");
		}
		if ((s = json_string_value(json_object_get(e, "reason"))) !=
		    NULL) {
			html_put(&p->h, "<br>%t: ", M_F_REASON);
			page_name(p, s);
		}
		if ((s = json_string_value(json_object_get(e, "note"))) != NULL)
			html_put(&p->h, "<p class=\"pre\">%s</p>", s);
		html_raw(&p->h, "</li>\n");
	}
	html_raw(&p->h, "</ol>\n");
}

static void
messages(struct page *p, const json_t *ms)
{
	const json_t	*e;
	const char	*from;
	size_t		 i;

	html_put(&p->h, "<h2>%t</h2>\n", M_PANTAU_MESSAGES);
	if (!json_is_array(ms) || json_array_size(ms) == 0) {
		html_put(&p->h, "<p>%t</p>\n", M_PANTAU_NO_MESSAGES);
		return;
	}
	json_array_foreach(ms, i, e) {
		from = json_string_value(json_object_get(e, "from"));
		html_put(&p->h, "<div class=\"msg%r\"><p class=\"meta\">%t, ",
		    from != NULL && strcmp(from, "staff") == 0 ? " staff" : "",
		    from != NULL && strcmp(from, "staff") == 0 ? M_FROM_STAFF :
		    M_FROM_YOU);
		page_time(p, json_string_value(json_object_get(e, "at")));
		html_put(&p->h, "</p><p class=\"pre\">%s</p></div>\n",
		    json_string_value(json_object_get(e, "body")));
	}
}

static void
attachments(struct page *p, const json_t *as, const char *token)
{
	const json_t	*e;
	char		 n[24];
	size_t		 i;

	if (!json_is_array(as) || json_array_size(as) == 0)
		return;
	html_put(&p->h, "<h2>%t</h2>\n<div class=\"table\"><table><thead><tr>"
	    "<th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
	    "<th scope=\"col\">%t</th><th scope=\"col\">%t</th></tr></thead>"
	    "<tbody>\n", M_ATTACHMENTS, M_F_FILE, M_SIZE, M_FROM, M_DOWNLOAD);
	json_array_foreach(as, i, e) {
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(
		    json_object_get(e, "attachment")));
		html_put(&p->h, "<tr><td>%s</td><td>%d KiB</td><td>", json_string_value(
		    json_object_get(e, "name")), (int)((json_integer_value(
		    json_object_get(e, "size")) + 1023) / 1024));
		page_name(p, json_string_value(json_object_get(e, "from")) &&
		    strcmp(json_string_value(json_object_get(e, "from")),
		    "reporter") == 0 ? "reporter" : "staff");
		html_raw(&p->h, "</td><td>");
		html_put(&p->h, "<form method=\"post\" action=\"/pantau\">");
		page_lang_input(p);
		html_put(&p->h, "<input type=\"hidden\" name=\"token\" "
		    "value=\"%a\"><input type=\"hidden\" name=\"aksi\" "
		    "value=\"unduh\"><input type=\"hidden\" name=\"n\" "
		    "value=\"%a\"><button class=\"alt\" type=\"submit\">%t"
		    "</button></form></td></tr>\n", token, n, M_DOWNLOAD);
	}
	html_raw(&p->h, "</tbody></table></div>\n");
}

static int
open_for_messages(const char *st)
{
	return st != NULL && (strcmp(st, "submitted") == 0 ||
	    strcmp(st, "dispositioned") == 0 || strcmp(st, "in_progress") == 0 ||
	    strcmp(st, "resolved") == 0);
}

static void
disclosures(struct page *p, const json_t *ds)
{
	const json_t	*e, *v;
	const char	*k;
	size_t		 i;

	if (!json_is_array(ds) || json_array_size(ds) == 0)
		return;
	html_put(&p->h, "<div class=\"alert\" role=\"alert\"><h2>%t</h2>"
	    "<p>%t</p><ul>", M_PANTAU_DISCLOSED_H, M_PANTAU_DISCLOSED);
	json_array_foreach(ds, i, e) {
		html_raw(&p->h, "<li>");
		if (json_is_string(json_object_get(e, "at")))
			page_time(p, json_string_value(json_object_get(e, "at")));
		/* Whatever else the record says (by whose authorization),
		 * shown as it is. */
		json_object_foreach((json_t *)(uintptr_t)e, k, v) {
			if (strcmp(k, "at") == 0)
				continue;
			if (json_is_string(v))
				html_put(&p->h, "; %s: %s", k,
				    json_string_value(v));
			else if (json_is_integer(v))
				html_put(&p->h, "; %s: %d", k,
				    (int)json_integer_value(v));
		}
		html_raw(&p->h, "</li>");
	}
	html_raw(&p->h, "</ul></div>\n");
}

static void
view(struct page *p, const json_t *v, const char *token,
    const struct srv_reply *err, int notice, const char *rotated)
{
	struct html	*h = &p->h;
	const char	*st = json_string_value(json_object_get(v, "status"));
	const json_t	*sv = json_object_get(v, "surviving_case");
	char		 title[64];

	snprintf(title, sizeof(title), "%s", json_string_value(
	    json_object_get(v, "case")));
	page_head(p, title, NAV_PANTAU, 0);
	html_put(h, "<h1>%t <span translate=\"no\">%s</span></h1>\n<p>",
	    M_PANTAU_CASE, title);
	page_status(p, st);
	html_raw(h, "</p>\n");
	if (err != NULL)
		page_api_error(p, err);
	if (notice >= 0)
		page_notice(p, notice);
	if (rotated != NULL) {
		html_put(h, "<div class=\"receipt\"><h2>%t</h2>", M_PANTAU_NEWTOKEN);
		page_token(p, rotated);
		html_put(h, "<div class=\"alert\" role=\"alert\"><p>%t</p></div>"
		    "</div>\n", M_PANTAU_NEWTOKEN_WARN);
	}
	disclosures(p, json_object_get(v, "identity_disclosures"));
	if (json_is_object(sv)) {
		html_put(h, "<div class=\"notice\"><p>%t <strong translate=\"no\">"
		    "%s</strong> ", M_PANTAU_MERGED, json_string_value(
		    json_object_get(sv, "case")));
		page_status(p, json_string_value(json_object_get(sv, "status")));
		html_raw(h, "</p></div>\n");
	}
	html_put(h, "<dl class=\"facts\"><dt>%t</dt><dd>", M_F_KIND);
	page_name(p, json_string_value(json_object_get(v, "kind")));
	html_put(h, "</dd><dt>%t</dt><dd>", M_F_VISIBILITY);
	page_name(p, json_string_value(json_object_get(v, "visibility")));
	html_put(h, "</dd><dt>%t</dt><dd>%s</dd><dt>%t</dt><dd>", M_F_AGENCY,
	    json_is_string(json_object_get(v, "agency")) ?
	    json_string_value(json_object_get(v, "agency")) :
	    tr(p->lang, M_NOT_YET), M_SUBMITTED_AT);
	page_time(p, json_string_value(json_object_get(v, "created_at")));
	html_put(h, "</dd><dt>%t</dt><dd>", M_DUE);
	page_time(p, json_string_value(json_object_get(v, "due_at")));
	html_put(h, "</dd></dl>\n<h2>%s</h2>\n<p class=\"pre\">%s</p>\n",
	    json_string_value(json_object_get(v, "title")),
	    json_string_value(json_object_get(v, "body")));
	timeline(p, json_is_object(sv) ? json_object_get(sv, "timeline") :
	    json_object_get(v, "timeline"));
	messages(p, json_object_get(v, "messages"));
	attachments(p, json_object_get(v, "attachments"), token);

	if (open_for_messages(st)) {
		html_put(h, "<h2>%t</h2>\n", M_PANTAU_REPLY_H);
		form_open(p, token, "balas", 0);
		html_put(h, "<label for=\"reply\">%t</label><textarea "
		    "id=\"reply\" name=\"body\" rows=\"5\" cols=\"60\" required "
		    "maxlength=\"%d\"></textarea><p><button type=\"submit\">%t"
		    "</button></p></form>\n", M_PANTAU_REPLY, CORE_MESSAGE_MAX,
		    M_SEND);
		html_put(h, "<h2>%t</h2>\n", M_PANTAU_EVIDENCE_H);
		form_open(p, token, "lampir", 1);
		html_raw(h, "<label for=\"evidence\">");
		html_put(h, "%t</label><p class=\"help\" id=\"evidence-help\">",
		    M_F_FILE_ONE);
		page_trn(p, M_LAPOR_FILE_HELP, (long long)(p->ctx->cfg->
		    max_attachment_bytes / (1024 * 1024)), 0);
		html_put(h, "</p><input id=\"evidence\" name=\"file\" "
		    "type=\"file\" required aria-describedby=\"evidence-help\">"
		    "<p><button type=\"submit\">%t</button></p></form>\n",
		    M_UPLOAD);
	}
	if (st != NULL && strcmp(st, "resolved") == 0) {
		int i;

		html_put(h, "<h2>%t</h2>\n<p>%t</p>\n", M_PANTAU_RATE_H,
		    M_PANTAU_RATE_INTRO);
		form_open(p, token, "nilai", 0);
		html_put(h, "<fieldset><legend>%t</legend>", M_F_RATING);
		for (i = 1; i <= 5; i++)
			html_put(h, "<div class=\"choice\"><input type=\"radio\" "
			    "id=\"rating-%d\" name=\"rating\" value=\"%d\"%r>"
			    "<label for=\"rating-%d\">%d – %t</label></div>", i, i,
			    i == 1 ? " required" : "", i, i, M_RATE_1 + i - 1);
		html_put(h, "</fieldset><label for=\"comment\">%t</label>"
		    "<textarea id=\"comment\" name=\"comment\" rows=\"3\" "
		    "cols=\"60\" maxlength=\"%d\"></textarea><p><button "
		    "type=\"submit\">%t</button></p></form>\n", M_F_COMMENT,
		    CORE_MESSAGE_MAX, M_PANTAU_RATE_SEND);
		html_put(h, "<h2>%t</h2>\n<p>%t</p>\n", M_PANTAU_REOPEN_H,
		    M_PANTAU_REOPEN_INTRO);
		form_open(p, token, "buka", 0);
		html_put(h, "<label for=\"reopen\">%t</label><textarea "
		    "id=\"reopen\" name=\"reason\" rows=\"3\" cols=\"60\" "
		    "required maxlength=\"%d\"></textarea><p><button "
		    "type=\"submit\">%t</button></p></form>\n", M_F_REASON,
		    CORE_REASON_MAX, M_PANTAU_REOPEN_SEND);
	}
	html_put(h, "<h2>%t</h2>\n<p>%t</p>\n", M_PANTAU_ROTATE_H,
	    M_PANTAU_ROTATE_INTRO);
	form_open(p, token, "ganti", 0);
	html_put(h, "<p><button class=\"alt\" type=\"submit\">%t</button></p>"
	    "</form>\n", M_PANTAU_ROTATE_SEND);
	page_foot(p);
}

void
page_pantau_post(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p;
	struct api_call		 c = { 0 };
	struct srv_reply	 act = { 0 }, got = { 0 };
	const struct form_field	*file;
	const char		*aksi, *s;
	char			 token[CRYPTO_TOKEN_MAX_INPUT + 1] = "";
	char			 rotated[CRYPTO_TOKEN_TEXT] = "", n[16];
	int			 notice = -1, acted = 0;

	page_init(&p, ctx, rq, rp);
	if (page_form(&p, ctx->cfg->max_body_bytes) == -1)
		goto out;
	token_clean(form_get(&p.form, "token"), token);
	aksi = form_text(&p.form, "aksi") ? form_text(&p.form, "aksi") : "lihat";
	c.token = token;
	if (strcmp(aksi, "balas") == 0) {
		c.body = json_pack("{s:s?}", "body", form_get(&p.form, "body"));
		page_api(&p, api_followup_message, &c, &act);
		notice = M_PANTAU_SENT;
		acted = 1;
	} else if (strcmp(aksi, "lampir") == 0) {
		if ((file = form_file(&p.form, "file")) != NULL) {
			c.file = (const uint8_t *)file->value;
			c.file_len = file->len;
			c.file_name = file->fname;
		} else {
			c.file = (const uint8_t *)"";
			c.file_len = 0;
			c.file_name = "attachment";
		}
		page_api(&p, api_followup_attach, &c, &act);
		notice = M_PANTAU_ATTACHED;
		acted = 1;
	} else if (strcmp(aksi, "nilai") == 0) {
		s = form_get(&p.form, "rating");
		c.body = json_pack("{s:i}", "rating", s != NULL &&
		    strlen(s) == 1 && s[0] >= '1' && s[0] <= '5' ? s[0] - '0' :
		    0);
		if (c.body != NULL && form_text(&p.form, "comment") != NULL)
			json_object_set_new(c.body, "comment", json_string(
			    form_text(&p.form, "comment")));
		page_api(&p, api_followup_confirm, &c, &act);
		notice = M_PANTAU_RATED;
		acted = 1;
	} else if (strcmp(aksi, "buka") == 0) {
		c.body = json_pack("{s:s?}", "reason", form_get(&p.form,
		    "reason"));
		page_api(&p, api_followup_reopen, &c, &act);
		notice = M_PANTAU_REOPENED;
		acted = 1;
	} else if (strcmp(aksi, "ganti") == 0) {
		page_api(&p, api_followup_rotate, &c, &act);
		acted = 1;
		if (act.status == 200 && (s = json_string_value(
		    json_object_get(act.body, "token"))) != NULL) {
			snprintf(rotated, sizeof(rotated), "%s", s);
			snprintf(token, sizeof(token), "%s", s);
			c.token = token;
		}
	} else if (strcmp(aksi, "unduh") == 0) {
		s = form_get(&p.form, "n");
		snprintf(n, sizeof(n), "%s", s != NULL && strlen(s) < sizeof(n) ?
		    s : "");
		c.param0 = n;
		page_api(&p, api_followup_attach_get, &c, &act);
		if (act.status == 200 && act.raw != NULL) {
			page_pass_raw(&p, &act);
			goto out;
		}
		acted = 1;
	} else if (strcmp(aksi, "lihat") != 0) {
		page_fail(&p, 400);
		goto out;
	}
	json_decref(c.body);
	c.body = NULL;
	if (act.status == 401 || token[0] == '\0') {
		if (act.status != 401) {
			page_api_free(&act);
			srv_error(&act, 401, "unauthorized", "no token");
		}
		entry_form(&p, &act);
		page_send(&p, 401);
		goto out;
	}
	page_api(&p, api_followup_get, &c, &got);
	if (got.status != 200) {
		entry_form(&p, &got);
		page_send(&p, got.status);
		goto out;
	}
	if (acted && act.status >= 300)
		view(&p, got.body, token, &act, -1, NULL);
	else
		view(&p, got.body, token, NULL, acted ? notice : -1,
		    rotated[0] != '\0' ? rotated : NULL);
	page_send(&p, acted && act.status >= 300 ? act.status : 200);
 out:
	json_decref(c.body);
	page_api_free(&act);
	page_api_free(&got);
	crypto_wipe(token, sizeof(token));
	crypto_wipe(rotated, sizeof(rotated));
	page_free(&p);
}
