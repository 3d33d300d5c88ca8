/*
 * rekey.c: `bisikd rekey`, the rotation of the storage key (keys/
 * storage.key), and the data directory lock that keeps it away from a
 * running server.
 *
 * The storage key wraps every case's data key ("dek" in the case record,
 * additional data "bisik-v1:dek:<seq>") and every TOTP secret of the
 * staff; nothing else. Rotating it re-wraps those, never the case text
 * itself, so 100,000 cases are 100,000 small record rewrites.
 *
 * Steps, each durable before the next, so a kill -9 anywhere resumes:
 *   1. keys/storage.key.new is made (0600, fsynced), then meta "rekey" =
 *      {phase "wrap", old_id, new_id, last_seq 0, done, total} with its
 *      audit entry. A .new file without that record is a leftover of a
 *      run killed in between, never used for anything: it is replaced.
 *   2. Cases are re-wrapped in batches in key order, each batch one
 *      write transaction that also stores last_seq, so a batch is either
 *      wholly done and recorded or not at all.
 *   3. TOTP secrets are re-wrapped in one transaction that also sets the
 *      phase to "swap".
 *   4. The old key file is overwritten with zeros, storage.key.new is
 *      renamed over storage.key and the directory fsynced; then the
 *      record is deleted with the final audit entry.
 * Key ids (a hash of each key) in the record tell which file holds which
 * key on a resume, so a swapped or foreign file is refused rather than
 * used. While the record exists `bisikd serve` refuses to start: between
 * steps 1 and 4 some cases are wrapped under each key, and one server
 * holding one key would fail on the others. A server that is running
 * holds the data directory lock, which this command needs, so a rotation
 * never starts under a live server either.
 *
 * Backups made before a rotation hold data keys wrapped under the old
 * key, which step 4 destroys: take a new backup afterwards.
 *
 * --data-keys (the record's "data_keys") also replaces every case's data
 * key in step 2: a new random key, and everything sealed under the old
 * one opened and sealed again under it in the same transaction: the
 * content, every timeline text, every attachment (both copies, the sealed
 * name, and the "hash" keyed with the data key) and the identity record
 * (rewritten as version 2, padded, under the new key; its R indexed).
 * Whoever once held the old storage key and an old copy of data.mdb knows
 * the old data keys; after this they open none of today's ciphertexts.
 * A case whose data key opens under the new storage key is done, so a
 * resumed run skips it. The old ciphertexts stay in data.mdb's free pages
 * until `bisikd compact` (docs/operations.md).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/fsdir.h"
#include "server/domain.h"

#define REKEY_KEY	"rekey"
#define PHASE_WRAP	"wrap"
#define PHASE_SWAP	"swap"
#define KEYID_TEXT	17
/* Users walked in the TOTP step at most (ids are never reused; a
 * national deployment has thousands of staff, not millions). */
#define REKEY_USERS_MAX	1000000
/* Progress lines when stderr is not a terminal: one a second at most. */
#define PROGRESS_EVERY	1.0
/* Timeline entries (or attachment keys) of one case re-encrypted at
 * most: a case is a conversation of hundreds of messages, not millions;
 * one with more stops the rotation rather than exhaust memory. */
#define REKEY_ENTRIES_MAX	1000000

int
srv_rekey_datadir_lock(const char *datadir, int *fd, char *err, size_t errlen)
{
	char	path[PATH_MAX];
	int	f, e;

	if (snprintf(path, sizeof(path), "%s/keys", datadir) >=
	    (int)sizeof(path)) {
		snprintf(err, errlen, "the data directory path is too long.");
		return -1;
	}
	if ((f = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			snprintf(err, errlen, "%s is not a data directory (it "
			    "has no keys/); make one with: bisikd init --data "
			    "%s", datadir, datadir);
		else
			snprintf(err, errlen, "cannot open %s: %s.", path,
			    strerror(errno));
		return -1;
	}
	if (flock(f, LOCK_EX | LOCK_NB) == -1) {
		e = errno;
		close(f);
		if (e == EWOULDBLOCK)
			snprintf(err, errlen, "the data directory %s is in use "
			    "by another bisikd (serve, rekey or compact); stop "
			    "it first.", datadir);
		else
			snprintf(err, errlen, "cannot lock %s: %s.", path,
			    strerror(e));
		return -1;
	}
	*fd = f;
	return 0;
}

static int
pending_read(struct store_txn *txn, void *arg)
{
	const void	*v;
	size_t		 vlen;

	(void)arg;
	return store_get(txn, STORE_T_META, REKEY_KEY, strlen(REKEY_KEY), &v,
	    &vlen);
}

int
srv_rekey_pending(struct store *s)
{
	return store_read(s, pending_read, NULL) != STORE_NOTFOUND;
}

/* A key's public name: 8 bytes of a domain-separated hash, in hex. */
static void
key_id(const uint8_t key[CRYPTO_KEY_BYTES], char out[KEYID_TEXT])
{
	static const char	hex[] = "0123456789abcdef";
	uint8_t			h[CRYPTO_HASH_BYTES];
	size_t			i;

	crypto_keyed_hash(key, "bisik-storage-key-id-v1",
	    sizeof("bisik-storage-key-id-v1") - 1, h);
	for (i = 0; i < 8; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 0xf];
	}
	out[16] = '\0';
}

