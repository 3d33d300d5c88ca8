/*
 * media_main.c: bisik-media, the image helper of bisikd (media.h).
 *
 *   bisik-media                  the supervisor; bisikd starts it with its
 *                                control socket as descriptor 3
 *   bisik-media worker seccomp=1 one worker; the supervisor starts it with
 *                                its socket as descriptor 3
 *
 * Nobody else runs it: started any other way it says so and exits 2.
 *
 * The supervisor reads no outside bytes. It takes one CONFIG message from
 * bisikd (the service user, the time an image may take, whether workers
 * filter their system calls, the log level), becomes that user, and then
 * keeps SRV_MEDIA_SPARES workers ready: it forks, and the child execs
 * this same program again (/proc/self/exe) as a worker, so that every
 * worker starts from a fresh address space with its own randomised
 * layout. A worker says READY once libvips is up and it is confined; the
 * supervisor hands its socket to bisikd on request and starts another.
 * A handed-out worker still alive SRV_MEDIA_KILL_GRACE seconds past the
 * image time is killed (SIGKILL); every worker is reaped, and one that
 * died of a signal (SIGSYS from its filter, SIGXCPU, SIGSEGV, SIGKILL) is
 * logged. When bisikd goes (its socket closes, or it dies: parent-death
 * signal), the supervisor kills its workers and exits; workers die with
 * it the same way.
 *
 * Log lines go to stderr (bisikd's) in bisikd's format, with no image
 * data, only events, process ids and signal numbers.
 */
#define _GNU_SOURCE	/* close_range, signalfd */
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/media.h"
#include "server/server.h"

#define EX_USAGE	2

enum kid_state {
	K_FREE,
	K_STARTING,	/* exec'd, not READY yet */
	K_READY,	/* waiting for its request; sock is bisikd's end */
	K_OUT,		/* handed to bisikd; killed at deadline */
	K_KILLED,	/* SIGKILL sent, not reaped yet */
};

struct kid {
	int	 state;
	pid_t	 pid;
	int	 sock;		/* bisikd's end until handed out, else -1 */
	int64_t	 deadline;	/* K_OUT: kill at (ms) */
};

static struct kid	kids[SRV_MEDIA_CHILDREN_MAX];

