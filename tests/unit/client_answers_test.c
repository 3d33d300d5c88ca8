/*
 * client_answers_test.c: the readers of server answers that the client's
 * commands call once the bytes are in (tests/fuzz/fuzz_client_replies.c
 * drives them with anything): what `disclose request` reads before it
 * signs, the state `disclose approve|reveal` print, the token of
 * `rotate`, an upload's answer and refusal, a download's Content-Type as
 * shown and a reply body arriving in pieces, at its cap and one past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"
#include "tests/unit/tap.h"

/* A valid ristretto255 point (the fuzz seeds' escrow key). */
#define R_B64	"MN8VA1c3DzuIo6GO3CER1YQEhrIhcSOK65spiKDDiEs="
#define TOKEN	"SVQR-B37M-8TP4-M17S-J5XM-474X-38SV-22PN"

static json_t *
j(const char *text)
{
	json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, NULL);

	if (v == NULL)
		abort();
	return v;
}

static int
prep(const char *text, unsigned *ttl)
{
	uint8_t	 R[CRYPTO_POINT_BYTES];
	unsigned gen;
	json_t	*v = j(text);
	int	 rc = client_disclose_prep(v, &gen, ttl, R);

	json_decref(v);
	return rc;
}

static void
disclose(void)
{
	char		 text[256];
	unsigned	 ttl = 0;
	json_t		*v;

	snprintf(text, sizeof(text), "{\"holders_generation\":2,"
	    "\"request_ttl\":%d,\"R\":\"" R_B64 "\"}", CLIENT_DISCLOSE_TTL_MAX);
	CHECK(prep(text, &ttl) == 0 && ttl == CLIENT_DISCLOSE_TTL_MAX,
	    "disclose prep: request_ttl at CLIENT_DISCLOSE_TTL_MAX accepted");
	snprintf(text, sizeof(text), "{\"holders_generation\":2,"
	    "\"request_ttl\":%d,\"R\":\"" R_B64 "\"}",
	    CLIENT_DISCLOSE_TTL_MAX + 1);
	CHECK(prep(text, &ttl) == -1,
	    "disclose prep: request_ttl one past the maximum refused");
	CHECK(prep("{\"holders_generation\":2,\"request_ttl\":1,\"R\":\""
	    R_B64 "\"}", &ttl) == 0 && ttl == 1,
	    "disclose prep: request_ttl 1 accepted");
	CHECK(prep("{\"holders_generation\":2,\"request_ttl\":0,\"R\":\""
	    R_B64 "\"}", &ttl) == -1, "disclose prep: request_ttl 0 refused");
	CHECK(prep("{\"holders_generation\":2,\"request_ttl\":60,\"R\":\"AA==\"}",
	    &ttl) == -1, "disclose prep: an R of the wrong length refused");
	CHECK(prep("{\"request_ttl\":60,\"R\":\"" R_B64 "\"}", &ttl) == -1,
	    "disclose prep: no holders_generation refused");

	v = j("{\"state\":\"pending\"}");
	CHECK(client_disclose_state(v) != NULL &&
	    strcmp(client_disclose_state(v), "pending") == 0,
	    "disclose state: \"pending\" read");
	json_decref(v);
	v = j("{\"state\":\"\\u001b[2Jpending\"}");
	CHECK(client_disclose_state(v) == NULL,
	    "disclose state: a terminal escape is not a state");
	json_decref(v);
	v = j("{\"state\":\"abcdefghijklmno\"}");
	CHECK(client_disclose_state(v) != NULL,
	    "disclose state: 15 letters (CLIENT_STATE_TEXT - 1) read");
	json_decref(v);
	v = j("{\"state\":\"abcdefghijklmnop\"}");
	CHECK(client_disclose_state(v) == NULL,
	    "disclose state: 16 letters refused");
	json_decref(v);
	v = j("{\"state\":3}");
	CHECK(client_disclose_state(v) == NULL,
	    "disclose state: a number is not a state");
	json_decref(v);
}

static void
rotate(void)
{
	char	*canon = crypto_secret_alloc(CRYPTO_TOKEN_SYMBOLS + 1);
	json_t	*v;

	if (canon == NULL)
		abort();
	v = j("{\"token\":\"" TOKEN "\"}");
	CHECK(client_rotate_answer(v, canon) == 0 &&
	    strlen(canon) == CRYPTO_TOKEN_SYMBOLS,
	    "rotate: a well-formed token read in canonical form");
	json_decref(v);
	v = j("{\"token\":\"SVQR-B37M\"}");
	CHECK(client_rotate_answer(v, canon) == -1,
	    "rotate: a short token refused");
	json_decref(v);
	v = j("{\"tok\":\"" TOKEN "\"}");
	CHECK(client_rotate_answer(v, canon) == -1,
	    "rotate: an answer without a token refused");
	json_decref(v);
	crypto_secret_free(canon);
}

