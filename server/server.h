/*
 * server.h: the programs' header of bisikd (server/main.c, routes.c,
 * cmd_data.c, sweeper.c) and what the server's unit tests, fuzz targets
 * and benchmarks include: every layer (docs/design.md, "Layers of
 * server/"), from util.h up to pages.h, and the programs' own entry points.
 * A file of a lower layer includes its own layer's header instead.
 */
#ifndef BISIK_SERVER_H
#define BISIK_SERVER_H

#include "server/pages.h"

/* ---- Route table (routes.c) -------------------------------------------- */

/* bisikd's routes: every API handler and page. */
extern const struct srv_router srv_routes;
/* Route i of the table: method, path pattern ("{}" is one path
 * parameter) and body kind (SRV_BODY_*); -1 past the last. */
SRV_WUR int	srv_routes_at(size_t i, const char **method, const char **path,
		    int *body);

/* ---- Staff workflow (workflow.c, queue.c, api_cases.c, sweeper.c) ------ */

/* The automatic close (sweeper.c). srv_sweeper_run closes resolved cases whose
 * 14 days are over, SRV_SWEEP_BATCH at most, in one durable job. */
SRV_WUR int	srv_sweeper_run(struct srv_ctx *, time_t now, size_t *closed);
SRV_WUR int	srv_sweeper_start(struct srv_ctx *);
void	srv_sweeper_stop(void);

/* ---- Storage key rotation (rekey.c) ---------------------------------------- */

/* With --data-keys a case is all of its text, messages and files
 * (up to 40 copies of max_attachment_bytes): 50 a transaction by
 * default keeps one commit's dirty pages within memory. */
#define SRV_REKEY_DATA_BATCH	50

/* ---- Transparency: duplicates, statistics, publication, retention,
 * export (dedup.c, derived.c, publish.c, retention.c, export.c, zip.c) ---- */

/* `bisikd stats rebuild [--data DIR] [--fix]` and `bisikd compact [--data
 * DIR]` (cmd_data.c): argv after the command word; exit codes. */
int	srv_cmd_data_stats(int argc, char **argv);
int	srv_cmd_data_compact(int argc, char **argv);

#endif
