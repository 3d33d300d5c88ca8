/*
 * report.c: POST /reports (and staff intake) bodies into a typed report,
 * and the generic parser for small {"field": "string"} bodies.
 *
 * Two passes. The first checks the shape: every key is known and has the
 * JSON type it must have; the first problem is a 400 naming the field, as
 * a client sending it is broken. The second checks values and collects
 * every problem as field -> reason, so a person filling a form sees all
 * of them at once (422). Nothing the sender wrote is echoed back.
 */
#include <string.h>

#include "core.h"
#include "core_int.h"

#define MSG_NOT_OBJECT	"The request body must be a JSON object."
#define MSG_INVALID	"Some fields are not valid."
#define MSG_NOMEM	"Out of memory."

/* Reasons of a 422 answer: short English phrases clients may match. */
#define R_REQUIRED	"required"
#define R_SHORT		"too short"
#define R_LONG		"too long"
#define R_NOT_ALLOWED	"not allowed"
#define R_INVALID	"invalid"

enum rfield {
	RF_KIND,
	RF_TITLE,
	RF_BODY,
	RF_AGENCY,
	RF_CATEGORY,
	RF_LOCATION,
	RF_OCCURRED_ON,
	RF_VISIBILITY,
	RF_IDENTITY,
	RF_SEALED_IDENTITY,
	RF_POW,
	RF_CHANNEL,
	RF_SOURCE,
	RF_MAX
};

static const struct {
	const char	*name;
	json_type	 type;
	int		 intake;	/* only with CORE_REPORT_INTAKE */
} rfields[RF_MAX] = {
	[RF_KIND] =		{ "kind", JSON_STRING, 0 },
	[RF_TITLE] =		{ "title", JSON_STRING, 0 },
	[RF_BODY] =		{ "body", JSON_STRING, 0 },
	[RF_AGENCY] =		{ "agency", JSON_STRING, 0 },
	[RF_CATEGORY] =		{ "category", JSON_STRING, 0 },
	[RF_LOCATION] =		{ "location", JSON_STRING, 0 },
	[RF_OCCURRED_ON] =	{ "occurred_on", JSON_STRING, 0 },
	[RF_VISIBILITY] =	{ "visibility", JSON_STRING, 0 },
	[RF_IDENTITY] =		{ "identity", JSON_OBJECT, 0 },
	[RF_SEALED_IDENTITY] =	{ "sealed_identity", JSON_STRING, 0 },
	[RF_POW] =		{ "pow", JSON_OBJECT, 0 },
	[RF_CHANNEL] =		{ "channel", JSON_STRING, 1 },
	[RF_SOURCE] =		{ "source", JSON_STRING, 1 },
};

/* The identity keys, with their names as they appear in messages. */
static const struct {
	const char	*key;
	const char	*field;
} idkeys[] = {
	{ "name", "identity.name" },
	{ "email", "identity.email" },
	{ "phone", "identity.phone" },
	{ "nik", "identity.nik" },
	{ "address", "identity.address" },
};
#define NIDKEYS	(sizeof(idkeys) / sizeof(idkeys[0]))
#define ID_PREFIX	"identity."
#define ID_PREFIX_LEN	(sizeof(ID_PREFIX) - 1)

static int
rfield_find(const char *key, int flags)
{
	int	 i;

	for (i = 0; i < RF_MAX; i++)
		if (strcmp(rfields[i].name, key) == 0)
			return (rfields[i].intake &&
			    !(flags & CORE_REPORT_INTAKE)) ? -1 : i;
	return -1;
}

static int
idkey_find(const char *key)
{
	size_t	 i;

	for (i = 0; i < NIDKEYS; i++)
		if (strcmp(idkeys[i].key, key) == 0)
			return (int)i;
	return -1;
}

static const char *
type_phrase(json_type t)
{
	return t == JSON_OBJECT ? "must be an object." : "must be a string.";
}

