/*
 * client_harden_test.c: client_harden(), which bisik's main() calls before
 * any command: afterwards the process may not dump core (RLIMIT_CORE 0,
 * soft and hard) and is not dumpable, so no process of the same user can
 * attach with ptrace to read a key, a share or an identity.
 */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <stdio.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "client/client.h"
#include "tests/unit/tap.h"

int
main(void)
{
	struct rlimit	rl;

	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1,
	    "before: the test process is dumpable");
	CHECK(client_harden() == 0, "client_harden succeeds");
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0,
	    "after: not dumpable (no ptrace attach, no core)");
	CHECK(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 &&
	    rl.rlim_max == 0, "after: core file size limit 0, soft and hard");
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	CHECK(setrlimit(RLIMIT_CORE, &rl) == -1 || geteuid() == 0,
	    "the hard limit cannot be raised again (but by root)");
	return tap_done();
}
