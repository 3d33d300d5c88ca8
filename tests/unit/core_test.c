/*
 * core_test.c: unit tests of core/ (strict JSON, report validation, the
 * working-day calendar, case references, names, the bounded buffer; the
 * redaction filter is in core_redact_test.c).
 *
 * Every refusal has a case that shows it, and every limit is tried at its
 * edge and one past it, with multi-byte characters where the limit counts
 * characters rather than bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/unit/tap.h"

/* ---- helpers ------------------------------------------------------------ */

/* unit repeated n times (caller frees). */
static char *
repeat(const char *unit, size_t n)
{
	size_t	 ul = strlen(unit), i;
	char	*s;

	if ((s = malloc(ul * n + 1)) == NULL)
		abort();
	for (i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = '\0';
	return s;
}

static int
has_field(const struct core_errors *e, const char *field, const char *reason)
{
	size_t	 i;

	for (i = 0; i < e->nfields; i++)
		if (strcmp(e->field[i], field) == 0 &&
		    strcmp(e->reason[i], reason) == 0)
			return 1;
	return 0;
}

static int
msg_is(const struct core_errors *e, const char *want)
{
	return e->message != NULL && strcmp(e->message, want) == 0;
}

/* A valid report as a JSON object, to be changed by a test. */
static json_t *
base_report(void)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}",
	    "kind", "complaint",
	    "title", "Jalan rusak parah",
	    "body", "Jalan di depan pasar rusak sejak bulan lalu.",
	    "pow", "challenge", "abc", "nonce", "12");
	if (o == NULL)
		abort();
	return o;
}

/* Parses base_report() with key set to v (a new reference; NULL removes
 * the key). */
static int
parse_with(const char *key, json_t *v, int flags, struct core_report *r,
    struct core_errors *e)
{
	json_t	*o = base_report();
	char	*s;
	int	 rc;

	if (v != NULL)
		json_object_set_new(o, key, v);
	else
		json_object_del(o, key);
	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		abort();
	rc = core_report_parse(s, strlen(s), flags, r, e);
	free(s);
	json_decref(o);
	return rc;
}

/* 422 with exactly this one field and reason? */
static int
invalid_on(const char *key, json_t *v, int flags, const char *field,
    const char *reason)
{
	struct core_report	 r;
	struct core_errors	 e;
	int			 rc;

	rc = parse_with(key, v, flags, &r, &e);
	if (rc == CORE_OK)
		core_report_free(&r);
	if (rc != CORE_INVALID || e.nfields != 1 ||
	    !has_field(&e, field, reason)) {
		printf("# %s: rc %d, %zu fields, first %s=%s\n", key, rc,
		    e.nfields, e.nfields ? e.field[0] : "-",
		    e.nfields ? e.reason[0] : "-");
		return 0;
	}
	return r.root == NULL;
}

static int
ok_with(const char *key, json_t *v, int flags)
{
	struct core_report	 r;
	struct core_errors	 e;
	int			 rc;

	rc = parse_with(key, v, flags, &r, &e);
	if (rc == CORE_OK)
		core_report_free(&r);
	else
		printf("# %s: rc %d, %s\n", key, rc,
		    e.message ? e.message : "-");
	return rc == CORE_OK;
}

/* 400 with exactly this message? */
static int
malformed_with(const char *key, json_t *v, int flags, const char *msg)
{
	struct core_report	 r;
	struct core_errors	 e;
	int			 rc;

	rc = parse_with(key, v, flags, &r, &e);
	if (rc == CORE_OK)
		core_report_free(&r);
	if (rc != CORE_MALFORMED || !msg_is(&e, msg)) {
		printf("# %s: rc %d, message %s\n", key, rc,
		    e.message ? e.message : "-");
		return 0;
	}
	return r.root == NULL && e.nfields == 0;
}

static int
rp_raw(const char *buf, size_t len, const char *msg)
{
	struct core_report	 r;
	struct core_errors	 e;
	int			 rc;

	rc = core_report_parse(buf, len, 0, &r, &e);
	if (rc == CORE_OK)
		core_report_free(&r);
	if (rc != CORE_MALFORMED || !msg_is(&e, msg)) {
		printf("# rc %d, message %s\n", rc,
		    e.message ? e.message : "-");
		return 0;
	}
	return 1;
}

static int
jp(const char *buf, size_t len, int maxdepth, const char *msg)
{
	struct core_errors	 e;
	json_t			*v = NULL;
	int			 rc;

	rc = core_json_parse(buf, len, maxdepth, &v, &e);
	if (msg == NULL) {
		json_decref(v);
		return rc == CORE_OK;
	}
	if (rc != CORE_MALFORMED || v != NULL || !msg_is(&e, msg)) {
		printf("# rc %d, message %s\n", rc,
		    e.message ? e.message : "-");
		json_decref(v);
		return 0;
	}
	return 1;
}

/* "YYYY-MM-DDTHH:MM:SSZ" to a time, without the C library's zones. */
static time_t
utc(const char *iso)
{
	char	 date[11];
	int32_t	 day;
	int	 h, m, s;

	memcpy(date, iso, 10);
	date[10] = '\0';
	if (core_date_parse(date, &day) == -1 ||
	    sscanf(iso + 11, "%d:%d:%d", &h, &m, &s) != 3)
		abort();
	return (time_t)day * 86400 + h * 3600 + m * 60 + s;
}

