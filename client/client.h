/*
 * client.h: what the files of client/ (the `bisik` command-line program)
 * share with one another; nothing outside client/ includes it.
 *
 * Contract:
 *  - Functions returning int return 0 on success and -1 on failure after
 *    printing one sentence ("bisik: ...") on stderr, unless they say
 *    otherwise; outputs are written only on success.
 *  - The cmd_* functions return the process exit status: CLIENT_EXIT_OK,
 *    CLIENT_EXIT_FAIL or CLIENT_EXIT_USAGE. Only main() exits.
 *  - Passphrases, tokens and identities live in crypto_secret_alloc()
 *    memory; heap memory handed out by jansson and libcurl is wiped when
 *    freed (client_alloc_init()), because server replies carry tokens.
 *  - Nothing here is thread-safe: the client is one thread.
 *  - Text that came from outside (server replies) is printed only through
 *    client_print_text(), which neutralises terminal control sequences.
 */
#ifndef BISIK_CLIENT_H
#define BISIK_CLIENT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"

#define CLIENT_WUR __attribute__((warn_unused_result))
#define CLIENT_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define CLIENT_EXIT_OK		0
#define CLIENT_EXIT_FAIL	1
#define CLIENT_EXIT_USAGE	2

/* ---- Limits --------------------------------------------------------- */

/* A passphrase longer than this is surely a wrong file (a key, a binary). */
#define CLIENT_PASS_MAX		1024
/* New passphrases guard an offline-attackable Argon2id file: the admin
 * key that can help open reporters' identities. 12 characters is the
 * smallest we accept for something that important. */
#define CLIENT_PASS_MIN_CHARS	12
/* Files holding one line (token, password) are small; anything larger is
 * not the file the user meant. */
#define CLIENT_LINE_FILE_MAX	4096
/* JSON files we read: admin key and public key files are a few hundred
 * bytes; escrow.pub is about 400 bytes per holder for up to 64 holders;
 * an identity file is bounded by what can be sealed. */
#define CLIENT_KEYFILE_MAX	(16 * 1024)
/* A reshared escrow.pub also holds one sealed sub-share per dealer and
 * holder and the dealers' commitments: up to about 700 KiB for 64 × 64. */
#define CLIENT_ESCROWFILE_MAX	(1024 * 1024)
#define CLIENT_IDFILE_MAX	(16 * 1024)
/* A report body is at most CORE_BODY_MAX code points of up to 4 bytes. */
#define CLIENT_BODYFILE_MAX	(4 * 20000 + 1024)
/* Largest server reply we accept: a follow-up view with its timeline and
 * messages is far smaller; a bigger reply is a broken or hostile server. */
#define CLIENT_REPLY_MAX	(4 * 1024 * 1024)
#define CLIENT_CONNECT_TIMEOUT	10	/* seconds */
#define CLIENT_REQUEST_TIMEOUT	30	/* seconds, whole request */
/* Server error messages are one sentence; longer ones are cut. */
#define CLIENT_SERVER_MSG_MAX	300
/* Replies nest: view → timeline → entry → value. */
#define CLIENT_JSON_DEPTH	8
#define CLIENT_DEFAULT_SERVER	"http://127.0.0.1:8080"
#define CLIENT_USER_AGENT	"bisik"
/* Uploads and downloads of attachments may take minutes over Tor (10 MiB
 * at 50 kB/s is 3.5 minutes): a whole transfer may take this long, and is
 * given up earlier only when it stalls (under CLIENT_LOW_SPEED bytes per
 * second for CLIENT_LOW_SPEED_TIME seconds). */
#define CLIENT_FILE_TIMEOUT	(30 * 60)	/* seconds */
#define CLIENT_LOW_SPEED	512		/* bytes per second */
#define CLIENT_LOW_SPEED_TIME	60		/* seconds */

/*
 * Attachments, as the server takes them (docs/openapi.yaml,
 * /followup/attachments). CLIENT_ATTACH_MAX is the server's default
 * max_attachment_bytes: the client refuses a larger file before anything
 * is sent, and an operator's lower limit still comes back as a 413, which
 * is told as such. CLIENT_ATTACH_PER_CASE is the server's count per case,
 * the reporter's files and the staff's together.
 */
#define CLIENT_ATTACH_MAX	(10 * 1024 * 1024)
#define CLIENT_ATTACH_PER_CASE	20
/* A download is at most the largest max_attachment_bytes a server can be
 * configured with (64 MiB), doubled: a re-encoded image may come back
 * larger than it went in. */
#define CLIENT_DOWNLOAD_MAX	(128 * 1024 * 1024)
/* A download's Content-Type as kept and shown: a media type and its
 * parameters are far shorter; a longer one is cut. */
#define CLIENT_CTYPE_TEXT	64
/* Reopen reasons and rating comments read from a file: their limits in
 * code points of up to 4 bytes, and a little room for line ends. */
#define CLIENT_TEXTFILE_MAX	(4 * CORE_MESSAGE_MAX + 1024)

/* ---- Memory and output (io.c) --------------------------------------- */

/* Makes jansson and libcurl allocate through a wrapper that wipes every
 * block when it is freed. Call once, first thing in main(), before any
 * jansson or libcurl call; -1 if libcurl cannot be initialised. */
CLIENT_WUR int	client_alloc_init(void);
void		client_alloc_done(void);

void	client_err(const char *, ...) CLIENT_PRINTF(1, 2);

/* Turns off core dumps (RLIMIT_CORE 0) and ptrace attach by anyone but
 * root (PR_SET_DUMPABLE 0) for the rest of the process: bisik holds admin
 * keys, escrow shares and opened identities. main() calls it before any
 * command runs. */
