/*
 * table.c: what a job or a reader does inside its transaction.
 *
 * Thin over LMDB, with two additions: arguments are checked here (LMDB
 * would accept a zero-length key in some calls and fail oddly in others),
 * and every error that kills the transaction is noted in the store_txn, so
 * that the writer aborts and retries correctly even when a job drops the
 * error it was given.
 */
#include <stdint.h>
#include <string.h>

#include "store/store_int.h"

/*
 * MDB_val holds a non-const pointer for inputs as well as outputs; LMDB
 * never writes through an input (we do not use MDB_RESERVE).
 */
static void *
store_unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}

/* Records an error that leaves the transaction unusable; maps it. */
static int
store_rc(struct store_txn *t, int rc)
{
	if (store_rc_fatal(rc) && t->fatal == 0)
		t->fatal = rc;
	return store_err_lmdb(rc);
}

static int
store_key_ok(const void *key, size_t klen)
{
	return key != NULL && klen > 0 && klen <= STORE_KEY_MAX;
}

/* LMDB's default key order: bytes, then the shorter first. */
static int
store_keycmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int	 c;

	c = memcmp(a, b, alen < blen ? alen : blen);
	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
store_has_prefix(const MDB_val *k, const void *prefix, size_t plen)
{
	return plen == 0 ||
	    (k->mv_size >= plen && memcmp(k->mv_data, prefix, plen) == 0);
}

/* Whether t may touch table tb; *missing if it is absent (read-only). */
static int
store_table_ok(struct store_txn *t, enum store_table tb, int *missing)
{
	if (t == NULL || (unsigned)tb >= STORE_T_MAX)
		return 0;
	*missing = !t->s->have[tb];
	return 1;
}

int
store_get(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, const void **val, size_t *vlen)
{
	MDB_val	 k, v;
	int	 rc, missing;

	if (!store_table_ok(t, tb, &missing) || !store_key_ok(key, klen) ||
	    val == NULL || vlen == NULL)
		return STORE_INVALID;
	if (missing)
		return STORE_NOTFOUND;
	k.mv_data = store_unconst(key);
	k.mv_size = klen;
	if ((rc = mdb_get(t->txn, t->s->dbi[tb], &k, &v)) != 0)
		return store_rc(t, rc);
	*val = v.mv_data;
	*vlen = v.mv_size;
	return STORE_OK;
}

int
store_put(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, const void *val, size_t vlen, int flags)
{
	MDB_val	 k, v;
	int	 missing;

	if (!store_table_ok(t, tb, &missing) || t->rdonly || missing ||
	    !store_key_ok(key, klen) || (val == NULL && vlen > 0) ||
	    (flags & ~STORE_NOOVERWRITE) != 0)
		return STORE_INVALID;
	k.mv_data = store_unconst(key);
	k.mv_size = klen;
	v.mv_data = store_unconst(val);
	v.mv_size = vlen;
	return store_rc(t, mdb_put(t->txn, t->s->dbi[tb], &k, &v,
	    (flags & STORE_NOOVERWRITE) ? MDB_NOOVERWRITE : 0));
}

int
store_del(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen)
{
	MDB_val	 k;
	int	 missing;

	if (!store_table_ok(t, tb, &missing) || t->rdonly || missing ||
	    !store_key_ok(key, klen))
		return STORE_INVALID;
	k.mv_data = store_unconst(key);
	k.mv_size = klen;
	return store_rc(t, mdb_del(t->txn, t->s->dbi[tb], &k, NULL));
}

/* Walks from the cursor's position with op until the prefix ends. */
static int
store_walk(struct store_txn *t, MDB_cursor *c, MDB_val *k, MDB_val *v,
    int rc, MDB_cursor_op op, const void *prefix, size_t plen,
    store_each_fn cb, void *arg)
{
	int	 r;

	for (; rc == 0; rc = mdb_cursor_get(c, k, v, op)) {
		if (!store_has_prefix(k, prefix, plen))
			return STORE_OK;
		if ((r = cb(k->mv_data, k->mv_size, v->mv_data, v->mv_size,
		    arg)) != 0)
			return r == STORE_STOP ? STORE_OK : r;
	}
	return rc == MDB_NOTFOUND ? STORE_OK : store_rc(t, rc);
}

static int
store_each_args(struct store_txn *t, enum store_table tb, const void *from,
    size_t fromlen, const void *prefix, size_t plen, store_each_fn cb,
    int *missing)
{
	if (!store_table_ok(t, tb, missing) || cb == NULL ||
	    fromlen > STORE_KEY_MAX || plen > STORE_KEY_MAX ||
	    (from == NULL && fromlen > 0) || (prefix == NULL && plen > 0))
		return 0;
	return 1;
}

/*
 * Keys are never empty, so an empty `from` bounds nothing and is taken as
 * NULL. Keys with the prefix form one run of the key order; the walk
 * starts at the later of `from` and the prefix itself.
 */
