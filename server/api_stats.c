/*
 * api_stats.c: GET /stats and GET /reports/periodic, read from the
 * counters that derived.c keeps, so they cost nothing at read time.
 *
 * GET /stats (public) sums the counters of a range of months and
 * suppresses small cells (core_suppress); GET /reports/periodic (auditors
 * and central admins) gives one row per agency of the directory and the
 * audit head at the end of the period.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "server/api.h"

/* A day histogram: days 0..CORE_STAT_DAYS_CAP (the last: that or more). */
#define HIST_LEN	(CORE_STAT_DAYS_CAP + 1)

/* ---- sums over months --------------------------------------------------------- */

/* The counters of one agency and category, summed over the months. */
struct grp {
	char		 agency[CORE_ID_MAX + 1];
	char		 category[CORE_ID_MAX + 1];
	uint64_t	 status[CORE_ST_MAX];
	uint64_t	 met[CORE_STAGE_MAX], late[CORE_STAGE_MAX];
	uint64_t	 rating[6], overdue;
	uint64_t	*hdispose, *hresolve;	/* HIST_LEN, or NULL */
};

struct sums {
	struct grp	*g;
	size_t		 n, cap;
	int32_t		 from, to;
	const char	*agency;	/* filter, or NULL */
	int		 fail;
};

static struct grp *
grp_get(struct sums *s, const char *agency, const char *category)
{
	struct grp	*ng;
	size_t		 i, cap;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->g[i].agency, agency) == 0 &&
		    strcmp(s->g[i].category, category) == 0)
			return &s->g[i];
	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 32;
		if ((ng = reallocarray(s->g, cap, sizeof(*ng))) == NULL) {
			s->fail = 1;
			return NULL;
		}
		s->g = ng;
		s->cap = cap;
	}
	memset(&s->g[s->n], 0, sizeof(s->g[s->n]));
	snprintf(s->g[s->n].agency, sizeof(s->g[s->n].agency), "%s", agency);
	snprintf(s->g[s->n].category, sizeof(s->g[s->n].category), "%s",
	    category);
	return &s->g[s->n++];
}

static void
grp_free(struct grp *g)
{
	free(g->hdispose);
	free(g->hresolve);
}

static int
hist_add(uint64_t **h, int day, uint64_t n)
{
	if (*h == NULL && (*h = calloc(HIST_LEN, sizeof(**h))) == NULL)
		return -1;
	(*h)[day > CORE_STAT_DAYS_CAP ? CORE_STAT_DAYS_CAP : day] += n;
	return 0;
}

static int
sums_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct sums		*s = arg;
	struct srv_derived_key	 p;
	struct grp		*g;
	uint64_t		 n;

	if (srv_derived_key_parse(key, klen, &p) == -1 || vlen != SRV_DERIVED_COUNT_LEN)
		return STORE_CORRUPT;
	if (p.month > s->to)
		return STORE_STOP;
	if (p.month < s->from || (s->agency != NULL &&
	    strcmp(p.agency, s->agency) != 0))
		return 0;
	n = store_be64_get((const uint8_t *)val + 1);
	if ((g = grp_get(s, p.agency, p.category)) == NULL)
		return STORE_IO;
	switch (p.stat) {
	case CORE_STAT_STATUS:
		if (p.arg < CORE_ST_MAX)
			g->status[p.arg] += n;
		break;
	case CORE_STAT_MET:
		if (p.arg < CORE_STAGE_MAX)
			g->met[p.arg] += n;
		break;
	case CORE_STAT_LATE:
		if (p.arg < CORE_STAGE_MAX)
			g->late[p.arg] += n;
		break;
	case CORE_STAT_DAYS_DISPOSE:
		if (hist_add(&g->hdispose, p.arg, n) == -1)
			return STORE_IO;
		break;
	case CORE_STAT_DAYS_RESOLVE:
		if (hist_add(&g->hresolve, p.arg, n) == -1)
			return STORE_IO;
		break;
	case CORE_STAT_RATING:
		if (p.arg >= 1 && p.arg <= 5)
			g->rating[p.arg] += n;
		break;
	default:
		g->overdue += n;
		break;
	}
	return 0;
}

static int
sums_read(struct store_txn *txn, struct sums *s)
{
	uint8_t	from[6];
	int	rc;

	memcpy(from, SRV_STATS_PREFIX, 2);
	store_be32_put(from + 2, (uint32_t)(s->from < 0 ? 0 : s->from));
	rc = store_each(txn, STORE_T_STATS, from, sizeof(from),
	    SRV_STATS_PREFIX, 2, sums_each, s);
	return rc;
}

