/*
 * fuzz_client.c: libFuzzer target for what bisik does with a server's
 * answers, which a hostile or broken server writes: the follow-up view
 * printed for people (client_view_show, every field type-checked), the
 * 422 field list turned into sentences (client_explain_fields, in every
 * request context, with the input as the values too) and the times shown
 * in WIB. Then the client's check of an attachment's type against the
 * server's own on the same bytes: they must agree, or a reporter is told
 * "refused" for a file the server takes, or the other way round.
 * Output goes to /dev/null; a crash, a sanitizer report or a
 * disagreement is the finding.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
quiet(void)
{
	static int	done;
	int		fd;

	if (done)
		return;
	done = 1;
	if ((fd = open("/dev/null", O_WRONLY)) == -1)
		abort();
	if (dup2(fd, STDOUT_FILENO) == -1)
		abort();
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_errors	 errs;
	json_t			*root = NULL;
	const char		*cm, *sm;
	char			 out[4 * CLIENT_EXPLAIN_MAX];
	char			 wib[CLIENT_TIME_TEXT], *s;
	int			 c, sv, ctx;

	quiet();
	/* The type check: the same verdict as the server's. */
	c = client_attach_sniff(data, size);
	sv = srv_attach_sniff(data, size);
	cm = c < 0 ? "refused" : client_attach_mime(c);
	sm = sv < 0 ? "refused" : srv_attach_mime(sv);
	if (cm == NULL || sm == NULL || strcmp(cm, sm) != 0)
		abort();
	/* A time as the API writes it, or anything else. */
	if (size < 64 && (s = malloc(size + 1)) != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
		if (client_time_wib(s, wib) == 0 &&
		    strlen(wib) >= CLIENT_TIME_TEXT)
			abort();
		free(s);
	}
	memset(&errs, 0, sizeof(errs));
	if (core_json_parse((const char *)data, size, CLIENT_JSON_DEPTH,
	    &root, &errs) != 0)
		return 0;
	(void)client_view_show(NULL, root);
	if (json_is_object(root))
		for (ctx = CLIENT_CTX_NONE; ctx <= CLIENT_CTX_ATTACH; ctx++) {
			client_explain_fields(ctx, root, root, out,
			    sizeof(out));
			if (strlen(out) >= sizeof(out))
				abort();
		}
	fflush(stdout);
	json_decref(root);
	return 0;
}
