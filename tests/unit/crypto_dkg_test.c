/*
 * crypto_dkg_test: the dealerless key ceremony (crypto/dkg.c) run in
 * memory with real keys and real libsodium. Every holder does its own
 * steps with its own key and seed and the messages pass through the same
 * public state a relay would keep. What is checked: every k-subset of
 * holders opens an identity sealed to the ceremony's key with the escrow
 * threshold decryption and no (k-1)-subset does; a dealer caught by a
 * complaint is answered or disqualified and the others still finish; a
 * dealer whose extraction is not what it committed to stops the ceremony
 * and is named; replayed, reordered, stale and forged messages are
 * refused; and the source adds no dealer's secret constant to another's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/crypto.h"
#include "tap.h"

#define NMAX		CRYPTO_DKG_MAX_HOLDERS
#define MSGS_MAX	(CRYPTO_DKG_PHASES * NMAX)

/* L, little-endian. */
static const uint8_t order_l[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
	0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10
};

static const char identity[] =
    "{\"name\":\"Siti Rahayu\",\"nik\":\"3171234567890001\"}";

static struct crypto_admin_key	*keys[NMAX + 1];	/* [1..NMAX] */
static uint8_t			 seeds[NMAX + 1][CRYPTO_DKG_SEED_BYTES];

/* The messages accepted so far, in order: what a relay would serve. */
struct transcript {
	uint8_t	*msg[MSGS_MAX];
	size_t	 len[MSGS_MAX];
	size_t	 count;
};

/* How the holders misbehave in one run (0: nobody). */
enum { ANSWER_RIGHT, ANSWER_NONE, ANSWER_WRONG };
struct fault {
	unsigned	bad_dealer;	/* seals a wrong pair to ... */
	unsigned	bad_to[2];	/* ... these holders */
	int		answer;		/* how bad_dealer answers */
	unsigned	silent;		/* posts no complaint */
	unsigned	copier;		/* posts dealer 1's deal as its own */
};

static void
die(const char *what)
{
	printf("not ok - %s\n", what);
	exit(1);
}

static struct crypto_dkg *
dkg_new(void)
{
	struct crypto_dkg *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		die("calloc");
	return d;
}

static void
transcript_clear(struct transcript *t)
{
	size_t	i;

	for (i = 0; i < t->count; i++)
		free(t->msg[i]);
	t->count = 0;
}

static void
ceremony_make(struct crypto_dkg_ceremony *c, unsigned k, unsigned n)
{
	unsigned	i;

	memset(c, 0, sizeof(*c));
	randombytes_buf(c->id, sizeof(c->id));
	c->threshold = k;
	c->holders = n;
	for (i = 0; i < CRYPTO_DKG_PHASES; i++)
		c->deadline[i] = 1700000000u + 3600u * (i + 1);
	c->expires = c->deadline[CRYPTO_DKG_PHASES - 1] + 3600;
	for (i = 0; i < n; i++) {
		memcpy(c->sign_pk[i], keys[i + 1]->sign_pk, 32);
		memcpy(c->box_pk[i], keys[i + 1]->box_pk, 32);
	}
}

/* Signs body as `sender` on d's state and offers it; keeps it if taken. */
static int
post(struct crypto_dkg *d, struct transcript *t, unsigned sender,
    const uint8_t *body, size_t len)
{
	uint8_t	*msg;
	size_t	 mlen;
	int	 rc;

	if ((msg = malloc(CRYPTO_DKG_MSG_MAX)) == NULL)
		die("malloc");
	if (crypto_dkg_sign(d, sender, keys[sender], body, len, msg,
	    &mlen) != 0) {
		free(msg);
		return -1;
	}
	rc = crypto_dkg_accept(d, msg, mlen);
	if (rc == CRYPTO_DKG_OK && t != NULL && t->count < MSGS_MAX) {
		t->msg[t->count] = msg;
		t->len[t->count++] = mlen;
	} else
		free(msg);
	return rc;
}

