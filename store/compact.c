/*
 * compact.c: rewriting the data file so that no deleted byte survives.
 *
 * LMDB never overwrites a page in place: deleted and replaced records
 * stay in free pages until those are reused, and inside live pages the
 * room a deleted record left may keep its bytes. MDB_CP_COMPACT (what
 * store_backup uses) leaves free pages out, but it copies live pages
 * whole: measured with LMDB 0.9.24, bytes of deleted records (tails of
 * overwritten overflow values, leftovers in page gaps) are still found in
 * a compacted copy. So compaction here is logical: a new environment is
 * filled record by record from a read of the old one (in key order, with
 * MDB_APPEND) and swapped in. Pages of the new file hold only what was
 * live, or zeros.
 *
 * Offline only: an exclusive fcntl lock on byte 0 of lock.mdb (the byte
 * LMDB itself locks, shared, while an environment is open) proves that no
 * other process has the environment open, and keeps any from opening it
 * (LMDB waits for that lock) until the new file is in place. The old
 * environment is then read without locking (MDB_NOLOCK), the new one is
 * written without a lock file, fsync'd, renamed over data.mdb and the
 * directory fsync'd; the first normal open afterwards (done here, still
 * holding the lock) initialises the lock file for the new file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/fsdir.h"
#include "store/store_int.h"

/* Records copied per write transaction of the new file: bounds the dirty
 * pages one commit holds. */
#define COMPACT_TXN_RECORDS	100000

/* Copies one table (dbi of the old env, named name) into the new env. */
static int
copy_table(MDB_env *from, MDB_txn *rtxn, MDB_dbi src, MDB_env *to,
    const char *name)
{
	MDB_txn		*w = NULL;
	MDB_cursor	*cur = NULL;
	MDB_dbi		 dst;
	MDB_val		 k, v;
	unsigned	 flags;
	size_t		 n = 0;
	int		 rc;

	(void)from;
	if ((rc = mdb_dbi_flags(rtxn, src, &flags)) != 0)
		return rc;
	if ((rc = mdb_txn_begin(to, NULL, 0, &w)) != 0)
		return rc;
	if ((rc = mdb_dbi_open(w, name, MDB_CREATE | (flags &
	    (MDB_REVERSEKEY | MDB_INTEGERKEY)), &dst)) != 0)
		goto fail;
	if ((rc = mdb_cursor_open(rtxn, src, &cur)) != 0)
		goto fail;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((rc = mdb_put(w, dst, &k, &v, MDB_APPEND)) != 0)
			goto fail;
		if (++n % COMPACT_TXN_RECORDS == 0) {
			if ((rc = mdb_txn_commit(w)) != 0) {
				w = NULL;
				goto fail;
			}
			if ((rc = mdb_txn_begin(to, NULL, 0, &w)) != 0) {
				w = NULL;
				goto fail;
			}
		}
	}
	if (rc != MDB_NOTFOUND)
		goto fail;
	mdb_cursor_close(cur);
	rc = mdb_txn_commit(w);
	return rc;
fail:
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (w != NULL)
		mdb_txn_abort(w);
	return rc;
}

