/*
 * store_test.c: store/ against a real LMDB environment in a temporary
 * directory, with real threads and real processes.
 *
 * Covers opening and its refusals, table operations and cursor bounds,
 * counters, group commit (batching, a failing job rolled back alone, the
 * batch's time bound, callbacks of store_write_async, the wait counts),
 * map growth while readers run, damaged files reported and left as they
 * were, read-only opens, backups, durability seen from another process,
 * and a full disk (simulated with RLIMIT_FSIZE, which needs no root).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <lmdb.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/unit/tap.h"

static char	 base[] = "/tmp/bisik-store-XXXXXX";

/* ---- helpers ----------------------------------------------------------- */

/* out = a "/" b; a path too long for the buffer is a broken test setup. */
static void
join(char *out, size_t outsz, const char *a, const char *b)
{
	if ((size_t)snprintf(out, outsz, "%s/%s", a, b) >= outsz) {
		fprintf(stderr, "path too long: %s/%s\n", a, b);
		exit(1);
	}
}

/* Bounded string copy, truncating. */
static void
copy_str(char *out, size_t outsz, const char *in)
{
	size_t	 n = strlen(in);

	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, in, n);
	out[n] = '\0';
}

static void
subdir(char *out, size_t outsz, const char *name)
{
	join(out, outsz, base, name);
	if (mkdir(out, 0700) == -1 && errno != EEXIST) {
		perror(out);
		exit(1);
	}
}

static void
rm_rf(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 p[4096];

	if (lstat(path, &st) == -1)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			join(p, sizeof(p), path, de->d_name);
			rm_rf(p);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	struct stat	 st;
	uint8_t		*b;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		return NULL;
	if ((b = malloc(st.st_size + 1)) == NULL)
		return NULL;
	while (off < (size_t)st.st_size &&
	    (n = read(fd, b + off, st.st_size - off)) > 0)
		off += n;
	close(fd);
	*len = off;
	return b;
}

static int
spit(const char *path, const uint8_t *b, size_t len)
{
	int	 fd, ok;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return -1;
	ok = write(fd, b, len) == (ssize_t)len;
	close(fd);
	return ok ? 0 : -1;
}

static int
same_file(const char *path, const uint8_t *b, size_t len)
{
	uint8_t	*now;
	size_t	 nlen;
	int	 same;

	if ((now = slurp(path, &nlen)) == NULL)
		return 0;
	same = nlen == len && memcmp(now, b, len) == 0;
	free(now);
	return same;
}

static uint8_t
pat(unsigned seed, size_t i)
{
	return (uint8_t)(seed * 131u + i * 7u + (i >> 9));
}

/* A key and value for jobs; the value is a pattern when val is NULL. */
struct kv {
	enum store_table	 t;
	char			 key[64];
	size_t			 klen;
	const void		*val;
	size_t			 vlen;
	unsigned		 seed;
	int			 flags;
	int			 fail;		/* job returns this after put */
	atomic_int		 runs;
	/* read results */
	char			 out[128];
	size_t			 outlen;
	int			 match;
};

static void
kv_set(struct kv *kv, enum store_table t, const char *key, const char *val)
{
	memset(kv, 0, sizeof(*kv));
	kv->t = t;
	copy_str(kv->key, sizeof(kv->key), key);
	kv->klen = strlen(kv->key);
	kv->val = val;
	kv->vlen = val != NULL ? strlen(val) : 0;
}

static int
job_put(struct store_txn *t, void *arg)
{
	struct kv	*kv = arg;
	uint8_t		*buf = NULL;
	size_t		 i;
	int		 r;

	atomic_fetch_add(&kv->runs, 1);
	if (kv->val == NULL) {
		if ((buf = malloc(kv->vlen)) == NULL)
			return STORE_IO;
		for (i = 0; i < kv->vlen; i++)
			buf[i] = pat(kv->seed, i);
	}
	r = store_put(t, kv->t, kv->key, kv->klen,
	    buf != NULL ? buf : kv->val, kv->vlen, kv->flags);
	free(buf);
	if (r != STORE_OK)
		return r;
	return kv->fail;
}

static int
job_del(struct store_txn *t, void *arg)
{
	struct kv	*kv = arg;

	return store_del(t, kv->t, kv->key, kv->klen);
}

/* Copies a short value out, or checks a pattern value in place. */
static int
job_get(struct store_txn *t, void *arg)
{
	struct kv	*kv = arg;
	const uint8_t	*v;
	const void	*vp;
	size_t		 vlen, i;
	int		 r;

	kv->match = 0;
	kv->outlen = 0;
	if ((r = store_get(t, kv->t, kv->key, kv->klen, &vp, &vlen)) != 0)
		return r;
	v = vp;
	if (kv->val == NULL && kv->vlen > 0) {
		kv->match = vlen == kv->vlen;
		for (i = 0; kv->match && i < vlen; i++)
			if (v[i] != pat(kv->seed, i))
				kv->match = 0;
		return STORE_OK;
	}
	kv->outlen = vlen < sizeof(kv->out) - 1 ? vlen : sizeof(kv->out) - 1;
	memcpy(kv->out, v, kv->outlen);
	kv->out[kv->outlen] = '\0';
	kv->match = kv->val != NULL && vlen == kv->vlen &&
	    memcmp(v, kv->val, vlen) == 0;
	return STORE_OK;
}

static int
put_str(struct store *s, const char *k, const char *v, int flags)
{
	struct kv	 kv;

	kv_set(&kv, STORE_T_CASES, k, v);
	kv.flags = flags;
	return store_write(s, job_put, &kv);
}

/* STORE_OK and the value in out, or the error. */
static int
get_str(struct store *s, const char *k, char *out, size_t outsz)
{
	struct kv	 kv;
	int		 r;

	kv_set(&kv, STORE_T_CASES, k, NULL);
	if ((r = store_read(s, job_get, &kv)) == STORE_OK)
		copy_str(out, outsz, kv.out);
	return r;
}

static int
has_value(struct store *s, const char *k, const char *want)
{
	char	 got[128];

	return get_str(s, k, got, sizeof(got)) == STORE_OK &&
	    strcmp(got, want) == 0;
}

/* ---- open -------------------------------------------------------------- */

static void
test_open(const char *d)
{
	struct store	*s = NULL, *s2 = NULL;
	char		 p[4096];
	struct stat	 st;

	join(p, sizeof(p), base, "absent");
	CHECK(store_open(p, STORE_CREATE, &s) == STORE_NOTFOUND &&
	    s == NULL, "open: missing directory is NOTFOUND");
	CHECK(store_open(d, 0, &s) == STORE_NOTFOUND && s == NULL,
	    "open: missing data.mdb without CREATE is NOTFOUND");
	CHECK(store_open(d, STORE_CREATE | STORE_RDONLY, &s) ==
	    STORE_INVALID, "open: CREATE|RDONLY refused");
	CHECK(store_open(d, 0x80, &s) == STORE_INVALID,
	    "open: unknown flag refused");
	CHECK(store_open(d, STORE_CREATE, &s) == STORE_OK && s != NULL,
	    "open: create");
	join(p, sizeof(p), d, "data.mdb");
	CHECK(stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 077) == 0, "open: data.mdb in the directory, 0600");
	CHECK(store_open(d, 0, &s2) == STORE_INVALID && s2 == NULL,
	    "open: second open in one process refused");
	CHECK(store_open(p, 0, &s2) == STORE_INVALID,
	    "open: a file instead of a directory refused");
	CHECK(put_str(s, "k", "v1", 0) == STORE_OK, "open: first write");
	store_close(s);
	s = NULL;
	CHECK(store_open(d, 0, &s) == STORE_OK, "open: reopen existing");
	CHECK(has_value(s, "k", "v1"), "open: value survives close");
	store_close(s);
	store_close(NULL);
}

/* ---- table operations -------------------------------------------------- */

struct badargs {
	int	 r[12];
};

