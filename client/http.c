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
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

#define URL_MAX		2048

/* Reply body, in memory that is wiped when freed. */
struct reply {
	char	*buf;
	size_t	 len, cap;
	int	 toobig;
};

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
	static const char *const proxy_schemes[] = {
		"socks5h://", "socks4a://", "socks5://", "socks4://",
		"http://", "https://"
	};
	size_t	 len, i;
	char	*base;

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

static size_t
on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	struct reply	*r = arg;
	size_t		 n = size * nmemb, cap;
	char		*nb;

	if (n > CLIENT_REPLY_MAX - r->len) {
		r->toobig = 1;
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	if (r->len + n + 1 > r->cap) {
		cap = r->cap == 0 ? 16384 : r->cap;
		while (cap < r->len + n + 1)
			cap *= 2;
		if (cap > CLIENT_REPLY_MAX + 1)
			cap = CLIENT_REPLY_MAX + 1;
		if ((nb = client_mem_alloc(cap)) == NULL)
			return 0;
		if (r->len > 0)
			memcpy(nb, r->buf, r->len);
		client_mem_free(r->buf);
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return n;
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

int
client_http(const struct client_net *net, const char *method,
    const char *path, const char *bearer, const char *body, size_t bodylen,
    long *status, json_t **reply)
{
	struct core_errors	 errs;
	struct curl_slist	*hdrs = NULL;
	struct reply		 r = { 0 };
	CURL			*c = NULL;
	CURLcode		 cc;
	json_t			*root = NULL;
	char			 errbuf[CURL_ERROR_SIZE], *url = NULL;
	char			*auth = NULL;
	size_t			 authlen;
	long			 code = 0;
	int			 rc = -1, post = strcmp(method, "POST") == 0;

	memset(&r, 0, sizeof(r));
	errbuf[0] = '\0';
	if ((url = malloc(strlen(net->base) + strlen(path) + 1)) == NULL)
		goto nomem;
	strcpy(url, net->base);
	strcat(url, path);
	if (add_header(&hdrs, "Accept: application/json") == -1 ||
	    /* No 100-continue round trip, and no form type on empty POSTs. */
	    add_header(&hdrs, "Expect:") == -1 ||
	    add_header(&hdrs, body != NULL ? "Content-Type: application/json" :
	    "Content-Type:") == -1)
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
	    curl_easy_setopt(c, CURLOPT_TIMEOUT,
	    (long)CLIENT_REQUEST_TIMEOUT) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)CLIENT_REPLY_MAX) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK)
		goto setopt;
	if (net->proxy != NULL &&
	    (curl_easy_setopt(c, CURLOPT_PROXY, net->proxy) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOPROXY, "") != CURLE_OK))
		goto setopt;
	if (post) {
		if (curl_easy_setopt(c, CURLOPT_POST, 1L) != CURLE_OK ||
		    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body != NULL ? bodylen : 0)) != CURLE_OK ||
		    curl_easy_setopt(c, CURLOPT_POSTFIELDS,
		    body != NULL ? body : "") != CURLE_OK)
			goto setopt;
	} else if (curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) != CURLE_OK)
		goto setopt;

	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		if (r.toobig || cc == CURLE_FILESIZE_EXCEEDED)
			client_err("the server's answer is larger than %d "
			    "bytes", CLIENT_REPLY_MAX);
		else
			client_err("cannot reach the server: %s",
			    errbuf[0] != '\0' ? errbuf :
			    curl_easy_strerror(cc));
		goto out;
	}
	if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
		goto setopt;
	if (r.len > 0) {
		memset(&errs, 0, sizeof(errs));
		if (core_json_parse(r.buf, r.len, CLIENT_JSON_DEPTH, &root,
		    &errs) != 0) {
			/* A proxy's HTML error page is still an error. */
			if (code >= 200 && code < 300) {
				client_err("the server's answer is not valid "
				    "JSON");
				goto out;
			}
			root = NULL;
		}
	}
	*status = code;
	*reply = root;
	rc = 0;
	goto out;
setopt:
	client_err("cannot set up the request");
	goto out;
nomem:
	client_err("out of memory");
out:
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	crypto_secret_free(auth);
	client_mem_free(r.buf);
	free(url);
	return rc;
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
	const json_t	*e, *v;
	char		 msg[CLIENT_SERVER_MSG_MAX + 1];
	size_t		 i;

	if ((e = json_object_get(reply, "error")) == NULL ||
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
