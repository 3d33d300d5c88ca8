/*
 * disclose.c: `bisik disclose request|approve|reveal|deny`, the central
 * admins' side of an identity disclosure (SECURITY.md "Identity
 * disclosure"; crypto/disclose.c has the mathematics).
 *
 *   request  the requester blinds the case's R with a secret derived from
 *            their own key, proves the blinding, signs, and opens the
 *            request; prints its id as the last line.
 *   approve  another holder checks the request (blinding proof, the
 *            requester's signature), opens their own escrow share with
 *            their key file, computes their partial over the blinded R,
 *            proves it (DLEQ bound to case, request and index), signs and
 *            uploads it.
 *   reveal   the requester fetches the approvals, checks every proof and
 *            signature again, adds their own partial, combines K partials
 *            by Lagrange interpolation, removes the blinding and opens the
 *            identity on this machine, only as the identity filed with
 *            this case's report (its binding, the content hash of the
 *            report as filed, is recomputed here); prints it as JSON.
 *   deny     any holder refuses a pending request, with a reason.
 *
 * Nothing the server says is taken on trust where it matters. Every
 * subcommand takes the escrow file of the generation as the holder
 * received and signed it (--escrow) and refuses, before it computes or
 * sends anything, a server copy that differs in any public value
 * (escrow_pin.c); every key a signature is checked with comes from that
 * pinned file. The requester chooses the request's id, time and expiry
 * and signs them with the reason, the legal basis, their account and the
 * configuration hash; an approver is shown all of it, with the
 * requester's key fingerprint, and must confirm on the terminal (--yes
 * for scripts) before their share is even opened; their signature covers
 * the whole request. Partials are bound to their request id, so reveal
 * refuses any made for another request. The escrow share, the blinding
 * secret, S and the identity exist only in guarded memory.
 */
#include <fcntl.h>
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
/* Request ids: 16 lower-case hex digits (8 random bytes). */
#define REQUEST_ID_BYTES 8
#define REQUEST_ID_LEN	(2 * REQUEST_ID_BYTES)
/* An answer typed at the confirmation prompt ("yes", "ya", "no"). */
#define CONFIRM_MAX	16