struct rekey {
	const char	*datadir;
	char		 oldpath[PATH_MAX], newpath[PATH_MAX];
	uint8_t		*oldk, *newk;		/* secret memory */
	struct store	*store;
	size_t		 batch;
	unsigned	 max_rate;
	int		 data_keys;	/* new data keys too (the record's) */
	/* progress */
	uint64_t	 total, done, last_seq, run_done;
	struct timespec	 start, last_print;
	uint64_t	 printed;	/* done + 1 at the last line; 0: none */
	int		 tty;
	/* a job's outcome */
	const char	*why;
};

static double
since(const struct timespec *a)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - a->tv_sec) +
	    (double)(now.tv_nsec - a->tv_nsec) / 1e9;
}

/* "[#####.....] 12345/100000 cases  4321/s  0:20 left" on stderr. */
static void
progress(struct rekey *r, int final)
{
	char	 bar[21];
	double	 el = since(&r->start), rate, left;
	size_t	 i, fill;
	unsigned long long secs;

	if (!final && !r->tty && since(&r->last_print) < PROGRESS_EVERY)
		return;
	/* The closing line only if it says something new (not a tty). */
	if (final && !r->tty && r->printed == r->done + 1)
		return;
	r->printed = r->done + 1;
	clock_gettime(CLOCK_MONOTONIC, &r->last_print);
	rate = el > 0 ? (double)r->run_done / el : 0;
	fill = r->total > 0 ? (size_t)(20 * r->done / r->total) : 20;
	for (i = 0; i < 20; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[20] = '\0';
	left = rate > 0 && r->total > r->done ?
	    (double)(r->total - r->done) / rate : 0;
	secs = (unsigned long long)(left + 0.5);
	fprintf(stderr, "%srekey: [%s] %" PRIu64 "/%" PRIu64 " cases  "
	    "%.0f/s  %llu:%02llu left%s", r->tty ? "\r" : "", bar, r->done,
	    r->total, rate, secs / 60, secs % 60, r->tty && !final ? "" : "\n");
	fflush(stderr);
}

/* ---- the record ----------------------------------------------------------- */

static int
record_get(struct store_txn *txn, json_t **rec)
{
	return srv_record_get(txn, STORE_T_META, REKEY_KEY, strlen(REKEY_KEY),
	    rec);
}

static int
record_read(struct store_txn *txn, void *arg)
{
	return record_get(txn, arg);
}

static int
audit_op(struct store_txn *txn, const char *action, json_t *detail)
{
	int rc;

	rc = srv_audit_append(txn, srv_audit_keys(), time(NULL), "operator",
	    action, NULL, NULL, detail);
	json_decref(detail);
	return rc;
}

struct count_arg {
	uint64_t	n;
};

static int
count_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	(void)key;
	(void)val;
	(void)vlen;
	if (klen == 8)
		((struct count_arg *)arg)->n++;
	return 0;
}

struct start_job {
	struct rekey	*r;
	char		 old_id[KEYID_TEXT], new_id[KEYID_TEXT];
};

static int
start_job(struct store_txn *txn, void *arg)
{
	struct start_job	*j = arg;
	struct count_arg	 c = { 0 };
	json_t			*rec;
	int			 rc;

	if ((rc = store_each(txn, STORE_T_CASES, NULL, 0, NULL, 0, count_each,
	    &c)) != STORE_OK)
		return rc;
	rec = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:I, s:b}",
	    "phase", PHASE_WRAP, "old_id", j->old_id, "new_id", j->new_id,
	    "last_seq", (json_int_t)0, "done", (json_int_t)0, "total",
	    (json_int_t)c.n, "users_done", 0, "started_at",
	    (json_int_t)time(NULL), "data_keys", j->r->data_keys);
	if (rec == NULL)
		return STORE_IO;
	rc = srv_record_put(txn, STORE_T_META, REKEY_KEY, strlen(REKEY_KEY),
	    rec, STORE_NOOVERWRITE);
	json_decref(rec);
	if (rc != STORE_OK)
		return rc;
	j->r->total = c.n;
	return audit_op(txn, "rekey.start", json_pack("{s:s, s:s, s:I, s:i}",
	    "old_key", j->old_id, "new_key", j->new_id, "cases",
	    (json_int_t)c.n, "data_keys", j->r->data_keys));
}

/* ---- step 2: the cases ------------------------------------------------------ */

struct batch_arg {
	uint64_t	seqs[SRV_REKEY_BATCH_MAX];
	size_t		n, max;
};

static int
batch_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct batch_arg *b = arg;

	(void)val;
	(void)vlen;
	if (klen != 8)
		return 0;
	b->seqs[b->n++] = store_be64_get(key);
	return b->n == b->max ? STORE_STOP : 0;
}

