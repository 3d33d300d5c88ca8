/*
 * pages_queue.c: the staff's daily work across cases: the queue (/staf)
 * with its filters, pages in both directions and totals, the bulk
 * forward and assign (/staf/massal) with a result per case, the intake
 * form for reports from other channels (/staf/laporan-baru) and the
 * periodic report's download (/staf/laporan-berkala).
 *
 * As everywhere in the pages, the API decides: the queue is GET /cases
 * (queue.c) with the page's filters passed through and checked there, a
 * bulk action is one POST /cases/{case}/actions per case (each its own
 * transaction, so a refused one changes nothing and the others stand),
 * the intake is POST /cases (api_cases.c), which seals the contact
 * details exactly as the public form's submission does and wipes the
 * plaintext. Everything works without JavaScript; with it, bisik.js adds
 * the agency search box and a "select all" box.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/pages.h"

/* Cases one bulk action takes at most: one page of the queue, which the
 * page asks for SRV_QUEUE_LIMIT_DEFAULT at a time. With the form's other
 * fields (token, language, operation, agency, liaison) it must fit in
 * one form. */
#define BULK_MAX	SRV_QUEUE_LIMIT_DEFAULT
_Static_assert(BULK_MAX + 8 <= FORM_FIELDS_MAX, "a bulk form fits a form");

/* The queue's query parameters: the API's own (passed through to GET
 * /cases, which checks them, "limit" included: rows a page) and the
 * page's position ("pos", the number of the first row shown). */
static const char *const qkeys[] = {
	"status", "overdue", "q", "cursor", "before", "agency", "category",
	"kind", "channel", "assignee", "from", "to", "limit",
};
#define NQKEYS	(sizeof(qkeys) / sizeof(qkeys[0]))
/* The filters: the counts above the table (GET /cases/counts, by
 * status) do not apply them. */
static const char *const filters[] = {
	"q", "agency", "category", "kind", "channel", "assignee", "from", "to",
	"overdue",
};

static const char *const kinds[] = {
	"complaint", "aspiration", "information_request",
};
static const char *const *const channels = page_channels + 1;
#define NCHANNELS	5

static const char *
arg(const struct page *p, const char *name)
{
	const char *v = srv_http_query(p->rq, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Every agency's liaisons (GET /liaisons without an agency, sorted by
 * agency), an <optgroup> per agency named as in the agency choice. */
static void
liaison_groups(struct page *p, const struct page_dir *dir,
    const char *selected)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };
	const json_t	*e;
	const char	*u, *ag, *cur = NULL;
	size_t		 i;

	memset(&c, 0, sizeof(c));
	c.session = p->session;
	page_common_api(p, api_users_liaisons, &c, &out);
	if (out.status == 200)
		json_array_foreach(json_object_get(out.body, "liaisons"), i,
		    e) {
			u = json_string_value(json_object_get(e, "username"));
			ag = json_string_value(json_object_get(e, "agency"));
			if (u == NULL || ag == NULL)
				continue;
			if (cur == NULL || strcmp(cur, ag) != 0) {
				HTML(&p->h, RAW(cur != NULL ? "</optgroup>" :
				    ""), LIT("<optgroup label=\""),
				    ATTR(page_common_dir_name(dir->agencies,
				    ag)), LIT("\">"));
				cur = ag;
			}
			HTML(&p->h, LIT("<option value=\""), ATTR(u), LIT("\""),
			    RAW(selected != NULL && strcmp(selected, u) == 0 ?
			    " selected" : ""), LIT(">"), TXT(u),
			    LIT("</option>"));
		}
	if (cur != NULL)
		html_raw(&p->h, "</optgroup>");
	page_common_api_free(&out);
}

/* A filter's <select> of catalogue names (first_key + i, or the names'
 * own keys when first_key is -1), with "any" first. */
static void
choice(struct page *p, const char *id, int label, const char *const *values,
    size_t n, int first_key, const char *cur)
{
	size_t i;

	HTML(&p->h, LIT("<div><label for=\""), ATTR(id), LIT("\">"), TR(label),
	    LIT("</label><select id=\""), ATTR(id), LIT("\" name=\""), ATTR(id),
	    LIT("\"><option value=\"\">"), TR(M_Q_ANY), LIT("</option>"));
	for (i = 0; i < n; i++)
		HTML(&p->h, LIT("<option value=\""), ATTR(values[i]), LIT("\""),
		    RAW(cur != NULL && strcmp(cur, values[i]) == 0 ? " selected"
		    : ""), LIT(">"), TR(first_key >= 0 ? first_key + (int)i :
		    page_common_name_key(values[i])), LIT("</option>"));
	html_raw(&p->h, "</select></div>");
}

/* ---- the queue --------------------------------------------------------------- */

static const char *const qstatus[] = {
	"submitted", "dispositioned", "in_progress", "resolved", "closed",
	"rejected", "merged",
};

/* The status tabs with their counts (GET /cases/counts); the totals of
 * the chosen tab (or of all) into *total and *overdue. */