/* A signed message, kept by the caller (free it). */
static uint8_t *
signed_msg(const struct crypto_dkg *d, unsigned sender,
    const struct crypto_admin_key *key, const uint8_t *body, size_t len,
    size_t *mlen)
{
	uint8_t	*msg;

	if ((msg = malloc(CRYPTO_DKG_MSG_MAX)) == NULL)
		die("malloc");
	if (crypto_dkg_sign(d, sender, key, body, len, msg, mlen) != 0)
		die("crypto_dkg_sign");
	return msg;
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Replaces the pair dealer sealed to holder j in a DEAL body by a random
 * pair with the right tag: a wrong sub-share, and nothing else wrong.
 */
static void
spoil_pair(const struct crypto_dkg *d, unsigned dealer, unsigned j,
    uint8_t *body)
{
	struct crypto_part	parts[3];
	uint8_t			plain[CRYPTO_DKG_PAIR_BYTES +
				    CRYPTO_DKG_TAG_BYTES];
	uint8_t			chash[32], bd[4], bj[4], h[32];
	size_t			off;

	crypto_dkg_ceremony_hash(&d->c, chash);
	be32(bd, dealer);
	be32(bj, j);
	parts[0].p = chash;
	parts[0].len = 32;
	parts[1].p = bd;
	parts[1].len = 4;
	parts[2].p = bj;
	parts[2].len = 4;
	crypto_hash_parts("bisik-dkg-box-v1", parts, 3, h);
	crypto_core_ristretto255_scalar_random(plain);
	crypto_core_ristretto255_scalar_random(plain + 32);
	memcpy(plain + 64, h, CRYPTO_DKG_TAG_BYTES);
	off = (size_t)d->c.threshold * 32 +
	    (size_t)(j - 1) * CRYPTO_DKG_SEALED_BYTES;
	if (crypto_box_to(d->c.box_pk[j - 1], plain, sizeof(plain),
	    body + off) != 0)
		die("crypto_box_to");
}

/*
 * One whole ceremony among holders 1..n with threshold k, each holder
 * doing its own step in each phase. 0 if it reached DONE with a key.
 */
static int
run(struct crypto_dkg *d, struct transcript *t, unsigned k, unsigned n,
    const struct fault *f)
{
	struct crypto_dkg_ceremony	 c;
	uint8_t				*body, *first = NULL;
	size_t				 len, firstlen = 0;
	unsigned			 i, m;
	int				 rc = -1;

	if ((body = malloc(CRYPTO_DKG_BODY_MAX)) == NULL ||
	    (first = malloc(CRYPTO_DKG_BODY_MAX)) == NULL)
		die("malloc");
	ceremony_make(&c, k, n);
	if (crypto_dkg_init(d, &c) != 0)
		goto out;
	for (i = 1; i <= n; i++)
		randombytes_buf(seeds[i], CRYPTO_DKG_SEED_BYTES);

	for (i = 1; i <= n; i++) {
		if (crypto_dkg_deal(d, i, seeds[i], body, &len) != 0)
			goto out;
		if (i == 1) {
			memcpy(first, body, len);
			firstlen = len;
		}
		if (f != NULL && f->copier == i) {
			memcpy(body, first, firstlen);
			len = firstlen;
		}
		if (f != NULL && f->bad_dealer == i) {
			spoil_pair(d, i, f->bad_to[0], body);
			if (f->bad_to[1] != 0)
				spoil_pair(d, i, f->bad_to[1], body);
		}
		if (post(d, t, i, body, len) != CRYPTO_DKG_OK)
			goto out;
	}
	if (crypto_dkg_advance(d) != 0)
		goto out;

	for (i = 1; i <= n; i++) {
		if (f != NULL && f->silent == i)
			continue;
		if (crypto_dkg_complain(d, keys[i], i, body, &len, &m) != 0 ||
		    post(d, t, i, body, len) != CRYPTO_DKG_OK)
			goto out;
	}
	if (crypto_dkg_advance(d) != 0)
		goto out;

	for (i = 1; i <= n; i++) {
		if (!crypto_dkg_due(d, i))
			continue;
		if (f != NULL && f->bad_dealer == i &&
		    f->answer == ANSWER_NONE)
			continue;
		if (crypto_dkg_answer(d, i, seeds[i], body, &len) != 0)
			goto out;
		if (f != NULL && f->bad_dealer == i &&
		    f->answer == ANSWER_WRONG) {
			body[4 + 5] ^= 1;	/* s of the first entry */
			if (post(d, t, i, body, len) != CRYPTO_DKG_BAD_BODY)
				goto out;
			continue;
		}
		if (post(d, t, i, body, len) != CRYPTO_DKG_OK)
			goto out;
	}
	if (crypto_dkg_advance(d) != 0)
		goto out;

	for (i = 1; i <= n; i++) {
		if (!crypto_dkg_due(d, i))
			continue;
		if (crypto_dkg_extract(d, i, seeds[i], body, &len) != 0 ||
		    post(d, t, i, body, len) != CRYPTO_DKG_OK)
			goto out;
	}
	if (crypto_dkg_advance(d) != 0)
		goto out;
	rc = 0;
out:
	free(body);
	free(first);
	return rc;
}

/* The subsets tried: all of them up to this many holders; above it,
 * every run of consecutive indices (2^n would not end). */
#define SUBSETS_ALL	8

/* Bit mask number `a` of the subsets tried for n holders (0: no more). */
static uint64_t
subset(unsigned n, unsigned k, uint64_t a)
{
	uint64_t	run;

	if (n <= SUBSETS_ALL)
		return a < (1u << n) ? a : 0;
	/* a = 1..2n: k-1 or k holders starting at index (a-1) % n + 1 */
	if (a > 2 * (uint64_t)n)
		return 0;
	run = (((uint64_t)1 << (a <= n ? k : k - 1)) - 1);
	a = (a - 1) % n;
	return ((run << a) | (run >> (n - a))) & ((((uint64_t)1) << n) - 1);
}

/*
 * Seals an identity to the ceremony's key and tries the subsets of
 * holders of size k and k-1 (holder `skip` sits out): each holder makes
 * its partial y_j·R from its own share, the requester combines them.
 * 1 if every k-subset opened it and no (k-1)-subset did.
 */
static int
subsets_open(const struct crypto_dkg *d, unsigned skip)
{
	uint8_t		Y[32], com[NMAX][32], shares[NMAX + 1][32];
	uint8_t		sealed[CRYPTO_IDENTITY_SEALED_BYTES], bind[32];
	uint8_t		out[CRYPTO_IDENTITY_MAX], part[NMAX][32], S[32];
	size_t		olen = 0;
	unsigned	idx[NMAX], k = d->c.threshold, n = d->c.holders;
	unsigned	i, cnt;
	uint64_t	a, mask;
	int		ok = 1, opened;

	if (crypto_dkg_result(d, Y, com[0]) != 0)
		return 0;
	for (i = 1; i <= n; i++) {
		if (i == skip)
			continue;
		if (crypto_dkg_share(d, keys[i], i, shares[i]) != 0 ||
		    crypto_escrow_share_check(shares[i], com[i - 1]) != 0)
			return 0;
	}
	/* Any 32 bytes serve as the case binding here. */
	memset(bind, 0x5a, sizeof(bind));
	if (crypto_identity_seal(Y, bind, identity, sizeof(identity),
	    sealed) != 0)
		return 0;
	for (a = 1; (mask = subset(n, k, a)) != 0; a++) {
		cnt = 0;
		for (i = 1; i <= n; i++)
			if (mask & ((uint64_t)1 << (i - 1))) {
				if (i == skip)
					break;
				idx[cnt] = i;
				if (crypto_escrow_partial(shares[i],
				    sealed + 1, part[cnt]) != 0)
					return 0;
				cnt++;
			}
		if (i <= n || (cnt != k && cnt != k - 1))
			continue;
		opened = crypto_escrow_combine(idx, part[0], cnt, S) == 0 &&
		    crypto_identity_open(S, Y, bind, sealed, sizeof(sealed),
		    out, &olen) == 0 && olen == sizeof(identity) &&
		    memcmp(out, identity, sizeof(identity)) == 0;
		if (opened != (cnt == k)) {
			printf("# subset %#llx of %u (k %u) %s\n",
			    (unsigned long long)mask, n, k,
			    opened ? "opened" : "did not open");
			ok = 0;
		}
	}
	/* The commitments lie on one polynomial whose value at 0 is Y,
	 * which is what `bisikd escrow set` checks of an escrow file. */
	for (i = 0; i < k; i++)
		idx[i] = i + 1;
	if (crypto_escrow_combine(idx, com[0], k, S) != 0 ||
	    memcmp(S, Y, 32) != 0)
		ok = 0;
	sodium_memzero(shares, sizeof(shares));
	return ok;
}

static void
test_generator(void)
{
	uint8_t	H[32], want[32], h[64], s[32], P[32];
	char	tag[] = "bisik-dkg-pedersen-h-v1";
	int	ok = 1;
	unsigned i;

	crypto_dkg_generator_h(H);
	/* BLAKE2b-512 of the tag with its NUL, mapped by RFC 9496's
	 * one-way map: recomputed here straight from libsodium. */
	crypto_generichash(h, sizeof(h), (const unsigned char *)tag,
	    sizeof(tag), NULL, 0);
	crypto_core_ristretto255_from_hash(want, h);
	CHECK(memcmp(H, want, 32) == 0,
	    "H is the hash-to-group of the fixed tag");
	CHECK(crypto_point_check(H) == 0, "H is a valid non-identity point");
	for (i = 1; i <= 64; i++) {
		memset(s, 0, 32);
		s[0] = (uint8_t)i;
		if (crypto_scalarmult_ristretto255_base(P, s) != 0 ||
		    memcmp(P, H, 32) == 0)
			ok = 0;
	}
	CHECK(ok, "H is none of 1·B .. 64·B");
}

static void
test_ceremony_check(void)
{
	struct crypto_dkg_ceremony	c, c2;
	uint8_t				h1[32], h2[32];

	ceremony_make(&c, 2, 3);
	CHECK(crypto_dkg_ceremony_check(&c) == 0, "ceremony 2-of-3 accepted");
	c.threshold = 1;
	CHECK(crypto_dkg_ceremony_check(&c) == -1,
	    "threshold 1 refused (every share would be the key)");
	c.threshold = 4;
	CHECK(crypto_dkg_ceremony_check(&c) == -1, "threshold > holders refused");
	ceremony_make(&c, 2, NMAX);
	CHECK(crypto_dkg_ceremony_check(&c) == 0,
	    "CRYPTO_DKG_MAX_HOLDERS holders accepted");
	c.holders = NMAX + 1;
	CHECK(crypto_dkg_ceremony_check(&c) == -1,
	    "CRYPTO_DKG_MAX_HOLDERS + 1 holders refused");
	ceremony_make(&c, 3, 3);
	CHECK(crypto_dkg_ceremony_check(&c) == 0, "threshold == holders accepted");
	c2 = c;
	c2.deadline[2] = c2.deadline[1];
	CHECK(crypto_dkg_ceremony_check(&c2) == -1,
	    "deadlines that do not rise refused");
	c2 = c;
	c2.expires = c2.deadline[CRYPTO_DKG_PHASES - 1];
	CHECK(crypto_dkg_ceremony_check(&c2) == -1,
	    "expiry not after the last deadline refused");
	c2 = c;
	c2.deadline[0] = 0;
	CHECK(crypto_dkg_ceremony_check(&c2) == -1, "deadline 0 refused");
	c2 = c;
	memcpy(c2.sign_pk[2], c2.sign_pk[0], 32);
	CHECK(crypto_dkg_ceremony_check(&c2) == -1,
	    "a holder's signing key twice refused");
	c2 = c;
	memcpy(c2.box_pk[1], c2.box_pk[0], 32);
	CHECK(crypto_dkg_ceremony_check(&c2) == -1,
	    "a holder's box key twice refused");
	c2 = c;
	memset(c2.box_pk[1], 0, 32);
	CHECK(crypto_dkg_ceremony_check(&c2) == -1, "zero box key refused");
	c2 = c;
	memset(c2.sign_pk[1], 0, 32);
	c2.sign_pk[1][0] = 1;	/* the Ed25519 identity: small order */
	CHECK(crypto_dkg_ceremony_check(&c2) == -1,
	    "small-order signing key refused");

	crypto_dkg_ceremony_hash(&c, h1);
	c2 = c;
	c2.threshold = 2;
	crypto_dkg_ceremony_hash(&c2, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "ceremony hash binds the threshold");
	c2 = c;
	c2.deadline[3]++;
	crypto_dkg_ceremony_hash(&c2, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "ceremony hash binds the deadlines");
	c2 = c;
	c2.expires++;
	crypto_dkg_ceremony_hash(&c2, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "ceremony hash binds the expiry");
	c2 = c;
	memcpy(c2.box_pk[2], keys[5]->box_pk, 32);
	crypto_dkg_ceremony_hash(&c2, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "ceremony hash binds the holders' keys");
	c2 = c;
	c2.id[0] ^= 1;
	crypto_dkg_ceremony_hash(&c2, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "ceremony hash binds the id");
}

static void
test_honest(void)
{
	struct crypto_dkg	*d = dkg_new();
	struct transcript	 t = { .count = 0 };
	uint8_t			 Y[32], Y2[32], com[NMAX][32];
	unsigned		 n, k, i;
	char			 name[96];
	int			 ok;

	for (n = 2; n <= 5; n++)
		for (k = 2; k <= n; k++) {
			snprintf(name, sizeof(name), "%u-of-%u: ceremony "
			    "reaches DONE with every dealer in QUAL", k, n);
			ok = run(d, &t, k, n, NULL) == 0;
			for (i = 1; ok && i <= n; i++)
				ok = crypto_dkg_dealer_status(d, i) ==
				    CRYPTO_DKG_DEALER_EXTRACTED;
			CHECK(ok, name);
			snprintf(name, sizeof(name), "%u-of-%u: every %u "
			    "holders open, no %u do", k, n, k, k - 1);
			CHECK(subsets_open(d, 0), name);
			transcript_clear(&t);
		}
	/* Two ceremonies, two unrelated keys. */
	ok = run(d, NULL, 2, 3, NULL) == 0 &&
	    crypto_dkg_result(d, Y, com[0]) == 0 &&
	    run(d, NULL, 2, 3, NULL) == 0 &&
	    crypto_dkg_result(d, Y2, com[0]) == 0 && memcmp(Y, Y2, 32) != 0;
	CHECK(ok, "two ceremonies give different keys");
	free(d);
}

/* The configuration hash over parts laid out by hand as docs/formats.md
 * says: five parts, and the sixth (id ‖ transcript) when dkg is set. */
static void
config_by_hand(const struct crypto_escrow_config *c, int dkg, uint8_t out[32])
{
	struct crypto_part	parts[4 + NMAX];
	uint8_t			k[4], n[4], m[NMAX][4 + 96], x[16 + 32];
	unsigned		i;

	be32(k, c->threshold);
	be32(n, c->n);
	parts[0].p = c->Y;
	parts[0].len = 32;
	parts[1].p = k;
	parts[1].len = 4;
	parts[2].p = n;
	parts[2].len = 4;
	for (i = 0; i < c->n; i++) {
		be32(m[i], c->holders[i].index);
		memcpy(m[i] + 4, c->holders[i].sign_pk, 32);
		memcpy(m[i] + 36, c->holders[i].box_pk, 32);
		memcpy(m[i] + 68, c->holders[i].commitment, 32);
		parts[3 + i].p = m[i];
		parts[3 + i].len = sizeof(m[i]);
	}
	parts[3 + c->n].p = "";
	parts[3 + c->n].len = 0;
	memcpy(x, c->dkg_id, 16);
	memcpy(x + 16, c->transcript, 32);
	parts[4 + c->n].p = x;
	parts[4 + c->n].len = sizeof(x);
	crypto_hash_parts("bisik-escrow-config-v1", parts, 4 + c->n + (dkg ?
	    1 : 0), out);
}

/*
 * The configuration every holder signs at the end: the ceremony's key and
 * commitments with its id and transcript hash in a sixth part of the
 * configuration hash, which a dealer ceremony's file does not have.
 */
static void
test_config(void)
{
	struct crypto_dkg		*d = dkg_new();
	struct crypto_escrow_config	*c, *c2;
	struct crypto_dkg_ceremony	 cer;
	uint8_t				 h[32], h2[32], want[32], t[32];
	uint8_t				 Y[32], com[NMAX][32];
	int				 ok;

	c = calloc(1, sizeof(*c));
	c2 = calloc(1, sizeof(*c2));
	if (c == NULL || c2 == NULL)
		die("calloc");
	ok = run(d, NULL, 3, 5, NULL) == 0 &&
	    crypto_dkg_escrow_config(d, c) == 0 &&
	    crypto_dkg_result(d, Y, com[0]) == 0;
	crypto_dkg_checkpoint(d, t);
	CHECK(ok && c->dkg == 1 && c->threshold == 3 && c->n == 5 &&
	    memcmp(c->Y, Y, 32) == 0 && memcmp(c->holders[4].commitment,
	    com[4], 32) == 0 && c->holders[4].index == 5 &&
	    memcmp(c->holders[2].sign_pk, keys[3]->sign_pk, 32) == 0 &&
	    memcmp(c->dkg_id, d->c.id, 16) == 0 &&
	    memcmp(c->transcript, t, 32) == 0,
	    "config of a DONE ceremony: Y, k, n, keys, Y_j, id, transcript");
	ok = crypto_escrow_config_hash(c, h) == 0;
	config_by_hand(c, 1, want);
	CHECK(ok && memcmp(h, want, 32) == 0, "config hash of a DKG's key: "
	    "the five parts and id ‖ transcript as a sixth");
	memcpy(c2, c, sizeof(*c));
	c2->dkg = 0;
	config_by_hand(c2, 0, want);
	CHECK(crypto_escrow_config_hash(c2, h2) == 0 &&
	    memcmp(h2, want, 32) == 0 && memcmp(h, h2, 32) != 0,
	    "without the dkg part: the five-part hash of a dealer ceremony's "
	    "file, unchanged, and another hash");
	memcpy(c2, c, sizeof(*c));
	c2->transcript[31] ^= 1;
	CHECK(crypto_escrow_config_hash(c2, h2) == 0 && memcmp(h, h2, 32) != 0,
	    "another transcript, another configuration hash");
	memcpy(c2, c, sizeof(*c));
	c2->dkg_id[0] ^= 1;
	CHECK(crypto_escrow_config_hash(c2, h2) == 0 && memcmp(h, h2, 32) != 0,
	    "another ceremony id, another configuration hash");
	memcpy(c2, c, sizeof(*c));
	c2->reshared = 1;
	c2->nretired = c2->ndealers = 1;
	CHECK(crypto_escrow_config_hash(c2, h2) == -1,
	    "a resharing with a dkg part is refused");
	/* Before DONE, and after a failed ceremony, there is none. */
	memcpy(&cer, &d->c, sizeof(cer));
	ok = crypto_dkg_init(d, &cer) == 0 &&
	    crypto_dkg_escrow_config(d, c2) == -1;
	CHECK(ok, "no configuration before the ceremony is DONE");
	free(c);
	free(c2);
	free(d);
}

static void
test_complaints(void)
{
	struct crypto_dkg	*d = dkg_new();
	struct fault		 f;
	unsigned		 n, k;
	char			 name[128];
	int			 ok;

	/* A wrong pair, answered in the open: the dealer stays. */
	memset(&f, 0, sizeof(f));
	f.bad_dealer = 2;
	f.bad_to[0] = 3;
	f.answer = ANSWER_RIGHT;
	ok = run(d, NULL, 3, 4, &f) == 0 &&
	    d->complaint[1][2] == 1 && d->answered[1][2] == 1 &&
	    crypto_dkg_dealer_status(d, 2) == CRYPTO_DKG_DEALER_EXTRACTED;
	CHECK(ok, "3-of-4: a complained-of pair answered in the open keeps "
	    "the dealer in QUAL");
	CHECK(subsets_open(d, 0), "3-of-4: the complainer's share uses the "
	    "answered pair and every 3 holders open");

	/* Unanswered: disqualified, the others finish. */
	for (n = 3; n <= 5; n++)
		for (k = 2; k < n; k++) {
			memset(&f, 0, sizeof(f));
			f.bad_dealer = 1 + (n + k) % n;
			f.bad_to[0] = 1 + f.bad_dealer % n;
			f.answer = ANSWER_NONE;
			snprintf(name, sizeof(name), "%u-of-%u: dealer %u's "
			    "unanswered wrong pair disqualifies it; the "
			    "others finish", k, n, f.bad_dealer);
			ok = run(d, NULL, k, n, &f) == 0 &&
			    crypto_dkg_dealer_status(d, f.bad_dealer) ==
			    CRYPTO_DKG_DEALER_UNANSWERED;
			CHECK(ok, name);
			snprintf(name, sizeof(name), "%u-of-%u without "
			    "dealer %u: every %u holders open, no %u do", k, n,
			    f.bad_dealer, k, k - 1);
			CHECK(subsets_open(d, 0), name);
		}

	/* A wrong answer is refused; the dealer is then disqualified. */
	memset(&f, 0, sizeof(f));
	f.bad_dealer = 4;
	f.bad_to[0] = 1;
	f.answer = ANSWER_WRONG;
	ok = run(d, NULL, 2, 4, &f) == 0 &&
	    crypto_dkg_dealer_status(d, 4) == CRYPTO_DKG_DEALER_UNANSWERED;
	CHECK(ok, "2-of-4: an answer that fails the commitments is refused "
	    "and the dealer disqualified");
	CHECK(subsets_open(d, 0), "2-of-4 without dealer 4: subsets open "
	    "as they should");

	/* More than k-1 complaints: out without answering. */
	memset(&f, 0, sizeof(f));
	f.bad_dealer = 1;
	f.bad_to[0] = 2;
	f.bad_to[1] = 5;
	f.answer = ANSWER_RIGHT;
	ok = run(d, NULL, 2, 5, &f) == 0 &&
	    crypto_dkg_dealer_status(d, 1) == CRYPTO_DKG_DEALER_COMPLAINTS &&
	    d->answered[0][1] == 0;
	CHECK(ok, "2-of-5: two complaints (> k-1) disqualify the dealer, "
	    "who is not asked to answer");
	CHECK(subsets_open(d, 0), "2-of-5 without dealer 1: subsets open");

	/* A dealer posting another's deal as its own: the tags give it away
	 * and it cannot answer. */
	memset(&f, 0, sizeof(f));
	f.copier = 3;
	ok = run(d, NULL, 3, 5, &f) == 0 &&
	    crypto_dkg_dealer_status(d, 3) == CRYPTO_DKG_DEALER_COMPLAINTS;
	CHECK(ok, "3-of-5: a dealer that copies another's deal is "
	    "complained of by every other holder and disqualified");
	CHECK(subsets_open(d, 0), "3-of-5 without the copier: subsets open");

	/* Too few left: 3-of-3 cannot lose a dealer. */
	memset(&f, 0, sizeof(f));
	f.bad_dealer = 2;
	f.bad_to[0] = 1;
	f.answer = ANSWER_NONE;
	ok = run(d, NULL, 3, 3, &f) == -1 && d->failed &&
	    crypto_dkg_dealer_status(d, 2) == CRYPTO_DKG_DEALER_UNANSWERED;
	CHECK(ok, "3-of-3: with 2 qualified dealers (< k) the ceremony fails");

	/* A holder that stays silent about its wrong pair gets no share;
	 * the others do, and any k of them still open. */
	memset(&f, 0, sizeof(f));
	f.bad_dealer = 1;
	f.bad_to[0] = 4;
	f.silent = 4;
	ok = run(d, NULL, 2, 4, &f) == 0 &&
	    crypto_dkg_dealer_status(d, 1) == CRYPTO_DKG_DEALER_EXTRACTED;
	if (ok) {
		uint8_t s[32];

		ok = crypto_dkg_share(d, keys[4], 4, s) == -1;
	}
	CHECK(ok, "a holder that did not complain of its wrong pair cannot "
	    "make a share");
	CHECK(subsets_open(d, 4), "2-of-4 without holder 4's share: the "
	    "other subsets open as they should");
	free(d);
}

/* Runs a ceremony up to the open EXTRACT phase. */
static int
run_to_extract(struct crypto_dkg *d, unsigned k, unsigned n)
{
	struct crypto_dkg_ceremony	 c;
	uint8_t				*body;
	size_t				 len;
	unsigned			 i, p;
	int				 rc = -1;

	if ((body = malloc(CRYPTO_DKG_BODY_MAX)) == NULL)
		die("malloc");
	ceremony_make(&c, k, n);
	if (crypto_dkg_init(d, &c) != 0)
		goto out;
	for (i = 1; i <= n; i++)
		randombytes_buf(seeds[i], CRYPTO_DKG_SEED_BYTES);
	for (p = CRYPTO_DKG_DEAL; p < CRYPTO_DKG_EXTRACT; p++) {
		for (i = 1; i <= n; i++) {
			if (!crypto_dkg_due(d, i))
				continue;
			if (p == CRYPTO_DKG_DEAL &&
			    crypto_dkg_deal(d, i, seeds[i], body, &len) != 0)
				goto out;
			if (p == CRYPTO_DKG_COMPLAIN &&
			    crypto_dkg_complain(d, keys[i], i, body, &len,
			    NULL) != 0)
				goto out;
			if (post(d, NULL, i, body, len) != CRYPTO_DKG_OK)
				goto out;
		}
		if (crypto_dkg_advance(d) != 0)
			goto out;
	}
	rc = 0;
out:
	free(body);
	return rc;
}

static void
test_extract(void)
{
	struct crypto_dkg	*d = dkg_new(), *other = dkg_new();
	uint8_t			*body, *deal, seed2[32], B[32], one[32], s[32];
	size_t			 len, dlen;
	unsigned		 n, k, i;
	char			 name[128];
	int			 ok;

	if ((body = malloc(CRYPTO_DKG_BODY_MAX)) == NULL ||
	    (deal = malloc(CRYPTO_DKG_BODY_MAX)) == NULL)
		die("malloc");
	memset(one, 0, 32);
	one[0] = 1;
	if (crypto_scalarmult_ristretto255_base(B, one) != 0)
		die("B");

	/* 3-of-3 and 3-of-4 are where fewer than k holders may be honest:
	 * a check at the holders' indices alone could not pin A_i0 there. */
	for (n = 3; n <= 4; n++) {
		k = 3;
		if (run_to_extract(d, k, n) != 0)
			die("run_to_extract");
		/*
		 * Dealer 2 extracts a polynomial other than the one it
		 * committed to: a valid-looking proof made against its own
		 * other commitments, offered against the real ones.
		 */
		*other = *d;
		randombytes_buf(seed2, sizeof(seed2));
		other->phase = CRYPTO_DKG_DEAL;
		if (crypto_dkg_deal(other, 2, seed2, deal, &dlen) != 0)
			die("deal");
		memcpy(other->C[1], deal, (size_t)k * 32);
		other->phase = CRYPTO_DKG_EXTRACT;
		CHECK(crypto_dkg_extract(other, 2, seed2, body, &len) == 0,
		    "a dealer can prove the extraction of what it committed");
		snprintf(name, sizeof(name), "%u-of-%u: extraction of another "
		    "polynomial than the committed one is refused", k, n);
		CHECK(post(d, NULL, 2, body, len) == CRYPTO_DKG_BAD_BODY, name);
		CHECK(crypto_dkg_extract(d, 2, seed2, body, &len) == -1,
		    "crypto_dkg_extract refuses a seed that does not match "
		    "the deal");

		/* A_0 moved by B, proof unchanged. */
		if (crypto_dkg_extract(d, 2, seeds[2], body, &len) != 0)
			die("extract");
		if (crypto_core_ristretto255_add(body, body, B) != 0)
			die("add");
		snprintf(name, sizeof(name), "%u-of-%u: a constant A_0 "
		    "changed after the proof is refused", k, n);
		CHECK(post(d, NULL, 2, body, len) == CRYPTO_DKG_BAD_BODY, name);
		/* A non-canonical response z_0 + L. */
		if (crypto_dkg_extract(d, 2, seeds[2], body, &len) != 0)
			die("extract");
		{
			uint8_t		*z = body + (size_t)k * 32 + 32;
			unsigned	 c = 0, b;

			for (b = 0; b < 32; b++) {
				c += (unsigned)z[b] + order_l[b];
				z[b] = (uint8_t)c;
				c >>= 8;
			}
		}
		CHECK(post(d, NULL, 2, body, len) == CRYPTO_DKG_BAD_BODY,
		    "an extraction proof with a response >= L is refused");

		for (i = 1; i <= n; i++) {
			if (i == 2)
				continue;
			if (crypto_dkg_extract(d, i, seeds[i], body, &len) != 0 ||
			    post(d, NULL, i, body, len) != CRYPTO_DKG_OK)
				die("honest extract");
		}
		snprintf(name, sizeof(name), "%u-of-%u: the dealer with no "
		    "valid extraction is named and no key comes out", k, n);
		ok = crypto_dkg_advance(d) == -1 && d->failed &&
		    crypto_dkg_dealer_status(d, 2) ==
		    CRYPTO_DKG_DEALER_NO_EXTRACT &&
		    crypto_dkg_dealer_status(d, 1) ==
		    CRYPTO_DKG_DEALER_EXTRACTED;
		CHECK(ok, name);
		ok = crypto_dkg_result(d, B, body) == -1 &&
		    crypto_dkg_share(d, keys[1], 1, s) == -1 &&
		    crypto_dkg_advance(d) == -1;
		CHECK(ok, "a failed ceremony gives no key, no share and no "
		    "further phase");
		if (crypto_scalarmult_ristretto255_base(B, one) != 0)
			die("B");
	}

	/* The seed decides the deal, through the ceremony. */
	if (run_to_extract(d, 2, 3) != 0)
		die("run_to_extract");
	*other = *d;
	other->phase = CRYPTO_DKG_DEAL;
	ok = crypto_dkg_deal(other, 1, seeds[1], deal, &dlen) == 0 &&
	    memcmp(deal, d->C[0][0], 2 * 32) == 0;
	CHECK(ok, "the same seed deals the same commitments again");
	ok = crypto_dkg_deal(other, 2, seeds[1], deal, &dlen) == 0 &&
	    memcmp(deal, d->C[0][0], 32) != 0;
	CHECK(ok, "the same seed deals otherwise for another dealer index");
	if (run_to_extract(other, 2, 3) != 0)
		die("run_to_extract");
	other->phase = CRYPTO_DKG_DEAL;
	ok = crypto_dkg_deal(other, 1, seeds[1], deal, &dlen) == 0 &&
	    memcmp(deal, d->C[0][0], 32) != 0;
	CHECK(ok, "the same seed deals otherwise in another ceremony");
	free(body);
	free(deal);
	free(d);
	free(other);
}

static void
test_messages(void)
{
	struct crypto_dkg		*d = dkg_new(), *e = dkg_new();
	struct crypto_dkg		*x = dkg_new();
	struct crypto_dkg_ceremony	 c2;
	uint8_t				*body, *m1, *m2, *m3, *big;
	size_t				 len, l1, l2, l3;
	unsigned			 i;
	int				 ok;

	if ((body = malloc(CRYPTO_DKG_BODY_MAX)) == NULL ||
	    (big = malloc(CRYPTO_DKG_MSG_MAX + 1)) == NULL)
		die("malloc");
	ceremony_make(&c2, 2, 3);
	if (crypto_dkg_init(d, &c2) != 0)
		die("init");
	randombytes_buf(seeds[1], 32);
	randombytes_buf(seeds[2], 32);
	randombytes_buf(seeds[3], 32);

	if (crypto_dkg_deal(d, 1, seeds[1], body, &len) != 0)
		die("deal");
	m1 = signed_msg(d, 1, keys[1], body, len, &l1);
	CHECK(crypto_dkg_accept(d, m1, l1) == CRYPTO_DKG_OK, "deal accepted");
	CHECK(crypto_dkg_accept(d, m1, l1) == CRYPTO_DKG_REPLAY,
	    "the same deal again is refused (replay)");
	if (crypto_dkg_deal(d, 1, seeds[2], body, &len) != 0)
		die("deal");
	m2 = signed_msg(d, 1, keys[1], body, len, &l2);
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_REPLAY,
	    "a second, different deal from the same dealer is refused");
	free(m2);

	/* Forgeries of holder 2's deal. */
	if (crypto_dkg_deal(d, 2, seeds[2], body, &len) != 0)
		die("deal");
	m2 = signed_msg(d, 2, keys[2], body, len, &l2);
	m2[21] = 3;	/* sender 2 → 3, signature by 2 */
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_BAD_SIGNATURE,
	    "a message re-addressed to another sender is refused");
	m2[21] = 0;
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_BAD_SENDER,
	    "sender 0 is refused");
	m2[21] = 4;
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_BAD_SENDER,
	    "sender n+1 is refused");
	m2[21] = 2;
	m2[l2 - 100] ^= 1;
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_BAD_SIGNATURE,
	    "a changed body is refused");
	m2[l2 - 100] ^= 1;
	m2[17] = CRYPTO_DKG_COMPLAIN;
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_BAD_SIGNATURE,
	    "a changed phase byte is refused");
	m2[17] = CRYPTO_DKG_DEAL;
	m2[0] = 2;
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_MALFORMED,
	    "another version is refused");
	m2[0] = 1;
	CHECK(crypto_dkg_accept(d, m2, CRYPTO_DKG_HEADER_BYTES +
	    CRYPTO_SIG_BYTES - 1) == CRYPTO_DKG_MALFORMED,
	    "a message shorter than header and signature is refused");
	CHECK(crypto_dkg_sign(d, 2, keys[3], body, len, big, &l3) == -1,
	    "signing as another holder is refused");
	memset(big, 0, CRYPTO_DKG_MSG_MAX + 1);
	memcpy(big, m2, CRYPTO_DKG_HEADER_BYTES);
	CHECK(crypto_dkg_accept(d, big, CRYPTO_DKG_MSG_MAX) ==
	    CRYPTO_DKG_BAD_SIGNATURE,
	    "a message of CRYPTO_DKG_MSG_MAX bytes is read");
	CHECK(crypto_dkg_accept(d, big, CRYPTO_DKG_MSG_MAX + 1) ==
	    CRYPTO_DKG_MALFORMED,
	    "a message of CRYPTO_DKG_MSG_MAX + 1 bytes is refused");

	/* Same holders, another ceremony; same id, other threshold. */
	ceremony_make(&c2, 2, 3);
	if (crypto_dkg_init(e, &c2) != 0 ||
	    crypto_dkg_deal(e, 2, seeds[2], body, &len) != 0)
		die("init e");
	m3 = signed_msg(e, 2, keys[2], body, len, &l3);
	CHECK(crypto_dkg_accept(d, m3, l3) == CRYPTO_DKG_WRONG_CEREMONY,
	    "a message of another ceremony is refused");
	free(m3);
	c2 = d->c;
	c2.threshold = 3;
	if (crypto_dkg_init(e, &c2) != 0 ||
	    crypto_dkg_deal(e, 2, seeds[2], body, &len) != 0)
		die("init e");
	m3 = signed_msg(e, 2, keys[2], body, len, &l3);
	CHECK(crypto_dkg_accept(d, m3, l3) == CRYPTO_DKG_BAD_SIGNATURE,
	    "a message of a ceremony with the same id but other terms is "
	    "refused");
	free(m3);

	/* Early: a complaint while DEAL is open. */
	*e = *d;
	if (crypto_dkg_advance(e) != 0)
		die("advance e");
	m3 = signed_msg(e, 3, keys[3], NULL, 0, &l3);
	CHECK(crypto_dkg_accept(d, m3, l3) == CRYPTO_DKG_WRONG_PHASE,
	    "a complaint before DEAL closes is refused");
	free(m3);

	/* Holder 3 deals on a record where holder 1 had not dealt yet:
	 * fine in DEAL (the checkpoint is the ceremony's). */
	if (crypto_dkg_deal(d, 3, seeds[3], body, &len) != 0)
		die("deal");
	m3 = signed_msg(d, 3, keys[3], body, len, &l3);
	CHECK(crypto_dkg_accept(d, m2, l2) == CRYPTO_DKG_OK &&
	    crypto_dkg_accept(d, m3, l3) == CRYPTO_DKG_OK,
	    "deals 2 and 3 accepted");
	/* The same deals in another order give the same checkpoint. */
	if (crypto_dkg_init(x, &d->c) != 0 ||
	    crypto_dkg_accept(x, m3, l3) != CRYPTO_DKG_OK ||
	    crypto_dkg_accept(x, m1, l1) != CRYPTO_DKG_OK ||
	    crypto_dkg_accept(x, m2, l2) != CRYPTO_DKG_OK)
		die("reorder");
	/* A record missing deal 3 (a relay hiding it from holder 1). */
	if (crypto_dkg_init(e, &d->c) != 0 ||
	    crypto_dkg_accept(e, m1, l1) != CRYPTO_DKG_OK ||
	    crypto_dkg_accept(e, m2, l2) != CRYPTO_DKG_OK)
		die("partial view");
	ok = crypto_dkg_advance(d) == 0 && crypto_dkg_advance(x) == 0 &&
	    crypto_dkg_advance(e) == 0 &&
	    memcmp(d->checkpoint, x->checkpoint, 32) == 0 &&
	    memcmp(d->checkpoint, e->checkpoint, 32) != 0;
	CHECK(ok, "the checkpoint does not depend on arrival order, only on "
	    "what arrived");
	CHECK(crypto_dkg_accept(d, m1, l1) == CRYPTO_DKG_WRONG_PHASE,
	    "a deal after DEAL closed is refused (late)");
	if (crypto_dkg_complain(e, keys[1], 1, body, &len, NULL) != 0)
		die("complain e");
	free(m3);
	m3 = signed_msg(e, 1, keys[1], body, len, &l3);
	CHECK(crypto_dkg_accept(d, m3, l3) == CRYPTO_DKG_STALE,
	    "a complaint made on another record of DEAL is refused (stale)");
	free(m3);

	/* COMPLAIN bodies. */
	be32(body, 1);
	CHECK(post(d, NULL, 1, body, 4) == CRYPTO_DKG_BAD_BODY,
	    "a complaint against oneself is refused");
	be32(body, 3);
	be32(body + 4, 2);
	CHECK(post(d, NULL, 1, body, 8) == CRYPTO_DKG_BAD_BODY,
	    "a complaint list out of order is refused");
	be32(body, 4);
	CHECK(post(d, NULL, 1, body, 4) == CRYPTO_DKG_BAD_BODY,
	    "a complaint against index n+1 is refused");
	be32(body, 2);
	be32(body + 4, 3);
	be32(body + 8, 3);
	CHECK(post(d, NULL, 1, body, 12) == CRYPTO_DKG_MALFORMED,
	    "a complaint list of n entries is refused");
	CHECK(post(d, NULL, 1, body, 3) == CRYPTO_DKG_MALFORMED,
	    "a complaint list of a length not a multiple of 4 is refused");
	for (i = 1; i <= 3; i++)
		if (crypto_dkg_complain(d, keys[i], i, body, &len, NULL) != 0 ||
		    post(d, NULL, i, body, len) != CRYPTO_DKG_OK)
			die("complain");
	CHECK(crypto_dkg_complain(d, keys[2], 1, body, &len, NULL) == -1,
	    "crypto_dkg_complain refuses a key that is not the holder's");
	if (crypto_dkg_advance(d) != 0)
		die("advance");
	/* ANSWER with no complaints: nobody is due. */
	be32(body, 2);
	memset(body + 4, 0, 64);
	CHECK(post(d, NULL, 1, body, 68) == CRYPTO_DKG_NOT_DUE,
	    "an answer from a dealer nobody complained of is refused");
	CHECK(crypto_dkg_answer(d, 1, seeds[1], body, &len) == -1,
	    "crypto_dkg_answer refuses when not due");
	if (crypto_dkg_advance(d) != 0)
		die("advance");
	for (i = 1; i <= 3; i++)
		if (crypto_dkg_extract(d, i, seeds[i], body, &len) != 0 ||
		    post(d, NULL, i, body, len) != CRYPTO_DKG_OK)
			die("extract");
	CHECK(crypto_dkg_extract(d, 1, seeds[1], body, &len) == -1,
	    "a second extraction is not made");
	if (crypto_dkg_advance(d) != 0)
		die("advance");
	CHECK(crypto_dkg_accept(d, m1, l1) == CRYPTO_DKG_WRONG_PHASE,
	    "after DONE an old message is refused");
	CHECK(crypto_dkg_advance(d) == -1, "no phase after DONE");
	CHECK(subsets_open(d, 0), "the ceremony of these checks gives a "
	    "working 2-of-3 key");
	free(m1);
	free(m2);
	free(big);
	free(body);
	free(d);
	free(e);
	free(x);
}

