/*
 * text.c: what bisik tells people about limits, times and sizes.
 *
 * An error that says "title too short" leaves the reporter guessing how
 * short is too short; one that says "the title must be 5 to 200
 * characters; it has 3" does not. The limits below are the server's own
 * (core/core.h, docs/openapi.yaml), so the client's check and the
 * server's 422 answer say the same thing in the same words; the server's
 * field names and reasons are translated here for both.
 *
 * Times are shown in Western Indonesia Time (UTC+7), the zone in which
 * the national deadlines are counted (docs/design.md), whatever zone the
 * machine is set to: a deadline of "23:59 WIB" read on a laptop set to
 * UTC must not look like the day before.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

enum rule {
	RULE_CHARS,	/* text of min..max characters */
	RULE_ID,	/* an agency or category id */
	RULE_DATE,	/* YYYY-MM-DD */
	RULE_ENUM,	/* one of a list, named in `what` */
	RULE_FIXED,	/* a sentence of its own */
};

static const struct field {
	int		 ctx;		/* CLIENT_CTX_* */
	const char	*name;		/* as the server names it */
	const char	*what;		/* as the reporter knows it */
	enum rule	 rule;
	long		 min, max;
} fields[] = {
	{ CLIENT_CTX_REPORT, "title", "the title (--title)", RULE_CHARS,
	    CORE_TITLE_MIN, CORE_TITLE_MAX },
	{ CLIENT_CTX_REPORT, "body", "the body (--body-file)", RULE_CHARS,
	    CORE_BODY_MIN, CORE_BODY_MAX },
	{ CLIENT_CTX_REPORT, "location", "the location (--location)",
	    RULE_CHARS, 0, CORE_LOCATION_MAX },
	{ CLIENT_CTX_REPORT, "agency", "--agency", RULE_ID, CORE_ID_MIN,
	    CORE_ID_MAX },
	{ CLIENT_CTX_REPORT, "category", "--category", RULE_ID, CORE_ID_MIN,
	    CORE_ID_MAX },
	{ CLIENT_CTX_REPORT, "occurred_on", "--occurred-on", RULE_DATE, 0, 0 },
	{ CLIENT_CTX_REPORT, "kind", "--kind takes complaint, aspiration or "
	    "information_request", RULE_ENUM, 0, 0 },
	{ CLIENT_CTX_REPORT, "visibility", "the visibility must be "
	    "confidential or public (--public)", RULE_ENUM, 0, 0 },
	{ CLIENT_CTX_REPORT, "identity.name", "the identity file's \"name\"",
	    RULE_CHARS, 0, CORE_IDENTITY_FIELD_MAX },
	{ CLIENT_CTX_REPORT, "identity.email", "the identity file's \"email\"",
	    RULE_CHARS, 0, CORE_IDENTITY_FIELD_MAX },
	{ CLIENT_CTX_REPORT, "identity.phone", "the identity file's \"phone\"",
	    RULE_CHARS, 0, CORE_IDENTITY_FIELD_MAX },
	{ CLIENT_CTX_REPORT, "identity.nik", "the identity file's \"nik\"",
	    RULE_CHARS, 0, CORE_IDENTITY_FIELD_MAX },
	{ CLIENT_CTX_REPORT, "identity.address", "the identity file's "
	    "\"address\"", RULE_CHARS, 0, CORE_IDENTITY_FIELD_MAX },
	{ CLIENT_CTX_REPORT, "sealed_identity", "the sealed identity is "
	    "too long or malformed; the identity file may hold at most "
	    "4096 bytes of JSON", RULE_FIXED, 0, 0 },
	{ CLIENT_CTX_REPORT, "pow", "the server refused the proof of work "
	    "(it expired or was already used); try again", RULE_FIXED, 0, 0 },
	{ CLIENT_CTX_MESSAGE, "body", "the message (--message-file)",
	    RULE_CHARS, CORE_MESSAGE_MIN, CORE_MESSAGE_MAX },
	{ CLIENT_CTX_RATE, "rating", "--rating takes a whole number from 1 "
	    "to 5", RULE_ENUM, 0, 0 },
	{ CLIENT_CTX_RATE, "comment", "the comment (--comment-file)",
	    RULE_CHARS, 1, CORE_MESSAGE_MAX },
	{ CLIENT_CTX_REOPEN, "reason", "the reason (--reason or "
	    "--reason-file)", RULE_CHARS, 1, CORE_REASON_MAX },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

/* The reasons of an attachment's 422 (server/api_attach.c). */
static const struct {
	const char	*reason;
	const char	*sentence;
} file_reasons[] = {
	{ "too many pixels", "the image has more than 40 megapixels, the "
	    "most the server re-encodes" },
	{ "not a readable image", "the image cannot be read (it is damaged "
	    "or not what its first bytes say)" },
	{ "could not be processed", "the server could not re-encode the "
	    "image" },
};

void
client_plain(const char *s, char *out, size_t outlen)
{
	size_t	i;

	if (outlen == 0)
		return;
	for (i = 0; s[i] != '\0' && i + 1 < outlen; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

void
client_explain(int ctx, const char *field, const char *reason, long have,
    char *out, size_t outlen)
{
	const struct field	*f = NULL;
	char			 pf[64], pr[64];
	size_t			 i, n;

	for (i = 0; i < NFIELDS && f == NULL; i++)
		if (fields[i].ctx == ctx && strcmp(fields[i].name, field) == 0)
			f = &fields[i];
	if (f == NULL && ctx == CLIENT_CTX_ATTACH &&
	    strcmp(field, "file") == 0) {
		for (i = 0; i < sizeof(file_reasons) / sizeof(file_reasons[0]);
		    i++)
			if (reason != NULL &&
			    strcmp(reason, file_reasons[i].reason) == 0) {
				snprintf(out, outlen, "%s",
				    file_reasons[i].sentence);
				return;
			}
	}
	if (f == NULL) {
		client_plain(field, pf, sizeof(pf));
		client_plain(reason != NULL ? reason : "invalid", pr,
		    sizeof(pr));
		snprintf(out, outlen, "%s: %s", pf, pr);
		return;
	}
	switch (f->rule) {
	case RULE_CHARS:
		if (reason != NULL && strcmp(reason, "required") == 0 &&
		    f->min > 0)
			snprintf(out, outlen, "%s is required: %ld to %ld "
			    "characters", f->what, f->min, f->max);
		else if (reason != NULL && strcmp(reason, "invalid") == 0)
			snprintf(out, outlen, "%s must be UTF-8 text without "
			    "control characters%s", f->what, f->min > 0 ?
			    ", and not only spaces" : "");
		else if (f->min > 0)
			snprintf(out, outlen, "%s must be %ld to %ld "
			    "characters", f->what, f->min, f->max);
		else
			snprintf(out, outlen, "%s may be at most %ld "
			    "characters", f->what, f->max);
		n = strlen(out);
		if (have >= 0 && n < outlen && (reason == NULL ||
		    strcmp(reason, "invalid") != 0))
			snprintf(out + n, outlen - n, "; it has %ld", have);
		break;
	case RULE_ID:
		snprintf(out, outlen, "%s takes an id of %ld to %ld characters "
		    "a-z, 0-9 and '-', such as dinas-pu", f->what, f->min,
		    f->max);
		break;
	case RULE_DATE:
		snprintf(out, outlen, "%s takes a date as YYYY-MM-DD, such as "
		    "2026-12-06", f->what);
		break;
	case RULE_ENUM:
	case RULE_FIXED:
		snprintf(out, outlen, "%s", f->what);
		break;
	}
}

void
client_explain_fields(int ctx, json_t *fields_obj,
    const json_t *values, char *out, size_t outlen)
{
	const char	*key;
	json_t		*v;
	char		 one[CLIENT_EXPLAIN_MAX];
	size_t		 n = 0, len;
	long		 have;
	const json_t	*val;

	out[0] = '\0';
	json_object_foreach(fields_obj, key, v) {
		have = -1;
		val = values != NULL ? client_json_path(values, key) : NULL;
		if (json_is_string(val))
			have = core_utf8_len(json_string_value(val),
			    json_string_length(val));
		client_explain(ctx, key, json_is_string(v) ?
		    json_string_value(v) : NULL, have, one, sizeof(one));
		len = strlen(out);
		if (len + 1 >= outlen)
			break;
		snprintf(out + len, outlen - len, "%s%s", n == 0 ? "" :
		    ", and ", one);
		n++;
	}
}

const json_t *
client_json_path(const json_t *o, const char *path)
{
	const char	*dot = strchr(path, '.');
	char		 head[32];
	size_t		 n;

	if (dot == NULL)
		return json_object_get(o, path);
	n = (size_t)(dot - path);
	if (n >= sizeof(head))
		return NULL;
	memcpy(head, path, n);
	head[n] = '\0';
	return client_json_path(json_object_get(o, head), dot + 1);
}

/* ---- times --------------------------------------------------------------- */

void
client_time_wib_t(time_t t, char out[CLIENT_TIME_TEXT])
{
	char	buf[CORE_TIME_WIB_TEXT];

	core_time_wib(t, buf);
	snprintf(out, CLIENT_TIME_TEXT, "%s", buf);
}

int
client_time_wib(const char *iso, char out[CLIENT_TIME_TEXT])
{
	time_t	t;

	if (iso == NULL || core_time_iso_parse(iso, &t) == -1)
		return -1;
	client_time_wib_t(t, out);
	return 0;
}

/* ---- sizes --------------------------------------------------------------- */

void
client_size_text(unsigned long long bytes, char out[CLIENT_SIZE_TEXT])
{
	/* Whole kB below 1 MB, one decimal above: "740 kB", "2.5 MB"; bytes
	 * below 1 kB, so a tiny file does not read as 0 kB. */
	if (bytes < 1024)
		snprintf(out, CLIENT_SIZE_TEXT, "%llu bytes", bytes);
	else if (bytes < 1024 * 1024)
		snprintf(out, CLIENT_SIZE_TEXT, "%llu kB",
		    (bytes + 512) / 1024);
	else
		snprintf(out, CLIENT_SIZE_TEXT, "%llu.%llu MB",
		    bytes / (1024 * 1024),
		    (bytes % (1024 * 1024)) * 10 / (1024 * 1024));
}
