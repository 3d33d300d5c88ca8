/*
 * pages.h: private header of bisikd's web pages (pages_*.c, html.c,
 * i18n_*.c). Only routes.c (the route table and its HTML refusals) and the
 * server's unit tests include it besides those files.
 *
 * The pages are a second client of the API living inside the server: a
 * page turns a form into the JSON body an API handler takes, calls that
 * handler (api_*.c) with the reporter's token or the staff member's
 * session, and renders the JSON answer as HTML. No rule of the service is
 * written twice: validation, workflow, scope and sealing are the API's.
 * What is the pages' own: forms (pages_form.c), escaping (html.c, the one
 * place), languages (i18n_*.c), the staff cookie and its CSRF token, and
 * the submission form's waiting-time challenge for browsers without
 * JavaScript (pages_lapor.c).
 */
#ifndef BISIK_PAGES_H
#define BISIK_PAGES_H

#include "server/api.h"

/* ---- Limits ---------------------------------------------------------- */

/* One page at most: a case view with 1000 timeline entries of a few
 * hundred bytes and a 20,000-character body stays far below it. */
#define PAGE_HTML_MAX		(8 * 1024 * 1024)
/* Fields of one form: the submission form has about 20, a staff action
 * form with evidence check boxes up to SRV_RESOLVE_ATTACH_MAX more. */
#define FORM_FIELDS_MAX		64
#define FORM_NAME_MAX		32
/* The form's language parameter and Accept-Language: only "id" and
 * "en" are spoken; the header is read up to this many bytes. */
#define PAGE_ACCEPT_LANG_MAX	256

/* ---- Escaping and the page buffer (html.c) ----------------------------- */

struct html {
	struct core_buf	 b;	/* b.fail: past max or out of memory */
	/* The text of a catalogue key in a language, for TR(): handed in by
	 * the pages (page_common_init), so that html.c knows no catalogue; NULL
	 * writes nothing. */
	const char	*(*word)(int lang, int key);
	int		 lang;
};
void	html_init(struct html *, size_t max);
void	html_words(struct html *, const char *(*word)(int lang, int key),
	    int lang);
void	html_free(struct html *);	/* wipes */
/* The bytes (NUL-terminated, malloc'd) and their length; h is empty. */
char	*html_take(struct html *, size_t *len);
void	html_raw(struct html *, const char *trusted_markup);
void	html_text(struct html *, const char *);
void	html_attr(struct html *, const char *);
void	html_url(struct html *, const char *);
void	html_int(struct html *, long long);

/*
 * Typed pieces of markup, written in order by HTML():
 *	HTML(h, LIT("<a href=\"/x/"), URL(id), LIT("\">"), TXT(name),
 *	    LIT("</a> "), INT(n), TR(M_NEXT_PAGE));
 * Each constructor takes one C type, so an argument of the wrong type does
 * not compile and no format can disagree with its arguments:
 *	LIT(s)	a string literal (only), trusted markup
 *	TXT(s)	const char *, escaped as text (NULL: nothing)
 *	ATTR(s)	const char *, escaped as a (double-quoted) attribute value
 *	URL(s)	const char *, percent-encoded as a URL component
 *	INT(n)	long long, in decimal
 *	TR(k)	int, a catalogue key: its text (html_words), escaped
 *	RAW(s)	const char *, trusted markup (page_common_lq, a chosen attribute)
 */
enum html_kind {
	HTML_END,
	HTML_LIT,
	HTML_TXT,
	HTML_ATTR,
	HTML_URL,
	HTML_INT,
	HTML_TR,
	HTML_RAW,
	HTML_KIND_MAX
};
struct html_piece {
	enum html_kind	 kind;
	const char	*s;
	long long	 n;
};
static inline const char *
html_str_(const char *s)
{
	return s;
}
static inline long long
html_num_(long long n)
{
	return n;
}
static inline int
html_key_(int key)
{
	return key;
}
#define LIT(s)	{ HTML_LIT, "" s "", 0 }
#define TXT(s)	{ HTML_TXT, html_str_(s), 0 }
#define ATTR(s)	{ HTML_ATTR, html_str_(s), 0 }
#define URL(s)	{ HTML_URL, html_str_(s), 0 }
#define INT(n)	{ HTML_INT, NULL, html_num_(n) }
#define TR(k)	{ HTML_TR, NULL, html_key_(k) }
#define RAW(s)	{ HTML_RAW, html_str_(s), 0 }
#define HTML(h, ...)	html_pieces((h), (const struct html_piece[]){ \
	__VA_ARGS__, { HTML_END, NULL, 0 } })
/* Writes pieces up to the HTML_END one (see HTML()). */
void	html_pieces(struct html *, const struct html_piece *);

/* ---- Languages (i18n_id.c, i18n_en.c) ---------------------------------- */

enum lang {
	LANG_ID,	/* Bahasa Indonesia, the default */
	LANG_EN,
	LANG_MAX
};
/* Catalogue keys: every string a page shows. Each language's catalogue
 * (i18n_id.c, i18n_en.c) gives every key; a unit test checks it. The
 * M_ACT_* keys follow enum core_action and M_RATE_1..5 the ratings. */
