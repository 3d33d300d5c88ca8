/*
 * server_audit_test.c: the audit chain (server/audit.c, crypto/audit.c)
 * against a real LMDB store in a temporary directory with real keys.
 *
 * Entries are appended in real durable write jobs; then an attacker with
 * write access to the database (but not to the audit key) edits the audit
 * table directly with store_put/store_del: flips a byte of one entry,
 * deletes one, swaps two, cuts the tail, cuts the tail and forges the
 * head, signs a head with another key, rolls the head back, rewrites an
 * entry and re-hashes everything after it. Each time the verifier must
 * name the first broken entry and the reason. Between scenarios the
 * original records are put back and the chain must verify again.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server.h"
#include "tests/unit/tap.h"

#define N		12
#define T0		1780000000	/* 2026-05-28 */
#define HEAD_KEY	"audit.head"
#define VAL_MAX		(1 + CRYPTO_HASH_BYTES + SRV_AUDIT_ENTRY_MAX)

static char		 dir[] = "/tmp/bisik-audit-XXXXXX";
static struct srv_keys	 keys;
static struct store	*st;

/* The records as written, to restore between scenarios. */
static uint8_t	orig[N + 1][VAL_MAX];
static size_t	orig_len[N + 1];
static uint8_t	orig_head[256];
static size_t	orig_head_len;
static uint8_t	head8[256];		/* the head when entry 8 was last */
static size_t	head8_len;

/* The first occurrence of needle in a buffer, or NULL (memmem is a GNU
 * extension). */
static char *
find(const void *hay, size_t len, const char *needle, size_t nlen)
{
	const char	*h = hay;
	size_t		 i;

	for (i = 0; nlen > 0 && i + nlen <= len; i++)
		if (memcmp(h + i, needle, nlen) == 0)
			return (char *)(uintptr_t)(h + i);
	return NULL;
}

/* ---- jobs ------------------------------------------------------------------ */

struct append_job {
	int		 i;
	json_t		*detail;
	int		 fail_after;	/* append, then refuse the job */
};

static int
append_job(struct store_txn *txn, void *arg)
{
	struct append_job	*j = arg;
	char			 ref[32];
	int			 rc;

	snprintf(ref, sizeof(ref), "BSK-2026-%06d", j->i);
	rc = srv_audit_append(txn, &keys, T0 + j->i, "central_admin:1",
	    "case.dispose", ref, NULL, j->detail);
	if (rc == STORE_OK && j->fail_after)
		return STORE_CONFLICT;
	return rc;
}

static int
append(int i, json_t *detail, int fail_after)
{
	struct append_job j = { i, detail, fail_after };

	return store_write(st, append_job, &j);
}

struct raw {
	enum store_table	 t;
	uint8_t			 key[64];
	size_t			 klen;
	uint8_t			*val;
	size_t			 vlen;
	int			 del;
};

static int
raw_get_job(struct store_txn *txn, void *arg)
{
	struct raw	*r = arg;
	const void	*v;
	int		 rc;

	if ((rc = store_get(txn, r->t, r->key, r->klen, &v, &r->vlen)) !=
	    STORE_OK)
		return rc;
	memcpy(r->val, v, r->vlen);
	return STORE_OK;
}

static int
raw_put_job(struct store_txn *txn, void *arg)
{
	struct raw *r = arg;

	if (r->del) {
		int rc = store_del(txn, r->t, r->key, r->klen);

		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	}
	return store_put(txn, r->t, r->key, r->klen, r->val, r->vlen, 0);
}

static void
entry_key(struct raw *r, uint64_t seq)
{
	memset(r, 0, sizeof(*r));
	r->t = STORE_T_AUDIT;
	store_be64_put(r->key, seq);
	r->klen = 8;
}

static void
head_key(struct raw *r)
{
	memset(r, 0, sizeof(*r));
	r->t = STORE_T_META;
	memcpy(r->key, HEAD_KEY, strlen(HEAD_KEY));
	r->klen = strlen(HEAD_KEY);
}

