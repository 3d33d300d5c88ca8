/*
 * fuzz_config.c: libFuzzer target for the `bisikd serve --config` parser
 * (server/config.c). Any input must either parse or fail with a sentence;
 * never crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srv_config	cfg;
	char			err[256];

	if (crypto_init() == -1)
		return 0;
	srv_config_defaults(&cfg);
	err[0] = '\0';
	if (srv_config_parse(&cfg, (const char *)data, size, err,
	    sizeof(err)) == -1 && err[0] == '\0')
		abort();	/* every failure must say why */
	srv_config_free(&cfg);
	return 0;
}
