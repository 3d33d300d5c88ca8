/*
 * server_pages_test.c: the web pages' pieces that need no server: the
 * escapers and the page buffer (html.c), the catalogues (every key in
 * every language), Accept-Language, the SVG chart (no style attribute,
 * suppressed figures in words, never "< N"), and the reporter's "what
 * happens next" (working days left on the WIB calendar with its
 * holidays, days late, the automatic close date, how a case ended),
 * sizes, dates in words and the language switch of a page that answers
 * a POST (a form, the token in its body, never in a URL).
 *
 * Then the page handlers with forms the parser refuses, through the real
 * request path (srv_http_embedded on a socket pair, a real data directory
 * in a temporary directory): before every round of the daemon the stack
 * below the caller is filled with 0xA5, as an earlier request would have
 * left it, so a handler whose cleanup touches a local it never set reads
 * garbage and crashes (issue 11: page_pantau_post freed c.body from the
 * stack after page_common_form() refused "a=%"). Each POST must get a clean 4xx
 * and each GET with a query the parser chokes on 200 or a 4xx.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server/server.h"
#include "tests/unit/tap.h"

/* Bytes of stack filled before each round of the daemon: deeper than any
 * handler's frames with their locals (struct page is the largest). */
#define STACK_FILL	(256 * 1024)
/* An answer kept at most. */
#define ANSWER_MAX	(1024 * 1024)

static struct MHD_Daemon	*daemon_;
static char			 answer[ANSWER_MAX];

