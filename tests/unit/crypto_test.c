/*
 * crypto_test: unit tests of crypto/ with real libsodium. Known answers
 * (RFC 9496 ristretto255, RFC 8032 Ed25519) pin the primitives; every
 * format is round-tripped and every rejection the header promises is
 * shown to happen. Kept under 5 s: only one Argon2id run at the
 * "moderate" cost each way; the other passphrase cases use blobs made here
 * at the smallest cost.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/crypto.h"
#include "tap.h"

/* RFC 9496, A.1: encodings of n·B for n = 0..15. */
static const char *const multiples[16] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
	"6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
	"94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
	"da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
	"e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
	"f64746d3c92b13050ed8d80236a7f0007c3b3f962f5ba793d19a601ebb1df403",
	"44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d",
	"903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
	"02622ace8f7303a31cafc63f8fc48fdc16e1c8c8d234b2f0d6685282a9076031",
	"20706fd788b2720a1ed2a5dad4952b01f413bcf0e7564de8cdc816689e2db95f",
	"bce83f8ba5dd2fa572864c24ba1810f9522bc6004afe95877ac73241cafdab42",
	"e4549ee16b9aa03099ca208c67adafcafa4c3f3e4e5303de6026e3ca8ff84460",
	"aa52e000df2e16f55fb1032fc33bc42742dad6bd5a8fc0be0167436c5948501f",
	"46376b80f409b29dc2b5f6f0c52591990896e5716f41477cd30085ab7f10301e",
	"e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e",
};

/* RFC 9496, A.2: encodings that must be rejected (a selection). */
static const char *const invalid_points[] = {
	/* non-canonical field encodings */
	"00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	/* negative field elements */
	"0100000000000000000000000000000000000000000000000000000000000000",
	"01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20",
	"c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562",
	/* non-square x^2 */
	"26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
	"4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
	"de6a7b00deadc788eb6b6c8d20c0ae96c2f2019078fa604fee5b87d6e989ad7b",
	/* negative xy value */
	"3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
	"a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220",
	/* s = -1, which causes y = 0 */
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

/* L, little-endian. */
static const uint8_t order_l[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
	0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10
};

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
unhex(const char *h, uint8_t *out, size_t len)
{
	size_t	n;

	if (sodium_hex2bin(out, len, h, strlen(h), NULL, &n, NULL) != 0 ||
	    n != len) {
		fprintf(stderr, "bad hex in test: %s\n", h);
		exit(2);
	}
}

static int
all_zero(const void *p, size_t len)
{
	return sodium_is_zero(p, len);
}

/* a + b over 256 bits, little-endian (no reduction). */
static void
add256(const uint8_t a[32], const uint8_t b[32], uint8_t out[32])
{
	unsigned int	c = 0;
	size_t		i;

	for (i = 0; i < 32; i++) {
		c += (unsigned int)a[i] + b[i];
		out[i] = (uint8_t)c;
		c >>= 8;
	}
}

static void
small_scalar(unsigned int v, uint8_t s[32])
{
	memset(s, 0, 32);
	s[0] = (uint8_t)v;
	s[1] = (uint8_t)(v >> 8);
}

static void
test_ristretto(void)
{
	uint8_t	n[32], p[32], want[32];
	char	name[64];
	size_t	i;
	int	ok;

	for (i = 0; i < 16; i++) {
		unhex(multiples[i], want, 32);
		small_scalar((unsigned int)i, n);
		snprintf(name, sizeof(name), "RFC 9496 A.1: %zu·B", i);
		if (i == 0) {
			/* libsodium refuses to output the identity */
			CHECK(crypto_scalarmult_ristretto255_base(p, n) == -1 &&
			    all_zero(want, 32), name);
			CHECK(crypto_point_check(want) == -1,
			    "identity encoding rejected by point_check");
			continue;
		}
		CHECK(crypto_scalarmult_ristretto255_base(p, n) == 0 &&
		    memcmp(p, want, 32) == 0, name);
		snprintf(name, sizeof(name), "point_check accepts %zu·B", i);
		CHECK(crypto_point_check(want) == 0, name);
	}
	ok = 1;
	for (i = 0; i < sizeof(invalid_points) / sizeof(invalid_points[0]);
	    i++) {
		unhex(invalid_points[i], p, 32);
		if (crypto_point_check(p) != -1) {
			ok = 0;
			printf("# accepted invalid %s\n", invalid_points[i]);
		}
	}
	CHECK(ok, "RFC 9496 A.2: every invalid encoding rejected");
}

static void
test_scalar(void)
{
	uint8_t	s[32], one[32], lm1[32], lp1[32];

	memset(s, 0, 32);
	CHECK(crypto_scalar_check(s) == -1, "scalar 0 rejected");
	CHECK(crypto_scalar_check(order_l) == -1, "scalar L rejected");
	small_scalar(1, one);
	add256(order_l, one, lp1);
	CHECK(crypto_scalar_check(lp1) == -1, "scalar L+1 rejected");
	memset(s, 0xff, 32);
	s[31] = 0x7f;
	CHECK(crypto_scalar_check(s) == -1, "scalar 2^255-1 rejected");
	memset(s, 0xff, 32);
	CHECK(crypto_scalar_check(s) == -1, "scalar 2^256-1 rejected");
	CHECK(crypto_scalar_check(one) == 0, "scalar 1 accepted");
	memcpy(lm1, order_l, 32);
	lm1[0]--;
	CHECK(crypto_scalar_check(lm1) == 0, "scalar L-1 accepted");
	/* 2^252 < L: a value with only the top-byte bit set below L's */
	memset(s, 0, 32);
	s[31] = 0x10;
	CHECK(crypto_scalar_check(s) == 0, "scalar 2^252 accepted");
	crypto_core_ristretto255_scalar_random(s);
	CHECK(crypto_scalar_check(s) == 0, "random scalar accepted");
}

static void
test_seal(void)
{
	static const char	msg[] = "laporan: jalan rusak di desa";
	const char		*ad = "case:17:content";
	uint8_t			 key[CRYPTO_KEY_BYTES], key2[CRYPTO_KEY_BYTES];
	uint8_t			 ct[sizeof(msg) + CRYPTO_SEAL_OVERHEAD];
	uint8_t			 bad[sizeof(ct)], pt[sizeof(msg)];
	uint8_t			 empty[CRYPTO_SEAL_OVERHEAD], none[1];
	size_t			 at[3] = { 0, 24, sizeof(ct) - 1 };
	const char		*what[3] = { "nonce", "ciphertext", "tag" };
	char			 name[64];
	size_t			 i;

	crypto_random(key, sizeof(key));
	crypto_random(key2, sizeof(key2));
	CHECK(crypto_seal(key, ad, strlen(ad), msg, sizeof(msg), ct) == 0,
	    "seal");
	CHECK(crypto_open(key, ad, strlen(ad), ct, sizeof(ct), pt) == 0 &&
	    memcmp(pt, msg, sizeof(msg)) == 0, "seal/open round trip");
	for (i = 0; i < 3; i++) {
		memcpy(bad, ct, sizeof(ct));
		bad[at[i]] ^= 0x01;
		memset(pt, 0xaa, sizeof(pt));
		snprintf(name, sizeof(name), "open refuses flipped %s (wiped)",
		    what[i]);
		CHECK(crypto_open(key, ad, strlen(ad), bad, sizeof(bad),
		    pt) == -1 && all_zero(pt, sizeof(pt)), name);
	}
	CHECK(crypto_open(key, "case:18:content", 15, ct, sizeof(ct),
	    pt) == -1, "open refuses wrong additional data");
	CHECK(crypto_open(key2, ad, strlen(ad), ct, sizeof(ct), pt) == -1,
	    "open refuses wrong key");
	CHECK(crypto_open(key, ad, strlen(ad), ct, CRYPTO_SEAL_OVERHEAD - 1,
	    pt) == -1, "open refuses short input");
	CHECK(crypto_seal(key, NULL, 0, NULL, 0, empty) == 0 &&
	    crypto_open(key, NULL, 0, empty, sizeof(empty), none) == 0,
	    "empty message round trip");
	CHECK(crypto_seal(key, ad, strlen(ad), msg, sizeof(msg), bad) == 0 &&
	    memcmp(bad, ct, 24) != 0, "fresh nonce per seal");
}

static void
test_hash(void)
{
	struct crypto_part		 p1[2], p2[2];
	crypto_generichash_state	 st;
	uint8_t				 h1[32], h2[32], ref[32];
	uint8_t				 len[8] = { 0 };
	uint8_t				 key[32];

	p1[0].p = "ab";
	p1[0].len = 2;
	p1[1].p = "c";
	p1[1].len = 1;
	crypto_hash_parts("t", p1, 2, h1);
	/* reference framing: "t" 0x00 be64(2) "ab" be64(1) "c" */
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const unsigned char *)"t", 2);
	len[7] = 2;
	crypto_generichash_update(&st, len, 8);
	crypto_generichash_update(&st, (const unsigned char *)"ab", 2);
	len[7] = 1;
	crypto_generichash_update(&st, len, 8);
	crypto_generichash_update(&st, (const unsigned char *)"c", 1);
	crypto_generichash_final(&st, ref, 32);
	CHECK(memcmp(h1, ref, 32) == 0, "hash_parts framing as documented");
	p2[0].p = "a";
	p2[0].len = 1;
	p2[1].p = "bc";
	p2[1].len = 2;
	crypto_hash_parts("t", p2, 2, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "hash_parts: parts cannot slide");
	crypto_hash_parts("u", p1, 2, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "hash_parts: tag separates domains");

	crypto_random(key, sizeof(key));
	crypto_keyed_hash(key, "abc", 3, h1);
	crypto_generichash(ref, 32, (const unsigned char *)"abc", 3, key, 32);
	CHECK(memcmp(h1, ref, 32) == 0, "keyed_hash is keyed BLAKE2b-256");
}

