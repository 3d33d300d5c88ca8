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
 *
 * The escrow key comes from the server (GET /keys), whose operator is the
 * one party the sealing guards against: an operator who serves its own
 * key reads the identity and re-seals it to the real one. So the key's
 * fingerprint is pinned when the reporter can (--escrow-fingerprint, then
 * BISIK_ESCROW_FINGERPRINT, then the configuration file), compared with
 * what the agency publishes where the server has no say, and a key that
 * does not match is refused before the report leaves this machine.
 * Without a pin the fingerprint sealed to is printed with how to check
 * it. The identity is sealed bound to the report (its content hash), and
 * the receipt must commit to the sealed identity's hash and name the
 * audit chain's head at filing, the reporter's witness of that history.
 *
 * Attachments (--attach) are checked (type, size, count) before anything
 * is sent, then uploaded one by one with the new token once the report is
 * filed (attach.c), since the API takes files only for an existing case.
 * If one of them then fails, the report stays filed: the case and token
 * have been printed (and the token file written) before the first upload,
 * and the error says which file failed and why.
 */
#include <inttypes.h>
#include <stdlib.h>
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

/* Values from GET /keys (the escrow key only once the pin, if any,
 * matched), and what was sealed with them. */
struct server_keys {
	uint8_t		receipt_key[CRYPTO_SIGN_PK_BYTES];
	uint8_t		escrow_key[CRYPTO_POINT_BYTES];
	int		has_escrow;
	const char	*pin;		/* the pinned fingerprint, or NULL */
	const char	*pin_from;	/* where it came from, for messages */
	int		sealed;		/* an identity was sealed */
	uint8_t		identity_hash[CRYPTO_HASH_BYTES];
};

/* The environment variable that pins the escrow fingerprint. */
#define ENV_ESCROW_FP	"BISIK_ESCROW_FINGERPRINT"

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
	{ "receipt-out", CLIENT_OPT_ARG },
	{ "escrow-fingerprint", CLIENT_OPT_ARG },
	{ "config", CLIENT_OPT_ARG },
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

/*
 * Reads the identity file: a JSON object of the known text fields, each
 * of at most CORE_IDENTITY_FIELD_MAX characters (docs/openapi.yaml,
 * Report.identity; the format is in `bisik help submit` and bisik(1)).
 */
static int
identity_read(const char *path, json_t **out)
{
	struct core_errors	 errs;
	json_t			*root = NULL, *v;
	const char		*key;
	char			*buf = NULL, field[32];
	char			 said[CLIENT_EXPLAIN_MAX];
	size_t			 len, i;
	long			 chars;

	if (client_file_read(path, CLIENT_IDFILE_MAX, 1, "identity file", &buf,
	    &len) == -1)
		return -1;
	memset(&errs, 0, sizeof(errs));
	if (core_json_parse(buf, len, CLIENT_JSON_DEPTH, &root, &errs) != 0 ||
	    !json_is_object(root)) {
		client_err("the identity file %s must be one JSON object such "
		    "as {\"name\": \"...\", \"phone\": \"...\"}%s%s", path,
		    errs.message != NULL ? ": " : "",
		    errs.message != NULL ? errs.message : "");
		goto fail;
	}
	if (json_object_size(root) == 0) {
		client_err("the identity file %s holds no field; leave "
		    "--identity-file out to report anonymously", path);
		goto fail;
	}
	json_object_foreach(root, key, v) {
		for (i = 0; i < NIDFIELDS; i++)
			if (strcmp(key, identity_fields[i]) == 0)
				break;
		if (i == NIDFIELDS) {
			client_err("the identity file may hold only the fields "
			    "name, email, phone, nik and address");
			goto fail;
		}
		if (!json_is_string(v)) {
			client_err("the identity file's \"%s\" must be text "
			    "in quotes", key);
			goto fail;
		}
		chars = core_utf8_len(json_string_value(v),
		    json_string_length(v));
		if (chars > CORE_IDENTITY_FIELD_MAX ||
		    !core_text_ok(json_string_value(v),
		    json_string_length(v))) {
			snprintf(field, sizeof(field), "identity.%s", key);
			client_explain(CLIENT_CTX_REPORT, field,
			    chars > CORE_IDENTITY_FIELD_MAX ? "too long" :
			    "invalid", chars, said, sizeof(said));
			client_err("%s", said);
			goto fail;
		}
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
	json_t			*fields;
	char			*text = NULL, said[4 * CLIENT_EXPLAIN_MAX];
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
		/* Every problem at once, each naming its limit, on one
		 * line: "the title (--title) must be 5 to 200 characters;
		 * it has 3, and ...". */
		if (errs.nfields == 0) {
			client_err("the report is not valid: %s",
			    errs.message != NULL ? errs.message :
			    "it was refused");
			goto out;
		}
		if ((fields = json_object()) == NULL) {
			client_err("out of memory");
			goto out;
		}
		for (i = 0; i < errs.nfields && i < CORE_FIELDS_MAX; i++)
			json_object_set_new(fields, errs.field[i],
			    json_string(errs.reason[i]));
		client_explain_fields(CLIENT_CTX_REPORT, fields, o, said,
		    sizeof(said));
		json_decref(fields);
		client_err("%s", said);
		goto out;
	}
	core_report_free(&rep);
	rc = 0;
out:
	client_mem_free(text);
	json_object_del(o, "identity");
	return rc;
}