/* Leaves STACK_FILL bytes of 0xA5 below the caller's frame. */
static void __attribute__((noinline))
stack_fill(void)
{
	volatile unsigned char	buf[STACK_FILL];

	memset((unsigned char *)(uintptr_t)buf, 0xA5, sizeof(buf));
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

static void
run_round(void)
{
	stack_fill();
	MHD_run(daemon_);
}

/* Sends req on a new connection handed to the daemon and returns the
 * status of the answer (0: none). */
static unsigned
exchange(const char *req, size_t len)
{
	struct sockaddr_in	 sin;
	const union MHD_DaemonInfo *di;
	size_t			 off = 0, got = 0;
	ssize_t			 n = -1;
	int			 sv[2], idle = 0, progress, i;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return 0;
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
	if (MHD_add_connection(daemon_, sv[1], (struct sockaddr *)&sin,
	    sizeof(sin)) != MHD_YES) {
		close(sv[0]);
		return 0;
	}
	while (idle < 8) {
		progress = 0;
		if (off < len && (n = send(sv[0], req + off, len - off,
		    MSG_NOSIGNAL)) > 0) {
			off += (size_t)n;
			progress = 1;
		}
		run_round();
		while (got < sizeof(answer) - 1 && (n = read(sv[0],
		    answer + got, sizeof(answer) - 1 - got)) > 0) {
			got += (size_t)n;
			progress = 1;
		}
		if (n == 0)
			break;
		idle = progress ? 0 : idle + 1;
	}
	answer[got] = '\0';
	close(sv[0]);
	for (i = 0; i < 64; i++) {
		run_round();
		di = MHD_get_daemon_info(daemon_,
		    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (di == NULL || di->num_connections == 0)
			break;
	}
	if (got < 12 || strncmp(answer, "HTTP/1.1 ", 9) != 0)
		return 0;
	return (unsigned)strtoul(answer + 9, NULL, 10);
}

/* POST path with a body of type ctype (len bytes); the status. */
static unsigned
post(const char *path, const char *ctype, const char *body, size_t len)
{
	static char	req[512 * 1024];
	int		n;

	n = snprintf(req, sizeof(req), "POST %s HTTP/1.1\r\nHost: t\r\n"
	    "Content-Type: %s\r\nCookie: bisik_session=%s\r\n"
	    "Content-Length: %zu\r\n\r\n", path, ctype,
	    "0000-0000-0000-0000-0000-0000-0000-0000", len);
	if (n < 0 || (size_t)n + len > sizeof(req))
		return 0;
	memcpy(req + n, body, len);
	return exchange(req, (size_t)n + len);
}

static unsigned
get(const char *target)
{
	char	req[2048];
	int	n;

	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\n\r\n",
	    target);
	return exchange(req, (size_t)n);
}

/* A data directory as `bisikd init` makes it, one agency, and the
 * embedded daemon over it. */
static int
serve(char *dir, struct srv_ctx *ctx, struct srv_keys *keys,
    struct srv_config *cfg, struct store **st)
{
	static const char	 conf[] = "{\"pow_difficulty\":0,"
	    "\"form_min_seconds\":0,\"log_level\":\"error\"}";
	char			 data[256], err[256];

	if (crypto_init() == -1 || mkdtemp(dir) == NULL)
		return -1;
	snprintf(data, sizeof(data), "%s/data", dir);
	srv_config_defaults(cfg);
	if (srv_config_parse(cfg, conf, strlen(conf), err, sizeof(err)) == -1)
		return -1;
	srv_log_set_level(cfg->log_level);
	if (mkdir(data, 0700) == -1 || srv_keys_create(data) == -1 ||
	    srv_keys_load(data, keys) == -1)
		return -1;
	srv_audit_init(keys);
	if (store_open(data, STORE_CREATE, st) != STORE_OK ||
	    srv_directory_category_seed(*st) == -1 ||
	    srv_directory_agency_put(*st, "dinas-pu", "Dinas Pekerjaan Umum",
	    NULL, NULL, err, sizeof(err)) == -1)
		return -1;
	ctx->store = *st;
	ctx->keys = keys;
	ctx->cfg = cfg;
	daemon_ = srv_http_embedded(ctx, &srv_routes);
	return daemon_ != NULL ? 0 : -1;
}

/* The page POST routes (server/pages.inc) and their refused forms. */
static const char *const post_paths[] = {
	"/lapor", "/lapor/bukti", "/pantau", "/staf/masuk", "/staf/keluar",
	"/staf/kasus/BSK-2026-000001/aksi", "/staf/kasus/BSK-2026-000001/pesan",
	"/staf/kasus/BSK-2026-000001/lampiran",
	"/staf/sesi/0011223344556677/cabut",
	"/staf/totp/mulai", "/staf/totp/konfirmasi", "/staf/massal",
	"/staf/laporan-baru", "/staf/kasus/BSK-2026-000001/tahan"
};

static void
refused_forms(void)
{
	static char	 big[200 * 1024];
	static const char urlenc[] = "application/x-www-form-urlencoded";
	static const char mp[] = "multipart/form-data; boundary=XyZ";
	static const char broken[] = "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"token\"\r\n\r\nABCD";	/* no closing boundary */
	static const char twofiles[] = "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\"; filename=\"a.png\"\r\n\r\nxx\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"b\"; "
	    "filename=\"b.png\"\r\n\r\nyy\r\n--XyZ--\r\n";
	char		 name[160];
	unsigned	 st;
	size_t		 i, n;

	/* the reproduction of issue 11: a query page, then a refused form */
	for (i = 0; i < 20; i++) {
		st = get("/publik?q=abc");
		if (st != 200)
			break;
		if ((st = post("/pantau", urlenc, "a=%", 3)) != 400)
			break;
	}
	CHECK(i == 20, "GET /publik?q=abc then POST /pantau a=%, 20 times: "
	    "200 and 400 each time, no crash");

	n = strlen("token=");
	memcpy(big, "token=", n);
	memset(big + n, 'A', sizeof(big) - n);
	for (i = 0; i < sizeof(post_paths) / sizeof(post_paths[0]); i++) {
		st = post(post_paths[i], urlenc, "a=%", 3);
		snprintf(name, sizeof(name), "POST %s a=%%: clean 4xx (%u)",
		    post_paths[i], st);
		CHECK(st >= 400 && st < 500, name);
		st = post(post_paths[i], urlenc, "token=\xff&csrf=\xfe", 14);
		snprintf(name, sizeof(name), "POST %s token=\\xff: clean 4xx "
		    "(%u)", post_paths[i], st);
		CHECK(st >= 400 && st < 500, name);
		st = post(post_paths[i], urlenc, "token=a%00b", 11);
		snprintf(name, sizeof(name), "POST %s token=a%%00b: clean 4xx "
		    "(%u)", post_paths[i], st);
		CHECK(st >= 400 && st < 500, name);
		st = post(post_paths[i], mp, broken, strlen(broken));
		snprintf(name, sizeof(name), "POST %s broken multipart: clean "
		    "4xx (%u)", post_paths[i], st);
		CHECK(st >= 400 && st < 500, name);
		st = post(post_paths[i], mp, twofiles, strlen(twofiles));
		snprintf(name, sizeof(name), "POST %s two files: clean 4xx "
		    "(%u)", post_paths[i], st);
		CHECK(st >= 400 && st < 500, name);
		st = post(post_paths[i], urlenc, big, sizeof(big));
		snprintf(name, sizeof(name), "POST %s a 200 KB field: clean "
		    "4xx (%u)", post_paths[i], st);
		CHECK(st >= 400 && st < 500, name);
	}
}

/* GET pages whose query the parser refuses or does not expect. */
static void
odd_queries(void)
{
	static const char *const targets[] = {
		"/?lang=%", "/lapor?lang=%ff", "/pantau?token=%FF%FE",
		"/publik?q=%&cursor=%zz&limit=-1", "/publik?q=%00",
		"/statistik?from=2026-13-01&to=%&agency=%ff",
		"/staf?status=%&agency=%ff&cursor=%",
		"/staf/kasus/BSK-2026-000001?x=%",
		"/staf/sesi?x=%", "/staf/totp?x=%", "/staf/instansi?q=%",
		"/staf/pengungkapan?state=%ff",
		"/staf/kasus/BSK-2026-000001/lampiran/1?x=%"
	};
	char		name[160];
	unsigned	st;
	size_t		i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		st = get(targets[i]);
		snprintf(name, sizeof(name), "GET %s: 200 or a clean 4xx (%u)",
		    targets[i], st);
		CHECK(st == 200 || (st >= 400 && st < 500), name);
	}
}

