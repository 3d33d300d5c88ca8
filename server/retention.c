/*
 * retention.c: deleting cases whose time is over, and the legal hold that
 * stops it.
 *
 * Policy (config "retention"): months a case is kept once it is closed,
 * rejected or merged; a state without a number is kept for ever. A legal
 * hold set by a central admin (POST /cases/{case}/hold, api_hold.c) takes
 * a case out of retention until it is released.
 *
 * Which cases are due is read from the retention index ("x:" ‖ status ‖
 * since ‖ case in the stats table, kept by derived.c for every final case
 * without a hold), so a sweep looks only at due cases. Shredding one case
 * is, in one write transaction:
 *   - its LSH band keys (computed from its text, opened first);
 *   - its derived entries: counters stay (moved under "r:" for the
 *     recount), the watch, retention and publication entries go;
 *   - its queue index entries and counters;
 *   - its timeline, attachments, sealed content, identity record and
 *     token(s);
 *   - its record, and with it the data key wrapped by the storage key:
 *     without it nothing of the case can be opened (crypto-shredding),
 *     even where old bytes of the case linger in the data file;
 *   - an audit entry "case_shredded" (actor "system": case reference,
 *     status, why).
 * A surviving case takes the cases merged into it along (their reporters
 * followed it, and it is gone); if one of them is on hold, the survivor
 * waits too.
 *
 * LMDB keeps deleted bytes in free pages until they are reused; the
 * ciphertext there no longer opens, and `bisikd compact` (store_compact)
 * rewrites the file so that not even ciphertext remains.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

/* Merge chains followed at most when shredding (as api_followup.c). */
#define MERGE_DEPTH	8

static const int retain_status[SRV_RETAIN_MAX] = {
	CORE_ST_CLOSED, CORE_ST_REJECTED, CORE_ST_MERGED,
};

/*
 * The latest time a case may have become final and be due now: `months`
 * calendar months (in WIB, the day of month kept where the month has it)
 * before now, or months * unit seconds with the test-only unit.
 */
static time_t
cutoff(time_t now, int months, unsigned unit)
{
	struct tm	tm;
	time_t		wib = now + CORE_TZ_OFFSET, start, next;
	int32_t		m;
	int		mday, days;

	if (unit > 0)
		return now - (time_t)months * (time_t)unit;
	if (gmtime_r(&wib, &tm) == NULL)
		return 0;
	m = core_month_of(now) - months;
	if (m < 0)
		return 0;
	start = core_month_start(m);
	next = core_month_start(m + 1);
	days = (int)((next - start) / 86400);
	mday = tm.tm_mday > days ? days : tm.tm_mday;
	return start + (time_t)(mday - 1) * 86400 + tm.tm_hour * 3600 +
	    tm.tm_min * 60 + tm.tm_sec;
}

/* ---- deleting one case ----------------------------------------------------- */

struct keylist {
	uint8_t	 k[2048][16];
	size_t	 len[2048], n;
	int	 more;
};

static int
collect(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct keylist *l = arg;

	(void)val;
	(void)vlen;
	if (klen > sizeof(l->k[0]))
		return STORE_CORRUPT;
	if (l->n == sizeof(l->k) / sizeof(l->k[0])) {
		l->more = 1;
		return STORE_STOP;
	}
	memcpy(l->k[l->n], key, klen);
	l->len[l->n++] = klen;
	return 0;
}

/* Deletes every key of a table that starts with the case's number. */
static int
del_prefix(struct store_txn *txn, enum store_table t, uint64_t seq)
{
	struct keylist	*l;
	uint8_t		 prefix[8];
	size_t		 i;
	int		 rc;

	if ((l = malloc(sizeof(*l))) == NULL)
		return STORE_IO;
	store_be64_put(prefix, seq);
	do {
		l->n = 0;
		l->more = 0;
		rc = store_each(txn, t, prefix, 8, prefix, 8, collect, l);
		if (rc != STORE_OK)
			break;
		rc = STORE_OK;
		for (i = 0; i < l->n && rc == STORE_OK; i++)
			rc = store_del(txn, t, l->k[i], l->len[i]);
	} while (rc == STORE_OK && l->more);
	free(l);
	return rc;
}