static void
queue_counts(struct page *p, const char *cur, long long *total,
    long long *overdue)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };
	const json_t	*o;
	long long	 t, d, all = 0, alld = 0;
	size_t		 i;

	*total = *overdue = -1;
	memset(&c, 0, sizeof(c));
	c.session = p->session;
	page_common_api(p, srv_queue_counts, &c, &out);
	if (out.status != 200) {
		page_common_api_free(&out);
		return;
	}
	for (i = 0; i < sizeof(qstatus) / sizeof(qstatus[0]); i++) {
		o = json_object_get(json_object_get(out.body, "counts"),
		    qstatus[i]);
		all += json_integer_value(json_object_get(o, "total"));
		alld += json_integer_value(json_object_get(o, "overdue"));
	}
	HTML(&p->h, LIT("<ul class=\"tabs\"><li><a href=\"/staf"),
	    RAW(page_common_lq(p,
	    1)), LIT("\""), RAW(cur == NULL ? " class=\"here\"" :
	    ""), LIT(">"), TR(M_STAF_ALL), LIT(" ("), INT(all),
	    LIT(")</a></li>"));
	if (cur == NULL) {
		*total = all;
		*overdue = alld;
	}
	for (i = 0; i < sizeof(qstatus) / sizeof(qstatus[0]); i++) {
		o = json_object_get(json_object_get(out.body, "counts"),
		    qstatus[i]);
		t = json_integer_value(json_object_get(o, "total"));
		d = json_integer_value(json_object_get(o, "overdue"));
		if (cur != NULL && strcmp(cur, qstatus[i]) == 0) {
			*total = t;
			*overdue = d;
		}
		HTML(&p->h, LIT("<li><a href=\"/staf?status="), URL(qstatus[i]),
		    ATTR(page_common_lq(p, 0)), LIT("\""), RAW(cur != NULL &&
		    strcmp(cur, qstatus[i]) == 0 ? " class=\"here\"" : ""),
		    LIT(">"), TR(page_common_status_key(qstatus[i])), LIT(" ("),
		    INT(t));
		if (d > 0)
			HTML(&p->h, LIT(", <span class=\"overdue\">"), INT(d),
			    LIT(" "), TR(M_OVERDUE), LIT("</span>"));
		if (json_integer_value(json_object_get(o, "new")) > 0)
			HTML(&p->h, LIT(", "),
			    INT((int)json_integer_value(json_object_get(o,
			    "new"))), LIT(" "), TR(M_STAF_NEW));
		html_raw(&p->h, ")</a></li>");
	}
	html_raw(&p->h, "</ul>\n");
	page_common_api_free(&out);
}

/* The filter form: GET, every field optional. */
static void
queue_filters(struct page *p, const struct srv_staff *st,
    const struct page_dir *dir)
{
	struct html	*h = &p->h;
	const json_t	*e;
	const char	*v;
	size_t		 i;

	HTML(h, LIT("<form class=\"filters\" method=\"get\" action=\"/staf\" "
	    "role=\"search\" aria-label=\""), TR(M_Q_FILTERS), LIT("\">"));
	page_common_lang_input(p);
	if ((v = arg(p, "status")) != NULL)
		HTML(h, LIT("<input type=\"hidden\" name=\"status\" value=\""),
		    ATTR(v), LIT("\">"));
	HTML(h, LIT("<div><label for=\"q\">"), TR(M_STAF_SEARCH), LIT("</label>"
	    "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\""),
	    INT(SRV_QUEUE_Q_MAX), LIT("\" value=\""), ATTR(arg(p, "q")),
	    LIT("\"></div>"));
	if (st->role != CORE_ROLE_LIAISON) {
		HTML(h, LIT("<div class=\"wide\"><label for=\"f-agency\">"),
		    TR(M_F_AGENCY), LIT("</label><select id=\"f-agency\" "
		    "name=\"agency\" data-filter=\""), ATTR(page_common_tr(p,
		    M_LAPOR_AGENCY_FILTER)), LIT("\" data-filter-help=\""),
		    ATTR(page_common_tr(p, M_LAPOR_AGENCY_FILTER_HELP)),
		    LIT("\"><option value=\"\">"), TR(M_Q_ANY),
		    LIT("</option>"));
		page_common_agency_options(p, dir->agencies, arg(p, "agency"));
		html_raw(h, "</select></div>");
	}
	HTML(h, LIT("<div><label for=\"category\">"), TR(M_F_CATEGORY),
	    LIT("</label><select id=\"category\" name=\"category\"><option "
	    "value=\"\">"), TR(M_Q_ANY), LIT("</option>"));
	json_array_foreach(dir->categories, i, e)
		if ((v = json_string_value(json_object_get(e, "id"))) != NULL)
			HTML(h, LIT("<option value=\""), ATTR(v), LIT("\""),
			    RAW(arg(p, "category") != NULL && strcmp(arg(p,
			    "category"), v) == 0 ? " selected" : ""), LIT(">"),
			    TXT(json_string_value(json_object_get(e, "name"))),
			    LIT("</option>"));
	html_raw(h, "</select></div>");
	choice(p, "kind", M_F_KIND, kinds, 3, -1, arg(p, "kind"));
	choice(p, "channel", M_F_CHANNEL, page_channels, 6, M_CH_WEB,
	    arg(p, "channel"));
	if (st->role == CORE_ROLE_AGENCY_ADMIN) {
		HTML(h, LIT("<div><label for=\"assignee\">"), TR(M_F_LIAISON),
		    LIT("</label><select id=\"assignee\" name=\"assignee\">"
		    "<option value=\"\">"), TR(M_Q_ANY), LIT("</option>"));
		(void)page_staff_common_liaison_options(p, NULL, arg(p,
		    "assignee"));
		html_raw(h, "</select></div>");
	} else if (st->role == CORE_ROLE_CENTRAL_ADMIN) {
		/* The agency filtered for, else every agency's liaisons in a
		 * group per agency, as the assign form lists them. */
		HTML(h, LIT("<div class=\"wide\"><label for=\"assignee\">"),
		    TR(M_F_LIAISON), LIT("</label><select id=\"assignee\" "
		    "name=\"assignee\"><option value=\"\">"), TR(M_Q_ANY),
		    LIT("</option>"));
		if (arg(p, "agency") != NULL)
			(void)page_staff_common_liaison_options(p, arg(p,
			    "agency"), arg(p, "assignee"));
		else
			liaison_groups(p, dir, arg(p, "assignee"));
		html_raw(h, "</select></div>");
	}
	HTML(h, LIT("<div><label for=\"from\">"), TR(M_Q_FROM), LIT("</label>"
	    "<input id=\"from\" name=\"from\" type=\"date\" value=\""),
	    ATTR(arg(p, "from")), LIT("\"></div><div><label for=\"to\">"),
	    TR(M_Q_TO), LIT("</label><input id=\"to\" name=\"to\" "
	    "type=\"date\" value=\""), ATTR(arg(p, "to")), LIT("\"></div><div "
	    "class=\"choice\"><input type=\"checkbox\" id=\"overdue\" "
	    "name=\"overdue\" value=\"1\""), RAW(arg(p, "overdue") != NULL ?
	    " checked" : ""), LIT("><label for=\"overdue\">"),
	    TR(M_STAF_ONLY_OVERDUE), LIT("</label></div><div class=\"buttons\">"
	    "<button type=\"submit\">"), TR(M_Q_APPLY),
	    LIT("</button> <a href=\"/staf"), RAW(page_common_lq(p,
	    1)), LIT("\">"), TR(M_Q_CLEAR), LIT("</a></div></form>\n"));
}