/* Adds src into dst (histograms too). */
static int
grp_merge(struct grp *dst, const struct grp *src)
{
	size_t i;

	for (i = 0; i < CORE_ST_MAX; i++)
		dst->status[i] += src->status[i];
	for (i = 0; i < CORE_STAGE_MAX; i++) {
		dst->met[i] += src->met[i];
		dst->late[i] += src->late[i];
	}
	for (i = 0; i < 6; i++)
		dst->rating[i] += src->rating[i];
	dst->overdue += src->overdue;
	for (i = 0; src->hdispose != NULL && i < HIST_LEN; i++)
		if (src->hdispose[i] && hist_add(&dst->hdispose, (int)i,
		    src->hdispose[i]) == -1)
			return -1;
	for (i = 0; src->hresolve != NULL && i < HIST_LEN; i++)
		if (src->hresolve[i] && hist_add(&dst->hresolve, (int)i,
		    src->hresolve[i]) == -1)
			return -1;
	return 0;
}

static uint64_t
received(const struct grp *g)
{
	uint64_t	n = 0;
	int		s;

	for (s = 0; s < CORE_ST_MAX; s++)
		if (s != CORE_ST_MERGED)
			n += g->status[s];
	return n;
}

static uint64_t
ratings(const struct grp *g)
{
	return g->rating[1] + g->rating[2] + g->rating[3] + g->rating[4] +
	    g->rating[5];
}

static double
rating_mean(const struct grp *g)
{
	uint64_t	n = ratings(g), sum = 0;
	int		i;

	for (i = 1; i <= 5; i++)
		sum += g->rating[i] * (uint64_t)i;
	return n ? (double)sum / (double)n : -1;
}

static double
round_to(double x, double unit)
{
	return (double)(long long)(x / unit + 0.5) * unit;
}

/* ---- GET /stats ------------------------------------------------------------------ */

/*
 * The table of counts that suppression works on. Each row (the total,
 * an agency, the unassigned cases, a category overall, an agency's
 * category) holds CNT_MAX counts; relations tie rows and columns:
 * received = sum of the statuses, resolved = resolved + closed, and every
 * count of a row = the sum of the same count of its parts.
 */
enum cnt {
	CNT_RECEIVED,
	CNT_RESOLVED,
	CNT_MERGED,
	CNT_OVERDUE,
	CNT_RATINGS,
	CNT_STATUS,		/* + status, for the six non-merged statuses */
	CNT_MAX = CNT_STATUS + 6
};
static const int count_status[6] = {
	CORE_ST_SUBMITTED, CORE_ST_DISPOSITIONED, CORE_ST_IN_PROGRESS,
	CORE_ST_RESOLVED, CORE_ST_CLOSED, CORE_ST_REJECTED,
};

struct row {
	struct grp	 g;		/* summed counters (owns histograms) */
	const char	*agency;	/* NULL: total or a category overall */
	const char	*category;	/* NULL: not a category row */
	size_t		 cell;		/* index of its first count */
};

struct table {
	struct row	*row;
	size_t		 nrow, caprow;
	uint64_t	*val;
	uint8_t		*sup;
	size_t		*rel;
	size_t		 nrel, caprel;
	int		 fail;
};

static size_t
row_new(struct table *t, const char *agency, const char *category)
{
	struct row	*nr;
	size_t		 cap;

	if (t->nrow == t->caprow) {
		cap = t->caprow ? t->caprow * 2 : 64;
		if ((nr = reallocarray(t->row, cap, sizeof(*nr))) == NULL) {
			t->fail = 1;
			return 0;
		}
		t->row = nr;
		t->caprow = cap;
	}
	memset(&t->row[t->nrow], 0, sizeof(t->row[t->nrow]));
	t->row[t->nrow].agency = agency;
	t->row[t->nrow].category = category;
	t->row[t->nrow].cell = t->nrow * CNT_MAX;
	return t->nrow++;
}

static void
rel_push(struct table *t, size_t v)
{
	size_t	*nr, cap;

	if (t->fail)
		return;
	if (t->nrel == t->caprel) {
		cap = t->caprel ? t->caprel * 2 : 1024;
		if ((nr = reallocarray(t->rel, cap, sizeof(*nr))) == NULL) {
			t->fail = 1;
			return;
		}
		t->rel = nr;
		t->caprel = cap;
	}
	t->rel[t->nrel++] = v;
}

/* Relations "count c of total = sum of count c of parts" for every c. */
static void
rel_rows(struct table *t, size_t total, const size_t *parts, size_t np)
{
	size_t c, i;

	if (np == 0)
		return;
	for (c = 0; c < CNT_MAX; c++) {
		rel_push(t, t->row[total].cell + c);
		rel_push(t, np);
		for (i = 0; i < np; i++)
			rel_push(t, t->row[parts[i]].cell + c);
	}
}

