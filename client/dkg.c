/*
 * dkg.c: the public record of a dealerless escrow key ceremony
 * (docs/dkg.md) as JSON: the ceremony's terms, the phase open when the
 * record was written and every message taken, in order.
 *
 * Reading a record never trusts it: the ceremony is checked, and every
 * message is run again through crypto's public state (crypto_dkg), which
 * checks its signature, phase, checkpoint and content, so whoever hands
 * us the record (the relay) cannot make us see a ceremony the holders did
 * not sign. crypto/ stays free of JSON; this file is only the wrapping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

static const char *const record_fields[] = {
	"bisik_dkg_record", "ceremony", "phase", "messages"
};
static const char *const ceremony_fields[] = {
	"id", "threshold", "deadlines", "expires", "holders"
};
static const char *const holder_fields[] = {
	"index", "sign_key", "box_key"
};
#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))

/* Index = enum crypto_dkg_phase. */
static const char *const phase_names[CRYPTO_DKG_PHASE_MAX] = {
	NULL, "deal", "complain", "answer", "extract", "done"
};

const char *
client_dkg_phase_name(unsigned phase)
{
	if (phase < CRYPTO_DKG_DEAL || phase >= CRYPTO_DKG_PHASE_MAX)
		return "none";
	return phase_names[phase];
}

