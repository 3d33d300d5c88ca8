/*
 * media.c: bisikd's side of the image helper (media.h): starting it,
 * configuring it, and sending it one image at a time.
 *
 * srv_media_start() runs first in `bisikd serve`, before the config file
 * (which may name a TLS key) and the keys are read: it forks, and the
 * child execs bisik-media from the directory of bisikd's own executable,
 * so nothing of bisikd's memory reaches the helper. It is also the only
 * process bisikd starts: once confined, bisikd may not fork or exec
 * (confine.c), which is why restarting workers is the supervisor's job.
 *
 * An image takes one of SRV_ATTACH_IMAGE_JOBS slots (each may hold a
 * re-encoded image of up to SRV_MEDIA_FRAME_MAX in memory; more uploads
 * wait for a slot), then a worker from the supervisor. The control socket
 * is used under a lock, one question and answer at a time; answers carry
 * the question's number, so an answer that comes after its asker gave up
 * is recognised and its worker closed, never taken for the next one. The
 * whole exchange has one deadline, image_timeout from the request for a
 * worker: bisikd never waits longer for an image, and the supervisor
 * kills a worker that outlives it.
 */
#define _GNU_SOURCE	/* close_range, MSG_CMSG_CLOEXEC */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/domain.h"
#include "server/media.h"

#define HELPER_NAME	"bisik-media"
/* Seconds bisikd waits at start for the helper to have its first worker
 * ready (libvips starts in well under a second; sanitizer builds are
 * slower). */
#define START_SECONDS	60

static pthread_mutex_t	ctl_mu = PTHREAD_MUTEX_INITIALIZER;
static int		ctl_fd = -1;
static uint32_t		ctl_id;
static unsigned		timeout_s = SRV_MEDIA_TIMEOUT_DEFAULT;
static pthread_mutex_t	jobs_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	jobs_cv = PTHREAD_COND_INITIALIZER;
static unsigned		jobs;

/* The helper's path: path, else bisik-media beside our executable. */
static int
helper_path(const char *path, char *out, size_t outlen)
{
	char	self[PATH_MAX], *slash;
	ssize_t	n;

	if (path != NULL)
		return snprintf(out, outlen, "%s", path) < (int)outlen ? 0 : -1;
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return -1;
	*slash = '\0';
	return snprintf(out, outlen, "%s/" HELPER_NAME, self) <
	    (int)outlen ? 0 : -1;
}

int
srv_media_start(const char *path, char *err, size_t errlen)
{
	static char	 name[] = HELPER_NAME;
	char		 exe[PATH_MAX];
	char		*argv[] = { name, NULL }, *envp[4] = { NULL };
	size_t		 i;
	int		 sv[2], e = 0;
	pid_t		 pid, parent = getpid();

	if (helper_path(path, exe, sizeof(exe)) == -1 ||
	    access(exe, X_OK) == -1) {
		snprintf(err, errlen, "cannot find the image helper "
		    HELPER_NAME "; install it next to bisikd.");
		return -1;
	}
	/* Nothing of our environment but a test run's sanitizer options. */
	for (i = 0; environ[i] != NULL && e < 3; i++)
		if (strncmp(environ[i], "ASAN_OPTIONS=", 13) == 0 ||
		    strncmp(environ[i], "UBSAN_OPTIONS=", 14) == 0)
			envp[e++] = environ[i];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		snprintf(err, errlen, "cannot start the image helper.");
		return -1;
	}
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		snprintf(err, errlen, "cannot start the image helper.");
		return -1;
	}
	if (pid == 0) {
		/* The helper goes with us, even if we are killed. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    getppid() != parent)
			_exit(127);
		if (dup2(sv[1], SRV_MEDIA_FD) == -1)
			_exit(127);
		close_range(SRV_MEDIA_FD + 1, ~0U, 0);
		execve(exe, argv, envp);
		_exit(127);
	}
	close(sv[1]);
	ctl_fd = sv[0];
	return 0;
}

/* One control message out; 0, -1 past the deadline, -2 if the
 * supervisor is gone. */
static int
ctl_send(uint8_t code, const uint8_t *p, size_t len, int64_t deadline)
{
	uint8_t		buf[SRV_MEDIA_CTL_BYTES];
	struct pollfd	pfd;
	int64_t		left;

	if (ctl_fd == -1 || len > sizeof(buf) - SRV_MEDIA_HEADER)
		return -2;
	buf[0] = code;
	media_wire_be32_put(buf + 1, (uint32_t)len);
	if (len > 0)
		memcpy(buf + SRV_MEDIA_HEADER, p, len);
	pfd.fd = ctl_fd;
	pfd.events = POLLOUT;
	for (;;) {
		if ((left = deadline - media_wire_now_ms()) <= 0)
			return -1;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == 1)
			break;
	}
	return send(ctl_fd, buf, SRV_MEDIA_HEADER + len,
	    MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)(SRV_MEDIA_HEADER + len) ?
	    0 : -2;
}

