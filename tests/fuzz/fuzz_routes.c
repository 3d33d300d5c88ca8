/*
 * fuzz_routes.c: libFuzzer target for the whole request path of bisikd:
 * libmicrohttpd's parser, the framing checks, the route table and every
 * handler of the API and the web pages, against a real data directory.
 *
 * At start (LLVMFuzzerInitialize) it makes a data directory as `bisikd
 * init` does, in a temporary directory (on /dev/shm when there is one):
 * three agencies, an escrow public key, staff users of every role, and
 * then, through the same request path a client uses, a staff session for
 * each user, three reports with their reporter tokens (one with an
 * identity, one with an attachment), a case taken from submitted to
 * published and one accepted by an agency, an escrow key ceremony opened
 * by the central admin for two holders (its id is the "{}" of the
 * ceremony routes), and the CSRF token of each session's pages. The daemon is srv_http_embedded(): no socket, no
 * thread; each input becomes a request written on one end of a socket
 * pair whose other end is handed to the daemon, which is run until it has
 * answered (or closed) and the connection is gone.
 *
 * Input layout (tests/fuzz/corpus/fuzz_routes/ holds every request the
 * end-to-end tests make in this form; tests/fuzz/routes_seeds.py makes
 * them):
 *   byte 0   route: index into the route table (srv_routes_at); one past the
 *            last means "raw": the rest is sent as it is, unframed
 *   byte 1   credentials: low 4 bits the Authorization header (none, a
 *            session of each role, a reporter token, a well-formed
 *            unknown token, malformed), high 4 bits the session cookie
 *   byte 2   bits 0-2 method (0: the route's, else another), bit 3
 *            chunked body, bit 4 add the route's Content-Type, bit 5
 *            Sec-Fetch-Site: same-origin, bit 6 Accept-Language: en,
 *            bit 7 the first line is the whole target (path and query)
 *   byte 3   path parameters: low 4 bits pick the first "{}", high 4
 *            bits the second, from the known ids of that kind and a few
 *            wrong ones
 *   rest     "QUERY\nHeader: value\n...\n\nBODY"
 * In the text, @C0@..@C2@ become the case references, @T0@..@T2@ the
 * reporter tokens, @S1@..@S5@ the sessions, @X@ the CSRF token of the
 * cookie's session and @I1@..@I5@ the sessions' ids.
 *
 * An input whose request committed anything to the store is followed by
 * putting every table back as it was made at start, so every input meets
 * the same state and a crash found replays alone. A 5xx answer of
 * bisikd's other than 503 and 507 (what it answers when it cannot serve)
 * is a bug: abort().
 */
#define _GNU_SOURCE		/* nftw(3), sched_setaffinity(2) */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server/server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The staff password of every fixture user: the end-to-end tests' one, so
 * that their login bodies are valid seeds. */
#define FZ_PASSWORD	"kata sandi yang panjang sekali"
/* Fixture sizes: staff users (one session each), reports. */
#define FZ_ROLES	5
#define FZ_CASES	3
/* A request as built from one input, and the answers kept of it. */
#define FZ_REQ_MAX	(256 * 1024)
#define FZ_RESP_MAX	(4 * 1024 * 1024)
/* Rounds of MHD_run with nothing written, read or closed after which an
 * exchange is over (the daemon is waiting for more of the request). */
#define FZ_IDLE_ROUNDS	8
/* The route table's length at most. */
#define FZ_ROUTES_MAX	128

struct fz_user {
	const char	*name, *role, *agency;
};

/* Index i + 1 in the credential byte: session of fz_users[i]. */
static const struct fz_user fz_users[FZ_ROLES] = {
	{ "pusat", "central_admin", NULL },
	{ "admin-pu", "agency_admin", "dinas-pu" },
	{ "lia-bdg", "liaison", "dinas-pu-bdg" },
	{ "auditor1", "auditor", NULL },
	{ "admin-kes", "agency_admin", "dinkes" },
};

static const char *const fz_methods[8] = {
	NULL, "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"
};

/* A 1x1 PNG for the fixture's attachments. */
static const uint8_t fz_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
	0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82
};

struct fz_route {
	const char	*method, *path;
	int		 body;
};

static struct {
	char			 dir[128], data[160];
	struct srv_config	 cfg;
	struct srv_keys		 keys;
	struct srv_ctx		 ctx;
	struct store		*store;
	struct MHD_Daemon	*d;
	struct fz_route		 routes[FZ_ROUTES_MAX];
	size_t			 nroutes;
	char			 session[FZ_ROLES][CRYPTO_TOKEN_TEXT];
	char			 sessid[FZ_ROLES][32];
	char			 csrf[FZ_ROLES][80];
	char			 token[FZ_CASES][CRYPTO_TOKEN_TEXT];
	char			 ref[FZ_CASES][32];
	char			 ceremony[2 * CRYPTO_DKG_ID_BYTES + 1];
	char			*req, *body, *resp;
	size_t			 resp_len;
	int			 verbose;
} fz;

