/*
 * server_disclose_test.c: the server's side of escrow generations and of
 * the disclosure settings, against a real LMDB store with real keys.
 *
 * `bisikd escrow set` of a reshared (version 2) file: its record is
 * checked against the public data (a dealer's first commitment must be
 * its retired commitment times its Lagrange coefficient; each new
 * commitment the sum of the dealings), it becomes a new generation that
 * opens identities sealed under every earlier generation of the same key,
 * and it becomes current only when it reshares the current key. Every
 * file needs every holder's signature over its configuration hash; a
 * resharing must name an installed generation, and its dealers' signatures
 * must verify with that generation's keys; installing it voids the
 * pending requests of the holders it retires. The config key
 * "disclosure_ttl_hours" at and past its edges. srv_disclose_each(): id
 * order, damaged records passed over, a callback's stop and error, and
 * its bound of SRV_DISCLOSURES_SCAN_MAX records at and past the edge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server.h"
#include "tests/unit/tap.h"

static char		 dir[] = "/tmp/bisik-disclose-XXXXXX";
static struct srv_keys	 keys;
static struct store	*st;

/* One ceremony made here: Y, shares and commitments of a 2-of-3 split,
 * and its holders' admin keys. */
struct split {
	uint8_t			Y[32];
	uint8_t			share[3][32];
	uint8_t			com[3][32];
	struct crypto_admin_key	k[3];
};
/* The new holders of every resharing here. */
static struct crypto_admin_key	newk[4];

static json_t *
b64(const void *p, size_t len)
{
	char buf[256];

	crypto_b64_encode(p, len, buf);
	return json_string(buf);
}

static json_t *
b64_random(size_t len)
{
	uint8_t	buf[128];

	crypto_random(buf, len);
	return b64(buf, len);
}

static json_t *
id_of(const uint8_t Y[32])
{
	static const char	 hex[] = "0123456789abcdef";
	struct crypto_part	 part = { Y, 32 };
	uint8_t			 h[32];
	char			 id[17];
	int			 i;

	crypto_hash_parts("bisik-escrow-id-v1", &part, 1, h);
	for (i = 0; i < 8; i++) {
		id[2 * i] = hex[h[i] >> 4];
		id[2 * i + 1] = hex[h[i] & 0xf];
	}
	id[16] = '\0';
	return json_string(id);
}

/* The configuration hash of a file as the server reads it. */
static int
config_of(const json_t *f, uint8_t h[32])
{
	struct crypto_escrow_config	*c = malloc(sizeof(*c));
	char				 err[256];
	int				 rc = -1;

	if (c != NULL && srv_escrow_gen_parse(f, c, err, sizeof(err)) == 0 &&
	    crypto_escrow_config_hash(c, h) == 0)
		rc = 0;
	free(c);
	return rc;
}

/* Adds the signatures of holders keys[0..n-1] over f's configuration. */
static void
sign_file(json_t *f, const struct crypto_admin_key *ks, int n)
{
	json_t	*sigs = json_array();
	uint8_t	 h[32], sig[64];
	int	 i;

	if (config_of(f, h) != 0)
		return;
	for (i = 0; i < n; i++) {
		crypto_sign_msg(ks[i].sign_sk, h, 32, sig);
		json_array_append_new(sigs, json_pack("{s:i, s:o}", "index",
		    i + 1, "signature", b64(sig, 64)));
	}
	json_object_set_new(f, "holder_signatures", sigs);
}

static json_t *
v1_unsigned(const struct split *s)
{
	json_t	*holders = json_array();
	int	 i;

	for (i = 0; i < 3; i++)
		json_array_append_new(holders, json_pack("{s:i, s:o, s:o, s:o,"
		    " s:o}", "index", i + 1, "sign_key", b64(s->k[i].sign_pk, 32),
		    "box_key", b64(s->k[i].box_pk, 32), "commitment",
		    b64(s->com[i], 32), "sealed_share", b64_random(80)));
	return json_pack("{s:i, s:o, s:i, s:o, s:o}", "bisik_escrow", 1, "id",
	    id_of(s->Y), "threshold", 2, "public_key", b64(s->Y, 32), "holders",
	    holders);
}

