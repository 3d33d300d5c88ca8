/*
 * followup.c: the reporter's follow-up commands, `bisik follow`,
 * `bisik reply`, `bisik rate`, `bisik reopen` and `bisik rotate` (files:
 * attach.c).
 *
 * `bisik reply --attach` sends its files after the message, checked
 * before it (attach.c), as `bisik submit` does after the report.
 *
 * Each reads the token from a file (never argv), sends it only as a
 * bearer header and wipes it. What the server sends back was partly
 * written by staff, so it is shown through client_print_text() and each
 * field is type-checked before use: a reply that does not have the shape
 * we expect is an error, not a crash or a misleading view. Times are
 * shown in WIB (text.c).
 *
 * Rotating a token kills the old one at once, so `bisik rotate` first
 * makes sure it can put the new one somewhere: it rewrites the token file
 * in place (a temporary file beside it, fsynced, renamed over it) or
 * writes --token-out, and refuses to rotate at all when it can do
 * neither. Should the write still fail, the new token is printed rather
 * than lost.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

static const struct client_optspec follow_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "json", 0 },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec reply_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "message-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "attach", CLIENT_OPT_ARG | CLIENT_OPT_MULTI },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec rotate_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "token-out", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec rate_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "rating", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "comment-file", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec reopen_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "reason-file", CLIENT_OPT_ARG },
	{ "reason", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
#define NOPTS(a)	(sizeof(a) / sizeof((a)[0]))

int
client_session_open(const char *cmd, int argc, char *const argv[],
    const struct client_optspec *specs, size_t nspecs, size_t maxwords,
    struct client_session *s)
{
	char	err[160];

	memset(s, 0, sizeof(*s));
	if (client_args_parse_words(argc, argv, specs, nspecs, maxwords,
	    &s->args, err, sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (s->args.help) {
		client_usage(stdout, cmd);
		return -1;
	}
	if (client_net_init(&s->net, client_arg(&s->args, "server"),
	    client_arg(&s->args, "proxy")) == -1)
		return CLIENT_EXIT_USAGE;
	if (client_token_read(client_arg(&s->args, "token-file"),
	    &s->token) == -1) {
		client_net_free(&s->net);
		return CLIENT_EXIT_FAIL;
	}
	return CLIENT_EXIT_OK;
}

void
client_session_close(struct client_session *s)
{
	crypto_secret_free(s->token);
	s->token = NULL;
	client_net_free(&s->net);
}

/* Checks text against min..max characters; one sentence on -1. */
static int
text_check(const char *text, size_t n, int ctx, const char *field, long min,
    long max)
{
	char	said[CLIENT_EXPLAIN_MAX];
	long	chars = core_utf8_len(text, n);

	if (!core_text_ok(text, n) || chars < 0 ||
	    (chars > 0 && core_text_blank(text, n))) {
		client_explain(ctx, field, "invalid", -1, said, sizeof(said));
		client_err("%s", said);
		return -1;
	}
	if (chars < min || chars > max) {
		client_explain(ctx, field, chars < min ? "too short" :
		    "too long", chars, said, sizeof(said));
		client_err("%s", said);
		return -1;
	}
	return 0;
}

