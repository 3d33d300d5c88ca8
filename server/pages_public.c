/*
 * pages_public.c: /publik (published resolved cases) and /statistik
 * (figures per agency and per category with bar charts drawn here as
 * SVG, and the audit chain's head).
 *
 * Both render the public API's answers (GET /public/cases and GET /stats)
 * as docs/openapi.yaml describes them; the handlers that give
 * those answers are called through public_source() and stats_source().
 * Where the server has no such handler yet, the pages say plainly that
 * there is no data yet rather than show anything made up. Agencies and
 * categories are shown by name, never by id.
 *
 * Figures the API suppressed (null: from fewer cases than
 * suppression_threshold) are shown in words, "fewer than 5 cases", never
 * as "< 5" (which reads as a value), with one line saying why; an
 * on-time share where no deadline has come due yet (the API's
 * "none_due") is "—" with its own line, never 100 % or 0 %.
 *
 * The charts are inline SVG made of rect and text elements with
 * presentation attributes only (no style attribute, no script), so they
 * pass the pages' CSP, need no JavaScript, and carry a title and a table
 * with the same figures for screen readers. A table that may scroll
 * sideways on a phone sits in a labelled region a keyboard can reach.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

/* Bars in one chart at most: the directory's ~80 top-level agencies fit;
 * more are listed in the table only. */
#define CHART_ROWS_MAX	100

/* The public API handlers, when the server has them (NULL: not yet). */
static srv_handler
public_source(void)
{
	return PAGES_PUBLIC_CASES;
}

static srv_handler
stats_source(void)
{
	return PAGES_STATS;
}

/* The category filter's choices: the directory's, "Lainnya" last as on
 * the form. */
static int
cat_order(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a,
	    "name"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b,
	    "name"));
	const char *xi = json_string_value(json_object_get(*(json_t *const *)a,
	    "id"));
	const char *yi = json_string_value(json_object_get(*(json_t *const *)b,
	    "id"));
	int ox = xi != NULL && strcmp(xi, "lainnya") == 0;
	int oy = yi != NULL && strcmp(yi, "lainnya") == 0;

	if (ox != oy)
		return ox - oy;
	return strcmp(x != NULL ? x : "", y != NULL ? y : "");
}

static void
search_form(struct page *p, const char *q, const char *cat,
    const struct page_dir *dir)
{
	json_t		**a = NULL, *v;
	const char	*id;
	size_t		 i, n = json_array_size(dir->categories);

	HTML(&p->h, LIT("<form class=\"inline\" method=\"get\" "
	    "action=\"/publik\" role=\"search\">"));
	page_common_lang_input(p);
	HTML(&p->h, LIT("<div><label for=\"q\">"), TR(M_PUBLIK_SEARCH),
	    LIT("</label><input id=\"q\" name=\"q\" type=\"search\" "
	    "maxlength=\""), INT(SRV_QUEUE_Q_MAX), LIT("\" value=\""), ATTR(q !=
	    NULL ? q : ""), LIT("\"></div><div><label for=\"kategori\">"),
	    TR(M_PUBLIK_CATEGORY), LIT("</label><select id=\"kategori\" "
	    "name=\"kategori\"><option value=\"\">"), TR(M_PUBLIK_ALL),
	    LIT("</option>"));
	if (n > 0 && (a = calloc(n, sizeof(*a))) != NULL) {
		json_array_foreach(dir->categories, i, v)
			a[i] = v;
		qsort(a, n, sizeof(*a), cat_order);
		for (i = 0; i < n; i++)
			if ((id = json_string_value(json_object_get(a[i],
			    "id"))) != NULL)
				HTML(&p->h, LIT("<option value=\""), ATTR(id),
				    LIT("\""), RAW(cat != NULL && strcmp(cat,
				    id) == 0 ? " selected" : ""), LIT(">"),
				    TXT(json_string_value(json_object_get(a[i],
				    "name"))), LIT("</option>"));
	}
	free(a);
	HTML(&p->h, LIT("</select></div><div><button type=\"submit\">"),
	    TR(M_PUBLIK_SEARCH_SEND), LIT("</button></div></form>\n"));
}