static int
job_badargs(struct store_txn *t, void *arg)
{
	struct badargs	*b = arg;
	char		 big[STORE_KEY_MAX + 1];
	const void	*v;
	size_t		 vl = 1, n;

	memset(big, 'x', sizeof(big));
	b->r[0] = store_put(t, STORE_T_CASES, "", 0, "v", 1, 0);
	b->r[1] = store_put(t, STORE_T_CASES, big, sizeof(big), "v", 1, 0);
	b->r[2] = store_put(t, STORE_T_CASES, big, STORE_KEY_MAX, "v", 1, 0);
	b->r[3] = store_get(t, STORE_T_MAX, "k", 1, &v, &vl);
	b->r[4] = store_get(t, STORE_T_CASES, big, sizeof(big), &v, &vl);
	b->r[5] = store_put(t, STORE_T_CASES, "k", 1, "v", 1, 0x40);
	b->r[6] = store_count(t, (enum store_table)-1, &n);
	b->r[7] = store_put(t, STORE_T_CASES, "empty", 5, NULL, 0, 0);
	b->r[8] = store_get(t, STORE_T_CASES, "empty", 5, &v, &vl);
	b->r[9] = vl == 0;
	return STORE_OK;
}

static int
job_rdput(struct store_txn *t, void *arg)
{
	int	*r = arg;

	*r = store_put(t, STORE_T_CASES, "ro", 2, "v", 1, 0);
	return STORE_OK;
}

static void
test_ops(struct store *s)
{
	struct badargs	 b;
	struct kv	 kv;
	char		 got[128];
	int		 r = -1;

	CHECK(put_str(s, "alpha", "one", 0) == STORE_OK, "ops: put");
	CHECK(has_value(s, "alpha", "one"), "ops: get");
	CHECK(put_str(s, "alpha", "two", 0) == STORE_OK &&
	    has_value(s, "alpha", "two"), "ops: put overwrites");
	CHECK(put_str(s, "alpha", "three", STORE_NOOVERWRITE) ==
	    STORE_EXISTS, "ops: NOOVERWRITE on existing key is EXISTS");
	CHECK(has_value(s, "alpha", "two"), "ops: NOOVERWRITE left value");
	CHECK(put_str(s, "beta", "b", STORE_NOOVERWRITE) == STORE_OK,
	    "ops: NOOVERWRITE on new key");
	CHECK(get_str(s, "gamma", got, sizeof(got)) == STORE_NOTFOUND,
	    "ops: get missing is NOTFOUND");
	kv_set(&kv, STORE_T_CASES, "beta", NULL);
	CHECK(store_write(s, job_del, &kv) == STORE_OK &&
	    get_str(s, "beta", got, sizeof(got)) == STORE_NOTFOUND,
	    "ops: del");
	CHECK(store_write(s, job_del, &kv) == STORE_NOTFOUND,
	    "ops: del missing is NOTFOUND");
	kv_set(&kv, STORE_T_USERS, "alpha", NULL);
	CHECK(store_read(s, job_get, &kv) == STORE_NOTFOUND,
	    "ops: tables are separate");

	memset(&b, 0xff, sizeof(b));
	CHECK(store_write(s, job_badargs, &b) == STORE_OK, "ops: arg job");
	CHECK(b.r[0] == STORE_INVALID, "ops: empty key INVALID");
	CHECK(b.r[1] == STORE_INVALID, "ops: key over STORE_KEY_MAX INVALID");
	CHECK(b.r[2] == STORE_OK, "ops: key of STORE_KEY_MAX accepted");
	CHECK(b.r[3] == STORE_INVALID, "ops: bad table INVALID");
	CHECK(b.r[4] == STORE_INVALID, "ops: get with long key INVALID");
	CHECK(b.r[5] == STORE_INVALID, "ops: unknown put flag INVALID");
	CHECK(b.r[6] == STORE_INVALID, "ops: count bad table INVALID");
	CHECK(b.r[7] == STORE_OK && b.r[8] == STORE_OK && b.r[9],
	    "ops: empty value");
	CHECK(store_read(s, job_rdput, &r) == STORE_OK && r == STORE_INVALID,
	    "ops: put in a read transaction INVALID");
	CHECK(store_write(s, NULL, NULL) == STORE_INVALID &&
	    store_read(s, NULL, NULL) == STORE_INVALID,
	    "ops: NULL fn INVALID");
}

/* ---- cursors ----------------------------------------------------------- */

struct walk {
	int		 rev;
	const char	*from;
	size_t		 fromlen;
	const char	*prefix;
	size_t		 plen;
	int		 stop_after;	/* cb returns code after this many */
	int		 code;		/* 0: 7 */
	char		 out[512];
	size_t		 n;
};

static int
walk_cb(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct walk	*w = arg;
	size_t		 len = strlen(w->out);

	(void)val;
	(void)vlen;
	if (len + klen + 2 < sizeof(w->out)) {
		memcpy(w->out + len, key, klen);
		w->out[len + klen] = ';';
		w->out[len + klen + 1] = '\0';
	}
	if (++w->n == (size_t)w->stop_after)
		return w->code != 0 ? w->code : 7;
	return 0;
}

static int
job_walk(struct store_txn *t, void *arg)
{
	struct walk	*w = arg;

	w->out[0] = '\0';
	w->n = 0;
	if (w->rev)
		return store_each_rev(t, STORE_T_TIMELINE, w->from,
		    w->fromlen, w->prefix, w->plen, walk_cb, w);
	return store_each(t, STORE_T_TIMELINE, w->from, w->fromlen,
	    w->prefix, w->plen, walk_cb, w);
}

static const char *
walk(struct store *s, int rev, const char *from, const char *prefix)
{
	static struct walk	 w;

	memset(&w, 0, sizeof(w));
	w.rev = rev;
	w.from = from;
	w.fromlen = from != NULL ? strlen(from) : 0;
	w.prefix = prefix;
	w.plen = prefix != NULL ? strlen(prefix) : 0;
	if (store_read(s, job_walk, &w) != STORE_OK)
		return "(error)";
	return w.out;
}

static void
test_each(struct store *s)
{
	static const char *keys[] = { "a1", "a2", "a3", "b1", "b2", "c",
	    "\xff\xff" "1", "\xff\xff" "2", "\xff\xff\xff" };
	struct kv	 kv;
	struct walk	 w;
	size_t		 i;
	int		 ok = 1;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		kv_set(&kv, STORE_T_TIMELINE, keys[i], "x");
		ok &= store_write(s, job_put, &kv) == STORE_OK;
	}
	CHECK(ok, "each: fill");
	CHECK(strcmp(walk(s, 0, NULL, NULL),
	    "a1;a2;a3;b1;b2;c;\xff\xff" "1;\xff\xff" "2;\xff\xff\xff;") == 0,
	    "each: whole table in order");
	CHECK(strcmp(walk(s, 0, NULL, "a"), "a1;a2;a3;") == 0,
	    "each: prefix");
	CHECK(strcmp(walk(s, 0, "a2", "a"), "a2;a3;") == 0,
	    "each: from inside prefix");
	CHECK(strcmp(walk(s, 0, "a", "b"), "b1;b2;") == 0,
	    "each: from below prefix starts at prefix");
	CHECK(strcmp(walk(s, 0, "b3", "b"), "") == 0,
	    "each: from past prefix gives nothing");
	CHECK(strcmp(walk(s, 0, "b", NULL), "b1;b2;c;\xff\xff" "1;"
	    "\xff\xff" "2;\xff\xff\xff;") == 0, "each: from without prefix");
	CHECK(strcmp(walk(s, 0, NULL, "z"), "") == 0,
	    "each: absent prefix gives nothing");
	CHECK(strcmp(walk(s, 1, NULL, NULL), "\xff\xff\xff;\xff\xff" "2;"
	    "\xff\xff" "1;c;b2;b1;a3;a2;a1;") == 0, "each_rev: whole table");
	CHECK(strcmp(walk(s, 1, NULL, "a"), "a3;a2;a1;") == 0,
	    "each_rev: prefix");
	CHECK(strcmp(walk(s, 1, "a2", "a"), "a2;a1;") == 0,
	    "each_rev: from is inclusive");
	CHECK(strcmp(walk(s, 1, "a25", "a"), "a2;a1;") == 0,
	    "each_rev: from between keys");
	CHECK(strcmp(walk(s, 1, "zz", "b"), "b2;b1;") == 0,
	    "each_rev: from past prefix starts at its last key");
	CHECK(strcmp(walk(s, 1, "a0", "b"), "") == 0,
	    "each_rev: from below prefix gives nothing");
	CHECK(strcmp(walk(s, 1, "b1", NULL), "b1;a3;a2;a1;") == 0,
	    "each_rev: from without prefix");
	CHECK(strcmp(walk(s, 1, NULL, "\xff\xff"), "\xff\xff\xff;"
	    "\xff\xff" "2;\xff\xff" "1;") == 0,
	    "each_rev: prefix of 0xff bytes");
	CHECK(strcmp(walk(s, 1, NULL, "\xff\xff\xff"), "\xff\xff\xff;") == 0,
	    "each_rev: all-0xff prefix");
	CHECK(strcmp(walk(s, 0, NULL, "\xff"), "\xff\xff" "1;\xff\xff" "2;"
	    "\xff\xff\xff;") == 0, "each: prefix of 0xff bytes");

	memset(&w, 0, sizeof(w));
	w.stop_after = 2;
	CHECK(store_read(s, job_walk, &w) == 7 && w.n == 2,
	    "each: callback's non-zero stops and is returned");
	memset(&w, 0, sizeof(w));
	w.rev = 1;
	w.stop_after = 3;
	CHECK(store_read(s, job_walk, &w) == 7 && w.n == 3,
	    "each_rev: callback's non-zero stops and is returned");

	/* STORE_STOP ends the walk as a success and is no error code. */
	for (i = 0, ok = 1; i < STORE_ERR_MAX; i++)
		ok &= STORE_STOP != (int)i;
	CHECK(ok, "STORE_STOP equals no enum store_err");
	memset(&w, 0, sizeof(w));
	w.stop_after = 2;
	w.code = STORE_STOP;
	CHECK(store_read(s, job_walk, &w) == STORE_OK && w.n == 2 &&
	    strcmp(w.out, "a1;a2;") == 0,
	    "each: STORE_STOP stops the walk and answers STORE_OK");
	memset(&w, 0, sizeof(w));
	w.rev = 1;
	w.stop_after = 1;
	w.code = STORE_STOP;
	CHECK(store_read(s, job_walk, &w) == STORE_OK && w.n == 1,
	    "each_rev: STORE_STOP stops the walk and answers STORE_OK");
	memset(&w, 0, sizeof(w));
	w.stop_after = 1;
	w.code = STORE_NOTFOUND;
	CHECK(store_read(s, job_walk, &w) == STORE_NOTFOUND && w.n == 1,
	    "each: an error code from the callback is returned as it is");
}

