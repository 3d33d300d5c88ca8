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

/*
 * The normalised shadow of a text (redact_shadow.c): len bytes, and for
 * each of them (and one past the end) the offset in the original of the
 * code point it came from. CORE_SHADOW_COLLAPSE makes every run of
 * spaces and line ends one space (phrase matching). text is valid UTF-8.
 * -1 when out of memory or past CORE_REDACT_INPUT_MAX.
 */
#define CORE_SHADOW_COLLAPSE	0x1
struct core_shadow {
	unsigned char	*s;
	uint32_t	*map;
	size_t		 len;
};
int	core_shadow_make(const char *text, size_t len, int flags,
	    struct core_shadow *);
void	core_shadow_free(struct core_shadow *);
/* The span [*start, *end) of whole code points of the original that the
 * shadow bytes [a, b) (a < b) came from, with any combining marks that
 * follow it. */
void	core_shadow_span(const struct core_shadow *, const char *text,
	    size_t len, size_t a, size_t b, size_t *start, size_t *end);

/* NUL bytes and invalid UTF-8 of text made U+FFFD: *copy is a malloc'd
 * copy then, NULL when the text is clean. -1 when out of memory. */
int	core_redact_sanitize(const char *text, size_t len, char **copy,
	    size_t *copylen);
/* core_redact_find with at most max scans (redact.c says what a scan
 * is); *scans (may be NULL) gets how many it took. core_redact_find's
 * max is core_redact_scans_max (8; a unit test lowers it to reach the
 * whole-text mask, which no known text needs). */
extern int	core_redact_scans_max;
int	core_redact_find_settled(const char *text, size_t len, int max,
	    struct core_redact_span **spans, size_t *nspans, int *scans);
/* text with each span replaced by its kind's marker; malloc'd. */
char	*core_redact_render(const char *text, size_t len,
	    const struct core_redact_span *, size_t nspans, size_t *outlen);

#endif