struct wrap_job {
	struct rekey		*r;
	struct batch_arg	*b;
	uint64_t		 last;		/* out: last seq done */
	size_t			 n;		/* out: cases done */
};

/* ---- --data-keys: everything of a case under a new data key ------------ */

/* The keys of one case's entries in a table (prefix: its sequence). */
struct keys_arg {
	struct {
		uint8_t	b[13];
		size_t	len;
	}	*k;
	size_t	 n, cap;
};

static int
keys_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct keys_arg	*a = arg;
	void		*nk;
	size_t		 cap;

	(void)val;
	(void)vlen;
	if (klen > sizeof(a->k[0].b))
		return STORE_CORRUPT;
	if (a->n == REKEY_ENTRIES_MAX)
		return STORE_INVALID;
	if (a->n == a->cap) {
		cap = a->cap == 0 ? 64 : a->cap * 2;
		if ((nk = reallocarray(a->k, cap, sizeof(*a->k))) == NULL)
			return STORE_IO;
		a->k = nk;
		a->cap = cap;
	}
	memcpy(a->k[a->n].b, key, klen);
	a->k[a->n++].len = klen;
	return 0;
}

static int
case_keys(struct store_txn *txn, enum store_table t, uint64_t seq,
    struct keys_arg *a)
{
	uint8_t	prefix[8];

	a->n = 0;
	store_be64_put(prefix, seq);
	return store_each(txn, t, prefix, 8, prefix, 8, keys_each, a);
}

/* Opens a version byte ‖ sealed blob under `name` with the old key and
 * stores it sealed under the new one. The plaintext into *plain when
 * asked (the caller wipes and frees it). */