int
client_dkg_new(const struct crypto_dkg_ceremony *c, struct client_dkg **out)
{
	struct client_dkg	*r;

	/* About 300 KiB of public values: plain heap. */
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (crypto_dkg_init(&r->state, c) != 0) {
		client_err("the ceremony's terms are not acceptable (threshold "
		    "2..holders, at most %d holders, distinct keys, rising "
		    "deadlines)", CRYPTO_DKG_MAX_HOLDERS);
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void
client_dkg_free(struct client_dkg *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->count; i++)
		free(r->msg[i]);
	free(r);
}

int
client_dkg_add(struct client_dkg *r, const uint8_t *msg, size_t len)
{
	uint8_t	*copy;
	int	 rc;

	if (r->count == CLIENT_DKG_MESSAGES_MAX)
		return CRYPTO_DKG_REPLAY;	/* one per holder and phase */
	if ((copy = malloc(len > 0 ? len : 1)) == NULL)
		return CRYPTO_DKG_MALFORMED;
	rc = crypto_dkg_accept(&r->state, msg, len);
	if (rc != CRYPTO_DKG_OK) {
		free(copy);
		return rc;
	}
	memcpy(copy, msg, len);
	r->msg[r->count] = copy;
	r->len[r->count++] = len;
	return CRYPTO_DKG_OK;
}

static json_t *
ceremony_json(const struct crypto_dkg_ceremony *c)
{
	static const char hex[] = "0123456789abcdef";
	json_t		*o = NULL, *dl, *hs, *h;
	char		 id[2 * CRYPTO_DKG_ID_BYTES + 1];
	unsigned	 i;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++) {
		id[2 * i] = hex[c->id[i] >> 4];
		id[2 * i + 1] = hex[c->id[i] & 15];
	}
	id[2 * CRYPTO_DKG_ID_BYTES] = '\0';
	if (json_object_set_new(o, "id", json_string(id)) == -1 ||
	    json_object_set_new(o, "threshold",
	    json_integer(c->threshold)) == -1 ||
	    (dl = json_array()) == NULL ||
	    json_object_set_new(o, "deadlines", dl) == -1)
		goto fail;
	for (i = 0; i < CRYPTO_DKG_PHASES; i++)
		if (json_array_append_new(dl,
		    json_integer((json_int_t)c->deadline[i])) == -1)
			goto fail;
	if (json_object_set_new(o, "expires",
	    json_integer((json_int_t)c->expires)) == -1 ||
	    (hs = json_array()) == NULL ||
	    json_object_set_new(o, "holders", hs) == -1)
		goto fail;
	for (i = 0; i < c->holders; i++) {
		if ((h = json_object()) == NULL ||
		    json_array_append_new(hs, h) == -1 ||
		    json_object_set_new(h, "index", json_integer(i + 1)) == -1 ||
		    json_object_set_new(h, "sign_key",
		    client_json_b64(c->sign_pk[i], CRYPTO_SIGN_PK_BYTES)) == -1 ||
		    json_object_set_new(h, "box_key",
		    client_json_b64(c->box_pk[i], CRYPTO_BOX_PK_BYTES)) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
client_dkg_json(const struct client_dkg *r)
{
	json_t	*o = NULL, *c, *ms;
	size_t	 i;

	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(o, "bisik_dkg_record", json_integer(1)) == -1 ||
	    (c = ceremony_json(&r->state.c)) == NULL ||
	    json_object_set_new(o, "ceremony", c) == -1 ||
	    json_object_set_new(o, "phase",
	    json_string(client_dkg_phase_name(r->state.phase))) == -1 ||
	    (ms = json_array()) == NULL ||
	    json_object_set_new(o, "messages", ms) == -1)
		goto fail;
	for (i = 0; i < r->count; i++)
		if (json_array_append_new(ms,
		    client_json_b64(r->msg[i], r->len[i])) == -1)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* A JSON integer in [min, max]. */
static int
get_uint(const json_t *o, const char *key, uint64_t min, uint64_t max,
    uint64_t *out)
{
	const json_t	*v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) < min ||
	    (uint64_t)json_integer_value(v) > max)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
ceremony_parse(const json_t *o, struct crypto_dkg_ceremony *c,
    const char *what)
{
	const json_t	*v, *h;
	const char	*id;
	static const char hex[] = "0123456789abcdef";
	uint64_t	 n64;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(o) || client_json_only(o, ceremony_fields,
	    NFIELDS(ceremony_fields), what, "the ceremony") == -1) {
		if (!json_is_object(o))
			client_err("the %s has no ceremony object", what);
		return -1;
	}
	if ((id = client_json_str(o, "id", what)) == NULL)
		return -1;
	if (strlen(id) != 2 * CRYPTO_DKG_ID_BYTES ||
	    strspn(id, hex) != 2 * CRYPTO_DKG_ID_BYTES) {
		client_err("the ceremony id in the %s is not %d lower-case hex "
		    "digits", what, 2 * CRYPTO_DKG_ID_BYTES);
		return -1;
	}
	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++)
		c->id[i] = (uint8_t)((strchr(hex, id[2 * i]) - hex) << 4 |
		    (strchr(hex, id[2 * i + 1]) - hex));
	if (get_uint(o, "threshold", 2, CRYPTO_DKG_MAX_HOLDERS, &n64) == -1) {
		client_err("the ceremony threshold in the %s is not a number "
		    "from 2 to %d", what, CRYPTO_DKG_MAX_HOLDERS);
		return -1;
	}
	c->threshold = (unsigned)n64;
	v = json_object_get(o, "deadlines");
	if (!json_is_array(v) || json_array_size(v) != CRYPTO_DKG_PHASES) {
		client_err("the ceremony in the %s does not have %d deadlines",
		    what, CRYPTO_DKG_PHASES);
		return -1;
	}
	for (i = 0; i < CRYPTO_DKG_PHASES; i++) {
		const json_t *d = json_array_get(v, i);

		if (!json_is_integer(d) || json_integer_value(d) <= 0) {
			client_err("deadline %zu of the ceremony in the %s is "
			    "not a time", i + 1, what);
			return -1;
		}
		c->deadline[i] = (uint64_t)json_integer_value(d);
	}
	if (get_uint(o, "expires", 1, INT64_MAX, &c->expires) == -1) {
		client_err("the ceremony in the %s has no expiry time", what);
		return -1;
	}
	v = json_object_get(o, "holders");
	if (!json_is_array(v) || json_array_size(v) < 2 ||
	    json_array_size(v) > CRYPTO_DKG_MAX_HOLDERS) {
		client_err("the ceremony in the %s does not list 2 to %d "
		    "holders", what, CRYPTO_DKG_MAX_HOLDERS);
		return -1;
	}
	c->holders = (unsigned)json_array_size(v);
	for (i = 0; i < c->holders; i++) {
		h = json_array_get(v, i);
		if (!json_is_object(h) || client_json_only(h,
		    holder_fields, NFIELDS(holder_fields), what,
		    "the holder") == -1 ||
		    get_uint(h, "index", i + 1, i + 1, &n64) == -1) {
			client_err("holder %zu of the ceremony in the %s is not "
			    "{\"index\": %zu, \"sign_key\", \"box_key\"}", i + 1,
			    what, i + 1);
			return -1;
		}
		if (client_json_get_b64(h, "sign_key", c->sign_pk[i],
		    CRYPTO_SIGN_PK_BYTES, what) == -1 ||
		    client_json_get_b64(h, "box_key", c->box_pk[i],
		    CRYPTO_BOX_PK_BYTES, what) == -1)
			return -1;
	}
	return 0;
}

