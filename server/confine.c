/*
 * confine.c: what `bisikd serve` gives up before it answers anyone.
 *
 * serve() in main.c binds the listening sockets (as root a port below
 * 1024 works) after loading the keys into guarded memory and opening the
 * LMDB environment; then srv_confine() runs, and only then does
 * libmicrohttpd start taking connections from the sockets' backlog:
 *
 *  1. Started as root, the process becomes the service user: config key
 *     "user", else the account "bisik" if it exists. With neither it
 *     refuses to serve, unless `--allow-root` was given (test machines
 *     whose only user is root); it stays root then, still confined by the
 *     steps below. setgroups, setgid and setuid are checked afterwards:
 *     every id must be the user's and setuid(0) must fail.
 *  2. PR_SET_NO_NEW_PRIVS (no set-uid or file-capability gain, and the
 *     precondition of an unprivileged seccomp filter) and PR_SET_DUMPABLE
 *     0 (no core file, no ptrace attach by the same user, /proc/PID
 *     owned by root). RLIMIT_CORE is 0 already (main.c).
 *  3. A seccomp allow-list (libseccomp) of the system calls a serving
 *     bisikd makes, for every thread at once (TSYNC); anything else kills
 *     the whole process with SIGSYS (the kernel logs the call's number in
 *     its audit log). The list and why each call is there is below; the
 *     rules beyond the list are the image helper's too (sandbox.c).
 *     Config key "seccomp": false turns the filter off for debugging.
 *     Sanitizer builds (ASan/UBSan/LSan) never install it: the leak
 *     checker stops the world with ptrace and new processes at exit, and
 *     a report must not be cut short by SIGSYS.
 *
 * Before all this, first thing in `bisikd serve`, main.c started the image
 * helper (media.c): it is the only process bisikd makes, since once
 * confined it may not fork or exec; the helper restarts its own workers.
 *
 * A test-only trigger: with BISIK_TEST_FORBIDDEN_SYSCALL set ("main" or
 * "thread"), once confined, the server tries execve() of a path that does
 * not exist, from the main thread or from a thread that was started
 * before the filter (which proves the filter covers threads that already
 * ran). Confined, that kills the process with SIGSYS; unconfined, the
 * call fails with ENOENT and the server goes on. Nothing else reads it.
 */
#define _GNU_SOURCE	/* getresuid */
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/sandbox.h"
#include "server/util.h"

#define DEFAULT_USER	"bisik"

/*
 * The allow-list. Each call is here because a serving bisikd, or a library
 * it uses, makes it after start; found by tracing the whole end-to-end
 * suite (strace -f) and reading the code paths that tests reach rarely
 * (disk full, map growth, shutdown). Calls that exist only on some
 * architectures are skipped where absent.
 */
static const char *const allowed[] = {
	/* libmicrohttpd: epoll loop of each pool thread, accepting and
	 * serving connections, its inter-thread wake-up (eventfd/pipe). */
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
	"eventfd2", "pipe2", "accept4", "recvfrom", "sendto", "recvmsg",
	"sendmsg", "shutdown", "setsockopt", "getsockopt", "getsockname",
	"getpeername",
	/* The image helper's sockets (media.c): waiting with a deadline,
	 * receiving a worker's socket (recvmsg, above). */
	"poll", "ppoll",
	/* Reading and writing open descriptors: sockets, stderr (log lines),
	 * LMDB's data and lock files (pwrite, then fdatasync/fsync). */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv",
	"pwritev", "lseek", "close", "fsync", "fdatasync",
	/* LMDB's reader-slot lock (F_SETLK on lock.mdb at a thread's first
	 * read) and libmicrohttpd's non-blocking flags. */
	"fcntl",
	/* Facts about open files: LMDB's size check and the disk-full
	 * diagnosis (fstat, fstatvfs -> fstatfs, RLIMIT_FSIZE). */
	"fstat", "newfstatat", "fstatfs", "prlimit64", "getrlimit",
	/* Memory: malloc arenas, thread stacks, LMDB's map and its growth,
	 * sodium_malloc guard pages, dropping the map's pages and checking
	 * where it lies (madvise, mincore: store/trim.c). PROT_EXEC is
	 * refused (sandbox.c). */
	"brk", "munmap", "mremap", "madvise", "mincore", "mlock", "munlock",
	/* Threads: pool threads, the store's writer and its trim, the sweeper;
	 * clone only with CLONE_THREAD (sandbox.c), clone3 answers
	 * ENOSYS so that glibc falls back to clone. */
	"futex", "set_robust_list", "rseq", "set_tid_address", "exit",
	"exit_group", "sched_yield", "sched_getaffinity", "gettid", "getpid",
	"tgkill",
	/* Signals: SIGTERM/SIGINT are taken with sigwait() by the main
	 * thread; abort() and raise() of a failed assertion. */
	"rt_sigprocmask", "rt_sigaction", "rt_sigreturn", "rt_sigtimedwait",
	"sigaltstack", "restart_syscall",
	/* Time and randomness: timestamps, timeouts, libsodium. */
	"clock_gettime", "clock_getres", "gettimeofday", "time",
	"nanosleep", "clock_nanosleep", "getrandom",
	/* Identity checks that libraries repeat (glib, the key loader). */
	"getuid", "geteuid", "getgid", "getegid",
	/* glibc's qsort() asks for the memory size (sysinfo) before sorting
	 * more than a kilobyte; it reads, never changes, system facts. */
	"sysinfo",
};