enum msg {
	M_ATTACHMENTS,
	M_BACK_HOME,
	M_BY,
	M_DOWNLOAD,
	M_DUE,
	M_ERR_400,
	M_ERR_401,
	M_ERR_403,
	M_ERR_404,
	M_ERR_405,
	M_ERR_413,
	M_ERR_415,
	M_ERR_429,
	M_ERR_503,
	M_ERR_507,
	M_ERR_TITLE,
	M_ESCROW_FP_CHECK,
	M_ESCROW_FP_LABEL,
	M_EV_ATTACHMENT,
	M_EV_MESSAGE,
	M_EV_NOTE,
	M_EV_PUBLISHED,
	M_EV_RESPOND,
	M_EV_STATUS,
	M_EV_TOKEN_ROTATED,
	M_E_ATTACHMENT_LIMIT,
	M_E_TOO_MANY_PHOTOS,
	M_E_CASE_CLOSED,
	M_E_CONFLICT,
	M_E_FORBIDDEN,
	M_E_IDENTITY_UNAVAILABLE,
	M_E_IMAGE_TOO_LARGE,
	M_E_INVALID,
	M_E_INVALID_IMAGE,
	M_E_IMAGE_UNPROCESSABLE,
	M_E_MALFORMED,
	M_E_NOT_FOUND,
	M_E_NO_ENROLLMENT,
	M_E_STORAGE_FULL,
	M_E_TOO_LARGE,
	M_E_TOO_SOON,
	M_E_TOTP_ENROLLED,
	M_E_TOTP_ENROLMENT_REQUIRED,
	M_E_TOTP_REQUIRED,
	M_E_UNAUTHORIZED,
	M_E_UNSUPPORTED_TYPE,
	M_FOOT,
	M_FROM,
	M_FROM_STAFF,
	M_FROM_YOU,
	M_F_ACTION,
	M_F_AGENCY,
	M_F_ATTACHMENTS,
	M_F_BODY,
	M_F_CATEGORY,
	M_F_CODE,
	M_F_COMMENT,
	M_F_FILE,
	M_F_FILE_ONE,
	M_F_IDENTITY,
	M_F_ID_ADDRESS,
	M_F_ID_EMAIL,
	M_F_ID_NAME,
	M_F_ID_NIK,
	M_F_ID_PHONE,
	M_F_INTO,
	M_F_KIND,
	M_F_LIAISON,
	M_F_LOCATION,
	M_F_NOTE,
	M_F_OCCURRED_ON,
	M_F_PASSWORD,
	M_F_POW,
	M_F_RATING,
	M_F_REASON,
	M_F_REDACTIONS,
	M_F_RESOLUTION,
	M_F_TITLE,
	M_F_VISIBILITY,
	M_HOME_CTA_LAPOR,
	M_HOME_CTA_PANTAU,
	M_HOME_HOW_1,
	M_HOME_HOW_2,
	M_HOME_HOW_3,
	M_HOME_HOW_4,
	M_HOME_HOW_H,
	M_HOME_LEAD,
	M_HOME_SAFE_1,
	M_HOME_SAFE_2,
	M_HOME_SAFE_3,
	M_HOME_SAFE_H,
	M_HOME_SECRET_1,
	M_HOME_SECRET_2,
	M_HOME_SECRET_3,
	M_HOME_SECRET_4,
	M_HOME_SECRET_5,
	M_HOME_SECRET_H,
	M_HOME_TITLE,
	M_INTERNAL,
	M_KIND_ASPIRATION,
	M_KIND_COMPLAINT,
	M_KIND_INFORMATION_REQUEST,
	M_LANG_OTHER,
	M_LAPOR_AGENCY_HELP,
	M_LAPOR_BODY_HELP,
	M_LAPOR_FILE_HELP,
	M_LAPOR_ID_ANON,
	M_LAPOR_ID_TOLD,
	M_LAPOR_ID_UNAVAILABLE,
	M_LAPOR_ID_WHO,
	M_LAPOR_INTRO,
	M_LAPOR_SUBMIT,
	M_LAPOR_TITLE,
	M_LAPOR_TITLE_HELP,
	M_LAPOR_VIS_HELP,
	M_LAPOR_WAIT,
	M_LAPOR_WHAT,
	M_LEVEL_KABUPATEN,
	M_LEVEL_KEMENTERIAN,
	M_LEVEL_KOTA,
	M_LEVEL_LEMBAGA,
	M_LEVEL_OTHER,
	M_LEVEL_PROVINSI,
	M_NAV_LAPOR,
	M_NAV_MAIN,
	M_NAV_PANTAU,
	M_NAV_PUBLIK,
	M_NAV_STAF,
	M_NAV_STATISTIK,
	M_NEXT_PAGE,
	M_NOT_YET,
	M_NO_DATA,
	M_OPT_NONE,
	M_OVERDUE,
	M_PANTAU_ATTACHED,
	M_PANTAU_CASE,
	M_PANTAU_DISCLOSED,
	M_PANTAU_DISCLOSED_H,
	M_PANTAU_EVIDENCE_H,
	M_PANTAU_INTRO,
	M_PANTAU_MERGED,
	M_PANTAU_MESSAGES,
	M_PANTAU_NEWTOKEN,
	M_PANTAU_NEWTOKEN_WARN,
	M_PANTAU_NO_MESSAGES,
	M_PANTAU_OPEN,
	M_PANTAU_RATED,
	M_PANTAU_RATE_H,
	M_PANTAU_RATE_INTRO,
	M_PANTAU_RATE_SEND,
	M_PANTAU_REOPENED,
	M_PANTAU_REOPEN_H,
	M_PANTAU_REOPEN_INTRO,
	M_PANTAU_REOPEN_SEND,
	M_PANTAU_REPLY,
	M_PANTAU_REPLY_H,
	M_PANTAU_ROTATE_H,
	M_PANTAU_ROTATE_INTRO,
	M_PANTAU_ROTATE_SEND,
	M_PANTAU_SENT,
	M_PANTAU_TIMELINE,
	M_PANTAU_TITLE,
	M_PANTAU_TOKEN,
	M_PANTAU_TOKEN_HELP,
	M_POW_DONE,
	M_POW_WORKING,
	M_PUBLIK_INTRO,
	M_PUBLIK_SEARCH,
	M_PUBLIK_SEARCH_SEND,
	M_PUBLIK_TITLE,
	M_RCPT_ATTACH_FAILED,
	M_RCPT_CASE,
	M_RCPT_DOWNLOAD,
	M_RCPT_FOLLOW,
	M_RCPT_NEXT,
	M_RCPT_NEXT_H,
	M_RCPT_PROOF,
	M_RCPT_PROOF_H,
	M_RCPT_TITLE,
	M_RCPT_TOKEN,
	M_RCPT_WARN,
	M_RCPT_WARN_H,
	M_RJ_INCOMPLETE,
	M_RJ_NOT_A_COMPLAINT,
	M_RJ_NOT_OUR_AUTHORITY,
	M_ROLE_AGENCY_ADMIN,
	M_ROLE_AUDITOR,
	M_ROLE_CENTRAL_ADMIN,
	M_ROLE_LIAISON,
	M_ROLE_REPORTER,
	M_ROLE_SYSTEM,
	M_R_ALREADY_USED,
	M_R_EXPIRED,
	M_R_INVALID,
	M_R_OUT_OF_RANGE,
	M_R_REQUIRED,
	M_R_TOO_LONG,
	M_R_TOO_SHORT,
	M_R_TOO_SOON,
	M_R_UNKNOWN,
	M_R_WRONG,
	M_SEND,
	M_SIZE,
	M_SKIP,
	M_STAF_ACTIONS,
	M_STAF_ADMIN_OFFLINE,
	M_STAF_AGENCIES,
	M_STAF_ALL,
	M_STAF_AUDITOR,
	M_STAF_BYTES,
	M_STAF_DISCLOSE,
	M_STAF_DONE,
	M_STAF_EMPTY,
	M_STAF_EXPIRES,
	M_STAF_IDENTITY_NONE,
	M_STAF_IDENTITY_ON_FILE,
	M_STAF_INTERNAL_NOTE,
	M_STAF_LAST_SEEN,
	M_STAF_LEVEL,
	M_STAF_LOGIN,
	M_STAF_LOGIN_SEND,
	M_STAF_LOGOUT,
	M_STAF_MESSAGE,
	M_STAF_MESSAGE_H,
	M_STAF_NAME,
	M_STAF_NAV,
	M_STAF_NEW,
	M_STAF_ONLY_OVERDUE,
	M_STAF_ORIGINAL,
	M_STAF_ORIGINAL_FILE,
	M_STAF_PARENT,
	M_STAF_PHRASES,
	M_STAF_PHRASES_HELP,
	M_STAF_QUEUE,
	M_STAF_QUEUE_CAPTION,
	M_STAF_RECOVERY,
	M_STAF_RECOVERY_H,
	M_STAF_REDACTED,
	M_STAF_REVIEW,
	M_STAF_REVOKE,
	M_STAF_SEARCH,
	M_STAF_SESSIONS,
	M_STAF_SESSIONS_INTRO,
	M_STAF_SIGNED_IN,
	M_STAF_SOURCE,
	M_STAF_SPANS,
	M_STAF_SPANS_HELP,
	M_STAF_THIS_SESSION,
	M_STAF_TOTP,
	M_STAF_TOTP_CONFIRM,
	M_STAF_TOTP_HELP,
	M_STAF_TOTP_INTRO,
	M_STAF_TOTP_SCAN,
	M_STAF_TOTP_SECRET,
	M_STAF_TOTP_SETUP,
	M_STAF_TOTP_START,
	M_STAF_USERNAME,
	M_STATUS,
	M_STAT_AUDIT,
	M_STAT_AUDIT_H,
	M_STAT_AUDIT_HASH,
	M_STAT_AUDIT_NONE,
	M_STAT_AUDIT_SEQ,
	M_STAT_INTRO,
	M_STAT_MEDIAN,
	M_STAT_ONTIME,
	M_STAT_RECEIVED,
	M_STAT_RESOLVED,
	M_STAT_TABLE,
	M_STAT_TITLE,
	M_STAT_VOLUME,
	M_ST_CLOSED,
	M_ST_DISPOSITIONED,
	M_ST_IN_PROGRESS,
	M_ST_MERGED,
	M_ST_REJECTED,
	M_ST_RESOLVED,
	M_ST_SUBMITTED,
	M_SUBMITTED_AT,
	M_UPLOAD,
	M_VIS_CONFIDENTIAL,
	M_VIS_CONFIDENTIAL_LONG,
	M_VIS_PUBLIC,
	M_VIS_PUBLIC_LONG,
	M_PUBLIK_EVIDENCE,
	M_STAF_DISCLOSURES,
	M_STAF_IDENTITY,
	M_STAF_REQUEST,
	M_STAF_APPROVALS,
	M_STAF_LEGAL_BASIS,
	M_ACT_DISPOSE,
	M_ACT_REJECT,
	M_ACT_MERGE,
	M_ACT_ACCEPT,
	M_ACT_RETURN,
	M_ACT_RESPOND,
	M_ACT_RESOLVE,
	M_ACT_CONFIRM,
	M_ACT_REOPEN,
	M_ACT_CLOSE,
	M_ACT_PUBLISH,
	M_RATE_1,
	M_RATE_2,
	M_RATE_3,
	M_RATE_4,
	M_RATE_5,
	/* the central admin's redaction review (pages_staf.c) */
	M_STAF_REVIEW_HELP,
	M_STAF_MASK_SELECTION,
	M_STAF_UNMASK,
	M_STAF_UNMASK_HELP,
	M_STAF_UNMASK_REASON,
	M_UM_OFFICIAL_CONTACT,
	M_UM_PUBLIC_OFFICIAL,
	M_UM_NEEDED_FOR_FOLLOWUP,
	M_UM_NOT_PERSONAL,
	M_STAF_PREVIEW,
	M_STAF_PREVIEW_AGENCY,
	M_STAF_PREVIEW_PUBLIC,
	M_RK_EMAIL,
	M_RK_PHONE,
	M_RK_NIK,
	M_RK_NPWP,
	M_RK_ACCOUNT,
	M_RK_PLATE,
	M_RK_URL,
	M_RK_HANDLE,
	M_RK_NAME,
	M_R_NOT_FOUND,
	/* The reporter's and public pages (issue 16). */
	M_ERR_401_STAFF,
	M_ERR_401_TOKEN,
	M_E_LOGIN,
	M_E_SESSION,
	M_E_TOKEN,
	M_E_COUNT,
	M_E_ALREADY_SENT_H,
	M_E_ALREADY_SENT,
	M_HOME_SECRET_2K,
	M_HOME_SECRET_2_NONE,
	M_HOME_SECRET_6,
	M_LAPOR_KIND_HELP,
	M_LAPOR_TIME_H,
	M_LAPOR_TIME,
	M_LAPOR_AGENCY_FILTER,
	M_LAPOR_AGENCY_FILTER_HELP,
	M_LAPOR_CATEGORY_HELP,
	M_LEVEL_CENTRAL,
	M_PANTAU_FILE_HELP,
	M_PANTAU_PHOTOS_H,
	M_PANTAU_PHOTO_ALT,
	M_PANTAU_PHOTO_STAFF,
	M_PANTAU_PHOTO_YOURS,
	M_PANTAU_FACTS_H,
	M_PANTAU_RESOLUTION_H,
	M_FACT_IDENTITY,
	M_FACT_IDENTITY_SEALED,
	M_FACT_IDENTITY_NONE,
	M_FACT_RATING,
	M_FACT_RESOLVED_AT,
	M_FACT_CLOSED_AT,
	M_FACT_NOT_GIVEN,
	M_FACT_LOCATION,
	M_FACT_OCCURRED_ON,
	M_EV_RETURNED,
	M_EV_AUTOMATIC,
	M_NEXT_H,
	M_NEXT_WHO,
	M_NEXT_WHO_CENTRAL,
	M_NEXT_WHO_AGENCY,
	M_NEXT_WHO_LIAISON,
	M_NEXT_WHO_YOU,
	M_NEXT_SUBMITTED,
	M_NEXT_DISPOSITIONED,
	M_NEXT_IN_PROGRESS,
	M_NEXT_RESPOND,
	M_NEXT_RESOLVED,
	M_NEXT_AUTOCLOSE,
	M_NEXT_CLOSED,
	M_NEXT_CLOSED_AUTO,
	M_NEXT_REJECTED,
	M_NEXT_MERGED,
	M_NEXT_DAYS_LEFT,
	M_NEXT_DAYS_LEFT_1,
	M_NEXT_TODAY,
	M_NEXT_LATE,
	M_NEXT_LATE_1,
	M_DUE_EXPLAIN,
	M_RCPT_PRINT,
	M_RCPT_PRINT_H,
	M_RCPT_PRINT_HELP,
	M_RCPT_PRINT_BUTTON,
	M_RCPT_PRINT_HOW,
	M_RCPT_PROOF_READ,
	M_RCPT_BACK,
	M_RCPT_FP_H,
	M_RCPT_FP,
	M_RCPT_FP_NONE,
	M_BUKTI_TITLE,
	M_BUKTI_INTRO,
	M_BUKTI_AT,
	M_BUKTI_HASH,
	M_BUKTI_IDHASH,
	M_BUKTI_AUDIT,
	M_BUKTI_SIG,
	M_BUKTI_KEY,
	M_BUKTI_VERIFY,
	M_BUKTI_VALID,
	M_STAT_SMALL,
	M_STAT_SMALL_WHY,
	M_STAT_NONE_DUE,
	M_STAT_NONE_DUE_WHY,
	M_STAT_TOTAL,
	M_STAT_UNASSIGNED,
	M_STAT_PERIOD,
	M_STAT_PERIOD_ALL,
	M_STAT_PERIOD_SEND,
	M_STAT_CATEGORIES,
	M_STAT_TABLE_CAT,
	M_STAT_SATISFACTION,
	M_STAT_SATISFACTION_WHY,
	M_PUBLIK_CATEGORY,
	M_PUBLIK_ALL,
	M_PUBLIK_NONE,
	M_PUBLIK_NONE_Q,
	M_PUBLIK_FEED,
	M_PUBLIK_RESOLVED,
	M_PUBLIK_PUBLISHED,
	M_MON_1,
	M_MON_2,
	M_MON_3,
	M_MON_4,
	M_MON_5,
	M_MON_6,
	M_MON_7,
	M_MON_8,
	M_MON_9,
	M_MON_10,
	M_MON_11,
	M_MON_12,
	M_WDAY_0,
	M_WDAY_1,
	M_WDAY_2,
	M_WDAY_3,
	M_WDAY_4,
	M_WDAY_5,
	M_WDAY_6,
	/* The staff pages (issue 16). */
	M_STAF_HOLIDAYS_H,
	M_STAF_HOLIDAYS,
	M_F_CHANNEL,
	M_CH_WEB,
	M_CH_SOCIAL_MEDIA,
	M_CH_PHONE,
	M_CH_LETTER,
	M_CH_WALK_IN,
	M_CH_EMAIL,
	M_Q_FILTERS,
	M_Q_FROM,
	M_Q_TO,
	M_Q_ANY,
	M_Q_APPLY,
	M_Q_CLEAR,
	M_Q_PREV,
	M_Q_PAGES,
	M_Q_TOTAL,
	M_Q_SHOWING,
	M_Q_FILTERED,
	M_Q_SELECT,
	M_Q_SELECT_ALL,
	M_Q_BULK_H,
	M_Q_BULK_FORWARD_HELP,
	M_Q_BULK_ASSIGN_HELP,
	M_Q_BULK_FORWARD,
	M_Q_BULK_ASSIGN,
	M_Q_BULK_RESULT_H,
	M_Q_BULK_RESULT,
	M_Q_BULK_OK,
	M_Q_BULK_FAIL,
	M_Q_BULK_SUMMARY,
	M_Q_BULK_NONE,
	M_Q_BULK_TOO_MANY,
	M_Q_BULK_NOW,
	M_Q_BACK,
	M_STAF_DUPS_H,
	M_STAF_DUPS_HELP,
	M_STAF_DUPS_NONE,
	M_STAF_DUPS_CAPPED,
	M_STAF_SIMILARITY,
	M_STAF_MERGE_TO,
	M_STAF_CONFIRM_H,
	M_STAF_CONFIRM_REJECT,
	M_STAF_CONFIRM_YES_REJECT,
	M_STAF_CANCEL,
	M_STAF_REJECT_HELP,
	M_STAF_REJECT_NEXT,
	M_STAF_TOOLS_H,
	M_STAF_EXPORT,
	M_STAF_EXPORT_HELP,
	M_STAF_HOLD_ON,
	M_STAF_HOLD_OFF,
	M_STAF_HOLD_SET,
	M_STAF_HOLD_RELEASE,
	M_STAF_FROM_REPORTER,
	M_STAF_FROM_STAFF,
	M_STAF_PHOTO_ALT,
	M_STAF_PREVIEWS_H,
	M_STAF_PREVIEWS_HELP,
	M_F_PHOTOS,
	M_STAF_PHOTOS_HELP,
	M_STAF_EVIDENCE_PICK,
	M_STAF_LIAISON_NONE,
	M_STAF_LIAISON_PICK,
	M_STAF_AGENCY_PICK,
	M_STAF_INTAKE,
	M_STAF_INTAKE_H,
	M_STAF_INTAKE_INTRO,
	M_F_SOURCE,
	M_STAF_SOURCE_HELP,
	M_STAF_CONTACT_H,
	M_STAF_INTAKE_SEND,
	M_STAF_INTAKE_DONE_H,
	M_STAF_INTAKE_TOKEN,
	M_STAF_OPEN_CASE,
	M_STAF_PERIODIC,
	M_STAF_PERIODIC_INTRO,
	M_STAF_PERIODIC_SEND,
	M_MAX
};
extern const char *const i18n_id[M_MAX];
extern const char *const i18n_en[M_MAX];
/* "id" / "en" to enum lang; -1 otherwise. */
int	page_common_lang_parse(const char *);
/* The better of id and en in an Accept-Language value; default id. */
int	page_common_accept_language(const char *);

