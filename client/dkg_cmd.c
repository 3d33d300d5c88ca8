/*
 * dkg_cmd.c: `bisik escrow dkg start|deal|check|finish`, the holders' side
 * of the dealerless escrow key ceremony (docs/dkg.md). Each step is run by
 * one holder, on their own machine, whenever the phase it belongs to is
 * open; the server only relays (server/api_ceremony.c).
 *
 *   start   a central admin opens a ceremony: threshold K and the
 *           holders' public keys (their FILE.pub); the server fixes the
 *           id and deadlines. Prints the terms, their fingerprint (which
 *           the holders compare out of band) and the id as the last line.
 *   deal    a holder draws its secret seed, keeps it sealed to its own key
 *           in a state file beside the key file (dkg_state.c), and posts
 *           its commitments and one sub-share sealed to each holder.
 *   check   does what is due for this holder in the open phase: complains
 *           of every deal whose sub-share to it fails (or accepts them
 *           all), answers complaints against its own deal in the open, or
 *           proves its part of the key; says what it waits for otherwise.
 *   finish  once the key is made: computes its share from what it was
 *           dealt (crypto_dkg_share, checked against its public
 *           commitment), seals it to its own key, signs the escrow
 *           configuration (which covers the ceremony's transcript hash)
 *           and posts both; prints the escrow fingerprint. When every
 *           holder has signed, writes DIR/escrow.pub (the same file as
 *           `bisik escrow ceremony` makes, with every signature and the
 *           "dkg" record) and DIR/dkg-record.json beside it.
 *
 * Nothing the server sends is taken on trust: its record of the ceremony
 * is replayed message by message through crypto_dkg_accept() before any
 * step uses it, and every signature over the result is checked. The only
 * secrets are the admin key, the seed and the share, in guarded memory;
 * no code here adds two scalars (DKG-NO-WHOLE-SCALAR: the share comes
 * from crypto_dkg_share alone; tests/unit/crypto_dkg_test.c checks it).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

#define NOPTS(a)	(sizeof(a) / sizeof((a)[0]))
#define ID_TEXT		(2 * CRYPTO_DKG_ID_BYTES + 1)
/* The terms' fingerprint: 16 bytes of the ceremony hash, in groups. */
#define CER_FP_BYTES	16
#define CER_FP_TEXT	(CER_FP_BYTES * 2 + CER_FP_BYTES / 2)
#define SEALED_SHARE	(CRYPTO_SCALAR_BYTES + CRYPTO_BOX_SEAL_OVERHEAD)
/* The answer of an open ceremony must not have deadlines in the past by
 * more than this (a clock a little off is no reason to refuse). */
#define CLOCK_SKEW	300

