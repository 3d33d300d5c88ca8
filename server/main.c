/*
 * main.c: the bisikd command line.
 *
 *   bisikd init        [--data DIR]
 *   bisikd agency add  [--data DIR] --id ID --name NAME [--parent ID] [--level L]
 *   bisikd agency import [--data DIR] FILE
 *   bisikd escrow set  [--data DIR] --public-key FILE
 *   bisikd serve       [--data DIR] [--listen ADDR:PORT] [--config FILE]
 *   bisikd backup      [--data DIR] --out FILE
 *   bisikd restore     --in FILE --data NEWDIR [--keys-from DIR]
 *   bisikd serve ... [--allow-root]   (root without a service user)
 *   bisikd user add    [--data DIR] --username U --role ROLE [--agency ID]
 *                      --password-file F
 *   bisikd user disable|reset-totp [--data DIR] --username U
 *   bisikd user reset-password [--data DIR] --username U --password-file F
 *   bisikd user list   [--data DIR]
 *   bisikd audit verify [--data DIR]
 *   bisikd user set-key [--data DIR] --username U --public-key A.pub
 *   bisikd rekey       [--data DIR] [--data-keys] [--batch N] [--max-rate N]
 *   bisikd stats rebuild [--data DIR] [--fix]    (cmd_data.c)
 *   bisikd compact     [--data DIR]              (cmd_data.c)
 *
 * Exit codes: 0 success, 1 failure, 2 usage (including a bad config).
 * Every error is one sentence on stderr. Only main() exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/server.h"
#include "server/guard.h"

#define EX_FAIL	1
#define EX_USAGE 2

/* Holidays shipped in share/ and built into the binary (holidays.c). */
extern const char *const srv_shipped_holidays[];

struct opts {
	const char	*data, *id, *name, *parent, *level, *pubkey, *listen,
			*config, *out, *file, *username, *role, *agency,
			*pwfile;
	const char	*in, *keys_from;	/* restore */
	int		 allow_root;		/* serve */
};

static void
usage(void)
{
	fputs("usage: bisikd init [--data DIR]\n"
	    "       bisikd agency add [--data DIR] --id ID --name NAME "
	    "[--parent ID] [--level LEVEL]\n"
	    "       bisikd agency import [--data DIR] FILE\n"
	    "       bisikd escrow set [--data DIR] --public-key FILE\n"
	    "       bisikd serve [--data DIR] [--listen ADDR:PORT] "
	    "[--config FILE] [--allow-root]\n"
	    "       bisikd backup [--data DIR] --out FILE\n"
	    "       bisikd restore --in FILE --data NEWDIR "
	    "[--keys-from DIR]\n"
	    "       bisikd user add [--data DIR] --username U --role ROLE "
	    "[--agency ID] --password-file F\n"
	    "       bisikd user disable|reset-totp [--data DIR] --username U\n"
	    "       bisikd user reset-password [--data DIR] --username U "
	    "--password-file F\n"
	    "       bisikd user list [--data DIR]\n"
	    "       bisikd user set-key [--data DIR] --username U "
	    "--public-key A.pub\n"
	    "       bisikd rekey [--data DIR] [--data-keys] [--batch N] [--max-rate N]\n"
	    "       bisikd audit verify [--data DIR]\n"
	    "       bisikd stats rebuild [--data DIR] [--fix]\n"
	    "       bisikd compact [--data DIR]\n", stderr);
}

static int
die(int code, const char *msg)
{
	fprintf(stderr, "bisikd: %s\n", msg);
	return code;
}