/* Shape of identity: known keys with string values. */
static int
identity_shape(json_t *id, struct core_errors *errs)
{
	char		 name[64];
	const char	*key;
	json_t		*v;
	size_t		 n;
	int		 k;

	json_object_foreach(id, key, v) {
		if ((k = idkey_find(key)) == -1) {
			/* "identity.<key>", quoted back only if plain. */
			n = strlen(key);
			if (n > sizeof(name) - ID_PREFIX_LEN - 1)
				n = sizeof(name) - ID_PREFIX_LEN - 1;
			memcpy(name, ID_PREFIX, ID_PREFIX_LEN);
			memcpy(name + ID_PREFIX_LEN, key, n);
			name[ID_PREFIX_LEN + n] = '\0';
			core_errors_field(errs, name, "is not known.");
			return CORE_MALFORMED;
		}
		if (!json_is_string(v)) {
			core_errors_field(errs, idkeys[k].field,
			    "must be a string.");
			return CORE_MALFORMED;
		}
	}
	return CORE_OK;
}

/* Shape of pow: exactly a string challenge and a string nonce. */
static int
pow_shape(json_t *pow, struct core_errors *errs)
{
	json_t	*c, *n;

	c = json_object_get(pow, "challenge");
	n = json_object_get(pow, "nonce");
	if (c != NULL && !json_is_string(c)) {
		core_errors_field(errs, "pow.challenge", "must be a string.");
		return CORE_MALFORMED;
	}
	if (n != NULL && !json_is_string(n)) {
		core_errors_field(errs, "pow.nonce", "must be a string.");
		return CORE_MALFORMED;
	}
	if (c == NULL || n == NULL || json_object_size(pow) != 2) {
		core_errors_field(errs, "pow",
		    "must hold exactly a challenge and a nonce.");
		return CORE_MALFORMED;
	}
	return CORE_OK;
}

/*
 * Checks a text value: valid text, not blank when that matters, and
 * within [min, max] code points. Adds at most one reason for field.
 */
static void
check_text(struct core_errors *errs, const char *field, json_t *v,
    size_t min, size_t max, int noblank)
{
	const char	*s = json_string_value(v);
	size_t		 len = json_string_length(v);
	long		 n;

	if (!core_text_ok(s, len)) {
		core_errors_add(errs, field, R_INVALID);
		return;
	}
	if (noblank && core_text_blank(s, len)) {
		core_errors_add(errs, field, R_INVALID);
		return;
	}
	n = core_utf8_len(s, len);
	if ((size_t)n < min)
		core_errors_add(errs, field, R_SHORT);
	else if ((size_t)n > max)
		core_errors_add(errs, field, R_LONG);
}

/* The base64 alphabet, for strspn: a sealed identity is 5.6 KiB of it,
 * which strspn checks through one table instead of five ranges a byte. */
static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "abcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding, as crypto/ writes it. s is a jansson
 * string: NUL-terminated, with no NUL inside. */
static int
base64_ok(const char *s, size_t len)
{
	size_t	 i, n;

	if (len == 0 || len % 4 != 0)
		return 0;
	if ((n = strspn(s, b64_alphabet)) > len)
		n = len;
	/* Then only padding, at most two. */
	if (len - n > 2)
		return 0;
	for (i = n; i < len; i++)
		if (s[i] != '=')
			return 0;
	return 1;
}

/* pow values are machine-made: 1..CORE_POW_FIELD_MAX printable ASCII. */
static int
pow_value_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > CORE_POW_FIELD_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return 0;
	return 1;
}

/* The string of an optional text field, NULL when absent or "". */
static const char *
opt_str(json_t *v)
{
	if (v == NULL || json_string_length(v) == 0)
		return NULL;
	return json_string_value(v);
}

static void
check_values(json_t *f[RF_MAX], int flags, struct core_report *r,
    struct core_errors *errs)
{
	json_t		*v;
	int		 e;
	size_t		 k;

	if (f[RF_KIND] == NULL)
		core_errors_add(errs, "kind", R_REQUIRED);
	else if ((e = core_kind_parse(json_string_value(f[RF_KIND]))) == -1)
		core_errors_add(errs, "kind", R_INVALID);
	else
		r->kind = (enum core_kind)e;

	if (f[RF_TITLE] == NULL)
		core_errors_add(errs, "title", R_REQUIRED);
	else {
		check_text(errs, "title", f[RF_TITLE], CORE_TITLE_MIN,
		    CORE_TITLE_MAX, 1);
		r->title = json_string_value(f[RF_TITLE]);
	}
	if (f[RF_BODY] == NULL)
		core_errors_add(errs, "body", R_REQUIRED);
	else {
		check_text(errs, "body", f[RF_BODY], CORE_BODY_MIN,
		    CORE_BODY_MAX, 1);
		r->body = json_string_value(f[RF_BODY]);
	}

