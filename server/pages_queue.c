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
	const char *v = srv_query(p->rq, name);

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
	page_api(p, api_liaisons, &c, &out);
	if (out.status == 200)
		json_array_foreach(json_object_get(out.body, "liaisons"), i,
		    e) {
			u = json_string_value(json_object_get(e, "username"));
			ag = json_string_value(json_object_get(e, "agency"));
			if (u == NULL || ag == NULL)
				continue;
			if (cur == NULL || strcmp(cur, ag) != 0) {
				html_put(&p->h, "%r<optgroup label=\"%a\">",
				    cur != NULL ? "</optgroup>" : "",
				    page_dir_name(dir->agencies, ag));
				cur = ag;
			}
			html_put(&p->h, "<option value=\"%a\"%r>%s</option>", u,
			    selected != NULL && strcmp(selected, u) == 0 ?
			    " selected" : "", u);
		}
	if (cur != NULL)
		html_raw(&p->h, "</optgroup>");
	page_api_free(&out);
}

/* A filter's <select> of catalogue names (first_key + i, or the names'
 * own keys when first_key is -1), with "any" first. */
static void
choice(struct page *p, const char *id, int label, const char *const *values,
    size_t n, int first_key, const char *cur)
{
	size_t i;

	html_put(&p->h, "<div><label for=\"%a\">%t</label><select id=\"%a\" "
	    "name=\"%a\"><option value=\"\">%t</option>", id, label, id, id,
	    M_Q_ANY);
	for (i = 0; i < n; i++)
		html_put(&p->h, "<option value=\"%a\"%r>%t</option>", values[i],
		    cur != NULL && strcmp(cur, values[i]) == 0 ? " selected" :
		    "", first_key >= 0 ? first_key + (int)i :
		    page_name_key(values[i]));
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
	page_api(p, api_cases_counts, &c, &out);
	if (out.status != 200) {
		page_api_free(&out);
		return;
	}
	for (i = 0; i < sizeof(qstatus) / sizeof(qstatus[0]); i++) {
		o = json_object_get(json_object_get(out.body, "counts"),
		    qstatus[i]);
		all += json_integer_value(json_object_get(o, "total"));
		alld += json_integer_value(json_object_get(o, "overdue"));
	}
	html_put(&p->h, "<ul class=\"tabs\"><li><a href=\"/staf%r\"%r>%t (%d)"
	    "</a></li>", page_lq(p, 1), cur == NULL ? " class=\"here\"" : "", M_STAF_ALL, all);
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
		html_put(&p->h, "<li><a href=\"/staf?status=%u%a\"%r>%t (%d",
		    qstatus[i], page_lq(p, 0), cur != NULL && strcmp(cur,
		    qstatus[i]) == 0 ? " class=\"here\"" :
		    "", page_status_key(qstatus[i]), t);
		if (d > 0)
			html_put(&p->h, ", <span class=\"overdue\">%d %t</span>",
			    d, M_OVERDUE);
		if (json_integer_value(json_object_get(o, "new")) > 0)
			html_put(&p->h, ", %d %t", (int)json_integer_value(
			    json_object_get(o, "new")), M_STAF_NEW);
		html_raw(&p->h, ")</a></li>");
	}
	html_raw(&p->h, "</ul>\n");
	page_api_free(&out);
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

	html_put(h, "<form class=\"filters\" method=\"get\" action=\"/staf\" "
	    "role=\"search\" aria-label=\"%t\">", M_Q_FILTERS);
	page_lang_input(p);
	if ((v = arg(p, "status")) != NULL)
		html_put(h, "<input type=\"hidden\" name=\"status\" "
		    "value=\"%a\">", v);
	html_put(h, "<div><label for=\"q\">%t</label><input id=\"q\" name=\"q\" "
	    "type=\"search\" maxlength=\"%d\" value=\"%a\"></div>",
	    M_STAF_SEARCH, SRV_QUEUE_Q_MAX, arg(p, "q"));
	if (st->role != CORE_ROLE_LIAISON) {
		html_put(h, "<div class=\"wide\"><label for=\"f-agency\">%t"
		    "</label><select id=\"f-agency\" name=\"agency\" "
		    "data-filter=\"%a\" data-filter-help=\"%a\"><option "
		    "value=\"\">%t</option>", M_F_AGENCY, page_tr(p,
		    M_LAPOR_AGENCY_FILTER), page_tr(p,
		    M_LAPOR_AGENCY_FILTER_HELP), M_Q_ANY);
		page_agency_options(p, dir->agencies, arg(p, "agency"));
		html_raw(h, "</select></div>");
	}
	html_put(h, "<div><label for=\"category\">%t</label><select "
	    "id=\"category\" name=\"category\"><option value=\"\">%t</option>",
	    M_F_CATEGORY, M_Q_ANY);
	json_array_foreach(dir->categories, i, e)
		if ((v = json_string_value(json_object_get(e, "id"))) != NULL)
			html_put(h, "<option value=\"%a\"%r>%s</option>", v,
			    arg(p, "category") != NULL && strcmp(arg(p,
			    "category"), v) == 0 ? " selected" : "",
			    json_string_value(json_object_get(e, "name")));
	html_raw(h, "</select></div>");
	choice(p, "kind", M_F_KIND, kinds, 3, -1, arg(p, "kind"));
	choice(p, "channel", M_F_CHANNEL, page_channels, 6, M_CH_WEB,
	    arg(p, "channel"));
	if (st->role == CORE_ROLE_AGENCY_ADMIN) {
		html_put(h, "<div><label for=\"assignee\">%t</label><select "
		    "id=\"assignee\" name=\"assignee\"><option value=\"\">%t"
		    "</option>", M_F_LIAISON, M_Q_ANY);
		(void)page_liaison_options(p, NULL, arg(p, "assignee"));
		html_raw(h, "</select></div>");
	} else if (st->role == CORE_ROLE_CENTRAL_ADMIN) {
		/* The agency filtered for, else every agency's liaisons in a
		 * group per agency, as the assign form lists them. */
		html_put(h, "<div class=\"wide\"><label for=\"assignee\">%t"
		    "</label><select id=\"assignee\" name=\"assignee\"><option "
		    "value=\"\">%t</option>", M_F_LIAISON, M_Q_ANY);
		if (arg(p, "agency") != NULL)
			(void)page_liaison_options(p, arg(p, "agency"),
			    arg(p, "assignee"));
		else
			liaison_groups(p, dir, arg(p, "assignee"));
		html_raw(h, "</select></div>");
	}
	html_put(h, "<div><label for=\"from\">%t</label><input id=\"from\" "
	    "name=\"from\" type=\"date\" value=\"%a\"></div><div><label "
	    "for=\"to\">%t</label><input id=\"to\" name=\"to\" type=\"date\" "
	    "value=\"%a\"></div><div class=\"choice\"><input "
	    "type=\"checkbox\" id=\"overdue\" name=\"overdue\" value=\"1\"%r>"
	    "<label for=\"overdue\">%t</label></div><div class=\"buttons\">"
	    "<button type=\"submit\">%t</button> <a href=\"/staf%r\">%t</a>"
	    "</div></form>\n", M_Q_FROM, arg(p, "from"), M_Q_TO, arg(p, "to"),
	    arg(p, "overdue") != NULL ? " checked" : "", M_STAF_ONLY_OVERDUE,
	    M_Q_APPLY, page_lq(p, 1), M_Q_CLEAR);
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
			html_put(h, "&amp;%u=", qkeys[i]);
			html_url(h, v);
		}
	html_put(h, "&amp;pos=%d%r", (int)(pos < 1 ? 1 : pos), p->lang_given ?
	    (p->lang == LANG_EN ? "&amp;lang=en" : "&amp;lang=id") : "");
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

	html_put(h, "<tr%r>", late ? " class=\"late\"" : "");
	if (select)
		html_put(h, "<td><input type=\"checkbox\" name=\"case\" "
		    "id=\"pilih-%d\" value=\"%a\" aria-label=\"%t %a\"></td>",
		    (int)n, ref, M_Q_SELECT, ref);
	html_raw(h, "<td class=\"ref\"><a href=\"/staf/kasus/");
	html_url(h, ref);
	html_put(h, "%r\" translate=\"no\">%s</a>", page_lq(p, 1), ref);
	if (json_is_true(json_object_get(e, "unread")))
		html_put(h, " <strong>(%t)</strong>", M_STAF_NEW);
	html_put(h, "</td><td class=\"title\">%s</td><td>", json_string_value(
	    json_object_get(e, "title")));
	page_status(p, json_string_value(json_object_get(e, "status")));
	html_put(h, "</td><td>%s</td><td>%s</td><td>",
	    json_is_string(json_object_get(e, "agency")) ? page_dir_name(
	    dir->agencies, json_string_value(json_object_get(e, "agency"))) :
	    "–", json_is_string(json_object_get(e, "category")) ?
	    page_dir_name(dir->categories, json_string_value(json_object_get(e,
	    "category"))) : "–");
	if ((k = page_channel_key(ch)) >= 0)
		html_put(h, "%t", k);
	else
		html_text(h, ch);
	html_put(h, "</td><td>%s</td><td class=\"when\">",
	    json_is_string(json_object_get(e, "liaison")) ? json_string_value(
	    json_object_get(e, "liaison")) : "–");
	page_time(p, json_string_value(json_object_get(e, "created_at")));
	html_raw(h, "</td><td class=\"when\">");
	page_time(p, json_string_value(json_object_get(e, "due_at")));
	if (late) {
		days = page_days_late(p->rq->now, page_iso(json_string_value(
		    json_object_get(e, "due_at"))));
		html_raw(h, " <span class=\"overdue\">");
		if (days == 1)
			html_put(h, "%t", M_NEXT_LATE_1);
		else
			page_trn(p, M_NEXT_LATE, days, 0);
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
		html_put(h, "<fieldset class=\"bulk\"><legend>%t</legend><p "
		    "class=\"help\" id=\"bulk-help\">%t</p><input type=\"hidden\" "
		    "name=\"op\" value=\"forward\"><label for=\"bulk-agency\">%t"
		    "</label><select id=\"bulk-agency\" name=\"agency\" required "
		    "aria-describedby=\"bulk-help\" data-filter=\"%a\" "
		    "data-filter-help=\"%a\"><option value=\"\">%t</option>",
		    M_Q_BULK_H, M_Q_BULK_FORWARD_HELP, M_F_AGENCY, page_tr(p,
		    M_LAPOR_AGENCY_FILTER), page_tr(p,
		    M_LAPOR_AGENCY_FILTER_HELP), M_STAF_AGENCY_PICK);
		page_agency_options(p, dir->agencies, NULL);
		html_put(h, "</select><p><button type=\"submit\">%t</button></p>"
		    "</fieldset>\n", M_Q_BULK_FORWARD);
	} else if (st->role == CORE_ROLE_AGENCY_ADMIN) {
		html_put(h, "<fieldset class=\"bulk\"><legend>%t</legend><p "
		    "class=\"help\" id=\"bulk-help\">%t</p><input type=\"hidden\" "
		    "name=\"op\" value=\"assign\"><label for=\"bulk-liaison\">%t"
		    "</label><select id=\"bulk-liaison\" name=\"liaison\" "
		    "required aria-describedby=\"bulk-help\"><option value=\"\">"
		    "%t</option>", M_Q_BULK_H, M_Q_BULK_ASSIGN_HELP, M_F_LIAISON,
		    M_STAF_LIAISON_PICK);
		(void)page_liaison_options(p, NULL, NULL);
		html_put(h, "</select><p><button type=\"submit\">%t</button></p>"
		    "</fieldset>\n", M_Q_BULK_ASSIGN);
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
	page_head(p, page_tr(p, M_STAF_QUEUE), NAV_STAF, PAGE_SCRIPT_PAGE);
	page_staff_nav(p, st);
	html_put(h, "<h1>%t</h1>\n", M_STAF_QUEUE);
	if (st->role == CORE_ROLE_AUDITOR) {
		html_put(h, "<p>%t</p>\n", M_STAF_AUDITOR);
		page_foot(p);
		return;
	}
	page_dir_load(p, &dir);
	queue_counts(p, arg(p, "status"), &total, &overdue);
	queue_filters(p, st, &dir);
	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.args = args;
	page_api(p, api_cases_list, &c, &out);
	if (out.status != 200) {
		page_api_error(p, &out);
		goto done;
	}
	list = json_object_get(out.body, "cases");
	shown = json_array_size(list);
	if (arg(p, "before") != NULL)
		pos -= (long)shown;
	html_raw(h, "<p class=\"summary\">");
	if (total >= 0) {
		page_trn(p, M_Q_TOTAL, total, overdue);
		html_raw(h, " ");
	}
	if (shown > 0) {
		page_trn(p, M_Q_SHOWING, pos < 1 ? 1 : pos, (pos < 1 ? 1 : pos) +
		    (long long)shown - 1);
		html_raw(h, " ");
	}
	if (filtered)
		html_put(h, "%t", M_Q_FILTERED);
	html_raw(h, "</p>\n");
	/* A page longer than one bulk action takes has no checkboxes. */
	bulk = (st->role == CORE_ROLE_CENTRAL_ADMIN ||
	    st->role == CORE_ROLE_AGENCY_ADMIN) && shown <= BULK_MAX;
	if (shown == 0)
		html_put(h, "<p>%t</p>\n", M_STAF_EMPTY);
	else {
		if (bulk)
			page_post_open(p, "/staf/massal", 0);
		html_put(h, "<div class=\"table\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%t\"><table class=\"queue\"><caption>%t"
		    "</caption><thead><tr>", M_STAF_QUEUE_CAPTION,
		    M_STAF_QUEUE_CAPTION);
		if (bulk)
			html_put(h, "<th scope=\"col\"><span class=\"vh\">%t"
			    "</span><input type=\"checkbox\" hidden "
			    "data-check-all=\"case\" aria-label=\"%t\"></th>",
			    M_Q_SELECT, M_Q_SELECT_ALL);
		html_put(h, "<th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
		    "<th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
		    "<th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
		    "<th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
		    "<th scope=\"col\">%t</th></tr></thead><tbody>\n",
		    M_PANTAU_CASE, M_F_TITLE, M_STATUS, M_F_AGENCY, M_F_CATEGORY,
		    M_F_CHANNEL, M_F_LIAISON, M_SUBMITTED_AT, M_DUE);
		json_array_foreach(list, i, e)
			queue_row(p, e, &dir, bulk, i);
		html_raw(h, "</tbody></table></div>\n");
	}
	next = json_string_value(json_object_get(out.body, "next_cursor"));
	prev = json_string_value(json_object_get(out.body, "prev_cursor"));
	if (next != NULL || prev != NULL) {
		html_put(h, "<nav class=\"pager\" aria-label=\"%t\"><ul>",
		    M_Q_PAGES);
		if (prev != NULL) {
			html_raw(h, "<li><a rel=\"prev\" href=\"");
			queue_link(p, "before", prev, pos);
			html_put(h, "\">%t</a></li>", M_Q_PREV);
		}
		if (next != NULL) {
			html_raw(h, "<li><a rel=\"next\" href=\"");
			queue_link(p, "cursor", next, (pos < 1 ? 1 : pos) +
			    (long)shown);
			html_put(h, "\">%t</a></li>", M_NEXT_PAGE);
		}
		html_raw(h, "</ul></nav>\n");
	}
	if (shown > 0 && bulk) {
		queue_bulk(p, st, &dir);
		html_raw(h, "</form>\n");
	}
 done:
	page_api_free(&out);
	page_dir_free(&dir);
	page_foot(p);
}

