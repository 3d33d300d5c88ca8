/*
 * client_dkg_test.c: the JSON record of a dealerless key ceremony
 * (client/dkg.c). A real 3-of-4 ceremony with real keys is written at two
 * moments (while complaints are being answered, and done), read back and
 * compared with the original state; a record read back can be continued;
 * and every way of bending a record (unknown or duplicate fields, a
 * changed, moved or foreign message, a phase its messages contradict,
 * bad terms, too many messages, too many bytes) is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"
#include "tests/unit/tap.h"

#define N	4
#define K	3

static struct crypto_admin_key	*keys[N + 1];
static uint8_t			 seeds[N + 1][CRYPTO_DKG_SEED_BYTES];
static FILE			*errf;

static void
die(const char *what)
{
	printf("not ok - %s\n", what);
	exit(1);
}

/* What client_err printed since the last call. */
static const char *
errors(void)
{
	static char	buf[1024];
	size_t		n;

	fflush(stderr);
	rewind(errf);
	n = fread(buf, 1, sizeof(buf) - 1, errf);
	buf[n] = '\0';
	if (ftruncate(fileno(errf), 0) != 0)
		die("ftruncate");
	rewind(errf);
	return buf;
}

static void
ceremony_make(struct crypto_dkg_ceremony *c)
{
	unsigned	i;

	memset(c, 0, sizeof(*c));
	crypto_random(c->id, sizeof(c->id));
	c->threshold = K;
	c->holders = N;
	for (i = 0; i < CRYPTO_DKG_PHASES; i++)
		c->deadline[i] = 1760000000u + 86400u * (i + 1);
	c->expires = c->deadline[CRYPTO_DKG_PHASES - 1] + 86400;
	for (i = 0; i < N; i++) {
		memcpy(c->sign_pk[i], keys[i + 1]->sign_pk, 32);
		memcpy(c->box_pk[i], keys[i + 1]->box_pk, 32);
	}
}

static void
post(struct client_dkg *r, unsigned sender, const uint8_t *body, size_t len)
{
	uint8_t	msg[CRYPTO_DKG_MSG_MAX];
	size_t	mlen;

	if (crypto_dkg_sign(&r->state, sender, keys[sender], body, len, msg,
	    &mlen) != 0 || client_dkg_add(r, msg, mlen) != CRYPTO_DKG_OK)
		die("post");
}

static char *
dump(const struct client_dkg *r, size_t *len)
{
	json_t	*j = client_dkg_json(r);
	char	*text;

	if (j == NULL || client_json_dump(j, &text, len) != 0)
		die("dump");
	json_decref(j);
	return text;
}

/* Parses text after replacing the first `from` by `to`; 0 if accepted. */
static int
parse_edited(const char *text, const char *from, const char *to)
{
	struct client_dkg	*r = NULL;
	const char		*p = strstr(text, from);
	char			*t;
	size_t			 n;
	int			 rc;

	if (p == NULL) {
		printf("# %s not in the record\n", from);
		return 0;
	}
	n = strlen(text) - strlen(from) + strlen(to);
	if ((t = malloc(n + 1)) == NULL)
		die("malloc");
	memcpy(t, text, (size_t)(p - text));
	strcpy(t + (p - text), to);
	strcat(t, p + strlen(from));
	rc = client_dkg_parse(t, n, "record", &r);
	client_dkg_free(r);
	free(t);
	return rc;
}

/* The messages array of a record with entries from..to of another list. */
static int
parse_messages(const char *text, json_t *msgs)
{
	struct client_dkg	*r = NULL;
	json_t			*root;
	json_error_t		 err;
	int			 rc;

	if ((root = json_loads(text, 0, &err)) == NULL ||
	    json_object_set(root, "messages", msgs) != 0)
		die("json");
	rc = client_dkg_from_json(root, "record", &r);
	client_dkg_free(r);
	json_decref(root);
	return rc;
}

static int
same_state(const struct client_dkg *a, const struct client_dkg *b)
{
	const struct crypto_dkg	*x = &a->state, *y = &b->state;
	unsigned		 i;

	if (a->count != b->count || x->phase != y->phase ||
	    x->failed != y->failed ||
	    memcmp(x->checkpoint, y->checkpoint, 32) != 0 ||
	    memcmp(x->chash, y->chash, 32) != 0)
		return 0;
	for (i = 1; i <= N; i++)
		if (crypto_dkg_dealer_status(x, i) !=
		    crypto_dkg_dealer_status(y, i))
			return 0;
	return 1;
}