static void
upload(void)
{
	char			 why[CLIENT_EXPLAIN_MAX * 2], text[96];
	unsigned long long	 size;
	unsigned		 n = 0;
	json_t			*v;

	snprintf(text, sizeof(text), "{\"attachment\":%d,\"size\":10}",
	    CLIENT_ATTACH_PER_CASE);
	v = j(text);
	size = 0;
	CHECK(client_upload_answer(v, &n, &size, why, sizeof(why)) == 0 &&
	    n == CLIENT_ATTACH_PER_CASE && size == 10,
	    "upload: attachment CLIENT_ATTACH_PER_CASE and its size read");
	json_decref(v);
	snprintf(text, sizeof(text), "{\"attachment\":%d}",
	    CLIENT_ATTACH_PER_CASE + 1);
	v = j(text);
	CHECK(client_upload_answer(v, &n, &size, why, sizeof(why)) == -1 &&
	    strstr(why, "no valid attachment number") != NULL,
	    "upload: attachment one past the per-case count refused");
	json_decref(v);
	v = j("{\"attachment\":1}");
	size = 77;
	CHECK(client_upload_answer(v, &n, &size, why, sizeof(why)) == 0 &&
	    n == 1 && size == 77, "upload: no size keeps the file's own");
	json_decref(v);
	v = j("{\"attachment\":1,\"size\":-1}");
	CHECK(client_upload_answer(v, &n, &size, why, sizeof(why)) == -1,
	    "upload: a negative size refused");
	json_decref(v);
	v = j("{\"error\":{\"code\":\"invalid_fields\",\"message\":\"x\","
	    "\"fields\":{\"\\u001b]0;pwned\\u0007\":\"\\u001b[31mbad\"}}}");
	client_upload_refused(422, v, why, sizeof(why));
	CHECK(strchr(why, 0x1b) == NULL && strchr(why, 0x07) == NULL &&
	    strstr(why, "?]0;pwned?") != NULL,
	    "upload: a 422 naming fields with escapes is told without them");
	json_decref(v);
	client_upload_refused(413, NULL, why, sizeof(why));
	CHECK(strstr(why, "too large") != NULL, "upload: 413 told as too large");
}

static void
download(void)
{
	char out[CLIENT_CTYPE_TEXT];

	client_download_type("image/jpeg", out, sizeof(out));
	CHECK(strcmp(out, "image/jpeg") == 0, "download: image/jpeg shown");
	client_download_type("text/plain\x1b[2J\xc3\xa9", out, sizeof(out));
	CHECK(strcmp(out, "text/plain?[2J??") == 0,
	    "download: escape and non-ASCII bytes shown as '?'");
	client_download_type("", out, sizeof(out));
	CHECK(strcmp(out, "?") == 0, "download: no Content-Type shown as ?");
	client_download_type("application/octet-stream", out, 6);
	CHECK(strcmp(out, "appli") == 0, "download: cut to its buffer");
}

static void
pieces(void)
{
	struct client_reply	 r;
	char			 big[100];

	memset(big, 'a', sizeof(big));
	memset(&r, 0, sizeof(r));
	r.max = 100;
	CHECK(client_reply_add(&r, big, 60) == 60 &&
	    client_reply_add(&r, big, 40) == 40 && r.len == 100 &&
	    !r.toobig && r.buf[100] == '\0',
	    "reply: exactly max bytes in two pieces kept");
	CHECK(client_reply_add(&r, big, 1) == 0 && r.toobig && r.len == 100,
	    "reply: one byte past max refused, nothing added");
	client_mem_free(r.buf);
	memset(&r, 0, sizeof(r));
	r.max = 0;
	CHECK(client_reply_add(&r, big, 0) == 0 && r.len == 0 &&
	    r.buf != NULL && r.buf[0] == '\0',
	    "reply: an empty answer is an empty string");
	client_mem_free(r.buf);
}

int
main(void)
{
	if (crypto_init() == -1)
		return 1;
	/* Refusals are told on stderr; only the checks matter here. */
	if (freopen("/dev/null", "w", stderr) == NULL)
		return 1;
	disclose();
	rotate();
	upload();
	download();
	pieces();
	return tap_done();
}
