/*
 * trim.c: giving back the pages of the map that this process holds.
 *
 * LMDB reads through a read-only shared mapping of data.mdb (no
 * MDB_WRITEMAP: the writer writes with pwrite). Every page a transaction
 * looks at, and the neighbours the kernel maps with it (fault-around, and
 * whole large folios of the page cache), stays mapped in this process
 * until the map is unmapped, so after a burst of writes the process
 * holds most of the data file as resident memory, counted in its RSS
 * although it is only the kernel's page cache seen through the map.
 *
 * A trim thread, started with the writer, wakes every STORE_TRIM_USEC and,
 * when a transaction ran since its last pass, drops the process's
 * mappings of the used part of the file with madvise(MADV_DONTNEED).
 * For a shared file mapping that only removes page-table entries: the
 * pages stay in the page cache (which the kernel may reclaim like any
 * cached file data), and the next access to one maps it again from there,
 * with the file's current contents (madvise(2)). A reader inside a
 * transaction therefore sees the same bytes before and after; it pays a
 * minor fault. The trim passes the reader gate (gate.c) one chunk at a
 * time, so the map cannot be moved under it and a resize waits for at
 * most one chunk.
 */
#include <sys/mman.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_int.h"

static size_t
store_trim_pagesize(void)
{
	long	 p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (size_t)p : 4096;
}

/*
 * LMDB's on-disk page header (lmdb's mdb.c, MDB_page) begins with the
 * page's number, and its meta pages (0 and 1) carry MDB_MAGIC after that
 * 16-byte header. The data file format of LMDB 0.9 fixes both.
 */
#define STORE_PGHDR_SIZE	16
#define STORE_MDB_MAGIC		0xBEEFC0DEU

/*
 * Finds where LMDB mapped the file: mdb_env_info() gives the map's size
 * but its me_mapaddr only with MDB_FIXEDMAP. A key read in a read
 * transaction points into a page of the map; the page's header gives its
 * number, hence the map's start, which must then show the meta pages'
 * magic (probed with mincore() first, so a wrong guess fails instead of
 * faulting). Called inside the gate with txn open.
 */
static int
store_map_base(MDB_txn *txn, size_t psize,
    size_t last_pgno, char **base)
{
	MDB_cursor	*c = NULL;
	MDB_dbi		 main;
	MDB_val		 k, v;
	unsigned char	 vec[2];
	uint64_t	 pgno;
	uint32_t	 magic;
	uintptr_t	 page;
	char		*b;
	int		 rc, r = STORE_IO;

	*base = NULL;
	/* The main table (it names the others) is never empty once the
	 * tables exist; dbi 0 would be LMDB's free-page table. */
	if (mdb_dbi_open(txn, NULL, 0, &main) != 0 ||
	    mdb_cursor_open(txn, main, &c) != 0)
		return STORE_IO;
	rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
	if (rc == MDB_NOTFOUND) {
		r = STORE_NOTFOUND;
		goto out;
	}
	if (rc != 0 || k.mv_size == 0)
		goto out;
	page = (uintptr_t)k.mv_data & ~(uintptr_t)(psize - 1);
	memcpy(&pgno, (const void *)page, sizeof(pgno));
	if (pgno > last_pgno || pgno * psize > page)
		goto out;
	b = (char *)(page - (uintptr_t)(pgno * psize));
	if (mincore(b, 2 * psize, vec) == -1)
		goto out;
	memcpy(&magic, b + STORE_PGHDR_SIZE, sizeof(magic));
	if (magic != STORE_MDB_MAGIC)
		goto out;
	memcpy(&magic, b + psize + STORE_PGHDR_SIZE, sizeof(magic));
	if (magic != STORE_MDB_MAGIC)
		goto out;
	*base = b;
	r = STORE_OK;
out:
	mdb_cursor_close(c);
	return r;
}