/* A date of the API in words (WIB), or nothing. */
static void
dated(struct page *p, int label, const char *iso)
{
	if (iso == NULL || page_common_iso(iso) == -1)
		return;
	HTML(&p->h, LIT(" · "), TR(label), LIT(" "));
	page_common_date(p, page_common_iso(iso));
}

static void
public_case(struct page *p, const json_t *c, const struct page_dir *dir)
{
	const char	*s;
	const json_t	*ph;
	size_t		 i;

	HTML(&p->h, LIT("<article class=\"card\"><h2>"),
	    TXT(json_string_value(json_object_get(c, "title"))), LIT("</h2><p "
	    "class=\"meta\"><span translate=\"no\">"),
	    TXT(json_string_value(json_object_get(c, "case"))),
	    LIT("</span> · "));
	page_common_status(p, json_string_value(json_object_get(c, "status")));
	if ((s = json_string_value(json_object_get(c, "agency"))) != NULL)
		HTML(&p->h, LIT(" · "), TXT(page_common_dir_name(dir->agencies,
		    s)));
	if ((s = json_string_value(json_object_get(c, "category"))) != NULL)
		HTML(&p->h, LIT(" · "),
		    TXT(page_common_dir_name(dir->categories, s)));
	dated(p, M_PUBLIK_RESOLVED, json_string_value(json_object_get(c,
	    "resolved_at")));
	dated(p, M_PUBLIK_PUBLISHED, json_string_value(json_object_get(c,
	    "published_at")));
	HTML(&p->h, LIT("</p><p class=\"pre\">"),
	    TXT(json_string_value(json_object_get(c, "body"))), LIT("</p>"));
	if ((s = json_string_value(json_object_get(c, "resolution"))) != NULL)
		HTML(&p->h, LIT("<h3>"), TR(M_F_RESOLUTION),
		    LIT("</h3><p class=\"pre\">"), TXT(s), LIT("</p>"));
	/* Completion evidence: the agency copies of the resolution's
	 * photos, from this server's public API only. */
	json_array_foreach(json_object_get(c, "photos"), i, ph) {
		s = json_string_value(json_object_get(ph, "url"));
		if (s == NULL || strncmp(s, "/api/v1/public/cases/", 21) != 0 ||
		    strstr(s, "..") != NULL)
			continue;
		HTML(&p->h, LIT("<img class=\"evidence\" src=\""), ATTR(s),
		    LIT("\" alt=\""), TR(M_PUBLIK_EVIDENCE),
		    LIT("\" loading=\"lazy\">"));
	}
	html_raw(&p->h, "</article>\n");
}

void
page_public_publik(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	 p = { 0 };
	struct page_dir	 dir = { NULL, NULL };
	struct api_call	 c;
	struct srv_reply out = { 0 };
	srv_handler	 src = public_source();
	const char	*q = srv_http_query(rq, "q"), *cur = srv_http_query(rq,
	    "cursor");
	const char	*cat = srv_http_query(rq, "kategori");
	const char	*args[7], *next;
	const json_t	*e;
	size_t		 i, n = 0;

	page_common_init(&p, ctx, rq, rp);
	page_common_dir_load(&p, &dir);
	if (q != NULL && q[0] == '\0')
		q = NULL;
	if (cat != NULL && cat[0] == '\0')
		cat = NULL;
	page_common_head(&p, page_common_tr(&p, M_PUBLIK_TITLE), NAV_PUBLIK, 0);
	HTML(&p.h, LIT("<h1>"), TR(M_PUBLIK_TITLE),
	    LIT("</h1>\n<p class=\"lead\">"), TR(M_PUBLIK_INTRO), LIT("</p>\n"
	    "<p><a href=\"/api/v1/public/feed.atom\" "
	    "type=\"application/atom+xml\">"), TR(M_PUBLIK_FEED),
	    LIT("</a></p>\n"));
	search_form(&p, q, cat, &dir);
	if (src == NULL) {
		HTML(&p.h, LIT("<p>"), TR(M_NO_DATA), LIT("</p>\n"));
		goto done;
	}
	memset(&c, 0, sizeof(c));
	if (q != NULL) {
		args[n++] = "q";
		args[n++] = q;
	}
	if (cat != NULL) {
		args[n++] = "category";
		args[n++] = cat;
	}
	if (cur != NULL && cur[0] != '\0') {
		args[n++] = "cursor";
		args[n++] = cur;
	}
	args[n] = NULL;
	c.args = args;
	page_common_api(&p, src, &c, &out);
	if (out.status != 200) {
		page_common_api_error(&p, &out);
		goto done;
	}
	if (json_array_size(json_object_get(out.body, "cases")) == 0)
		HTML(&p.h, LIT("<p class=\"notice\" role=\"status\">"), TR(q !=
		    NULL || cat != NULL ? M_PUBLIK_NONE_Q : M_PUBLIK_NONE),
		    LIT("</p>\n"));
	json_array_foreach(json_object_get(out.body, "cases"), i, e)
		public_case(&p, e, &dir);
	if ((next = json_string_value(json_object_get(out.body,
	    "next_cursor"))) != NULL) {
		html_raw(&p.h, "<p><a href=\"/publik?cursor=");
		html_url(&p.h, next);
		if (q != NULL) {
			html_raw(&p.h, "&amp;q=");
			html_url(&p.h, q);
		}
		if (cat != NULL) {
			html_raw(&p.h, "&amp;kategori=");
			html_url(&p.h, cat);
		}
		HTML(&p.h, RAW(p.lang_given ? (p.lang == LANG_EN ?
		    "&amp;lang=en" : "&amp;lang=id") : ""), LIT("\">"),
		    TR(M_NEXT_PAGE), LIT("</a></p>\n"));
	}
 done:
	page_common_api_free(&out);
	page_common_dir_free(&dir);
	page_common_foot(&p);
	page_common_send(&p, 200);
	page_common_free(&p);
}