static void
fz_die(const char *what)
{
	fprintf(stderr, "fuzz_routes: setup failed: %s\n", what);
	exit(1);
}

/* ---- one exchange on a socket pair --------------------------------------- */

static int
nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Runs the daemon until it has no connection left (bounded). */
static void
fz_drain(void)
{
	const union MHD_DaemonInfo	*di;
	int				 i;

	for (i = 0; i < 64; i++) {
		MHD_run(fz.d);
		di = MHD_get_daemon_info(fz.d,
		    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (di == NULL || di->num_connections == 0)
			return;
	}
}

/*
 * Sends len bytes of req on a new connection and keeps what comes back in
 * fz.resp (NUL-terminated); returns the status of the first answer, or 0.
 */
static unsigned
fz_exchange(const char *req, size_t len)
{
	struct sockaddr_in	 sin;
	int			 sv[2] = { -1, -1 };
	size_t			 off = 0;
	ssize_t			 n;
	int			 idle = 0, progress;
	unsigned		 status = 0;

	fz.resp_len = 0;
	fz.resp[0] = '\0';
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		fz_die("socketpair");
	if (nonblock(sv[0]) == -1 || nonblock(sv[1]) == -1)
		fz_die("non-blocking socket");
	if (MHD_add_connection(fz.d, sv[1], (struct sockaddr *)&sin,
	    sizeof(sin)) != MHD_YES) {
		close(sv[0]);
		return 0;
	}
	while (idle < FZ_IDLE_ROUNDS) {
		progress = 0;
		if (off < len) {
			n = send(sv[0], req + off, len - off, MSG_NOSIGNAL);
			if (n > 0) {
				off += (size_t)n;
				progress = 1;
			}
		}
		MHD_run(fz.d);
		while ((n = read(sv[0], fz.resp + fz.resp_len,
		    FZ_RESP_MAX - 1 - fz.resp_len)) > 0) {
			fz.resp_len += (size_t)n;
			progress = 1;
			if (fz.resp_len == FZ_RESP_MAX - 1)
				break;
		}
		fz.resp[fz.resp_len] = '\0';
		if (n == 0 && fz.resp_len < FZ_RESP_MAX - 1)
			break;		/* the server closed the connection */
		idle = progress ? 0 : idle + 1;
	}
	close(sv[0]);
	fz_drain();
	if (fz.resp_len > 12 && strncmp(fz.resp, "HTTP/1.", 7) == 0)
		status = (unsigned)strtoul(fz.resp + 9, NULL, 10);
	return status;
}

/* The body of the first answer in fz.resp, or "". */
static const char *
fz_body(void)
{
	const char *p = strstr(fz.resp, "\r\n\r\n");

	return p != NULL ? p + 4 : "";
}

/* The string member key of the first answer's JSON body into out. */
static int
fz_json_str(const char *key, char *out, size_t outlen)
{
	json_t		*o;
	const char	*v;
	int		 rc = -1;

	if ((o = json_loads(fz_body(), JSON_DISABLE_EOF_CHECK, NULL)) == NULL)
		return -1;
	if ((v = json_string_value(json_object_get(o, key))) != NULL &&
	    strlen(v) < outlen) {
		snprintf(out, outlen, "%s", v);
		rc = 0;
	}
	json_decref(o);
	return rc;
}

/* ---- building a request -------------------------------------------------- */

struct buf {
	char	*p;
	size_t	 len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (n > b->cap - b->len)
		n = b->cap - b->len;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Copies in[0..n) to b, replacing the placeholders (see the top). */
static void
put_expanded(struct buf *b, const char *in, size_t n, int cookie_role)
{
	const char	*v;
	size_t		 i = 0;
	unsigned	 k;

	while (i < n) {
		v = NULL;
		if (in[i] == '@' && i + 2 < n) {
			k = i + 3 < n && in[i + 2] >= '0' && in[i + 2] <= '9' &&
			    in[i + 3] == '@' ? (unsigned)(in[i + 2] - '0') : 99;
			if (in[i + 1] == 'X' && in[i + 2] == '@') {
				v = fz.csrf[cookie_role];
				i += 3;
			} else if (k != 99) {
				if (in[i + 1] == 'C' && k < FZ_CASES)
					v = fz.ref[k];
				else if (in[i + 1] == 'T' && k < FZ_CASES)
					v = fz.token[k];
				else if (in[i + 1] == 'S' && k >= 1 &&
				    k <= FZ_ROLES)
					v = fz.session[k - 1];
				else if (in[i + 1] == 'I' && k >= 1 &&
				    k <= FZ_ROLES)
					v = fz.sessid[k - 1];
				if (v != NULL)
					i += 4;
			}
		}
		if (v != NULL)
			puts_(b, v);
		else
			put(b, in + i++, 1);
	}
}

/* The value of path parameter kind (the literal segment before "{}"). */
static const char *
param_value(const char *seg, size_t seglen, unsigned sel)
{
	static const char *const attach[] = { "1", "2", "0", "3",
	    "4294967297", "a" };
	static const char *const disc[] = {
	    "0123456789abcdef0123456789abcdef", "x", "0" };
	static const char *const wrong_case[] = { "BSK-2026-999999",
	    "BSK-0000-000000", "x" };
	static const char *const wrong_dkg[] = {
	    "0123456789abcdef0123456789abcdef", "x" };

	if ((seglen == 11 && strncmp(seg, "attachments", 11) == 0) ||
	    (seglen == 8 && strncmp(seg, "lampiran", 8) == 0))
		return attach[sel % (sizeof(attach) / sizeof(attach[0]))];
	if (seglen == 11 && strncmp(seg, "disclosures", 11) == 0)
		return disc[sel % (sizeof(disc) / sizeof(disc[0]))];
	if (seglen == 10 && strncmp(seg, "ceremonies", 10) == 0) {
		sel %= 1 + sizeof(wrong_dkg) / sizeof(wrong_dkg[0]);
		return sel == 0 ? fz.ceremony : wrong_dkg[sel - 1];
	}
	if ((seglen == 8 && strncmp(seg, "sessions", 8) == 0) ||
	    (seglen == 4 && strncmp(seg, "sesi", 4) == 0)) {
		sel %= FZ_ROLES + 2;
		if (sel < FZ_ROLES)
			return fz.sessid[sel];
		return sel == FZ_ROLES ? "0000000000000000" : "zz";
	}
	sel %= FZ_CASES + 3;
	if (sel < FZ_CASES)
		return fz.ref[sel];
	return wrong_case[sel - FZ_CASES];
}

/* The route's path with each "{}" replaced by a parameter. */
static void
put_path(struct buf *b, const char *pat, uint8_t sel)
{
	const char	*seg = pat, *p;
	size_t		 seglen = 0;
	int		 np = 0;

	for (p = pat; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] == '}') {
			puts_(b, param_value(seg, seglen,
			    np++ == 0 ? sel & 15 : sel >> 4));
			p++;
			continue;
		}
		if (*p == '/' && p[1] != '{') {
			seg = p + 1;
			seglen = strcspn(seg, "/");
		}
		put(b, p, 1);
	}
}

