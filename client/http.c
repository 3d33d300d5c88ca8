/*
 * http.c: the client's one way to talk to a Bisik server (libcurl).
 *
 * A reporter may be hiding from whoever watches the network, so every
 * request is as plain as it can be: a fixed User-Agent without a version,
 * no cookies, no redirects (a redirect could send a token elsewhere),
 * only http and https, and, with --proxy, no exceptions from NO_PROXY that
 * would make a request leave outside Tor. Tokens travel only in the
 * Authorization header, never in a URL. Replies are bounded in size and
 * time and parsed strictly before any field is used.
 *
 * Three kinds of request share one path (perform()): JSON in and out,
 * one file up as multipart/form-data (libcurl's mime API), and one file
 * down as bytes. File transfers get a long overall timeout but are given
 * up when they stall, since a 10 MiB photo over Tor takes minutes.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

#define URL_MAX		2048


/* What a request sends: nothing, JSON, or one file as the form field
 * "file". */
struct body {
	const char	*json;
	size_t		 jsonlen;
	const char	*name, *mime;	/* the file's */
	const void	*data;
	size_t		 len;
	int		 is_file;
};

/* --server and --proxy given before the command (main.c). */
static const char	*default_server, *default_proxy;

void
client_net_defaults(const char *server, const char *proxy)
{
	default_server = server;
	default_proxy = proxy;
}

static int
url_ok(const char *u)
{
	size_t	i;

	if (strlen(u) > URL_MAX)
		return 0;
	for (i = 0; u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
			return 0;
	return 1;
}

int
client_net_init(struct client_net *net, const char *server, const char *proxy)
{
	return client_net_init_or(net, server, proxy, NULL, NULL);
}

int
client_net_init_or(struct client_net *net, const char *server,
    const char *proxy, const char *cfg_server, const char *cfg_proxy)
{
	static const char *const proxy_schemes[] = {
		"socks5h://", "socks4a://", "socks5://", "socks4://",
		"http://", "https://"
	};
	size_t	 len, i;
	char	*base;

	if ((server != NULL && default_server != NULL) ||
	    (proxy != NULL && default_proxy != NULL)) {
		client_err("--%s is given both before and after the command; "
		    "give it once", server != NULL && default_server != NULL ?
		    "server" : "proxy");
		return -1;
	}
	if (server == NULL)
		server = default_server;
	if (proxy == NULL)
		proxy = default_proxy;
	if (server == NULL)
		server = cfg_server;
	if (proxy == NULL)
		proxy = cfg_proxy;
	if (server == NULL)
		server = CLIENT_DEFAULT_SERVER;
	if (!url_ok(server) || (strncmp(server, "http://", 7) != 0 &&
	    strncmp(server, "https://", 8) != 0) ||
	    strpbrk(server, "?#") != NULL) {
		client_err("--server must be an http:// or https:// URL "
		    "without a query");
		return -1;
	}
	if (proxy != NULL) {
		for (i = 0; i < sizeof(proxy_schemes) /
		    sizeof(proxy_schemes[0]); i++)
			if (strncmp(proxy, proxy_schemes[i],
			    strlen(proxy_schemes[i])) == 0)
				break;
		if (!url_ok(proxy) || i == sizeof(proxy_schemes) /
		    sizeof(proxy_schemes[0])) {
			client_err("--proxy must be a URL such as "
			    "socks5h://127.0.0.1:9050");
			return -1;
		}
		if (strncmp(proxy, "socks5://", 9) == 0 ||
		    strncmp(proxy, "socks4://", 9) == 0)
			client_err("warning: with %.9s the server's name is "
			    "looked up outside the proxy; socks5h:// keeps it "
			    "inside", proxy);
	}
	len = strlen(server);
	while (len > 0 && server[len - 1] == '/')
		len--;
	if ((base = malloc(len + sizeof("/api/v1"))) == NULL) {
		client_err("out of memory");
		return -1;
	}
	memcpy(base, server, len);
	memcpy(base + len, "/api/v1", sizeof("/api/v1"));
	net->base = base;
	net->proxy = proxy;
	return 0;
}

void
client_net_free(struct client_net *net)
{
	free(net->base);
	net->base = NULL;
}

size_t
client_reply_add(struct client_reply *r, const char *data, size_t n)
{
	size_t	 cap;
	char	*nb;

	if (n > r->max - r->len) {
		r->toobig = 1;
		return 0;
	}
	if (r->len + n + 1 > r->cap) {
		cap = r->cap == 0 ? 16384 : r->cap;
		while (cap < r->len + n + 1)
			cap *= 2;
		if (cap > r->max + 1)
			cap = r->max + 1;
		if ((nb = client_mem_alloc(cap)) == NULL)
			return 0;
		if (r->len > 0)
			memcpy(nb, r->buf, r->len);
		client_mem_free(r->buf);
		r->buf = nb;
		r->cap = cap;
	}
	if (n > 0)
		memcpy(r->buf + r->len, data, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return n;
}

/* Returning less than it was given makes libcurl stop with
 * CURLE_WRITE_ERROR. */
static size_t
on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	return client_reply_add(arg, data, size * nmemb);
}

static int
add_header(struct curl_slist **list, const char *h)
{
	struct curl_slist	*n;

	if ((n = curl_slist_append(*list, h)) == NULL)
		return -1;
	*list = n;
	return 0;
}

/* Sets up the body of a POST: JSON, an empty body, or one file. */
static int
set_body(CURL *c, const struct body *b, curl_mime **mime)
{
	curl_mimepart	*part;

	if (!b->is_file)
		return curl_easy_setopt(c, CURLOPT_POST, 1L) != CURLE_OK ||
		    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(b->json != NULL ? b->jsonlen : 0)) !=
		    CURLE_OK ||
		    curl_easy_setopt(c, CURLOPT_POSTFIELDS,
		    b->json != NULL ? b->json : "") != CURLE_OK ? -1 : 0;
	/* curl_mime_data copies the bytes, through the wiping allocator. */
	if ((*mime = curl_mime_init(c)) == NULL ||
	    (part = curl_mime_addpart(*mime)) == NULL ||
	    curl_mime_name(part, "file") != CURLE_OK ||
	    curl_mime_filename(part, b->name) != CURLE_OK ||
	    curl_mime_type(part, b->mime) != CURLE_OK ||
	    curl_mime_data(part, b->data, b->len) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MIMEPOST, *mime) != CURLE_OK)
		return -1;
	return 0;
}

