/*
 * cmd_data.c: the offline commands of the transparency features, called
 * from main():
 *
 *   bisikd stats rebuild [--data DIR] [--fix]
 *       recounts every statistics counter, the deadline watch, the
 *       retention and publication indexes and the queue counters from
 *       the case records and prints each difference with what is stored;
 *       exit 0 if there is none, 1 otherwise. --fix replaces the stored
 *       entries by the recount (audited, "stats.rebuild") and exits 0.
 *       Safe while the server runs: one read (or write) transaction.
 *
 *   bisikd compact [--data DIR]
 *       rewrites the data file record by record (store_compact) so that
 *       deleted records, shredded cases' ciphertext included, leave no
 *       byte behind; offline: refused while a server holds the data
 *       directory.
 *
 * Errors are one sentence on stderr; exit codes as main.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server/server.h"

#define EX_FAIL		1
#define EX_USAGE	2

/* --data DIR and the flags named in flags[]; -1 for anything else. */
static int
args(int argc, char **argv, const char **data, const char *flag, int *set)
{
	int i;

	*data = "./data";
	if (set != NULL)
		*set = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			*data = argv[++i];
		else if (flag != NULL && strcmp(argv[i], flag) == 0)
			*set = 1;
		else
			return -1;
	}
	return 0;
}

int
srv_cmd_data_stats(int argc, char **argv)
{
	struct srv_keys	 keys;
	struct store	*s;
	const char	*data;
	size_t		 diffs = 0;
	int		 fix, rc;

	if (argc < 1 || strcmp(argv[0], "rebuild") != 0 ||
	    args(argc - 1, argv + 1, &data, "--fix", &fix) == -1) {
		fputs("usage: bisikd stats rebuild [--data DIR] [--fix]\n",
		    stderr);
		return EX_USAGE;
	}
	if (srv_keys_load(data, &keys) == -1) {
		fprintf(stderr, "bisikd: cannot load the server keys from %s.\n",
		    data);
		return EX_FAIL;
	}
	srv_audit_init(&keys);
	if ((rc = store_open(data, fix ? 0 : STORE_RDONLY, &s)) != STORE_OK) {
		fprintf(stderr, "bisikd: cannot open the store in %s: %s.\n",
		    data, store_strerror(rc));
		srv_audit_init(NULL);
		srv_keys_free(&keys);
		return EX_FAIL;
	}
	rc = srv_derived_rebuild(s, stdout, fix, &diffs);
	store_close(s);
	srv_audit_init(NULL);
	srv_keys_free(&keys);
	if (rc != STORE_OK) {
		fprintf(stderr, "bisikd: the recount failed: %s.\n",
		    store_strerror(rc));
		return EX_FAIL;
	}
	if (fix) {
		printf("%zu difference%s found and fixed\n", diffs,
		    diffs == 1 ? "" : "s");
		return 0;
	}
	printf("%zu difference%s between the stored statistics and the "
	    "recount\n", diffs, diffs == 1 ? "" : "s");
	return diffs == 0 ? 0 : EX_FAIL;
}

int
srv_cmd_data_compact(int argc, char **argv)
{
	const char	*data;
	char		 err[512];
	uint64_t	 before, after;
	int		 lock, rc;

	if (args(argc, argv, &data, NULL, NULL) == -1) {
		fputs("usage: bisikd compact [--data DIR]\n", stderr);
		return EX_USAGE;
	}
	/* The lock serve holds: no server may start meanwhile. */
	if (srv_rekey_datadir_lock(data, &lock, err, sizeof(err)) == -1) {
		fprintf(stderr, "bisikd: %s\n", err);
		return EX_FAIL;
	}
	rc = store_compact(data, &before, &after);
	close(lock);
	if (rc == STORE_CONFLICT) {
		fprintf(stderr, "bisikd: the store in %s is open in another "
		    "process; stop it first.\n", data);
		return EX_FAIL;
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "bisikd: compaction failed: %s; the data file "
		    "is unchanged.\n", store_strerror(rc));
		return EX_FAIL;
	}
	printf("compacted %s: %llu bytes before, %llu after\n", data,
	    (unsigned long long)before, (unsigned long long)after);
	return 0;
}