static const char *
credential(unsigned c, int *role)
{
	static char	 h[CRYPTO_TOKEN_TEXT + 16];

	*role = 0;
	if (c >= 1 && c <= FZ_ROLES) {
		*role = (int)c - 1;
		snprintf(h, sizeof(h), "Bearer %s", fz.session[c - 1]);
		return h;
	}
	if (c >= FZ_ROLES + 1 && c < FZ_ROLES + 1 + FZ_CASES) {
		snprintf(h, sizeof(h), "Bearer %s", fz.token[c - FZ_ROLES - 1]);
		return h;
	}
	switch (c - FZ_ROLES - 1 - FZ_CASES) {
	case 0:		/* well formed, never issued */
		return "Bearer 0000-0000-0000-0000-0000-0000-0000-0000";
	case 1:
		return "Bearer ";
	case 2:
		return "Basic YnVkaTpyYWhhc2lh";
	default:
		return NULL;
	}
}

/* Builds the request of one input into fz.req; returns its length and
 * whether it is sent with a body (any method but GET and HEAD). */
static size_t
fz_build(const uint8_t *data, size_t size, int *post)
{
	const struct fz_route	*rt;
	struct buf		 b = { fz.req, 0, FZ_REQ_MAX };
	struct buf		 body = { NULL, 0, 0 };
	const char		*text, *nl, *hdr, *method, *auth;
	size_t			 tlen, qlen, rest, hl, ri;
	char			 num[32];
	int			 cookie_role = 0, arole, chunked;
	unsigned		 cc;

	if (size < 4)
		return 0;
	ri = data[0] % (fz.nroutes + 1);
	text = (const char *)data + 4;
	tlen = size - 4;
	if (ri == fz.nroutes) {		/* raw */
		*post = 1;
		put_expanded(&b, text, tlen, data[1] % FZ_ROLES);
		return b.len;
	}
	rt = &fz.routes[ri];
	method = fz_methods[data[2] & 7] != NULL ? fz_methods[data[2] & 7] :
	    rt->method;
	*post = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
	chunked = (data[2] & 8) != 0;
	cc = (data[1] >> 4) % (FZ_ROLES + 3);
	if (cc >= 1 && cc <= FZ_ROLES)
		cookie_role = (int)cc - 1;

	/* request line */
	puts_(&b, method);
	puts_(&b, " ");
	nl = memchr(text, '\n', tlen);
	qlen = nl != NULL ? (size_t)(nl - text) : tlen;
	if (data[2] & 128)
		put_expanded(&b, text, qlen, cookie_role);
	else {
		put_path(&b, rt->path, data[3]);
		if (qlen > 0) {
			puts_(&b, "?");
			put_expanded(&b, text, qlen, cookie_role);
		}
	}
	puts_(&b, " HTTP/1.1\r\nHost: bisik.test\r\n");
	rest = nl != NULL ? tlen - qlen - 1 : 0;
	text = nl != NULL ? nl + 1 : text + tlen;

	if ((auth = credential(data[1] & 15, &arole)) != NULL) {
		puts_(&b, "Authorization: ");
		puts_(&b, auth);
		puts_(&b, "\r\n");
	}
	if (cc >= 1 && cc <= FZ_ROLES) {
		puts_(&b, "Cookie: bisik_session=");
		puts_(&b, fz.session[cc - 1]);
		puts_(&b, "\r\n");
	} else if (cc == FZ_ROLES + 1)
		puts_(&b, "Cookie: bisik_session=0000-0000-0000-0000-0000-"
		    "0000-0000-0000\r\n");
	if (data[2] & 32)
		puts_(&b, "Sec-Fetch-Site: same-origin\r\n");
	if (data[2] & 64)
		puts_(&b, "Accept-Language: en\r\n");

	/* headers of the input, up to an empty line */
	while (rest > 0) {
		nl = memchr(text, '\n', rest);
		hl = nl != NULL ? (size_t)(nl - text) : rest;
		hdr = text;
		text += nl != NULL ? hl + 1 : hl;
		rest -= nl != NULL ? hl + 1 : hl;
		if (hl > 0 && hdr[hl - 1] == '\r')
			hl--;
		if (hl == 0)
			break;
		put_expanded(&b, hdr, hl, cookie_role);
		puts_(&b, "\r\n");
	}
	if (data[2] & 16) {
		if (rt->body == SRV_BODY_JSON)
			puts_(&b, "Content-Type: application/json\r\n");
		else if (rt->body == SRV_BODY_MULTIPART || ((rt->body ==
		    SRV_BODY_FORM || rt->body == SRV_BODY_FORM_PHOTOS) &&
		    rest > 2 && text[0] == '-' && text[1] == '-'))
			puts_(&b, "Content-Type: multipart/form-data; "
			    "boundary=FZB\r\n");
		else if (rt->body == SRV_BODY_FORM ||
		    rt->body == SRV_BODY_FORM_PHOTOS)
			puts_(&b, "Content-Type: "
			    "application/x-www-form-urlencoded\r\n");
	}

	/* the body, framed */
	if (rest == 0 && !*post) {
		puts_(&b, "\r\n");
		return b.len;
	}
	body.p = fz.body;
	body.cap = FZ_REQ_MAX / 2;
	put_expanded(&body, text, rest, cookie_role);
	if (chunked) {
		puts_(&b, "Transfer-Encoding: chunked\r\n\r\n");
		if (body.len > 0) {
			snprintf(num, sizeof(num), "%zx\r\n", body.len);
			puts_(&b, num);
			put(&b, body.p, body.len);
			puts_(&b, "\r\n");
		}
		puts_(&b, "0\r\n\r\n");
	} else {
		snprintf(num, sizeof(num), "Content-Length: %zu\r\n\r\n",
		    body.len);
		puts_(&b, num);
		put(&b, body.p, body.len);
	}
	return b.len;
}