int
client_dkg_from_json(const json_t *root, const char *what,
    struct client_dkg **out)
{
	struct crypto_dkg_ceremony	 c;
	struct client_dkg		*r = NULL;
	const json_t			*ms, *v;
	const char			*pname;
	uint8_t				*msg = NULL;
	size_t				 i, len;
	unsigned			 target, p;
	int				 rc = -1, e;

	if (!json_is_object(root) || client_json_only(root, record_fields,
	    NFIELDS(record_fields), what, "the record") == -1) {
		if (!json_is_object(root))
			client_err("the %s is not a JSON object", what);
		return -1;
	}
	v = json_object_get(root, "bisik_dkg_record");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		client_err("the %s is not a version 1 ceremony record", what);
		return -1;
	}
	if ((pname = client_json_str(root, "phase", what)) == NULL)
		return -1;
	for (target = CRYPTO_DKG_DEAL; target < CRYPTO_DKG_PHASE_MAX; target++)
		if (strcmp(pname, phase_names[target]) == 0)
			break;
	if (target == CRYPTO_DKG_PHASE_MAX) {
		client_err("the phase of the %s is not one of deal, complain, "
		    "answer, extract, done", what);
		return -1;
	}
	ms = json_object_get(root, "messages");
	if (!json_is_array(ms)) {
		client_err("the %s has no list of messages", what);
		return -1;
	}
	if (json_array_size(ms) > CLIENT_DKG_MESSAGES_MAX) {
		client_err("the %s holds more than %d messages", what,
		    CLIENT_DKG_MESSAGES_MAX);
		return -1;
	}
	if (ceremony_parse(json_object_get(root, "ceremony"), &c, what) == -1 ||
	    client_dkg_new(&c, &r) == -1)
		return -1;
	if ((msg = malloc(CRYPTO_DKG_MSG_MAX)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	for (i = 0; i < json_array_size(ms); i++) {
		v = json_array_get(ms, i);
		if (!json_is_string(v) || crypto_b64_decode(json_string_value(v),
		    json_string_length(v), msg, CRYPTO_DKG_MSG_MAX, &len) == -1) {
			client_err("message %zu of the %s is not base64 of at "
			    "most %d bytes", i + 1, what, CRYPTO_DKG_MSG_MAX);
			goto out;
		}
		/* A later phase's message shows the earlier ones closed. */
		p = crypto_dkg_msg_phase(msg, len);
		while (r->state.phase < p && p < CRYPTO_DKG_DONE)
			if (crypto_dkg_advance(&r->state) != 0)
				break;
		if ((e = client_dkg_add(r, msg, len)) != CRYPTO_DKG_OK) {
			client_err("message %zu of the %s is refused: %s", i + 1,
			    what, crypto_dkg_strerror(e));
			goto out;
		}
	}
	while (r->state.phase < target && crypto_dkg_advance(&r->state) == 0)
		;
	if (r->state.phase != target) {
		client_err("the %s says phase \"%s\" but its messages lead to "
		    "\"%s\"", what, pname, client_dkg_phase_name(r->state.phase));
		goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	free(msg);
	client_dkg_free(r);
	return rc;
}

int
client_dkg_parse(const char *buf, size_t len, const char *what,
    struct client_dkg **out)
{
	json_t	*root = NULL;
	int	 rc;

	if (len > CLIENT_DKG_RECORD_MAX) {
		client_err("the %s is larger than %d bytes", what,
		    CLIENT_DKG_RECORD_MAX);
		return -1;
	}
	if (client_json_object(buf, len, record_fields, NFIELDS(record_fields),
	    "bisik_dkg_record", what, &root) == -1)
		return -1;
	rc = client_dkg_from_json(root, what, out);
	json_decref(root);
	return rc;
}