/* A link to another page of the queue: the filters, a position and the
 * page's position number. */
static void
queue_link(struct page *p, const char *key, const char *cursor, long pos)
{
	struct html	*h = &p->h;
	const char	*v;
	size_t		 i;

	html_raw(h, "/staf?");
	html_url(h, key);
	html_raw(h, "=");
	html_url(h, cursor);
	for (i = 0; i < NQKEYS; i++)
		if (strcmp(qkeys[i], "cursor") != 0 &&
		    strcmp(qkeys[i], "before") != 0 &&
		    (v = arg(p, qkeys[i])) != NULL) {
			HTML(h, LIT("&amp;"), URL(qkeys[i]), LIT("="));
			html_url(h, v);
		}
	HTML(h, LIT("&amp;pos="), INT((int)(pos < 1 ? 1 : pos)),
	    RAW(p->lang_given ? (p->lang == LANG_EN ? "&amp;lang=en" :
	    "&amp;lang=id") : ""));
}

/* One row of the queue's table. */
static void
queue_row(struct page *p, const json_t *e, const struct page_dir *dir,
    int select, size_t n)
{
	struct html	*h = &p->h;
	const char	*ref = json_string_value(json_object_get(e, "case"));
	const char	*ch = json_string_value(json_object_get(e, "channel"));
	int		 late = json_is_true(json_object_get(e, "overdue"));
	int		 days, k;

	HTML(h, LIT("<tr"), RAW(late ? " class=\"late\"" : ""), LIT(">"));
	if (select)
		HTML(h, LIT("<td><input type=\"checkbox\" name=\"case\" "
		    "id=\"pilih-"), INT((int)n), LIT("\" value=\""), ATTR(ref),
		    LIT("\" aria-label=\""), TR(M_Q_SELECT), LIT(" "),
		    ATTR(ref), LIT("\"></td>"));
	html_raw(h, "<td class=\"ref\"><a href=\"/staf/kasus/");
	html_url(h, ref);
	HTML(h, RAW(page_common_lq(p, 1)), LIT("\" translate=\"no\">"),
	    TXT(ref), LIT("</a>"));
	if (json_is_true(json_object_get(e, "unread")))
		HTML(h, LIT(" <strong>("), TR(M_STAF_NEW), LIT(")</strong>"));
	HTML(h, LIT("</td><td class=\"title\">"),
	    TXT(json_string_value(json_object_get(e, "title"))),
	    LIT("</td><td>"));
	page_common_status(p, json_string_value(json_object_get(e, "status")));
	HTML(h, LIT("</td><td>"), TXT(json_is_string(json_object_get(e,
	    "agency")) ? page_common_dir_name(dir->agencies,
	    json_string_value(json_object_get(e, "agency"))) : "–"),
	    LIT("</td><td>"), TXT(json_is_string(json_object_get(e, "category"))
	    ? page_common_dir_name(dir->categories,
	    json_string_value(json_object_get(e, "category"))) : "–"),
	    LIT("</td><td>"));
	if ((k = page_staff_common_channel_key(ch)) >= 0)
		HTML(h, TR(k));
	else
		html_text(h, ch);
	HTML(h, LIT("</td><td>"), TXT(json_is_string(json_object_get(e,
	    "liaison")) ? json_string_value(json_object_get(e, "liaison")) :
	    "–"), LIT("</td><td class=\"when\">"));
	page_common_time(p, json_string_value(json_object_get(e,
	    "created_at")));
	html_raw(h, "</td><td class=\"when\">");
	page_common_time(p, json_string_value(json_object_get(e, "due_at")));
	if (late) {
		days = page_common_days_late(p->rq->now,
		    page_common_iso(json_string_value(
		    json_object_get(e, "due_at"))));
		html_raw(h, " <span class=\"overdue\">");
		if (days == 1)
			HTML(h, TR(M_NEXT_LATE_1));
		else
			page_common_trn(p, M_NEXT_LATE, days, 0);
		html_raw(h, "</span>");
	}
	html_raw(h, "</td></tr>\n");
}

/* The bulk action under the table: forward (central admins) or assign
 * (agency admins). */
