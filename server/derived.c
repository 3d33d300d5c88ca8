/*
 * derived.c: the derived data of case records, kept in step with them.
 *
 * Whatever is computed from a case record (its statistics counters, the
 * deadlines still to watch, whether it waits for retention, whether it
 * is published) is stored beside it in the stats table (server.h gives
 * the key layouts) and changed only here, by srv_derived_update(), which
 * srv_case_put() calls with the stored and the new record in the same
 * transaction: the derived entries of the old record go, those of the
 * new one come (equal ones cancel, so a write that changes nothing
 * derived writes nothing more). A recount (srv_derived_rebuild, `bisikd
 * stats rebuild`) must find exactly what is stored; the counts of
 * shredded cases, whose records are gone, are kept under "r:" so that
 * the recount can add them back.
 *
 * What a case counts as is core's rule (core_stat_items): it must depend
 * on the record alone. The one thing that changes with time alone, a
 * deadline passing while nobody acts, is written into the record by the
 * deadline watch (watch.c): "missed": {"stage": due} for each watched
 * deadline that passed.
 *
 * Dimensions: the month of submission (WIB), the case's agency (the one
 * it is routed to, or the reporter's suggestion while it is not; "" for
 * none: the queue counters use the same) and its category ("" for none).
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

/* "s:" ‖ month ‖ agency ‖ 0 ‖ category ‖ 0 ‖ stat ‖ arg */
#define SKEY_MAX	(2 + 4 + CORE_ID_MAX + 1 + CORE_ID_MAX + 1 + 3)
#define DKEYS_MAX	(CORE_STAT_ITEMS_MAX + CORE_STAGE_MAX + 2)

static const char *const stage_fields[CORE_STAGE_MAX] = {
	"dispose_due", "accept_due", "respond_due", "resolve_due",
};

