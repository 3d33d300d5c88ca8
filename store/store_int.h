/*
 * store_int.h: what the files of store/ share and nobody else sees.
 *
 * The environment (env.c), the reader gate and map resizing (gate.c), the
 * writer thread (writer.c), table operations (table.c), backups (backup.c)
 * and error mapping (err.c) all work on one struct store.
 *
 * Lock order, never reversed: s->mtx (writer queue) is never held while
 * taking s->gate_mtx, and the reverse neither; each is held only briefly.
 */
#ifndef BISIK_STORE_INT_H
#define BISIK_STORE_INT_H

#include <sys/types.h>

#include <lmdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "store/store.h"

/*
 * Reader slots in the lock file, shared by every process that opens the
 * environment (the server, a read-only `bisikd` command, backups).
 */
#define STORE_READERS		256
/*
 * Read transactions one process may hold at once. Kept below
 * STORE_READERS so that another process (a CLI reading the same data
 * directory) still finds a free slot; callers past it wait in the gate
 * instead of failing with MDB_READERS_FULL.
 */
#define STORE_READERS_LOCAL	224
/*
 * After an EIO on write, LMDB's answer to a short write, less room than
 * this on the file system (or under RLIMIT_FSIZE) means the disk is full:
 * a short write only happens when the file system ran out while writing.
 */
#define STORE_ROOM_MIN		((uint64_t)1 << 20)
/*
 * How often the trim thread (trim.c) drops this process's mappings of the
 * data file: what one second of transactions maps is what the process
 * holds beyond its own memory, and a pass over a map that mostly holds
 * nothing costs a walk of its page tables. A hot page dropped is mapped
 * again from the page cache at its next use, a minor fault a second.
 */
#define STORE_TRIM_USEC		1000000
/*
 * Bytes of the map one madvise() of a trim covers, inside the reader gate:
 * a resize waits for at most one chunk, not for the whole file.
 */
#define STORE_TRIM_CHUNK	((size_t)8 << 20)

/* One queued store_write(); lives on the caller's stack until done. A
 * store_write_async() job (done_fn set) is the writer's to free. */
struct store_job {
	store_fn		 fn;
	void			*arg;
	int			 result;
	int			 done;
	store_done_fn		 done_fn;
	void			*done_arg;
	uint64_t		 queued_us;	/* monotonic, when queued */
	/* Its caller waits on this alone: a batch wakes the callers it
	 * answers, not every caller waiting for a later batch. */
	pthread_cond_t		 cv;
	struct store_job	*next;
};

struct store {
	MDB_env			*env;
	MDB_dbi			 dbi[STORE_T_MAX];
	/* Read-only opens may find a table missing: reads see it empty. */
	int			 have[STORE_T_MAX];
	int			 rdonly;
	/* Set when a remap failed and the map is gone: only close is safe. */
	atomic_int		 broken;

	/* Identity of the directory, to refuse a second open (env.c). */
	dev_t			 dev;
	ino_t			 ino;
	pid_t			 pid;
	struct store		*reg_next;

	/*
	 * Reader gate (gate.c): mdb_env_set_mapsize() unmaps the file, so
	 * no transaction of this process may be open while it runs.
	 */
	pthread_mutex_t		 gate_mtx;
	pthread_cond_t		 gate_cv;
	unsigned		 readers;
	int			 resizing;
	uint64_t		 entries;	/* gate entries since open */

	/* Writer (writer.c). */
	pthread_mutex_t		 mtx;
	pthread_cond_t		 work_cv;	/* writer: jobs or stop */
	struct store_job	*head, *tail;
	int			 stop;
	int			 started;
	pthread_t		 writer;
	uint64_t		 commits;
	uint64_t		 jobs;
	uint64_t		 wait[STORE_WAIT_BUCKETS];
	uint64_t		 wait_sum_us;
	uint64_t		 trims;		/* under mtx */

	/* Trim thread (trim.c). */
	pthread_mutex_t		 trim_mtx;
	pthread_cond_t		 trim_cv;
	int			 trim_cv_init;
	int			 trim_stop;
	int			 trim_started;
	pthread_t		 trimmer;
};

struct store_txn {
	struct store		*s;
	MDB_txn			*txn;
	int			 rdonly;
	/*
	 * First LMDB error that leaves the transaction unusable
	 * (MDB_TXN_ERROR), such as MDB_MAP_FULL. A job may swallow the error
	 * store_put() gave it; the writer looks here instead.
	 */
	int			 fatal;
};

/* err.c */
int	store_err_lmdb(int);
int	store_err_write(struct store *, int);
int	store_rc_fatal(int);

/* gate.c */
int	store_gate_enter(struct store *);
void	store_gate_leave(struct store *);
int	store_gate_held(const struct store *);
int	store_map_grow(struct store *, size_t);
int	store_map_adopt(struct store *);
size_t	store_map_size(struct store *);

/* trim.c */
int	store_trim_start(struct store *);
void	store_trim_stop(struct store *);

/* writer.c */
int	store_writer_start(struct store *);
void	store_writer_stop(struct store *);
int	store_in_writer(const struct store *);

#endif
