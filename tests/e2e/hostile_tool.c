/*
 * hostile_tool.c: what root on the server can do, as a program, for
 * tests/e2e/e2e_hostile_escrow.sh. It links the real crypto/, client/ and
 * store/ code and nothing of bisikd, so what it makes is exactly what an
 * operator holding every server key, the disk and the traffic could make.
 *
 *   hostile_tool forge PREP.json KEY PASSFILE INDEX USERNAME OUTDIR
 *       From the server's own disclosure data for a case (PREP.json, the
 *       answer of GET /cases/{case}/disclosures), swaps holder INDEX's
 *       signing and box keys in the escrow file for KEY's (the operator's
 *       admin key), leaving Y and every commitment as they are, and makes
 *       a request "from" holder INDEX (account USERNAME) signed with KEY
 *       and blinded with a factor KEY's owner knows. Writes
 *       OUTDIR/escrow.pub (the swapped file, unsigned: it still agrees with
 *       itself), OUTDIR/view.json (the request as GET /disclosures/{id}
 *       would show it) and OUTDIR/record.json (the request as the server
 *       stores it), and prints the request id.
 *   hostile_tool get DATA TABLE KEY
 *   hostile_tool put DATA TABLE KEY FILE
 *       Reads or writes a record of a stopped server's data directory as
 *       root would: TABLE is "meta" (KEY a name) or "disclosures" (KEY
 *       the 16 hex digits of a request id); the record is the JSON after
 *       the version byte.
 *   hostile_tool identity-v1 DATA SEQ Y GENERATION FILE
 *       Replaces case SEQ's identity record by one as bisikd wrote them
 *       before identities were bound to their report: version 1, in
 *       plain, holding FILE's identity sealed the version 1 way (no
 *       binding, no padding: k = BLAKE2b-256(key = "bisik-identity-v1",
 *       S ‖ R ‖ Y), R as additional data) to the escrow key Y (base64) of
 *       GENERATION. The old store of a server that was upgraded.
 *
 * It is a test tool: errors go to stderr and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "client/client.h"

#define RECORD_V1	0x01

static int
fail(const char *what)
{
	fprintf(stderr, "hostile_tool: %s\n", what);
	return 1;
}

static json_t *
b64(const void *p, size_t len)
{
	return client_json_b64(p, len);
}

static int
write_json(const char *dir, const char *name, const json_t *j)
{
	char	path[4096];
	FILE	*f;
	int	rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = json_dumpf(j, f, JSON_INDENT(1)) == 0 ? 0 : -1;
	fputc('\n', f);
	return fclose(f) == 0 ? rc : -1;
}

static int
forge(char **argv)
{
	struct client_escrow	*e = calloc(1, sizeof(*e));
	struct crypto_admin_key	*k = crypto_secret_alloc(sizeof(*k));
	struct crypto_disclosure d;
	json_t			*prep = NULL, *view, *rec, *esc;
	json_error_t		 jerr;
	uint8_t			 rho[32], proof[64], digest[32], sig[64], b[8];
	char			*pass = NULL, id[17], created[21], expires[21];
	const char		*ref;
	unsigned long		 index;
	size_t			 passlen, i;
	time_t			 now = time(NULL);

	if (e == NULL || k == NULL)
		return fail("out of memory");
	if ((prep = json_load_file(argv[0], 0, &jerr)) == NULL)
		return fail("cannot read the disclosure data");
	if (client_escrow_from_json(json_object_get(prep, "escrow"),
	    "served escrow file", e) == -1)
		return fail("the served escrow file does not parse");
	if (client_first_line(argv[2], 1024, "passphrase file", &pass,
	    &passlen) == -1 || client_adminkey_load(argv[1], pass, passlen,
	    k) == -1)
		return fail("cannot open the operator's key");
	index = strtoul(argv[3], NULL, 10);
	if (index < 1 || index > e->n)
		return fail("no such holder");
	/* The swap: Y and the commitments stay, so the file is consistent,
	 * its id and fingerprint unchanged. Holder signatures no longer
	 * verify, so the operator leaves them out. */
	memcpy(e->holders[index - 1].sign_pk, k->sign_pk, 32);
	memcpy(e->holders[index - 1].box_pk, k->box_pk, 32);
	memset(e->signed_by, 0, sizeof(e->signed_by));
	if (client_escrow_rehash(e) == -1 || client_escrow_consistent(e) == -1)
		return fail("the swapped file is not consistent");
	ref = json_string_value(json_object_get(prep, "case"));
	crypto_random(b, sizeof(b));
	for (i = 0; i < 8; i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
	core_time_iso(now, created);
	core_time_iso(now + 3600, expires);
	memset(&d, 0, sizeof(d));
	d.case_ref = ref;
	d.request = id;
	d.account = argv[4];
	d.reason = "Pemeriksaan rutin";
	d.legal_basis = "UU 31/1999";
	d.created_at = created;
	d.expires_at = expires;
	d.generation = (uint32_t)json_integer_value(json_object_get(prep,
	    "holders_generation"));
	d.requester = (unsigned)index;
	memcpy(d.config, e->config, 32);
	if (client_json_get_b64(prep, "R", d.R, 32, "disclosure data") == -1)
		return 1;
	crypto_random(d.nonce, sizeof(d.nonce));
	/* A blinding the operator knows: rho from its own key. */
	if (crypto_disclosure_blind(k->box_sk, &d, rho, proof) == -1)
		return fail("cannot blind");
	crypto_disclosure_request_digest(&d, proof, digest);
	crypto_sign_msg(k->sign_sk, digest, 32, sig);
	esc = client_escrow_json(e);
	view = json_pack("{s:s, s:s, s:s, s:{s:i, s:s, s:i}, s:I, s:I, s:I,"
	    " s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:O, s:[],"
	    " s:n, s:i, s:i}",
	    "request", id, "case", ref, "state", "pending", "requester",
	    "user", 1, "username", argv[4], "index", (int)index,
	    "generation", json_integer_value(json_object_get(prep,
	    "generation")), "holders_generation", (json_int_t)d.generation,
	    "threshold", (json_int_t)e->threshold, "reason", d.reason,
	    "legal_basis", d.legal_basis, "created_at", created, "expires_at",
	    expires, "nonce", b64(d.nonce, 16), "R", b64(d.R, 32),
	    "blind_key", b64(d.P, 32), "blinded", b64(d.Rb, 32),
	    "blind_proof", b64(proof, 64), "request_signature", b64(sig, 64),
	    "escrow", esc, "approvals", "denial", "approvals_count", 0,
	    "approvals_needed", (int)e->threshold - 1);
	rec = json_pack("{s:s, s:s, s:i, s:I, s:I, s:I, s:i, s:s, s:i, s:s,"
	    " s:s, s:s, s:I, s:I, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:[],"
	    " s:n}",
	    "id", id, "case", ref, "seq", 1, "generation",
	    json_integer_value(json_object_get(prep, "generation")),
	    "holders_generation", (json_int_t)d.generation, "threshold",
	    (json_int_t)e->threshold, "requester", 1, "requester_username",
	    argv[4], "requester_index", (int)index, "reason", d.reason,
	    "legal_basis", d.legal_basis, "state", "pending", "created_at",
	    (json_int_t)now, "expires_at", (json_int_t)(now + 3600),
	    "decided_at", 0, "nonce", b64(d.nonce, 16), "R", b64(d.R, 32),
	    "blind_key", b64(d.P, 32), "blinded", b64(d.Rb, 32),
	    "blind_proof", b64(proof, 64), "signature", b64(sig, 64),
	    "approvals", "denial");
	if (view == NULL || rec == NULL || write_json(argv[5], "view.json",
	    view) == -1 || write_json(argv[5], "record.json", rec) == -1 ||
	    write_json(argv[5], "escrow.pub", esc) == -1)
		return fail("cannot write the forgery");
	printf("%s\n", id);
	crypto_wipe(rho, sizeof(rho));
	crypto_secret_free(pass);
	crypto_secret_free(k);
	json_decref(view);
	json_decref(rec);
	json_decref(esc);
	json_decref(prep);
	free(e);
	return 0;
}