int
client_text_file(const char *path, int ctx, const char *field, long min,
    long max, char **out, size_t *len)
{
	char	*buf;
	size_t	 n;

	if (client_file_read(path, CLIENT_TEXTFILE_MAX, 0, "text file", &buf,
	    &n) == -1)
		return -1;
	/* Editors end files with a newline that is not part of the text. */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (text_check(buf, n, ctx, field, min, max) == -1) {
		client_mem_free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

/* ---- follow ---------------------------------------------------------- */

/*
 * A field of the view that may be absent or null (*out NULL) or text;
 * any other type is an error. Times (ISO 8601 in UTC, or Unix seconds)
 * are shown in WIB; a time in another form is shown as it came.
 */
static int
view_str(const json_t *o, const char *key, int is_time,
    char tbuf[CLIENT_TIME_TEXT], const char **out)
{
	const json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		if (is_time && client_time_wib(*out, tbuf) == 0)
			*out = tbuf;
		return 0;
	}
	if (is_time && json_is_integer(v) && json_integer_value(v) >= 0) {
		client_time_wib_t((time_t)json_integer_value(v), tbuf);
		*out = tbuf;
		return 0;
	}
	client_err("the server's answer has a wrong type for \"%s\"", key);
	return -1;
}

/* A list of the view: absent or null is empty; otherwise an array of
 * objects. */
static int
view_list(const json_t *o, const char *key, const json_t **out)
{
	const json_t	*v = json_object_get(o, key);
	size_t		 i;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		client_err("the server's answer has a wrong type for \"%s\"",
		    key);
		return -1;
	}
	for (i = 0; i < json_array_size(v); i++)
		if (!json_is_object(json_array_get(v, i))) {
			client_err("an entry of \"%s\" in the server's answer "
			    "is not an object", key);
			return -1;
		}
	*out = v;
	return 0;
}

static void
show_field(const char *label, const char *value)
{
	if (value == NULL)
		return;
	printf("%-11s ", label);
	client_print_text(stdout, value);
	putchar('\n');
}

/* Prints the scalar members of an object as "key=value" pairs: used for
 * entries whose exact fields the server may extend. Times ("at",
 * "..._at") are shown in WIB. */
static void
show_members(json_t *o)
{
	const char	*key;
	json_t		*v;
	char		 tbuf[CLIENT_TIME_TEXT];
	size_t		 klen;
	int		 first = 1;

	json_object_foreach(o, key, v) {
		if (json_is_object(v) || json_is_array(v) || json_is_null(v))
			continue;
		printf("%s", first ? "  " : ", ");
		first = 0;
		client_print_text(stdout, key);
		putchar('=');
		klen = strlen(key);
		if (json_is_string(v) && (strcmp(key, "at") == 0 ||
		    (klen > 3 && strcmp(key + klen - 3, "_at") == 0)) &&
		    client_time_wib(json_string_value(v), tbuf) == 0)
			client_print_text(stdout, tbuf);
		else if (json_is_string(v))
			client_print_text(stdout, json_string_value(v));
		else if (json_is_integer(v))
			printf("%lld", (long long)json_integer_value(v));
		else if (json_is_real(v))
			printf("%g", json_real_value(v));
		else
			printf("%s", json_is_true(v) ? "true" : "false");
	}
	if (!first)
		putchar('\n');
}

static int
show_timeline(const json_t *list)
{
	const char	*at, *event, *status, *note;
	char		 tbuf[CLIENT_TIME_TEXT];
	size_t		 i;
	json_t		*e;

	printf("\ntimeline:\n");
	if (json_array_size(list) == 0)
		printf("  (none)\n");
	json_array_foreach(list, i, e) {
		if (view_str(e, "at", 1, tbuf, &at) == -1 ||
		    view_str(e, "event", 0, NULL, &event) == -1 ||
		    view_str(e, "status", 0, NULL, &status) == -1 ||
		    view_str(e, "note", 0, NULL, &note) == -1)
			return -1;
		printf("  ");
		client_print_text(stdout, at != NULL ? at : "-");
		printf("  ");
		client_print_text(stdout, event != NULL ? event :
		    status != NULL ? status : "-");
		if (event != NULL && status != NULL &&
		    strcmp(event, status) != 0) {
			printf(" -> ");
			client_print_text(stdout, status);
		}
		if (note != NULL) {
			printf("\n    ");
			client_print_text(stdout, note);
		}
		putchar('\n');
	}
	return 0;
}

