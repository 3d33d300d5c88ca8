/*
 * restore.c: `bisikd restore --in FILE --data NEWDIR [--keys-from DIR]`.
 *
 * A backup (`bisikd backup`, store_backup) is one compacted LMDB file. It
 * holds no keys: the server's keys (DIR/keys/) are backed up separately
 * and kept apart, so that a stolen backup alone opens nothing. Restoring
 * makes a new data directory and never touches an existing one:
 *
 *  1. NEWDIR is created (0700; it must not exist) and the file copied in
 *     as data.mdb (0600, synced).
 *  2. With --keys-from, the key files (*.key) are copied into NEWDIR/keys
 *     (0700, files 0600) and loaded as `bisikd serve` would.
 *  3. The copy is opened read-only and checked: LMDB's meta pages and file
 *     size (store_open), every known table, every value's record version
 *     (a version this build does not know is refused, never guessed);
 *     with the keys also the newest case (its data key must open under
 *     the storage key, which proves the keys belong to this backup) and
 *     the whole audit chain against the audit key.
 *  4. Only then is it reported restored; on any failure NEWDIR and what
 *     was put in it are removed again, and one sentence says why.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsdir.h"
#include "server/domain.h"

/* Tables whose values are records: the version byte SRV_RECORD_V1 first.
 * The rest hold fixed binary values (counters, index markers, hashes)
 * checked only for being there. */
static const int record_tables[] = {
	STORE_T_CASES, STORE_T_USERS, STORE_T_AGENCIES, STORE_T_CATEGORIES,
};

static int
copy_fd(int in, const char *path)
{
	char	buf[65536];
	ssize_t	n, w, off;
	int	out = -1;

	if ((out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1)
		return -1;
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		for (off = 0; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0)
				goto fail;
	}
	if (fsync(out) == -1)
		goto fail;
	return close(out);
fail:
	close(out);
	return -1;
}

/* Copies DIR/\*.key (regular files only) into dst. */
static int
copy_keys(const char *from, const char *dst, int *n)
{
	DIR		*d;
	struct dirent	*e;
	char		 src[PATH_MAX], out[PATH_MAX];
	size_t		 len;
	int		 fd, rc = 0;

	*n = 0;
	if ((d = opendir(from)) == NULL)
		return -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".key") != 0 ||
		    e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(src, sizeof(src), "%s/%s", from,
		    e->d_name) >= sizeof(src) ||
		    (size_t)snprintf(out, sizeof(out), "%s/%s", dst,
		    e->d_name) >= sizeof(out)) {
			rc = -1;
			break;
		}
		if ((fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
			rc = -1;
			break;
		}
		rc = copy_fd(fd, out);
		close(fd);
		(*n)++;
	}
	closedir(d);
	return rc == 0 ? core_fsync_dir(dst) : -1;
}

/* Removes what restore made: NEWDIR's files, keys/ and NEWDIR itself. */
static void
undo(const char *data)
{
	static const char *const files[] = { "data.mdb", "lock.mdb" };
	char		 p[PATH_MAX];
	DIR		*d;
	struct dirent	*e;
	size_t		 i;

	if ((size_t)snprintf(p, sizeof(p), "%s/keys", data) < sizeof(p) &&
	    (d = opendir(p)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char f[PATH_MAX];

			if (e->d_name[0] == '.' || (size_t)snprintf(f, sizeof(f),
			    "%s/%s", p, e->d_name) >= sizeof(f))
				continue;
			(void)unlink(f);
		}
		closedir(d);
		(void)rmdir(p);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", data, files[i]) <
		    sizeof(p))
			(void)unlink(p);
	(void)rmdir(data);
}

/* ---- the checks, in one read transaction ---------------------------------- */

struct check {
	const struct srv_keys	*keys;		/* NULL: no keys given */
	size_t			 count[STORE_T_MAX];
	size_t			 bad;		/* values of unknown version */
	int			 bad_table;
	uint64_t		 last_case;
	int			 case_ok;	/* -1 not tried, 0 no, 1 yes */
	int			 audit_fault;	/* -1 not checked */
	uint64_t		 audit_count;
	char			 audit_msg[200];
	int			 table;
};

static int
each_value(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct check	*c = arg;
	size_t		 i;

	c->count[c->table]++;
	for (i = 0; i < sizeof(record_tables) / sizeof(record_tables[0]); i++)
		if (record_tables[i] == c->table && (vlen < 2 ||
		    ((const uint8_t *)val)[0] != SRV_RECORD_V1)) {
			if (c->bad++ == 0)
				c->bad_table = c->table;
		}
	if (c->table == STORE_T_CASES && klen == 8)
		c->last_case = store_be64_get(key);
	return 0;
}