struct db {
	enum store_table	 table;
	uint8_t			 key[STORE_KEY_MAX];
	size_t			 klen;
	char			*val;
	size_t			 vlen;
};

static int
db_key(const char *table, const char *key, struct db *d)
{
	size_t i;

	if (strcmp(table, "meta") == 0) {
		d->table = STORE_T_META;
		d->klen = strlen(key);
		if (d->klen == 0 || d->klen > sizeof(d->key))
			return -1;
		memcpy(d->key, key, d->klen);
		return 0;
	}
	if (strcmp(table, "disclosures") != 0 || strlen(key) != 16)
		return -1;
	d->table = STORE_T_DISCLOSURES;
	d->klen = 8;
	for (i = 0; i < 8; i++) {
		unsigned v;

		if (sscanf(key + 2 * i, "%2x", &v) != 1)
			return -1;
		d->key[i] = (uint8_t)v;
	}
	return 0;
}

static int
db_get_job(struct store_txn *txn, void *arg)
{
	struct db	*d = arg;
	const void	*v;
	size_t		 vlen;
	int		 rc;

	if ((rc = store_get(txn, d->table, d->key, d->klen, &v, &vlen)) !=
	    STORE_OK)
		return rc;
	if (vlen < 1 || ((const uint8_t *)v)[0] != RECORD_V1)
		return STORE_CORRUPT;
	fwrite((const char *)v + 1, 1, vlen - 1, stdout);
	putchar('\n');
	return STORE_OK;
}

static int
db_put_job(struct store_txn *txn, void *arg)
{
	struct db *d = arg;

	return store_put(txn, d->table, d->key, d->klen, d->val, d->vlen, 0);
}

