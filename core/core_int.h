/*
 * core_int.h: declarations shared between the files of core/ and nobody
 * else. The rest of Bisik knows core only through core.h.
 */
#ifndef BISIK_CORE_INT_H
#define BISIK_CORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"

/*
 * Length (1..4) of the well-formed UTF-8 sequence at s, storing its code
 * point in *cp; 0 if the bytes there are not one (truncated, overlong,
 * surrogate, above U+10FFFF, stray continuation byte).
 */
size_t	core_utf8_next(const unsigned char *s, size_t len, uint32_t *cp);

/* Clears *errs (which may be NULL) before a parse fills it. */
void	core_errors_reset(struct core_errors *);
/* Sets the message to a static sentence. */
void	core_errors_set(struct core_errors *, const char *message);
/*
 * Sets the message to `The field "<name>" <what>`, quoting name only when it
 * is a plain identifier (see core.h); otherwise `A field <what>`.
 */
void	core_errors_field(struct core_errors *, const char *name,
	    const char *what);

/* The automatic filter, also telling which output bytes are markers (a
 * calloc'd array of outlen flags) so manual phrases can leave them be. */
char	*core_redact_marked(const char *text, size_t len, size_t *outlen,
	    unsigned char **marker);

#endif
