/*
 * sandbox.c: the seccomp filter that both programs load once confined,
 * bisikd serving (confine.c) and each image worker of bisik-media
 * (media_confine.c).
 *
 * The rules are the same for both; only the allow-list differs, and each
 * caller keeps its own with the reason for every call. Beyond that list:
 * anything not allowed kills the whole process (SIGSYS), for every thread
 * at once (TSYNC), including threads started before the filter; prctl only
 * names threads; opening a file answers EACCES, since every descriptor is
 * open before the filter and a library that tries after all handles the
 * error; clone only makes threads, never a process, and clone3 answers
 * ENOSYS so that glibc falls back to clone, whose flags a filter can see;
 * mmap and mprotect only without PROT_EXEC: nothing generates code at run
 * time, and W^X leaves shellcode nowhere to run.
 *
 * It uses only libc and libseccomp, so that both programs link it.
 */
#define _GNU_SOURCE	/* CLONE_THREAD */
#include <sys/mman.h>
#include <sys/prctl.h>

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "server/sandbox.h"

/* Allows name, with errno e when e is not 0; a call absent on this
 * architecture is skipped. */
static int
rule(scmp_filter_ctx ctx, const char *name, int e)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR || nr < 0)
		return 0;	/* not a call of this architecture */
	return seccomp_rule_add(ctx, e != 0 ? SCMP_ACT_ERRNO((uint32_t)e) :
	    SCMP_ACT_ALLOW, nr, 0) == 0 ? 0 : -1;
}

int
srv_sandbox_no_new_privs(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ? -1 : 0;
}

int
srv_sandbox_filter_load(const char *const *allowed, size_t n)
{
	scmp_filter_ctx	ctx = NULL;
	size_t		i;
	int		rc = -1;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if (rule(ctx, allowed[i], 0) == -1)
			goto out;
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME)) != 0)
		goto out;
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat),
	    0) != 0 || rule(ctx, "open", EACCES) == -1)
		goto out;
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
	    0) != 0)
		goto out;
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
