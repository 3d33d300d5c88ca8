/*
 * gate.c: read transactions, and growing the map without pulling it from
 * under them.
 *
 * mdb_env_set_mapsize() unmaps and remaps the data file; LMDB requires
 * that no transaction of this process be open while it runs and does not
 * check it (lmdb.h). Every read transaction (and every other look into the
 * map: backups, statistics) therefore passes a gate that counts them; a
 * resize closes the gate, waits for the count to reach zero, remaps, and
 * opens it again. Write transactions are kept out by construction: only
 * the writer thread writes, and it resizes between its transactions.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "store/store_int.h"

/*
 * The store this thread is reading, so that a nested store_read() passes
 * a closed gate (its outer transaction holds the gate open anyway, and
 * waiting would deadlock against the resize waiting for us).
 */
static _Thread_local struct store	*store_tls_reading;
static _Thread_local unsigned		 store_tls_depth;

int
store_gate_enter(struct store *s)
{
	int	 nested = store_tls_reading == s && store_tls_depth > 0;

	pthread_mutex_lock(&s->gate_mtx);
	while (!nested && (s->resizing || s->readers >= STORE_READERS_LOCAL))
		pthread_cond_wait(&s->gate_cv, &s->gate_mtx);
	if (atomic_load(&s->broken)) {
		pthread_mutex_unlock(&s->gate_mtx);
		return STORE_IO;
	}
	s->readers++;
	s->entries++;
	pthread_mutex_unlock(&s->gate_mtx);
	if (store_tls_depth == 0)
		store_tls_reading = s;
	if (store_tls_reading == s)
		store_tls_depth++;
	return STORE_OK;
}

void
store_gate_leave(struct store *s)
{
	if (store_tls_reading == s && --store_tls_depth == 0)
		store_tls_reading = NULL;
	pthread_mutex_lock(&s->gate_mtx);
	s->readers--;
	/* Wakes the resize waiting for zero, or a reader waiting for a slot. */
	pthread_cond_broadcast(&s->gate_cv);
	pthread_mutex_unlock(&s->gate_mtx);
}

/* Whether the calling thread is inside store_read() on s. */
int
store_gate_held(const struct store *s)
{
	return store_tls_reading == s && store_tls_depth > 0;
}

size_t
store_map_size(struct store *s)
{
	MDB_envinfo	 info;

	if (mdb_env_info(s->env, &info) != 0)
		return 0;
	return info.me_mapsize;
}

/*
 * Remap to size (0: adopt the size another process recorded). The caller
 * has no transaction open; the gate keeps everyone else's out.
 */
static int
store_remap(struct store *s, size_t size)
{
	int	 rc;

	pthread_mutex_lock(&s->gate_mtx);
	while (s->resizing)
		pthread_cond_wait(&s->gate_cv, &s->gate_mtx);
	s->resizing = 1;
	while (s->readers > 0)
		pthread_cond_wait(&s->gate_cv, &s->gate_mtx);
	pthread_mutex_unlock(&s->gate_mtx);

	rc = mdb_env_set_mapsize(s->env, size);
	/*
	 * A failed remap leaves LMDB without a map at all, and a second
	 * call would then only record the size: nothing but close is safe.
	 */
	if (rc != 0)
		atomic_store(&s->broken, 1);

	pthread_mutex_lock(&s->gate_mtx);
	s->resizing = 0;
	pthread_cond_broadcast(&s->gate_cv);
	pthread_mutex_unlock(&s->gate_mtx);
	return rc == 0 ? STORE_OK : STORE_IO;
}

/*
 * Grows the map to at least want bytes, doubling, capped at STORE_MAP_MAX.
 * STORE_FULL when already at the cap or when the address space cannot
 * hold the larger map (probed first, since a failed remap is fatal).
 */
int
store_map_grow(struct store *s, size_t want)
{
	size_t	 cur, size;
	void	*p;

	cur = store_map_size(s);
	if (cur == 0)
		return STORE_IO;
	if (cur >= STORE_MAP_MAX)
		return STORE_FULL;
	size = cur;
	do
		size = size > STORE_MAP_MAX / 2 ? STORE_MAP_MAX : size * 2;
	while (size < want && size < STORE_MAP_MAX);

	p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return STORE_FULL;
	munmap(p, size);
	return store_remap(s, size);
}

/* Takes up the larger map another process wrote (MDB_MAP_RESIZED). */
int
store_map_adopt(struct store *s)
{
	return store_remap(s, 0);
}

static int	store_noop(struct store_txn *, void *);

static int
store_noop(struct store_txn *t, void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

int
store_read(struct store *s, store_fn fn, void *arg)
{
	struct store_txn	 t;
	MDB_txn			*txn;
	int			 rc, tries, r;

	if (s == NULL || fn == NULL)
		return STORE_INVALID;
	/* A job reads through its own store_txn, never a second txn. */
	if (store_in_writer(s))
		return STORE_INVALID;
	for (tries = 0; ; tries++) {
		if ((r = store_gate_enter(s)) != STORE_OK)
			return r;
		rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);
		if (rc == 0)
			break;
		store_gate_leave(s);
		if (rc != MDB_MAP_RESIZED || tries >= 3)
			return store_err_lmdb(rc);
		/*
		 * Another process grew the file past our map. With a writer
		 * thread, only it may remap (it may be inside a write
		 * transaction now): an empty job makes it notice at its next
		 * mdb_txn_begin(). Without one, remap here.
		 */
		if (!s->rdonly && !store_gate_held(s))
			r = store_write(s, store_noop, NULL);
		else if (s->rdonly && !store_gate_held(s))
			r = store_map_adopt(s);
		else
			r = STORE_IO;
		if (r != STORE_OK)
			return r;
	}

	t.s = s;
	t.txn = txn;
	t.rdonly = 1;
	t.fatal = 0;
	r = fn(&t, arg);
	mdb_txn_abort(txn);
	store_gate_leave(s);
	return r;
}

void
store_get_stats(struct store *s, struct store_stats *st)
{
	MDB_envinfo	 info;
	MDB_stat	 ms;

	st->map_size = 0;
	st->used_bytes = 0;
	/* mdb_env_info() reads the meta pages, which live in the map. */
	if (store_gate_enter(s) == STORE_OK) {
		if (mdb_env_info(s->env, &info) == 0 &&
		    mdb_env_stat(s->env, &ms) == 0) {
			st->map_size = info.me_mapsize;
			st->used_bytes = (info.me_last_pgno + 1) *
			    (size_t)ms.ms_psize;
		}
		store_gate_leave(s);
	}
	pthread_mutex_lock(&s->mtx);
	st->commits = s->commits;
	st->jobs = s->jobs;
	memcpy(st->wait, s->wait, sizeof(st->wait));
	st->wait_sum_us = s->wait_sum_us;
	st->trims = s->trims;
	pthread_mutex_unlock(&s->mtx);
}
