/*
 * pages_pantau.c: /pantau, the reporter's follow-up with the token.
 *
 * The token only ever travels in a POST body: the entry form, and a
 * hidden field in every form of the answer (reply, evidence, rating,
 * reopening, rotation, downloads, the language switch), so that it never
 * lands in a URL, a history, a log or a Referer. Each POST calls the API
 * handler of the action with the token as its bearer, then GET /followup
 * for the view; answers are no-store like every page. The token is not
 * kept anywhere else, and no cookie is set. With JavaScript, the view's
 * history entry becomes a GET of /pantau (bisik.js), so that Back never
 * lands on a dead POST.
 *
 * The view is the reporter's whole case: what happens next (who acts and
 * by when, in working days and a WIB date, or how it ended), the agency
 * and category by name, what they wrote, the identity line, the rating,
 * every event in words, messages, files with their sizes, and photos
 * shown inline.
 *
 * Photos inline without the token in a URL: an <img> can only fetch by
 * URL, and a data: URL would need img-src data: in the CSP. So each
 * image in the view gets a same-origin URL /pantau/foto/CAP, where CAP is
 * a capability for that one file only: version, expiry (now +
 * PHOTO_CAP_TTL), case sequence and file number, with a MAC (keyed
 * BLAKE2b under the server's pepper, its own domain tag, 128 bits). It
 * carries nothing derived from the token; it shows one image, the copy
 * without metadata that the reporter's view serves, for ten minutes, and
 * nothing else (docs/pages.md, "Photos on the follow-up page"). Logs
 * name the route, never the path.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

/* A photo capability lives this long: a page is read in minutes, and a
 * URL copied out of it is dead soon after. */
#define PHOTO_CAP_TTL		600
#define PHOTO_CAP_V1		0x01
#define PHOTO_MAC_BYTES		16
/* version ‖ expiry (8 BE) ‖ case sequence (8 BE) ‖ number (4 BE) ‖ MAC */
#define PHOTO_CAP_DATA		21
#define PHOTO_CAP_BYTES		(PHOTO_CAP_DATA + PHOTO_MAC_BYTES)
/* Its text: unpadded base64url, fits a path parameter (SRV_PARAM_MAX). */
#define PHOTO_CAP_CHARS		((PHOTO_CAP_BYTES * 4 + 2) / 3)
#define PHOTO_CAP_TEXT		(PHOTO_CAP_CHARS + 1)