/* Copies every named table of the old environment into tmp. */
static int
rewrite(const char *dir, const char *tmp, size_t mapsize)
{
	MDB_env		*from = NULL, *to = NULL;
	MDB_txn		*rtxn = NULL;
	MDB_cursor	*names = NULL;
	MDB_dbi		 main_dbi, src;
	MDB_val		 k, v;
	char		 name[512];
	int		 rc;

	if ((rc = mdb_env_create(&from)) != 0 ||
	    (rc = mdb_env_set_maxdbs(from, STORE_T_MAX + 64)) != 0 ||
	    (rc = mdb_env_set_mapsize(from, mapsize)) != 0 ||
	    (rc = mdb_env_open(from, dir, MDB_RDONLY | MDB_NOLOCK, 0600)) != 0)
		goto out;
	if ((rc = mdb_env_create(&to)) != 0 ||
	    (rc = mdb_env_set_maxdbs(to, STORE_T_MAX + 64)) != 0 ||
	    (rc = mdb_env_set_mapsize(to, mapsize)) != 0 ||
	    (rc = mdb_env_open(to, tmp, MDB_NOSUBDIR | MDB_NOLOCK, 0600)) != 0)
		goto out;
	if ((rc = mdb_txn_begin(from, NULL, MDB_RDONLY, &rtxn)) != 0 ||
	    (rc = mdb_dbi_open(rtxn, NULL, 0, &main_dbi)) != 0 ||
	    (rc = mdb_cursor_open(rtxn, main_dbi, &names)) != 0)
		goto out;
	/* The main table holds one record per named table. */
	for (rc = mdb_cursor_get(names, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(names, &k, &v, MDB_NEXT)) {
		if (k.mv_size == 0 || k.mv_size >= sizeof(name) ||
		    memchr(k.mv_data, '\0', k.mv_size) != NULL) {
			rc = MDB_CORRUPTED;
			goto out;
		}
		memcpy(name, k.mv_data, k.mv_size);
		name[k.mv_size] = '\0';
		if ((rc = mdb_dbi_open(rtxn, name, 0, &src)) != 0 ||
		    (rc = copy_table(from, rtxn, src, to, name)) != 0)
			goto out;
	}
	if (rc != MDB_NOTFOUND)
		goto out;
	rc = mdb_env_sync(to, 1);
out:
	if (names != NULL)
		mdb_cursor_close(names);
	if (rtxn != NULL)
		mdb_txn_abort(rtxn);
	if (to != NULL)
		mdb_env_close(to);
	if (from != NULL)
		mdb_env_close(from);
	return rc;
}

int
store_compact(const char *dir, uint64_t *before, uint64_t *after)
{
	struct flock	 lk;
	struct stat	 st;
	struct store	*s;
	char		 data[PATH_MAX], lock[PATH_MAX], tmp[PATH_MAX];
	int		 lfd = -1, fd, rc, r;

	*before = *after = 0;
	if ((size_t)snprintf(data, sizeof(data), "%s/data.mdb", dir) >=
	    sizeof(data) || (size_t)snprintf(lock, sizeof(lock),
	    "%s/lock.mdb", dir) >= sizeof(lock) || (size_t)snprintf(tmp,
	    sizeof(tmp), "%s/data.mdb.compact", dir) >= sizeof(tmp))
		return STORE_INVALID;
	if (stat(data, &st) == -1)
		return errno == ENOENT ? STORE_NOTFOUND : STORE_IO;
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		return STORE_CORRUPT;
	*before = (uint64_t)st.st_size;
	if ((lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1)
		return STORE_IO;
	memset(&lk, 0, sizeof(lk));
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = 0;
	lk.l_len = 1;
	if (fcntl(lfd, F_SETLK, &lk) == -1) {
		close(lfd);
		return errno == EACCES || errno == EAGAIN ? STORE_CONFLICT :
		    STORE_IO;
	}
	/* A leftover of an interrupted run is only ever a partial copy. */
	if (unlink(tmp) == -1 && errno != ENOENT) {
		r = STORE_IO;
		goto out;
	}
	rc = rewrite(dir, tmp, ((size_t)st.st_size / STORE_MAP_INITIAL + 2) *
	    STORE_MAP_INITIAL);
	if (rc != 0) {
		r = rc > 0 ? (rc == ENOSPC || rc == EDQUOT ? STORE_FULL :
		    STORE_IO) : store_err_lmdb(rc);
		unlink(tmp);
		goto out;
	}
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) == -1 ||
	    fstat(fd, &st) == -1) {
		if (fd != -1)
			close(fd);
		unlink(tmp);
		r = STORE_IO;
		goto out;
	}
	close(fd);
	*after = (uint64_t)st.st_size;
	if (rename(tmp, data) == -1 || core_fsync_dir(dir) == -1) {
		unlink(tmp);
		r = STORE_IO;
		goto out;
	}
	/* Still holding the lock: this open is LMDB's first on the new file
	 * and sets the lock file up for it; it also proves the file opens. */
	r = store_open(dir, 0, &s);
	if (r == STORE_OK)
		store_close(s);
out:
	close(lfd);
	return r;
}
