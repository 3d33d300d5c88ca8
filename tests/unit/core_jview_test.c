/*
 * core_jview_test.c: unit tests of core/jview.c, the in-place reader of
 * stored JSON records and the reply writer of the follow-up view.
 *
 * The promise is sameness with jansson, so jansson is the oracle: the
 * writer's strings and integers are compared byte for byte with
 * json_dumps(), values read from records with json_dumps() of what
 * jansson parsed, and the reader's verdict on every refusal, and on
 * thousands of mutated records, with json_loadb()'s.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/unit/tap.h"

/* The writer's text for one string, NUL-terminated (caller frees), or
 * NULL when the writer refused it. */
static char *
jw_string(const char *s, size_t len)
{
	struct core_jw	 w;
	char		*out;
	size_t		 n;

	core_jw_init(&w, 1 << 20);
	core_jw_str(&w, s, len);
	if (core_jw_finish(&w, &out, &n) == -1)
		return NULL;
	if (n != strlen(out)) {
		free(out);
		return NULL;
	}
	return out;
}

/* jansson's compact dump of one string, or NULL if it refuses it. */
static char *
jansson_string(const char *s, size_t len)
{
	json_t	*j = json_stringn(s, len);
	char	*out;

	if (j == NULL)
		return NULL;
	out = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	return out;
}

static int
same_string(const char *s, size_t len)
{
	char	*a = jw_string(s, len), *b = jansson_string(s, len);
	int	 same = (a == NULL && b == NULL) ||
		    (a != NULL && b != NULL && strcmp(a, b) == 0);

	if (!same)
		fprintf(stderr, "# writer %s, jansson %s\n", a ? a : "(refused)",
		    b ? b : "(refused)");
	free(a);
	free(b);
	return same;
}

static void
test_writer_strings(void)
{
	static const char *const texts[] = {
		"", "plain", "quote \" and back\\slash", "slash / stays",
		"tab\tnew\nline\rret", "\b\f", "\x01\x1f\x7f",
		"Lampu jalan mati sejak sebulan lalu.",
		"caf\xc3\xa9 \xe2\x80\xa8 \xef\xbb\xbf \xf0\x9f\x98\x80",
		"<script>alert(1)</script> & 'x'",
	};
	char	 all[32];
	char	 buf[64];
	size_t	 i;
	int	 ok = 1;
	uint32_t seed = 1;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		ok &= same_string(texts[i], strlen(texts[i]));
	CHECK(ok, "writer: strings are escaped exactly as jansson dumps them");

	for (i = 1; i < 32; i++)
		all[i - 1] = (char)i;
	CHECK(same_string(all, 31),
	    "writer: every control byte is escaped as jansson escapes it");

	/* Random bytes: valid UTF-8 must come out as jansson's, anything
	 * else must be refused as jansson refuses it. */
	ok = 1;
	for (i = 0; i < 20000 && ok; i++) {
		size_t j, n = 1 + (i % sizeof(buf));

		for (j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			buf[j] = (char)((seed >> 16) & 0xff);
			if (buf[j] == 0)
				buf[j] = 'x';
			/* Mostly text, some multi-byte lead and trail bytes. */
			if (i % 4 != 0 && (unsigned char)buf[j] >= 0x80 &&
			    (seed & 0x300) != 0)
				buf[j] = (char)(0x20 + (seed >> 24) % 0x60);
		}
		ok = same_string(buf, n);
	}
	CHECK(ok, "writer: 20,000 random byte strings written or refused as "
	    "jansson does");

	CHECK(jw_string("a\0b", 3) == NULL,
	    "writer: a NUL inside a string is refused (json_string refuses it)");
	CHECK(jw_string("\xc3", 1) == NULL && jw_string("\xed\xa0\x80", 3) ==
	    NULL && jw_string("\xc0\xaf", 2) == NULL,
	    "writer: a cut, surrogate or overlong sequence is refused");
}