static json_t *
v1_file(const struct split *s)
{
	json_t	*f = v1_unsigned(s);

	sign_file(f, s->k, 3);
	return f;
}

/*
 * A resharing of prev (the installed file of s) by holders 1 and 2 to
 * 3-of-4 (newk); new commitments out. `signer` signs as dealer 1 (s->k[0]
 * for an honest file), and retired holder 1 is listed with its keys.
 */
static json_t *
v2_file(const struct split *s, const json_t *prev, uint8_t newcom[4][32],
    const struct crypto_admin_key *signer, int list_signer)
{
	static const unsigned	 dealers[2] = { 1, 2 };
	uint8_t			 sub[4 * 32], com[2][3 * 32], pts[2 * 32];
	uint8_t			 sealed[2][4][80], nkeys[4 * 64], pconf[32];
	uint8_t			 digest[32], sig[64];
	json_t			*holders = json_array(), *dc = json_array();
	json_t			*ds = json_array(), *ret = json_array(), *c, *f;
	unsigned		 i, j, t;

	if (config_of(prev, pconf) != 0)
		return NULL;
	for (j = 0; j < 4; j++) {
		memcpy(nkeys + j * 64, newk[j].sign_pk, 32);
		memcpy(nkeys + j * 64 + 32, newk[j].box_pk, 32);
	}
	for (i = 0; i < 2; i++) {
		if (crypto_reshare_deal(s->share[i], dealers, 2, i + 1, 3, 4, sub,
		    com[i]) != 0)
			return NULL;
		crypto_random(sealed[i], sizeof(sealed[i]));
		c = json_array();
		for (t = 0; t < 3; t++)
			json_array_append_new(c, b64(com[i] + t * 32, 32));
		json_array_append_new(dc, c);
		crypto_reshare_digest(s->Y, pconf, 2, dealers, 2, i + 1, 3, 4,
		    nkeys, com[i], sealed[i][0], digest);
		crypto_sign_msg(i == 0 ? signer->sign_sk : s->k[i].sign_sk,
		    digest, 32, sig);
		json_array_append_new(ds, b64(sig, 64));
	}
	for (j = 0; j < 4; j++) {
		json_t *subs = json_array();

		for (i = 0; i < 2; i++) {
			if (crypto_feldman_eval(com[i], 3, j + 1, pts + i * 32) !=
			    0)
				return NULL;
			json_array_append_new(subs, b64(sealed[i][j], 80));
		}
		if (crypto_point_sum(pts, 2, newcom[j]) != 0)
			return NULL;
		json_array_append_new(holders, json_pack("{s:i, s:o, s:o, s:o,"
		    " s:o}", "index", (int)j + 1, "sign_key",
		    b64(newk[j].sign_pk, 32), "box_key", b64(newk[j].box_pk, 32),
		    "commitment", b64(newcom[j], 32), "sealed_subshares", subs));
	}
	for (i = 0; i < 3; i++)
		json_array_append_new(ret, json_pack("{s:i, s:o, s:o, s:o}",
		    "index", (int)i + 1, "sign_key", b64(i == 0 && list_signer ?
		    signer->sign_pk : s->k[i].sign_pk, 32), "box_key",
		    b64(s->k[i].box_pk, 32), "commitment", b64(s->com[i], 32)));
	f = json_pack("{s:i, s:o, s:i, s:o, s:o, s:{s:o, s:i, s:[i,i], s:o,"
	    " s:o, s:o}}", "bisik_escrow", 2, "id", id_of(s->Y), "threshold", 3,
	    "public_key", b64(s->Y, 32), "holders", holders, "reshare",
	    "previous_config", b64(pconf, 32), "previous_threshold", 2,
	    "dealers", 1, 2, "dealer_commitments", dc, "dealer_signatures", ds,
	    "retired", ret);
	sign_file(f, newk, 4);
	return f;
}

static unsigned	last_voided;

static int
install(json_t *file, uint32_t *gen, char *err, size_t errlen)
{
	struct srv_escrow_result	 r;
	char				*text = json_dumps(file, JSON_COMPACT);
	int				 rc;

	err[0] = '\0';
	rc = srv_escrow_install(st, text, strlen(text), &r, err, errlen);
	core_json_free(text);
	if (rc == 0) {
		*gen = r.generation;
		last_voided = r.voided;
	}
	return rc;
}