/* ---- Forms (pages_form.c) ---------------------------------------------- */

struct form_field {
	char	 name[FORM_NAME_MAX + 1];
	char	*value;		/* NUL-terminated (files may hold NULs) */
	size_t	 len, cap;
	int	 file;		/* a file input */
	char	 fname[SRV_ATTACH_NAME_BYTES];	/* srv_attach_name_clean */
};
struct form {
	struct form_field	f[FORM_FIELDS_MAX];
	size_t			n;
	size_t			files;	/* files chosen (not empty) */
	int			bad, too_large;
};
/* Parses the request body (SRV_BODY_FORM); text values up to text_max
 * bytes, files up to max_attachment_bytes each. -1: bad (400) or
 * too_large (413) is set. Free with page_form_free (wipes) either way. */
SRV_WUR int	page_form_parse(const struct srv_request *, const struct srv_config *,
		    size_t text_max, struct form *);
/* The first text value of a name: NULL if absent (page_form_get) or absent or
 * empty (page_form_text). Borrowed from the form. */
const char	*page_form_get(const struct form *, const char *name);
const char	*page_form_text(const struct form *, const char *name);
/* The file of a name, NULL if none was chosen (empty). */
const struct form_field	*page_form_file(const struct form *, const char *name);
/* The next file of a name after *i (start at 0), for a multiple input;
 * NULL after the last. */
