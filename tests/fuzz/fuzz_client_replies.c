/*
 * fuzz_client_replies.c: libFuzzer target for the client's readers of
 * the server's answers that fuzz_client.c does not drive: the key list
 * (GET /keys; client_keys_parse, with and without a pinned escrow
 * fingerprint), the answer to a report (client_receipt_check: case,
 * token and the signed receipt, with and without a sealed identity), an
 * escrow generation as served (GET /escrow and the "escrow" of a disclosure
 * request; client_escrow_from_json), a key ceremony's public record (the
 * "record" of GET /escrow/ceremonies/{id}; client_dkg_from_json), the
 * entries of an audit page (GET /audit; client_audit_entry_check), the
 * report as filed that binds a disclosed identity (client_disclose_binding),
 * the error of any answer as told to people (client_http_error_ctx,
 * every status the client tells apart, in every request context), what
 * `disclose request` reads before it signs (GET /cases/{case}/disclosures:
 * client_disclose_prep), the state `disclose approve` and `reveal` check
 * and print (client_disclose_state), the new token of `rotate`
 * (client_rotate_answer) and an upload's answer: its refusal told as a
 * reason (client_upload_refused, every status) and a 201's number and size
 * (client_upload_answer).
 *
 * The input's bytes themselves are also a download's Content-Type as
 * shown (client_download_type: printable ASCII only, cut to its buffer),
 * and a reply body arriving in pieces (client_reply_add, with a cap and
 * piece sizes taken from the input: never past the cap, the bytes kept
 * are exactly those sent before it, in order). A download names no file:
 * bisik writes where --out says and reads no Content-Disposition.
 *
 * Each input is one JSON text offered to all of them, and to each as the
 * member the real answer holds it in. What is accepted must come back
 * the same through the client's own writer: an escrow generation
 * written and read again is the same generation, and a ceremony record
 * replays to the same count of messages and the same phase. An audit
 * mismatch must name the entry it was found in.
 *
 * What the client prints goes to /dev/null: stdout through its file
 * descriptor, its error sentences by pointing stdio's stderr elsewhere
 * (libFuzzer keeps the stream it took at start, and the sanitizers write
 * to file descriptor 2 themselves, so neither is lost).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Statuses the client tells apart in its sentences. */
static const long statuses[] = { 0, 400, 401, 403, 404, 409, 410, 413, 415,
    422, 429, 500, 503, 507 };

static struct client_escrow	*esc, *esc2;
/* A pinned fingerprint: the escrow key of the seed escrow.json. */
static char			 pin[CRYPTO_ESCROW_FP_TEXT];
#define PIN_KEY	"MN8VA1c3DzuIo6GO3CER1YQEhrIhcSOK65spiKDDiEs="
/* The receipt key (from a seed of 32 bytes 0x01) and the hashes a
 * receipt must name: the seed receipt.json is signed with that key over
 * content 0x02... and no identity. */
static uint8_t			 receipt_pk[CRYPTO_SIGN_PK_BYTES];
static uint8_t			 content[CRYPTO_HASH_BYTES];
static uint8_t			 identity[CRYPTO_HASH_BYTES];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE	*null;
	uint8_t	 Y[CRYPTO_POINT_BYTES], seed[32], sk[CRYPTO_SIGN_SK_BYTES];
	size_t	 n;

	(void)argc;
	(void)argv;
	if (crypto_init() == -1 || (null = fopen("/dev/null", "w")) == NULL ||
	    freopen("/dev/null", "w", stdout) == NULL)
		abort();
	stderr = null;
	if (crypto_b64_decode(PIN_KEY, strlen(PIN_KEY), Y, sizeof(Y),
	    &n) == -1 || n != sizeof(Y))
		abort();
	crypto_escrow_fingerprint(Y, pin);
	memset(seed, 1, sizeof(seed));
	if (crypto_sign_from_seed(seed, receipt_pk, sk) == -1)
		abort();
	memset(content, 2, sizeof(content));
	memset(identity, 3, sizeof(identity));
	if ((esc = malloc(sizeof(*esc))) == NULL ||
	    (esc2 = malloc(sizeof(*esc2))) == NULL)
		abort();
	return 0;
}

static void
keys(const json_t *v)
{
	uint8_t	rk[CRYPTO_SIGN_PK_BYTES], ek[CRYPTO_POINT_BYTES];
	int	has, need;

	for (need = 0; need <= 1; need++) {
		has = -1;
		if (client_keys_parse(v, need, NULL, NULL, rk, ek, &has) == 0 &&
		    (has != need || (has && crypto_point_check(ek) == -1)))
			abort();
	}
	has = -1;
	if (client_keys_parse(v, 0, pin, "fuzz", rk, ek, &has) == 0 &&
	    (has != 1 || crypto_escrow_fingerprint_match(pin, ek) == -1))
		abort();
}

