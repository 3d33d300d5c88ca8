/*
 * util.h: the lowest layer of bisikd (docs/design.md, "Layers of server/"):
 * limits and configuration (config.c), logging (log.c), stored records
 * (record.c), sorting, paging cursors, ZIP, sockets and confinement.
 * No domain knowledge; everything else in server/ builds on it.
 */
#ifndef BISIK_UTIL_H
#define BISIK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "store/store.h"

#define SRV_WUR __attribute__((warn_unused_result))

/* ---- Limits ---------------------------------------------------------- */

/* Default request body cap: a 20,000-character body in 4-byte UTF-8 with
 * JSON escaping and a sealed identity stays well below 256 KiB. */
#define SRV_BODY_DEFAULT	(256 * 1024)
#define SRV_BODY_MIN		1024
#define SRV_BODY_MAX		(64 * 1024 * 1024)
#define SRV_ATTACH_DEFAULT	(10 * 1024 * 1024)
/*
 * Worker threads by default (config key "threads"): SRV_THREADS_PER_CORE
 * for each online core, from SRV_THREADS_DEFAULT_MIN to
 * SRV_THREADS_DEFAULT_MAX. A submission's thread waits for the group
 * commit, so the threads bound how many submissions share one fsync:
 * on 2 cores 8 threads cut the submission rate by a third against 16 or
 * 32. Threads that run at once cost context switches: 32 on 2 cores spent
 * about 15 % more CPU per follow-up than 4 to 16 (bench/README.md,
 * "Threads").
 */
#define SRV_THREADS_PER_CORE	8
#define SRV_THREADS_DEFAULT_MIN	8
#define SRV_THREADS_DEFAULT_MAX	64
#define SRV_THREADS_MAX		256
/* Largest config file read. */
#define SRV_CONFIG_MAX		(1024 * 1024)
/* holidays_dir: a path of this many bytes at most (the installed share
 * directory is far shorter). */
#define SRV_HOLIDAYS_DIR_MAX	255
/* Holiday files read from it: one a year (and perhaps a region) for
 * decades; a year's list is about 2 kB, so 64 KiB is plenty. */
#define SRV_HOLIDAY_FILES_MAX	64
#define SRV_HOLIDAY_FILE_MAX	(64 * 1024)
/* Where `make install` puts the shipped data (Makefile DATADIR). */
#ifndef SRV_SHARE_DIR
#define SRV_SHARE_DIR		"/usr/local/share/bisik"
#endif
/* The submission form without JavaScript is accepted this many seconds
 * after it was fetched at the earliest (form_min_seconds): a person takes
 * longer to write a report, a script posting at once is held back; at
 * most 10 minutes, well inside the challenge's lifetime. */
#define SRV_FORM_MIN_SECONDS	5
#define SRV_FORM_MIN_SECONDS_MAX 600
/* Staff sign-in lockout (auth.c): from the 5th consecutive failure an
 * account is locked, first for login_lock_seconds (1 by default), then
 * twice as long with every further failure, at most 15 minutes; per
 * account, not per address (behind Tor or a proxy every client has one
 * address). The first lock may be set from 1 s to the cap (tests make it
 * long enough to be seen on a loaded machine). */
#define SRV_LOCK_AFTER		5
#define SRV_LOCK_FIRST		1
#define SRV_LOCK_FIRST_MIN	1
#define SRV_LOCK_MAX		(15 * 60)

/* ---- Configuration (config.c) ---------------------------------------- */

struct srv_deadlines {
	int	dispose, accept, respond, resolve;	/* working days */
};

struct srv_config {
	char			listen_addr[64];	/* numeric host */
	unsigned		listen_port;
	unsigned		pow_difficulty;
	size_t			max_body_bytes;
	size_t			max_attachment_bytes;
	unsigned		suppression_threshold;
	struct core_calendar	calendar;	/* shipped + configured holidays */
	/* "holidays_dir": holidays-*.csv read at start
	 * (srv_config_holidays_load); "" means the installed SRV_SHARE_DIR,
	 * where a missing directory is no error. */
	char			holidays_dir[SRV_HOLIDAYS_DIR_MAX + 1];
	struct srv_deadlines	deadlines;
	char			*tls_cert;	/* PEM text, NULL: no TLS */
	char			*tls_key;
	unsigned		threads;
	unsigned		rate_per_address;	/* per minute, 0 off */
	unsigned		rate_global;		/* per minute, 0 off */
	int			log_level;		/* 0 error .. 3 debug */
	int			totp_required;	/* TOTP mandatory for central admins */
	/* Seconds of the first lockout ("login_lock_seconds", auth.c). */
	unsigned		login_lock;
	/* Confinement and operations (confine.c, metrics.c) */
	char			user[64];	/* "" : "bisik" if it exists */
	int			seccomp;	/* allow-list filter, default 1 */
	unsigned		image_timeout;	/* seconds an image may take */
	int			allow_root;	/* --allow-root: serve as root */
	char			metrics_addr[64];	/* "" : no /metrics */
	unsigned		metrics_port;
	/* Web pages (pages_*.c): the least time between fetching the
	 * submission form and sending it without JavaScript (seconds), and
	 * whether cookies are Secure although bisikd speaks plain HTTP (TLS
	 * ends at a proxy in front of it). */
	unsigned		form_min_seconds;
	int			cookie_secure;
	/* Identity disclosure (disclose.c): seconds a request stays open
	 * ("disclosure_ttl_hours", default SRV_DISCLOSURE_TTL_HOURS). */
	unsigned		disclosure_ttl;
	/* Dealerless key ceremonies (api_ceremony.c): seconds from one
	 * phase's deadline to the next ("dkg_phase_hours", default
	 * SRV_DKG_PHASE_HOURS). */
	unsigned		dkg_phase;
	/* Retention (retention.c): months a case is kept once it is closed,
	 * rejected or merged (enum srv_retain), for the states whose bit is
	 * set in retention_policy (none by default: kept for ever; a zeroed
	 * config shreds nothing); "retention_unit_seconds" (for tests only)
	 * makes a "month" that many seconds instead of a calendar month. */
	int			retention_months[3];
	unsigned		retention_policy;
	unsigned		retention_unit;
	/* Seconds between two sweeps (sweeper.c). */
	unsigned		sweep_interval;
};