static int
del_key(struct store_txn *txn, enum store_table t, uint64_t seq)
{
	uint8_t	key[8];
	int	rc;

	store_be64_put(key, seq);
	rc = store_del(txn, t, key, 8);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

struct shred {
	struct srv_ctx	*ctx;
	time_t		 now;
	uint64_t	 done[SRV_RETAIN_BATCH * 4];	/* shredded, for tokens */
	size_t		 ndone;
	size_t		 budget;	/* cases this job may still shred */
};

/* 1 if the case or one merged into it (at any depth) is on hold. */
static int
held(struct store_txn *txn, const json_t *meta, int depth)
{
	const json_t	*from = json_object_get(meta, "merged_from"), *r;
	uint8_t		 key[8];
	uint64_t	 seq;
	json_t		*m;
	size_t		 i;
	int		 year, h;

	if (json_is_true(json_object_get(meta, "legal_hold")))
		return 1;
	if (depth >= MERGE_DEPTH)
		return 0;
	json_array_foreach(from, i, r) {
		if (core_case_ref_parse(json_string_value(r), &year, &seq) == -1)
			continue;
		store_be64_put(key, seq);
		m = NULL;
		if (srv_record_get(txn, STORE_T_CASES, key, 8, &m) != STORE_OK)
			continue;
		h = held(txn, m, depth + 1);
		json_decref(m);
		if (h)
			return 1;
	}
	return 0;
}

/* The R of the case's sealed identity leaves the index of filed R
 * (identity.c): nothing of a shredded case should stay linkable. */
static int
unindex_identity(struct store_txn *txn, const struct srv_keys *keys,
    const struct srv_case *c)
{
	struct srv_identity	*id;
	int			 rc;

	if ((id = malloc(sizeof(*id))) == NULL)
		return STORE_IO;
	rc = srv_identity_open(txn, c->seq, c->dek, id);
	if (rc == STORE_OK)
		rc = srv_identity_r_release(txn, keys, id->sealed +
		    CRYPTO_IDENTITY_R_OFFSET);
	else if (rc == STORE_NOTFOUND || rc == STORE_CORRUPT)
		rc = STORE_OK;	/* none, or unreadable: the record goes */
	free(id);
	return rc;
}

static int
shred_one(struct store_txn *txn, struct shred *s, uint64_t seq,
    const char *why, int depth)
{
	const struct srv_keys	*keys = s->ctx->keys;
	struct srv_qpos		 q;
	struct srv_case		 c;
	uint8_t			 key[8];
	const json_t		*from, *r;
	json_t			*meta = NULL, *d;
	char			 ref[CORE_CASE_REF_MAX];
	uint64_t		 mseq;
	size_t			 i;
	int			 rc = STORE_IO, year;

	store_be64_put(key, seq);
	rc = srv_record_get(txn, STORE_T_CASES, key, 8, &meta);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	if (s->ndone >= sizeof(s->done) / sizeof(s->done[0])) {
		json_decref(meta);
		return STORE_OK;	/* the next sweep takes it */
	}
	snprintf(ref, sizeof(ref), "%s", json_string_value(json_object_get(meta,
	    "ref")) != NULL ? json_string_value(json_object_get(meta, "ref")) :
	    "");
	/* The cases merged into this one go with it. */
	from = json_object_get(meta, "merged_from");
	if (depth < MERGE_DEPTH)
		json_array_foreach(from, i, r) {
			if (core_case_ref_parse(json_string_value(r), &year,
			    &mseq) == -1 || mseq == seq)
				continue;
			if ((rc = shred_one(txn, s, mseq, "merged_into_shredded",
			    depth + 1)) != STORE_OK)
				goto out;
		}
	/* The band keys are computed from the text, and the identity's R
	 * index entry from the identity: while they still open. */
	if ((rc = srv_case_load(txn, keys, seq, &c)) == STORE_OK) {
		rc = srv_dedup_del(txn, keys, &c);
		if (rc == STORE_OK)
			rc = unindex_identity(txn, keys, &c);
		srv_case_free(&c);
		if (rc != STORE_OK)
			goto out;
	} else if (rc == STORE_CORRUPT)
		srv_log(LOG_WARN, "shred_unreadable", "detail=bands_left");
	else
		goto out;
	/* Counters stay (under "r:"); indexes of the case go. */
	if ((rc = srv_derived_update(txn, seq, meta, NULL)) != STORE_OK)
		goto out;
	srv_qindex_pos_of(meta, &q);
	if (q.status >= 0 && (rc = srv_qindex_move(txn, seq, &q, NULL)) !=
	    STORE_OK)
		goto out;
	if ((rc = del_prefix(txn, STORE_T_TIMELINE, seq)) != STORE_OK ||
	    (rc = del_prefix(txn, STORE_T_ATTACHMENTS, seq)) != STORE_OK ||
	    (rc = del_key(txn, STORE_T_CONTENT, seq)) != STORE_OK ||
	    (rc = del_key(txn, STORE_T_IDENTITY, seq)) != STORE_OK ||
	    (rc = del_key(txn, STORE_T_CASES, seq)) != STORE_OK)
		goto out;
	s->done[s->ndone++] = seq;
	if ((d = json_pack("{s:O, s:s}", "status", json_object_get(meta,
	    "status"), "reason", why)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	rc = srv_audit_append(txn, keys, s->now, "system", "case_shredded",
	    ref, NULL, d);
	json_decref(d);
 out:
	json_decref(meta);
	return rc;
}

/* Reporter tokens name their case in the value only: one walk of the
 * table for the whole batch. */
struct tok_scan {
	const uint64_t	*done;
	size_t		 ndone;
	uint8_t		 (*k)[CRYPTO_HASH_BYTES];
	size_t		 n, cap;
	int		 fail;
};

static int
tok_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct tok_scan	*t = arg;
	uint64_t	 seq;
	size_t		 i, cap;
	void		*nk;

	if (klen != CRYPTO_HASH_BYTES || vlen != 9)
		return 0;
	seq = store_be64_get((const uint8_t *)val + 1);
	for (i = 0; i < t->ndone; i++)
		if (t->done[i] == seq)
			break;
	if (i == t->ndone)
		return 0;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		if ((nk = reallocarray(t->k, cap, sizeof(*t->k))) == NULL)
			return STORE_IO;
		t->k = nk;
		t->cap = cap;
	}
	memcpy(t->k[t->n++], key, CRYPTO_HASH_BYTES);
	return 0;
}

static int
del_tokens(struct store_txn *txn, const uint64_t *done, size_t ndone)
{
	struct tok_scan	t;
	size_t		i;
	int		rc;

	if (ndone == 0)
		return STORE_OK;
	memset(&t, 0, sizeof(t));
	t.done = done;
	t.ndone = ndone;
	rc = store_each(txn, STORE_T_TOKENS, NULL, 0, NULL, 0, tok_each, &t);
	for (i = 0; rc == STORE_OK && i < t.n; i++) {
		rc = store_del(txn, STORE_T_TOKENS, t.k[i], CRYPTO_HASH_BYTES);
		if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
	}
	if (t.k != NULL) {
		crypto_wipe(t.k, t.cap * sizeof(*t.k));
		free(t.k);
	}
	return rc;
}

/* ---- the sweep ---------------------------------------------------------------- */

/* Due cases read per status and sweep: more than a batch, so that a few
 * held ones at the head (a survivor waiting for a case merged into it)
 * do not stop the others. */
#define DUE_SCAN	(SRV_RETAIN_BATCH * 4)

struct due {
	uint64_t	seq[DUE_SCAN];
	size_t		n;
	time_t		cutoff;
};

static int
due_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct due	*d = arg;
	const uint8_t	*k = key;

	(void)val;
	(void)vlen;
	if (klen != 19)
		return STORE_CORRUPT;
	if (store_be64_get(k + 3) > (uint64_t)d->cutoff)
		return STORE_STOP;
	d->seq[d->n++] = store_be64_get(k + 11);
	return d->n == DUE_SCAN ? STORE_STOP : 0;
}