const struct form_field	*page_form_file_next(const struct form *,
			    const char *name, size_t *i);
void	page_form_free(struct form *);

/* ---- The page frame and helpers (pages_common.c) ------------------------ */

enum nav {
	NAV_NONE,
	NAV_HOME,
	NAV_LAPOR,
	NAV_PANTAU,
	NAV_PUBLIK,
	NAV_STATISTIK,
	NAV_STAF,
	NAV_MAX
};

/* CSRF token text: 32 bytes in hex. */
#define PAGE_CSRF_TEXT	(2 * CRYPTO_HASH_BYTES + 1)
/* Fields a page that answers a POST posts again when its language is
 * switched (the receipt has nine). */
#define PAGE_SWITCH_MAX	10
/* Query parameters a GET page's language link keeps: the staff queue's
 * filters and position are the most, fourteen. */
#define PAGE_QUERY_KEEP_MAX	16

struct page {
	struct srv_ctx			*ctx;
	const struct srv_request	*rq;
	struct srv_reply		*rp;
	int				 lang;
	int				 lang_given;	/* carry ?lang= on */
	struct html			 h;
	struct form			 form;
	/* staff pages */
	const char			*session;	/* cookie value */
	char				 csrf[PAGE_CSRF_TEXT];
	int				 limited;	/* enrol-only */
	/*
	 * A page that answers a POST (the receipt, the follow-up view):
	 * its language switch is a small form posting switch_name/value
	 * again to switch_action, so the token stays in a body and the
	 * page keeps its content; with JavaScript its history entry
	 * becomes a GET of get_path (page_common_switch), so that Back and
	 * Forward never land on a dead POST. A page whose form holds what
	 * a person typed (the report) names that form in switch_form: the
	 * switch submits it to switch_action, which shows it again filled
	 * in the other language ("ganti_bahasa" names that language).
	 */
	const char			*switch_action;
	const char			*switch_form;	/* or: submit this form */
	const char			*switch_name[PAGE_SWITCH_MAX];
	const char			*switch_value[PAGE_SWITCH_MAX];
	size_t				 nswitch;
	const char			*get_path;
	/* Error lists link each field name to its input: NULL-terminated
	 * name, id pairs (page_common_api_error). */
	const char *const		*field_ids;
	/* Staff pages: the width of the screen (tables of cases), and the
	 * GET path the language link of a page answering a POST goes to
	 * (NULL: the queue). */
	int				 wide;
	const char			*lang_path;
	/* Set before page_common_form: the form may carry several files (its
	 * route is SRV_BODY_FORM_PHOTOS; the page checks how many). Else a
	 * second file is malformed, as no input of the page sends one. */
	int				 form_files;
};