/* ---- counters ---------------------------------------------------------- */

struct ctr {
	uint64_t	 v[3];
	size_t		 n;
};

static int
job_ctr(struct store_txn *t, void *arg)
{
	struct ctr	*c = arg;
	int		 r;

	if ((r = store_counter_next(t, "case.seq", &c->v[0])) != 0 ||
	    (r = store_counter_next(t, "case.seq", &c->v[1])) != 0)
		return r;
	return store_counter_next(t, "audit.seq", &c->v[2]);
}

static int
job_count(struct store_txn *t, void *arg)
{
	struct ctr	*c = arg;

	return store_count(t, STORE_T_META, &c->n);
}

static void
test_counter(struct store *s)
{
	struct ctr	 c;
	struct kv	 kv;
	uint8_t		 be[8];

	memset(&c, 0, sizeof(c));
	CHECK(store_write(s, job_ctr, &c) == STORE_OK && c.v[0] == 1 &&
	    c.v[1] == 2 && c.v[2] == 1, "counter: starts at 1, per name");
	CHECK(store_write(s, job_ctr, &c) == STORE_OK && c.v[0] == 3 &&
	    c.v[1] == 4 && c.v[2] == 2, "counter: continues across txns");
	kv_set(&kv, STORE_T_META, "case.seq", NULL);
	CHECK(store_read(s, job_get, &kv) == STORE_OK && kv.outlen == 8 &&
	    store_be64_get((const uint8_t *)kv.out) == 4,
	    "counter: stored as 8 bytes big-endian");
	CHECK(store_read(s, job_count, &c) == STORE_OK && c.n == 2,
	    "count: entries in table");
	store_be64_put(be, 0x0102030405060708ULL);
	CHECK(be[0] == 1 && be[7] == 8 &&
	    store_be64_get(be) == 0x0102030405060708ULL, "be64 round trip");
	store_be32_put(be, 0xa1b2c3d4U);
	CHECK(be[0] == 0xa1 && be[3] == 0xd4 &&
	    store_be32_get(be) == 0xa1b2c3d4U, "be32 round trip");
}

/* ---- group commit ------------------------------------------------------ */

struct worker {
	struct store		*s;
	pthread_barrier_t	*bar;
	struct kv		 kv;
	int			 result;
};

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;

	pthread_barrier_wait(w->bar);
	w->result = store_write(w->s, job_put, &w->kv);
	return NULL;
}

static void
run_workers(struct store *s, struct worker *w, int n)
{
	pthread_barrier_t	 bar;
	pthread_t		 th[64];
	int			 i;

	pthread_barrier_init(&bar, NULL, n);
	for (i = 0; i < n; i++) {
		w[i].s = s;
		w[i].bar = &bar;
		pthread_create(&th[i], NULL, worker_main, &w[i]);
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&bar);
}

static void
test_batch(struct store *s)
{
	struct worker		 w[64];
	struct store_stats	 a, b;
	char			 k[16], got[16];
	int			 i, ok_res = 1, ok_present = 1;

	/* Half the jobs put a key and then fail: only theirs roll back. */
	memset(w, 0, sizeof(w));
	for (i = 0; i < 32; i++) {
		snprintf(k, sizeof(k), "pf%02d", i);
		kv_set(&w[i].kv, STORE_T_CASES, k, "v");
		w[i].kv.fail = i % 2 ? STORE_CONFLICT : STORE_OK;
	}
	run_workers(s, w, 32);
	for (i = 0; i < 32; i++) {
		snprintf(k, sizeof(k), "pf%02d", i);
		ok_res &= w[i].result == (i % 2 ? STORE_CONFLICT : STORE_OK);
		ok_present &= get_str(s, k, got, sizeof(got)) ==
		    (i % 2 ? STORE_NOTFOUND : STORE_OK);
	}
	CHECK(ok_res, "batch: each job gets its own result");
	CHECK(ok_present, "batch: failed jobs rolled back, others kept");

	memset(w, 0, sizeof(w));
	for (i = 0; i < 64; i++) {
		snprintf(k, sizeof(k), "gc%02d", i);
		kv_set(&w[i].kv, STORE_T_CASES, k, "v");
	}
	store_get_stats(s, &a);
	run_workers(s, w, 64);
	store_get_stats(s, &b);
	ok_res = 1;
	for (i = 0; i < 64; i++)
		ok_res &= w[i].result == STORE_OK;
	CHECK(ok_res, "group commit: 64 concurrent writes succeed");
	CHECK(b.jobs - a.jobs == 64, "group commit: 64 jobs counted");
	CHECK(b.commits - a.commits < b.jobs - a.jobs,
	    "group commit: fewer commits than jobs");
	printf("# group commit: %llu jobs in %llu commits\n",
	    (unsigned long long)(b.jobs - a.jobs),
	    (unsigned long long)(b.commits - a.commits));
}

/* ---- asynchronous writes and the batch's time bound -------------------- */

/* Jobs store_write_async() answers: each callback's result, how often it
 * ran and whether it ran on the writer thread. */
#define ASYNC_JOBS	40
/* Jobs of BATCH_SLOW_USEC each, queued behind a job that holds the
 * writer: without STORE_BATCH_USEC they would all share one commit. */
#define BATCH_SLOW_JOBS	10
#define BATCH_SLOW_USEC	2000

struct async {
	struct store	*s;
	pthread_mutex_t	*mtx;
	pthread_cond_t	*cv;
	int		*left;
	struct kv	 kv;
	int		 result;
	int		 calls;
	int		 in_writer;
	int		 slow;		/* job sleeps BATCH_SLOW_USEC */
};

static int
job_noop(struct store_txn *t, void *arg)
{
	(void)t;
	(void)arg;
	return STORE_OK;
}

static void
async_done(void *arg, int result)
{
	struct async	*a = arg;
	int		 w;

	/* store_write() refuses only on the writer thread; elsewhere this
	 * job would run and return STORE_OK. */
	w = store_write(a->s, job_noop, NULL) == STORE_INVALID;
	pthread_mutex_lock(a->mtx);
	a->result = result;
	a->calls++;
	a->in_writer = w;
	(*a->left)--;
	pthread_cond_broadcast(a->cv);
	pthread_mutex_unlock(a->mtx);
}