/* ---- the data directory -------------------------------------------------- */

/*
 * The state made at start, record by record, and putting it back: after
 * an input whose request committed anything, one write job empties every
 * table and puts the records back. (Closing the store and copying the
 * file back would be simpler but costs a writer thread and the map each
 * time, ten times the rest of an input.)
 */
struct fz_rec {
	int	 table;
	uint8_t	*key, *val;
	size_t	 klen, vlen;
};

static struct {
	struct fz_rec	*r;
	size_t		 n, cap;
} fz_snap, fz_keys;

static void
rec_add(struct fz_rec **r, size_t *n, size_t *cap, int table,
    const void *key, size_t klen, const void *val, size_t vlen)
{
	struct fz_rec *e;

	if (*n == *cap) {
		*cap = *cap != 0 ? *cap * 2 : 1024;
		if ((*r = realloc(*r, *cap * sizeof(**r))) == NULL)
			fz_die("out of memory");
	}
	e = &(*r)[(*n)++];
	e->table = table;
	e->klen = klen;
	e->vlen = vlen;
	if ((e->key = malloc(klen + 1)) == NULL ||
	    (e->val = malloc(vlen + 1)) == NULL)
		fz_die("out of memory");
	memcpy(e->key, key, klen);
	if (vlen > 0)
		memcpy(e->val, val, vlen);
}

static int	fz_table;

static int
snap_one(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	(void)arg;
	rec_add(&fz_snap.r, &fz_snap.n, &fz_snap.cap, fz_table, key, klen,
	    val, vlen);
	return 0;
}

static int
key_one(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	(void)val;
	(void)vlen;
	(void)arg;
	rec_add(&fz_keys.r, &fz_keys.n, &fz_keys.cap, fz_table, key, klen,
	    "", 0);
	return 0;
}

static int
snap_job(struct store_txn *txn, void *arg)
{
	int rc;

	(void)arg;
	for (fz_table = 0; fz_table < STORE_T_MAX; fz_table++)
		if ((rc = store_each(txn, fz_table, NULL, 0, NULL, 0,
		    snap_one, NULL)) != STORE_OK)
			return rc;
	return STORE_OK;
}