static void
queue_bulk(struct page *p, const struct srv_staff *st,
    const struct page_dir *dir)
{
	struct html *h = &p->h;

	if (st->role == CORE_ROLE_CENTRAL_ADMIN) {
		HTML(h, LIT("<fieldset class=\"bulk\"><legend>"),
		    TR(M_Q_BULK_H), LIT("</legend><p class=\"help\" "
		    "id=\"bulk-help\">"), TR(M_Q_BULK_FORWARD_HELP), LIT("</p>"
		    "<input type=\"hidden\" name=\"op\" value=\"forward\">"
		    "<label for=\"bulk-agency\">"), TR(M_F_AGENCY),
		    LIT("</label><select id=\"bulk-agency\" name=\"agency\" "
		    "required aria-describedby=\"bulk-help\" data-filter=\""),
		    ATTR(page_common_tr(p, M_LAPOR_AGENCY_FILTER)),
		    LIT("\" data-filter-help=\""), ATTR(page_common_tr(p,
		    M_LAPOR_AGENCY_FILTER_HELP)), LIT("\"><option value=\"\">"),
		    TR(M_STAF_AGENCY_PICK), LIT("</option>"));
		page_common_agency_options(p, dir->agencies, NULL);
		HTML(h, LIT("</select><p><button type=\"submit\">"),
		    TR(M_Q_BULK_FORWARD), LIT("</button></p></fieldset>\n"));
	} else if (st->role == CORE_ROLE_AGENCY_ADMIN) {
		HTML(h, LIT("<fieldset class=\"bulk\"><legend>"),
		    TR(M_Q_BULK_H), LIT("</legend><p class=\"help\" "
		    "id=\"bulk-help\">"), TR(M_Q_BULK_ASSIGN_HELP), LIT("</p>"
		    "<input type=\"hidden\" name=\"op\" value=\"assign\">"
		    "<label for=\"bulk-liaison\">"), TR(M_F_LIAISON),
		    LIT("</label><select id=\"bulk-liaison\" name=\"liaison\" "
		    "required aria-describedby=\"bulk-help\"><option "
		    "value=\"\">"), TR(M_STAF_LIAISON_PICK), LIT("</option>"));
		(void)page_staff_common_liaison_options(p, NULL, NULL);
		HTML(h, LIT("</select><p><button type=\"submit\">"),
		    TR(M_Q_BULK_ASSIGN), LIT("</button></p></fieldset>\n"));
	}
}

static void
queue_page(struct page *p, const struct srv_staff *st)
{
	struct api_call	 c;
	struct srv_reply out = { 0 };
	struct page_dir	 dir = { 0 };
	const char	*args[2 * NQKEYS + 1], *v, *next, *prev;
	const json_t	*e, *list;
	struct html	*h = &p->h;
	size_t		 i, n = 0, shown;
	long long	 total, overdue;
	long		 pos;
	int		 filtered = 0, bulk;

	memset(&out, 0, sizeof(out));
	for (i = 0; i < NQKEYS; i++)
		if ((v = arg(p, qkeys[i])) != NULL) {
			args[n++] = qkeys[i];
			args[n++] = v;
		}
	args[n] = NULL;
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (arg(p, filters[i]) != NULL)
			filtered = 1;
	pos = arg(p, "pos") != NULL ? strtol(arg(p, "pos"), NULL, 10) : 1;
	if (pos < 1 || pos > 100000000)
		pos = 1;
	page_common_head(p, page_common_tr(p, M_STAF_QUEUE), NAV_STAF,
	    PAGE_SCRIPT_PAGE);
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_STAF_QUEUE), LIT("</h1>\n"));
	if (st->role == CORE_ROLE_AUDITOR) {
		HTML(h, LIT("<p>"), TR(M_STAF_AUDITOR), LIT("</p>\n"));
		page_common_foot(p);
		return;
	}
	page_common_dir_load(p, &dir);
	queue_counts(p, arg(p, "status"), &total, &overdue);
	queue_filters(p, st, &dir);
	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.args = args;
	page_common_api(p, srv_queue_list, &c, &out);
	if (out.status != 200) {
		page_common_api_error(p, &out);
		goto done;
	}
	list = json_object_get(out.body, "cases");
	shown = json_array_size(list);
	if (arg(p, "before") != NULL)
		pos -= (long)shown;
	html_raw(h, "<p class=\"summary\">");
	if (total >= 0) {
		page_common_trn(p, M_Q_TOTAL, total, overdue);
		html_raw(h, " ");
	}
	if (shown > 0) {
		page_common_trn(p, M_Q_SHOWING, pos < 1 ? 1 : pos, (pos < 1 ? 1 : pos) +
		    (long long)shown - 1);
		html_raw(h, " ");
	}
	if (filtered)
		HTML(h, TR(M_Q_FILTERED));
	html_raw(h, "</p>\n");
	/* A page longer than one bulk action takes has no checkboxes. */
	bulk = (st->role == CORE_ROLE_CENTRAL_ADMIN ||
	    st->role == CORE_ROLE_AGENCY_ADMIN) && shown <= BULK_MAX;
	if (shown == 0)
		HTML(h, LIT("<p>"), TR(M_STAF_EMPTY), LIT("</p>\n"));
	else {
		if (bulk)
			page_staff_common_post_open(p, "/staf/massal", 0);
		HTML(h, LIT("<div class=\"table\" tabindex=\"0\" "
		    "role=\"region\" aria-label=\""), TR(M_STAF_QUEUE_CAPTION),
		    LIT("\"><table class=\"queue\"><caption>"),
		    TR(M_STAF_QUEUE_CAPTION), LIT("</caption><thead><tr>"));
		if (bulk)
			HTML(h, LIT("<th scope=\"col\"><span class=\"vh\">"),
			    TR(M_Q_SELECT), LIT("</span><input "
			    "type=\"checkbox\" hidden data-check-all=\"case\" "
			    "aria-label=\""), TR(M_Q_SELECT_ALL),
			    LIT("\"></th>"));
		HTML(h, LIT("<th scope=\"col\">"), TR(M_PANTAU_CASE),
		    LIT("</th><th scope=\"col\">"), TR(M_F_TITLE),
		    LIT("</th><th scope=\"col\">"), TR(M_STATUS),
		    LIT("</th><th scope=\"col\">"), TR(M_F_AGENCY),
		    LIT("</th><th scope=\"col\">"), TR(M_F_CATEGORY),
		    LIT("</th><th scope=\"col\">"), TR(M_F_CHANNEL),
		    LIT("</th><th scope=\"col\">"), TR(M_F_LIAISON),
		    LIT("</th><th scope=\"col\">"), TR(M_SUBMITTED_AT),
		    LIT("</th><th scope=\"col\">"), TR(M_DUE),
		    LIT("</th></tr></thead><tbody>\n"));
		json_array_foreach(list, i, e)
			queue_row(p, e, &dir, bulk, i);
		html_raw(h, "</tbody></table></div>\n");
	}
	next = json_string_value(json_object_get(out.body, "next_cursor"));
	prev = json_string_value(json_object_get(out.body, "prev_cursor"));
	if (next != NULL || prev != NULL) {
		HTML(h, LIT("<nav class=\"pager\" aria-label=\""),
		    TR(M_Q_PAGES), LIT("\"><ul>"));
		if (prev != NULL) {
			html_raw(h, "<li><a rel=\"prev\" href=\"");
			queue_link(p, "before", prev, pos);
			HTML(h, LIT("\">"), TR(M_Q_PREV), LIT("</a></li>"));
		}
		if (next != NULL) {
			html_raw(h, "<li><a rel=\"next\" href=\"");
			queue_link(p, "cursor", next, (pos < 1 ? 1 : pos) +
			    (long)shown);
			HTML(h, LIT("\">"), TR(M_NEXT_PAGE), LIT("</a></li>"));
		}
		html_raw(h, "</ul></nav>\n");
	}
	if (shown > 0 && bulk) {
		queue_bulk(p, st, &dir);
		html_raw(h, "</form>\n");
	}
 done:
	page_common_api_free(&out);
	page_common_dir_free(&dir);
	page_common_foot(p);
}

