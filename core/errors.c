/*
 * errors.c: the error record core hands back for 400 and 422 answers.
 *
 * A message is read by people and may be shown to anyone who sent a
 * request, so it never carries input values: only fixed sentences and, at
 * most, the name of the field concerned when that name is a plain
 * identifier (a key that looks like personal data is not quoted back).
 */
#include <string.h>

#include "core.h"
#include "core_int.h"

/* Longest field name quoted back in a message. */
#define FIELD_NAME_QUOTE_MAX	40

void
core_errors_add(struct core_errors *errs, const char *field,
    const char *reason)
{
	/* A 422 answer lists what fits; the rest would repeat the point. */
	if (errs == NULL || errs->nfields >= CORE_FIELDS_MAX)
		return;
	errs->field[errs->nfields] = field;
	errs->reason[errs->nfields] = reason;
	errs->nfields++;
}

void
core_errors_reset(struct core_errors *errs)
{
	if (errs != NULL)
		memset(errs, 0, sizeof(*errs));
}

void
core_errors_set(struct core_errors *errs, const char *message)
{
	if (errs != NULL)
		errs->message = message;
}

static int
quotable(const char *name)
{
	size_t	 i;

	for (i = 0; name[i] != '\0'; i++) {
		if (i >= FIELD_NAME_QUOTE_MAX)
			return 0;
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') ||
		    name[i] == '_' || name[i] == '.' || name[i] == '-'))
			return 0;
	}
	return i > 0;
}

/* Appends src to the message buffer, truncating (never overflowing). */
static void
append(char *buf, size_t *off, const char *src)
{
	size_t	 n;

	n = strlen(src);
	if (n > CORE_ERRMSG_MAX - 1 - *off)
		n = CORE_ERRMSG_MAX - 1 - *off;
	memcpy(buf + *off, src, n);
	*off += n;
	buf[*off] = '\0';
}

void
core_errors_field(struct core_errors *errs, const char *name,
    const char *what)
{
	size_t	 off = 0;

	if (errs == NULL)
		return;
	errs->msgbuf[0] = '\0';
	if (name != NULL && quotable(name)) {
		append(errs->msgbuf, &off, "The field \"");
		append(errs->msgbuf, &off, name);
		append(errs->msgbuf, &off, "\" ");
	} else
		append(errs->msgbuf, &off, "A field ");
	append(errs->msgbuf, &off, what);
	errs->message = errs->msgbuf;
}