/* ---- statistics ------------------------------------------------------------ */

/* A suppressed figure in words: "fewer than 5 cases". */
static void
small_text(struct page *p, unsigned threshold, char *out, size_t len)
{
	const char	*s = page_common_tr(p, M_STAT_SMALL), *q;
	size_t		 o = 0;

	for (q = s; *q != '\0' && o + 12 < len; q++) {
		if (q[0] == '{' && q[1] == '1' && q[2] == '}') {
			o += (size_t)snprintf(out + o, len - o, "%u",
			    threshold);
			q += 2;
		} else
			out[o++] = *q;
	}
	out[o] = '\0';
}

/*
 * A horizontal bar chart: one row per bar, the label on the left, the
 * bar scaled to the largest value (or to 100 for percentages), the value
 * (or "fewer than N cases", or "—" where nothing is measured) at its end.
 */
void
page_public_chart(struct page *p, const char *title, const struct page_bar *b, size_t n,
    int percent, unsigned threshold)
{
	const int	 row = 22, label_w = 200, bar_w = 250, width = 560;
	double		 max = percent ? 100.0 : 0.0;
	char		 num[96], lab[40];
	size_t		 i;
	int		 y, w, height;

	if (n > CHART_ROWS_MAX)
		n = CHART_ROWS_MAX;
	for (i = 0; i < n && !percent; i++)
		if (b[i].value > max)
			max = b[i].value;
	height = (int)n * row + 8;
	HTML(&p->h, LIT("<figure><svg class=\"chart\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "), INT(width),
	    LIT(" "), INT(height), LIT("\" width=\""), INT(width),
	    LIT("\" height=\""), INT(height),
	    LIT("\" role=\"img\" aria-label=\""), ATTR(title),
	    LIT("\"><title>"), TXT(title), LIT("</title>"));
	for (i = 0; i < n; i++) {
		y = (int)i * row + 4;
		/* Long names are cut for the chart; the table has them whole. */
		snprintf(lab, sizeof(lab), "%s", b[i].label != NULL ?
		    b[i].label : "");
		if (strlen(b[i].label != NULL ? b[i].label : "") >= sizeof(lab) - 1) {
			size_t k = sizeof(lab) - 5;

			while (k > 0 && ((unsigned char)lab[k] & 0xc0) == 0x80)
				k--;
			snprintf(lab + k, sizeof(lab) - k, "...");
		}
		HTML(&p->h, LIT("<text x=\"0\" y=\""), INT(y + 14), LIT("\">"),
		    TXT(lab), LIT("</text>"));
		w = 0;
		if (b[i].value == PAGE_BAR_NONE)
			snprintf(num, sizeof(num), "%s", page_common_tr(p,
			    M_STAT_NONE_DUE));
		else if (b[i].value < 0)
			small_text(p, threshold, num, sizeof(num));
		else {
			if (percent)
				snprintf(num, sizeof(num), "%.0f%%", b[i].value);
			else
				snprintf(num, sizeof(num), "%.0f", b[i].value);
			w = max > 0 ? (int)(b[i].value / max * bar_w + 0.5) : 0;
		}
		HTML(&p->h, LIT("<rect x=\""), INT(label_w), LIT("\" y=\""),
		    INT(y + 2), LIT("\" width=\""), INT(w), LIT("\" "
		    "height=\"16\" fill=\"#0b5d4b\"/><text x=\""), INT(label_w +
		    w + 6), LIT("\" y=\""), INT(y + 14), LIT("\">"), TXT(num),
		    LIT("</text>"));
	}
	HTML(&p->h, LIT("</svg><figcaption>"), TXT(title),
	    LIT("</figcaption></figure>\n"));
}

