/*
 * dkg_tool.c: a holder who cheats in a dealerless key ceremony, as a
 * program, for tests/e2e/e2e_dkg.sh. It links the real crypto/ and
 * client/ code, so what it makes is exactly what a holder with a modified
 * client could send; the server and the honest holders' clients judge it.
 *
 *   dkg_tool bad-deal RECORD.json KEY PASSFILE TO[,TO...]
 *       From the ceremony record (the "record" of GET
 *       /escrow/ceremonies/{id}), makes KEY's holder's deal with a fresh
 *       seed in which the sub-share sealed to each holder TO is a random
 *       pair (with the right tag, so it opens and only fails its check
 *       against the commitments), signs it with KEY, and prints the
 *       message in base64. The seed is not kept: this dealer can never
 *       answer.
 *   dkg_tool complain RECORD.json KEY PASSFILE DEALER
 *       A complaint by KEY's holder against DEALER whatever its deal held
 *       (a holder complaining without reason), signed with KEY for the
 *       record's open phase; prints the message in base64.
 *   dkg_tool flip BASE64 OFFSET
 *       Prints BASE64's bytes with the one at OFFSET changed (xor 1).
 *
 * It is a test tool: errors go to stderr and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "client/client.h"

static int
fail(const char *what)
{
	fprintf(stderr, "dkg_tool: %s\n", what);
	return 1;
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int
print_b64(const uint8_t *p, size_t len)
{
	char	*t = malloc(crypto_b64_len(len));

	if (t == NULL)
		return fail("out of memory");
	crypto_b64_encode(p, len, t);
	printf("%s\n", t);
	free(t);
	return 0;
}

static int
bad_deal(char **argv)
{
	struct client_dkg	*r = NULL;
	struct crypto_admin_key	*k = crypto_secret_alloc(sizeof(*k));
	struct crypto_part	 parts[3];
	uint8_t			 seed[CRYPTO_DKG_SEED_BYTES] = { 0 }, chash[32];
	uint8_t			 plain[CRYPTO_DKG_PAIR_BYTES +
				     CRYPTO_DKG_TAG_BYTES], bd[4], bj[4], h[32];
	uint8_t			*body = malloc(CRYPTO_DKG_BODY_MAX);
	uint8_t			*msg = malloc(CRYPTO_DKG_MSG_MAX);
	char			*text = NULL, *pass = NULL, *end;
	const char		*list;
	size_t			 len, plen, mlen;
	unsigned long long	 bad = 0;	/* bit TO: a wrong pair */
	unsigned		 me = 0, to, i;
	int			 rc = 1;

	if (k == NULL || body == NULL || msg == NULL)
		return fail("out of memory");
	if (client_file_read(argv[0], CLIENT_DKG_RECORD_MAX, 0, "record",
	    &text, &len) == -1 || client_dkg_parse(text, len, "record",
	    &r) == -1)
		goto out;
	if (client_first_line(argv[2], 1024, "passphrase file", &pass,
	    &plen) == -1 || client_adminkey_load(argv[1], pass, plen, k) == -1)
		goto out;
	for (i = 1; i <= r->state.c.holders; i++)
		if (memcmp(r->state.c.sign_pk[i - 1], k->sign_pk, 32) == 0)
			me = i;
	for (list = argv[3]; *list != '\0'; list = end + (*end == ',')) {
		to = (unsigned)strtoul(list, &end, 10);
		if (end == list || (*end != ',' && *end != '\0') || to < 1 ||
		    to > r->state.c.holders || to == me)
			break;
		bad |= 1ULL << to;
	}
	if (me == 0 || *list != '\0' || bad == 0) {
		fail("the key is no holder, or a TO is not another holder");
		goto out;
	}
	randombytes_buf(seed, sizeof(seed));
	if (crypto_dkg_deal(&r->state, me, seed, body, &len) != 0) {
		fail("cannot deal");
		goto out;
	}
	/* The pair for each TO: random scalars under the right tag. */
	crypto_dkg_ceremony_hash(&r->state.c, chash);
	for (to = 1; to <= r->state.c.holders; to++) {
		if (!(bad >> to & 1))
			continue;
		be32(bd, me);
		be32(bj, to);
		parts[0].p = chash;
		parts[0].len = 32;
		parts[1].p = bd;
		parts[1].len = 4;
		parts[2].p = bj;
		parts[2].len = 4;
		crypto_hash_parts("bisik-dkg-box-v1", parts, 3, h);
		crypto_core_ristretto255_scalar_random(plain);
		crypto_core_ristretto255_scalar_random(plain + 32);
		memcpy(plain + CRYPTO_DKG_PAIR_BYTES, h, CRYPTO_DKG_TAG_BYTES);
		if (crypto_box_to(r->state.c.box_pk[to - 1], plain,
		    sizeof(plain), body + (size_t)r->state.c.threshold *
		    CRYPTO_POINT_BYTES + (size_t)(to - 1) *
		    CRYPTO_DKG_SEALED_BYTES) != 0) {
			fail("cannot seal");
			goto out;
		}
	}
	if (crypto_dkg_sign(&r->state, me, k, body, len, msg, &mlen) != 0) {
		fail("cannot sign");
		goto out;
	}
	rc = print_b64(msg, mlen);
