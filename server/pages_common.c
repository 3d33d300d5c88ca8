/*
 * pages_common.c: what every web page shares: the language, the page
 * frame (head, navigation, footer), calling an API handler on the page's
 * behalf, showing an API error, times, and the staff cookie with its CSRF
 * token.
 *
 * Language: a "lang" query or form parameter ("id" or "en") when given,
 * carried on in links and forms as long as it was given; otherwise the
 * better of the two in Accept-Language; otherwise Bahasa Indonesia. No
 * cookie remembers it: reporter pages set no cookie at all. The switch
 * keeps the page: a GET page's link keeps its query; a page that
 * answers a POST (the receipt, the follow-up view) switches with a small
 * form that posts its fields again, the token among them, so that it
 * never goes into a URL (page_common_switch).
 *
 * Times: the API's UTC times are shown in WIB (UTC+7, no daylight
 * saving), the zone the deadlines are counted in; dates in words in the
 * page's language.
 *
 * Staff cookie: the session token, named "__Host-bisik" when it is Secure
 * (TLS here, or "cookie_secure" when TLS ends at a proxy in front) and
 * "bisik_session" on plain HTTP, where the __Host- prefix is not allowed;
 * always HttpOnly, SameSite=Strict, Path=/, no Max-Age (it ends with the
 * browser; the session itself ends after 30 idle minutes or 12 hours).
 * CSRF: every staff form carries a synchronizer token, the keyed BLAKE2b
 * (pepper) of a domain tag and the session's hash, checked in constant
 * time on every staff POST before anything else; a POST a browser marks
 * as cross-site (Sec-Fetch-Site, else Origin against Host) is refused too.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "server/pages.h"

static const char *
word(int lang, int key)
{
	const char *s;

	if (key < 0 || key >= M_MAX)
		return "";
	s = (lang == LANG_EN ? i18n_en : i18n_id)[key];
	return s != NULL ? s : i18n_id[key];
}

int
page_common_lang_parse(const char *v)
{
	if (v == NULL)
		return -1;
	if (strcmp(v, "id") == 0)
		return LANG_ID;
	if (strcmp(v, "en") == 0)
		return LANG_EN;
	return -1;
}

/* The better of id and en in an Accept-Language header; ties go to the
 * one listed first; neither: Indonesian. */
int
page_common_accept_language(const char *h)
{
	char		 buf[PAGE_ACCEPT_LANG_MAX + 1], *item, *save, *semi;
	double		 q, best_q[LANG_MAX] = { -1, -1 };
	int		 order[LANG_MAX] = { 0, 0 }, n = 0, l;

	if (h == NULL)
		return LANG_ID;
	snprintf(buf, sizeof(buf), "%s", h);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		q = 1.0;
		if ((semi = strchr(item, ';')) != NULL) {
			*semi++ = '\0';
			while (*semi == ' ')
				semi++;
			if (strncmp(semi, "q=", 2) == 0)
				q = strtod(semi + 2, NULL);
		}
		if (strncasecmp(item, "id", 2) == 0 &&
		    (item[2] == '\0' || item[2] == '-' || item[2] == ' '))
			l = LANG_ID;
		else if (strncasecmp(item, "en", 2) == 0 &&
		    (item[2] == '\0' || item[2] == '-' || item[2] == ' '))
			l = LANG_EN;
		else
			continue;
		n++;
		if (q > best_q[l]) {
			best_q[l] = q;
			order[l] = n;
		}
	}
	if (best_q[LANG_EN] <= 0)
		return LANG_ID;
	if (best_q[LANG_ID] <= 0)
		return LANG_EN;
	if (best_q[LANG_EN] != best_q[LANG_ID])
		return best_q[LANG_EN] > best_q[LANG_ID] ? LANG_EN : LANG_ID;
	return order[LANG_EN] < order[LANG_ID] ? LANG_EN : LANG_ID;
}

