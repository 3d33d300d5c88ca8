/*
 * server_ceremony_test.c: the server's settings for the dealerless escrow
 * key ceremony (server/api_ceremony.c, docs/dkg.md): the config key
 * "dkg_phase_hours" at and past its edges (one second, SRV_DKG_PHASE_MAX).
 * The relay itself runs against a real bisikd in tests/e2e/e2e_dkg.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "tests/unit/tap.h"

static void
test_config(void)
{
	static const struct {
		const char	*json;
		int		 ok;
		unsigned	 phase;
	} cases[] = {
		{ "{}", 1, SRV_DKG_PHASE_HOURS * 3600 },
		{ "{\"dkg_phase_hours\":1}", 1, 3600 },
		{ "{\"dkg_phase_hours\":0.5}", 1, 1800 },
		{ "{\"dkg_phase_hours\":168}", 1, SRV_DKG_PHASE_MAX },
		{ "{\"dkg_phase_hours\":168.001}", 0, 0 },
		{ "{\"dkg_phase_hours\":0.000278}", 1, 1 },
		{ "{\"dkg_phase_hours\":0.000277}", 0, 0 },
		{ "{\"dkg_phase_hours\":0}", 0, 0 },
		{ "{\"dkg_phase_hours\":-1}", 0, 0 },
		{ "{\"dkg_phase_hours\":\"24\"}", 0, 0 },
		{ "{\"dkg_phase_hours\":null}", 0, 0 },
	};
	struct srv_config	c;
	char			err[256], name[96];
	size_t			i;
	int			rc;

	CHECK(SRV_DKG_PHASE_MAX == 168 * 3600, "the longest phase is 168 hours");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		srv_config_defaults(&c);
		err[0] = '\0';
		rc = srv_config_parse(&c, cases[i].json, strlen(cases[i].json),
		    err, sizeof(err));
		snprintf(name, sizeof(name), "config %s: %s", cases[i].json,
		    cases[i].ok ? "accepted" : "refused, naming the key");
		CHECK(cases[i].ok ? rc == 0 && c.dkg_phase == cases[i].phase :
		    rc == -1 && strstr(err, "dkg_phase_hours") != NULL, name);
		srv_config_free(&c);
	}
}

int
main(void)
{
	if (crypto_init() == -1) {
		printf("not ok - crypto_init\n");
		return 1;
	}
	test_config();
	return tap_done();
}