/* What page_common_api passes to an API handler. */
struct api_call {
	json_t			*body;		/* borrowed; NULL: none */
	const char		*token;		/* reporter: Bearer */
	const char		*session;	/* staff: the cookie */
	const char		*param0, *param1;
	const char *const	*args;		/* NULL: no query */
	const uint8_t		*file;
	size_t			 file_len;
	const char		*file_name;
};

void	page_common_init(struct page *, struct srv_ctx *,
	    const struct srv_request *, struct srv_reply *);
/* Parses the POST form; on failure answers 400/413 and returns -1. */
int	page_common_form(struct page *, size_t text_max);
void	page_common_free(struct page *);
/* The page's language (enum lang), for its text and its catalogue keys. */
void	page_common_lang_set(struct page *, int lang);
/* The text of a catalogue key in the page's language (Indonesian when
 * the language has none). */
const char	*page_common_tr(const struct page *, int key);
/* "?lang=xx" (first) or "&lang=xx", or "" when no language was chosen. */
const char	*page_common_lq(const struct page *, int first);
void	page_common_lang_input(struct page *);
/* The page answers a POST: see struct page. Values are borrowed until
 * page_common_head has run. */
void	page_common_switch(struct page *, const char *action,
    const char *get_path);
void	page_common_switch_field(struct page *, const char *name,
    const char *value);