static const char *
header(const struct page *p, const char *name)
{
	if (p->rq->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(p->rq->conn, MHD_HEADER_KIND, name);
}

void
page_common_init(struct page *p, struct srv_ctx *ctx,
    const struct srv_request *rq, struct srv_reply *rp)
{
	int l;

	memset(p, 0, sizeof(*p));
	p->ctx = ctx;
	p->rq = rq;
	p->rp = rp;
	if ((l = page_common_lang_parse(srv_http_query(rq, "lang"))) >= 0) {
		p->lang = l;
		p->lang_given = 1;
	} else
		p->lang = page_common_accept_language(header(p,
		    "Accept-Language"));
	html_init(&p->h, PAGE_HTML_MAX);
	page_common_lang_set(p, p->lang);
}

void
page_common_lang_set(struct page *p, int lang)
{
	p->lang = lang;
	html_words(&p->h, word, lang);
}

const char *
page_common_tr(const struct page *p, int key)
{
	return word(p->lang, key);
}

int
page_common_form(struct page *p, size_t text_max)
{
	int l;

	if (page_form_parse(p->rq, p->ctx->cfg, text_max, &p->form) == -1 ||
	    (p->form.files > 1 && !p->form_files)) {
		page_common_fail(p, p->form.too_large ? 413 : 400);
		return -1;
	}
	if ((l = page_common_lang_parse(page_form_get(&p->form,
		"lang"))) >= 0) {
		page_common_lang_set(p, l);
		p->lang_given = 1;
	}
	return 0;
}

void
page_common_free(struct page *p)
{
	html_free(&p->h);
	page_form_free(&p->form);
}

const char *
page_common_lq(const struct page *p, int first)
{
	if (!p->lang_given)
		return "";
	if (p->lang == LANG_EN)
		return first ? "?lang=en" : "&lang=en";
	return first ? "?lang=id" : "&lang=id";
}

void
page_common_switch(struct page *p, const char *action, const char *get_path)
{
	p->switch_action = action;
	p->get_path = get_path;
}

void
page_common_switch_field(struct page *p, const char *name, const char *value)
{
	/* Callers pass a fixed set smaller than the maximum. */
	assert(p->nswitch < PAGE_SWITCH_MAX);
	if (value == NULL)
		return;
	p->switch_name[p->nswitch] = name;
	p->switch_value[p->nswitch++] = value;
}

void
page_common_lang_input(struct page *p)
{
	if (p->lang_given)
		HTML(&p->h, LIT("<input type=\"hidden\" name=\"lang\" "
		    "value=\""), ATTR(p->lang == LANG_EN ? "en" : "id"),
		    LIT("\">"));
}

/* The version of a static file in its URL (its content hash), so that it
 * may be cached for a year and still change with the program. */
static void
asset(struct page *p, const char *name)
{
	HTML(&p->h, LIT("/static/"), URL(name), LIT("?v="),
	    URL(page_static_version(name)));
}

/* A GET page's query arguments but the language, kept by its switch. */
struct query_keep {
	struct page	*p;
	size_t		 n;
};

static enum MHD_Result
query_keep(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	struct query_keep *q = cls;

	(void)kind;
	if (k == NULL || strcmp(k, "lang") == 0)
		return MHD_YES;
	if (q->n++ == PAGE_QUERY_KEEP_MAX)
		return MHD_NO;
	html_url(&q->p->h, k);
	html_raw(&q->p->h, "=");
	html_url(&q->p->h, v != NULL ? v : "");
	html_raw(&q->p->h, "&amp;");
	return MHD_YES;
}

static void
lang_switch(struct page *p, int nav)
{
	struct html		*h = &p->h;
	struct query_keep	 q = { p, 0 };
	const char		*other = p->lang == LANG_EN ? "id" : "en";
	size_t			 i;
	int			 get;

	if (p->switch_form != NULL) {
		HTML(h, LIT("<button class=\"lang\" type=\"submit\" form=\""),
		    ATTR(p->switch_form), LIT("\" formaction=\""),
		    ATTR(p->switch_action), LIT("\" formnovalidate "
		    "name=\"ganti_bahasa\" value=\""), ATTR(other),
		    LIT("\" lang=\""), ATTR(other), LIT("\">"),
		    TR(M_LANG_OTHER), LIT("</button>"));
		return;
	}
	if (p->switch_action != NULL) {
		HTML(h, LIT("<form class=\"lang\" method=\"post\" action=\""),
		    ATTR(p->switch_action), LIT("\">"));
		for (i = 0; i < p->nswitch; i++)
			HTML(h, LIT("<input type=\"hidden\" name=\""),
			    ATTR(p->switch_name[i]), LIT("\" value=\""),
			    ATTR(p->switch_value[i]), LIT("\">"));
		HTML(h, LIT("<input type=\"hidden\" name=\"lang\" value=\""),
		    ATTR(other), LIT("\"><button type=\"submit\" lang=\""),
		    ATTR(other), LIT("\">"), TR(M_LANG_OTHER),
		    LIT("</button></form>"));
		return;
	}
	/* A GET page keeps its path and query; a staff page answering a
	 * POST goes to the page it came from (lang_path) or the queue. */
	get = p->rq->method != NULL && strcmp(p->rq->method, "GET") == 0;
	HTML(h, LIT("<a class=\"lang\" href=\""), ATTR(p->lang_path != NULL ?
	    p->lang_path : !get && nav == NAV_STAF ? "/staf" : p->rq->path),
	    LIT("?"));
	if (get && p->lang_path == NULL && p->rq->conn != NULL)
		MHD_get_connection_values(p->rq->conn, MHD_GET_ARGUMENT_KIND,
		    query_keep, &q);
	HTML(h, LIT("lang="), RAW(other), LIT("\" hreflang=\""), RAW(other),
	    LIT("\" lang=\""), RAW(other), LIT("\">"), TR(M_LANG_OTHER),
	    LIT("</a>"));
}

void
page_common_head(struct page *p, const char *title, int nav, int script)
{
	static const struct {
		int		 nav;
		const char	*path;
		int		 key;
	} links[] = {
		{ NAV_LAPOR, "/lapor", M_NAV_LAPOR },
		{ NAV_PANTAU, "/pantau", M_NAV_PANTAU },
		{ NAV_PUBLIK, "/publik", M_NAV_PUBLIK },
		{ NAV_STATISTIK, "/statistik", M_NAV_STATISTIK },
	};
	struct html	*h = &p->h;
	size_t		 i;

	HTML(h, LIT("<!DOCTYPE html>\n<html lang=\""), ATTR(p->lang == LANG_EN ?
	    "en" : "id"), LIT("\">\n<head>\n<meta charset=\"utf-8\">\n<meta "
	    "name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>"),
	    TXT(title), LIT(" – Bisik</title>\n<link rel=\"stylesheet\" "
	    "href=\""));
	asset(p, "bisik.css");
	html_raw(h, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
	asset(p, "ikon.svg");
	html_raw(h, "\">\n");
	if (script & PAGE_SCRIPT_POW) {
		html_raw(h, "<script src=\"");
		asset(p, "pow.js");
		html_raw(h, "\" defer></script>\n");
	}
	if (script & PAGE_SCRIPT_REVIEW) {
		html_raw(h, "<script src=\"");
		asset(p, "review.js");
		html_raw(h, "\" defer></script>\n");
	}
	if ((script & PAGE_SCRIPT_PAGE) || p->get_path != NULL) {
		html_raw(h, "<script src=\"");
		asset(p, "bisik.js");
		html_raw(h, "\" defer></script>\n");
	}
	if (p->get_path != NULL)
		HTML(h, LIT("<meta name=\"bisik-get\" content=\""),
		    ATTR(p->get_path), LIT("\">\n"));
	HTML(h, LIT("</head>\n<body>\n<a class=\"skip\" href=\"#isi\">"),
	    TR(M_SKIP), LIT("</a>\n<header class=\"top\"><div class=\"wrap"),
	    RAW(p->wide ? " wide" : ""),
	    LIT(" bar\"><a class=\"brand\" href=\"/"), RAW(page_common_lq(p,
	    1)), LIT("\">Bisik</a>\n<nav aria-label=\""), TR(M_NAV_MAIN),
	    LIT("\"><ul>"));
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		HTML(h, LIT("<li><a href=\""), RAW(links[i].path),
		    RAW(page_common_lq(p,
		    1)), LIT("\""), RAW(links[i].nav == nav ?
		    " class=\"here\"" : ""), LIT(">"), TR(links[i].key),
		    LIT("</a></li>"));
	html_raw(h, "</ul></nav>\n");
	lang_switch(p, nav);
	HTML(h, LIT("</div></header>\n<main id=\"isi\" class=\"wrap"),
	    RAW(p->wide ? " wide" : ""), LIT("\">\n"));
}

void
page_common_foot(struct page *p)
{
	HTML(&p->h, LIT("</main>\n<footer class=\"foot\"><div class=\"wrap"),
	    RAW(p->wide ? " wide" : ""), LIT("\"><p>"), TR(M_FOOT),
	    LIT("</p><p><a href=\"/staf"), RAW(page_common_lq(p,
	    1)), LIT("\">"),
	    TR(M_NAV_STAF), LIT("</a></p></div></footer>\n</body>\n</html>\n"));
}

void
page_common_send(struct page *p, unsigned status)
{
	struct srv_reply	*rp = p->rp;
	size_t			 len;
	char			*html;

	if (p->h.b.fail) {
		html_free(&p->h);
		page_common_fail(p, 503);
		return;
	}
	json_decref(rp->body);
	rp->body = NULL;
	html = html_take(&p->h, &len);
	rp->status = status;
	rp->raw = (uint8_t *)html;
	rp->raw_len = len;
	rp->raw_type = "text/html; charset=utf-8";
	rp->raw_name[0] = '\0';
	rp->page = 1;
}

void
page_common_redirect(struct page *p, const char *path)
{
	struct srv_reply *rp = p->rp;

	json_decref(rp->body);
	rp->body = NULL;
	/* A 303 with a tiny body, so that the answer is still a page. */
	html_free(&p->h);
	HTML(&p->h, LIT("<!DOCTYPE html>\n<html lang=\"id\"><head><meta "
	    "charset=\"utf-8\"><title>Bisik</title></head><body><p><a href=\""),
	    ATTR(path), LIT("\">"), ATTR(path),
	    LIT("</a></p></body></html>\n"));
	page_common_send(p, 303);
	snprintf(p->rp->location, sizeof(p->rp->location), "%s", path);
}

/* ---- errors ------------------------------------------------------------ */

/* A staff page: a refused credential is a session or a password there,
 * and a token everywhere else; neither speaks of the other. */
static int
staff_page(const struct page *p)
{
	return p->rq != NULL && p->rq->path != NULL &&
	    strncmp(p->rq->path, "/staf", 5) == 0;
}

static int
status_key(const struct page *p, unsigned status)
{
	switch (status) {
	case 400:
		return M_ERR_400;
	case 401:
		return staff_page(p) ? M_ERR_401_STAFF : M_ERR_401_TOKEN;
	case 403:
		return M_ERR_403;
	case 404:
		return M_ERR_404;
	case 405:
		return M_ERR_405;
	case 413:
		return M_ERR_413;
	case 415:
		return M_ERR_415;
	case 429:
		return M_ERR_429;
	case 507:
		return M_ERR_507;
	default:
		return M_ERR_503;
	}
}

void
page_common_fail(struct page *p, unsigned status)
{
	html_free(&p->h);
	p->h.b.fail = 0;
	page_common_head(p, page_common_tr(p, M_ERR_TITLE), NAV_NONE, 0);
	HTML(&p->h, LIT("<h1>"), TR(M_ERR_TITLE), LIT("</h1>\n<p>"),
	    TR(status_key(p, status)), LIT("</p>\n<p><a href=\"/"),
	    RAW(page_common_lq(p,
	    1)), LIT("\">"), TR(M_BACK_HOME), LIT("</a></p>\n"));
	page_common_foot(p);
	if (p->h.b.fail) {
		/* Not even that fits: the API's JSON refusal then. */
		html_free(&p->h);
		srv_http_error(p->rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	page_common_send(p, status);
}

void
page_common_error(struct srv_reply *rp, unsigned status,
    const char *accept_lang)
{
	struct srv_request	rq;
	struct page		p;

	memset(&rq, 0, sizeof(rq));
	rq.path = "/";
	memset(&p, 0, sizeof(p));
	p.rq = &rq;
	p.rp = rp;
	html_init(&p.h, PAGE_HTML_MAX);
	page_common_lang_set(&p, page_common_accept_language(accept_lang));
	page_common_fail(&p, status);
	page_common_free(&p);
}

/* API error codes the pages explain in their own words. */
static const struct {
	const char	*code;
	int		 key;
} codes[] = {
	{ "unauthorized", M_E_UNAUTHORIZED },
	{ "invalid", M_E_INVALID },
	{ "malformed", M_E_MALFORMED },
	{ "forbidden", M_E_FORBIDDEN },
	{ "not_found", M_E_NOT_FOUND },
	{ "conflict", M_E_CONFLICT },
	{ "case_closed", M_E_CASE_CLOSED },
	{ "attachment_limit", M_E_ATTACHMENT_LIMIT },
	{ "too_large", M_E_TOO_LARGE },
	{ "unsupported_type", M_E_UNSUPPORTED_TYPE },
	{ "image_too_large", M_E_IMAGE_TOO_LARGE },
	{ "invalid_image", M_E_INVALID_IMAGE },
	{ "image_unprocessable", M_E_IMAGE_UNPROCESSABLE },
	{ "identity_unavailable", M_E_IDENTITY_UNAVAILABLE },
	{ "storage_full", M_E_STORAGE_FULL },
	{ "totp_required", M_E_TOTP_REQUIRED },
	{ "totp_enrolled", M_E_TOTP_ENROLLED },
	{ "no_enrollment", M_E_NO_ENROLLMENT },
	{ "totp_enrollment_required", M_E_TOTP_ENROLMENT_REQUIRED },
	{ "rate_limited", M_ERR_429 },
	{ "too_soon", M_E_TOO_SOON },
	{ "too_many_photos", M_E_TOO_MANY_PHOTOS },
};

/* Field names and reasons of a 422 that have words in the catalogue. */
static const struct {
	const char	*name;
	int		 key;
} fieldnames[] = {
	{ "title", M_F_TITLE }, { "body", M_F_BODY }, { "kind", M_F_KIND },
	{ "agency", M_F_AGENCY }, { "category", M_F_CATEGORY },
	{ "location", M_F_LOCATION }, { "occurred_on", M_F_OCCURRED_ON },
	{ "visibility", M_F_VISIBILITY }, { "identity", M_F_IDENTITY },
	{ "pow", M_F_POW }, { "rating", M_F_RATING },
	{ "comment", M_F_COMMENT }, { "reason", M_F_REASON },
	{ "note", M_F_NOTE }, { "liaison", M_F_LIAISON }, { "into", M_F_INTO },
	{ "resolution", M_F_RESOLUTION }, { "redactions", M_F_REDACTIONS },
	{ "attachments", M_F_ATTACHMENTS }, { "file", M_F_FILE },
	{ "code", M_F_CODE }, { "password", M_F_PASSWORD },
	{ "action", M_F_ACTION },
}, reasons[] = {
	{ "required", M_R_REQUIRED }, { "too short", M_R_TOO_SHORT },
	{ "too long", M_R_TOO_LONG }, { "invalid", M_R_INVALID },
	{ "unknown", M_R_UNKNOWN }, { "out of range", M_R_OUT_OF_RANGE },
	{ "already used", M_R_ALREADY_USED }, { "expired", M_R_EXPIRED },
	{ "wrong", M_R_WRONG }, { "not solved", M_R_INVALID },
	{ "too soon", M_R_TOO_SOON }, { "not found", M_R_NOT_FOUND },
};

/* The input of a field named in an error, if the page named one. */
static const char *
field_id(const struct page *p, const char *name)
{
	size_t i;

	for (i = 0; p->field_ids != NULL && p->field_ids[i] != NULL; i += 2)
		if (strcmp(p->field_ids[i], name) == 0)
			return p->field_ids[i + 1];
	return NULL;
}

void
page_common_api_error(struct page *p, const struct srv_reply *api)
{
	const json_t	*e = json_object_get(api->body, "error");
	const char	*code = json_string_value(json_object_get(e, "code"));
	const char	*k, *id;
	json_t		*fields = json_object_get(e, "fields"), *v;
	int		 key = status_key(p, api->status);
	size_t		 i;

	for (i = 0; code != NULL && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i].code) == 0)
			key = codes[i].key;
	if (key == M_E_UNAUTHORIZED)
		key = !staff_page(p) ? M_E_TOKEN : strcmp(p->rq->path,
		    "/staf/masuk") == 0 ? M_E_LOGIN : M_E_SESSION;
	html_raw(&p->h, "<div class=\"alert\" role=\"alert\"><p>");
	/* A text naming a limit has it as {1}. */
	page_common_trn(p, key,
	    key == M_E_TOO_MANY_PHOTOS ? SRV_RESOLVE_PHOTOS_MAX : 0, 0);
	html_raw(&p->h, "</p>");
	if (json_is_object(fields) && json_object_size(fields) > 1) {
		html_raw(&p->h, "<p>");
		page_common_trn(p, M_E_COUNT,
		    (long long)json_object_size(fields), 0);
		html_raw(&p->h, "</p>");
	}
	if (json_is_object(fields) && json_object_size(fields) > 0) {
		html_raw(&p->h, "<ul>");
		json_object_foreach(fields, k, v) {
			int fk = -1, rk = -1;
			const char *r = json_string_value(v);

			for (i = 0; i < sizeof(fieldnames) /
			    sizeof(fieldnames[0]); i++)
				if (strcmp(k, fieldnames[i].name) == 0 ||
				    (strncmp(k, "identity", 8) == 0 &&
				    fieldnames[i].key == M_F_IDENTITY))
					fk = fieldnames[i].key;
			for (i = 0; r != NULL && i < sizeof(reasons) /
			    sizeof(reasons[0]); i++)
				if (strcmp(r, reasons[i].name) == 0)
					rk = reasons[i].key;
			id = field_id(p, k);
			if (id == NULL && strncmp(k, "identity", 8) == 0)
				id = field_id(p, "identity");
			if (id != NULL)
				HTML(&p->h, LIT("<li><a href=\"#"), ATTR(id),
				    LIT("\">"), TXT(fk >= 0 ? page_common_tr(p,
				    fk) :
				    k), LIT("</a>: "), TXT(rk >= 0 ? page_common_tr(p,
				    rk) : (r != NULL ? r : "")), LIT("</li>"));
			else
				HTML(&p->h, LIT("<li>"), TXT(fk >= 0 ?
				    page_common_tr(p,
				    fk) : k), LIT(": "), TXT(rk >= 0
				    ? page_common_tr(p,
				    rk) : (r != NULL ? r : "")), LIT("</li>"));
		}
		html_raw(&p->h, "</ul>");
	}
	html_raw(&p->h, "</div>\n");
}

void
page_common_notice(struct page *p, int key)
{
	HTML(&p->h, LIT("<div class=\"notice\" role=\"status\"><p>"), TR(key),
	    LIT("</p></div>\n"));
}

/* ---- calling the API ----------------------------------------------------- */

void
page_common_api(struct page *p, srv_handler fn, const struct api_call *c,
    struct srv_reply *out)
{
	static const char *const	 none[] = { NULL };
	struct srv_request		 r = *p->rq;
	char				 auth[8 + CRYPTO_TOKEN_MAX_INPUT + 1];
	char				*body = NULL;

	memset(out, 0, sizeof(*out));
	auth[0] = '\0';
	r.body = "";
	r.len = 0;
	r.content_type = NULL;
	r.authorization = NULL;
	r.session_cookie = c->session;
	r.args = c->args != NULL ? c->args : none;
	r.param[0] = c->param0;
	r.param[1] = c->param1;
	r.file = c->file;
	r.file_len = c->file_len;
	r.file_name = c->file_name;
	if (c->body != NULL) {
		if ((body = json_dumps(c->body, JSON_COMPACT)) == NULL) {
			srv_http_error(out, 422, "invalid",
			    "Some fields are not "
			    "valid.");
			return;
		}
		r.body = body;
		r.len = strlen(body);
		r.content_type = "application/json";
	}
	if (c->token != NULL) {
		/* The API's one 401 for anything that is not a token. */
		snprintf(auth, sizeof(auth), "Bearer %s",
		    strlen(c->token) <= CRYPTO_TOKEN_MAX_INPUT ? c->token : "-");
		r.authorization = auth;
	}
	fn(p->ctx, &r, out);
	if (out->status == 0)
		srv_http_error(out, 503, "busy",
		    "The server is busy; try again.");
	/* The follow-up view comes as JSON text: pages read it as JSON. */
	srv_http_reply_json(out);
	crypto_wipe(auth, sizeof(auth));
	if (body != NULL) {
		crypto_wipe(body, strlen(body));
		core_json_free(body);
	}
}

void
page_common_api_free(struct srv_reply *out)
{
	json_decref(out->body);
	out->body = NULL;
	if (out->raw != NULL) {
		crypto_wipe(out->raw, out->raw_len);
		free(out->raw);
		out->raw = NULL;
	}
}

/* Hands an API download (an attachment, a receipt) to the page's reply. */
void
page_common_pass_raw(struct page *p, struct srv_reply *api)
{
	struct srv_reply *rp = p->rp;

	json_decref(rp->body);
	rp->body = NULL;
	rp->status = api->status;
	rp->raw = api->raw;
	rp->raw_len = api->raw_len;
	rp->raw_type = api->raw_type;
	memcpy(rp->raw_name, api->raw_name, sizeof(rp->raw_name));
	rp->page = 1;
	api->raw = NULL;
}

/* ---- small renderers ----------------------------------------------------- */

/* An ISO time of the API as "YYYY-MM-DD HH:MM WIB" (the reference zone of
 * the deadlines), in a <time> element. */
void
page_common_time(struct page *p, const char *iso)
{
	time_t		t;
	char		buf[CORE_TIME_WIB_TEXT];

	if (iso == NULL) {
		html_raw(&p->h, "–");
		return;
	}
	if ((t = page_common_iso(iso)) == -1) {
		html_text(&p->h, iso);
		return;
	}
	core_time_wib(t, buf);
	HTML(&p->h, LIT("<time datetime=\""), ATTR(iso), LIT("\">"), TXT(buf),
	    LIT("</time>"));
}

time_t
page_common_iso(const char *iso)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (iso == NULL || strlen(iso) != 20 || sscanf(iso,
	    "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

void
page_common_date(struct page *p, time_t t)
{
	struct tm	tm;
	time_t		w = t + CORE_TZ_OFFSET;

	gmtime_r(&w, &tm);
	/* "Senin, 3 Agustus 2026" and "Monday, 3 August 2026" alike. */
	HTML(&p->h, TR(M_WDAY_0 + tm.tm_wday), LIT(", "), INT(tm.tm_mday),
	    LIT(" "), TR(M_MON_1 + tm.tm_mon), LIT(" "), INT(tm.tm_year +
	    1900));
}

void
page_common_clock(struct page *p, const char *iso)
{
	struct tm	tm;
	time_t		t = page_common_iso(iso);
	char		buf[16];

	if (t == -1)
		return;
	t += CORE_TZ_OFFSET;
	gmtime_r(&t, &tm);
	/* Indonesian writes 23.59, English 23:59. */
	snprintf(buf, sizeof(buf), "%02d%c%02d WIB", tm.tm_hour,
	    p->lang == LANG_ID ? '.' : ':', tm.tm_min);
	HTML(&p->h, LIT("<time datetime=\""), ATTR(iso), LIT("\">"), TXT(buf),
	    LIT("</time>"));
}

void
page_common_size(struct page *p, long long b)
{
	char	buf[32];
	char	*c;

	if (b < 1024)
		snprintf(buf, sizeof(buf), "%lld B", b < 0 ? 0 : b);
	else if (b < 1024 * 1024)
		snprintf(buf, sizeof(buf), "%lld kB", (b + 1023) / 1024);
	else
		snprintf(buf, sizeof(buf), "%.1f MB", (double)b /
		    (1024.0 * 1024.0));
	/* Indonesian writes a decimal comma. */
	if (p->lang == LANG_ID && (c = strchr(buf, '.')) != NULL)
		*c = ',';
	html_text(&p->h, buf);
}

/* Working days are counted here for at most this many calendar days
 * ahead: no deadline is further (CORE_WORKING_DAYS_MAX working days). */
#define DAYS_AHEAD_MAX	(2 * CORE_WORKING_DAYS_MAX + 30)

int
page_common_working_days_left(const struct page *p, time_t now, time_t due)
{
	int32_t	from = (int32_t)((now + CORE_TZ_OFFSET) / 86400);
	int32_t	to = (int32_t)((due + CORE_TZ_OFFSET) / 86400), d;
	int	n = 0;

	if (due <= now)
		return 0;
	for (d = from + 1; d <= to && d - from <= DAYS_AHEAD_MAX; d++)
		if (core_is_working_day(&p->ctx->cfg->calendar, d))
			n++;
	return n;
}

int
page_common_days_late(time_t now, time_t due)
{
	if (due < 0 || now <= due)
		return 0;
	return (int)((now - due + 86399) / 86400);
}

static int
escrow_get(struct store_txn *txn, void *arg)
{
	return srv_escrow_gen_current(txn,
	    arg) == 0 ? STORE_OK : STORE_NOTFOUND;
}

int
page_common_escrow(const struct page *p, unsigned *k, unsigned *n,
    char fp[CRYPTO_ESCROW_FP_TEXT])
{
	struct srv_escrow e;

	memset(&e, 0, sizeof(e));
	if (store_read(p->ctx->store, escrow_get, &e) != STORE_OK)
		return -1;
	*k = e.threshold;
	*n = e.holders;
	crypto_escrow_fingerprint(e.Y, fp);
	return 0;
}

void
page_common_escrow_fingerprint(struct page *p)
{
	char		fp[CRYPTO_ESCROW_FP_TEXT];
	unsigned	k, n;

	HTML(&p->h, LIT("<h2>"), TR(M_RCPT_FP_H), LIT("</h2>\n"));
	if (page_common_escrow(p, &k, &n, fp) == -1) {
		HTML(&p->h, LIT("<p>"), TR(M_RCPT_FP_NONE), LIT("</p>\n"));
		return;
	}
	html_raw(&p->h, "<p>");
	page_common_trn(p, M_RCPT_FP, k, n);
	HTML(&p->h, LIT("</p>\n<p class=\"fp mono\" translate=\"no\">"),
	    TXT(fp), LIT("</p>\n"));
}

void
page_common_escrow_fp(struct page *p, const char fp[CRYPTO_ESCROW_FP_TEXT])
{
	HTML(&p->h, LIT("<div class=\"fingerprint\"><p>"),
	    TR(M_ESCROW_FP_LABEL), LIT(" <code class=\"fp\" translate=\"no\">"),
	    TXT(fp), LIT("</code></p>\n<p class=\"help\">"),
	    TR(M_ESCROW_FP_CHECK), LIT("</p></div>\n"));
}

static const char *const status_names[CORE_ST_MAX] = {
	"submitted", "dispositioned", "in_progress", "resolved", "closed",
	"rejected", "merged",
};
static const int status_keys[CORE_ST_MAX] = {
	M_ST_SUBMITTED, M_ST_DISPOSITIONED, M_ST_IN_PROGRESS, M_ST_RESOLVED,
	M_ST_CLOSED, M_ST_REJECTED, M_ST_MERGED,
};

void
page_common_status(struct page *p, const char *status)
{
	int i;

	for (i = 0; i < CORE_ST_MAX; i++)
		if (status != NULL && strcmp(status, status_names[i]) == 0) {
			HTML(&p->h, LIT("<span class=\"status st-"),
			    RAW(status_names[i]), LIT("\">"),
			    TR(status_keys[i]), LIT("</span>"));
			return;
		}
	HTML(&p->h, LIT("<span class=\"status\">"), TXT(status),
	    LIT("</span>"));
}

int
page_common_status_key(const char *status)
{
	int i;

	for (i = 0; i < CORE_ST_MAX; i++)
		if (status != NULL && strcmp(status, status_names[i]) == 0)
			return status_keys[i];
	return -1;
}

/* A catalogue key for names the API uses (kinds, events, roles, reject
 * reasons); -1 when the catalogue has none (the name is shown then). */
int
page_common_name_key(const char *name)
{
	static const struct {
		const char	*name;
		int		 key;
	} names[] = {
		{ "complaint", M_KIND_COMPLAINT },
		{ "aspiration", M_KIND_ASPIRATION },
		{ "information_request", M_KIND_INFORMATION_REQUEST },
		{ "confidential", M_VIS_CONFIDENTIAL },
		{ "public", M_VIS_PUBLIC },
		{ "status", M_EV_STATUS },
		{ "message", M_EV_MESSAGE },
		{ "respond", M_EV_RESPOND },
		{ "response", M_EV_RESPOND },
		{ "returned", M_EV_RETURNED },
		{ "note", M_EV_NOTE },
		{ "token_rotated", M_EV_TOKEN_ROTATED },
		{ "published", M_EV_PUBLISHED },
		{ "attachment", M_EV_ATTACHMENT },
		{ "reporter", M_ROLE_REPORTER },
		{ "central_admin", M_ROLE_CENTRAL_ADMIN },
		{ "agency_admin", M_ROLE_AGENCY_ADMIN },
		{ "liaison", M_ROLE_LIAISON },
		{ "auditor", M_ROLE_AUDITOR },
		{ "system", M_ROLE_SYSTEM },
		{ "not_a_complaint", M_RJ_NOT_A_COMPLAINT },
		{ "not_our_authority", M_RJ_NOT_OUR_AUTHORITY },
		{ "incomplete", M_RJ_INCOMPLETE },
	};
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].key;
	if (page_common_status_key(name) >= 0)
		return page_common_status_key(name);
	return -1;
}

void
page_common_name(struct page *p, const char *name)
{
	int k = page_common_name_key(name);

	if (k >= 0)
		HTML(&p->h, TR(k));
	else
		html_text(&p->h, name);
}

void
page_common_event_head(struct page *p, const json_t *e)
{
	const char *s;

	html_raw(&p->h, "<li>");
	page_common_time(p, json_string_value(json_object_get(e, "at")));
	html_raw(&p->h, " – ");
	if ((s = json_string_value(json_object_get(e, "status"))) != NULL)
		page_common_status(p, s);
	else
		page_common_name(p, json_string_value(json_object_get(e,
		    "event")));
}

void
page_common_event_tail(struct page *p, const json_t *e)
{
	const char *s;

	if ((s = json_string_value(json_object_get(e, "reason"))) != NULL) {
		HTML(&p->h, LIT("<br>"), TR(M_F_REASON), LIT(": "));
		page_common_name(p, s);
	}
	if ((s = json_string_value(json_object_get(e, "note"))) != NULL)
		HTML(&p->h, LIT("<p class=\"pre\">"), TXT(s), LIT("</p>"));
	html_raw(&p->h, "</li>\n");
}

int
page_common_is_image(const json_t *a)
{
	const char *t = json_string_value(json_object_get(a, "type"));

	return t != NULL && strncmp(t, "image/", 6) == 0;
}

/* ---- staff cookie, CSRF, origin ------------------------------------------ */

/* A catalogue text with {1}, {2}, {3} replaced by numbers, escaped. */
static void
trn(struct page *p, int key, const long long *v, size_t nv)
{
	const char	*s = page_common_tr(p, key), *q;
	char		 buf[1024];
	size_t		 o = 0, i;

	for (q = s; *q != '\0' && o + 24 < sizeof(buf); q++) {
		if (q[0] == '{' && q[1] >= '1' && q[1] <= '9' && q[2] == '}' &&
		    (i = (size_t)(q[1] - '1')) < nv) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%lld",
			    v[i]);
			q += 2;
		} else
			buf[o++] = *q;
	}
	buf[o] = '\0';
	html_text(&p->h, buf);
}

void
page_common_trn(struct page *p, int key, long long a, long long b)
{
	long long v[2] = { a, b };

	trn(p, key, v, 2);
}

void
page_common_trn3(struct page *p, int key, long long a, long long b, long long c)
{
	long long v[3] = { a, b, c };

	trn(p, key, v, 3);
}

/* The token in groups, each group its own element, for copying by hand. */
void
page_common_token(struct page *p, const char *token)
{
	const char	*q;
	char		 g[8];
	size_t		 n;

	html_raw(&p->h, "<p class=\"token\" translate=\"no\">");
	for (q = token; q != NULL && *q != '\0';) {
		n = strcspn(q, "-");
		if (n >= sizeof(g))
			n = sizeof(g) - 1;
		memcpy(g, q, n);
		g[n] = '\0';
		HTML(&p->h, LIT("<span class=\"g\">"), TXT(g), LIT("</span>"));
		q += n;
		if (*q == '-') {
			html_raw(&p->h, "<span class=\"sep\">-</span>");
			q++;
		}
	}
	html_raw(&p->h, "</p>\n");
	crypto_wipe(g, sizeof(g));
}

int
page_common_cookie_secure(const struct srv_ctx *ctx)
{
	return ctx->cfg->tls_cert != NULL || ctx->cfg->cookie_secure;
}

const char *
page_common_cookie_name(const struct srv_ctx *ctx)
{
	return page_common_cookie_secure(ctx) ? "__Host-bisik" : "bisik_session";
}

const char *
page_common_session(const struct page *p)
{
	const char *v;

	if (p->rq->conn == NULL)
		return NULL;
	v = MHD_lookup_connection_value(p->rq->conn, MHD_COOKIE_KIND,
	    page_common_cookie_name(p->ctx));
	return v != NULL && v[0] != '\0' ? v : NULL;
}

void
page_common_set_cookie(struct page *p, const char *token)
{
	const char *sec = page_common_cookie_secure(p->ctx) ? "; Secure" : "";

	if (token != NULL)
		snprintf(p->rp->cookie, sizeof(p->rp->cookie), "%s=%s; Path=/; "
		    "HttpOnly; SameSite=Strict%s", page_common_cookie_name(p->ctx),
		    token, sec);
	else
		snprintf(p->rp->cookie, sizeof(p->rp->cookie), "%s=; Path=/; "
		    "Max-Age=0; HttpOnly; SameSite=Strict%s",
		    page_common_cookie_name(p->ctx), sec);
}

void
page_common_csrf(const struct page *p, const struct srv_staff *st,
    char out[PAGE_CSRF_TEXT])
{
	static const char	tag[] = "bisik-csrf-v1";
	uint8_t			msg[sizeof(tag) + CRYPTO_HASH_BYTES];
	uint8_t			h[CRYPTO_HASH_BYTES];
	size_t			i;

	memcpy(msg, tag, sizeof(tag));
	memcpy(msg + sizeof(tag), st->session, CRYPTO_HASH_BYTES);
	crypto_keyed_hash(p->ctx->keys->pepper, msg, sizeof(msg), h);
	for (i = 0; i < CRYPTO_HASH_BYTES; i++) {
		out[2 * i] = "0123456789abcdef"[h[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
	}
	out[2 * CRYPTO_HASH_BYTES] = '\0';
	crypto_wipe(msg, sizeof(msg));
}

int
page_common_csrf_ok(const struct page *p, const struct srv_staff *st)
{
	char		 want[PAGE_CSRF_TEXT];
	const char	*got = page_form_get(&p->form, "csrf");
	int		 ok;

	if (got == NULL || strlen(got) != PAGE_CSRF_TEXT - 1)
		return 0;
	page_common_csrf(p, st, want);
	ok = crypto_equal(want, got, PAGE_CSRF_TEXT - 1);
	crypto_wipe(want, sizeof(want));
	return ok;
}

void
page_common_csrf_input(struct page *p)
{
	HTML(&p->h, LIT("<input type=\"hidden\" name=\"csrf\" value=\""),
	    ATTR(p->csrf), LIT("\">"));
}

int
page_common_same_origin(const struct page *p)
{
	const char	*site = header(p, "Sec-Fetch-Site");
	const char	*origin = header(p, "Origin");
	const char	*host = header(p, "Host");
	const char	*o;

	if (site != NULL)
		return strcmp(site, "same-origin") == 0 ||
		    strcmp(site, "none") == 0;
	if (origin == NULL)
		return 1;	/* an older browser or a script: CSRF decides */
	if (host == NULL)
		return 0;
	if ((o = strstr(origin, "://")) == NULL)
		return 0;
	return strcmp(o + 3, host) == 0;
}

/* ---- the directory's names ------------------------------------------------ */

void
page_common_dir_load(struct page *p, struct page_dir *d)
{
	struct api_call		c;
	struct srv_reply	out;

	memset(d, 0, sizeof(*d));
	memset(&c, 0, sizeof(c));
	page_common_api(p, api_public_agencies, &c, &out);
	if (out.status == 200 && json_is_array(out.body))
		d->agencies = json_incref(out.body);
	page_common_api_free(&out);
	page_common_api(p, api_public_categories, &c, &out);
	if (out.status == 200 && json_is_array(out.body))
		d->categories = json_incref(out.body);
	page_common_api_free(&out);
}

void
page_common_dir_free(struct page_dir *d)
{
	json_decref(d->agencies);
	json_decref(d->categories);
	d->agencies = d->categories = NULL;
}

const char *
page_common_dir_name(const json_t *list, const char *id)
{
	const json_t	*e;
	const char	*name;
	size_t		 i;

	if (id == NULL)
		return NULL;
	json_array_foreach(list, i, e)
		if (json_is_string(json_object_get(e, "id")) &&
		    strcmp(json_string_value(json_object_get(e, "id")), id) ==
		    0 && (name = json_string_value(json_object_get(e,
		    "name"))) != NULL)
			return name;
	return id;
}

/* ---- the agency choice --------------------------------------------------- */

/* Groups of the agency choice, in the order it shows them: central
 * government (ministries and national agencies), then the regions. An
 * agency without a level of its own (a sub-agency) goes with its
 * parent's. */
static const struct {
	const char	*level[2];
	int		 key;
} groups[] = {
	{ { "kementerian", "lembaga" }, M_LEVEL_CENTRAL },
	{ { "provinsi", NULL }, M_LEVEL_PROVINSI },
	{ { "kabupaten", NULL }, M_LEVEL_KABUPATEN },
	{ { "kota", NULL }, M_LEVEL_KOTA },
};
#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))
/* Parents followed to find a sub-agency's level (the directory is a
 * shallow tree; a loop in bad data stops here). */
#define LEVEL_DEPTH	8

int
page_common_by_name(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a,
	    "name"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b,
	    "name"));

	return strcasecmp(x != NULL ? x : "", y != NULL ? y : "");
}

/* The group of an agency: its own level, else its nearest parent's. */
static int
agency_group_of(const json_t *list, const json_t *a)
{
	const json_t	*e;
	const char	*lv, *parent;
	size_t		 g, k, i, depth;

	for (depth = 0; a != NULL && depth < LEVEL_DEPTH; depth++) {
		if ((lv = json_string_value(json_object_get(a, "level"))) !=
		    NULL) {
			for (g = 0; g < NGROUPS; g++)
				for (k = 0; k < 2; k++)
					if (groups[g].level[k] != NULL &&
					    strcmp(groups[g].level[k], lv) == 0)
						return (int)g;
			return -1;
		}
		parent = json_string_value(json_object_get(a, "parent"));
		a = NULL;
		json_array_foreach(list, i, e)
			if (parent != NULL && json_is_string(json_object_get(e,
			    "id")) && strcmp(json_string_value(json_object_get(e,
			    "id")), parent) == 0)
				a = e;
	}
	return -1;
}

/* The options of one group (g -1: agencies of no known level). */
static void
agency_group(struct page *p, const json_t *list, json_t **a, size_t n, int g,
    const char *selected)
{
	const char	*id;
	size_t		 i, shown = 0;

	for (i = 0; i < n; i++) {
		if ((id = json_string_value(json_object_get(a[i], "id"))) ==
		    NULL || agency_group_of(list, a[i]) != g)
			continue;
		if (shown++ == 0)
			HTML(&p->h, LIT("<optgroup label=\""),
			    ATTR(page_common_tr(p, g
			    >= 0 ? groups[g].key : M_LEVEL_OTHER)), LIT("\">"));
		HTML(&p->h, LIT("<option value=\""), ATTR(id), LIT("\""),
		    RAW(selected != NULL && strcmp(selected, id) == 0 ?
		    " selected" : ""), LIT(">"),
		    TXT(json_string_value(json_object_get(a[i], "name"))),
		    LIT("</option>"));
	}
	if (shown > 0)
		html_raw(&p->h, "</optgroup>");
}

void
page_common_agency_options(struct page *p, const json_t *list,
    const char *selected)
{
	json_t	**a = NULL, *v;
	size_t	 n, i;
	int	 g;

	if (!json_is_array(list) || (n = json_array_size(list)) == 0 ||
	    (a = calloc(n, sizeof(*a))) == NULL)
		return;
	json_array_foreach(list, i, v)
		a[i] = v;
	qsort(a, n, sizeof(*a), page_common_by_name);
	for (g = 0; g < (int)NGROUPS; g++)
		agency_group(p, list, a, n, g, selected);
	agency_group(p, list, a, n, -1, selected);
	free(a);
}
