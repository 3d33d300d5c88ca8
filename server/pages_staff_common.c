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
page_staff_login_form(struct page *p, const struct srv_reply *err, int want_totp)
{
	struct html *h = &p->h;

	page_head(p, page_tr(p, M_STAF_LOGIN), NAV_STAF, 0);
	html_put(h, "<h1>%t</h1>\n", M_STAF_LOGIN);
	if (err != NULL)
		page_api_error(p, err);
	html_put(h, "<form class=\"stack\" method=\"post\" "
	    "action=\"/staf/masuk\">");
	page_lang_input(p);
	html_put(h, "<label for=\"username\">%t</label><input id=\"username\" "
	    "name=\"username\" type=\"text\" required maxlength=\"64\" "
	    "autocomplete=\"username\" value=\"%a\">"
	    "<label for=\"password\">%t</label><input id=\"password\" "
	    "name=\"password\" type=\"password\" required maxlength=\"%d\" "
	    "autocomplete=\"current-password\">"
	    "<label for=\"totp\">%t</label><p class=\"help\" id=\"totp-help\">"
	    "%t</p><input id=\"totp\" name=\"totp\" type=\"text\" "
	    "maxlength=\"16\" autocomplete=\"one-time-code\" "
	    "aria-describedby=\"totp-help\"%r>"
	    "<p><button type=\"submit\">%t</button></p></form>\n",
	    M_STAF_USERNAME, form_get(&p->form, "username"), M_F_PASSWORD,
	    SRV_PASSWORD_MAX, M_STAF_TOTP, M_STAF_TOTP_HELP,
	    want_totp ? " required" : "", M_STAF_LOGIN_SEND);
	page_foot(p);
}

/*
 * Signs the staff member in from the cookie. post: the request is a form
 * (parsed here) that must carry the CSRF token and not come cross-site.
 * On failure the page is answered (login form, 403, or a redirect to the
 * two-factor set-up) and -1 returned.
 */
int
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
		if (page_form(p, p->ctx->cfg->max_body_bytes) == -1)
			return -1;
		if (!page_same_origin(p)) {
			page_fail(p, 403);
			return -1;
		}
	}
	if ((sess = page_session(p)) == NULL) {
		page_staff_login_form(p, NULL, 0);
		page_send(p, post ? 403 : 200);
		return -1;
	}
	r.authorization = NULL;
	r.session_cookie = sess;
	if (srv_staff_auth_ex(p->ctx, &r, st, &e, 1, &limited) == -1) {
		page_staff_login_form(p, &e, 0);
		json_decref(e.body);
		page_send(p, 401);
		page_set_cookie(p, NULL);
		return -1;
	}
	p->session = sess;
	page_csrf(p, st, p->csrf);
	if (post && !page_csrf_ok(p, st)) {
		crypto_wipe(st->session, sizeof(st->session));
		page_fail(p, 403);
		return -1;
	}
	if (limited && !allow_limited) {
		page_redirect(p, "/staf/totp");
		return -1;
	}
	p->limited = limited;
	return 0;
}

void
page_staff_end(struct page *p, struct srv_staff *st)
{
	crypto_wipe(st->session, sizeof(st->session));
	crypto_wipe(p->csrf, sizeof(p->csrf));
}

/* The staff navigation under the page head, and the holiday banner. */
void
page_staff_nav(struct page *p, const struct srv_staff *st)
{
	int	central = st->role == CORE_ROLE_CENTRAL_ADMIN;
	int	y;

	html_put(&p->h, "<nav class=\"card staff\" aria-label=\"%t\"><p>"
	    "<strong>%s</strong> (", M_STAF_NAV, st->username);
	page_name(p, core_role_name(st->role));
	if (st->agency[0] != '\0')
		html_put(&p->h, ", %s", st->agency);
	html_raw(&p->h, ")</p><ul class=\"tabs\">");
	if (!p->limited)
		html_put(&p->h, "<li><a href=\"/staf%r\">%t</a></li>",
		    page_lq(p, 1), M_STAF_QUEUE);
	if (!p->limited && central)
		html_put(&p->h, "<li><a href=\"/staf/laporan-baru%r\">%t</a>"
		    "</li>", page_lq(p, 1), M_STAF_INTAKE);
	if (!p->limited)
		html_put(&p->h, "<li><a href=\"/staf/instansi%r\">%t</a></li>",
		    page_lq(p, 1), M_STAF_AGENCIES);
	if (!p->limited && (central || st->role == CORE_ROLE_AUDITOR))
		html_put(&p->h, "<li><a href=\"/staf/laporan-berkala%r\">%t"
		    "</a></li><li><a href=\"/staf/pengungkapan%r\">%t</a></li>",
		    page_lq(p, 1), M_STAF_PERIODIC, page_lq(p, 1),
		    M_STAF_DISCLOSURES);
	html_put(&p->h, "<li><a href=\"/staf/sesi%r\">%t</a></li>"
	    "<li><a href=\"/staf/totp%r\">%t</a></li></ul>"
	    "<form method=\"post\" action=\"/staf/keluar\">", page_lq(p, 1),
	    M_STAF_SESSIONS, page_lq(p, 1), M_STAF_TOTP_SETUP);
	page_csrf_input(p);
	page_lang_input(p);
	html_put(&p->h, "<button class=\"alt\" type=\"submit\">%t</button>"
	    "</form></nav>\n", M_STAF_LOGOUT);
	/* Deadlines are set from today up to CORE_HOLIDAY_LOOKAHEAD days
	 * ahead: a year in that window without holidays is wrong now. */
	if ((y = srv_holidays_missing(p->ctx->cfg, p->rq->now)) != 0) {
		html_raw(&p->h, "<div class=\"alert holidays\" role=\"note\">"
		    "<p><strong>");
		page_trn(p, M_STAF_HOLIDAYS_H, y, 0);
		html_raw(&p->h, "</strong></p><p>");
		page_trn(p, M_STAF_HOLIDAYS, y, 0);
		html_raw(&p->h, "</p></div>\n");
	}
}

/* A POST form of the staff pages: CSRF token and language included. */
void
page_post_open(struct page *p, const char *action_fmt_path, int multipart)
{
	html_put(&p->h, "<form class=\"stack\" method=\"post\" action=\"%a\"%r>",
	    action_fmt_path, multipart ? " enctype=\"multipart/form-data\"" : "");
	page_csrf_input(p);
	page_lang_input(p);
}

/* Channels in the order of enum core_channel and M_CH_*; intake takes
 * all but the first (the web is the public form's own). */
const char *const page_channels[PAGE_CHANNELS] = {
	"web", "social_media", "phone", "letter", "walk_in", "email",
};

int
page_channel_key(const char *channel)
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
page_liaison_options(struct page *p, const char *agency, const char *selected)
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
	page_api(p, api_liaisons, &c, &out);
	if (out.status == 200) {
		n = 0;
		json_array_foreach(json_object_get(out.body, "liaisons"), i,
		    e) {
			if ((u = json_string_value(json_object_get(e,
			    "username"))) == NULL)
				continue;
			n++;
			html_put(&p->h, "<option value=\"%a\"%r>%s (%s)</option>", u,
			    selected != NULL && strcmp(selected, u) == 0 ?
			    " selected" : "", u, json_string_value(
			    json_object_get(e, "agency")));
		}
	}
	page_api_free(&out);
	return n;
}
