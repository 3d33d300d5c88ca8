/*
 * followup.c: the reporter's follow-up commands, `bisik follow`,
 * `bisik reply` and `bisik rotate`.
 *
 * Each reads the token from a file (never argv), sends it only as a
 * bearer header and wipes it. What the server sends back was partly
 * written by staff, so it is shown through client_print_text() and each
 * field is type-checked before use: a reply that does not have the shape
 * we expect is an error, not a crash or a misleading view.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

/* A message body is at most CORE_MESSAGE_MAX code points of 4 bytes. */
#define MESSAGE_FILE_MAX	(4 * CORE_MESSAGE_MAX + 1024)

static const struct client_optspec follow_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "json", 0 },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec reply_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "message-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec rotate_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "token-out", CLIENT_OPT_ARG },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
#define NOPTS(a)	(sizeof(a) / sizeof((a)[0]))

/* Everything the three commands share: options, server and token. */
struct session {
	struct client_args	 args;
	struct client_net	 net;
	char			*token;	/* canonical, secret memory */
};

static int
session_open(const char *cmd, int argc, char *const argv[],
    const struct client_optspec *specs, size_t nspecs, struct session *s)
{
	char	err[160];

	memset(s, 0, sizeof(*s));
	if (client_args_parse(argc, argv, specs, nspecs, &s->args, err,
	    sizeof(err)) == -1) {
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

static void
session_close(struct session *s)
{
	crypto_secret_free(s->token);
	s->token = NULL;
	client_net_free(&s->net);
}

/* ---- follow ---------------------------------------------------------- */

/*
 * A field of the view that may be absent or null (*out NULL) or text;
 * any other type is an error. Integers (times as Unix seconds) are
 * accepted for times and shown as ISO 8601.
 */
static int
view_str(const json_t *o, const char *key, int is_time, char tbuf[21],
    const char **out)
{
	const json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return 0;
	}
	if (is_time && json_is_integer(v) && json_integer_value(v) >= 0) {
		core_time_iso((time_t)json_integer_value(v), tbuf);
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
 * entries whose exact fields the server may extend. */
static void
show_members(json_t *o)
{
	const char	*key;
	json_t		*v;
	int		 first = 1;

	json_object_foreach(o, key, v) {
		if (json_is_object(v) || json_is_array(v) || json_is_null(v))
			continue;
		printf("%s", first ? "  " : ", ");
		first = 0;
		client_print_text(stdout, key);
		putchar('=');
		if (json_is_string(v))
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
	char		 tbuf[21];
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
	char		 tbuf[21];
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

static int
show_attachments(const json_t *list)
{
	const json_t	*size;
	const char	*name;
	size_t		 i;
	json_t		*e;

	if (json_array_size(list) == 0)
		return 0;
	printf("\nattachments:\n");
	json_array_foreach(list, i, e) {
		if (view_str(e, "name", 0, NULL, &name) == -1)
			return -1;
		size = json_object_get(e, "size");
		if (size != NULL && !json_is_integer(size)) {
			client_err("the server's answer has a wrong type for "
			    "\"size\"");
			return -1;
		}
		printf("  ");
		client_print_text(stdout, name != NULL ? name : "-");
		if (size != NULL)
			printf(" (%lld bytes)",
			    (long long)json_integer_value(size));
		putchar('\n');
	}
	return 0;
}

static int
show_view(const json_t *v)
{
	const json_t	*timeline, *messages, *attachments, *disclosures;
	const char	*ref, *status, *kind, *agency, *due, *title, *body;
	const char	*merged, *category, *location, *occurred, *vis;
	char		 tbuf[21];
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
	    view_list(v, "timeline", &timeline) == -1 ||
	    view_list(v, "messages", &messages) == -1 ||
	    view_list(v, "attachments", &attachments) == -1 ||
	    view_list(v, "identity_disclosures", &disclosures) == -1)
		return -1;
	show_field("case:", ref);
	show_field("status:", status);
	show_field("merged into:", merged);
	show_field("kind:", kind);
	show_field("visibility:", vis);
	show_field("agency:", agency != NULL ? agency : "(not yet assigned)");
	show_field("category:", category);
	show_field("due:", due);
	show_field("location:", location);
	show_field("occurred:", occurred);
	show_field("title:", title);
	if (body != NULL) {
		printf("\n");
		client_print_text(stdout, body);
		printf("\n");
	}
	if (show_timeline(timeline) == -1 || show_messages(messages) == -1 ||
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
	struct session	 s = { 0 };
	json_t		*reply = NULL;
	char		*text;
	long		 status;
	int		 rc = CLIENT_EXIT_FAIL;

	if ((rc = session_open("follow", argc, argv, follow_opts,
	    NOPTS(follow_opts), &s)) != CLIENT_EXIT_OK)
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
	} else if (show_view(reply) == -1)
		goto out;
	rc = CLIENT_EXIT_OK;
out:
	json_decref(reply);
	session_close(&s);
	return rc;
}

/* ---- reply ----------------------------------------------------------- */

int
cmd_reply(int argc, char *const argv[])
{
	struct session	 s = { 0 };
	json_t		*body = NULL, *reply = NULL;
	char		*msg = NULL, *text = NULL;
	size_t		 len;
	long		 status, chars;
	int		 rc = CLIENT_EXIT_FAIL;

	if ((rc = session_open("reply", argc, argv, reply_opts,
	    NOPTS(reply_opts), &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rc = CLIENT_EXIT_FAIL;
	if (client_file_read(client_arg(&s.args, "message-file"),
	    MESSAGE_FILE_MAX, 0, "message file", &msg, &len) == -1)
		goto out;
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	chars = core_utf8_len(msg, len);
	if (!core_text_ok(msg, len) || chars < CORE_MESSAGE_MIN ||
	    chars > CORE_MESSAGE_MAX) {
		client_err("the message must be UTF-8 text of %d to %d "
		    "characters", CORE_MESSAGE_MIN, CORE_MESSAGE_MAX);
		goto out;
	}
	if ((body = json_object()) == NULL ||
	    json_object_set_new(body, "body", json_string(msg)) == -1 ||
	    (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_http(&s.net, "POST", "/followup/messages", s.token, text,
	    strlen(text), &status, &reply) == -1)
		goto out;
	if (status != 201) {
		client_http_error(status, reply);
		goto out;
	}
	printf("message sent\n");
	rc = CLIENT_EXIT_OK;
out:
	json_decref(reply);
	json_decref(body);
	client_mem_free(text);
	client_mem_free(msg);
	session_close(&s);
	return rc;
}

/* ---- rotate ---------------------------------------------------------- */

int
cmd_rotate(int argc, char *const argv[])
{
	struct session	 s = { 0 };
	json_t		*reply = NULL;
	const char	*tok, *out_path;
	char		*canon = NULL;
	long		 status;
	int		 rc = CLIENT_EXIT_FAIL;

	if ((rc = session_open("rotate", argc, argv, rotate_opts,
	    NOPTS(rotate_opts), &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rc = CLIENT_EXIT_FAIL;
	out_path = client_arg(&s.args, "token-out");
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
	if ((tok = client_json_str(reply, "token", "server's answer")) ==
	    NULL)
		goto out;
	if (crypto_token_parse(tok, strlen(tok), canon) == -1) {
		client_err("the server's answer has a malformed token; the old "
		    "token may no longer work");
		goto out;
	}
	/* Shown before anything can fail: the old token is already dead. */
	client_token_print("new token", canon);
	printf("the old token no longer works; keep the new one secret and "
	    "safe\n");
	fflush(stdout);
	if (out_path != NULL && client_token_write(out_path, canon,
	    CLIENT_WRITE_REPLACE) == -1)
		goto out;
	rc = CLIENT_EXIT_OK;
out:
	crypto_secret_free(canon);
	json_decref(reply);
	session_close(&s);
	return rc;
}
