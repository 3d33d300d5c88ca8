/*
 * log.c: one key=value line per event on stderr.
 *
 * What may appear: event names, routes as patterns (never a raw path, which
 * could carry a guessed token or a case reference typed by a reporter),
 * status codes, durations, counts, error classes. What never appears:
 * addresses, user agents, tokens, identities, report text, usernames of
 * failed logins. Callers pass only such values; this file adds the time
 * and level and keeps one write() per line so lines never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/util.h"

static int log_level = LOG_INFO;

void
srv_log_set_level(int level)
{
	log_level = level;
}

void
srv_log(int level, const char *event, const char *fmt, ...)
{
	static const char	*names[] = { "error", "warn", "info", "debug" };
	char			 line[1024], ts[21];
	va_list			 ap;
	int			 n, m;

	if (level > log_level)
		return;
	core_time_iso(time(NULL), ts);
	n = snprintf(line, sizeof(line), "ts=%s level=%s event=%s", ts,
	    names[level < 0 ? 0 : level > 3 ? 3 : level], event);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if (fmt != NULL && fmt[0] != '\0') {
		line[n++] = ' ';
		va_start(ap, fmt);
		m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
		va_end(ap);
		if (m < 0)
			return;
		n += m;
		if ((size_t)n > sizeof(line) - 2)
			n = (int)sizeof(line) - 2;
	}
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
