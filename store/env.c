/*
 * env.c: opening and closing the LMDB environment of a data directory.
 *
 * Opening must never make a damaged file worse. LMDB takes an empty
 * data.mdb for a new environment and writes fresh meta pages into it, and
 * it maps a truncated file without complaint, to fault (SIGBUS) on the
 * first page past the end. Both are checked here, before any write
 * transaction, so a torn or truncated file is reported as STORE_CORRUPT
 * and left byte for byte as it was.
 *
 * LMDB also forbids opening one environment twice in a process (closing
 * either handle drops the other's file locks); a small registry refuses
 * that instead of corrupting the reader table.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsdir.h"
#include "store/store_int.h"

/* Names of the tables, in enum store_table order (docs/design.md,
 * "Storage"). */
static const char *const store_names[STORE_T_MAX] = {
	[STORE_T_META] = "meta",
	[STORE_T_CASES] = "cases",
	[STORE_T_IDENTITY] = "identity",
	[STORE_T_TOKENS] = "tokens",
	[STORE_T_TIMELINE] = "timeline",
	[STORE_T_ATTACHMENTS] = "attachments",
	[STORE_T_USERS] = "users",
	[STORE_T_USERNAMES] = "usernames",
	[STORE_T_SESSIONS] = "sessions",
	[STORE_T_AGENCIES] = "agencies",
	[STORE_T_CATEGORIES] = "categories",
	[STORE_T_IDX_STATUS_DUE] = "idx_status_due",
	[STORE_T_IDX_AGENCY_STATUS_DUE] = "idx_agency_status_due",
	[STORE_T_DEDUP_BANDS] = "dedup_bands",
	[STORE_T_DISCLOSURES] = "disclosures",
	[STORE_T_AUDIT] = "audit",
	[STORE_T_STATS] = "stats",
	[STORE_T_POW_SEEN] = "pow_seen",
	[STORE_T_CONTENT] = "content",
	[STORE_T_IDENTITY_R] = "identity_r",
};

static pthread_mutex_t	 store_reg_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct store	*store_reg;

/*
 * Claims the directory for s. Entries left by the parent of a fork() are
 * not ours: that process's handles are unusable here anyway.
 */
static int
store_reg_add(struct store *s)
{
	struct store	*p;

	pthread_mutex_lock(&store_reg_mtx);
	for (p = store_reg; p != NULL; p = p->reg_next)
		if (p->pid == s->pid && p->dev == s->dev && p->ino == s->ino) {
			pthread_mutex_unlock(&store_reg_mtx);
			return -1;
		}
	s->reg_next = store_reg;
	store_reg = s;
	pthread_mutex_unlock(&store_reg_mtx);
	return 0;
}

static void
store_reg_del(struct store *s)
{
	struct store	**pp;

	pthread_mutex_lock(&store_reg_mtx);
	for (pp = &store_reg; *pp != NULL; pp = &(*pp)->reg_next)
		if (*pp == s) {
			*pp = s->reg_next;
			break;
		}
	pthread_mutex_unlock(&store_reg_mtx);
}

/*
 * Checks that the data file holds every page its meta page claims, which
 * LMDB does not do: a short file would fault on first use.
 */
static int
store_check_size(struct store *s)
{
	MDB_envinfo	 info;
	MDB_stat	 ms;
	struct stat	 st;
	int		 fd;

	if (mdb_env_get_fd(s->env, &fd) != 0 || fstat(fd, &st) == -1 ||
	    mdb_env_info(s->env, &info) != 0 || mdb_env_stat(s->env, &ms) != 0)
		return STORE_IO;
	if ((uint64_t)st.st_size <
	    ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize)
		return STORE_CORRUPT;
	return STORE_OK;
}

/*
 * Opens every table in one transaction; the handles then serve all later
 * transactions. A read-only open cannot create: absent tables read empty.
 */
static int
store_open_tables(struct store *s)
{
	MDB_txn		*txn;
	int		 i, rc;

	rc = mdb_txn_begin(s->env, NULL, s->rdonly ? MDB_RDONLY : 0, &txn);
	if (rc != 0)
		return store_err_lmdb(rc);
	for (i = 0; i < STORE_T_MAX; i++) {
		rc = mdb_dbi_open(txn, store_names[i],
		    s->rdonly ? 0 : MDB_CREATE, &s->dbi[i]);
		if (rc == MDB_NOTFOUND && s->rdonly)
			continue;
		if (rc != 0) {
			mdb_txn_abort(txn);
			return store_err_lmdb(rc);
		}
		s->have[i] = 1;
	}
	/* Commit, even read-only: handles opened in an aborted txn close. */
	if ((rc = mdb_txn_commit(txn)) != 0)
		return store_err_lmdb(rc);
	return STORE_OK;
}

