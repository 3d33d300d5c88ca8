/*
 * err.c: the store's error vocabulary.
 *
 * LMDB and the system speak in errno values and MDB_* codes; the rest of
 * Bisik only needs to tell apart the few causes it answers differently
 * (absent, exists, disk full, damaged data, caller bug, anything else).
 * The one subtle case is a full disk: LMDB reports a short write as EIO,
 * so an EIO on the write path is turned into STORE_FULL when the file
 * system (or the file size limit) has no room left.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <unistd.h>

#include "store/store_int.h"

static const char *const store_errs[STORE_ERR_MAX] = {
	[STORE_OK] = "success",
	[STORE_NOTFOUND] = "not found",
	[STORE_EXISTS] = "already exists",
	[STORE_FULL] = "disk full",
	[STORE_CORRUPT] = "data file damaged or not an LMDB file",
	[STORE_INVALID] = "invalid argument or record",
	[STORE_CONFLICT] = "conflict",
	[STORE_IO] = "input/output or database error",
};

const char *
store_strerror(int e)
{
	if (e < 0 || e >= STORE_ERR_MAX)
		return "unknown store error";
	return store_errs[e];
}

int
store_err_lmdb(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return STORE_OK;
	case MDB_NOTFOUND:
		return STORE_NOTFOUND;
	case MDB_KEYEXIST:
		return STORE_EXISTS;
	case MDB_MAP_FULL:
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		return STORE_FULL;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
	case MDB_INCOMPATIBLE:
		return STORE_CORRUPT;
	case MDB_BAD_VALSIZE:
	case EINVAL:
	case EACCES:
		return STORE_INVALID;
	default:
		return STORE_IO;
	}
}

/*
 * Room left for the data file to grow: free space on its file system (what
 * this user may take) and what RLIMIT_FSIZE still allows.
 */
static int
store_room(struct store *s, uint64_t *room)
{
	struct statvfs	 vfs;
	struct stat	 st;
	struct rlimit	 rl;
	int		 fd;
	uint64_t	 blocks, r;

	if (mdb_env_get_fd(s->env, &fd) != 0 || fstatvfs(fd, &vfs) == -1 ||
	    fstat(fd, &st) == -1)
		return -1;
	/* Root may use the blocks reserved for it. */
	blocks = geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail;
	r = (uint64_t)blocks * vfs.f_frsize;
	if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		uint64_t lim = rl.rlim_cur, sz = (uint64_t)st.st_size;

		if (lim - (sz < lim ? sz : lim) < r)
			r = lim - (sz < lim ? sz : lim);
	}
	*room = r;
	return 0;
}

/* Like store_err_lmdb(), for errors of the write path (commit, spill). */
int
store_err_write(struct store *s, int rc)
{
	uint64_t	 room;

	if (rc == EIO && store_room(s, &room) == 0 && room < STORE_ROOM_MIN)
		return STORE_FULL;
	return store_err_lmdb(rc);
}

/*
 * Whether an error from an LMDB call inside a transaction leaves that
 * transaction unusable. Lookups that miss, duplicate keys and refused
 * arguments do not; everything else sets MDB_TXN_ERROR in LMDB.
 */
int
store_rc_fatal(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
	case MDB_NOTFOUND:
	case MDB_KEYEXIST:
	case MDB_BAD_VALSIZE:
	case MDB_BAD_DBI:
	case EINVAL:
	case EACCES:
		return 0;
	default:
		return 1;
	}
}