static int64_t
ifield(const json_t *m, const char *name)
{
	const json_t *v = json_object_get(m, name);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

static const char *
sfield(const json_t *m, const char *name)
{
	const char *s = json_string_value(json_object_get(m, name));

	return s != NULL && strlen(s) <= CORE_ID_MAX ? s : "";
}

static void
facts_of(const json_t *m, struct core_case_facts *f)
{
	const json_t	*missed = json_object_get(m, "missed");
	int		 s;

	core_case_facts_init(f);
	f->status = srv_qindex_case_status(m);
	f->created_at = ifield(m, "created_at");
	f->disposed_at = ifield(m, "disposed_at");
	f->accepted_at = ifield(m, "accepted_at");
	f->responded_at = ifield(m, "responded_at");
	f->resolved_at = ifield(m, "resolved_at");
	f->rejected_at = ifield(m, "rejected_at");
	for (s = 0; s < CORE_STAGE_MAX; s++) {
		f->due[s] = ifield(m, stage_fields[s]);
		f->missed[s] = ifield(missed, core_stage_name(s));
	}
	f->rating = (int)ifield(m, "rating");
	if (f->rating < 0)
		f->rating = 0;
}

/* ---- keys -------------------------------------------------------------------- */

static size_t
skey(uint8_t k[SKEY_MAX], const char *prefix, int32_t month,
    const char *agency, const char *category, int stat, int arg)
{
	size_t a = strlen(agency), c = strlen(category), o = 0;

	memcpy(k, prefix, 2);
	o = 2;
	store_be32_put(k + o, (uint32_t)month);
	o += 4;
	memcpy(k + o, agency, a);
	o += a;
	k[o++] = '\0';
	memcpy(k + o, category, c);
	o += c;
	k[o++] = '\0';
	k[o++] = (uint8_t)stat;
	k[o++] = (uint8_t)(arg >> 8);
	k[o++] = (uint8_t)arg;
	return o;
}

int
srv_derived_key_parse(const uint8_t *k, size_t len, struct srv_derived_key *p)
{
	const uint8_t	*a, *c, *z;
	size_t		 al, cl;

	if (len < 2 + 4 + 1 + 1 + 3)
		return -1;
	p->month = (int32_t)store_be32_get(k + 2);
	a = k + 6;
	if ((z = memchr(a, '\0', len - 6)) == NULL ||
	    (al = (size_t)(z - a)) > CORE_ID_MAX)
		return -1;
	c = z + 1;
	if ((z = memchr(c, '\0', len - (size_t)(c - k))) == NULL ||
	    (cl = (size_t)(z - c)) > CORE_ID_MAX ||
	    (size_t)(z - k) + 1 + 3 != len)
		return -1;
	memcpy(p->agency, a, al);
	p->agency[al] = '\0';
	memcpy(p->category, c, cl);
	p->category[cl] = '\0';
	p->stat = z[1];
	p->arg = (z[2] << 8) | z[3];
	return p->stat < CORE_STAT_MAX ? 0 : -1;
}

struct dkey {
	uint8_t	k[SKEY_MAX];
	size_t	len;
	int	counter;	/* 1: "s:" counter, 0: index entry */
	int	used;
};

struct dset {
	struct dkey	e[DKEYS_MAX];
	size_t		n;
};

/* DKEYS_MAX covers every item and index entry of one record. */
static struct dkey *
dset_add(struct dset *d, int counter)
{
	struct dkey *k;

	assert(d->n < DKEYS_MAX);
	k = &d->e[d->n++];
	k->counter = counter;
	k->used = 0;
	return k;
}

/* Time a final case became final, for retention. */
static int64_t
final_since(const json_t *m, int status)
{
	int64_t t = -1;

	if (status == CORE_ST_CLOSED)
		t = ifield(m, "closed_at");
	else if (status == CORE_ST_REJECTED)
		t = ifield(m, "rejected_at");
	else if (status == CORE_ST_MERGED)
		t = ifield(m, "merged_at");
	if (t < 0)
		t = ifield(m, "updated_at");
	return t < 0 ? 0 : t;
}

/* Everything derived from one record. */
static void
derive(const json_t *m, uint64_t seq, struct dset *d)
{
	struct core_case_facts	f;
	struct core_stat_item	it[CORE_STAT_ITEMS_MAX];
	struct dkey		*k;
	int			 stages[CORE_STAGE_MAX];
	const char		*agency = sfield(m, "agency");
	const char		*category = sfield(m, "category");
	int32_t			 month;
	size_t			 n, i;

	d->n = 0;
	facts_of(m, &f);
	month = f.created_at >= 0 ? core_month_of((time_t)f.created_at) : 0;
	n = core_stat_items(&f, it);
	for (i = 0; i < n; i++)
		if ((k = dset_add(d, 1)) != NULL)
			k->len = skey(k->k, SRV_STATS_PREFIX, month, agency,
			    category, it[i].stat, it[i].arg);
	n = core_stat_watch(&f, stages);
	for (i = 0; i < n; i++)
		if ((k = dset_add(d, 0)) != NULL) {
			memcpy(k->k, SRV_WATCH_PREFIX, 2);
			store_be64_put(k->k + 2, (uint64_t)f.due[stages[i]]);
			store_be64_put(k->k + 10, seq);
			k->k[18] = (uint8_t)stages[i];
			k->len = 19;
		}
	if ((f.status == CORE_ST_CLOSED || f.status == CORE_ST_REJECTED ||
	    f.status == CORE_ST_MERGED) &&
	    !json_is_true(json_object_get(m, "legal_hold")) &&
	    (k = dset_add(d, 0)) != NULL) {
		memcpy(k->k, SRV_RETAIN_PREFIX, 2);
		k->k[2] = (uint8_t)f.status;
		store_be64_put(k->k + 3, (uint64_t)final_since(m, f.status));
		store_be64_put(k->k + 11, seq);
		k->len = 19;
	}
	if (json_is_true(json_object_get(m, "published")) &&
	    (k = dset_add(d, 0)) != NULL) {
		int64_t at = ifield(m, "published_at");

		memcpy(k->k, SRV_PUBLIC_PREFIX, 2);
		store_be64_put(k->k + 2, (uint64_t)(at < 0 ? 0 : at));
		store_be64_put(k->k + 10, seq);
		k->len = 18;
	}
}

/* Adds delta to a counter; a counter at zero is deleted. */
static int
counter_add(struct store_txn *txn, const uint8_t *k, size_t klen, int delta)
{
	const void	*v;
	uint8_t		 val[SRV_DERIVED_COUNT_LEN];
	uint64_t	 n = 0;
	size_t		 vlen;
	int		 rc;

	rc = store_get(txn, STORE_T_STATS, k, klen, &v, &vlen);
	if (rc == STORE_OK) {
		if (vlen != SRV_DERIVED_COUNT_LEN || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
			return STORE_CORRUPT;
		n = store_be64_get((const uint8_t *)v + 1);
	} else if (rc != STORE_NOTFOUND)
		return rc;
	if (delta < 0 && n < (uint64_t)-delta) {
		/* Counters that miss a case (a record written before the
		 * counters existed): logged, never below zero; the rebuild
		 * puts them right. */
		srv_log(LOG_WARN, "stats_underflow", "counter=%.2s", k);
		n = 0;
	} else
		n = delta < 0 ? n - (uint64_t)-delta : n + (uint64_t)delta;
	if (n == 0) {
		rc = store_del(txn, STORE_T_STATS, k, klen);
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	}
	val[0] = SRV_RECORD_V1;
	store_be64_put(val + 1, n);
	return store_put(txn, STORE_T_STATS, k, klen, val, sizeof(val), 0);
}

int
srv_derived_update(struct store_txn *txn, uint64_t seq, const json_t *old,
    const json_t *meta)
{
	struct dset	a, b;
	size_t		i, j;
	int		rc;

	a.n = b.n = 0;
	if (old != NULL)
		derive(old, seq, &a);
	if (meta != NULL)
		derive(meta, seq, &b);
	for (i = 0; i < a.n; i++)
		for (j = 0; j < b.n; j++)
			if (!b.e[j].used && a.e[i].len == b.e[j].len &&
			    memcmp(a.e[i].k, b.e[j].k, a.e[i].len) == 0) {
				a.e[i].used = b.e[j].used = 1;
				break;
			}
	for (i = 0; i < a.n; i++) {
		if (a.e[i].used)
			continue;
		if (a.e[i].counter && meta == NULL) {
			/* Shredded: the counts stay; the recount finds them
			 * under "r:". */
			memcpy(a.e[i].k, SRV_RETAINED_PREFIX, 2);
			rc = counter_add(txn, a.e[i].k, a.e[i].len, 1);
		} else if (a.e[i].counter)
			rc = counter_add(txn, a.e[i].k, a.e[i].len, -1);
		else {
			rc = store_del(txn, STORE_T_STATS, a.e[i].k, a.e[i].len);
			if (rc == STORE_NOTFOUND)
				rc = STORE_OK;
		}
		if (rc != STORE_OK)
			return rc;
	}
	for (j = 0; j < b.n; j++) {
		if (b.e[j].used)
			continue;
		rc = b.e[j].counter ? counter_add(txn, b.e[j].k, b.e[j].len, 1) :
		    store_put(txn, STORE_T_STATS, b.e[j].k, b.e[j].len, "", 0, 0);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int
srv_derived_put(struct store_txn *txn, uint64_t seq, const json_t *meta)
{
	uint8_t	 key[8];
	json_t	*old = NULL;
	int	 rc;

	store_be64_put(key, seq);
	rc = srv_record_get(txn, STORE_T_CASES, key, 8, &old);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return rc;
	rc = srv_derived_update(txn, seq, old, meta);
	json_decref(old);
	return rc;
}

/* ---- the recount (bisikd stats rebuild) ---------------------------------------- */

struct ment {
	uint8_t		*key;
	size_t		 klen;
	uint64_t	 a, b;		/* count; queue counters: total, unread */
	int		 seen;
	struct ment	*next;
};

struct map {
	struct ment	**bucket;
	size_t		  nb, n;
	int		  fail;
};

static uint64_t
fnv(const uint8_t *k, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h;
}

static struct ment *
map_get(struct map *m, const uint8_t *k, size_t klen, int create)
{
	struct ment	*e, **nb;
	size_t		 i, h;

	if (m->fail)
		return NULL;
	if (m->nb == 0 || (create && m->n > m->nb * 2)) {
		size_t nnb = m->nb ? m->nb * 4 : 1024;

		if ((nb = calloc(nnb, sizeof(*nb))) == NULL) {
			m->fail = 1;
			return NULL;
		}
		for (i = 0; i < m->nb; i++)
			while ((e = m->bucket[i]) != NULL) {
				m->bucket[i] = e->next;
				h = fnv(e->key, e->klen) % nnb;
				e->next = nb[h];
				nb[h] = e;
			}
		free(m->bucket);
		m->bucket = nb;
		m->nb = nnb;
	}
	h = fnv(k, klen) % m->nb;
	for (e = m->bucket[h]; e != NULL; e = e->next)
		if (e->klen == klen && memcmp(e->key, k, klen) == 0)
			return e;
	if (!create)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->key = malloc(klen)) == NULL) {
		free(e);
		m->fail = 1;
		return NULL;
	}
	memcpy(e->key, k, klen);
	e->klen = klen;
	e->next = m->bucket[h];
	m->bucket[h] = e;
	m->n++;
	return e;
}

static void
map_free(struct map *m)
{
	struct ment	*e;
	size_t		 i;

	for (i = 0; i < m->nb; i++)
		while ((e = m->bucket[i]) != NULL) {
			m->bucket[i] = e->next;
			free(e->key);
			free(e);
		}
	free(m->bucket);
	memset(m, 0, sizeof(*m));
}

static int
recount_case(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct map	*m = arg;
	struct dset	 d;
	struct srv_qpos	 q;
	struct ment	*e;
	uint8_t		 qk[SRV_IDX_KEY_MAX];
	json_t		*meta;
	size_t		 i, ql;

	if (klen != 8 || srv_record_decode(val, vlen, &meta) != STORE_OK)
		return STORE_CORRUPT;
	derive(meta, store_be64_get(key), &d);
	for (i = 0; i < d.n; i++)
		if ((e = map_get(m, d.e[i].k, d.e[i].len, 1)) != NULL)
			e->a += d.e[i].counter ? 1 : 0;
	srv_qindex_pos_of(meta, &q);
	if (q.status >= 0) {
		ql = srv_qindex_counter_key(qk, q.agency, q.status);
		if ((e = map_get(m, qk, ql, 1)) != NULL) {
			e->a++;
			e->b += q.unread ? 1 : 0;
		}
	}
	json_decref(meta);
	return m->fail ? STORE_IO : 0;
}

static int
add_retained(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct map	*m = arg;
	struct ment	*e;
	uint8_t		 k[SKEY_MAX];

	if (klen > SKEY_MAX || vlen != SRV_DERIVED_COUNT_LEN)
		return STORE_CORRUPT;
	memcpy(k, key, klen);
	memcpy(k, SRV_STATS_PREFIX, 2);
	if ((e = map_get(m, k, klen, 1)) == NULL)
		return STORE_IO;
	e->a += store_be64_get((const uint8_t *)val + 1);
	return 0;
}

/* One key, for people. */
static void
describe(const uint8_t *k, size_t klen, char *out, size_t outlen)
{
	static const char *const stats[CORE_STAT_MAX] = {
		"status", "met", "late", "days_to_disposition",
		"days_to_resolution", "rating", "overdue",
	};
	struct srv_derived_key	p;
	char			mon[8];

	if (klen >= 2 && memcmp(k, SRV_STATS_PREFIX, 2) == 0 &&
	    srv_derived_key_parse(k, klen, &p) == 0) {
		core_month_format(p.month, mon);
		snprintf(out, outlen, "counter %s agency=%s category=%s %s=%s",
		    mon, p.agency[0] ? p.agency : "-",
		    p.category[0] ? p.category : "-", stats[p.stat],
		    p.stat == CORE_STAT_STATUS ? (core_status_name(p.arg) ?
		    core_status_name(p.arg) : "?") : p.stat == CORE_STAT_MET ||
		    p.stat == CORE_STAT_LATE ? (core_stage_name(p.arg) ?
		    core_stage_name(p.arg) : "?") : "");
		if (p.stat != CORE_STAT_STATUS && p.stat != CORE_STAT_MET &&
		    p.stat != CORE_STAT_LATE)
			snprintf(out + strlen(out), outlen - strlen(out), "%d",
			    p.arg);
	} else if (klen == 19 && memcmp(k, SRV_WATCH_PREFIX, 2) == 0)
		snprintf(out, outlen, "deadline watch case=%" PRIu64
		    " stage=%s due=%" PRIu64, store_be64_get(k + 10),
		    core_stage_name(k[18]) ? core_stage_name(k[18]) : "?",
		    store_be64_get(k + 2));
	else if (klen == 19 && memcmp(k, SRV_RETAIN_PREFIX, 2) == 0)
		snprintf(out, outlen, "retention case=%" PRIu64 " status=%s",
		    store_be64_get(k + 11), core_status_name(k[2]) ?
		    core_status_name(k[2]) : "?");
	else if (klen == 18 && memcmp(k, SRV_PUBLIC_PREFIX, 2) == 0)
		snprintf(out, outlen, "published case=%" PRIu64,
		    store_be64_get(k + 10));
	else if (klen >= 4 && memcmp(k, SRV_COUNTER_PREFIX, 2) == 0)
		snprintf(out, outlen, "queue counter agency=%.*s status=%s",
		    (int)(klen - 4), (const char *)k + 2,
		    core_status_name(k[klen - 1]) ? core_status_name(k[klen - 1]) :
		    "?");
	else
		snprintf(out, outlen, "entry of %zu bytes", klen);
}

struct rebuild {
	struct map	 map;
	FILE		*out;
	int		 fix;
	size_t		 diffs;
};

/* Values of a stored entry: counters (a), queue counters (a, b),
 * index entries (none). */
static int
stored_values(const uint8_t *k, const uint8_t *v, size_t vlen, uint64_t *a,
    uint64_t *b)
{
	*a = *b = 0;
	if (memcmp(k, SRV_STATS_PREFIX, 2) == 0) {
		if (vlen != SRV_DERIVED_COUNT_LEN || v[0] != SRV_RECORD_V1)
			return -1;
		*a = store_be64_get(v + 1);
	} else if (memcmp(k, SRV_COUNTER_PREFIX, 2) == 0) {
		if (vlen != 17 || v[0] != SRV_RECORD_V1)
			return -1;
		*a = store_be64_get(v + 1);
		*b = store_be64_get(v + 9);
	} else if (vlen != 0)
		return -1;
	return 0;
}

static int
compare_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct rebuild	*r = arg;
	struct ment	*e;
	uint64_t	 a, b;
	char		 what[256];

	e = map_get(&r->map, key, klen, 0);
	describe(key, klen, what, sizeof(what));
	if (stored_values(key, val, vlen, &a, &b) == -1) {
		fprintf(r->out, "%s: stored value is malformed\n", what);
		r->diffs++;
	} else if (e == NULL && a == 0 && b == 0) {
		/* Queue counters stay at zero (workflow.c): not a count. */
	} else if (e == NULL) {
		fprintf(r->out, "%s: stored %" PRIu64 ", recounted nothing\n",
		    what, a);
		r->diffs++;
	} else if (e->a != a || e->b != b) {
		if (memcmp(key, SRV_COUNTER_PREFIX, 2) == 0)
			fprintf(r->out, "%s: stored %" PRIu64 " (unread %" PRIu64
			    "), recounted %" PRIu64 " (unread %" PRIu64 ")\n",
			    what, a, b, e->a, e->b);
		else
			fprintf(r->out, "%s: stored %" PRIu64 ", recounted %"
			    PRIu64 "\n", what, a, e->a);
		r->diffs++;
	}
	if (e != NULL)
		e->seen = 1;
	return 0;
}

static const char *const rebuild_prefixes[] = {
	SRV_STATS_PREFIX, SRV_WATCH_PREFIX, SRV_RETAIN_PREFIX,
	SRV_PUBLIC_PREFIX, SRV_COUNTER_PREFIX,
};

static int
rebuild_compare(struct store_txn *txn, void *arg)
{
	struct rebuild	*r = arg;
	struct ment	*e;
	char		 what[256];
	size_t		 i;
	int		 rc;

	map_free(&r->map);
	r->diffs = 0;
	if ((rc = store_each(txn, STORE_T_CASES, NULL, 0, NULL, 0,
	    recount_case, &r->map)) != STORE_OK)
		return rc;
	if ((rc = store_each(txn, STORE_T_STATS, SRV_RETAINED_PREFIX, 2,
	    SRV_RETAINED_PREFIX, 2, add_retained, &r->map)) != STORE_OK)
		return rc;
	for (i = 0; i < sizeof(rebuild_prefixes) / sizeof(rebuild_prefixes[0]);
	    i++)
		if ((rc = store_each(txn, STORE_T_STATS, rebuild_prefixes[i], 2,
		    rebuild_prefixes[i], 2, compare_each, r)) != STORE_OK)
			return rc;
	for (i = 0; i < r->map.nb; i++)
		for (e = r->map.bucket[i]; e != NULL; e = e->next) {
			if (e->seen)
				continue;
			describe(e->key, e->klen, what, sizeof(what));
			fprintf(r->out, "%s: stored nothing, recounted %" PRIu64
			    "\n", what, e->a);
			r->diffs++;
		}
	return STORE_OK;
}

/* Collects the stored keys of the prefixes, to be deleted. */
struct keylist {
	uint8_t	**k;
	size_t	 *len, n, cap;
};

static int
collect_key(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct keylist	*l = arg;
	uint8_t		**nk;
	size_t		 *nl, cap;

	(void)val;
	(void)vlen;
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 1024;
		/* Both arrays grow before the capacity says so. */
		if ((nk = reallocarray(l->k, cap, sizeof(*nk))) == NULL)
			return STORE_IO;
		l->k = nk;
		if ((nl = reallocarray(l->len, cap, sizeof(*nl))) == NULL)
			return STORE_IO;
		l->len = nl;
		l->cap = cap;
	}
	if ((l->k[l->n] = malloc(klen)) == NULL)
		return STORE_IO;
	memcpy(l->k[l->n], key, klen);
	l->len[l->n++] = klen;
	return 0;
}

