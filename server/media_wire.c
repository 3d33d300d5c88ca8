/*
 * media_wire.c: frames between bisikd and its image helper (media.h).
 *
 * Linked into both programs, so it uses libc only. Every wait is bounded
 * by a deadline on the monotonic clock: bisikd must never hang on a
 * worker that stopped, and a frame's length is checked against the
 * caller's bound before a byte of its body is read or allocated.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/media.h"

uint32_t
media_wire_be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void
media_wire_be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int64_t
media_wire_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events; IO_OK, IO_TIMEOUT or IO_ERROR. */
static int
wait_fd(int fd, short events, int64_t deadline_ms)
{
	struct pollfd	pfd;
	int64_t		left;
	int		n;

	for (;;) {
		left = -1;
		if (deadline_ms >= 0) {
			left = deadline_ms - media_wire_now_ms();
			if (left <= 0)
				return SRV_MEDIA_IO_TIMEOUT;
			if (left > 60 * 1000)
				left = 60 * 1000;
		}
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return SRV_MEDIA_IO_ERROR;
		if (n == 1)
			return SRV_MEDIA_IO_OK;	/* also POLLHUP, POLLERR */
	}
}

int
media_wire_write_all(int fd, const void *p, size_t len, int64_t deadline_ms)
{
	const uint8_t	*b = p;
	ssize_t		 n;
	int		 rc;

	while (len > 0) {
		if ((rc = wait_fd(fd, POLLOUT, deadline_ms)) != SRV_MEDIA_IO_OK)
			return rc;
		/* send() with MSG_NOSIGNAL: a worker that died must not kill
		 * bisikd with SIGPIPE. */
		n = send(fd, b, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN ||
		    errno == EWOULDBLOCK))
			continue;
		if (n == -1)
			return errno == EPIPE || errno == ECONNRESET ?
			    SRV_MEDIA_IO_EOF : SRV_MEDIA_IO_ERROR;
		b += n;
		len -= (size_t)n;
	}
	return SRV_MEDIA_IO_OK;
}

int
media_wire_read_all(int fd, void *p, size_t len, int64_t deadline_ms)
{
	uint8_t	*b = p;
	ssize_t	 n;
	int	 rc;

	while (len > 0) {
		if ((rc = wait_fd(fd, POLLIN, deadline_ms)) != SRV_MEDIA_IO_OK)
			return rc;
		n = recv(fd, b, len, MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN ||
		    errno == EWOULDBLOCK))
			continue;
		if (n == -1)
			return errno == ECONNRESET ? SRV_MEDIA_IO_EOF :
			    SRV_MEDIA_IO_ERROR;
		if (n == 0)
			return SRV_MEDIA_IO_EOF;
		b += n;
		len -= (size_t)n;
	}
	return SRV_MEDIA_IO_OK;
}

int
media_wire_frame_write(int fd, uint8_t code, const void *p, size_t len,
    int64_t deadline_ms)
{
	uint8_t	h[SRV_MEDIA_HEADER];
	int	rc;

	if (len > SRV_MEDIA_FRAME_MAX)
		return SRV_MEDIA_IO_PROTOCOL;
	h[0] = code;
	media_wire_be32_put(h + 1, (uint32_t)len);
	if ((rc = media_wire_write_all(fd, h, sizeof(h), deadline_ms)) !=
	    SRV_MEDIA_IO_OK)
		return rc;
	return len == 0 ? SRV_MEDIA_IO_OK :
	    media_wire_write_all(fd, p, len, deadline_ms);
}

int
media_wire_frame_read(int fd, uint8_t lo, uint8_t hi, size_t max, uint8_t *code,
    uint8_t **body, size_t *len, int64_t deadline_ms)
{
	uint8_t	 h[SRV_MEDIA_HEADER], *b = NULL;
	size_t	 n;
	int	 rc;

	*body = NULL;
	*len = 0;
	if ((rc = media_wire_read_all(fd, h, sizeof(h), deadline_ms)) !=
	    SRV_MEDIA_IO_OK)
		return rc;
	n = media_wire_be32_get(h + 1);
	if (h[0] < lo || h[0] >= hi || n > max || n > SRV_MEDIA_FRAME_MAX)
		return SRV_MEDIA_IO_PROTOCOL;
	if (n > 0) {
		if ((b = malloc(n)) == NULL) {
			errno = ENOMEM;
			return SRV_MEDIA_IO_ERROR;
		}
		if ((rc = media_wire_read_all(fd, b, n, deadline_ms)) !=
		    SRV_MEDIA_IO_OK) {
			explicit_bzero(b, n);
			free(b);
			return rc;
		}
	}
	*code = h[0];
	*body = b;
	*len = n;
	return SRV_MEDIA_IO_OK;
}

const char *
media_wire_io_name(int rc)
{
	static const char *const names[SRV_MEDIA_IO_MAX] = {
		[SRV_MEDIA_IO_OK] = "ok",
		[SRV_MEDIA_IO_EOF] = "eof",
		[SRV_MEDIA_IO_TIMEOUT] = "timeout",
		[SRV_MEDIA_IO_PROTOCOL] = "protocol",
		[SRV_MEDIA_IO_ERROR] = "error",
	};

	return rc >= 0 && rc < SRV_MEDIA_IO_MAX ? names[rc] : "unknown";
}