static void
test_writer_ints(void)
{
	static const int64_t vals[] = {
		0, 1, -1, 9, 10, 1796570765, -1796570765, INT64_MAX,
		INT64_MIN, INT64_MIN + 1,
	};
	struct core_jw	 w;
	json_t		*j;
	char		*a, *b;
	size_t		 i, n;
	int		 ok = 1;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		core_jw_init(&w, 64);
		core_jw_int(&w, vals[i]);
		if (core_jw_finish(&w, &a, &n) == -1)
			a = NULL;
		j = json_integer((json_int_t)vals[i]);
		b = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(j);
		ok &= a != NULL && b != NULL && strcmp(a, b) == 0;
		free(a);
		free(b);
	}
	CHECK(ok, "writer: integers, 0 and both ends of 64 bits, as jansson");
}

static void
test_writer_max(void)
{
	struct core_jw	 w;
	char		*out = NULL;
	size_t		 n = 0;

	core_jw_init(&w, 10);
	core_jw_raw(&w, "0123456789", 10);
	CHECK(core_jw_finish(&w, &out, &n) == 0 && n == 10 &&
	    strcmp(out, "0123456789") == 0,
	    "writer: exactly max bytes are written");
	free(out);

	core_jw_init(&w, 10);
	core_jw_raw(&w, "0123456789", 10);
	core_jw_raw(&w, "a", 1);
	core_jw_raw(&w, "", 0);		/* the failure sticks */
	CHECK(core_jw_finish(&w, &out, &n) == -1 && w.b.p == NULL,
	    "writer: one byte past max fails and frees the buffer");

	core_jw_init(&w, 1 << 20);
	core_jw_raw(&w, "[", 1);
	for (n = 0; n < 5000; n++)
		core_jw_str(&w, "grow", 4);
	core_jw_raw(&w, "]", 1);
	CHECK(core_jw_finish(&w, &out, &n) == 0 && n == 2 + 5000 * 6,
	    "writer: grows past its first buffer without losing bytes");
	free(out);
}

/* A record as jansson writes it, and a view of it from both readers. */
static const char *const record_keys[] = {
	"ref", "status", "seq", "agency", "rating", "identity", "deep",
	"list", "text", "missing", "neg", "real",
};
#define NKEYS	(sizeof(record_keys) / sizeof(record_keys[0]))

static json_t *
sample_record(void)
{
	return json_pack("{s:s, s:s, s:I, s:n, s:i, s:b, s:{s:[i, {s:s}]},"
	    " s:[s, i, b, n, [], {}], s:s, s:I, s:f, s:s}",
	    "ref", "BSK-2026-000001", "status", "in_progress",
	    "seq", (json_int_t)1, "agency", "rating", 4, "identity", 1,
	    "deep", "a", 1, "b", "c\"\\\n\x01",
	    "list", "x", -3, 0, "text", "caf\xc3\xa9 \"quoted\" \xf0\x9f\x98\x80",
	    "neg", (json_int_t)INT64_MIN, "real", 0.1, "other", "not read");
}