static void
test_pair_verify(void)
{
	struct crypto_dkg	*d = dkg_new();
	uint8_t			 plain[CRYPTO_DKG_PAIR_BYTES +
				     CRYPTO_DKG_TAG_BYTES];
	uint8_t			 bad[CRYPTO_DKG_PAIR_BYTES], C[2][32];
	unsigned		 c = 0, b;

	if (run_to_extract(d, 2, 3) != 0 ||
	    crypto_box_open_with(keys[2], d->sealed[0][1],
	    CRYPTO_DKG_SEALED_BYTES, plain) != 0)
		die("setup");
	CHECK(crypto_dkg_pair_verify(d->C[0][0], 2, 2, plain) == 0,
	    "a dealt pair checks at its index");
	CHECK(crypto_dkg_pair_verify(d->C[0][0], 2, 3, plain) == -1,
	    "a dealt pair fails at another index");
	CHECK(crypto_dkg_pair_verify(d->C[1][0], 2, 2, plain) == -1,
	    "a dealt pair fails against another dealer's commitments");
	CHECK(crypto_dkg_pair_verify(d->C[0][0], 2, 0, plain) == -1,
	    "index 0 refused");
	for (b = 0; b < 32; b++) {
		c += (unsigned)plain[b] + order_l[b];
		bad[b] = (uint8_t)c;
		c >>= 8;
	}
	memcpy(bad + 32, plain + 32, 32);
	CHECK(crypto_dkg_pair_verify(d->C[0][0], 2, 2, bad) == -1,
	    "a pair with s + L (same value mod L) refused");
	memset(bad, 0, 32);
	CHECK(crypto_dkg_pair_verify(d->C[0][0], 2, 2, bad) == -1,
	    "a pair with s = 0 refused");
	memcpy(C, d->C[0][0], 64);
	memset(C[1], 0, 32);
	CHECK(crypto_dkg_pair_verify(C[0], 2, 2, plain) == -1,
	    "an identity commitment refused");
	sodium_memzero(plain, sizeof(plain));
	free(d);
}