int
store_map_trim(struct store *s, size_t *dropped)
{
	MDB_envinfo	 info;
	MDB_stat	 ms;
	MDB_txn		*txn;
	size_t		 off = 0, used, len, pg;
	char		*base;
	int		 r, rc;

	if (dropped != NULL)
		*dropped = 0;
	if (s == NULL)
		return STORE_INVALID;
	pg = store_trim_pagesize();
	for (;;) {
		if ((r = store_gate_enter(s)) != STORE_OK)
			return r;
		/* The map may have moved since the last chunk: find it
		 * again. */
		rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);
		if (rc == MDB_MAP_RESIZED) {
			/* The file outgrew the map; the writer remaps at its
			 * next transaction, which unmaps every page anyway. */
			store_gate_leave(s);
			break;
		}
		if (rc != 0) {
			store_gate_leave(s);
			return STORE_IO;
		}
		/* After the txn began: its pages are at most the last page
		 * of the newest commit, which this reads. */
		if (mdb_env_info(s->env, &info) != 0 ||
		    mdb_env_stat(s->env, &ms) != 0 ||
		    (size_t)ms.ms_psize % pg != 0) {
			mdb_txn_abort(txn);
			store_gate_leave(s);
			return STORE_IO;
		}
		r = store_map_base(txn, ms.ms_psize, info.me_last_pgno,
		    &base);
		mdb_txn_abort(txn);
		if (r != STORE_OK) {
			store_gate_leave(s);
			/* An empty environment has nothing mapped to drop. */
			return r == STORE_NOTFOUND ? STORE_OK : r;
		}
		used = (info.me_last_pgno + 1) * (size_t)ms.ms_psize;
		/* Pages past the used ones are mapped only by a writer that
		 * has not committed yet: the next pass takes them. */
		if (used > info.me_mapsize)
			used = info.me_mapsize;
		if (off >= used) {
			store_gate_leave(s);
			break;
		}
		len = used - off < STORE_TRIM_CHUNK ? used - off :
		    STORE_TRIM_CHUNK;
		if (madvise(base + off, len, MADV_DONTNEED) == -1) {
			store_gate_leave(s);
			return STORE_IO;
		}
		store_gate_leave(s);
		off += len;
		if (dropped != NULL)
			*dropped += len;
	}
	pthread_mutex_lock(&s->mtx);
	s->trims++;
	pthread_mutex_unlock(&s->mtx);
	return STORE_OK;
}

/* Transactions begun since open: read ones through the gate, and the
 * writer's commits. */
static uint64_t
store_trim_activity(struct store *s)
{
	uint64_t	 n;

	pthread_mutex_lock(&s->gate_mtx);
	n = s->entries;
	pthread_mutex_unlock(&s->gate_mtx);
	pthread_mutex_lock(&s->mtx);
	n += s->commits;
	pthread_mutex_unlock(&s->mtx);
	return n;
}

static void *
store_trim_main(void *arg)
{
	struct store	*s = arg;
	struct timespec	 until;
	uint64_t	 seen = 0;
	int		 rc;

	pthread_mutex_lock(&s->trim_mtx);
	while (!s->trim_stop) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += STORE_TRIM_USEC / 1000000;
		until.tv_nsec += (long)(STORE_TRIM_USEC % 1000000) * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		while (!s->trim_stop && pthread_cond_timedwait(&s->trim_cv,
		    &s->trim_mtx, &until) != ETIMEDOUT)
			;
		if (s->trim_stop)
			break;
		pthread_mutex_unlock(&s->trim_mtx);
		/* An idle store has mapped nothing since the last pass.
		 * The pass's own gate entries are counted in seen. */
		if (store_trim_activity(s) != seen) {
			/* A failure (a broken map) leaves only close safe,
			 * which the store's users learn from their own
			 * transactions; the next pass tries again. */
			rc = store_map_trim(s, NULL);
			(void)rc;
			seen = store_trim_activity(s);
		}
		pthread_mutex_lock(&s->trim_mtx);
	}
	pthread_mutex_unlock(&s->trim_mtx);
	return NULL;
}

int
store_trim_start(struct store *s)
{
	pthread_condattr_t	 ca;
	sigset_t		 all, old;
	int			 rc;

	if (pthread_condattr_init(&ca) != 0)
		return STORE_IO;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&s->trim_cv, &ca);
	pthread_condattr_destroy(&ca);
	if (rc != 0)
		return STORE_IO;
	s->trim_cv_init = 1;
	s->trim_stop = 0;
	/* Signals are for the threads that serve. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->trimmer, NULL, store_trim_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return STORE_IO;
	s->trim_started = 1;
	return STORE_OK;
}

void
store_trim_stop(struct store *s)
{
	if (!s->trim_started)
		return;
	pthread_mutex_lock(&s->trim_mtx);
	s->trim_stop = 1;
	pthread_cond_signal(&s->trim_cv);
	pthread_mutex_unlock(&s->trim_mtx);
	pthread_join(s->trimmer, NULL);
	s->trim_started = 0;
}