static int
retention_job(struct store_txn *txn, void *arg)
{
	struct shred	*s = arg;
	struct due	 d;
	uint8_t		 prefix[3], key[8];
	json_t		*meta;
	size_t		 i;
	int		 st, rc;

	s->ndone = 0;
	for (st = 0; st < SRV_RETAIN_MAX; st++) {
		int months = s->ctx->cfg->retention_months[st];

		if (!(s->ctx->cfg->retention_policy & (1u << st)))
			continue;
		memset(&d, 0, sizeof(d));
		d.cutoff = months == 0 ? s->now : cutoff(s->now, months,
		    s->ctx->cfg->retention_unit);
		memcpy(prefix, SRV_RETAIN_PREFIX, 2);
		prefix[2] = (uint8_t)retain_status[st];
		rc = store_each(txn, STORE_T_STATS, prefix, 3, prefix, 3,
		    due_each, &d);
		if (rc != STORE_OK)
			return rc;
		for (i = 0; i < d.n && s->ndone < SRV_RETAIN_BATCH; i++) {
			store_be64_put(key, d.seq[i]);
			meta = NULL;
			rc = srv_record_get(txn, STORE_T_CASES, key, 8, &meta);
			if (rc == STORE_OK && !held(txn, meta, 0))
				rc = shred_one(txn, s, d.seq[i], "retention", 0);
			json_decref(meta);
			if (rc != STORE_OK && rc != STORE_NOTFOUND)
				return rc;
		}
	}
	return del_tokens(txn, s->done, s->ndone);
}

