/*
 * core: Bisik's domain rules with no I/O, using only libc and jansson.
 *
 * What it is for: strict JSON intake (the one place outside JSON bytes are
 * parsed), validation of reports into typed values, the redaction filter,
 * the working-day calendar, case references and the names of kinds,
 * statuses and visibilities.
 *
 * Contract:
 *  - Nothing here does I/O, allocates secrets or knows HTTP. Callers map
 *    enum core_err to HTTP statuses (server/) or exit codes (client/).
 *  - Functions returning pointers give ownership to the caller unless they
 *    say "borrowed"; every *_free accepts NULL.
 *  - All functions are thread-safe (no global state).
 *  - Besides libc and jansson, core uses libutf8proc (Unicode
 *    normalisation of report text for duplicate detection, minhash.c,
 *    and for the redaction filter's shadow, redact_shadow.c).
 *  - Strings given to core are NUL-terminated UTF-8 unless a length is
 *    passed; strings core returns are valid UTF-8.
 */
#ifndef BISIK_CORE_H
#define BISIK_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#define CORE_WUR __attribute__((warn_unused_result))

/* ---- Limits (each has a reason and a test at its edge) ---------------- */

/* A report's JSON nests at most object → identity/pow object; 8 leaves
 * room for later fields and refuses stack-eating inputs early. */
#define CORE_JSON_MAX_DEPTH	8
#define CORE_TITLE_MIN		5	/* characters (code points) */
#define CORE_TITLE_MAX		200
#define CORE_BODY_MIN		20
#define CORE_BODY_MAX		20000
#define CORE_LOCATION_MAX	200
#define CORE_MESSAGE_MIN	1
#define CORE_MESSAGE_MAX	10000
#define CORE_ID_MIN		2	/* agency / category ids: [a-z0-9-] */
#define CORE_ID_MAX		64
#define CORE_IDENTITY_FIELD_MAX	300	/* each identity field, characters */
#define CORE_SEALED_IDENTITY_MAX 8192	/* base64 characters */
#define CORE_SOURCE_MAX		500	/* staff intake source link */
#define CORE_REASON_MAX		2000
/* pow.challenge / pow.nonce: crypto/ makes 56-character challenges and
 * accepts nonces of up to 64 characters; anything longer is not ours. */
#define CORE_POW_FIELD_MAX	128
/* Manual redactions at one disposition or publication: a reviewer masks a
 * handful of phrases; the cap keeps the matching work bounded. */
#define CORE_REDACTIONS_MAX	64
#define CORE_REDACTION_PHRASE_MAX 200	/* characters */
/* Deadlines are counted in days to weeks; a bound keeps a bad setting
 * from turning core_add_working_days into a long loop. */
#define CORE_WORKING_DAYS_MAX	3660

/* ---- Errors -------------------------------------------------------------- */

enum core_err {
	CORE_OK = 0,
	CORE_MALFORMED,		/* 400: bad JSON/UTF-8, NUL, duplicate keys,
				   too deep, wrong type, unknown field */
	CORE_INVALID,		/* 422: well-formed but a value is not valid */
	CORE_NOMEM,		/* out of memory */
	CORE_ERR_MAX
};

/* Up to CORE_FIELDS_MAX field -> reason pairs for a 422 answer, plus one
 * message sentence for 400/422. Messages are static strings or copies
 * that never contain input values (no echo of possibly personal data);
 * the only input bytes a message may quote are the name of a field when it
 * matches [A-Za-z0-9_.-]{1,40} ("The field \"foo\" is not known.").
 * Copies live in msgbuf, so message may point into the struct itself: use
 * it where it was filled, do not return the struct by value. Field names
 * are static strings or the caller's own spec names. The parse functions
 * below clear *errs first; errs may be NULL. */
#define CORE_FIELDS_MAX		16
#define CORE_ERRMSG_MAX		128
struct core_errors {
	const char	*message;	/* one human sentence */
	const char	*field[CORE_FIELDS_MAX];	/* field names */
	const char	*reason[CORE_FIELDS_MAX];	/* e.g. "too short" */
	size_t		 nfields;
	char		 msgbuf[CORE_ERRMSG_MAX];	/* backs message */
};
void	core_errors_add(struct core_errors *, const char *field,
	    const char *reason);