static void
queue_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	(void)c;
	(void)out;
	queue_page(p, st);
	page_common_send(p, 200);
}

/* ---- bulk forward and assign ---------------------------------------------------- */

/* A refused row: the API's reason in the page's words, and for a 409 the
 * status the case is in now (which is why it was refused). */
static void
bulk_refusal(struct page *p, const char *ref, const struct srv_reply *out)
{
	struct api_call	 c;
	struct srv_reply now = { 0 };
	const char	*code = json_string_value(json_object_get(
			    json_object_get(out->body, "error"), "code"));

	if (code != NULL && strcmp(code, "conflict") == 0)
		HTML(&p->h, TR(M_E_CONFLICT));
	else if (out->status == 404)
		HTML(&p->h, TR(M_E_NOT_FOUND));
	else if (out->status == 403)
		HTML(&p->h, TR(M_E_FORBIDDEN));
	else if (out->status == 422)
		HTML(&p->h, TR(M_E_INVALID));
	else
		HTML(&p->h, TR(M_ERR_503));
	if (out->status != 409)
		return;
	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.param0 = ref;
	page_common_api(p, api_cases_get, &c, &now);
	if (now.status == 200) {
		HTML(&p->h, LIT(" ("), TR(M_Q_BULK_NOW), LIT(": "));
		page_common_status(p,
		    json_string_value(json_object_get(now.body, "status")));
		html_raw(&p->h, ")");
	}
	page_common_api_free(&now);
}

static void
bulk_page(struct page *p, const struct srv_staff *st, unsigned *status)
{
	struct html		*h = &p->h;
	struct api_call		 c;
	struct srv_reply	 out = { 0 };
	const char		*op = page_form_text(&p->form, "op");
	const char		*target, *ref;
	const char		*field;
	size_t			 i, n = 0, done = 0, failed = 0;
	int			 forward;

	memset(&out, 0, sizeof(out));
	forward = op != NULL && strcmp(op, "forward") == 0;
	field = forward ? "agency" : "liaison";
	target = page_form_text(&p->form, field);
	for (i = 0; i < p->form.n; i++)
		if (!p->form.f[i].file && strcmp(p->form.f[i].name, "case") ==
		    0)
			n++;
	page_common_head(p, page_common_tr(p, M_Q_BULK_RESULT_H), NAV_STAF, 0);
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_Q_BULK_RESULT_H), LIT("</h1>\n"));
	*status = 200;
	if (op == NULL || (!forward && strcmp(op, "assign") != 0) || n == 0 ||
	    n > BULK_MAX || target == NULL) {
		*status = 422;
		html_raw(h, "<div class=\"alert\" role=\"alert\"><p>");
		if (n == 0)
			HTML(h, TR(M_Q_BULK_NONE));
		else if (n > BULK_MAX)
			page_common_trn(p, M_Q_BULK_TOO_MANY, BULK_MAX, 0);
		else
			HTML(h, TR(M_E_INVALID), LIT(" "), TR(forward ?
			    M_F_AGENCY : M_F_LIAISON), LIT(": "),
			    TR(M_R_REQUIRED));
		HTML(h, LIT("</p></div>\n<p><a href=\"/staf"),
		    RAW(page_common_lq(p,
		    1)), LIT("\">"), TR(M_Q_BACK), LIT("</a></p>\n"));
		page_common_foot(p);
		return;
	}
	HTML(h, LIT("<div class=\"table\" tabindex=\"0\" role=\"region\" "
	    "aria-label=\""), TR(M_Q_BULK_RESULT_H),
	    LIT("\"><table><thead><tr><th scope=\"col\">"), TR(M_PANTAU_CASE),
	    LIT("</th><th scope=\"col\">"), TR(M_Q_BULK_RESULT),
	    LIT("</th><th scope=\"col\">"), TR(M_F_REASON),
	    LIT("</th></tr></thead><tbody>\n"));
	for (i = 0; i < p->form.n; i++) {
		if (p->form.f[i].file || strcmp(p->form.f[i].name, "case") != 0)
			continue;
		ref = p->form.f[i].value;
		memset(&c, 0, sizeof(c));
		c.session = p->session;
		c.param0 = ref;
		c.body = json_pack("{s:s, s:s}", "action", forward ? "dispose" :
		    "accept", field, target);
		page_common_api(p, api_cases_action, &c, &out);
		json_decref(c.body);
		html_raw(h, "<tr><td class=\"ref\"><a href=\"/staf/kasus/");
		html_url(h, ref);
		HTML(h, RAW(page_common_lq(p, 1)), LIT("\" translate=\"no\">"),
		    TXT(ref), LIT("</a></td>"));
		if (out.status == 200) {
			done++;
			HTML(h, LIT("<td><span class=\"ok\">"), TR(M_Q_BULK_OK),
			    LIT("</span></td><td></td></tr>\n"));
		} else {
			failed++;
			HTML(h, LIT("<td><span class=\"overdue\">"),
			    TR(M_Q_BULK_FAIL), LIT("</span></td><td>"));
			bulk_refusal(p, ref, &out);
			html_raw(h, "</td></tr>\n");
		}
		page_common_api_free(&out);
	}
	html_raw(h, "</tbody></table></div>\n<p class=\"summary\">");
	page_common_trn(p, M_Q_BULK_SUMMARY, (long long)done,
	    (long long)failed);
	HTML(h, LIT("</p>\n<p><a class=\"button\" href=\"/staf"),
	    RAW(page_common_lq(p,
	    1)), LIT("\">"), TR(M_Q_BACK), LIT("</a></p>\n"));
	page_common_foot(p);
}