/* Defaults for every key. */
void	srv_config_defaults(struct srv_config *);
/*
 * Holidays without a rebuild: every holidays-*.csv (the format of
 * share/holidays-id-2026.csv) in the configured holidays_dir, else in
 * SRV_SHARE_DIR if it exists, is added to the calendar. At most
 * SRV_HOLIDAY_FILES_MAX files of SRV_HOLIDAY_FILE_MAX bytes each; a bad one
 * is named in err (file and line) and fails the start. *nfiles counts
 * the files read.
 */
SRV_WUR int	srv_config_holidays_load(struct srv_config *, size_t *nfiles,
		    char *err, size_t errlen);
/*
 * The first year the next CORE_HOLIDAY_LOOKAHEAD days (WIB dates from
 * now) touch that has no holiday in the calendar, 0 if none: deadlines
 * in it would count its holidays as working days. srv_config_holidays_warn also
 * logs it, in one line saying how to add it.
 */
int	srv_config_holidays_missing(const struct srv_config *, time_t now);
int	srv_config_holidays_warn(const struct srv_config *, time_t now);
/* The default number of worker threads for this many online cores (0 or
 * less: unknown, taken as one). */
unsigned	srv_config_threads_for(long cores);
/* Parses a config JSON text; on failure writes one sentence to err (which
 * never echoes values) and returns -1. */
SRV_WUR int	srv_config_parse(struct srv_config *, const char *buf,
		    size_t len, char *err, size_t errlen);
/* "ADDR:PORT" or "[ADDR]:PORT" (numeric) into the config. */
SRV_WUR int	srv_config_listen_parse(struct srv_config *, const char *);
void	srv_config_free(struct srv_config *);

/* ---- Logging (log.c): key=value lines on stderr, never personal data -- */

