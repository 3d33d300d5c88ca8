/*
 * pages_public.c: /publik (published resolved cases) and /statistik
 * (per-agency figures with bar charts drawn here as SVG, and the audit
 * chain's head).
 *
 * Both render the public API's answers (GET /public/cases and GET /stats)
 * as docs/openapi.yaml describes them; the handlers that give
 * those answers are called through public_source() and stats_source().
 * Where the server has no such handler yet, the pages say plainly that
 * there is no data yet rather than show anything made up. Figures the
 * API suppressed (null: fewer cases than suppression_threshold) are
 * shown as "< N", never as a number.
 *
 * The charts are inline SVG made of rect and text elements with
 * presentation attributes only (no style attribute, no script), so they
 * pass the pages' CSP, need no JavaScript, and carry a title and a table
 * with the same figures for screen readers.
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

static void
search_form(struct page *p, const char *q)
{
	html_put(&p->h, "<form class=\"inline\" method=\"get\" action=\"/publik\" "
	    "role=\"search\">");
	page_lang_input(p);
	html_put(&p->h, "<div><label for=\"q\">%t</label><input id=\"q\" "
	    "name=\"q\" type=\"search\" maxlength=\"%d\" value=\"%a\"></div>"
	    "<div><button type=\"submit\">%t</button></div></form>\n",
	    M_PUBLIK_SEARCH, SRV_QUEUE_Q_MAX, q != NULL ? q : "",
	    M_PUBLIK_SEARCH_SEND);
}

static void
public_case(struct page *p, const json_t *c)
{
	const char	*s;
	const json_t	*ph;
	size_t		 i;

	html_put(&p->h, "<article class=\"card\"><h2>%s</h2><p class=\"meta\">"
	    "<span translate=\"no\">%s</span> · ", json_string_value(
	    json_object_get(c, "title")), json_string_value(json_object_get(c,
	    "case")));
	page_status(p, json_string_value(json_object_get(c, "status")));
	if ((s = json_string_value(json_object_get(c, "agency"))) != NULL)
		html_put(&p->h, " · %s", s);
	html_put(&p->h, "</p><p class=\"pre\">%s</p>", json_string_value(
	    json_object_get(c, "body")));
	if ((s = json_string_value(json_object_get(c, "resolution"))) != NULL)
		html_put(&p->h, "<h3>%t</h3><p class=\"pre\">%s</p>",
		    M_F_RESOLUTION, s);
	/* Completion evidence: the agency copies of the resolution's
	 * photos, from this server's public API only. */
	json_array_foreach(json_object_get(c, "photos"), i, ph) {
		s = json_string_value(json_object_get(ph, "url"));
		if (s == NULL || strncmp(s, "/api/v1/public/cases/", 21) != 0 ||
		    strstr(s, "..") != NULL)
			continue;
		html_put(&p->h, "<img class=\"evidence\" src=\"%a\" alt=\"%t\" "
		    "loading=\"lazy\">", s, M_PUBLIK_EVIDENCE);
	}
	html_raw(&p->h, "</article>\n");
}