/* script: 0 none, or any of PAGE_SCRIPT_POW (/lapor's proof of work),
 * PAGE_SCRIPT_REVIEW (the staff case page's select-to-mask) and
 * PAGE_SCRIPT_PAGE (bisik.js: the agency filter, the print button;
 * a page with get_path loads it for its history entry anyway). */
#define PAGE_SCRIPT_POW		0x1
#define PAGE_SCRIPT_REVIEW	0x2
#define PAGE_SCRIPT_PAGE	0x4
void	page_common_head(struct page *, const char *title, int nav, int script);
void	page_common_foot(struct page *);
/* The page as the reply (503 if it did not fit). */
void	page_common_send(struct page *, unsigned status);
void	page_common_redirect(struct page *, const char *path);
/* A whole error page for an HTTP status. */
void	page_common_fail(struct page *, unsigned status);
void	page_common_api(struct page *, srv_handler, const struct api_call *,
	    struct srv_reply *out);
void	page_common_api_free(struct srv_reply *);
void	page_common_api_error(struct page *, const struct srv_reply *api);
void	page_common_pass_raw(struct page *, struct srv_reply *api);
void	page_common_notice(struct page *, int key);
void	page_common_time(struct page *, const char *iso);
/* An ISO time of the API ("YYYY-MM-DDTHH:MM:SSZ") as Unix time; -1. */
time_t	page_common_iso(const char *iso);
/* The WIB date of a time in words ("Senin, 3 Agustus 2026"), and the
 * WIB time of day of an ISO time in a <time> element ("23.59 WIB"). */
