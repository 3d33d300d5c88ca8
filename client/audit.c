/*
 * audit.c: `bisik audit verify`, the auditor's check of the audit chain
 * through the API.
 *
 * It signs in, takes the signed head (GET /audit/head) first and then
 * every entry up to it (GET /audit?after=, page by page), recomputes the
 * chain from each entry's "canonical" text (the exact bytes the server
 * hashed; the fields beside it are only a reading of it and must agree
 * with it) and checks the head's signature against the audit key of
 * GET /keys, or against --audit-key when the auditor pinned it. The rules
 * and the sentences are crypto/audit.c's, the same ones `bisikd audit
 * verify` applies to the data directory, so both name the same entry.
 *
 * Entries appended after the head was read (the sign-in of this very
 * command among them) are not part of this check; the next run covers
 * them. A server that answers wrongly cannot make this pass: it can only
 * refuse to answer, which is a failure too.
 *
 * A chain that checks is not yet one that was never rewritten: root on
 * the server holds the audit key and can cut the chain, or change an
 * entry and hash and sign everything after it anew. What it cannot do is
 * change what others saw before. So the check also holds the chain to
 * heads seen earlier, each a checkpoint (seq, h_seq) the chain must still
 * pass through: the head this command verified last time for this server
 * (kept in a state file, --state FILE or the user's state directory),
 * every --expect SEQ:HASH (a head published on /statistik, in the Atom
 * feed, or in a report), and every --receipt FILE (the head a reporter's
 * signed receipt names). A chain shorter than a checkpoint, or with
 * another hash there, fails, and the remembered head is left as it was.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

/* Pages fetched at most: a chain of 10^9 entries at the server's 1000
 * a page; a server that keeps answering beyond is stopped. */
#define PAGES_MAX	1000000

/* The state file's name in the user's state directory; its lines are
 * "<API base URL> <seq> <hex of h_seq> <audit key, base64>", one per
 * server: a server whose audit key changed since is refused, since a new
 * key could sign any history. */
#define STATE_NAME	"audit-heads"
/* A state file holds a line per server an auditor checks: a few. */
#define STATE_FILE_MAX	(256 * 1024)
/* Checkpoints: the remembered head, --expect and --receipt values. */
#define CHECKPOINTS_MAX	(1 + 2 * CLIENT_MULTI_MAX)
/* A receipt file is a few hundred bytes. */
#define RECEIPT_FILE_MAX (16 * 1024)