static int
time_is(time_t t, const char *want)
{
	char	 got[21];

	core_time_iso(t, got);
	if (strcmp(got, want) != 0) {
		printf("# got %s want %s\n", got, want);
		return 0;
	}
	return 1;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* ---- strict JSON -------------------------------------------------------- */

static void
test_json(void)
{
	struct core_errors	 e;
	json_t			*v;
	char			*deep8, *deep9, *s;
	static const char	 nul[] = "{\"a\":\"x\0y\"}";
	int			 rc;

	CHECK(jp("{\"a\":[1,2,{\"b\":null}]}", 22, 8, NULL),
	    "json: a valid document parses");
	CHECK(jp("[1]", 3, 8, NULL), "json: any top-level value is JSON");
	CHECK(jp("", 0, 8, "The request body is empty."),
	    "json: empty refused");
	CHECK(jp("{\"a\":1", 6, 8, "The request body is not valid JSON."),
	    "json: truncated object refused");
	CHECK(jp("{\"a\":\"abc", 9, 8, "The request body is not valid JSON."),
	    "json: truncated string refused");
	CHECK(jp("{\"a\":1} x", 9, 8, "The request body is not valid JSON."),
	    "json: trailing garbage refused");
	CHECK(jp("{\"a\":1}{}", 9, 8, "The request body is not valid JSON."),
	    "json: a second value refused");
	CHECK(jp("{\"a\":1} \n", 9, 8, NULL),
	    "json: trailing white space accepted");
	CHECK(jp("{\"a\":1,\"a\":2}", 13, 8,
	    "The request body has a duplicate key."),
	    "json: duplicate key refused");
	CHECK(jp("{\"x\":{\"a\":1,\"a\":1}}", 19, 8,
	    "The request body has a duplicate key."),
	    "json: nested duplicate key refused");
	CHECK(jp(nul, sizeof(nul) - 1, 8,
	    "The request body contains a NUL character."),
	    "json: raw NUL byte refused");
	CHECK(jp("{\"a\":1}\0", 8, 8,
	    "The request body contains a NUL character."),
	    "json: raw NUL after the value refused");
	CHECK(jp("{\"a\":\"x\\u0000y\"}", 16, 8,
	    "The request body contains a NUL character."),
	    "json: \\u0000 in a value refused");
	CHECK(jp("{\"\\u0000\":1}", 12, 8,
	    "The request body is not valid JSON.") ||
	    jp("{\"\\u0000\":1}", 12, 8,
	    "The request body contains a NUL character."),
	    "json: \\u0000 in a key refused");
	CHECK(jp("[\"\\ud800\"]", 10, 8, "The request body is not valid JSON."),
	    "json: escaped lone surrogate refused");
	CHECK(jp("[\"\xff\"]", 5, 8, "The request body is not valid UTF-8."),
	    "json: byte 0xff refused");
	CHECK(jp("[\"\xc0\xaf\"]", 6, 8,
	    "The request body is not valid UTF-8."),
	    "json: overlong 2-byte '/' refused");
	CHECK(jp("[\"\xe0\x80\xaf\"]", 7, 8,
	    "The request body is not valid UTF-8."),
	    "json: overlong 3-byte '/' refused");
	CHECK(jp("[\"\xf0\x80\x80\xaf\"]", 8, 8,
	    "The request body is not valid UTF-8."),
	    "json: overlong 4-byte '/' refused");
	CHECK(jp("[\"\xed\xa0\x80\"]", 7, 8,
	    "The request body is not valid UTF-8."),
	    "json: UTF-8 encoded surrogate refused");
	CHECK(jp("[\"\xf4\x90\x80\x80\"]", 8, 8,
	    "The request body is not valid UTF-8."),
	    "json: code point above U+10FFFF refused");
	CHECK(jp("[\"\xe2\x82\"]", 6, 8,
	    "The request body is not valid UTF-8."),
	    "json: truncated sequence refused");
	CHECK(jp("[\"\x80\"]", 5, 8, "The request body is not valid UTF-8."),
	    "json: stray continuation byte refused");
	CHECK(jp("[\"\xf0\x9f\x98\x80 \xe6\x97\xa5\"]", 12, 8, NULL),
	    "json: 4-byte and 3-byte characters accepted");

	deep8 = malloc(17);
	deep9 = malloc(19);
	memset(deep8, '[', 8);
	memset(deep8 + 8, ']', 8);
	memset(deep9, '[', 9);
	memset(deep9 + 9, ']', 9);
	CHECK(jp(deep8, 16, CORE_JSON_MAX_DEPTH, NULL),
	    "json: depth 8 accepted");
	CHECK(jp(deep9, 18, CORE_JSON_MAX_DEPTH,
	    "The request body nests too deeply."), "json: depth 9 refused");
	free(deep8);
	free(deep9);
	CHECK(jp("{\"a\":{\"b\":{\"c\":[1]}}}", 21, 4, NULL),
	    "json: objects count: 4 of 4");
	CHECK(jp("{\"a\":{\"b\":{\"c\":[1]}}}", 21, 3,
	    "The request body nests too deeply."),
	    "json: objects count: 4 of 3 refused");
	CHECK(jp("[\"[[[[[[[[[[[[\"]", 16, 2, NULL),
	    "json: brackets inside strings do not count");
	CHECK(jp("[\"\\\"[[[[[[[[[[[[\"]", 18, 2, NULL),
	    "json: escaped quote does not end a string");
	CHECK(jp("[\"\\\\\",[[[1]]]]", 14, 4, NULL),
	    "json: escaped backslash ends before the quote");
	CHECK(jp("[\"\\\\\",[[[1]]]]", 14, 3,
	    "The request body nests too deeply."),
	    "json: depth after an escaped backslash counts");
	s = repeat("[", 100000);
	CHECK(jp(s, 100000, 8, "The request body nests too deeply."),
	    "json: 100000 open brackets refused");
	free(s);

	/* jansson's error text quotes input; ours never does. */
	rc = core_json_parse("{\"secret-budi\" 1}", 17, 8, &v, &e);
	CHECK(rc == CORE_MALFORMED && strstr(e.message, "budi") == NULL,
	    "json: message does not echo input");
	rc = core_json_parse("{\"a\":1}", 7, 8, &v, NULL);
	CHECK(rc == CORE_OK && json_is_object(v), "json: errs may be NULL");
	json_decref(v);
}

/* ---- UTF-8 and text helpers ---------------------------------------------- */

/* Bytes of the buffer of test_text_ascii_runs: more than four words of
 * the ASCII fast path (8 bytes), so that a byte is tried at every place
 * of a word, before, across and after whole words. */
#define RUN_BUF	37

/*
 * The ASCII fast paths of core_utf8_len and core_text_ok read a word at
 * a time: a non-ASCII, invalid or control byte at any offset must be seen
 * as it is by the byte-wise decoder, and nothing past len is read.
 */
static void
test_text_ascii_runs(void)
{
	char	buf[RUN_BUF + 1];
	size_t	i;
	int	ok2 = 1, bad = 1, cut = 1, ctl = 1, del = 1;

	for (i = 0; i + 1 < RUN_BUF; i++) {
		memset(buf, 'a', RUN_BUF);
		buf[RUN_BUF] = '\0';
		/* A two-byte code point at i. */
		buf[i] = '\xc3';
		buf[i + 1] = '\xa9';
		if (core_utf8_len(buf, RUN_BUF) != RUN_BUF - 1 ||
		    !core_text_ok(buf, RUN_BUF))
			ok2 = 0;
		/* A byte that starts nothing at i. */
		buf[i] = '\xff';
		if (core_utf8_len(buf, RUN_BUF) != -1 ||
		    core_text_ok(buf, RUN_BUF))
			bad = 0;
		/* A lead byte cut by the end: the bytes after len unread. */
		buf[i] = '\xc3';
		if (core_utf8_len(buf, i + 1) != -1 ||
		    core_utf8_len(buf, i) != (long)i)
			cut = 0;
		/* A control character at i, then DEL (allowed, as before). */
		buf[i] = '\x1b';
		buf[i + 1] = 'a';
		if (core_text_ok(buf, RUN_BUF) ||
		    core_utf8_len(buf, RUN_BUF) != RUN_BUF)
			ctl = 0;
		buf[i] = '\x7f';
		if (!core_text_ok(buf, RUN_BUF))
			del = 0;
	}
	CHECK(ok2, "utf8_len, text_ok: a 2-byte code point at every offset");
	CHECK(bad, "utf8_len, text_ok: an invalid byte at every offset");
	CHECK(cut, "utf8_len: a cut sequence at every offset, none past len");
	CHECK(ctl, "text_ok: a control character at every offset refused");
	CHECK(del, "text_ok: DEL at every offset allowed");
}

static void
test_text(void)
{
	CHECK(core_utf8_len("a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", 10) == 4,
	    "utf8_len counts code points");
	CHECK(core_utf8_len("\xc3", 1) == -1, "utf8_len: truncated is -1");
	CHECK(core_utf8_len("\xed\xbf\xbf", 3) == -1, "utf8_len: surrogate -1");
	CHECK(core_utf8_len("", 0) == 0, "utf8_len: empty is 0");
	CHECK(core_text_ok("a\tb\r\nc", 6), "text_ok: tab and line ends ok");
	CHECK(!core_text_ok("a\x07", 2), "text_ok: BEL refused");
	CHECK(!core_text_ok("a\x1b[2J", 5), "text_ok: ESC refused");
	CHECK(!core_text_ok("a\0b", 3), "text_ok: NUL refused");
	CHECK(!core_text_ok("\xc0\x80", 2), "text_ok: overlong NUL refused");
	test_text_ascii_runs();
	CHECK(core_id_ok("dinas-pu-2"), "id_ok: plain id");
	CHECK(core_id_ok("ab"), "id_ok: 2 characters");
	CHECK(!core_id_ok("a"), "id_ok: 1 character refused");
	CHECK(!core_id_ok("Dinas"), "id_ok: upper case refused");
	CHECK(!core_id_ok("a_b"), "id_ok: underscore refused");
	CHECK(!core_id_ok(NULL), "id_ok: NULL refused");
	CHECK(core_text_blank(" \t\r\n\xc2\xa0\xe3\x80\x80\xe2\x80\x8b", 12),
	    "text_blank: ASCII, NBSP, ideographic, zero-width spaces");
	CHECK(!core_text_blank("  x ", 4), "text_blank: a letter is not blank");
}

/* ---- reports: 400 -------------------------------------------------------- */

static void
test_report_malformed(void)
{
	static const char	 nul[] = "{\"kind\":\"complaint\0\"}";

	CHECK(rp_raw("[]", 2, "The request body must be a JSON object."),
	    "report: array top level is 400");
	CHECK(rp_raw("\"x\"", 3, "The request body must be a JSON object."),
	    "report: string top level is 400");
	CHECK(rp_raw("12", 2, "The request body must be a JSON object."),
	    "report: number top level is 400");
	CHECK(rp_raw("{\"kind\":", 8, "The request body is not valid JSON."),
	    "report: truncated is 400");
	CHECK(rp_raw("{} []", 5, "The request body is not valid JSON."),
	    "report: trailing garbage is 400");
	CHECK(rp_raw("{\"title\":\"abcdef\",\"title\":\"ghijkl\"}", 35,
	    "The request body has a duplicate key."),
	    "report: duplicate key is 400");
	CHECK(rp_raw(nul, sizeof(nul) - 1,
	    "The request body contains a NUL character."),
	    "report: raw NUL is 400");
	CHECK(rp_raw("{\"title\":\"ab\\u0000cdef\"}", 24,
	    "The request body contains a NUL character."),
	    "report: \\u0000 is 400");
	CHECK(rp_raw("{\"title\":\"\xc0\xaf\"}", 14,
	    "The request body is not valid UTF-8."),
	    "report: overlong UTF-8 is 400");
	CHECK(rp_raw("{\"identity\":{\"name\":[[[[[[[1]]]]]]]}}", 36,
	    "The request body nests too deeply."),
	    "report: depth 9 is 400");

	CHECK(malformed_with("kind", json_integer(1), 0,
	    "The field \"kind\" must be a string."), "report: kind number");
	CHECK(malformed_with("title", json_integer(5), 0,
	    "The field \"title\" must be a string."), "report: title number");
	CHECK(malformed_with("body", json_array(), 0,
	    "The field \"body\" must be a string."), "report: body array");
	CHECK(malformed_with("agency", json_integer(1), 0,
	    "The field \"agency\" must be a string."), "report: agency number");
	CHECK(malformed_with("category", json_true(), 0,
	    "The field \"category\" must be a string."),
	    "report: category boolean");
	CHECK(malformed_with("location", json_object(), 0,
	    "The field \"location\" must be a string."),
	    "report: location object");
	CHECK(malformed_with("occurred_on", json_integer(20260301), 0,
	    "The field \"occurred_on\" must be a string."),
	    "report: occurred_on number");
	CHECK(malformed_with("visibility", json_null(), 0,
	    "The field \"visibility\" must be a string."),
	    "report: visibility null");
	CHECK(malformed_with("identity", json_string("Budi"), 0,
	    "The field \"identity\" must be an object."),
	    "report: identity string");
	CHECK(malformed_with("identity", json_array(), 0,
	    "The field \"identity\" must be an object."),
	    "report: identity array");
	CHECK(malformed_with("sealed_identity", json_integer(1), 0,
	    "The field \"sealed_identity\" must be a string."),
	    "report: sealed_identity number");
	CHECK(malformed_with("pow", json_string("x"), 0,
	    "The field \"pow\" must be an object."), "report: pow string");
	CHECK(malformed_with("pow", json_pack("{s:i,s:s}", "challenge", 1,
	    "nonce", "x"), 0, "The field \"pow.challenge\" must be a string."),
	    "report: pow.challenge number");
	CHECK(malformed_with("pow", json_pack("{s:s,s:n}", "challenge", "x",
	    "nonce"), 0, "The field \"pow.nonce\" must be a string."),
	    "report: pow.nonce null");
	CHECK(malformed_with("pow", json_pack("{s:s}", "challenge", "x"), 0,
	    "The field \"pow\" must hold exactly a challenge and a nonce."),
	    "report: pow without nonce");
	CHECK(malformed_with("pow", json_pack("{s:s,s:s,s:s}", "challenge",
	    "x", "nonce", "y", "extra", "z"), 0,
	    "The field \"pow\" must hold exactly a challenge and a nonce."),
	    "report: pow with an extra key");
	CHECK(malformed_with("identity", json_pack("{s:i}", "name", 1), 0,
	    "The field \"identity.name\" must be a string."),
	    "report: identity.name number");
	CHECK(malformed_with("identity", json_pack("{s:s}", "ktp", "1"), 0,
	    "The field \"identity.ktp\" is not known."),
	    "report: unknown identity key");
	CHECK(malformed_with("foo", json_string("x"), 0,
	    "The field \"foo\" is not known."), "report: unknown field");
	CHECK(malformed_with("Title", json_string("Jalan rusak"), 0,
	    "The field \"Title\" is not known."),
	    "report: field names are case-sensitive");
	CHECK(malformed_with("Budi Santoso 0812", json_string("x"), 0,
	    "A field is not known."),
	    "report: an odd field name is not echoed");
	CHECK(malformed_with("channel", json_string("phone"), 0,
	    "The field \"channel\" is not known."),
	    "report: channel only for intake");
	CHECK(malformed_with("source", json_string("x"), 0,
	    "The field \"source\" is not known."),
	    "report: source only for intake");
	CHECK(malformed_with("channel", json_integer(2), CORE_REPORT_INTAKE,
	    "The field \"channel\" must be a string."),
	    "report: intake channel number");
	/* A 400 wins over any 422 in the same body. */
	CHECK(malformed_with("title", json_integer(1), 0,
	    "The field \"title\" must be a string.") &&
	    rp_raw("{\"title\":\"x\",\"body\":3}", 22,
	    "The field \"body\" must be a string."),
	    "report: wrong type wins over short title");
}

/* ---- reports: 422 -------------------------------------------------------- */

static void
test_report_invalid(void)
{
	struct core_report	 r;
	struct core_errors	 e;
	json_t			*o;
	char			*s, *t;
	int			 rc;

	CHECK(invalid_on("title", NULL, 0, "title", "required"),
	    "report: title required");
	CHECK(invalid_on("body", NULL, 0, "body", "required"),
	    "report: body required");
	CHECK(invalid_on("kind", NULL, 0, "kind", "required"),
	    "report: kind required");
	CHECK(invalid_on("kind", json_string("Complaint"), 0, "kind",
	    "invalid"), "report: kind is exact lower case");
	CHECK(invalid_on("kind", json_string("report"), 0, "kind", "invalid"),
	    "report: unknown kind");
	CHECK(ok_with("kind", json_string("aspiration"), 0) &&
	    ok_with("kind", json_string("information_request"), 0),
	    "report: other kinds accepted");

	/* title: 5..200 characters, counted as code points */
	t = repeat("\xc3\xa9", 4);
	CHECK(invalid_on("title", json_string(t), 0, "title", "too short"),
	    "report: title 4 two-byte chars too short");
	free(t);
	t = repeat("\xc3\xa9", 5);
	CHECK(ok_with("title", json_string(t), 0),
	    "report: title 5 two-byte chars ok");
	free(t);
	t = repeat("a", 4);
	CHECK(invalid_on("title", json_string(t), 0, "title", "too short"),
	    "report: title 4 ASCII too short");
	free(t);
	t = repeat("\xe6\x97\xa5", 200);
	CHECK(ok_with("title", json_string(t), 0),
	    "report: title 200 three-byte chars ok (600 bytes)");
	free(t);
	t = repeat("\xe6\x97\xa5", 201);
	CHECK(invalid_on("title", json_string(t), 0, "title", "too long"),
	    "report: title 201 three-byte chars too long");
	free(t);
	t = repeat("\xf0\x9f\x98\x80", 201);
	CHECK(invalid_on("title", json_string(t), 0, "title", "too long"),
	    "report: title 201 emoji too long");
	free(t);
	CHECK(invalid_on("title", json_string("       "), 0, "title",
	    "invalid"), "report: whitespace-only title");
	CHECK(invalid_on("title", json_string("\xc2\xa0\xc2\xa0\xc2\xa0"
	    "\xe2\x80\x8b\xe3\x80\x80\xc2\xa0"), 0, "title", "invalid"),
	    "report: title of Unicode spaces only");
	CHECK(invalid_on("title", json_string("Jalan\x1b[31m rusak"), 0,
	    "title", "invalid"), "report: control character in title");
	CHECK(ok_with("title", json_string("Jalan\trusak"), 0),
	    "report: tab in title ok");

	/* body: 20..20000 */
	t = repeat("\xc3\xbc", 19);
	CHECK(invalid_on("body", json_string(t), 0, "body", "too short"),
	    "report: body 19 chars too short");
	free(t);
	t = repeat("\xc3\xbc", 20);
	CHECK(ok_with("body", json_string(t), 0), "report: body 20 chars ok");
	free(t);
	t = repeat("\xe6\x97\xa5", 20000);
	CHECK(ok_with("body", json_string(t), 0),
	    "report: body 20000 chars ok");
	free(t);
	t = repeat("b", 20001);
	CHECK(invalid_on("body", json_string(t), 0, "body", "too long"),
	    "report: body 20001 chars too long");
	free(t);
	t = repeat(" \n", 30);
	CHECK(invalid_on("body", json_string(t), 0, "body", "invalid"),
	    "report: whitespace-only body");
	free(t);

	/* ids */
	CHECK(ok_with("agency", json_string("dinas-pu"), 0),
	    "report: agency ok");
	CHECK(invalid_on("agency", json_string("a"), 0, "agency", "invalid"),
	    "report: agency 1 char");
	CHECK(invalid_on("agency", json_string("Dinas"), 0, "agency",
	    "invalid"), "report: agency upper case");
	CHECK(invalid_on("agency", json_string(""), 0, "agency", "invalid"),
	    "report: agency empty");
	t = repeat("a", 64);
	CHECK(ok_with("category", json_string(t), 0),
	    "report: category 64 chars ok");
	free(t);
	t = repeat("a", 65);
	CHECK(invalid_on("category", json_string(t), 0, "category", "invalid"),
	    "report: category 65 chars");
	free(t);
	CHECK(invalid_on("category", json_string("jalan_rusak"), 0, "category",
	    "invalid"), "report: category with underscore");

	/* location */
	t = repeat("\xc3\xa9", 200);
	CHECK(ok_with("location", json_string(t), 0),
	    "report: location 200 chars ok");
	free(t);
	t = repeat("l", 201);
	CHECK(invalid_on("location", json_string(t), 0, "location",
	    "too long"), "report: location 201 chars");
	free(t);
	rc = parse_with("location", json_string(""), 0, &r, &e);
	CHECK(rc == CORE_OK && r.location == NULL,
	    "report: empty location is absent");
	core_report_free(&r);

	/* occurred_on */
	CHECK(invalid_on("occurred_on", json_string("2026-02-29"), 0,
	    "occurred_on", "invalid"), "report: 2026-02-29 is not a date");
	CHECK(ok_with("occurred_on", json_string("2028-02-29"), 0),
	    "report: 2028-02-29 is a date");
	CHECK(ok_with("occurred_on", json_string("2000-02-29"), 0),
	    "report: 2000-02-29 is a date");
	CHECK(invalid_on("occurred_on", json_string("2100-02-29"), 0,
	    "occurred_on", "invalid"), "report: 2100-02-29 is not a date");
	CHECK(invalid_on("occurred_on", json_string("2026-13-01"), 0,
	    "occurred_on", "invalid"), "report: month 13");
	CHECK(invalid_on("occurred_on", json_string("2026-04-31"), 0,
	    "occurred_on", "invalid"), "report: April 31");
	CHECK(invalid_on("occurred_on", json_string("2026-3-1"), 0,
	    "occurred_on", "invalid"), "report: unpadded date");
	CHECK(invalid_on("occurred_on", json_string("2026-03-01T00:00"), 0,
	    "occurred_on", "invalid"), "report: date with time");
	CHECK(invalid_on("occurred_on", json_string("01-03-2026"), 0,
	    "occurred_on", "invalid"), "report: day-first date");

	/* visibility */
	rc = parse_with("visibility", NULL, 0, &r, &e);
	CHECK(rc == CORE_OK && r.visibility == CORE_VIS_CONFIDENTIAL,
	    "report: visibility defaults to confidential");
	core_report_free(&r);
	rc = parse_with("visibility", json_string("public"), 0, &r, &e);
	CHECK(rc == CORE_OK && r.visibility == CORE_VIS_PUBLIC,
	    "report: visibility public");
	core_report_free(&r);
	CHECK(invalid_on("visibility", json_string("secret"), 0, "visibility",
	    "invalid"), "report: unknown visibility");

	/* identity */
	rc = parse_with("identity", json_object(), 0, &r, &e);
	CHECK(rc == CORE_OK && r.identity == NULL,
	    "report: empty identity is absent");
	core_report_free(&r);
	rc = parse_with("identity", json_pack("{s:s,s:s}", "name", "Budi",
	    "nik", "3201012345670001"), 0, &r, &e);
	CHECK(rc == CORE_OK && r.identity != NULL &&
	    strcmp(json_string_value(json_object_get(r.identity, "name")),
	    "Budi") == 0, "report: identity kept");
	core_report_free(&r);
	t = repeat("\xc3\xa9", 300);
	CHECK(ok_with("identity", json_pack("{s:s}", "address", t), 0),
	    "report: identity.address 300 chars ok");
	free(t);
	t = repeat("x", 301);
	CHECK(invalid_on("identity", json_pack("{s:s}", "email", t), 0,
	    "identity.email", "too long"), "report: identity.email 301 chars");
	free(t);
	CHECK(invalid_on("identity", json_pack("{s:s}", "name", "Bu\x01" "di"),
	    0, "identity.name", "invalid"),
	    "report: control character in identity");

	/* sealed_identity */
	CHECK(ok_with("sealed_identity", json_string("QUJD"), 0) &&
	    ok_with("sealed_identity", json_string("QUI="), 0) &&
	    ok_with("sealed_identity", json_string("Qa+/Zg=="), 0),
	    "report: base64 sealed_identity ok");
	CHECK(invalid_on("sealed_identity", json_string("QUJ$"), 0,
	    "sealed_identity", "invalid"), "report: sealed_identity bad char");
	CHECK(invalid_on("sealed_identity", json_string("QU=I"), 0,
	    "sealed_identity", "invalid"),
	    "report: sealed_identity padding inside");
	CHECK(invalid_on("sealed_identity", json_string("Q==="), 0,
	    "sealed_identity", "invalid"),
	    "report: sealed_identity three pads");
	CHECK(invalid_on("sealed_identity", json_string("QUJDR"), 0,
	    "sealed_identity", "invalid"),
	    "report: sealed_identity not a multiple of 4");
	CHECK(invalid_on("sealed_identity", json_string(""), 0,
	    "sealed_identity", "invalid"), "report: sealed_identity empty");
	t = repeat("QUJD", CORE_SEALED_IDENTITY_MAX / 4);
	CHECK(ok_with("sealed_identity", json_string(t), 0),
	    "report: sealed_identity 8192 chars ok");
	free(t);
	t = repeat("QUJD", CORE_SEALED_IDENTITY_MAX / 4 + 1);
	CHECK(invalid_on("sealed_identity", json_string(t), 0,
	    "sealed_identity", "too long"), "report: sealed_identity 8196");
	free(t);

	/* both identity forms */
	o = base_report();
	json_object_set_new(o, "identity", json_pack("{s:s}", "name", "Budi"));
	json_object_set_new(o, "sealed_identity", json_string("QUJD"));
	s = json_dumps(o, JSON_COMPACT);
	rc = core_report_parse(s, strlen(s), 0, &r, &e);
	CHECK(rc == CORE_INVALID && e.nfields == 1 &&
	    has_field(&e, "identity", "not allowed"),
	    "report: identity and sealed_identity both refused");
	free(s);
	json_object_set_new(o, "identity", json_object());
	s = json_dumps(o, JSON_COMPACT);
	rc = core_report_parse(s, strlen(s), 0, &r, &e);
	CHECK(rc == CORE_OK && r.identity == NULL &&
	    strcmp(r.sealed_identity, "QUJD") == 0,
	    "report: empty identity with sealed_identity ok");
	core_report_free(&r);
	free(s);
	json_decref(o);

	/* pow */
	rc = parse_with("pow", NULL, 0, &r, &e);
	CHECK(rc == CORE_OK && r.pow_challenge == NULL && r.pow_nonce == NULL,
	    "report: pow may be absent (the caller knows the difficulty)");
	core_report_free(&r);
	CHECK(invalid_on("pow", json_pack("{s:s,s:s}", "challenge", "",
	    "nonce", "1"), 0, "pow", "invalid"), "report: empty challenge");
	t = repeat("n", CORE_POW_FIELD_MAX + 1);
	CHECK(invalid_on("pow", json_pack("{s:s,s:s}", "challenge", "abc",
	    "nonce", t), 0, "pow", "invalid"), "report: nonce too long");
	free(t);
	t = repeat("n", CORE_POW_FIELD_MAX);
	CHECK(ok_with("pow", json_pack("{s:s,s:s}", "challenge", "abc",
	    "nonce", t), 0), "report: nonce at the limit ok");
	free(t);

	/* every error is collected */
	o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", "rant", "title", "abc",
	    "body", "short", "agency", "X", "occurred_on", "2026-02-30");
	s = json_dumps(o, JSON_COMPACT);
	rc = core_report_parse(s, strlen(s), 0, &r, &e);
	CHECK(rc == CORE_INVALID && e.nfields == 5 &&
	    has_field(&e, "kind", "invalid") &&
	    has_field(&e, "title", "too short") &&
	    has_field(&e, "body", "too short") &&
	    has_field(&e, "agency", "invalid") &&
	    has_field(&e, "occurred_on", "invalid") && e.message != NULL &&
	    r.root == NULL, "report: all 422 fields collected");
	free(s);
	json_decref(o);
	rc = core_report_parse("{}", 2, 0, &r, &e);
	CHECK(rc == CORE_INVALID && e.nfields == 3 &&
	    has_field(&e, "kind", "required") &&
	    has_field(&e, "title", "required") &&
	    has_field(&e, "body", "required"),
	    "report: empty object lists the required fields");
}