	if (f[RF_AGENCY] != NULL) {
		r->agency = json_string_value(f[RF_AGENCY]);
		if (!core_id_ok(r->agency))
			core_errors_add(errs, "agency", R_INVALID);
	}
	if (f[RF_CATEGORY] != NULL) {
		r->category = json_string_value(f[RF_CATEGORY]);
		if (!core_id_ok(r->category))
			core_errors_add(errs, "category", R_INVALID);
	}
	if (f[RF_LOCATION] != NULL) {
		check_text(errs, "location", f[RF_LOCATION], 0,
		    CORE_LOCATION_MAX, 0);
		r->location = opt_str(f[RF_LOCATION]);
	}
	if (f[RF_OCCURRED_ON] != NULL) {
		r->occurred_on = json_string_value(f[RF_OCCURRED_ON]);
		if (core_date_parse(r->occurred_on, NULL) == -1)
			core_errors_add(errs, "occurred_on", R_INVALID);
	}

	r->visibility = CORE_VIS_CONFIDENTIAL;
	if (f[RF_VISIBILITY] != NULL) {
		e = core_visibility_parse(json_string_value(f[RF_VISIBILITY]));
		if (e == -1)
			core_errors_add(errs, "visibility", R_INVALID);
		else
			r->visibility = (enum core_visibility)e;
	}

	/* An empty identity object says nothing: the report is anonymous. */
	if (f[RF_IDENTITY] != NULL && json_object_size(f[RF_IDENTITY]) > 0) {
		r->identity = f[RF_IDENTITY];
		for (k = 0; k < NIDKEYS; k++) {
			v = json_object_get(r->identity, idkeys[k].key);
			if (v != NULL)
				check_text(errs, idkeys[k].field, v, 0,
				    CORE_IDENTITY_FIELD_MAX, 0);
		}
	}
	if (f[RF_SEALED_IDENTITY] != NULL) {
		v = f[RF_SEALED_IDENTITY];
		r->sealed_identity = json_string_value(v);
		if (json_string_length(v) > CORE_SEALED_IDENTITY_MAX)
			core_errors_add(errs, "sealed_identity", R_LONG);
		else if (!base64_ok(r->sealed_identity, json_string_length(v)))
			core_errors_add(errs, "sealed_identity", R_INVALID);
	}
	/* Both would leave it open which one the case keeps. */
	if (r->identity != NULL && r->sealed_identity != NULL)
		core_errors_add(errs, "identity", R_NOT_ALLOWED);

	if (f[RF_POW] != NULL) {
		v = json_object_get(f[RF_POW], "challenge");
		r->pow_challenge = json_string_value(v);
		if (!pow_value_ok(r->pow_challenge, json_string_length(v)))
			core_errors_add(errs, "pow", R_INVALID);
		else {
			v = json_object_get(f[RF_POW], "nonce");
			r->pow_nonce = json_string_value(v);
			if (!pow_value_ok(r->pow_nonce, json_string_length(v)))
				core_errors_add(errs, "pow", R_INVALID);
		}
	}

	r->channel = CORE_CH_WEB;
	if (flags & CORE_REPORT_INTAKE) {
		if (f[RF_CHANNEL] == NULL)
			core_errors_add(errs, "channel", R_REQUIRED);
		else if ((e = core_channel_parse(
		    json_string_value(f[RF_CHANNEL]))) == -1)
			core_errors_add(errs, "channel", R_INVALID);
		else if (e == CORE_CH_WEB)	/* intake: other channels */
			core_errors_add(errs, "channel", R_NOT_ALLOWED);
		else
			r->channel = (enum core_channel)e;
		if (f[RF_SOURCE] != NULL) {
			check_text(errs, "source", f[RF_SOURCE], 0,
			    CORE_SOURCE_MAX, 0);
			r->source = opt_str(f[RF_SOURCE]);
		}
	}
}