CLIENT_WUR int	client_harden(void);

/* Prints text from outside with C0/C1 controls (but \n and \t) and
 * invalid UTF-8 replaced by '?', so a reply cannot drive the terminal. */
void	client_print_text(FILE *, const char *);
/* Copies s into out (at most outlen - 1 bytes) with anything but
 * printable ASCII replaced by '?': for the server's words in a sentence
 * (text.c). */
void	client_plain(const char *s, char *out, size_t outlen);

/*
 * Heap memory that is wiped when freed (a size header precedes each
 * block). jansson and libcurl allocate through these after
 * client_alloc_init(), so whatever they return (json_dumps() text, ...)
 * is freed with client_mem_free(), which accepts NULL.
 */
void	*client_mem_alloc(size_t);
void	 client_mem_free(void *);

/*
 * Reads a whole file of at most max bytes into a new buffer, NUL added
 * (the NUL is not counted in *len). With secret set the buffer is
 * crypto_secret_alloc() memory (free with crypto_secret_free), else
 * client_mem_alloc() memory (free with client_mem_free). `what` names the
 * file in error messages ("body file").
 */
CLIENT_WUR int	client_file_read(const char *path, size_t max, int secret,
		    const char *what, char **out, size_t *len);

/*
 * The first line of a file, into secret memory: the line ending (\n or
 * \r\n) is not part of it, a file without a newline is one line, an empty
 * first line is an error, and so is a NUL byte or a line of more than max
 * bytes. Free with crypto_secret_free.
 */
CLIENT_WUR int	client_first_line(const char *path, size_t max,
		    const char *what, char **out, size_t *len);
/* The same rule over a buffer: 0 and the line's length, -1 if empty, too
 * long or holding a NUL. */
CLIENT_WUR int	client_line_len(const char *buf, size_t len, size_t max,
		    size_t *linelen);

/*
 * Writes a new file with exactly `mode`, fsyncs it and its directory.
 * CLIENT_WRITE_EXCL refuses an existing file (O_EXCL) and removes what it
 * made on failure; CLIENT_WRITE_REPLACE writes a temporary file beside it
 * and renames it over the old one, so a crash leaves one or the other.
 */
#define CLIENT_WRITE_EXCL	0
#define CLIENT_WRITE_REPLACE	1
CLIENT_WUR int	client_file_write(const char *path, const void *buf,
		    size_t len, unsigned mode, int how, const char *what);
/* 1 if path exists (or cannot be checked), 0 if it surely does not. */
int	client_path_exists(const char *);

/* Dumps JSON (keys in insertion order, indented, newline at the end)
 * into a new string; free with client_mem_free. */
CLIENT_WUR int	client_json_dump(const json_t *, char **out, size_t *len);

/* Base64 of a buffer into a new jansson string value; NULL on failure. */
json_t	*client_json_b64(const void *, size_t);
/* count values of len bytes at p as a JSON array of base64 strings; NULL
 * on failure. */
json_t	*client_json_b64_list(const uint8_t *p, size_t count, size_t len);
/* Decodes obj[key], which must be an array of exactly count base64
 * strings of len bytes each, into out (count * len bytes). */
CLIENT_WUR int	client_json_get_b64_list(const json_t *obj, const char *key,
		    size_t count, size_t len, uint8_t *out, const char *what);
/* -1 (and an error naming part of the file or reply `what`) if o holds a
 * key not among the n fields. */
CLIENT_WUR int	client_json_only(const json_t *o, const char *const *fields,
		    size_t n, const char *what, const char *part);
/* Decodes obj[key], which must be a base64 string of exactly len bytes;
 * `what` names the file or reply in the error message. */
CLIENT_WUR int	client_json_get_b64(const json_t *obj, const char *key,
		    uint8_t *out, size_t len, const char *what);
/* Parses a JSON file's bytes strictly (core_json_parse); the result must
 * be an object holding no keys other than the n listed, and, when
 * `version_key` is not NULL, that key with the integer value 1. */
CLIENT_WUR int	client_json_object(const char *buf, size_t len,
		    const char *const *keys, size_t n, const char *version_key,
		    const char *what, json_t **out);
/* obj[key] as a string; NULL (and an error) if absent or not a string. */
const char	*client_json_str(const json_t *obj, const char *key,
		    const char *what);

/* ---- Arguments (args.c) --------------------------------------------- */

#define CLIENT_OPT_ARG		0x1	/* takes a value */
#define CLIENT_OPT_MULTI	0x2	/* may be repeated */
#define CLIENT_OPT_REQUIRED	0x4	/* must be given */
struct client_optspec {
	const char	*name;		/* without the leading "--" */
	int		 flags;
};
#define CLIENT_OPTS_MAX		24
#define CLIENT_MULTI_MAX	CRYPTO_ESCROW_MAX_HOLDERS
struct client_args {
	const struct client_optspec	*specs;
	size_t				 nspecs;
	struct {
		const char	*values[CLIENT_MULTI_MAX];
		size_t		 n;
	}				 opt[CLIENT_OPTS_MAX];
	int				 help;	/* --help or -h given */
	/* Words that are not options, for commands that take them
	 * (client_args_parse_words); after a lone "--" every word is one. */
	const char			*words[CLIENT_MULTI_MAX];
	size_t				 nwords;
};
/*
 * Parses argv[0..argc-1] (the words after the command name) as
 * "--name value", "--name=value" and "--flag". Returns 0, or -1 with one
 * sentence in err: unknown option, missing value, value for a flag,
 * repeated single option, too many repeats, stray word, missing required
 * option (not checked when --help is given).
 */