static void
test_report_ok(void)
{
	struct core_report	 r;
	struct core_errors	 e;
	json_t			*o;
	char			*s, *t;
	int			 rc;

	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s}}",
	    "kind", "information_request", "title", "Data anggaran",
	    "body", "Mohon data anggaran perbaikan jalan tahun 2026.",
	    "agency", "dinas-pu", "category", "infrastruktur",
	    "location", "Bandung", "occurred_on", "2026-03-01",
	    "visibility", "public", "pow", "challenge", "c", "nonce", "n");
	s = json_dumps(o, JSON_COMPACT);
	rc = core_report_parse(s, strlen(s), 0, &r, &e);
	CHECK(rc == CORE_OK && r.root != NULL &&
	    r.kind == CORE_KIND_INFORMATION_REQUEST &&
	    strcmp(r.title, "Data anggaran") == 0 &&
	    strcmp(r.agency, "dinas-pu") == 0 &&
	    strcmp(r.category, "infrastruktur") == 0 &&
	    strcmp(r.location, "Bandung") == 0 &&
	    strcmp(r.occurred_on, "2026-03-01") == 0 &&
	    r.visibility == CORE_VIS_PUBLIC && r.identity == NULL &&
	    r.sealed_identity == NULL && strcmp(r.pow_challenge, "c") == 0 &&
	    strcmp(r.pow_nonce, "n") == 0 && r.channel == CORE_CH_WEB &&
	    r.source == NULL, "report: every field read");
	core_report_free(&r);
	CHECK(r.root == NULL, "report: free clears");
	core_report_free(&r);
	core_report_free(NULL);
	CHECK(1, "report: free twice and NULL are safe");
	free(s);
	json_decref(o);

	s = "{\"kind\":\"complaint\",\"title\":\"Lampu mati\","
	    "\"body\":\"Lampu jalan mati sejak seminggu lalu.\"}";
	rc = core_report_parse(s, strlen(s), 0, &r, NULL);
	CHECK(rc == CORE_OK, "report: errs may be NULL, pow optional");
	core_report_free(&r);

	/* staff intake */
	CHECK(invalid_on("channel", NULL, CORE_REPORT_INTAKE, "channel",
	    "required"), "intake: channel required");
	CHECK(invalid_on("channel", json_string("web"), CORE_REPORT_INTAKE,
	    "channel", "not allowed"), "intake: web not allowed");
	CHECK(invalid_on("channel", json_string("fax"), CORE_REPORT_INTAKE,
	    "channel", "invalid"), "intake: unknown channel");
	rc = parse_with("channel", json_string("walk_in"), CORE_REPORT_INTAKE,
	    &r, &e);
	CHECK(rc == CORE_OK && r.channel == CORE_CH_WALK_IN,
	    "intake: walk_in accepted");
	core_report_free(&r);

	o = base_report();
	json_object_del(o, "pow");
	json_object_set_new(o, "channel", json_string("social_media"));
	t = repeat("\xc3\xa9", CORE_SOURCE_MAX);
	json_object_set_new(o, "source", json_string(t));
	free(t);
	s = json_dumps(o, JSON_COMPACT);
	rc = core_report_parse(s, strlen(s), CORE_REPORT_INTAKE, &r, &e);
	CHECK(rc == CORE_OK && r.channel == CORE_CH_SOCIAL_MEDIA &&
	    r.source != NULL && r.pow_challenge == NULL,
	    "intake: source 500 chars, no pow");
	core_report_free(&r);
	free(s);
	t = repeat("s", CORE_SOURCE_MAX + 1);
	json_object_set_new(o, "source", json_string(t));
	free(t);
	s = json_dumps(o, JSON_COMPACT);
	rc = core_report_parse(s, strlen(s), CORE_REPORT_INTAKE, &r, &e);
	CHECK(rc == CORE_INVALID && has_field(&e, "source", "too long"),
	    "intake: source 501 chars too long");
	free(s);
	json_decref(o);
}