int
core_report_parse(const char *buf, size_t len, int flags,
    struct core_report *out, struct core_errors *errs)
{
	struct core_errors	 local;
	json_t			*root = NULL, *f[RF_MAX], *v;
	const char		*key;
	int			 rc, i;

	if (errs == NULL)
		errs = &local;
	memset(out, 0, sizeof(*out));
	memset(f, 0, sizeof(f));
	rc = core_json_parse(buf, len, CORE_JSON_MAX_DEPTH, &root, errs);
	if (rc != CORE_OK)
		return rc;
	if (!json_is_object(root)) {
		core_errors_set(errs, MSG_NOT_OBJECT);
		rc = CORE_MALFORMED;
		goto fail;
	}

	json_object_foreach(root, key, v) {
		if ((i = rfield_find(key, flags)) == -1) {
			core_errors_field(errs, key, "is not known.");
			rc = CORE_MALFORMED;
			goto fail;
		}
		if (json_typeof(v) != rfields[i].type) {
			core_errors_field(errs, rfields[i].name,
			    type_phrase(rfields[i].type));
			rc = CORE_MALFORMED;
			goto fail;
		}
		f[i] = v;
	}
	if (f[RF_IDENTITY] != NULL &&
	    (rc = identity_shape(f[RF_IDENTITY], errs)) != CORE_OK)
		goto fail;
	if (f[RF_POW] != NULL && (rc = pow_shape(f[RF_POW], errs)) != CORE_OK)
		goto fail;

	out->root = root;
	check_values(f, flags, out, errs);
	if (errs->nfields > 0) {
		core_errors_set(errs, MSG_INVALID);
		rc = CORE_INVALID;
		goto fail;
	}
	return CORE_OK;

fail:
	json_decref(root);
	memset(out, 0, sizeof(*out));
	return rc;
}

void
core_report_free(struct core_report *r)
{
	if (r == NULL)
		return;
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

int
core_fields_parse(const char *buf, size_t len,
    const struct core_field_spec *specs, size_t nspecs, json_t **root,
    const char **values, struct core_errors *errs)
{
	struct core_errors	 local;
	json_t			*obj = NULL, *v;
	const char		*key;
	size_t			 i, slen;
	long			 n;
	int			 rc;

	if (errs == NULL)
		errs = &local;
	*root = NULL;
	for (i = 0; i < nspecs; i++)
		values[i] = NULL;
	rc = core_json_parse(buf, len, CORE_JSON_MAX_DEPTH, &obj, errs);
	if (rc != CORE_OK)
		return rc;
	if (!json_is_object(obj)) {
		core_errors_set(errs, MSG_NOT_OBJECT);
		rc = CORE_MALFORMED;
		goto fail;
	}
	json_object_foreach(obj, key, v) {
		for (i = 0; i < nspecs; i++)
			if (strcmp(specs[i].name, key) == 0)
				break;
		if (i == nspecs) {
			core_errors_field(errs, key, "is not known.");
			rc = CORE_MALFORMED;
			goto fail;
		}
		if (!json_is_string(v)) {
			core_errors_field(errs, specs[i].name,
			    "must be a string.");
			rc = CORE_MALFORMED;
			goto fail;
		}
	}
	for (i = 0; i < nspecs; i++) {
		if ((v = json_object_get(obj, specs[i].name)) == NULL) {
			if (specs[i].required)
				core_errors_add(errs, specs[i].name,
				    R_REQUIRED);
			continue;
		}
		values[i] = json_string_value(v);
		slen = json_string_length(v);
		if (!core_text_ok(values[i], slen)) {
			core_errors_add(errs, specs[i].name, R_INVALID);
			continue;
		}
		n = core_utf8_len(values[i], slen);
		if ((size_t)n < specs[i].min)
			core_errors_add(errs, specs[i].name, R_SHORT);
		else if ((size_t)n > specs[i].max)
			core_errors_add(errs, specs[i].name, R_LONG);
	}
	if (errs->nfields > 0) {
		core_errors_set(errs, MSG_INVALID);
		rc = CORE_INVALID;
		goto fail;
	}
	*root = obj;
	return CORE_OK;

fail:
	for (i = 0; i < nspecs; i++)
		values[i] = NULL;
	json_decref(obj);
	return rc;
}