/* ---- the test trigger ---------------------------------------------------- */

static pthread_mutex_t	trig_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	trig_cv = PTHREAD_COND_INITIALIZER;
static int		trig_go;

static void
forbidden_call(const char *where)
{
	char	*argv[] = { (char *)(uintptr_t)"bisik-forbidden", NULL };
	int	 e;

	srv_log(LOG_WARN, "seccomp_test", "call=execve thread=%s", where);
	execve("/nonexistent/bisik-forbidden-syscall-test", argv, NULL);
	e = errno;
	srv_log(LOG_WARN, "seccomp_test", "call=execve result=%s",
	    e == ENOENT ? "enoent" : "other");
}

static void *
trig_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&trig_mu);
	while (!trig_go)
		pthread_cond_wait(&trig_cv, &trig_mu);
	pthread_mutex_unlock(&trig_mu);
	forbidden_call("early");
	return NULL;
}

/* ---- privileges ------------------------------------------------------------ */

static int
drop_root(const struct srv_config *cfg, const char **who, char *err,
    size_t errlen)
{
	struct passwd	 pw, *res = NULL;
	char		 buf[4096];
	const char	*name;
	uid_t		 uid;
	gid_t		 gid;

	name = cfg->user[0] != '\0' ? cfg->user : DEFAULT_USER;
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL) {
		if (cfg->user[0] != '\0') {
			snprintf(err, errlen, "the user named by config key "
			    "\"user\" does not exist.");
			return -1;
		}
		if (cfg->allow_root) {
			*who = "root";
			return 0;
		}
		snprintf(err, errlen, "refusing to serve as root: create the "
		    "system user \"%s\", name another in config key \"user\", "
		    "or pass --allow-root (test machines only).", DEFAULT_USER);
		return -1;
	}
	uid = pw.pw_uid;
	gid = pw.pw_gid;
	if (uid == 0 || gid == 0) {
		snprintf(err, errlen, "the service user must not be root "
		    "(uid and gid 0).");
		return -1;
	}
	if (setgroups(1, &gid) == -1 || setgid(gid) == -1 ||
	    setuid(uid) == -1) {
		snprintf(err, errlen, "cannot change to the service user.");
		return -1;
	}
	{
		uid_t	ru, eu, su;
		gid_t	rg, eg, sg, groups[2];
		int	ng = getgroups(2, groups);

		if (getresuid(&ru, &eu, &su) == -1 ||
		    getresgid(&rg, &eg, &sg) == -1 ||
		    ru != uid || eu != uid || su != uid ||
		    rg != gid || eg != gid || sg != gid ||
		    ng < 0 || ng > 1 || (ng == 1 && groups[0] != gid) ||
		    setuid(0) != -1) {
			snprintf(err, errlen, "the change to the service user "
			    "did not take.");
			return -1;
		}
	}
	*who = name;
	return 0;
}