static void
test_sign(void)
{
	uint8_t			 seed[32], pk[32], pk2[32], sk[64], sig[64];
	uint8_t			 want_pk[32], want_sig[64], h[32], h2[32];
	uint8_t			 other[32];
	struct crypto_content	 c;

	/* RFC 8032, 7.1, test 1 (empty message) */
	unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	    seed, 32);
	unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	    want_pk, 32);
	unhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901"
	    "555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
	    want_sig, 64);
	CHECK(crypto_sign_from_seed(seed, pk, sk) == 0 &&
	    memcmp(pk, want_pk, 32) == 0, "RFC 8032 test 1: key from seed");
	crypto_sign_msg(sk, "", 0, sig);
	CHECK(memcmp(sig, want_sig, 64) == 0, "RFC 8032 test 1: signature");
	CHECK(crypto_sign_check(pk, "", 0, sig) == 0, "signature verifies");
	CHECK(crypto_sign_check(pk, "x", 1, sig) == -1,
	    "signature of another message refused");

	memset(&c, 0, sizeof(c));
	c.kind = "complaint";
	c.title = "ab";
	c.body = "";
	crypto_content_hash(&c, h);
	c.title = "a";
	c.body = "b";
	crypto_content_hash(&c, h2);
	CHECK(memcmp(h, h2, 32) != 0, "content hash: fields cannot slide");
	c.visibility = "confidential";
	crypto_content_hash(&c, h);
	c.visibility = NULL;
	crypto_content_hash(&c, h2);
	CHECK(memcmp(h, h2, 32) == 0,
	    "content hash: absent visibility is confidential");
	c.visibility = "public";
	crypto_content_hash(&c, h2);
	CHECK(memcmp(h, h2, 32) != 0, "content hash: visibility counts");

	{
		struct crypto_part	p[8];
		const char		*f[8] = { "complaint", "a", "b", "", "",
					    "", "", "public" };
		size_t			i;

		for (i = 0; i < 8; i++) {
			p[i].p = f[i];
			p[i].len = strlen(f[i]);
		}
		crypto_hash_parts("bisik-content-v1", p, 8, other);
		CHECK(memcmp(other, h2, 32) == 0,
		    "content hash as documented");
	}
	{
		struct crypto_receipt	 r, r2;
		struct crypto_part	 p[6];
		uint8_t			 d[32];
		uint8_t			 seq[8] = { 0, 0, 0, 0, 0, 0, 0, 42 };

		memset(&r, 0, sizeof(r));
		r.case_ref = "LAP-2024-000017";
		r.at = "2024-05-01T08:00:00Z";
		memcpy(r.content_hash, h, 32);
		r.has_identity = 1;
		memset(r.identity_hash, 0x11, 32);
		r.audit_seq = 42;
		memset(r.audit_head, 0x22, 32);
		crypto_receipt_sign(sk, &r, sig);
		p[0].p = r.case_ref;
		p[0].len = 15;
		p[1].p = r.at;
		p[1].len = 20;
		p[2].p = h;
		p[2].len = 32;
		p[3].p = r.identity_hash;
		p[3].len = 32;
		p[4].p = seq;
		p[4].len = 8;
		p[5].p = r.audit_head;
		p[5].len = 32;
		crypto_hash_parts("bisik-receipt-v2", p, 6, d);
		CHECK(crypto_sign_verify_detached(sig, d, 32, pk) == 0,
		    "receipt signs the documented digest");
		CHECK(crypto_receipt_verify(pk, &r, sig) == 0,
		    "receipt verifies");
		r2 = r;
		r2.case_ref = "LAP-2024-000018";
		CHECK(crypto_receipt_verify(pk, &r2, sig) == -1,
		    "receipt: other case");
		r2 = r;
		r2.at = "2024-05-01T08:00:01Z";
		CHECK(crypto_receipt_verify(pk, &r2, sig) == -1,
		    "receipt: other time");
		r2 = r;
		r2.content_hash[5] ^= 0x40;
		CHECK(crypto_receipt_verify(pk, &r2, sig) == -1,
		    "receipt: other content hash");
		r2 = r;
		r2.identity_hash[0] ^= 1;
		CHECK(crypto_receipt_verify(pk, &r2, sig) == -1,
		    "receipt: other sealed identity");
		r2 = r;
		r2.has_identity = 0;
		CHECK(crypto_receipt_verify(pk, &r2, sig) == -1,
		    "receipt: identity left out");
		r2 = r;
		r2.audit_seq = 41;
		CHECK(crypto_receipt_verify(pk, &r2, sig) == -1,
		    "receipt: other audit entry");
		r2 = r;
		r2.audit_head[31] ^= 1;
		CHECK(crypto_receipt_verify(pk, &r2, sig) == -1,
		    "receipt: other audit head");
		seed[0] ^= 1;
		CHECK(crypto_sign_from_seed(seed, pk2, sk) == 0 &&
		    crypto_receipt_verify(pk2, &r, sig) == -1,
		    "receipt: other key");
	}
}

static void
test_box(void)
{
	struct crypto_admin_key	*a, *b;
	static const uint8_t	 msg[32] = { 1, 2, 3 };
	uint8_t			 box[sizeof(msg) + CRYPTO_BOX_SEAL_OVERHEAD];
	uint8_t			 out[sizeof(msg)];

	a = crypto_secret_alloc(sizeof(*a));
	b = crypto_secret_alloc(sizeof(*b));
	if (a == NULL || b == NULL) {
		CHECK(0, "secret_alloc");
		return;
	}
	crypto_admin_keygen(a);
	crypto_admin_keygen(b);
	CHECK(crypto_box_to(a->box_pk, msg, sizeof(msg), box) == 0 &&
	    crypto_box_open_with(a, box, sizeof(box), out) == 0 &&
	    memcmp(out, msg, sizeof(msg)) == 0, "sealed box round trip");
	memset(out, 0xaa, sizeof(out));
	CHECK(crypto_box_open_with(b, box, sizeof(box), out) == -1 &&
	    all_zero(out, sizeof(out)), "sealed box: other key refused");
	box[40] ^= 1;
	CHECK(crypto_box_open_with(a, box, sizeof(box), out) == -1,
	    "sealed box: tampered refused");
	CHECK(crypto_box_open_with(a, box, CRYPTO_BOX_SEAL_OVERHEAD - 1,
	    out) == -1, "sealed box: short refused");
	crypto_secret_free(a);
	crypto_secret_free(b);
	crypto_secret_free(NULL);
}

static int
b64_fails(const char *text, size_t maxlen)
{
	uint8_t	out[16];
	size_t	n = 12345;

	return crypto_b64_decode(text, strlen(text), out, maxlen, &n) == -1 &&
	    n == 12345;
}

static void
test_b64(void)
{
	uint8_t	bin[20], back[20];
	char	text[40];
	size_t	len, n;
	int	ok = 1;

	for (len = 0; len <= sizeof(bin); len++) {
		crypto_random(bin, len);
		crypto_b64_encode(bin, len, text);
		if (strlen(text) + 1 != crypto_b64_len(len) ||
		    crypto_b64_decode(text, strlen(text), back, len, &n) != 0 ||
		    n != len || memcmp(bin, back, len) != 0)
			ok = 0;
	}
	CHECK(ok, "b64 round trip, lengths 0..20");
	crypto_b64_encode("foobar", 6, text);
	CHECK(strcmp(text, "Zm9vYmFy") == 0, "b64 known answer foobar");
	crypto_b64_encode("fo", 2, text);
	CHECK(strcmp(text, "Zm8=") == 0, "b64 known answer fo (padded)");
	CHECK(b64_fails("Zm9v!mFy", 16), "b64 refuses a bad character");
	CHECK(b64_fails("Zm9v YmFy", 16), "b64 refuses whitespace");
	CHECK(b64_fails("Zm8", 16), "b64 refuses missing padding");
	CHECK(b64_fails("Zm8==", 16), "b64 refuses extra padding");
	CHECK(b64_fails("Zm9=", 16), "b64 refuses non-zero leftover bits");
	CHECK(b64_fails("Zm9v-_Fy", 16), "b64 refuses the url-safe alphabet");
	CHECK(b64_fails("Zm9vYmFy", 5), "b64 refuses output over maxlen");
	CHECK(crypto_b64_decode("Zm9vYmFy", 8, back, 6, &n) == 0 && n == 6,
	    "b64 accepts output of exactly maxlen");
	CHECK(crypto_b64_decode("Zm9v\0mFy", 8, back, 16, &n) == -1,
	    "b64 refuses an embedded NUL");
}

