/*
 * store: the LMDB environment of a Bisik data directory.
 *
 * What it is for: one durable LMDB environment with the named tables of
 * docs/design.md ("Storage"), a group-commit writer, map growth and clean disk-full
 * handling. It knows bytes and tables, not the meaning of records: callers
 * encode records (with a leading version byte) and keys (big-endian
 * integers so that cursor order is useful; see store_be64_put).
 *
 * Contract:
 *  - store_open() opens (or with STORE_CREATE creates) the environment in
 *    the directory, runs mdb_reader_check(), creates missing tables, and
 *    starts one writer thread. store_close() drains and joins the writer.
 *  - Writes: store_write(s, fn, arg) queues a job and blocks until the
 *    transaction holding it is durable on disk (fsync done), then returns
 *    fn's result or a commit error. The writer batches every job waiting
 *    (up to STORE_BATCH_MAX) into one write transaction; each job runs in
 *    a nested transaction so a job that fails (returns non-zero) is rolled
 *    back alone and the others still commit. fn may run more than once
 *    (after MDB_MAP_FULL the whole batch is aborted, the map grown and the
 *    batch run again), so fn must be idempotent in its effects outside the
 *    transaction (write results into arg, do not free arg's inputs).
 *    A batch also stops taking jobs once it has run them for
 *    STORE_BATCH_USEC: the rest wait for the next batch, so that one long
 *    batch does not hold every caller behind it.
 *  - store_write_async(s, fn, arg, done, darg) queues the same job and
 *    returns at once; done(darg, result) runs on the writer thread when
 *    store_write() would have returned, so a server can wait for the
 *    commit without holding a thread for it.
 *  - Reads: store_read(s, fn, arg) runs fn in a read-only transaction on
 *    the calling thread. Pointers returned by store_get/store_each point
 *    into the map: const, valid only until fn returns.
 *  - Errors are enum store_err (0 = STORE_OK). STORE_FULL means the disk
 *    has no room: nothing of that batch is stored and nothing already
 *    stored is harmed; the server answers 507.
 *  - Thread-safe: any number of threads may call store_read/store_write.
 *  - Never uses MDB_NOSYNC, MDB_MAPASYNC, MDB_WRITEMAP, MDB_NOMEMINIT or
 *    MDB_DUPSORT (docs/design.md, "Library facts we rely on").
 */
#ifndef BISIK_STORE_H
#define BISIK_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_WUR __attribute__((warn_unused_result))

/* Jobs joined in one durable transaction at most; bounds the latency a
 * batch adds and the size of one commit. */
#define STORE_BATCH_MAX		256
/* Microseconds a batch runs its jobs before it commits what it has run
 * and leaves the rest to the next batch: a job takes tens of
 * microseconds, so a batch holds dozens of jobs before this bound is met,
 * and a caller waits at most about two such batches and their syncs. */
#define STORE_BATCH_USEC	5000
/* Buckets of the queue-wait histogram (store_stats.wait): how long a job
 * waited from being queued until its batch was durable. Their upper
 * bounds in microseconds are store_wait_bound(i); the last is unbounded. */
#define STORE_WAIT_BUCKETS	11
/* Initial map size; the map doubles up to the cap. The map is only
 * reserved address space (without MDB_WRITEMAP the file grows with the
 * data, not the map), so a large start costs nothing and spares a busy
 * server the stall of a resize, which must wait for every transaction. */
#define STORE_MAP_INITIAL	((size_t)1 << 30)
#define STORE_MAP_MAX		((size_t)1 << 40)
/* Longest key we accept (LMDB's default maximum is 511). */
#define STORE_KEY_MAX		511

enum store_err {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such key */
	STORE_EXISTS,		/* key exists (STORE_NOOVERWRITE) */
	STORE_FULL,		/* disk full (ENOSPC/EDQUOT): answer 507 */
	STORE_CORRUPT,		/* data file damaged or not an LMDB file */
	STORE_INVALID,		/* bad argument or record (e.g. wrong version) */
	STORE_CONFLICT,		/* job refused: state changed (callers' use) */
	STORE_IO,		/* other I/O or LMDB failure */
	STORE_ERR_MAX
};
const char	*store_strerror(int);

enum store_table {
	STORE_T_META,
	STORE_T_CASES,
	STORE_T_IDENTITY,
	STORE_T_TOKENS,
	STORE_T_TIMELINE,
	STORE_T_ATTACHMENTS,
	STORE_T_USERS,
	STORE_T_USERNAMES,
	STORE_T_SESSIONS,
	STORE_T_AGENCIES,
	STORE_T_CATEGORIES,
	STORE_T_IDX_STATUS_DUE,
	STORE_T_IDX_AGENCY_STATUS_DUE,
	STORE_T_DEDUP_BANDS,
	STORE_T_DISCLOSURES,
	STORE_T_AUDIT,
	STORE_T_STATS,
	STORE_T_POW_SEEN,
	STORE_T_CONTENT,	/* sealed case text, binary (server/case.c) */
	STORE_T_IDENTITY_R,	/* keyed hashes of filed R (identity.c) */
	STORE_T_MAX
};

struct store;
struct store_txn;

#define STORE_CREATE	0x1	/* create the environment if absent */
#define STORE_RDONLY	0x2	/* open read-only; no writer thread */

/* Opens the environment in dir (which must exist). On failure *out is
 * untouched and the return value says why (STORE_CORRUPT for a damaged
 * or truncated data file, STORE_NOTFOUND if absent without STORE_CREATE). */