/* ---- Strict JSON ------------------------------------------------------ */

/*
 * Parses len bytes as one JSON value with duplicate keys refused, NUL
 * bytes refused (raw or \u0000), invalid UTF-8 refused, nesting deeper
 * than maxdepth refused (checked on the raw bytes before jansson runs),
 * trailing garbage refused. On success *out is a new reference.
 * On failure errs->message says which of these it was.
 */
CORE_WUR int	core_json_parse(const char *buf, size_t len, int maxdepth,
		    json_t **out, struct core_errors *errs);

/*
 * Installs jansson allocation functions that wipe every block when it is
 * freed, so that report text and identities parsed from requests do not
 * linger in freed heap memory. Call once at start, before any JSON is
 * made. Memory returned by json_dumps() must then be freed with
 * core_json_free() (never free()), whether or not this was called.
 */
void	core_json_wipe_on_free(void);
void	core_json_free(void *);

/* Number of Unicode code points in valid UTF-8 s; -1 if not valid UTF-8. */
long	core_utf8_len(const char *s, size_t len);
/* 1 if valid UTF-8 without NUL and without C0 controls other than
 * \t \n \r (text fields); 0 otherwise. */
int	core_text_ok(const char *s, size_t len);
/* 1 if s matches [a-z0-9-]{CORE_ID_MIN,CORE_ID_MAX}. */
int	core_id_ok(const char *s);
/* 1 if s is empty or holds only white space or invisible characters
 * (ASCII and Unicode spaces, zero-width space, BOM); s is valid UTF-8. */
int	core_text_blank(const char *s, size_t len);

/* ---- Stored JSON read in place, replies written directly (jview.c) ---- */

/*
 * Nesting of a stored record that core_jv_object accepts: Bisik's records
 * nest three levels at most (case → identity_disclosures → entry); the
 * bound keeps a damaged record from costing deep recursion.
 */
#define CORE_JV_DEPTH		32

enum core_jv_type {
	CORE_JV_NONE,		/* member absent */
	CORE_JV_NULL,
	CORE_JV_FALSE,
	CORE_JV_TRUE,
	CORE_JV_INTEGER,	/* no fraction or exponent; fits 64 bits */
	CORE_JV_REAL,
	CORE_JV_STRING,
	CORE_JV_ARRAY,
	CORE_JV_OBJECT,
	CORE_JV_MAX
};

/* A value inside a record: its JSON text, borrowed from the record. */
struct core_jv {
	const char		*p;
	size_t			 len;
	enum core_jv_type	 type;
};

/*
 * Checks that buf holds one JSON object by jansson's rules (valid UTF-8,
 * escapes, no \u0000, 64-bit integers, nesting up to CORE_JV_DEPTH) and
 * sets vals[i] to its top-level member named keys[i] (type CORE_JV_NONE
 * when absent). -1, with every vals[i] absent, when it is not such an
 * object or a named member appears twice. Nothing is allocated; vals
 * point into buf.
 */
CORE_WUR int	core_jv_object(const char *buf, size_t len,
		    const char *const *keys, size_t nkeys, struct core_jv *vals);
/* The integer's value; -1 if v is not an integer. */
CORE_WUR int	core_jv_int(const struct core_jv *v, int64_t *out);
/* The string's bytes (borrowed, not NUL-terminated); -1 if v is not a
 * string or holds an escape (base64, ids, names and statuses never do). */
CORE_WUR int	core_jv_str(const struct core_jv *v, const char **s,
		    size_t *len);
/* 1 if v is the string word (written without escapes). */
int	core_jv_is(const struct core_jv *v, const char *word);

/* ---- A bounded growable buffer (buf.c) -------------------------------- */

/*
 * Bytes written piece by piece into at most max bytes (and a NUL that is
 * always kept after them). Appending never fails on the spot: the first
 * failure (past max, out of memory) sticks, later appends do nothing, and
 * core_buf_take says so once. The bytes are wiped when the buffer grows
 * or is freed. A zeroed struct is not ready: call core_buf_init.
 */
