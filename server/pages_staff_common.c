/*
 * pages_staff_common.c: what every staff page shares, below pages_staf.c
 * and pages_queue.c: signing in from the session cookie (and the sign-in
 * form shown when that fails), the staff navigation with the holiday
 * banner, a POST form with its CSRF token, the liaisons a case may be
 * given to, and the names of the channels a report came through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

void
page_staff_common_login_form(struct page *p, const struct srv_reply *err,
    int want_totp)
{
	struct html *h = &p->h;

	page_common_head(p, page_common_tr(p, M_STAF_LOGIN), NAV_STAF, 0);
	HTML(h, LIT("<h1>"), TR(M_STAF_LOGIN), LIT("</h1>\n"));
	if (err != NULL)
		page_common_api_error(p, err);
	HTML(h, LIT("<form class=\"stack\" method=\"post\" "
	    "action=\"/staf/masuk\">"));
	page_common_lang_input(p);
	HTML(h, LIT("<label for=\"username\">"), TR(M_STAF_USERNAME),
	    LIT("</label><input id=\"username\" name=\"username\" "
	    "type=\"text\" required maxlength=\"64\" autocomplete=\"username\" "
	    "value=\""), ATTR(page_form_get(&p->form, "username")),
	    LIT("\"><label for=\"password\">"), TR(M_F_PASSWORD), LIT("</label>"
	    "<input id=\"password\" name=\"password\" type=\"password\" "
	    "required maxlength=\""), INT(SRV_PASSWORD_MAX), LIT("\" "
	    "autocomplete=\"current-password\"><label for=\"totp\">"),
	    TR(M_STAF_TOTP), LIT("</label><p class=\"help\" id=\"totp-help\">"),
	    TR(M_STAF_TOTP_HELP), LIT("</p><input id=\"totp\" name=\"totp\" "
	    "type=\"text\" maxlength=\"16\" autocomplete=\"one-time-code\" "
	    "aria-describedby=\"totp-help\""), RAW(want_totp ? " required" :
	    ""), LIT("><p><button type=\"submit\">"), TR(M_STAF_LOGIN_SEND),
	    LIT("</button></p></form>\n"));
	page_common_foot(p);
}

/*
 * Signs the staff member in from the cookie. post: the request is a form
 * (parsed here) that must carry the CSRF token and not come cross-site.
 * On failure the page is answered (login form, 403, or a redirect to the
 * two-factor set-up) and -1 returned.
 */
static int
page_staff_begin(struct page *p, struct srv_staff *st, int post,
    int allow_limited)
{
	struct srv_request	 r = *p->rq;
	struct srv_reply	 e;
	const char		*sess;
	int			 limited = 0;

	memset(&e, 0, sizeof(e));
	/* Tables of cases use the width of the screen. */
	p->wide = 1;
	if (post) {
		if (page_common_form(p, p->ctx->cfg->max_body_bytes) == -1)
			return -1;
		if (!page_common_same_origin(p)) {
			page_common_fail(p, 403);
			return -1;
		}
	}
	if ((sess = page_common_session(p)) == NULL) {
		page_staff_common_login_form(p, NULL, 0);
		page_common_send(p, post ? 403 : 200);
		return -1;
	}
	r.authorization = NULL;
	r.session_cookie = sess;
	if (srv_auth_staff_ex(p->ctx, &r, st, &e, 1, &limited) == -1) {
		page_staff_common_login_form(p, &e, 0);
		json_decref(e.body);
		page_common_send(p, 401);
		page_common_set_cookie(p, NULL);
		return -1;
	}
	p->session = sess;
	page_common_csrf(p, st, p->csrf);
	if (post && !page_common_csrf_ok(p, st)) {
		crypto_wipe(st->session, sizeof(st->session));
		page_common_fail(p, 403);
		return -1;
	}
	if (limited && !allow_limited) {
		page_common_redirect(p, "/staf/totp");
		return -1;
	}
	p->limited = limited;
	return 0;
}

void
page_staff_common_run(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp, const struct page_staff *s)
{
	struct page		 p;
	struct srv_staff	 st;
	struct api_call		 c;
	struct srv_reply	 out;

	memset(&out, 0, sizeof(out));
	page_common_init(&p, ctx, rq, rp);
	p.form_files = (s->flags & PAGE_STAFF_FILES) != 0;
	if (page_staff_begin(&p, &st, (s->flags & PAGE_STAFF_POST) != 0,
	    (s->flags & PAGE_STAFF_ENROL) != 0) == 0) {
		memset(&c, 0, sizeof(c));
		c.session = p.session;
		s->run(&p, &st, &c, &out);
		page_staff_common_end(&p, &st);
	}
	page_common_api_free(&out);
	page_common_free(&p);
}

void
page_staff_common_end(struct page *p, struct srv_staff *st)
{
	crypto_wipe(st->session, sizeof(st->session));
	crypto_wipe(p->csrf, sizeof(p->csrf));
}

