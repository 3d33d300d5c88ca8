/*
 * backup.c: a consistent, compacted copy of the environment.
 *
 * LMDB copies from one read transaction, so the copy is a snapshot while
 * the writer goes on. MDB_CP_COMPACT leaves free pages out, and with them
 * the old bytes of deleted records (docs/design.md, "Library facts we
 * rely on": erasing data needs a compacted copy). The copy holds identities and sealed text: it is
 * created 0600 and exclusively, never over an existing file or through a
 * symbolic link.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "core/fsdir.h"
#include "store/store_int.h"

static int
store_err_errno(int e)
{
	switch (e) {
	case EEXIST:
		return STORE_EXISTS;
	case ENOENT:
		return STORE_NOTFOUND;
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		return STORE_FULL;
	case EINVAL:
	case ENAMETOOLONG:
	case ELOOP:
		return STORE_INVALID;
	default:
		return STORE_IO;
	}
}

int
store_backup(struct store *s, const char *path)
{
	int	 fd, rc, r;

	if (s == NULL || path == NULL || *path == '\0')
		return STORE_INVALID;
	/* The copy's read transaction cannot live on the writer thread. */
	if (store_in_writer(s))
		return STORE_INVALID;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1)
		return store_err_errno(errno);
	/* The copy reads the map throughout: keep a remap out. */
	if ((r = store_gate_enter(s)) != STORE_OK)
		goto fail;
	rc = mdb_env_copyfd2(s->env, fd, MDB_CP_COMPACT);
	store_gate_leave(s);
	if (rc != 0) {
		r = rc > 0 ? store_err_errno(rc) : store_err_lmdb(rc);
		goto fail;
	}
	if (fsync(fd) == -1) {
		r = store_err_errno(errno);
		goto fail;
	}
	rc = close(fd);
	fd = -1;
	if (rc == -1 || core_fsync_parent(path) == -1) {
		r = store_err_errno(errno);
		goto fail;
	}
	return STORE_OK;
fail:
	if (fd != -1)
		close(fd);
	/* Never leave a partial copy that looks like a backup. */
	unlink(path);
	return r;
}