static void
test_reader_values(void)
{
	struct core_jv	 v[NKEYS];
	struct core_jw	 w;
	json_t		*rec = sample_record(), *jv;
	const char	*s;
	char		*text, *out, *want;
	size_t		 i, n, len;
	int64_t		 iv;
	int		 ok = 1, flags[2] = { JSON_COMPACT, JSON_INDENT(3) }, f;

	for (f = 0; f < 2; f++) {
		text = json_dumps(rec, (size_t)flags[f]);
		if (text == NULL || core_jv_object(text, strlen(text),
		    record_keys, NKEYS, v) == -1) {
			ok = 0;
			free(text);
			continue;
		}
		for (i = 0; i < NKEYS; i++) {
			jv = json_object_get(rec, record_keys[i]);
			core_jw_init(&w, 4096);
			core_jw_value(&w, &v[i]);
			if (core_jw_finish(&w, &out, &len) == -1) {
				ok = 0;
				continue;
			}
			want = jv != NULL ? json_dumps(jv, JSON_COMPACT |
			    JSON_ENCODE_ANY) : strdup("null");
			if (want == NULL || strcmp(out, want) != 0) {
				fprintf(stderr, "# %s: %s, jansson %s\n",
				    record_keys[i], out, want ? want : "?");
				ok = 0;
			}
			free(out);
			free(want);
		}
		free(text);
	}
	CHECK(ok, "reader: each member (string, integer, real, null, bool, "
	    "object, array) written back as jansson dumps it, from compact "
	    "and from indented records");

	text = json_dumps(rec, JSON_COMPACT);
	CHECK(text != NULL && core_jv_object(text, strlen(text), record_keys,
	    NKEYS, v) == 0 && v[9].type == CORE_JV_NONE &&
	    v[3].type == CORE_JV_NULL && v[5].type == CORE_JV_TRUE &&
	    v[6].type == CORE_JV_OBJECT && v[7].type == CORE_JV_ARRAY &&
	    v[11].type == CORE_JV_REAL,
	    "reader: types as jansson reads them; an absent member is NONE");
	CHECK(core_jv_int(&v[2], &iv) == 0 && iv == 1 &&
	    core_jv_int(&v[10], &iv) == 0 && iv == INT64_MIN &&
	    core_jv_int(&v[1], &iv) == -1 && core_jv_int(&v[11], &iv) == -1,
	    "reader: integers read, 64-bit minimum included; others refused");
	CHECK(core_jv_str(&v[0], &s, &n) == 0 && n == 15 &&
	    memcmp(s, "BSK-2026-000001", 15) == 0 &&
	    core_jv_str(&v[8], &s, &n) == -1 && core_jv_str(&v[2], &s, &n) ==
	    -1, "reader: plain strings borrowed; escaped ones and non-strings "
	    "refused");
	CHECK(core_jv_is(&v[1], "in_progress") && !core_jv_is(&v[1],
	    "in_progres") && !core_jv_is(&v[2], "1"),
	    "reader: core_jv_is compares whole strings only");
	free(text);
	json_decref(rec);
}

/* Both readers' verdicts on one text: 1 if they agree. */
static int
agree(const char *text, size_t len, int *ours)
{
	struct core_jv	 v[1];
	static const char *const k[] = { "a" };
	json_t		*j = json_loadb(text, len, 0, NULL);
	int		 theirs = j != NULL && json_is_object(j);

	json_decref(j);
	*ours = core_jv_object(text, len, k, 0, v) == 0;
	return *ours == theirs;
}

static void
test_reader_refusals(void)
{
	static const char *const bad[] = {
		"", "[]", "\"x\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
		"{\"a\":1}x", "{\"a\":\"\x01\"}", "{\"a\":\"\\x\"}",
		"{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}",
		"{\"a\":\"\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xc0\xaf\"}", "{\"a\":9223372036854775808}",
		"{\"a\":-9223372036854775809}", "{\"a\":01}", "{\"a\":1.}",
		"{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e999}", "{\"a\":tru}",
		"{\"a\":nul}", "{\"a\" 1}", "{a:1}", "{\"a\":+1}",
	};
	static const char *const good[] = {
		"{}", " {\"a\" : [ 1 , {\"b\":null} ] }\n",
		"{\"a\":9223372036854775807}", "{\"a\":-9223372036854775808}",
		"{\"a\":\"\\ud83d\\ude00 \\u00e9 \\/\"}", "{\"a\":-0}",
		"{\"a\":1.5e+3,\"b\":2E-2,\"c\":1e-999}",
	};
	size_t	 i;
	int	 ours, ok = 1;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!agree(bad[i], strlen(bad[i]), &ours) || ours) {
			fprintf(stderr, "# bad[%zu] %s\n", i, ours ?
			    "accepted" : "disagrees");
			ok = 0;
		}
	CHECK(ok, "reader: refuses what jansson refuses (UTF-8, controls, "
	    "escapes, \\u0000, lone surrogates, 64-bit overflow, real "
	    "overflow, syntax, trailing bytes, not an object)");
	ok = 1;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!agree(good[i], strlen(good[i]), &ours) || !ours) {
			fprintf(stderr, "# good[%zu] refused\n", i);
			ok = 0;
		}
	CHECK(ok, "reader: accepts what jansson accepts at the edges "
	    "(64-bit ends, surrogate pairs, white space, exponents)");
}