void
page_staf(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		p = { 0 };
	struct srv_staff	st;

	page_init(&p, ctx, rq, rp);
	if (page_staff_begin(&p, &st, 0, 0) == 0) {
		queue_page(&p, &st);
		page_send(&p, 200);
		page_staff_end(&p, &st);
	}
	page_free(&p);
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
		html_put(&p->h, "%t", M_E_CONFLICT);
	else if (out->status == 404)
		html_put(&p->h, "%t", M_E_NOT_FOUND);
	else if (out->status == 403)
		html_put(&p->h, "%t", M_E_FORBIDDEN);
	else if (out->status == 422)
		html_put(&p->h, "%t", M_E_INVALID);
	else
		html_put(&p->h, "%t", M_ERR_503);
	if (out->status != 409)
		return;
	memset(&c, 0, sizeof(c));
	c.session = p->session;
	c.param0 = ref;
	page_api(p, api_case_get, &c, &now);
	if (now.status == 200) {
		html_put(&p->h, " (%t: ", M_Q_BULK_NOW);
		page_status(p, json_string_value(json_object_get(now.body,
		    "status")));
		html_raw(&p->h, ")");
	}
	page_api_free(&now);
}

static void
bulk_page(struct page *p, const struct srv_staff *st, unsigned *status)
{
	struct html		*h = &p->h;
	struct api_call		 c;
	struct srv_reply	 out = { 0 };
	const char		*op = form_text(&p->form, "op");
	const char		*target, *ref;
	const char		*field;
	size_t			 i, n = 0, done = 0, failed = 0;
	int			 forward;

	memset(&out, 0, sizeof(out));
	forward = op != NULL && strcmp(op, "forward") == 0;
	field = forward ? "agency" : "liaison";
	target = form_text(&p->form, field);
	for (i = 0; i < p->form.n; i++)
		if (!p->form.f[i].file && strcmp(p->form.f[i].name, "case") ==
		    0)
			n++;
	page_head(p, page_tr(p, M_Q_BULK_RESULT_H), NAV_STAF, 0);
	page_staff_nav(p, st);
	html_put(h, "<h1>%t</h1>\n", M_Q_BULK_RESULT_H);
	*status = 200;
	if (op == NULL || (!forward && strcmp(op, "assign") != 0) || n == 0 ||
	    n > BULK_MAX || target == NULL) {
		*status = 422;
		html_raw(h, "<div class=\"alert\" role=\"alert\"><p>");
		if (n == 0)
			html_put(h, "%t", M_Q_BULK_NONE);
		else if (n > BULK_MAX)
			page_trn(p, M_Q_BULK_TOO_MANY, BULK_MAX, 0);
		else
			html_put(h, "%t %t: %t", M_E_INVALID, forward ?
			    M_F_AGENCY : M_F_LIAISON, M_R_REQUIRED);
		html_put(h, "</p></div>\n<p><a href=\"/staf%r\">%t</a></p>\n",
		    page_lq(p, 1), M_Q_BACK);
		page_foot(p);
		return;
	}
	html_put(h, "<div class=\"table\" tabindex=\"0\" role=\"region\" "
	    "aria-label=\"%t\"><table><thead><tr><th scope=\"col\">%t</th>"
	    "<th scope=\"col\">%t</th><th scope=\"col\">%t</th></tr></thead>"
	    "<tbody>\n", M_Q_BULK_RESULT_H, M_PANTAU_CASE, M_Q_BULK_RESULT,
	    M_F_REASON);
	for (i = 0; i < p->form.n; i++) {
		if (p->form.f[i].file || strcmp(p->form.f[i].name, "case") != 0)
			continue;
		ref = p->form.f[i].value;
		memset(&c, 0, sizeof(c));
		c.session = p->session;
		c.param0 = ref;
		c.body = json_pack("{s:s, s:s}", "action", forward ? "dispose" :
		    "accept", field, target);
		page_api(p, api_case_action, &c, &out);
		json_decref(c.body);
		html_raw(h, "<tr><td class=\"ref\"><a href=\"/staf/kasus/");
		html_url(h, ref);
		html_put(h, "%r\" translate=\"no\">%s</a></td>", page_lq(p, 1),
		    ref);
		if (out.status == 200) {
			done++;
			html_put(h, "<td><span class=\"ok\">%t</span></td><td>"
			    "</td></tr>\n", M_Q_BULK_OK);
		} else {
			failed++;
			html_put(h, "<td><span class=\"overdue\">%t</span></td>"
			    "<td>", M_Q_BULK_FAIL);
			bulk_refusal(p, ref, &out);
			html_raw(h, "</td></tr>\n");
		}
		page_api_free(&out);
	}
	html_raw(h, "</tbody></table></div>\n<p class=\"summary\">");
	page_trn(p, M_Q_BULK_SUMMARY, (long long)done, (long long)failed);
	html_put(h, "</p>\n<p><a class=\"button\" href=\"/staf%r\">%t</a></p>\n",
	    page_lq(p, 1), M_Q_BACK);
	page_foot(p);
}