static void
receipt(const json_t *v)
{
	const char	*ref;
	char		*canon, again[CRYPTO_TOKEN_SYMBOLS + 1];
	int		 year, sealed;
	uint64_t	 seq;

	for (sealed = 0; sealed <= 1; sealed++) {
		ref = NULL;
		canon = NULL;
		if (client_receipt_check(v, content, receipt_pk, sealed ?
		    identity : NULL, &ref, &canon) == -1)
			continue;
		if (ref == NULL || canon == NULL ||
		    core_case_ref_parse(ref, &year, &seq) == -1 ||
		    crypto_token_parse(canon, strlen(canon), again) == -1 ||
		    strcmp(canon, again) != 0)
			abort();
		crypto_secret_free(canon);
	}
}

static void
escrow(const json_t *v)
{
	json_t *again;

	memset(esc, 0, sizeof(*esc));
	if (v == NULL || client_escrow_from_json(v, "fuzz", esc) == -1)
		return;
	if (client_escrow_consistent(esc) == -1 ||
	    (again = client_escrow_json(esc)) == NULL)
		abort();
	memset(esc2, 0, sizeof(*esc2));
	if (client_escrow_from_json(again, "fuzz", esc2) == -1 ||
	    client_escrow_same(esc, esc2, "fuzz") == -1 ||
	    esc->version != esc2->version ||
	    memcmp(esc->config, esc2->config, sizeof(esc->config)) != 0)
		abort();
	json_decref(again);
}

static void
record(const json_t *v)
{
	struct client_dkg	*r = NULL, *r2 = NULL;
	json_t			*again;

	if (v == NULL || client_dkg_from_json(v, "fuzz", &r) == -1)
		return;
	if ((again = client_dkg_json(r)) == NULL ||
	    client_dkg_from_json(again, "fuzz", &r2) == -1 ||
	    r2->count != r->count || r2->state.phase != r->state.phase ||
	    r2->state.failed != r->state.failed)
		abort();
	json_decref(again);
	client_dkg_free(r2);
	client_dkg_free(r);
}

/* Only printable ASCII, as client_plain leaves it. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

static void
prep(const json_t *v)
{
	uint8_t		 R[CRYPTO_POINT_BYTES], again[CRYPTO_POINT_BYTES];
	const json_t	*t = json_object_get(v, "request_ttl");
	const char	*r = json_string_value(json_object_get(v, "R"));
	unsigned	 gen, ttl;
	size_t		 n;

	if (client_disclose_prep(v, &gen, &ttl, R) == -1)
		return;
	if (ttl < 1 || ttl > CLIENT_DISCLOSE_TTL_MAX || !json_is_integer(t) ||
	    (json_int_t)ttl != json_integer_value(t) || r == NULL ||
	    crypto_b64_decode(r, strlen(r), again, sizeof(again), &n) == -1 ||
	    n != sizeof(again) || memcmp(R, again, sizeof(R)) != 0)
		abort();
}

static void
state(const json_t *v)
{
	const char	*s = client_disclose_state(v);
	size_t		 n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n < 1 || n >= CLIENT_STATE_TEXT ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz_") != n ||
	    strcmp(s, json_string_value(json_object_get(v, "state"))) != 0)
		abort();
}

static void
rotate(const json_t *v)
{
	char	*canon, again[CRYPTO_TOKEN_SYMBOLS + 1];

	if ((canon = crypto_secret_alloc(CRYPTO_TOKEN_SYMBOLS + 1)) == NULL)
		abort();
	if (client_rotate_answer(v, canon) == 0 &&
	    (strlen(canon) != CRYPTO_TOKEN_SYMBOLS ||
	    crypto_token_parse(canon, strlen(canon), again) == -1 ||
	    strcmp(canon, again) != 0))
		abort();
	crypto_secret_free(canon);
}

static void
upload(const json_t *v)
{
	const json_t		*sz = json_object_get(v, "size");
	char			 why[CLIENT_EXPLAIN_MAX * 2], small[8];
	unsigned long long	 size;
	unsigned		 n;
	size_t			 i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		memset(why, 'x', sizeof(why));
		client_upload_refused(statuses[i], v, why, sizeof(why));
		if (memchr(why, '\0', sizeof(why)) == NULL || why[0] == '\0' ||
		    !printable(why))
			abort();
		client_upload_refused(statuses[i], v, small, sizeof(small));
		if (memchr(small, '\0', sizeof(small)) == NULL)
			abort();
	}
	size = 7;
	why[0] = '\0';
	if (client_upload_answer(v, &n, &size, why, sizeof(why)) == -1) {
		if (why[0] == '\0')
			abort();
		return;
	}
	if (n < 1 || n > CLIENT_ATTACH_PER_CASE ||
	    (sz == NULL && size != 7) || (sz != NULL &&
	    (json_integer_value(sz) < 0 ||
	    size != (unsigned long long)json_integer_value(sz))))
		abort();
}

/* The input as a Content-Type header, shown in buffers of a few sizes. */
static void
ctype(const uint8_t *data, size_t size)
{
	static const size_t	 lens[] = { 1, 2, 9, CLIENT_CTYPE_TEXT };
	char			*ct, out[CLIENT_CTYPE_TEXT + 1];
	size_t			 i, j, n;

	if ((ct = malloc(size + 1)) == NULL)
		abort();
	memcpy(ct, data, size);
	ct[size] = '\0';
	n = strlen(ct);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(out, 'x', sizeof(out));
		client_download_type(ct, out, lens[i]);
		if (out[lens[i]] != 'x' || memchr(out, '\0', lens[i]) == NULL ||
		    !printable(out) || (lens[i] > 1 && out[0] == '\0'))
			abort();
		/* Printable bytes are kept where they were. */
		for (j = 0; j < n && j + 1 < lens[i]; j++)
			if (ct[j] >= 0x20 && ct[j] < 0x7f && out[j] != ct[j])
				abort();
	}
	free(ct);
}