static int
get_entry(uint64_t seq, uint8_t *val, size_t *len)
{
	struct raw r;

	entry_key(&r, seq);
	r.val = val;
	if (store_read(st, raw_get_job, &r) != STORE_OK)
		return -1;
	*len = r.vlen;
	return 0;
}

static int
get_head(uint8_t *val, size_t *len)
{
	struct raw r;

	head_key(&r);
	r.val = val;
	if (store_read(st, raw_get_job, &r) != STORE_OK)
		return -1;
	*len = r.vlen;
	return 0;
}

static int
put_entry(uint64_t seq, const uint8_t *val, size_t len)
{
	struct raw r;

	entry_key(&r, seq);
	r.val = (uint8_t *)(uintptr_t)val;
	r.vlen = len;
	return store_write(st, raw_put_job, &r) == STORE_OK ? 0 : -1;
}

static int
del_entry(uint64_t seq)
{
	struct raw r;

	entry_key(&r, seq);
	r.del = 1;
	return store_write(st, raw_put_job, &r) == STORE_OK ? 0 : -1;
}

static int
put_head(const uint8_t *val, size_t len)
{
	struct raw r;

	head_key(&r);
	r.val = (uint8_t *)(uintptr_t)val;
	r.vlen = len;
	return store_write(st, raw_put_job, &r) == STORE_OK ? 0 : -1;
}

static int
del_head(void)
{
	struct raw r;

	head_key(&r);
	r.del = 1;
	return store_write(st, raw_put_job, &r) == STORE_OK ? 0 : -1;
}

/* Puts every original record and the head back, drops later entries. */
static int
restore(void)
{
	int i, ok = 0;

	for (i = 1; i <= N; i++)
		ok |= put_entry((uint64_t)i, orig[i], orig_len[i]);
	for (i = N + 1; i <= N + 3; i++)
		ok |= del_entry((uint64_t)i);
	ok |= put_head(orig_head, orig_head_len);
	return ok;
}

/* ---- verifying --------------------------------------------------------------- */

struct verify {
	const uint8_t			*pk;
	struct crypto_audit_check	 c;
	char				 msg[256];
};

static int
verify_job(struct store_txn *txn, void *arg)
{
	struct verify *v = arg;

	return srv_audit_verify(txn, v->pk, &v->c);
}

static struct verify v;

/* Verifies; the outcome in v (v.c.fault, v.c.seq, v.msg). */
static int
verify(void)
{
	memset(&v, 0, sizeof(v));
	v.pk = keys.audit_pk;
	if (store_read(st, verify_job, &v) != STORE_OK)
		return -1;
	crypto_audit_describe(&v.c, v.msg, sizeof(v.msg));
	return 0;
}

static int
faults(int fault, uint64_t seq, const char *words)
{
	if (verify() == -1)
		return 0;
	if (v.c.fault != fault || v.c.seq != seq ||
	    strstr(v.msg, words) == NULL) {
		printf("# got fault %d at %llu: %s\n", v.c.fault,
		    (unsigned long long)v.c.seq, v.msg);
		return 0;
	}
	printf("# %s\n", v.msg);
	return 1;
}

static int
intact(uint64_t count)
{
	char want[64];

	snprintf(want, sizeof(want), "audit chain intact: %llu entries",
	    (unsigned long long)count);
	return faults(CRYPTO_AUDIT_INTACT, 0, want) && v.c.count == count;
}

/* ---- tests ----------------------------------------------------------------- */