/* A figure of the API: a number, or suppressed (null). */
static double
figure(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : -1;
}

/* The on-time share in percent; PAGE_BAR_NONE when nothing was due. */
static double
on_time(const json_t *o)
{
	double ot = figure(o, "on_time");

	if (ot < 0 && json_is_true(json_object_get(o, "none_due")))
		return PAGE_BAR_NONE;
	return ot < 0 ? -1 : ot * 100.0;
}

/* What a table showed that needs its line of explanation. */
struct stat_notes {
	int	small, none_due;
};

static void
cell(struct page *p, double v, int kind, struct stat_notes *nt)
{
	char buf[96];

	if (v == PAGE_BAR_NONE) {
		nt->none_due = 1;
		HTML(&p->h, LIT("<td>"), TR(M_STAT_NONE_DUE), LIT("</td>"));
	} else if (v < 0) {
		nt->small = 1;
		small_text(p, p->ctx->cfg->suppression_threshold, buf,
		    sizeof(buf));
		HTML(&p->h, LIT("<td class=\"small\">"), TXT(buf),
		    LIT("</td>"));
	} else if (kind == 1)
		HTML(&p->h, LIT("<td>"), INT((int)(v + 0.5)), LIT("%</td>"));
	else if (kind == 2) {
		snprintf(buf, sizeof(buf), "%.1f", v);
		if (p->lang == LANG_ID && strchr(buf, '.') != NULL)
			*strchr(buf, '.') = ',';
		HTML(&p->h, LIT("<td>"), TXT(buf), LIT("</td>"));
	} else
		HTML(&p->h, LIT("<td>"), INT((int)(v + 0.5)), LIT("</td>"));
}

static void
stat_row(struct page *p, const char *name, const json_t *e, int total,
    struct stat_notes *nt)
{
	HTML(&p->h, LIT("<tr"), RAW(total ? " class=\"total\"" : ""),
	    LIT("><th scope=\"row\">"), TXT(name), LIT("</th>"));
	cell(p, figure(e, "received"), 0, nt);
	cell(p, figure(e, "resolved"), 0, nt);
	cell(p, on_time(e), 1, nt);
	cell(p, figure(e, "median_days"), 0, nt);
	cell(p, figure(e, "satisfaction"), 2, nt);
	html_raw(&p->h, "</tr>\n");
}

/* A scrolling table a keyboard can reach (a focusable, labelled region). */
static void
table_open(struct page *p, int caption, int first)
{
	HTML(&p->h, LIT("<div class=\"table\" tabindex=\"0\" role=\"region\" "
	    "aria-label=\""), ATTR(page_common_tr(p, caption)),
	    LIT("\"><table><caption>"), TR(caption),
	    LIT("</caption><thead><tr><th scope=\"col\">"), TR(first),
	    LIT("</th><th scope=\"col\">"), TR(M_STAT_RECEIVED),
	    LIT("</th><th scope=\"col\">"), TR(M_STAT_RESOLVED),
	    LIT("</th><th scope=\"col\">"), TR(M_STAT_ONTIME),
	    LIT("</th><th scope=\"col\">"), TR(M_STAT_MEDIAN),
	    LIT("</th><th scope=\"col\">"), TR(M_STAT_SATISFACTION),
	    LIT("</th></tr></thead><tbody>\n"));
}