void
page_publik(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	 p;
	struct api_call	 c;
	struct srv_reply out;
	srv_handler	 src = public_source();
	const char	*q = srv_query(rq, "q"), *cur = srv_query(rq, "cursor");
	const char	*args[5], *next;
	const json_t	*e;
	size_t		 i, n = 0;

	page_init(&p, ctx, rq, rp);
	memset(&out, 0, sizeof(out));
	page_head(&p, tr(p.lang, M_PUBLIK_TITLE), NAV_PUBLIK, 0);
	html_put(&p.h, "<h1>%t</h1>\n<p class=\"lead\">%t</p>\n", M_PUBLIK_TITLE,
	    M_PUBLIK_INTRO);
	search_form(&p, q);
	if (src == NULL) {
		html_put(&p.h, "<p>%t</p>\n", M_NO_DATA);
		goto done;
	}
	memset(&c, 0, sizeof(c));
	if (q != NULL && q[0] != '\0') {
		args[n++] = "q";
		args[n++] = q;
	}
	if (cur != NULL && cur[0] != '\0') {
		args[n++] = "cursor";
		args[n++] = cur;
	}
	args[n] = NULL;
	c.args = args;
	page_api(&p, src, &c, &out);
	if (out.status != 200) {
		page_api_error(&p, &out);
		goto done;
	}
	if (json_array_size(json_object_get(out.body, "cases")) == 0)
		html_put(&p.h, "<p>%t</p>\n", M_NO_DATA);
	json_array_foreach(json_object_get(out.body, "cases"), i, e)
		public_case(&p, e);
	if ((next = json_string_value(json_object_get(out.body,
	    "next_cursor"))) != NULL) {
		html_raw(&p.h, "<p><a href=\"/publik?cursor=");
		html_url(&p.h, next);
		if (q != NULL && q[0] != '\0') {
			html_raw(&p.h, "&amp;q=");
			html_url(&p.h, q);
		}
		html_put(&p.h, "%r\">%t</a></p>\n", p.lang_given ? (p.lang ==
		    LANG_EN ? "&amp;lang=en" : "&amp;lang=id") : "", M_NEXT_PAGE);
	}
 done:
	page_api_free(&out);
	page_foot(&p);
	page_send(&p, 200);
	page_free(&p);
}

/* ---- statistics ------------------------------------------------------------ */

/*
 * A horizontal bar chart: one row per bar, the label on the left, the
 * bar scaled to the largest value (or to 100 for percentages), the value
 * (or "< N") at its end.
 */
void
page_chart(struct page *p, const char *title, const struct page_bar *b, size_t n,
    int percent, unsigned threshold)
{
	const int	 row = 22, label_w = 180, bar_w = 300, width = 560;
	double		 max = percent ? 100.0 : 0.0;
	char		 num[32], lab[40];
	size_t		 i;
	int		 y, w, height;

	if (n > CHART_ROWS_MAX)
		n = CHART_ROWS_MAX;
	for (i = 0; i < n && !percent; i++)
		if (b[i].value > max)
			max = b[i].value;
	height = (int)n * row + 8;
	html_put(&p->h, "<figure><svg class=\"chart\" xmlns=\"http://www.w3.org/"
	    "2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "role=\"img\" aria-label=\"%a\"><title>%s</title>", width, height,
	    width, height, title, title);
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
		html_put(&p->h, "<text x=\"0\" y=\"%d\">%s</text>", y + 14, lab);
		if (b[i].value < 0) {
			snprintf(num, sizeof(num), "< %u", threshold);
			w = 0;
		} else {
			if (percent)
				snprintf(num, sizeof(num), "%.0f%%", b[i].value);
			else
				snprintf(num, sizeof(num), "%.0f", b[i].value);
			w = max > 0 ? (int)(b[i].value / max * bar_w + 0.5) : 0;
		}
		html_put(&p->h, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"16\" fill=\"#0b5d4b\"/><text x=\"%d\" y=\"%d\">%s"
		    "</text>", label_w, y + 2, w, label_w + w + 6, y + 14, num);
	}
	html_put(&p->h, "</svg><figcaption>%s</figcaption></figure>\n", title);
}

/* A figure of the API: a number, or suppressed (null). */
static double
figure(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : -1;
}

static void
cell(struct page *p, double v, int percent, unsigned threshold)
{
	if (v < 0)
		html_put(&p->h, "<td>&lt; %d</td>", (int)threshold);
	else if (percent)
		html_put(&p->h, "<td>%d%%</td>", (int)(v + 0.5));
	else
		html_put(&p->h, "<td>%d</td>", (int)(v + 0.5));
}