static const struct client_optspec verify_opts[] = {
	{ "username", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "password-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "totp", CLIENT_OPT_ARG },
	{ "audit-key", CLIENT_OPT_ARG },
	{ "state", CLIENT_OPT_ARG },
	{ "expect", CLIENT_OPT_ARG | CLIENT_OPT_MULTI },
	{ "receipt", CLIENT_OPT_ARG | CLIENT_OPT_MULTI },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};

/* A head the chain must still pass through. */
struct checkpoint {
	uint64_t	seq;
	uint8_t		hash[CRYPTO_HASH_BYTES];
	char		what[96];	/* where it came from, for messages */
};
struct checkpoints {
	struct checkpoint	cp[CHECKPOINTS_MAX];
	size_t			n;
	int			bad;		/* the first broken one + 1 */
};
#define NOPTS(a)	(sizeof(a) / sizeof((a)[0]))

/* The fields shown beside an entry's canonical text. */
static const char *const shown[] = {
	"at", "actor", "action", "case", "request", "detail",
};

static int
hex_decode(const char *s, uint8_t *out, size_t len)
{
	size_t	i;
	int	hi, lo;

	if (s == NULL || strlen(s) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		hi = s[2 * i];
		lo = s[2 * i + 1];
		hi = hi >= '0' && hi <= '9' ? hi - '0' : hi >= 'a' && hi <= 'f' ?
		    hi - 'a' + 10 : -1;
		lo = lo >= '0' && lo <= '9' ? lo - '0' : lo >= 'a' && lo <= 'f' ?
		    lo - 'a' + 10 : -1;
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void
hex_encode(const uint8_t *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* ---- sign-in ------------------------------------------------------------- */

static void
logout(const struct client_net *net, const char *session)
{
	json_t	*reply = NULL;
	long	 status;

	if (client_http(net, "POST", "/auth/logout", session, NULL, 0, &status,
	    &reply) == 0 && status != 204 && status != 200)
		client_http_error(status, reply);
	json_decref(reply);
}

/* ---- the chain ------------------------------------------------------------ */

/* GET path with the session; the 200 answer (an object) into *out. */
static int
get_json(const struct client_net *net, const char *session, const char *path,
    json_t **out)
{
	json_t	*reply = NULL;
	long	 status;

	if (client_http(net, "GET", path, session, NULL, 0, &status,
	    &reply) == -1)
		return -1;
	if (status != 200 || !json_is_object(reply)) {
		client_http_error(status, reply);
		json_decref(reply);
		return -1;
	}
	*out = reply;
	return 0;
}

/* The audit key: the server's (GET /keys), which must equal a pinned one;
 * and its receipt key. */
static int
audit_key(const struct client_net *net, const char *pinned,
    uint8_t pk[CRYPTO_SIGN_PK_BYTES], uint8_t rk[CRYPTO_SIGN_PK_BYTES])
{
	uint8_t	 pin[CRYPTO_SIGN_PK_BYTES];
	json_t	*keys;
	size_t	 n;
	int	 rc;

	if (get_json(net, NULL, "/keys", &keys) == -1)
		return -1;
	rc = client_json_get_b64(keys, "audit_key", pk, CRYPTO_SIGN_PK_BYTES,
	    "the server's keys");
	if (rc == 0)
		rc = client_json_get_b64(keys, "receipt_key", rk,
		    CRYPTO_SIGN_PK_BYTES, "the server's keys");
	json_decref(keys);
	if (rc == -1 || pinned == NULL)
		return rc;
	if (crypto_b64_decode(pinned, strlen(pinned), pin, sizeof(pin),
	    &n) == -1 || n != sizeof(pin) ||
	    !crypto_equal(pin, pk, CRYPTO_SIGN_PK_BYTES)) {
		client_err("the server's audit key is not the one given with "
		    "--audit-key");
		return -1;
	}
	return 0;
}

struct head {
	uint64_t	seq;
	int		present;
	uint8_t		hash[CRYPTO_HASH_BYTES];
	uint8_t		sig[CRYPTO_SIG_BYTES];
};

static int
get_head(const struct client_net *net, const char *session,
    const uint8_t pk[CRYPTO_SIGN_PK_BYTES], struct head *h)
{
	uint8_t		 key[CRYPTO_SIGN_PK_BYTES];
	json_t		*o = NULL, *seq, *hash, *sig;
	size_t		 n;
	int		 rc = -1;

	memset(h, 0, sizeof(*h));
	if (get_json(net, session, "/audit/head", &o) == -1)
		return -1;
	seq = json_object_get(o, "seq");
	hash = json_object_get(o, "hash");
	sig = json_object_get(o, "signature");
	if (!json_is_integer(seq) || json_integer_value(seq) < 0 ||
	    client_json_get_b64(o, "audit_key", key, sizeof(key),
	    "the audit head") == -1) {
		client_err("the server's audit head is malformed");
		goto out;
	}
	if (!crypto_equal(key, pk, sizeof(key))) {
		client_err("the audit head names another audit key than "
		    "GET /keys");
		goto out;
	}
	h->seq = (uint64_t)json_integer_value(seq);
	if (json_is_null(hash) && json_is_null(sig)) {
		rc = 0;		/* an empty chain */
		goto out;
	}
	/* A head the server cannot even spell is judged as a forged one. */
	h->present = 1;
	if (hex_decode(json_string_value(hash), h->hash, sizeof(h->hash)) ==
	    -1 || !json_is_string(sig) || crypto_b64_decode(json_string_value(
	    sig), json_string_length(sig), h->sig, sizeof(h->sig), &n) == -1 ||
	    n != sizeof(h->sig)) {
		memset(h->hash, 0, sizeof(h->hash));
		memset(h->sig, 0, sizeof(h->sig));
	}
	rc = 0;
 out:
	json_decref(o);
	return rc;
}

/* The canonical bytes of an entry: "canonical" text, else
 * "canonical_base64" (a stored entry that is not UTF-8). *buf is
 * client_mem_alloc()ed when decoded. */
static int
entry_bytes(const json_t *e, const char **p, size_t *len, uint8_t **buf)
{
	const json_t	*t = json_object_get(e, "canonical");
	const json_t	*b = json_object_get(e, "canonical_base64");
	size_t		 n;

	*buf = NULL;
	if (json_is_string(t)) {
		*p = json_string_value(t);
		*len = json_string_length(t);
		return 0;
	}
	if (!json_is_string(b))
		return -1;
	n = json_string_length(b);
	if ((*buf = client_mem_alloc(n + 1)) == NULL ||
	    crypto_b64_decode(json_string_value(b), n, *buf, n, len) == -1) {
		client_mem_free(*buf);
		*buf = NULL;
		return -1;
	}
	*p = (const char *)*buf;
	return 0;
}

/*
 * Checks one served entry. 1 when the fields shown beside the canonical
 * text do not agree with it (then *mismatch names the entry), else the
 * result of crypto_audit_check_entry.
 */
int
client_audit_entry_check(struct crypto_audit_check *c, const json_t *e,
    uint64_t *mismatch)
{
	const json_t	*s = json_object_get(e, "seq");
	const char	*text;
	uint8_t		 h[CRYPTO_HASH_BYTES], *buf = NULL;
	uint64_t	 seq, claimed = 0;
	size_t		 len, i;
	json_t		*parsed = NULL, *cs;
	int		 rc, damaged;

	if (!json_is_object(e) || !json_is_integer(s) ||
	    json_integer_value(s) < 1)
		return crypto_audit_check_entry(c, c->count + 1, 0, NULL,
		    NULL, 0);
	seq = (uint64_t)json_integer_value(s);
	damaged = json_is_true(json_object_get(e, "damaged")) ||
	    hex_decode(json_string_value(json_object_get(e, "hash")), h,
	    sizeof(h)) == -1 || entry_bytes(e, &text, &len, &buf) == -1;
	if (damaged)
		return crypto_audit_check_entry(c, seq, 0, NULL, NULL, 0);
	parsed = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	cs = json_object_get(parsed, "seq");
	if (json_is_integer(cs) && json_integer_value(cs) > 0)
		claimed = (uint64_t)json_integer_value(cs);
	rc = crypto_audit_check_entry(c, seq, claimed, h, text, len);
	/* What a person reads must be what was hashed. */
	for (i = 0; rc == 0 && i < sizeof(shown) / sizeof(shown[0]); i++) {
		const json_t *a = json_object_get(e, shown[i]);
		const json_t *b = json_object_get(parsed, shown[i]);

		if ((a == NULL) != (b == NULL) ||
		    (a != NULL && !json_equal(a, b))) {
			*mismatch = seq;
			rc = 1;
		}
	}
	json_decref(parsed);
	client_mem_free(buf);
	return rc;
}

/* After entry c->count is accepted: every checkpoint there must have
 * its hash. */
static void
checkpoints_at(struct checkpoints *cps, const struct crypto_audit_check *c)
{
	size_t	i;

	for (i = 0; i < cps->n && cps->bad == 0; i++)
		if (cps->cp[i].seq == c->count &&
		    !crypto_equal(cps->cp[i].hash, c->hash, CRYPTO_HASH_BYTES))
			cps->bad = (int)i + 1;
}

/* Fetches and checks every entry up to the head; 1 on a field mismatch,
 * -1 if the server could not be read, else 0 (the outcome is in *c and
 * *cps). */
static int
walk(const struct client_net *net, const char *session, uint64_t upto,
    struct crypto_audit_check *c, uint64_t *mismatch,
    struct checkpoints *cps)
{
	char		 path[64];
	json_t		*page, *entries, *e;
	uint64_t	 after = 0;
	size_t		 i, pages;
	int		 rc = 0;

	for (pages = 0; c->count < upto && pages < PAGES_MAX; pages++) {
		snprintf(path, sizeof(path), "/audit?after=%" PRIu64, after);
		if (get_json(net, session, path, &page) == -1)
			return -1;
		entries = json_object_get(page, "entries");
		if (!json_is_array(entries)) {
			json_decref(page);
			client_err("the server's audit page is malformed");
			return -1;
		}
		if (json_array_size(entries) == 0) {
			json_decref(page);
			break;	/* the end: the head check says if too soon */
		}
		json_array_foreach(entries, i, e) {
			const json_t *s = json_object_get(e, "seq");

			/* Entries after the head came later: not ours. */
			if (json_is_integer(s) && json_integer_value(s) > 0 &&
			    (uint64_t)json_integer_value(s) > upto)
				break;
			if ((rc = client_audit_entry_check(c, e,
			    mismatch)) != 0)
				break;
			if (c->fault == CRYPTO_AUDIT_INTACT)
				checkpoints_at(cps, c);
		}
		json_decref(page);
		if (rc != 0 || c->fault != CRYPTO_AUDIT_INTACT)
			return rc == 1 ? 1 : 0;
		if (c->count == after)
			break;	/* nothing usable on this page */
		after = c->count;
	}
	return 0;
}

/* ---- checkpoints ------------------------------------------------------------ */

/* "SEQ:HASH" (decimal, 64 hex digits) into a checkpoint. */
static int
checkpoint_parse(const char *text, struct checkpoint *cp)
{
	const char	*colon = strchr(text, ':');
	char		 num[24];
	unsigned long long v;
	char		*end;
	size_t		 n, i;
	char		 hex[2 * CRYPTO_HASH_BYTES + 1];

	if (colon == NULL || (n = (size_t)(colon - text)) == 0 ||
	    n >= sizeof(num) || strlen(colon + 1) != 2 * CRYPTO_HASH_BYTES)
		return -1;
	memcpy(num, text, n);
	num[n] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return -1;
	v = strtoull(num, &end, 10);
	if (*end != '\0')
		return -1;
	for (i = 0; i < 2 * CRYPTO_HASH_BYTES; i++)
		hex[i] = (char)(colon[1 + i] >= 'A' && colon[1 + i] <= 'F' ?
		    colon[1 + i] - 'A' + 'a' : colon[1 + i]);
	hex[2 * CRYPTO_HASH_BYTES] = '\0';
	if (hex_decode(hex, cp->hash, sizeof(cp->hash)) == -1)
		return -1;
	cp->seq = (uint64_t)v;
	return 0;
}

static struct checkpoint *
checkpoint_add(struct checkpoints *cps)
{
	if (cps->n == CHECKPOINTS_MAX)
		return NULL;
	memset(&cps->cp[cps->n], 0, sizeof(cps->cp[0]));
	return &cps->cp[cps->n++];
}

/*
 * A reporter's receipt (`bisik submit --receipt-out`, or the web form's
 * download): its signature must verify with the server's receipt key,
 * and the head it names becomes a checkpoint.
 */
static int
receipt_checkpoint(const char *path, const uint8_t rk[CRYPTO_SIGN_PK_BYTES],
    struct checkpoints *cps)
{
	static const char *const keys[] = { "case", "at", "content_hash",
	    "identity_hash", "audit_seq", "audit_head", "signature",
	    "receipt_key" };
	struct crypto_receipt	 r;
	struct checkpoint	*cp;
	uint8_t			 sig[CRYPTO_SIG_BYTES];
	const json_t		*seq;
	json_t			*o = NULL;
	char			*buf = NULL;
	size_t			 len;
	int			 rc = -1;

	if (client_file_read(path, RECEIPT_FILE_MAX, 0, "receipt file", &buf,
	    &len) == -1)
		return -1;
	if (client_json_object(buf, len, keys, sizeof(keys) / sizeof(keys[0]),
	    NULL, "receipt file", &o) == -1)
		goto out;
	memset(&r, 0, sizeof(r));
	seq = json_object_get(o, "audit_seq");
	r.case_ref = json_string_value(json_object_get(o, "case"));
	r.at = json_string_value(json_object_get(o, "at"));
	r.has_identity = json_is_string(json_object_get(o, "identity_hash"));
	if (r.case_ref == NULL || r.at == NULL || !json_is_integer(seq) ||
	    json_integer_value(seq) < 0 ||
	    client_json_get_b64(o, "content_hash", r.content_hash,
	    sizeof(r.content_hash), "receipt file") == -1 ||
	    (r.has_identity && client_json_get_b64(o, "identity_hash",
	    r.identity_hash, sizeof(r.identity_hash), "receipt file") == -1) ||
	    hex_decode(json_string_value(json_object_get(o, "audit_head")),
	    r.audit_head, sizeof(r.audit_head)) == -1 ||
	    client_json_get_b64(o, "signature", sig, sizeof(sig),
	    "receipt file") == -1) {
		client_err("the receipt file %s is not a receipt with an audit "
		    "head", path);
		goto out;
	}
	r.audit_seq = (uint64_t)json_integer_value(seq);
	if (crypto_receipt_verify(rk, &r, sig) == -1) {
		client_err("the receipt %s does not verify with the server's "
		    "receipt key", path);
		goto out;
	}
	if ((cp = checkpoint_add(cps)) == NULL) {
		client_err("too many checkpoints");
		goto out;
	}
	cp->seq = r.audit_seq;
	memcpy(cp->hash, r.audit_head, sizeof(cp->hash));
	snprintf(cp->what, sizeof(cp->what), "the head in receipt %.60s",
	    path);
	rc = 0;
out:
	json_decref(o);
	client_mem_free(buf);
	return rc;
}

/* The state file's line for this server, if any, as a checkpoint; the
 * file's text into *text (client_mem_alloc, NULL when there is none). */
static int
state_load(const char *path, const char *server,
    const uint8_t pk[CRYPTO_SIGN_PK_BYTES], struct checkpoints *cps,
    char **text)
{
	struct checkpoint	*cp;
	char			*buf, tmp[192], *sp, *kp;
	char			 key[CRYPTO_SIGN_PK_BYTES * 2];
	const char		*line, *next;
	size_t			 len, n, slen = strlen(server);

	*text = NULL;
	if (access(path, F_OK) == -1)
		return 0;
	if (client_file_read(path, STATE_FILE_MAX, 0, "audit state file",
	    &buf, &len) == -1)
		return -1;
	*text = buf;
	for (line = buf; *line != '\0'; line = next) {
		n = strcspn(line, "\n");
		next = line[n] == '\n' ? line + n + 1 : line + n;
		if (n <= slen || strncmp(line, server, slen) != 0 ||
		    line[slen] != ' ')
			continue;
		if (n - slen - 1 >= sizeof(tmp))
			goto damaged;
		memcpy(tmp, line + slen + 1, n - slen - 1);
		tmp[n - slen - 1] = '\0';
		if ((sp = strchr(tmp, ' ')) == NULL ||
		    (kp = strchr(sp + 1, ' ')) == NULL)
			goto damaged;
		*sp = ':';
		*kp++ = '\0';
		if ((cp = checkpoint_add(cps)) == NULL ||
		    checkpoint_parse(tmp, cp) == -1)
			goto damaged;
		snprintf(cp->what, sizeof(cp->what), "the head this client "
		    "verified before");
		crypto_b64_encode(pk, CRYPTO_SIGN_PK_BYTES, key);
		if (strcmp(kp, key) != 0) {
			client_err("the server's audit key is not the one it "
			    "had when this client last verified its chain, and "
			    "a new key can sign any history; if it was replaced "
			    "on purpose, remove the line for %s from %s",
			    server, path);
			return -1;
		}
	}
	return 0;
damaged:
	client_err("the audit state file %s is damaged (the line for %s)",
	    path, server);
	return -1;
}

/* Writes the state file with this server's line set to the head. */
static int
state_save(const char *path, const char *server, const char *old,
    uint64_t seq, const uint8_t hash[CRYPTO_HASH_BYTES],
    const uint8_t pk[CRYPTO_SIGN_PK_BYTES])
{
	char		 hex[2 * CRYPTO_HASH_BYTES + 1], *out;
	char		 key[CRYPTO_SIGN_PK_BYTES * 2];
	const char	*line, *next;
	size_t		 slen = strlen(server), len = 0, cap, n;
	int		 rc;

	hex_encode(hash, CRYPTO_HASH_BYTES, hex);
	crypto_b64_encode(pk, CRYPTO_SIGN_PK_BYTES, key);
	cap = (old != NULL ? strlen(old) : 0) + slen + 192;
	if ((out = client_mem_alloc(cap)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	for (line = old; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		n = next != NULL ? (size_t)(next - line) + 1 : strlen(line);
		if (!(strncmp(line, server, slen) == 0 && line[slen] == ' ') &&
		    n > 1) {
			memcpy(out + len, line, n);
			len += n;
			if (out[len - 1] != '\n')
				out[len++] = '\n';
		}
		next = next != NULL ? next + 1 : NULL;
	}
	len += (size_t)snprintf(out + len, cap - len, "%s %llu %s %s\n",
	    server, (unsigned long long)seq, hex, key);
	rc = client_file_write(path, out, len, 0600, CLIENT_WRITE_REPLACE,
	    "audit state file");
	client_mem_free(out);
	return rc;
}

int
cmd_audit(int argc, char *const argv[])
{
	struct client_args		 args;
	struct client_net		 net = { 0 };
	struct crypto_audit_check	 c;
	struct checkpoints		*cps = NULL;
	struct checkpoint		*cp;
	struct head			 h;
	uint8_t				 pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t				 rk[CRYPTO_SIGN_PK_BYTES];
	uint64_t			 mismatch = 0;
	const char *const		*vals;
	char				 err[160], msg[256], *session = NULL;
	char				 state[PATH_MAX], *old = NULL;
	char				 hex[2 * CRYPTO_HASH_BYTES + 1];
	size_t				 nvals, i;
	int				 rc = CLIENT_EXIT_FAIL, w;

	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0)) {
		client_usage(stdout, "audit");
		return CLIENT_EXIT_OK;
	}
	if (argc < 1 || strcmp(argv[0], "verify") != 0) {
		client_err("usage: bisik audit verify ...; `bisik help audit` "
		    "says more");
		return CLIENT_EXIT_USAGE;
	}
	if (client_args_parse(argc - 1, argv + 1, verify_opts,
	    NOPTS(verify_opts), &args, err, sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (args.help) {
		client_usage(stdout, "audit");
		return CLIENT_EXIT_OK;
	}
	if (client_net_init(&net, client_arg(&args, "server"),
	    client_arg(&args, "proxy")) == -1)
		return CLIENT_EXIT_USAGE;
	if ((cps = calloc(1, sizeof(*cps))) == NULL) {
		client_err("out of memory");
		goto out;
	}
	vals = client_arg_multi(&args, "expect", &nvals);
	for (i = 0; i < nvals; i++) {
		if ((cp = checkpoint_add(cps)) == NULL ||
		    checkpoint_parse(vals[i], cp) == -1) {
			client_err("--expect takes SEQ:HASH, an entry number "
			    "and its 64 hexadecimal digits");
			rc = CLIENT_EXIT_USAGE;
			goto out;
		}
		snprintf(cp->what, sizeof(cp->what), "--expect %" PRIu64 ":...",
		    cp->seq);
	}
	if (client_arg(&args, "state") != NULL)
		snprintf(state, sizeof(state), "%s", client_arg(&args,
		    "state"));
	else if (client_state_path(STATE_NAME, state) == -1)
		goto out;
	if (audit_key(&net, client_arg(&args, "audit-key"), pk, rk) == -1 ||
	    state_load(state, net.base, pk, cps, &old) == -1)
		goto out;
	vals = client_arg_multi(&args, "receipt", &nvals);
	for (i = 0; i < nvals; i++)
		if (receipt_checkpoint(vals[i], rk, cps) == -1)
			goto out;
	if (client_staff_login(&net, client_arg(&args, "username"),
	    client_arg(&args, "password-file"), client_arg(&args, "totp"),
	    &session) == -1)
		goto out;
	crypto_audit_check_init(&c);
	/* h_0 is 32 zero bytes: a checkpoint at 0 is checked before any
	 * entry (c.hash starts as h_0). */
	checkpoints_at(cps, &c);
	if (get_head(&net, session, pk, &h) == -1 ||
	    (w = walk(&net, session, h.seq, &c, &mismatch, cps)) == -1)
		goto out;
	if (w == 1) {
		client_err("audit entry %" PRIu64 " does not match the chain: "
		    "the fields shown differ from its hashed text", mismatch);
		goto out;
	}
	(void)crypto_audit_check_head(&c, pk, h.seq, h.present ? h.hash : NULL,
	    h.present ? h.sig : NULL);
	crypto_audit_describe(&c, msg, sizeof(msg));
	if (c.fault != CRYPTO_AUDIT_INTACT) {
		client_err("%s.", msg);
		goto out;
	}
	if (cps->bad != 0) {
		cp = &cps->cp[cps->bad - 1];
		hex_encode(cp->hash, CRYPTO_HASH_BYTES, hex);
		client_err("the audit chain was rewritten: it no longer passes "
		    "through %s (entry %" PRIu64 ", hash %s), although it "
		    "checks on its own", cp->what, cp->seq, hex);
		goto out;
	}
	for (i = 0; i < cps->n; i++)
		if (cps->cp[i].seq > h.seq) {
			client_err("the audit chain was cut: it ends at entry "
			    "%" PRIu64 ", before %s (entry %" PRIu64 ")", h.seq,
			    cps->cp[i].what, cps->cp[i].seq);
			goto out;
		}
	printf("%s\n", msg);
	if (cps->n > 0)
		printf("it extends %zu earlier head%s (remembered, --expect, "
		    "--receipt)\n", cps->n, cps->n == 1 ? "" : "s");
	if (state_save(state, net.base, old, c.count, c.hash, pk) == -1)
		goto out;
	rc = CLIENT_EXIT_OK;
 out:
	if (session != NULL)
		logout(&net, session);
	crypto_secret_free(session);
	client_mem_free(old);
	free(cps);
	client_net_free(&net);
	return rc;
}