/*
 * One request. b is NULL for a GET. On 0, *code is the status and r the
 * answer's bytes (at most r->max); ctype, when not NULL, receives the
 * Content-Type. On -1 one sentence is in why.
 */
static int
perform(const struct client_net *net, const char *method, const char *path,
    const char *bearer, const struct body *b, struct client_reply *r,
    long *code, char *ctype, size_t ctypelen, char *why, size_t whylen)
{
	struct curl_slist	*hdrs = NULL;
	curl_mime		*mime = NULL;
	CURL			*c = NULL;
	CURLcode		 cc;
	char			 errbuf[CURL_ERROR_SIZE], *url = NULL;
	char			*auth = NULL, *ct = NULL;
	size_t			 authlen;
	int			 rc = -1, file = b != NULL && b->is_file;

	errbuf[0] = '\0';
	if (ctype != NULL && ctypelen > 0)
		ctype[0] = '\0';
	if ((url = malloc(strlen(net->base) + strlen(path) + 1)) == NULL)
		goto nomem;
	strcpy(url, net->base);
	strcat(url, path);
	if (add_header(&hdrs, "Accept: application/json") == -1 ||
	    /* No 100-continue round trip, and no form type on empty POSTs. */
	    add_header(&hdrs, "Expect:") == -1)
		goto nomem;
	/* A file's Content-Type (multipart, with its boundary) is libcurl's. */
	if (b != NULL && !file && add_header(&hdrs, b->json != NULL ?
	    "Content-Type: application/json" : "Content-Type:") == -1)
		goto nomem;
	if (bearer != NULL) {
		authlen = sizeof("Authorization: Bearer ") + strlen(bearer);
		if ((auth = crypto_secret_alloc(authlen)) == NULL)
			goto nomem;
		strcpy(auth, "Authorization: Bearer ");
		strcat(auth, bearer);
		if (add_header(&hdrs, auth) == -1)
			goto nomem;
	}
	if ((c = curl_easy_init()) == NULL)
		goto nomem;
	if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
#if LIBCURL_VERSION_NUM >= 0x075500
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK ||
#else
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) != CURLE_OK ||
#endif
	    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_USERAGENT, CLIENT_USER_AGENT) !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    (long)CLIENT_CONNECT_TIMEOUT) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)r->max) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, r) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK)
		goto setopt;
	if (r->max > CLIENT_REPLY_MAX || file) {
		if (curl_easy_setopt(c, CURLOPT_TIMEOUT,
		    (long)CLIENT_FILE_TIMEOUT) != CURLE_OK ||
		    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT,
		    (long)CLIENT_LOW_SPEED) != CURLE_OK ||
		    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
		    (long)CLIENT_LOW_SPEED_TIME) != CURLE_OK)
			goto setopt;
	} else if (curl_easy_setopt(c, CURLOPT_TIMEOUT,
	    (long)CLIENT_REQUEST_TIMEOUT) != CURLE_OK)
		goto setopt;
	if (net->proxy != NULL &&
	    (curl_easy_setopt(c, CURLOPT_PROXY, net->proxy) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOPROXY, "") != CURLE_OK))
		goto setopt;
	if (strcmp(method, "POST") == 0) {
		if (set_body(c, b != NULL ? b : &(struct body){ 0 }, &mime) ==
		    -1)
			goto setopt;
	} else if (curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) != CURLE_OK)
		goto setopt;

	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		if (r->toobig || cc == CURLE_FILESIZE_EXCEEDED)
			snprintf(why, whylen, "the server's answer is larger "
			    "than %zu bytes", r->max);
		else
			snprintf(why, whylen, "cannot reach the server: %s",
			    errbuf[0] != '\0' ? errbuf :
			    curl_easy_strerror(cc));
		goto out;
	}
	if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code) != CURLE_OK)
		goto setopt;
	if (ctype != NULL && ctypelen > 0 &&
	    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK &&
	    ct != NULL)
		snprintf(ctype, ctypelen, "%s", ct);
	rc = 0;
	goto out;