static void
test_append(void)
{
	uint8_t		 val[VAL_MAX], h[CRYPTO_HASH_BYTES], prev[32];
	size_t		 len;
	const char	*text;
	json_t		*d, *big;
	char		*pad;
	int		 i, ok = 1;

	CHECK(intact(0), "an empty log verifies (no head yet)");
	for (i = 1; i <= N && ok; i++) {
		d = json_pack("{s:s, s:s, s:i}", "from", "submitted", "to",
		    "dispositioned", "n", i);
		ok = append(i, d, 0) == STORE_OK;
		json_decref(d);
		if (i == 8)
			ok = ok && get_head(head8, &head8_len) == 0;
	}
	CHECK(ok, "12 entries appended in durable write jobs");
	CHECK(intact(N), "the chain of 12 verifies");

	/* The stored layout: 0x01 ‖ h_n ‖ canonical JSON, keys sorted,
	 * compact, ASCII only. */
	ok = get_entry(1, val, &len) == 0 && val[0] == SRV_RECORD_V1;
	text = (const char *)val + 33;
	CHECK(ok && len > 33 && strncmp(text, "{\"action\":\"case.dispose\","
	    "\"actor\":\"central_admin:1\",\"at\":\"2026-05-28T", 67) == 0 &&
	    memchr(text, ' ', len - 33) == NULL,
	    "an entry is the canonical JSON with sorted keys");
	memset(prev, 0, sizeof(prev));
	crypto_audit_link(prev, text, len - 33, h);
	CHECK(ok && memcmp(h, val + 1, 32) == 0,
	    "h_1 = BLAKE2b-256(32 zero bytes || entry 1)");
	CHECK(get_head(val, &len) == 0 && len == 1 + 8 + 32 + 64 &&
	    store_be64_get(val + 1) == N &&
	    crypto_audit_head_verify(keys.audit_pk, N, val + 9, val + 41) == 0,
	    "the head holds seq 12, h_12 and a valid signature");
	memcpy(orig_head, val, len);
	orig_head_len = len;
	for (i = 1; i <= N; i++)
		if (get_entry((uint64_t)i, orig[i], &orig_len[i]) == -1)
			ok = 0;
	CHECK(ok, "the records are kept for restoring");

	/* A job that fails takes its entry with it. */
	CHECK(append(99, NULL, 1) == STORE_CONFLICT && intact(N),
	    "an entry of a refused job is rolled back with it");
	/* Free text never fits: an oversized entry is refused. */
	pad = malloc(SRV_AUDIT_ENTRY_MAX + 1);
	memset(pad, 'x', SRV_AUDIT_ENTRY_MAX);
	pad[SRV_AUDIT_ENTRY_MAX] = '\0';
	big = json_pack("{s:s}", "note", pad);
	CHECK(append(98, big, 0) == STORE_INVALID && intact(N),
	    "an entry over SRV_AUDIT_ENTRY_MAX is refused, nothing changes");
	json_decref(big);
	free(pad);
}

static int
no_keys_job(struct store_txn *txn, void *arg)
{
	(void)arg;
	return srv_audit_append(txn, NULL, T0, "system", "x", NULL, NULL,
	    NULL);
}

static void
test_no_keys(void)
{
	char err[256];

	CHECK(store_write(st, no_keys_job, NULL) == STORE_INVALID &&
	    intact(N), "no audit key: the change is refused");
	srv_audit_init(NULL);
	CHECK(srv_directory_agency_put(st, "dinas-x", "Dinas X", NULL, NULL,
	    err, sizeof(err)) == -1 && intact(N),
	    "an offline command without the audit key changes nothing");
}