/* A typed fingerprint has the 52 symbols of one (any case, dashes and
 * spaces anywhere, O for 0, I and L for 1), whatever key it names. */
static int
fp_wellformed(const char *s)
{
	static const char	alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	size_t			n = 0;
	int			c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == 'O' || c == 'I' || c == 'L')
			c = '0';
		if (strchr(alphabet, c) == NULL || c == '\0')
			return 0;
		n++;
	}
	return n == CRYPTO_ESCROW_FP_SYMBOLS;
}

int
client_keys_parse(const json_t *reply, int need_escrow, const char *pin,
    const char *pin_from, uint8_t receipt_key[CRYPTO_SIGN_PK_BYTES],
    uint8_t escrow_key[CRYPTO_POINT_BYTES], int *has_escrow)
{
	const json_t	*ek;
	char		 fp[CRYPTO_ESCROW_FP_TEXT];

	if (client_json_get_b64(reply, "receipt_key", receipt_key,
	    CRYPTO_SIGN_PK_BYTES, "server's key list") == -1)
		return -1;
	*has_escrow = 0;
	ek = json_object_get(reply, "escrow_key");
	if (pin != NULL && (ek == NULL || json_is_null(ek))) {
		client_err("the server publishes no escrow key, but one is "
		    "pinned (%s): this is not the server that key belongs to; "
		    "nothing was sent", pin_from);
		return -1;
	}
	if (need_escrow || pin != NULL) {
		if (ek == NULL || json_is_null(ek)) {
			client_err("the server has no escrow key installed, so "
			    "it cannot take a sealed identity; leave "
			    "--identity-file out or try later");
			return -1;
		}
		if (client_json_get_b64(reply, "escrow_key", escrow_key,
		    CRYPTO_POINT_BYTES, "server's key list") == -1)
			return -1;
		if (crypto_point_check(escrow_key) == -1) {
			client_err("the server's escrow key is not a valid "
			    "public key");
			return -1;
		}
		/* The pin is checked against the key itself; the server's
		 * "escrow_fingerprint" is for people and never read here. */
		if (pin != NULL && crypto_escrow_fingerprint_match(pin,
		    escrow_key) == -1) {
			crypto_escrow_fingerprint(escrow_key, fp);
			client_err("the server's escrow key (fingerprint %s) "
			    "is not the one pinned (%s): its operator could "
			    "read your identity; nothing was sent", fp,
			    pin_from);
			return -1;
		}
		*has_escrow = 1;
	}
	return 0;
}

static int
keys_get(const struct client_net *net, int need_escrow, struct server_keys *k)
{
	json_t	*reply = NULL;
	long	 status;
	int	 rc = -1;

	if (client_http(net, "GET", "/keys", NULL, NULL, 0, &status,
	    &reply) == -1)
		return -1;
	if (status != 200)
		client_http_error(status, reply);
	else
		rc = client_keys_parse(reply, need_escrow, k->pin, k->pin_from,
		    k->receipt_key, k->escrow_key, &k->has_escrow);
	json_decref(reply);
	return rc;
}