static int
tolower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static void
strip_dashes(const char *in, char *out)
{
	for (; *in != '\0'; in++)
		if (*in != '-')
			*out++ = *in;
	*out = '\0';
}

static int
token_ok(const char *text, size_t len, const char *want)
{
	char	canon[CRYPTO_TOKEN_SYMBOLS + 1];

	if (crypto_token_parse(text, len, canon) != 0)
		return 0;
	return want == NULL || strcmp(canon, want) == 0;
}

static void
test_tokens(void)
{
	char	tok[CRYPTO_TOKEN_TEXT], canon[CRYPTO_TOKEN_SYMBOLS + 1];
	char	plain[CRYPTO_TOKEN_SYMBOLS + 1], buf[256];
	uint8_t	p1[32], p2[32], h1[32], h2[32], h3[32], hc[32];
	size_t	i, tries;
	int	ok, got0, got1;

	crypto_token_new(tok);
	ok = strlen(tok) == CRYPTO_TOKEN_TEXT - 1;
	for (i = 0; ok && tok[i] != '\0'; i++)
		if (i % 5 == 4 ? tok[i] != '-' :
		    strchr(alphabet, tok[i]) == NULL)
			ok = 0;
	CHECK(ok, "token display form: 8 groups of 4 Crockford symbols");
	strip_dashes(tok, plain);
	CHECK(token_ok(tok, strlen(tok), plain), "token parse round trip");
	crypto_generichash(h1, 32, (const unsigned char *)plain, 31,
	    (const unsigned char *)"bisik-token-check", 17);
	CHECK(plain[31] == alphabet[h1[0] >> 3],
	    "token check symbol as documented");
	CHECK(token_ok(plain, strlen(plain), plain),
	    "token parse without separators");
	for (i = 0; tok[i] != '\0'; i++)
		buf[i] = tok[i] == '-' ? ' ' : (char)tolower_ascii(tok[i]);
	buf[i] = '\0';
	CHECK(token_ok(buf, strlen(buf), plain),
	    "token parse: lower case and spaces");

	/* O -> 0, I and L -> 1: needs a token holding both 0 and 1 */
	got0 = got1 = 0;
	for (tries = 0; tries < 1000 && !(got0 && got1); tries++) {
		crypto_token_new(tok);
		got0 = strchr(tok, '0') != NULL;
		got1 = strchr(tok, '1') != NULL;
	}
	strip_dashes(tok, plain);
	for (i = 0; tok[i] != '\0'; i++) {
		buf[i] = tok[i];
		if (tok[i] == '0')
			buf[i] = i % 2 ? 'O' : 'o';
		else if (tok[i] == '1')
			buf[i] = "ILil"[i % 4];
	}
	buf[i] = '\0';
	CHECK(got0 && got1 && strcmp(buf, tok) != 0 &&
	    token_ok(buf, strlen(buf), plain), "token parse maps O/I/L");

	ok = 1;
	for (i = 0; i < 32; i++) {
		memcpy(buf, plain, sizeof(plain));
		if (alphabet[i] == plain[31])
			continue;
		buf[31] = alphabet[i];
		if (token_ok(buf, 32, NULL))
			ok = 0;
	}
	CHECK(ok, "token: every wrong check symbol refused");
	/* A changed symbol is caught unless the changed token's own check
	 * symbol happens to be the old one (1 in 32 for a random token): use
	 * the first replacement of symbol 3 for which it is not, so that the
	 * check does not depend on the draw. */
	memcpy(buf, plain, sizeof(plain));
	for (i = 0; i < 32; i++) {
		if (alphabet[i] == plain[3])
			continue;
		buf[3] = alphabet[i];
		crypto_generichash(hc, 32, (const unsigned char *)buf, 31,
		    (const unsigned char *)"bisik-token-check", 17);
		if (alphabet[hc[0] >> 3] != plain[31])
			break;
	}
	CHECK(i < 32 && !token_ok(buf, 32, NULL),
	    "token: changed symbol refused");
	CHECK(!token_ok(plain, 31, NULL), "token: 31 symbols refused");
	snprintf(buf, sizeof(buf), "%s0", plain);
	CHECK(!token_ok(buf, 33, NULL), "token: 33 symbols refused");
	CHECK(!token_ok("", 0, NULL), "token: empty refused");
	memcpy(buf, plain, sizeof(plain));
	buf[5] = 'U';
	CHECK(!token_ok(buf, 32, NULL), "token: U refused");
	buf[5] = '*';
	CHECK(!token_ok(buf, 32, NULL), "token: * refused");
	buf[5] = '\0';
	CHECK(!token_ok(buf, 32, NULL), "token: NUL refused");
	buf[5] = (char)0xc3;
	CHECK(!token_ok(buf, 32, NULL), "token: non-ASCII refused");

	/* the bound: exactly CRYPTO_TOKEN_MAX_INPUT is fine, one more not */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, plain, 32);
	CHECK(token_ok(buf, CRYPTO_TOKEN_MAX_INPUT, plain),
	    "token: input of exactly the maximum accepted");
	CHECK(!token_ok(buf, CRYPTO_TOKEN_MAX_INPUT + 1, NULL),
	    "token: input over the maximum refused");

	CHECK(crypto_token_parse(plain, 32, canon) == 0, "token canon");
	crypto_random(p1, sizeof(p1));
	crypto_random(p2, sizeof(p2));
	crypto_token_hash(p1, canon, h1);
	crypto_token_hash(p2, canon, h2);
	CHECK(memcmp(h1, h2, 32) != 0, "token hash depends on the pepper");
	crypto_keyed_hash(p1, canon, 32, h3);
	CHECK(memcmp(h1, h3, 32) == 0,
	    "token hash is keyed BLAKE2b over the canonical form");
	crypto_token_new(tok);
	ok = crypto_token_parse(tok, strlen(tok), canon) == 0;
	crypto_token_hash(p1, canon, h2);
	CHECK(ok && memcmp(h1, h2, 32) != 0, "token hash differs per token");
}

/* Reference for the PoW rule, written apart from crypto/pow.c. */
static unsigned int
ref_zero_bits(const char *ch, const char *nonce)
{
	crypto_generichash_state	st;
	uint8_t				h[32];
	unsigned int			n = 0, i, bit;

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const unsigned char *)ch, strlen(ch));
	crypto_generichash_update(&st, (const unsigned char *)nonce,
	    strlen(nonce));
	crypto_generichash_final(&st, h, 32);
	for (i = 0; i < 32; i++)
		for (bit = 0; bit < 8; bit++) {
			if (h[i] & (0x80 >> bit))
				return n;
			n++;
		}
	return n;
}