static void
bulk_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	unsigned		status;

	(void)c;
	(void)out;
	bulk_page(p, st, &status);
	page_common_send(p, status);
}

/* ---- intake from other channels --------------------------------------------------- */

/* Each field a refusal may name, and its input. */
static const char *const intake_ids[] = {
	"channel", "channel", "source", "source", "kind", "kind", "title",
	"title", "body", "body", "agency", "agency", "category", "category",
	"location", "location", "occurred_on", "occurred_on", "visibility",
	"visibility", "identity", "id_name", NULL,
};
/* The contact fields: form name, identity key, label. */
static const struct {
	const char	*field, *key;
	int		 label;
	const char	*type, *autocomplete;
} contact[] = {
	{ "id_name", "name", M_F_ID_NAME, "text", "off" },
	{ "id_phone", "phone", M_F_ID_PHONE, "tel", "off" },
	{ "id_email", "email", M_F_ID_EMAIL, "email", "off" },
	{ "id_nik", "nik", M_F_ID_NIK, "text", "off" },
	{ "id_address", "address", M_F_ID_ADDRESS, "text", "off" },
};

static const char *
fv(const struct page *p, const char *name)
{
	const char *v = page_form_get(&p->form, name);

	return v != NULL ? v : "";
}

static void
intake_form(struct page *p, const struct srv_staff *st,
    const struct srv_reply *err)
{
	struct html	*h = &p->h;
	struct page_dir	 dir = { 0 };
	const json_t	*e;
	const char	*v, *cur;
	size_t		 i;

	page_common_dir_load(p, &dir);
	p->field_ids = intake_ids;
	page_common_head(p, page_common_tr(p, M_STAF_INTAKE_H), NAV_STAF,
	    PAGE_SCRIPT_PAGE);
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_STAF_INTAKE_H), LIT("</h1>\n<p>"),
	    TR(M_STAF_INTAKE_INTRO), LIT("</p>\n"));
	if (err != NULL)
		page_common_api_error(p, err);
	HTML(h, LIT("<form class=\"stack narrow\" method=\"post\" "
	    "action=\"/staf/laporan-baru\" novalidate>"));
	page_common_csrf_input(p);
	page_common_lang_input(p);
	cur = page_form_get(&p->form, "channel");
	HTML(h, LIT("<label for=\"channel\">"), TR(M_F_CHANNEL), LIT(" <span "
	    "class=\"req\">*</span></label><select id=\"channel\" "
	    "name=\"channel\" required>"));
	for (i = 0; i < NCHANNELS; i++)
		HTML(h, LIT("<option value=\""), ATTR(channels[i]), LIT("\""),
		    RAW(cur != NULL && strcmp(cur, channels[i]) == 0 ?
		    " selected" : ""), LIT(">"),
		    TR(page_staff_common_channel_key(channels[i])), LIT("</option>"));
	HTML(h, LIT("</select><label for=\"source\">"), TR(M_F_SOURCE),
	    LIT("</label><p class=\"help\" id=\"source-help\">"),
	    TR(M_STAF_SOURCE_HELP), LIT("</p><input id=\"source\" "
	    "name=\"source\" type=\"text\" maxlength=\""), INT(CORE_SOURCE_MAX),
	    LIT("\" autocomplete=\"off\" aria-describedby=\"source-help\" "
	    "value=\""), ATTR(fv(p, "source")), LIT("\">"));
	cur = page_form_get(&p->form, "kind");
	HTML(h, LIT("<label for=\"kind\">"), TR(M_F_KIND), LIT("</label>"
	    "<select id=\"kind\" name=\"kind\">"));
	for (i = 0; i < 3; i++)
		HTML(h, LIT("<option value=\""), ATTR(kinds[i]), LIT("\""),
		    RAW(cur != NULL && strcmp(cur, kinds[i]) == 0 ? " selected"
		    : ""), LIT(">"), TR(page_common_name_key(kinds[i])),
		    LIT("</option>"));
	HTML(h, LIT("</select><label for=\"title\">"), TR(M_F_TITLE), LIT(" "
	    "<span class=\"req\">*</span></label><input id=\"title\" "
	    "name=\"title\" type=\"text\" required maxlength=\""),
	    INT(CORE_TITLE_MAX), LIT("\" value=\""), ATTR(fv(p, "title")),
	    LIT("\"><label for=\"body\">"), TR(M_F_BODY), LIT(" <span "
	    "class=\"req\">*</span></label><textarea id=\"body\" name=\"body\" "
	    "rows=\"8\" cols=\"60\" required maxlength=\""), INT(CORE_BODY_MAX),
	    LIT("\">"), TXT(fv(p, "body")), LIT("</textarea>"));
	HTML(h, LIT("<label for=\"agency\">"), TR(M_F_AGENCY), LIT("</label>"
	    "<select id=\"agency\" name=\"agency\" data-filter=\""),
	    ATTR(page_common_tr(p, M_LAPOR_AGENCY_FILTER)),
	    LIT("\" data-filter-help=\""), ATTR(page_common_tr(p,
	    M_LAPOR_AGENCY_FILTER_HELP)), LIT("\"><option value=\"\">"),
	    TR(M_OPT_NONE), LIT("</option>"));
	page_common_agency_options(p, dir.agencies, page_form_text(&p->form,
	    "agency"));
	HTML(h, LIT("</select><label for=\"category\">"), TR(M_F_CATEGORY),
	    LIT("</label><select id=\"category\" name=\"category\"><option "
	    "value=\"\">"), TR(M_OPT_NONE), LIT("</option>"));
	cur = page_form_text(&p->form, "category");
	json_array_foreach(dir.categories, i, e)
		if ((v = json_string_value(json_object_get(e, "id"))) != NULL)
			HTML(h, LIT("<option value=\""), ATTR(v), LIT("\""),
			    RAW(cur != NULL && strcmp(cur, v) == 0 ? " selected"
			    : ""), LIT(">"),
			    TXT(json_string_value(json_object_get(e, "name"))),
			    LIT("</option>"));
	cur = page_form_get(&p->form, "visibility");
	HTML(h, LIT("</select><label for=\"location\">"), TR(M_F_LOCATION),
	    LIT("</label><input id=\"location\" name=\"location\" "
	    "type=\"text\" maxlength=\""), INT(CORE_LOCATION_MAX),
	    LIT("\" value=\""), ATTR(fv(p, "location")),
	    LIT("\"><label for=\"occurred_on\">"), TR(M_F_OCCURRED_ON),
	    LIT("</label><input id=\"occurred_on\" name=\"occurred_on\" "
	    "type=\"date\" value=\""), ATTR(fv(p, "occurred_on")),
	    LIT("\"><label for=\"visibility\">"), TR(M_F_VISIBILITY),
	    LIT("</label><select id=\"visibility\" name=\"visibility\"><option "
	    "value=\"confidential\">"), TR(M_VIS_CONFIDENTIAL),
	    LIT("</option><option value=\"public\""), RAW(cur != NULL &&
	    strcmp(cur, "public") == 0 ? " selected" : ""), LIT(">"),
	    TR(M_VIS_PUBLIC), LIT("</option></select>"));
	HTML(h, LIT("<fieldset><legend>"), TR(M_STAF_CONTACT_H),
	    LIT("</legend>"));
	for (i = 0; i < sizeof(contact) / sizeof(contact[0]); i++)
		HTML(h, LIT("<label for=\""), ATTR(contact[i].field),
		    LIT("\">"), TR(contact[i].label),
		    LIT("</label><input id=\""), ATTR(contact[i].field),
		    LIT("\" name=\""), ATTR(contact[i].field),
		    LIT("\" type=\""), ATTR(contact[i].type),
		    LIT("\" maxlength=\""), INT(CORE_IDENTITY_FIELD_MAX),
		    LIT("\" autocomplete=\""), ATTR(contact[i].autocomplete),
		    LIT("\" value=\""), ATTR(fv(p, contact[i].field)),
		    LIT("\">"));
	HTML(h, LIT("</fieldset><p><button type=\"submit\">"),
	    TR(M_STAF_INTAKE_SEND), LIT("</button></p></form>\n"));
	page_common_dir_free(&dir);
	page_common_foot(p);
}