/* The report's content hash: the binding of its identity and what the
 * receipt must sign. */
static void
content_hash(const struct submission *s, uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_content	content;

	memset(&content, 0, sizeof(content));
	content.kind = s->kind;
	content.title = s->title;
	content.body = s->body;
	content.agency = s->agency;
	content.category = s->category;
	content.location = s->location;
	content.occurred_on = s->occurred_on;
	content.visibility = s->visibility;
	crypto_content_hash(&content, out);
}

/* Seals the identity to the escrow key, bound to this report, and sets
 * "sealed_identity"; keeps the sealed bytes' hash for the receipt. */
static int
identity_seal(json_t *o, const struct submission *s, struct server_keys *k)
{
	json_t	*identity = s->identity;
	uint8_t	 binding[CRYPTO_HASH_BYTES];
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
	if ((sealed = client_mem_alloc(CRYPTO_IDENTITY_SEALED_BYTES)) ==
	    NULL) {
		client_err("out of memory");
		goto out;
	}
	content_hash(s, binding);
	if (crypto_identity_seal(k->escrow_key, binding, plain, len,
	    sealed) == -1) {
		client_err("cannot seal the identity");
		goto out;
	}
	if (json_object_set_new(o, "sealed_identity", client_json_b64(sealed,
	    CRYPTO_IDENTITY_SEALED_BYTES)) == -1) {
		client_err("out of memory");
		goto out;
	}
	crypto_identity_hash(sealed, CRYPTO_IDENTITY_SEALED_BYTES,
	    k->identity_hash);
	k->sealed = 1;
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

static int
hex_decode(const char *s, uint8_t *out, size_t len)
{
	static const char	digits[] = "0123456789abcdef";
	const char		*hi, *lo;
	size_t			 i;

	if (s == NULL || strlen(s) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[2 * i] == '\0' || s[2 * i + 1] == '\0' ||
		    (hi = strchr(digits, s[2 * i])) == NULL ||
		    (lo = strchr(digits, s[2 * i + 1])) == NULL)
			return -1;
		out[i] = (uint8_t)((hi - digits) << 4 | (lo - digits));
	}
	return 0;
}

