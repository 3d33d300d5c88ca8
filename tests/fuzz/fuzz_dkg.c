/*
 * fuzz_dkg.c: libFuzzer target for the messages of a dealerless key
 * ceremony (crypto_dkg_accept in crypto/dkg.c). The input is offered as a
 * raw message, and also signed as a body by a real holder, so the body
 * parsers of every phase (deal, complaint, answer, extraction) see it past
 * the signature check. Whatever happens, a refused message must leave the
 * public state exactly as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N	3
#define K	2

static struct crypto_admin_key	keys[N + 1];
/* The ceremony as it stands at the opening of DEAL, COMPLAIN, ANSWER
 * (holder 3 complained of dealer 2) and EXTRACT. */
static struct crypto_dkg	snap[4], work, before;
static uint8_t			msg[CRYPTO_DKG_MSG_MAX];

static int
post(struct crypto_dkg *d, unsigned sender, const uint8_t *body, size_t len)
{
	size_t	mlen;

	if (crypto_dkg_sign(d, sender, &keys[sender], body, len, msg,
	    &mlen) != 0)
		return -1;
	return crypto_dkg_accept(d, msg, mlen) == CRYPTO_DKG_OK ? 0 : -1;
}

static int
setup(void)
{
	struct crypto_dkg_ceremony	c;
	static uint8_t			body[CRYPTO_DKG_BODY_MAX];
	uint8_t				seed[32];
	size_t				len;
	unsigned			i;

	if (crypto_init() != 0)
		return -1;
	memset(&c, 0, sizeof(c));
	memset(c.id, 0x17, sizeof(c.id));
	c.threshold = K;
	c.holders = N;
	for (i = 0; i < CRYPTO_DKG_PHASES; i++)
		c.deadline[i] = 1000 * (i + 1);
	c.expires = 9000;
	for (i = 1; i <= N; i++) {
		memset(seed, (int)i, sizeof(seed));
		if (crypto_sign_from_seed(seed, keys[i].sign_pk,
		    keys[i].sign_sk) != 0)
			return -1;
		crypto_admin_keygen(&keys[0]);	/* a fresh box pair */
		memcpy(keys[i].box_pk, keys[0].box_pk, 32);
		memcpy(keys[i].box_sk, keys[0].box_sk, 32);
		memcpy(c.sign_pk[i - 1], keys[i].sign_pk, 32);
		memcpy(c.box_pk[i - 1], keys[i].box_pk, 32);
	}
	if (crypto_dkg_init(&snap[0], &c) != 0)
		return -1;
	snap[1] = snap[0];
	for (i = 1; i <= N; i++) {
		memset(seed, (int)(0x40 + i), sizeof(seed));
		if (crypto_dkg_deal(&snap[1], i, seed, body, &len) != 0 ||
		    post(&snap[1], i, body, len) != 0)
			return -1;
	}
	if (crypto_dkg_advance(&snap[1]) != 0)
		return -1;
	snap[2] = snap[1];
	for (i = 1; i <= N; i++) {
		len = 0;
		if (i == 3) {
			memset(body, 0, 4);
			body[3] = 2;
			len = 4;
		}
		if (post(&snap[2], i, body, len) != 0)
			return -1;
	}
	if (crypto_dkg_advance(&snap[2]) != 0)
		return -1;
	snap[3] = snap[2];
	memset(seed, 0x42, sizeof(seed));
	if (crypto_dkg_answer(&snap[3], 2, seed, body, &len) != 0 ||
	    post(&snap[3], 2, body, len) != 0 ||
	    crypto_dkg_advance(&snap[3]) != 0)
		return -1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	ready = 0;
	unsigned	sender;
	size_t		mlen;
	int		rc;

	if (ready == 0)
		ready = setup() == 0 ? 1 : -1;
	if (ready != 1)
		abort();
	/* As a whole message. */
	work = snap[size > 0 ? data[0] % 4 : 0];
	before = work;
	if (crypto_dkg_accept(&work, data, size) != CRYPTO_DKG_OK &&
	    memcmp(&work, &before, sizeof(work)) != 0)
		abort();
	/* As a signed body: phase and sender from the first two bytes. */
	if (size < 2 || size - 2 > CRYPTO_DKG_BODY_MAX)
		return 0;
	work = snap[data[0] % 4];
	before = work;
	sender = 1 + data[1] % N;
	if (crypto_dkg_sign(&work, sender, &keys[sender], data + 2, size - 2,
	    msg, &mlen) != 0)
		abort();
	rc = crypto_dkg_accept(&work, msg, mlen);
	if (rc != CRYPTO_DKG_OK && memcmp(&work, &before, sizeof(work)) != 0)
		abort();
	return 0;
}