/* The staff navigation under the page head, and the holiday banner. */
void
page_staff_common_nav(struct page *p, const struct srv_staff *st)
{
	int	central = st->role == CORE_ROLE_CENTRAL_ADMIN;
	int	y;

	HTML(&p->h, LIT("<nav class=\"card staff\" aria-label=\""),
	    TR(M_STAF_NAV), LIT("\"><p><strong>"), TXT(st->username),
	    LIT("</strong> ("));
	page_common_name(p, core_role_name(st->role));
	if (st->agency[0] != '\0')
		HTML(&p->h, LIT(", "), TXT(st->agency));
	html_raw(&p->h, ")</p><ul class=\"tabs\">");
	if (!p->limited)
		HTML(&p->h, LIT("<li><a href=\"/staf"), RAW(page_common_lq(p,
		    1)), LIT("\">"), TR(M_STAF_QUEUE), LIT("</a></li>"));
	if (!p->limited && central)
		HTML(&p->h, LIT("<li><a href=\"/staf/laporan-baru"),
		    RAW(page_common_lq(p, 1)), LIT("\">"), TR(M_STAF_INTAKE),
		    LIT("</a></li>"));
	if (!p->limited)
		HTML(&p->h, LIT("<li><a href=\"/staf/instansi"),
		    RAW(page_common_lq(p,
		    1)), LIT("\">"), TR(M_STAF_AGENCIES), LIT("</a></li>"));
	if (!p->limited && (central || st->role == CORE_ROLE_AUDITOR))
		HTML(&p->h, LIT("<li><a href=\"/staf/laporan-berkala"),
		    RAW(page_common_lq(p, 1)), LIT("\">"), TR(M_STAF_PERIODIC),
		    LIT("</a></li><li><a href=\"/staf/pengungkapan"),
		    RAW(page_common_lq(p,
		    1)), LIT("\">"), TR(M_STAF_DISCLOSURES), LIT("</a></li>"));
	HTML(&p->h, LIT("<li><a href=\"/staf/sesi"), RAW(page_common_lq(p, 1)),
	    LIT("\">"), TR(M_STAF_SESSIONS),
	    LIT("</a></li><li><a href=\"/staf/totp"), RAW(page_common_lq(p, 1)),
	    LIT("\">"), TR(M_STAF_TOTP_SETUP), LIT("</a></li></ul><form "
	    "method=\"post\" action=\"/staf/keluar\">"));
	page_common_csrf_input(p);
	page_common_lang_input(p);
	HTML(&p->h, LIT("<button class=\"alt\" type=\"submit\">"),
	    TR(M_STAF_LOGOUT), LIT("</button></form></nav>\n"));
	/* Deadlines are set from today up to CORE_HOLIDAY_LOOKAHEAD days
	 * ahead: a year in that window without holidays is wrong now. */
	if ((y = srv_config_holidays_missing(p->ctx->cfg, p->rq->now)) != 0) {
		html_raw(&p->h, "<div class=\"alert holidays\" role=\"note\">"
		    "<p><strong>");
		page_common_trn(p, M_STAF_HOLIDAYS_H, y, 0);
		html_raw(&p->h, "</strong></p><p>");
		page_common_trn(p, M_STAF_HOLIDAYS, y, 0);
		html_raw(&p->h, "</p></div>\n");
	}
}

/* A POST form of the staff pages: CSRF token and language included. */
void
page_staff_common_post_open(struct page *p, const char *action_fmt_path,
    int multipart)
{
	HTML(&p->h, LIT("<form class=\"stack\" method=\"post\" action=\""),
	    ATTR(action_fmt_path), LIT("\""), RAW(multipart ?
	    " enctype=\"multipart/form-data\"" : ""), LIT(">"));
	page_common_csrf_input(p);
	page_common_lang_input(p);
}

/* Channels in the order of enum core_channel and M_CH_*; intake takes
 * all but the first (the web is the public form's own). */
const char *const page_channels[PAGE_CHANNELS] = {
	"web", "social_media", "phone", "letter", "walk_in", "email",
};

int
page_staff_common_channel_key(const char *channel)
{
	size_t i;

	if (channel == NULL)
		channel = "web";
	for (i = 0; i < sizeof(page_channels) / sizeof(page_channels[0]); i++)
		if (strcmp(channel, page_channels[i]) == 0)
			return M_CH_WEB + (int)i;
	return -1;
}

int
page_staff_common_liaison_options(struct page *p, const char *agency,
    const char *selected)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };
	const char	*args[3] = { "agency", agency, NULL };
	const json_t	*e;
	const char	*u;
	size_t		 i;
	int		 n = -1;

	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.args = agency != NULL ? args : NULL;
	page_common_api(p, api_users_liaisons, &c, &out);
	if (out.status == 200) {
		n = 0;
		json_array_foreach(json_object_get(out.body, "liaisons"), i,
		    e) {
			if ((u = json_string_value(json_object_get(e,
			    "username"))) == NULL)
				continue;
			n++;
			HTML(&p->h, LIT("<option value=\""), ATTR(u), LIT("\""),
			    RAW(selected != NULL && strcmp(selected, u) == 0 ?
			    " selected" : ""), LIT(">"), TXT(u), LIT(" ("),
			    TXT(json_string_value(json_object_get(e,
			    "agency"))), LIT(")</option>"));
		}
	}
	page_common_api_free(&out);
	return n;
}