static void
keys_free(void)
{
	size_t i;

	for (i = 0; i < fz_keys.n; i++) {
		free(fz_keys.r[i].key);
		free(fz_keys.r[i].val);
	}
	fz_keys.n = 0;
}

static int
reset_job(struct store_txn *txn, void *arg)
{
	const struct fz_rec	*e;
	size_t			 i;
	int			 rc;

	(void)arg;
	keys_free();		/* the job may run twice (map growth) */
	for (fz_table = 0; fz_table < STORE_T_MAX; fz_table++)
		if ((rc = store_each(txn, fz_table, NULL, 0, NULL, 0,
		    key_one, NULL)) != STORE_OK)
			return rc;
	for (i = 0; i < fz_keys.n; i++) {
		e = &fz_keys.r[i];
		if ((rc = store_del(txn, e->table, e->key, e->klen)) !=
		    STORE_OK)
			return rc;
	}
	for (i = 0; i < fz_snap.n; i++) {
		e = &fz_snap.r[i];
		if ((rc = store_put(txn, e->table, e->key, e->klen, e->val,
		    e->vlen, 0)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

static uint64_t
fz_commits(void)
{
	struct store_stats st;

	store_get_stats(fz.store, &st);
	return st.commits;
}

static void
fz_snapshot(void)
{
	if (store_read(fz.store, snap_job, NULL) != STORE_OK)
		fz_die("snapshot");
}

static void
fz_reset(void)
{
	if (store_write(fz.store, reset_job, NULL) != STORE_OK)
		fz_die("reset");
	keys_free();
}

/* An escrow public file of one holder whose share the fixture throws
 * away, signed by that holder as `bisik escrow sign` does: reports can
 * carry identities, none can be opened. */
static void
fz_escrow(void)
{
	struct crypto_escrow_config	*c = NULL;
	struct srv_escrow_result	 res;
	uint8_t				 Y[CRYPTO_POINT_BYTES];
	uint8_t				 share[CRYPTO_SCALAR_BYTES];
	uint8_t				 com[CRYPTO_POINT_BYTES];
	uint8_t				 seed[32], pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t				 sk[CRYPTO_SIGN_SK_BYTES];
	uint8_t				 box[CRYPTO_BOX_PK_BYTES];
	uint8_t				 sealed[CRYPTO_SCALAR_BYTES +
					     CRYPTO_BOX_SEAL_OVERHEAD];
	uint8_t				 hash[CRYPTO_HASH_BYTES];
	uint8_t				 sig[CRYPTO_SIG_BYTES];
	char				 y64[64], c64[64], pk64[64], box64[64];
	char				 s64[128], sig64[128], err[256];
	char				*text = NULL;
	json_t				*root, *sigs;

	if (crypto_escrow_split(1, 1, Y, share, com) == -1)
		fz_die("escrow split");
	crypto_wipe(share, sizeof(share));
	crypto_random(seed, sizeof(seed));
	crypto_random(box, sizeof(box));
	crypto_random(sealed, sizeof(sealed));
	if (crypto_sign_from_seed(seed, pk, sk) == -1)
		fz_die("holder key");
	crypto_b64_encode(Y, sizeof(Y), y64);
	crypto_b64_encode(com, sizeof(com), c64);
	crypto_b64_encode(pk, sizeof(pk), pk64);
	crypto_b64_encode(box, sizeof(box), box64);
	crypto_b64_encode(sealed, sizeof(sealed), s64);
	root = json_pack("{s:i, s:s, s:i, s:[{s:i, s:s, s:s, s:s, s:s}]}",
	    "bisik_escrow", 1, "public_key", y64, "threshold", 1, "holders",
	    "index", 1, "commitment", c64, "sign_key", pk64, "box_key", box64,
	    "sealed_share", s64);
	if (root == NULL || (c = malloc(sizeof(*c))) == NULL)
		fz_die("out of memory");
	if (srv_escrow_gen_parse(root, c, err, sizeof(err)) == -1 ||
	    crypto_escrow_config_hash(c, hash) == -1)
		fz_die("escrow file");
	free(c);
	crypto_sign_msg(sk, hash, sizeof(hash), sig);
	crypto_wipe(sk, sizeof(sk));
	crypto_b64_encode(sig, sizeof(sig), sig64);
	sigs = json_pack("[{s:i, s:s}]", "index", 1, "signature", sig64);
	if (sigs == NULL || json_object_set_new(root, "holder_signatures",
	    sigs) == -1 || (text = json_dumps(root, JSON_COMPACT)) == NULL)
		fz_die("out of memory");
	json_decref(root);
	if (srv_escrow_install(fz.store, text, strlen(text), &res, err,
	    sizeof(err)) == -1)
		fz_die(err);
	core_json_free(text);
}

/* A request through the daemon, for the fixture; its status. */
static unsigned
fz_call(const char *method, const char *path, const char *auth,
    const char *ctype, const char *body, size_t blen)
{
	struct buf	b = { fz.req, 0, FZ_REQ_MAX };
	char		line[512];

	snprintf(line, sizeof(line), "%s %s HTTP/1.1\r\nHost: bisik.test\r\n",
	    method, path);
	puts_(&b, line);
	if (auth != NULL) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s\r\n",
		    auth);
		puts_(&b, line);
	}
	if (ctype != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s\r\n", ctype);
		puts_(&b, line);
	}
	snprintf(line, sizeof(line), "Content-Length: %zu\r\n\r\n", blen);
	puts_(&b, line);
	put(&b, body, blen);
	return fz_exchange(fz.req, b.len);
}

static void
fz_expect(unsigned got, unsigned want, const char *what)
{
	if (got != want) {
		fprintf(stderr, "fuzz_routes: %s: HTTP %u, want %u: %.300s\n",
		    what, got, want, fz_body());
		exit(1);
	}
}

static void
fz_act(int role, int c, const char *json)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/actions", fz.ref[c]);
	fz_expect(fz_call("POST", path, fz.session[role], "application/json",
	    json, strlen(json)), 200, json);
}

/* An escrow key ceremony for two holders whose keys the fixture throws
 * away: its routes then have a record to read, take messages for and
 * refuse them on. */
static void
fz_ceremony(void)
{
	struct crypto_admin_key	*k[2] = { NULL, NULL };
	char			 sign[2][64], box[2][64], *text = NULL;
	json_t			*o;
	size_t			 i;

	for (i = 0; i < 2; i++) {
		if ((k[i] = crypto_secret_alloc(sizeof(*k[i]))) == NULL)
			fz_die("out of memory");
		crypto_admin_keygen(k[i]);
		crypto_b64_encode(k[i]->sign_pk, CRYPTO_SIGN_PK_BYTES, sign[i]);
		crypto_b64_encode(k[i]->box_pk, CRYPTO_BOX_PK_BYTES, box[i]);
		crypto_secret_free(k[i]);
	}
	o = json_pack("{s:i, s:[{s:s, s:s}, {s:s, s:s}]}", "threshold", 2,
	    "holders", "sign_key", sign[0], "box_key", box[0], "sign_key",
	    sign[1], "box_key", box[1]);
	if (o == NULL || (text = json_dumps(o, JSON_COMPACT)) == NULL)
		fz_die("out of memory");
	json_decref(o);
	fz_expect(fz_call("POST", "/api/v1/escrow/ceremonies", fz.session[0],
	    "application/json", text, strlen(text)), 201, "ceremony");
	core_json_free(text);
	if (fz_json_str("id", fz.ceremony, sizeof(fz.ceremony)) == -1)
		fz_die("ceremony: no id");
}

static void
fz_fixture(void)
{
	static const char *const reports[FZ_CASES] = {
	    "{\"kind\":\"complaint\",\"title\":\"Jalan rusak parah\",\"body\":"
	    "\"Jalan di depan pasar Kosambi berlubang besar sejak bulan lalu."
	    "\",\"agency\":\"dinas-pu\",\"category\":\"infrastruktur\","
	    "\"visibility\":\"public\"}",
	    "{\"kind\":\"complaint\",\"title\":\"Pungutan liar di kantor\","
	    "\"body\":\"Petugas meminta uang tambahan untuk surat keterangan."
	    "\",\"identity\":{\"name\":\"Budi Santoso\",\"phone\":"
	    "\"081234567890\"},\"visibility\":\"confidential\"}",
	    ("{\"kind\":\"aspiration\",\"title\":\"Lampu jalan mati\",\"body\":"
	    "\"Lampu jalan di gang tiga mati sejak dua minggu lalu.\"}")
	};
	char	 body[2048], path[160];
	size_t	 i, n;

	/* staff sessions */
	for (i = 0; i < FZ_ROLES; i++) {
		snprintf(body, sizeof(body), "{\"username\":\"%s\","
		    "\"password\":\"%s\"}", fz_users[i].name, FZ_PASSWORD);
		fz_expect(fz_call("POST", "/api/v1/auth/login", NULL,
		    "application/json", body, strlen(body)), 200, "login");
		if (fz_json_str("session", fz.session[i],
		    sizeof(fz.session[i])) == -1)
			fz_die("login: no session");
	}
	/* reports */
	for (i = 0; i < FZ_CASES; i++) {
		fz_expect(fz_call("POST", "/api/v1/reports", NULL,
		    "application/json", reports[i], strlen(reports[i])), 201,
		    "report");
		if (fz_json_str("case", fz.ref[i], sizeof(fz.ref[i])) == -1 ||
		    fz_json_str("token", fz.token[i],
		    sizeof(fz.token[i])) == -1)
			fz_die("report: no case or token");
	}
	/* an attachment from the reporter of case 0 */
	n = (size_t)snprintf(body, sizeof(body), "--FZB\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"foto.png\"\r\nContent-Type: image/png\r\n\r\n");
	memcpy(body + n, fz_png, sizeof(fz_png));
	n += sizeof(fz_png);
	n += (size_t)snprintf(body + n, sizeof(body) - n, "\r\n--FZB--\r\n");
	fz_expect(fz_call("POST", "/api/v1/followup/attachments", fz.token[0],
	    "multipart/form-data; boundary=FZB", body, n), 201, "attachment");
	/* case 0: submitted to published; case 1: accepted by an agency */
	fz_act(0, 0, "{\"action\":\"dispose\",\"agency\":\"dinas-pu\"}");
	fz_act(1, 0, "{\"action\":\"accept\",\"liaison\":\"lia-bdg\"}");
	fz_act(2, 0, "{\"action\":\"respond\",\"note\":\"Tim kami sudah "
	    "meninjau lokasi.\"}");
	fz_act(2, 0, "{\"action\":\"resolve\",\"resolution\":\"Lubang sudah "
	    "ditambal dan diaspal ulang.\"}");
	fz_act(0, 0, "{\"action\":\"publish\",\"redactions\":[{\"phrase\":"
	    "\"Kosambi\"}]}");
	fz_act(0, 1, "{\"action\":\"dispose\",\"agency\":\"dinas-pu\"}");
	fz_act(1, 1, "{\"action\":\"accept\",\"liaison\":\"lia-bdg\"}");
	snprintf(path, sizeof(path), "/api/v1/cases/%s/messages", fz.ref[1]);
	snprintf(body, sizeof(body), "{\"body\":\"Mohon kirim foto lokasi.\"}");
	fz_expect(fz_call("POST", path, fz.session[2], "application/json",
	    body, strlen(body)), 201, "staff message");
	fz_ceremony();
	/* session ids and the pages' CSRF tokens */
	for (i = 0; i < FZ_ROLES; i++) {
		json_t		*o, *s;
		size_t		 k;
		const char	*p, *e;

		fz_expect(fz_call("GET", "/api/v1/auth/sessions",
		    fz.session[i], NULL, "", 0), 200, "sessions");
		if ((o = json_loads(fz_body(), JSON_DISABLE_EOF_CHECK,
		    NULL)) == NULL)
			fz_die("sessions: not JSON");
		json_array_foreach(json_object_get(o, "sessions"), k, s)
			if (json_is_true(json_object_get(s, "current")))
				snprintf(fz.sessid[i], sizeof(fz.sessid[i]),
				    "%s", json_string_value(json_object_get(s,
				    "id")));
		json_decref(o);
		snprintf(body, sizeof(body), "GET /staf HTTP/1.1\r\nHost: "
		    "bisik.test\r\nCookie: bisik_session=%s\r\n\r\n",
		    fz.session[i]);
		fz_exchange(body, strlen(body));
		if ((p = strstr(fz.resp, "name=\"csrf\" value=\"")) == NULL)
			fz_die("no CSRF token on /staf");
		p += strlen("name=\"csrf\" value=\"");
		if ((e = strchr(p, '"')) == NULL || (size_t)(e - p) >=
		    sizeof(fz.csrf[i]))
			fz_die("CSRF token");
		memcpy(fz.csrf[i], p, (size_t)(e - p));
		fz.csrf[i][e - p] = '\0';
	}
}

/*
 * Images are re-encoded by the image helper, as in bisikd serve: the
 * release (or sanitizer) build's bisik-media next to build-fuzz/, or the
 * one FUZZ_ROUTES_MEDIA names. It is a separate program: what it does
 * with the bytes is fuzzed here only as far as bisikd sees its answers.
 */
static void
fz_media(void)
{
	static const char *const rel[] = { "../build/bisik-media",
	    "../build-asan/bisik-media" };
	char		 self[PATH_MAX], path[PATH_MAX + 64], err[256];
	const char	*env = getenv("FUZZ_ROUTES_MEDIA");
	char		*sl;
	ssize_t		 n;
	size_t		 i;

	path[0] = '\0';
	if (env != NULL)
		snprintf(path, sizeof(path), "%s", env);
	else if ((n = readlink("/proc/self/exe", self,
	    sizeof(self) - 1)) > 0) {
		self[n] = '\0';
		if ((sl = strrchr(self, '/')) != NULL)
			*sl = '\0';
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", self, rel[i]);
			if (access(path, X_OK) == 0)
				break;
		}
	}
	fz.cfg.allow_root = 1;	/* as bisikd serve --allow-root */
	if (path[0] == '\0' || access(path, X_OK) == -1)
		fz_die("no image helper: build it (make) or set "
		    "FUZZ_ROUTES_MEDIA");
	if (srv_media_start(path, err, sizeof(err)) == -1 ||
	    srv_media_configure(&fz.cfg, err, sizeof(err)) == -1)
		fz_die(err);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* The temporary directory goes when the fuzzer exits (not on a crash:
 * then it is left for a look). */
static void
fz_cleanup(void)
{
	if (fz.dir[0] != '\0')
		(void)nftw(fz.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char config[] = "{\"pow_difficulty\":0,"
	    "\"form_min_seconds\":0,\"totp_required\":false,"
	    "\"log_level\":\"error\"}";
	const char	*tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") :
			    "/tmp";
	const char	*m, *p;
	char		 err[256];
	cpu_set_t	 set;
	size_t		 i;
	int		 body, cpu;

	(void)argc;
	(void)argv;
	/* One CPU for this process and every thread it starts: libmicrohttpd
	 * maps and unmaps a memory pool per connection, and with threads on
	 * several CPUs each unmap interrupts them all to flush their TLBs,
	 * which halves the executions a second. */
	if ((cpu = sched_getcpu()) >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		(void)sched_setaffinity(0, sizeof(set), &set);
	}
	if (crypto_init() == -1)
		fz_die("crypto_init");
	core_json_wipe_on_free();
	srv_config_defaults(&fz.cfg);
	if (srv_config_parse(&fz.cfg, config, strlen(config), err,
	    sizeof(err)) == -1)
		fz_die(err);
	srv_log_set_level(fz.cfg.log_level);
	fz_media();
	srv_auth_init();
	if ((fz.req = malloc(FZ_REQ_MAX)) == NULL ||
	    (fz.body = malloc(FZ_REQ_MAX / 2)) == NULL ||
	    (fz.resp = malloc(FZ_RESP_MAX)) == NULL)
		fz_die("out of memory");
	for (i = 0; srv_routes_at(i, &m, &p, &body) == 0; i++) {
		if (i == FZ_ROUTES_MAX)
			fz_die("FZ_ROUTES_MAX is too small");
		fz.routes[i].method = m;
		fz.routes[i].path = p;
		fz.routes[i].body = body;
	}
	fz.nroutes = i;

	if (access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";	/* fsync costs nothing there */
	snprintf(fz.dir, sizeof(fz.dir), "%s/bisik-fuzz-XXXXXX", tmp);
	if (mkdtemp(fz.dir) == NULL)
		fz_die("mkdtemp");
	atexit(fz_cleanup);
	snprintf(fz.data, sizeof(fz.data), "%s/data", fz.dir);
	if (mkdir(fz.data, 0700) == -1 || srv_keys_create(fz.data) == -1 ||
	    srv_keys_load(fz.data, &fz.keys) == -1)
		fz_die("keys");
	srv_audit_init(&fz.keys);
	if (store_open(fz.data, STORE_CREATE, &fz.store) != STORE_OK ||
	    srv_directory_category_seed(fz.store) == -1)
		fz_die("store");
	if (srv_directory_agency_put(fz.store, "dinas-pu",
	    "Dinas Pekerjaan Umum", NULL, NULL, err, sizeof(err)) == -1 ||
	    srv_directory_agency_put(fz.store, "dinas-pu-bdg",
	    "Dinas PU Kota Bandung",
	    "dinas-pu", NULL, err, sizeof(err)) == -1 ||
	    srv_directory_agency_put(fz.store, "dinkes", "Dinas Kesehatan",
	    NULL, NULL, err, sizeof(err)) == -1)
		fz_die(err);
	for (i = 0; i < FZ_ROLES; i++)
		if (srv_users_add(fz.store, fz_users[i].name, fz_users[i].role,
		    fz_users[i].agency, FZ_PASSWORD, strlen(FZ_PASSWORD),
		    time(NULL), NULL, err, sizeof(err)) == -1)
			fz_die(err);
	fz_escrow();
	fz.ctx.store = fz.store;
	fz.ctx.keys = &fz.keys;
	fz.ctx.cfg = &fz.cfg;
	if ((fz.d = srv_http_embedded(&fz.ctx, &srv_routes)) == NULL)
		fz_die("srv_http_embedded");
	fz_fixture();
	fz_snapshot();
	fz.verbose = getenv("FUZZ_ROUTES_VERBOSE") != NULL;
	fprintf(stderr, "fuzz_routes: %zu routes, data in %s\n", fz.nroutes,
	    fz.dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p, *end;
	size_t		 len;
	uint64_t	 commits = fz_commits();
	int		 ours;
	unsigned	 st;
	int		 post = 0;

	if ((len = fz_build(data, size, &post)) == 0)
		return 0;
	st = fz_exchange(fz.req, len);
	if (fz.verbose)		/* FUZZ_ROUTES_VERBOSE=1: what each input did */
		fprintf(stderr, "fuzz_routes: %u %.*s\n", st,
		    (int)strcspn(fz.req, "\r\n"), fz.req);
	/* every answer of bisikd on the connection (its security headers
	 * tell it from libmicrohttpd's own, such as 505 for HTTP/2.0) */
	for (p = fz.resp; (p = strstr(p, "HTTP/1.1 ")) != NULL; p += 9) {
		st = (unsigned)strtoul(p + 9, NULL, 10);
		if (st < 500 || st == 503 || st == 507)
			continue;
		if ((end = strstr(p, "\r\n\r\n")) == NULL)
			end = p + strlen(p);
		ours = memmem(p, (size_t)(end - p), "X-Content-Type-Options",
		    22) != NULL;
		if (ours) {
			fprintf(stderr, "fuzz_routes: answered %u\n", st);
			abort();
		}
	}
	if (fz_commits() != commits)
		fz_reset();
	return 0;
}
