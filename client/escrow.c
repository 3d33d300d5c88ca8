/*
 * escrow.c: the escrow key ceremony (`bisik escrow ceremony`) and the
 * escrow.pub file it makes (docs/formats.md).
 *
 * The ceremony is the one moment the escrow key exists: crypto splits a
 * fresh scalar k-of-n, we seal each share to its admin's X25519 key at
 * once and wipe it. What is written holds only public values and sealed
 * shares, so escrow.pub may be handed to the server, which relays each
 * admin their sealed share and never holds one in plain. Reading
 * escrow.pub checks everything a later step relies on: a wrong commitment
 * would let a cheating admin's partial pass its proof.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

static const char *const escrow_fields[] = {
	"bisik_escrow", "id", "threshold", "public_key", "holders"
};
static const char *const holder_fields[] = {
	"index", "sign_key", "box_key", "commitment", "sealed_share"
};
#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The generation's name: hex of the first 8 bytes of a domain-separated
 * BLAKE2b-256 of Y. Short enough to read aloud when admins compare what
 * they installed; 64 bits rule out accidental clashes between the few
 * generations a deployment ever has.
 */
void
client_escrow_id(const uint8_t Y[CRYPTO_POINT_BYTES],
    char out[CLIENT_ESCROW_ID_TEXT])
{
	static const char	 hex[] = "0123456789abcdef";
	struct crypto_part	 part = { Y, CRYPTO_POINT_BYTES };
	uint8_t			 h[CRYPTO_HASH_BYTES];
	size_t			 i;

	crypto_hash_parts("bisik-escrow-id-v1", &part, 1, h);
	for (i = 0; i < CLIENT_ESCROW_ID_BYTES; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 0xf];
	}
	out[2 * CLIENT_ESCROW_ID_BYTES] = '\0';
}

/* -1 if two holders share a signing or a box key. */
static int
holders_distinct(const struct client_escrow *e)
{
	unsigned	i, j;

	for (i = 0; i < e->n; i++)
		for (j = i + 1; j < e->n; j++)
			if (crypto_equal(e->holders[i].sign_pk,
			    e->holders[j].sign_pk, CRYPTO_SIGN_PK_BYTES) ||
			    crypto_equal(e->holders[i].box_pk,
			    e->holders[j].box_pk, CRYPTO_BOX_PK_BYTES))
				return -1;
	return 0;
}

/*
 * k points determine a polynomial of degree k-1. Interpolating Y from
 * indices 1..k-1 plus j, for every j from k to n, shows that each
 * commitment lies on the one polynomial through the first k whose value
 * at 0 is Y (for k = 1: every Y_j equals Y).
 */