/* The name of a row (an agency or category of the API), never its id. */
static const char *
row_name(const json_t *e, const char *idkey, const json_t *list)
{
	const char *name = json_string_value(json_object_get(e, "name"));

	if (name != NULL)
		return name;
	return page_common_dir_name(list, json_string_value(json_object_get(e,
	    idkey)));
}

static void
stats_render(struct page *p, const json_t *st, const struct page_dir *dir)
{
	const json_t	*ba = json_object_get(st, "by_agency");
	const json_t	*bc = json_object_get(st, "by_category"), *e;
	const json_t	*un = json_object_get(st, "unassigned");
	unsigned	 th = p->ctx->cfg->suppression_threshold;
	struct page_bar	*vol, *ontime;
	struct stat_notes nt = { 0, 0 };
	size_t		 i, n = json_array_size(ba);
	const char	*name;

	if (n == 0 && !json_is_object(un)) {
		HTML(&p->h, LIT("<p>"), TR(M_NO_DATA), LIT("</p>\n"));
		return;
	}
	vol = calloc(n + 1, sizeof(*vol));
	ontime = calloc(n + 1, sizeof(*ontime));
	if (vol == NULL || ontime == NULL) {
		free(vol);
		free(ontime);
		p->h.b.fail = 1;
		return;
	}
	json_array_foreach(ba, i, e) {
		vol[i].label = ontime[i].label = row_name(e, "agency",
		    dir->agencies);
		vol[i].value = figure(e, "received");
		ontime[i].value = on_time(e);
	}
	if (n > 0) {
		HTML(&p->h, LIT("<h2>"), TR(M_STAT_VOLUME), LIT("</h2>\n"));
		page_public_chart(p, page_common_tr(p, M_STAT_VOLUME), vol, n,
		    0, th);
		HTML(&p->h, LIT("<h2>"), TR(M_STAT_ONTIME), LIT("</h2>\n"));
		page_public_chart(p, page_common_tr(p, M_STAT_ONTIME), ontime,
		    n, 1, th);
	}
	HTML(&p->h, LIT("<h2>"), TR(M_STAT_TABLE), LIT("</h2>\n"));
	table_open(p, M_STAT_TABLE, M_F_AGENCY);
	json_array_foreach(ba, i, e)
		stat_row(p, row_name(e, "agency", dir->agencies), e, 0, &nt);
	if (json_is_object(un))
		stat_row(p, page_common_tr(p, M_STAT_UNASSIGNED), un, 0, &nt);
	html_raw(&p->h, "</tbody><tfoot>");
	stat_row(p, page_common_tr(p, M_STAT_TOTAL), json_object_get(st,
	    "total"), 1, &nt);
	html_raw(&p->h, "</tfoot></table></div>\n");
	if (json_array_size(bc) > 0) {
		HTML(&p->h, LIT("<h2>"), TR(M_STAT_CATEGORIES), LIT("</h2>\n"));
		table_open(p, M_STAT_TABLE_CAT, M_F_CATEGORY);
		json_array_foreach(bc, i, e) {
			name = json_is_string(json_object_get(e, "category")) ?
			    row_name(e, "category", dir->categories) :
			    page_common_tr(p, M_FACT_NOT_GIVEN);
			stat_row(p, name, e, 0, &nt);
		}
		html_raw(&p->h, "</tbody></table></div>\n");
	}
	/* Each mark the tables used, explained once. */
	html_raw(&p->h, "<ul class=\"notes\">");
	if (nt.small) {
		html_raw(&p->h, "<li>");
		page_common_trn(p, M_STAT_SMALL_WHY, th, 0);
		html_raw(&p->h, "</li>");
	}
	if (nt.none_due)
		HTML(&p->h, LIT("<li>"), TR(M_STAT_NONE_DUE_WHY), LIT("</li>"));
	HTML(&p->h, LIT("<li>"), TR(M_STAT_SATISFACTION_WHY),
	    LIT("</li></ul>\n"));
	free(vol);
	free(ontime);
}

/* Periods offered: all time, and this year and the last, each whole
 * and by quarter (those begun). */
#define PERIOD_YEARS	2