setopt:
	snprintf(why, whylen, "cannot set up the request");
	goto out;
nomem:
	snprintf(why, whylen, "out of memory");
out:
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_mime_free(mime);
	curl_slist_free_all(hdrs);
	crypto_secret_free(auth);
	free(url);
	return rc;
}

/* Parses a JSON answer; a 2xx that is not JSON is an error, anything
 * else is told by its status alone (a proxy's HTML error page). */
static int
reply_json(const struct client_reply *r, long code, json_t **out, char *why,
    size_t whylen)
{
	struct core_errors	errs;
	json_t			*root = NULL;

	if (r->len > 0) {
		memset(&errs, 0, sizeof(errs));
		if (core_json_parse(r->buf, r->len, CLIENT_JSON_DEPTH, &root,
		    &errs) != 0) {
			if (code >= 200 && code < 300) {
				snprintf(why, whylen, "the server's answer is "
				    "not valid JSON");
				return -1;
			}
			root = NULL;
		}
	}
	*out = root;
	return 0;
}

int
client_http(const struct client_net *net, const char *method,
    const char *path, const char *bearer, const char *body, size_t bodylen,
    long *status, json_t **reply)
{
	struct client_reply	 r = { 0 };
	struct body	 b = { 0 };
	char		 why[CURL_ERROR_SIZE + 64];
	long		 code = 0;
	int		 rc = -1;

	memset(&r, 0, sizeof(r));
	memset(&b, 0, sizeof(b));
	r.max = CLIENT_REPLY_MAX;
	b.json = body;
	b.jsonlen = bodylen;
	if (perform(net, method, path, bearer, strcmp(method, "POST") == 0 ?
	    &b : NULL, &r, &code, NULL, 0, why, sizeof(why)) == -1 ||
	    reply_json(&r, code, reply, why, sizeof(why)) == -1) {
		client_err("%s", why);
		goto out;
	}
	*status = code;
	rc = 0;
out:
	client_mem_free(r.buf);
	return rc;
}