/* ---- small bodies -------------------------------------------------------- */

static void
test_fields(void)
{
	static const struct core_field_spec	 specs[] = {
		{ "body", 1, 10, 1 },
		{ "note", 0, 5, 0 },
	};
	struct core_errors	 e;
	const char		*v[2];
	json_t			*root;
	int			 rc;

#define FP(s) core_fields_parse((s), strlen(s), specs, 2, &root, v, &e)
	rc = FP("{\"body\":\"halo\"}");
	CHECK(rc == CORE_OK && root != NULL && strcmp(v[0], "halo") == 0 &&
	    v[1] == NULL, "fields: required given, optional absent");
	json_decref(root);
	rc = FP("{\"body\":\"\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	    "\xe6\x97\xa5\",\"note\":\"\"}");
	CHECK(rc == CORE_OK && strcmp(v[1], "") == 0,
	    "fields: 10 three-byte chars at max, empty optional");
	json_decref(root);
	rc = FP("{\"body\":\"12345678901\"}");
	CHECK(rc == CORE_INVALID && root == NULL && v[0] == NULL &&
	    has_field(&e, "body", "too long"), "fields: too long");
	rc = FP("{\"body\":\"\"}");
	CHECK(rc == CORE_INVALID && has_field(&e, "body", "too short"),
	    "fields: too short");
	rc = FP("{}");
	CHECK(rc == CORE_INVALID && has_field(&e, "body", "required"),
	    "fields: required missing");
	rc = FP("{\"note\":\"123456\"}");
	CHECK(rc == CORE_INVALID && e.nfields == 2 &&
	    has_field(&e, "body", "required") &&
	    has_field(&e, "note", "too long"), "fields: all errors collected");
	rc = FP("{\"body\":\"a\\u001bb\"}");
	CHECK(rc == CORE_INVALID && has_field(&e, "body", "invalid"),
	    "fields: control character invalid");
	rc = FP("{\"body\":1}");
	CHECK(rc == CORE_MALFORMED && msg_is(&e,
	    "The field \"body\" must be a string."), "fields: wrong type 400");
	rc = FP("{\"body\":\"x\",\"extra\":\"y\"}");
	CHECK(rc == CORE_MALFORMED && msg_is(&e,
	    "The field \"extra\" is not known."), "fields: unknown field 400");
	rc = FP("[\"body\"]");
	CHECK(rc == CORE_MALFORMED && root == NULL,
	    "fields: non-object 400");
	rc = FP("{\"body\":\"x\",\"body\":\"y\"}");
	CHECK(rc == CORE_MALFORMED && msg_is(&e,
	    "The request body has a duplicate key."), "fields: duplicate 400");
#undef FP
}

