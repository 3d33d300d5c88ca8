/*
 * raw_lmdb.c: the raw ceiling for durable commits on this machine's disk:
 * one 2 KiB put per write transaction with LMDB's durable defaults (fsync
 * on every commit), for a fixed number of seconds, in a directory on the
 * same file system as the benchmark's data directory. Prints commits/s.
 *
 *   raw_lmdb DIR SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lmdb.h>

int
main(int argc, char **argv)
{
	MDB_env		*env;
	MDB_txn		*txn;
	MDB_dbi		 dbi;
	MDB_val		 k, v;
	char		 val[2048];
	struct timespec	 t0, t;
	unsigned long	 n = 0;
	double		 secs, el = 0;

	if (argc != 3)
		return 2;
	secs = atof(argv[2]);
	memset(val, 'x', sizeof(val));
	if (mdb_env_create(&env) || mdb_env_set_mapsize(env, 1UL << 30) ||
	    mdb_env_open(env, argv[1], 0, 0600))
		return 1;
	if (mdb_txn_begin(env, NULL, 0, &txn) || mdb_dbi_open(txn, NULL, 0, &dbi) ||
	    mdb_txn_commit(txn))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (el < secs && n < 10000000UL) {
		unsigned long key = n;

		k.mv_size = sizeof(key);
		k.mv_data = &key;
		v.mv_size = sizeof(val);
		v.mv_data = val;
		if (mdb_txn_begin(env, NULL, 0, &txn) ||
		    mdb_put(txn, dbi, &k, &v, 0) || mdb_txn_commit(txn))
			return 1;
		n++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (double)(t.tv_sec - t0.tv_sec) +
		    (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
	}
	printf("%.1f\n", (double)n / el);
	mdb_env_close(env);
	return 0;
}