CLIENT_WUR int	client_args_parse(int argc, char *const argv[],
		    const struct client_optspec *specs, size_t nspecs,
		    struct client_args *out, char *err, size_t errlen);
/* The same, keeping up to maxwords words that are not options in
 * out->words (more is an error naming the limit). */
CLIENT_WUR int	client_args_parse_words(int argc, char *const argv[],
		    const struct client_optspec *specs, size_t nspecs,
		    size_t maxwords, struct client_args *out, char *err,
		    size_t errlen);

/*
 * Options given before the command (`bisik --server URL follow ...`):
 * --server, --proxy (each "--name value" or "--name=value"), --version
 * and --help/-h. Parses argv[1..] up to the first word that is not one of
 * them, which is the command: its index in *cmd (argc when there is none).
 * -1 with one sentence in err for an unknown option, a missing value or
 * an option given twice.
 */
struct client_global {
	const char	*server;
	const char	*proxy;
	int		 version;
	int		 help;
};
CLIENT_WUR int	client_global_parse(int argc, char *const argv[],
		    struct client_global *g, int *cmd, char *err,
		    size_t errlen);
/* The value of a single option, or NULL when absent. */
const char	*client_arg(const struct client_args *, const char *name);
/* The values of a repeatable option (count in *n). */
const char *const *client_arg_multi(const struct client_args *,
		    const char *name, size_t *n);
/* 1 if a flag or option was given. */
int		client_arg_given(const struct client_args *, const char *name);
/* Parses a decimal number in [min, max], digits only. */
CLIENT_WUR int	client_parse_uint(const char *, unsigned long min,
		    unsigned long max, unsigned long *out);

/* ---- Passphrases (pass.c) ------------------------------------------- */

/*
 * A passphrase from the first line of `file`, or, when file is NULL, from
 * a prompt on /dev/tty with echo off (asked twice when `confirm` is set,
 * and both must match). With `check_new` set it must hold at least
 * CLIENT_PASS_MIN_CHARS characters. The result is secret memory.
 */
CLIENT_WUR int	client_pass_get(const char *file, const char *prompt,
		    int confirm, int check_new, char **out, size_t *len);
/* Characters (code points, or bytes if not UTF-8) of a passphrase. */
size_t		client_pass_chars(const char *, size_t);

/* ---- Admin keys (adminkey.c) ---------------------------------------- */

/* Writes FILE (0600) and FILE.pub (0644) as docs/formats.md says; both
 * must not exist. */
CLIENT_WUR int	client_adminkey_save(const char *path,
		    const struct crypto_admin_key *, const char *pass,
		    size_t passlen, enum crypto_pw_level);
/* Opens FILE with the passphrase into `key` (secret memory), checking that
 * the public keys in the file match the secret ones. */
CLIENT_WUR int	client_adminkey_load(const char *path, const char *pass,
		    size_t passlen, struct crypto_admin_key *key);
/*
 * The fingerprint of an admin key's public half, which other admins
 * compare (keygen prints it; `disclose approve` shows the requester's):
 * the first CLIENT_ADMIN_FP_BYTES of crypto_hash_parts(
 * "bisik-admin-key-fingerprint-v1", sign key, box key) in hex, groups of
 * four digits.
 */
#define CLIENT_ADMIN_FP_BYTES	16
#define CLIENT_ADMIN_FP_TEXT	(CLIENT_ADMIN_FP_BYTES * 2 + \
				 CLIENT_ADMIN_FP_BYTES / 2)
void		client_adminkey_fingerprint(
		    const uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
		    const uint8_t box_pk[CRYPTO_BOX_PK_BYTES],
		    char out[CLIENT_ADMIN_FP_TEXT]);
/* Reads a FILE.pub. */
CLIENT_WUR int	client_adminpub_load(const char *path,
		    uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
		    uint8_t box_pk[CRYPTO_BOX_PK_BYTES]);

/* ---- Escrow (escrow.c) ---------------------------------------------- */

#define CLIENT_ESCROW_ID_BYTES	8
#define CLIENT_ESCROW_ID_TEXT	(2 * CLIENT_ESCROW_ID_BYTES + 1)
#define CLIENT_SEALED_SHARE_BYTES \
	(CRYPTO_SCALAR_BYTES + CRYPTO_BOX_SEAL_OVERHEAD)
struct client_holder {
	unsigned	index;		/* 1..n */
	uint8_t		sign_pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t		box_pk[CRYPTO_BOX_PK_BYTES];
	uint8_t		commitment[CRYPTO_POINT_BYTES];
	uint8_t		sealed_share[CLIENT_SEALED_SHARE_BYTES];
	/* Version 2 (reshared): instead of sealed_share, one sealed
	 * sub-share from each dealer, in the order of client_escrow.dealers. */
	uint8_t		sealed_sub[CRYPTO_ESCROW_MAX_HOLDERS]
			    [CLIENT_SEALED_SHARE_BYTES];
};
/* A holder of the generation a reshared one replaced (public part). */
struct client_retired {
	unsigned	index;
	uint8_t		sign_pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t		box_pk[CRYPTO_BOX_PK_BYTES];
	uint8_t		commitment[CRYPTO_POINT_BYTES];
};
/* The public half of one escrow generation, as in escrow.pub. Large
 * (about half a megabyte): always on the heap. */