/* ---- calendar ------------------------------------------------------------ */

/* Holiday coverage: the years the next CORE_HOLIDAY_LOOKAHEAD days touch
 * must each have a holiday. 2027 dates here are made up for the test. */
static void
test_calendar_coverage(void)
{
	struct core_calendar	 cal;
	int32_t			 oct2, oct3, dec31;

	core_calendar_init(&cal);
	CHECK(core_calendar_add(&cal, "2026-01-01") == 0 &&
	    core_calendar_add(&cal, "2026-12-25") == 0 &&
	    core_date_parse("2026-10-02", &oct2) == 0 &&
	    core_date_parse("2026-10-03", &oct3) == 0 &&
	    core_date_parse("2026-12-31", &dec31) == 0, "coverage: set up");
	/* 2026-10-02 + 90 days is 2026-12-31: exactly covered. */
	CHECK(core_calendar_missing_year(&cal, oct2, CORE_HOLIDAY_LOOKAHEAD) ==
	    0, "coverage: exactly 90 days covered");
	/* One day later the window reaches 2027-01-01. */
	CHECK(core_calendar_missing_year(&cal, oct3, CORE_HOLIDAY_LOOKAHEAD) ==
	    2027, "coverage: one day short names 2027");
	CHECK(core_calendar_missing_year(&cal, dec31, 0) == 0 &&
	    core_calendar_missing_year(&cal, dec31, 1) == 2027,
	    "coverage: the last day of the year and one past it");
	CHECK(core_calendar_missing_year(&cal, oct3, 2000) == 2027,
	    "coverage: the first missing year of several");
	CHECK(core_calendar_add(&cal, "2027-06-01") == 0 &&
	    core_calendar_missing_year(&cal, oct3, CORE_HOLIDAY_LOOKAHEAD) ==
	    0, "coverage: one holiday in 2027 covers it");
	CHECK(core_calendar_missing_year(&cal, oct3, 500) == 2028,
	    "coverage: a longer window names 2028");
	core_calendar_init(&cal);
	CHECK(core_calendar_missing_year(&cal, oct2, CORE_HOLIDAY_LOOKAHEAD) ==
	    2026 && core_calendar_missing_year(NULL, oct2, 1) == 2026,
	    "coverage: no holidays at all names this year");
	CHECK(core_day_year(oct2) == 2026 && core_day_year(dec31 + 1) == 2027 &&
	    core_day_year(0) == 1970 && core_day_year(-1) == 1969,
	    "coverage: the year of a day");
	CHECK(core_calendar_missing_year(&cal, 2932896, 5) == 0,
	    "coverage: beyond year 9999 names nothing");
}