static void
row_counts(struct table *t, size_t r)
{
	const struct grp	*g = &t->row[r].g;
	uint64_t		*v = t->val + t->row[r].cell;
	size_t			 i, c = t->row[r].cell;

	v[CNT_RECEIVED] = received(g);
	v[CNT_RESOLVED] = g->status[CORE_ST_RESOLVED] +
	    g->status[CORE_ST_CLOSED];
	v[CNT_MERGED] = g->status[CORE_ST_MERGED];
	v[CNT_OVERDUE] = g->overdue;
	v[CNT_RATINGS] = ratings(g);
	for (i = 0; i < 6; i++)
		v[CNT_STATUS + i] = g->status[count_status[i]];
	/* Within the row: received = the statuses, resolved = 2 of them. */
	rel_push(t, c + CNT_RECEIVED);
	rel_push(t, 6);
	for (i = 0; i < 6; i++)
		rel_push(t, c + CNT_STATUS + i);
	rel_push(t, c + CNT_RESOLVED);
	rel_push(t, 2);
	rel_push(t, c + CNT_STATUS + 3);
	rel_push(t, c + CNT_STATUS + 4);
}

static json_t *
count_json(const struct table *t, size_t cell)
{
	return t->sup[cell] ? json_null() : json_integer(
	    (json_int_t)t->val[cell]);
}

/* A share or a median: null when based on fewer cases than threshold. */
static json_t *
ratio_json(double value, uint64_t base, unsigned threshold, double unit)
{
	if (base < threshold || value < 0)
		return json_null();
	return json_real(round_to(value, unit));
}

static json_t *
cell_json(const struct table *t, size_t r, unsigned th)
{
	const struct grp	*g = &t->row[r].g;
	size_t			 c = t->row[r].cell, i;
	uint64_t		 met = 0, all = 0, base = 0, n;
	json_t			*o, *bs, *ot;

	o = json_pack("{s:o, s:o, s:o, s:o, s:o}",
	    "received", count_json(t, c + CNT_RECEIVED),
	    "resolved", count_json(t, c + CNT_RESOLVED),
	    "merged", count_json(t, c + CNT_MERGED),
	    "overdue", count_json(t, c + CNT_OVERDUE),
	    "ratings", count_json(t, c + CNT_RATINGS));
	bs = json_object();
	ot = json_object();
	if (o == NULL || bs == NULL || ot == NULL) {
		json_decref(o);
		json_decref(bs);
		json_decref(ot);
		return NULL;
	}
	for (i = 0; i < 6; i++)
		json_object_set_new(bs, core_status_name(count_status[i]),
		    count_json(t, c + CNT_STATUS + i));
	for (i = 0; i < CORE_STAGE_MAX; i++) {
		n = g->met[i] + g->late[i];
		met += g->met[i];
		all += n;
		if (n > base)
			base = n;	/* distinct cases: at least this many */
		json_object_set_new(ot, core_stage_name(i), ratio_json(n ?
		    (double)g->met[i] / (double)n : -1, n, th, 0.001));
	}
	json_object_set_new(o, "by_status", bs);
	json_object_set_new(o, "on_time", ratio_json(all ? (double)met /
	    (double)all : -1, base, th, 0.001));
	json_object_set_new(o, "on_time_by_stage", ot);
	/* No deadline met or missed yet: an on-time share of nothing is no
	 * figure, and the page says so instead of a suppressed one. Told
	 * only where the number of cases is shown anyway. */
	if (!t->sup[c + CNT_RECEIVED])
		json_object_set_new(o, "none_due", json_boolean(all == 0));
	n = 0;
	for (i = 0; g->hresolve != NULL && i < HIST_LEN; i++)
		n += g->hresolve[i];
	json_object_set_new(o, "median_days", ratio_json(g->hresolve != NULL ?
	    core_hist_median(g->hresolve, HIST_LEN) : -1, n, th, 0.5));
	n = 0;
	for (i = 0; g->hdispose != NULL && i < HIST_LEN; i++)
		n += g->hdispose[i];
	json_object_set_new(o, "median_days_to_disposition", ratio_json(
	    g->hdispose != NULL ? core_hist_median(g->hdispose, HIST_LEN) : -1,
	    n, th, 0.5));
	json_object_set_new(o, "satisfaction", ratio_json(rating_mean(g),
	    ratings(g), th, 0.01));
	return o;
}

/* The display name of an agency or category id; NULL if none. */
static json_t *
dir_name(struct store_txn *txn, enum store_table t, const char *id)
{
	json_t	*rec = NULL, *name;

	if (id == NULL || id[0] == '\0' ||
	    srv_record_get(txn, t, id, strlen(id), &rec) != STORE_OK)
		return json_null();
	name = json_incref(json_object_get(rec, "name"));
	json_decref(rec);
	return json_is_string(name) ? name : (json_decref(name), json_null());
}

struct stats_read {
	int32_t		 from, to;
	int		 has_from, has_to;
	const char	*agency;
	unsigned	 threshold;
	json_t		*out;
};