/* Parses --name value pairs; one positional argument allowed (FILE). */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct {
		const char	*flag;
		size_t		 off;
	} flags[] = {
		{ "--data", offsetof(struct opts, data) },
		{ "--id", offsetof(struct opts, id) },
		{ "--name", offsetof(struct opts, name) },
		{ "--parent", offsetof(struct opts, parent) },
		{ "--level", offsetof(struct opts, level) },
		{ "--public-key", offsetof(struct opts, pubkey) },
		{ "--listen", offsetof(struct opts, listen) },
		{ "--config", offsetof(struct opts, config) },
		{ "--out", offsetof(struct opts, out) },
		{ "--username", offsetof(struct opts, username) },
		{ "--role", offsetof(struct opts, role) },
		{ "--agency", offsetof(struct opts, agency) },
		{ "--password-file", offsetof(struct opts, pwfile) },
		{ "--in", offsetof(struct opts, in) },
		{ "--keys-from", offsetof(struct opts, keys_from) },
	};
	int	i;
	size_t	f;

	memset(o, 0, sizeof(*o));
	o->data = "./data";
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--allow-root") == 0) {
			o->allow_root = 1;	/* serve only; a flag */
			continue;
		}
		if (strncmp(argv[i], "--", 2) != 0) {
			if (o->file != NULL)
				return -1;
			o->file = argv[i];
			continue;
		}
		for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			if (strcmp(argv[i], flags[f].flag) == 0)
				break;
		if (f == sizeof(flags) / sizeof(flags[0]) || i + 1 >= argc) {
			fprintf(stderr, "bisikd: unknown option or missing value: "
			    "%.40s\n", argv[i]);
			return -1;
		}
		*(const char **)(void *)((char *)o + flags[f].off) = argv[++i];
	}
	return 0;
}