static const struct client_optspec request_opts[] = {
	{ "case", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "reason", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "legal-basis", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
/* reveal's; --allow-unbound opens a version 1 identity, sealed before
 * identities were bound to their report. */
static const struct client_optspec act_opts[] = {
	{ "request", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
	{ "allow-unbound", 0 },
};
static const struct client_optspec approve_opts[] = {
	{ "request", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "yes", 0 },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec deny_opts[] = {
	{ "request", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "reason", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};

/* What every subcommand holds: options, server, session, and for those
 * that use it the admin key (secret memory). */
struct run {
	struct client_args	 args;
	struct client_net	 net;
	char			*session;
	struct crypto_admin_key	*key;
	struct client_escrow	*esc;
};

/* ---- sign-in and requests --------------------------------------------- */

static int
login(struct run *r)
{
	return client_staff_login(&r->net, client_arg(&r->args, "username"),
	    client_arg(&r->args, "password-file"), client_arg(&r->args,
	    "totp"), &r->session);
}

/* method path [body]; a reply with the wanted status into *out. */
static int
call(struct run *r, const char *method, const char *path, json_t *body,
    long want, json_t **out)
{
	json_t	*reply = NULL;
	char	*text = NULL;
	long	 status;
	int	 rc = -1;

	*out = NULL;
	if (body != NULL && (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (client_http(&r->net, method, path, r->session, text,
	    text != NULL ? strlen(text) : 0, &status, &reply) == -1)
		goto out;
	if (status != want || !json_is_object(reply)) {
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

static int
run_begin(struct run *r, const char *name, int argc, char *const argv[],
    const struct client_optspec *specs, size_t nspecs, int with_key)
{
	char	 err[160], *pass = NULL;
	size_t	 passlen;

	memset(r, 0, sizeof(*r));
	if (client_args_parse(argc, argv, specs, nspecs, &r->args, err,
	    sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (r->args.help) {
		client_usage(stdout, name);
		return -1;
	}
	if (client_net_init(&r->net, client_arg(&r->args, "server"),
	    client_arg(&r->args, "proxy")) == -1)
		return CLIENT_EXIT_USAGE;
	if ((r->esc = calloc(1, sizeof(*r->esc))) == NULL) {
		client_err("out of memory");
		return CLIENT_EXIT_FAIL;
	}
	if (with_key) {
		if ((r->key = crypto_secret_alloc(sizeof(*r->key))) == NULL) {
			client_err("out of memory");
			return CLIENT_EXIT_FAIL;
		}
		if (client_pass_get(client_arg(&r->args, "passphrase-file"),
		    "Passphrase of the admin key: ", 0, 0, &pass, &passlen) ==
		    -1)
			return CLIENT_EXIT_FAIL;
		if (client_adminkey_load(client_arg(&r->args, "key"), pass,
		    passlen, r->key) == -1) {
			crypto_secret_free(pass);
			return CLIENT_EXIT_FAIL;
		}
		crypto_secret_free(pass);
	}
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
	free(r->esc);
	client_net_free(&r->net);
	memset(r, 0, sizeof(*r));
}

/* ---- replies --------------------------------------------------------------- */

static int
get_b64(const json_t *o, const char *key, uint8_t *out, size_t len)
{
	return client_json_get_b64(o, key, out, len, "server's answer");
}

static int
get_uint(const json_t *o, const char *key, unsigned max, unsigned *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > (json_int_t)max) {
		client_err("the server's answer has no valid \"%s\"", key);
		return -1;
	}
	*out = (unsigned)json_integer_value(v);
	return 0;
}

static int
request_id_ok(const char *id)
{
	size_t i;

	if (strlen(id) != REQUEST_ID_LEN)
		return 0;
	for (i = 0; i < REQUEST_ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * The statement of a request as the server shows it, checked: the escrow
 * generation against the pinned file (before anything else), the blinding
 * proof, and the requester's signature with the key the PINNED file lists
 * at their index. *digest is the request digest approvals sign over.
 */
static int
statement(struct run *r, const json_t *v, const char *id,
    struct crypto_disclosure *d, uint8_t digest[CRYPTO_HASH_BYTES])
{
	const json_t	*rq = json_object_get(v, "requester");
	uint8_t		 proof[CRYPTO_DLEQ_BYTES], sig[CRYPTO_SIG_BYTES];
	unsigned	 gen;
	const char	*got;

	memset(d, 0, sizeof(*d));
	if (client_escrow_pinned(client_arg(&r->args, "escrow"),
	    json_object_get(v, "escrow"), r->esc) == -1)
		return -1;
	if ((got = client_json_str(v, "request", "server's answer")) == NULL ||
	    strcmp(got, id) != 0) {
		client_err("the server answered with another request than %s",
		    id);
		return -1;
	}
	if ((d->case_ref = client_json_str(v, "case", "server's answer")) ==
	    NULL || (d->reason = client_json_str(v, "reason",
	    "server's answer")) == NULL || (d->legal_basis =
	    client_json_str(v, "legal_basis", "server's answer")) == NULL ||
	    (d->created_at = client_json_str(v, "created_at",
	    "server's answer")) == NULL || (d->expires_at = client_json_str(v,
	    "expires_at", "server's answer")) == NULL || (d->account =
	    client_json_str(rq, "username", "server's answer")) == NULL ||
	    get_uint(v, "holders_generation", UINT32_MAX, &gen) == -1 ||
	    get_uint(rq, "index", CRYPTO_ESCROW_MAX_HOLDERS,
	    &d->requester) == -1 ||
	    get_b64(v, "nonce", d->nonce, sizeof(d->nonce)) == -1 ||
	    get_b64(v, "R", d->R, sizeof(d->R)) == -1 ||
	    get_b64(v, "blind_key", d->P, sizeof(d->P)) == -1 ||
	    get_b64(v, "blinded", d->Rb, sizeof(d->Rb)) == -1 ||
	    get_b64(v, "blind_proof", proof, sizeof(proof)) == -1 ||
	    get_b64(v, "request_signature", sig, sizeof(sig)) == -1)
		return -1;
	d->generation = gen;
	d->request = id;
	memcpy(d->config, r->esc->config, sizeof(d->config));
	if (d->requester < 1 || d->requester > r->esc->n) {
		client_err("the request names a requester who holds no share");
		return -1;
	}
	if (crypto_disclosure_blind_verify(d, proof) == -1) {
		client_err("the request's blinding proof does not verify: "
		    "refusing to take part");
		return -1;
	}
	crypto_disclosure_request_digest(d, proof, digest);
	if (crypto_sign_check(r->esc->holders[d->requester - 1].sign_pk,
	    digest, CRYPTO_HASH_BYTES, sig) == -1) {
		client_err("the request is not signed by holder %u's key in "
		    "your escrow file, or not as shown: refusing to take part",
		    d->requester);
		return -1;
	}
	return 0;
}

static void
show(const char *label, const char *text)
{
	printf("%-13s", label);
	client_print_text(stdout, text);
	putchar('\n');
}

/* A time of the request, shown in WIB as every time bisik shows. */
static void
show_time(const char *label, const char *iso)
{
	char	wib[CLIENT_TIME_TEXT];

	show(label, client_time_wib(iso, wib) == 0 ? wib : iso);
}

/* ---- request ------------------------------------------------------------------ */

/* A fresh request id: 8 random bytes in hex. */
static void
request_id_new(char out[REQUEST_ID_LEN + 1])
{
	static const char	hex[] = "0123456789abcdef";
	uint8_t			b[REQUEST_ID_BYTES];
	size_t			i;

	crypto_random(b, sizeof(b));
	for (i = 0; i < sizeof(b); i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 0xf];
	}
	out[REQUEST_ID_LEN] = '\0';
}

static int
disclose_request(int argc, char *const argv[])
{
	struct run		 r = { 0 };
	struct crypto_disclosure d;
	json_t			*prep = NULL, *body = NULL, *reply = NULL;
	const char		*ref, *id;
	uint8_t			*share = NULL, *rho = NULL;
	uint8_t			 proof[CRYPTO_DLEQ_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t			 digest[CRYPTO_HASH_BYTES];
	unsigned		 idx, gen, ttl;
	char			 path[128], rid[REQUEST_ID_LEN + 1];
	char			 created[21], expires[21];
	char			 wib[CLIENT_TIME_TEXT];
	time_t			 now;
	int			 rc = CLIENT_EXIT_FAIL;

	if ((rc = run_begin(&r, "disclose", argc, argv, request_opts,
	    NOPTS(request_opts), 1)) != CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	ref = client_arg(&r.args, "case");
	if (strlen(ref) > 40 || strspn(ref, "BSK-0123456789") != strlen(ref)) {
		client_err("--case must be a case reference like "
		    "BSK-2026-000123");
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	snprintf(path, sizeof(path), "/cases/%s/disclosures", ref);
	if (call(&r, "GET", path, NULL, 200, &prep) == -1)
		goto out;
	if (!json_is_true(json_object_get(prep, "identity"))) {
		client_err("case %s has no identity on file: there is nothing "
		    "to disclose", ref);
		goto out;
	}
	memset(&d, 0, sizeof(d));
	/* The pinned file first: nothing is computed for a server copy
	 * that is not the file this holder signed. */
	if (client_escrow_pinned(client_arg(&r.args, "escrow"),
	    json_object_get(prep, "escrow"), r.esc) == -1)
		goto out;
	if (client_disclose_prep(prep, &gen, &ttl, d.R) == -1)
		goto out;
	request_id_new(rid);
	now = time(NULL);
	core_time_iso(now, created);
	core_time_iso(now + (time_t)ttl, expires);
	d.case_ref = ref;
	d.request = rid;
	d.account = client_arg(&r.args, "username");
	d.reason = client_arg(&r.args, "reason");
	d.legal_basis = client_arg(&r.args, "legal-basis");
	d.created_at = created;
	d.expires_at = expires;
	d.generation = gen;
	memcpy(d.config, r.esc->config, sizeof(d.config));
	share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	rho = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	if (share == NULL || rho == NULL) {
		client_err("out of memory");
		goto out;
	}
	/* Only a holder can make a request it can later reveal: check the
	 * share opens now rather than after the others have approved. */
	if (client_escrow_open_share(r.esc, r.key, &idx, share) == -1)
		goto out;
	d.requester = idx;
	crypto_random(d.nonce, sizeof(d.nonce));
	if (crypto_disclosure_blind(r.key->box_sk, &d, rho, proof) == -1) {
		client_err("cannot blind the case's identity key");
		goto out;
	}
	crypto_disclosure_request_digest(&d, proof, digest);
	crypto_sign_msg(r.key->sign_sk, digest, sizeof(digest), sig);
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o,"
	    " s:o, s:o}",
	    "request", rid, "reason", d.reason, "legal_basis", d.legal_basis,
	    "created_at", created, "expires_at", expires,
	    "generation", (json_int_t)gen, "requester_index", (json_int_t)idx,
	    "nonce", client_json_b64(d.nonce, sizeof(d.nonce)),
	    "blind_key", client_json_b64(d.P, sizeof(d.P)),
	    "blinded", client_json_b64(d.Rb, sizeof(d.Rb)),
	    "blind_proof", client_json_b64(proof, sizeof(proof)),
	    "signature", client_json_b64(sig, sizeof(sig)));
	if (body == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (call(&r, "POST", path, body, 201, &reply) == -1)
		goto out;
	id = json_string_value(json_object_get(reply, "request"));
	if (id == NULL || strcmp(id, rid) != 0) {
		client_err("the server's answer names another request than the "
		    "one signed");
		goto out;
	}
	client_time_wib_t(now + (time_t)ttl, wib);
	printf("disclosure of case %s requested as holder %u of escrow %s "
	    "(%u-of-%u), open until %s: %u more approval%s needed\n", ref, idx,
	    r.esc->id, r.esc->threshold, r.esc->n, wib,
	    r.esc->threshold - 1, r.esc->threshold == 2 ? "" : "s");
	printf("%s\n", rid);
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(share);
	crypto_secret_free(rho);
	json_decref(prep);
	json_decref(body);
	json_decref(reply);
	run_end(&r);
	return rc;
}

int
client_disclose_prep(const json_t *prep, unsigned *gen, unsigned *ttl,
    uint8_t R[CRYPTO_POINT_BYTES])
{
	if (get_uint(prep, "holders_generation", UINT32_MAX, gen) == -1 ||
	    get_uint(prep, "request_ttl", CLIENT_DISCLOSE_TTL_MAX, ttl) == -1 ||
	    get_b64(prep, "R", R, CRYPTO_POINT_BYTES) == -1)
		return -1;
	if (*ttl < 1) {
		client_err("the server's answer has no valid \"request_ttl\"");
		return -1;
	}
	return 0;
}

const char *
client_disclose_state(const json_t *answer)
{
	const json_t	*v = json_object_get(answer, "state");
	size_t		 n;

	if (!json_is_string(v))
		return NULL;
	n = json_string_length(v);
	/* Printed as it is: a short lower-case word, nothing a terminal
	 * would act on. */
	if (n == 0 || n >= CLIENT_STATE_TEXT ||
	    strspn(json_string_value(v), "abcdefghijklmnopqrstuvwxyz_") != n)
		return NULL;
	return json_string_value(v);
}

/* GET /disclosures/{id} */
static int
fetch(struct run *r, const char *id, json_t **v)
{
	char path[64];

	if (!request_id_ok(id)) {
		client_err("--request must be the 16-digit id `disclose "
		    "request` printed");
		return -1;
	}
	snprintf(path, sizeof(path), "/disclosures/%s", id);
	return call(r, "GET", path, NULL, 200, v);
}

/* ---- approve ------------------------------------------------------------------- */

/*
 * Asks on the terminal (never stdin, which a script may feed): 1 if the
 * answer is yes, 0 if anything else, -1 if there is no terminal.
 */
static int
confirm(const char *question)
{
	char	buf[CONFIRM_MAX + 1];
	size_t	n = 0;
	ssize_t	got;
	char	c;
	int	fd, toolong = 0;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	if (write(fd, question, strlen(question)) == -1) {
		close(fd);
		return -1;
	}
	while ((got = read(fd, &c, 1)) == 1 && c != '\n') {
		if (n < CONFIRM_MAX)
			buf[n++] = c;
		else
			toolong = 1;
	}
	close(fd);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return !toolong && (strcasecmp(buf, "yes") == 0 ||
	    strcasecmp(buf, "ya") == 0);
}

/* What the approver sees before anything is computed. */
static void
show_request(const struct run *r, const struct crypto_disclosure *d,
    const char *id)
{
	const struct client_holder	*h = &r->esc->holders[d->requester - 1];
	char				 fp[CLIENT_ADMIN_FP_TEXT];
	char				 efp[CRYPTO_ESCROW_FP_TEXT];

	client_adminkey_fingerprint(h->sign_pk, h->box_pk, fp);
	crypto_escrow_fingerprint(r->esc->Y, efp);
	show("request:", id);
	show("case:", d->case_ref);
	show("reason:", d->reason);
	show("legal basis:", d->legal_basis);
	show("requester:", d->account);
	printf("%-13sholder %u, key fingerprint %s\n", "", d->requester, fp);
	show_time("made:", d->created_at);
	show_time("expires:", d->expires_at);
	printf("%-13s%s (%u-of-%u), fingerprint %s\n", "escrow:", r->esc->id,
	    r->esc->threshold, r->esc->n, efp);
	fflush(stdout);
}

static int
disclose_approve(int argc, char *const argv[])
{
	struct run		 r = { 0 };
	struct crypto_disclosure d;
	json_t			*v = NULL, *body = NULL, *reply = NULL;
	const char		*id, *state;
	uint8_t			*share = NULL, D[CRYPTO_POINT_BYTES];
	uint8_t			 proof[CRYPTO_DLEQ_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t			 rdigest[CRYPTO_HASH_BYTES];
	uint8_t			 digest[CRYPTO_HASH_BYTES];
	unsigned		 idx, mine;
	char			 path[96], wib[CLIENT_TIME_TEXT];
	time_t			 expires;
	int			 rc = CLIENT_EXIT_FAIL, yes;

	if ((rc = run_begin(&r, "disclose", argc, argv, approve_opts,
	    NOPTS(approve_opts), 1)) != CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	id = client_arg(&r.args, "request");
	if (fetch(&r, id, &v) == -1)
		goto out;
	state = client_disclose_state(v);
	if (state == NULL || strcmp(state, "pending") != 0) {
		client_err("the request is %s, not pending: nothing to approve",
		    state != NULL ? state : "closed");
		goto out;
	}
	if (statement(&r, v, id, &d, rdigest) == -1)
		goto out;
	/* Our own clock decides whether the request is still open. */
	if (core_time_iso_parse(d.expires_at, &expires) == -1 ||
	    time(NULL) >= expires) {
		client_err("the request expired at %s (by this machine's "
		    "clock): nothing to approve", client_time_wib(d.expires_at,
		    wib) == 0 ? wib : "?");
		goto out;
	}
	/* Which holder this key is, from the pinned file, without opening
	 * the share: nothing secret is touched before the confirmation. */
	for (mine = 0, idx = 1; idx <= r.esc->n; idx++)
		if (crypto_equal(r.esc->holders[idx - 1].sign_pk,
		    r.key->sign_pk, CRYPTO_SIGN_PK_BYTES) &&
		    crypto_equal(r.esc->holders[idx - 1].box_pk,
		    r.key->box_pk, CRYPTO_BOX_PK_BYTES))
			mine = idx;
	if (mine == 0) {
		client_err("this admin key holds no share of escrow %s",
		    r.esc->id);
		goto out;
	}
	if (mine == d.requester) {
		client_err("this is your own request; your share counts "
		    "already");
		goto out;
	}
	show_request(&r, &d, id);
	if (client_arg_given(&r.args, "yes"))
		yes = 1;
	else if ((yes = confirm("Approve this disclosure of the reporter's "
	    "identity? Type yes to approve: ")) == -1) {
		client_err("approving needs your confirmation on a terminal; "
		    "run it in one, or give --yes once you have read the "
		    "request above");
		goto out;
	}
	if (!yes) {
		client_err("not approved: nothing was sent");
		goto out;
	}
	if ((share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_open_share(r.esc, r.key, &idx, share) == -1)
		goto out;
	if (crypto_disclosure_partial(share, r.esc->holders[idx - 1].commitment,
	    &d, idx, D, proof) == -1) {
		client_err("cannot compute the partial decryption");
		goto out;
	}
	crypto_wipe(share, CRYPTO_SCALAR_BYTES);
	crypto_disclosure_approval_digest(rdigest, &d, idx, D, proof, digest);
	crypto_sign_msg(r.key->sign_sk, digest, sizeof(digest), sig);
	body = json_pack("{s:I, s:o, s:o, s:o}", "index", (json_int_t)idx,
	    "partial", client_json_b64(D, sizeof(D)),
	    "proof", client_json_b64(proof, sizeof(proof)),
	    "signature", client_json_b64(sig, sizeof(sig)));
	if (body == NULL) {
		client_err("out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "/disclosures/%s/approve", id);
	if (call(&r, "POST", path, body, 200, &reply) == -1)
		goto out;
	state = client_disclose_state(reply);
	printf("approved as holder %u of escrow %s; the request is now %s\n",
	    idx, r.esc->id, state != NULL ? state : "?");
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(share);
	json_decref(v);
	json_decref(body);
	json_decref(reply);
	run_end(&r);
	return rc;
}

/* ---- reveal -------------------------------------------------------------------- */

/*
 * The requester's K partials: their own and K-1 approvals whose proof and
 * signature verify for THIS request (the proof context and the signed
 * digest hold its id) against the pinned generation. An approval that
 * fails, such as one made for another request, is reported and left out;
 * too few good ones is an error.
 */
static int
gather(struct run *r, const json_t *v, const struct crypto_disclosure *d,
    const uint8_t rdigest[CRYPTO_HASH_BYTES], const uint8_t *share,
    unsigned *idx, uint8_t *pts)
{
	const json_t	*apps = json_object_get(v, "approvals"), *a;
	uint8_t		 proof[CRYPTO_DLEQ_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t		 digest[CRYPTO_HASH_BYTES];
	unsigned	 k = r->esc->threshold, n = 1, i, j, dup;
	size_t		 ai;

	idx[0] = d->requester;
	if (crypto_disclosure_own(share, r->esc->holders[d->requester -
	    1].commitment, d, pts) == -1) {
		client_err("your share does not match your commitment");
		return -1;
	}
	json_array_foreach(apps, ai, a) {
		if (n == k)
			break;
		if (get_uint(a, "index", r->esc->n, &i) == -1 || i == 0)
			return -1;
		for (j = 0, dup = 0; j < n; j++)
			dup |= idx[j] == i;
		if (dup)
			continue;
		if (!json_is_string(json_object_get(a, "partial"))) {
			client_err("the server did not send the partials: only "
			    "the requester can reveal");
			return -1;
		}
		if (get_b64(a, "partial", pts + n * CRYPTO_POINT_BYTES,
		    CRYPTO_POINT_BYTES) == -1 || get_b64(a, "proof", proof,
		    sizeof(proof)) == -1 || get_b64(a, "signature", sig,
		    sizeof(sig)) == -1)
			return -1;
		crypto_disclosure_approval_digest(rdigest, d, i,
		    pts + n * CRYPTO_POINT_BYTES, proof, digest);
		if (crypto_disclosure_partial_verify(
		    r->esc->holders[i - 1].commitment, d, i,
		    pts + n * CRYPTO_POINT_BYTES, proof) == -1 ||
		    crypto_sign_check(r->esc->holders[i - 1].sign_pk, digest,
		    sizeof(digest), sig) == -1) {
			client_err("warning: holder %u's approval does not "
			    "verify for this request; it is left out", i);
			continue;
		}
		idx[n++] = i;
	}
	if (n < k) {
		client_err("only %u of the %u shares needed verify for this "
		    "request: the identity is not opened", n, k);
		return -1;
	}
	return (int)n;
}

/*
 * The binding the identity must have been sealed with: the content hash
 * of the case's report as filed, recomputed here from the values the
 * server sends ("filed"), so that an identity copied from another case
 * does not open as this one's. A server that sends another report's
 * values with it can only make it open as that report's identity, and
 * the requester sees which report that is.
 */
int
client_disclose_binding(const json_t *v, const char *ref,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	static const char *const keys[] = { "kind", "title", "body",
	    "agency", "category", "location", "occurred_on", "visibility" };
	const json_t		*f = json_object_get(v, "filed"), *x;
	const char		*val[8];
	struct crypto_content	 c;
	size_t			 i;

	if (!json_is_object(f)) {
		client_err("the server did not send case %s's report as filed: "
		    "nothing shows whose identity this is", ref);
		return -1;
	}
	for (i = 0; i < 8; i++) {
		x = json_object_get(f, keys[i]);
		if (x != NULL && !json_is_null(x) && !json_is_string(x)) {
			client_err("the server's report as filed is malformed");
			return -1;
		}
		val[i] = json_string_value(x);
	}
	if (val[0] == NULL || val[1] == NULL || val[2] == NULL) {
		client_err("the server's report as filed has no kind, title or "
		    "body");
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.kind = val[0];
	c.title = val[1];
	c.body = val[2];
	c.agency = val[3];
	c.category = val[4];
	c.location = val[5];
	c.occurred_on = val[6];
	c.visibility = val[7];
	crypto_content_hash(&c, out);
	return 0;
}

static int
disclose_reveal(int argc, char *const argv[])
{
	struct run		 r = { 0 };
	struct crypto_disclosure d, mine;
	json_t			*v = NULL;
	const char		*id, *state, *sealed_b64;
	uint8_t			*share = NULL, *rho = NULL, *S = NULL;
	uint8_t			*sealed = NULL, *plain = NULL;
	uint8_t			 pts[CRYPTO_ESCROW_MAX_HOLDERS *
				     CRYPTO_POINT_BYTES] = { 0 };
	uint8_t			 Sb[CRYPTO_POINT_BYTES] = { 0 };
	uint8_t			 proof[CRYPTO_DLEQ_BYTES];
	uint8_t			 rdigest[CRYPTO_HASH_BYTES];
	uint8_t			 binding[CRYPTO_HASH_BYTES];
	unsigned		 idx[CRYPTO_ESCROW_MAX_HOLDERS], me;
	size_t			 slen = 0, blen, plen = 0;
	int			 rc = CLIENT_EXIT_FAIL, n, version = -1;

	if ((rc = run_begin(&r, "disclose", argc, argv, act_opts,
	    NOPTS(act_opts), 1)) != CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	id = client_arg(&r.args, "request");
	if (fetch(&r, id, &v) == -1)
		goto out;
	state = client_disclose_state(v);
	if (state == NULL || strcmp(state, "approved") != 0) {
		client_err("the request is %s, not approved: the identity "
		    "cannot be opened", state != NULL ? state : "closed");
		goto out;
	}
	if (statement(&r, v, id, &d, rdigest) == -1)
		goto out;
	if ((sealed_b64 = json_string_value(json_object_get(v,
	    "sealed_identity"))) == NULL) {
		client_err("the server did not send the sealed identity: only "
		    "the requester can reveal");
		goto out;
	}
	share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	rho = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	S = crypto_secret_alloc(CRYPTO_POINT_BYTES);
	blen = strlen(sealed_b64);
	sealed = malloc(blen + 1);
	if (share == NULL || rho == NULL || S == NULL || sealed == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_open_share(r.esc, r.key, &me, share) == -1)
		goto out;
	if (me != d.requester) {
		client_err("you are holder %u, not the requester (holder %u): "
		    "only the requester can reveal", me, d.requester);
		goto out;
	}
	/* rho again from our key and the public nonce: the request must be
	 * ours, or the blinding is someone else's and nothing would open. */
	mine = d;
	if (crypto_disclosure_blind(r.key->box_sk, &mine, rho, proof) == -1 ||
	    !crypto_equal(mine.P, d.P, sizeof(d.P)) ||
	    !crypto_equal(mine.Rb, d.Rb, sizeof(d.Rb))) {
		client_err("this request was not made with this admin key");
		goto out;
	}
	if (crypto_b64_decode(sealed_b64, blen, sealed, blen, &slen) == -1 ||
	    (version = crypto_identity_check(sealed, slen)) == -1 ||
	    !crypto_equal(sealed + CRYPTO_IDENTITY_R_OFFSET, d.R,
	    CRYPTO_POINT_BYTES)) {
		client_err("the sealed identity the server sent is not the "
		    "one the request is for");
		goto out;
	}
	if (version == 1 && !client_arg_given(&r.args, "allow-unbound")) {
		client_err("case %s's identity was sealed before identities "
		    "were bound to their report, so nothing shows it was filed "
		    "with this case; if you know it was, run again with "
		    "--allow-unbound", d.case_ref);
		goto out;
	}
	if (version == 2 &&
	    client_disclose_binding(v, d.case_ref, binding) == -1)
		goto out;
	if ((n = gather(&r, v, &d, rdigest, share, idx, pts)) == -1)
		goto out;
	crypto_wipe(share, CRYPTO_SCALAR_BYTES);
	if ((plain = crypto_secret_alloc(CRYPTO_IDENTITY_MAX + 1)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (crypto_escrow_combine(idx, pts, (size_t)n, Sb) == -1 ||
	    crypto_disclosure_unblind(rho, Sb, S) == -1) {
		client_err("the partials do not open the identity");
		goto out;
	}
	/* Every partial's proof verified, so S is y·R: what fails now is
	 * the binding (or the sealed bytes were changed). */
	if (crypto_identity_open(S, r.esc->Y, version == 2 ? binding : NULL,
	    sealed, slen, plain, &plen) == -1) {
		client_err(version == 2 ? "the sealed identity is not bound to "
		    "case %s's report: it was filed with another case (or "
		    "altered), and is not opened" : "the partials do not open "
		    "case %s's identity", d.case_ref);
		goto out;
	}
	plain[plen] = '\0';
	client_print_text(stdout, (const char *)plain);
	putchar('\n');
	rc = CLIENT_EXIT_OK;
out:
	crypto_wipe(pts, sizeof(pts));
	crypto_wipe(Sb, sizeof(Sb));
	crypto_secret_free(share);
	crypto_secret_free(rho);
	crypto_secret_free(S);
	crypto_secret_free(plain);
	free(sealed);
	json_decref(v);
	run_end(&r);
	return rc;
}

/* ---- deny ------------------------------------------------------------------- */

static int
disclose_deny(int argc, char *const argv[])
{
	struct run	 r = { 0 };
	json_t		*v = NULL, *body = NULL, *reply = NULL;
	const char	*id;
	char		 path[96];
	int		 rc = CLIENT_EXIT_FAIL;

	if ((rc = run_begin(&r, "disclose", argc, argv, deny_opts,
	    NOPTS(deny_opts), 0)) != CLIENT_EXIT_OK) {
		run_end(&r);
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	}
	rc = CLIENT_EXIT_FAIL;
	id = client_arg(&r.args, "request");
	if (!request_id_ok(id)) {
		client_err("--request must be the 16-digit id `disclose "
		    "request` printed");
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	/* Even a refusal goes only to a server whose copy is the pinned
	 * file: a holder acts on a generation they know. */
	if (fetch(&r, id, &v) == -1 || client_escrow_pinned(client_arg(&r.args,
	    "escrow"), json_object_get(v, "escrow"), r.esc) == -1)
		goto out;
	if ((body = json_pack("{s:s}", "reason", client_arg(&r.args,
	    "reason"))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "/disclosures/%s/deny", id);
	if (call(&r, "POST", path, body, 200, &reply) == -1)
		goto out;
	printf("request %s denied\n", id);
	rc = CLIENT_EXIT_OK;
out:
	json_decref(v);
	json_decref(body);
	json_decref(reply);
	run_end(&r);
	return rc;
}

int
cmd_disclose(int argc, char *const argv[])
{
	static const struct client_sub subs[] = {
		{ "request", disclose_request },
		{ "approve", disclose_approve },
		{ "reveal", disclose_reveal },
		{ "deny", disclose_deny },
	};

	return client_sub_run(argc, argv, subs, sizeof(subs) / sizeof(subs[0]),
	    "disclose", "disclose request|approve|reveal|deny");
}