struct core_buf {
	char	*p;		/* NULL until the first append */
	size_t	 len, cap, max;
	int	 fail;		/* sticky: past max or out of memory */
};
void	core_buf_init(struct core_buf *, size_t max);
/* Room for n more bytes and the NUL; -1 (and fail set) if there is none. */
int	core_buf_reserve(struct core_buf *, size_t n);
void	core_buf_add(struct core_buf *, const void *, size_t);
void	core_buf_str(struct core_buf *, const char *);
void	core_buf_printf(struct core_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Back to its first len bytes (len at most the length now). */
void	core_buf_cut(struct core_buf *, size_t len);
/* The bytes (malloc'd, NUL-terminated; "" if nothing was added), handed
 * to the caller; NULL after a failure, with the buffer wiped and freed.
 * Either way b is empty and may be written again. */
CORE_WUR char	*core_buf_take(struct core_buf *, size_t *len);
/* Wipes and frees; b is empty (failure cleared) and may be written again. */
void	core_buf_free(struct core_buf *);

/*
 * A JSON text written into one buffer of at most max bytes. Appending
 * never fails on the spot: the first failure (past max, out of memory,
 * a string that is not UTF-8 or holds NUL) sticks, and core_jw_finish()
 * reports it. Buffers are wiped when freed or outgrown: replies hold
 * case text.
 */
struct core_jw {
	struct core_buf	 b;
};
void	core_jw_init(struct core_jw *, size_t max);
/* Bytes as they are (JSON punctuation, keys the caller wrote). */
void	core_jw_raw(struct core_jw *, const char *, size_t);
void	core_jw_lit(struct core_jw *, const char *);
/* A string, quoted and escaped as jansson's json_dumps() escapes it. */
void	core_jw_str(struct core_jw *, const char *, size_t);
void	core_jw_int(struct core_jw *, int64_t);
/* A value read by core_jv_object, as jansson would dump it with
 * JSON_COMPACT; an absent one as null. */
void	core_jw_value(struct core_jw *, const struct core_jv *);
/* The text, NUL-terminated, handed to the caller (who wipes and frees
 * it); -1 after a failure, with the buffer wiped and freed. */
CORE_WUR int	core_jw_finish(struct core_jw *, char **out, size_t *len);
void	core_jw_free(struct core_jw *);

/* ---- Names ------------------------------------------------------------- */

enum core_kind {
	CORE_KIND_COMPLAINT,
	CORE_KIND_ASPIRATION,
	CORE_KIND_INFORMATION_REQUEST,
	CORE_KIND_MAX
};
enum core_visibility {
	CORE_VIS_CONFIDENTIAL,
	CORE_VIS_PUBLIC,
	CORE_VIS_MAX
};
enum core_status {
	CORE_ST_SUBMITTED,
	CORE_ST_DISPOSITIONED,
	CORE_ST_IN_PROGRESS,
	CORE_ST_RESOLVED,
	CORE_ST_CLOSED,
	CORE_ST_REJECTED,
	CORE_ST_MERGED,
	CORE_ST_MAX
};
enum core_channel {
	CORE_CH_WEB,		/* reporter, browser or API */
	CORE_CH_SOCIAL_MEDIA,
	CORE_CH_PHONE,
	CORE_CH_LETTER,
	CORE_CH_WALK_IN,
	CORE_CH_EMAIL,
	CORE_CH_MAX
};
/* Name <-> value; the name functions return static strings (NULL for a
 * value out of range), the parse functions -1 for an unknown name. */
const char	*core_kind_name(enum core_kind);
int		 core_kind_parse(const char *);
const char	*core_visibility_name(enum core_visibility);
int		 core_visibility_parse(const char *);
const char	*core_status_name(enum core_status);
int		 core_status_parse(const char *);
const char	*core_channel_name(enum core_channel);
int		 core_channel_parse(const char *);

/* ---- Reports ---------------------------------------------------------- */

/*
 * A validated report. Strings are borrowed from `root` (kept alive by the
 * struct) and NULL when absent. identity is a borrowed JSON object holding
 * only the known identity keys with string values (possibly personal data:
 * the caller seals it at once and must not log it). sealed_identity is the
 * base64 text as sent (the caller decodes and checks its layout).
 */
struct core_report {
	json_t			*root;
	enum core_kind		 kind;
	enum core_visibility	 visibility;
	const char		*title, *body, *agency, *category;
	const char		*location, *occurred_on;
	json_t			*identity;
	const char		*sealed_identity;
	const char		*pow_challenge, *pow_nonce;
	/* staff intake only (CORE_REPORT_INTAKE) */
	enum core_channel	 channel;
	const char		*source;
};
#define CORE_REPORT_INTAKE	0x1	/* accept channel/source (staff) */
/*
 * Parses and validates a POST /reports (or, with CORE_REPORT_INTAKE,
 * POST /cases) body. Returns CORE_OK and fills *out; CORE_MALFORMED for
 * 400 cases (including unknown fields and wrong types, naming the field in
 * errs->message); CORE_INVALID with errs->field/reason for 422 (lengths,
 * enum values, id syntax, date syntax, identity and sealed_identity both
 * given, ...). Does not check that agency/category exist (the caller does,
 * with the store). On failure *out is zeroed and owns nothing.
 * pow is optional here: whether it is required depends on the configured
 * difficulty, which the caller knows. location and source given as ""
 * are treated as absent (NULL), and so is an empty identity object.
 */
CORE_WUR int	core_report_parse(const char *buf, size_t len, int flags,
		    struct core_report *out, struct core_errors *errs);
void		core_report_free(struct core_report *);

/*
 * Parses a body of the form {"<name>": string} with exactly the listed
 * fields allowed (e.g. message bodies {"body"}): generic helper for small
 * bodies. specs lists each accepted field, its min and max length in code
 * points and whether it is required. Values borrowed from *root, which the
 * caller json_decref()s. A value must pass core_text_ok (else 422
 * "invalid"); absent fields leave values[i] NULL. On failure *root is NULL.
 */
struct core_field_spec {
	const char	*name;
	size_t		 min, max;	/* code points */
	int		 required;
};
CORE_WUR int	core_fields_parse(const char *buf, size_t len,
		    const struct core_field_spec *specs, size_t nspecs,
		    json_t **root, const char **values /* nspecs */,
		    struct core_errors *errs);

/* ---- Redaction (redact.c, redact_shadow.c, redact_manual.c) ------------ */

/*
 * The automatic filter finds, on a normalised shadow of the text (Unicode
 * compatibility forms, case folded, look-alike digits of every script as
 * ASCII digits, every space one space and every dash one dash, invisible
 * format characters dropped), these kinds, each replaced by its marker:
 *
 *   email    addresses, also written out ("budi [at] x [dot] com")
 *   phone    international (+ or 00) and domestic telephone numbers
 *   nik      16-digit national ID numbers
 *   npwp     tax numbers, 15 digits (99.999.999.9-999.999) or 16
 *   account  bank and e-wallet accounts, cards, other long digit runs
 *   plate    vehicle plates ("B 1234 XYZ", "b1234xyz")
 *   url      links, bare domains (not those of offices: *.go.id)
 *   handle   social-media accounts ("@nama_akun", "IG nama_akun")
 *   name     a name the reporter gives for themselves ("nama saya X")
 *   manual   a phrase or span the central admin masked; or, from the
 *            filter, a whole text it could not settle (redact.c)
 *
 * Dates, times, amounts, percentages, case and regulation numbers, RT/RW,
 * counts and short numbers are left. docs/redaction.md has
 * the rules and what is knowingly not found.
 */
enum core_redact_kind {
	CORE_RK_EMAIL,
	CORE_RK_PHONE,
	CORE_RK_NIK,
	CORE_RK_NPWP,
	CORE_RK_ACCOUNT,
	CORE_RK_PLATE,
	CORE_RK_URL,
	CORE_RK_HANDLE,
	CORE_RK_NAME,
	CORE_RK_MANUAL,
	CORE_RK_MAX
};
/* The filter's input at most, in bytes. Its memory is about 5 bytes per
 * input byte (shadow and offset map), so the bound keeps one call under
 * 100 MiB; a text attachment (the largest input) over it is refused. */
#define CORE_REDACT_INPUT_MAX	(16u * 1024 * 1024)
/* The filter's version, stored with every redacted copy: a copy made by
 * an older filter is filtered again when read (server/case.c). */
#define CORE_REDACT_VERSION	3
/* "[telepon disamarkan]", ...; NULL for a kind out of range. */
const char	*core_redact_marker(int kind);
/* "phone", ... (the names of the kinds above); NULL out of range. */
const char	*core_redact_kind_name(int kind);

/* A mask: bytes [start, end) of the text, whole code points. */
struct core_redact_span {
	size_t	start, end;
	int	kind;		/* enum core_redact_kind */
};
/*
 * The automatic masks of text (valid UTF-8 without NUL), in order and not
 * overlapping, settled: the text with them as markers has no mask to
 * find (redact.c). *spans is malloc'd (NULL when there is none). -1 when
 * out of memory or the text, or the text with its markers, is longer
 * than CORE_REDACT_INPUT_MAX.
 */
CORE_WUR int	core_redact_find(const char *text, size_t len,
		    struct core_redact_span **spans, size_t *nspans);
/*
 * Returns a new NUL-terminated copy of text with every automatic mask
 * replaced by its marker and everything else byte for byte. NULL on
 * allocation failure (or past CORE_REDACT_INPUT_MAX); the caller free()s.
 * Invalid UTF-8 or NUL bytes in text come out as U+FFFD, so the result
 * is always valid UTF-8. The filter is idempotent: redacting its own
 * output changes nothing. Time is linear in len (at most 8 linear scans);
 * memory at most about 5 bytes per byte of the text or of the result,
 * whichever is longer, besides the result.
 */
char	*core_redact(const char *text, size_t len);

/*
 * The central admin's review (redact_manual.c): a JSON array of at most
 * CORE_REDACTIONS_MAX entries, each
 *   {"phrase": s}              mask every occurrence of s (compared on the
 *                              shadow: case, spacing, look-alikes ignored)
 *   {"start": a, "end": b}     mask bytes a..b of texts[0] as the
 *                              automatic filter shows it (markers in)
 *   {"unmask": s, "reason": r} undo every automatic mask whose original
 *                              text is s; r one of official_contact,
 *                              public_official, needed_for_followup,
 *                              not_personal
 * applied to ntexts texts (NULL ones skipped; spans count in texts[0]).
 * Every manual stretch, with any automatic mask it touches, becomes
 * "[disamarkan]". outs[i] (the caller frees them) get the results, all
 * NULL on failure. CORE_MALFORMED for a wrong shape (not an array,
 * unknown keys, wrong types); CORE_INVALID for a bad entry, with the
 * field "redactions" and a message naming the entry ("Redaction 2: ...");
 * with CORE_REVIEW_FOUND also for a phrase or unmask that occurs in none
 * of the texts ("not found"). res (may be NULL) counts what was done.
 */
#define CORE_UNMASK_VALUE_MAX	1000	/* characters: a long link */
#define CORE_REVIEW_FOUND	0x1
struct core_redact_result {
	size_t	unmasked[CORE_RK_MAX];	/* automatic masks undone, by kind */
	size_t	manual;			/* manual stretches in the outputs */
};
CORE_WUR int	core_redact_review(const char *const *texts, size_t ntexts,
		    const json_t *redactions, int flags, char **outs,
		    struct core_redact_result *res, struct core_errors *errs);
/* 1 if r is one of the reasons an automatic mask may be undone. */
int	core_unmask_reason_ok(const char *r);
/* core_redact_review of one text without CORE_REVIEW_FOUND. */
CORE_WUR int	core_redact_manual(const char *text, const json_t *redactions,
		    char **out, struct core_errors *errs);

/* ---- Calendar (working days) ------------------------------------------- */

/*
 * Working days are Monday to Friday minus the holidays, counted on the
 * calendar date in Western Indonesia Time (UTC+7), the reference zone of
 * the national deadlines. A deadline of N working days from time t ends at
 * 23:59:59 WIB of the N-th working day after t's WIB date.
 */
#define CORE_TZ_OFFSET		(7 * 3600)
#define CORE_HOLIDAYS_MAX	1024
struct core_calendar {
	int32_t		days[CORE_HOLIDAYS_MAX];	/* days since 1970-01-01, sorted */
	size_t		ndays;
};
void	core_calendar_init(struct core_calendar *);
/* Adds "YYYY-MM-DD"; -1 for a bad date or a full list. Keeps it sorted,
 * ignores duplicates. */
CORE_WUR int	core_calendar_add(struct core_calendar *, const char *date);
/* Loads a CSV whose lines are "YYYY-MM-DD,type,name" (# comments and a
 * "date,..." header allowed) from a buffer. -1 names the bad line in
 * *badline. */
CORE_WUR int	core_calendar_load_csv(struct core_calendar *, const char *buf,
		    size_t len, size_t *badline);
int	core_is_working_day(const struct core_calendar *, int32_t day);
/* days <= 0 gives the end of from's own WIB day; days above
 * CORE_WORKING_DAYS_MAX count as CORE_WORKING_DAYS_MAX. */
time_t	core_add_working_days(const struct core_calendar *, time_t from,
	    int days);
/*
 * Deadlines are counted this many days ahead at most in practice (the
 * longest default is 14 working days, a configured one up to
 * CORE_WORKING_DAYS_MAX): the holiday list must reach this far for the
 * deadlines set today to be right.
 */
#define CORE_HOLIDAY_LOOKAHEAD	90
/*
 * The first calendar year touched by the days from `today` to `today +
 * days` (inclusive, days since 1970-01-01) for which the calendar holds no
 * holiday at all, or 0 when every such year has one. A year without any
 * holiday means its list was never loaded: no Indonesian year is without
 * national holidays, so deadlines in it would silently count them as
 * working days.
 */
int	core_calendar_missing_year(const struct core_calendar *, int32_t today,
	    int days);
/* The calendar year of a day number. */
int	core_day_year(int32_t day);
/* Parses "YYYY-MM-DD" to days since epoch; -1 if invalid. */
CORE_WUR int	core_date_parse(const char *, int32_t *day);
/* Formats days since epoch as "YYYY-MM-DD" (years 0..9999). */
void	core_date_format(int32_t day, char out[11]);

/* ---- Case references -------------------------------------------------- */

/* "BSK-YYYY-NNNNNN" (at least 6 digits) from a year and a sequence; a
 * year in 2000..9999 and seq in 1..10^19-1 give a reference that
 * core_case_ref_parse accepts. */
#define CORE_CASE_REF_MAX	32
void	core_case_ref(int year, uint64_t seq, char out[CORE_CASE_REF_MAX]);
/* Parses a reference in exactly the form core_case_ref writes (no extra
 * leading zeros, upper case); -1 if malformed. */
CORE_WUR int	core_case_ref_parse(const char *, int *year, uint64_t *seq);

/* "YYYY-MM-DDTHH:MM:SSZ" in UTC; out holds 21 bytes. */
/* len bytes as 2·len lower-case hex digits and a NUL (hex.c). */
void	core_hex_encode(const uint8_t *, size_t len, char *out);
/* Exactly 2·len lower-case hex digits into out: 0, else -1 (out may be
 * partly written). */
CORE_WUR int	core_hex_decode(const char *, uint8_t *out, size_t len);
void	core_time_iso(time_t, char out[21]);
/* The same instant as people read it here: "YYYY-MM-DD HH:MM WIB" (UTC+7,
 * the zone of the deadlines); "?" for a year outside 0000-9999. */
#define CORE_TIME_WIB_TEXT	21
void	core_time_wib(time_t, char out[CORE_TIME_WIB_TEXT]);
/* The inverse, exactly that form (no leap second, no other zone); -1 if
 * malformed. */
CORE_WUR int	core_time_iso_parse(const char *, time_t *);

/* ---- Workflow (workflow.c) ------------------------------------------- */

enum core_action {
	CORE_ACT_DISPOSE,
	CORE_ACT_REJECT,
	CORE_ACT_MERGE,
	CORE_ACT_ACCEPT,
	CORE_ACT_RETURN,
	CORE_ACT_RESPOND,
	CORE_ACT_RESOLVE,
	CORE_ACT_CONFIRM,
	CORE_ACT_REOPEN,
	CORE_ACT_CLOSE,
	CORE_ACT_PUBLISH,
	CORE_ACT_MAX
};
enum core_role {
	CORE_ROLE_CENTRAL_ADMIN,
	CORE_ROLE_AGENCY_ADMIN,
	CORE_ROLE_LIAISON,
	CORE_ROLE_AUDITOR,
	CORE_ROLE_REPORTER,
	CORE_ROLE_SYSTEM,
	CORE_ROLE_MAX
};
enum core_wf {
	CORE_WF_OK = 0,
	CORE_WF_FORBIDDEN,	/* 403: this role may never take this action */
	CORE_WF_CONFLICT,	/* 409: allowed role, not in this state */
	CORE_WF_MAX
};
/* The one place transitions are decided: (from, action, role) -> *to.
 * *to is written only on CORE_WF_OK. */
CORE_WUR int	core_workflow_next(enum core_status from,
		    enum core_action action, enum core_role role,
		    enum core_status *to);
const char	*core_action_name(enum core_action);
int		 core_action_parse(const char *);
const char	*core_role_name(enum core_role);
int		 core_role_parse(const char *);

/* ---- Duplicates (minhash.c) ------------------------------------------- */

/*
 * MinHash signatures of character shingles and banded LSH (see minhash.c
 * for the numbers): CORE_MINHASH_K values of 32 bits. Signatures depend
 * only on the text: equal normalised texts give equal signatures on
 * every machine.
 */
#define CORE_MINHASH_K		128	/* hash functions per signature */
#define CORE_LSH_BANDS		16	/* bands x rows == CORE_MINHASH_K */
#define CORE_LSH_ROWS		8
/* Shingles are 4 characters (code points) of the normalised text,
 * spaces included, so that they span word boundaries: a typo then costs
 * 4 shingles of a few hundred, not 2 of a few dozen (bench/dedup
 * compares word shingles). */
#define CORE_SHINGLE_CHARS	4
#define CORE_SHINGLE_MAX	8	/* largest shingle the _words/_chars forms take */
/* Similarity from which a case is listed as a likely duplicate
 * (docs/openapi.yaml, GET /cases/{case}: "duplicates"). */
#define CORE_DUPLICATE_MIN	0.9
/* The text as compared: Unicode NFKC, case folded, diacritics removed,
 * every run of characters that are neither letters nor digits one space,
 * no space at either end. NULL for invalid UTF-8, a NUL byte or no
 * memory; the caller wipes and free()s it (it is report text). */
char	*core_text_normalize(const char *text, size_t len);
/* The signature of the k-character (code point) or k-word shingles of
 * normalised text; a text shorter than k is one shingle. -1 if it is
 * empty (or k is 0 or above CORE_SHINGLE_MAX). */
CORE_WUR int	core_minhash_chars(const char *norm, size_t k,
		    uint32_t sig[CORE_MINHASH_K]);
CORE_WUR int	core_minhash_words(const char *norm, size_t k,
		    uint32_t sig[CORE_MINHASH_K]);
/* Normalises text and signs its CORE_SHINGLE_CHARS shingles; -1 as
 * above. */
CORE_WUR int	core_minhash(const char *text, size_t len,
		    uint32_t sig[CORE_MINHASH_K]);
/* One 64-bit value per band of CORE_LSH_ROWS rows; two signatures are
 * candidates when any band value is equal. _n: other layouts (bench). */
void	core_lsh_bands(const uint32_t sig[CORE_MINHASH_K],
	    uint64_t bands[CORE_LSH_BANDS]);
void	core_lsh_bands_n(const uint32_t sig[CORE_MINHASH_K], size_t bands,
	    size_t rows, uint64_t *out);
/* Share of equal positions: the estimated Jaccard similarity, 0..1. */
double	core_minhash_similarity(const uint32_t a[CORE_MINHASH_K],
	    const uint32_t b[CORE_MINHASH_K]);

/* ---- Statistics (stats.c) ---------------------------------------------- */

/* The four deadlines of a case (docs/design.md, "Case lifecycle"). */
enum core_stage {
	CORE_STAGE_DISPOSE,	/* dispose_due, met by a disposition or rejection */
	CORE_STAGE_ACCEPT,	/* accept_due, met by acceptance */
	CORE_STAGE_RESPOND,	/* respond_due, met by the first public answer */
	CORE_STAGE_RESOLVE,	/* resolve_due, met by the resolution */
	CORE_STAGE_MAX
};
const char	*core_stage_name(enum core_stage);

/* What the statistics read from one case record; times are Unix seconds,
 * -1 when absent. missed[s] is the due time of stage s that the server's
 * deadline watch saw pass while the stage was pending. */
struct core_case_facts {
	int		status;		/* enum core_status, -1 unknown */
	int64_t		created_at, disposed_at, accepted_at, responded_at,
			resolved_at, rejected_at;
	int64_t		due[CORE_STAGE_MAX];
	int64_t		missed[CORE_STAGE_MAX];
	int		rating;		/* 1..5, 0 none */
};
void	core_case_facts_init(struct core_case_facts *);

/* What a case counts as; each item is one counter increment. */
enum core_stat {
	CORE_STAT_STATUS,	/* arg: enum core_status */
	CORE_STAT_MET,		/* arg: stage; done by its deadline */
	CORE_STAT_LATE,		/* arg: stage; done late, or pending and past */
	CORE_STAT_DAYS_DISPOSE,	/* arg: whole days submission -> disposition */
	CORE_STAT_DAYS_RESOLVE,	/* arg: whole days submission -> resolution */
	CORE_STAT_RATING,	/* arg: 1..5 */
	CORE_STAT_OVERDUE,	/* arg 0: open with a deadline past */
	CORE_STAT_MAX
};
/* Durations are counted in whole days up to this (a longer one counts
 * as this many): medians stay exact below it at 1000 counters a cell. */
#define CORE_STAT_DAYS_CAP	999
#define CORE_STAT_ITEMS_MAX	16
struct core_stat_item {
	uint8_t		stat;		/* enum core_stat */
	uint16_t	arg;
};
/* The items a case counts as (a merged case: only STATUS merged). */
size_t	core_stat_items(const struct core_case_facts *,
	    struct core_stat_item out[CORE_STAT_ITEMS_MAX]);
/* The stages whose deadline is pending and not yet seen to pass. */
size_t	core_stat_watch(const struct core_case_facts *,
	    int stages[CORE_STAGE_MAX]);

/* Months are numbered year * 12 + (month - 1), in Western Indonesia
 * Time like the deadlines. Periods: "YYYY", "YYYY-MM" or "YYYY-Qn"
 * (years CORE_PERIOD_YEAR_MIN..MAX), as first and last month; -1 if
 * malformed. */
#define CORE_PERIOD_YEAR_MIN	2000
#define CORE_PERIOD_YEAR_MAX	9999
CORE_WUR int	core_period_parse(const char *, int32_t *first, int32_t *last);
int32_t	core_month_of(time_t);
/* 00:00 WIB of the month's first day; (time_t)-1 if out of range. */
time_t	core_month_start(int32_t month);
void	core_month_format(int32_t month, char out[8]);	/* "YYYY-MM" */
/* The median of a histogram (counts[i] values equal to i); the mean of
 * the two middle values for an even count; -1 if empty. */
double	core_hist_median(const uint64_t *counts, size_t n);

/*
 * Small-cell suppression. Every cell whose value is below threshold is
 * suppressed; then, while some relation "total = sum of parts" has
 * exactly one suppressed member (which subtraction would give back), the
 * smallest part still shown is suppressed too (the total if no part is
 * shown). rel lists the relations as total, number of parts, parts...,
 * one after the other (cell indices). suppressed gets 1 or 0 per cell.
 */
void	core_suppress(const uint64_t *values, size_t ncells,
	    const size_t *rel, size_t rellen, uint64_t threshold,
	    uint8_t *suppressed);

#endif