void
page_staf_bulk(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		p = { 0 };
	struct srv_staff	st;
	unsigned		status;

	page_init(&p, ctx, rq, rp);
	if (page_staff_begin(&p, &st, 1, 0) == 0) {
		bulk_page(&p, &st, &status);
		page_send(&p, status);
		page_staff_end(&p, &st);
	}
	page_free(&p);
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
	const char *v = form_get(&p->form, name);

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

	page_dir_load(p, &dir);
	p->field_ids = intake_ids;
	page_head(p, page_tr(p, M_STAF_INTAKE_H), NAV_STAF, PAGE_SCRIPT_PAGE);
	page_staff_nav(p, st);
	html_put(h, "<h1>%t</h1>\n<p>%t</p>\n", M_STAF_INTAKE_H,
	    M_STAF_INTAKE_INTRO);
	if (err != NULL)
		page_api_error(p, err);
	html_put(h, "<form class=\"stack narrow\" method=\"post\" "
	    "action=\"/staf/laporan-baru\" novalidate>");
	page_csrf_input(p);
	page_lang_input(p);
	cur = form_get(&p->form, "channel");
	html_put(h, "<label for=\"channel\">%t <span class=\"req\">*</span>"
	    "</label><select id=\"channel\" name=\"channel\" required>",
	    M_F_CHANNEL);
	for (i = 0; i < NCHANNELS; i++)
		html_put(h, "<option value=\"%a\"%r>%t</option>", channels[i],
		    cur != NULL && strcmp(cur, channels[i]) == 0 ? " selected" :
		    "", page_channel_key(channels[i]));
	html_put(h, "</select><label for=\"source\">%t</label><p class=\"help\" "
	    "id=\"source-help\">%t</p><input id=\"source\" name=\"source\" "
	    "type=\"text\" maxlength=\"%d\" autocomplete=\"off\" "
	    "aria-describedby=\"source-help\" value=\"%a\">", M_F_SOURCE,
	    M_STAF_SOURCE_HELP, CORE_SOURCE_MAX, fv(p, "source"));
	cur = form_get(&p->form, "kind");
	html_put(h, "<label for=\"kind\">%t</label><select id=\"kind\" "
	    "name=\"kind\">", M_F_KIND);
	for (i = 0; i < 3; i++)
		html_put(h, "<option value=\"%a\"%r>%t</option>", kinds[i],
		    cur != NULL && strcmp(cur, kinds[i]) == 0 ? " selected" : "",
		    page_name_key(kinds[i]));
	html_put(h, "</select><label for=\"title\">%t <span class=\"req\">*"
	    "</span></label><input id=\"title\" name=\"title\" type=\"text\" "
	    "required maxlength=\"%d\" value=\"%a\"><label for=\"body\">%t "
	    "<span class=\"req\">*</span></label><textarea id=\"body\" "
	    "name=\"body\" rows=\"8\" cols=\"60\" required maxlength=\"%d\">%s"
	    "</textarea>", M_F_TITLE, CORE_TITLE_MAX, fv(p, "title"), M_F_BODY,
	    CORE_BODY_MAX, fv(p, "body"));
	html_put(h, "<label for=\"agency\">%t</label><select id=\"agency\" "
	    "name=\"agency\" data-filter=\"%a\" data-filter-help=\"%a\">"
	    "<option value=\"\">%t</option>", M_F_AGENCY, page_tr(p,
	    M_LAPOR_AGENCY_FILTER), page_tr(p, M_LAPOR_AGENCY_FILTER_HELP),
	    M_OPT_NONE);
	page_agency_options(p, dir.agencies, form_text(&p->form, "agency"));
	html_put(h, "</select><label for=\"category\">%t</label><select "
	    "id=\"category\" name=\"category\"><option value=\"\">%t</option>",
	    M_F_CATEGORY, M_OPT_NONE);
	cur = form_text(&p->form, "category");
	json_array_foreach(dir.categories, i, e)
		if ((v = json_string_value(json_object_get(e, "id"))) != NULL)
			html_put(h, "<option value=\"%a\"%r>%s</option>", v,
			    cur != NULL && strcmp(cur, v) == 0 ? " selected" :
			    "", json_string_value(json_object_get(e, "name")));
	cur = form_get(&p->form, "visibility");
	html_put(h, "</select><label for=\"location\">%t</label><input "
	    "id=\"location\" name=\"location\" type=\"text\" maxlength=\"%d\" "
	    "value=\"%a\"><label for=\"occurred_on\">%t</label><input "
	    "id=\"occurred_on\" name=\"occurred_on\" type=\"date\" value=\"%a\">"
	    "<label for=\"visibility\">%t</label><select id=\"visibility\" "
	    "name=\"visibility\"><option value=\"confidential\">%t</option>"
	    "<option value=\"public\"%r>%t</option></select>", M_F_LOCATION,
	    CORE_LOCATION_MAX, fv(p, "location"), M_F_OCCURRED_ON,
	    fv(p, "occurred_on"), M_F_VISIBILITY, M_VIS_CONFIDENTIAL,
	    cur != NULL && strcmp(cur, "public") == 0 ? " selected" : "",
	    M_VIS_PUBLIC);
	html_put(h, "<fieldset><legend>%t</legend>", M_STAF_CONTACT_H);
	for (i = 0; i < sizeof(contact) / sizeof(contact[0]); i++)
		html_put(h, "<label for=\"%a\">%t</label><input id=\"%a\" "
		    "name=\"%a\" type=\"%a\" maxlength=\"%d\" autocomplete=\"%a\" "
		    "value=\"%a\">", contact[i].field, contact[i].label,
		    contact[i].field, contact[i].field, contact[i].type,
		    CORE_IDENTITY_FIELD_MAX, contact[i].autocomplete,
		    fv(p, contact[i].field));
	html_put(h, "</fieldset><p><button type=\"submit\">%t</button></p>"
	    "</form>\n", M_STAF_INTAKE_SEND);
	page_dir_free(&dir);
	page_foot(p);
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
	    form_text(f, "channel") ? form_text(f, "channel") : "",
	    "kind", form_text(f, "kind") ? form_text(f, "kind") : "complaint",
	    "title", form_get(f, "title") ? form_get(f, "title") : "",
	    "body", form_get(f, "body") ? form_get(f, "body") : "",
	    "visibility", form_text(f, "visibility") ? form_text(f,
	    "visibility") : "confidential")) == NULL)
		return NULL;
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (form_text(f, opt[i]) != NULL)
			json_object_set_new(o, opt[i],
			    json_string(form_text(f, opt[i])));
	for (i = 0; i < sizeof(contact) / sizeof(contact[0]); i++)
		if (form_text(f, contact[i].field) != NULL) {
			if (id == NULL && (id = json_object()) != NULL)
				json_object_set_new(o, "identity", id);
			json_object_set_new(id, contact[i].key,
			    json_string(form_text(f, contact[i].field)));
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
	page_head(p, page_tr(p, M_STAF_INTAKE_DONE_H), NAV_STAF, 0);
	page_staff_nav(p, st);
	html_put(h, "<h1>%t</h1>\n<div class=\"receipt\"><dl class=\"facts\">"
	    "<dt>%t</dt><dd class=\"caseref\" translate=\"no\">%s</dd></dl>\n"
	    "<h2>%t</h2>\n", M_STAF_INTAKE_DONE_H, M_RCPT_CASE, ref,
	    M_RCPT_TOKEN);
	if (tok != NULL)
		page_token(p, tok);
	html_put(h, "<p>%t</p></div>\n<p class=\"cta\"><a class=\"button\" "
	    "href=\"/staf/kasus/", M_STAF_INTAKE_TOKEN);
	html_url(h, ref);
	html_put(h, "%r\">%t</a> <a class=\"button alt\" href=\"/staf/"
	    "laporan-baru%r\">%t</a></p>\n", page_lq(p, 1), M_STAF_OPEN_CASE,
	    page_lq(p, 1), M_STAF_INTAKE);
	page_foot(p);
}