enum srv_log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
void	srv_log_set_level(int);
void	srv_log(int level, const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* ---- Paging cursors (cursor.c) ----------------------------------------- */

/* Characters of a cursor: 17 bytes (version, time, case) in base64url
 * without padding. */
#define SRV_CURSOR_LEN	23
/* A (time, case) position from its text; -1 (outputs untouched) for any
 * text that is not exactly one encoded position. */
SRV_WUR int	srv_cursor_decode(const char *, uint64_t *at, uint64_t *seq);
/* The text of (at, seq), NUL-terminated. */
void		srv_cursor_text(uint64_t at, uint64_t seq,
		    char out[SRV_CURSOR_LEN + 1]);
/* The same as a JSON string (NULL when out of memory). */
json_t		*srv_cursor_encode(uint64_t at, uint64_t seq);

/* ---- Confinement (confine.c) ------------------------------------------- */

/* A bound, listening, non-blocking TCP socket on a numeric address; -1. */
SRV_WUR int	srv_confine_listen_socket(const char *addr, unsigned port);
/* 1 if addr is 127.0.0.0/8 or ::1. */
int	srv_confine_addr_loopback(const char *addr);
/* Drops root, sets no-new-privileges and not-dumpable, installs the
 * seccomp allow-list (see confine.c); on failure one sentence in err. */
SRV_WUR int	srv_confine(const struct srv_config *, char *err,
		    size_t errlen);
/* The user srv_confine will change to: 1 with its ids when running as
 * root and it exists (and is not root), else 0. */
int	srv_confine_service_user(const struct srv_config *, uint32_t *uid,
	    uint32_t *gid);

/* ---- Directory (directory.c): agencies and categories ------------------ */

/* Record helpers: value = version byte 0x01 ‖ compact JSON. */
#define SRV_RECORD_V1	0x01
SRV_WUR int	srv_record_put(struct store_txn *, enum store_table,
		    const void *key, size_t klen, json_t *obj, int flags);
SRV_WUR int	srv_record_get(struct store_txn *, enum store_table,
		    const void *key, size_t klen, json_t **obj);
/* A record's value (as read from a scan) into an object; STORE_CORRUPT
 * when it is not a version 1 record of a JSON object. */
SRV_WUR int	srv_record_decode(const void *val, size_t vlen, json_t **obj);
/* A record's member read without checks: 0 or "" when absent or of
 * another type (the record was checked when it was read). */
json_int_t	srv_record_int(const json_t *, const char *key);
const char	*srv_record_str(const json_t *, const char *key);
/* -1 unless v is a base64 string of exactly len bytes, decoded into out. */
SRV_WUR int	srv_record_b64_value(const json_t *v, uint8_t *out,
		    size_t len);
/* len bytes at p as a base64 JSON string; NULL when the text would pass
 * 255 characters or out of memory. */
json_t		*srv_record_b64_json(const void *p, size_t len);
/* A member that is a time (seconds) as ISO 8601 UTC text, for a view:
 * JSON null when absent, not an integer or before 1970; NULL when out of
 * memory. */
json_t		*srv_record_time(const json_t *, const char *key);

/* ---- Staff workflow (workflow.c, queue.c, api_cases.c, sweeper.c) ------ */

/* The sweeper wakes once a minute (config "sweep_interval_seconds":
 * from once a second, for tests, to once an hour) and closes at most 100
 * cases in one durable job, so a backlog never makes one long write
 * transaction. */
#define SRV_SWEEP_INTERVAL	60
#define SRV_SWEEP_INTERVAL_MIN	1
#define SRV_SWEEP_INTERVAL_MAX	3600
#define SRV_SWEEP_BATCH		100

/* ---- Identity disclosure (disclose.c, api_disclose.c, adminkey.c) -------- */

/* A request is open for 72 hours unless configured (1 second to 30
 * days): long enough for admins in other time zones and on leave to
 * answer, short enough that a forgotten request cannot be approved
 * months later under other circumstances. */
#define SRV_DISCLOSURE_TTL_HOURS	72
#define SRV_DISCLOSURE_TTL_MAX		(30 * 24 * 3600)

/* ---- Dealerless escrow key ceremony (api_ceremony.c) ------------------------- */

/* A ceremony's four phases each close one period after the one before
 * (the first one period after it opens) and it expires one more period
 * after the last, for the holders to sign: 24 hours by default, so that
 * each holder, in any time zone and with a day's other duties, can act in
 * each phase; configurable from one second (tests) to 7 days (a ceremony
 * then lasts at most 35 days, after which an unfinished one is purged). */
#define SRV_DKG_PHASE_HOURS	24
#define SRV_DKG_PHASE_MAX	(7 * 24 * 3600)

/* ---- Transparency: duplicates, statistics, publication, retention,
 * export (dedup.c, derived.c, publish.c, retention.c, export.c, zip.c) ---- */

/* An in-place heap sort (sort.c; not stable) with qsort's arguments. Not qsort():
 * glibc's asks the kernel for the memory size (sysinfo) on arrays over a
 * kilobyte, which the seccomp allow-list of a confined server refuses. */
void	srv_sort(void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *));

/*
 * Retention (retention.c). A closed, rejected or merged case without a
 * legal hold is shredded once its retention (config "retention") is
 * over: its wrapped data key, identity record, content, timeline,
 * attachments, LSH band keys, token and indexes are deleted in one
 * transaction with an audit entry "case_shredded"; its counts stay (in
 * "r:"). A surviving case takes the cases merged into it along. The
 * sweeper runs it at start and every SRV_RETAIN_INTERVAL seconds, at most
 * SRV_RETAIN_BATCH cases a job. Deleted bytes stay in LMDB's free pages
 * until `bisikd compact` rewrites the file (store_compact).
 */
enum srv_retain {
	SRV_RETAIN_CLOSED,
	SRV_RETAIN_REJECTED,
	SRV_RETAIN_MERGED,
	SRV_RETAIN_MAX
};
#define SRV_RETAIN_INTERVAL	3600
#define SRV_RETAIN_BATCH	100
#define SRV_RETAIN_MONTHS_MAX	1200	/* 100 years */
/* A store-only ZIP built in memory. Entry names are UTF-8 without "..",
 * leading "/" or backslashes; at most SRV_ZIP_ENTRIES entries and
 * SRV_ZIP_MAX bytes in all (no ZIP64). */
#define SRV_ZIP_ENTRIES		256
#define SRV_ZIP_MAX		((size_t)1 << 31)
struct srv_zip;
struct srv_zip	*srv_zip_new(time_t mtime);
SRV_WUR int	srv_zip_add(struct srv_zip *, const char *name,
		    const void *data, size_t len);
/* Finishes the archive: *out (malloc'd) and *len; frees z either way. */
SRV_WUR int	srv_zip_finish(struct srv_zip *, uint8_t **out, size_t *len);
void	srv_zip_free(struct srv_zip *);

#endif
