/*
 * keyfile: reading and creating the server's key files. A key file that
 * anyone else could have written or read is not a key we can trust, so
 * reading insists on a regular file, owned by us, closed to group and
 * others, of exactly the expected size, and never follows a symlink.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "core/fsdir.h"
#include "crypto/crypto.h"

int
crypto_keyfile_read(const char *path, uint8_t *out, size_t len)
{
	struct stat	st;
	uint8_t		extra;
	size_t		off = 0;
	ssize_t		n;
	int		fd, rc = -1;

	if (path == NULL || (out == NULL && len > 0))
		return -1;
	/* O_NONBLOCK: a FIFO planted at the path must not hang the open. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0 ||
	    st.st_size < 0 || (unsigned long long)st.st_size != len)
		goto out;
	while (off < len) {
		n = read(fd, out + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		off += (size_t)n;
	}
	/* A file that grew after fstat is not the key we measured. */
	do
		n = read(fd, &extra, 1);
	while (n == -1 && errno == EINTR);
	sodium_memzero(&extra, sizeof(extra));
	if (n != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0 && len > 0)
		sodium_memzero(out, len);
	close(fd);
	return rc;
}

int
crypto_keyfile_create(const char *path, size_t len)
{
	uint8_t	buf[64];
	size_t	off = 0, chunk, done;
	ssize_t	n;
	int	fd, rc = -1;

	if (path == NULL)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1)
		return -1;
	while (off < len) {
		chunk = len - off < sizeof(buf) ? len - off : sizeof(buf);
		randombytes_buf(buf, chunk);
		for (done = 0; done < chunk; done += (size_t)n) {
			n = write(fd, buf + done, chunk - done);
			if (n == -1 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0)
				goto out;
		}
		off += chunk;
	}
	if (fsync(fd) == -1)
		goto out;
	rc = close(fd);
	fd = -1;
	if (rc == 0)
		rc = core_fsync_parent(path);
out:
	sodium_memzero(buf, sizeof(buf));
	if (fd != -1)
		close(fd);
	/* We created it with O_EXCL, so what we remove is ours. */
	if (rc != 0)
		unlink(path);
	return rc;
}