static int
rebuild_fix(struct store_txn *txn, void *arg)
{
	struct rebuild	*r = arg;
	struct keylist	 l;
	struct ment	*e;
	uint8_t		 val[17];
	size_t		 i;
	int		 rc = STORE_OK;

	if ((rc = rebuild_compare(txn, r)) != STORE_OK)
		return rc;
	memset(&l, 0, sizeof(l));
	for (i = 0; i < sizeof(rebuild_prefixes) / sizeof(rebuild_prefixes[0]) &&
	    rc == STORE_OK; i++)
		rc = store_each(txn, STORE_T_STATS, rebuild_prefixes[i], 2,
		    rebuild_prefixes[i], 2, collect_key, &l);
	for (i = 0; i < l.n; i++) {
		if (rc == STORE_OK)
			rc = store_del(txn, STORE_T_STATS, l.k[i], l.len[i]);
		free(l.k[i]);
	}
	free(l.k);
	free(l.len);
	for (i = 0; i < r->map.nb && rc == STORE_OK; i++)
		for (e = r->map.bucket[i]; e != NULL && rc == STORE_OK;
		    e = e->next) {
			val[0] = SRV_RECORD_V1;
			if (memcmp(e->key, SRV_STATS_PREFIX, 2) == 0) {
				store_be64_put(val + 1, e->a);
				rc = store_put(txn, STORE_T_STATS, e->key,
				    e->klen, val, SRV_DERIVED_COUNT_LEN, 0);
			} else if (memcmp(e->key, SRV_COUNTER_PREFIX, 2) == 0) {
				store_be64_put(val + 1, e->a);
				store_be64_put(val + 9, e->b);
				rc = store_put(txn, STORE_T_STATS, e->key,
				    e->klen, val, 17, 0);
			} else
				rc = store_put(txn, STORE_T_STATS, e->key,
				    e->klen, "", 0, 0);
		}
	/* A repair is an operator's change: audited like one. */
	if (rc == STORE_OK && r->diffs > 0) {
		const struct srv_keys	*keys = srv_audit_keys();
		json_t			*d = json_pack("{s:I}", "differences",
					    (json_int_t)r->diffs);

		rc = keys == NULL || d == NULL ? STORE_INVALID :
		    srv_audit_append(txn, keys, time(NULL), "operator",
		    "stats.rebuild", NULL, NULL, d);
		json_decref(d);
	}
	return rc;
}

int
srv_derived_rebuild(struct store *s, FILE *out, int fix, size_t *diffs)
{
	struct rebuild	r;
	int		rc;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.fix = fix;
	rc = fix ? store_write(s, rebuild_fix, &r) :
	    store_read(s, rebuild_compare, &r);
	*diffs = r.diffs;
	map_free(&r.map);
	return rc;
}