int
srv_retention_sweep(struct srv_ctx *ctx, time_t now, size_t *shredded)
{
	struct shred	*s;
	int		 rc;

	*shredded = 0;
	if (ctx->cfg->retention_policy == 0)
		return STORE_OK;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return STORE_IO;
	s->ctx = ctx;
	s->now = now;
	if ((rc = store_write(ctx->store, retention_job, s)) == STORE_OK)
		*shredded = s->ndone;
	free(s);
	return rc;
}

/* ---- the sweeper's tick ---------------------------------------------------------- */

/* Only the sweeper thread calls it. */
static time_t g_last_retention;

void
srv_retention_transparency_sweep(struct srv_ctx *ctx, time_t now)
{
	size_t	n;
	int	rc, rounds = 0;

	if ((rc = srv_watch_sweep(ctx, now, &n)) != STORE_OK)
		srv_log(LOG_ERR, "watch_failed", "error=%s", store_strerror(rc));
	else if (n > 0)
		srv_log(LOG_INFO, "deadlines_passed", "cases=%zu", n);
	if (g_last_retention != 0 && now - g_last_retention <
	    SRV_RETAIN_INTERVAL)
		return;
	g_last_retention = now;
	do {
		if ((rc = srv_retention_sweep(ctx, now, &n)) != STORE_OK) {
			srv_log(LOG_ERR, "retention_failed", "error=%s",
			    store_strerror(rc));
			break;
		}
		if (n > 0)
			srv_log(LOG_INFO, "retention", "shredded=%zu", n);
	} while (n >= SRV_RETAIN_BATCH && ++rounds < 50);
}