static void
store_free(struct store *s)
{
	if (s->env != NULL)
		mdb_env_close(s->env);
	pthread_mutex_destroy(&s->gate_mtx);
	pthread_cond_destroy(&s->gate_cv);
	pthread_mutex_destroy(&s->mtx);
	pthread_cond_destroy(&s->work_cv);
	pthread_mutex_destroy(&s->trim_mtx);
	if (s->trim_cv_init)
		pthread_cond_destroy(&s->trim_cv);
	free(s);
}

int
store_open_mapsize(const char *dir, int flags, size_t mapsize,
    struct store **out)
{
	struct store	*s;
	struct stat	 dst, fst;
	char		 path[PATH_MAX];
	size_t		 map;
	int		 creating = 0, dead, rc, r;

	if (dir == NULL || out == NULL || mapsize == 0 ||
	    mapsize > STORE_MAP_MAX ||
	    (flags & ~(STORE_CREATE | STORE_RDONLY)) != 0 ||
	    (flags & (STORE_CREATE | STORE_RDONLY)) ==
	    (STORE_CREATE | STORE_RDONLY))
		return STORE_INVALID;

	if (stat(dir, &dst) == -1)
		return errno == ENOENT ? STORE_NOTFOUND : STORE_IO;
	if (!S_ISDIR(dst.st_mode))
		return STORE_INVALID;
	if ((size_t)snprintf(path, sizeof(path), "%s/data.mdb", dir) >=
	    sizeof(path))
		return STORE_INVALID;
	if (stat(path, &fst) == -1) {
		if (errno != ENOENT)
			return STORE_IO;
		if (!(flags & STORE_CREATE))
			return STORE_NOTFOUND;
		creating = 1;
		map = mapsize;
	} else {
		if (!S_ISREG(fst.st_mode))
			return STORE_CORRUPT;
		/* LMDB would initialise an empty file as a new env. */
		if (fst.st_size == 0)
			return STORE_CORRUPT;
		/*
		 * Room for what is there, in whole steps of the initial map,
		 * plus one step so the first write does not have to remap.
		 */
		map = ((size_t)fst.st_size / mapsize + 1) * mapsize;
		if (map > STORE_MAP_MAX)
			map = STORE_MAP_MAX;
	}

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return STORE_IO;
	pthread_mutex_init(&s->gate_mtx, NULL);
	pthread_cond_init(&s->gate_cv, NULL);
	pthread_mutex_init(&s->mtx, NULL);
	pthread_cond_init(&s->work_cv, NULL);
	pthread_mutex_init(&s->trim_mtx, NULL);
	atomic_init(&s->broken, 0);
	s->rdonly = (flags & STORE_RDONLY) != 0;
	s->dev = dst.st_dev;
	s->ino = dst.st_ino;
	s->pid = getpid();
	if (store_reg_add(s) == -1) {
		store_free(s);
		return STORE_INVALID;
	}

	if ((rc = mdb_env_create(&s->env)) != 0) {
		s->env = NULL;
		r = store_err_lmdb(rc);
		goto fail;
	}
	/*
	 * MDB_NOTLS: read transactions are not tied to threads' slots, so
	 * any thread may read. Nothing else: the defaults are the durable
	 * ones (docs/design.md, "Library facts we rely on").
	 */
	if ((rc = mdb_env_set_maxdbs(s->env, STORE_T_MAX + 2)) != 0 ||
	    (rc = mdb_env_set_maxreaders(s->env, STORE_READERS)) != 0 ||
	    (rc = mdb_env_set_mapsize(s->env, map)) != 0 ||
	    (rc = mdb_env_open(s->env, dir,
	    MDB_NOTLS | (s->rdonly ? MDB_RDONLY : 0), 0600)) != 0) {
		/* Permission trouble is the system's, not a bad argument. */
		r = rc == EACCES || rc == EPERM ? STORE_IO : store_err_lmdb(rc);
		goto fail;
	}
	if (!creating && (r = store_check_size(s)) != STORE_OK)
		goto fail;
	/* Free the reader slots of processes that died holding them. */
	if ((rc = mdb_reader_check(s->env, &dead)) != 0) {
		r = store_err_lmdb(rc);
		goto fail;
	}
	if ((r = store_open_tables(s)) != STORE_OK)
		goto fail;
	if (creating && core_fsync_dir(dir) == -1) {
		r = STORE_IO;
		goto fail;
	}
	if (!s->rdonly && (r = store_writer_start(s)) != STORE_OK)
		goto fail;
	if (!s->rdonly && (r = store_trim_start(s)) != STORE_OK)
		goto fail;
	*out = s;
	return STORE_OK;
fail:
	store_trim_stop(s);
	store_writer_stop(s);
	store_reg_del(s);
	store_free(s);
	return r;
}

int
store_open(const char *dir, int flags, struct store **out)
{
	return store_open_mapsize(dir, flags, STORE_MAP_INITIAL, out);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_trim_stop(s);
	store_writer_stop(s);
	store_reg_del(s);
	store_free(s);
}