out:
	sodium_memzero(seed, sizeof(seed));
	crypto_secret_free(pass);
	crypto_secret_free(k);
	client_mem_free(text);
	client_dkg_free(r);
	free(body);
	free(msg);
	return rc;
}

static int
complain(char **argv)
{
	struct client_dkg	*r = NULL;
	struct crypto_admin_key	*k = crypto_secret_alloc(sizeof(*k));
	uint8_t			 body[4], *msg = malloc(CRYPTO_DKG_MSG_MAX);
	char			*text = NULL, *pass = NULL;
	size_t			 len, plen, mlen;
	unsigned		 me = 0, i;
	int			 rc = 1;

	if (k == NULL || msg == NULL)
		return fail("out of memory");
	if (client_file_read(argv[0], CLIENT_DKG_RECORD_MAX, 0, "record",
	    &text, &len) == -1 || client_dkg_parse(text, len, "record",
	    &r) == -1 || client_first_line(argv[2], 1024, "passphrase file",
	    &pass, &plen) == -1 || client_adminkey_load(argv[1], pass, plen,
	    k) == -1)
		goto out;
	for (i = 1; i <= r->state.c.holders; i++)
		if (memcmp(r->state.c.sign_pk[i - 1], k->sign_pk, 32) == 0)
			me = i;
	be32(body, (uint32_t)strtoul(argv[3], NULL, 10));
	if (me == 0 || crypto_dkg_sign(&r->state, me, k, body, sizeof(body),
	    msg, &mlen) != 0) {
		fail("the key is no holder, or cannot sign");
		goto out;
	}
	rc = print_b64(msg, mlen);
out:
	crypto_secret_free(pass);
	crypto_secret_free(k);
	client_mem_free(text);
	client_dkg_free(r);
	free(msg);
	return rc;
}

static int
flip(char **argv)
{
	uint8_t		*p = malloc(CRYPTO_DKG_MSG_MAX);
	size_t		 len;
	unsigned long	 off = strtoul(argv[1], NULL, 10);
	int		 rc;

	if (p == NULL || crypto_b64_decode(argv[0], strlen(argv[0]), p,
	    CRYPTO_DKG_MSG_MAX, &len) == -1 || off >= len) {
		free(p);
		return fail("not base64 of a message, or OFFSET past its end");
	}
	p[off] ^= 1;
	rc = print_b64(p, len);
	free(p);
	return rc;
}

int
main(int argc, char **argv)
{
	if (crypto_init() == -1 || client_alloc_init() == -1)
		return fail("cannot initialise");
	if (argc == 6 && strcmp(argv[1], "bad-deal") == 0)
		return bad_deal(argv + 2);
	if (argc == 6 && strcmp(argv[1], "complain") == 0)
		return complain(argv + 2);
	if (argc == 4 && strcmp(argv[1], "flip") == 0)
		return flip(argv + 2);
	return fail("usage: dkg_tool bad-deal RECORD KEY PASSFILE TO[,TO...] | "
	    "complain RECORD KEY PASSFILE DEALER | "
	    "flip BASE64 OFFSET");
}