int
main(void)
{
	struct crypto_dkg_ceremony	 c;
	struct client_dkg		*r = NULL, *back = NULL, *other = NULL;
	uint8_t				 body[CRYPTO_DKG_BODY_MAX];
	uint8_t				 Y[32], Y2[32], com[N][32], com2[N][32];
	uint8_t				 answer[CRYPTO_DKG_MSG_MAX], share[32];
	char				*mid = NULL, *done = NULL, *again = NULL;
	char				*big;
	size_t				 len, midlen, donelen, alen, answerlen;
	json_t				*root, *msgs, *m2;
	json_error_t			 jerr;
	char				 name[64];
	unsigned			 i;
	int				 ok;

	if (crypto_init() != 0 || client_alloc_init() != 0)
		return 1;
	if ((errf = tmpfile()) == NULL || dup2(fileno(errf), 2) < 0)
		die("stderr");
	for (i = 1; i <= N; i++) {
		if ((keys[i] = crypto_secret_alloc(sizeof(*keys[i]))) == NULL)
			die("keys");
		crypto_admin_keygen(keys[i]);
		crypto_random(seeds[i], sizeof(seeds[i]));
	}

	/* A 3-of-4 ceremony; holder 3 complains of dealer 2 (with or
	 * without reason, the dealer answers in the open). */
	ceremony_make(&c);
	if (client_dkg_new(&c, &r) != 0)
		die("client_dkg_new");
	for (i = 1; i <= N; i++) {
		if (crypto_dkg_deal(&r->state, i, seeds[i], body, &len) != 0)
			die("deal");
		post(r, i, body, len);
	}
	if (crypto_dkg_advance(&r->state) != 0)
		die("advance");
	for (i = 1; i <= N; i++) {
		if (crypto_dkg_complain(&r->state, keys[i], i, body, &len,
		    NULL) != 0)
			die("complain");
		if (i == 3) {
			body[0] = body[1] = body[2] = 0;
			body[3] = 2;
			len = 4;
		}
		post(r, i, body, len);
	}
	if (crypto_dkg_advance(&r->state) != 0)
		die("advance");
	mid = dump(r, &midlen);
	if (crypto_dkg_answer(&r->state, 2, seeds[2], body, &len) != 0 ||
	    crypto_dkg_sign(&r->state, 2, keys[2], body, len, answer,
	    &answerlen) != 0 ||
	    client_dkg_add(r, answer, answerlen) != CRYPTO_DKG_OK)
		die("answer");
	if (crypto_dkg_advance(&r->state) != 0)
		die("advance");
	for (i = 1; i <= N; i++) {
		if (crypto_dkg_extract(&r->state, i, seeds[i], body, &len) != 0)
			die("extract");
		post(r, i, body, len);
	}
	if (crypto_dkg_advance(&r->state) != 0 ||
	    crypto_dkg_result(&r->state, Y, com[0]) != 0)
		die("result");
	done = dump(r, &donelen);

	/* Round trips. */
	ok = client_dkg_parse(done, donelen, "record", &back) == 0 &&
	    same_state(r, back) && back->state.phase == CRYPTO_DKG_DONE &&
	    crypto_dkg_result(&back->state, Y2, com2[0]) == 0 &&
	    memcmp(Y, Y2, 32) == 0 && memcmp(com, com2, sizeof(com)) == 0;
	CHECK(ok, "a finished record reads back to the same transcript hash, "
	    "key and commitments");
	if (back != NULL) {
		again = dump(back, &alen);
		CHECK(alen == donelen && memcmp(again, done, alen) == 0,
		    "written again, the record is the same text");
		ok = crypto_dkg_share(&back->state, keys[3], 3, share) == 0 &&
		    crypto_escrow_share_check(share, com[2]) == 0;
		CHECK(ok, "from the record read back, the complainer's share "
		    "(with the answered pair) checks");
		crypto_wipe(share, sizeof(share));
	}
	client_dkg_free(back);
	back = NULL;
	ok = client_dkg_parse(mid, midlen, "record", &back) == 0 &&
	    back->state.phase == CRYPTO_DKG_ANSWER &&
	    back->count == 2 * N && crypto_dkg_due(&back->state, 2) &&
	    !crypto_dkg_due(&back->state, 1) &&
	    client_dkg_add(back, answer, answerlen) == CRYPTO_DKG_OK;
	CHECK(ok, "a record written while ANSWER is open reads back and "
	    "takes dealer 2's answer");
	client_dkg_free(back);
	back = NULL;
	(void)errors();

	/* Bent records. */
	CHECK(parse_edited(done, "\"phase\": \"done\"",
	    "\"phase\": \"done\", \"note\": 1") == -1 &&
	    strstr(errors(), "unknown field") != NULL,
	    "an unknown field is refused");
	CHECK(parse_edited(done, "\"phase\": \"done\"",
	    "\"phase\": \"done\", \"phase\": \"done\"") == -1,
	    "a duplicate field is refused");
	CHECK(parse_edited(done, "\"phase\": \"done\"",
	    "\"phase\": \"closed\"") == -1, "an unknown phase is refused");
	CHECK(parse_edited(done, "\"phase\": \"done\"",
	    "\"phase\": \"complain\"") == -1 &&
	    strstr(errors(), "lead to") != NULL,
	    "a phase earlier than the messages show is refused");
	CHECK(parse_edited(mid, "\"phase\": \"answer\"",
	    "\"phase\": \"extract\"") == 0,
	    "a record moved on to EXTRACT reads (the relay closed ANSWER at "
	    "its deadline, dealer 2 unanswered)");
	CHECK(parse_edited(done, "\"threshold\": 3", "\"threshold\": 1") == -1,
	    "a threshold of 1 is refused");
	CHECK(parse_edited(done, "\"threshold\": 3", "\"threshold\": 2") == -1 &&
	    strstr(errors(), "refused") != NULL,
	    "other terms than the signed ones make every message refused");
	CHECK(parse_edited(done, "\"index\": 1", "\"index\": 2") == -1,
	    "holders out of order are refused");
	{
		char	from[48], to[48];
		json_t	*jr = json_loads(done, 0, &jerr);
		const char *id = json_string_value(json_object_get(
		    json_object_get(jr, "ceremony"), "id"));

		snprintf(from, sizeof(from), "\"%s\"", id);
		snprintf(to, sizeof(to), "\"%.31s\"", id);
		CHECK(parse_edited(done, from, to) == -1,
		    "a ceremony id of 31 hex digits is refused");
		snprintf(to, sizeof(to), "\"%.31sG\"", id);
		CHECK(parse_edited(done, from, to) == -1,
		    "a ceremony id with a non-hex digit is refused");
		json_decref(jr);
	}

	if ((root = json_loads(done, 0, &jerr)) == NULL)
		die("json_loads");
	msgs = json_object_get(root, "messages");
	/* One base64 character of the 6th message changed. */
	m2 = json_deep_copy(msgs);
	{
		char	*t = strdup(json_string_value(json_array_get(m2, 5)));

		t[100] = t[100] == 'A' ? 'B' : 'A';
		json_array_set_new(m2, 5, json_string(t));
		free(t);
	}
	CHECK(parse_messages(done, m2) == -1 &&
	    strstr(errors(), "message 6") != NULL,
	    "a changed message is refused and named");
	json_decref(m2);
	/* A complaint moved before the deals. */
	m2 = json_deep_copy(msgs);
	json_array_insert(m2, 0, json_array_get(msgs, N));
	json_array_remove(m2, N + 1);
	CHECK(parse_messages(done, m2) == -1,
	    "a complaint moved before the deals is refused");
	json_decref(m2);
	/* A message of another ceremony with the same holders. */
	ceremony_make(&c);
	if (client_dkg_new(&c, &other) != 0 ||
	    crypto_dkg_deal(&other->state, 1, seeds[1], body, &len) != 0)
		die("other");
	post(other, 1, body, len);
	m2 = json_deep_copy(msgs);
	json_array_set_new(m2, 0, client_json_b64(other->msg[0],
	    other->len[0]));
	CHECK(parse_messages(done, m2) == -1 &&
	    strstr(errors(), "another ceremony") != NULL,
	    "a message of another ceremony is refused");
	json_decref(m2);
	client_dkg_free(other);
	/* CLIENT_DKG_MESSAGES_MAX entries: the count is fine, the replays
	 * are not; one more is too many. */
	m2 = json_deep_copy(msgs);
	while (json_array_size(m2) < CLIENT_DKG_MESSAGES_MAX)
		json_array_append(m2, json_array_get(msgs, 0));
	snprintf(name, sizeof(name), "message %zu of", json_array_size(msgs) +
	    1);
	CHECK(parse_messages(done, m2) == -1 && strstr(errors(), name) != NULL,
	    "CLIENT_DKG_MESSAGES_MAX messages are read (the first replay "
	    "refused)");
	json_array_append(m2, json_array_get(msgs, 0));
	CHECK(parse_messages(done, m2) == -1 &&
	    strstr(errors(), "more than") != NULL,
	    "CLIENT_DKG_MESSAGES_MAX + 1 messages are refused unread");
	json_decref(m2);
	json_decref(root);

	/* CLIENT_DKG_RECORD_MAX bytes of text (padded with spaces). */
	if ((big = malloc(CLIENT_DKG_RECORD_MAX + 1)) == NULL)
		die("malloc");
	memset(big, ' ', CLIENT_DKG_RECORD_MAX + 1);
	memcpy(big, done, donelen);
	ok = client_dkg_parse(big, CLIENT_DKG_RECORD_MAX, "record", &back) == 0;
	CHECK(ok, "a record of CLIENT_DKG_RECORD_MAX bytes is read");
	client_dkg_free(back);
	back = NULL;
	CHECK(client_dkg_parse(big, CLIENT_DKG_RECORD_MAX + 1, "record",
	    &back) == -1 && strstr(errors(), "larger than") != NULL,
	    "a record of CLIENT_DKG_RECORD_MAX + 1 bytes is refused");
	free(big);

	client_mem_free(mid);
	client_mem_free(done);
	client_mem_free(again);
	client_dkg_free(r);
	for (i = 1; i <= N; i++)
		crypto_secret_free(keys[i]);
	crypto_wipe(seeds, sizeof(seeds));
	client_alloc_done();
	return tap_done();
}