static int
job_async(struct store_txn *t, void *arg)
{
	struct async	*a = arg;

	if (a->slow)
		usleep(BATCH_SLOW_USEC);
	return job_put(t, &a->kv);
}

/* Holds the writer until *release is set. */
struct hold {
	atomic_int	started, release;
};

static int
job_hold(struct store_txn *t, void *arg)
{
	struct hold	*h = arg;

	(void)t;
	atomic_store(&h->started, 1);
	while (!atomic_load(&h->release))
		usleep(1000);
	return STORE_OK;
}

static void
hold_done(void *arg, int result)
{
	(void)arg;
	(void)result;
}

static void
test_async(struct store *s)
{
	static struct async	 a[ASYNC_JOBS];
	struct store_stats	 st0, st1;
	struct hold		 h;
	pthread_mutex_t		 mtx = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t		 cv = PTHREAD_COND_INITIALIZER;
	uint64_t		 w0 = 0, w1 = 0;
	char			 k[16], got[16];
	int			 i, left, queued = 1, res = 1, once = 1, writer = 1;
	int			 present = 1;

	CHECK(store_write_async(s, job_put, NULL, NULL, NULL) == STORE_INVALID,
	    "async: a job without a callback is refused");
	store_get_stats(s, &st0);
	memset(a, 0, sizeof(a));
	left = ASYNC_JOBS;
	for (i = 0; i < ASYNC_JOBS; i++) {
		a[i].s = s;
		a[i].mtx = &mtx;
		a[i].cv = &cv;
		a[i].left = &left;
		snprintf(k, sizeof(k), "as%02d", i);
		kv_set(&a[i].kv, STORE_T_CASES, k, "v");
		a[i].kv.fail = i % 3 == 0 ? STORE_CONFLICT : STORE_OK;
		if (store_write_async(s, job_async, &a[i], async_done, &a[i]) !=
		    STORE_OK) {
			queued = 0;
			pthread_mutex_lock(&mtx);
			left--;
			pthread_mutex_unlock(&mtx);
		}
	}
	pthread_mutex_lock(&mtx);
	while (left > 0)
		pthread_cond_wait(&cv, &mtx);
	pthread_mutex_unlock(&mtx);
	for (i = 0; i < ASYNC_JOBS; i++) {
		snprintf(k, sizeof(k), "as%02d", i);
		res &= a[i].result == (i % 3 == 0 ? STORE_CONFLICT : STORE_OK);
		once &= a[i].calls == 1;
		writer &= a[i].in_writer;
		present &= get_str(s, k, got, sizeof(got)) ==
		    (i % 3 == 0 ? STORE_NOTFOUND : STORE_OK);
	}
	CHECK(queued, "async: 40 jobs queued");
	CHECK(res, "async: each callback gets its job's result");
	CHECK(once, "async: each callback runs exactly once");
	CHECK(writer, "async: callbacks run on the writer thread");
	CHECK(present, "async: failed jobs rolled back, others durable");
	store_get_stats(s, &st1);
	for (i = 0; i < STORE_WAIT_BUCKETS; i++) {
		w0 += st0.wait[i];
		w1 += st1.wait[i];
	}
	CHECK(w1 - w0 == ASYNC_JOBS, "wait counts: one count per answered job");
	CHECK(st1.wait_sum_us > st0.wait_sum_us, "wait counts: time summed");
	CHECK(store_wait_bound(0) < store_wait_bound(1) &&
	    store_wait_bound(STORE_WAIT_BUCKETS - 1) == UINT64_MAX,
	    "wait counts: bounds rise, the last is unbounded");

	/* The time bound: slow jobs queued while the writer is held are
	 * split over several commits. */
	memset(&h, 0, sizeof(h));
	memset(a, 0, sizeof(a));
	CHECK(store_write_async(s, job_hold, &h, hold_done, NULL) == STORE_OK,
	    "batch time: holding job queued");
	while (!atomic_load(&h.started))
		usleep(1000);
	store_get_stats(s, &st0);
	left = BATCH_SLOW_JOBS;
	queued = 1;
	for (i = 0; i < BATCH_SLOW_JOBS; i++) {
		a[i].s = s;
		a[i].mtx = &mtx;
		a[i].cv = &cv;
		a[i].left = &left;
		a[i].slow = 1;
		snprintf(k, sizeof(k), "bt%02d", i);
		kv_set(&a[i].kv, STORE_T_CASES, k, "v");
		if (store_write_async(s, job_async, &a[i], async_done, &a[i]) !=
		    STORE_OK) {
			queued = 0;
			pthread_mutex_lock(&mtx);
			left--;
			pthread_mutex_unlock(&mtx);
		}
	}
	atomic_store(&h.release, 1);
	pthread_mutex_lock(&mtx);
	while (left > 0)
		pthread_cond_wait(&cv, &mtx);
	pthread_mutex_unlock(&mtx);
	store_get_stats(s, &st1);
	res = 1;
	for (i = 0; i < BATCH_SLOW_JOBS; i++)
		res &= a[i].result == STORE_OK;
	CHECK(queued && res, "batch time: slow jobs all committed");
	/* st0 was taken while the holding job ran: its commit is one. */
	CHECK(st1.commits - st0.commits >= 3,
	    "batch time: 10 jobs of 2 ms split over several commits");
	printf("# batch time: %d jobs of %d us in %llu commits\n",
	    BATCH_SLOW_JOBS, BATCH_SLOW_USEC,
	    (unsigned long long)(st1.commits - st0.commits - 1));
	pthread_mutex_destroy(&mtx);
	pthread_cond_destroy(&cv);
}

/* ---- reentrancy and concurrency --------------------------------------- */

static int
job_write_in(struct store_txn *t, void *arg)
{
	struct store	*s = *(struct store **)arg;

	(void)t;
	return store_write(s, job_put, NULL) == STORE_INVALID ? 0 : -1;
}

static int
job_read_in(struct store_txn *t, void *arg)
{
	struct store	*s = *(struct store **)arg;

	(void)t;
	return store_read(s, job_count, NULL) == STORE_INVALID ? 0 : -1;
}

static int
job_nested_read(struct store_txn *t, void *arg)
{
	struct store	*s = *(struct store **)arg;
	struct kv	 kv;

	(void)t;
	kv_set(&kv, STORE_T_CASES, "alpha", NULL);
	return store_read(s, job_get, &kv);
}

struct snap {
	struct store	*s;
	pthread_mutex_t	 mtx;
	pthread_cond_t	 cv;
	int		 started, written;
	char		 before[16], after[16];
	int		 result;
};

static int
job_snap(struct store_txn *t, void *arg)
{
	struct snap	*sn = arg;
	struct timespec	 ts;
	struct kv	 kv;

	kv_set(&kv, STORE_T_CASES, "snap", NULL);
	if (job_get(t, &kv) != STORE_OK)
		return -1;
	copy_str(sn->before, sizeof(sn->before), kv.out);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	pthread_mutex_lock(&sn->mtx);
	sn->started = 1;
	pthread_cond_broadcast(&sn->cv);
	while (!sn->written &&
	    pthread_cond_timedwait(&sn->cv, &sn->mtx, &ts) == 0)
		;
	pthread_mutex_unlock(&sn->mtx);
	if (job_get(t, &kv) != STORE_OK)
		return -1;
	copy_str(sn->after, sizeof(sn->after), kv.out);
	return 0;
}

static void *
snap_main(void *arg)
{
	struct snap	*sn = arg;

	sn->result = store_read(sn->s, job_snap, sn);
	return NULL;
}