int
client_http_upload(const struct client_net *net, const char *path,
    const char *bearer, const char *name, const char *mime, const void *data,
    size_t len, long *status, json_t **reply, char *why, size_t whylen)
{
	struct client_reply	 r = { 0 };
	struct body	 b = { 0 };
	long		 code = 0;
	int		 rc = -1;

	memset(&r, 0, sizeof(r));
	memset(&b, 0, sizeof(b));
	r.max = CLIENT_REPLY_MAX;
	b.is_file = 1;
	b.name = name;
	b.mime = mime;
	b.data = data;
	b.len = len;
	if (perform(net, "POST", path, bearer, &b, &r, &code, NULL, 0, why,
	    whylen) == -1 || reply_json(&r, code, reply, why, whylen) == -1)
		goto out;
	*status = code;
	rc = 0;
out:
	client_mem_free(r.buf);
	return rc;
}

int
client_http_download(const struct client_net *net, const char *path,
    const char *bearer, size_t max, long *status, uint8_t **data,
    size_t *len, json_t **reply, char *ctype, size_t ctypelen)
{
	struct client_reply	 r = { 0 };
	char		 why[CURL_ERROR_SIZE + 64];
	long		 code = 0;

	memset(&r, 0, sizeof(r));
	r.max = max;
	*data = NULL;
	*len = 0;
	*reply = NULL;
	if (perform(net, "GET", path, bearer, NULL, &r, &code, ctype,
	    ctypelen, why, sizeof(why)) == -1)
		goto fail;
	if (code == 200) {
		/* An empty file is still a buffer the caller can free. */
		if (r.buf == NULL && (r.buf = client_mem_alloc(1)) == NULL) {
			snprintf(why, sizeof(why), "out of memory");
			goto fail;
		}
		*data = (uint8_t *)r.buf;
		*len = r.len;
	} else {
		if (reply_json(&r, code, reply, why, sizeof(why)) == -1)
			goto fail;
		client_mem_free(r.buf);
	}
	*status = code;
	return 0;
fail:
	client_err("%s", why);
	client_mem_free(r.buf);
	return -1;
}

const char *
client_http_error_code(const json_t *reply)
{
	const json_t	*e, *v;

	if ((e = json_object_get(reply, "error")) == NULL ||
	    (v = json_object_get(e, "code")) == NULL || !json_is_string(v))
		return NULL;
	return json_string_value(v);
}

void
client_http_error(long status, const json_t *reply)
{
	client_http_error_ctx(status, reply, CLIENT_CTX_NONE, NULL);
}

void
client_http_error_ctx(long status, const json_t *reply, int ctx,
    const json_t *values)
{
	const json_t	*e, *v;
	json_t		*fields;
	char		 msg[CLIENT_SERVER_MSG_MAX + 1];
	char		 said[4 * CLIENT_EXPLAIN_MAX];
	size_t		 i;

	e = json_object_get(reply, "error");
	fields = json_object_get(e, "fields");
	if (status == 422 && ctx != CLIENT_CTX_NONE && json_is_object(fields) &&
	    json_object_size(fields) > 0) {
		client_explain_fields(ctx, fields, values, said, sizeof(said));
		client_err("%s", said);
		return;
	}
	/* The workflow's refusal names the status; say what would do. */
	if (status == 409 && (ctx == CLIENT_CTX_RATE ||
	    ctx == CLIENT_CTX_REOPEN)) {
		fflush(stdout);
		fprintf(stderr, "bisik: only a resolved case can be %s (the "
		    "server says: ", ctx == CLIENT_CTX_RATE ? "rated" :
		    "reopened, within 14 days of its resolution");
		v = json_object_get(e, "message");
		client_print_text(stderr, json_is_string(v) ?
		    json_string_value(v) : "conflict");
		fputs(")\n", stderr);
		return;
	}
	if (e == NULL ||
	    (v = json_object_get(e, "message")) == NULL || !json_is_string(v) ||
	    json_string_length(v) == 0) {
		client_err("the server answered with HTTP status %ld", status);
		return;
	}
	/* One line, bounded, and unable to drive the terminal. */
	snprintf(msg, sizeof(msg), "%s", json_string_value(v));
	for (i = 0; msg[i] != '\0'; i++)
		if (msg[i] == '\n' || msg[i] == '\t')
			msg[i] = ' ';
	fflush(stdout);
	fputs("bisik: ", stderr);
	client_print_text(stderr, msg);
	fputc('\n', stderr);
}