static int
show_messages(const json_t *list)
{
	const char	*at, *from, *dir, *body;
	char		 tbuf[CLIENT_TIME_TEXT];
	size_t		 i;
	json_t		*e;

	printf("\nmessages:\n");
	if (json_array_size(list) == 0)
		printf("  (none)\n");
	json_array_foreach(list, i, e) {
		/* "from" (reporter or staff) or "direction": either names
		 * who wrote it. */
		if (view_str(e, "at", 1, tbuf, &at) == -1 ||
		    view_str(e, "from", 0, NULL, &from) == -1 ||
		    view_str(e, "direction", 0, NULL, &dir) == -1 ||
		    view_str(e, "body", 0, NULL, &body) == -1)
			return -1;
		printf("  ");
		client_print_text(stdout, at != NULL ? at : "-");
		if (from != NULL) {
			printf("  from ");
			client_print_text(stdout, strcmp(from, "reporter") ==
			    0 ? "you" : from);
		} else {
			printf("  ");
			client_print_text(stdout, dir != NULL ? dir : "-");
		}
		printf("\n    ");
		client_print_text(stdout, body != NULL ? body : "");
		putchar('\n');
	}
	return 0;
}

/* "#N name (type, size), from you|staff, at TIME": N is what `bisik
 * download --attachment` takes. */
static int
show_attachments(const json_t *list)
{
	const json_t	*size, *num;
	const char	*name, *type, *from, *at;
	char		 tbuf[CLIENT_TIME_TEXT], sz[CLIENT_SIZE_TEXT];
	size_t		 i;
	json_t		*e;

	printf("\nattachments:\n");
	if (json_array_size(list) == 0)
		printf("  (none)\n");
	json_array_foreach(list, i, e) {
		if (view_str(e, "name", 0, NULL, &name) == -1 ||
		    view_str(e, "type", 0, NULL, &type) == -1 ||
		    view_str(e, "from", 0, NULL, &from) == -1 ||
		    view_str(e, "at", 1, tbuf, &at) == -1)
			return -1;
		size = json_object_get(e, "size");
		num = json_object_get(e, "attachment");
		if ((size != NULL && (!json_is_integer(size) ||
		    json_integer_value(size) < 0)) ||
		    (num != NULL && !json_is_integer(num))) {
			client_err("the server's answer has a wrong type for "
			    "\"%s\"", num != NULL && !json_is_integer(num) ?
			    "attachment" : "size");
			return -1;
		}
		printf("  ");
		if (num != NULL)
			printf("#%lld ", (long long)json_integer_value(num));
		client_print_text(stdout, name != NULL ? name : "-");
		if (type != NULL || size != NULL) {
			printf(" (");
			if (type != NULL)
				client_print_text(stdout, type);
			if (size != NULL) {
				client_size_text((unsigned long long)
				    json_integer_value(size), sz);
				printf("%s%s", type != NULL ? ", " : "", sz);
			}
			printf(")");
		}
		if (from != NULL) {
			printf(", from ");
			client_print_text(stdout, strcmp(from, "reporter") ==
			    0 ? "you" : from);
		}
		if (at != NULL) {
			printf(", ");
			client_print_text(stdout, at);
		}
		putchar('\n');
	}
	return 0;
}

/*
 * An agency's or category's name from the server's public list (GET
 * /agencies or /categories) as "Name (id)", so that a reporter reads
 * "Dinas Pekerjaan Umum", not "dinas-pu"; the id alone when the list
 * does not hold it. -1 (told) when the list cannot be had.
 */
static int
named(const struct client_net *net, const char *path, const char *id,
    char *out, size_t outlen)
{
	json_t		*list = NULL, *e;
	const char	*eid, *name;
	long		 status = 0;
	size_t		 i;

	snprintf(out, outlen, "%s", id);
	if (client_http(net, "GET", path, NULL, NULL, 0, &status, &list) ==
	    -1)
		return -1;
	if (status != 200 || !json_is_array(list)) {
		client_http_error(status, list);
		json_decref(list);
		return -1;
	}
	json_array_foreach(list, i, e) {
		eid = json_string_value(json_object_get(e, "id"));
		name = json_string_value(json_object_get(e, "name"));
		if (eid != NULL && name != NULL && strcmp(eid, id) == 0) {
			snprintf(out, outlen, "%s (%s)", name, id);
			break;
		}
	}
	json_decref(list);
	return 0;
}