static void
test_max(void)
{
	struct crypto_dkg		*d = dkg_new();
	struct crypto_dkg_ceremony	 c;
	uint8_t				*body;
	size_t				 len;
	int				 ok;

	if ((body = malloc(CRYPTO_DKG_BODY_MAX)) == NULL)
		die("malloc");
	ceremony_make(&c, NMAX, NMAX);
	randombytes_buf(seeds[1], 32);
	ok = crypto_dkg_init(d, &c) == 0 &&
	    crypto_dkg_deal(d, 1, seeds[1], body, &len) == 0 &&
	    len == CRYPTO_DKG_BODY_MAX &&
	    post(d, NULL, 1, body, len) == CRYPTO_DKG_OK;
	CHECK(ok, "a deal of k = n = CRYPTO_DKG_MAX_HOLDERS fills "
	    "CRYPTO_DKG_BODY_MAX and is accepted");
	ok = run(d, NULL, 2, NMAX, NULL) == 0 && subsets_open(d, 0) == 1;
	CHECK(ok, "2-of-CRYPTO_DKG_MAX_HOLDERS: every holder's share checks; "
	    "each run of 2 neighbours opens, no single holder does");
	free(body);
	free(d);
}

/* A file's text; NULL if unreadable. */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) ==
	    NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * The name of the function whose body holds position p in a style(9)
 * file: the last line before p that starts with an identifier followed
 * by '(' at column 0. Written into name (empty if none).
 */