int
client_escrow_consistent(const struct client_escrow *e)
{
	unsigned	idx[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t		pts[CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t		S[CRYPTO_POINT_BYTES];
	unsigned	k = e->threshold, i, j;

	if (k < 1 || k > e->n || e->n > CRYPTO_ESCROW_MAX_HOLDERS)
		return -1;
	for (i = 0; i + 1 < k; i++) {
		idx[i] = e->holders[i].index;
		memcpy(pts + i * CRYPTO_POINT_BYTES, e->holders[i].commitment,
		    CRYPTO_POINT_BYTES);
	}
	for (j = k - 1; j < e->n; j++) {
		idx[k - 1] = e->holders[j].index;
		memcpy(pts + (k - 1) * CRYPTO_POINT_BYTES,
		    e->holders[j].commitment, CRYPTO_POINT_BYTES);
		if (crypto_escrow_combine(idx, pts, k, S) == -1 ||
		    !crypto_equal(S, e->Y, CRYPTO_POINT_BYTES))
			return -1;
	}
	return 0;
}

int
client_escrow_ceremony(unsigned k, unsigned n, struct client_escrow *e)
{
	uint8_t		*shares = NULL;
	uint8_t		 commitments[CRYPTO_ESCROW_MAX_HOLDERS *
			     CRYPTO_POINT_BYTES];
	unsigned	 i;
	int		 rc = -1;

	if (k < 1 || k > n || n > CRYPTO_ESCROW_MAX_HOLDERS) {
		client_err("the threshold must be between 1 and the number of "
		    "admins, at most %d", CRYPTO_ESCROW_MAX_HOLDERS);
		return -1;
	}
	e->n = n;
	e->threshold = k;
	if (holders_distinct(e) == -1) {
		client_err("two admins have the same key");
		return -1;
	}
	if ((shares = crypto_secret_alloc((size_t)n * CRYPTO_SCALAR_BYTES)) ==
	    NULL) {
		client_err("out of memory");
		return -1;
	}
	if (crypto_escrow_split(k, n, e->Y, shares, commitments) == -1) {
		client_err("cannot split a new escrow key");
		goto out;
	}
	for (i = 0; i < n; i++) {
		e->holders[i].index = i + 1;
		memcpy(e->holders[i].commitment,
		    commitments + i * CRYPTO_POINT_BYTES, CRYPTO_POINT_BYTES);
		if (crypto_box_to(e->holders[i].box_pk,
		    shares + i * CRYPTO_SCALAR_BYTES, CRYPTO_SCALAR_BYTES,
		    e->holders[i].sealed_share) == -1) {
			client_err("cannot seal a share to admin %u: the "
			    "box key is not usable", i + 1);
			goto out;
		}
	}
	client_escrow_id(e->Y, e->id);
	/* What we write must pass the checks every later reader makes. */
	if (crypto_point_check(e->Y) == -1 || client_escrow_consistent(e) ==
	    -1) {
		client_err("the new escrow key fails its own consistency "
		    "check");
		goto out;
	}
	rc = 0;
out:
	crypto_secret_free(shares);
	return rc;
}

static json_t *
holder_json(const struct client_holder *h)
{
	json_t	*o;

	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(o, "index", json_integer(h->index)) == -1 ||
	    json_object_set_new(o, "sign_key",
	    client_json_b64(h->sign_pk, sizeof(h->sign_pk))) == -1 ||
	    json_object_set_new(o, "box_key",
	    client_json_b64(h->box_pk, sizeof(h->box_pk))) == -1 ||
	    json_object_set_new(o, "commitment",
	    client_json_b64(h->commitment, sizeof(h->commitment))) == -1 ||
	    json_object_set_new(o, "sealed_share",
	    client_json_b64(h->sealed_share, sizeof(h->sealed_share))) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
client_escrow_save(const char *path, const struct client_escrow *e)
{
	json_t		*root = NULL, *holders;
	char		*text = NULL;
	size_t		 len;
	unsigned	 i;
	int		 rc = -1;

	if ((root = json_object()) == NULL ||
	    (holders = json_array()) == NULL ||
	    json_object_set_new(root, "bisik_escrow", json_integer(1)) == -1 ||
	    json_object_set_new(root, "id", json_string(e->id)) == -1 ||
	    json_object_set_new(root, "threshold",
	    json_integer(e->threshold)) == -1 ||
	    json_object_set_new(root, "public_key",
	    client_json_b64(e->Y, sizeof(e->Y))) == -1 ||
	    json_object_set_new(root, "holders", holders) == -1)
		goto nomem;
	for (i = 0; i < e->n; i++)
		if (json_array_append_new(holders,
		    holder_json(&e->holders[i])) == -1)
			goto nomem;
	if (client_json_dump(root, &text, &len) == -1)
		goto out;
	if (client_file_write(path, text, len, 0644, CLIENT_WRITE_EXCL,
	    "escrow file") == -1)
		goto out;
	rc = 0;
	goto out;
nomem:
	client_err("out of memory");
out:
	client_mem_free(text);
	json_decref(root);
	return rc;
}

static int
holder_parse(json_t *o, unsigned pos, struct client_holder *h)
{
	json_t		*v;
	const char	*key;
	size_t		 i;

	if (!json_is_object(o)) {
		client_err("holder %u in the escrow file is not an object",
		    pos);
		return -1;
	}
	json_object_foreach(o, key, v) {
		for (i = 0; i < NFIELDS(holder_fields); i++)
			if (strcmp(key, holder_fields[i]) == 0)
				break;
		if (i == NFIELDS(holder_fields)) {
			client_err("holder %u in the escrow file has an "
			    "unknown field", pos);
			return -1;
		}
	}
	v = json_object_get(o, "index");
	if (!json_is_integer(v) || json_integer_value(v) != (json_int_t)pos) {
		client_err("holder %u in the escrow file does not have index "
		    "%u", pos, pos);
		return -1;
	}
	h->index = pos;
	if (client_json_get_b64(o, "sign_key", h->sign_pk, sizeof(h->sign_pk),
	    "escrow file") == -1 ||
	    client_json_get_b64(o, "box_key", h->box_pk, sizeof(h->box_pk),
	    "escrow file") == -1 ||
	    client_json_get_b64(o, "commitment", h->commitment,
	    sizeof(h->commitment), "escrow file") == -1 ||
	    client_json_get_b64(o, "sealed_share", h->sealed_share,
	    sizeof(h->sealed_share), "escrow file") == -1)
		return -1;
	if (crypto_point_check(h->commitment) == -1) {
		client_err("holder %u in the escrow file has an invalid "
		    "commitment", pos);
		return -1;
	}
	return 0;
}

int
client_escrow_load(const char *path, struct client_escrow *out)
{
	struct client_escrow	*e = NULL;
	const json_t		*v, *holders;
	const char		*id;
	json_t			*root = NULL;
	char			*buf = NULL;
	size_t			 len, n, i;
	int			 rc = -1;

	if (client_file_read(path, CLIENT_ESCROWFILE_MAX, 0, "escrow file",
	    &buf, &len) == -1)
		return -1;
	if (client_json_object(buf, len, escrow_fields, NFIELDS(escrow_fields),
	    "bisik_escrow", "escrow file", &root) == -1)
		goto out;
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	holders = json_object_get(root, "holders");
	n = json_array_size(holders);
	if (!json_is_array(holders) || n < 1 ||
	    n > CRYPTO_ESCROW_MAX_HOLDERS) {
		client_err("the escrow file must list 1 to %d holders",
		    CRYPTO_ESCROW_MAX_HOLDERS);
		goto out;
	}
	e->n = (unsigned)n;
	v = json_object_get(root, "threshold");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > (json_int_t)n) {
		client_err("the escrow file's threshold is not between 1 and "
		    "the number of holders");
		goto out;
	}
	e->threshold = (unsigned)json_integer_value(v);
	if (client_json_get_b64(root, "public_key", e->Y, sizeof(e->Y),
	    "escrow file") == -1)
		goto out;
	if (crypto_point_check(e->Y) == -1) {
		client_err("the escrow file's public key is not a valid point");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (holder_parse(json_array_get(holders, i), (unsigned)i + 1,
		    &e->holders[i]) == -1)
			goto out;
	if ((id = client_json_str(root, "id", "escrow file")) == NULL)
		goto out;
	client_escrow_id(e->Y, e->id);
	if (strcmp(id, e->id) != 0) {
		client_err("the escrow file's id does not match its public "
		    "key");
		goto out;
	}
	if (holders_distinct(e) == -1) {
		client_err("two holders in the escrow file have the same key");
		goto out;
	}
	if (client_escrow_consistent(e) == -1) {
		client_err("the escrow file's commitments do not match its "
		    "public key");
		goto out;
	}
	memcpy(out, e, sizeof(*e));
	rc = 0;
out:
	free(e);
	json_decref(root);
	client_mem_free(buf);
	return rc;
}

static const struct client_optspec ceremony_opts[] = {
	{ "threshold", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "admin", CLIENT_OPT_ARG | CLIENT_OPT_MULTI | CLIENT_OPT_REQUIRED },
	{ "out-dir", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
};

int
cmd_escrow(int argc, char *const argv[])
{
	struct client_args	 a;
	struct client_escrow	*e = NULL;
	const char *const	*admins;
	const char		*dir;
	char			 err[160], *path = NULL;
	unsigned long		 k;
	size_t			 n, i, j;
	int			 rc = CLIENT_EXIT_FAIL, made = 0;

	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0)) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	if (argc < 1 || strcmp(argv[0], "ceremony") != 0) {
		client_err("usage: bisik escrow ceremony --threshold K --admin "
		    "A.pub ... --out-dir DIR");
		return CLIENT_EXIT_USAGE;
	}
	if (client_args_parse(argc - 1, argv + 1, ceremony_opts,
	    NFIELDS(ceremony_opts), &a, err, sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	admins = client_arg_multi(&a, "admin", &n);
	dir = client_arg(&a, "out-dir");
	if (client_parse_uint(client_arg(&a, "threshold"), 1, n, &k) == -1) {
		client_err("--threshold must be a number from 1 to the number "
		    "of --admin keys (%zu)", n);
		return CLIENT_EXIT_USAGE;
	}
	if (client_path_exists(dir)) {
		client_err("%s already exists; the ceremony makes a new "
		    "directory", dir);
		return CLIENT_EXIT_FAIL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		client_err("out of memory");
		return CLIENT_EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (client_adminpub_load(admins[i], e->holders[i].sign_pk,
		    e->holders[i].box_pk) == -1)
			goto out;
		for (j = 0; j < i; j++)
			if (crypto_equal(e->holders[i].sign_pk,
			    e->holders[j].sign_pk, CRYPTO_SIGN_PK_BYTES) ||
			    crypto_equal(e->holders[i].box_pk,
			    e->holders[j].box_pk, CRYPTO_BOX_PK_BYTES)) {
				client_err("%s and %s hold the same admin key",
				    admins[j], admins[i]);
				goto out;
			}
	}
	if (client_escrow_ceremony((unsigned)k, (unsigned)n, e) == -1)
		goto out;
	if ((path = malloc(strlen(dir) + sizeof("/escrow.pub"))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	strcpy(path, dir);
	strcat(path, "/escrow.pub");
	if (mkdir(dir, 0700) == -1) {
		client_err("cannot create the directory %s: %s", dir,
		    errno == EEXIST ? "it already exists" : strerror(errno));
		goto out;
	}
	made = 1;
	if (chmod(dir, 0700) == -1) {
		client_err("cannot set the mode of %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	if (client_escrow_save(path, e) == -1)
		goto out;
	printf("escrow key %lu-of-%zu, id %s, written to %s\n", k, n, e->id,
	    path);
	printf("each share is sealed to its admin's key; the key itself no "
	    "longer exists: install the file with `bisikd escrow set "
	    "--public-key %s`\n", path);
	rc = CLIENT_EXIT_OK;
out:
	if (rc != CLIENT_EXIT_OK && made)
		(void)rmdir(dir);
	free(path);
	free(e);
	return rc;
}
