/*
 * server_pages_test.c: the web pages' pieces that need no server: the
 * escapers and the page buffer (html.c), the catalogues (every key in
 * every language), Accept-Language, and the SVG chart (no style
 * attribute, suppressed figures shown as "< N").
 */
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"
#include "tests/unit/tap.h"

static char out[8192];

static const char *
text(const char *in)
{
	struct html	h;
	size_t		n;
	char		*p;

	html_init(&h, 4096, LANG_ID);
	html_text(&h, in);
	p = html_take(&h, &n);
	snprintf(out, sizeof(out), "%s", p != NULL ? p : "");
	free(p);
	return out;
}

static const char *
url(const char *in)
{
	struct html	h;
	size_t		n;
	char		*p;

	html_init(&h, 4096, LANG_ID);
	html_url(&h, in);
	p = html_take(&h, &n);
	snprintf(out, sizeof(out), "%s", p != NULL ? p : "");
	free(p);
	return out;
}

int
main(void)
{
	struct html	 h;
	struct page	 pg;
	struct page_bar	 bars[2] = { { "Dinas <PU>", 12 }, { "Kecil", -1 } };
	size_t		 i, n;
	int		 all = 1;
	char		*p;

	for (i = 0; i < M_MAX; i++)
		if (i18n_id[i] == NULL || i18n_id[i][0] == '\0' ||
		    i18n_en[i] == NULL || i18n_en[i][0] == '\0') {
			printf("# key %zu missing\n", i);
			all = 0;
		}
	CHECK(all, "every catalogue key has a text in id and en");
	CHECK(strcmp(tr(LANG_EN, M_NAV_LAPOR), "Report") == 0 &&
	    strcmp(tr(LANG_ID, M_NAV_LAPOR), "Lapor") == 0, "tr picks the language");

	CHECK(strcmp(text("<script>alert('x')</script> & \"q\""),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
	    == 0, "text: markup characters become references");
	CHECK(strcmp(text("a\xe2\x80\xae" "gpj.exe"), "a[U+202E]gpj.exe") == 0,
	    "text: RTL override shown, not obeyed");
	CHECK(strcmp(text("x\xe2\x81\xa6y"), "x[U+2066]y") == 0,
	    "text: isolates shown too");
	CHECK(strcmp(text("a\xff" "b"), "a\xef\xbf\xbd" "b") == 0,
	    "text: invalid UTF-8 becomes U+FFFD");
	CHECK(strcmp(text("a\x01" "b\nc\td"), "a\xef\xbf\xbd" "b\nc\td") == 0,
	    "text: controls become U+FFFD, line ends and tabs stay");
	CHECK(strcmp(text("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd") == 0,
	    "text: overlong forms refused");
	CHECK(strcmp(text("Jalan Sudirman – 12"), "Jalan Sudirman – 12") == 0,
	    "text: plain UTF-8 passes");
	CHECK(strcmp(url("javascript:alert(1)//\"<>& ?=#"),
	    "javascript%3Aalert%281%29%2F%2F%22%3C%3E%26%20%3F%3D%23") == 0,
	    "url: everything but unreserved is encoded");
	CHECK(strcmp(url("BSK-2026-000001_a.b~"), "BSK-2026-000001_a.b~") == 0,
	    "url: unreserved stays");

	html_init(&h, 4096, LANG_EN);
	html_put(&h, "<a href=\"/x/%u\" title=\"%a\">%s %d %t %r%%</a>", "a b",
	    "\"q\"", "<b>", 42, M_NAV_LAPOR, "<i>ok</i>");
	p = html_take(&h, &n);
	CHECK(p != NULL && strcmp(p, "<a href=\"/x/a%20b\" title=\"&quot;q&quot;\">"
	    "&lt;b&gt; 42 Report <i>ok</i>%</a>") == 0, "html_put placeholders");
	free(p);

	html_init(&h, 16, LANG_ID);
	html_raw(&h, "0123456789");
	html_raw(&h, "0123456789");
	CHECK(h.failed, "the buffer stops at its maximum");
	html_free(&h);

	CHECK(page_accept_language(NULL) == LANG_ID, "no Accept-Language: id");
	CHECK(page_accept_language("en-US,en;q=0.9") == LANG_EN, "en-US: en");
	CHECK(page_accept_language("id-ID,id;q=0.9,en;q=0.8") == LANG_ID,
	    "id first: id");
	CHECK(page_accept_language("en;q=0.5,id;q=0.8") == LANG_ID,
	    "q values count");
	CHECK(page_accept_language("fr,de") == LANG_ID, "neither: id");
	CHECK(page_accept_language("en;q=0") == LANG_ID, "q=0 is a no");
	CHECK(page_lang_parse("en") == LANG_EN && page_lang_parse("xx") == -1,
	    "lang parameter");

	memset(&pg, 0, sizeof(pg));
	html_init(&pg.h, 65536, LANG_ID);
	page_chart(&pg, "Grafik \"uji\"", bars, 2, 0, 5);
	p = html_take(&pg.h, &n);
	CHECK(p != NULL && strstr(p, "style=") == NULL &&
	    strstr(p, "<script") == NULL, "chart: no style attribute, no script");
	CHECK(p != NULL && strstr(p, "&lt; 5") != NULL,
	    "chart: a suppressed figure shows as < N");
	CHECK(p != NULL && strstr(p, "Dinas &lt;PU&gt;") != NULL,
	    "chart: labels escaped");
	CHECK(p != NULL && strstr(p, "<title>Grafik &quot;uji&quot;</title>") !=
	    NULL, "chart: titled for screen readers");
	free(p);
	return tap_done();
}