static void
test_reader_duplicates_depth(void)
{
	static const char *const k[] = { "a", "b" };
	struct core_jv	 v[2];
	char		 deep[2 * CORE_JV_DEPTH + 16];
	size_t		 i, n;

	CHECK(core_jv_object("{\"a\":1,\"a\":2}", 13, k, 2, v) == -1 &&
	    v[0].type == CORE_JV_NONE,
	    "reader: a member it reads given twice refuses the record");
	CHECK(core_jv_object("{\"c\":1,\"c\":2,\"a\":3}", 19, k, 2, v) == 0 &&
	    v[0].type == CORE_JV_INTEGER && v[1].type == CORE_JV_NONE,
	    "reader: members it does not read are not looked at twice");

	/* CORE_JV_DEPTH levels: the object and DEPTH - 1 arrays. */
	n = 0;
	deep[n++] = '{';
	memcpy(deep + n, "\"a\":", 4);
	n += 4;
	for (i = 0; i < CORE_JV_DEPTH - 1; i++)
		deep[n++] = '[';
	for (i = 0; i < CORE_JV_DEPTH - 1; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	CHECK(core_jv_object(deep, n, k, 2, v) == 0 &&
	    v[0].type == CORE_JV_ARRAY,
	    "reader: nesting of CORE_JV_DEPTH levels is read");
	n = 0;
	deep[n++] = '{';
	memcpy(deep + n, "\"a\":", 4);
	n += 4;
	for (i = 0; i < CORE_JV_DEPTH; i++)
		deep[n++] = '[';
	for (i = 0; i < CORE_JV_DEPTH; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	CHECK(core_jv_object(deep, n, k, 2, v) == -1,
	    "reader: one level past CORE_JV_DEPTH is refused");
}

/* Single-byte changes of a stored record: both readers agree each time. */
static void
test_reader_mutations(void)
{
	static const unsigned char swaps[] = {
		'"', '\\', '{', '}', '[', ']', ':', ',', '0', '9', '-', '.',
		'e', 'u', 'n', 't', ' ', 0x01, 0x7f, 0x80, 0xc3, 0xe2, 0xed,
		0xf0, 0xff, 'x',
	};
	json_t		*rec = sample_record();
	char		*text = json_dumps(rec, JSON_COMPACT), *m;
	size_t		 len, i, k, tries = 0, accepted = 0;
	int		 ours, ok = 1;

	len = text != NULL ? strlen(text) : 0;
	m = malloc(len + 1);
	for (i = 0; m != NULL && i < len && ok; i++)
		for (k = 0; k < sizeof(swaps) && ok; k++) {
			memcpy(m, text, len);
			m[i] = (char)swaps[k];
			tries++;
			if (!agree(m, len, &ours)) {
				fprintf(stderr, "# byte %zu -> 0x%02x: ours %d\n",
				    i, swaps[k], ours);
				ok = 0;
			}
			accepted += ours;
		}
	CHECK(m != NULL && ok && tries > 5000 && accepted > 0 &&
	    accepted < tries, "reader: agrees with jansson on every "
	    "single-byte change of a record");
	free(m);
	free(text);
	json_decref(rec);
}

int
main(void)
{
	test_writer_strings();
	test_writer_ints();
	test_writer_max();
	test_reader_values();
	test_reader_refusals();
	test_reader_duplicates_depth();
	test_reader_mutations();
	return tap_done();
}