/* The intake body of the form: a report as the API takes it, empty
 * optional fields left out. */
static json_t *
intake_json(const struct form *f)
{
	static const char *const opt[] = { "agency", "category", "location",
	    "occurred_on", "source" };
	json_t	*o, *id = NULL;
	size_t	 i;

	if ((o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "channel",
	    page_form_text(f, "channel") ? page_form_text(f, "channel") : "",
	    "kind", page_form_text(f, "kind") ? page_form_text(f,
	    "kind") : "complaint",
	    "title", page_form_get(f, "title") ? page_form_get(f, "title") : "",
	    "body", page_form_get(f, "body") ? page_form_get(f, "body") : "",
	    "visibility", page_form_text(f, "visibility") ? page_form_text(f,
	    "visibility") : "confidential")) == NULL)
		return NULL;
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (page_form_text(f, opt[i]) != NULL)
			json_object_set_new(o, opt[i],
			    json_string(page_form_text(f, opt[i])));
	for (i = 0; i < sizeof(contact) / sizeof(contact[0]); i++)
		if (page_form_text(f, contact[i].field) != NULL) {
			if (id == NULL && (id = json_object()) != NULL)
				json_object_set_new(o, "identity", id);
			json_object_set_new(id, contact[i].key,
			    json_string(page_form_text(f, contact[i].field)));
		}
	return o;
}