static char out[65536];

static const char *
text(const char *in)
{
	struct html	h;
	size_t		n;
	char		*p;

	html_init(&h, 4096);
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

	html_init(&h, 4096);
	html_url(&h, in);
	p = html_take(&h, &n);
	snprintf(out, sizeof(out), "%s", p != NULL ? p : "");
	free(p);
	return out;
}

/* ---- what happens next ------------------------------------------------ */

static struct srv_config	cfg;
static struct srv_ctx		ctx;
static struct srv_request	rq;

/* "YYYY-MM-DD HH:MM" in WIB as Unix time. */
static time_t
wib(const char *date, int h, int m)
{
	int32_t day = 0;

	if (core_date_parse(date, &day) == -1)
		return 0;
	return (time_t)day * 86400 + h * 3600 + m * 60 - CORE_TZ_OFFSET;
}

static void
iso(time_t t, char buf[21])
{
	core_time_iso(t, buf);
}

/* page_pantau_next of a view at now, in a language; into out. */
static const char *
next(const char *view, time_t now, int lang)
{
	struct page	 pg;
	struct page_dir	 dir = { NULL, NULL };
	json_t		*v = json_loads(view, 0, NULL);
	size_t		 n;
	char		*p;

	memset(&pg, 0, sizeof(pg));
	rq.now = now;
	rq.path = "/pantau";
	pg.ctx = &ctx;
	pg.rq = &rq;
	html_init(&pg.h, 65536);
	page_common_lang_set(&pg, lang);
	page_pantau_next(&pg, v, &dir);
	p = html_take(&pg.h, &n);
	snprintf(out, sizeof(out), "%s", p != NULL ? p : "");
	free(p);
	json_decref(v);
	return out;
}