/* The input as a reply body arriving in pieces: the first two bytes are
 * the cap, each next byte the length of a piece taken from what follows. */
static void
pieces(const uint8_t *data, size_t size)
{
	struct client_reply	 r;
	size_t			 off, n, sent = 0, got;

	if (size < 2)
		return;
	memset(&r, 0, sizeof(r));
	r.max = (size_t)data[0] << 8 | data[1];
	off = 2;
	while (off < size) {
		n = data[off++];
		if (n > size - off)
			n = size - off;
		got = client_reply_add(&r, (const char *)data + off, n);
		if (got == 0 && n > 0) {
			if (!r.toobig || sent + n <= r.max)
				abort();
			break;
		}
		if (got != n || r.toobig)
			abort();
		off += n;
		sent += n;
		if (r.len != sent || r.len > r.max || r.buf[r.len] != '\0' ||
		    r.cap > r.max + 1)
			abort();
	}
	/* What was kept is what was sent, in order. */
	for (off = 2, got = 0; got < r.len; ) {
		n = data[off++];
		if (n > size - off)
			n = size - off;
		if (memcmp(r.buf + got, data + off, n) != 0)
			abort();
		off += n;
		got += n;
	}
	client_mem_free(r.buf);
}

static void
audit(const json_t *entries)
{
	struct crypto_audit_check	 c;
	const json_t			*e, *s;
	uint64_t			 mismatch;
	size_t				 i;
	int				 rc;

	if (!json_is_array(entries))
		return;
	crypto_audit_check_init(&c);
	json_array_foreach(entries, i, e) {
		mismatch = 0;
		rc = client_audit_entry_check(&c, e, &mismatch);
		if (rc != -1 && rc != 0 && rc != 1)
			abort();
		s = json_object_get(e, "seq");
		if (rc == 1 && (!json_is_integer(s) ||
		    (uint64_t)json_integer_value(s) != mismatch))
			abort();
		if (c.count > i + 1)
			abort();
		if (rc != 0)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_errors	 errs;
	json_t			*root = NULL;
	uint8_t			 binding[CRYPTO_HASH_BYTES];
	size_t			 i;
	int			 ctx;

	ctype(data, size);
	pieces(data, size);
	memset(&errs, 0, sizeof(errs));
	if (core_json_parse((const char *)data, size, CLIENT_JSON_DEPTH,
	    &root, &errs) != 0)
		return 0;
	prep(root);
	state(root);
	rotate(root);
	upload(root);
	keys(root);
	receipt(root);
	escrow(root);
	escrow(json_object_get(root, "escrow"));
	record(root);
	record(json_object_get(root, "record"));
	audit(root);
	audit(json_object_get(root, "entries"));
	(void)client_disclose_binding(root, "BSK-2026-000001", binding);
	(void)client_http_error_code(root);
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		for (ctx = CLIENT_CTX_NONE; ctx <= CLIENT_CTX_ATTACH; ctx++)
			client_http_error_ctx(statuses[i], root, ctx, root);
	json_decref(root);
	return 0;
}