static void
stats_render(struct page *p, const json_t *st)
{
	const json_t	*ba = json_object_get(st, "by_agency"), *e;
	unsigned	 th = p->ctx->cfg->suppression_threshold;
	struct page_bar	*vol, *ontime;
	size_t		 i, n = json_array_size(ba);
	double		 ot;

	if (n == 0) {
		html_put(&p->h, "<p>%t</p>\n", M_NO_DATA);
		return;
	}
	vol = calloc(n, sizeof(*vol));
	ontime = calloc(n, sizeof(*ontime));
	if (vol == NULL || ontime == NULL) {
		free(vol);
		free(ontime);
		p->h.failed = 1;
		return;
	}
	json_array_foreach(ba, i, e) {
		vol[i].label = ontime[i].label = json_string_value(
		    json_object_get(e, "agency"));
		vol[i].value = figure(e, "received");
		/* on_time is a share (0..1) in the API. */
		ot = figure(e, "on_time");
		ontime[i].value = ot < 0 ? -1 : ot * 100.0;
	}
	html_put(&p->h, "<h2>%t</h2>\n", M_STAT_VOLUME);
	page_chart(p, tr(p->lang, M_STAT_VOLUME), vol, n, 0, th);
	html_put(&p->h, "<h2>%t</h2>\n", M_STAT_ONTIME);
	page_chart(p, tr(p->lang, M_STAT_ONTIME), ontime, n, 1, th);
	html_put(&p->h, "<div class=\"table\"><table><caption>%t</caption>"
	    "<thead><tr><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
	    "<th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
	    "<th scope=\"col\">%t</th></tr></thead><tbody>\n", M_STAT_TABLE,
	    M_F_AGENCY, M_STAT_RECEIVED, M_STAT_RESOLVED, M_STAT_ONTIME,
	    M_STAT_MEDIAN);
	json_array_foreach(ba, i, e) {
		html_put(&p->h, "<tr><th scope=\"row\">%s</th>",
		    json_string_value(json_object_get(e, "agency")));
		cell(p, figure(e, "received"), 0, th);
		cell(p, figure(e, "resolved"), 0, th);
		cell(p, ontime[i].value, 1, th);
		cell(p, figure(e, "median_days"), 0, th);
		html_raw(&p->h, "</tr>\n");
	}
	html_raw(&p->h, "</tbody></table></div>\n");
	free(vol);
	free(ontime);
}

struct head_read {
	uint64_t	seq;
	uint8_t		hash[32], sig[64];
};

static int
head_read(struct store_txn *txn, void *arg)
{
	struct head_read *h = arg;

	return srv_audit_head(txn, &h->seq, h->hash, h->sig);
}

void
page_statistik(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p;
	struct api_call		 c;
	struct srv_reply	 out;
	struct head_read	 hr;
	srv_handler		 src = stats_source();
	char			 hex[65];
	size_t			 i;

	page_init(&p, ctx, rq, rp);
	memset(&out, 0, sizeof(out));
	page_head(&p, tr(p.lang, M_STAT_TITLE), NAV_STATISTIK, 0);
	html_put(&p.h, "<h1>%t</h1>\n<p class=\"lead\">", M_STAT_TITLE);
	page_trn(&p, M_STAT_INTRO, ctx->cfg->suppression_threshold, 0);
	html_raw(&p.h, "</p>\n");
	if (src == NULL)
		html_put(&p.h, "<p>%t</p>\n", M_NO_DATA);
	else {
		memset(&c, 0, sizeof(c));
		page_api(&p, src, &c, &out);
		if (out.status == 200)
			stats_render(&p, out.body);
		else
			page_api_error(&p, &out);
	}
	html_put(&p.h, "<h2>%t</h2>\n<p>%t</p>\n", M_STAT_AUDIT_H,
	    M_STAT_AUDIT);
	memset(&hr, 0, sizeof(hr));
	if (store_read(ctx->store, head_read, &hr) == STORE_OK) {
		for (i = 0; i < 32; i++) {
			hex[2 * i] = "0123456789abcdef"[hr.hash[i] >> 4];
			hex[2 * i + 1] = "0123456789abcdef"[hr.hash[i] & 15];
		}
		hex[64] = '\0';
		html_put(&p.h, "<dl class=\"facts\"><dt>%t</dt><dd>%d</dd>"
		    "<dt>%t</dt><dd><code class=\"mono\">%s</code></dd></dl>\n",
		    M_STAT_AUDIT_SEQ, (int)hr.seq, M_STAT_AUDIT_HASH, hex);
	} else
		html_put(&p.h, "<p>%t</p>\n", M_STAT_AUDIT_NONE);
	page_api_free(&out);
	page_foot(&p);
	page_send(&p, 200);
	page_free(&p);
}