static int
cmp_grp(const void *a, const void *b)
{
	const struct grp *x = a, *y = b;
	int c = strcmp(x->agency, y->agency);

	return c != 0 ? c : strcmp(x->category, y->category);
}

static int
stats_read(struct store_txn *txn, void *arg)
{
	struct stats_read	*q = arg;
	struct sums		 s = { 0 };
	struct table		 t = { 0 };
	struct head_ {
		uint64_t seq;
		uint8_t hash[CRYPTO_HASH_BYTES], sig[CRYPTO_SIG_BYTES];
	}			 h;
	size_t			 i = 0, j, k, total, unassigned = SIZE_MAX;
	size_t			*agencies = NULL, nag = 0, *cats = NULL, ncat = 0;
	size_t			*parts = NULL, np;
	json_t			*o = NULL, *ba, *bc, *e, *sub;
	char			 mon[8], hex[CRYPTO_HASH_BYTES * 2 + 1];
	int			 rc = STORE_IO;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	s.from = q->from;
	s.to = q->to;
	s.agency = q->agency;
	if ((rc = sums_read(txn, &s)) != STORE_OK)
		goto out;
	if (s.n > 0)
		srv_sort(s.g, s.n, sizeof(*s.g), cmp_grp);
	rc = STORE_IO;
	/* Rows: total; per agency (and unassigned) and their categories;
	 * categories overall. Groups are sorted by agency, category. */
	total = row_new(&t, NULL, NULL);
	if ((agencies = calloc(s.n + 1, sizeof(*agencies))) == NULL ||
	    (cats = calloc(s.n + 1, sizeof(*cats))) == NULL ||
	    (parts = calloc(s.n + 1, sizeof(*parts))) == NULL)
		goto out;
	for (i = 0; i < s.n; i = j) {
		size_t a = row_new(&t, s.g[i].agency, NULL);

		if (t.fail)
			goto out;
		if (s.g[i].agency[0] == '\0')
			unassigned = a;
		agencies[nag++] = a;
		for (j = i; j < s.n && strcmp(s.g[j].agency, s.g[i].agency) ==
		    0; j++) {
			size_t r = row_new(&t, s.g[j].agency, s.g[j].category);

			if (t.fail || grp_merge(&t.row[r].g, &s.g[j]) == -1 ||
			    grp_merge(&t.row[a].g, &s.g[j]) == -1 ||
			    grp_merge(&t.row[total].g, &s.g[j]) == -1)
				goto out;
			for (k = 0; k < ncat; k++)
				if (strcmp(t.row[cats[k]].category,
				    s.g[j].category) == 0)
					break;
			if (k == ncat) {
				cats[ncat++] = row_new(&t, NULL,
				    s.g[j].category);
				if (t.fail)
					goto out;
			}
			if (grp_merge(&t.row[cats[k]].g, &s.g[j]) == -1)
				goto out;
		}
	}
	if ((t.val = calloc(t.nrow * CNT_MAX, sizeof(*t.val))) == NULL ||
	    (t.sup = calloc(t.nrow * CNT_MAX, 1)) == NULL)
		goto out;
	for (i = 0; i < t.nrow; i++)
		row_counts(&t, i);
	/* total = agencies; each agency = its categories; each category
	 * overall = its agencies' rows; total = categories. */
	rel_rows(&t, total, agencies, nag);
	for (i = 0; i < nag; i++) {
		for (k = 0, np = 0; k < t.nrow; k++)
			if (t.row[k].category != NULL && t.row[k].agency != NULL &&
			    strcmp(t.row[k].agency, t.row[agencies[i]].agency) ==
			    0)
				parts[np++] = k;
		rel_rows(&t, agencies[i], parts, np);
	}
	for (i = 0; i < ncat; i++) {
		for (k = 0, np = 0; k < t.nrow; k++)
			if (t.row[k].category != NULL && t.row[k].agency != NULL &&
			    strcmp(t.row[k].category, t.row[cats[i]].category) ==
			    0)
				parts[np++] = k;
		rel_rows(&t, cats[i], parts, np);
	}
	rel_rows(&t, total, cats, ncat);
	if (t.fail)
		goto out;
	core_suppress(t.val, t.nrow * CNT_MAX, t.rel, t.nrel, q->threshold,
	    t.sup);

	if ((o = json_object()) == NULL || (ba = json_array()) == NULL)
		goto out;
	json_object_set_new(o, "by_agency", ba);
	if (q->has_from)
		core_month_format(q->from, mon);
	json_object_set_new(o, "from", q->has_from ? json_string(mon) :
	    json_null());
	if (q->has_to)
		core_month_format(q->to, mon);
	json_object_set_new(o, "to", q->has_to ? json_string(mon) :
	    json_null());
	json_object_set_new(o, "agency", q->agency != NULL ?
	    json_string(q->agency) : json_null());
	json_object_set_new(o, "suppression_threshold",
	    json_integer(q->threshold));
	if ((e = cell_json(&t, total, q->threshold)) == NULL)
		goto out;
	json_object_set_new(o, "total", e);
	for (i = 0; i < nag; i++) {
		size_t a = agencies[i];

		if ((e = cell_json(&t, a, q->threshold)) == NULL ||
		    (bc = json_array()) == NULL) {
			json_decref(e);
			goto out;
		}
		for (k = 0; k < t.nrow; k++) {
			if (t.row[k].category == NULL || t.row[k].agency == NULL ||
			    strcmp(t.row[k].agency, t.row[a].agency) != 0)
				continue;
			if ((sub = cell_json(&t, k, q->threshold)) == NULL)
				break;
			json_object_set_new(sub, "category",
			    t.row[k].category[0] ? json_string(
			    t.row[k].category) : json_null());
			json_object_set_new(sub, "name", dir_name(txn,
			    STORE_T_CATEGORIES, t.row[k].category));
			json_array_append_new(bc, sub);
		}
		json_object_set_new(e, "by_category", bc);
		if (a == unassigned) {
			json_object_set_new(o, "unassigned", e);
			continue;
		}
		json_object_set_new(e, "agency", json_string(t.row[a].agency));
		json_object_set_new(e, "name", dir_name(txn, STORE_T_AGENCIES,
		    t.row[a].agency));
		json_array_append_new(ba, e);
	}
	if (json_object_get(o, "unassigned") == NULL)
		json_object_set_new(o, "unassigned", json_null());
	if ((bc = json_array()) == NULL)
		goto out;
	json_object_set_new(o, "by_category", bc);
	for (i = 0; i < ncat; i++) {
		if ((e = cell_json(&t, cats[i], q->threshold)) == NULL)
			goto out;
		json_object_set_new(e, "category", t.row[cats[i]].category[0] ?
		    json_string(t.row[cats[i]].category) : json_null());
		json_object_set_new(e, "name", dir_name(txn, STORE_T_CATEGORIES,
		    t.row[cats[i]].category));
		json_array_append_new(bc, e);
	}
	rc = srv_audit_head(txn, &h.seq, h.hash, h.sig);
	if (rc == STORE_OK) {
		char sig[CRYPTO_SIG_BYTES * 2];

		for (i = 0; i < CRYPTO_HASH_BYTES; i++)
			snprintf(hex + 2 * i, 3, "%02x", h.hash[i]);
		crypto_b64_encode(h.sig, sizeof(h.sig), sig);
		json_object_set_new(o, "audit_head", json_pack("{s:I, s:s, s:s}",
		    "seq", (json_int_t)h.seq, "hash", hex, "signature", sig));
	} else if (rc == STORE_NOTFOUND)
		json_object_set_new(o, "audit_head", json_null());
	else
		goto out;
	rc = STORE_OK;
	q->out = o;
	o = NULL;
 out:
	json_decref(o);
	for (i = 0; i < s.n; i++)
		grp_free(&s.g[i]);
	free(s.g);
	for (i = 0; i < t.nrow; i++)
		grp_free(&t.row[i].g);
	free(t.row);
	free(t.val);
	free(t.sup);
	free(t.rel);
	free(agencies);
	free(cats);
	free(parts);
	return s.fail && rc == STORE_OK ? STORE_IO : rc;
}

