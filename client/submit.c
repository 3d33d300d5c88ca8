/*
 * submit.c: `bisik submit`, filing a report from the reporter's machine.
 *
 * Why the client does more than post a form: the identity, when given, is
 * sealed here to the escrow key, so the server never sees it in plain;
 * the report is checked here with the same validator as the server's
 * (core_report_parse) before any proof of work is spent; and the server's
 * receipt is checked against what was sent, so a reporter knows the
 * server committed to exactly their text under its published receipt key
 * rather than merely answering 201.
 */
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

/* What the reporter asked to file; strings borrowed from argv or the body
 * buffer, NULL when absent. */
struct submission {
	const char	*kind, *title, *body, *agency, *category;
	const char	*location, *occurred_on, *visibility;
	json_t		*identity;	/* plain identity object, or NULL */
};

/* Trusted values from GET /keys. */
struct server_keys {
	uint8_t		receipt_key[CRYPTO_SIGN_PK_BYTES];
	uint8_t		escrow_key[CRYPTO_POINT_BYTES];
	int		has_escrow;
};

static const char *const identity_fields[] = {
	"name", "email", "phone", "nik", "address"
};
#define NIDFIELDS	(sizeof(identity_fields) / sizeof(identity_fields[0]))

static const struct client_optspec submit_opts[] = {
	{ "title", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "body-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "kind", CLIENT_OPT_ARG },
	{ "agency", CLIENT_OPT_ARG },
	{ "category", CLIENT_OPT_ARG },
	{ "location", CLIENT_OPT_ARG },
	{ "occurred-on", CLIENT_OPT_ARG },
	{ "identity-file", CLIENT_OPT_ARG },
	{ "attach", CLIENT_OPT_ARG | CLIENT_OPT_MULTI },
	{ "public", 0 },
	{ "token-out", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};

/* Editors end files with a newline that is not part of the text. */
static void
strip_final_newlines(char *s, size_t *len)
{
	while (*len > 0 && (s[*len - 1] == '\n' || s[*len - 1] == '\r'))
		s[--*len] = '\0';
}

/* Reads the identity file: an object of known string fields. */
static int
identity_read(const char *path, json_t **out)
{
	json_t		*root = NULL, *v;
	const char	*key;
	char		*buf = NULL;
	size_t		 len;

	if (client_file_read(path, CLIENT_IDFILE_MAX, 1, "identity file", &buf,
	    &len) == -1)
		return -1;
	if (client_json_object(buf, len, identity_fields, NIDFIELDS, NULL,
	    "identity file", &root) == -1)
		goto fail;
	if (json_object_size(root) == 0) {
		client_err("the identity file %s holds no field; leave "
		    "--identity-file out to report anonymously", path);
		goto fail;
	}
	json_object_foreach(root, key, v)
		if (!json_is_string(v)) {
			client_err("the identity file's \"%s\" is not text",
			    key);
			goto fail;
		}
	crypto_secret_free(buf);
	*out = root;
	return 0;
fail:
	json_decref(root);
	crypto_secret_free(buf);
	return -1;
}

static int
set_str(json_t *o, const char *key, const char *val)
{
	json_t	*v;

	if (val == NULL)
		return 0;
	/* jansson refuses invalid UTF-8; say so rather than "no memory". */
	if ((v = json_string(val)) == NULL) {
		client_err("the %s is not valid UTF-8 text", key);
		return -1;
	}
	if (json_object_set_new(o, key, v) == -1) {
		client_err("out of memory");
		return -1;
	}
	return 0;
}

/* The report body without identity, seal or proof of work; NULL after
 * an error message. */
static json_t *
report_json(const struct submission *s)
{
	json_t	*o;

	if ((o = json_object()) == NULL) {
		client_err("out of memory");
		return NULL;
	}
	if (set_str(o, "kind", s->kind) == -1 ||
	    set_str(o, "title", s->title) == -1 ||
	    set_str(o, "body", s->body) == -1 ||
	    set_str(o, "agency", s->agency) == -1 ||
	    set_str(o, "category", s->category) == -1 ||
	    set_str(o, "location", s->location) == -1 ||
	    set_str(o, "occurred_on", s->occurred_on) == -1 ||
	    set_str(o, "visibility", s->visibility) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * Runs the server's own validator over the report (with the plain
 * identity, which never leaves this process) so that mistakes are told
 * before proof of work is spent and nothing is sent.
 */
static int
report_check(json_t *o, json_t *identity)
{
	struct core_errors	 errs;
	struct core_report	 rep;
	char			*text = NULL;
	size_t			 i;
	int			 rc = -1;

	if (identity != NULL &&
	    json_object_set(o, "identity", identity) == -1) {
		client_err("out of memory");
		return -1;
	}
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	memset(&errs, 0, sizeof(errs));
	if (core_report_parse(text, strlen(text), 0, &rep, &errs) != CORE_OK) {
		/* "title too short, agency invalid" says more than the
		 * general sentence, which is kept for 400-type errors. */
		fflush(stdout);
		fputs("bisik: the report is not valid:", stderr);
		for (i = 0; i < errs.nfields && i < CORE_FIELDS_MAX; i++)
			fprintf(stderr, "%s %s %s", i == 0 ? "" : ",",
			    errs.field[i], errs.reason[i]);
		if (errs.nfields == 0)
			fprintf(stderr, " %s", errs.message != NULL ?
			    errs.message : "it was refused");
		fputc('\n', stderr);
		goto out;
	}
	core_report_free(&rep);
	rc = 0;
out:
	client_mem_free(text);
	json_object_del(o, "identity");
	return rc;
}

static int
keys_get(const struct client_net *net, int need_escrow, struct server_keys *k)
{
	json_t	*reply = NULL, *ek;
	long	 status;
	int	 rc = -1;

	if (client_http(net, "GET", "/keys", NULL, NULL, 0, &status,
	    &reply) == -1)
		return -1;
	if (status != 200) {
		client_http_error(status, reply);
		goto out;
	}
	if (client_json_get_b64(reply, "receipt_key", k->receipt_key,
	    sizeof(k->receipt_key), "server's key list") == -1)
		goto out;
	k->has_escrow = 0;
	ek = json_object_get(reply, "escrow_key");
	if (need_escrow) {
		if (ek == NULL || json_is_null(ek)) {
			client_err("the server has no escrow key installed, so "
			    "it cannot take a sealed identity; leave "
			    "--identity-file out or try later");
			goto out;
		}
		if (client_json_get_b64(reply, "escrow_key", k->escrow_key,
		    sizeof(k->escrow_key), "server's key list") == -1)
			goto out;
		if (crypto_point_check(k->escrow_key) == -1) {
			client_err("the server's escrow key is not a valid "
			    "public key");
			goto out;
		}
		k->has_escrow = 1;
	}
	rc = 0;
out:
	json_decref(reply);
	return rc;
}

/* Seals the identity to the escrow key and sets "sealed_identity". */
static int
identity_seal(json_t *o, json_t *identity, const struct server_keys *k)
{
	uint8_t	*sealed = NULL;
	char	*plain = NULL;
	size_t	 len;
	int	 rc = -1;

	if ((plain = json_dumps(identity, JSON_COMPACT |
	    JSON_PRESERVE_ORDER)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	len = strlen(plain);
	if (len > CRYPTO_IDENTITY_MAX) {
		client_err("the identity is longer than %d bytes",
		    CRYPTO_IDENTITY_MAX);
		goto out;
	}
	if ((sealed = client_mem_alloc(len + CRYPTO_IDENTITY_OVERHEAD)) ==
	    NULL) {
		client_err("out of memory");
		goto out;
	}
	if (crypto_identity_seal(k->escrow_key, plain, len, sealed) == -1) {
		client_err("cannot seal the identity");
		goto out;
	}
	if (json_object_set_new(o, "sealed_identity", client_json_b64(sealed,
	    len + CRYPTO_IDENTITY_OVERHEAD)) == -1) {
		client_err("out of memory");
		goto out;
	}
	rc = 0;
out:
	client_mem_free(sealed);
	client_mem_free(plain);	/* wiped: it held the identity */
	return rc;
}

/* Gets a challenge and, if the server asks for work, sets "pow". */
static int
pow_add(const struct client_net *net, json_t *o)
{
	json_t		*reply = NULL, *d, *pow;
	const char	*chal;
	char		 nonce[CRYPTO_POW_NONCE_MAX + 1];
	size_t		 clen;
	long		 status;
	int		 rc = -1;

	json_object_del(o, "pow");
	if (client_http(net, "GET", "/challenge", NULL, NULL, 0, &status,
	    &reply) == -1)
		return -1;
	if (status != 200) {
		client_http_error(status, reply);
		goto out;
	}
	d = json_object_get(reply, "difficulty");
	if (!json_is_integer(d) || json_integer_value(d) < 0 ||
	    json_integer_value(d) > CRYPTO_POW_MAX_DIFFICULTY) {
		client_err("the server's challenge has no valid difficulty");
		goto out;
	}
	if (json_integer_value(d) == 0) {
		rc = 0;
		goto out;
	}
	if ((chal = client_json_str(reply, "challenge",
	    "server's challenge")) == NULL)
		goto out;
	clen = strlen(chal);
	if (clen == 0 || clen >= CRYPTO_CHALLENGE_TEXT) {
		client_err("the server's challenge is malformed");
		goto out;
	}
	if (crypto_pow_solve(chal, clen, (unsigned)json_integer_value(d),
	    nonce) == -1) {
		client_err("cannot solve the server's proof of work");
		goto out;
	}
	if ((pow = json_object()) == NULL ||
	    json_object_set_new(o, "pow", pow) == -1 ||
	    json_object_set_new(pow, "challenge", json_string(chal)) == -1 ||
	    json_object_set_new(pow, "nonce", json_string(nonce)) == -1) {
		client_err("out of memory");
		goto out;
	}
	rc = 0;
out:
	json_decref(reply);
	return rc;
}

static int
time_ok(const char *at)
{
	static const char	pat[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t			i;

	if (strlen(at) != sizeof(pat) - 1)
		return 0;
	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? (at[i] < '0' || at[i] > '9') :
		    at[i] != pat[i])
			return 0;
	return 1;
}

/*
 * Checks a 201 answer: the case reference, a well-formed token, and a
 * receipt signed with the server's receipt key over that case, its time
 * and the hash of exactly what we sent. On 0, *case_ref is borrowed from
 * reply and *canon is the token in secret memory.
 */
static int
receipt_check(const json_t *reply, const struct submission *s,
    const struct server_keys *k, const char **case_ref, char **canon)
{
	struct crypto_content	 content;
	uint8_t			 mine[CRYPTO_HASH_BYTES];
	uint8_t			 theirs[CRYPTO_HASH_BYTES];
	uint8_t			 sig[CRYPTO_SIG_BYTES];
	const json_t		*rc_obj;
	const char		*ref, *tok, *rref, *at;
	char			*c = NULL;
	uint64_t		 seq;
	int			 year;

	if ((ref = client_json_str(reply, "case", "server's answer")) ==
	    NULL || (tok = client_json_str(reply, "token",
	    "server's answer")) == NULL)
		return -1;
	if (core_case_ref_parse(ref, &year, &seq) == -1) {
		client_err("the server's answer has a malformed case "
		    "reference");
		return -1;
	}
	if ((c = crypto_secret_alloc(CRYPTO_TOKEN_SYMBOLS + 1)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	if (crypto_token_parse(tok, strlen(tok), c) == -1) {
		client_err("the server's answer has a malformed token");
		goto fail;
	}
	rc_obj = json_object_get(reply, "receipt");
	if (!json_is_object(rc_obj) ||
	    (rref = client_json_str(rc_obj, "case", "receipt")) == NULL ||
	    (at = client_json_str(rc_obj, "at", "receipt")) == NULL ||
	    client_json_get_b64(rc_obj, "content_hash", theirs,
	    sizeof(theirs), "receipt") == -1 ||
	    client_json_get_b64(rc_obj, "signature", sig, sizeof(sig),
	    "receipt") == -1) {
		client_err("the server's answer has no valid receipt for case "
		    "%s", ref);
		goto fail;
	}
	if (strcmp(rref, ref) != 0) {
		client_err("the server's receipt is not for case %s", ref);
		goto fail;
	}
	if (!time_ok(at)) {
		client_err("the server's receipt for case %s has a malformed "
		    "time", ref);
		goto fail;
	}
	memset(&content, 0, sizeof(content));
	content.kind = s->kind;
	content.title = s->title;
	content.body = s->body;
	content.agency = s->agency;
	content.category = s->category;
	content.location = s->location;
	content.occurred_on = s->occurred_on;
	content.visibility = s->visibility;
	crypto_content_hash(&content, mine);
	if (!crypto_equal(mine, theirs, sizeof(mine))) {
		client_err("the server's receipt for case %s is for other "
		    "content than was sent", ref);
		goto fail;
	}
	if (crypto_receipt_verify(k->receipt_key, ref, at, theirs, sig) == -1) {
		client_err("the signature on the server's receipt for case %s "
		    "does not verify with its receipt key", ref);
		goto fail;
	}
	*case_ref = ref;
	*canon = c;
	return 0;
fail:
	crypto_secret_free(c);
	return -1;
}

/* Posts the report; retries once with fresh keys if the escrow key
 * changed between GET /keys and the POST. 201 reply on 0. */
static int
post_report(const struct client_net *net, json_t *o,
    const struct submission *s, struct server_keys *k, json_t **out)
{
	json_t		*reply = NULL;
	const char	*code;
	char		*text = NULL;
	long		 status;
	int		 attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		json_decref(reply);
		reply = NULL;
		client_mem_free(text);
		text = NULL;
		if (keys_get(net, s->identity != NULL, k) == -1)
			goto fail;
		if (s->identity != NULL &&
		    identity_seal(o, s->identity, k) == -1)
			goto fail;
		if (pow_add(net, o) == -1)
			goto fail;
		if ((text = json_dumps(o, JSON_COMPACT)) == NULL) {
			client_err("out of memory");
			goto fail;
		}
		if (client_http(net, "POST", "/reports", NULL, text,
		    strlen(text), &status, &reply) == -1)
			goto fail;
		if (status == 201)
			break;
		code = client_http_error_code(reply);
		if (status == 409 && code != NULL &&
		    strcmp(code, "escrow_changed") == 0 && attempt == 0)
			continue;
		client_http_error(status, reply);
		goto fail;
	}
	client_mem_free(text);
	*out = reply;
	return 0;
fail:
	client_mem_free(text);
	json_decref(reply);
	return -1;
}

int
cmd_submit(int argc, char *const argv[])
{
	struct client_args	 a;
	struct client_net	 net = { NULL, NULL };
	struct submission	 s = { 0 };
	struct server_keys	 keys;
	json_t			*o = NULL, *reply = NULL;
	const char		*token_out, *case_ref;
	char			 err[160], *body = NULL, *canon = NULL;
	size_t			 bodylen, nattach;
	int			 rc = CLIENT_EXIT_FAIL;

	if (client_args_parse(argc, argv, submit_opts,
	    sizeof(submit_opts) / sizeof(submit_opts[0]), &a, err,
	    sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "submit");
		return CLIENT_EXIT_OK;
	}
	(void)client_arg_multi(&a, "attach", &nattach);
	if (nattach > 0) {
		client_err("attachments are not supported by this server yet");
		return CLIENT_EXIT_USAGE;
	}
	memset(&s, 0, sizeof(s));
	s.kind = client_arg(&a, "kind");
	if (s.kind == NULL)
		s.kind = core_kind_name(CORE_KIND_COMPLAINT);
	if (core_kind_parse(s.kind) < 0) {
		client_err("--kind must be complaint, aspiration or "
		    "information_request");
		return CLIENT_EXIT_USAGE;
	}
	s.title = client_arg(&a, "title");
	s.agency = client_arg(&a, "agency");
	s.category = client_arg(&a, "category");
	s.location = client_arg(&a, "location");
	s.occurred_on = client_arg(&a, "occurred-on");
	s.visibility = core_visibility_name(client_arg_given(&a, "public") ?
	    CORE_VIS_PUBLIC : CORE_VIS_CONFIDENTIAL);
	token_out = client_arg(&a, "token-out");
	if (client_net_init(&net, client_arg(&a, "server"),
	    client_arg(&a, "proxy")) == -1)
		return CLIENT_EXIT_USAGE;
	/* Refused now: finding out after filing would leave a token unsaved. */
	if (token_out != NULL && client_path_exists(token_out)) {
		client_err("%s already exists; choose a new file for the token",
		    token_out);
		goto out;
	}
	if (client_file_read(client_arg(&a, "body-file"), CLIENT_BODYFILE_MAX,
	    0, "body file", &body, &bodylen) == -1)
		goto out;
	strip_final_newlines(body, &bodylen);
	/* A NUL would silently cut the body short on its way into JSON. */
	if (!core_text_ok(body, bodylen)) {
		client_err("the body file must hold UTF-8 text without NUL or "
		    "control characters");
		goto out;
	}
	s.body = body;
	if (client_arg(&a, "identity-file") != NULL &&
	    identity_read(client_arg(&a, "identity-file"), &s.identity) == -1)
		goto out;
	if ((o = report_json(&s)) == NULL)
		goto out;
	if (report_check(o, s.identity) == -1)
		goto out;
	if (post_report(&net, o, &s, &keys, &reply) == -1)
		goto out;
	if (receipt_check(reply, &s, &keys, &case_ref, &canon) == -1)
		goto out;
	printf("case: %s\n", case_ref);
	client_token_print("token", canon);
	printf("receipt verified: the server signed case %s for exactly the "
	    "report that was sent\n", case_ref);
	printf("keep the token secret and safe: it is the only way to follow "
	    "this case and is not shown again\n");
	if (token_out != NULL && client_token_write(token_out, canon,
	    CLIENT_WRITE_EXCL) == -1)
		goto out;
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(canon);
	json_decref(reply);
	json_decref(o);
	json_decref(s.identity);
	client_mem_free(body);
	client_net_free(&net);
	return rc;
}