void	page_common_date(struct page *, time_t);
void	page_common_clock(struct page *, const char *iso);
/* A size in bytes as "820 B", "12 kB", "1,4 MB" (1 kB = 1024 B). */
void	page_common_size(struct page *, long long bytes);
/* Whole working days from now's WIB date to due's (0: due today or
 * past), and whole calendar days a passed due time is late (0: not). */
int	page_common_working_days_left(const struct page *, time_t now,
    time_t due);
int	page_common_days_late(time_t now, time_t due);
/* The installed escrow key: 0 and its threshold, holders and
 * fingerprint (crypto_escrow_fingerprint), or -1 when none is. */
int	page_common_escrow(const struct page *, unsigned *k, unsigned *n,
	    char fp[CRYPTO_ESCROW_FP_TEXT]);
/* The fingerprint block of the receipt and its printable page. */
void	page_common_escrow_fingerprint(struct page *);
void	page_common_status(struct page *, const char *status);
int	page_common_status_key(const char *status);
int	page_common_name_key(const char *name);
void	page_common_name(struct page *, const char *name);
/* A timeline entry of a case view, reporter's or staff's: the head opens
 * the <li> with the entry's time and its status or event; each view adds
 * its own facts; the tail adds the reason and note and closes it. */
void	page_common_event_head(struct page *, const json_t *entry);
void	page_common_event_tail(struct page *, const json_t *entry);
/* 1 if an attachment of a case view is an image the browser shows. */
int	page_common_is_image(const json_t *attachment);
/* Catalogue text with {1}, {2} (and {3}) replaced by numbers. */
void	page_common_trn(struct page *, int key, long long a, long long b);
void	page_common_trn3(struct page *, int key, long long a, long long b,
	    long long c);
/* A token in groups. */
void	page_common_token(struct page *, const char *token);

/* The directory's names (GET /agencies, GET /categories) for showing
 * names, never raw ids. */
struct page_dir {
	json_t	*agencies, *categories;	/* arrays; NULL: not loaded */
};
void	page_common_dir_load(struct page *, struct page_dir *);
void	page_common_dir_free(struct page_dir *);
/* The name of an id in one of the lists; the id itself if unknown,
 * NULL for NULL. */
const char	*page_common_dir_name(const json_t *list, const char *id);

/*
 * The options of an agency <select>: grouped by level (central
 * government, provinces, regencies, cities, the rest; a sub-agency with
 * its parent's), sorted by name; the id `selected` is marked. With
 * data-filter on the <select>, bisik.js adds a search box (the reporter's
 * form and the staff's forwarding forms).
 */
void	page_common_agency_options(struct page *, const json_t *list,
	    const char *selected);
/* qsort order of directory entries (json_t *) by "name", ignoring case. */
int	page_common_by_name(const void *, const void *);

/* "What happens next" of a reporter's view (GET /followup): who acts
 * next and by when, or how the case ended (pages_pantau.c). */
void	page_pantau_next(struct page *, const json_t *view,
    const struct page_dir *);
