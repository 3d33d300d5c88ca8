/*
 * server_disclose_test.c: the server's side of escrow generations and of
 * the disclosure settings, against a real LMDB store with real keys.
 *
 * `bisikd escrow set` of a reshared (version 2) file: its record is
 * checked against the public data (a dealer's first commitment must be
 * its retired commitment times its Lagrange coefficient; each new
 * commitment the sum of the dealings), it becomes a new generation that
 * opens identities sealed under every earlier generation of the same key,
 * and it becomes current only when it reshares the current key. The
 * config key "disclosure_ttl_hours" at and past its edges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "tests/unit/tap.h"

static char		 dir[] = "/tmp/bisik-disclose-XXXXXX";
static struct srv_keys	 keys;
static struct store	*st;

/* One ceremony made here: Y, shares and commitments of a 2-of-3 split. */
struct split {
	uint8_t	Y[32];
	uint8_t	share[3][32];
	uint8_t	com[3][32];
};

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

static json_t *
v1_file(const struct split *s)
{
	json_t	*holders = json_array();
	int	 i;

	for (i = 0; i < 3; i++)
		json_array_append_new(holders, json_pack("{s:i, s:o, s:o, s:o,"
		    " s:o}", "index", i + 1, "sign_key", b64_random(32),
		    "box_key", b64_random(32), "commitment", b64(s->com[i], 32),
		    "sealed_share", b64_random(80)));
	return json_pack("{s:i, s:o, s:i, s:o, s:o}", "bisik_escrow", 1, "id",
	    id_of(s->Y), "threshold", 2, "public_key", b64(s->Y, 32), "holders",
	    holders);
}

/* A resharing of s by holders 1 and 2 to 3-of-4; new commitments out. */
static json_t *
v2_file(const struct split *s, uint8_t newcom[4][32])
{
	static const unsigned	 dealers[2] = { 1, 2 };
	uint8_t			 sub[4 * 32], com[2][3 * 32], pts[2 * 32];
	json_t			*holders = json_array(), *dc = json_array();
	json_t			*ds = json_array(), *ret = json_array(), *c;
	unsigned		 i, j, t;

	for (i = 0; i < 2; i++) {
		if (crypto_reshare_deal(s->share[i], dealers, 2, i + 1, 3, 4, sub,
		    com[i]) != 0)
			return NULL;
		c = json_array();
		for (t = 0; t < 3; t++)
			json_array_append_new(c, b64(com[i] + t * 32, 32));
		json_array_append_new(dc, c);
		json_array_append_new(ds, b64_random(64));
	}
	for (j = 0; j < 4; j++) {
		json_t *subs = json_array();

		for (i = 0; i < 2; i++) {
			if (crypto_feldman_eval(com[i], 3, j + 1, pts + i * 32) !=
			    0)
				return NULL;
			json_array_append_new(subs, b64_random(80));
		}
		if (crypto_point_sum(pts, 2, newcom[j]) != 0)
			return NULL;
		json_array_append_new(holders, json_pack("{s:i, s:o, s:o, s:o,"
		    " s:o}", "index", (int)j + 1, "sign_key", b64_random(32),
		    "box_key", b64_random(32), "commitment", b64(newcom[j], 32),
		    "sealed_subshares", subs));
	}
	for (i = 0; i < 3; i++)
		json_array_append_new(ret, json_pack("{s:i, s:o, s:o, s:o}",
		    "index", (int)i + 1, "sign_key", b64_random(32), "box_key",
		    b64_random(32), "commitment", b64(s->com[i], 32)));
	return json_pack("{s:i, s:o, s:i, s:o, s:o, s:{s:i, s:[i,i], s:o, s:o,"
	    " s:o}}", "bisik_escrow", 2, "id", id_of(s->Y), "threshold", 3,
	    "public_key", b64(s->Y, 32), "holders", holders, "reshare",
	    "previous_threshold", 2, "dealers", 1, 2, "dealer_commitments", dc,
	    "dealer_signatures", ds, "retired", ret);
}