static int
db(int put, char **argv)
{
	struct store	*s = NULL;
	struct db	 d;
	json_t		*j;
	json_error_t	 jerr;
	char		*text;
	int		 rc;

	memset(&d, 0, sizeof(d));
	if (db_key(argv[1], argv[2], &d) == -1)
		return fail("bad table or key");
	if (store_open(argv[0], 0, &s) != STORE_OK)
		return fail("cannot open the data directory (is bisikd stopped?)");
	if (!put)
		rc = store_read(s, db_get_job, &d);
	else {
		if ((j = json_load_file(argv[3], 0, &jerr)) == NULL ||
		    (text = json_dumps(j, JSON_COMPACT)) == NULL)
			return fail("cannot read the record file");
		d.vlen = strlen(text) + 1;
		if ((d.val = malloc(d.vlen)) == NULL)
			return fail("out of memory");
		d.val[0] = RECORD_V1;
		memcpy(d.val + 1, text, d.vlen - 1);
		rc = store_write(s, db_put_job, &d);
		free(d.val);
		client_mem_free(text);
		json_decref(j);
	}
	store_close(s);
	return rc == STORE_OK ? 0 : fail("the store refused");
}

/* What identity_v1 writes: the record and where. */
struct v1_job {
	uint8_t		 key[8];
	uint8_t		*rec;
	size_t		 len;
};

static int
v1_put_job(struct store_txn *txn, void *arg)
{
	struct v1_job *j = arg;

	return store_put(txn, STORE_T_IDENTITY, j->key, 8, j->rec, j->len, 0);
}

static int
identity_v1(char **argv)
{
	crypto_generichash_state st;
	struct store	*s = NULL;
	struct v1_job	 j;
	uint8_t		 Y[32], r[32], R[32], S[32], k[32];
	uint8_t		 msg[CRYPTO_IDENTITY_MAX], *b;
	unsigned long	 seq, gen;
	size_t		 ylen, mlen;
	FILE		*f;
	int		 rc;

	seq = strtoul(argv[1], NULL, 10);
	gen = strtoul(argv[3], NULL, 10);
	if (crypto_b64_decode(argv[2], strlen(argv[2]), Y, sizeof(Y),
	    &ylen) == -1 || ylen != sizeof(Y) || seq == 0 || gen == 0)
		return fail("bad sequence number, key or generation");
	if ((f = fopen(argv[4], "r")) == NULL)
		return fail("cannot read the identity file");
	mlen = fread(msg, 1, sizeof(msg), f);
	fclose(f);
	while (mlen > 0 && msg[mlen - 1] == '\n')
		mlen--;
	j.len = 1 + 4 + CRYPTO_IDENTITY_V1_OVERHEAD + mlen;
	if ((j.rec = malloc(j.len)) == NULL)
		return fail("out of memory");
	store_be64_put(j.key, seq);
	j.rec[0] = 0x01;
	store_be32_put(j.rec + 1, (uint32_t)gen);
	b = j.rec + 5;
	crypto_core_ristretto255_scalar_random(r);
	if (crypto_scalarmult_ristretto255_base(R, r) != 0 ||
	    crypto_scalarmult_ristretto255(S, r, Y) != 0)
		return fail("not a valid escrow key");
	crypto_generichash_init(&st, (const unsigned char *)"bisik-identity-v1",
	    17, sizeof(k));
	crypto_generichash_update(&st, S, 32);
	crypto_generichash_update(&st, R, 32);
	crypto_generichash_update(&st, Y, 32);
	crypto_generichash_final(&st, k, sizeof(k));
	b[0] = 0x01;
	memcpy(b + 1, R, 32);
	randombytes_buf(b + 33, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(b + 57, NULL, msg, mlen, R,
	    32, NULL, b + 33, k);
	if (store_open(argv[0], 0, &s) != STORE_OK)
		return fail("cannot open the data directory (is bisikd stopped?)");
	rc = store_write(s, v1_put_job, &j);
	store_close(s);
	free(j.rec);
	return rc == STORE_OK ? 0 : fail("the store refused");
}

int
main(int argc, char **argv)
{
	if (crypto_init() == -1 || client_alloc_init() == -1)
		return fail("cannot start");
	if (argc == 8 && strcmp(argv[1], "forge") == 0)
		return forge(argv + 2);
	if (argc == 5 && strcmp(argv[1], "get") == 0)
		return db(0, argv + 2);
	if (argc == 6 && strcmp(argv[1], "put") == 0)
		return db(1, argv + 2);
	if (argc == 7 && strcmp(argv[1], "identity-v1") == 0)
		return identity_v1(argv + 2);
	return fail("usage: forge PREP KEY PASS INDEX USER OUTDIR | get DATA "
	    "TABLE KEY | put DATA TABLE KEY FILE | identity-v1 DATA SEQ Y GEN "
	    "FILE");
}
