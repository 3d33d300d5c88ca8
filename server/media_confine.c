/*
 * media_confine.c: what an image worker of bisik-media gives up before it
 * reads its one request (media.h), and the user change of the supervisor.
 *
 * A worker has initialised libvips and re-encoded a tiny image of each
 * type (media_image.c) when it calls media_confine_worker():
 *
 *  1. Limits (setrlimit): address space SRV_MEDIA_MEMORY_MAX, CPU time
 *     SRV_MEDIA_CPU_SECONDS, descriptors SRV_MEDIA_NOFILE, files written 0
 *     bytes, core files 0 bytes. Sanitizer builds leave the address space
 *     alone (their shadow memory alone is terabytes of it).
 *  2. PR_SET_NO_NEW_PRIVS and PR_SET_DUMPABLE 0.
 *  3. A seccomp allow-list (libseccomp), below with the reason for each
 *     call: reading and writing its socket, memory, the threads libvips
 *     runs a pipeline on, time, exit. Opening a file answers EACCES (all
 *     that libvips needs is open before); anything else (sockets, exec,
 *     fork, ptrace, kill, ...) kills the worker with SIGSYS, which the
 *     supervisor logs and bisikd answers as an image that could not be
 *     processed. Sanitizer builds skip it, as bisikd does (confine.c).
 *
 * The worker runs as the supervisor's user, which is bisikd's service
 * user (media_confine_setuid, at the supervisor's start).
 */
#define _GNU_SOURCE	/* getresuid */
#include <sys/resource.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

#include "server/media.h"
#include "server/sandbox.h"
#include "server/server.h"

/*
 * The allow-list: what a worker calls once confined, found with strace -ff
 * over JPEG, PNG and WebP uploads, large and small, turned and not,
 * damaged, truncated and bombs; nothing else was called. Calls absent on
 * an architecture are skipped.
 */
static const char *const allowed[] = {
	/* Its socket: poll, then recv and send (media_wire.c); nothing
	 * else is read or written, not even stderr. */
	"poll", "ppoll", "recvfrom", "sendto", "close",
	/* Memory: malloc, the decoded image, thread stacks. mmap and
	 * mprotect only without PROT_EXEC (sandbox.c). */
	"brk", "munmap", "mremap", "madvise",
	/* GLib's threads that run a libvips pipeline: started, waited for,
	 * ended (pthread_create blocks signals while it clones). */
	"futex", "set_robust_list", "rseq", "rt_sigprocmask", "exit",
	/* The worker's own end. */
	"exit_group",
	/* Time, when the vDSO cannot answer it. */
	"clock_gettime",
};

static int
limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl;

	rl.rlim_cur = soft;
	rl.rlim_max = hard;
	return setrlimit(resource, &rl);
}

int
media_confine_worker(int seccomp, char *err, size_t errlen)
{
	if ((!SANDBOX_SANITIZER && limit(RLIMIT_AS, SRV_MEDIA_MEMORY_MAX,
	    SRV_MEDIA_MEMORY_MAX) == -1) ||
	    limit(RLIMIT_CPU, SRV_MEDIA_CPU_SECONDS,
	    SRV_MEDIA_CPU_SECONDS + 1) == -1 ||
	    limit(RLIMIT_NOFILE, SRV_MEDIA_NOFILE, SRV_MEDIA_NOFILE) == -1 ||
	    limit(RLIMIT_FSIZE, 0, 0) == -1 || limit(RLIMIT_CORE, 0, 0) == -1) {
		snprintf(err, errlen, "cannot set the worker's limits");
		return -1;
	}
	if (srv_sandbox_no_new_privs() == -1) {
		snprintf(err, errlen, "cannot set no-new-privileges");
		return -1;
	}
	if (seccomp && !SANDBOX_SANITIZER && srv_sandbox_filter_load(allowed,
	    sizeof(allowed) / sizeof(allowed[0])) == -1) {
		snprintf(err, errlen, "cannot install the seccomp filter");
		return -1;
	}
	return 0;
}

int
media_confine_setuid(uint32_t uid, uint32_t gid)
{
	uid_t	ru, eu, su;
	gid_t	rg, eg, sg, g = (gid_t)gid, groups[2];
	int	ng;

	if (uid == 0 || gid == 0 || setgroups(1, &g) == -1 ||
	    setgid((gid_t)gid) == -1 || setuid((uid_t)uid) == -1)
		return -1;
	ng = getgroups(2, groups);
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1 ||
	    ru != uid || eu != uid || su != uid || rg != gid || eg != gid ||
	    sg != gid || ng < 0 || ng > 1 || (ng == 1 && groups[0] != g) ||
	    setuid(0) != -1)
		return -1;
	return 0;
}