static void
next_tests(void)
{
	struct page	 pg;
	char		 due[21], view[512];
	const char	*o;
	size_t		 n;
	char		*p;

	srv_config_defaults(&cfg);
	CHECK(core_calendar_add(&cfg.calendar, "2026-08-17") == 0,
	    "calendar: a holiday");
	ctx.cfg = &cfg;

	/* Friday 14 August 2026; due Tuesday 18th at the end of the day:
	 * Saturday, Sunday and the 17th (a holiday) are not working days. */
	iso(wib("2026-08-18", 23, 59), due);
	snprintf(view, sizeof(view), "{\"status\":\"submitted\","
	    "\"deadlines\":{\"dispose\":\"%s\"}}", due);
	o = next(view, wib("2026-08-14", 10, 0), LANG_ID);
	CHECK(strstr(o, "Selasa, 18 Agustus 2026") != NULL &&
	    strstr(o, "23.59 WIB") != NULL, "next: the deadline in words, WIB");
	CHECK(strstr(o, "1 hari kerja lagi") != NULL,
	    "next: weekend and holiday are not working days");
	CHECK(strstr(o, "Admin pusat") != NULL && strstr(o, "Tenggat:") != NULL,
	    "next: who acts, and Tenggat explained");
	o = next(view, wib("2026-08-12", 10, 0), LANG_EN);
	CHECK(strstr(o, "Tuesday, 18 August 2026") != NULL &&
	    strstr(o, "23:59 WIB") != NULL &&
	    strstr(o, "3 working days left") != NULL,
	    "next: in English, Wednesday to Tuesday is 3 working days");
	o = next(view, wib("2026-08-18", 9, 0), LANG_ID);
	CHECK(strstr(o, "hari ini") != NULL, "next: due today");
	o = next(view, wib("2026-08-21", 9, 0), LANG_ID);
	CHECK(strstr(o, "class=\"overdue\"") != NULL &&
	    strstr(o, "terlambat 3 hari") != NULL, "next: late, days late");
	o = next(view, wib("2026-08-19", 0, 30), LANG_EN);
	CHECK(strstr(o, "1 day late") != NULL, "next: one day late");

	/* Resolved: the automatic close is a date, not a deadline. */
	snprintf(view, sizeof(view), "{\"status\":\"resolved\","
	    "\"deadlines\":{\"close\":\"%s\"}}", due);
	o = next(view, wib("2026-08-21", 9, 0), LANG_ID);
	CHECK(strstr(o, "Ditutup otomatis pada") != NULL &&
	    strstr(o, "terlambat") == NULL && strstr(o, "Tenggat:") == NULL,
	    "next: resolved shows the automatic close date, never late");

	/* How a case ended. */
	o = next("{\"status\":\"closed\",\"closed_by\":\"system\","
	    "\"closed_at\":\"2026-08-31T10:00:00Z\"}", wib("2026-09-01", 9,
	    0), LANG_EN);
	CHECK(strstr(o, "closed automatically by the system") != NULL &&
	    strstr(o, "Monday, 31 August 2026") != NULL,
	    "next: a system close says why and when");
	o = next("{\"status\":\"closed\",\"closed_by\":\"reporter\"}",
	    wib("2026-09-01", 9, 0), LANG_EN);
	CHECK(strstr(o, "when you rated it") != NULL, "next: closed by rating");
	o = next("{\"status\":\"rejected\",\"reject_reason\":"
	    "\"not_our_authority\"}", wib("2026-09-01", 9, 0), LANG_ID);
	CHECK(strstr(o, "Bukan kewenangan") != NULL,
	    "next: a rejection gives its reason in words");
	snprintf(view, sizeof(view), "{\"status\":\"in_progress\","
	    "\"agency\":\"dinas-pu\",\"deadlines\":{\"resolve\":\"%s\","
	    "\"respond\":\"%s\",\"responded_at\":null}}", due, due);
	o = next(view, wib("2026-08-14", 10, 0), LANG_ID);
	CHECK(strstr(o, "Tanggapan pertama") != NULL &&
	    strstr(o, "dinas-pu") != NULL,
	    "next: the first answer's own deadline while none was given");

	/* Sizes and the switch of a page that answers a POST. */
	memset(&pg, 0, sizeof(pg));
	rq.path = "/pantau";
	rq.method = "POST";
	pg.ctx = &ctx;
	pg.rq = &rq;
	html_init(&pg.h, 65536);
	page_common_lang_set(&pg, LANG_ID);
	page_common_size(&pg, 900);
	html_raw(&pg.h, "|");
	page_common_size(&pg, 12 * 1024);
	html_raw(&pg.h, "|");
	page_common_size(&pg, 1468006);
	html_raw(&pg.h, "|");
	page_common_switch(&pg, "/pantau", "/pantau");
	page_common_switch_field(&pg, "token", "ABCD-EFGH");
	page_common_head(&pg, "Uji", NAV_PANTAU, 0);
	p = html_take(&pg.h, &n);
	CHECK(p != NULL && strncmp(p, "900 B|12 kB|1,4 MB|", 19) == 0,
	    "sizes in B, kB, MB with a decimal comma in Indonesian");
	CHECK(p != NULL && strstr(p, "<form class=\"lang\" method=\"post\" "
	    "action=\"/pantau\"><input type=\"hidden\" name=\"token\" "
	    "value=\"ABCD-EFGH\">") != NULL && strstr(p, "name=\"lang\" "
	    "value=\"en\"") != NULL, "a POST page switches language by a form "
	    "posting its token");
	CHECK(p != NULL && strstr(p, "href=\"/pantau?") == NULL &&
	    strstr(p, "ABCD-EFGH\"") != NULL && strstr(p, "?ABCD") == NULL &&
	    strstr(p, "content=\"/pantau\"") != NULL,
	    "no token in a URL; Back becomes a GET of /pantau");
	free(p);
}