static void
function_at(const char *src, const char *p, char *name, size_t len)
{
	const char	*line, *best = NULL;
	size_t		 n;

	for (line = src; line != NULL && line < p;) {
		if ((*line >= 'a' && *line <= 'z') || *line == '_') {
			n = strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789_");
			if (line[n] == '(')
				best = line;
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	name[0] = '\0';
	if (best == NULL)
		return;
	n = strspn(best, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (n >= len)
		n = len - 1;
	memcpy(name, best, n);
	name[n] = '\0';
}

/* The body of function `fn` (from its name line to the next "\n}\n"). */
static char *
function_body(const char *src, const char *fn)
{
	const char	*p = src, *end;
	size_t		 n = strlen(fn);
	char		*out;

	while ((p = strstr(p, fn)) != NULL) {
		if ((p == src || p[-1] == '\n') && p[n] == '(')
			break;
		p += n;
	}
	if (p == NULL || (end = strstr(p, "\n}\n")) == NULL)
		return NULL;
	if ((out = malloc((size_t)(end - p) + 1)) == NULL)
		return NULL;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return out;
}

/*
 * No function sums the dealers' secret constants: in dkg.c scalars are
 * added only by Horner's rule within one dealer's polynomial, by the
 * proof's responses (r + c·a, public) and by a holder adding up the
 * sub-shares dealt to its own index; the key is made from points by the
 * function under the DKG-NO-WHOLE-SCALAR comment, which does no scalar
 * arithmetic; and the generic scalar sum is not called.
 */
static void
test_no_whole_scalar(void)
{
	static const char *const allowed[] = {
		"poly_eval", "extract_prove", "crypto_dkg_share"
	};
	static const char *const around[] = {
		"client/dkg_cmd.c", "client/dkg_state.c", "server/api_ceremony.c"
	};
	char		 path[512], fn[64], *src, *body;
	const char	*p, *mark, *suffix = "tests/unit/crypto_dkg_test.c";
	size_t		 flen = strlen(__FILE__), slen = strlen(suffix), i;
	int		 ok, adds = 0;

	if (flen < slen || strcmp(__FILE__ + flen - slen, suffix) != 0)
		die("cannot find the source tree");
	snprintf(path, sizeof(path), "%.*scrypto/dkg.c", (int)(flen - slen),
	    __FILE__);
	if ((src = slurp(path)) == NULL)
		die("cannot read crypto/dkg.c");

	mark = strstr(src, "DKG-NO-WHOLE-SCALAR");
	CHECK(mark != NULL && strstr(mark + 1, "DKG-NO-WHOLE-SCALAR") == NULL,
	    "dkg.c has one DKG-NO-WHOLE-SCALAR comment");
	/* The function right after the comment makes Y from points. */
	p = mark == NULL ? NULL : strstr(mark, "*/\n");
	function_at(src, p == NULL ? src : strstr(p, "(") + 1, fn, sizeof(fn));
	body = function_body(src, fn);
	ok = body != NULL && strcmp(fn, "dkg_public_key") == 0 &&
	    strstr(body, "crypto_point_sum") != NULL &&
	    strstr(body, "scalar") == NULL;
	CHECK(ok, "the key is a sum of points in dkg_public_key, which "
	    "touches no scalar");
	free(body);

	ok = 1;
	for (p = src; (p = strstr(p, "scalar_add")) != NULL; p++) {
		adds++;
		function_at(src, p, fn, sizeof(fn));
		for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
			if (strcmp(fn, allowed[i]) == 0)
				break;
		if (i == sizeof(allowed) / sizeof(allowed[0])) {
			printf("# scalar_add in %s\n", fn);
			ok = 0;
		}
	}
	CHECK(ok && adds > 0, "scalars are added only within one polynomial, "
	    "in proof responses and over one holder's sub-shares");
	body = function_body(src, "crypto_dkg_share");
	ok = body != NULL && (p = strstr(body, "scalar_add")) != NULL &&
	    strstr(p, "pair)") != NULL && strstr(p, "pair)") < strchr(p, ';');
	CHECK(ok, "crypto_dkg_share adds the pairs dealt to its own index");
	free(body);
	CHECK(strstr(src, "crypto_scalar_sum") == NULL,
	    "dkg.c never calls the generic scalar sum");
	free(src);

	/* The ceremony around it: the client's steps and state file and the
	 * relay do no scalar arithmetic at all; a holder's share comes from
	 * crypto_dkg_share alone. */
	for (i = 0; i < sizeof(around) / sizeof(around[0]); i++) {
		snprintf(path, sizeof(path), "%.*s%s", (int)(flen - slen),
		    __FILE__, around[i]);
		if ((src = slurp(path)) == NULL)
			die("cannot read a ceremony source file");
		ok = strstr(src, "scalar_add") == NULL &&
		    strstr(src, "scalar_sum") == NULL &&
		    strstr(src, "scalar_mul") == NULL &&
		    strstr(src, "ristretto255_scalar") == NULL;
		if (i == 0)
			ok = ok && strstr(src, "crypto_dkg_share(") != NULL;
		snprintf(fn, sizeof(fn), "%s does no scalar arithmetic",
		    around[i]);
		CHECK(ok, fn);
		free(src);
	}
}

int
main(void)
{
	unsigned	i;

	if (crypto_init() != 0) {
		printf("not ok - crypto_init\n");
		return 1;
	}
	for (i = 1; i <= NMAX; i++) {
		if ((keys[i] = crypto_secret_alloc(sizeof(*keys[i]))) == NULL)
			die("crypto_secret_alloc");
		crypto_admin_keygen(keys[i]);
	}
	test_generator();
	test_ceremony_check();
	test_honest();
	test_config();
	test_complaints();
	test_extract();
	test_messages();
	test_pair_verify();
	test_max();
	test_no_whole_scalar();
	for (i = 1; i <= NMAX; i++)
		crypto_secret_free(keys[i]);
	sodium_memzero(seeds, sizeof(seeds));
	return tap_done();
}