static int
reseal_blob(struct store_txn *txn, enum store_table t, const uint8_t *key,
    size_t klen, uint64_t seq, const char *name, const uint8_t *oldk,
    const uint8_t *newk, uint8_t **plain, size_t *plen)
{
	const void	*v;
	const uint8_t	*b;
	uint8_t		*pt = NULL, *box = NULL;
	size_t		 vlen, len;
	int		 rc;

	if ((rc = store_get(txn, t, key, klen, &v, &vlen)) != STORE_OK)
		return rc;
	b = v;
	if (vlen < 1 + CRYPTO_SEAL_OVERHEAD || b[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	len = vlen - 1 - CRYPTO_SEAL_OVERHEAD;
	if ((pt = malloc(len + 1)) == NULL || (box = malloc(vlen)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	if (srv_case_open_bytes(oldk, seq, name, b + 1, vlen - 1, pt) == -1) {
		rc = STORE_CORRUPT;
		goto out;
	}
	box[0] = SRV_RECORD_V1;
	if (srv_case_seal_bytes(newk, seq, name, pt, len, box + 1) == -1) {
		rc = STORE_IO;
		goto out;
	}
	rc = store_put(txn, t, key, klen, box, vlen, 0);
	if (rc == STORE_OK && plain != NULL) {
		*plain = pt;
		*plen = len;
		pt = NULL;
	}
out:
	if (pt != NULL) {
		crypto_wipe(pt, len);
		free(pt);
	}
	free(box);
	return rc;
}

/* A JSON field sealed as text (base64) under `name`, sealed anew. */
static int
reseal_text(json_t *o, const char *field, uint64_t seq, const char *name,
    const uint8_t *oldk, const uint8_t *newk)
{
	const char	*b64 = json_string_value(json_object_get(o, field));
	char		*text = NULL, *sealed = NULL;
	int		 rc = STORE_OK;

	if (b64 == NULL)
		return STORE_OK;
	if (srv_case_open_text(oldk, seq, name, b64, &text) == -1)
		return STORE_CORRUPT;
	if (srv_case_seal_text(newk, seq, name, text, strlen(text),
	    &sealed) == -1 || json_object_set_new(o, field,
	    json_string(sealed)) == -1)
		rc = STORE_IO;
	crypto_wipe(text, strlen(text));
	free(text);
	free(sealed);
	return rc;
}

static int
reencrypt_timeline(struct store_txn *txn, uint64_t seq, struct keys_arg *a,
    const uint8_t *oldk, const uint8_t *newk)
{
	char	 name[32];
	json_t	*e;
	size_t	 i;
	int	 rc;

	if ((rc = case_keys(txn, STORE_T_TIMELINE, seq, a)) != STORE_OK)
		return rc;
	for (i = 0; i < a->n; i++) {
		if (a->k[i].len != 12)
			return STORE_CORRUPT;
		if ((rc = srv_record_get(txn, STORE_T_TIMELINE, a->k[i].b, 12,
		    &e)) != STORE_OK)
			return rc;
		/* The name as case.c seals it: "timeline.<entry>". */
		snprintf(name, sizeof(name), "timeline.%" PRIu32,
		    store_be32_get(a->k[i].b + 8));
		rc = reseal_text(e, "text", seq, name, oldk, newk);
		if (rc == STORE_OK)
			rc = srv_record_put(txn, STORE_T_TIMELINE, a->k[i].b,
			    12, e, 0);
		json_decref(e);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/*
 * Attachments as api_attach.c stores them: records (key ‖ number, 12
 * bytes) with the name sealed as "attachment.<n>.name" and "hash" keyed
 * with the data key over the agency copy; blobs (13 bytes, ‖ variant)
 * sealed as "attachment.<n>.<variant>". In key order a number's 'a' blob
 * (the agency copy) comes before its 'o' blob and after its record.
 */
/* The blobs of attachment record i (number n), and its "hash" anew from
 * the first, the agency copy when there is one. */
static int
reencrypt_blobs(struct store_txn *txn, uint64_t seq, const struct keys_arg *a,
    size_t i, uint32_t n, json_t *rec, const uint8_t *oldk,
    const uint8_t *newk)
{
	uint8_t		 h[CRYPTO_HASH_BYTES], *pt;
	char		 name[48], hb[CRYPTO_HASH_BYTES * 2];
	size_t		 j, plen;
	int		 rc = STORE_OK, want = 1;

	for (j = 0; rc == STORE_OK && j < a->n; j++) {
		if (a->k[j].len != 13 ||
		    memcmp(a->k[j].b, a->k[i].b, 12) != 0)
			continue;
		snprintf(name, sizeof(name), "attachment.%" PRIu32 ".%c", n,
		    (char)a->k[j].b[12]);
		pt = NULL;
		rc = reseal_blob(txn, STORE_T_ATTACHMENTS, a->k[j].b, 13, seq,
		    name, oldk, newk, want ? &pt : NULL, &plen);
		if (rc != STORE_OK || pt == NULL)
			continue;
		crypto_keyed_hash(newk, pt, plen, h);
		crypto_b64_encode(h, sizeof(h), hb);
		crypto_wipe(pt, plen);
		free(pt);
		if (json_object_set_new(rec, "hash", json_string(hb)) == -1)
			rc = STORE_IO;
		want = 0;
	}
	return rc;
}

static int
reencrypt_attachments(struct store_txn *txn, uint64_t seq, struct keys_arg *a,
    const uint8_t *oldk, const uint8_t *newk)
{
	const uint8_t	*k;
	char		 name[48];
	size_t		 i;
	uint32_t	 n;
	json_t		*rec;
	int		 rc;

	if ((rc = case_keys(txn, STORE_T_ATTACHMENTS, seq, a)) != STORE_OK)
		return rc;
	for (i = 0; i < a->n; i++) {
		if (a->k[i].len != 12)
			continue;
		k = a->k[i].b;
		n = store_be32_get(k + 8);
		if ((rc = srv_record_get(txn, STORE_T_ATTACHMENTS, k, 12,
		    &rec)) != STORE_OK)
			return rc;
		snprintf(name, sizeof(name), "attachment.%" PRIu32 ".name", n);
		rc = reseal_text(rec, "name", seq, name, oldk, newk);
		if (rc == STORE_OK)
			rc = reencrypt_blobs(txn, seq, a, i, n, rec, oldk, newk);
		if (rc == STORE_OK)
			rc = srv_record_put(txn, STORE_T_ATTACHMENTS, k, 12, rec,
			    0);
		json_decref(rec);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

static int
reencrypt_identity(struct store_txn *txn, uint64_t seq, const uint8_t *oldk,
    const uint8_t *newk)
{
	struct srv_identity	*id;
	int			 rc;

	if ((id = malloc(sizeof(*id))) == NULL)
		return STORE_IO;
	rc = srv_identity_open(txn, seq, oldk, id);
	if (rc == STORE_OK)
		rc = srv_identity_put(txn, seq, newk, id->generation,
		    id->sealed, id->len);
	if (rc == STORE_OK) {
		rc = srv_identity_r_claim(txn, srv_audit_keys(),
		    id->sealed + CRYPTO_IDENTITY_R_OFFSET);
		if (rc == STORE_EXISTS)
			rc = STORE_OK;
	} else if (rc == STORE_NOTFOUND)
		rc = STORE_OK;
	crypto_wipe(id, sizeof(*id));
	free(id);
	return rc;
}

/* Everything sealed under the case's data key `oldk`, sealed again under
 * `newk`; meta loses its legacy inline content. */
static int
reencrypt_case(struct store_txn *txn, uint64_t seq, json_t *meta,
    const uint8_t *oldk, const uint8_t *newk)
{
	struct keys_arg	 a = { NULL, 0, 0 };
	uint8_t		 key[8];
	const char	*legacy;
	char		*text = NULL;
	size_t		 plen = 0;
	int		 rc;

	store_be64_put(key, seq);
	rc = reseal_blob(txn, STORE_T_CONTENT, key, 8, seq, "content", oldk,
	    newk, NULL, &plen);
	if (rc == STORE_NOTFOUND &&
	    (legacy = json_string_value(json_object_get(meta, "content"))) !=
	    NULL) {
		/* Written before the content table: moved into it. */
		if (srv_case_open_text(oldk, seq, "content", legacy,
		    &text) == -1)
			rc = STORE_CORRUPT;
		else {
			rc = srv_case_content_write(txn, seq, newk, text,
			    strlen(text));
			crypto_wipe(text, strlen(text));
			free(text);
			json_object_del(meta, "content");
		}
	}
	if (rc == STORE_OK)
		rc = reencrypt_timeline(txn, seq, &a, oldk, newk);
	if (rc == STORE_OK)
		rc = reencrypt_attachments(txn, seq, &a, oldk, newk);
	if (rc == STORE_OK)
		rc = reencrypt_identity(txn, seq, oldk, newk);
	free(a.k);
	return rc;
}

/* Re-wraps one case's data key; STORE_CORRUPT if neither key opens it. */
static int
rewrap_case(struct store_txn *txn, struct rekey *r, uint64_t seq)
{
	uint8_t		 key[8], wrapped[CRYPTO_KEY_BYTES + CRYPTO_SEAL_OVERHEAD];
	uint8_t		 dek[CRYPTO_KEY_BYTES] = { 0 };
	char		 ad[64], b64[128];
	const char	*old;
	json_t		*meta = NULL;
	size_t		 n;
	int		 rc = STORE_IO;

	store_be64_put(key, seq);
	if ((rc = srv_record_get(txn, STORE_T_CASES, key, 8, &meta)) !=
	    STORE_OK)
		return rc;
	snprintf(ad, sizeof(ad), "bisik-v1:dek:%" PRIu64, seq);
	if ((old = json_string_value(json_object_get(meta, "dek"))) == NULL ||
	    crypto_b64_decode(old, strlen(old), wrapped, sizeof(wrapped),
	    &n) == -1 || n != sizeof(wrapped)) {
		rc = STORE_CORRUPT;
		goto out;
	}
	if (crypto_open(r->oldk, ad, strlen(ad), wrapped, n, dek) == -1) {
		/* Under the new key already: nothing to do (cannot happen
		 * with progress kept in the same transaction; harmless). */
		rc = crypto_open(r->newk, ad, strlen(ad), wrapped, n, dek) == 0 ?
		    STORE_OK : STORE_CORRUPT;
		goto out;
	}
	if (r->data_keys) {
		uint8_t	fresh[CRYPTO_KEY_BYTES];

		crypto_random(fresh, sizeof(fresh));
		rc = reencrypt_case(txn, seq, meta, dek, fresh);
		memcpy(dek, fresh, sizeof(dek));
		crypto_wipe(fresh, sizeof(fresh));
		if (rc != STORE_OK)
			goto out;
	}
	if (crypto_seal(r->newk, ad, strlen(ad), dek, sizeof(dek),
	    wrapped) == -1) {
		rc = STORE_IO;
		goto out;
	}
	crypto_b64_encode(wrapped, sizeof(wrapped), b64);
	if (json_object_set_new(meta, "dek", json_string(b64)) == -1) {
		rc = STORE_IO;
		goto out;
	}
	rc = srv_case_put(txn, seq, meta);
out:
	crypto_wipe(dek, sizeof(dek));
	json_decref(meta);
	return rc;
}

static int
wrap_job(struct store_txn *txn, void *arg)
{
	struct wrap_job	*j = arg;
	json_t		*rec = NULL;
	uint8_t		 from[8];
	size_t		 i;
	int		 rc = STORE_IO;

	j->n = 0;
	if ((rc = record_get(txn, &rec)) != STORE_OK)
		return rc;
	j->last = (uint64_t)json_integer_value(json_object_get(rec,
	    "last_seq"));
	/* Collected first, rewritten after: no put while the cursor walks. */
	j->b->n = 0;
	store_be64_put(from, j->last + 1);
	rc = store_each(txn, STORE_T_CASES, from, sizeof(from), NULL, 0,
	    batch_each, j->b);
	if (rc != STORE_OK)
		goto out;
	rc = STORE_OK;
	for (i = 0; i < j->b->n; i++) {
		if ((rc = rewrap_case(txn, j->r, j->b->seqs[i])) != STORE_OK) {
			if (rc == STORE_CORRUPT)
				j->r->why = "a case's data key opens with "
				    "neither the old nor the new storage key";
			goto out;
		}
		j->last = j->b->seqs[i];
	}
	j->n = j->b->n;
	if (json_object_set_new(rec, "last_seq", json_integer((json_int_t)
	    j->last)) == -1 || json_object_set_new(rec, "done", json_integer(
	    json_integer_value(json_object_get(rec, "done")) +
	    (json_int_t)j->n)) == -1) {
		rc = STORE_IO;
		goto out;
	}
	rc = srv_record_put(txn, STORE_T_META, REKEY_KEY, strlen(REKEY_KEY),
	    rec, 0);
out:
	json_decref(rec);
	return rc;
}

/* ---- step 3: TOTP secrets ------------------------------------------------------ */

struct ids_arg {
	uint64_t	*ids;
	size_t		 n;
	int		 more;	/* stopped at REKEY_USERS_MAX */
};

static int
ids_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct ids_arg *a = arg;

	(void)val;
	(void)vlen;
	if (klen != 8)
		return 0;
	if (a->n == REKEY_USERS_MAX) {
		a->more = 1;
		return STORE_STOP;
	}
	a->ids[a->n++] = store_be64_get(key);
	return 0;
}

/* Re-wraps the user's active and pending TOTP secrets. */
static int
rewrap_user(struct store_txn *txn, struct rekey *r, uint64_t id)
{
	static const char *const fields[2] = { "totp", "totp_pending" };
	uint8_t		 secret[SRV_TOTP_SECRET_BYTES];
	const char	*b64;
	char		*fresh = NULL;
	json_t		*rec;
	int		 i, rc = STORE_OK, changed = 0;

	if ((rc = srv_users_get(txn, id, &rec)) != STORE_OK)
		return rc;
	for (i = 0; i < 2 && rc == STORE_OK; i++) {
		if ((b64 = json_string_value(json_object_get(rec,
		    fields[i]))) == NULL)
			continue;
		if (srv_totp_open(r->oldk, id, i, b64, secret) == -1) {
			rc = srv_totp_open(r->newk, id, i, b64, secret) == 0 ?
			    STORE_OK : STORE_CORRUPT;
			continue;
		}
		if (srv_totp_seal(r->newk, id, i, secret, &fresh) == -1 ||
		    json_object_set_new(rec, fields[i], json_string(fresh)) ==
		    -1)
			rc = STORE_IO;
		changed = 1;
		free(fresh);
		fresh = NULL;
	}
	crypto_wipe(secret, sizeof(secret));
	if (rc == STORE_OK && changed)
		rc = srv_users_put(txn, id, rec);
	json_decref(rec);
	return rc;
}

static int
users_job(struct store_txn *txn, void *arg)
{
	struct rekey	*r = arg;
	struct ids_arg	 a;
	json_t		*rec;
	size_t		 i;
	int		 rc;

	if ((rc = record_get(txn, &rec)) != STORE_OK)
		return rc;
	a.n = 0;
	a.more = 0;
	if ((a.ids = calloc(REKEY_USERS_MAX, sizeof(*a.ids))) == NULL) {
		json_decref(rec);
		return STORE_IO;
	}
	rc = store_each(txn, STORE_T_USERS, NULL, 0, NULL, 0, ids_each, &a);
	if (rc == STORE_OK && a.more) {
		r->why = "there are more users than a rotation handles";
		rc = STORE_INVALID;
	}
	for (i = 0; rc == STORE_OK && i < a.n; i++)
		if ((rc = rewrap_user(txn, r, a.ids[i])) == STORE_CORRUPT)
			r->why = "a TOTP secret opens with neither the old nor "
			    "the new storage key";
	free(a.ids);
	if (rc == STORE_OK && (json_object_set_new(rec, "users_done",
	    json_true()) == -1 || json_object_set_new(rec, "phase",
	    json_string(PHASE_SWAP)) == -1))
		rc = STORE_IO;
	if (rc == STORE_OK)
		rc = srv_record_put(txn, STORE_T_META, REKEY_KEY,
		    strlen(REKEY_KEY), rec, 0);
	json_decref(rec);
	return rc;
}

/* ---- step 4: the swap ------------------------------------------------------------- */

static int
finish_job(struct store_txn *txn, void *arg)
{
	json_t	*rec;
	int	 rc;

	(void)arg;
	if ((rc = record_get(txn, &rec)) != STORE_OK)
		return rc;
	if ((rc = store_del(txn, STORE_T_META, REKEY_KEY,
	    strlen(REKEY_KEY))) == STORE_OK)
		rc = audit_op(txn, "rekey.finish", json_pack("{s:O, s:O, s:O}",
		    "old_key", json_object_get(rec, "old_id"), "new_key",
		    json_object_get(rec, "new_id"), "cases",
		    json_object_get(rec, "done")));
	json_decref(rec);
	return rc;
}

/* Overwrites the old key file with zeros and syncs it. */
static int
wipe_file(const char *path)
{
	uint8_t	zero[CRYPTO_KEY_BYTES];
	ssize_t	n;
	int	fd, rc = -1;

	memset(zero, 0, sizeof(zero));
	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	do
		n = write(fd, zero, sizeof(zero));
	while (n == -1 && errno == EINTR);
	if (n == (ssize_t)sizeof(zero) && fsync(fd) == 0)
		rc = 0;
	close(fd);
	return rc;
}

static int
swap(struct rekey *r, char *err, size_t errlen)
{
	char keys[PATH_MAX];

	snprintf(keys, sizeof(keys), "%s/keys", r->datadir);
	/*
	 * Every record is under the new key (the phase says so): the old
	 * key opens nothing live any more. Destroy it first; were we killed
	 * before the rename, the next run finds the new file and renames.
	 */
	if (wipe_file(r->oldpath) == -1 || rename(r->newpath, r->oldpath) ==
	    -1 || core_fsync_dir(keys) == -1) {
		snprintf(err, errlen, "cannot put the new storage key in place: "
		    "%s.", strerror(errno));
		return -1;
	}
	if (store_write(r->store, finish_job, NULL) != STORE_OK) {
		snprintf(err, errlen, "the new key is in place but the rotation "
		    "record could not be closed; run `bisikd rekey` again.");
		return -1;
	}
	return 0;
}

/* ---- the command ----------------------------------------------------------------- */

static int
load_key(const char *path, uint8_t **out)
{
	uint8_t	*k;

	if ((k = crypto_secret_alloc(CRYPTO_KEY_BYTES)) == NULL)
		return -1;
	if (crypto_keyfile_read(path, k, CRYPTO_KEY_BYTES) == -1) {
		crypto_secret_free(k);
		return -1;
	}
	*out = k;
	return 0;
}

static int
run(struct rekey *r, char *err, size_t errlen)
{
	struct start_job	 sj;
	struct wrap_job		 wj;
	json_t			*rec = NULL;
	char			 id_old[KEYID_TEXT], id_new[KEYID_TEXT];
	const char		*phase;
	double			 el;
	int			 rc, ret = -1;

	rc = store_read(r->store, record_read, &rec);
	if (rc == STORE_NOTFOUND) {
		/* A .new file without a record was never used: replace it. */
		if (unlink(r->newpath) == -1 && errno != ENOENT) {
			snprintf(err, errlen, "cannot remove the leftover %s.",
			    r->newpath);
			return -1;
		}
		if (crypto_keyfile_create(r->newpath, CRYPTO_KEY_BYTES) == -1) {
			snprintf(err, errlen, "cannot create the new storage "
			    "key file.");
			return -1;
		}
		if (load_key(r->oldpath, &r->oldk) == -1 ||
		    load_key(r->newpath, &r->newk) == -1) {
			snprintf(err, errlen, "cannot read the storage key "
			    "files.");
			return -1;
		}
		sj.r = r;
		key_id(r->oldk, sj.old_id);
		key_id(r->newk, sj.new_id);
		if ((rc = store_write(r->store, start_job, &sj)) != STORE_OK) {
			snprintf(err, errlen, "cannot record the start of the "
			    "rotation: %s.", store_strerror(rc));
			return -1;
		}
		fprintf(stderr, "rekey: rotating storage key %s to %s%s\n",
		    sj.old_id, sj.new_id, r->data_keys ? ", and every case's "
		    "data key" : "");
		if ((rc = store_read(r->store, record_read, &rec)) != STORE_OK) {
			snprintf(err, errlen, "cannot read the rotation record.");
			return -1;
		}
	} else if (rc != STORE_OK) {
		snprintf(err, errlen, "cannot read the rotation record: %s.",
		    store_strerror(rc));
		return -1;
	} else {
		/* A resumed run finishes what was started, as started. */
		if (json_is_true(json_object_get(rec, "data_keys")) !=
		    (r->data_keys != 0))
			fprintf(stderr, "rekey: the rotation under way was "
			    "started %s --data-keys and is resumed so\n",
			    r->data_keys ? "without" : "with");
		r->data_keys = json_is_true(json_object_get(rec, "data_keys"));
		fprintf(stderr, "rekey: resuming the rotation of %s to %s%s\n",
		    json_string_value(json_object_get(rec, "old_id")),
		    json_string_value(json_object_get(rec, "new_id")),
		    r->data_keys ? ", and every case's data key" : "");
	}
	phase = json_string_value(json_object_get(rec, "phase"));
	r->total = (uint64_t)json_integer_value(json_object_get(rec, "total"));
	r->done = (uint64_t)json_integer_value(json_object_get(rec, "done"));
	if (phase == NULL || (strcmp(phase, PHASE_WRAP) != 0 &&
	    strcmp(phase, PHASE_SWAP) != 0)) {
		snprintf(err, errlen, "the rotation record is damaged.");
		goto out;
	}
	if (strcmp(phase, PHASE_SWAP) == 0 && access(r->newpath, F_OK) == -1) {
		/* Renamed already: only the record is left to close. */
		if (load_key(r->oldpath, &r->newk) == -1) {
			snprintf(err, errlen, "cannot read the storage key.");
			goto out;
		}
		key_id(r->newk, id_new);
		if (strcmp(id_new, json_string_value(json_object_get(rec,
		    "new_id"))) != 0) {
			snprintf(err, errlen, "keys/storage.key is not the key "
			    "this rotation made; restore it before going on.");
			goto out;
		}
		if (store_write(r->store, finish_job, NULL) != STORE_OK) {
			snprintf(err, errlen, "cannot close the rotation "
			    "record.");
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (r->newk == NULL && load_key(r->newpath, &r->newk) == -1) {
		snprintf(err, errlen, "cannot read keys/storage.key.new.");
		goto out;
	}
	key_id(r->newk, id_new);
	if (strcmp(id_new, json_string_value(json_object_get(rec, "new_id"))) !=
	    0) {
		snprintf(err, errlen, "keys/storage.key.new is not the key this "
		    "rotation started with.");
		goto out;
	}
	if (strcmp(phase, PHASE_WRAP) == 0) {
		if (r->oldk == NULL && load_key(r->oldpath, &r->oldk) == -1) {
			snprintf(err, errlen, "cannot read keys/storage.key.");
			goto out;
		}
		key_id(r->oldk, id_old);
		if (strcmp(id_old, json_string_value(json_object_get(rec,
		    "old_id"))) != 0) {
			snprintf(err, errlen, "keys/storage.key is not the key "
			    "this rotation started from.");
			goto out;
		}
		memset(&wj, 0, sizeof(wj));
		wj.r = r;
		if ((wj.b = malloc(sizeof(*wj.b))) == NULL) {
			snprintf(err, errlen, "out of memory.");
			goto out;
		}
		wj.b->max = r->batch;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		r->last_print.tv_sec = 0;
		r->last_print.tv_nsec = 0;
		for (;;) {
			r->why = NULL;
			if ((rc = store_write(r->store, wrap_job, &wj)) !=
			    STORE_OK) {
				snprintf(err, errlen, "the rotation stopped: %s; "
				    "run `bisikd rekey` again to resume.",
				    r->why != NULL ? r->why :
				    store_strerror(rc));
				free(wj.b);
				goto out;
			}
			r->done += wj.n;
			r->run_done += wj.n;
			progress(r, 0);
			if (wj.n < r->batch)
				break;
			/* --max-rate: stay at or below the asked pace. */
			if (r->max_rate > 0 && (el = since(&r->start)) <
			    (double)r->run_done / r->max_rate) {
				double		 w = (double)r->run_done /
				    r->max_rate - el;
				struct timespec	 ts;

				ts.tv_sec = (time_t)w;
				ts.tv_nsec = (long)((w - (double)ts.tv_sec) * 1e9);
				while (nanosleep(&ts, &ts) == -1 &&
				    errno == EINTR)
					;
			}
		}
		free(wj.b);
		progress(r, 1);
		r->why = NULL;
		if ((rc = store_write(r->store, users_job, r)) != STORE_OK) {
			snprintf(err, errlen, "re-wrapping the TOTP secrets "
			    "failed: %s; run `bisikd rekey` again.",
			    r->why != NULL ? r->why : store_strerror(rc));
			goto out;
		}
	}
	if (swap(r, err, errlen) == -1)
		goto out;
	ret = 0;
out:
	json_decref(rec);
	return ret;
}

int
srv_rekey(const char *datadir, size_t batch, unsigned max_rate, int data_keys,
    char *err, size_t errlen)
{
	struct rekey	*r = NULL;
	int		 lock = -1, rc = -1, src;

	if (batch < 1 || batch > SRV_REKEY_BATCH_MAX) {
		snprintf(err, errlen, "the batch size must be from 1 to %d.",
		    SRV_REKEY_BATCH_MAX);
		return -1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory.");
		return -1;
	}
	r->datadir = datadir;
	r->batch = batch;
	r->max_rate = max_rate;
	r->data_keys = data_keys;
	r->tty = isatty(STDERR_FILENO);
	if (snprintf(r->oldpath, sizeof(r->oldpath), "%s/keys/storage.key",
	    datadir) >= (int)sizeof(r->oldpath) || snprintf(r->newpath,
	    sizeof(r->newpath), "%s/keys/storage.key.new", datadir) >=
	    (int)sizeof(r->newpath)) {
		snprintf(err, errlen, "the data directory path is too long.");
		goto out;
	}
	if (srv_rekey_datadir_lock(datadir, &lock, err, errlen) == -1)
		goto out;
	if ((src = store_open(datadir, 0, &r->store)) != STORE_OK) {
		snprintf(err, errlen, "cannot open the store: %s.",
		    store_strerror(src));
		goto out;
	}
	rc = run(r, err, errlen);
	if (rc == 0 && r->data_keys)
		fprintf(stderr, "rekey: done; %" PRIu64 " cases have new data "
		    "keys and are re-encrypted, the old storage key is wiped. "
		    "Now run `bisikd compact` (the old ciphertexts are still "
		    "in free pages of data.mdb) and take a new backup.\n",
		    r->done);
	else if (rc == 0)
		fprintf(stderr, "rekey: done; %" PRIu64 " cases and the TOTP "
		    "secrets are under the new storage key, the old key is "
		    "wiped. Take a new backup: older ones need the old key.\n",
		    r->done);
out:
	store_close(r->store);
	crypto_secret_free(r->oldk);
	crypto_secret_free(r->newk);
	if (lock != -1)
		close(lock);
	free(r);
	return rc;
}
