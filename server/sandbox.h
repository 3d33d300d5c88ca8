/*
 * sandbox.h: the seccomp filter of sandbox.c, shared by bisikd
 * (confine.c) and the image helper (media_confine.c). Util layer: only
 * libc and libseccomp below it.
 */
#ifndef BISIK_SANDBOX_H
#define BISIK_SANDBOX_H

#include <stddef.h>

/* 1 in a sanitizer build: its leak checker stops the world with ptrace
 * and starts processes at exit, so no filter is loaded there. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANDBOX_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(undefined_behavior_sanitizer)
#define SANDBOX_SANITIZER 1
#endif
#endif
#ifndef SANDBOX_SANITIZER
#define SANDBOX_SANITIZER 0
#endif
/* PR_SET_NO_NEW_PRIVS and PR_SET_DUMPABLE 0; -1 if either fails. */
__attribute__((warn_unused_result))
int	srv_sandbox_no_new_privs(void);
/* Loads the filter for every thread: the n calls of allowed (names; those
 * absent on this architecture are skipped) and the rules of sandbox.c;
 * anything else kills the process. */
__attribute__((warn_unused_result))
int	srv_sandbox_filter_load(const char *const *allowed, size_t n);

#endif