static void
make_challenge(const uint8_t key[32], uint8_t version, unsigned int diff,
    char out[CRYPTO_CHALLENGE_TEXT])
{
	uint8_t	b[CRYPTO_CHALLENGE_BYTES];

	memset(b, 0, sizeof(b));
	b[0] = version;
	b[8] = 100;
	b[9] = (uint8_t)diff;
	crypto_random(b + 10, 16);
	crypto_generichash(b + 26, 16, b, 26, key, 32);
	sodium_bin2base64(out, CRYPTO_CHALLENGE_TEXT, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void
test_pow(void)
{
	static const unsigned int diffs[3] = { 0, 8, 12 };
	uint8_t		key[32], key2[32], id[16], id2[16], b[42];
	char		ch[CRYPTO_CHALLENGE_TEXT], ch2[CRYPTO_CHALLENGE_TEXT];
	char		nonce[CRYPTO_POW_NONCE_MAX + 1], name[64], bad[80];
	uint64_t	exp = 0;
	unsigned int	diff = 99, i, j;
	size_t		n;
	int		ok;

	crypto_random(key, sizeof(key));
	crypto_random(key2, sizeof(key2));
	crypto_challenge_new(key, 1700000000, 12, ch);
	CHECK(strlen(ch) == CRYPTO_CHALLENGE_TEXT - 1, "challenge: 56 chars");
	CHECK(crypto_challenge_check(key, ch, strlen(ch), id, &exp,
	    &diff) == 0 && exp == 1700000000 && diff == 12,
	    "challenge check gives expiry and difficulty");
	crypto_challenge_new(key, 1700000000, 12, ch2);
	CHECK(crypto_challenge_check(key, ch2, strlen(ch2), id2, &exp,
	    &diff) == 0 && memcmp(id, id2, 16) != 0,
	    "challenge ids are fresh");
	CHECK(crypto_challenge_check(key2, ch, strlen(ch), id, &exp,
	    &diff) == -1, "challenge: wrong key refused");

	ok = sodium_base642bin(b, sizeof(b), ch, strlen(ch), NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 && n == 42;
	for (i = 0; ok && i < 42; i++)
		for (j = 0; j < 8; j++) {
			b[i] ^= (uint8_t)(1 << j);
			sodium_bin2base64(bad, sizeof(bad), b, 42,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
			if (crypto_challenge_check(key, bad, strlen(bad), id,
			    &exp, &diff) != -1)
				ok = 0;
			b[i] ^= (uint8_t)(1 << j);
		}
	CHECK(ok, "challenge: every flipped bit refused");
	memcpy(bad, ch, sizeof(ch));
	bad[10] = '+';
	CHECK(crypto_challenge_check(key, bad, 56, id, &exp, &diff) == -1,
	    "challenge: standard-alphabet character refused");
	bad[10] = '=';
	CHECK(crypto_challenge_check(key, bad, 56, id, &exp, &diff) == -1,
	    "challenge: padding character refused");
	CHECK(crypto_challenge_check(key, ch, 55, id, &exp, &diff) == -1,
	    "challenge: 55 chars refused");
	snprintf(bad, sizeof(bad), "%sA", ch);
	CHECK(crypto_challenge_check(key, bad, 57, id, &exp, &diff) == -1,
	    "challenge: 57 chars refused");
	make_challenge(key, 1, CRYPTO_POW_MAX_DIFFICULTY, bad);
	CHECK(crypto_challenge_check(key, bad, 56, id, &exp, &diff) == 0 &&
	    diff == CRYPTO_POW_MAX_DIFFICULTY && exp == 100,
	    "challenge at the maximum difficulty accepted");
	make_challenge(key, 1, CRYPTO_POW_MAX_DIFFICULTY + 1, bad);
	CHECK(crypto_challenge_check(key, bad, 56, id, &exp, &diff) == -1,
	    "challenge over the maximum difficulty refused (valid MAC)");
	make_challenge(key, 2, 8, bad);
	CHECK(crypto_challenge_check(key, bad, 56, id, &exp, &diff) == -1,
	    "challenge of unknown version refused (valid MAC)");

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "pow solve+verify at %u", diffs[i]);
		CHECK(crypto_pow_solve(ch, strlen(ch), diffs[i], nonce) == 0 &&
		    strspn(nonce, "0123456789") == strlen(nonce) &&
		    crypto_pow_verify(ch, strlen(ch), nonce, strlen(nonce),
		    diffs[i]) == 0 && ref_zero_bits(ch, nonce) >= diffs[i],
		    name);
		if (diffs[i] == 0)
			continue;
		/* a nonce the reference says falls short must be refused */
		for (j = 0; j < 1000; j++) {
			snprintf(nonce, sizeof(nonce), "x%u", j);
			if (ref_zero_bits(ch, nonce) < diffs[i])
				break;
		}
		snprintf(name, sizeof(name), "pow wrong nonce at %u", diffs[i]);
		CHECK(crypto_pow_verify(ch, strlen(ch), nonce, strlen(nonce),
		    diffs[i]) == -1, name);
	}
	ok = 1;
	for (j = 0; j < 300; j++) {
		snprintf(nonce, sizeof(nonce), "n%u", j);
		if ((crypto_pow_verify(ch, strlen(ch), nonce, strlen(nonce),
		    4) == 0) != (ref_zero_bits(ch, nonce) >= 4))
			ok = 0;
	}
	CHECK(ok, "pow verify agrees with the reference bit count");
	CHECK(crypto_pow_verify(ch, strlen(ch), "1", 1,
	    CRYPTO_POW_MAX_DIFFICULTY + 1) == -1, "pow: difficulty > max");
	CHECK(crypto_pow_solve(ch, strlen(ch), CRYPTO_POW_MAX_DIFFICULTY + 1,
	    nonce) == -1, "pow solve: difficulty > max");
	CHECK(crypto_pow_verify(ch, strlen(ch), "", 0, 0) == -1,
	    "pow: empty nonce refused");
	memset(bad, 'a', sizeof(bad));
	CHECK(crypto_pow_verify(ch, strlen(ch), bad, 64, 0) == 0 &&
	    crypto_pow_verify(ch, strlen(ch), bad, 65, 0) == -1,
	    "pow: nonce of 64 accepted, 65 refused");
	CHECK(crypto_pow_verify(ch, strlen(ch), "a\nb", 3, 0) == -1,
	    "pow: non-printable nonce refused");
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A passphrase blob made here at a chosen cost, in the documented layout. */
static void
make_pw_blob(const char *pass, uint32_t ops, uint32_t memkib,
    const uint8_t *msg, size_t len, uint8_t *out)
{
	uint8_t	key[32];

	out[0] = 1;
	out[1] = (uint8_t)(ops >> 24);
	out[2] = (uint8_t)(ops >> 16);
	out[3] = (uint8_t)(ops >> 8);
	out[4] = (uint8_t)ops;
	out[5] = (uint8_t)(memkib >> 24);
	out[6] = (uint8_t)(memkib >> 16);
	out[7] = (uint8_t)(memkib >> 8);
	out[8] = (uint8_t)memkib;
	crypto_random(out + 9, 16 + 24);
	if (crypto_pwhash(key, 32, pass, strlen(pass), out + 9, ops,
	    (size_t)memkib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		fprintf(stderr, "pwhash failed in test\n");
		exit(2);
	}
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 49, NULL, msg, len,
	    out, 25, NULL, out + 25, key);
}

static void
test_pw(void)
{
	static const uint8_t	 msg[96] = { 7, 7, 7, 1 };
	const char		*pass = "kuda baterai staples benar";
	uint8_t			 blob[sizeof(msg) + CRYPTO_PW_OVERHEAD];
	uint8_t			 bad[sizeof(blob)], out[sizeof(msg)];
	double			 t0;

	/* the one full-cost round trip, at the default level */
	CHECK(crypto_pw_seal(pass, strlen(pass), msg, sizeof(msg),
	    CRYPTO_PW_MODERATE, blob) == 0 && blob[0] == 1 && blob[4] == 3 &&
	    ((uint32_t)blob[6] << 16 | (uint32_t)blob[7] << 8 | blob[8]) ==
	    262144, "pw seal: version and moderate limits in the header");
	CHECK(crypto_pw_open(pass, strlen(pass), blob, sizeof(blob),
	    out) == 0 && memcmp(out, msg, sizeof(msg)) == 0,
	    "pw seal/open round trip");
	/* the cheap level records its own limits and opens by them */
	memset(out, 0, sizeof(out));
	CHECK(crypto_pw_seal(pass, strlen(pass), msg, sizeof(msg),
	    CRYPTO_PW_INTERACTIVE, blob) == 0 && blob[4] == 2 &&
	    ((uint32_t)blob[6] << 16 | (uint32_t)blob[7] << 8 | blob[8]) ==
	    65536 && crypto_pw_open(pass, strlen(pass), blob, sizeof(blob),
	    out) == 0 && memcmp(out, msg, sizeof(msg)) == 0,
	    "pw seal at the interactive level: 2 passes, 64 MiB, opens");
	CHECK(crypto_pw_seal(pass, strlen(pass), msg, sizeof(msg),
	    (enum crypto_pw_level)7, blob) == -1,
	    "pw seal: an unknown level refused");

	/* the same layout at the smallest cost, for the failure cases */
	make_pw_blob(pass, 1, 8, msg, sizeof(msg), blob);
	memset(out, 0, sizeof(out));
	CHECK(crypto_pw_open(pass, strlen(pass), blob, sizeof(blob),
	    out) == 0 && memcmp(out, msg, sizeof(msg)) == 0,
	    "pw open of a low-cost blob in the documented layout");
	memset(out, 0xaa, sizeof(out));
	CHECK(crypto_pw_open("kuda baterai staples salah", 26, blob,
	    sizeof(blob), out) == -1 && all_zero(out, sizeof(out)),
	    "pw open: wrong passphrase refused (output wiped)");
	memcpy(bad, blob, sizeof(blob));
	bad[60] ^= 1;
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: tampered ciphertext refused");
	memcpy(bad, blob, sizeof(blob));
	bad[sizeof(bad) - 1] ^= 1;
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: tampered tag refused");
	memcpy(bad, blob, sizeof(blob));
	bad[12] ^= 1;
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: tampered salt refused");
	memcpy(bad, blob, sizeof(blob));
	bad[0] = 2;
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: unknown version refused");
	CHECK(crypto_pw_open(pass, strlen(pass), blob, CRYPTO_PW_OVERHEAD - 1,
	    out) == -1, "pw open: short input refused");

	/* authentic blobs whose limits are out of bounds */
	make_pw_blob(pass, 5, 8, msg, sizeof(msg), bad);
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: opslimit above sensitive refused (authentic blob)");
	memcpy(bad, blob, sizeof(blob));
	bad[1] = bad[2] = bad[3] = bad[4] = 0;
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: opslimit 0 refused");
	memcpy(bad, blob, sizeof(blob));
	/*
	 * 1 GiB + 1 KiB. Making an authentic blob at that cost is too slow
	 * for a unit test, and a forged one fails its tag anyway, so what
	 * shows the bound is that the refusal comes before Argon2id runs:
	 * filling 1 GiB takes far longer than the limit below.
	 */
	bad[5] = 0x00;
	bad[6] = 0x10;
	bad[7] = 0x00;
	bad[8] = 0x01;
	t0 = now();
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1 &&
	    now() - t0 < 0.25,
	    "pw open: memlimit above sensitive refused before hashing");
	memcpy(bad, blob, sizeof(blob));
	bad[5] = bad[6] = bad[7] = 0xff;
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: huge memlimit refused");
	memcpy(bad, blob, sizeof(blob));
	bad[5] = bad[6] = bad[7] = 0;
	bad[8] = 7;
	CHECK(crypto_pw_open(pass, strlen(pass), bad, sizeof(bad), out) == -1,
	    "pw open: memlimit below minimum refused");
}

static void
test_password(void)
{
	char	h[CRYPTO_PASSWORD_HASH_TEXT], t[CRYPTO_PASSWORD_HASH_TEXT];

	CHECK(crypto_password_hash("rahasia-123", 11, h) == 0 &&
	    strncmp(h, "$argon2id$", 10) == 0, "password hash is Argon2id");
	CHECK(crypto_password_verify(h, "rahasia-123", 11) == 0,
	    "password verifies");
	CHECK(crypto_password_verify(h, "rahasia-124", 11) == -1,
	    "wrong password refused");
	memcpy(t, h, sizeof(t));
	t[20] = '\0';
	CHECK(crypto_password_verify(t, "rahasia-123", 11) == -1,
	    "truncated hash refused");
	CHECK(crypto_password_verify("$2b$10$abcdefghijklmnopqrstuv",
	    "rahasia-123", 11) == -1, "foreign hash format refused");
}

static const char id_json[] =
    "{\"name\":\"Siti\",\"nik\":\"3174000000000001\"}";

/* The case bindings of two reports (their content hashes). */
static void
bindings(uint8_t A[32], uint8_t B[32])
{
	struct crypto_content	c;

	memset(&c, 0, sizeof(c));
	c.kind = "complaint";
	c.title = "Pungutan liar di kelurahan";
	c.body = "Petugas meminta uang tambahan.";
	crypto_content_hash(&c, A);
	c.body = "Petugas meminta uang tambahan lagi.";
	crypto_content_hash(&c, B);
}

static void
test_identity(void)
{
	uint8_t		 Y[32], share[32], com[32], S[32], S2[32], lambda[32];
	uint8_t		 one[32], Y2[32], share2[32], com2[32];
	uint8_t		 bindA[32], bindB[32];
	uint8_t		 blob[CRYPTO_IDENTITY_SEALED_BYTES];
	uint8_t		 blob2[CRYPTO_IDENTITY_SEALED_BYTES];
	uint8_t		 bad[sizeof(blob)], out[CRYPTO_IDENTITY_MAX];
	uint8_t		 big[CRYPTO_IDENTITY_MAX + 1];
	uint8_t		 v1[sizeof(id_json) + CRYPTO_IDENTITY_V1_OVERHEAD];
	unsigned int	 idx1 = 1;
	static const size_t	 at[5] = { 0, 1, 33, 57, sizeof(blob) - 1 };
	static const char *const what[5] = { "version", "R", "nonce",
	    "ciphertext", "tag" };
	char		 name[80];
	size_t		 i, n;

	bindings(bindA, bindB);
	/* 1-of-1: the only share is y itself, with Lagrange weight 1 */
	CHECK(crypto_escrow_split(1, 1, Y, share, com) == 0 &&
	    memcmp(com, Y, 32) == 0, "1-of-1 split: commitment is Y");
	small_scalar(1, one);
	CHECK(crypto_lagrange(&idx1, 1, 1, lambda) == 0 &&
	    memcmp(lambda, one, 32) == 0, "lagrange of a single index is 1");
	CHECK(crypto_identity_seal(Y, bindA, id_json, sizeof(id_json),
	    blob) == 0, "identity seal");
	CHECK(blob[0] == 2 && crypto_identity_check(blob, sizeof(blob)) == 2,
	    "identity check accepts a fresh seal as version 2");
	CHECK(crypto_escrow_partial(share, blob + 1, S) == 0,
	    "S = y·R from the whole scalar");
	n = 0;
	CHECK(crypto_identity_open(S, Y, bindA, blob, sizeof(blob), out,
	    &n) == 0 && n == sizeof(id_json) &&
	    memcmp(out, id_json, sizeof(id_json)) == 0,
	    "identity open with y·R and its binding");
	{
		crypto_generichash_state	st;
		uint8_t				k[32], ad[65];
		uint8_t				pad[CRYPTO_IDENTITY_MAX + 2];

		/* the documented layout and key derivation, rebuilt here */
		crypto_generichash_init(&st,
		    (const unsigned char *)"bisik-identity-v2", 17, 32);
		crypto_generichash_update(&st, S, 32);
		crypto_generichash_update(&st, blob + 1, 32);
		crypto_generichash_update(&st, Y, 32);
		crypto_generichash_update(&st, bindA, 32);
		crypto_generichash_final(&st, k, 32);
		ad[0] = 2;
		memcpy(ad + 1, blob + 1, 32);
		memcpy(ad + 33, bindA, 32);
		CHECK(crypto_aead_xchacha20poly1305_ietf_decrypt(pad, NULL,
		    NULL, blob + 57, sizeof(blob) - 57, ad, sizeof(ad),
		    blob + 33, k) == 0 && pad[0] == 0 &&
		    pad[1] == sizeof(id_json) &&
		    memcmp(pad + 2, id_json, sizeof(id_json)) == 0 &&
		    all_zero(pad + 2 + sizeof(id_json),
		    sizeof(pad) - 2 - sizeof(id_json)),
		    "identity layout, padding and key derivation as documented");
		sodium_memzero(k, sizeof(k));
		sodium_memzero(pad, sizeof(pad));
	}
	CHECK(crypto_escrow_combine(&idx1, S, 1, S2) == 0 &&
	    memcmp(S, S2, 32) == 0, "combine of one partial is itself");

	/* The binding: sealed for case A, it does not open as case B's. */
	memset(out, 0xaa, sizeof(out));
	CHECK(crypto_identity_open(S, Y, bindB, blob, sizeof(blob), out,
	    &n) == -1 && all_zero(out, sizeof(out)),
	    "binding: an identity sealed for case A does not open as case B");
	CHECK(crypto_identity_open(S, Y, NULL, blob, sizeof(blob), out,
	    &n) == -1, "binding: version 2 without a binding is refused");
	/* Padding: every identity seals to the same size. */
	CHECK(crypto_identity_seal(Y, bindA, "{}", 2, blob2) == 0 &&
	    crypto_identity_check(blob2, sizeof(blob2)) == 2 &&
	    crypto_identity_check(blob2, sizeof(blob2) - 1) == -1 &&
	    crypto_identity_check(blob2, sizeof(blob2) - sizeof(id_json) +
	    2) == -1, "padding: a 2-byte identity seals to "
	    "CRYPTO_IDENTITY_SEALED_BYTES too, and no shorter form is taken");
	CHECK(crypto_escrow_partial(share, blob2 + 1, S2) == 0 &&
	    crypto_identity_open(S2, Y, bindA, blob2, sizeof(blob2), out,
	    &n) == 0 && n == 2 && memcmp(out, "{}", 2) == 0,
	    "padding: two identities of different lengths, same size, each "
	    "opens to its own length");
	CHECK(crypto_identity_check(blob, sizeof(blob) - 1) == -1 &&
	    crypto_identity_check(blob, sizeof(blob) + 0) == 2,
	    "identity check: version 2 has exactly one size");

	for (i = 0; i < 5; i++) {
		memcpy(bad, blob, sizeof(blob));
		bad[at[i]] ^= 0x02;
		memset(out, 0xaa, sizeof(out));
		snprintf(name, sizeof(name), "identity open refuses flipped %s",
		    what[i]);
		CHECK(crypto_identity_open(S, Y, bindA, bad, sizeof(bad), out,
		    &n) == -1 && (i < 2 || all_zero(out, sizeof(out))), name);
	}
	/* R replaced by another valid point: the key and the AD change */
	memcpy(bad, blob, sizeof(blob));
	unhex(multiples[2], bad + 1, 32);
	CHECK(crypto_identity_check(bad, sizeof(bad)) == 2 &&
	    crypto_identity_open(S, Y, bindA, bad, sizeof(bad), out,
	    &n) == -1, "identity open refuses a substituted R");
	memset(bad + 1, 0, 32);
	CHECK(crypto_identity_check(bad, sizeof(bad)) == -1,
	    "identity check refuses R = identity");
	memcpy(bad, blob, sizeof(blob));
	unhex(invalid_points[8], bad + 1, 32);
	CHECK(crypto_identity_check(bad, sizeof(bad)) == -1,
	    "identity check refuses an invalid R");
	memcpy(bad, blob, sizeof(blob));
	bad[0] = 3;
	CHECK(crypto_identity_check(bad, sizeof(bad)) == -1,
	    "identity check refuses an unknown version");
	CHECK(crypto_identity_check(blob, CRYPTO_IDENTITY_V1_OVERHEAD - 1) ==
	    -1, "identity check refuses a short input");

	CHECK(crypto_escrow_split(1, 1, Y2, share2, com2) == 0 &&
	    crypto_identity_open(S, Y2, bindA, blob, sizeof(blob), out,
	    &n) == -1, "identity open refuses the wrong Y");
	CHECK(crypto_escrow_partial(share2, blob + 1, S2) == 0 &&
	    crypto_identity_open(S2, Y, bindA, blob, sizeof(blob), out,
	    &n) == -1, "identity open refuses the wrong S");
	memset(S2, 0, 32);
	CHECK(crypto_identity_open(S2, Y, bindA, blob, sizeof(blob), out,
	    &n) == -1, "identity open refuses S = identity");

	memset(big, 'x', sizeof(big));
	CHECK(crypto_identity_seal(Y, bindA, big, CRYPTO_IDENTITY_MAX,
	    blob2) == 0 && crypto_escrow_partial(share, blob2 + 1, S2) == 0 &&
	    crypto_identity_open(S2, Y, bindA, blob2, sizeof(blob2), out,
	    &n) == 0 && n == CRYPTO_IDENTITY_MAX,
	    "identity of the maximum size seals and opens");
	CHECK(crypto_identity_seal(Y, bindA, big, CRYPTO_IDENTITY_MAX + 1,
	    blob2) == -1, "identity over the maximum refused");
	memset(Y2, 0, 32);
	CHECK(crypto_identity_seal(Y2, bindA, id_json, sizeof(id_json),
	    bad) == -1, "identity seal refuses Y = identity");
	unhex(invalid_points[0], Y2, 32);
	CHECK(crypto_identity_seal(Y2, bindA, id_json, sizeof(id_json),
	    bad) == -1, "identity seal refuses an invalid Y");

	/* Version 1, as sealed before bindings: built here by its
	 * documented rule, opened by crypto_identity_open whatever the
	 * binding, refused with a wrong S. */
	{
		crypto_generichash_state	st;
		uint8_t				r[32], R[32], Sv[32], k[32];

		crypto_core_ristretto255_scalar_random(r);
		CHECK(crypto_scalarmult_ristretto255_base(R, r) == 0 &&
		    crypto_scalarmult_ristretto255(Sv, r, Y) == 0,
		    "version 1 point");
		crypto_generichash_init(&st,
		    (const unsigned char *)"bisik-identity-v1", 17, 32);
		crypto_generichash_update(&st, Sv, 32);
		crypto_generichash_update(&st, R, 32);
		crypto_generichash_update(&st, Y, 32);
		crypto_generichash_final(&st, k, 32);
		v1[0] = 1;
		memcpy(v1 + 1, R, 32);
		randombytes_buf(v1 + 33, 24);
		crypto_aead_xchacha20poly1305_ietf_encrypt(v1 + 57, NULL,
		    (const uint8_t *)id_json, sizeof(id_json), R, 32, NULL,
		    v1 + 33, k);
		CHECK(crypto_identity_check(v1, sizeof(v1)) == 1 &&
		    crypto_escrow_partial(share, v1 + 1, S2) == 0 &&
		    crypto_identity_open(S2, Y, NULL, v1, sizeof(v1), out,
		    &n) == 0 && n == sizeof(id_json) &&
		    memcmp(out, id_json, n) == 0,
		    "version 1 identities still open");
		CHECK(crypto_identity_open(S, Y, NULL, v1, sizeof(v1), out,
		    &n) == -1, "version 1 open refuses the wrong S");
		CHECK(crypto_identity_check(v1, CRYPTO_IDENTITY_MAX +
		    CRYPTO_IDENTITY_V1_OVERHEAD + 1) == -1,
		    "identity check refuses version 1 over the maximum");
		sodium_memzero(r, sizeof(r));
		sodium_memzero(Sv, sizeof(Sv));
		sodium_memzero(k, sizeof(k));
	}
	{
		uint8_t h1[32], h2[32];

		crypto_identity_hash(blob, sizeof(blob), h1);
		crypto_identity_hash(blob2, sizeof(blob2), h2);
		CHECK(memcmp(h1, h2, 32) != 0, "identity hash differs");
	}
	sodium_memzero(share, sizeof(share));
	sodium_memzero(share2, sizeof(share2));
}

/* Every k-subset opens, every (k-1)-subset does not. */
static void
test_threshold(unsigned int k, unsigned int n)
{
	uint8_t		*shares;
	uint8_t		 Y[32], com[5 * 32], part[5 * 32], S[32], sub[5 * 32];
	uint8_t		 blob[CRYPTO_IDENTITY_SEALED_BYTES], bind[32], bind2[32];
	uint8_t		 out[CRYPTO_IDENTITY_MAX], T[32];
	size_t		 olen;
	unsigned int	 idx[5], m, i, c;
	int		 open_ok = 1, com_ok = 1, same = 1, short_ok = 1;
	int		 have_S = 0;
	char		 name[80];

	shares = crypto_secret_alloc(5 * 32);
	if (shares == NULL) {
		CHECK(0, "secret_alloc");
		return;
	}
	snprintf(name, sizeof(name), "%u-of-%u split", k, n);
	CHECK(crypto_escrow_split(k, n, Y, shares, com) == 0, name);
	bindings(bind, bind2);
	CHECK(crypto_identity_seal(Y, bind, id_json, sizeof(id_json),
	    blob) == 0, "seal to the split key");
	for (i = 0; i < n; i++)
		if (crypto_escrow_partial(shares + i * 32, blob + 1,
		    part + i * 32) != 0)
			open_ok = 0;
	for (m = 1; m < (1u << n); m++) {
		c = 0;
		for (i = 0; i < n; i++)
			if (m & (1u << i)) {
				idx[c] = i + 1;
				memcpy(sub + c * 32, part + i * 32, 32);
				c++;
			}
		if (c == k) {
			if (crypto_escrow_combine(idx, sub, c, T) != 0 ||
			    crypto_identity_open(T, Y, bind, blob,
			    sizeof(blob), out, &olen) != 0 ||
			    memcmp(out, id_json, sizeof(id_json)) != 0)
				open_ok = 0;
			if (have_S && memcmp(S, T, 32) != 0)
				same = 0;
			memcpy(S, T, 32);
			have_S = 1;
			/* Σ λ_i·Y_i = Y over the same subset */
			for (i = c = 0; i < n; i++)
				if (m & (1u << i))
					memcpy(sub + 32 * c++, com + i * 32, 32);
			if (crypto_escrow_combine(idx, sub, c, T) != 0 ||
			    memcmp(T, Y, 32) != 0)
				com_ok = 0;
		} else if (c == k - 1) {
			if (crypto_escrow_combine(idx, sub, c, T) == 0 &&
			    crypto_identity_open(T, Y, bind, blob,
			    sizeof(blob), out, &olen) == 0)
				short_ok = 0;
		}
	}
	snprintf(name, sizeof(name), "%u-of-%u: every %u-subset opens", k, n,
	    k);
	CHECK(open_ok && have_S, name);
	snprintf(name, sizeof(name), "%u-of-%u: every subset gives one S", k,
	    n);
	CHECK(same, name);
	snprintf(name, sizeof(name), "%u-of-%u: commitments combine to Y", k,
	    n);
	CHECK(com_ok, name);
	snprintf(name, sizeof(name), "%u-of-%u: no %u-subset opens", k, n,
	    k - 1);
	CHECK(short_ok, name);
	CHECK(crypto_escrow_combine(idx, sub, 0, T) == -1,
	    "combine of nothing refused");
	crypto_secret_free(shares);
}

static void
test_escrow_args(void)
{
	uint8_t		Y[32], sh[65 * 32], com[65 * 32], l[32], lm1[32];
	uint8_t		R[32], D[32], part[2 * 32], S[32];
	unsigned int	two[2] = { 1, 2 }, dup[3] = { 1, 2, 1 }, same[2] = { 2, 2 };
	unsigned int	zero[2] = { 0, 2 };

	CHECK(crypto_escrow_split(0, 3, Y, sh, com) == -1, "split k = 0");
	CHECK(crypto_escrow_split(4, 3, Y, sh, com) == -1, "split k > n");
	CHECK(crypto_escrow_split(2, CRYPTO_ESCROW_MAX_HOLDERS + 1, Y, sh,
	    com) == -1, "split n over the maximum");
	CHECK(crypto_escrow_split(2, CRYPTO_ESCROW_MAX_HOLDERS, Y, sh,
	    com) == 0, "split n at the maximum");

	/* λ_1 = 2/(2-1) = 2, λ_2 = 1/(1-2) = -1 */
	small_scalar(2, R);
	CHECK(crypto_lagrange(two, 2, 1, l) == 0 && memcmp(l, R, 32) == 0,
	    "lagrange {1,2} at 1 is 2");
	memcpy(lm1, order_l, 32);
	lm1[0]--;
	CHECK(crypto_lagrange(two, 2, 2, l) == 0 && memcmp(l, lm1, 32) == 0,
	    "lagrange {1,2} at 2 is -1");
	CHECK(crypto_lagrange(dup, 3, 2, l) == -1,
	    "lagrange refuses a duplicate index");
	CHECK(crypto_lagrange(zero, 2, 2, l) == -1,
	    "lagrange refuses index 0");
	CHECK(crypto_lagrange(two, 2, 3, l) == -1,
	    "lagrange refuses an index outside the set");
	CHECK(crypto_lagrange(two, 0, 1, l) == -1, "lagrange of nothing");

	unhex(multiples[3], R, 32);
	memset(S, 0, 32);
	CHECK(crypto_escrow_partial(sh, S, D) == -1,
	    "partial refuses R = identity");
	CHECK(crypto_escrow_partial(S, R, D) == -1,
	    "partial refuses a zero share");
	CHECK(crypto_escrow_partial(order_l, R, D) == -1,
	    "partial refuses a share >= L");
	CHECK(crypto_escrow_partial(sh, R, part) == 0 &&
	    crypto_escrow_partial(sh + 32, R, part + 32) == 0 &&
	    crypto_escrow_combine(two, part, 2, S) == 0, "partials combine");
	memset(part + 32, 0, 32);
	CHECK(crypto_escrow_combine(two, part, 2, S) == -1,
	    "combine refuses an identity partial");
	CHECK(crypto_escrow_partial(sh + 32, R, part + 32) == 0 &&
	    crypto_escrow_combine(same, part, 2, S) == -1,
	    "combine refuses duplicate indices");
	/* over {1,2}, S = 2·D_1 − D_2: with D_2 = 2·D_1 the sum is the
	 * identity, which must not come out as a key */
	unhex(multiples[1], part, 32);
	unhex(multiples[2], part + 32, 32);
	CHECK(crypto_escrow_combine(two, part, 2, S) == -1,
	    "combine refuses a sum that is the identity");
	sodium_memzero(sh, sizeof(sh));
}

/*
 * The documented Fiat-Shamir transcript, rebuilt apart from crypto/dleq.c:
 * a challenge that left out any element would still verify, so only a
 * reference computation can show that every one is in.
 */
static int
ref_dleq_challenge(const uint8_t Yi[32], const uint8_t R[32],
    const uint8_t D[32], const char *ctx, const uint8_t proof[64])
{
	crypto_generichash_state	 st;
	const uint8_t			*c = proof, *z = proof + 32;
	uint8_t				 B[32], A1[32], A2[32], t1[32], t2[32];
	uint8_t				 h[64], c2[32], len[8] = { 0 };
	const uint8_t			*el[6];
	size_t				 i, cl = strlen(ctx);

	unhex(multiples[1], B, 32);
	if (crypto_scalarmult_ristretto255_base(t1, z) != 0 ||
	    crypto_scalarmult_ristretto255(t2, c, Yi) != 0 ||
	    crypto_core_ristretto255_sub(A1, t1, t2) != 0 ||
	    crypto_scalarmult_ristretto255(t1, z, R) != 0 ||
	    crypto_scalarmult_ristretto255(t2, c, D) != 0 ||
	    crypto_core_ristretto255_sub(A2, t1, t2) != 0)
		return 0;
	el[0] = B;
	el[1] = Yi;
	el[2] = R;
	el[3] = D;
	el[4] = A1;
	el[5] = A2;
	crypto_generichash_init(&st, NULL, 0, 64);
	crypto_generichash_update(&st, (const unsigned char *)"bisik-dleq-v1",
	    14);
	len[7] = 32;
	for (i = 0; i < 6; i++) {
		crypto_generichash_update(&st, len, 8);
		crypto_generichash_update(&st, el[i], 32);
	}
	len[7] = (uint8_t)cl;
	crypto_generichash_update(&st, len, 8);
	crypto_generichash_update(&st, (const unsigned char *)ctx, cl);
	crypto_generichash_final(&st, h, 64);
	crypto_core_ristretto255_scalar_reduce(c2, h);
	return memcmp(c2, c, 32) == 0;
}

static void
test_dleq(void)
{
	uint8_t		 sh[3 * 32], com[3 * 32], Y[32], R[32], D[32], D2[32];
	uint8_t		 proof[CRYPTO_DLEQ_BYTES], p2[CRYPTO_DLEQ_BYTES];
	uint8_t		 bad[CRYPTO_DLEQ_BYTES], wide[64], red[32], zero[32];
	const char	*ctx = "case=17;request=3;admin=1";
	size_t		 cl = strlen(ctx);

	CHECK(crypto_escrow_split(2, 3, Y, sh, com) == 0, "dleq: split");
	unhex(multiples[7], R, 32);
	CHECK(crypto_escrow_partial(sh, R, D) == 0 &&
	    crypto_escrow_partial(sh + 32, R, D2) == 0, "dleq: partials");
	CHECK(crypto_dleq_prove(sh, com, R, D, ctx, cl, proof) == 0,
	    "dleq prove");
	CHECK(crypto_dleq_verify(com, R, D, ctx, cl, proof) == 0,
	    "dleq verify");
	CHECK(ref_dleq_challenge(com, R, D, ctx, proof),
	    "dleq challenge hashes tag, B, Yi, R, D, A1, A2 and context");
	CHECK(crypto_dleq_prove(sh, com, R, D, ctx, cl, p2) == 0 &&
	    memcmp(proof, p2, 64) != 0 &&
	    crypto_dleq_verify(com, R, D, ctx, cl, p2) == 0,
	    "dleq: fresh nonce per proof");
	CHECK(crypto_dleq_verify(com, R, D2, ctx, cl, proof) == -1,
	    "dleq: wrong D refused");
	CHECK(crypto_dleq_verify(com, R, D, "case=17;request=3;admin=2", cl,
	    proof) == -1, "dleq: wrong context refused");
	CHECK(crypto_dleq_verify(com, R, D, ctx, cl - 1, proof) == -1,
	    "dleq: shortened context refused");
	CHECK(crypto_dleq_verify(com + 32, R, D, ctx, cl, proof) == -1,
	    "dleq: wrong Yi refused");
	unhex(multiples[8], D2, 32);
	CHECK(crypto_dleq_verify(com, D2, D, ctx, cl, proof) == -1,
	    "dleq: wrong R refused");
	memcpy(bad, proof, 64);
	bad[0] ^= 1;
	CHECK(crypto_dleq_verify(com, R, D, ctx, cl, bad) == -1,
	    "dleq: tampered c refused");
	memcpy(bad, proof, 64);
	bad[32] ^= 1;
	CHECK(crypto_dleq_verify(com, R, D, ctx, cl, bad) == -1,
	    "dleq: tampered z refused");

	/* z + L and c + L equal z and c mod L: only the canonical check
	 * stops them */
	memcpy(bad, proof, 64);
	add256(proof + 32, order_l, bad + 32);
	memset(wide, 0, sizeof(wide));
	memcpy(wide, bad + 32, 32);
	crypto_core_ristretto255_scalar_reduce(red, wide);
	CHECK(memcmp(red, proof + 32, 32) == 0 &&
	    crypto_dleq_verify(com, R, D, ctx, cl, bad) == -1,
	    "dleq: non-canonical z (z + L) refused");
	memcpy(bad, proof, 64);
	add256(proof, order_l, bad);
	CHECK(crypto_dleq_verify(com, R, D, ctx, cl, bad) == -1,
	    "dleq: non-canonical c (c + L) refused");

	memset(zero, 0, 32);
	CHECK(crypto_dleq_verify(com, R, zero, ctx, cl, proof) == -1,
	    "dleq: D = identity refused");
	CHECK(crypto_dleq_prove(sh + 32, com, R, D2, ctx, cl, bad) == -1,
	    "dleq: prover refuses a share that is not Yi's");
	CHECK(crypto_escrow_partial(sh + 32, R, D2) == 0 &&
	    crypto_dleq_prove(sh, com, R, D2, ctx, cl, bad) == -1,
	    "dleq: prover refuses a D that is not share·R");
	CHECK(crypto_dleq_prove(sh, com, R, D, NULL, 0, bad) == 0 &&
	    crypto_dleq_verify(com, R, D, NULL, 0, bad) == 0 &&
	    crypto_dleq_verify(com, R, D, "", 0, bad) == 0 &&
	    crypto_dleq_verify(com, R, D, ctx, cl, bad) == -1,
	    "dleq: empty context binds too");
	sodium_memzero(sh, sizeof(sh));
}

static void
test_keyfile(void)
{
	char		 dir[] = "/tmp/bisik-crypto-XXXXXX";
	char		 path[64], link[64], fifo[64];
	uint8_t		 a[32], b[33];
	struct stat	 st;

	if (mkdtemp(dir) == NULL) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/k", dir);
	snprintf(link, sizeof(link), "%s/l", dir);
	snprintf(fifo, sizeof(fifo), "%s/f", dir);
	CHECK(crypto_keyfile_create(path, 32) == 0 && stat(path, &st) == 0 &&
	    (st.st_mode & 0777) == 0600 && st.st_size == 32,
	    "keyfile create: 0600, 32 bytes");
	CHECK(crypto_keyfile_read(path, a, 32) == 0 && !all_zero(a, 32) &&
	    crypto_keyfile_read(path, b, 32) == 0 && memcmp(a, b, 32) == 0,
	    "keyfile read round trip");
	CHECK(crypto_keyfile_create(path, 32) == -1 &&
	    crypto_keyfile_read(path, b, 32) == 0 && memcmp(a, b, 32) == 0,
	    "keyfile create refuses an existing file and leaves it");
	memset(b, 0xaa, sizeof(b));
	CHECK(crypto_keyfile_read(path, b, 31) == -1 && all_zero(b, 31),
	    "keyfile read refuses a longer file (output wiped)");
	CHECK(crypto_keyfile_read(path, b, 33) == -1,
	    "keyfile read refuses a shorter file");
	chmod(path, 0644);
	CHECK(crypto_keyfile_read(path, b, 32) == -1,
	    "keyfile read refuses mode 0644");
	chmod(path, 0640);
	CHECK(crypto_keyfile_read(path, b, 32) == -1,
	    "keyfile read refuses mode 0640");
	chmod(path, 0400);
	CHECK(crypto_keyfile_read(path, b, 32) == 0,
	    "keyfile read accepts mode 0400");
	chmod(path, 0600);
	CHECK(symlink(path, link) == 0 &&
	    crypto_keyfile_read(link, b, 32) == -1,
	    "keyfile read refuses a symlink");
	CHECK(mkfifo(fifo, 0600) == 0 &&
	    crypto_keyfile_read(fifo, b, 32) == -1,
	    "keyfile read refuses a FIFO without blocking");
	CHECK(crypto_keyfile_read(dir, b, 32) == -1,
	    "keyfile read refuses a directory");
	if (geteuid() == 0) {
		CHECK(chown(path, 65534, 65534) == 0 &&
		    crypto_keyfile_read(path, b, 32) == -1,
		    "keyfile read refuses a file owned by someone else");
	}
	unlink(fifo);
	unlink(link);
	unlink(path);
	CHECK(crypto_keyfile_read(path, b, 32) == -1,
	    "keyfile read refuses a missing file");
	snprintf(path, sizeof(path), "%s/big", dir);
	CHECK(crypto_keyfile_create(path, 200) == 0 &&
	    stat(path, &st) == 0 && st.st_size == 200,
	    "keyfile create of several chunks");
	unlink(path);
	rmdir(dir);
	sodium_memzero(a, sizeof(a));
	sodium_memzero(b, sizeof(b));
}

static void
test_misc(void)
{
	uint8_t	a[16] = { 1 }, b[16] = { 1 }, *s;

	CHECK(crypto_equal(a, b, 16) == 1, "equal: same");
	b[15] = 1;
	CHECK(crypto_equal(a, b, 16) == 0, "equal: different");
	crypto_random(a, 16);
	crypto_random(b, 16);
	CHECK(memcmp(a, b, 16) != 0, "random: two draws differ");
	crypto_wipe(a, 16);
	CHECK(all_zero(a, 16), "wipe zeroes");
	s = crypto_secret_alloc(32);
	CHECK(s != NULL, "secret_alloc");
	if (s != NULL) {
		memset(s, 1, 32);
		crypto_secret_free(s);
	}
}

/*
 * The escrow fingerprint: its shape, a pinned answer for Y = B (so the
 * printed form never changes silently under the people who published it),
 * lenient reading, and refusal of anything that names another key.
 */
/* computed independently: Python hashlib.blake2b over the same parts */
#define FP_OF_B "D1FQ-6XFA-V0MT-A2KW-4507-HS3B-ZYZN-DQ45-QRHG-GRMQ-VX3P-Z8JJ-S520"
static void
test_fingerprint(void)
{
	uint8_t		Y[32], Y2[32];
	char		fp[CRYPTO_ESCROW_FP_TEXT], buf[128];
	size_t		i, j;
	int		shape = 1;

	unhex(multiples[1], Y, 32);
	crypto_escrow_fingerprint(Y, fp);
	CHECK(strlen(fp) == 64, "fingerprint: 64 characters");
	for (i = 0; i < 64; i++)
		if ((i % 5 == 4) != (fp[i] == '-') || (fp[i] != '-' &&
		    strchr(alphabet, fp[i]) == NULL))
			shape = 0;
	CHECK(shape, "fingerprint: 13 groups of 4 Crockford symbols");
	CHECK(strcmp(fp, FP_OF_B) == 0, "fingerprint of B is the pinned value");
	CHECK(crypto_escrow_fingerprint_match(fp, Y) == 0,
	    "fingerprint matches its key");
	for (i = j = 0; fp[i] != '\0'; i++)
		if (fp[i] != '-')
			buf[j++] = (char)(fp[i] >= 'A' && fp[i] <= 'Z' ?
			    fp[i] + 32 : fp[i]);
	buf[j] = '\0';
	CHECK(crypto_escrow_fingerprint_match(buf, Y) == 0,
	    "fingerprint read in lower case without dashes");
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '0')
			buf[i] = 'o';
		else if (buf[i] == '1')
			buf[i] = 'l';
	CHECK(crypto_escrow_fingerprint_match(buf, Y) == 0,
	    "fingerprint read with o for 0 and l for 1");
	snprintf(buf, sizeof(buf), " %s ", fp);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '-')
			buf[i] = ' ';
	CHECK(crypto_escrow_fingerprint_match(buf, Y) == 0,
	    "fingerprint read with spaces");
	snprintf(buf, sizeof(buf), "%s", fp);
	buf[62] = buf[62] == 'A' ? 'B' : 'A';
	CHECK(crypto_escrow_fingerprint_match(buf, Y) == -1,
	    "fingerprint with one symbol changed refused");
	snprintf(buf, sizeof(buf), "%.63s", fp);
	CHECK(crypto_escrow_fingerprint_match(buf, Y) == -1,
	    "fingerprint one symbol short refused");
	snprintf(buf, sizeof(buf), "%s0", fp);
	CHECK(crypto_escrow_fingerprint_match(buf, Y) == -1,
	    "fingerprint one symbol long refused");
	CHECK(crypto_escrow_fingerprint_match("", Y) == -1 &&
	    crypto_escrow_fingerprint_match(NULL, Y) == -1,
	    "empty fingerprint refused");
	unhex(multiples[2], Y2, 32);
	CHECK(crypto_escrow_fingerprint_match(fp, Y2) == -1,
	    "fingerprint of another key refused");
}

int
main(void)
{
	if (crypto_init() != 0 || crypto_init() != 0) {
		printf("not ok - crypto_init\n");
		return 1;
	}
	CHECK(crypto_init() == 0, "crypto_init is idempotent");
	test_misc();
	test_ristretto();
	test_scalar();
	test_seal();
	test_hash();
	test_sign();
	test_box();
	test_b64();
	test_tokens();
	test_pow();
	test_pw();
	test_password();
	test_identity();
	test_threshold(1, 1);
	test_threshold(2, 3);
	test_threshold(3, 5);
	test_escrow_args();
	test_fingerprint();
	test_dleq();
	test_keyfile();
	return tap_done();
}
