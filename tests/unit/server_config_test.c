/*
 * server_config_test.c: the defaults server/config.c derives from the
 * machine: the worker threads for the number of online cores, at the
 * edges of SRV_THREADS_DEFAULT_MIN and SRV_THREADS_DEFAULT_MAX.
 */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "server/server.h"
#include "tests/unit/tap.h"

int
main(void)
{
	struct srv_config	cfg;
	long			cores = sysconf(_SC_NPROCESSORS_ONLN);

	CHECK(srv_threads_for(0) == SRV_THREADS_DEFAULT_MIN &&
	    srv_threads_for(-1) == SRV_THREADS_DEFAULT_MIN,
	    "threads: an unknown core count is taken as one core");
	CHECK(srv_threads_for(1) == SRV_THREADS_PER_CORE &&
	    srv_threads_for(1) >= SRV_THREADS_DEFAULT_MIN,
	    "threads: one core gets SRV_THREADS_PER_CORE, not below the minimum");
	CHECK(srv_threads_for(2) == 2 * SRV_THREADS_PER_CORE,
	    "threads: two cores get twice SRV_THREADS_PER_CORE");
	CHECK(srv_threads_for(SRV_THREADS_DEFAULT_MAX / SRV_THREADS_PER_CORE) ==
	    SRV_THREADS_DEFAULT_MAX,
	    "threads: the core count that reaches SRV_THREADS_DEFAULT_MAX");
	CHECK(srv_threads_for(SRV_THREADS_DEFAULT_MAX / SRV_THREADS_PER_CORE +
	    1) == SRV_THREADS_DEFAULT_MAX && srv_threads_for(LONG_MAX) ==
	    SRV_THREADS_DEFAULT_MAX,
	    "threads: one core more, and any number more, stay at the maximum");
	CHECK(SRV_THREADS_DEFAULT_MAX <= SRV_THREADS_MAX,
	    "threads: the largest default is a value the config key accepts");
	srv_config_defaults(&cfg);
	CHECK(cfg.threads == srv_threads_for(cores),
	    "threads: the configuration's default follows this machine's cores");
	return tap_done();
}