int
client_receipt_check(const json_t *reply,
    const uint8_t content[CRYPTO_HASH_BYTES],
    const uint8_t receipt_key[CRYPTO_SIGN_PK_BYTES],
    const uint8_t *identity_hash, const char **case_ref, char **canon)
{
	struct crypto_receipt	 r;
	uint8_t			 sig[CRYPTO_SIG_BYTES];
	const json_t		*rc_obj, *seq_j, *ih;
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
	memset(&r, 0, sizeof(r));
	rc_obj = json_object_get(reply, "receipt");
	seq_j = json_object_get(rc_obj, "audit_seq");
	if (!json_is_object(rc_obj) ||
	    (rref = client_json_str(rc_obj, "case", "receipt")) == NULL ||
	    (at = client_json_str(rc_obj, "at", "receipt")) == NULL ||
	    client_json_get_b64(rc_obj, "content_hash", r.content_hash,
	    sizeof(r.content_hash), "receipt") == -1 ||
	    !json_is_integer(seq_j) || json_integer_value(seq_j) < 0 ||
	    hex_decode(json_string_value(json_object_get(rc_obj,
	    "audit_head")), r.audit_head, sizeof(r.audit_head)) == -1 ||
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
	r.case_ref = ref;
	r.at = at;
	r.audit_seq = (uint64_t)json_integer_value(seq_j);
	if ((ih = json_object_get(rc_obj, "identity_hash")) != NULL &&
	    json_is_null(ih))
		ih = NULL;
	if ((ih != NULL) != (identity_hash != NULL) || (ih != NULL &&
	    client_json_get_b64(rc_obj, "identity_hash", r.identity_hash,
	    sizeof(r.identity_hash), "receipt") == -1) || (ih != NULL &&
	    !crypto_equal(r.identity_hash, identity_hash,
	    CRYPTO_HASH_BYTES))) {
		client_err("the server's receipt for case %s is not for the "
		    "sealed identity that was sent", ref);
		goto fail;
	}
	r.has_identity = identity_hash != NULL;
	if (!crypto_equal(content, r.content_hash, CRYPTO_HASH_BYTES)) {
		client_err("the server's receipt for case %s is for other "
		    "content than was sent", ref);
		goto fail;
	}
	if (crypto_receipt_verify(receipt_key, &r, sig) == -1) {
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

/* Writes the receipt (with the receipt key) to a new file, 0600: it
 * says which case its holder filed. */
static int
receipt_write(const char *path, const json_t *reply,
    const struct server_keys *k)
{
	json_t	*o;
	char	*text = NULL;
	size_t	 len;
	int	 rc = -1;

	if ((o = json_deep_copy(json_object_get(reply, "receipt"))) == NULL ||
	    json_object_set_new(o, "receipt_key", client_json_b64(
	    k->receipt_key, sizeof(k->receipt_key))) == -1) {
		client_err("out of memory");
		goto out;
	}
	if (client_json_dump(o, &text, &len) == -1)
		goto out;
	rc = client_file_write(path, text, len, 0600, CLIENT_WRITE_EXCL,
	    "receipt file");
out:
	client_mem_free(text);
	json_decref(o);
	return rc;
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
		if (s->identity != NULL && identity_seal(o, s, k) == -1)
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
	struct client_config	 cfg = { NULL, NULL, NULL, "" };
	json_t			*o = NULL, *reply = NULL;
	const char		*token_out, *receipt_out, *case_ref, *at;
	const char		*server, *proxy;
	const char *const	*attach;
	char			 err[160], *body = NULL, *canon = NULL;
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	char			 pin_from[PATH_MAX + 32];
	char			 tbuf[CLIENT_TIME_TEXT];
	char			 why[2 * CLIENT_EXPLAIN_MAX];
	char			 failed[8 * CLIENT_EXPLAIN_MAX];
	uint8_t			 content[CRYPTO_HASH_BYTES];
	size_t			 bodylen, nattach, nfailed = 0;
	int			 rc = CLIENT_EXIT_FAIL, saved = 0, rsaved = 0;

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
	failed[0] = '\0';
	attach = client_arg_multi(&a, "attach", &nattach);
	if (nattach > CLIENT_ATTACH_PER_CASE) {
		client_err("a case takes at most %d attachments; %zu were "
		    "given", CLIENT_ATTACH_PER_CASE, nattach);
		return CLIENT_EXIT_FAIL;
	}
	memset(&s, 0, sizeof(s));
	s.kind = client_arg(&a, "kind");
	if (s.kind == NULL)
		s.kind = core_kind_name(CORE_KIND_COMPLAINT);
	if (core_kind_parse(s.kind) < 0) {
		client_explain(CLIENT_CTX_REPORT, "kind", "invalid", -1, why,
		    sizeof(why));
		client_err("%s", why);
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
	receipt_out = client_arg(&a, "receipt-out");
	/* What the command line says comes first, then the environment,
	 * then the configuration file (bisik(1), FILES). */
	if (client_config_load(client_arg(&a, "config"), &cfg) == -1)
		return CLIENT_EXIT_USAGE;
	memset(&keys, 0, sizeof(keys));
	if ((keys.pin = client_arg(&a, "escrow-fingerprint")) != NULL)
		snprintf(pin_from, sizeof(pin_from), "--escrow-fingerprint");
	else if ((keys.pin = getenv(ENV_ESCROW_FP)) != NULL &&
	    keys.pin[0] != '\0')
		snprintf(pin_from, sizeof(pin_from), "%s", ENV_ESCROW_FP);
	else if ((keys.pin = cfg.escrow_fingerprint) != NULL)
		snprintf(pin_from, sizeof(pin_from), "escrow-fingerprint in %s",
		    cfg.path);
	else
		keys.pin = NULL;
	keys.pin_from = pin_from;
	if (keys.pin != NULL && !fp_wellformed(keys.pin)) {
		client_err("the pinned escrow fingerprint (%s) is not one: it "
		    "has 52 symbols in 13 groups of 4", pin_from);
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	/* After the command, before it (main.c), then the file. */
	server = client_arg(&a, "server");
	proxy = client_arg(&a, "proxy");
	if (client_net_init_or(&net, server, proxy, cfg.server,
	    cfg.proxy) == -1) {
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	/* Refused now: finding out after filing would leave a token unsaved. */
	if (token_out != NULL && client_path_exists(token_out)) {
		client_err("%s already exists; choose a new file for the token",
		    token_out);
		goto out;
	}
	if (receipt_out != NULL && client_path_exists(receipt_out)) {
		client_err("%s already exists; choose a new file for the "
		    "receipt", receipt_out);
		goto out;
	}
	if (client_file_read(client_arg(&a, "body-file"), CLIENT_BODYFILE_MAX,
	    0, "body file", &body, &bodylen) == -1)
		goto out;
	strip_final_newlines(body, &bodylen);
	/* A NUL would silently cut the body short on its way into JSON. */
	if (!core_text_ok(body, bodylen)) {
		client_explain(CLIENT_CTX_REPORT, "body", "invalid", -1, why,
		    sizeof(why));
		client_err("%s", why);
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
	/* Every file is checked before the report is filed. */
	if (client_files_check(attach, nattach) == -1)
		goto out;
	if (post_report(&net, o, &s, &keys, &reply) == -1)
		goto out;
	content_hash(&s, content);
	if (client_receipt_check(reply, content, keys.receipt_key,
	    keys.sealed ? keys.identity_hash : NULL, &case_ref, &canon) == -1)
		goto out;
	printf("case: %s\n", case_ref);
	client_token_print("token", canon);
	at = json_string_value(json_object_get(json_object_get(reply,
	    "receipt"), "at"));
	if (at != NULL && client_time_wib(at, tbuf) == 0)
		printf("filed: %s\n", tbuf);
	printf("receipt verified: the server signed case %s for exactly the "
	    "report that was sent\n", case_ref);
	printf("keep the token secret and safe: it is the only way to follow "
	    "this case and is not shown again\n");
	printf("audit head at filing: %" PRId64 ":%s (kept in the receipt: "
	    "a witness of the audit log as it stood)\n",
	    (int64_t)json_integer_value(json_object_get(json_object_get(reply,
	    "receipt"), "audit_seq")), json_string_value(json_object_get(
	    json_object_get(reply, "receipt"), "audit_head")));
	if (keys.sealed) {
		crypto_escrow_fingerprint(keys.escrow_key, fp);
		if (keys.pin != NULL)
			printf("identity sealed to the pinned escrow key %s\n",
			    fp);
		else
			printf("identity sealed to escrow key %s\ncheck this "
			    "fingerprint against the one the agency publishes "
			    "where this server has no say (its official "
			    "website, its posters); pin it with "
			    "--escrow-fingerprint or %s so that a different "
			    "key is refused before anything is sent\n", fp,
			    ENV_ESCROW_FP);
	}
	/* The token and the receipt are saved before the first upload. */
	saved = token_out != NULL && client_token_write(token_out, canon,
	    CLIENT_WRITE_EXCL) == 0;
	rsaved = receipt_out == NULL || receipt_write(receipt_out, reply,
	    &keys) == 0;
	/* The report is filed: a file that fails now is told, the others
	 * are still sent. */
	nfailed = client_files_send(&net, canon, attach, nattach, failed,
	    sizeof(failed));
	if (nfailed > 0) {
		client_err("the report IS filed as case %s (its token is "
		    "printed above%s%s), but %zu of %zu attachments were not "
		    "added: %s; add them with `bisik attach --token-file "
		    "FILE ...`", case_ref, saved ? " and in " : "",
		    saved ? token_out : "", nfailed, nattach, failed);
		goto out;
	}
	if (token_out != NULL && !saved)
		goto out;
	if (!rsaved)
		goto out;
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(canon);
	json_decref(reply);
	json_decref(o);
	json_decref(s.identity);
	client_mem_free(body);
	client_net_free(&net);
	client_config_free(&cfg);
	return rc;
}