struct probe {
	uint32_t		 current, open[5];
	struct srv_generation	 g;
	uint32_t		 load;
};

static int
probe_read(struct store_txn *txn, void *arg)
{
	struct probe		*p = arg;
	struct srv_escrow	 e;
	uint32_t		 g;
	int			 rc;

	p->current = srv_escrow_gen_current(txn, &e) == 0 ? e.generation : 0;
	for (g = 1; g < 5; g++)
		if ((rc = srv_escrow_gen_opener(txn, g,
			&p->open[g])) != STORE_OK) return rc;
	return srv_escrow_gen_load(txn, p->load, &p->g);
}

/* A pending request of generation gen, as disclose.c stores it. */
struct pending {
	uint8_t		key[SRV_DISCLOSURE_ID_BYTES];
	uint32_t	gen;
	char		state[16];
};

static int
pending_put(struct store_txn *txn, void *arg)
{
	struct pending	*p = arg;
	json_t		*rec;
	int		 rc;

	rec = json_pack("{s:s, s:s, s:I, s:I, s:s, s:I, s:[]}", "id",
	    "0102030405060708", "case", "BSK-2026-000001", "generation",
	    (json_int_t)p->gen, "holders_generation", (json_int_t)p->gen,
	    "state", "pending", "expires_at", (json_int_t)(time(NULL) + 3600),
	    "approvals");
	rc = srv_record_put(txn, STORE_T_DISCLOSURES, p->key, sizeof(p->key),
	    rec, 0);
	json_decref(rec);
	return rc;
}

static int
pending_get(struct store_txn *txn, void *arg)
{
	struct pending	*p = arg;
	json_t		*rec;
	int		 rc;

	if ((rc = srv_record_get(txn, STORE_T_DISCLOSURES, p->key,
	    sizeof(p->key), &rec)) != STORE_OK)
		return rc;
	snprintf(p->state, sizeof(p->state), "%s",
	    json_string_value(json_object_get(rec, "state")));
	json_decref(rec);
	return STORE_OK;
}