static void
test_calendar(void)
{
	struct core_calendar	 cal, before;
	char			 date[11], *csv, *big;
	const char		*paths[] = {
		"share/holidays-id-2026.csv",
		"../share/holidays-id-2026.csv",
		"../../share/holidays-id-2026.csv",
	};
	size_t			 len = 0, bad, i, off;
	int32_t			 day;
	time_t			 t;

	CHECK(core_date_parse("1970-01-01", &day) == 0 && day == 0,
	    "date: epoch is day 0");
	CHECK(core_date_parse("1969-12-31", &day) == 0 && day == -1,
	    "date: day before epoch is -1");
	CHECK(core_date_parse("2026-03-19", &day) == 0 && day == 20531,
	    "date: 2026-03-19 is day 20531");
	CHECK(core_date_parse("2028-02-29", &day) == 0 &&
	    core_date_parse("2026-02-29", &day) == -1 &&
	    core_date_parse("1900-02-29", &day) == -1 &&
	    core_date_parse("2000-02-29", &day) == 0,
	    "date: leap years");
	CHECK(core_date_parse("2026-00-10", &day) == -1 &&
	    core_date_parse("2026-01-00", &day) == -1 &&
	    core_date_parse("2026-01-32", &day) == -1 &&
	    core_date_parse("2026-1-01", &day) == -1 &&
	    core_date_parse("2026-01-01 ", &day) == -1 &&
	    core_date_parse("+026-01-01", &day) == -1 &&
	    core_date_parse("0000-01-01", &day) == -1 &&
	    core_date_parse(NULL, &day) == -1, "date: malformed refused");
	for (day = -719000; day < 2900000; day += 331) {
		int32_t	 back;

		core_date_format(day, date);
		if (core_date_parse(date, &back) != 0 || back != day)
			break;
	}
	CHECK(day >= 2900000, "date: format and parse round trip");
	core_date_format(20531, date);
	CHECK(strcmp(date, "2026-03-19") == 0, "date: format 2026-03-19");

	core_calendar_init(&cal);
	CHECK(core_calendar_add(&cal, "2026-05-01") == 0 &&
	    core_calendar_add(&cal, "2026-01-01") == 0 &&
	    core_calendar_add(&cal, "2026-05-01") == 0 && cal.ndays == 2 &&
	    cal.days[0] < cal.days[1],
	    "calendar: add sorts, ignores duplicates");
	CHECK(core_calendar_add(&cal, "2026-02-30") == -1 && cal.ndays == 2,
	    "calendar: add refuses a bad date");

	for (i = 0, csv = NULL; i < 3 && csv == NULL; i++)
		csv = read_file(paths[i], &len);
	CHECK(csv != NULL, "calendar: shipped CSV found");
	if (csv == NULL)
		return;
	core_calendar_init(&cal);
	CHECK(core_calendar_load_csv(&cal, csv, len, &bad) == 0 &&
	    cal.ndays == 25 && bad == 0, "calendar: shipped CSV has 25 days");
	free(csv);

	CHECK(core_date_parse("2026-03-19", &day) == 0 &&
	    !core_is_working_day(&cal, day), "calendar: Nyepi is a holiday");
	CHECK(core_date_parse("2026-03-25", &day) == 0 &&
	    core_is_working_day(&cal, day), "calendar: 2026-03-25 works");
	CHECK(core_date_parse("2026-03-28", &day) == 0 &&
	    !core_is_working_day(&cal, day) &&
	    !core_is_working_day(NULL, day), "calendar: Saturday is off");
	CHECK(core_date_parse("2026-03-26", &day) == 0 &&
	    core_is_working_day(NULL, day), "calendar: NULL has no holidays");

	/* Thursday 2026-03-19 10:00 WIB: Fri 20 .. Tue 24 are all off. */
	t = utc("2026-03-19T03:00:00Z");
	CHECK(time_is(core_add_working_days(&cal, t, 1),
	    "2026-03-25T16:59:59Z"), "deadline: 1 day after Idul Fitri");
	CHECK(time_is(core_add_working_days(&cal, t, 3),
	    "2026-03-27T16:59:59Z"), "deadline: 3 days after Idul Fitri");
	CHECK(time_is(core_add_working_days(NULL, t, 3),
	    "2026-03-24T16:59:59Z"), "deadline: same without holidays");
	/* 14 working days from Mon 2026-05-11 skip 14, 15, 27, 28 May and
	 * 1 June (and the weekends). */
	CHECK(time_is(core_add_working_days(&cal, utc("2026-05-11T02:00:00Z"),
	    14), "2026-06-05T16:59:59Z"), "deadline: 14 days across May");
	/* weekends */
	CHECK(time_is(core_add_working_days(&cal, utc("2026-01-09T03:00:00Z"),
	    1), "2026-01-12T16:59:59Z"), "deadline: Friday + 1 is Monday");
	CHECK(time_is(core_add_working_days(&cal, utc("2026-01-10T03:00:00Z"),
	    1), "2026-01-12T16:59:59Z"), "deadline: Saturday + 1 is Monday");
	CHECK(time_is(core_add_working_days(&cal, utc("2026-01-05T03:00:00Z"),
	    5), "2026-01-12T16:59:59Z"), "deadline: a week of 5 days");
	/* n <= 0: end of the same WIB day, working or not */
	CHECK(time_is(core_add_working_days(&cal, utc("2026-03-21T03:00:00Z"),
	    0), "2026-03-21T16:59:59Z"), "deadline: 0 days is end of day");
	CHECK(time_is(core_add_working_days(&cal, utc("2026-03-21T03:00:00Z"),
	    -4), "2026-03-21T16:59:59Z"), "deadline: negative is end of day");
	/* WIB, not UTC: 18:00Z Thursday is already 01:00 Friday in Jakarta */
	CHECK(time_is(core_add_working_days(&cal, utc("2026-01-08T18:00:00Z"),
	    1), "2026-01-12T16:59:59Z"),
	    "deadline: late UTC Thursday counts from WIB Friday");
	CHECK(time_is(core_add_working_days(&cal, utc("2026-01-08T16:59:59Z"),
	    1), "2026-01-09T16:59:59Z"),
	    "deadline: 23:59:59 WIB Thursday counts from Thursday");
	CHECK(time_is(core_add_working_days(&cal, utc("2026-01-08T17:00:00Z"),
	    0), "2026-01-09T16:59:59Z"), "deadline: 00:00 WIB is the new day");
	t = core_add_working_days(&cal, utc("2026-01-01T00:00:00Z"), 1 << 30);
	CHECK(t == core_add_working_days(&cal, utc("2026-01-01T00:00:00Z"),
	    CORE_WORKING_DAYS_MAX), "deadline: huge counts are clamped");
	CHECK(core_add_working_days(&cal, (time_t)INT64_MAX, 3) ==
	    (time_t)INT64_MAX && core_add_working_days(&cal,
	    (time_t)INT64_MIN, 3) == (time_t)INT64_MIN,
	    "deadline: times outside the calendar come back unchanged");

	/* CSV refusals name the line; the calendar is left as it was */
	before = cal;
#define LOAD(s) core_calendar_load_csv(&cal, (s), strlen(s), &bad)
	CHECK(LOAD("# c\ndate,type,name\n2026-07-01,x,y\n2026-02-30,x,y\n")
	    == -1 && bad == 4 && memcmp(&cal, &before, sizeof(cal)) == 0,
	    "csv: bad date on line 4");
	CHECK(LOAD("2026-07-01\n") == -1 && bad == 1, "csv: date alone");
	CHECK(LOAD("2026-07-01,,name\n") == -1 && bad == 1, "csv: empty type");
	CHECK(LOAD("\n2026-07-01,libur,\n") == -1 && bad == 2,
	    "csv: empty name");
	CHECK(LOAD("2026-7-1,libur,x\n") == -1 && bad == 1, "csv: short date");
	CHECK(LOAD("x\n") == -1 && bad == 1, "csv: garbage");
	CHECK(LOAD("# only\r\ndate,type,name\r\n\r\n2026-07-02,x,Hari\r\n")
	    == 0 && bad == 0 && cal.ndays == 26, "csv: CRLF, blank lines");
	CHECK(LOAD("2026-07-03,x,y") == 0 && cal.ndays == 27,
	    "csv: last line without newline");
	/* one line per day: "YYYY-MM-DD,x,y\n" */
	big = malloc((CORE_HOLIDAYS_MAX + 1) * 15 + 1);
	core_calendar_init(&cal);
	for (i = 0, off = 0; i <= CORE_HOLIDAYS_MAX; i++) {
		core_date_format((int32_t)(20000 + i), date);
		memcpy(big + off, date, 10);
		memcpy(big + off + 10, ",x,y\n", 5);
		off += 15;
	}
	big[off] = '\0';
	CHECK(LOAD(big) == -1 && bad == CORE_HOLIDAYS_MAX + 1 &&
	    cal.ndays == 0, "csv: one past the holiday limit");
	big[off - 15] = '\0';
	CHECK(LOAD(big) == 0 && cal.ndays == CORE_HOLIDAYS_MAX,
	    "csv: exactly the holiday limit");
	CHECK(core_calendar_add(&cal, "2099-01-01") == -1,
	    "calendar: add to a full list refused");
	free(big);
#undef LOAD
}

