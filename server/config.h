/*
 * config.h: the keys of bisikd's configuration file as a table (config.c).
 * Private to config.c and its tests: the rest of bisikd knows only
 * struct srv_config and srv_config_parse (server.h).
 *
 * One row per key: its name, its type, where it goes in struct
 * srv_config, its bounds and default (always one of the named constants
 * below or of the module that the key sets) and the unit its message
 * names. The parser is one loop over the rows, and every range error is
 * written from its row, so a changed constant changes the message with
 * it; srv_config_defaults is one loop over the defaults. README.md
 * ("Configuration") lists the same keys (tests/unit/server_config_test.c
 * checks it).
 */
#ifndef BISIK_CONFIG_H
#define BISIK_CONFIG_H

#include <stddef.h>

#include <jansson.h>

#include "server/util.h"

/* Bounds of keys not owned by another module. */
/* threads: at least one worker, or nothing is served. */
#define SRV_THREADS_MIN		1
/* max_attachment_bytes: as small as the smallest body (a test server
 * with tiny attachments), at most the largest body a request may have. */
#define SRV_ATTACH_MIN		SRV_BODY_MIN
/* pow_difficulty: 16 bits, about 65,000 hashes, a second or less in a
 * browser; enough to make bulk submissions cost a spammer. */
#define SRV_POW_DEFAULT		16
/* suppression_threshold: 1 shows every count; a million hides every
 * count a province is ever likely to have. Counts below 5 are hidden by
 * default, the usual small-cell rule of public statistics. */
#define SRV_SUPPRESSION_MIN	1
#define SRV_SUPPRESSION_MAX	1000000
#define SRV_SUPPRESSION_DEFAULT	5
/* deadlines: working days; one at the least, a year at most. By default
 * 3 to dispose of and 3 to accept a case, 5 to respond, 14 to resolve. */
#define SRV_DEADLINE_DAYS_MIN	1
#define SRV_DEADLINE_DAYS_MAX	365
#define SRV_DEADLINE_DISPOSE	3
#define SRV_DEADLINE_ACCEPT	3
#define SRV_DEADLINE_RESPOND	5
#define SRV_DEADLINE_RESOLVE	14
/* rate_limit: requests a minute (0 = off); far beyond what one machine
 * answers, so only a typo is refused. */
#define SRV_RATE_MAX		100000000
/* retention_unit_seconds (tests only): a "month" of one second to 31
 * days. */
#define SRV_RETAIN_UNIT_MIN	1
#define SRV_RETAIN_UNIT_MAX	(31 * 86400)
/* disclosure_ttl_hours, dkg_phase_hours: one second at the least. */
#define SRV_HOURS_MIN_SECONDS	1
/* The default of a row that has none in the table: the key is absent by
 * default (retention), or srv_config_defaults computes it (threads). */
#define SRV_CFG_NO_DEFAULT	(-1)

enum srv_cfg_type {
	SRV_CFG_UINT,	/* JSON integer in [min, max] */
	SRV_CFG_BOOL,	/* true or false, stored as int 1 or 0 */
	/* JSON number of hours, stored in seconds; min and max are seconds */
	SRV_CFG_HOURS,
	SRV_CFG_OBJECT,	/* an object, whose members are rows too */
	SRV_CFG_CHECK,	/* a string or list checked by the row's check */
	SRV_CFG_TYPE_MAX
};

/* What the rows' checks keep between rows: the TLS file names, read only
 * once both (or neither) are known. Borrowed from the parsed JSON. */
struct srv_config_parse {
	const char	*tls_cert;
	const char	*tls_key;
};

struct srv_config_key {
	const char		*name;
	enum srv_cfg_type	 type;
	size_t			 offset;	/* in struct srv_config */
	/* The size of the field: int, unsigned or size_t. */
	size_t			 size;
	long long		 min, max;
	/* SRV_CFG_UINT, _BOOL, _HOURS (in seconds): the value without the
	 * key, set by srv_config_defaults; or SRV_CFG_NO_DEFAULT. */
	long long		 def;
	const char		*unit;		/* "bits", or NULL */
	/*
	 * SRV_CFG_CHECK: parses v into c (or p), returns -1 if it is not
	 * acceptable: then "config key "NAME" WHAT." unless the check wrote
	 * a sentence of its own to err. SRV_CFG_UINT: called after the value
	 * is stored, for what the value implies (retention's policy bit).
	 */
	int			(*check)(struct srv_config *c,
				    struct srv_config_parse *p,
				    const struct srv_config_key *row,
				    const json_t *v, char *err, size_t errlen);
	/* SRV_CFG_CHECK: the message */
	const char		*what;
	/* SRV_CFG_OBJECT */
	const struct srv_config_key *members;
	size_t			 nmembers;
	/* SRV_CFG_HOURS: round to the nearest second (else truncate) */
	int			 round;
};

extern const struct srv_config_key	srv_config_keys[];
extern const size_t			srv_config_nkeys;

#endif