static void
test_generations(void)
{
	struct split		 a, b, c;
	struct probe		 p;
	struct pending		 pd;
	struct crypto_admin_key	 mal;
	uint8_t			 newcom[4][32];
	uint32_t		 gen = 0;
	json_t			*f, *h, *fa, *fb, *fc;
	char			 err[256];
	int			 i;

	for (i = 0; i < 3; i++) {
		crypto_admin_keygen(&a.k[i]);
		crypto_admin_keygen(&b.k[i]);
		crypto_admin_keygen(&c.k[i]);
	}
	for (i = 0; i < 4; i++)
		crypto_admin_keygen(&newk[i]);
	crypto_admin_keygen(&mal);
	CHECK(crypto_escrow_split(2, 3, a.Y, a.share[0], a.com[0]) == 0 &&
	    crypto_escrow_split(2, 3, b.Y, b.share[0], b.com[0]) == 0 &&
	    crypto_escrow_split(2, 3, c.Y, c.share[0], c.com[0]) == 0,
	    "three 2-of-3 splits");

	/* Every holder signs, or nothing is installed. */
	f = v1_unsigned(&a);
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "have not signed") != NULL,
	    "escrow set: refused without the holders' signatures, saying so");
	sign_file(f, a.k, 2);
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "holder 3") != NULL,
	    "escrow set: refused with holder 3's signature missing, naming "
	    "holder 3");
	json_decref(f);
	f = v1_file(&a);
	json_object_set_new(json_array_get(json_object_get(f, "holders"), 1),
	    "sign_key", b64(mal.sign_pk, 32));
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "does not verify") != NULL,
	    "escrow set: refused when holder 2's key was swapped after "
	    "signing (Y and commitments as they were)");
	json_decref(f);

	fa = v1_file(&a);
	CHECK(install(fa, &gen, err, sizeof(err)) == 0 && gen == 1,
	    "escrow set: key A, signed by its 3 holders, is generation 1");
	fb = v1_file(&b);
	CHECK(install(fb, &gen, err, sizeof(err)) == 0 && gen == 2,
	    "escrow set: key B is generation 2");

	/* Resharing the older key A: recorded, not current. */
	f = v2_file(&a, fa, newcom, &a.k[0], 0);
	CHECK(f != NULL && install(f, &gen, err, sizeof(err)) == 0 && gen == 3,
	    "escrow set: a resharing of key A (3-of-4) is generation 3");
	memset(&p, 0, sizeof(p));
	p.load = 3;
	CHECK(store_read(st, probe_read, &p) == STORE_OK && p.current == 2 &&
	    p.open[1] == 3 && p.open[2] == 2 && p.open[3] == 3,
	    "generation 3 opens generation 1's identities; B stays current");
	CHECK(p.g.threshold == 3 && p.g.n == 4 &&
	    memcmp(p.g.Y, a.Y, 32) == 0 &&
	    memcmp(p.g.holder[3].commitment, newcom[3], 32) == 0,
	    "generation 3 loads: 3-of-4, the same Y, the new commitments");
	srv_escrow_gen_free(&p.g);

	/* Tampering the server can see. */
	h = json_object_get(f, "reshare");
	json_array_set_new(json_array_get(json_object_get(h,
	    "dealer_commitments"), 1), 0, b64(a.com[2], 32));
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "dealer 2") != NULL,
	    "refused: a dealing that is not the dealer's share");
	json_decref(f);
	f = v2_file(&a, fa, newcom, &a.k[0], 0);
	json_object_set_new(json_array_get(json_object_get(f, "holders"), 2),
	    "commitment", b64(newcom[0], 32));
	CHECK(install(f, &gen, err, sizeof(err)) == -1,
	    "refused: a new commitment that does not follow from the dealings");
	json_decref(f);
	f = v2_file(&a, fa, newcom, &a.k[0], 0);
	json_array_remove(json_object_get(json_array_get(json_object_get(f,
	    "holders"), 0), "sealed_subshares"), 0);
	CHECK(install(f, &gen, err, sizeof(err)) == -1,
	    "refused: a holder without a sub-share from each dealer");
	json_decref(f);
	f = v2_file(&a, fa, newcom, &a.k[0], 0);
	json_object_set_new(json_object_get(f, "reshare"), "previous_threshold",
	    json_integer(3));
	CHECK(install(f, &gen, err, sizeof(err)) == -1,
	    "refused: a previous threshold that does not match the dealers");
	json_decref(f);

	/* Dealers are known by the installed generation's keys. */
	f = v2_file(&a, fa, newcom, &mal, 0);
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "dealer 1's signature") != NULL,
	    "refused: dealer 1's signature by a key that is not holder 1's in "
	    "the installed generation");
	json_decref(f);
	f = v2_file(&a, fa, newcom, &mal, 1);
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "retired holder 1") != NULL,
	    "refused: a file that names its own key as retired holder 1 and "
	    "signs with it (it agrees with itself, not with generation 1)");
	json_decref(f);
	fc = v1_file(&c);
	f = v2_file(&c, fc, newcom, &c.k[0], 0);
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "not installed") != NULL,
	    "refused: a resharing of a generation this server never installed");
	json_decref(f);
	json_decref(fc);

	/* Resharing the current key B: current; B's pending request is
	 * voided, since its holders are retired. */
	memset(&pd, 0, sizeof(pd));
	crypto_random(pd.key, sizeof(pd.key));
	pd.gen = 2;
	CHECK(store_write(st, pending_put, &pd) == STORE_OK,
	    "a pending request of generation 2");
	f = v2_file(&b, fb, newcom, &b.k[0], 0);
	CHECK(f != NULL && install(f, &gen, err, sizeof(err)) == 0 && gen == 4,
	    "escrow set: a resharing of key B is generation 4");
	json_decref(f);
	CHECK(last_voided == 1 && store_read(st, pending_get, &pd) ==
	    STORE_OK && strcmp(pd.state, "voided") == 0,
	    "the resharing voided generation 2's pending request");
	memset(&p, 0, sizeof(p));
	p.load = 4;
	CHECK(store_read(st, probe_read, &p) == STORE_OK && p.current == 4 &&
	    p.open[1] == 3 && p.open[2] == 4 && p.open[4] == 4,
	    "generation 4 (same key as current) becomes current and opens "
	    "generation 2's identities");
	srv_escrow_gen_free(&p.g);
	json_decref(fa);
	json_decref(fb);
	for (i = 0; i < 3; i++) {
		crypto_wipe(a.share[i], 32);
		crypto_wipe(b.share[i], 32);
		crypto_wipe(c.share[i], 32);
	}
	crypto_wipe(&mal, sizeof(mal));
}