struct client_escrow {
	unsigned		threshold;
	unsigned		n;
	uint8_t			Y[CRYPTO_POINT_BYTES];
	char			id[CLIENT_ESCROW_ID_TEXT];
	struct client_holder	holders[CRYPTO_ESCROW_MAX_HOLDERS];
	/* 1: made by a ceremony; 2: made by a resharing (reshare.c), with
	 * the record of it below. 0 counts as 1. */
	unsigned		version;
	unsigned		prev_threshold;
	unsigned		nretired;
	struct client_retired	retired[CRYPTO_ESCROW_MAX_HOLDERS];
	unsigned		ndealers;	/* == prev_threshold */
	unsigned		dealers[CRYPTO_ESCROW_MAX_HOLDERS];
	/* Per dealer: Feldman commitments C_0..C_{threshold-1}, and the
	 * dealer's signature over its dealing. */
	uint8_t			dealing[CRYPTO_ESCROW_MAX_HOLDERS]
				    [CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t			dealer_sig[CRYPTO_ESCROW_MAX_HOLDERS]
				    [CRYPTO_SIG_BYTES];
	/* Version 2: the configuration hash of the generation reshared. */
	uint8_t			previous[CRYPTO_HASH_BYTES];
	/* Version 1 made by a dealerless ceremony (dkg_cmd.c): its id and
	 * transcript hash, the file's "dkg" (docs/formats.md). */
	int			dkg;
	uint8_t			dkg_id[CRYPTO_DKG_ID_BYTES];
	uint8_t			transcript[CRYPTO_HASH_BYTES];
	/* The configuration hash (crypto_escrow_config_hash), computed on
	 * reading and making, and the holders' signatures over it:
	 * signed[i] says whether holders[i] has signed (docs/formats.md). */
	uint8_t			config[CRYPTO_HASH_BYTES];
	uint8_t			signed_by[CRYPTO_ESCROW_MAX_HOLDERS];
	uint8_t			holder_sig[CRYPTO_ESCROW_MAX_HOLDERS]
				    [CRYPTO_SIG_BYTES];
};
/* id = hex of the first 8 bytes of crypto_hash_parts("bisik-escrow-id-v1",
 * Y). */
void		client_escrow_id(const uint8_t Y[CRYPTO_POINT_BYTES],
		    char out[CLIENT_ESCROW_ID_TEXT]);
/*
 * Splits a new escrow key k-of-n between the holders whose sign_pk and
 * box_pk are already filled in (n of them, distinct keys), seals each
 * share to its holder's box key and fills in the rest of *e. Shares exist
 * only in secret memory, wiped before return.
 */
CLIENT_WUR int	client_escrow_ceremony(unsigned k, unsigned n,
		    struct client_escrow *e);
/* Writes escrow.pub (JSON of docs/formats.md) to path (new file, 0644). */
CLIENT_WUR int	client_escrow_save(const char *path,
		    const struct client_escrow *);
/* Reads and checks escrow.pub: format, every point valid and not the
 * identity, indices 1..n, id, and that all commitments lie on one
 * polynomial of degree threshold-1 whose value at 0 is Y. */
CLIENT_WUR int	client_escrow_load(const char *path, struct client_escrow *);
/* The consistency check alone. */
CLIENT_WUR int	client_escrow_consistent(const struct client_escrow *);
/* The same checks as client_escrow_load over a parsed object (a server
 * reply holding a generation); `what` names it in errors. Also reads
 * version 2 (reshared) files, checking the record of the resharing:
 * dealers' commitments against the retired holders' and the new
 * commitments against the dealings. */
CLIENT_WUR int	client_escrow_from_json(const json_t *root, const char *what,
		    struct client_escrow *);
/* The escrow file as JSON (what client_escrow_save writes). */
json_t		*client_escrow_json(const struct client_escrow *);
/*
 * Finds the holder whose keys are `key`'s (index in *index) and opens its
 * share into `share` (secret memory): version 1 opens sealed_share,
 * version 2 opens each dealer's sub-share, checks it against the dealer's
 * Feldman commitments and adds them up. Either way the share must match
 * the holder's public commitment. -1 (one sentence) if the key holds no
 * share of this generation or anything fails to check.
 */
CLIENT_WUR int	client_escrow_open_share(const struct client_escrow *,
		    const struct crypto_admin_key *key, unsigned *index,
		    uint8_t share[CRYPTO_SCALAR_BYTES]);
/* What a resharing dealer signs (crypto_reshare_digest) over dealer
 * position pos of the version 2 file e: its commitments and the sealed
 * sub-shares it made for e's holders. */
void		client_reshare_digest(const struct client_escrow *e,
		    unsigned pos, uint8_t out[CRYPTO_HASH_BYTES]);
/* The public values of e as the crypto module hashes them. */
void		client_escrow_to_config(const struct client_escrow *e,
		    struct crypto_escrow_config *c);
/* Recomputes e->config from e's public values; -1 on a bad count. */
CLIENT_WUR int	client_escrow_rehash(struct client_escrow *e);
/* The number of holders who have signed e's configuration. */
unsigned	client_escrow_signatures(const struct client_escrow *e);

/* ---- Pinned escrow files (escrow_pin.c) -------------------------------- */

/*
 * A holder never uses the escrow file a server hands out: they keep the
 * file of each generation as they received, checked and signed it, and
 * give it with --escrow. client_escrow_pinned() loads that file into
 * *pinned and compares it with the server's copy (`served`, a JSON
 * object): any difference in a public value (Y, threshold, any holder's
 * index, keys or commitment, the resharing record) is refused in one
 * sentence that names the first difference. Sealed shares are not
 * compared: the pinned file's are the ones used.
 */
CLIENT_WUR int	client_escrow_pinned(const char *path, const json_t *served,
		    struct client_escrow *pinned);
/* The comparison alone; `what` names the served copy. */
CLIENT_WUR int	client_escrow_same(const struct client_escrow *pinned,
		    const struct client_escrow *served, const char *what);
/*
 * A reshared (version 2) file checked against the pinned file of the
 * generation it reshares: its previous configuration hash is prev's, its
 * retired holders and previous threshold are prev's, and each dealer's
 * signature verifies with the dealer's key in prev (not the key the new
 * file claims).
 */
CLIENT_WUR int	client_escrow_check_previous(const struct client_escrow *e,
		    const struct client_escrow *prev, const char *prevpath);

/* ---- Dealerless ceremony record (dkg.c) ----------------------------- */

/* One message per holder and phase at most. */
#define CLIENT_DKG_MESSAGES_MAX	(CRYPTO_DKG_PHASES * CRYPTO_DKG_MAX_HOLDERS)
/* A record holds at most 128 messages of at most 5238 bytes (about 7 KiB
 * each in base64) besides the ceremony's terms: under 1 MiB; twice that
 * leaves room for indentation and is still no burden to read. */
#define CLIENT_DKG_RECORD_MAX	(2 * 1024 * 1024)
/*
 * A ceremony's public record (docs/dkg.md): the messages taken, in order,
 * and the public state they make. Large (about 300 KiB): on the heap.
 */
struct client_dkg {
	struct crypto_dkg	 state;
	size_t			 count;
	uint8_t			*msg[CLIENT_DKG_MESSAGES_MAX];
	size_t			 len[CLIENT_DKG_MESSAGES_MAX];
};
/* A new record of a ceremony in phase DEAL; free with client_dkg_free
 * (which accepts NULL). -1 (one sentence) if the terms are refused. */
CLIENT_WUR int	client_dkg_new(const struct crypto_dkg_ceremony *,
		    struct client_dkg **);
void		client_dkg_free(struct client_dkg *);
/* Offers a message to the state and keeps a copy if it is taken. Returns
 * enum crypto_dkg_err; prints nothing. */
CLIENT_WUR int	client_dkg_add(struct client_dkg *, const uint8_t *msg,
		    size_t len);
/* "deal", "complain", "answer", "extract", "done" (enum crypto_dkg_phase). */
const char	*client_dkg_phase_name(unsigned);
/* The record as JSON: {"bisik_dkg_record": 1, "ceremony", "phase",
 * "messages"} (docs/dkg.md). NULL when out of memory. */
json_t		*client_dkg_json(const struct client_dkg *);
/*
 * Reads a record: checks the terms, runs every message again through
 * crypto_dkg_accept() in order (a message of a later phase closes the
 * phases before it) and closes phases up to the recorded one. -1 (one
 * sentence) if anything is refused: the record is then not the holders'.
 */
CLIENT_WUR int	client_dkg_from_json(const json_t *, const char *what,
		    struct client_dkg **);
/* The same from JSON text of at most CLIENT_DKG_RECORD_MAX bytes. */
CLIENT_WUR int	client_dkg_parse(const char *buf, size_t len,
		    const char *what, struct client_dkg **);

/* ---- Dealerless ceremony: commands and local state (dkg_cmd.c,
 * dkg_state.c) ---------------------------------------------------------- */

/* A ceremony state file is a few hundred bytes; more is not one. */
#define CLIENT_DKG_STATE_MAX	4096
/*
 * The dealer's seed between the steps (docs/dkg.md): KEY.dkg-<32 hex>,
 * mode 0600, beside the key file, holding {"bisik_dkg_state": 1,
 * "ceremony", "holder", "sealed_seed"}, the seed ‖ ceremony hash sealed
 * to the holder's own box key. *out is malloc()ed.
 */
CLIENT_WUR int	client_dkg_state_path(const char *keypath,
		    const uint8_t id[CRYPTO_DKG_ID_BYTES], char **out);
/* Writes a new state file (refuses an existing one). */
CLIENT_WUR int	client_dkg_state_save(const char *path,
		    const struct crypto_dkg *, unsigned index,
		    const uint8_t seed[CRYPTO_DKG_SEED_BYTES]);
/* 0 and the seed (secret memory), 1 if there is no state file, -1 (one
 * sentence) if it is not this ceremony's and holder's or does not open. */
CLIENT_WUR int	client_dkg_state_load(const char *path,
		    const struct crypto_dkg *, unsigned index,
		    const struct crypto_admin_key *,
		    uint8_t seed[CRYPTO_DKG_SEED_BYTES]);
/* Overwrites the file with zeros, syncs and removes it; 0 also if there
 * was none. */
CLIENT_WUR int	client_dkg_state_wipe(const char *path);
/*
 * The escrow file a DONE ceremony makes (version 1 with its "dkg"
 * record): the record's key and commitments, each holder's sealed share
 * and signature from `signatures` ([{"index", "sealed_share",
 * "signature"}], as the relay lists them). Every listed signature must
 * verify over the configuration hash computed here from the record.
 */
CLIENT_WUR int	client_dkg_escrow(const struct client_dkg *,
		    const json_t *signatures, struct client_escrow *);
int	cmd_escrow_dkg(int, char *const *);

/* ---- Tokens (token.c) ----------------------------------------------- */

/* Reads the token from the first line of a file into secret memory in
 * canonical form (CRYPTO_TOKEN_SYMBOLS + 1 bytes). */
CLIENT_WUR int	client_token_read(const char *path, char **canon);
/* Display form (groups of 4 joined by '-') of a canonical token. */
void		client_token_display(const char *canon,
		    char out[CRYPTO_TOKEN_TEXT]);
/* Prints "<label>: <display form>" on stdout, past stdio's buffers. */
void		client_token_print(const char *label, const char *canon);
/* Writes the display form and a newline to path (0600). */
CLIENT_WUR int	client_token_write(const char *path, const char *canon,
		    int how);

/* ---- HTTP (http.c) -------------------------------------------------- */

struct client_net {
	char		*base;		/* "<server>/api/v1", malloc()ed */
	const char	*proxy;		/* NULL: libcurl's default */
};
/*
 * Fills net from --server and --proxy (either NULL); checks the URLs.
 * Values given before the command (client_net_defaults) stand in for the
 * ones not given after it; the same option given in both places is a
 * usage error.
 */
CLIENT_WUR int	client_net_init(struct client_net *, const char *server,
		    const char *proxy);
/* The same, with the configuration file's values (either NULL), which
 * count only when neither place on the command line gives one. */
CLIENT_WUR int	client_net_init_or(struct client_net *, const char *server,
		    const char *proxy, const char *cfg_server,
		    const char *cfg_proxy);
/* Called once by main() with the options given before the command. */
void		client_net_defaults(const char *server, const char *proxy);
void		client_net_free(struct client_net *);
/*
 * One request to base + path. bearer, when not NULL, is sent as
 * "Authorization: Bearer ..."; body, when not NULL, is sent with
 * Content-Type: application/json (method POST with body NULL sends an
 * empty body and no Content-Type). On 0, *status is the HTTP status and
 * *reply the parsed JSON answer (new reference; NULL for an empty body).
 * -1 on transport failure, a reply over CLIENT_REPLY_MAX or a reply that
 * is not strict JSON.
 */
CLIENT_WUR int	client_http(const struct client_net *, const char *method,
		    const char *path, const char *bearer, const char *body,
		    size_t bodylen, long *status, json_t **reply);
/*
 * Uploads one file as the multipart/form-data field "file" (POST, with
 * the bearer token); *status and *reply as for client_http. On -1 (the
 * transfer failed) one sentence is in why, nothing is printed.
 */
CLIENT_WUR int	client_http_upload(const struct client_net *,
		    const char *path, const char *bearer, const char *name,
		    const char *mime, const void *data, size_t len,
		    long *status, json_t **reply, char *why, size_t whylen);
/*
 * GET of a file: on a 200 answer *data (client_mem_alloc memory, free
 * with client_mem_free) holds its at most `max` bytes and *reply is NULL;
 * on any other status *data is NULL and *reply the parsed error (or
 * NULL). ctype receives the answer's Content-Type ("" if none).
 */
CLIENT_WUR int	client_http_download(const struct client_net *,
		    const char *path, const char *bearer, size_t max,
		    long *status, uint8_t **data, size_t *len, json_t **reply,
		    char *ctype, size_t ctypelen);
/*
 * A reply body as it arrives (http.c), in memory wiped when freed
 * (client_mem_free(buf)): at most max bytes, always NUL-terminated once
 * anything came. client_reply_add appends n bytes and returns n, or 0
 * when they would pass max (then toobig is set and nothing is added) or
 * memory runs out.
 */
struct client_reply {
	char	*buf;
	size_t	 len, cap, max;
	int	 toobig;
};
size_t		client_reply_add(struct client_reply *, const char *data,
		    size_t n);
/* The Content-Type of a download as shown ("?" if none): printable
 * ASCII, every other byte '?', cut to outlen - 1 bytes (attach.c). */
void		client_download_type(const char *ct, char *out, size_t outlen);
/*
 * An upload's answer (attach.c): the refusal (any status but 201) as one
 * reason in why; a 201's attachment number (1 to CLIENT_ATTACH_PER_CASE)
 * into *n and its "size", when given, into *size (else *size is left as
 * it is), -1 with a reason in why when they are not valid.
 */
void		client_upload_refused(long status, const json_t *reply,
		    char *why, size_t whylen);
CLIENT_WUR int	client_upload_answer(const json_t *reply, unsigned *n,
		    unsigned long long *size, char *why, size_t whylen);
/* Prints the server's error.message for an unexpected status (or a
 * generic sentence naming the status). */
void		client_http_error(long status, const json_t *reply);
/*
 * The same for a request of context ctx (CLIENT_CTX_*): a 422 whose
 * "fields" the client knows is told as the limits it broke (values, when
 * not NULL, is the request body, so the sentence can say how long a
 * value was).
 */
void		client_http_error_ctx(long status, const json_t *reply,
		    int ctx, const json_t *values);
/* The error.code of a reply, or NULL. */
const char	*client_http_error_code(const json_t *reply);
/* POST /auth/login with the password from the first line of pwfile (and
 * a TOTP code if given), a busy server tried again a few times (login.c);
 * the session token into *session (secret memory). */
CLIENT_WUR int	client_staff_login(const struct client_net *,
		    const char *username, const char *pwfile,
		    const char *totp, char **session);

/* ---- Configuration and state (config.c) ----------------------------- */

/* The configuration file's values (malloc()ed, NULL when not set) and
 * the file they came from ("" if none was read). */
struct client_config {
	char	*server;
	char	*proxy;
	char	*escrow_fingerprint;
	char	 path[PATH_MAX];
};
/* Reads path, or the default file when path is NULL (absent is fine,
 * nothing set). -1 on an unreadable or malformed file. */
CLIENT_WUR int	client_config_load(const char *path, struct client_config *);
void		client_config_free(struct client_config *);
/* The path of a state file under the user's state directory (made, 0700,
 * when missing). */
CLIENT_WUR int	client_state_path(const char *name, char out[PATH_MAX]);

/* ---- Words for people (text.c) ------------------------------------- */

/* What a request was, so that a field name means the right limit: "body"
 * is 20 to 20000 characters in a report and 1 to 10000 in a message. */
#define CLIENT_CTX_NONE		0
#define CLIENT_CTX_REPORT	1
#define CLIENT_CTX_MESSAGE	2
#define CLIENT_CTX_RATE		3
#define CLIENT_CTX_REOPEN	4
#define CLIENT_CTX_ATTACH	5
/* A sentence naming a limit is far shorter; several are joined. */
#define CLIENT_EXPLAIN_MAX	256
/*
 * The limit a field broke as a sentence without the "bisik: " prefix:
 * ("the title (--title) must be 5 to 200 characters; it has 3"). reason
 * is the server's ("too short", "invalid", ...; NULL counts as broken);
 * have, when not negative, is the length of the value in characters.
 * A field this table does not know is told as "field: reason".
 */
void		client_explain(int ctx, const char *field, const char *reason,
		    long have, char *out, size_t outlen);
/* Every field of a 422's error.fields, joined with ", and ". */
void		client_explain_fields(int ctx, json_t *fields,
		    const json_t *values, char *out, size_t outlen);
/* obj["a"]["b"] for the path "a.b"; NULL when absent. */
const json_t	*client_json_path(const json_t *obj, const char *path);
/* Times as "2026-12-06 14:05 WIB" (Asia/Jakarta, UTC+7, whatever zone
 * the machine is in). client_time_wib takes the API's ISO 8601 UTC form
 * and returns -1 (out untouched) for anything else. */
#define CLIENT_TIME_TEXT	24
void		client_time_wib_t(time_t, char out[CLIENT_TIME_TEXT]);
CLIENT_WUR int	client_time_wib(const char *iso, char out[CLIENT_TIME_TEXT]);
/* "Name (id)" of an agency or category: names are at most 300
 * characters of up to 4 bytes (bisikd agency add), ids 64; a longer
 * name from a hostile server is cut. */
#define CLIENT_NAME_TEXT	(4 * 300 + 64 + 8)
/* A size as "812 bytes", "740 kB" or "2.4 MB". */
#define CLIENT_SIZE_TEXT	32
void		client_size_text(unsigned long long, char out[CLIENT_SIZE_TEXT]);

/* ---- Attachments (attach.c) ----------------------------------------- */

/* The types the server takes, told by content (docs/openapi.yaml). */
enum client_ftype {
	CLIENT_FT_JPEG,
	CLIENT_FT_PNG,
	CLIENT_FT_WEBP,
	CLIENT_FT_PDF,
	CLIENT_FT_TEXT,
	CLIENT_FT_MAX
};
#define CLIENT_FT_ACCEPTED	"a JPEG, PNG or WebP image, a PDF or plain " \
				"UTF-8 text (not HTML, SVG or XML)"
/* The type of a file's bytes by the server's rules, or -1 for one it
 * refuses (nothing else, an empty file, markup, controls in text). */
int		client_attach_sniff(const uint8_t *, size_t);
/* "image/jpeg", ...; NULL out of range. */
const char	*client_attach_mime(int type);
/* A file read and checked for attaching. */
struct client_file {
	const char	*path;		/* as given */
	const char	*name;		/* its last path segment */
	uint8_t		*data;		/* client_mem_alloc() memory */
	size_t		 len;
	int		 type;		/* enum client_ftype */
};
/*
 * Reads path (a regular file of 1 to CLIENT_ATTACH_MAX bytes) and checks
 * its type. On -1 why holds the reason as a sentence fragment ("it is
 * empty"); nothing is printed. client_file_free wipes and accepts a
 * zeroed struct.
 */
CLIENT_WUR int	client_file_load(const char *path, struct client_file *,
		    char *why, size_t whylen);
void		client_file_free(struct client_file *);
/*
 * Sends a loaded file to the reporter's case (POST
 * /followup/attachments). On 0 the attachment's number is in *n and a
 * line "attached FILE as attachment N (type, size)" is printed; on -1 the
 * reason (from the transfer or the server's answer) is in why and nothing
 * is printed.
 */
CLIENT_WUR int	client_file_upload(const struct client_net *,
		    const char *token, const struct client_file *,
		    unsigned *n, char *why, size_t whylen);

/*
 * The --attach files of a command that files or says something first
 * (submit, reply): client_files_check() loads and checks each of the n
 * paths (at most CLIENT_ATTACH_PER_CASE) before anything is sent, and
 * tells the first refusal in one sentence. client_files_send() then
 * uploads them one by one, going on past a failure, prints a line for
 * each one attached and returns how many failed, each named with its
 * reason in failed ("FILE (why); ..."; cut to failedlen).
 */
CLIENT_WUR int	client_files_check(const char *const *paths, size_t n);
size_t		client_files_send(const struct client_net *,
		    const char *token, const char *const *paths, size_t n,
		    char *failed, size_t failedlen);

/* ---- Reporter sessions (followup.c) --------------------------------- */

/* What the reporter's commands share: options, server and token. */
struct client_session {
	struct client_args	 args;
	struct client_net	 net;
	char			*token;	/* canonical, secret memory */
};
/*
 * Parses the options of command cmd (keeping up to maxwords words),
 * sets up the network and reads --token-file. Returns CLIENT_EXIT_OK, -1
 * when --help was given (usage printed), or the exit status of the
 * failure (message printed); client_session_close in every case.
 */
CLIENT_WUR int	client_session_open(const char *cmd, int argc,
		    char *const argv[], const struct client_optspec *specs,
		    size_t nspecs, size_t maxwords, struct client_session *);
void		client_session_close(struct client_session *);
/*
 * Prints a follow-up view (GET /followup) for people, checking the type
 * of every field it uses: -1 (told) for a view of another shape. With
 * net, agencies and categories are named from the server's public lists;
 * with net NULL (tests/fuzz/fuzz_client.c) by their ids.
 */
CLIENT_WUR int	client_view_show(const struct client_net *net,
		    const json_t *view);
/* Reads a text file given to a reporter's command: final line ends cut,
 * UTF-8 without NUL or controls, min..max characters, not blank. ctx and
 * field name the limit in the message (client_explain). */
CLIENT_WUR int	client_text_file(const char *path, int ctx, const char *field,
		    long min, long max, char **out, size_t *len);

/* ---- Commands ------------------------------------------------------- */

int	cmd_keygen(int, char *const *);
int	cmd_escrow(int, char *const *);
int	cmd_escrow_reshare(int, char *const *);	/* reshare.c */
int	cmd_escrow_sign(int, char *const *);	/* escrow_sign.c */
int	cmd_escrow_fingerprint(int, char *const *);	/* escrow_sign.c */
int	cmd_disclose(int, char *const *);	/* disclose.c */
int	cmd_submit(int, char *const *);
int	cmd_follow(int, char *const *);
int	cmd_reply(int, char *const *);
int	cmd_rotate(int, char *const *);
int	cmd_rate(int, char *const *);		/* followup.c */
int	cmd_reopen(int, char *const *);		/* followup.c */
int	cmd_attach(int, char *const *);		/* attach.c */
int	cmd_download(int, char *const *);	/* attach.c */
int	cmd_audit(int, char *const *);

/*
 * Checks one entry of a served audit page (GET /audit: "seq", "hash",
 * "canonical" or "canonical_base64", "damaged" and the fields shown
 * beside the text) into c (audit.c). 1 when a field shown does not agree
 * with the canonical text (then *mismatch is the entry's seq), else what
 * crypto_audit_check_entry returns.
 */
CLIENT_WUR int	client_audit_entry_check(struct crypto_audit_check *c,
		    const json_t *entry, uint64_t *mismatch);
/* However long the server says requests stay open, the client signs no
 * expiry further than 30 days ahead (the server's own maximum): a request
 * an approver signs must not stay usable for months. */
#define CLIENT_DISCLOSE_TTL_MAX	(30 * 24 * 3600)
/* A request's state as printed: a short lower-case word. */
#define CLIENT_STATE_TEXT	16
/*
 * The answer to GET /cases/{case}/disclosures once its escrow is checked
 * (disclose.c): the holders' generation, the request lifetime (1 to
 * CLIENT_DISCLOSE_TTL_MAX seconds) and the case's R; -1 (told) if one is
 * missing or invalid.
 */
CLIENT_WUR int	client_disclose_prep(const json_t *prep, unsigned *gen,
		    unsigned *ttl, uint8_t R[CRYPTO_POINT_BYTES]);
/* The "state" of a disclosure request or of the answer to an approval,
 * if it is 1 to CLIENT_STATE_TEXT - 1 letters a-z and '_' (borrowed from
 * answer), else NULL. */
const char	*client_disclose_state(const json_t *answer);
/* The new token of a POST /followup/rotate answer, in canonical form,
 * into canon (followup.c); -1 (told) if it is missing or malformed. */
CLIENT_WUR int	client_rotate_answer(const json_t *reply,
		    char canon[CRYPTO_TOKEN_SYMBOLS + 1]);
/* The binding of a disclosed identity: the content hash of the case's
 * report as the server says it was filed (its "filed" object), case ref
 * named in errors (disclose.c). -1 (told) when "filed" is missing or
 * malformed. */
CLIENT_WUR int	client_disclose_binding(const json_t *answer,
		    const char *ref, uint8_t out[CRYPTO_HASH_BYTES]);
/*
 * Reads a GET /keys answer (submit.c): the receipt key, and the escrow
 * key when need_escrow is set or a fingerprint is pinned (pin, from
 * pin_from, named in the message), which must then be a valid point
 * matching the pin; *has_escrow says whether escrow_key was filled in.
 */
CLIENT_WUR int	client_keys_parse(const json_t *reply, int need_escrow,
		    const char *pin, const char *pin_from,
		    uint8_t receipt_key[CRYPTO_SIGN_PK_BYTES],
		    uint8_t escrow_key[CRYPTO_POINT_BYTES], int *has_escrow);
/*
 * Checks a 201 answer to POST /reports (submit.c): the case reference, a
 * well-formed token, and a receipt signed with receipt_key over that
 * case, its time, `content` (the content hash of exactly what was sent),
 * identity_hash (the hash of exactly the sealed identity sent, or NULL
 * when none was) and the audit head. On 0, *case_ref is borrowed from
 * reply and *canon is the token in secret memory (crypto_secret_free).
 */
CLIENT_WUR int	client_receipt_check(const json_t *reply,
		    const uint8_t content[CRYPTO_HASH_BYTES],
		    const uint8_t receipt_key[CRYPTO_SIGN_PK_BYTES],
		    const uint8_t *identity_hash, const char **case_ref,
		    char **canon);
/* Usage text for one command (or all of them, name NULL). */
void	client_usage(FILE *, const char *name);
/* A subcommand: its name and what runs it with the arguments after it. */
struct client_sub {
	const char	*name;
	int		(*run)(int, char *const[]);
};
/* Runs the one of the n subs that argv[0] names with the rest of argv;
 * --help or -h prints topic's usage (exit 0); anything else is a usage
 * error, "usage: bisik SYNOPSIS ...", pointing at `bisik help TOPIC`. */
int	client_sub_run(int argc, char *const argv[],
	    const struct client_sub *subs, size_t n, const char *topic,
	    const char *synopsis);

#endif