static int
is_socket(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* ---- the worker ---------------------------------------------------------- */

static int
worker(int seccomp)
{
	uint8_t	 code = 0, *in = NULL, *out = NULL;
	size_t	 len = 0, outlen = 0;
	char	 err[128];
	int	 rc, io;

	/* One malloc arena: libvips' few threads do not need more, and
	 * each arena reserves 64 MiB of the address space (RLIMIT_AS). */
	(void)mallopt(M_ARENA_MAX, 1);
	if (media_image_init() == -1) {
		srv_log(LOG_ERR, "media_worker_start", "detail=vips_init");
		return 1;
	}
	if (media_confine_worker(seccomp, err, sizeof(err)) == -1) {
		srv_log(LOG_ERR, "media_worker_start", "detail=confine");
		return 1;
	}
	if (media_wire_frame_write(SRV_MEDIA_FD, SRV_MEDIA_READY, NULL, 0,
	    -1) != SRV_MEDIA_IO_OK)
		return 1;
	/* bisikd closes without a request when it gave up first. */
	io = media_wire_frame_read(SRV_MEDIA_FD, SRV_MEDIA_JPEG,
	    SRV_MEDIA_REQ_MAX, SRV_MEDIA_FRAME_MAX, &code, &in, &len, -1);
	if (io != SRV_MEDIA_IO_OK)
		return io == SRV_MEDIA_IO_EOF ? 0 : 1;
	rc = media_image_clean(code, in, len, &out, &outlen);
	io = media_wire_frame_write(SRV_MEDIA_FD, (uint8_t)rc, out,
	    rc == SRV_MEDIA_OK ? outlen : 0, -1);
	return io == SRV_MEDIA_IO_OK ? 0 : 1;
}

/* ---- the supervisor --------------------------------------------------------- */

static int
kid_count(int state)
{
	int i, n = 0;

	for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
		if (kids[i].state == state)
			n++;
	return n;
}

/* Starts one worker; -1 if no slot or fork failed. */
static int
spawn(int seccomp)
{
	static char	 wname[] = "bisik-media", wmode[] = "worker";
	static char	 son[] = "seccomp=1", soff[] = "seccomp=0";
	static char	 home[] = "VIPSHOME=/nonexistent-bisik-media";
	static char	 conc[] = "VIPS_CONCURRENCY=1";
	char		*argv[] = { wname, wmode, seccomp ? son : soff, NULL };
	char		*envp[5] = { home, conc, NULL, NULL, NULL };
	sigset_t	 none;
	int		 sv[2], i, e = 2;
	size_t		 j;
	pid_t		 pid;

	for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
		if (kids[i].state == K_FREE)
			break;
	if (i == SRV_MEDIA_CHILDREN_MAX)
		return -1;
	/* Nothing else of bisikd's environment but a test run's sanitizer
	 * options. */
	for (j = 0; environ[j] != NULL && e < 4; j++)
		if (strncmp(environ[j], "ASAN_OPTIONS=", 13) == 0 ||
		    strncmp(environ[j], "UBSAN_OPTIONS=", 14) == 0)
			envp[e++] = environ[j];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		/* Dies with the supervisor; default signal mask for the
		 * worker (ours blocks SIGCHLD); only its socket as 3. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(sv[1], SRV_MEDIA_FD) == -1)
			_exit(127);
		close_range(SRV_MEDIA_FD + 1, ~0U, 0);
		execve("/proc/self/exe", argv, envp);
		_exit(127);
	}
	close(sv[1]);
	kids[i].state = K_STARTING;
	kids[i].pid = pid;
	kids[i].sock = sv[0];
	kids[i].deadline = 0;
	srv_log(LOG_DEBUG, "media_worker_start", "pid=%d", (int)pid);
	return 0;
}

/* Sends one control message, with a descriptor if fd >= 0. */
static int
ctl_send(int ctl, uint8_t code, const void *p, size_t len, int fd)
{
	uint8_t		 buf[SRV_MEDIA_CTL_BYTES];
	struct iovec	 iov;
	struct msghdr	 msg;
	union {
		struct cmsghdr	c;
		char		b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct cmsghdr	*c;

	if (len > sizeof(buf) - SRV_MEDIA_HEADER)
		return -1;
	buf[0] = code;
	media_wire_be32_put(buf + 1, (uint32_t)len);
	if (len > 0)
		memcpy(buf + SRV_MEDIA_HEADER, p, len);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = SRV_MEDIA_HEADER + len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.b;
		msg.msg_controllen = sizeof(cm.b);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(ctl, &msg, MSG_NOSIGNAL) == (ssize_t)iov.iov_len ?
	    0 : -1;
}

static void
ctl_error(int ctl, const char *sentence)
{
	(void)ctl_send(ctl, SRV_MEDIA_CTL_ERROR, sentence, strlen(sentence),
	    -1);
}

/* Hands a ready worker to bisikd for request id. */
static int
hand_out(int ctl, struct kid *k, uint32_t id, unsigned timeout)
{
	uint8_t	p[8];

	media_wire_be32_put(p, id);
	media_wire_be32_put(p + 4, (uint32_t)k->pid);
	if (ctl_send(ctl, SRV_MEDIA_CTL_DONE, p, sizeof(p), k->sock) == -1)
		return -1;
	close(k->sock);
	k->sock = -1;
	k->state = K_OUT;
	k->deadline = media_wire_now_ms() + (int64_t)(timeout +
	    SRV_MEDIA_KILL_GRACE) * 1000;
	srv_log(LOG_DEBUG, "media_worker_out", "pid=%d", (int)k->pid);
	return 0;
}

/* Reaps every worker that ended; 1 if one died before it was ready. */
static int
reap(void)
{
	pid_t	pid;
	int	st, i, failed = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
			if (kids[i].state != K_FREE && kids[i].pid == pid)
				break;
		if (i == SRV_MEDIA_CHILDREN_MAX)
			continue;
		if (kids[i].state == K_STARTING || kids[i].state == K_READY)
			failed = 1;
		if (WIFSIGNALED(st) && kids[i].state != K_KILLED)
			srv_log(LOG_WARN, "media_worker_died",
			    "pid=%d signal=%d", (int)pid, WTERMSIG(st));
		else if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
			srv_log(LOG_WARN, "media_worker_exit",
			    "pid=%d status=%d", (int)pid, WEXITSTATUS(st));
		if (kids[i].sock != -1)
			close(kids[i].sock);
		memset(&kids[i], 0, sizeof(kids[i]));
		kids[i].sock = -1;
	}
	return failed;
}

static void
kill_all(void)
{
	int i;

	for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
		if (kids[i].state != K_FREE)
			kill(kids[i].pid, SIGKILL);
}

/* The CONFIG message: uid, gid, timeout, flags, log level. */
static int
configure(int ctl, unsigned *timeout, int *seccomp)
{
	uint8_t		buf[SRV_MEDIA_CTL_BYTES];
	ssize_t		n;
	uint32_t	uid, gid, flags, level;

	do
		n = recv(ctl, buf, sizeof(buf), 0);
	while (n == -1 && errno == EINTR);
	if (n != SRV_MEDIA_HEADER + 20 || buf[0] != SRV_MEDIA_CTL_CONFIG ||
	    media_wire_be32_get(buf + 1) != 20)
		return -1;
	uid = media_wire_be32_get(buf + 5);
	gid = media_wire_be32_get(buf + 9);
	*timeout = media_wire_be32_get(buf + 13);
	flags = media_wire_be32_get(buf + 17);
	level = media_wire_be32_get(buf + 21);
	if (*timeout < SRV_MEDIA_TIMEOUT_MIN ||
	    *timeout > SRV_MEDIA_TIMEOUT_MAX || level > LOG_DEBUG) {
		ctl_error(ctl, "the image helper got a bad configuration.");
		return -1;
	}
	srv_log_set_level((int)level);
	*seccomp = (flags & SRV_MEDIA_SECCOMP) != 0;
	if ((flags & SRV_MEDIA_SETUID) && media_confine_setuid(uid,
		gid) == -1) {
		ctl_error(ctl, "the image helper cannot change to the service "
		    "user.");
		return -1;
	}
	/* A change of user clears the parent-death signal: set it again,
	 * then make sure bisikd did not go in between. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() == 1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		ctl_error(ctl, "the image helper cannot set its process "
		    "flags.");
		return -1;
	}
	return 0;
}

static int
supervisor(void)
{
	struct pollfd			 pfd[2 + SRV_MEDIA_CHILDREN_MAX];
	int				 pk[2 + SRV_MEDIA_CHILDREN_MAX];
	struct signalfd_siginfo		 si;
	sigset_t			 chld;
	uint8_t				 buf[SRV_MEDIA_CTL_BYTES];
	unsigned			 timeout = SRV_MEDIA_TIMEOUT_DEFAULT;
	int64_t				 now, wake, respawn_at = 0;
	uint32_t			 pending = 0;
	int				 ctl = SRV_MEDIA_FD, sfd, seccomp = 1;
	int				 configured = 0, has_pending = 0;
	int				 i, n, np, ms;
	ssize_t				 r;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) == -1 ||
	    (sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
		kids[i].sock = -1;
	if (configure(ctl, &timeout, &seccomp) == -1)
		return 1;

	for (;;) {
		if (reap()) {
			/* A worker that cannot start: not in a loop. */
			respawn_at = media_wire_now_ms() + SRV_MEDIA_RESPAWN_MS;
			if (!configured) {
				ctl_error(ctl, "an image worker could not "
				    "start; its log line says why.");
				configured = 1;
			}
		}
		now = media_wire_now_ms();
		for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
			if (kids[i].state == K_OUT && now >= kids[i].deadline) {
				kill(kids[i].pid, SIGKILL);
				kids[i].state = K_KILLED;
				srv_log(LOG_WARN, "media_worker_killed",
				    "pid=%d reason=timeout", (int)kids[i].pid);
			}
		for (i = 0; i < SRV_MEDIA_CHILDREN_MAX && configured &&
		    has_pending; i++)
			if (kids[i].state == K_READY) {
				if (hand_out(ctl, &kids[i], pending,
				    timeout) == -1)
					srv_log(LOG_WARN, "media_hand_out",
					    NULL);
				has_pending = 0;
			}
		while (now >= respawn_at && kid_count(K_STARTING) +
		    kid_count(K_READY) < SRV_MEDIA_SPARES &&
		    spawn(seccomp) == 0)
			;
		if (configured && has_pending && now >= respawn_at &&
		    kid_count(K_STARTING) == 0) {
			/* Nothing on its way and no start waiting out its
			 * pause after a failed one: say so rather than let
			 * bisikd wait out its time. A pause (one second) is
			 * waited out: the poll below wakes at its end. */
			ctl_error(ctl, "no image worker is available.");
			has_pending = 0;
		}

		np = 0;
		pfd[np].fd = ctl;
		pfd[np].events = has_pending ? 0 : POLLIN;
		pk[np++] = -1;
		pfd[np].fd = sfd;
		pfd[np].events = POLLIN;
		pk[np++] = -1;
		for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
			if (kids[i].state == K_STARTING) {
				pfd[np].fd = kids[i].sock;
				pfd[np].events = POLLIN;
				pk[np++] = i;
			}
		wake = -1;
		for (i = 0; i < SRV_MEDIA_CHILDREN_MAX; i++)
			if (kids[i].state == K_OUT && (wake == -1 ||
			    kids[i].deadline < wake))
				wake = kids[i].deadline;
		if (respawn_at > now && (wake == -1 || respawn_at < wake))
			wake = respawn_at;
		ms = wake == -1 ? -1 : wake - now < 0 ? 0 :
		    (int)(wake - now > 60000 ? 60000 : wake - now);
		for (i = 0; i < np; i++)
			pfd[i].revents = 0;
		n = poll(pfd, (nfds_t)np, ms);
		if (n == -1 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		if (pfd[1].revents & POLLIN)
			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				;
		for (i = 2; i < np; i++) {
			struct kid	*k = &kids[pk[i]];
			uint8_t		 h[SRV_MEDIA_HEADER];

			if (pfd[i].revents == 0)
				continue;
			r = recv(k->sock, h, sizeof(h), MSG_DONTWAIT);
			if (r == (ssize_t)sizeof(h) && h[0] == SRV_MEDIA_READY &&
			    media_wire_be32_get(h + 1) == 0) {
				k->state = K_READY;
				srv_log(LOG_DEBUG, "media_worker_ready",
				    "pid=%d", (int)k->pid);
				if (!configured) {
					(void)ctl_send(ctl, SRV_MEDIA_CTL_DONE,
					    NULL, 0, -1);
					configured = 1;
				}
			} else if (r != -1 || (errno != EAGAIN &&
			    errno != EINTR)) {
				/* Died or spoke out of turn before it was
				 * handed out: not to be used. */
				kill(k->pid, SIGKILL);
				k->state = K_KILLED;
				close(k->sock);
				k->sock = -1;
				respawn_at = media_wire_now_ms() +
				    SRV_MEDIA_RESPAWN_MS;
			}
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = recv(ctl, buf, sizeof(buf), MSG_DONTWAIT);
			if (r == -1 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r <= 0)
				break;		/* bisikd is gone */
			if (r == SRV_MEDIA_HEADER + 4 &&
			    buf[0] == SRV_MEDIA_CTL_WORKER &&
			    media_wire_be32_get(buf + 1) == 4) {
				pending = media_wire_be32_get(buf + SRV_MEDIA_HEADER);
				has_pending = 1;
			} else
				srv_log(LOG_WARN, "media_bad_request", NULL);
		}
	}
	kill_all();
	return 0;
}

int
main(int argc, char **argv)
{
	if (!is_socket(SRV_MEDIA_FD)) {
		fputs("bisik-media: this is bisikd's image helper; bisikd "
		    "starts it (install it next to bisikd).\n", stderr);
		return EX_USAGE;
	}
	if (argc == 1)
		return supervisor();
	if (argc == 3 && strcmp(argv[1], "worker") == 0 &&
	    (strcmp(argv[2], "seccomp=1") == 0 ||
	    strcmp(argv[2], "seccomp=0") == 0)) {
		/* Exec'd as /proc/self/exe: named "exe" until told. */
		(void)prctl(PR_SET_NAME, "bisik-media");
		_exit(worker(argv[2][8] == '1'));
	}
	fputs("bisik-media: unknown mode.\n", stderr);
	return EX_USAGE;
}