static void
test_concurrency(struct store *s)
{
	struct snap	 sn;
	pthread_t	 th;
	int		 r;

	CHECK(store_write(s, job_write_in, &s) == STORE_OK,
	    "reentry: store_write from a job refused");
	CHECK(store_write(s, job_read_in, &s) == STORE_OK,
	    "reentry: store_read from a job refused");
	CHECK(store_read(s, job_write_in, &s) == STORE_OK,
	    "reentry: store_write inside store_read refused");
	CHECK(store_read(s, job_nested_read, &s) == STORE_OK,
	    "reentry: nested store_read works");

	CHECK(put_str(s, "snap", "old", 0) == STORE_OK, "snapshot: put");
	memset(&sn, 0, sizeof(sn));
	sn.s = s;
	pthread_mutex_init(&sn.mtx, NULL);
	pthread_cond_init(&sn.cv, NULL);
	pthread_create(&th, NULL, snap_main, &sn);
	pthread_mutex_lock(&sn.mtx);
	while (!sn.started)
		pthread_cond_wait(&sn.cv, &sn.mtx);
	pthread_mutex_unlock(&sn.mtx);
	/* The reader's transaction is open: the writer must not wait. */
	r = put_str(s, "snap", "new", 0);
	pthread_mutex_lock(&sn.mtx);
	sn.written = 1;
	pthread_cond_broadcast(&sn.cv);
	pthread_mutex_unlock(&sn.mtx);
	pthread_join(th, NULL);
	CHECK(r == STORE_OK, "snapshot: write commits while a reader is open");
	CHECK(sn.result == 0 && strcmp(sn.before, "old") == 0 &&
	    strcmp(sn.after, "old") == 0, "snapshot: reader keeps its view");
	CHECK(has_value(s, "snap", "new"), "snapshot: new readers see it");
	pthread_mutex_destroy(&sn.mtx);
	pthread_cond_destroy(&sn.cv);
}

/* ---- durability -------------------------------------------------------- */

static void
test_durable(struct store *s, const char *d)
{
	pid_t	 pid;
	int	 status = -1;

	CHECK(put_str(s, "durable", "yes", 0) == STORE_OK, "durable: write");
	/* Another process, with its own environment, sees the commit. */
	if ((pid = fork()) == 0) {
		struct store	*c = NULL;
		int		 ok;

		if (store_open(d, STORE_RDONLY, &c) != STORE_OK)
			_exit(2);
		ok = has_value(c, "durable", "yes");
		store_close(c);
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "durable: another process reads the value after store_write");
}

/* ---- read-only --------------------------------------------------------- */

static void
test_rdonly(const char *d)
{
	struct store	*s = NULL;
	struct kv	 kv;
	struct ctr	 c;
	MDB_env		*env;
	MDB_txn		*txn;
	char		 dd[4096];

	CHECK(store_open(d, STORE_RDONLY, &s) == STORE_OK, "rdonly: open");
	if (s == NULL)
		return;
	CHECK(has_value(s, "durable", "yes"), "rdonly: reads");
	kv_set(&kv, STORE_T_CASES, "x", "y");
	CHECK(store_write(s, job_put, &kv) == STORE_INVALID,
	    "rdonly: store_write INVALID");
	store_close(s);

	/* An environment without our tables: they read as empty. */
	subdir(dd, sizeof(dd), "bare");
	if (mdb_env_create(&env) == 0) {
		if (mdb_env_open(env, dd, 0, 0600) == 0 &&
		    mdb_txn_begin(env, NULL, 0, &txn) == 0)
			mdb_txn_commit(txn);
		mdb_env_close(env);
	}
	s = NULL;
	CHECK(store_open(dd, STORE_RDONLY, &s) == STORE_OK, "rdonly: bare");
	kv_set(&kv, STORE_T_CASES, "x", NULL);
	memset(&c, 0, sizeof(c));
	CHECK(s != NULL && store_read(s, job_get, &kv) == STORE_NOTFOUND &&
	    store_read(s, job_count, &c) == STORE_OK && c.n == 0,
	    "rdonly: tables read");
	store_close(s);
}

/* ---- backup ------------------------------------------------------------ */

struct bgw {
	struct store	*s;
	atomic_int	 stop;
	int		 fails;
	atomic_int	 n;
};

static void *
bg_writer(void *arg)
{
	struct bgw	*b = arg;
	char		 k[32];

	while (!atomic_load(&b->stop) && atomic_load(&b->n) < 2000) {
		snprintf(k, sizeof(k), "bg%05d", atomic_fetch_add(&b->n, 1));
		if (put_str(b->s, k, "v", 0) != STORE_OK)
			b->fails++;
	}
	return NULL;
}