/* ---- case references and names ------------------------------------------- */

static void
test_caseref(void)
{
	char		 ref[CORE_CASE_REF_MAX], iso[21];
	int		 y;
	uint64_t	 q;

	core_case_ref(2026, 1, ref);
	CHECK(strcmp(ref, "BSK-2026-000001") == 0, "caseref: padded to 6");
	CHECK(core_case_ref_parse(ref, &y, &q) == 0 && y == 2026 && q == 1,
	    "caseref: round trip 1");
	core_case_ref(2026, 1234567, ref);
	CHECK(strcmp(ref, "BSK-2026-1234567") == 0, "caseref: grows past 6");
	CHECK(core_case_ref_parse(ref, &y, &q) == 0 && q == 1234567,
	    "caseref: round trip 1234567");
	core_case_ref(9999, 9999999999999999999ULL, ref);
	CHECK(core_case_ref_parse(ref, &y, &q) == 0 && y == 9999 &&
	    q == 9999999999999999999ULL, "caseref: 19 digits round trip");
	CHECK(core_case_ref_parse("BSK-2026-99999999999999999999", &y, &q)
	    == -1, "caseref: 20 digits refused");
	CHECK(core_case_ref_parse("bsk-2026-000001", &y, &q) == -1,
	    "caseref: lower case refused");
	CHECK(core_case_ref_parse("BSK-2026-00001", &y, &q) == -1,
	    "caseref: 5 digits refused");
	CHECK(core_case_ref_parse("BSK-2026-0000001", &y, &q) == -1,
	    "caseref: extra leading zero refused");
	CHECK(core_case_ref_parse("BSK-2026-000000", &y, &q) == -1,
	    "caseref: sequence 0 refused");
	CHECK(core_case_ref_parse("BSK-1999-000001", &y, &q) == -1,
	    "caseref: year before 2000 refused");
	CHECK(core_case_ref_parse("BSK-26-000001", &y, &q) == -1,
	    "caseref: short year refused");
	CHECK(core_case_ref_parse("BSK-2026-+00001", &y, &q) == -1 &&
	    core_case_ref_parse("BSK-+026-000001", &y, &q) == -1,
	    "caseref: sign refused");
	CHECK(core_case_ref_parse("BSK-2026-000001 ", &y, &q) == -1 &&
	    core_case_ref_parse(" BSK-2026-000001", &y, &q) == -1 &&
	    core_case_ref_parse("BSK-2026-000001\n", &y, &q) == -1,
	    "caseref: surrounding bytes refused");
	CHECK(core_case_ref_parse("BSK_2026-000001", &y, &q) == -1 &&
	    core_case_ref_parse("BSK-2026_000001", &y, &q) == -1 &&
	    core_case_ref_parse("", &y, &q) == -1 &&
	    core_case_ref_parse(NULL, &y, &q) == -1,
	    "caseref: wrong separators, empty, NULL refused");

	core_time_iso(0, iso);
	CHECK(strcmp(iso, "1970-01-01T00:00:00Z") == 0, "time_iso: epoch");
	core_time_iso(utc("2026-03-19T16:59:59Z"), iso);
	CHECK(strcmp(iso, "2026-03-19T16:59:59Z") == 0, "time_iso: 2026");
	core_time_iso(-1, iso);
	CHECK(strcmp(iso, "1969-12-31T23:59:59Z") == 0,
	    "time_iso: before 1970");
	{
		char	wib[CORE_TIME_WIB_TEXT];

		core_time_wib(utc("2026-03-19T16:59:59Z"), wib);
		CHECK(strcmp(wib, "2026-03-19 23:59 WIB") == 0,
		    "time_wib: UTC+7, minutes");
		core_time_wib(utc("2026-12-31T17:00:00Z"), wib);
		CHECK(strcmp(wib, "2027-01-01 00:00 WIB") == 0,
		    "time_wib: the new year comes at 17:00 UTC");
		core_time_wib(utc("9999-12-31T16:59:59Z"), wib);
		CHECK(strcmp(wib, "9999-12-31 23:59 WIB") == 0,
		    "time_wib: the last four-digit year fits");
		core_time_wib(utc("9999-12-31T17:00:00Z"), wib);
		CHECK(strcmp(wib, "?") == 0, "time_wib: year 10000 is ?");
		core_time_wib((time_t)INT64_MAX, wib);
		CHECK(strcmp(wib, "?") == 0, "time_wib: no overflow");
	}
	{
		static const char *const bad[] = {
			"2026-03-19T16:59:59", "2026-03-19T16:59:59z",
			"2026-03-19 16:59:59Z", "2026-03-19T24:00:00Z",
			"2026-03-19T23:60:00Z", "2026-03-19T23:59:60Z",
			"2026-02-30T00:00:00Z", "2026-03-19T1:59:59Z ",
			"2026-03-19T16:59:59+07:00", "", NULL
		};
		time_t	t = 0;
		size_t	k;
		int	ok = 1;

		CHECK(core_time_iso_parse("2026-03-19T16:59:59Z", &t) == 0 &&
		    t == utc("2026-03-19T16:59:59Z") &&
		    core_time_iso_parse("1970-01-01T00:00:00Z", &t) == 0 &&
		    t == 0 && core_time_iso_parse("2026-12-31T23:59:59Z",
		    &t) == 0, "time_iso_parse: what time_iso writes, at the "
		    "edges of a day and a year");
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
			ok &= core_time_iso_parse(bad[k], &t) == -1;
		CHECK(ok, "time_iso_parse: no zone, a lower-case Z, a space, "
		    "hour 24, minute or second 60, 30 February, short or "
		    "trailing text, an offset, empty and NULL refused");
	}
}