static int
agency_exists_read(struct store_txn *txn, void *arg)
{
	return srv_directory_agency_exists(txn,
	    arg) ? STORE_OK : STORE_NOTFOUND;
}

void
api_stats(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const char *const allowed[] = { "from", "to", "agency" };
	struct stats_read	 q;
	struct core_errors	 errs;
	const char		*from = srv_http_query(rq, "from");
	const char		*to = srv_http_query(rq, "to");
	int32_t			 a, b;
	int			 rc;

	memset(&q, 0, sizeof(q));
	memset(&errs, 0, sizeof(errs));
	if (srv_http_query_check(rq, allowed, 3) == -1) {
		errs.message = "The query has a parameter that is not known or "
		    "is repeated.";
		srv_http_error_core(rp, CORE_MALFORMED, &errs);
		return;
	}
	q.from = 0;
	q.to = INT32_MAX;
	if (from != NULL) {
		if (core_period_parse(from, &a, &b) == -1)
			core_errors_add(&errs, "from", "must be YYYY, YYYY-MM or "
			    "YYYY-Qn");
		else {
			q.from = a;
			q.has_from = 1;
		}
	}
	if (to != NULL) {
		if (core_period_parse(to, &a, &b) == -1)
			core_errors_add(&errs, "to", "must be YYYY, YYYY-MM or "
			    "YYYY-Qn");
		else {
			q.to = b;
			q.has_to = 1;
		}
	}
	if (errs.nfields == 0 && q.from > q.to)
		core_errors_add(&errs, "to", "before from");
	q.agency = srv_http_query(rq, "agency");
	if (q.agency != NULL && (!core_id_ok(q.agency) ||
	    store_read(ctx->store, agency_exists_read,
	    (void *)(uintptr_t)q.agency) != STORE_OK))
		core_errors_add(&errs, "agency", "unknown");
	if (errs.nfields > 0) {
		errs.message = "Some query parameters are not valid.";
		srv_http_error_core(rp, CORE_INVALID, &errs);
		return;
	}
	q.threshold = ctx->cfg->suppression_threshold;
	rc = store_read(ctx->store, stats_read, &q);
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		return;
	}
	srv_http_ok(rp, 200, q.out);
}