static void
test_config(void)
{
	static const struct {
		const char	*json;
		int		 ok;
		unsigned	 ttl;
	} cases[] = {
		{ "{}", 1, 72 * 3600 },
		{ "{\"disclosure_ttl_hours\":1}", 1, 3600 },
		{ "{\"disclosure_ttl_hours\":0.5}", 1, 1800 },
		{ "{\"disclosure_ttl_hours\":720}", 1, 720 * 3600 },
		{ "{\"disclosure_ttl_hours\":0.0003}", 1, 1 },
		{ "{\"disclosure_ttl_hours\":0.0002}", 0, 0 },
		{ "{\"disclosure_ttl_hours\":0}", 0, 0 },
		{ "{\"disclosure_ttl_hours\":-1}", 0, 0 },
		{ "{\"disclosure_ttl_hours\":721}", 0, 0 },
		{ "{\"disclosure_ttl_hours\":\"72\"}", 0, 0 },
		{ "{\"disclosure_ttl_hours\":true}", 0, 0 },
	};
	struct srv_config	c;
	char			err[256], name[96];
	size_t			i;
	int			rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		srv_config_defaults(&c);
		err[0] = '\0';
		rc = srv_config_parse(&c, cases[i].json, strlen(cases[i].json),
		    err, sizeof(err));
		snprintf(name, sizeof(name), "config %s: %s", cases[i].json,
		    cases[i].ok ? "accepted" : "refused, naming the key");
		CHECK(cases[i].ok ? rc == 0 && c.disclosure_ttl == cases[i].ttl :
		    rc == -1 && strstr(err, "disclosure_ttl_hours") != NULL,
		    name);
		srv_config_free(&c);
	}
}

/* ---- srv_disclose_each ---------------------------------------------------- */

struct walk {
	size_t		 from, count;	/* records to write: keys from..from+count-1 */
	int		 stop_after;	/* the callback's answer after this many */
	int		 answer;
	size_t		 calls;
	uint64_t	 last;		/* the last key seen, as a number */
	int		 in_order;
};

static void
walk_key(uint64_t n, uint8_t key[SRV_DISCLOSURE_ID_BYTES])
{
	int	i;

	for (i = SRV_DISCLOSURE_ID_BYTES - 1; i >= 0; i--, n >>= 8)
		key[i] = (uint8_t)n;
}

static int
walk_put(struct store_txn *txn, void *arg)
{
	struct walk	*w = arg;
	uint8_t		 key[SRV_DISCLOSURE_ID_BYTES];
	json_t		*rec;
	size_t		 i;
	int		 rc = STORE_OK;

	for (i = w->from; rc == STORE_OK && i < w->from + w->count; i++) {
		walk_key(i, key);
		if ((rec = json_pack("{s:I}", "n", (json_int_t)i)) == NULL)
			return STORE_IO;
		rc = srv_record_put(txn, STORE_T_DISCLOSURES, key, sizeof(key),
		    rec, 0);
		json_decref(rec);
	}
	return rc;
}

static int
walk_fn(const uint8_t key[SRV_DISCLOSURE_ID_BYTES], const json_t *rec,
    void *arg)
{
	struct walk	*w = arg;
	uint64_t	 n = 0;
	int		 i;

	for (i = 0; i < SRV_DISCLOSURE_ID_BYTES; i++)
		n = n << 8 | key[i];
	if ((json_int_t)n != json_integer_value(json_object_get(rec, "n")) ||
	    (w->calls > 0 && n <= w->last))
		w->in_order = 0;
	w->last = n;
	w->calls++;
	return w->stop_after > 0 && w->calls >= (size_t)w->stop_after ?
	    w->answer : 0;
}