void
page_staf_intake(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		p = { 0 };
	struct srv_staff	st;

	page_init(&p, ctx, rq, rp);
	if (page_staff_begin(&p, &st, 0, 0) == 0) {
		if (st.role != CORE_ROLE_CENTRAL_ADMIN)
			page_fail(&p, 403);
		else {
			intake_form(&p, &st, NULL);
			page_send(&p, 200);
		}
		page_staff_end(&p, &st);
	}
	page_free(&p);
}

void
page_staf_intake_post(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p = { 0 };
	struct srv_staff	 st;
	struct api_call		 c;
	struct srv_reply	 out = { 0 };

	memset(&out, 0, sizeof(out));
	page_init(&p, ctx, rq, rp);
	if (page_staff_begin(&p, &st, 1, 0) == -1)
		goto done;
	memset(&c, 0, sizeof(c));
	c.session = p.session;
	/* The contact details are in the form and this body only; both
	 * are wiped when freed (form_free, the JSON allocator). */
	c.body = intake_json(&p.form);
	page_api(&p, api_case_intake, &c, &out);
	json_decref(c.body);
	if (out.status == 201) {
		p.lang_path = NULL;
		intake_done(&p, &st, out.body);
		page_send(&p, 201);
	} else {
		intake_form(&p, &st, &out);
		page_send(&p, out.status);
	}
	page_staff_end(&p, &st);
 done:
	page_api_free(&out);
	page_free(&p);
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
	page_head(p, page_tr(p, M_STAF_PERIODIC), NAV_STAF, 0);
	page_staff_nav(p, st);
	html_put(h, "<h1>%t</h1>\n<p>%t</p>\n", M_STAF_PERIODIC,
	    M_STAF_PERIODIC_INTRO);
	if (err != NULL)
		page_api_error(p, err);
	html_put(h, "<form class=\"stack narrow\" method=\"get\" "
	    "action=\"/staf/laporan-berkala/unduh\">");
	page_lang_input(p);
	html_put(h, "<label for=\"periode\">%t</label><select id=\"periode\" "
	    "name=\"periode\">", M_STAT_PERIOD);
	for (q = (m + 2) / 3 + 4; q >= 1; q--) {
		/* q counts quarters from the first of last year. */
		snprintf(v, sizeof(v), "%d-Q%d", q > 4 ? y : y - 1,
		    q > 4 ? q - 4 : q);
		html_put(h, "<option value=\"%a\">%s</option>", v, v);
	}
	for (i = 0; i < PERIOD_MONTHS; i++) {
		int yy = y, mm = m - i;

		while (mm < 1) {
			mm += 12;
			yy--;
		}
		snprintf(v, sizeof(v), "%04d-%02d", yy, mm);
		html_put(h, "<option value=\"%a\">%t %d</option>", v,
		    M_MON_1 + mm - 1, yy);
	}
	html_put(h, "</select><p><button type=\"submit\">%t</button></p>"
	    "</form>\n", M_STAF_PERIODIC_SEND);
	page_foot(p);
}