int
store_each(struct store_txn *t, enum store_table tb, const void *from,
    size_t fromlen, const void *prefix, size_t prefixlen, store_each_fn cb,
    void *arg)
{
	MDB_cursor	*c;
	MDB_val		 k, v;
	int		 rc, r, missing;

	if (!store_each_args(t, tb, from, fromlen, prefix, prefixlen, cb,
	    &missing))
		return STORE_INVALID;
	if (missing)
		return STORE_OK;
	if (prefixlen > 0 && (fromlen == 0 ||
	    store_keycmp(from, fromlen, prefix, prefixlen) < 0)) {
		from = prefix;
		fromlen = prefixlen;
	}
	if ((rc = mdb_cursor_open(t->txn, t->s->dbi[tb], &c)) != 0)
		return store_rc(t, rc);
	if (fromlen > 0) {
		k.mv_data = store_unconst(from);
		k.mv_size = fromlen;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	} else
		rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
	r = store_walk(t, c, &k, &v, rc, MDB_NEXT, prefix, prefixlen, cb, arg);
	mdb_cursor_close(c);
	return r;
}

/*
 * Smallest key above every key starting with p: p with trailing 0xff
 * bytes dropped and the last byte left incremented. 0 if none exists
 * (p is all 0xff), else its length.
 */
static size_t
store_prefix_end(const uint8_t *p, size_t plen, uint8_t *out)
{
	while (plen > 0 && p[plen - 1] == 0xff)
		plen--;
	if (plen == 0)
		return 0;
	memcpy(out, p, plen);
	out[plen - 1]++;
	return plen;
}

int
store_each_rev(struct store_txn *t, enum store_table tb, const void *from,
    size_t fromlen, const void *prefix, size_t prefixlen, store_each_fn cb,
    void *arg)
{
	MDB_cursor	*c;
	MDB_val		 k, v;
	uint8_t		 end[STORE_KEY_MAX];
	const void	*hi = NULL;
	size_t		 hilen = 0, endlen;
	int		 incl = 1, rc, r, missing;

	if (!store_each_args(t, tb, from, fromlen, prefix, prefixlen, cb,
	    &missing))
		return STORE_INVALID;
	if (missing)
		return STORE_OK;
	/* Upper bound: `from` (inclusive) or the prefix's end (exclusive). */
	if (fromlen > 0) {
		hi = from;
		hilen = fromlen;
	}
	if (prefixlen > 0 &&
	    (endlen = store_prefix_end(prefix, prefixlen, end)) > 0 &&
	    (hilen == 0 || store_keycmp(end, endlen, hi, hilen) <= 0)) {
		hi = end;
		hilen = endlen;
		incl = 0;
	}

	if ((rc = mdb_cursor_open(t->txn, t->s->dbi[tb], &c)) != 0)
		return store_rc(t, rc);
	if (hilen > 0) {
		k.mv_data = store_unconst(hi);
		k.mv_size = hilen;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
		if (rc == MDB_NOTFOUND)
			rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
		else if (rc == 0 && !(incl &&
		    store_keycmp(k.mv_data, k.mv_size, hi, hilen) == 0))
			rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
	} else
		rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	r = store_walk(t, c, &k, &v, rc, MDB_PREV, prefix, prefixlen, cb, arg);
	mdb_cursor_close(c);
	return r;
}

int
store_counter_next(struct store_txn *t, const char *name, uint64_t *value)
{
	const void	*v;
	uint8_t		 buf[8];
	size_t		 nlen, vlen;
	uint64_t	 n = 0;
	int		 r;

	if (t == NULL || name == NULL || value == NULL || t->rdonly)
		return STORE_INVALID;
	nlen = strlen(name);
	r = store_get(t, STORE_T_META, name, nlen, &v, &vlen);
	if (r == STORE_OK) {
		/* Counters are 8 bytes big-endian (docs/formats.md). */
		if (vlen != sizeof(buf))
			return STORE_INVALID;
		n = store_be64_get(v);
	} else if (r != STORE_NOTFOUND)
		return r;
	if (n == UINT64_MAX)
		return STORE_INVALID;
	store_be64_put(buf, n + 1);
	if ((r = store_put(t, STORE_T_META, name, nlen, buf, sizeof(buf),
	    0)) != STORE_OK)
		return r;
	*value = n + 1;
	return STORE_OK;
}

int
store_count(struct store_txn *t, enum store_table tb, size_t *n)
{
	MDB_stat	 ms;
	int		 rc, missing;

	if (!store_table_ok(t, tb, &missing) || n == NULL)
		return STORE_INVALID;
	if (missing) {
		*n = 0;
		return STORE_OK;
	}
	if ((rc = mdb_stat(t->txn, t->s->dbi[tb], &ms)) != 0)
		return store_rc(t, rc);
	*n = ms.ms_entries;
	return STORE_OK;
}

void
store_be64_put(uint8_t out[8], uint64_t x)
{
	int	 i;

	for (i = 7; i >= 0; i--) {
		out[i] = x & 0xff;
		x >>= 8;
	}
}

uint64_t
store_be64_get(const uint8_t in[8])
{
	uint64_t	 x = 0;
	int		 i;

	for (i = 0; i < 8; i++)
		x = (x << 8) | in[i];
	return x;
}

void
store_be32_put(uint8_t out[4], uint32_t x)
{
	int	 i;

	for (i = 3; i >= 0; i--) {
		out[i] = x & 0xff;
		x >>= 8;
	}
}

uint32_t
store_be32_get(const uint8_t in[4])
{
	uint32_t	 x = 0;
	int		 i;

	for (i = 0; i < 4; i++)
		x = (x << 8) | in[i];
	return x;
}