static void
test_tamper(void)
{
	uint8_t	val[VAL_MAX], h[CRYPTO_HASH_BYTES], head[256];
	uint8_t	other_sk[CRYPTO_SIGN_SK_BYTES], other_pk[32], seed[32];
	size_t	len, i;
	char	*p;
	int	s;

	/* 1. One byte of entry 5's text. */
	memcpy(val, orig[5], orig_len[5]);
	p = find(val + 33, orig_len[5] - 33, "dispose", 7);
	if (p != NULL)
		p[0] = 'D';
	CHECK(p != NULL && put_entry(5, val, orig_len[5]) == 0 &&
	    faults(CRYPTO_AUDIT_HASH, 5,
	    "audit entry 5 does not match the chain: its hash differs"),
	    "a flipped byte in entry 5 is named");
	CHECK(restore() == 0 && intact(N), "restored");

	/* A flipped byte in the stored hash itself. */
	memcpy(val, orig[3], orig_len[3]);
	val[10] ^= 0x01;
	CHECK(put_entry(3, val, orig_len[3]) == 0 &&
	    faults(CRYPTO_AUDIT_HASH, 3, "audit entry 3 does not match"),
	    "a flipped byte in entry 3's stored hash is named");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 2. Entry 7 deleted. */
	CHECK(del_entry(7) == 0 && faults(CRYPTO_AUDIT_MISSING, 7,
	    "audit entry 7 is missing"), "a deleted entry 7 is named");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 3. Entries 4 and 5 swapped. */
	CHECK(put_entry(4, orig[5], orig_len[5]) == 0 &&
	    put_entry(5, orig[4], orig_len[4]) == 0 &&
	    faults(CRYPTO_AUDIT_ORDER, 4, "audit entry 4 is out of order: the "
	    "entry stored there is entry 5"), "swapped entries 4 and 5 are "
	    "named");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 4. The tail cut (10..12), the head left. */
	CHECK(del_entry(12) == 0 && del_entry(11) == 0 && del_entry(10) == 0 &&
	    faults(CRYPTO_AUDIT_TRUNCATED, 10, "audit entry 10 is missing: "
	    "the signed head is entry 12"), "a cut tail is named (first "
	    "missing entry 10)");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 5. The tail cut and the head rewritten to the new end without the
	 * key: no valid signature. */
	head[0] = SRV_RECORD_V1;
	store_be64_put(head + 1, 9);
	memcpy(head + 9, orig[9] + 1, 32);
	memcpy(head + 41, orig_head + 41, 64);	/* the old signature */
	CHECK(del_entry(12) == 0 && del_entry(11) == 0 && del_entry(10) == 0 &&
	    put_head(head, 105) == 0 && faults(CRYPTO_AUDIT_SIGNATURE, 9,
	    "the audit head (entry 9) does not verify with the audit key"),
	    "a cut tail with a rewritten head is named (signature)");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 6. A head signed by another key (the attacker's own). */
	crypto_random(seed, sizeof(seed));
	s = crypto_sign_from_seed(seed, other_pk, other_sk);
	memcpy(head, orig_head, orig_head_len);
	crypto_audit_head_sign(other_sk, N, orig_head + 9, head + 41);
	CHECK(s == 0 && put_head(head, orig_head_len) == 0 &&
	    faults(CRYPTO_AUDIT_SIGNATURE, N, "does not verify with the audit "
	    "key"), "a head signed by another key is named");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 7. The head rolled back to an older, validly signed one. */
	CHECK(put_head(head8, head8_len) == 0 &&
	    faults(CRYPTO_AUDIT_EXTRA, 9, "audit entry 9 comes after the "
	    "signed head (entry 8)"), "a rolled-back head is named (first "
	    "entry after it)");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 8. Entry 5 rewritten and every later hash recomputed: the chain
	 * is consistent, but the signed head vouches for other bytes. */
	memcpy(h, orig[4] + 1, 32);
	for (i = 5; i <= N; i++) {
		memcpy(val, orig[i], orig_len[i]);
		if (i == 5 && (p = find(val + 33, orig_len[5] - 33,
		    "dispose", 7)) != NULL)
			p[0] = 'D';
		crypto_audit_link(h, val + 33, orig_len[i] - 33, val + 1);
		memcpy(h, val + 1, 32);
		if (put_entry(i, val, orig_len[i]) == -1)
			break;
	}
	CHECK(i == N + 1 && faults(CRYPTO_AUDIT_HEAD_HASH, N,
	    "audit entry 12 does not match the signed head"),
	    "a rewritten and re-hashed chain is named at the head");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 9. The head deleted. */
	CHECK(del_head() == 0 && faults(CRYPTO_AUDIT_NO_HEAD, 1,
	    "the audit head is missing"), "a deleted head is named");
	CHECK(append(50, NULL, 0) != STORE_OK,
	    "with the head gone nothing can be appended (no fork at 1)");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 10. A damaged record (unknown version byte). */
	memcpy(val, orig[6], orig_len[6]);
	val[0] = 0x7f;
	CHECK(put_entry(6, val, orig_len[6]) == 0 &&
	    faults(CRYPTO_AUDIT_DAMAGED, 6, "audit entry 6 does not match the "
	    "chain: its record is damaged"), "a damaged record is named");
	CHECK(restore() == 0 && intact(N), "restored");

	/* 11. An entry added after the head without the key. */
	memcpy(val, orig[N], orig_len[N]);
	CHECK(put_entry(N + 1, val, orig_len[N]) == 0 &&
	    faults(CRYPTO_AUDIT_ORDER, N + 1, "audit entry 13 is out of order"),
	    "a copied entry appended after the head is named");
	CHECK(restore() == 0 && intact(N), "restored");

	/* And the chain goes on after all that. */
	CHECK(append(13, NULL, 0) == STORE_OK && intact(N + 1),
	    "appending continues the restored chain");
	(void)len;
}

/* Offline commands: actor "operator", ids only, never the username. */
struct scan {
	int	 found;
	int	 named;
	int	 operator;
};

static int
scan_entry(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct scan	*s = arg;
	const uint8_t	*hash;
	const char	*text;
	uint64_t	 seq;
	size_t		 len;

	if (srv_audit_entry(key, klen, val, vlen, &seq, &hash, &text,
	    &len) == -1)
		return STORE_CORRUPT;
	if (find(text, len, "\"user.add\"", 10) != NULL) {
		s->found++;
		if (find(text, len, "\"actor\":\"operator\"", 18) != NULL)
			s->operator++;
	}
	if (find(text, len, "rahasia", 7) != NULL)
		s->named++;
	return 0;
}

static int
scan_job(struct store_txn *txn, void *arg)
{
	return store_each(txn, STORE_T_AUDIT, NULL, 0, NULL, 0, scan_entry,
	    arg);
}

static void
test_offline(void)
{
	struct scan	s;
	char		err[256];
	uint64_t	id;

	memset(&s, 0, sizeof(s));
	srv_audit_init(&keys);
	CHECK(srv_directory_agency_put(st, "dinas-y", "Dinas Y", NULL, NULL,
	    err,
	    sizeof(err)) == 0 && srv_users_add(st, "pak.rahasia", "auditor",
	    NULL, "a long enough password", 22, T0, &id, err, sizeof(err)) ==
	    0 && srv_users_disable(st, "pak.rahasia", err, sizeof(err)) == 0 &&
	    intact(N + 4), "agency add, user add and disable are audited");
	CHECK(store_read(st, scan_job, &s) == STORE_OK && s.found == 1 &&
	    s.operator == 1 && s.named == 0,
	    "by \"operator\", naming the user by id, never by username");
}

/* ---- the API ------------------------------------------------------------------- */

static unsigned
call(struct srv_ctx *ctx, srv_handler fn, const char *body, const char *token,
    json_t **out)
{
	struct srv_request	rq;
	struct srv_reply	rp;
	char			auth[160];

	memset(&rq, 0, sizeof(rq));
	memset(&rp, 0, sizeof(rp));
	rq.method = body != NULL ? "POST" : "GET";
	rq.path = "/api/v1/audit";
	rq.body = body != NULL ? body : "";
	rq.len = strlen(rq.body);
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		rq.authorization = auth;
	}
	rq.content_type = "application/json";
	rq.now = time(NULL);
	fn(ctx, &rq, &rp);
	*out = rp.body;
	return rp.status;
}