static void
period_form(struct page *p, const char *cur)
{
	struct tm	tm;
	time_t		now = p->rq->now + CORE_TZ_OFFSET;
	char		v[32];
	int		y, q, last;

	gmtime_r(&now, &tm);
	HTML(&p->h, LIT("<form class=\"inline\" method=\"get\" "
	    "action=\"/statistik\">"));
	page_common_lang_input(p);
	HTML(&p->h, LIT("<div><label for=\"periode\">"), TR(M_STAT_PERIOD),
	    LIT("</label><select id=\"periode\" name=\"periode\"><option "
	    "value=\"\">"), TR(M_STAT_PERIOD_ALL), LIT("</option>"));
	for (y = tm.tm_year + 1900; y > tm.tm_year + 1900 - PERIOD_YEARS;
	    y--) {
		last = y == tm.tm_year + 1900 ? tm.tm_mon / 3 + 1 : 4;
		snprintf(v, sizeof(v), "%d", y);
		HTML(&p->h, LIT("<option value=\""), ATTR(v), LIT("\""), RAW(cur
		    != NULL && strcmp(cur, v) == 0 ? " selected" : ""),
		    LIT(">"), TXT(v), LIT("</option>"));
		for (q = 1; q <= last; q++) {
			snprintf(v, sizeof(v), "%d-Q%d", y, q);
			HTML(&p->h, LIT("<option value=\""), ATTR(v), LIT("\""),
			    RAW(cur != NULL && strcmp(cur, v) == 0 ? " selected"
			    : ""), LIT(">"), TXT(v), LIT("</option>"));
		}
	}
	HTML(&p->h, LIT("</select></div><div><button type=\"submit\">"),
	    TR(M_STAT_PERIOD_SEND), LIT("</button></div></form>\n"));
}

void
page_public_statistik(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p;
	struct page_dir		 dir = { NULL, NULL };
	struct api_call		 c;
	struct srv_reply	 out = { 0 };
	struct srv_audit_tip	 hr;
	srv_handler		 src = stats_source();
	const char		*per = srv_http_query(rq, "periode"), *args[5];
	char			 hex[65];
	int32_t			 a, b;

	page_common_init(&p, ctx, rq, rp);
	page_common_dir_load(&p, &dir);
	/* Only a period the API reads (YYYY, YYYY-MM, YYYY-Qn) is passed. */
	if (per != NULL && (per[0] == '\0' || core_period_parse(per, &a,
	    &b) == -1))
		per = NULL;
	page_common_head(&p, page_common_tr(&p, M_STAT_TITLE), NAV_STATISTIK,
	    0);
	HTML(&p.h, LIT("<h1>"), TR(M_STAT_TITLE),
	    LIT("</h1>\n<p class=\"lead\">"));
	page_common_trn(&p, M_STAT_INTRO, ctx->cfg->suppression_threshold, 0);
	html_raw(&p.h, "</p>\n");
	period_form(&p, per);
	if (src == NULL)
		HTML(&p.h, LIT("<p>"), TR(M_NO_DATA), LIT("</p>\n"));
	else {
		memset(&c, 0, sizeof(c));
		if (per != NULL) {
			args[0] = "from";
			args[1] = per;
			args[2] = "to";
			args[3] = per;
			args[4] = NULL;
			c.args = args;
		}
		page_common_api(&p, src, &c, &out);
		if (out.status == 200)
			stats_render(&p, out.body, &dir);
		else
			page_common_api_error(&p, &out);
	}
	HTML(&p.h, LIT("<h2>"), TR(M_STAT_AUDIT_H), LIT("</h2>\n<p>"),
	    TR(M_STAT_AUDIT), LIT("</p>\n"));
	if (srv_audit_tip(ctx->store, &hr) == STORE_OK && hr.found) {
		core_hex_encode(hr.hash, sizeof(hr.hash), hex);
		HTML(&p.h, LIT("<dl class=\"facts audit\"><dt>"),
		    TR(M_STAT_AUDIT_SEQ), LIT("</dt><dd>"), INT((int)hr.seq),
		    LIT("</dd><dt>"), TR(M_STAT_AUDIT_HASH),
		    LIT("</dt><dd><code class=\"mono\">"), TXT(hex),
		    LIT("</code></dd></dl>\n"));
	} else
		HTML(&p.h, LIT("<p>"), TR(M_STAT_AUDIT_NONE), LIT("</p>\n"));
	page_common_api_free(&out);
	page_common_dir_free(&dir);
	page_common_foot(&p);
	page_common_send(&p, 200);
	page_common_free(&p);
}