STORE_WUR int	store_open(const char *dir, int flags, struct store **out);
/* Same, with mapsize in place of STORE_MAP_INITIAL as the initial map
 * (tests use a small one to exercise map growth). */
STORE_WUR int	store_open_mapsize(const char *dir, int flags, size_t mapsize,
		    struct store **out);
/* Stops the writer after the queued jobs and closes. Accepts NULL. */
void		store_close(struct store *);

typedef int	(*store_fn)(struct store_txn *, void *arg);

/* Group-committed durable write; see the contract above. */
STORE_WUR int	store_write(struct store *, store_fn, void *arg);
/* The same job without waiting: once this returns STORE_OK, done(darg,
 * result) is called exactly once, on the writer thread, with what
 * store_write() would have returned; fn and arg must stay valid until
 * then. done must be brief and must not write to the store. On any other
 * return nothing was queued and done is never called. */
typedef void	(*store_done_fn)(void *darg, int result);
STORE_WUR int	store_write_async(struct store *, store_fn, void *arg,
		    store_done_fn done, void *darg);
/* Read-only transaction on this thread. Returns fn's result. fn must not
 * wait for a store_write() to finish (a map resize waits for readers). */
STORE_WUR int	store_read(struct store *, store_fn, void *arg);

/* Table operations inside fn. Values returned are borrowed (see above). */
STORE_WUR int	store_get(struct store_txn *, enum store_table,
		    const void *key, size_t klen, const void **val, size_t *vlen);
#define STORE_NOOVERWRITE 0x1
STORE_WUR int	store_put(struct store_txn *, enum store_table,
		    const void *key, size_t klen, const void *val, size_t vlen,
		    int flags);
/* STORE_NOTFOUND if absent. */
STORE_WUR int	store_del(struct store_txn *, enum store_table,
		    const void *key, size_t klen);

/* What a store_each callback returns to end the walk early because it
 * has what it wants: store_each then returns STORE_OK. No enum store_err
 * equals it, so a callback that stops is never taken for one that failed
 * (1 would be STORE_NOTFOUND). */
#define STORE_STOP	(-1)
/* Calls cb for each key >= from (from NULL: from the first key) in key
 * order, while the key starts with prefix (prefix NULL/0: no bound).
 * cb returns 0 to go on, STORE_STOP to end the walk (STORE_OK is
 * returned), anything else (an enum store_err) to stop with that value
 * returned. */
typedef int	(*store_each_fn)(const void *key, size_t klen,
		    const void *val, size_t vlen, void *arg);
STORE_WUR int	store_each(struct store_txn *, enum store_table,
		    const void *from, size_t fromlen,
		    const void *prefix, size_t prefixlen,
		    store_each_fn cb, void *arg);
/* Same, in reverse key order, starting at the last key <= from (from NULL:
 * the last key of the table). */
STORE_WUR int	store_each_rev(struct store_txn *, enum store_table,
		    const void *from, size_t fromlen,
		    const void *prefix, size_t prefixlen,
		    store_each_fn cb, void *arg);

/* Increments the 64-bit counter named `name` in STORE_T_META (absent = 0)
 * and gives the new value; use for case numbers and sequences. */
STORE_WUR int	store_counter_next(struct store_txn *, const char *name,
		    uint64_t *value);
/* Number of entries in a table. */
STORE_WUR int	store_count(struct store_txn *, enum store_table, size_t *n);

/* Big-endian integer helpers for keys and records. */
void		store_be64_put(uint8_t out[8], uint64_t);
uint64_t	store_be64_get(const uint8_t in[8]);
void		store_be32_put(uint8_t out[4], uint32_t);
uint32_t	store_be32_get(const uint8_t in[4]);

/* Statistics for benchmarks and metrics. */
struct store_stats {
	size_t		map_size;	/* current map size in bytes */
	size_t		used_bytes;	/* pages in use * page size */
	uint64_t	commits;	/* durable transactions since open */
	uint64_t	jobs;		/* jobs committed since open */
	/* Every job answered since open, by its wait from being queued to
	 * its answer (the queue, its batch and the sync): counts per bucket
	 * (not cumulative) and the sum in microseconds. */
	uint64_t	wait[STORE_WAIT_BUCKETS];
	uint64_t	wait_sum_us;
	uint64_t	trims;		/* passes of store_map_trim() since open */
};
void		store_get_stats(struct store *, struct store_stats *);
/* Drops this process's mappings of the used part of the data file
 * (madvise(MADV_DONTNEED) on LMDB's read-only shared map): the pages stay
 * in the kernel's page cache and are mapped again when next read, with
 * the same contents, so readers inside transactions are unaffected. A
 * writable store runs it every STORE_TRIM_USEC after any transaction
 * (store/trim.c). *dropped, if not NULL, gets the bytes covered. */
STORE_WUR int	store_map_trim(struct store *, size_t *dropped);
/* Upper bound in microseconds of wait bucket i; UINT64_MAX for the last. */
uint64_t	store_wait_bound(size_t i);

/* Consistent compacted copy of the environment to a new file path
 * (created 0600; refuses an existing one). Safe while serving. */
STORE_WUR int	store_backup(struct store *, const char *path);

/* Offline compaction of the data directory dir (compact.c): the data
 * file is rewritten record by record into a new file, which replaces it
 * (fsync'd, renamed, directory fsync'd), so that no byte of a deleted
 * record survives, not even in free pages or page gaps (a page-level
 * copy such as store_backup's keeps some). STORE_CONFLICT if any process
 * has the environment open. *before and *after: file sizes in bytes. */
STORE_WUR int	store_compact(const char *dir, uint64_t *before,
		    uint64_t *after);

#endif
