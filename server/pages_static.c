/*
 * pages_static.c: the pages' static files, built into bisikd from
 * server/static/ (the Makefile turns them into byte arrays): one style
 * sheet, the proof-of-work script, the staff case page's select-to-mask
 * script, the pages' small script (bisik.js: the agency filter, the print
 * button, history entries of POST answers) and the icon.
 *
 * They are served with their exact type, nosniff, and a year of caching:
 * their URLs carry a version (the first 16 hex digits of their BLAKE2b),
 * so a new build is fetched anew while an unchanged file never is.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

extern const unsigned char	srv_static_bisik_css[], srv_static_pow_js[],
				srv_static_ikon_svg[], srv_static_review_js[],
				srv_static_bisik_js[];
extern const size_t		srv_static_bisik_css_len, srv_static_pow_js_len,
				srv_static_ikon_svg_len, srv_static_review_js_len,
				srv_static_bisik_js_len;

#define VERSION_HEX	16

static struct asset {
	const char		*name;
	const char		*type;
	const unsigned char	*bytes;
	const size_t		*len;
	char			 version[VERSION_HEX + 1];
} assets[] = {
	{ "bisik.css", "text/css; charset=utf-8", srv_static_bisik_css,
	    &srv_static_bisik_css_len, "" },
	{ "pow.js", "text/javascript; charset=utf-8", srv_static_pow_js,
	    &srv_static_pow_js_len, "" },
	{ "ikon.svg", "image/svg+xml", srv_static_ikon_svg,
	    &srv_static_ikon_svg_len, "" },
	{ "review.js", "text/javascript; charset=utf-8", srv_static_review_js,
	    &srv_static_review_js_len, "" },
	{ "bisik.js", "text/javascript; charset=utf-8", srv_static_bisik_js,
	    &srv_static_bisik_js_len, "" },
};
#define NASSETS	(sizeof(assets) / sizeof(assets[0]))

static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void
versions(void)
{
	struct crypto_part	part;
	uint8_t			h[CRYPTO_HASH_BYTES];
	size_t			i, k;

	for (i = 0; i < NASSETS; i++) {
		part.p = assets[i].bytes;
		part.len = *assets[i].len;
		crypto_hash_parts("bisik-static-v1", &part, 1, h);
		for (k = 0; k < VERSION_HEX / 2; k++) {
			assets[i].version[2 * k] = "0123456789abcdef"[h[k] >> 4];
			assets[i].version[2 * k + 1] =
			    "0123456789abcdef"[h[k] & 15];
		}
		assets[i].version[VERSION_HEX] = '\0';
	}
}

const char *
page_static_version(const char *name)
{
	size_t i;

	pthread_once(&versions_once, versions);
	for (i = 0; i < NASSETS; i++)
		if (strcmp(assets[i].name, name) == 0)
			return assets[i].version;
	return "";
}

static void
serve(struct srv_reply *rp, size_t i)
{
	uint8_t *copy;

	/* The reply owns its bytes (it wipes and frees them once sent). */
	if ((copy = malloc(*assets[i].len + 1)) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		return;
	}
	memcpy(copy, assets[i].bytes, *assets[i].len);
	rp->status = 200;
	rp->raw = copy;
	rp->raw_len = *assets[i].len;
	rp->raw_type = assets[i].type;
	rp->raw_name[0] = '\0';
	rp->page = 1;
	rp->cache = "public, max-age=31536000, immutable";
}

void
page_static_css(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)ctx;
	(void)rq;
	serve(rp, 0);
}

void
page_static_js(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)ctx;
	(void)rq;
	serve(rp, 1);
}

void
page_static_icon(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)ctx;
	(void)rq;
	serve(rp, 2);
}

void
page_static_review_js(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)ctx;
	(void)rq;
	serve(rp, 3);
}

void
page_static_page_js(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	(void)ctx;
	(void)rq;
	serve(rp, 4);
}