/* Reads a whole small file; NULL with errno on failure. */
static char *
read_file(const char *path, size_t max, size_t *len)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if ((buf = malloc(max + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		fclose(f);
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
open_store(const char *dir, int flags, struct store **s)
{
	int rc = store_open(dir, flags, s);

	if (rc != STORE_OK) {
		fprintf(stderr, "bisikd: cannot open the store in %s: %s.\n",
		    dir, store_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * Offline commands change the store like a request would, so they are
 * audited like one: the audit key is loaded from the data directory and
 * handed to srv_audit_init() for the command's store jobs (actor
 * "operator"). Without it the command fails rather than change anything
 * unrecorded.
 */
static int
offline_begin(const char *data, struct srv_keys *keys)
{
	if (srv_keys_load(data, keys) == -1) {
		fprintf(stderr, "bisikd: cannot load the server keys from %s; "
		    "is the data directory initialised and readable only by "
		    "this user?\n", data);
		return -1;
	}
	srv_audit_init(keys);
	return 0;
}

static void
offline_end(struct srv_keys *keys)
{
	srv_audit_init(NULL);
	srv_keys_free(keys);
}

/* offline_begin(), then the store opened with flags; on failure nothing
 * stays open or loaded. offline_close() undoes both. */
static int
offline_open(const char *data, int flags, struct srv_keys *keys,
    struct store **s)
{
	if (offline_begin(data, keys) == -1)
		return -1;
	if (open_store(data, flags, s) == -1) {
		offline_end(keys);
		return -1;
	}
	return 0;
}

static void
offline_close(struct srv_keys *keys, struct store *s)
{
	store_close(s);
	offline_end(keys);
}

static int
cmd_init(struct opts *o)
{
	struct srv_keys	 keys;
	struct store	*s;

	if (mkdir(o->data, 0700) == -1) {
		if (errno == EEXIST)
			return die(EX_FAIL, "the data directory exists already; "
			    "refusing to touch it.");
		return die(EX_FAIL, "cannot create the data directory.");
	}
	if (srv_keys_create(o->data) == -1)
		return die(EX_FAIL, "cannot create the server keys.");
	if (offline_open(o->data, STORE_CREATE, &keys, &s) == -1)
		return EX_FAIL;
	if (srv_directory_category_seed(s) == -1) {
		offline_close(&keys, s);
		return die(EX_FAIL, "cannot store the categories.");
	}
	offline_close(&keys, s);
	printf("initialised %s\n", o->data);
	return 0;
}

static int
cmd_agency(int argc, char **argv)
{
	struct opts	 o;
	struct srv_keys	 keys;
	struct store	*s;
	char		 err[256], *buf;
	size_t		 len;
	int		 rc;

	if (argc < 1 || parse_opts(argc - 1, argv + 1, &o) == -1) {
		usage();
		return EX_USAGE;
	}
	if (strcmp(argv[0], "add") == 0) {
		if (o.id == NULL || o.name == NULL || o.file != NULL) {
			usage();
			return EX_USAGE;
		}
		if (offline_open(o.data, 0, &keys, &s) == -1)
			return EX_FAIL;
		rc = srv_directory_agency_put(s, o.id, o.name, o.parent,
		    o.level, err, sizeof(err));
		offline_close(&keys, s);
		return rc == 0 ? 0 : die(EX_FAIL, err);
	}
	if (strcmp(argv[0], "import") == 0) {
		if (o.file == NULL) {
			usage();
			return EX_USAGE;
		}
		if ((buf = read_file(o.file, 16 << 20, &len)) == NULL)
			return die(EX_FAIL, "cannot read the agency file.");
		if (offline_open(o.data, 0, &keys, &s) == -1) {
			free(buf);
			return EX_FAIL;
		}
		rc = srv_directory_agency_import(s, buf, len, err, sizeof(err));
		offline_close(&keys, s);
		free(buf);
		return rc == 0 ? 0 : die(EX_FAIL, err);
	}
	usage();
	return EX_USAGE;
}

static int
cmd_escrow(int argc, char **argv)
{
	struct opts	 o;
	struct srv_keys	 keys;
	struct store	*s;
	struct srv_escrow_result res;
	char		 err[256], *buf, fp[CRYPTO_ESCROW_FP_TEXT];
	size_t		 len;
	int		 rc;

	if (argc < 1 || strcmp(argv[0], "set") != 0 ||
	    parse_opts(argc - 1, argv + 1, &o) == -1 || o.pubkey == NULL) {
		usage();
		return EX_USAGE;
	}
	if ((buf = read_file(o.pubkey, 1 << 20, &len)) == NULL)
		return die(EX_FAIL, "cannot read the escrow public file.");
	if (offline_open(o.data, 0, &keys, &s) == -1) {
		free(buf);
		return EX_FAIL;
	}
	rc = srv_escrow_install(s, buf, len, &res, err, sizeof(err));
	offline_close(&keys, s);
	free(buf);
	if (rc == -1)
		return die(EX_FAIL, err);
	crypto_escrow_fingerprint(res.Y, fp);
	if (res.current)
		printf("escrow generation %u is now current\n", res.generation);
	else
		printf("escrow generation %u is installed; it reshares an older "
		    "key and opens that key's identities\n", res.generation);
	printf("fingerprint: %s\n", fp);
	if (res.voided > 0)
		printf("%u pending disclosure request%s of the retired holders "
		    "%s voided\n", res.voided, res.voided == 1 ? "" : "s",
		    res.voided == 1 ? "was" : "were");
	return 0;
}

static int
cmd_backup(struct opts *o)
{
	struct store	*s;
	int		 rc;

	if (o->out == NULL) {
		usage();
		return EX_USAGE;
	}
	if (open_store(o->data, 0, &s) == -1)
		return EX_FAIL;
	rc = store_backup(s, o->out);
	store_close(s);
	if (rc != STORE_OK) {
		fprintf(stderr, "bisikd: the backup failed: %s.\n",
		    store_strerror(rc));
		return EX_FAIL;
	}
	printf("backup written to %s\n", o->out);
	return 0;
}

/* bisikd user set-key: links a central admin to their admin key
 * (adminkey.c). */
static int
user_set_key(struct opts *o)
{
	struct srv_keys	 keys;
	struct store	*s;
	char		 err[256], *buf;
	size_t		 len;
	int		 rc;

	if (o->username == NULL || o->pubkey == NULL) {
		usage();
		return EX_USAGE;
	}
	if ((buf = read_file(o->pubkey, 64 * 1024, &len)) == NULL)
		return die(EX_FAIL, "cannot read the admin public key file.");
	if (offline_open(o->data, 0, &keys, &s) == -1) {
		free(buf);
		return EX_FAIL;
	}
	rc = srv_adminkey_set(s, o->username, buf, len, err, sizeof(err));
	offline_close(&keys, s);
	free(buf);
	if (rc == -1)
		return die(EX_FAIL, err);
	printf("user %s: admin key linked\n", o->username);
	return 0;
}

/*
 * bisikd rekey [--data DIR] [--data-keys] [--batch N] [--max-rate N]
 * (rekey.c): its own options are numbers and one flag, so it parses its
 * words itself.
 */
static int
cmd_rekey(int argc, char **argv)
{
	struct srv_keys	 keys;
	const char	*data = "./data";
	char		 err[256], *end;
	unsigned long	 batch = 0, rate = 0, *num;
	int		 i, rc, data_keys = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--data-keys") == 0) {
			data_keys = 1;
			continue;
		}
		if (i + 1 >= argc) {
			usage();
			return EX_USAGE;
		}
		if (strcmp(argv[i], "--data") == 0) {
			data = argv[++i];
			continue;
		}
		if (strcmp(argv[i], "--batch") == 0)
			num = &batch;
		else if (strcmp(argv[i], "--max-rate") == 0)
			num = &rate;
		else {
			usage();
			return EX_USAGE;
		}
		i++;
		if (argv[i][0] < '0' || argv[i][0] > '9' ||
		    (*num = strtoul(argv[i], &end, 10), *end != '\0') ||
		    *num > 10000000) {
			usage();
			return EX_USAGE;
		}
	}
	/* Re-encrypting a case rewrites all of its text and files, not one
	 * small record: smaller transactions by default. */
	if (batch == 0)
		batch = data_keys ? SRV_REKEY_DATA_BATCH : SRV_REKEY_BATCH;
	if (offline_begin(data, &keys) == -1)
		return EX_FAIL;
	rc = srv_rekey(data, (size_t)batch, (unsigned)rate, data_keys, err,
	    sizeof(err));
	offline_end(&keys);
	if (rc == -1)
		return die(EX_FAIL, err);
	return 0;
}

/*
 * bisikd user add|disable|reset-password|reset-totp|list. Passwords come
 * only from a file (a command line is visible to every local user).
 */
static int
cmd_user(int argc, char **argv)
{
	struct opts	 o;
	struct srv_keys	 keys;
	struct store	*s;
	const char	*sub;
	char		 err[256], *pw = NULL;
	size_t		 len = 0;
	uint64_t	 id = 0;
	int		 rc, needpw;

	if (argc < 1 || parse_opts(argc - 1, argv + 1, &o) == -1 ||
	    o.file != NULL) {
		usage();
		return EX_USAGE;
	}
	sub = argv[0];
	if (strcmp(sub, "set-key") == 0)
		return user_set_key(&o);
	needpw = strcmp(sub, "add") == 0 || strcmp(sub, "reset-password") == 0;
	if ((strcmp(sub, "add") == 0 && (o.username == NULL ||
	    o.role == NULL || o.pwfile == NULL)) ||
	    (strcmp(sub, "reset-password") == 0 && (o.username == NULL ||
	    o.pwfile == NULL)) ||
	    ((strcmp(sub, "disable") == 0 || strcmp(sub, "reset-totp") == 0) &&
	    o.username == NULL) ||
	    (!needpw && strcmp(sub, "disable") != 0 &&
	    strcmp(sub, "reset-totp") != 0 && strcmp(sub, "list") != 0)) {
		usage();
		return EX_USAGE;
	}
	if (needpw && srv_users_password_read(o.pwfile, &pw, &len, err,
	    sizeof(err)) == -1)
		return die(EX_FAIL, err);
	memset(&keys, 0, sizeof(keys));
	if (strcmp(sub, "list") != 0 && offline_begin(o.data, &keys) == -1) {
		crypto_secret_free(pw);
		return EX_FAIL;
	}
	if (open_store(o.data, 0, &s) == -1) {
		offline_end(&keys);
		crypto_secret_free(pw);
		return EX_FAIL;
	}
	if (strcmp(sub, "add") == 0)
		rc = srv_users_add(s, o.username, o.role, o.agency, pw, len,
		    time(NULL), &id, err, sizeof(err));
	else if (strcmp(sub, "reset-password") == 0)
		rc = srv_users_reset_password(s, o.username, pw, len, err,
		    sizeof(err));
	else if (strcmp(sub, "disable") == 0)
		rc = srv_users_disable(s, o.username, err, sizeof(err));
	else if (strcmp(sub, "reset-totp") == 0)
		rc = srv_users_reset_totp(s, o.username, err, sizeof(err));
	else
		rc = srv_users_list(s, stdout, err, sizeof(err));
	offline_close(&keys, s);
	crypto_secret_free(pw);
	if (rc == -1)
		return die(EX_FAIL, err);
	if (strcmp(sub, "add") == 0)
		printf("user %s added (id %llu)\n", o.username,
		    (unsigned long long)id);
	else if (strcmp(sub, "list") != 0)
		printf("user %s: %s done\n", o.username, sub);
	return 0;
}

struct verify_read {
	const uint8_t			*pk;
	struct crypto_audit_check	 check;
};

static int
verify_read(struct store_txn *txn, void *arg)
{
	struct verify_read *v = arg;

	return srv_audit_verify(txn, v->pk, &v->check);
}

/*
 * bisikd audit verify: the whole chain and its signed head, on a read-only
 * store (a stopped server's data directory or a copy of it). Exit 0 only
 * if intact; otherwise one sentence naming the first broken entry.
 */
static int
cmd_audit(int argc, char **argv)
{
	struct opts		 o;
	struct srv_keys		 keys;
	struct store		*s;
	struct verify_read	 v;
	char			 msg[256];
	int			 rc;

	if (argc < 1 || strcmp(argv[0], "verify") != 0 ||
	    parse_opts(argc - 1, argv + 1, &o) == -1 || o.file != NULL) {
		usage();
		return EX_USAGE;
	}
	if (srv_keys_load(o.data, &keys) == -1)
		return die(EX_FAIL, "cannot load the server keys; is the data "
		    "directory initialised and readable only by this user?");
	if (open_store(o.data, STORE_RDONLY, &s) == -1) {
		srv_keys_free(&keys);
		return EX_FAIL;
	}
	memset(&v, 0, sizeof(v));
	v.pk = keys.audit_pk;
	rc = store_read(s, verify_read, &v);
	store_close(s);
	srv_keys_free(&keys);
	if (rc != STORE_OK) {
		fprintf(stderr, "bisikd: cannot read the audit chain: %s.\n",
		    store_strerror(rc));
		return EX_FAIL;
	}
	crypto_audit_describe(&v.check, msg, sizeof(msg));
	if (v.check.fault != CRYPTO_AUDIT_INTACT) {
		fprintf(stderr, "bisikd: %s.\n", msg);
		return EX_FAIL;
	}
	printf("%s\n", msg);
	return 0;
}

static int
load_config(struct opts *o, struct srv_config *cfg)
{
	char	*buf, err[256];
	size_t	 len, i, nfiles;

	srv_config_defaults(cfg);
	for (i = 0; srv_shipped_holidays[i] != NULL; i++)
		if (core_calendar_add(&cfg->calendar,
		    srv_shipped_holidays[i]) == -1)
			return die(EX_FAIL, "a shipped holiday is invalid.");
	if (o->config != NULL) {
		if ((buf = read_file(o->config, SRV_CONFIG_MAX, &len)) == NULL)
			return die(EX_USAGE, "cannot read the config file.");
		if (srv_config_parse(cfg, buf, len, err, sizeof(err)) == -1) {
			free(buf);
			return die(EX_USAGE, err);
		}
		free(buf);
	}
	if (o->listen != NULL && srv_config_listen_parse(cfg, o->listen) == -1)
		return die(EX_USAGE, "--listen must be a numeric ADDRESS:PORT "
		    "such as 127.0.0.1:8080.");
	/* A new year's holiday list is a file, read here: no rebuild. */
	if (srv_config_holidays_load(cfg, &nfiles, err, sizeof(err)) == -1)
		return die(EX_USAGE, err);
	return 0;
}

/*
 * Serves ctx until SIGTERM or SIGINT: the listening sockets, confinement
 * (confine.c), the HTTP front (http.c) with the route table (routes.c),
 * the sweeper (sweeper.c), the slow-client guard (guard.c) and /metrics
 * (metrics.c). -1 if it cannot listen; -2 if it said why on stderr.
 */
static int
serve(struct srv_ctx *ctx)
{
	struct MHD_Daemon	*d;
	sigset_t		 set;
	int			 sig;
	int			 lfd, mfd = -1;
	char			 cerr[256];

	/* Handle SIGTERM/SIGINT here, in this thread only: block them before
	 * the library starts its threads, which inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Sockets first (a port below 1024 needs root), then give up root
	 * and install the seccomp filter (confine.c), then serve: the
	 * library's threads start confined and take connections from the
	 * sockets' backlog. */
	if ((lfd = srv_confine_listen_socket(ctx->cfg->listen_addr,
	    ctx->cfg->listen_port)) == -1)
		return -1;
	if (ctx->cfg->metrics_addr[0] != '\0' &&
	    (mfd = srv_confine_listen_socket(ctx->cfg->metrics_addr,
	    ctx->cfg->metrics_port)) == -1) {
		close(lfd);
		fprintf(stderr, "bisikd: cannot listen on the address of "
		    "config key \"metrics_listen\".\n");
		return -2;
	}
	if (srv_confine(ctx->cfg, cerr, sizeof(cerr)) == -1) {
		close(lfd);
		if (mfd != -1)
			close(mfd);
		fprintf(stderr, "bisikd: %s\n", cerr);
		return -2;
	}

	d = srv_http_listen(ctx, &srv_routes, lfd);
	if (d == NULL) {
		close(lfd);
		if (mfd != -1)
			close(mfd);
		return -1;
	}
	/* The automatic close of resolved cases (sweeper.c). */
	if (srv_sweeper_start(ctx) == -1) {
		srv_http_stop(d);
		return -1;
	}
	/* Slow clients (guard.c) and /metrics (metrics.c). */
	if (srv_guard_start() == -1 ||
	    (mfd != -1 && srv_metrics_start(ctx, mfd) == -1)) {
		srv_guard_stop();
		srv_http_stop(d);
		srv_sweeper_stop();
		return -1;
	}
	srv_http_ready();
	srv_log(LOG_INFO, "listening", "addr=%s port=%u threads=%u pow=%u",
	    ctx->cfg->listen_addr, ctx->cfg->listen_port, ctx->cfg->threads,
	    ctx->cfg->pow_difficulty);
	sig = 0;
	while (sigwait(&set, &sig) != 0)
		;
	srv_log(LOG_INFO, "stopping", "signal=%d", sig);
	srv_metrics_stop();
	srv_guard_stop();
	srv_http_stop(d);
	{
		struct store_stats st;

		store_get_stats(ctx->store, &st);
		srv_log(LOG_INFO, "store_stats", "commits=%llu jobs=%llu "
		    "map_bytes=%zu used_bytes=%zu",
		    (unsigned long long)st.commits, (unsigned long long)st.jobs,
		    st.map_size, st.used_bytes);
	}
	srv_sweeper_stop();
	return 0;
}

static int
cmd_serve(struct opts *o)
{
	struct srv_config	 cfg;
	struct srv_keys		 keys;
	struct srv_ctx		 ctx;
	struct store		*s;
	struct rlimit		 rl = { 0, 0 };
	char			 err[256];
	int			 rc, lock = -1;

	/* The image helper first, before the config (it may hold a TLS key)
	 * and the keys are read: it is forked and exec'd, and holds nothing
	 * of ours (media.c). */
	if (srv_media_start(NULL, err, sizeof(err)) == -1)
		return die(EX_FAIL, err);
	if ((rc = load_config(o, &cfg)) != 0) {
		srv_media_stop();
		srv_config_free(&cfg);
		return rc;
	}
	srv_log_set_level(cfg.log_level);
	cfg.allow_root = o->allow_root;
	if (srv_media_configure(&cfg, err, sizeof(err)) == -1) {
		srv_media_stop();
		srv_config_free(&cfg);
		return die(EX_FAIL, err);
	}
	srv_auth_init();	/* dummy hash for unknown users, Argon2 bound */
	/* No core dumps: they would hold keys and report text. */
	setrlimit(RLIMIT_CORE, &rl);
	/* Held until exit: `bisikd rekey` must never run under us. */
	if (srv_rekey_datadir_lock(o->data, &lock, err, sizeof(err)) == -1) {
		srv_config_free(&cfg);
		return die(EX_FAIL, err);
	}
	if (srv_keys_load(o->data, &keys) == -1) {
		srv_config_free(&cfg);
		return die(EX_FAIL, "cannot load the server keys; is the data "
		    "directory initialised and readable only by this user?");
	}
	if (open_store(o->data, 0, &s) == -1) {
		srv_keys_free(&keys);
		srv_config_free(&cfg);
		return EX_FAIL;
	}
	if (srv_rekey_pending(s)) {
		store_close(s);
		srv_keys_free(&keys);
		srv_config_free(&cfg);
		return die(EX_FAIL, "a storage key rotation is incomplete; run "
		    "`bisikd rekey` to finish it before serving.");
	}
	/* Deadlines past the holiday list's last year would count its
	 * holidays as working days: said once the server will serve (a start
	 * that fails says only why), and daily (sweeper.c). */
	(void)srv_config_holidays_warn(&cfg, time(NULL));
	ctx.store = s;
	ctx.keys = &keys;
	ctx.cfg = &cfg;
	rc = serve(&ctx);
	srv_media_stop();
	store_close(s);
	srv_keys_free(&keys);
	srv_config_free(&cfg);
	if (rc == -1)
		return die(EX_FAIL, "cannot listen on the given address.");
	if (rc == -2)		/* confinement: serve() said why */
		return EX_FAIL;
	return 0;
}

/* bisikd restore (restore.c). */
static int
cmd_restore(struct opts *o)
{
	char err[256];

	if (o->in == NULL || o->file != NULL) {
		usage();
		return EX_USAGE;
	}
	if (srv_restore(o->in, o->data, o->keys_from, stdout, err,
	    sizeof(err)) == -1)
		return die(EX_FAIL, err);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;

	umask(077);
	if (crypto_init() == -1)
		return die(EX_FAIL, "cannot initialise the crypto library.");
	core_json_wipe_on_free();
	if (argc < 2) {
		usage();
		return EX_USAGE;
	}
	if (strcmp(argv[1], "agency") == 0)
		return cmd_agency(argc - 2, argv + 2);
	if (strcmp(argv[1], "escrow") == 0)
		return cmd_escrow(argc - 2, argv + 2);
	if (strcmp(argv[1], "user") == 0)
		return cmd_user(argc - 2, argv + 2);
	if (strcmp(argv[1], "audit") == 0)
		return cmd_audit(argc - 2, argv + 2);
	if (strcmp(argv[1], "rekey") == 0)
		return cmd_rekey(argc - 2, argv + 2);
	if (strcmp(argv[1], "stats") == 0)
		return srv_cmd_data_stats(argc - 2, argv + 2);
	if (strcmp(argv[1], "compact") == 0)
		return srv_cmd_data_compact(argc - 2, argv + 2);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage();
		return 0;
	}
	if (parse_opts(argc - 2, argv + 2, &o) == -1 || o.file != NULL) {
		usage();
		return EX_USAGE;
	}
	if (strcmp(argv[1], "init") == 0)
		return cmd_init(&o);
	if (strcmp(argv[1], "serve") == 0)
		return cmd_serve(&o);
	if (strcmp(argv[1], "backup") == 0)
		return cmd_backup(&o);
	if (strcmp(argv[1], "restore") == 0)
		return cmd_restore(&o);
	usage();
	return EX_USAGE;
}