static const struct client_optspec start_opts[] = {
	{ "threshold", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "admin", CLIENT_OPT_ARG | CLIENT_OPT_MULTI | CLIENT_OPT_REQUIRED },
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec step_opts[] = {
	{ "ceremony", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec finish_opts[] = {
	{ "ceremony", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "out-dir", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const char *const keyfile_fields[] = {
	"bisik_admin_key", "sign_key", "box_key", "sealed"
};

/* What every step holds. */
struct run {
	struct client_args	 args;
	struct client_net	 net;
	char			*session;	/* secret memory */
	struct crypto_admin_key	*key;		/* secret memory, once opened */
	uint8_t			 sign_pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t			 box_pk[CRYPTO_BOX_PK_BYTES];
	uint8_t			 id[CRYPTO_DKG_ID_BYTES];
	char			 idtext[ID_TEXT];
	char			 path[64 + ID_TEXT];	/* of the ceremony */
	char			*state;		/* state file path */
	json_t			*view;		/* the server's last answer */
	struct client_dkg	*rec;		/* its record, replayed */
	unsigned		 index;		/* ours, 1..n */
};

/* ---- sign-in and requests ---------------------------------------------- */

static int
login(struct run *r)
{
	return client_staff_login(&r->net, client_arg(&r->args, "username"),
	    client_arg(&r->args, "password-file"), client_arg(&r->args,
	    "totp"), &r->session);
}

/* method path [body]; a reply with the wanted status into *out. With
 * code set, an error answer's code is copied there (else ""). */
static int
call(struct run *r, const char *method, const char *path, json_t *body,
    long want, json_t **out, char *code, size_t codelen)
{
	json_t		*reply = NULL;
	const char	*c;
	char		*text = NULL;
	long		 status;
	int		 rc = -1;

	*out = NULL;
	if (code != NULL)
		code[0] = '\0';
	if (body != NULL && (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (client_http(&r->net, method, path, r->session, text,
	    text != NULL ? strlen(text) : 0, &status, &reply) == -1)
		goto out;
	if (status != want || !json_is_object(reply)) {
		if (code != NULL && (c = client_http_error_code(reply)) != NULL)
			snprintf(code, codelen, "%s", c);
		client_http_error(status, reply);
		goto out;
	}
	*out = reply;
	reply = NULL;
	rc = 0;
out:
	client_mem_free(text);
	json_decref(reply);
	return rc;
}

/* The public half of an admin key file, read without its passphrase. */
static int
key_public(const char *path, uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
    uint8_t box_pk[CRYPTO_BOX_PK_BYTES])
{
	json_t	*root = NULL;
	char	*buf = NULL;
	size_t	 len;
	int	 rc = -1;

	if (client_file_read(path, CLIENT_KEYFILE_MAX, 0, "admin key file",
	    &buf, &len) == -1)
		return -1;
	if (client_json_object(buf, len, keyfile_fields,
	    NOPTS(keyfile_fields), "bisik_admin_key", "admin key file",
	    &root) == 0 && client_json_get_b64(root, "sign_key", sign_pk,
	    CRYPTO_SIGN_PK_BYTES, "admin key file") == 0 &&
	    client_json_get_b64(root, "box_key", box_pk, CRYPTO_BOX_PK_BYTES,
	    "admin key file") == 0)
		rc = 0;
	json_decref(root);
	client_mem_free(buf);
	return rc;
}

/* Opens the admin key (asking for the passphrase) once it is needed. */
static int
unlock(struct run *r)
{
	char	*pass = NULL;
	size_t	 passlen;
	int	 rc;

	if (r->key != NULL)
		return 0;
	if ((r->key = crypto_secret_alloc(sizeof(*r->key))) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (client_pass_get(client_arg(&r->args, "passphrase-file"),
	    "Passphrase of the admin key: ", 0, 0, &pass, &passlen) == -1)
		return -1;
	rc = client_adminkey_load(client_arg(&r->args, "key"), pass, passlen,
	    r->key);
	crypto_secret_free(pass);
	if (rc == -1)
		return -1;
	if (!crypto_equal(r->key->sign_pk, r->sign_pk, CRYPTO_SIGN_PK_BYTES) ||
	    !crypto_equal(r->key->box_pk, r->box_pk, CRYPTO_BOX_PK_BYTES)) {
		client_err("the admin key file changed while this ran");
		return -1;
	}
	return 0;
}

static int
id_parse(const char *s, uint8_t id[CRYPTO_DKG_ID_BYTES])
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	if (s == NULL || strlen(s) != 2 * CRYPTO_DKG_ID_BYTES ||
	    strspn(s, hex) != 2 * CRYPTO_DKG_ID_BYTES)
		return -1;
	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++)
		id[i] = (uint8_t)((strchr(hex, s[2 * i]) - hex) << 4 |
		    (strchr(hex, s[2 * i + 1]) - hex));
	return 0;
}

static void
id_text(const uint8_t id[CRYPTO_DKG_ID_BYTES], char out[ID_TEXT])
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < CRYPTO_DKG_ID_BYTES; i++) {
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 0xf];
	}
	out[2 * CRYPTO_DKG_ID_BYTES] = '\0';
}

/*
 * Options, server, and for the steps of one ceremony its id, the key
 * file's public half and the state file's path; then sign-in. Returns
 * CLIENT_EXIT_OK to go on, or the exit status (-1: help was printed).
 */
static int
run_begin(struct run *r, int argc, char *const argv[],
    const struct client_optspec *specs, size_t nspecs)
{
	char	err[160];

	memset(r, 0, sizeof(*r));
	if (client_args_parse(argc, argv, specs, nspecs, &r->args, err,
	    sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (r->args.help) {
		client_usage(stdout, "escrow");
		return -1;
	}
	if (client_arg_given(&r->args, "ceremony")) {
		if (id_parse(client_arg(&r->args, "ceremony"), r->id) == -1) {
			client_err("--ceremony must be the 32 lower-case hex "
			    "digits `bisik escrow dkg start` printed");
			return CLIENT_EXIT_USAGE;
		}
		id_text(r->id, r->idtext);
		snprintf(r->path, sizeof(r->path), "/escrow/ceremonies/%s",
		    r->idtext);
		if (key_public(client_arg(&r->args, "key"), r->sign_pk,
		    r->box_pk) == -1 ||
		    client_dkg_state_path(client_arg(&r->args, "key"), r->id,
		    &r->state) == -1)
			return CLIENT_EXIT_FAIL;
	}
	if (client_net_init(&r->net, client_arg(&r->args, "server"),
	    client_arg(&r->args, "proxy")) == -1)
		return CLIENT_EXIT_USAGE;
	if (login(r) == -1)
		return CLIENT_EXIT_FAIL;
	return CLIENT_EXIT_OK;
}

static void
run_end(struct run *r)
{
	json_t	*reply = NULL;
	long	 status;

	/* Best effort: the session expires by itself anyway. */
	if (r->session != NULL && client_http(&r->net, "POST",
	    "/auth/logout", r->session, NULL, 0, &status, &reply) == 0)
		json_decref(reply);
	crypto_secret_free(r->session);
	crypto_secret_free(r->key);
	json_decref(r->view);
	client_dkg_free(r->rec);
	free(r->state);
	client_net_free(&r->net);
	memset(r, 0, sizeof(*r));
}

/* ---- the ceremony as the server shows it --------------------------------- */

static const char *
view_state(const json_t *view)
{
	const char *s = json_string_value(json_object_get(view, "state"));

	return s != NULL ? s : "";
}

/* Our index among the record's holders; 0 if none. */
static unsigned
holder_of(const struct crypto_dkg *d, const uint8_t sign_pk[32],
    const uint8_t box_pk[32])
{
	unsigned i;

	for (i = 0; i < d->c.holders; i++)
		if (crypto_equal(d->c.sign_pk[i], sign_pk, 32) &&
		    crypto_equal(d->c.box_pk[i], box_pk, 32))
			return i + 1;
	return 0;
}

/*
 * GET the ceremony; an expired or failed one ends the step here (its
 * state file is wiped: nothing of it can be used); otherwise its record
 * is replayed into r->rec and r->index is ours.
 */
static int
fetch(struct run *r)
{
	const char	*st;
	unsigned	 i;
	int		 wiped;

	json_decref(r->view);
	r->view = NULL;
	client_dkg_free(r->rec);
	r->rec = NULL;
	if (call(r, "GET", r->path, NULL, 200, &r->view, NULL, 0) == -1)
		return -1;
	st = view_state(r->view);
	if (strcmp(st, "expired") == 0) {
		wiped = client_dkg_state_wipe(r->state) == 0;
		client_err("ceremony %s expired before every holder signed: "
		    "nothing of it can be used%s; open a new ceremony",
		    r->idtext, wiped ? " (your state file for it, if any, is "
		    "wiped)" : "");
		return -1;
	}
	if (client_dkg_from_json(json_object_get(r->view, "record"),
	    "ceremony record the server sent", &r->rec) == -1)
		return -1;
	if (!crypto_equal(r->rec->state.c.id, r->id, CRYPTO_DKG_ID_BYTES)) {
		client_err("the server sent the record of another ceremony");
		return -1;
	}
	if (r->rec->state.failed) {
		for (i = 1; i <= r->rec->state.c.holders; i++)
			printf("dealer %u: %s\n", i, crypto_dkg_dealer_describe(
			    crypto_dkg_dealer_status(&r->rec->state, i)));
		wiped = client_dkg_state_wipe(r->state) == 0;
		client_err("ceremony %s has failed and can make no key%s; open "
		    "a new one", r->idtext, wiped ? " (your state file for it, "
		    "if any, is wiped)" : "");
		return -1;
	}
	/* The server's word on the state must agree with the record. */
	if ((r->rec->state.phase == CRYPTO_DKG_DONE) !=
	    (strcmp(st, "done") == 0 || strcmp(st, "complete") == 0)) {
		client_err("the server's state of the ceremony does not match "
		    "its record");
		return -1;
	}
	if ((r->index = holder_of(&r->rec->state, r->sign_pk, r->box_pk)) ==
	    0) {
		client_err("your admin key is not one of the holders of "
		    "ceremony %s", r->idtext);
		return -1;
	}
	return 0;
}

/* The fingerprint of the terms, which holders compare out of band. */
static void
terms_fingerprint(const struct crypto_dkg_ceremony *c, char out[CER_FP_TEXT])
{
	static const char	hex[] = "0123456789abcdef";
	uint8_t			h[CRYPTO_HASH_BYTES];
	size_t			i, o = 0;

	crypto_dkg_ceremony_hash(c, h);
	for (i = 0; i < CER_FP_BYTES; i++) {
		if (i > 0 && i % 2 == 0)
			out[o++] = ' ';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 0xf];
	}
	out[o] = '\0';
}

static void
print_terms(const struct crypto_dkg_ceremony *c, unsigned me)
{
	char		fp[CER_FP_TEXT], kfp[CLIENT_ADMIN_FP_TEXT], at[21];
	char		id[ID_TEXT];
	unsigned	i;

	terms_fingerprint(c, fp);
	id_text(c->id, id);
	printf("ceremony %s: %u-of-%u, terms fingerprint %s\n", id,
	    c->threshold, c->holders, fp);
	for (i = 0; i < c->holders; i++) {
		client_adminkey_fingerprint(c->sign_pk[i], c->box_pk[i], kfp);
		printf("  holder %u: key %s%s\n", i + 1, kfp,
		    i + 1 == me ? " (you)" : "");
	}
	for (i = 0; i < CRYPTO_DKG_PHASES; i++) {
		core_time_iso((time_t)c->deadline[i], at);
		printf("  %s closes by %s\n", client_dkg_phase_name(i + 1), at);
	}
	core_time_iso((time_t)c->expires, at);
	printf("  expires at %s unless every holder has signed by then\n", at);
}

/* "phase P is open until T; waiting for holders ..." */
static void
print_waiting(const struct crypto_dkg *d)
{
	char		at[21];
	unsigned	i, n = 0;

	if (d->phase >= CRYPTO_DKG_DONE)
		return;
	core_time_iso((time_t)d->c.deadline[d->phase - 1], at);
	printf("the %s phase is open until %s; waiting for holder",
	    client_dkg_phase_name(d->phase), at);
	for (i = 1; i <= d->c.holders; i++)
		if (crypto_dkg_due(d, i))
			printf("%s %u", n++ == 0 ? "s" : ",", i);
	if (n == 0)
		printf("s: none");
	printf("\n");
}

/* Signs body as ours for the open phase and posts it. With `replay`, a
 * 409 "replayed" answer sets *replay instead of failing. */
static int
post(struct run *r, const uint8_t *body, size_t len, int *replay)
{
	uint8_t	*msg = NULL;
	json_t	*req = NULL, *reply = NULL;
	char	 path[sizeof(r->path) + 16], code[32];
	size_t	 mlen;
	int	 rc = -1;

	if (replay != NULL)
		*replay = 0;
	if ((msg = malloc(CRYPTO_DKG_MSG_MAX)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (crypto_dkg_sign(&r->rec->state, r->index, r->key, body, len, msg,
	    &mlen) != 0) {
		client_err("cannot sign the message");
		goto out;
	}
	if ((req = json_pack("{s:o}", "message", client_json_b64(msg,
	    mlen))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/messages", r->path);
	if (call(r, "POST", path, req, 201, &reply, code, sizeof(code)) ==
	    -1) {
		if (replay != NULL && strcmp(code, "replayed") == 0)
			*replay = 1;
		goto out;
	}
	json_decref(r->view);
	r->view = reply;
	rc = 0;
out:
	json_decref(req);
	free(msg);
	return rc;
}

/* ---- start --------------------------------------------------------------- */

static int
dkg_start(int argc, char *const argv[])
{
	struct run			 r = { 0 };
	struct crypto_dkg_ceremony	*c = NULL;
	const char *const		*admins;
	json_t				*req = NULL, *hs, *reply = NULL;
	unsigned long			 k;
	size_t				 n, i, j;
	int				 rc = CLIENT_EXIT_FAIL;

	if ((rc = run_begin(&r, argc, argv, start_opts, NOPTS(start_opts))) !=
	    CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	admins = client_arg_multi(&r.args, "admin", &n);
	if (n < 2 || n > CRYPTO_DKG_MAX_HOLDERS ||
	    client_parse_uint(client_arg(&r.args, "threshold"), 2, n, &k) ==
	    -1) {
		client_err("a ceremony has 2 to %d --admin keys and a "
		    "--threshold from 2 to their number", CRYPTO_DKG_MAX_HOLDERS);
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (hs = json_array()) == NULL ||
	    (req = json_pack("{s:I, s:o}", "threshold", (json_int_t)k,
	    "holders", hs)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (client_adminpub_load(admins[i], c->sign_pk[i],
		    c->box_pk[i]) == -1)
			goto out;
		for (j = 0; j < i; j++)
			if (crypto_equal(c->sign_pk[i], c->sign_pk[j], 32) ||
			    crypto_equal(c->box_pk[i], c->box_pk[j], 32)) {
				client_err("%s and %s hold the same admin key",
				    admins[j], admins[i]);
				goto out;
			}
		if (json_array_append_new(hs, json_pack("{s:o, s:o}",
		    "sign_key", client_json_b64(c->sign_pk[i], 32), "box_key",
		    client_json_b64(c->box_pk[i], 32))) == -1) {
			client_err("out of memory");
			goto out;
		}
	}
	if (call(&r, "POST", "/escrow/ceremonies", req, 201, &reply, NULL,
	    0) == -1)
		goto out;
	if (client_dkg_from_json(json_object_get(reply, "record"),
	    "ceremony record the server sent", &r.rec) == -1)
		goto out;
	/* The server chose the id and the times; the rest must be ours. */
	if (r.rec->state.c.threshold != k || r.rec->state.c.holders != n ||
	    r.rec->state.phase != CRYPTO_DKG_DEAL || r.rec->count != 0) {
		client_err("the server opened a ceremony with other terms than "
		    "asked");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!crypto_equal(r.rec->state.c.sign_pk[i], c->sign_pk[i], 32) ||
		    !crypto_equal(r.rec->state.c.box_pk[i], c->box_pk[i], 32)) {
			client_err("the server opened a ceremony with other "
			    "holders than asked (holder %zu)", i + 1);
			goto out;
		}
	if (r.rec->state.c.deadline[0] + CLOCK_SKEW < (uint64_t)time(NULL)) {
		client_err("the server opened a ceremony whose first phase is "
		    "already over");
		goto out;
	}
	id_text(r.rec->state.c.id, r.idtext);
	print_terms(&r.rec->state.c, 0);
	printf("each holder now runs, on their own machine, `bisik escrow dkg "
	    "deal --ceremony %s --key THEIR.key` and compares the terms "
	    "fingerprint with this one\n", r.idtext);
	printf("%s\n", r.idtext);
	rc = CLIENT_EXIT_OK;
out:
	json_decref(reply);
	json_decref(req);
	free(c);
	run_end(&r);
	return rc;
}

/* ---- deal ---------------------------------------------------------------- */

static int
dkg_deal(int argc, char *const argv[])
{
	struct run	 r = { 0 };
	uint8_t		*seed = NULL, *body = NULL;
	size_t		 len;
	int		 rc = CLIENT_EXIT_FAIL, replay, had;

	if ((rc = run_begin(&r, argc, argv, step_opts, NOPTS(step_opts))) !=
	    CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	if (fetch(&r) == -1)
		goto out;
	print_terms(&r.rec->state.c, r.index);
	if (r.rec->state.phase != CRYPTO_DKG_DEAL) {
		client_err("the deal phase of ceremony %s is closed (%s is "
		    "open)", r.idtext, client_dkg_phase_name(
		    r.rec->state.phase));
		goto out;
	}
	if (!crypto_dkg_due(&r.rec->state, r.index)) {
		printf("you (holder %u) have dealt already\n", r.index);
		print_waiting(&r.rec->state);
		rc = CLIENT_EXIT_OK;
		goto out;
	}
	if (unlock(&r) == -1)
		goto out;
	seed = crypto_secret_alloc(CRYPTO_DKG_SEED_BYTES);
	body = malloc(CRYPTO_DKG_BODY_MAX);
	if (seed == NULL || body == NULL) {
		client_err("out of memory");
		goto out;
	}
	/* A state file from an earlier run whose post did not get through
	 * holds the seed to deal with; else a new one, kept before it is
	 * used, so that the dealer can always answer for what it sent. */
	if ((had = client_dkg_state_load(r.state, &r.rec->state, r.index,
	    r.key, seed)) == -1)
		goto out;
	if (had == 1) {
		crypto_random(seed, CRYPTO_DKG_SEED_BYTES);
		if (client_dkg_state_save(r.state, &r.rec->state, r.index,
		    seed) == -1)
			goto out;
	}
	if (crypto_dkg_deal(&r.rec->state, r.index, seed, body, &len) != 0) {
		client_err("cannot deal");
		goto out;
	}
	if (post(&r, body, len, &replay) == -1) {
		if (replay)
			client_err("you (holder %u) have dealt already", r.index);
		goto out;
	}
	printf("holder %u dealt: commitments published, one sub-share sealed "
	    "to each holder; your seed is kept sealed to your key in %s\n",
	    r.index, r.state);
	print_waiting(&r.rec->state);
	printf("next: once every holder has dealt (or the deal phase has "
	    "closed), each holder runs `bisik escrow dkg check --ceremony %s`\n",
	    r.idtext);
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(seed);
	free(body);
	run_end(&r);
	return rc;
}

/* ---- check --------------------------------------------------------------- */

/* The dealers a complaint body names (BE32 each). */
static void
print_complaint(const uint8_t *body, size_t len)
{
	size_t i;

	if (len == 0) {
		printf("you accept every deal: each sub-share sealed to you "
		    "matches its dealer's commitments\n");
		return;
	}
	printf("you complained of dealer");
	for (i = 0; i + 4 <= len; i += 4)
		printf("%s %u", i == 0 ? (len > 4 ? "s" : "") : ",",
		    (unsigned)body[i] << 24 | (unsigned)body[i + 1] << 16 |
		    (unsigned)body[i + 2] << 8 | body[i + 3]);
	printf(": the sub-share sealed to you does not match the dealer's "
	    "commitments; the dealer must now answer in the open or be "
	    "disqualified\n");
}

static int
dkg_check(int argc, char *const argv[])
{
	struct run	 r = { 0 };
	uint8_t		*seed = NULL, *body = NULL;
	size_t		 len;
	unsigned	 phase, count;
	int		 rc = CLIENT_EXIT_FAIL, had;

	if ((rc = run_begin(&r, argc, argv, step_opts, NOPTS(step_opts))) !=
	    CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	if (fetch(&r) == -1)
		goto out;
	phase = r.rec->state.phase;
	if (phase == CRYPTO_DKG_DONE) {
		printf("ceremony %s has made its key: run `bisik escrow dkg "
		    "finish --ceremony %s`\n", r.idtext, r.idtext);
		rc = CLIENT_EXIT_OK;
		goto out;
	}
	if (!crypto_dkg_due(&r.rec->state, r.index)) {
		printf("nothing for you (holder %u) to do now\n", r.index);
		print_waiting(&r.rec->state);
		rc = CLIENT_EXIT_OK;
		goto out;
	}
	if (phase == CRYPTO_DKG_DEAL) {
		client_err("you (holder %u) have not dealt: run `bisik escrow "
		    "dkg deal` first", r.index);
		goto out;
	}
	body = malloc(CRYPTO_DKG_BODY_MAX);
	seed = crypto_secret_alloc(CRYPTO_DKG_SEED_BYTES);
	if (body == NULL || seed == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (unlock(&r) == -1)
		goto out;
	if (phase == CRYPTO_DKG_COMPLAIN) {
		if (crypto_dkg_complain(&r.rec->state, r.key, r.index, body,
		    &len, &count) != 0) {
			client_err("cannot check the sub-shares sealed to you");
			goto out;
		}
		if (post(&r, body, len, NULL) == -1)
			goto out;
		print_complaint(body, len);
	} else {
		/* Answering and proving need the seed the deal came from. */
		if ((had = client_dkg_state_load(r.state, &r.rec->state,
		    r.index, r.key, seed)) != 0) {
			if (had == 1)
				client_err("your dealer seed for ceremony %s "
				    "is not on this machine (%s): you cannot "
				    "%s, and the ceremony will %s", r.idtext,
				    r.state, phase == CRYPTO_DKG_ANSWER ?
				    "answer the complaints against your deal" :
				    "prove your part of the key",
				    phase == CRYPTO_DKG_ANSWER ? "disqualify "
				    "you as a dealer" : "fail at its deadline");
			goto out;
		}
		if ((phase == CRYPTO_DKG_ANSWER ? crypto_dkg_answer(
		    &r.rec->state, r.index, seed, body, &len) :
		    crypto_dkg_extract(&r.rec->state, r.index, seed, body,
		    &len)) != 0) {
			client_err("your dealer seed does not give the deal you "
			    "sent");
			goto out;
		}
		if (post(&r, body, len, NULL) == -1)
			goto out;
		if (phase == CRYPTO_DKG_ANSWER)
			printf("you answered the complaints against your deal "
			    "in the open\n");
		else {
			/* The seed has done all it had to: wipe it now. */
			if (client_dkg_state_wipe(r.state) == -1)
				goto out;
			printf("you proved your part of the key; your dealer "
			    "seed is wiped\n");
		}
	}
	client_dkg_free(r.rec);
	r.rec = NULL;
	if (client_dkg_from_json(json_object_get(r.view, "record"),
	    "ceremony record the server sent", &r.rec) == 0)
		print_waiting(&r.rec->state);
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(seed);
	free(body);
	run_end(&r);
	return rc;
}

/* ---- finish -------------------------------------------------------------- */

int
client_dkg_escrow(const struct client_dkg *r, const json_t *signatures,
    struct client_escrow *e)
{
	const struct crypto_dkg	*d = &r->state;
	uint8_t			 com[CRYPTO_DKG_MAX_HOLDERS *
				     CRYPTO_POINT_BYTES];
	uint8_t			 sig[CRYPTO_SIG_BYTES];
	const json_t		*o, *v;
	size_t			 i;
	unsigned		 idx;

	memset(e, 0, sizeof(*e));
	if (crypto_dkg_result(d, e->Y, com) != 0) {
		client_err("the ceremony has not made a key");
		return -1;
	}
	e->version = 1;
	e->threshold = d->c.threshold;
	e->n = d->c.holders;
	client_escrow_id(e->Y, e->id);
	for (i = 0; i < e->n; i++) {
		e->holders[i].index = (unsigned)i + 1;
		memcpy(e->holders[i].sign_pk, d->c.sign_pk[i], 32);
		memcpy(e->holders[i].box_pk, d->c.box_pk[i], 32);
		memcpy(e->holders[i].commitment, com + i * CRYPTO_POINT_BYTES,
		    CRYPTO_POINT_BYTES);
	}
	e->dkg = 1;
	memcpy(e->dkg_id, d->c.id, sizeof(e->dkg_id));
	crypto_dkg_checkpoint(d, e->transcript);
	if (client_escrow_rehash(e) == -1) {
		client_err("out of memory");
		return -1;
	}
	if (!json_is_array(signatures) || json_array_size(signatures) > e->n) {
		client_err("the server's list of signatures is not valid");
		return -1;
	}
	json_array_foreach(signatures, i, o) {
		v = json_object_get(o, "index");
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > (json_int_t)e->n) {
			client_err("signature %zu in the server's list names no "
			    "holder", i + 1);
			return -1;
		}
		idx = (unsigned)json_integer_value(v);
		if (e->signed_by[idx - 1]) {
			client_err("holder %u is listed twice", idx);
			return -1;
		}
		if (client_json_get_b64(o, "sealed_share",
		    e->holders[idx - 1].sealed_share, SEALED_SHARE,
		    "server's list of signatures") == -1 ||
		    client_json_get_b64(o, "signature", sig, sizeof(sig),
		    "server's list of signatures") == -1)
			return -1;
		/* Over the configuration of the record WE replayed: a holder
		 * shown another record signed another hash. */
		if (crypto_sign_check(e->holders[idx - 1].sign_pk, e->config,
		    sizeof(e->config), sig) == -1) {
			client_err("holder %u's signature does not verify over "
			    "this ceremony's escrow configuration", idx);
			return -1;
		}
		memcpy(e->holder_sig[idx - 1], sig, sizeof(sig));
		e->signed_by[idx - 1] = 1;
	}
	return 0;
}

/* Our share: computed, checked, sealed to ourselves; the configuration
 * signed; both posted. */
static int
sign_result(struct run *r)
{
	struct crypto_escrow_config	*c = NULL;
	uint8_t				*share = NULL;
	uint8_t				 sealed[SEALED_SHARE];
	uint8_t				 hash[CRYPTO_HASH_BYTES];
	uint8_t				 sig[CRYPTO_SIG_BYTES];
	json_t				*req = NULL, *reply = NULL;
	char				 path[sizeof(r->path) + 16];
	int				 rc = -1;

	if (unlock(r) == -1)
		return -1;
	share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	c = calloc(1, sizeof(*c));
	if (share == NULL || c == NULL) {
		client_err("out of memory");
		goto out;
	}
	/* DKG-NO-WHOLE-SCALAR: our share is what we were dealt, summed by
	 * crypto_dkg_share and checked against our public commitment. */
	if (crypto_dkg_share(&r->rec->state, r->key, r->index, share) != 0) {
		client_err("your share does not match your public commitment "
		    "(a dealer sent you a sub-share you did not complain of): "
		    "this ceremony cannot give you a share");
		goto out;
	}
	if (crypto_box_to(r->box_pk, share, CRYPTO_SCALAR_BYTES, sealed) ==
	    -1) {
		client_err("cannot seal your share to your box key");
		goto out;
	}
	crypto_wipe(share, CRYPTO_SCALAR_BYTES);
	if (crypto_dkg_escrow_config(&r->rec->state, c) != 0 ||
	    crypto_escrow_config_hash(c, hash) != 0) {
		client_err("the ceremony has no escrow configuration");
		goto out;
	}
	crypto_sign_msg(r->key->sign_sk, hash, sizeof(hash), sig);
	if ((req = json_pack("{s:I, s:o, s:o}", "index",
	    (json_int_t)r->index, "sealed_share", client_json_b64(sealed,
	    sizeof(sealed)), "signature", client_json_b64(sig,
	    sizeof(sig)))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/signatures", r->path);
	if (call(r, "POST", path, req, 201, &reply, NULL, 0) == -1)
		goto out;
	json_decref(r->view);
	r->view = reply;
	rc = 0;
out:
	json_decref(req);
	free(c);
	crypto_secret_free(share);
	return rc;
}

/* DIR (new, 0700) with escrow.pub and dkg-record.json. */
static int
write_out(const char *dir, const struct client_escrow *e,
    const struct client_dkg *rec)
{
	json_t	*root = NULL;
	char	*path = NULL, *text = NULL;
	size_t	 plen, len;
	int	 rc = -1, made = 0;

	plen = strlen(dir) + sizeof("/dkg-record.json");
	if ((path = malloc(plen)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (mkdir(dir, 0700) == -1) {
		client_err("cannot create the directory %s: %s", dir,
		    errno == EEXIST ? "it already exists" : strerror(errno));
		goto out;
	}
	made = 1;
	snprintf(path, plen, "%s/escrow.pub", dir);
	if (client_escrow_save(path, e) == -1)
		goto out;
	if ((root = client_dkg_json(rec)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	snprintf(path, plen, "%s/dkg-record.json", dir);
	if (client_json_dump(root, &text, &len) == -1 ||
	    client_file_write(path, text, len, 0644, CLIENT_WRITE_EXCL,
	    "ceremony record") == -1) {
		snprintf(path, plen, "%s/escrow.pub", dir);
		unlink(path);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && made)
		(void)rmdir(dir);
	client_mem_free(text);
	json_decref(root);
	free(path);
	return rc;
}

static int
dkg_finish(int argc, char *const argv[])
{
	struct run		 r = { 0 };
	struct client_escrow	*e = NULL, *chk = NULL;
	const json_t		*s;
	json_t			*root = NULL;
	const char		*dir;
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	size_t			 i;
	unsigned		 signed_n;
	int			 rc = CLIENT_EXIT_FAIL, mine = 0;

	if ((rc = run_begin(&r, argc, argv, finish_opts,
	    NOPTS(finish_opts))) != CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	dir = client_arg(&r.args, "out-dir");
	if (fetch(&r) == -1)
		goto out;
	if (r.rec->state.phase != CRYPTO_DKG_DONE) {
		client_err("ceremony %s has not made its key yet", r.idtext);
		print_waiting(&r.rec->state);
		goto out;
	}
	json_array_foreach(json_object_get(r.view, "signatures"), i, s)
		if (json_integer_value(json_object_get(s, "index")) ==
		    (json_int_t)r.index)
			mine = 1;
	if (!mine && sign_result(&r) == -1)
		goto out;
	/* Our part is done: the seed is of no more use. */
	if (client_dkg_state_wipe(r.state) == -1)
		goto out;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (chk = calloc(1, sizeof(*chk))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_dkg_escrow(r.rec, json_object_get(r.view, "signatures"),
	    e) == -1)
		goto out;
	if (!e->signed_by[r.index - 1]) {
		client_err("the server does not list your signature");
		goto out;
	}
	crypto_escrow_fingerprint(e->Y, fp);
	printf("holder %u %s the escrow configuration of ceremony %s "
	    "(%u-of-%u, key id %s)\n", r.index, mine ? "had signed" :
	    "checked its share against its commitment and signed", r.idtext,
	    e->threshold, e->n, e->id);
	printf("fingerprint: %s\n", fp);
	signed_n = client_escrow_signatures(e);
	if (signed_n < e->n) {
		printf("%u of %u holders have signed; when all have, any holder "
		    "runs finish again to write the escrow file\n", signed_n,
		    e->n);
		rc = CLIENT_EXIT_OK;
		goto out;
	}
	/* What we write must pass every reader's checks. */
	if ((root = client_escrow_json(e)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_from_json(root, "escrow file the ceremony made",
	    chk) == -1)
		goto out;
	if (r.key != NULL) {
		uint8_t		*share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
		unsigned	 idx;
		int		 ok;

		/* Our sealed share as the server kept it opens to ours. */
		ok = share != NULL && client_escrow_open_share(chk, r.key, &idx,
		    share) == 0;
		crypto_secret_free(share);
		if (!ok)
			goto out;
	}
	if (write_out(dir, chk, r.rec) == -1)
		goto out;
	printf("every holder has signed: wrote %s/escrow.pub and the "
	    "ceremony's record %s/dkg-record.json\n", dir, dir);
	printf("keep a copy of escrow.pub: give it with --escrow to every "
	    "`bisik disclose` command; install it with `bisikd escrow set "
	    "--public-key %s/escrow.pub` and publish the fingerprint where "
	    "the server has no say\n", dir);
	rc = CLIENT_EXIT_OK;
out:
	json_decref(root);
	free(chk);
	free(e);
	run_end(&r);
	return rc;
}

int
cmd_escrow_dkg(int argc, char *const argv[])
{
	static const struct client_sub subs[] = {
		{ "start", dkg_start },
		{ "deal", dkg_deal },
		{ "check", dkg_check },
		{ "finish", dkg_finish },
	};

	return client_sub_run(argc, argv, subs, sizeof(subs) / sizeof(subs[0]),
	    "escrow", "escrow dkg start|deal|check|finish");
}