static int
periodic_allowed(const struct srv_staff *st)
{
	return st->role == CORE_ROLE_CENTRAL_ADMIN ||
	    st->role == CORE_ROLE_AUDITOR;
}

void
page_staf_periodic(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		p = { 0 };
	struct srv_staff	st;

	page_init(&p, ctx, rq, rp);
	if (page_staff_begin(&p, &st, 0, 0) == 0) {
		if (!periodic_allowed(&st))
			page_fail(&p, 403);
		else {
			periodic_page(&p, &st, NULL);
			page_send(&p, 200);
		}
		page_staff_end(&p, &st);
	}
	page_free(&p);
}

void
page_staf_periodic_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p = { 0 };
	struct srv_staff	 st;
	struct api_call		 c;
	struct srv_reply	 out = { 0 };
	const char		*args[5] = { "period", NULL, "format", "csv",
				    NULL };

	memset(&out, 0, sizeof(out));
	page_init(&p, ctx, rq, rp);
	if (page_staff_begin(&p, &st, 0, 0) == -1)
		goto done;
	if (!periodic_allowed(&st)) {
		page_fail(&p, 403);
		page_staff_end(&p, &st);
		goto done;
	}
	args[1] = srv_query(rq, "periode") != NULL ? srv_query(rq, "periode") :
	    "";
	memset(&c, 0, sizeof(c));
	c.session = p.session;
	c.args = args;
	page_api(&p, api_reports_periodic, &c, &out);
	if (out.status == 200 && out.raw != NULL)
		page_pass_raw(&p, &out);
	else {
		periodic_page(&p, &st, &out);
		page_send(&p, out.status);
	}
	page_staff_end(&p, &st);
 done:
	page_api_free(&out);
	page_free(&p);
}
