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
 * user (media_setuid, at the supervisor's start).
 */
#define _GNU_SOURCE	/* CLONE_THREAD, getresuid */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include <seccomp.h>

#include "server/media.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEDIA_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(undefined_behavior_sanitizer)
#define MEDIA_SANITIZER 1
#endif
#endif
#ifndef MEDIA_SANITIZER
#define MEDIA_SANITIZER 0
#endif

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
	 * mprotect only without PROT_EXEC (rules below). */
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
allow(scmp_filter_ctx ctx, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR || nr < 0)
		return 0;	/* not a call of this architecture */
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) == 0 ? 0 : -1;
}

static int
seccomp_install(void)
{
	scmp_filter_ctx	ctx = NULL;
	size_t		i;
	int		rc = -1;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	/* Every thread: GLib's pool threads started during the warm-up. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) != 0)
		goto out;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (allow(ctx, allowed[i]) == -1)
			goto out;
	/* Thread names (GLib names its pool threads): PR_SET_NAME only. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME)) != 0)
		goto out;
	/* No file is opened after start. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat),
	    0) != 0)
		goto out;
	if (seccomp_syscall_resolve_name("open") >= 0 &&
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
	    seccomp_syscall_resolve_name("open"), 0) != 0)
		goto out;
	/* Threads only, never a process; clone3 answers ENOSYS so that
	 * glibc falls back to clone, whose flags a filter can see. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
	    0) != 0)
		goto out;
	/* No executable memory: no code is generated (libvips' vector code
	 * is off) and W^X leaves shellcode nowhere to run. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) != 0)
		goto out;
	rc = seccomp_load(ctx) == 0 ? 0 : -1;
 out:
	seccomp_release(ctx);
	return rc;
}

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
	if ((!MEDIA_SANITIZER && limit(RLIMIT_AS, SRV_MEDIA_MEMORY_MAX,
	    SRV_MEDIA_MEMORY_MAX) == -1) ||
	    limit(RLIMIT_CPU, SRV_MEDIA_CPU_SECONDS,
	    SRV_MEDIA_CPU_SECONDS + 1) == -1 ||
	    limit(RLIMIT_NOFILE, SRV_MEDIA_NOFILE, SRV_MEDIA_NOFILE) == -1 ||
	    limit(RLIMIT_FSIZE, 0, 0) == -1 || limit(RLIMIT_CORE, 0, 0) == -1) {
		snprintf(err, errlen, "cannot set the worker's limits");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		snprintf(err, errlen, "cannot set no-new-privileges");
		return -1;
	}
	if (seccomp && !MEDIA_SANITIZER && seccomp_install() == -1) {
		snprintf(err, errlen, "cannot install the seccomp filter");
		return -1;
	}
	return 0;
}

int
media_setuid(uint32_t uid, uint32_t gid)
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
