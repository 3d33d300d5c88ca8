/*
 * sealed_bodies.c: request bodies for the client-sealed submission load
 * (bench/submit_sealed.lua): the report of bench/submit.lua, whose
 * identity the client seals itself as `bisik submit` and the JavaScript
 * page do, one body a line. Each line carries its own sealed identity
 * (a fresh r, so a fresh R: the server refuses an R filed before), bound
 * to the report's content hash and sealed to the escrow key the server
 * publishes in GET /api/v1/keys ("escrow_key", base64). Sealing is done
 * here, before the load, so the load measures what the server does with
 * a client-sealed identity (check its layout, hash it), not the seal.
 *
 *   sealed_bodies ESCROW_KEY_BASE64 N OUT_FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

/* More bodies than this would not fit the disk of a small machine (each
 * line is about 7.7 KiB): 200,000 is about 1.5 GiB. */
#define SEALED_BODIES_MAX	200000
/* The report of bench/submit.lua: its words, repeated to this length. */
#define SEALED_BODY_LEN		1900

static const char words[] = "Jalan rusak di depan sekolah dasar negeri "
    "membuat anak-anak terjatuh setiap pagi dan warga sudah melapor ke "
    "kelurahan tanpa hasil. ";
static const char title[] = "Jalan rusak di depan sekolah";
static const char identity[] = "{\"name\":\"Siti Aminah\",\"phone\":"
    "\"081234567890\",\"email\":\"siti@example.test\"}";

int
main(int argc, char *argv[])
{
	struct crypto_content	 cc;
	uint8_t			 Y[CRYPTO_POINT_BYTES];
	uint8_t			 binding[CRYPTO_HASH_BYTES];
	uint8_t			 sealed[CRYPTO_IDENTITY_SEALED_BYTES];
	char			 b64[CRYPTO_IDENTITY_SEALED_BYTES / 3 * 4 + 8];
	char			 body[SEALED_BODY_LEN + sizeof(words)];
	char			*end;
	size_t			 ylen, blen = 0;
	unsigned long		 n, i;
	FILE			*out = NULL;
	int			 rc = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: sealed_bodies ESCROW_KEY_BASE64 N "
		    "OUT_FILE\n");
		return 2;
	}
	n = strtoul(argv[2], &end, 10);
	if (*end != '\0' || n == 0 || n > SEALED_BODIES_MAX) {
		fprintf(stderr, "sealed_bodies: N must be 1 to %d\n",
		    SEALED_BODIES_MAX);
		return 2;
	}
	if (crypto_init() == -1 || crypto_b64_decode(argv[1], strlen(argv[1]),
	    Y, sizeof(Y), &ylen) == -1 || ylen != sizeof(Y) ||
	    crypto_point_check(Y) != 0) {
		fprintf(stderr, "sealed_bodies: not an escrow key\n");
		return 2;
	}
	body[0] = '\0';
	while (blen < SEALED_BODY_LEN) {
		memcpy(body + blen, words, sizeof(words));
		blen += sizeof(words) - 1;
	}

	/* The binding: the content hash the server computes of this report. */
	memset(&cc, 0, sizeof(cc));
	cc.kind = "complaint";
	cc.title = title;
	cc.body = body;
	cc.visibility = "confidential";
	crypto_content_hash(&cc, binding);

	if ((out = fopen(argv[3], "w")) == NULL) {
		perror(argv[3]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (crypto_identity_seal(Y, binding, identity,
		    sizeof(identity) - 1, sealed) == -1) {
			fprintf(stderr, "sealed_bodies: cannot seal\n");
			goto out;
		}
		crypto_b64_encode(sealed, sizeof(sealed), b64);
		fprintf(out, "{\"kind\":\"complaint\",\"title\":\"%s\","
		    "\"body\":\"%s\",\"visibility\":\"confidential\","
		    "\"sealed_identity\":\"%s\"}\n", title, body, b64);
	}
	if (fflush(out) == EOF || ferror(out)) {
		perror(argv[3]);
		goto out;
	}
	rc = 0;
out:
	if (out != NULL && fclose(out) == EOF)
		rc = 1;
	return rc;
}