static int
walk_read(struct store_txn *txn, void *arg)
{
	struct walk	*w = arg;

	w->calls = 0;
	w->in_order = 1;
	return srv_disclose_each(txn, walk_fn, w);
}

/* A damaged record (another version byte) and a key of another length
 * stand among the records and are never handed to the callback. */
static int
walk_damage(struct store_txn *txn, void *arg)
{
	static const uint8_t	v2[] = { 0x02, '{', '}' };
	uint8_t			key[SRV_DISCLOSURE_ID_BYTES];
	int			rc;

	(void)arg;
	walk_key(1, key);
	if ((rc = store_put(txn, STORE_T_DISCLOSURES, key, sizeof(key), v2,
	    sizeof(v2), 0)) != STORE_OK)
		return rc;
	return store_put(txn, STORE_T_DISCLOSURES, key, sizeof(key) - 1,
	    "\x01{}", 3, 0);
}

static void
test_walk(void)
{
	char		 wdir[] = "/tmp/bisik-walk-XXXXXX", cmd[64];
	struct store	*ws = NULL;
	struct walk	 w;
	int		 rc;

	if (mkdtemp(wdir) == NULL ||
	    store_open(wdir, STORE_CREATE, &ws) != STORE_OK) {
		printf("not ok - walk: setup\n");
		return;
	}
	memset(&w, 0, sizeof(w));
	w.from = 2;
	w.count = 3;
	CHECK(store_write(ws, walk_put, &w) == STORE_OK &&
	    store_write(ws, walk_damage, NULL) == STORE_OK &&
	    store_read(ws, walk_read, &w) == STORE_OK && w.calls == 3 &&
	    w.in_order, "walk: every record once, in id order, a damaged "
	    "record and a short key passed over");
	w.stop_after = 1;
	w.answer = STORE_STOP;
	rc = store_read(ws, walk_read, &w);
	CHECK(rc == STORE_OK && w.calls == 1,
	    "walk: the callback's STORE_STOP ends it with STORE_OK");
	w.stop_after = 2;
	w.answer = STORE_CONFLICT;
	rc = store_read(ws, walk_read, &w);
	CHECK(rc == STORE_CONFLICT && w.calls == 2,
	    "walk: the callback's error ends it and is returned");
	/* 2 records passed over and 3 written: fill to the bound exactly. */
	w.stop_after = 0;
	w.from = 5;
	w.count = SRV_DISCLOSURES_SCAN_MAX - 5;
	CHECK(store_write(ws, walk_put, &w) == STORE_OK &&
	    store_read(ws, walk_read, &w) == STORE_OK &&
	    w.calls == SRV_DISCLOSURES_SCAN_MAX - 2 && w.in_order &&
	    w.last == SRV_DISCLOSURES_SCAN_MAX - 1,
	    "walk: SRV_DISCLOSURES_SCAN_MAX records are all walked");
	w.from = SRV_DISCLOSURES_SCAN_MAX;
	w.count = 1;
	CHECK(store_write(ws, walk_put, &w) == STORE_OK &&
	    store_read(ws, walk_read, &w) == STORE_OK &&
	    w.calls == SRV_DISCLOSURES_SCAN_MAX - 2 &&
	    w.last == SRV_DISCLOSURES_SCAN_MAX - 1,
	    "walk: one record past SRV_DISCLOSURES_SCAN_MAX is not reached");
	store_close(ws);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", wdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", wdir);
}

int
main(void)
{
	char cmd[64];

	if (crypto_init() == -1 || mkdtemp(dir) == NULL) {
		printf("not ok - setup\n");
		return 1;
	}
	core_json_wipe_on_free();
	if (srv_keys_create(dir) == -1 || srv_keys_load(dir, &keys) == -1 ||
	    store_open(dir, STORE_CREATE, &st) != STORE_OK) {
		printf("not ok - setup: store\n");
		return 1;
	}
	srv_audit_init(&keys);
	test_generations();
	test_config();
	test_walk();
	store_close(st);
	srv_audit_init(NULL);
	srv_keys_free(&keys);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