static int
check_read(struct store_txn *txn, void *arg)
{
	struct check			*c = arg;
	struct crypto_audit_check	 ac;
	struct srv_case			 sc;
	int				 rc, t;

	for (t = 0; t < STORE_T_MAX; t++) {
		c->table = t;
		if ((rc = store_each(txn, (enum store_table)t, NULL, 0, NULL, 0,
		    each_value, c)) != STORE_OK)
			return rc;
	}
	if (c->keys == NULL)
		return STORE_OK;
	if (c->last_case != 0) {
		memset(&sc, 0, sizeof(sc));
		rc = srv_case_load(txn, c->keys, c->last_case, &sc);
		c->case_ok = rc == STORE_OK;
		if (rc == STORE_OK)
			srv_case_free(&sc);
	}
	memset(&ac, 0, sizeof(ac));
	if ((rc = srv_audit_verify(txn, c->keys->audit_pk, &ac)) != STORE_OK)
		return rc;
	c->audit_fault = ac.fault;
	c->audit_count = ac.count;
	crypto_audit_describe(&ac, c->audit_msg, sizeof(c->audit_msg));
	return STORE_OK;
}

int
srv_restore(const char *in, const char *data, const char *keys_from,
    FILE *out, char *err, size_t errlen)
{
	struct srv_keys	 keys = { 0 };
	struct store	*s = NULL;
	struct check	 c;
	struct stat	 st;
	char		 path[PATH_MAX];
	int		 fd, nkeys = 0, have_keys = 0, rc;

	memset(&c, 0, sizeof(c));
	c.case_ok = -1;
	c.audit_fault = -1;
	if ((fd = open(in, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		if (fd != -1)
			close(fd);
		snprintf(err, errlen, "cannot read the backup file (it must "
		    "be a non-empty regular file).");
		return -1;
	}
	if (mkdir(data, 0700) == -1) {
		close(fd);
		snprintf(err, errlen, errno == EEXIST ? "the new data directory "
		    "exists already; restore only into a new one." :
		    "cannot create the new data directory.");
		return -1;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/data.mdb", data) >=
	    sizeof(path) || copy_fd(fd, path) == -1 || core_fsync_dir(data) == -1) {
		close(fd);
		snprintf(err, errlen, "cannot copy the backup into the new "
		    "data directory.");
		goto fail;
	}
	close(fd);
	if (keys_from != NULL) {
		if ((size_t)snprintf(path, sizeof(path), "%s/keys", data) >=
		    sizeof(path) || mkdir(path, 0700) == -1 ||
		    copy_keys(keys_from, path, &nkeys) == -1) {
			snprintf(err, errlen, "cannot copy the key files from "
			    "the --keys-from directory.");
			goto fail;
		}
		if (srv_keys_load(data, &keys) == -1) {
			snprintf(err, errlen, "the --keys-from directory does not "
			    "hold a complete set of server keys.");
			goto fail;
		}
		have_keys = 1;
		c.keys = &keys;
	}
	if ((rc = store_open(data, STORE_RDONLY, &s)) != STORE_OK) {
		snprintf(err, errlen, "the backup is not a sound data file: %s.",
		    store_strerror(rc));
		goto fail;
	}
	rc = store_read(s, check_read, &c);
	store_close(s);
	s = NULL;
	if (rc != STORE_OK) {
		snprintf(err, errlen, "the backup cannot be read through: %s.",
		    store_strerror(rc));
		goto fail;
	}
	if (c.bad > 0) {
		snprintf(err, errlen, "the backup holds %zu records of a version "
		    "this bisikd does not know (first in table %d).", c.bad,
		    c.bad_table);
		goto fail;
	}
	if (c.case_ok == 0) {
		snprintf(err, errlen, "the storage key does not open the "
		    "backup's cases: these keys belong to another data "
		    "directory.");
		goto fail;
	}
	if (c.audit_fault > 0) {
		snprintf(err, errlen, "the backup's audit chain is broken: %s.",
		    c.audit_msg);
		goto fail;
	}
	fprintf(out, "restored %s into %s: %zu cases, %zu users, %zu "
	    "agencies\n", in, data, c.count[STORE_T_CASES],
	    c.count[STORE_T_USERS], c.count[STORE_T_AGENCIES]);
	if (have_keys) {
		fprintf(out, "keys: %d files copied; the storage key opens the "
		    "cases; audit chain: %s\n", nkeys, c.audit_msg);
		srv_keys_free(&keys);
	} else
		fprintf(out, "keys: none copied; put the key backup into "
		    "%s/keys (0700, files 0600, owned by the service user) "
		    "before serving\n", data);
	return 0;
fail:
	if (have_keys)
		srv_keys_free(&keys);
	store_close(s);
	undo(data);
	return -1;
}