/* ---- GET /reports/periodic ------------------------------------------------------ */

/* "YYYY-MM-DDTHH:MM:SSZ" to Unix time; -1 if malformed. */
static int64_t
iso_time(const char *s)
{
	char	date[11];
	int32_t	day;

	if (s == NULL || strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (core_date_parse(date, &day) == -1)
		return -1;
	return (int64_t)day * 86400 + ((s[11] - '0') * 10 + (s[12] - '0')) *
	    3600 + ((s[14] - '0') * 10 + (s[15] - '0')) * 60 +
	    (s[17] - '0') * 10 + (s[18] - '0');
}

/* The time and hash of audit entry seq. */
static int
audit_at(struct store_txn *txn, uint64_t seq, int64_t *at,
    uint8_t hash[CRYPTO_HASH_BYTES])
{
	uint8_t		 key[8];
	const void	*v;
	const uint8_t	*h;
	const char	*text;
	size_t		 vlen, len;
	uint64_t	 s;
	json_t		*e;
	int		 rc;

	store_be64_put(key, seq);
	if ((rc = store_get(txn, STORE_T_AUDIT, key, 8, &v, &vlen)) !=
	    STORE_OK)
		return rc;
	if (srv_audit_entry(key, 8, v, vlen, &s, &h, &text, &len) == -1)
		return STORE_CORRUPT;
	e = json_loadb(text, len, 0, NULL);
	*at = iso_time(json_string_value(json_object_get(e, "at")));
	json_decref(e);
	if (*at < 0)
		return STORE_CORRUPT;
	memcpy(hash, h, CRYPTO_HASH_BYTES);
	return STORE_OK;
}

/*
 * The audit head at `end`: the current signed head if the period is not
 * over, else the last entry made before `end` (entries are in time order
 * up to the second: a binary search over their numbers). NULL JSON if
 * there is none.
 */
static int
audit_head_at(struct store_txn *txn, time_t end, time_t now, json_t **out)
{
	uint8_t		hash[CRYPTO_HASH_BYTES], sig[CRYPTO_SIG_BYTES];
	char		hex[CRYPTO_HASH_BYTES * 2 + 1], at[21], b64[128];
	uint64_t	head, lo, hi, mid, found = 0;
	int64_t		t, found_at = 0;
	size_t		i;
	int		rc;

	*out = NULL;
	rc = srv_audit_head(txn, &head, hash, sig);
	if (rc == STORE_NOTFOUND) {
		*out = json_null();
		return STORE_OK;
	}
	if (rc != STORE_OK)
		return rc;
	if (end > now) {
		for (i = 0; i < CRYPTO_HASH_BYTES; i++)
			snprintf(hex + 2 * i, 3, "%02x", hash[i]);
		crypto_b64_encode(sig, sizeof(sig), b64);
		*out = json_pack("{s:I, s:s, s:s, s:b}", "seq", (json_int_t)head,
		    "hash", hex, "signature", b64, "current", 1);
		return *out != NULL ? STORE_OK : STORE_IO;
	}
	lo = 1;
	hi = head;
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if ((rc = audit_at(txn, mid, &t, hash)) != STORE_OK)
			return rc;
		if (t < (int64_t)end) {
			found = mid;
			found_at = t;
			lo = mid + 1;
		} else
			hi = mid - 1;
	}
	if (found == 0) {
		*out = json_null();
		return STORE_OK;
	}
	if ((rc = audit_at(txn, found, &t, hash)) != STORE_OK)
		return rc;
	for (i = 0; i < CRYPTO_HASH_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
	core_time_iso((time_t)found_at, at);
	*out = json_pack("{s:I, s:s, s:s, s:b}", "seq", (json_int_t)found,
	    "hash", hex, "at", at, "current", 0);
	return *out != NULL ? STORE_OK : STORE_IO;
}

struct periodic_read {
	int32_t		 from, to;
	time_t		 now;
	json_t		*rows, *unassigned, *total, *head;
};

static json_t *
periodic_row(const struct grp *g)
{
	double r = rating_mean(g);

	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I}",
	    "received", (json_int_t)received(g),
	    "dispositioned", (json_int_t)(g->status[CORE_ST_DISPOSITIONED] +
	    g->status[CORE_ST_IN_PROGRESS] + g->status[CORE_ST_RESOLVED] +
	    g->status[CORE_ST_CLOSED]),
	    "answered_on_time", (json_int_t)g->met[CORE_STAGE_RESPOND],
	    "resolved", (json_int_t)(g->status[CORE_ST_RESOLVED] +
	    g->status[CORE_ST_CLOSED]),
	    "outstanding", (json_int_t)(g->status[CORE_ST_SUBMITTED] +
	    g->status[CORE_ST_DISPOSITIONED] + g->status[CORE_ST_IN_PROGRESS]),
	    "overdue", (json_int_t)g->overdue,
	    "rating", r < 0 ? json_null() : json_real(round_to(r, 0.01)),
	    "ratings", (json_int_t)ratings(g));
}