/* The stage deadlines (docs/openapi.yaml, FollowupView.deadlines), each
 * in WIB, in the order the stages come. */
static int
show_deadlines(const json_t *v)
{
	static const char *const stages[][2] = {
		{ "dispose", "forwarded to an agency by" },
		{ "accept", "accepted by the agency by" },
		{ "respond", "first answer by" },
		{ "responded_at", "first answer given" },
		{ "resolve", "resolved by" },
		{ "close", "closes by itself" },
	};
	const json_t	*d = json_object_get(v, "deadlines");
	const char	*at;
	char		 tbuf[CLIENT_TIME_TEXT];
	size_t		 i;
	int		 any = 0;

	if (d == NULL || json_is_null(d))
		return 0;
	if (!json_is_object(d)) {
		client_err("the server's answer has a wrong type for "
		    "\"deadlines\"");
		return -1;
	}
	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		if (view_str(d, stages[i][0], 1, tbuf, &at) == -1)
			return -1;
		if (at == NULL)
			continue;
		if (!any)
			printf("\ndeadlines (working days; a day ends at 23:59 "
			    "WIB):\n");
		any = 1;
		printf("  %-27s ", stages[i][1]);
		client_print_text(stdout, at);
		putchar('\n');
	}
	return 0;
}

int
client_view_show(const struct client_net *net, const json_t *v)
{
	const json_t	*timeline, *messages, *attachments, *disclosures;
	const json_t	*rating, *identity;
	const char	*ref, *status, *kind, *agency, *due, *title, *body;
	const char	*merged, *category, *location, *occurred, *vis;
	const char	*created, *updated, *resolved, *closed, *closed_by;
	const char	*resolution, *rejected;
	char		 tbuf[CLIENT_TIME_TEXT], cbuf[CLIENT_TIME_TEXT];
	char		 ubuf[CLIENT_TIME_TEXT], rbuf[CLIENT_TIME_TEXT];
	char		 xbuf[CLIENT_TIME_TEXT], line[96];
	char		 aname[CLIENT_NAME_TEXT], cname[CLIENT_NAME_TEXT];
	size_t		 i;
	json_t		*e;

	if (!json_is_object(v)) {
		client_err("the server's answer is not a case view");
		return -1;
	}
	if ((ref = client_json_str(v, "case", "server's answer")) == NULL ||
	    (status = client_json_str(v, "status", "server's answer")) ==
	    NULL)
		return -1;
	if (view_str(v, "kind", 0, NULL, &kind) == -1 ||
	    view_str(v, "agency", 0, NULL, &agency) == -1 ||
	    view_str(v, "due_at", 1, tbuf, &due) == -1 ||
	    view_str(v, "title", 0, NULL, &title) == -1 ||
	    view_str(v, "body", 0, NULL, &body) == -1 ||
	    view_str(v, "merged_into", 0, NULL, &merged) == -1 ||
	    view_str(v, "category", 0, NULL, &category) == -1 ||
	    view_str(v, "location", 0, NULL, &location) == -1 ||
	    view_str(v, "occurred_on", 0, NULL, &occurred) == -1 ||
	    view_str(v, "visibility", 0, NULL, &vis) == -1 ||
	    view_str(v, "created_at", 1, cbuf, &created) == -1 ||
	    view_str(v, "updated_at", 1, ubuf, &updated) == -1 ||
	    view_str(v, "resolved_at", 1, rbuf, &resolved) == -1 ||
	    view_str(v, "closed_at", 1, xbuf, &closed) == -1 ||
	    view_str(v, "closed_by", 0, NULL, &closed_by) == -1 ||
	    view_str(v, "resolution", 0, NULL, &resolution) == -1 ||
	    view_str(v, "reject_reason", 0, NULL, &rejected) == -1 ||
	    view_list(v, "timeline", &timeline) == -1 ||
	    view_list(v, "messages", &messages) == -1 ||
	    view_list(v, "attachments", &attachments) == -1 ||
	    view_list(v, "identity_disclosures", &disclosures) == -1)
		return -1;
	rating = json_object_get(v, "rating");
	identity = json_object_get(v, "identity");
	if ((rating != NULL && !json_is_null(rating) &&
	    (!json_is_integer(rating) || json_integer_value(rating) < 1 ||
	    json_integer_value(rating) > 5)) ||
	    (identity != NULL && !json_is_boolean(identity))) {
		client_err("the server's answer has a wrong type for \"%s\"",
		    identity != NULL && !json_is_boolean(identity) ?
		    "identity" : "rating");
		return -1;
	}
	snprintf(aname, sizeof(aname), "%s", agency != NULL ? agency : "");
	snprintf(cname, sizeof(cname), "%s", category != NULL ? category :
	    "");
	if (net != NULL && ((agency != NULL && named(net, "/agencies",
	    agency, aname, sizeof(aname)) == -1) || (category != NULL &&
	    named(net, "/categories", category, cname, sizeof(cname)) == -1)))
		return -1;
	show_field("case:", ref);
	show_field("status:", status);
	show_field("merged into:", merged);
	show_field("kind:", kind);
	show_field("visibility:", vis);
	show_field("agency:", agency != NULL ? aname : "(not yet assigned)");
	show_field("category:", category != NULL ? cname : NULL);
	show_field("filed:", created);
	show_field("updated:", updated);
	show_field("due:", due);
	show_field("resolved:", resolved);
	if (closed != NULL) {
		snprintf(line, sizeof(line), "%s%s", closed, closed_by ==
		    NULL ? "" : strcmp(closed_by, "reporter") == 0 ?
		    " (by you, with your rating)" :
		    strcmp(closed_by, "system") == 0 ? " (by the system, 14 "
		    "days after the resolution)" : "");
		show_field("closed:", line);
	}
	if (json_is_integer(rating)) {
		snprintf(line, sizeof(line), "%lld of 5 (yours)",
		    (long long)json_integer_value(rating));
		show_field("rating:", line);
	}
	if (identity != NULL)
		show_field("identity:", json_is_true(identity) ? "given and "
		    "sealed (only central admins together can open it)" :
		    "none (anonymous)");
	show_field("location:", location);
	show_field("occurred:", occurred);
	show_field("title:", title);
	if (body != NULL) {
		printf("\n");
		client_print_text(stdout, body);
		printf("\n");
	}
	if (resolution != NULL) {
		printf("\nresolution:\n  ");
		client_print_text(stdout, resolution);
		printf("\n");
	}
	if (rejected != NULL) {
		printf("\nrejected because:\n  ");
		client_print_text(stdout, rejected);
		printf("\n");
	}
	if (show_deadlines(v) == -1 || show_timeline(timeline) == -1 ||
	    show_messages(messages) == -1 ||
	    show_attachments(attachments) == -1)
		return -1;
	printf("\nidentity disclosures:\n");
	if (json_array_size(disclosures) == 0)
		printf("  none: your identity has never been opened\n");
	json_array_foreach(disclosures, i, e)
		show_members(e);
	return 0;
}