static int
contains(const uint8_t *hay, size_t len, const char *needle)
{
	size_t	 n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static void
test_backup(const char *d)
{
	static const char	 marker[] = "SHRED-ME-7f3a9c";
	struct store		*s = NULL, *b = NULL;
	struct bgw		 bg;
	struct kv		 kv;
	struct stat		 st;
	pthread_t		 th;
	char			 bd[4096], bp[4096], big[9000];
	uint8_t			*copy;
	size_t			 len, i;
	int			 r;

	if (store_open(d, 0, &s) != STORE_OK) {
		CHECK(0, "backup: open");
		return;
	}
	/* A deleted record (on its own overflow pages) must not be copied. */
	for (i = 0; i + sizeof(marker) < sizeof(big); i += sizeof(marker))
		memcpy(big + i, marker, sizeof(marker));
	kv_set(&kv, STORE_T_IDENTITY, "gone", NULL);
	kv.val = big;
	kv.vlen = sizeof(big);
	CHECK(store_write(s, job_put, &kv) == STORE_OK &&
	    store_write(s, job_del, &kv) == STORE_OK, "backup: put and del");

	subdir(bd, sizeof(bd), "backup");
	join(bp, sizeof(bp), bd, "data.mdb");
	memset(&bg, 0, sizeof(bg));
	bg.s = s;
	pthread_create(&th, NULL, bg_writer, &bg);
	/* Let the writer get going, so the copy runs beside it. */
	while (atomic_load(&bg.n) < 2)
		sched_yield();
	r = store_backup(s, bp);
	atomic_store(&bg.stop, 1);
	pthread_join(th, NULL);
	CHECK(r == STORE_OK, "backup: while writes go on");
	CHECK(bg.fails == 0, "backup: writer unaffected");
	CHECK(stat(bp, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "backup: file mode 0600");
	CHECK(store_backup(s, bp) == STORE_EXISTS,
	    "backup: refuses an existing path");
	CHECK(stat(bp, &st) == 0 && st.st_size > 0,
	    "backup: existing file left alone");
	copy = slurp(bp, &len);
	CHECK(copy != NULL && !contains(copy, len, marker),
	    "backup: compacted copy holds no deleted record");
	free(copy);
	store_close(s);

	CHECK(store_open(bd, 0, &b) == STORE_OK, "backup: copy opens");
	CHECK(b != NULL && has_value(b, "durable", "yes") &&
	    has_value(b, "alpha", "two"), "backup: copy holds the data");
	store_close(b);
}

/* ---- damaged files ----------------------------------------------------- */

static void
test_corrupt(const char *d)
{
	struct store	*s = NULL;
	char		 p[4096], k[16];
	uint8_t		*orig, *bad;
	size_t		 len, i;
	uint32_t	 x = 2463534242u;
	int		 ok = 1;

	if (store_open(d, STORE_CREATE, &s) != STORE_OK) {
		CHECK(0, "corrupt: create");
		return;
	}
	for (i = 0; i < 64; i++) {
		snprintf(k, sizeof(k), "c%03zu", i);
		ok &= put_str(s, k, "some value to fill pages with", 0) == 0;
	}
	CHECK(ok, "corrupt: fill");
	store_close(s);
	join(p, sizeof(p), d, "data.mdb");
	if ((orig = slurp(p, &len)) == NULL || len < 4 * 4096 ||
	    (bad = malloc(len)) == NULL) {
		CHECK(0, "corrupt: read file");
		return;
	}

	/* Truncated to half. */
	spit(p, orig, len / 2);
	s = NULL;
	CHECK(store_open(d, 0, &s) == STORE_CORRUPT && s == NULL,
	    "corrupt: truncated file is CORRUPT");
	CHECK(store_open(d, STORE_RDONLY, &s) == STORE_CORRUPT,
	    "corrupt: truncated file is CORRUPT read-only too");
	CHECK(same_file(p, orig, len / 2), "corrupt: truncated file unchanged");

	/* First page overwritten with garbage. */
	memcpy(bad, orig, len);
	for (i = 0; i < 4096; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		bad[i] = (uint8_t)x;
	}
	spit(p, bad, len);
	CHECK(store_open(d, STORE_CREATE, &s) == STORE_CORRUPT,
	    "corrupt: garbage first page is CORRUPT");
	CHECK(same_file(p, bad, len), "corrupt: garbage file unchanged");

	/* Both meta pages zeroed: not an LMDB file at all. */
	memset(bad, 0, 2 * 4096);
	spit(p, bad, len);
	CHECK(store_open(d, 0, &s) == STORE_CORRUPT &&
	    same_file(p, bad, len), "corrupt: zeroed metas CORRUPT, unchanged");

	/* Empty file: LMDB would make a new environment of it. */
	spit(p, orig, 0);
	CHECK(store_open(d, 0, &s) == STORE_CORRUPT,
	    "corrupt: zero-length file is CORRUPT");
	CHECK(store_open(d, STORE_CREATE, &s) == STORE_CORRUPT,
	    "corrupt: zero-length file is CORRUPT even with CREATE");
	CHECK(same_file(p, orig, 0), "corrupt: zero-length file unchanged");

	/* A few bytes: shorter than a page. */
	spit(p, orig, 100);
	CHECK(store_open(d, 0, &s) == STORE_CORRUPT &&
	    same_file(p, orig, 100), "corrupt: 100-byte file CORRUPT");

	spit(p, orig, len);
	CHECK(store_open(d, 0, &s) == STORE_OK && has_value(s, "c063",
	    "some value to fill pages with"), "corrupt: restored file opens");
	store_close(s);
	free(orig);
	free(bad);
}

/* ---- map growth -------------------------------------------------------- */

#define GROW_THREADS	4
#define GROW_PER	8
#define GROW_VLEN	(256 * 1024)

struct grow {
	struct store	*s;
	int		 id;
	int		 fails;
};

static atomic_int	 grow_done;
static atomic_int	 grow_bad, grow_reads;

static void
grow_kv(struct kv *kv, int thread, int i)
{
	char	 k[32];

	snprintf(k, sizeof(k), "grow-%d-%02d", thread, i);
	kv_set(kv, STORE_T_ATTACHMENTS, k, NULL);
	kv->vlen = GROW_VLEN;
	kv->seed = thread * 100 + i;
}

static void *
grow_writer(void *arg)
{
	struct grow	*g = arg;
	struct kv	 kv;
	int		 i;

	for (i = 0; i < GROW_PER; i++) {
		grow_kv(&kv, g->id, i);
		if (store_write(g->s, job_put, &kv) != STORE_OK)
			g->fails++;
	}
	return NULL;
}

static void *
grow_reader(void *arg)
{
	struct grow	*g = arg;
	struct kv	 kv;
	unsigned	 n = 0;
	int		 r;

	while (!atomic_load(&grow_done)) {
		grow_kv(&kv, n % GROW_THREADS, (n / GROW_THREADS) % GROW_PER);
		n++;
		r = store_read(g->s, job_get, &kv);
		if (r == STORE_OK && !kv.match)
			atomic_fetch_add(&grow_bad, 1);
		else if (r != STORE_OK && r != STORE_NOTFOUND)
			atomic_fetch_add(&grow_bad, 1);
		atomic_fetch_add(&grow_reads, 1);
	}
	return NULL;
}

static int
all_grow_values(struct store *s)
{
	struct kv	 kv;
	int		 t, i;

	for (t = 0; t < GROW_THREADS; t++)
		for (i = 0; i < GROW_PER; i++) {
			grow_kv(&kv, t, i);
			if (store_read(s, job_get, &kv) != STORE_OK ||
			    !kv.match)
				return 0;
		}
	return 1;
}

static void
test_grow(const char *d)
{
	struct store		*s = NULL;
	struct store_stats	 st;
	struct grow		 g[GROW_THREADS + 2];
	struct kv		 big;
	pthread_t		 th[GROW_THREADS + 2];
	int			 i, fails = 0;

	CHECK(store_open_mapsize(d, STORE_CREATE, 1 << 20, &s) == STORE_OK,
	    "grow: open with a 1 MiB map");
	if (s == NULL)
		return;
	store_get_stats(s, &st);
	CHECK(st.map_size == 1 << 20, "grow: map starts at 1 MiB");

	/* One value larger than the map: several doublings in one job. */
	kv_set(&big, STORE_T_ATTACHMENTS, "big", NULL);
	big.vlen = 5 << 20;
	big.seed = 9;
	CHECK(store_write(s, job_put, &big) == STORE_OK,
	    "grow: 5 MiB value into a 1 MiB map");
	CHECK(atomic_load(&big.runs) > 1,
	    "grow: the job was run again after MDB_MAP_FULL");

	atomic_store(&grow_done, 0);
	for (i = 0; i < GROW_THREADS + 2; i++) {
		g[i].s = s;
		g[i].id = i;
		g[i].fails = 0;
		pthread_create(&th[i], NULL,
		    i < GROW_THREADS ? grow_writer : grow_reader, &g[i]);
	}
	for (i = 0; i < GROW_THREADS; i++) {
		pthread_join(th[i], NULL);
		fails += g[i].fails;
	}
	atomic_store(&grow_done, 1);
	for (; i < GROW_THREADS + 2; i++)
		pthread_join(th[i], NULL);
	CHECK(fails == 0, "grow: concurrent writes past the map succeed");
	CHECK(atomic_load(&grow_bad) == 0 && atomic_load(&grow_reads) > 0,
	    "grow: concurrent readers never see a bad value");
	store_get_stats(s, &st);
	CHECK(st.map_size >= (size_t)13 << 20 && st.used_bytes > 13u << 20,
	    "grow: map grew with the data");
	printf("# grow: map %zu bytes, used %zu, %d reads\n", st.map_size,
	    st.used_bytes, atomic_load(&grow_reads));
	store_close(s);

	s = NULL;
	CHECK(store_open(d, 0, &s) == STORE_OK, "grow: reopen");
	CHECK(s != NULL && all_grow_values(s) &&
	    store_read(s, job_get, &big) == STORE_OK && big.match,
	    "grow: every value intact after reopen");
	store_close(s);
}

/* More than a 64 MiB map through concurrent writers (the default
 * initial map is larger; growth is the same code). */
#define LARGE_MAP	((size_t)64 << 20)
#define LARGE_THREADS	8
#define LARGE_PER	10
#define LARGE_VLEN	(1 << 20)

struct large {
	struct store	*s;
	int		 id;
	int		 fails;
};

static void *
large_writer(void *arg)
{
	struct large	*l = arg;
	struct kv	 kv;
	char		 k[32];
	int		 i;

	for (i = 0; i < LARGE_PER; i++) {
		snprintf(k, sizeof(k), "large-%d-%d", l->id, i);
		kv_set(&kv, STORE_T_ATTACHMENTS, k, NULL);
		kv.vlen = LARGE_VLEN;
		kv.seed = l->id * 31 + i;
		if (store_write(l->s, job_put, &kv) != STORE_OK)
			l->fails++;
	}
	return NULL;
}

static void
test_large(const char *d)
{
	struct store		*s = NULL;
	struct store_stats	 st;
	struct large		 l[LARGE_THREADS];
	struct kv		 kv;
	pthread_t		 th[LARGE_THREADS];
	char			 k[32];
	int			 i, j, fails = 0, ok = 1;

	CHECK(store_open_mapsize(d, STORE_CREATE, LARGE_MAP, &s) == STORE_OK,
	    "large: open");
	if (s == NULL)
		return;
	for (i = 0; i < LARGE_THREADS; i++) {
		l[i].s = s;
		l[i].id = i;
		l[i].fails = 0;
		pthread_create(&th[i], NULL, large_writer, &l[i]);
	}
	for (i = 0; i < LARGE_THREADS; i++) {
		pthread_join(th[i], NULL);
		fails += l[i].fails;
	}
	store_get_stats(s, &st);
	CHECK(fails == 0, "large: 80 MiB of 1 MiB values written");
	CHECK(st.map_size > LARGE_MAP, "large: map grew past 64 MiB");
	store_close(s);

	s = NULL;
	CHECK(store_open(d, 0, &s) == STORE_OK, "large: reopen");
	for (i = 0; s != NULL && i < LARGE_THREADS; i++)
		for (j = 0; j < LARGE_PER; j++) {
			snprintf(k, sizeof(k), "large-%d-%d", i, j);
			kv_set(&kv, STORE_T_ATTACHMENTS, k, NULL);
			kv.vlen = LARGE_VLEN;
			kv.seed = i * 31 + j;
			if (store_read(s, job_get, &kv) != STORE_OK ||
			    !kv.match)
				ok = 0;
		}
	CHECK(s != NULL && ok, "large: all values intact after reopen");
	store_close(s);
}

/* ---- trimming the map (store/trim.c) --------------------------------- */

/* Values small enough to live on leaf pages (a 4 KiB page holds values
 * up to about 2 KiB), so reading them maps the B-tree's pages themselves:
 * TRIM_N of them fill about 4 MiB of the file. */
#define TRIM_N		2000
#define TRIM_VLEN	1500
#define TRIM_JOB	250	/* values one write job puts */
#define TRIM_READERS	2
#define TRIM_ROUNDS	4	/* each reader checks every value this often */

struct trim_range {
	int		 from, to;
	int		 bad;
};

static void
trim_key(char *k, size_t ksz, int i)
{
	snprintf(k, ksz, "trim-%06d", i);
}

static int
job_trim_put(struct store_txn *t, void *arg)
{
	struct trim_range	*r = arg;
	uint8_t			 v[TRIM_VLEN];
	char			 k[32];
	size_t			 j;
	int			 i, rc;

	for (i = r->from; i < r->to; i++) {
		trim_key(k, sizeof(k), i);
		for (j = 0; j < sizeof(v); j++)
			v[j] = pat((unsigned)i, j);
		if ((rc = store_put(t, STORE_T_ATTACHMENTS, k, strlen(k), v,
		    sizeof(v), 0)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* Counts in r->bad the values of the range that are absent or wrong. */
static int
job_trim_check(struct store_txn *t, void *arg)
{
	struct trim_range	*r = arg;
	const uint8_t		*v;
	const void		*vp;
	char			 k[32];
	size_t			 vlen, j;
	int			 i;

	r->bad = 0;
	for (i = r->from; i < r->to; i++) {
		trim_key(k, sizeof(k), i);
		if (store_get(t, STORE_T_ATTACHMENTS, k, strlen(k), &vp,
		    &vlen) != STORE_OK || vlen != TRIM_VLEN) {
			r->bad++;
			continue;
		}
		v = vp;
		for (j = 0; j < vlen; j++)
			if (v[j] != pat((unsigned)i, j)) {
				r->bad++;
				break;
			}
	}
	return STORE_OK;
}

static int
trim_fill(struct store *s, int from, int to)
{
	struct trim_range	 r;
	int			 i;

	for (i = from; i < to; i += TRIM_JOB) {
		r.from = i;
		r.to = i + TRIM_JOB < to ? i + TRIM_JOB : to;
		if (store_write(s, job_trim_put, &r) != STORE_OK)
			return -1;
	}
	return 0;
}

/* Values of [from, to) absent or wrong, -1 when the read failed. */
static int
trim_bad(struct store *s, int from, int to)
{
	struct trim_range	 r = { from, to, 0 };

	if (store_read(s, job_trim_check, &r) != STORE_OK)
		return -1;
	return r.bad;
}

/* KiB of this process's mappings of DIR/data.mdb that are resident
 * (the Rss lines of /proc/self/smaps); -1 if it cannot be read. */
static long
map_rss_kb(const char *dir)
{
	FILE		*f;
	char		 line[4096], want[4096], perms[8];
	unsigned long	 lo, hi;
	size_t		 n, wn;
	long		 kb = 0, v;
	int		 in = 0;

	join(want, sizeof(want), dir, "data.mdb");
	wn = strlen(want);
	if ((f = fopen("/proc/self/smaps", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		n = strlen(line);
		/* A mapping's first line: "start-end perms offset dev inode
		 * path"; its fields follow until the next such line. */
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3)
			in = n >= wn && strcmp(line + n - wn, want) == 0;
		else if (in && sscanf(line, "Rss: %ld kB", &v) == 1)
			kb += v;
	}
	fclose(f);
	return kb;
}

static void
test_trim(const char *d)
{
	struct store		*s = NULL;
	struct store_stats	 st;
	size_t			 dropped = 0;
	long			 before = 0, after, used_kb;
	int			 tries;

	CHECK(store_open(d, STORE_CREATE, &s) == STORE_OK, "trim: open");
	if (s == NULL)
		return;
	CHECK(trim_fill(s, 0, TRIM_N) == 0, "trim: values written");
	store_get_stats(s, &st);
	used_kb = (long)(st.used_bytes / 1024);
	/* The trim thread may drop the pages between the reads and the
	 * look at smaps (once a second): read again then. */
	for (tries = 0; tries < 5; tries++) {
		CHECK(trim_bad(s, 0, TRIM_N) == 0 || tries > 0,
		    "trim: every value reads back");
		before = map_rss_kb(d);
		if (before * 2 >= used_kb)
			break;
	}
	printf("# trim: %ld KiB of the map resident after reading every "
	    "value (%ld KiB used)\n", before, used_kb);
	CHECK(before * 2 >= used_kb,
	    "trim: reading every value maps at least half of the used file");
	CHECK(store_map_trim(s, &dropped) == STORE_OK &&
	    dropped >= st.used_bytes, "trim: a pass covers the used file");
	after = map_rss_kb(d);
	printf("# trim: %ld KiB resident after one pass\n", after);
	CHECK(after >= 0 && after * 8 <= used_kb,
	    "trim: a pass leaves at most an eighth of the used file mapped");
	CHECK(trim_bad(s, 0, TRIM_N) == 0,
	    "trim: every value reads back the same after the pass");
	store_get_stats(s, &st);
	CHECK(st.trims >= 1, "trim: the pass is counted");
	CHECK(store_map_trim(NULL, &dropped) == STORE_INVALID,
	    "trim: NULL store refused");
	store_close(s);
}

/* Readers check every value again and again while a thread drops the
 * map's pages in a loop and a writer grows the file (and the map, from
 * 1 MiB) meanwhile: each read of a dropped page maps it again from the
 * page cache, with the same bytes. */
static atomic_int	 trim_done, trim_passes, trim_fails, trim_rounds;

struct trim_thr {
	struct store	*s;
	int		 bad;
};

static void *
trim_dropper(void *arg)
{
	struct trim_thr	*t = arg;
	size_t		 dropped;

	while (!atomic_load(&trim_done)) {
		if (store_map_trim(t->s, &dropped) == STORE_OK)
			atomic_fetch_add(&trim_passes, 1);
		else
			atomic_fetch_add(&trim_fails, 1);
	}
	return NULL;
}

static void *
trim_reader(void *arg)
{
	struct trim_thr	*t = arg;
	int		 i, b;

	for (i = 0; i < TRIM_ROUNDS; i++) {
		if ((b = trim_bad(t->s, 0, TRIM_N)) != 0)
			t->bad += b < 0 ? 1 : b;
		atomic_fetch_add(&trim_rounds, 1);
	}
	return NULL;
}

static void *
trim_writer(void *arg)
{
	struct trim_thr	*t = arg;

	if (trim_fill(t->s, TRIM_N, 2 * TRIM_N) != 0)
		t->bad++;
	return NULL;
}

static void
test_trim_readers(const char *d)
{
	struct store		*s = NULL;
	struct store_stats	 st;
	struct trim_thr		 th[TRIM_READERS + 2];
	struct rusage		 ru0, ru1;
	pthread_t		 tid[TRIM_READERS + 2];
	int			 i, bad = 0, passes_before;

	CHECK(store_open_mapsize(d, STORE_CREATE, 1 << 20, &s) == STORE_OK,
	    "trim readers: open with a 1 MiB map");
	if (s == NULL)
		return;
	CHECK(trim_fill(s, 0, TRIM_N) == 0, "trim readers: values written");
	atomic_store(&trim_done, 0);
	getrusage(RUSAGE_SELF, &ru0);
	for (i = 0; i < TRIM_READERS + 2; i++) {
		th[i].s = s;
		th[i].bad = 0;
	}
	/* th[0] drops, th[1] writes, the others read. */
	pthread_create(&tid[0], NULL, trim_dropper, &th[0]);
	/* Readers start once the dropper has made a pass. */
	while (atomic_load(&trim_passes) == 0 &&
	    atomic_load(&trim_fails) == 0)
		sched_yield();
	passes_before = atomic_load(&trim_passes);
	pthread_create(&tid[1], NULL, trim_writer, &th[1]);
	for (i = 2; i < TRIM_READERS + 2; i++)
		pthread_create(&tid[i], NULL, trim_reader, &th[i]);
	for (i = 1; i < TRIM_READERS + 2; i++) {
		pthread_join(tid[i], NULL);
		bad += th[i].bad;
	}
	/* Passes made while every reader was still reading. */
	i = atomic_load(&trim_passes) - passes_before;
	atomic_store(&trim_done, 1);
	pthread_join(tid[0], NULL);
	getrusage(RUSAGE_SELF, &ru1);
	printf("# trim readers: %d passes during %d rounds of %d reads, "
	    "%ld minor faults\n", i, atomic_load(&trim_rounds), TRIM_N,
	    ru1.ru_minflt - ru0.ru_minflt);
	CHECK(atomic_load(&trim_fails) == 0,
	    "trim readers: every pass succeeded, map growth included");
	CHECK(i >= TRIM_ROUNDS,
	    "trim readers: the pages were dropped while reads ran");
	CHECK(bad == 0,
	    "trim readers: every read during the drops saw the right bytes");
	store_get_stats(s, &st);
	CHECK(st.map_size > (size_t)1 << 20,
	    "trim readers: the map grew during the drops");
	CHECK(trim_bad(s, 0, 2 * TRIM_N) == 0,
	    "trim readers: every value intact afterwards");
	store_close(s);
}

/* ---- map grown by another process ------------------------------------ */

/* A child process writes n values of 256 KiB, growing the file. */
static int
resize_child(const char *d, int first, int n)
{
	struct store	*c = NULL;
	struct kv	 kv;
	char		 k[32];
	int		 i, bad = 0;

	if (store_open(d, 0, &c) != STORE_OK)
		return 1;
	for (i = first; i < first + n; i++) {
		snprintf(k, sizeof(k), "rs-%03d", i);
		kv_set(&kv, STORE_T_ATTACHMENTS, k, NULL);
		kv.vlen = 256 << 10;
		kv.seed = i;
		if (store_write(c, job_put, &kv) != STORE_OK)
			bad = 1;
	}
	store_close(c);
	return bad;
}

static int
resize_grow(const char *d, int first, int n)
{
	pid_t	 pid;
	int	 status;

	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(resize_child(d, first, n));
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int
resize_have(struct store *s, int first, int n)
{
	struct kv	 kv;
	char		 k[32];
	int		 i;

	for (i = first; i < first + n; i++) {
		snprintf(k, sizeof(k), "rs-%03d", i);
		kv_set(&kv, STORE_T_ATTACHMENTS, k, NULL);
		kv.vlen = 256 << 10;
		kv.seed = i;
		if (store_read(s, job_get, &kv) != STORE_OK || !kv.match)
			return 0;
	}
	return 1;
}

static void
test_resized(const char *d)
{
	struct store		*s = NULL;
	struct store_stats	 st;

	if (store_open_mapsize(d, STORE_CREATE, 1 << 20, &s) != STORE_OK) {
		CHECK(0, "resized: open");
		return;
	}
	CHECK(put_str(s, "here", "first", 0) == STORE_OK, "resized: put");
	/* Another writer process takes the file past our 1 MiB map. */
	CHECK(resize_grow(d, 0, 12), "resized: other process grows the file");
	CHECK(resize_have(s, 0, 12), "resized: reads adopt the larger map");
	CHECK(put_str(s, "here", "second", 0) == STORE_OK &&
	    has_value(s, "here", "second"), "resized: writes go on");
	store_get_stats(s, &st);
	CHECK(st.map_size > 3u << 20, "resized: map follows the file");
	store_close(s);

	s = NULL;
	CHECK(store_open_mapsize(d, STORE_RDONLY, 1 << 20, &s) == STORE_OK,
	    "resized: read-only open");
	CHECK(resize_grow(d, 12, 12), "resized: other process grows again");
	CHECK(s != NULL && resize_have(s, 0, 24),
	    "resized: read-only reader adopts the larger map");
	store_close(s);
}

/* ---- full disk --------------------------------------------------------- */

/*
 * A child process limits the size of the files it may write (which fails
 * writes as a full disk does: short writes, then EFBIG) and fills the store.
 * Its exit status has one bit per failed expectation.
 */
static int
full_child(const char *d)
{
	struct store	*s = NULL;
	struct rlimit	 rl, lim;
	struct stat	 st;
	struct kv	 kv;
	char		 p[4096], k[32];
	int		 i, n, r = STORE_OK, bad = 0;

	signal(SIGXFSZ, SIG_IGN);
	if (store_open(d, STORE_CREATE, &s) != STORE_OK ||
	    put_str(s, "base", "kept", 0) != STORE_OK)
		return 0x80;
	join(p, sizeof(p), d, "data.mdb");
	if (stat(p, &st) == -1 || getrlimit(RLIMIT_FSIZE, &rl) == -1)
		return 0x80;
	lim = rl;
	lim.rlim_cur = st.st_size + (512 << 10);
	if (setrlimit(RLIMIT_FSIZE, &lim) == -1)
		return 0x80;
	for (n = 0; n < 64; n++) {
		kv_set(&kv, STORE_T_ATTACHMENTS, "", NULL);
		snprintf(kv.key, sizeof(kv.key), "full-%02d", n);
		kv.klen = strlen(kv.key);
		kv.vlen = 64 << 10;
		kv.seed = n;
		if ((r = store_write(s, job_put, &kv)) != STORE_OK)
			break;
	}
	if (r != STORE_FULL)
		bad |= 0x01;
	setrlimit(RLIMIT_FSIZE, &rl);
	/* Nothing stored before is harmed; the store goes on. */
	for (i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "full-%02d", i);
		kv_set(&kv, STORE_T_ATTACHMENTS, k, NULL);
		kv.vlen = 64 << 10;
		kv.seed = i;
		if (store_read(s, job_get, &kv) != STORE_OK || !kv.match)
			bad |= 0x02;
	}
	snprintf(k, sizeof(k), "full-%02d", n);
	kv_set(&kv, STORE_T_ATTACHMENTS, k, NULL);
	if (store_read(s, job_get, &kv) != STORE_NOTFOUND)
		bad |= 0x04;
	if (!has_value(s, "base", "kept") ||
	    put_str(s, "after", "room again", 0) != STORE_OK)
		bad |= 0x08;
	store_close(s);
	s = NULL;
	if (store_open(d, 0, &s) != STORE_OK ||
	    !has_value(s, "base", "kept") ||
	    !has_value(s, "after", "room again"))
		bad |= 0x10;
	store_close(s);
	return bad;
}

static void
test_full(const char *d)
{
	pid_t	 pid;
	int	 status = 0, code = 0xff;

	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(full_child(d));
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		code = WEXITSTATUS(status);
	CHECK((code & 0x80) == 0, "full: child set up");
	CHECK((code & 0x01) == 0, "full: write past the limit is STORE_FULL");
	CHECK((code & 0x02) == 0, "full: earlier values intact");
	CHECK((code & 0x04) == 0, "full: the failed write stored nothing");
	CHECK((code & 0x08) == 0, "full: store works once room is back");
	CHECK((code & 0x10) == 0, "full: reopen after a full disk");
}

/* ---- main -------------------------------------------------------------- */

static void
test_strerror(void)
{
	int	 i, ok = 1;

	for (i = 0; i < STORE_ERR_MAX; i++)
		ok &= store_strerror(i) != NULL && *store_strerror(i) != '\0';
	CHECK(ok && store_strerror(-1) != NULL &&
	    store_strerror(STORE_ERR_MAX) != NULL, "strerror: every code");
}

int
main(void)
{
	struct store	*s = NULL;
	char		 d[4096];

	if (mkdtemp(base) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_strerror();
	subdir(d, sizeof(d), "main");
	test_open(d);
	if (store_open(d, 0, &s) == STORE_OK) {
		test_ops(s);
		test_each(s);
		test_counter(s);
		test_batch(s);
		test_async(s);
		test_concurrency(s);
		test_durable(s, d);
		store_close(s);
	} else
		CHECK(0, "main: open");
	test_rdonly(d);
	test_backup(d);

	subdir(d, sizeof(d), "corrupt");
	test_corrupt(d);
	subdir(d, sizeof(d), "grow");
	test_grow(d);
	rm_rf(d);
	subdir(d, sizeof(d), "large");
	test_large(d);
	rm_rf(d);
	subdir(d, sizeof(d), "trim");
	test_trim(d);
	rm_rf(d);
	subdir(d, sizeof(d), "trimreaders");
	test_trim_readers(d);
	rm_rf(d);
	subdir(d, sizeof(d), "resized");
	test_resized(d);
	rm_rf(d);
	subdir(d, sizeof(d), "full");
	test_full(d);

	rm_rf(base);
	return tap_done();
}
