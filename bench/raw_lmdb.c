/*
 * raw_lmdb.c: the raw ceiling for durable commits on this machine's disk:
 * one 2 KiB put per write transaction, for a fixed number of seconds, in
 * a directory on the same file system as the benchmark's data
 * directories. The environment is opened as store/env.c opens bisikd's:
 * LMDB's durable defaults (an fsync of the data file on every commit; no
 * MDB_NOSYNC, MDB_NOMETASYNC, MDB_MAPASYNC or MDB_WRITEMAP) plus
 * MDB_NOTLS, which changes nothing for a single writer. Prints the commits
 * per second and the 99th percentile of one commit's latency (begin, put,
 * commit) in milliseconds.
 *
 *   raw_lmdb DIR SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lmdb.h>

/* One report's worth of value: the 2 KiB body of bench/submit.lua. */
#define RAW_VALUE_SIZE		2048
/* Latency samples kept: at a few thousand fsyncs a second this is hours,
 * far beyond any SECONDS that bench/run.sh passes. */
#define RAW_SAMPLES_MAX		1000000UL
/* Map size: room for RAW_SAMPLES_MAX values of RAW_VALUE_SIZE and their
 * pages would be 4 GiB; the run stops at the map's end anyway. */
#define RAW_MAP_SIZE		(1UL << 30)
/* Longest run accepted, in seconds. */
#define RAW_SECONDS_MAX		600

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	MDB_env		*env = NULL;
	MDB_txn		*txn = NULL;
	MDB_dbi		 dbi;
	MDB_val		 k, v;
	char		 val[RAW_VALUE_SIZE];
	struct timespec	 t0, ta, tb;
	double		*lat = NULL, secs, el = 0;
	unsigned long	 n = 0, key;
	char		*end;
	int		 rc = 1, e;

	if (argc != 3) {
		fprintf(stderr, "usage: raw_lmdb DIR SECONDS\n");
		return 2;
	}
	secs = strtod(argv[2], &end);
	if (*end != '\0' || !(secs > 0) || secs > RAW_SECONDS_MAX) {
		fprintf(stderr, "raw_lmdb: seconds must be above 0 and at "
		    "most %d.\n", RAW_SECONDS_MAX);
		return 2;
	}
	if ((lat = calloc(RAW_SAMPLES_MAX, sizeof(*lat))) == NULL) {
		fprintf(stderr, "raw_lmdb: out of memory.\n");
		return 1;
	}
	memset(val, 'x', sizeof(val));
	if ((e = mdb_env_create(&env)) != 0 ||
	    (e = mdb_env_set_mapsize(env, RAW_MAP_SIZE)) != 0 ||
	    (e = mdb_env_open(env, argv[1], MDB_NOTLS, 0600)) != 0 ||
	    (e = mdb_txn_begin(env, NULL, 0, &txn)) != 0 ||
	    (e = mdb_dbi_open(txn, NULL, 0, &dbi)) != 0 ||
	    (e = mdb_txn_commit(txn)) != 0) {
		txn = NULL;
		fprintf(stderr, "raw_lmdb: %s: %s\n", argv[1], mdb_strerror(e));
		goto out;
	}
	txn = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (el < secs && n < RAW_SAMPLES_MAX) {
		key = n;
		k.mv_size = sizeof(key);
		k.mv_data = &key;
		v.mv_size = sizeof(val);
		v.mv_data = val;
		clock_gettime(CLOCK_MONOTONIC, &ta);
		if ((e = mdb_txn_begin(env, NULL, 0, &txn)) != 0 ||
		    (e = mdb_put(txn, dbi, &k, &v, 0)) != 0) {
			fprintf(stderr, "raw_lmdb: %s\n", mdb_strerror(e));
			goto out;
		}
		e = mdb_txn_commit(txn);
		txn = NULL;
		if (e != 0) {
			fprintf(stderr, "raw_lmdb: %s\n", mdb_strerror(e));
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &tb);
		lat[n++] = elapsed(&ta, &tb);
		el = elapsed(&t0, &tb);
	}
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("%.1f %.3f\n", (double)n / el,
	    1000 * lat[n * 99 / 100]);
	rc = 0;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (env != NULL)
		mdb_env_close(env);
	free(lat);
	return rc;
}