int
cmd_follow(int argc, char *const argv[])
{
	struct client_session	 s = { 0 };
	json_t		*reply = NULL;
	char		*text;
	long		 status;
	int		 rc = CLIENT_EXIT_FAIL;

	if ((rc = client_session_open("follow", argc, argv, follow_opts,
	    NOPTS(follow_opts), 0, &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rc = CLIENT_EXIT_FAIL;
	if (client_http(&s.net, "GET", "/followup", s.token, NULL, 0, &status,
	    &reply) == -1)
		goto out;
	if (status != 200) {
		client_http_error(status, reply);
		goto out;
	}
	if (client_arg_given(&s.args, "json")) {
		/* Escaped to ASCII: still JSON, and unable to drive a
		 * terminal whatever the server put in its strings. */
		if ((text = json_dumps(reply, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)) == NULL) {
			client_err("out of memory");
			goto out;
		}
		printf("%s\n", text);
		client_mem_free(text);
	} else if (client_view_show(&s.net, reply) == -1)
		goto out;
	rc = CLIENT_EXIT_OK;
out:
	json_decref(reply);
	client_session_close(&s);
	return rc;
}

/* ---- reply ----------------------------------------------------------- */

/*
 * Posts a JSON object with the token and expects `want`; a refusal is
 * told in the words of ctx. The answer on 0.
 */
static int
post_json(struct client_session *s, const char *path, json_t *body, int ctx,
    long want, json_t **out)
{
	json_t	*reply = NULL;
	char	*text;
	long	 status;
	int	 rc;

	if ((text = json_dumps(body, JSON_COMPACT)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	rc = client_http(&s->net, "POST", path, s->token, text, strlen(text),
	    &status, &reply);
	client_mem_free(text);
	if (rc == -1)
		return -1;
	if (status != want) {
		client_http_error_ctx(status, reply, ctx, body);
		json_decref(reply);
		return -1;
	}
	*out = reply;
	return 0;
}

/* The object {key: text}; NULL after a message. */
static json_t *
text_body(const char *key, const char *text)
{
	json_t	*o;

	if ((o = json_object()) == NULL ||
	    json_object_set_new(o, key, json_string(text)) == -1) {
		json_decref(o);
		client_err("out of memory");
		return NULL;
	}
	return o;
}

/* ---- reply ----------------------------------------------------------- */

int
cmd_reply(int argc, char *const argv[])
{
	struct client_session	 s = { 0 };
	json_t			*body = NULL, *reply = NULL;
	const char		*at;
	const char *const	*attach;
	char			*msg = NULL, tbuf[CLIENT_TIME_TEXT];
	char			 failed[8 * CLIENT_EXPLAIN_MAX];
	size_t			 len, nattach, nfailed;
	int			 rc = CLIENT_EXIT_FAIL;

	if ((rc = client_session_open("reply", argc, argv, reply_opts,
	    NOPTS(reply_opts), 0, &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rc = CLIENT_EXIT_FAIL;
	attach = client_arg_multi(&s.args, "attach", &nattach);
	if (client_text_file(client_arg(&s.args, "message-file"),
	    CLIENT_CTX_MESSAGE, "body", CORE_MESSAGE_MIN, CORE_MESSAGE_MAX,
	    &msg, &len) == -1)
		goto out;
	/* The files a message speaks of are checked before it is sent. */
	if (client_files_check(attach, nattach) == -1)
		goto out;
	if ((body = text_body("body", msg)) == NULL ||
	    post_json(&s, "/followup/messages", body, CLIENT_CTX_MESSAGE, 201,
	    &reply) == -1)
		goto out;
	at = json_string_value(json_object_get(reply, "at"));
	if (at != NULL && client_time_wib(at, tbuf) == 0)
		printf("message sent at %s\n", tbuf);
	else
		printf("message sent\n");
	if ((nfailed = client_files_send(&s.net, s.token, attach, nattach,
	    failed, sizeof(failed))) > 0) {
		client_err("the message IS sent, but %zu of %zu attachments "
		    "were not added: %s; add them with `bisik attach`",
		    nfailed, nattach, failed);
		goto out;
	}
	rc = CLIENT_EXIT_OK;
out:
	json_decref(reply);
	json_decref(body);
	client_mem_free(msg);
	client_session_close(&s);
	return rc;
}

/* ---- rate and reopen --------------------------------------------------- */

int
cmd_rate(int argc, char *const argv[])
{
	struct client_session	 s = { 0 };
	json_t			*body = NULL, *reply = NULL;
	const char		*cfile, *ref;
	char			*comment = NULL, said[CLIENT_EXPLAIN_MAX];
	size_t			 len;
	unsigned long		 rating;
	int			 rc = CLIENT_EXIT_FAIL;

	if ((rc = client_session_open("rate", argc, argv, rate_opts,
	    NOPTS(rate_opts), 0, &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	if (client_parse_uint(client_arg(&s.args, "rating"), 1, 5,
	    &rating) == -1) {
		client_explain(CLIENT_CTX_RATE, "rating", NULL, -1, said,
		    sizeof(said));
		client_err("%s", said);
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	rc = CLIENT_EXIT_FAIL;
	cfile = client_arg(&s.args, "comment-file");
	if (cfile != NULL && client_text_file(cfile, CLIENT_CTX_RATE,
	    "comment", 1, CORE_MESSAGE_MAX, &comment, &len) == -1)
		goto out;
	if ((body = json_object()) == NULL ||
	    json_object_set_new(body, "rating", json_integer((json_int_t)
	    rating)) == -1 || (comment != NULL && json_object_set_new(body,
	    "comment", json_string(comment)) == -1)) {
		client_err("out of memory");
		goto out;
	}
	if (post_json(&s, "/followup/confirm", body, CLIENT_CTX_RATE, 200,
	    &reply) == -1)
		goto out;
	ref = json_string_value(json_object_get(reply, "case"));
	printf("rated %lu of 5; case ", rating);
	client_print_text(stdout, ref != NULL ? ref : "?");
	printf(" is closed\n");
	rc = CLIENT_EXIT_OK;
out:
	json_decref(reply);
	json_decref(body);
	client_mem_free(comment);
	client_session_close(&s);
	return rc;
}

int
cmd_reopen(int argc, char *const argv[])
{
	struct client_session	 s = { 0 };
	json_t			*body = NULL, *reply = NULL;
	const char		*rfile, *rtext, *ref;
	char			*reason = NULL;
	size_t			 len;
	int			 rc = CLIENT_EXIT_FAIL;

	if ((rc = client_session_open("reopen", argc, argv, reopen_opts,
	    NOPTS(reopen_opts), 0, &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rfile = client_arg(&s.args, "reason-file");
	rtext = client_arg(&s.args, "reason");
	if ((rfile == NULL) == (rtext == NULL)) {
		client_err("give the reason once: --reason-file FILE or "
		    "--reason TEXT");
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	rc = CLIENT_EXIT_FAIL;
	if (rfile != NULL) {
		if (client_text_file(rfile, CLIENT_CTX_REOPEN, "reason", 1,
		    CORE_REASON_MAX, &reason, &len) == -1)
			goto out;
		rtext = reason;
	} else if (text_check(rtext, strlen(rtext), CLIENT_CTX_REOPEN,
	    "reason", 1, CORE_REASON_MAX) == -1)
		goto out;
	if ((body = text_body("reason", rtext)) == NULL ||
	    post_json(&s, "/followup/reopen", body, CLIENT_CTX_REOPEN, 200,
	    &reply) == -1)
		goto out;
	ref = json_string_value(json_object_get(reply, "case"));
	printf("case ");
	client_print_text(stdout, ref != NULL ? ref : "?");
	printf(" is reopened and in progress again, with a new deadline; "
	    "`bisik follow` shows it\n");
	rc = CLIENT_EXIT_OK;
out:
	json_decref(reply);
	json_decref(body);
	client_mem_free(reason);
	client_session_close(&s);
	return rc;
}

/* ---- rotate ---------------------------------------------------------- */

/*
 * Where the new token goes, checked before the old one is given up:
 * --token-out (a new file), else the token file itself, which must be a
 * regular file (following a symbolic link to it) in a directory where a
 * file can be made beside it. *how says how to write it; *real is
 * malloc()ed when it is the token file's real path.
 */
static int
token_target(const char *token_file, const char *token_out,
    char **real, int *how)
{
	struct stat	 st;
	char		*r = NULL, *tmp = NULL;
	size_t		 n;
	int		 fd;

	*real = NULL;
	if (token_out != NULL) {
		if (client_path_exists(token_out)) {
			client_err("%s already exists; choose a new file for "
			    "the new token (nothing was rotated)", token_out);
			return -1;
		}
		*how = CLIENT_WRITE_EXCL;
		return 0;
	}
	if (stat(token_file, &st) == -1 || !S_ISREG(st.st_mode)) {
		client_err("the token file %s is not a regular file, so it "
		    "cannot be rewritten in place; nothing was rotated; give "
		    "--token-out FILE for the new token", token_file);
		return -1;
	}
	if ((r = realpath(token_file, NULL)) == NULL) {
		client_err("cannot find where the token file %s is: %s; "
		    "nothing was rotated", token_file, strerror(errno));
		return -1;
	}
	/* The same temporary name client_file_write() will use. */
	n = strlen(r);
	if ((tmp = malloc(n + sizeof(".XXXXXX"))) == NULL) {
		client_err("out of memory");
		free(r);
		return -1;
	}
	memcpy(tmp, r, n);
	memcpy(tmp + n, ".XXXXXX", sizeof(".XXXXXX"));
	if ((fd = mkstemp(tmp)) == -1) {
		client_err("the token file %s cannot be rewritten in place "
		    "(%s in its directory); nothing was rotated; give "
		    "--token-out FILE for the new token", token_file,
		    strerror(errno));
		free(tmp);
		free(r);
		return -1;
	}
	close(fd);
	unlink(tmp);
	free(tmp);
	*real = r;
	*how = CLIENT_WRITE_REPLACE;
	return 0;
}

int
client_rotate_answer(const json_t *reply,
    char canon[CRYPTO_TOKEN_SYMBOLS + 1])
{
	const char *tok;

	if ((tok = client_json_str(reply, "token", "server's answer")) ==
	    NULL)
		return -1;
	if (crypto_token_parse(tok, strlen(tok), canon) == -1) {
		client_err("the server's answer has a malformed token; the old "
		    "token may no longer work");
		return -1;
	}
	return 0;
}

int
cmd_rotate(int argc, char *const argv[])
{
	struct client_session	 s = { 0 };
	json_t			*reply = NULL;
	const char		*out_path, *shown;
	char			*canon = NULL, *real = NULL;
	long			 status;
	int			 rc = CLIENT_EXIT_FAIL, how = 0;

	if ((rc = client_session_open("rotate", argc, argv, rotate_opts,
	    NOPTS(rotate_opts), 0, &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rc = CLIENT_EXIT_FAIL;
	out_path = client_arg(&s.args, "token-out");
	if (token_target(client_arg(&s.args, "token-file"), out_path, &real,
	    &how) == -1)
		goto out;
	shown = out_path != NULL ? out_path : client_arg(&s.args,
	    "token-file");
	if (client_http(&s.net, "POST", "/followup/rotate", s.token, NULL, 0,
	    &status, &reply) == -1)
		goto out;
	if (status != 200) {
		client_http_error(status, reply);
		goto out;
	}
	if ((canon = crypto_secret_alloc(CRYPTO_TOKEN_SYMBOLS + 1)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_rotate_answer(reply, canon) == -1)
		goto out;
	if (client_token_write(out_path != NULL ? out_path : real, canon,
	    how) == -1) {
		/* The old token is dead: the new one must not be lost. */
		client_token_print("new token", canon);
		printf("the old token no longer works and the new one could "
		    "not be saved: copy the new token above now\n");
		goto out;
	}
	printf("the new token is in ");
	client_print_text(stdout, shown);
	printf("; the old token no longer works\n");
	if (out_path != NULL) {
		client_print_text(stdout, client_arg(&s.args, "token-file"));
		printf(" still holds the old token; delete it\n");
	}
	rc = CLIENT_EXIT_OK;
out:
	free(real);
	crypto_secret_free(canon);
	json_decref(reply);
	client_session_close(&s);
	return rc;
}
