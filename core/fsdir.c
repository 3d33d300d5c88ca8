/*
 * fsdir.c: fsync of a directory, so that a name created or renamed into
 * it survives a crash (fsdir.h says why this leaf of core/ does I/O and
 * may be used by store/ and crypto/).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "core/fsdir.h"

int
core_fsync_dir(const char *dir)
{
	int	fd, rc, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	saved = errno;
	/* Some file systems cannot sync a directory; nothing more to do. */
	if (rc == -1 && saved == EINVAL)
		rc = 0;
	close(fd);
	errno = saved;
	return rc;
}

int
core_fsync_parent(const char *path)
{
	char		 dir[PATH_MAX];
	const char	*slash;
	size_t		 len;

	if ((slash = strrchr(path, '/')) == NULL)
		return core_fsync_dir(".");
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	return core_fsync_dir(dir);
}