struct agency_rows {
	struct store_txn	*txn;
	struct sums		*s;
	json_t			*rows;
	int			 fail;
};

static int
agency_row(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct agency_rows	*a = arg;
	struct grp		 sum;
	json_t			*rec, *row;
	char			 id[CORE_ID_MAX + 1];
	size_t			 i;

	if (klen > CORE_ID_MAX || vlen < 2 ||
	    ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	memcpy(id, key, klen);
	id[klen] = '\0';
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < a->s->n; i++)
		if (strcmp(a->s->g[i].agency, id) == 0 &&
		    grp_merge(&sum, &a->s->g[i]) == -1)
			a->fail = 1;
	rec = json_loadb((const char *)val + 1, vlen - 1, 0, NULL);
	row = periodic_row(&sum);
	grp_free(&sum);
	if (row == NULL || a->fail) {
		json_decref(rec);
		json_decref(row);
		return STORE_IO;
	}
	json_object_set_new(row, "agency", json_string(id));
	json_object_set(row, "name", json_is_string(json_object_get(rec,
	    "name")) ? json_object_get(rec, "name") : json_null());
	json_decref(rec);
	return json_array_append_new(a->rows, row) == 0 ? 0 : STORE_IO;
}

static int
periodic_read(struct store_txn *txn, void *arg)
{
	struct periodic_read	*p = arg;
	struct agency_rows	 a;
	struct sums		 s = { 0 };
	struct grp		 un = { 0 }, tot = { 0 };
	size_t			 i = 0;
	int			 rc = STORE_IO;

	memset(&s, 0, sizeof(s));
	memset(&un, 0, sizeof(un));
	memset(&tot, 0, sizeof(tot));
	s.from = p->from;
	s.to = p->to;
	if ((rc = sums_read(txn, &s)) != STORE_OK)
		goto out;
	rc = STORE_IO;
	for (i = 0; i < s.n; i++)
		if (grp_merge(&tot, &s.g[i]) == -1 || (s.g[i].agency[0] ==
		    '\0' && grp_merge(&un, &s.g[i]) == -1))
			goto out;
	if ((p->rows = json_array()) == NULL)
		goto out;
	a.txn = txn;
	a.s = &s;
	a.rows = p->rows;
	a.fail = 0;
	if ((rc = store_each(txn, STORE_T_AGENCIES, NULL, 0, NULL, 0,
	    agency_row, &a)) != STORE_OK)
		goto out;
	rc = STORE_IO;
	if ((p->unassigned = periodic_row(&un)) == NULL ||
	    (p->total = periodic_row(&tot)) == NULL)
		goto out;
	rc = audit_head_at(txn, core_month_start(p->to + 1), p->now, &p->head);
 out:
	for (i = 0; i < s.n; i++)
		grp_free(&s.g[i]);
	free(s.g);
	grp_free(&un);
	grp_free(&tot);
	return rc;
}

/* The CSV answer: a line an agency of a dozen short fields (names are
 * at most a few hundred bytes); even ten thousand agencies are under
 * 16 MiB. Past it the answer is refused, never cut short. */
#define CSV_MAX		(16 * 1024 * 1024)

static void
cbuf_put(struct core_buf *b, const char *s, size_t n)
{
	core_buf_add(b, s, n);
}

/* A CSV field (RFC 4180): quoted when needed; a leading =, +, - or @ is
 * prefixed with ' so that a spreadsheet does not run it as a formula. */
static void
csv_field(struct core_buf *b, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		cbuf_put(b, "\"", 1);
	if (s[0] != '\0' && strchr("=+-@", s[0]) != NULL)
		cbuf_put(b, "'", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			cbuf_put(b, "\"\"", 2);
		else
			cbuf_put(b, s, 1);
	}
	if (quote)
		cbuf_put(b, "\"", 1);
}