struct many {
	int	n;
};

static int
many_job(struct store_txn *txn, void *arg)
{
	struct many	*m = arg;
	int		 i, rc = STORE_OK;

	for (i = 0; i < m->n && rc == STORE_OK; i++)
		rc = srv_audit_append(txn, &keys, T0 + i, "system", "test.many",
		    NULL, NULL, NULL);
	return rc;
}

static void
test_api(void)
{
	struct srv_ctx		 ctx;
	struct srv_config	 cfg;
	struct many		 m = { SRV_AUDIT_PAGE };
	char			 err[256], tok[160], body[160];
	const char		*hex, *text;
	uint8_t			 zero[32], h[32];
	char			 want[65];
	json_t			*o = NULL, *e;
	unsigned		 st_;
	size_t			 i;

	srv_config_defaults(&cfg);
	ctx.store = st;
	ctx.keys = &keys;
	ctx.cfg = &cfg;
	srv_auth_init();
	snprintf(body, sizeof(body), "{\"username\":\"aud.api\","
	    "\"password\":\"a long enough password\"}");
	if (srv_users_add(st, "aud.api", "auditor", NULL,
	    "a long enough password", 22, T0, NULL, err, sizeof(err)) == -1 ||
	    call(&ctx, api_auth_login, body, NULL, &o) != 200 ||
	    json_string_value(json_object_get(o, "session")) == NULL) {
		CHECK(0, "auditor signs in");
		json_decref(o);
		srv_config_free(&cfg);
		return;
	}
	snprintf(tok, sizeof(tok), "%s",
	    json_string_value(json_object_get(o, "session")));
	json_decref(o);
	CHECK(store_write(st, many_job, &m) == STORE_OK &&
	    intact(N + 6 + SRV_AUDIT_PAGE), "1000 more entries in one job");

	st_ = call(&ctx, api_audit_list, NULL, NULL, &o);
	json_decref(o);
	CHECK(st_ == 401, "GET /audit without a session: 401");
	st_ = call(&ctx, api_audit_list, NULL, tok, &o);
	e = json_object_get(o, "entries");
	CHECK(st_ == 200 && json_array_size(e) == SRV_AUDIT_PAGE &&
	    json_integer_value(json_object_get(json_array_get(e, 0), "seq")) ==
	    1 && json_integer_value(json_object_get(json_array_get(e,
	    SRV_AUDIT_PAGE - 1), "seq")) == SRV_AUDIT_PAGE,
	    "GET /audit: a page is entries 1..1000 of more");
	/* The client recomputes from "canonical" alone. */
	memset(zero, 0, sizeof(zero));
	hex = json_string_value(json_object_get(json_array_get(e, 0), "hash"));
	text = json_string_value(json_object_get(json_array_get(e, 0),
	    "canonical"));
	if (text != NULL)
		crypto_audit_link(zero, text, strlen(text), h);
	for (i = 0; i < 32; i++)
		snprintf(want + 2 * i, 3, "%02x", h[i]);
	CHECK(hex != NULL && text != NULL && strcmp(hex, want) == 0,
	    "an entry's hash is BLAKE2b-256(h_0 || canonical)");
	json_decref(o);
	/* A stored entry that is not UTF-8 is served as its bytes. */
	{
		uint8_t	val[VAL_MAX];
		size_t	len;

		memcpy(val, orig[2], orig_len[2]);
		len = orig_len[2];
		val[40] = 0xff;
		st_ = put_entry(2, val, len) == 0 ? call(&ctx, api_audit_list,
		    NULL, tok, &o) : 0;
		e = json_array_get(json_object_get(o, "entries"), 1);
		CHECK(st_ == 200 && json_is_string(json_object_get(e,
		    "canonical_base64")) && json_object_get(e, "canonical") ==
		    NULL && json_integer_value(json_object_get(e, "seq")) == 2,
		    "an entry that is not UTF-8 comes as canonical_base64");
		json_decref(o);
		CHECK(put_entry(2, orig[2], orig_len[2]) == 0 &&
		    intact(N + 6 + SRV_AUDIT_PAGE), "restored");
	}
	st_ = call(&ctx, api_audit_head, NULL, tok, &o);
	CHECK(st_ == 200 && json_integer_value(json_object_get(o, "seq")) ==
	    N + 6 + SRV_AUDIT_PAGE && json_is_string(json_object_get(o,
	    "signature")), "GET /audit/head: the signed head");
	json_decref(o);
	srv_config_free(&cfg);
}

int
main(void)
{
	char cmd[PATH_MAX + 16];

	if (crypto_init() == -1 || mkdtemp(dir) == NULL) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	core_json_wipe_on_free();
	srv_log_set_level(LOG_ERR);
	if (srv_keys_create(dir) == -1 || srv_keys_load(dir, &keys) == -1 ||
	    store_open(dir, STORE_CREATE, &st) != STORE_OK) {
		fprintf(stderr, "store setup failed\n");
		return 1;
	}
	test_append();
	test_no_keys();
	test_tamper();
	test_offline();
	test_api();

	store_close(st);
	srv_keys_free(&keys);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tap_done();
}
