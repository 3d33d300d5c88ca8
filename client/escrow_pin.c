/*
 * escrow_pin.c: holders trust the escrow file they pinned, never the copy
 * a server hands them (SECURITY.md, "What the server's operator can
 * learn").
 *
 * Whoever runs the server can change the escrow file it serves. Y and the
 * commitments can stay as they are while one holder's signing and box
 * keys are swapped for the operator's: the file still agrees with itself,
 * and a request "from" that holder, signed with the operator's key and
 * blinded with a factor the operator chose, would look valid to every
 * other holder, whose partials the operator could then unblind. So every
 * disclosure command takes the file of the generation as the holder
 * received and signed it (--escrow) and refuses, before it computes or
 * sends anything, a server copy that differs in any public value. Keys
 * the holder then uses (whom to check a signature with) come from the
 * pinned file alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

/* The first public value in which a and b differ, or NULL if none. */
static const char *
first_difference(const struct client_escrow *a, const struct client_escrow *b,
    char *buf, size_t len)
{
	unsigned i;

	if (!crypto_equal(a->Y, b->Y, sizeof(a->Y)))
		return "the public key";
	if (a->threshold != b->threshold)
		return "the threshold";
	if (a->n != b->n)
		return "the number of holders";
	for (i = 0; i < a->n; i++) {
		const struct client_holder *x = &a->holders[i], *y = &b->holders[i];
		const char *what = NULL;

		if (x->index != y->index)
			what = "index";
		else if (!crypto_equal(x->sign_pk, y->sign_pk,
		    sizeof(x->sign_pk)))
			what = "signing key";
		else if (!crypto_equal(x->box_pk, y->box_pk, sizeof(x->box_pk)))
			what = "box key";
		else if (!crypto_equal(x->commitment, y->commitment,
		    sizeof(x->commitment)))
			what = "commitment";
		if (what != NULL) {
			snprintf(buf, len, "holder %u's %s", i + 1, what);
			return buf;
		}
	}
	if (a->version != b->version)
		return "whether it is a resharing";
	if (a->dkg != b->dkg || !crypto_equal(a->dkg_id, b->dkg_id,
	    sizeof(a->dkg_id)) || !crypto_equal(a->transcript, b->transcript,
	    sizeof(a->transcript)))
		return "the record of the dealerless ceremony that made it";
	if (!crypto_equal(a->config, b->config, sizeof(a->config)))
		return "the record of the resharing";
	return NULL;
}

int
client_escrow_same(const struct client_escrow *pinned,
    const struct client_escrow *served, const char *what)
{
	const char	*diff;
	char		 buf[64];

	if ((diff = first_difference(pinned, served, buf, sizeof(buf))) !=
	    NULL) {
		client_err("the %s differs from your pinned escrow file in %s: "
		    "refusing to take part (someone changed the server's copy; "
		    "tell the other holders)", what, diff);
		return -1;
	}
	return 0;
}

int
client_escrow_pinned(const char *path, const json_t *served,
    struct client_escrow *pinned)
{
	struct client_escrow	*s = NULL;
	int			 rc = -1;

	if (client_escrow_load(path, pinned) == -1)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		client_err("out of memory");
		return -1;
	}
	/* A server copy that does not even parse is refused as well. */
	if (client_escrow_from_json(served, "escrow file the server sent",
	    s) == -1)
		goto out;
	rc = client_escrow_same(pinned, s, "escrow file the server sent");
out:
	free(s);
	return rc;
}

int
client_escrow_check_previous(const struct client_escrow *e,
    const struct client_escrow *prev, const char *prevpath)
{
	uint8_t		digest[CRYPTO_HASH_BYTES];
	unsigned	i;

	if (e->version != 2) {
		client_err("the escrow file is not a resharing: it has no "
		    "previous generation");
		return -1;
	}
	if (!crypto_equal(e->previous, prev->config, sizeof(e->previous)) ||
	    !crypto_equal(e->Y, prev->Y, sizeof(e->Y))) {
		client_err("the escrow file reshares another configuration "
		    "than %s", prevpath);
		return -1;
	}
	if (e->prev_threshold != prev->threshold || e->nretired != prev->n) {
		client_err("the escrow file's record of the resharing does not "
		    "match the threshold and holders of %s", prevpath);
		return -1;
	}
	for (i = 0; i < prev->n; i++)
		if (e->retired[i].index != prev->holders[i].index ||
		    !crypto_equal(e->retired[i].sign_pk,
		    prev->holders[i].sign_pk, CRYPTO_SIGN_PK_BYTES) ||
		    !crypto_equal(e->retired[i].box_pk, prev->holders[i].box_pk,
		    CRYPTO_BOX_PK_BYTES) ||
		    !crypto_equal(e->retired[i].commitment,
		    prev->holders[i].commitment, CRYPTO_POINT_BYTES)) {
			client_err("retired holder %u in the escrow file is not "
			    "holder %u of %s", i + 1, i + 1, prevpath);
			return -1;
		}
	/* Each dealer by its key in the pinned file. */
	for (i = 0; i < e->ndealers; i++) {
		client_reshare_digest(e, i, digest);
		if (crypto_sign_check(prev->holders[e->dealers[i] - 1].sign_pk,
		    digest, sizeof(digest), e->dealer_sig[i]) == -1) {
			client_err("dealer %u's signature does not verify with "
			    "holder %u's key in %s", e->dealers[i],
			    e->dealers[i], prevpath);
			return -1;
		}
	}
	return 0;
}