static void
csv_line(struct core_buf *b, const char *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			cbuf_put(b, ",", 1);
		csv_field(b, f[i]);
	}
	cbuf_put(b, "\r\n", 2);
}

static char *
periodic_csv(const char *period, const struct periodic_read *p, size_t *len)
{
	static const char *const head[] = {
		"period", "agency", "name", "received", "dispositioned",
		"answered_on_time", "resolved", "outstanding", "overdue",
		"rating", "audit_seq", "audit_head",
	};
	static const char *const num[] = {
		"received", "dispositioned", "answered_on_time", "resolved",
		"outstanding", "overdue",
	};
	struct core_buf	 b;
	char		 nums[6][32], seq[32], rating[32];
	const char	*f[12];
	size_t		 i, k;
	json_t		*row;

	core_buf_init(&b, CSV_MAX);
	csv_line(&b, head, 12);
	snprintf(seq, sizeof(seq), "%lld", json_is_object(p->head) ?
	    (long long)json_integer_value(json_object_get(p->head, "seq")) : 0);
	json_array_foreach(p->rows, i, row) {
		f[0] = period;
		f[1] = json_string_value(json_object_get(row, "agency"));
		f[2] = json_is_string(json_object_get(row, "name")) ?
		    json_string_value(json_object_get(row, "name")) : "";
		for (k = 0; k < 6; k++) {
			snprintf(nums[k], sizeof(nums[k]), "%lld", (long long)
			    json_integer_value(json_object_get(row, num[k])));
			f[3 + k] = nums[k];
		}
		if (json_is_number(json_object_get(row, "rating")))
			snprintf(rating, sizeof(rating), "%.2f",
			    json_number_value(json_object_get(row, "rating")));
		else
			rating[0] = '\0';
		f[9] = rating;
		f[10] = json_is_object(p->head) ? seq : "";
		f[11] = json_is_object(p->head) ? json_string_value(
		    json_object_get(p->head, "hash")) : "";
		csv_line(&b, f, 12);
	}
	return core_buf_take(&b, len);
}

void
api_stats_periodic(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	static const char *const allowed[] = { "period", "format" };
	struct srv_staff	 st;
	struct periodic_read	 p = { 0 };
	struct core_errors	 errs;
	const char		*period = srv_http_query(rq, "period");
	const char		*format = srv_http_query(rq, "format");
	char			 mf[8], mt[8], name[64], at[21], *csv;
	size_t			 len;
	int			 rc, ok;

	if (srv_auth_staff(ctx, rq, &st, rp) == -1)
		return;
	ok = st.role == CORE_ROLE_AUDITOR || st.role == CORE_ROLE_CENTRAL_ADMIN;
	crypto_wipe(&st, sizeof(st));
	if (!ok) {
		srv_http_error(rp, 403, "forbidden",
		    "Only auditors and central "
		    "admins may read periodic reports.");
		return;
	}
	memset(&errs, 0, sizeof(errs));
	memset(&p, 0, sizeof(p));
	if (srv_http_query_check(rq, allowed, 2) == -1) {
		errs.message = "The query has a parameter that is not known or "
		    "is repeated.";
		srv_http_error_core(rp, CORE_MALFORMED, &errs);
		return;
	}
	if (period == NULL)
		core_errors_add(&errs, "period", "required");
	else if (core_period_parse(period, &p.from, &p.to) == -1 ||
	    strlen(period) == 4)
		core_errors_add(&errs, "period", "must be YYYY-Qn or YYYY-MM");
	if (format != NULL && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0)
		core_errors_add(&errs, "format", "must be json or csv");
	if (errs.nfields > 0) {
		errs.message = "Name the period as YYYY-Qn or YYYY-MM and the "
		    "format as json or csv.";
		srv_http_error_core(rp, CORE_INVALID, &errs);
		return;
	}
	p.now = rq->now;
	rc = store_read(ctx->store, periodic_read, &p);
	if (rc != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	if (format != NULL && strcmp(format, "csv") == 0) {
		if ((csv = periodic_csv(period, &p, &len)) == NULL) {
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
			goto out;
		}
		snprintf(name, sizeof(name), "laporan-berkala-%s.csv", period);
		srv_http_ok_bytes(rp, (uint8_t *)csv, len,
		    "text/csv; charset=utf-8", name);
		goto out;
	}
	core_month_format(p.from, mf);
	core_month_format(p.to, mt);
	core_time_iso(rq->now, at);
	srv_http_ok(rp, 200,
	    json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:O, s:O}",
	    "period", period, "from", mf, "to", mt, "generated_at", at,
	    "rows", p.rows, "unassigned", p.unassigned, "total", p.total,
	    "audit_head", p.head));
 out:
	json_decref(p.rows);
	json_decref(p.unassigned);
	json_decref(p.total);
	json_decref(p.head);
}