/*
 * One control message in, with at most one descriptor (*fd, else -1):
 * its code and payload length; -1 past the deadline, -2 if the
 * supervisor is gone or broke the protocol. A message that carried more
 * than one descriptor is refused, each closed.
 */
static int
ctl_recv(uint8_t *code, uint8_t *p, size_t plen, size_t *len, int *fd,
    int64_t deadline)
{
	uint8_t		 buf[SRV_MEDIA_CTL_BYTES];
	struct iovec	 iov;
	struct msghdr	 msg;
	struct pollfd	 pfd;
	struct cmsghdr	*c;
	union {
		struct cmsghdr	c;
		char		b[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	int64_t		 left;
	ssize_t		 n;
	size_t		 nfd, k;
	int		 fds[4];

	*fd = -1;
	pfd.fd = ctl_fd;
	pfd.events = POLLIN;
	for (;;) {
		if ((left = deadline - media_wire_now_ms()) <= 0)
			return -1;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == 1)
			break;
	}
	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.b;
	msg.msg_controllen = sizeof(cm.b);
	if ((n = recvmsg(ctl_fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) <= 0)
		return n == -1 && (errno == EAGAIN || errno == EINTR) ? -1 : -2;
	nfd = 0;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			for (k = 0; k < (c->cmsg_len - CMSG_LEN(0)) /
			    sizeof(int) && nfd < 4; k++)
				memcpy(&fds[nfd++], CMSG_DATA(c) +
				    k * sizeof(int), sizeof(int));
	if (nfd > 1 || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    n < SRV_MEDIA_HEADER || media_wire_be32_get(buf + 1) !=
	    (size_t)n - SRV_MEDIA_HEADER || (size_t)n - SRV_MEDIA_HEADER > plen) {
		for (k = 0; k < nfd; k++)
			close(fds[k]);
		return -2;
	}
	*code = buf[0];
	*len = (size_t)n - SRV_MEDIA_HEADER;
	memcpy(p, buf + SRV_MEDIA_HEADER, *len);
	if (nfd == 1)
		*fd = fds[0];
	return 0;
}

/* Keeps a sentence from the helper printable, for our one-line errors. */
static void
sentence(char *err, size_t errlen, const uint8_t *p, size_t len)
{
	size_t i;

	if (errlen == 0)
		return;
	for (i = 0; i < len && i < errlen - 1; i++)
		err[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	err[i] = '\0';
}

int
srv_media_configure(const struct srv_config *cfg, char *err, size_t errlen)
{
	uint8_t		p[20], rep[SRV_MEDIA_CTL_BYTES], code = 0;
	uint32_t	uid = 0, gid = 0, flags = 0;
	size_t		len = 0;
	int		fd = -1, rc = -1;

	pthread_mutex_lock(&ctl_mu);
	timeout_s = cfg->image_timeout;
	if (srv_confine_service_user(cfg, &uid, &gid) == 1)
		flags |= SRV_MEDIA_SETUID;
	if (cfg->seccomp)
		flags |= SRV_MEDIA_SECCOMP;
	media_wire_be32_put(p, uid);
	media_wire_be32_put(p + 4, gid);
	media_wire_be32_put(p + 8, timeout_s);
	media_wire_be32_put(p + 12, flags);
	media_wire_be32_put(p + 16, (uint32_t)cfg->log_level);
	if (ctl_send(SRV_MEDIA_CTL_CONFIG, p, sizeof(p), media_wire_now_ms() +
	    START_SECONDS * 1000) != 0 || ctl_recv(&code, rep, sizeof(rep),
	    &len, &fd, media_wire_now_ms() + START_SECONDS * 1000) != 0) {
		snprintf(err, errlen, "the image helper did not start.");
		goto out;
	}
	if (fd != -1)
		close(fd);
	if (code == SRV_MEDIA_CTL_ERROR) {
		sentence(err, errlen, rep, len);
		goto out;
	}
	if (code != SRV_MEDIA_CTL_DONE || len != 0) {
		snprintf(err, errlen, "the image helper did not start.");
		goto out;
	}
	rc = 0;
 out:
	pthread_mutex_unlock(&ctl_mu);
	return rc;
}

void
srv_media_stop(void)
{
	/* The supervisor sees the end of its socket, kills its workers and
	 * exits; a confined bisikd cannot wait for it (no wait4), and
	 * needs not: it is reaped when bisikd exits. */
	pthread_mutex_lock(&ctl_mu);
	if (ctl_fd != -1)
		close(ctl_fd);
	ctl_fd = -1;
	pthread_mutex_unlock(&ctl_mu);
}

/* A ready worker's socket for one image, or -1. */
static int
worker_get(int64_t deadline, int *pid)
{
	uint8_t		p[4], rep[SRV_MEDIA_CTL_BYTES], code = 0;
	uint32_t	id;
	size_t		len = 0;
	int		fd = -1, got = -1, rc = -1;

	pthread_mutex_lock(&ctl_mu);
	if (ctl_fd == -1) {
		pthread_mutex_unlock(&ctl_mu);
		return -1;
	}
	id = ++ctl_id;
	media_wire_be32_put(p, id);
	if ((rc = ctl_send(SRV_MEDIA_CTL_WORKER, p, sizeof(p), deadline)) != 0)
		goto fail;
	for (;;) {
		if ((rc = ctl_recv(&code, rep, sizeof(rep), &len, &fd,
		    deadline)) != 0)
			goto fail;
		if (code == SRV_MEDIA_CTL_ERROR) {
			srv_log(LOG_ERR, "media_no_worker", NULL);
			break;
		}
		if (code == SRV_MEDIA_CTL_DONE && len == 8 && fd != -1 &&
		    media_wire_be32_get(rep) == id) {
			*pid = (int)media_wire_be32_get(rep + 4);
			got = fd;
			fd = -1;
			break;
		}
		/* The answer to an earlier question whose asker gave up. */
		if (fd != -1)
			close(fd);
		fd = -1;
	}
	pthread_mutex_unlock(&ctl_mu);
	return got;
 fail:
	if (fd != -1)
		close(fd);
	if (rc == -2) {
		/* The supervisor died or broke the protocol: bisikd cannot
		 * start another (it may not fork once confined), so images
		 * get 503 until it is restarted. */
		srv_log(LOG_ERR, "media_helper_gone", "detail=restart_bisikd");
		close(ctl_fd);
		ctl_fd = -1;
	} else
		srv_log(LOG_WARN, "media_no_worker", "reason=timeout");
	pthread_mutex_unlock(&ctl_mu);
	return -1;
}

static void
jobs_enter(void)
{
	pthread_mutex_lock(&jobs_mu);
	while (jobs >= SRV_ATTACH_IMAGE_JOBS)
		pthread_cond_wait(&jobs_cv, &jobs_mu);
	jobs++;
	pthread_mutex_unlock(&jobs_mu);
}

static void
jobs_leave(void)
{
	pthread_mutex_lock(&jobs_mu);
	jobs--;
	pthread_cond_signal(&jobs_cv);
	pthread_mutex_unlock(&jobs_mu);
}

int
srv_media_clean(int type, const uint8_t *in, size_t len, uint8_t **out,
    size_t *outlen)
{
	uint8_t	 code = 0, *body = NULL, req;
	size_t	 blen = 0;
	int64_t	 deadline;
	int	 fd, pid = 0, io, rc;

	*out = NULL;
	*outlen = 0;
	switch (type) {
	case SRV_ATTACH_JPEG:
		req = SRV_MEDIA_JPEG;
		break;
	case SRV_ATTACH_PNG:
		req = SRV_MEDIA_PNG;
		break;
	case SRV_ATTACH_WEBP:
		req = SRV_MEDIA_WEBP;
		break;
	default:
		return SRV_ATTACH_UNSUPPORTED;
	}
	if (len > SRV_MEDIA_FRAME_MAX)
		return SRV_ATTACH_TOO_BIG;
	jobs_enter();
	deadline = media_wire_now_ms() + (int64_t)timeout_s * 1000;
	if ((fd = worker_get(deadline, &pid)) == -1) {
		jobs_leave();
		return SRV_ATTACH_NOMEM;
	}
	io = media_wire_frame_write(fd, req, in, len, deadline);
	if (io == SRV_MEDIA_IO_OK)
		io = media_wire_frame_read(fd, SRV_MEDIA_OK, SRV_MEDIA_READY,
		    SRV_MEDIA_FRAME_MAX, &code, &body, &blen, deadline);
	close(fd);
	jobs_leave();
	if (io != SRV_MEDIA_IO_OK) {
		/* It died (a crash, a seccomp kill, its limits), stopped
		 * answering, or said something else: the image is refused
		 * and the next one gets a new worker. */
		srv_log(LOG_WARN, "media_worker_failed", "pid=%d reason=%s",
		    pid, media_wire_io_name(io));
		return SRV_ATTACH_FAILED;
	}
	switch (code) {
	case SRV_MEDIA_OK:
		if (body == NULL)
			return SRV_ATTACH_FAILED;
		*out = body;
		*outlen = blen;
		return SRV_ATTACH_OK;
	case SRV_MEDIA_TOO_BIG:
		rc = SRV_ATTACH_TOO_BIG;
		break;
	case SRV_MEDIA_CORRUPT:
		rc = SRV_ATTACH_CORRUPT;
		break;
	default:
		rc = SRV_ATTACH_FAILED;
		break;
	}
	if (body != NULL) {
		crypto_wipe(body, blen);
		free(body);
	}
	return rc;
}