/* The escrow key's fingerprint and where to check it. */
void	page_common_escrow_fp(struct page *,
    const char fp[CRYPTO_ESCROW_FP_TEXT]);
/* The refusal page http.c sends for page paths (no handler ran). */
void	page_common_error(struct srv_reply *, unsigned status,
	    const char *accept_language);

int	page_common_cookie_secure(const struct srv_ctx *);
const char	*page_common_cookie_name(const struct srv_ctx *);
const char	*page_common_session(const struct page *);
void	page_common_set_cookie(struct page *, const char *token /* NULL: clear */);
void	page_common_csrf(const struct page *, const struct srv_staff *,
	    char out[PAGE_CSRF_TEXT]);
int	page_common_csrf_ok(const struct page *, const struct srv_staff *);
void	page_common_csrf_input(struct page *);
/* 0 for a POST the browser marks as cross-site (Sec-Fetch-Site, else
 * Origin against Host). */
int	page_common_same_origin(const struct page *);

/* One bar of a chart (pages_public.c); value < 0: suppressed, or
 * PAGE_BAR_NONE: nothing to measure (an on-time share with nothing due). */
#define PAGE_BAR_NONE	(-2.0)
struct page_bar {
	const char	*label;
	double		 value;
};
/* An SVG bar chart (no script, no style attribute); percent: 0..100. */
void	page_public_chart(struct page *, const char *title,
	    const struct page_bar *, size_t n, int percent, unsigned threshold);

/* ---- Staff pages' frame (pages_staff_common.c) -------------------------- */

/*
 * A staff page's handler: page_staff_common_run signs the staff member in
 * (page_staff_begin), hands run the page, the staff member, an API call
 * with the session set (the rest zero) and a reply to answer into, then
 * ends the session and frees the reply and the page on every path. So a
 * staff page states only what differs: PAGE_STAFF(handler, flags, run)
 * defines the route's handler; flags: PAGE_STAFF_POST (a form, with the
 * CSRF token, not cross-site), PAGE_STAFF_ENROL (open to a session
 * that must still set up two-factor sign-in) and PAGE_STAFF_FILES (the
 * form may carry several files: struct page's form_files).
 */
#define PAGE_STAFF_POST		0x1
#define PAGE_STAFF_ENROL	0x2
#define PAGE_STAFF_FILES	0x4
struct page_staff {
	int	flags;
	void	(*run)(struct page *, struct srv_staff *, struct api_call *,
		    struct srv_reply *out);
};
void	page_staff_common_run(struct srv_ctx *, const struct srv_request *,
	    struct srv_reply *, const struct page_staff *);
#define PAGE_STAFF(handler, flags, run)					\
void									\
handler(struct srv_ctx *ctx, const struct srv_request *rq,		\
    struct srv_reply *rp)						\
{									\
	static const struct page_staff s = { (flags), (run) };		\
									\
	page_staff_common_run(ctx, rq, rp, &s);				\
}
/* The sign-in form (err: the API's refusal to show, or NULL). */
void	page_staff_common_login_form(struct page *, const struct srv_reply *err,
	    int want_totp);

void	page_staff_common_end(struct page *, struct srv_staff *);
/* The staff navigation, and the holiday banner when the holiday list
 * does not reach CORE_HOLIDAY_LOOKAHEAD days ahead. */
void	page_staff_common_nav(struct page *, const struct srv_staff *);
/* A POST form: CSRF token and language included. */
void	page_staff_common_post_open(struct page *, const char *action,
    int multipart);
/* <option>s of the liaisons a case of the agency may be given to (GET
 * /liaisons); the number of them, -1 when they cannot be listed. */
int	page_staff_common_liaison_options(struct page *, const char *agency,
	    const char *selected);
/* The catalogue key of a channel name (web for NULL), -1 if unknown. */
int	page_staff_common_channel_key(const char *channel);
/* Channel names in the order of enum core_channel and M_CH_* (web first). */
#define PAGE_CHANNELS	6
extern const char *const page_channels[PAGE_CHANNELS];

/* Static files (pages_static.c): the version in their URLs. */
const char	*page_static_version(const char *name);

/*
 * The public API handlers /publik and /statistik render (docs/openapi.yaml:
 * GET /public/cases in publish.c, GET /stats in api_stats.c). Set one to
 * NULL and its page says there is no data yet instead.
 */
#define PAGES_PUBLIC_CASES	srv_publish_cases
#define PAGES_STATS		api_stats

/* ---- Handlers (pages.inc) --------------------------------------------- */

void	page_home(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_lapor_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_lapor_post(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_lapor_bukti(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_pantau_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_pantau_post(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_pantau_photo(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_lapor_receipt(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_lapor_lang(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_public_publik(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_public_statistik(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_queue_staf(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_queue_bulk(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_queue_intake(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_queue_intake_post(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_queue_periodic(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_queue_periodic_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_export(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_hold(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_login(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_logout(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_case(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_action(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_attach(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_attach_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_sessions(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_revoke(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_totp(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_totp_start(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_totp_confirm(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_agencies(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_staf_disclosures(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_static_css(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_static_js(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_static_review_js(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_static_page_js(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	page_static_icon(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

#endif