int
srv_confine_service_user(const struct srv_config *cfg, uint32_t *uid,
    uint32_t *gid)
{
	struct passwd	 pw, *res = NULL;
	char		 buf[4096];
	const char	*name;

	if (geteuid() != 0)
		return 0;
	name = cfg->user[0] != '\0' ? cfg->user : DEFAULT_USER;
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL ||
	    pw.pw_uid == 0 || pw.pw_gid == 0)
		return 0;	/* srv_confine refuses, or stays root */
	*uid = (uint32_t)pw.pw_uid;
	*gid = (uint32_t)pw.pw_gid;
	return 1;
}

int
srv_confine(const struct srv_config *cfg, char *err, size_t errlen)
{
	const char	*who = NULL, *trig;
	const char	*seccomp = "on";
	pthread_t	 th = 0;
	int		 early = 0;
	time_t		 now;
	struct tm	 tm;

	trig = getenv("BISIK_TEST_FORBIDDEN_SYSCALL");
	if (trig != NULL && strcmp(trig, "thread") == 0 &&
	    pthread_create(&th, NULL, trig_thread, NULL) == 0)
		early = 1;

	/* Lazy initialisations that would open files later: the time zone,
	 * and malloc's arena limit (from /sys/devices/system/cpu/online the
	 * first time a thread needs an arena; its default set here). */
	{
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		(void)mallopt(M_ARENA_MAX, (int)(8 * (ncpu > 0 ? ncpu : 1)));
	}
	tzset();
	now = time(NULL);
	(void)localtime_r(&now, &tm);

	if (geteuid() == 0) {
		if (drop_root(cfg, &who, err, errlen) == -1)
			goto fail;
	} else {
		struct passwd	 pw, *res = NULL;
		static char	 buf[1024];

		who = getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 &&
		    res != NULL ? res->pw_name : "(unnamed)";
	}
	if (srv_sandbox_no_new_privs() == -1) {
		snprintf(err, errlen, "cannot set the no-new-privileges and "
		    "not-dumpable process flags.");
		goto fail;
	}
	if (SANDBOX_SANITIZER)
		seccomp = "off-sanitizer";
	else if (!cfg->seccomp)
		seccomp = "off-config";
	else if (srv_sandbox_filter_load(allowed,
	    sizeof(allowed) / sizeof(allowed[0])) == -1) {
		snprintf(err, errlen, "cannot install the seccomp filter.");
		goto fail;
	}
	srv_log(LOG_INFO, "confined", "user=%s uid=%u seccomp=%s",
	    who, (unsigned)geteuid(), seccomp);
	if (strcmp(seccomp, "on") != 0)
		srv_log(LOG_WARN, "seccomp_off", "reason=%s",
		    SANDBOX_SANITIZER ? "sanitizer_build" : "config");

	if (early) {
		pthread_mutex_lock(&trig_mu);
		trig_go = 1;
		pthread_cond_signal(&trig_cv);
		pthread_mutex_unlock(&trig_mu);
		pthread_join(th, NULL);
	} else if (trig != NULL && strcmp(trig, "main") == 0)
		forbidden_call("main");
	return 0;
fail:
	if (early) {
		pthread_mutex_lock(&trig_mu);
		trig_go = 1;
		pthread_cond_signal(&trig_cv);
		pthread_mutex_unlock(&trig_mu);
		pthread_join(th, NULL);
	}
	return -1;
}

/* ---- listening sockets ------------------------------------------------------ */

int
srv_confine_listen_socket(const char *addr, unsigned port)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		*sa;
	socklen_t		 len;
	int			 fd, on = 1;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&sin;
		len = sizeof(sin);
	} else if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&sin6;
		len = sizeof(sin6);
	} else
		return -1;
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (fd == -1)
		return -1;
	/* As libmicrohttpd does for its own sockets: quick restarts, and an
	 * IPv6 socket that is only IPv6. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (sa->sa_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    bind(fd, sa, len) == -1 || listen(fd, SOMAXCONN) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
srv_confine_addr_loopback(const char *addr)
{
	struct in_addr	a4;
	struct in6_addr	a6;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}