/* The token as typed: white space around it dropped (a pasted line end). */
static void
token_clean(const char *in, char out[CRYPTO_TOKEN_MAX_INPUT + 1])
{
	size_t n;

	out[0] = '\0';
	if (in == NULL)
		return;
	while (isspace((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n > 0 && isspace((unsigned char)in[n - 1]))
		n--;
	if (n > CRYPTO_TOKEN_MAX_INPUT)
		n = CRYPTO_TOKEN_MAX_INPUT;	/* the API says 401 */
	memcpy(out, in, n);
	out[n] = '\0';
}

static void
entry_form(struct page *p, const struct srv_reply *err, const char *token)
{
	struct html *h = &p->h;

	/* A refused token's page switches language with its message: the
	 * token is posted again (it is refused again), never put in a URL. */
	if (err != NULL && token != NULL && token[0] != '\0') {
		page_common_switch(p, "/pantau", "/pantau");
		page_common_switch_field(p, "token", token);
	}
	page_common_head(p, page_common_tr(p, M_PANTAU_TITLE), NAV_PANTAU, 0);
	HTML(h, LIT("<h1>"), TR(M_PANTAU_TITLE),
	    LIT("</h1>\n<p class=\"lead\">"), TR(M_PANTAU_INTRO),
	    LIT("</p>\n"));
	if (err != NULL)
		page_common_api_error(p, err);
	HTML(h, LIT("<form class=\"stack\" method=\"post\" "
	    "action=\"/pantau\">"));
	page_common_lang_input(p);
	HTML(h, LIT("<label for=\"token\">"), TR(M_PANTAU_TOKEN), LIT("</label>"
	    "\n<p class=\"help\" id=\"token-help\">"), TR(M_PANTAU_TOKEN_HELP),
	    LIT("</p>\n<input id=\"token\" name=\"token\" type=\"password\" "
	    "required maxlength=\""), INT(CRYPTO_TOKEN_MAX_INPUT), LIT("\" "
	    "autocomplete=\"off\" spellcheck=\"false\" "
	    "aria-describedby=\"token-help\">\n<p><button type=\"submit\">"),
	    TR(M_PANTAU_OPEN), LIT("</button></p>\n</form>\n"));
	page_common_foot(p);
}

void
page_pantau_get(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page p;

	page_common_init(&p, ctx, rq, rp);
	entry_form(&p, NULL, NULL);
	page_common_send(&p, 200);
	page_common_free(&p);
}

/* The start of every action form: method, hidden token and language. */
static void
form_open(struct page *p, const char *token, const char *aksi, int multipart)
{
	HTML(&p->h, LIT("<form class=\"stack\" method=\"post\" "
	    "action=\"/pantau\""), RAW(multipart ?
	    " enctype=\"multipart/form-data\"" : ""), LIT(">"));
	page_common_lang_input(p);
	HTML(&p->h, LIT("<input type=\"hidden\" name=\"token\" value=\""),
	    ATTR(token), LIT("\"><input type=\"hidden\" name=\"aksi\" "
	    "value=\""), ATTR(aksi), LIT("\">\n"));
}

/* ---- photo capabilities ---------------------------------------------------- */

static void
photo_mac(const struct srv_ctx *ctx, const uint8_t data[PHOTO_CAP_DATA],
    uint8_t mac[CRYPTO_HASH_BYTES])
{
	static const char	tag[] = "bisik-photo-cap-v1";
	uint8_t			msg[sizeof(tag) + PHOTO_CAP_DATA];

	memcpy(msg, tag, sizeof(tag));
	memcpy(msg + sizeof(tag), data, PHOTO_CAP_DATA);
	crypto_keyed_hash(ctx->keys->pepper, msg, sizeof(msg), mac);
}

static void
photo_cap(const struct srv_ctx *ctx, time_t now, uint64_t seq, uint32_t n,
    char out[PHOTO_CAP_TEXT])
{
	uint8_t	cap[PHOTO_CAP_BYTES], mac[CRYPTO_HASH_BYTES];
	char	b64[PHOTO_CAP_TEXT + 4];
	size_t	i, k;

	cap[0] = PHOTO_CAP_V1;
	store_be64_put(cap + 1, (uint64_t)now + PHOTO_CAP_TTL);
	store_be64_put(cap + 9, seq);
	store_be32_put(cap + 17, n);
	photo_mac(ctx, cap, mac);
	memcpy(cap + PHOTO_CAP_DATA, mac, PHOTO_MAC_BYTES);
	crypto_b64_encode(cap, sizeof(cap), b64);
	for (i = 0, k = 0; b64[i] != '\0' && b64[i] != '=' &&
	    k + 1 < PHOTO_CAP_TEXT; i++)
		out[k++] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
	out[k] = '\0';
}

/* 0 and the case sequence and file number of a good, live capability. */
static int
photo_cap_open(const struct srv_ctx *ctx, const char *text, time_t now,
    uint64_t *seq, uint32_t *n)
{
	uint8_t	cap[PHOTO_CAP_BYTES + 3], mac[CRYPTO_HASH_BYTES];
	char	b64[PHOTO_CAP_TEXT + 4];
	size_t	len, i, got;
	uint64_t expiry;
	int	ok;

	if (text == NULL || (len = strlen(text)) != PHOTO_CAP_CHARS)
		return -1;
	for (i = 0; i < len; i++) {
		if (text[i] == '-')
			b64[i] = '+';
		else if (text[i] == '_')
			b64[i] = '/';
		else if (isalnum((unsigned char)text[i]))
			b64[i] = text[i];
		else
			return -1;
	}
	while (i % 4 != 0)
		b64[i++] = '=';
	b64[i] = '\0';
	if (crypto_b64_decode(b64, i, cap, sizeof(cap), &got) == -1 ||
	    got != PHOTO_CAP_BYTES || cap[0] != PHOTO_CAP_V1)
		return -1;
	photo_mac(ctx, cap, mac);
	ok = crypto_equal(mac, cap + PHOTO_CAP_DATA, PHOTO_MAC_BYTES);
	crypto_wipe(mac, sizeof(mac));
	expiry = store_be64_get(cap + 1);
	if (!ok || expiry < (uint64_t)now ||
	    expiry > (uint64_t)now + PHOTO_CAP_TTL)
		return -1;
	*seq = store_be64_get(cap + 9);
	*n = store_be32_get(cap + 17);
	return 0;
}

struct photo_get {
	struct srv_ctx	*ctx;
	uint64_t	 seq;
	uint32_t	 n;
	uint8_t		*data;
	size_t		 len;
	int		 type;
};

static int
photo_read(struct store_txn *txn, void *arg)
{
	struct photo_get	*g = arg;
	struct srv_case		 c;
	char			 name[SRV_ATTACH_NAME_BYTES];
	int			 rc;

	if ((rc = srv_case_load(txn, g->ctx->keys, g->seq, &c)) != STORE_OK)
		return rc;
	rc = api_attach_get(txn, &c, g->n, SRV_AUD_REPORTER, &g->data, &g->len,
	    &g->type, name);
	crypto_wipe(name, sizeof(name));
	srv_case_free(&c);
	return rc;
}

/* GET /pantau/foto/CAP: the one image a live capability names, inline. */
void
page_pantau_photo(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		p;
	struct photo_get	g = { ctx, 0, 0, NULL, 0, -1 };
	const char		*mime;

	page_common_init(&p, ctx, rq, rp);
	if (photo_cap_open(ctx, rq->param[0], rq->now, &g.seq, &g.n) == -1 ||
	    store_read(ctx->store, photo_read, &g) != STORE_OK ||
	    (mime = srv_attach_mime(g.type)) == NULL ||
	    strncmp(mime, "image/", 6) != 0) {
		if (g.data != NULL) {
			crypto_wipe(g.data, g.len);
			free(g.data);
		}
		page_common_fail(&p, 404);
		page_common_free(&p);
		return;
	}
	json_decref(rp->body);
	rp->body = NULL;
	rp->status = 200;
	rp->raw = g.data;
	rp->raw_len = g.len;
	rp->raw_type = mime;
	rp->raw_name[0] = '\0';		/* inline */
	rp->page = 1;
	page_common_free(&p);
}

/* ---- the view ---------------------------------------------------------------- */

static void
timeline(struct page *p, const json_t *tl)
{
	const json_t	*e;
	const char	*s;
	size_t		 i;

	if (!json_is_array(tl) || json_array_size(tl) == 0)
		return;
	HTML(&p->h, LIT("<h2>"), TR(M_PANTAU_TIMELINE),
	    LIT("</h2>\n<ol class=\"timeline\">\n"));
	json_array_foreach(tl, i, e) {
		page_common_event_head(p, e);
		if (json_is_true(json_object_get(e, "automatic")))
			HTML(&p->h, LIT(" <span class=\"meta\">("),
			    TR(M_EV_AUTOMATIC), LIT(")</span>"));
		else if ((s = json_string_value(json_object_get(e, "by"))) !=
		    NULL) {
			HTML(&p->h, LIT(" <span class=\"meta\">("), TR(M_BY),
			    LIT(" "));
			page_common_name(p, s);
			html_raw(&p->h, ")</span>");
		}
		if (json_is_integer(json_object_get(e, "rating"))) {
			int r = (int)json_integer_value(json_object_get(e,
			    "rating"));

			if (r >= 1 && r <= 5)
				HTML(&p->h, LIT("<br>"), TR(M_FACT_RATING),
				    LIT(": "), INT(r), LIT(" – "), TR(M_RATE_1 +
				    r - 1));
		}
		page_common_event_tail(p, e);
	}
	html_raw(&p->h, "</ol>\n");
}

static void
messages(struct page *p, const json_t *ms)
{
	const json_t	*e;
	const char	*from;
	size_t		 i;

	HTML(&p->h, LIT("<h2>"), TR(M_PANTAU_MESSAGES), LIT("</h2>\n"));
	if (!json_is_array(ms) || json_array_size(ms) == 0) {
		HTML(&p->h, LIT("<p>"), TR(M_PANTAU_NO_MESSAGES),
		    LIT("</p>\n"));
		return;
	}
	json_array_foreach(ms, i, e) {
		from = json_string_value(json_object_get(e, "from"));
		HTML(&p->h, LIT("<div class=\"msg"), RAW(from != NULL &&
		    strcmp(from, "staff") == 0 ? " staff" : ""),
		    LIT("\"><p class=\"meta\">"), TR(from != NULL &&
		    strcmp(from, "staff") == 0 ? M_FROM_STAFF : M_FROM_YOU),
		    LIT(", "));
		page_common_time(p, json_string_value(json_object_get(e,
		    "at")));
		HTML(&p->h, LIT("</p><p class=\"pre\">"),
		    TXT(json_string_value(json_object_get(e, "body"))),
		    LIT("</p></div>\n"));
	}
}

static int
from_staff(const json_t *a)
{
	const char *f = json_string_value(json_object_get(a, "from"));

	return f == NULL || strcmp(f, "reporter") != 0;
}

/* The case's images, inline through photo capabilities: the staff's
 * (completion photos) first, then the reporter's own. */
static void
photos(struct page *p, const json_t *as, const char *ref)
{
	const json_t	*e;
	char		 cap[PHOTO_CAP_TEXT];
	uint64_t	 seq;
	json_int_t	 n;
	size_t		 i, shown = 0;
	int		 year, pass;

	if (ref == NULL || core_case_ref_parse(ref, &year, &seq) == -1)
		return;
	for (pass = 0; pass < 2; pass++)
		json_array_foreach(as, i, e) {
			n = json_integer_value(json_object_get(e, "attachment"));
			if (!page_common_is_image(e) || n < 1 ||
			    n > UINT32_MAX || from_staff(e) != (pass == 0))
				continue;
			if (shown++ == 0)
				HTML(&p->h, LIT("<h2>"), TR(M_PANTAU_PHOTOS_H),
				    LIT("</h2>\n<div class=\"photos\">"));
			photo_cap(p->ctx, p->rq->now, seq, (uint32_t)n, cap);
			HTML(&p->h, LIT("<figure><img class=\"evidence\" "
			    "src=\"/pantau/foto/"), ATTR(cap), LIT("\" alt=\""),
			    TR(M_PANTAU_PHOTO_ALT), LIT(": "),
			    ATTR(json_string_value(json_object_get(e, "name"))),
			    LIT("\"><figcaption>"), TR(pass == 0 ?
			    M_PANTAU_PHOTO_STAFF : M_PANTAU_PHOTO_YOURS),
			    LIT(" · "), TXT(json_string_value(json_object_get(e,
			    "name"))), LIT(" · "));
			page_common_time(p, json_string_value(json_object_get(e, "at")));
			html_raw(&p->h, "</figcaption></figure>\n");
		}
	if (shown > 0)
		html_raw(&p->h, "</div>\n");
}

static void
attachments(struct page *p, const json_t *as, const char *token)
{
	const json_t	*e;
	char		 n[24];
	size_t		 i;

	if (!json_is_array(as) || json_array_size(as) == 0)
		return;
	HTML(&p->h, LIT("<h2>"), TR(M_ATTACHMENTS), LIT("</h2>\n<div "
	    "class=\"table\" tabindex=\"0\" role=\"region\" aria-label=\""),
	    ATTR(page_common_tr(p, M_ATTACHMENTS)),
	    LIT("\"><table><thead><tr><th scope=\"col\">"), TR(M_F_FILE),
	    LIT("</th><th scope=\"col\">"), TR(M_SIZE),
	    LIT("</th><th scope=\"col\">"), TR(M_FROM),
	    LIT("</th><th scope=\"col\">"), TR(M_SUBMITTED_AT),
	    LIT("</th><th scope=\"col\">"), TR(M_DOWNLOAD),
	    LIT("</th></tr></thead><tbody>\n"));
	json_array_foreach(as, i, e) {
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(
		    json_object_get(e, "attachment")));
		HTML(&p->h, LIT("<tr><td>"),
		    TXT(json_string_value(json_object_get(e, "name"))),
		    LIT("</td><td>"));
		page_common_size(p,
		    (long long)json_integer_value(json_object_get(e, "size")));
		HTML(&p->h, LIT("</td><td>"), TR(from_staff(e) ? M_FROM_STAFF :
		    M_FROM_YOU), LIT("</td><td>"));
		page_common_time(p, json_string_value(json_object_get(e,
		    "at")));
		html_raw(&p->h, "</td><td>");
		HTML(&p->h, LIT("<form method=\"post\" action=\"/pantau\">"));
		page_common_lang_input(p);
		HTML(&p->h, LIT("<input type=\"hidden\" name=\"token\" "
		    "value=\""), ATTR(token), LIT("\"><input type=\"hidden\" "
		    "name=\"aksi\" value=\"unduh\"><input type=\"hidden\" "
		    "name=\"n\" value=\""), ATTR(n), LIT("\"><button "
		    "class=\"alt\" type=\"submit\">"), TR(M_DOWNLOAD),
		    LIT("</button></form></td></tr>\n"));
	}
	html_raw(&p->h, "</tbody></table></div>\n");
}

static int
open_for_messages(const char *st)
{
	return st != NULL && (strcmp(st, "submitted") == 0 ||
	    strcmp(st, "dispositioned") == 0 || strcmp(st, "in_progress") == 0 ||
	    strcmp(st, "resolved") == 0);
}

static void
disclosures(struct page *p, const json_t *ds)
{
	const json_t	*e, *v;
	const char	*k;
	size_t		 i;

	if (!json_is_array(ds) || json_array_size(ds) == 0)
		return;
	HTML(&p->h, LIT("<div class=\"alert\" role=\"alert\"><h2>"),
	    TR(M_PANTAU_DISCLOSED_H), LIT("</h2><p>"), TR(M_PANTAU_DISCLOSED),
	    LIT("</p><ul>"));
	json_array_foreach(ds, i, e) {
		html_raw(&p->h, "<li>");
		if (json_is_string(json_object_get(e, "at")))
			page_common_time(p, json_string_value(json_object_get(e, "at")));
		/* Whatever else the record says (by whose authorization),
		 * shown as it is. */
		json_object_foreach((json_t *)(uintptr_t)e, k, v) {
			if (strcmp(k, "at") == 0)
				continue;
			if (json_is_string(v))
				HTML(&p->h, LIT("; "), TXT(k), LIT(": "),
				    TXT(json_string_value(v)));
			else if (json_is_integer(v))
				HTML(&p->h, LIT("; "), TXT(k), LIT(": "),
				    INT((int)json_integer_value(v)));
		}
		html_raw(&p->h, "</li>");
	}
	html_raw(&p->h, "</ul></div>\n");
}

/* ---- what happens next ------------------------------------------------------- */

/* A deadline or date: the day in words and the WIB time, then how many
 * working days are left or how late it is (not for an automatic close,
 * which is a date, not somebody's deadline). */
static void
when(struct page *p, const char *iso, int deadline)
{
	time_t	due = page_common_iso(iso), now = p->rq->now;
	int	n;

	if (due == -1) {
		HTML(&p->h, TR(M_NOT_YET));
		return;
	}
	page_common_date(p, due);
	html_raw(&p->h, ", ");
	page_common_clock(p, iso);
	if (!deadline)
		return;
	html_raw(&p->h, " – ");
	if ((n = page_common_days_late(now, due)) > 0) {
		html_raw(&p->h, "<strong class=\"overdue\">");
		if (n == 1)
			HTML(&p->h, TR(M_NEXT_LATE_1));
		else
			page_common_trn(p, M_NEXT_LATE, n, 0);
		html_raw(&p->h, "</strong>");
	} else if ((n = page_common_working_days_left(p, now, due)) == 0)
		HTML(&p->h, TR(M_NEXT_TODAY));
	else if (n == 1)
		HTML(&p->h, TR(M_NEXT_DAYS_LEFT_1));
	else
		page_common_trn(p, M_NEXT_DAYS_LEFT, n, 0);
}

static void
next_row(struct page *p, int who, const char *agency, int label,
    const char *iso, int deadline)
{
	HTML(&p->h, LIT("<dt>"), TR(M_NEXT_WHO), LIT("</dt><dd>"), TR(who));
	if (agency != NULL)
		HTML(&p->h, LIT(" – "), TXT(agency));
	HTML(&p->h, LIT("</dd><dt>"), TR(label), LIT("</dt><dd>"));
	when(p, iso, deadline);
	html_raw(&p->h, "</dd>");
}

void
page_pantau_next(struct page *p, const json_t *v, const struct page_dir *dir)
{
	const json_t	*d = json_object_get(v, "deadlines");
	const json_t	*sv = json_object_get(v, "surviving_case");
	const char	*st = json_string_value(json_object_get(v, "status"));
	const char	*agency = page_common_dir_name(dir->agencies, json_string_value(
			    json_object_get(v, "agency")));
	const char	*responded = json_string_value(json_object_get(d,
			    "responded_at"));
	int		 key = -1, due = 0;

	if (st == NULL)
		return;
	HTML(&p->h, LIT("<section class=\"next\" aria-labelledby=\"next-h\">"
	    "<h2 id=\"next-h\">"), TR(M_NEXT_H), LIT("</h2>\n"));
	if (strcmp(st, "submitted") == 0) {
		HTML(&p->h, LIT("<p>"), TR(M_NEXT_SUBMITTED),
		    LIT("</p><dl class=\"facts\">"));
		next_row(p, M_NEXT_WHO_CENTRAL, NULL, M_DUE, json_string_value(
		    json_object_get(d, "dispose")), 1);
		due = 1;
	} else if (strcmp(st, "dispositioned") == 0) {
		HTML(&p->h, LIT("<p>"), TR(M_NEXT_DISPOSITIONED),
		    LIT("</p><dl class=\"facts\">"));
		next_row(p, M_NEXT_WHO_AGENCY, agency, M_DUE, json_string_value(
		    json_object_get(d, "accept")), 1);
		due = 1;
	} else if (strcmp(st, "in_progress") == 0) {
		HTML(&p->h, LIT("<p>"), TR(M_NEXT_IN_PROGRESS),
		    LIT("</p><dl class=\"facts\">"));
		next_row(p, M_NEXT_WHO_LIAISON, agency, M_DUE, json_string_value(
		    json_object_get(d, "resolve")), 1);
		due = 1;
	} else if (strcmp(st, "resolved") == 0) {
		HTML(&p->h, LIT("<p>"), TR(M_NEXT_RESOLVED),
		    LIT("</p><dl class=\"facts\">"));
		next_row(p, M_NEXT_WHO_YOU, NULL, M_NEXT_AUTOCLOSE,
		    json_string_value(json_object_get(d, "close")), 0);
	} else {
		if (strcmp(st, "closed") == 0)
			key = json_is_string(json_object_get(v, "closed_by")) &&
			    strcmp(json_string_value(json_object_get(v,
			    "closed_by")), "system") == 0 ? M_NEXT_CLOSED_AUTO :
			    M_NEXT_CLOSED;
		else if (strcmp(st, "rejected") == 0)
			key = M_NEXT_REJECTED;
		else if (strcmp(st, "merged") == 0)
			key = M_NEXT_MERGED;
		if (key >= 0)
			HTML(&p->h, LIT("<p>"), TR(key));
		if (key == M_NEXT_MERGED && json_is_object(sv))
			HTML(&p->h, LIT(" <strong translate=\"no\">"),
			    TXT(json_string_value(json_object_get(sv, "case"))),
			    LIT("</strong>"));
		if (key == M_NEXT_REJECTED && json_is_string(json_object_get(v,
		    "reject_reason"))) {
			HTML(&p->h, LIT(" "), TR(M_F_REASON), LIT(": "));
			page_common_name(p, json_string_value(json_object_get(v,
			    "reject_reason")));
		}
		if (key >= 0)
			html_raw(&p->h, "</p>\n");
		html_raw(&p->h, "<dl class=\"facts\">");
		if (json_is_string(json_object_get(v, "closed_at"))) {
			HTML(&p->h, LIT("<dt>"), TR(M_FACT_CLOSED_AT),
			    LIT("</dt><dd>"));
			when(p, json_string_value(json_object_get(v,
			    "closed_at")), 0);
			html_raw(&p->h, "</dd>");
		}
	}
	/* The agency's first answer to the reporter has its own deadline. */
	if ((strcmp(st, "dispositioned") == 0 ||
	    strcmp(st, "in_progress") == 0) && responded == NULL &&
	    json_is_string(json_object_get(d, "respond"))) {
		HTML(&p->h, LIT("<dt>"), TR(M_NEXT_RESPOND), LIT("</dt><dd>"));
		when(p, json_string_value(json_object_get(d, "respond")), 1);
		html_raw(&p->h, "</dd>");
	}
	html_raw(&p->h, "</dl>\n");
	if (due)
		HTML(&p->h, LIT("<p class=\"help\">"), TR(M_DUE_EXPLAIN),
		    LIT("</p>\n"));
	html_raw(&p->h, "</section>\n");
}

/* The reporter's own case, every fact by name. */
static void
facts(struct page *p, const json_t *v, const struct page_dir *dir)
{
	struct html	*h = &p->h;
	const char	*s;
	int32_t		 day;
	int		 r;

	HTML(h, LIT("<h2>"), TR(M_PANTAU_FACTS_H),
	    LIT("</h2>\n<dl class=\"facts\"><dt>"), TR(M_F_KIND),
	    LIT("</dt><dd>"));
	page_common_name(p, json_string_value(json_object_get(v, "kind")));
	HTML(h, LIT("</dd><dt>"), TR(M_F_VISIBILITY), LIT("</dt><dd>"));
	page_common_name(p, json_string_value(json_object_get(v,
	    "visibility")));
	s = json_string_value(json_object_get(v, "agency"));
	HTML(h, LIT("</dd><dt>"), TR(M_F_AGENCY), LIT("</dt><dd>"), TXT(s !=
	    NULL ? page_common_dir_name(dir->agencies, s) : page_common_tr(p,
	    M_NOT_YET)), LIT("</dd>"));
	s = json_string_value(json_object_get(v, "category"));
	HTML(h, LIT("<dt>"), TR(M_F_CATEGORY), LIT("</dt><dd>"), TXT(s != NULL ?
	    page_common_dir_name(dir->categories, s) : page_common_tr(p,
	    M_FACT_NOT_GIVEN)), LIT("</dd>"));
	s = json_string_value(json_object_get(v, "location"));
	HTML(h, LIT("<dt>"), TR(M_FACT_LOCATION), LIT("</dt><dd>"), TXT(s !=
	    NULL ? s : page_common_tr(p, M_FACT_NOT_GIVEN)), LIT("</dd>"));
	HTML(h, LIT("<dt>"), TR(M_FACT_OCCURRED_ON), LIT("</dt><dd>"));
	if ((s = json_string_value(json_object_get(v, "occurred_on"))) !=
	    NULL && core_date_parse(s, &day) == 0)
		page_common_date(p, (time_t)day * 86400);
	else
		HTML(h, TR(M_FACT_NOT_GIVEN));
	HTML(h, LIT("</dd><dt>"), TR(M_SUBMITTED_AT), LIT("</dt><dd>"));
	page_common_time(p, json_string_value(json_object_get(v,
	    "created_at")));
	HTML(h, LIT("</dd><dt>"), TR(M_FACT_IDENTITY), LIT("</dt><dd>"),
	    TR(json_is_true(json_object_get(v, "identity")) ?
	    M_FACT_IDENTITY_SEALED : M_FACT_IDENTITY_NONE), LIT("</dd>"));
	if (json_is_string(json_object_get(v, "resolved_at"))) {
		HTML(h, LIT("<dt>"), TR(M_FACT_RESOLVED_AT), LIT("</dt><dd>"));
		page_common_time(p, json_string_value(json_object_get(v,
		    "resolved_at")));
		html_raw(h, "</dd>");
	}
	if (json_is_integer(json_object_get(v, "rating")) &&
	    (r = (int)json_integer_value(json_object_get(v, "rating"))) >= 1 &&
	    r <= 5)
		HTML(h, LIT("<dt>"), TR(M_FACT_RATING), LIT("</dt><dd>"),
		    INT(r), LIT(" – "), TR(M_RATE_1 + r - 1), LIT("</dd>"));
	html_raw(h, "</dl>\n");
}

static void
view(struct page *p, const json_t *v, const char *token,
    const struct srv_reply *err, int notice, const char *rotated,
    const struct page_dir *dir)
{
	struct html	*h = &p->h;
	const char	*st = json_string_value(json_object_get(v, "status"));
	const json_t	*sv = json_object_get(v, "surviving_case");
	const char	*s;
	char		 title[64];

	snprintf(title, sizeof(title), "%s", json_string_value(
	    json_object_get(v, "case")));
	page_common_switch(p, "/pantau", "/pantau");
	page_common_switch_field(p, "token", token);
	page_common_head(p, title, NAV_PANTAU, 0);
	HTML(h, LIT("<h1>"), TR(M_PANTAU_CASE), LIT(" <span translate=\"no\">"),
	    TXT(title), LIT("</span></h1>\n<p>"));
	page_common_status(p, st);
	html_raw(h, "</p>\n");
	if (err != NULL)
		page_common_api_error(p, err);
	if (notice >= 0)
		page_common_notice(p, notice);
	if (rotated != NULL) {
		HTML(h, LIT("<div class=\"receipt\"><h2>"),
		    TR(M_PANTAU_NEWTOKEN), LIT("</h2>"));
		page_common_token(p, rotated);
		HTML(h, LIT("<div class=\"alert\" role=\"alert\"><p>"),
		    TR(M_PANTAU_NEWTOKEN_WARN), LIT("</p></div></div>\n"));
	}
	disclosures(p, json_object_get(v, "identity_disclosures"));
	if (json_is_object(sv)) {
		HTML(h, LIT("<div class=\"notice\"><p>"), TR(M_PANTAU_MERGED),
		    LIT(" <strong translate=\"no\">"),
		    TXT(json_string_value(json_object_get(sv, "case"))),
		    LIT("</strong> "));
		page_common_status(p, json_string_value(json_object_get(sv, "status")));
		html_raw(h, "</p></div>\n");
	}
	page_pantau_next(p, json_is_object(sv) ? sv : v, dir);
	facts(p, v, dir);
	HTML(h, LIT("<h2>"), TXT(json_string_value(json_object_get(v,
	    "title"))), LIT("</h2>\n<p class=\"pre\">"),
	    TXT(json_string_value(json_object_get(v, "body"))), LIT("</p>\n"));
	if ((s = json_string_value(json_object_get(v, "resolution"))) != NULL)
		HTML(h, LIT("<h2>"), TR(M_PANTAU_RESOLUTION_H),
		    LIT("</h2>\n<p class=\"pre\">"), TXT(s), LIT("</p>\n"));
	photos(p, json_object_get(v, "attachments"), json_string_value(
	    json_object_get(v, "case")));
	timeline(p, json_is_object(sv) ? json_object_get(sv, "timeline") :
	    json_object_get(v, "timeline"));
	messages(p, json_object_get(v, "messages"));
	attachments(p, json_object_get(v, "attachments"), token);

	if (open_for_messages(st)) {
		HTML(h, LIT("<h2>"), TR(M_PANTAU_REPLY_H), LIT("</h2>\n"));
		form_open(p, token, "balas", 0);
		HTML(h, LIT("<label for=\"reply\">"), TR(M_PANTAU_REPLY),
		    LIT("</label><textarea id=\"reply\" name=\"body\" "
		    "rows=\"5\" cols=\"60\" required maxlength=\""),
		    INT(CORE_MESSAGE_MAX), LIT("\"></textarea><p><button "
		    "type=\"submit\">"), TR(M_SEND),
		    LIT("</button></p></form>\n"));
		HTML(h, LIT("<h2>"), TR(M_PANTAU_EVIDENCE_H), LIT("</h2>\n"));
		form_open(p, token, "lampir", 1);
		HTML(h, LIT("<label for=\"evidence\">"), TR(M_F_FILE_ONE),
		    LIT("</label><p class=\"help\" id=\"evidence-help\">"));
		page_common_trn(p, M_PANTAU_FILE_HELP, (long long)(p->ctx->cfg->
		    max_attachment_bytes / (1024 * 1024)), SRV_ATTACH_PER_CASE);
		HTML(h, LIT("</p><input id=\"evidence\" name=\"file\" "
		    "type=\"file\" required "
		    "accept=\"image/jpeg,image/png,image/webp,application/pdf,text/plain\" "
		    "aria-describedby=\"evidence-help\"><p><button "
		    "type=\"submit\">"), TR(M_UPLOAD),
		    LIT("</button></p></form>\n"));
	}
	if (st != NULL && strcmp(st, "resolved") == 0) {
		int i;

		HTML(h, LIT("<h2>"), TR(M_PANTAU_RATE_H), LIT("</h2>\n<p>"),
		    TR(M_PANTAU_RATE_INTRO), LIT("</p>\n"));
		form_open(p, token, "nilai", 0);
		HTML(h, LIT("<fieldset><legend>"), TR(M_F_RATING),
		    LIT("</legend>"));
		for (i = 1; i <= 5; i++)
			HTML(h, LIT("<div class=\"choice\"><input "
			    "type=\"radio\" id=\"rating-"), INT(i),
			    LIT("\" name=\"rating\" value=\""), INT(i),
			    LIT("\""), RAW(i == 1 ? " required" : ""),
			    LIT("><label for=\"rating-"), INT(i), LIT("\">"),
			    INT(i), LIT(" – "), TR(M_RATE_1 + i - 1),
			    LIT("</label></div>"));
		HTML(h, LIT("</fieldset><label for=\"comment\">"),
		    TR(M_F_COMMENT), LIT("</label><textarea id=\"comment\" "
		    "name=\"comment\" rows=\"3\" cols=\"60\" maxlength=\""),
		    INT(CORE_MESSAGE_MAX), LIT("\"></textarea><p><button "
		    "type=\"submit\">"), TR(M_PANTAU_RATE_SEND),
		    LIT("</button></p></form>\n"));
		HTML(h, LIT("<h2>"), TR(M_PANTAU_REOPEN_H), LIT("</h2>\n<p>"),
		    TR(M_PANTAU_REOPEN_INTRO), LIT("</p>\n"));
		form_open(p, token, "buka", 0);
		HTML(h, LIT("<label for=\"reopen\">"), TR(M_F_REASON),
		    LIT("</label><textarea id=\"reopen\" name=\"reason\" "
		    "rows=\"3\" cols=\"60\" required maxlength=\""),
		    INT(CORE_REASON_MAX), LIT("\"></textarea><p><button "
		    "type=\"submit\">"), TR(M_PANTAU_REOPEN_SEND),
		    LIT("</button></p></form>\n"));
	}
	HTML(h, LIT("<h2>"), TR(M_PANTAU_ROTATE_H), LIT("</h2>\n<p>"),
	    TR(M_PANTAU_ROTATE_INTRO), LIT("</p>\n"));
	form_open(p, token, "ganti", 0);
	HTML(h, LIT("<p><button class=\"alt\" type=\"submit\">"),
	    TR(M_PANTAU_ROTATE_SEND), LIT("</button></p></form>\n"));
	page_common_foot(p);
}

void
page_pantau_post(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page		 p = { 0 };
	struct api_call		 c = { 0 };
	struct srv_reply	 act = { 0 }, got = { 0 };
	const struct form_field	*file;
	const char		*aksi, *s;
	char			 token[CRYPTO_TOKEN_MAX_INPUT + 1] = "";
	char			 rotated[CRYPTO_TOKEN_TEXT] = "", n[16];
	struct page_dir		 dir = { NULL, NULL };
	int			 notice = -1, acted = 0;

	page_common_init(&p, ctx, rq, rp);
	if (page_common_form(&p, ctx->cfg->max_body_bytes) == -1)
		goto out;
	token_clean(page_form_get(&p.form, "token"), token);
	aksi = page_form_text(&p.form, "aksi") ? page_form_text(&p.form, "aksi") : "lihat";
	c.token = token;
	if (strcmp(aksi, "balas") == 0) {
		c.body = json_pack("{s:s?}", "body", page_form_get(&p.form,
		    "body"));
		page_common_api(&p, api_followup_message, &c, &act);
		notice = M_PANTAU_SENT;
		acted = 1;
	} else if (strcmp(aksi, "lampir") == 0) {
		if ((file = page_form_file(&p.form, "file")) != NULL) {
			c.file = (const uint8_t *)file->value;
			c.file_len = file->len;
			c.file_name = file->fname;
		} else {
			c.file = (const uint8_t *)"";
			c.file_len = 0;
			c.file_name = "attachment";
		}
		page_common_api(&p, api_attach_followup, &c, &act);
		notice = M_PANTAU_ATTACHED;
		acted = 1;
	} else if (strcmp(aksi, "nilai") == 0) {
		s = page_form_get(&p.form, "rating");
		c.body = json_pack("{s:i}", "rating", s != NULL &&
		    strlen(s) == 1 && s[0] >= '1' && s[0] <= '5' ? s[0] - '0' :
		    0);
		if (c.body != NULL && page_form_text(&p.form,
			"comment") != NULL)
			json_object_set_new(c.body, "comment", json_string(
			    page_form_text(&p.form, "comment")));
		page_common_api(&p, api_cases_followup_confirm, &c, &act);
		notice = M_PANTAU_RATED;
		acted = 1;
	} else if (strcmp(aksi, "buka") == 0) {
		c.body = json_pack("{s:s?}", "reason", page_form_get(&p.form,
		    "reason"));
		page_common_api(&p, api_cases_followup_reopen, &c, &act);
		notice = M_PANTAU_REOPENED;
		acted = 1;
	} else if (strcmp(aksi, "ganti") == 0) {
		page_common_api(&p, api_followup_rotate, &c, &act);
		acted = 1;
		if (act.status == 200 && (s = json_string_value(
		    json_object_get(act.body, "token"))) != NULL) {
			snprintf(rotated, sizeof(rotated), "%s", s);
			snprintf(token, sizeof(token), "%s", s);
			c.token = token;
		}
	} else if (strcmp(aksi, "unduh") == 0) {
		s = page_form_get(&p.form, "n");
		snprintf(n, sizeof(n), "%s", s != NULL && strlen(s) < sizeof(n) ?
		    s : "");
		c.param0 = n;
		page_common_api(&p, api_attach_followup_get, &c, &act);
		if (act.status == 200 && act.raw != NULL) {
			page_common_pass_raw(&p, &act);
			goto out;
		}
		acted = 1;
	} else if (strcmp(aksi, "lihat") != 0) {
		page_common_fail(&p, 400);
		goto out;
	}
	json_decref(c.body);
	c.body = NULL;
	if (act.status == 401 || token[0] == '\0') {
		if (act.status != 401) {
			page_common_api_free(&act);
			srv_http_error(&act, 401, "unauthorized", "no token");
		}
		entry_form(&p, &act, token);
		page_common_send(&p, 401);
		goto out;
	}
	page_common_api(&p, api_followup_get, &c, &got);
	if (got.status != 200) {
		entry_form(&p, &got, token);
		page_common_send(&p, got.status);
		goto out;
	}
	page_common_dir_load(&p, &dir);
	if (acted && act.status >= 300)
		view(&p, got.body, token, &act, -1, NULL, &dir);
	else
		view(&p, got.body, token, NULL, acted ? notice : -1,
		    rotated[0] != '\0' ? rotated : NULL, &dir);
	page_common_send(&p, acted && act.status >= 300 ? act.status : 200);
 out:
	json_decref(c.body);
	page_common_api_free(&act);
	page_common_api_free(&got);
	page_common_dir_free(&dir);
	crypto_wipe(token, sizeof(token));
	crypto_wipe(rotated, sizeof(rotated));
	page_common_free(&p);
}