int
main(void)
{
	struct html	 h;
	struct page	 pg;
	struct page_bar	 bars[3] = { { "Dinas <PU>", 12 }, { "Kecil", -1 },
			    { "Baru", PAGE_BAR_NONE } };
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
	memset(&pg, 0, sizeof(pg));
	page_common_lang_set(&pg, LANG_EN);
	CHECK(strcmp(page_common_tr(&pg, M_NAV_LAPOR), "Report") == 0 &&
	    strcmp(pg.h.word(LANG_ID, M_NAV_LAPOR), "Lapor") == 0,
	    "page_tr picks the page's language");

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

	html_init(&h, 4096);
	html_words(&h, pg.h.word, LANG_EN);
	HTML(&h, LIT("<a href=\"/x/"), URL("a b"), LIT("\" title=\""),
	    ATTR("\"q\""), LIT("\">"), TXT("<b>"), LIT(" "), INT(42), LIT(" "),
	    TR(M_NAV_LAPOR), LIT(" "), RAW("<i>ok</i>"), LIT("%</a>"));
	p = html_take(&h, &n);
	CHECK(p != NULL && strcmp(p, "<a href=\"/x/a%20b\" title=\"&quot;q&quot;\">"
	    "&lt;b&gt; 42 Report <i>ok</i>%</a>") == 0, "HTML pieces");
	free(p);

	html_init(&h, 16);
	html_raw(&h, "0123456789");
	html_raw(&h, "0123456789");
	CHECK(h.b.fail, "the buffer stops at its maximum");
	html_free(&h);

	CHECK(page_common_accept_language(NULL) == LANG_ID,
	    "no Accept-Language: id");
	CHECK(page_common_accept_language("en-US,en;q=0.9") == LANG_EN,
	    "en-US: en");
	CHECK(page_common_accept_language("id-ID,id;q=0.9,en;q=0.8") == LANG_ID,
	    "id first: id");
	CHECK(page_common_accept_language("en;q=0.5,id;q=0.8") == LANG_ID,
	    "q values count");
	CHECK(page_common_accept_language("fr,de") == LANG_ID, "neither: id");
	CHECK(page_common_accept_language("en;q=0") == LANG_ID, "q=0 is a no");
	CHECK(page_common_lang_parse("en") == LANG_EN && page_common_lang_parse("xx") == -1,
	    "lang parameter");

	memset(&pg, 0, sizeof(pg));
	html_init(&pg.h, 65536);
	page_common_lang_set(&pg, LANG_ID);
	page_public_chart(&pg, "Grafik \"uji\"", bars, 3, 0, 5);
	p = html_take(&pg.h, &n);
	CHECK(p != NULL && strstr(p, "style=") == NULL &&
	    strstr(p, "<script") == NULL, "chart: no style attribute, no script");
	CHECK(p != NULL && strstr(p, "&lt;") == strstr(p, "&lt;PU") &&
	    strstr(p, "kurang dari 5 laporan") != NULL,
	    "chart: a suppressed figure is in words, not < N");
	CHECK(p != NULL && strstr(p, ">Baru</text><rect x=\"200\" y=\"50\" "
	    "width=\"0\" height=\"16\" fill=\"#0b5d4b\"/><text x=\"206\" "
	    "y=\"62\">—</text>") != NULL, "chart: nothing to measure is \"—\"");
	CHECK(p != NULL && strstr(p, "Dinas &lt;PU&gt;") != NULL,
	    "chart: labels escaped");
	CHECK(p != NULL && strstr(p, "<title>Grafik &quot;uji&quot;</title>") !=
	    NULL, "chart: titled for screen readers");
	free(p);

	next_tests();
	{
		char			dir[] = "/tmp/bisik-pages-XXXXXX";
		struct srv_ctx		sctx;
		struct srv_keys		keys;
		struct srv_config	scfg;
		struct store		*st = NULL;

		memset(&sctx, 0, sizeof(sctx));
		memset(&keys, 0, sizeof(keys));
		CHECK(serve(dir, &sctx, &keys, &scfg, &st) == 0,
		    "a data directory and the embedded daemon");
		if (daemon_ != NULL) {
			refused_forms();
			odd_queries();
			MHD_stop_daemon(daemon_);
		}
		store_close(st);
		srv_keys_free(&keys);
		srv_config_free(&scfg);
		if (dir[0] != '\0') {
			char cmd[128];

			snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
			if (system(cmd) != 0)
				printf("# could not remove %s\n", dir);
		}
	}
	return tap_done();
}