static void
intake_done(struct page *p, const struct srv_staff *st, const json_t *res)
{
	struct html	*h = &p->h;
	const char	*ref = json_string_value(json_object_get(res, "case"));
	const char	*tok = json_string_value(json_object_get(res, "token"));
	char		 path[64];

	/* The token is shown this once: the language link goes to the
	 * case, never to a page holding it. */
	snprintf(path, sizeof(path), "/staf/kasus/%s", ref != NULL ? ref : "");
	p->lang_path = path;
	page_common_head(p, page_common_tr(p, M_STAF_INTAKE_DONE_H), NAV_STAF,
	    0);
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_STAF_INTAKE_DONE_H), LIT("</h1>\n<div "
	    "class=\"receipt\"><dl class=\"facts\"><dt>"), TR(M_RCPT_CASE),
	    LIT("</dt><dd class=\"caseref\" translate=\"no\">"), TXT(ref),
	    LIT("</dd></dl>\n<h2>"), TR(M_RCPT_TOKEN), LIT("</h2>\n"));
	if (tok != NULL)
		page_common_token(p, tok);
	HTML(h, LIT("<p>"), TR(M_STAF_INTAKE_TOKEN), LIT("</p></div>\n<p "
	    "class=\"cta\"><a class=\"button\" href=\"/staf/kasus/"));
	html_url(h, ref);
	HTML(h, RAW(page_common_lq(p, 1)), LIT("\">"), TR(M_STAF_OPEN_CASE),
	    LIT("</a>"
	    " <a class=\"button alt\" href=\"/staf/laporan-baru"),
	    RAW(page_common_lq(p, 1)), LIT("\">"), TR(M_STAF_INTAKE),
	    LIT("</a></p>\n"));
	page_common_foot(p);
}

static void
intake_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	(void)c;
	(void)out;
	if (st->role != CORE_ROLE_CENTRAL_ADMIN)
		page_common_fail(p, 403);
	else {
		intake_form(p, st, NULL);
		page_common_send(p, 200);
	}
}

static void
intake_post_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	/* The contact details are in the form and this body only; both
	 * are wiped when freed (page_form_free, the JSON allocator). */
	c->body = intake_json(&p->form);
	page_common_api(p, api_cases_intake, c, out);
	json_decref(c->body);
	if (out->status == 201) {
		p->lang_path = NULL;
		intake_done(p, st, out->body);
		page_common_send(p, 201);
	} else {
		intake_form(p, st, out);
		page_common_send(p, out->status);
	}
}

/* ---- the periodic report ------------------------------------------------------------ */

/* Periods offered: this year's and last year's quarters and the last
 * twelve months, newest first. */
#define PERIOD_MONTHS	12

static void
periodic_page(struct page *p, const struct srv_staff *st,
    const struct srv_reply *err)
{
	struct html	*h = &p->h;
	struct tm	 tm;
	time_t		 now = p->rq->now + CORE_TZ_OFFSET;
	int		 y, m, q, i;
	char		 v[32];

	gmtime_r(&now, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	page_common_head(p, page_common_tr(p, M_STAF_PERIODIC), NAV_STAF, 0);
	page_staff_common_nav(p, st);
	HTML(h, LIT("<h1>"), TR(M_STAF_PERIODIC), LIT("</h1>\n<p>"),
	    TR(M_STAF_PERIODIC_INTRO), LIT("</p>\n"));
	if (err != NULL)
		page_common_api_error(p, err);
	HTML(h, LIT("<form class=\"stack narrow\" method=\"get\" "
	    "action=\"/staf/laporan-berkala/unduh\">"));
	page_common_lang_input(p);
	HTML(h, LIT("<label for=\"periode\">"), TR(M_STAT_PERIOD),
	    LIT("</label><select id=\"periode\" name=\"periode\">"));
	for (q = (m + 2) / 3 + 4; q >= 1; q--) {
		/* q counts quarters from the first of last year. */
		snprintf(v, sizeof(v), "%d-Q%d", q > 4 ? y : y - 1,
		    q > 4 ? q - 4 : q);
		HTML(h, LIT("<option value=\""), ATTR(v), LIT("\">"), TXT(v),
		    LIT("</option>"));
	}
	for (i = 0; i < PERIOD_MONTHS; i++) {
		int yy = y, mm = m - i;

		while (mm < 1) {
			mm += 12;
			yy--;
		}
		snprintf(v, sizeof(v), "%04d-%02d", yy, mm);
		HTML(h, LIT("<option value=\""), ATTR(v), LIT("\">"), TR(M_MON_1
		    + mm - 1), LIT(" "), INT(yy), LIT("</option>"));
	}
	HTML(h, LIT("</select><p><button type=\"submit\">"),
	    TR(M_STAF_PERIODIC_SEND), LIT("</button></p></form>\n"));
	page_common_foot(p);
}

static int
periodic_allowed(const struct srv_staff *st)
{
	return st->role == CORE_ROLE_CENTRAL_ADMIN ||
	    st->role == CORE_ROLE_AUDITOR;
}

static void
periodic_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	(void)c;
	(void)out;
	if (!periodic_allowed(st))
		page_common_fail(p, 403);
	else {
		periodic_page(p, st, NULL);
		page_common_send(p, 200);
	}
}

static void
periodic_get_run(struct page *p, struct srv_staff *st, struct api_call *c,
    struct srv_reply *out)
{
	const char		*args[5] = { "period", NULL, "format", "csv",
				    NULL };

	if (!periodic_allowed(st)) {
		page_common_fail(p, 403);
		return;
	}
	args[1] = srv_http_query(p->rq, "periode") != NULL ?
	    srv_http_query(p->rq, "periode") : "";
	c->args = args;
	page_common_api(p, api_stats_periodic, c, out);
	if (out->status == 200 && out->raw != NULL)
		page_common_pass_raw(p, out);
	else {
		periodic_page(p, st, out);
		page_common_send(p, out->status);
	}
}

/* ---- the staff pages: route handler, flags, what the page does ---------- */

PAGE_STAFF(page_queue_staf, 0, queue_run)
PAGE_STAFF(page_queue_bulk, PAGE_STAFF_POST, bulk_run)
PAGE_STAFF(page_queue_intake, 0, intake_run)
PAGE_STAFF(page_queue_intake_post, PAGE_STAFF_POST, intake_post_run)
PAGE_STAFF(page_queue_periodic, 0, periodic_run)
PAGE_STAFF(page_queue_periodic_get, 0, periodic_get_run)