static void
test_names(void)
{
	int	 i, ok = 1;

	for (i = 0; i < CORE_KIND_MAX; i++)
		ok &= core_kind_parse(core_kind_name(i)) == i;
	for (i = 0; i < CORE_VIS_MAX; i++)
		ok &= core_visibility_parse(core_visibility_name(i)) == i;
	for (i = 0; i < CORE_ST_MAX; i++)
		ok &= core_status_parse(core_status_name(i)) == i;
	for (i = 0; i < CORE_CH_MAX; i++)
		ok &= core_channel_parse(core_channel_name(i)) == i;
	CHECK(ok, "names: every name round trips");
	CHECK(strcmp(core_kind_name(CORE_KIND_INFORMATION_REQUEST),
	    "information_request") == 0 &&
	    strcmp(core_status_name(CORE_ST_IN_PROGRESS), "in_progress") == 0 &&
	    strcmp(core_channel_name(CORE_CH_WALK_IN), "walk_in") == 0 &&
	    strcmp(core_visibility_name(CORE_VIS_CONFIDENTIAL),
	    "confidential") == 0, "names: spellings");
	CHECK(core_status_parse("Resolved") == -1 &&
	    core_status_parse("resolved ") == -1 &&
	    core_kind_parse("") == -1 && core_channel_parse(NULL) == -1 &&
	    core_visibility_parse("private") == -1,
	    "names: unknown, case, space, empty, NULL refused");
	CHECK(core_kind_name(CORE_KIND_MAX) == NULL &&
	    core_status_name((enum core_status)-1) == NULL,
	    "names: out of range gives NULL");
}

static void
test_errors(void)
{
	struct core_errors	 e;
	int			 i;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < CORE_FIELDS_MAX + 3; i++)
		core_errors_add(&e, "f", "invalid");
	CHECK(e.nfields == CORE_FIELDS_MAX, "errors: capped at FIELDS_MAX");
	core_errors_add(NULL, "f", "invalid");
	CHECK(1, "errors: add to NULL is safe");
}

static void
test_hex(void)
{
	static const uint8_t	in[4] = { 0x00, 0x9f, 0xa0, 0xff };
	uint8_t			out[4] = { 0 };
	char			text[9];

	core_hex_encode(in, sizeof(in), text);
	CHECK(strcmp(text, "009fa0ff") == 0, "hex: lower-case, two digits a byte");
	CHECK(core_hex_decode(text, out, sizeof(out)) == 0 &&
	    memcmp(out, in, sizeof(in)) == 0, "hex: reads back");
	CHECK(core_hex_decode("009FA0FF", out, sizeof(out)) == -1,
	    "hex: upper case refused (one spelling an id)");
	CHECK(core_hex_decode("009fa0f", out, sizeof(out)) == -1 &&
	    core_hex_decode("009fa0ff0", out, sizeof(out)) == -1,
	    "hex: one digit short or over refused");
	CHECK(core_hex_decode("009fa0fg", out, sizeof(out)) == -1 &&
	    core_hex_decode(" 09fa0ff", out, sizeof(out)) == -1,
	    "hex: a non-digit refused");
	CHECK(core_hex_decode(NULL, out, sizeof(out)) == -1, "hex: NULL refused");
}

/* The bounded buffer (buf.c): its maximum counts the bytes without the
 * NUL; the first failure sticks until the buffer is freed or taken. */
static void
test_buf(void)
{
	struct core_buf	 b;
	char		*big, *p;
	size_t		 len = 0, i;
	int		 ok;

	core_buf_init(&b, 10);
	p = core_buf_take(&b, &len);
	CHECK(p != NULL && len == 0 && p[0] == '\0',
	    "buf: nothing added is an empty string, not a failure");
	free(p);

	core_buf_init(&b, 10);
	core_buf_str(&b, "01234");
	core_buf_printf(&b, "%d%s", 567, "89");
	CHECK(!b.fail && b.len == 10 && strcmp(b.p, "0123456789") == 0,
	    "buf: exactly at the maximum fits, NUL kept after it");
	core_buf_add(&b, "", 0);
	CHECK(!b.fail, "buf: nothing more at the maximum still fits");
	core_buf_add(&b, "x", 1);
	CHECK(b.fail && b.len == 10, "buf: one byte past the maximum fails");
	core_buf_free(&b);
	CHECK(!b.fail && b.p == NULL && b.len == 0,
	    "buf: free empties it and clears the failure");

	core_buf_init(&b, 10);
	core_buf_str(&b, "0123456789x");
	core_buf_str(&b, "a");
	core_buf_printf(&b, "%s", "b");
	p = core_buf_take(&b, &len);
	CHECK(p == NULL && len == 0 && b.p == NULL,
	    "buf: a failure sticks; take answers NULL and frees");

	core_buf_init(&b, 10);
	core_buf_printf(&b, "%s", "0123456789x");
	CHECK(b.fail, "buf: printf one past the maximum fails");
	core_buf_free(&b);

	/* Growth: far past the first block, byte by byte, nothing lost. */
	if ((big = malloc(100001)) == NULL)
		abort();
	for (i = 0; i < 100000; i++)
		big[i] = (char)('a' + i % 26);
	big[100000] = '\0';
	core_buf_init(&b, 100000);
	for (i = 0; i < 100000; i += 1000)
		core_buf_add(&b, big + i, 1000);
	ok = !b.fail && b.len == 100000 && b.cap == 100001;
	p = core_buf_take(&b, &len);
	CHECK(ok && p != NULL && len == 100000 && strcmp(p, big) == 0,
	    "buf: grows to its maximum and never past max + 1 bytes");
	free(p);

	core_buf_init(&b, 100);
	core_buf_str(&b, "keep-cut");
	core_buf_cut(&b, 4);
	core_buf_cut(&b, 50);
	CHECK(b.len == 4 && strcmp(b.p, "keep") == 0,
	    "buf: cut goes back, never forward");
	core_buf_free(&b);
	free(big);
}

int
main(void)
{
	test_json();
	test_text();
	test_report_malformed();
	test_report_invalid();
	test_report_ok();
	test_fields();
	test_calendar();
	test_calendar_coverage();
	test_caseref();
	test_names();
	test_errors();
	test_hex();
	test_buf();
	return tap_done();
}