static int
install(json_t *file, uint32_t *gen, char *err, size_t errlen)
{
	char	*text = json_dumps(file, JSON_COMPACT);
	int	 rc;

	rc = srv_escrow_install(st, text, strlen(text), gen, err, errlen);
	core_json_free(text);
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

	p->current = srv_escrow_current(txn, &e) == 0 ? e.generation : 0;
	for (g = 1; g < 5; g++)
		if ((rc = srv_escrow_opener(txn, g, &p->open[g])) != STORE_OK)
			return rc;
	return srv_escrow_generation(txn, p->load, &p->g);
}

static void
test_generations(void)
{
	struct split	 a, b;
	struct probe	 p;
	uint8_t		 newcom[4][32];
	uint32_t	 gen = 0;
	json_t		*f, *h;
	char		 err[256];
	int		 i;

	CHECK(crypto_escrow_split(2, 3, a.Y, a.share[0], a.com[0]) == 0 &&
	    crypto_escrow_split(2, 3, b.Y, b.share[0], b.com[0]) == 0,
	    "two 2-of-3 splits");
	f = v1_file(&a);
	CHECK(install(f, &gen, err, sizeof(err)) == 0 && gen == 1,
	    "escrow set: key A is generation 1");
	json_decref(f);
	f = v1_file(&b);
	CHECK(install(f, &gen, err, sizeof(err)) == 0 && gen == 2,
	    "escrow set: key B is generation 2");
	json_decref(f);

	/* Resharing the older key A: recorded, not current. */
	f = v2_file(&a, newcom);
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
	srv_generation_free(&p.g);

	/* Tampering the server can see. */
	h = json_object_get(f, "reshare");
	json_array_set_new(json_array_get(json_object_get(h,
	    "dealer_commitments"), 1), 0, b64(a.com[2], 32));
	CHECK(install(f, &gen, err, sizeof(err)) == -1 &&
	    strstr(err, "dealer 2") != NULL,
	    "refused: a dealing that is not the dealer's share");
	json_decref(f);
	f = v2_file(&a, newcom);
	json_object_set_new(json_array_get(json_object_get(f, "holders"), 2),
	    "commitment", b64(newcom[0], 32));
	CHECK(install(f, &gen, err, sizeof(err)) == -1,
	    "refused: a new commitment that does not follow from the dealings");
	json_decref(f);
	f = v2_file(&a, newcom);
	json_array_remove(json_object_get(json_array_get(json_object_get(f,
	    "holders"), 0), "sealed_subshares"), 0);
	CHECK(install(f, &gen, err, sizeof(err)) == -1,
	    "refused: a holder without a sub-share from each dealer");
	json_decref(f);
	f = v2_file(&a, newcom);
	json_object_set_new(json_object_get(f, "reshare"), "previous_threshold",
	    json_integer(3));
	CHECK(install(f, &gen, err, sizeof(err)) == -1,
	    "refused: a previous threshold that does not match the dealers");
	json_decref(f);

	/* Resharing the current key B: current. */
	f = v2_file(&b, newcom);
	CHECK(f != NULL && install(f, &gen, err, sizeof(err)) == 0 && gen == 4,
	    "escrow set: a resharing of key B is generation 4");
	json_decref(f);
	memset(&p, 0, sizeof(p));
	p.load = 4;
	CHECK(store_read(st, probe_read, &p) == STORE_OK && p.current == 4 &&
	    p.open[1] == 3 && p.open[2] == 4 && p.open[4] == 4,
	    "generation 4 (same key as current) becomes current and opens "
	    "generation 2's identities");
	srv_generation_free(&p.g);
	for (i = 0; i < 3; i++)
		crypto_wipe(a.share[i], 32);
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
	store_close(st);
	srv_audit_init(NULL);
	srv_keys_free(&keys);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
