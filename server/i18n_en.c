/*
 * i18n_en.c: every text of the web pages in English. Keys are
 * enum msg (pages.h), shared by all catalogues; a unit test checks that
 * none is missing. Texts are plain: the pages escape them (html.c).
 */
#include "server/pages.h"

const char *const i18n_en[M_MAX] = {
	[M_ATTACHMENTS] = "Attachments",
	[M_BACK_HOME] = "Back to the home page",
	[M_BY] = "by",
	[M_DOWNLOAD] = "Download",
	[M_DUE] = "Due",
	[M_ERR_400] =
	    "This request could not be read. Reload the page and try "
	    "again.",
	[M_ERR_401] = "Please sign in or check your token.",
	[M_ERR_403] =
	    "This request was refused. Reload the page and send it again "
	    "from this page.",
	[M_ERR_404] = "This page does not exist.",
	[M_ERR_405] = "This page does not take that kind of request.",
	[M_ERR_413] =
	    "What you sent is too large. Make the attachment or the text "
	    "smaller.",
	[M_ERR_415] = "The form was sent in a form that is not understood.",
	[M_ERR_429] = "Too many requests. Wait a moment and try again.",
	[M_ERR_503] = "The server is busy. Try again in a moment.",
	[M_ERR_507] =
	    "The server cannot store anything right now; nothing was "
	    "saved. Try again later.",
	[M_ERR_TITLE] = "Something went wrong",
	[M_ESCROW_FP_CHECK] =
	    "Before giving your identity, compare this fingerprint with "
	    "the one the agency publishes where this server has no say: "
	    "its official website and its printed posters. If they differ, "
	    "do not give your identity here. bisik submit "
	    "--escrow-fingerprint checks it for you.",
	[M_ESCROW_FP_LABEL] = "Fingerprint of the identity escrow key:",
	[M_EV_ATTACHMENT] = "Attachment added",
	[M_EV_MESSAGE] = "Message",
	[M_EV_NOTE] = "Note",
	[M_EV_PUBLISHED] = "Published",
	[M_EV_RESPOND] = "Response",
	[M_EV_STATUS] = "Status changed",
	[M_EV_TOKEN_ROTATED] = "Token replaced",
	[M_E_TOO_MANY_PHOTOS] =
	    "At most {1} completion photos go with one resolution; upload "
	    "more first as evidence and tick them.",
	[M_E_ATTACHMENT_LIMIT] =
	    "This report already has as many attachments as it may.",
	[M_E_CASE_CLOSED] =
	    "This report no longer takes messages or attachments.",
	[M_E_CONFLICT] =
	    "This action is not possible in the report's current status.",
	[M_E_FORBIDDEN] = "Your role may not do this.",
	[M_E_IDENTITY_UNAVAILABLE] =
	    "The server cannot accept an identity yet. Send without one "
	    "or try again later.",
	[M_E_IMAGE_TOO_LARGE] = "The image has too many pixels.",
	[M_E_INVALID] = "Some fields are not right yet:",
	[M_E_INVALID_IMAGE] = "The image cannot be read.",
	[M_E_IMAGE_UNPROCESSABLE] =
	    "The image could not be processed; try another file.",
	[M_E_MALFORMED] =
	    "The fields were sent in a form that cannot be read.",
	[M_E_NOT_FOUND] = "Not found.",
	[M_E_NO_ENROLLMENT] =
	    "No two-factor set-up is waiting, or it expired. Start again.",
	[M_E_STORAGE_FULL] =
	    "The server cannot store anything right now; nothing was "
	    "saved. Try again later.",
	[M_E_TOO_LARGE] = "The file is too large.",
	[M_E_TOO_SOON] =
	    "The form was sent too soon after it was opened. Check your "
	    "entries, wait a few seconds, then send it again.",
	[M_E_TOTP_ENROLLED] =
	    "Two-factor sign-in is already set up for this account; a "
	    "user administrator can reset it.",
	[M_E_TOTP_ENROLMENT_REQUIRED] =
	    "Set up two-factor sign-in first, then sign in again.",
	[M_E_TOTP_REQUIRED] =
	    "Enter the code from your authenticator app (or a recovery "
	    "code).",
	[M_E_UNAUTHORIZED] =
	    "The token or session is not valid. Check your token, or sign "
	    "in again.",
	[M_E_UNSUPPORTED_TYPE] =
	    "Only JPEG, PNG and WebP images, PDF documents and plain text "
	    "files are accepted.",
	[M_FOOT] =
	    "Bisik keeps no IP address, browser details or token of "
	    "yours. This page loads nothing from any other site.",
	[M_FROM] = "From",
	[M_FROM_STAFF] = "Staff",
	[M_FROM_YOU] = "You",
	[M_F_ACTION] = "Action",
	[M_F_AGENCY] = "Agency",
	[M_F_ATTACHMENTS] = "Evidence attachments",
	[M_F_BODY] = "Report text",
	[M_F_CATEGORY] = "Category",
	[M_F_CODE] = "Code",
	[M_F_COMMENT] = "Comment (optional)",
	[M_F_FILE] = "Attachment",
	[M_F_FILE_ONE] = "One file",
	[M_F_IDENTITY] = "Identity (optional)",
	[M_F_ID_ADDRESS] = "Address",
	[M_F_ID_EMAIL] = "E-mail",
	[M_F_ID_NAME] = "Name",
	[M_F_ID_NIK] = "National ID number (NIK)",
	[M_F_ID_PHONE] = "Phone number",
	[M_F_INTO] = "Merge into case number",
	[M_F_KIND] = "Kind",
	[M_F_LIAISON] = "Liaison officer (username)",
	[M_F_LOCATION] = "Location (optional)",
	[M_F_NOTE] = "Note",
	[M_F_OCCURRED_ON] = "Date it happened (optional)",
	[M_F_PASSWORD] = "Password",
	[M_F_POW] = "Anti-spam check",
	[M_F_RATING] = "Rating",
	[M_F_REASON] = "Reason",
	[M_F_REDACTIONS] = "Redactions",
	[M_F_RESOLUTION] = "Resolution",
	[M_F_TITLE] = "Title",
	[M_F_VISIBILITY] = "Visibility",
	[M_HOME_CTA_LAPOR] = "File a report",
	[M_HOME_CTA_PANTAU] = "Follow a report with its token",
	[M_HOME_HOW_1] =
	    "You write your report and keep the token shown to you once.",
	[M_HOME_HOW_2] =
	    "A central admin checks the report and routes it to the "
	    "responsible agency within 3 working days.",
	[M_HOME_HOW_3] =
	    "The agency accepts it, names a liaison officer, answers and "
	    "resolves it.",
	[M_HOME_HOW_4] =
	    "You follow every step with your token, answer messages, and "
	    "rate the resolution, or reopen it within 14 days.",
	[M_HOME_HOW_H] = "How it works",
	[M_HOME_LEAD] =
	    "Bisik is a channel for public complaints and aspirations to "
	    "government agencies. You can report without giving your "
	    "name, and follow what happens with nothing but a token.",
	[M_HOME_SAFE_1] =
	    "These pages work without JavaScript, also in Tor Browser at "
	    "its \"Safest\" level.",
	[M_HOME_SAFE_2] =
	    "Do not write your name, or other people's, in the title or "
	    "text if you want to stay anonymous.",
	[M_HOME_SAFE_3] =
	    "Photos can hold a location: agencies only receive a copy of "
	    "an image without its metadata.",
	[M_HOME_SAFE_H] = "Staying safe",
	[M_HOME_SECRET_1] =
	    "Without an identity your report is fully anonymous: the "
	    "server keeps no IP address, browser type or anything else "
	    "about you.",
	[M_HOME_SECRET_2] =
	    "If you give an identity, it is locked at once. The server "
	    "itself cannot open it; only several central admins together, "
	    "under a recorded authorization, can open it, and you are "
	    "told on the follow-up page.",
	[M_HOME_SECRET_3] =
	    "The agency handling it only sees a masked text: e-mail "
	    "addresses, phone numbers, NIK, account numbers and the like "
	    "are covered.",
	[M_HOME_SECRET_4] =
	    "The token is the only key to your report. We cannot recover "
	    "it; whoever holds it can read your report.",
	[M_HOME_SECRET_5] =
	    "A report you mark public may be shown once resolved, in "
	    "masked form.",
	[M_HOME_SECRET_H] = "What stays secret, and from whom",
	[M_HOME_TITLE] = "Report without fear",
	[M_INTERNAL] = "(internal)",
	[M_KIND_ASPIRATION] = "Aspiration",
	[M_KIND_COMPLAINT] = "Complaint",
	[M_KIND_INFORMATION_REQUEST] = "Information request",
	[M_LANG_OTHER] = "Bahasa Indonesia",
	[M_LAPOR_AGENCY_HELP] =
	    "If you know the responsible agency, choose it here; a "
	    "central admin will confirm it.",
	[M_LAPOR_BODY_HELP] =
	    "20 to 20,000 characters. Write what happened, where and "
	    "when.",
	[M_LAPOR_FILE_HELP] =
	    "Optional. JPEG, PNG, WebP, PDF or text; at most {1} MB. More "
	    "files can be added on the follow-up page.",
	[M_LAPOR_ID_ANON] =
	    "You may leave this section empty: a report without an "
	    "identity is followed up all the same.",
	[M_LAPOR_ID_TOLD] =
	    "Every opening of an identity is recorded, and you will see "
	    "it on the follow-up page. Agency staff never see your "
	    "identity.",
	[M_LAPOR_ID_UNAVAILABLE] =
	    "This server cannot accept an identity yet. You can still "
	    "report without one.",
	[M_LAPOR_ID_WHO] =
	    "If given, the identity is locked at once with a key the "
	    "server does not have. Only {1} of the {2} central admins, "
	    "together and with a recorded reason and legal basis, can "
	    "open it.",
	[M_LAPOR_INTRO] =
	    "Fields marked * are required. After sending you get a case "
	    "number and a token. Keep the token: it is the only way to "
	    "follow your report.",
	[M_LAPOR_SUBMIT] = "Send the report",
	[M_LAPOR_TITLE] = "File a report",
	[M_LAPOR_TITLE_HELP] = "5 to 200 characters.",
	[M_LAPOR_VIS_HELP] =
	    "A confidential report is never shown to the public. A public "
	    "report may be shown once resolved, in masked form.",
	[M_LAPOR_WAIT] =
	    "Without JavaScript this form can be sent {1} seconds after "
	    "it was opened at the earliest (protection from spam, without "
	    "tracking you).",
	[M_LAPOR_WHAT] = "Your report",
	[M_LEVEL_KABUPATEN] = "Regencies",
	[M_LEVEL_KEMENTERIAN] = "Ministries",
	[M_LEVEL_KOTA] = "Cities",
	[M_LEVEL_LEMBAGA] = "National agencies",
	[M_LEVEL_OTHER] = "Other",
	[M_LEVEL_PROVINSI] = "Provinces",
	[M_NAV_LAPOR] = "Report",
	[M_NAV_MAIN] = "Main menu",
	[M_NAV_PANTAU] = "Follow up",
	[M_NAV_PUBLIK] = "Public cases",
	[M_NAV_STAF] = "Staff sign-in",
	[M_NAV_STATISTIK] = "Statistics",
	[M_NEXT_PAGE] = "Next page",
	[M_NOT_YET] = "not yet decided",
	[M_NO_DATA] = "No data yet.",
	[M_OPT_NONE] = "— not chosen —",
	[M_OVERDUE] = "overdue",
	[M_PANTAU_ATTACHED] = "The attachment was sent.",
	[M_PANTAU_CASE] = "Case",
	[M_PANTAU_DISCLOSED] =
	    "Your identity on this report was opened under an "
	    "authorization of several central admins. This is the record:",
	[M_PANTAU_DISCLOSED_H] = "Notice of identity disclosure",
	[M_PANTAU_EVIDENCE_H] = "Add evidence",
	[M_PANTAU_INTRO] =
	    "Enter the token you received when you filed the report. It "
	    "is sent out of sight, never in the page address.",
	[M_PANTAU_MERGED] = "This report was merged into case",
	[M_PANTAU_MESSAGES] = "Messages",
	[M_PANTAU_NEWTOKEN] = "Your new token",
	[M_PANTAU_NEWTOKEN_WARN] =
	    "The old token no longer works. Keep this new token now; it "
	    "is shown only once.",
	[M_PANTAU_NO_MESSAGES] = "No messages yet.",
	[M_PANTAU_OPEN] = "Open the report",
	[M_PANTAU_RATED] =
	    "Thank you. Your rating is saved and the report is closed.",
	[M_PANTAU_RATE_H] = "Rate the resolution",
	[M_PANTAU_RATE_INTRO] =
	    "If the resolution settles it, rate it; the report is then "
	    "closed.",
	[M_PANTAU_RATE_SEND] = "Send the rating",
	[M_PANTAU_REOPENED] =
	    "The report was reopened and sent back to the agency.",
	[M_PANTAU_REOPEN_H] = "Reopen",
	[M_PANTAU_REOPEN_INTRO] =
	    "If the resolution does not settle it, say why (within 14 "
	    "days of the resolution).",
	[M_PANTAU_REOPEN_SEND] = "Reopen the report",
	[M_PANTAU_REPLY] = "Your message",
	[M_PANTAU_REPLY_H] = "Send a message",
	[M_PANTAU_ROTATE_H] = "Replace the token",
	[M_PANTAU_ROTATE_INTRO] =
	    "If you fear someone else has seen your token, replace it "
	    "now. The old token stops working at once.",
	[M_PANTAU_ROTATE_SEND] = "Replace the token",
	[M_PANTAU_SENT] = "The message was sent.",
	[M_PANTAU_TIMELINE] = "Timeline",
	[M_PANTAU_TITLE] = "Follow a report",
	[M_PANTAU_TOKEN] = "Token",
	[M_PANTAU_TOKEN_HELP] =
	    "32 letters and digits; hyphens and spaces may be typed or "
	    "left out.",
	[M_POW_DONE] =
	    "The anti-spam check is done; the form is ready to send.",
	[M_POW_WORKING] = "Finishing the anti-spam check, please wait…",
	[M_PUBLIK_INTRO] =
	    "Public reports that were resolved, with their resolution and "
	    "evidence, in masked form.",
	[M_PUBLIK_SEARCH] = "Search",
	[M_PUBLIK_SEARCH_SEND] = "Search",
	[M_PUBLIK_TITLE] = "Public cases",
	[M_RCPT_ATTACH_FAILED] =
	    "Your report was saved, but its attachment was not. You can "
	    "add it on the follow-up page.",
	[M_RCPT_CASE] = "Case number",
	[M_RCPT_DOWNLOAD] = "Download the proof of filing",
	[M_RCPT_FOLLOW] = "Follow the report now",
	[M_RCPT_NEXT] = "Later, open the Follow up page and enter your token.",
	[M_RCPT_NEXT_H] = "Follow your report",
	[M_RCPT_PROOF] =
	    "The server's signed proof that this report was received at "
	    "that time. It holds neither your token nor your identity.",
	[M_RCPT_PROOF_H] = "Proof of filing",
	[M_RCPT_TITLE] = "Report sent",
	[M_RCPT_TOKEN] = "Your token",
	[M_RCPT_WARN] =
	    "This token is shown only once and cannot be recovered. Copy "
	    "it by hand or keep it somewhere safe. Whoever holds it can "
	    "read your report.",
	[M_RCPT_WARN_H] = "Keep this token now.",
	[M_RJ_INCOMPLETE] = "The report is incomplete",
	[M_RJ_NOT_A_COMPLAINT] = "Not a complaint",
	[M_RJ_NOT_OUR_AUTHORITY] = "Not within our authority",
	[M_ROLE_AGENCY_ADMIN] = "agency admin",
	[M_ROLE_AUDITOR] = "auditor",
	[M_ROLE_CENTRAL_ADMIN] = "central admin",
	[M_ROLE_LIAISON] = "liaison officer",
	[M_ROLE_REPORTER] = "reporter",
	[M_ROLE_SYSTEM] = "system",
	[M_R_ALREADY_USED] = "already used; send the form again",
	[M_R_EXPIRED] = "expired; send the form again",
	[M_R_INVALID] = "not valid",
	[M_R_OUT_OF_RANGE] = "out of range",
	[M_R_REQUIRED] = "required",
	[M_R_TOO_LONG] = "too long",
	[M_R_TOO_SHORT] = "too short",
	[M_R_TOO_SOON] = "too soon",
	[M_R_UNKNOWN] = "unknown",
	[M_R_WRONG] = "wrong",
	[M_SEND] = "Send",
	[M_SIZE] = "Size",
	[M_SKIP] = "Skip to the content",
	[M_STAF_ACTIONS] = "Actions",
	[M_STAF_ADMIN_OFFLINE] =
	    "Staff accounts and agencies are managed on the server with "
	    "\"bisikd user\" and \"bisikd agency\"; this page shows the "
	    "agency directory.",
	[M_STAF_AGENCIES] = "Agencies",
	[M_STAF_ALL] = "All",
	[M_STAF_AUDITOR] =
	    "Auditors do not see case text. Use the audit trail and the "
	    "statistics.",
	[M_STAF_BYTES] = "Length (bytes, for spans)",
	[M_STAF_DISCLOSE] =
	    "An identity can only be opened with \"bisik disclose\" on an "
	    "admin's own computer, by several central admins together; "
	    "never through a web page.",
	[M_STAF_DONE] = "Saved.",
	[M_STAF_EMPTY] = "No cases in this queue.",
	[M_STAF_EXPIRES] = "Expires",
	[M_STAF_IDENTITY_NONE] = "none",
	[M_STAF_IDENTITY_ON_FILE] = "on file (locked)",
	[M_STAF_INTERNAL_NOTE] = "Internal note (not shown to the reporter)",
	[M_STAF_LAST_SEEN] = "Last active",
	[M_STAF_LEVEL] = "Level",
	[M_STAF_LOGIN] = "Staff sign-in",
	[M_STAF_LOGIN_SEND] = "Sign in",
	[M_STAF_LOGOUT] = "Sign out",
	[M_STAF_MESSAGE] = "Message to the reporter",
	[M_STAF_MESSAGE_H] = "Send a message",
	[M_STAF_NAME] = "Name",
	[M_STAF_NAV] = "Staff menu",
	[M_STAF_NEW] = "new",
	[M_STAF_ONLY_OVERDUE] = "Overdue only",
	[M_STAF_ORIGINAL] = "Original text",
	[M_STAF_ORIGINAL_FILE] = "original",
	[M_STAF_PARENT] = "Parent",
	[M_STAF_PHRASES] = "Phrases to mask",
	[M_STAF_PHRASES_HELP] =
	    "One phrase a line; masked in the title and the text.",
	[M_STAF_QUEUE] = "Queue",
	[M_STAF_QUEUE_CAPTION] = "Cases by due time",
	[M_STAF_RECOVERY] =
	    "Keep these codes somewhere safe. Each works once if you lose "
	    "your phone; they are not shown again.",
	[M_STAF_RECOVERY_H] = "Recovery codes",
	[M_STAF_REDACTED] = "What the agency sees",
	[M_STAF_REVIEW] = "Redaction review",
	[M_STAF_REVOKE] = "End",
	[M_STAF_SEARCH] = "Search the titles",
	[M_STAF_SESSIONS] = "Sessions",
	[M_STAF_SESSIONS_INTRO] =
	    "The live sessions of your account. End any you do not "
	    "recognise.",
	[M_STAF_SIGNED_IN] = "Signed in",
	[M_STAF_SOURCE] = "Source",
	[M_STAF_SPANS] = "Spans to mask (optional)",
	[M_STAF_SPANS_HELP] =
	    "Byte positions in the text the agency sees, for example "
	    "\"10-25, 40-52\".",
	[M_STAF_THIS_SESSION] = "this session",
	[M_STAF_TOTP] = "Two-factor code",
	[M_STAF_TOTP_CONFIRM] = "Confirm",
	[M_STAF_TOTP_HELP] =
	    "If your account uses two factors: the 6-digit code from the "
	    "app, or a recovery code.",
	[M_STAF_TOTP_INTRO] =
	    "Two-factor sign-in protects your account if the password "
	    "leaks. You need an authenticator app on your phone.",
	[M_STAF_TOTP_SCAN] =
	    "Scan this code with your authenticator app, then enter the "
	    "code it shows within 10 minutes.",
	[M_STAF_TOTP_SECRET] = "Or type this key:",
	[M_STAF_TOTP_SETUP] = "Two-factor",
	[M_STAF_TOTP_START] = "Start the set-up",
	[M_STAF_USERNAME] = "Username",
	[M_STATUS] = "Status",
	[M_STAT_AUDIT] =
	    "Every staff action is recorded in a hash chain. The head "
	    "below changes with every new entry; if history were "
	    "rewritten, it would no longer match.",
	[M_STAT_AUDIT_H] = "Audit trail",
	[M_STAT_AUDIT_HASH] = "Head hash",
	[M_STAT_AUDIT_NONE] = "The audit trail holds no entry yet.",
	[M_STAT_AUDIT_SEQ] = "Entries",
	[M_STAT_INTRO] =
	    "Figures per agency. Figures from fewer than {1} reports are "
	    "not shown, so that no reporter can be singled out.",
	[M_STAT_MEDIAN] = "Median days to resolve",
	[M_STAT_ONTIME] = "On time",
	[M_STAT_RECEIVED] = "Received",
	[M_STAT_RESOLVED] = "Resolved",
	[M_STAT_TABLE] = "Figures per agency",
	[M_STAT_TITLE] = "Statistics",
	[M_STAT_VOLUME] = "Reports received",
	[M_ST_CLOSED] = "Closed",
	[M_ST_DISPOSITIONED] = "Routed to the agency",
	[M_ST_IN_PROGRESS] = "In progress",
	[M_ST_MERGED] = "Merged",
	[M_ST_REJECTED] = "Rejected",
	[M_ST_RESOLVED] = "Resolved",
	[M_ST_SUBMITTED] = "Received, awaiting review",
	[M_SUBMITTED_AT] = "Sent",
	[M_UPLOAD] = "Upload",
	[M_VIS_CONFIDENTIAL] = "Confidential",
	[M_VIS_CONFIDENTIAL_LONG] = "Confidential: never shown to the public",
	[M_VIS_PUBLIC] = "Public",
	[M_VIS_PUBLIC_LONG] =
	    "Public: may be shown once resolved, in masked form",
	[M_PUBLIK_EVIDENCE] = "Photo of the completed work",
	[M_STAF_DISCLOSURES] = "Identity disclosures",
	[M_STAF_IDENTITY] = "Identity",
	[M_STAF_REQUEST] = "Request",
	[M_STAF_APPROVALS] = "Approvals",
	[M_STAF_LEGAL_BASIS] = "Legal basis",
	[M_ACT_DISPOSE] = "Route to an agency",
	[M_ACT_REJECT] = "Reject",
	[M_ACT_MERGE] = "Merge",
	[M_ACT_ACCEPT] = "Accept and assign a liaison",
	[M_ACT_RETURN] = "Return to central",
	[M_ACT_RESPOND] = "Respond",
	[M_ACT_RESOLVE] = "Resolve",
	[M_ACT_CONFIRM] = "Confirm",
	[M_ACT_REOPEN] = "Reopen",
	[M_ACT_CLOSE] = "Close",
	[M_ACT_PUBLISH] = "Publish",
	[M_RATE_1] = "very unsatisfied",
	[M_RATE_2] = "unsatisfied",
	[M_RATE_3] = "fair",
	[M_RATE_4] = "satisfied",
	[M_RATE_5] = "very satisfied",
	[M_STAF_REVIEW_HELP] =
	    "The text as written. What is marked is masked automatically. "
	    "To mask more, select the text and press \"Mask the "
	    "selection\", or write the phrase in the phrase field; "
	    "\"Preview\" shows exactly what will be read.",
	[M_STAF_MASK_SELECTION] = "Mask the selection",
	[M_STAF_UNMASK] = "Undo automatic masks",
	[M_STAF_UNMASK_HELP] =
	    "Only when the agency needs it and it does not identify the "
	    "reporter; recorded in the audit log with the reason.",
	[M_STAF_UNMASK_REASON] = "Reason for undoing",
	[M_UM_OFFICIAL_CONTACT] = "An office's public contact",
	[M_UM_PUBLIC_OFFICIAL] = "An official acting in office",
	[M_UM_NEEDED_FOR_FOLLOWUP] = "Needed by the agency to act",
	[M_UM_NOT_PERSONAL] = "Not personal data",
	[M_STAF_PREVIEW] = "Preview",
	[M_STAF_PREVIEW_AGENCY] = "Preview: what the agency will read",
	[M_STAF_PREVIEW_PUBLIC] = "Preview: what the public will read",
	[M_RK_EMAIL] = "e-mail",
	[M_RK_PHONE] = "phone",
	[M_RK_NIK] = "NIK",
	[M_RK_NPWP] = "NPWP",
	[M_RK_ACCOUNT] = "account",
	[M_RK_PLATE] = "plate",
	[M_RK_URL] = "link",
	[M_RK_HANDLE] = "social-media account",
	[M_RK_NAME] = "name",
	[M_R_NOT_FOUND] = "does not occur in the text",
	/* The reporter's and public pages (issue 16). */
	[M_ERR_401_STAFF] =
	    "Please sign in again: your session has ended or is not valid.",
	[M_ERR_401_TOKEN] = "This token opens no report. Check your token.",
	[M_E_LOGIN] = "The username or password is wrong.",
	[M_E_SESSION] =
	    "Your session has ended or is not valid. Please sign in again.",
	[M_E_TOKEN] =
	    "This token opens no report. Check every letter and digit; if "
	    "you ever replaced your token, use the newest one.",
	[M_E_COUNT] = "{1} fields need fixing:",
	[M_E_ALREADY_SENT_H] = "This report was already sent",
	[M_E_ALREADY_SENT] =
	    "This form was already sent and its report is on file. The case "
	    "number and the token were shown once, on the receipt after the "
	    "first sending; that page cannot be opened again. If you kept "
	    "the token, follow the report with it. If not, you can file a "
	    "new report.",
	[M_HOME_SECRET_2K] =
	    "If you give your identity, it is locked at once. The server "
	    "itself cannot open it; only {1} of the {2} central admins "
	    "together, with a recorded reason and legal basis, can open it, "
	    "and you are told on the follow-up page.",
	[M_HOME_SECRET_2_NONE] =
	    "This server cannot take identities yet: reports are sent "
	    "without one.",
	[M_HOME_SECRET_6] =
	    "Central admins can see attachments exactly as you uploaded "
	    "them, photo metadata included (such as location and camera); "
	    "agencies only get copies without metadata.",
	[M_LAPOR_KIND_HELP] =
	    "Complaint: a public service that harmed you or others. "
	    "Aspiration: a suggestion or proposal. Information request: "
	    "asking for public data or documents.",
	[M_LAPOR_TIME_H] = "How long it takes",
	[M_LAPOR_TIME] =
	    "A central admin checks the report and forwards it to an agency "
	    "within {1} working days. The agency accepts it within {2} "
	    "working days, then resolves it within {3} working days. "
	    "Working days: Monday to Friday, except national holidays.",
	[M_LAPOR_AGENCY_FILTER] = "Search agencies",
	[M_LAPOR_AGENCY_FILTER_HELP] =
	    "Type part of a name; the list below then shows only the "
	    "matches.",
	[M_LAPOR_CATEGORY_HELP] =
	    "Choose the closest one, or \"Lainnya\" (other) if none fits.",
	[M_LEVEL_CENTRAL] = "Central government (ministries and agencies)",
	[M_PANTAU_FILE_HELP] =
	    "One file at a time: JPEG, PNG, WebP, PDF or text, at most {1} "
	    "MB. A report can hold at most {2} attachments.",
	[M_PANTAU_PHOTOS_H] = "Photos",
	[M_PANTAU_PHOTO_ALT] = "Photo",
	[M_PANTAU_PHOTO_STAFF] = "from staff",
	[M_PANTAU_PHOTO_YOURS] = "from you",
	[M_PANTAU_FACTS_H] = "Your report",
	[M_PANTAU_RESOLUTION_H] = "Resolution",
	[M_FACT_IDENTITY] = "Identity",
	[M_FACT_IDENTITY_SEALED] = "given and sealed",
	[M_FACT_IDENTITY_NONE] = "none",
	[M_FACT_RATING] = "Your rating",
	[M_FACT_RESOLVED_AT] = "Resolved",
	[M_FACT_CLOSED_AT] = "Closed",
	[M_FACT_LOCATION] = "Location",
	[M_FACT_OCCURRED_ON] = "Date it happened",
	[M_FACT_NOT_GIVEN] = "not given",
	[M_EV_RETURNED] = "Returned to the central admins",
	[M_EV_AUTOMATIC] = "automatically, by the system",
	[M_NEXT_H] = "What happens next",
	[M_NEXT_WHO] = "Whose turn",
	[M_NEXT_WHO_CENTRAL] = "The central admins",
	[M_NEXT_WHO_AGENCY] = "The agency",
	[M_NEXT_WHO_LIAISON] = "The agency's liaison officer",
	[M_NEXT_WHO_YOU] = "You",
	[M_NEXT_SUBMITTED] =
	    "A central admin checks your report and forwards it to the "
	    "agency in charge.",
	[M_NEXT_DISPOSITIONED] =
	    "The report has been forwarded. The agency accepts it and names "
	    "the liaison officer who handles it.",
	[M_NEXT_IN_PROGRESS] =
	    "The agency is following up your report until it is resolved.",
	[M_NEXT_RESPOND] = "First answer, deadline",
	[M_NEXT_RESOLVED] =
	    "The agency says the report is resolved. Read the resolution, "
	    "then rate it, or reopen the report if the problem is not "
	    "solved.",
	[M_NEXT_AUTOCLOSE] = "Closes automatically on",
	[M_NEXT_CLOSED] = "The report was closed when you rated it.",
	[M_NEXT_CLOSED_AUTO] =
	    "The report was closed automatically by the system, 14 days "
	    "after it was resolved, because it was neither rated nor "
	    "reopened.",
	[M_NEXT_REJECTED] = "The central admins did not forward this report.",
	[M_NEXT_MERGED] =
	    "This report was merged with another one about the same matter; "
	    "its follow-up is that of report",
	[M_NEXT_DAYS_LEFT] = "{1} working days left",
	[M_NEXT_DAYS_LEFT_1] = "1 working day left",
	[M_NEXT_TODAY] = "today",
	[M_NEXT_LATE] = "{1} days late",
	[M_NEXT_LATE_1] = "1 day late",
	[M_DUE_EXPLAIN] =
	    "Due (\"Tenggat\"): the time limit of this step, counted in "
	    "working days (Monday to Friday, except national holidays) and "
	    "ending at 23:59 WIB. If it passes, the report is marked late "
	    "and the central admins see it.",
	[M_RCPT_PRINT] = "Open the printable page",
	[M_RCPT_PRINT_H] = "Printable receipt",
	[M_RCPT_PRINT_HELP] =
	    "The case number, the token and the next steps on one page, to "
	    "print or save as PDF. It opens in a new tab; this page stays.",
	[M_RCPT_PRINT_BUTTON] = "Print",
	[M_RCPT_PRINT_HOW] =
	    "Print or save as PDF with the browser's Print menu (Ctrl+P). "
	    "Keep the paper somewhere safe.",
	[M_RCPT_PROOF_READ] = "Read the proof of filing",
	[M_RCPT_BACK] =
	    "The Back button will not show this token again. Write it down, "
	    "print or save it before you leave this page.",
	[M_RCPT_FP_H] = "Fingerprint of the identity key",
	[M_RCPT_FP] =
	    "An identity you give is sealed with this key; only {1} of the "
	    "{2} central admins together can open it. Compare its "
	    "fingerprint with the one published away from this server, such "
	    "as the operator's official site or posters.",
	[M_RCPT_FP_NONE] =
	    "This server has no identity key installed; reports are taken "
	    "without an identity.",
	[M_BUKTI_TITLE] = "Proof of filing",
	[M_BUKTI_INTRO] =
	    "The Bisik server signed the case number, the time it received "
	    "your report, a hash of its content, a hash of your sealed "
	    "identity if you gave one, and the head of its audit log at that "
	    "moment. This proof holds neither your token nor your identity.",
	[M_BUKTI_AT] = "Received on",
	[M_BUKTI_HASH] = "Content hash (BLAKE2b-256, base64)",
	[M_BUKTI_IDHASH] = "Sealed identity hash (BLAKE2b-256, base64)",
	[M_BUKTI_AUDIT] = "Audit log head at filing (entry: hash)",
	[M_BUKTI_SIG] = "Signature (Ed25519, base64)",
	[M_BUKTI_KEY] = "The server's receipt key",
	[M_BUKTI_VERIFY] =
	    "Anyone can check this signature with the server's receipt key, "
	    "also published at /api/v1/keys. The content hash changes if one "
	    "letter of the report changes, so this proof shows what was "
	    "received and when. The audit head is a witness: if the log is "
	    "ever rewritten, bisik audit verify --expect shows that it no "
	    "longer extends this head. Download the JSON version to keep it "
	    "or to check it with software.",
	[M_BUKTI_VALID] =
	    "This signature is valid: the server checked it before showing "
	    "this page.",
	[M_STAT_SMALL] = "fewer than {1} cases",
	[M_STAT_SMALL_WHY] =
	    "\"Fewer than {1} cases\": figures from fewer than {1} cases are "
	    "not shown, so that no reporter can be singled out.",
	[M_STAT_NONE_DUE] = "—",
	[M_STAT_NONE_DUE_WHY] =
	    "\"—\" under On time: no deadline has been met or missed yet, so "
	    "there is nothing to measure.",
	[M_STAT_TOTAL] = "All agencies",
	[M_STAT_UNASSIGNED] = "No agency yet",
	[M_STAT_PERIOD] = "Period",
	[M_STAT_PERIOD_ALL] = "All time",
	[M_STAT_PERIOD_SEND] = "Show",
	[M_STAT_CATEGORIES] = "By category",
	[M_STAT_TABLE_CAT] = "Figures per category",
	[M_STAT_SATISFACTION] = "Satisfaction (1–5)",
	[M_STAT_SATISFACTION_WHY] =
	    "Satisfaction: the reporters' average rating, from 1 (very "
	    "dissatisfied) to 5 (very satisfied).",
	[M_PUBLIK_CATEGORY] = "Category",
	[M_PUBLIK_ALL] = "All categories",
	[M_PUBLIK_NONE] = "No report has been published yet.",
	[M_PUBLIK_NONE_Q] =
	    "No public report matches this search. Try other words or clear "
	    "the category.",
	[M_PUBLIK_FEED] = "Atom feed of public reports (for feed readers)",
	[M_PUBLIK_RESOLVED] = "Resolved",
	[M_PUBLIK_PUBLISHED] = "Published",
	[M_MON_1] = "January",
	[M_MON_2] = "February",
	[M_MON_3] = "March",
	[M_MON_4] = "April",
	[M_MON_5] = "May",
	[M_MON_6] = "June",
	[M_MON_7] = "July",
	[M_MON_8] = "August",
	[M_MON_9] = "September",
	[M_MON_10] = "October",
	[M_MON_11] = "November",
	[M_MON_12] = "December",
	[M_WDAY_0] = "Sunday",
	[M_WDAY_1] = "Monday",
	[M_WDAY_2] = "Tuesday",
	[M_WDAY_3] = "Wednesday",
	[M_WDAY_4] = "Thursday",
	[M_WDAY_5] = "Friday",
	[M_WDAY_6] = "Saturday",
	[M_STAF_HOLIDAYS_H] = "No holiday list for {1} is installed",
	[M_STAF_HOLIDAYS] =
	    "Deadlines that fall in {1} are now counted as if that year "
	    "had no holidays. Add a file holidays-id-{1}.csv (one line "
	    "per holiday: YYYY-MM-DD,type,name, from the decree in force) "
	    "to bisik's data directory (config key holidays_dir; by "
	    "default share/bisik where bisik is installed), or list the "
	    "dates in the config key holidays, then restart bisikd. No "
	    "rebuild is needed.",
	[M_F_CHANNEL] = "Channel",
	[M_CH_WEB] = "Web site",
	[M_CH_SOCIAL_MEDIA] = "Social media",
	[M_CH_PHONE] = "Telephone",
	[M_CH_LETTER] = "Letter",
	[M_CH_WALK_IN] = "Walk-in",
	[M_CH_EMAIL] = "E-mail",
	[M_Q_FILTERS] = "Filter the queue",
	[M_Q_FROM] = "Received from",
	[M_Q_TO] = "Received until",
	[M_Q_ANY] = "— any —",
	[M_Q_APPLY] = "Apply",
	[M_Q_CLEAR] = "Clear the filters",
	[M_Q_PREV] = "Previous page",
	[M_Q_PAGES] = "Queue pages",
	[M_Q_TOTAL] = "In this queue: {1} cases, {2} overdue.",
	[M_Q_SHOWING] = "Showing cases {1}–{2}.",
	[M_Q_FILTERED] = "Filters are on: the figures above are unfiltered.",
	[M_Q_SELECT] = "Select",
	[M_Q_SELECT_ALL] = "Select all on this page",
	[M_Q_BULK_H] = "For the selected cases",
	[M_Q_BULK_FORWARD_HELP] =
	    "Tick new cases in the table, choose the agency, then "
	    "forward. A case that cannot be forwarded is left unchanged; "
	    "each case's result is shown.",
	[M_Q_BULK_ASSIGN_HELP] =
	    "Tick dispositioned cases in the table, choose the liaison "
	    "officer, then assign. A case that cannot be assigned is left "
	    "unchanged; each case's result is shown.",
	[M_Q_BULK_FORWARD] = "Forward the selected",
	[M_Q_BULK_ASSIGN] = "Assign the selected",
	[M_Q_BULK_RESULT_H] = "Result per case",
	[M_Q_BULK_RESULT] = "Result",
	[M_Q_BULK_OK] = "Done",
	[M_Q_BULK_FAIL] = "Not changed",
	[M_Q_BULK_SUMMARY] = "{1} done, {2} not changed.",
	[M_Q_BULK_NONE] = "No case was selected. Tick cases in the queue's table.",
	[M_Q_BULK_TOO_MANY] = "At most {1} cases at once.",
	[M_Q_BULK_NOW] = "its status is now",
	[M_Q_BACK] = "Back to the queue",
	[M_STAF_DUPS_H] = "Likely duplicates",
	[M_STAF_DUPS_HELP] =
	    "Other cases with a similar title and text (an estimate). "
	    "Merging closes this case; its reporter goes on following the "
	    "other case with their own token.",
	[M_STAF_DUPS_NONE] = "No other case is similar.",
	[M_STAF_DUPS_CAPPED] = "The search stopped at its bound; there may be more.",
	[M_STAF_SIMILARITY] = "Similarity",
	[M_STAF_MERGE_TO] = "Merge into",
	[M_STAF_CONFIRM_H] = "Confirm",
	[M_STAF_CONFIRM_REJECT] =
	    "This case will be rejected and closed; the reporter sees the "
	    "reason and the note. This cannot be undone.",
	[M_STAF_CONFIRM_YES_REJECT] = "Yes, reject this case",
	[M_STAF_CANCEL] = "Cancel, back to the case",
	[M_STAF_REJECT_HELP] =
	    "Rejecting closes the case without forwarding it. You will be "
	    "asked to confirm.",
	[M_STAF_REJECT_NEXT] = "Go on to confirm the rejection",
	[M_STAF_TOOLS_H] = "Files and hold",
	[M_STAF_EXPORT] = "Download the case export (ZIP)",
	[M_STAF_EXPORT_HELP] =
	    "Everything you may see of this case in one file, without the "
	    "identity; the download is recorded in the audit log.",
	[M_STAF_HOLD_ON] = "This case is under legal hold: the retention rules do not "
	    "delete it.",
	[M_STAF_HOLD_OFF] = "This case is not on hold; the retention rules apply.",
	[M_STAF_HOLD_SET] = "Place under legal hold",
	[M_STAF_HOLD_RELEASE] = "Release the hold",
	[M_STAF_FROM_REPORTER] = "From the reporter",
	[M_STAF_FROM_STAFF] = "From staff",
	[M_STAF_PHOTO_ALT] = "Preview of attachment {1}",
	[M_STAF_PREVIEWS_H] = "Image previews",
	[M_STAF_PREVIEWS_HELP] = "Copies without metadata, as the agency sees them.",
	[M_F_PHOTOS] = "Completion photos (optional)",
	[M_STAF_PHOTOS_HELP] =
	    "Up to {1} JPEG, PNG, WebP or PDF files, each at most the "
	    "attachment size, sent with the resolution; more can be "
	    "uploaded first as evidence and ticked below. "
	    "A photo's metadata is removed before the agency and the "
	    "reporter see it.",
	[M_STAF_EVIDENCE_PICK] = "Files already on the case as evidence",
	[M_STAF_LIAISON_NONE] =
	    "This agency has no active liaison officer yet. The server's "
	    "administrator adds one with bisikd user add.",
	[M_STAF_LIAISON_PICK] = "— choose a liaison officer —",
	[M_STAF_AGENCY_PICK] = "— choose an agency —",
	[M_STAF_INTAKE] = "New report",
	[M_STAF_INTAKE_H] = "A report from another channel",
	[M_STAF_INTAKE_INTRO] =
	    "For complaints that come by telephone, letter, in person, "
	    "social media or e-mail. The reporter's contact may be left "
	    "empty; if given, the server seals it for the central admins "
	    "at once and wipes the readable text, as the public form "
	    "does.",
	[M_F_SOURCE] = "Source (link or reference)",
	[M_STAF_SOURCE_HELP] =
	    "For example the link to a social media post or a letter's "
	    "number. Only central admins see it.",
	[M_STAF_CONTACT_H] = "The reporter's contact (optional, sealed)",
	[M_STAF_INTAKE_SEND] = "Record the report",
	[M_STAF_INTAKE_DONE_H] = "Report recorded",
	[M_STAF_INTAKE_TOKEN] =
	    "Give the case number and this token to the reporter through "
	    "the channel they used, so that they can follow the case. The "
	    "token is shown only this once.",
	[M_STAF_OPEN_CASE] = "Open the case",
	[M_STAF_PERIODIC] = "Periodic report",
	[M_STAF_PERIODIC_INTRO] =
	    "One row per agency for the cases received in the period "
	    "(received, dispositioned, answered on time, resolved, "
	    "outstanding, overdue, rating), as CSV.",
	[M_STAF_PERIODIC_SEND] = "Download CSV",
};
