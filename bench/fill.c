/*
 * fill.c: fills a data directory with N reports through the real
 * submission path (the POST /reports handler, with its parsing, sealing
 * and group-committed durable writes), without HTTP, from T threads, so
 * that bench/run.sh can measure follow-up and start-up at 1,000,000
 * stored cases in minutes. Prints the token of the last report; on
 * stderr, a progress line every FILL_PROGRESS_SECONDS (a million cases
 * take minutes).
 *
 *   fill DATA_DIR N THREADS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server.h"

extern const char *const srv_shipped_holidays[];

/* Seconds between two progress lines on stderr. */
#define FILL_PROGRESS_SECONDS	30
/* How often the main thread looks at the count: the end of a small fill
 * is seen within this, so that it adds little to the fill's time. */
#define FILL_POLL_NS		(100 * 1000 * 1000L)

/* Submissions handled so far, by every worker. */
static unsigned long	filled;

struct worker {
	struct srv_ctx	*ctx;
	unsigned long	 from, to;
	char		 token[CRYPTO_TOKEN_TEXT + 8];
	unsigned long	 failed;
};

static void *
work(void *arg)
{
	struct worker		*w = arg;
	struct srv_request	 rq;
	struct srv_reply	 rp;
	char			 body[1024];
	unsigned long		 i;

	for (i = w->from; i < w->to; i++) {
		snprintf(body, sizeof(body), "{\"kind\":\"complaint\",\"title\":"
		    "\"Laporan nomor %lu\",\"body\":\"Lampu penerangan jalan di "
		    "gang %lu mati sejak bulan lalu dan warga khawatir.\"}",
		    i, i % 997);
		memset(&rq, 0, sizeof(rq));
		memset(&rp, 0, sizeof(rp));
		rq.method = "POST";
		rq.path = "/api/v1/reports";
		rq.body = body;
		rq.len = strlen(body);
		rq.now = time(NULL);
		api_report_submit(w->ctx, &rq, &rp);
		if (rp.status != 201)
			w->failed++;
		else if (i + 1 == w->to) {
			const char *t = json_string_value(json_object_get(rp.body,
			    "token"));
			if (t != NULL)
				snprintf(w->token, sizeof(w->token), "%s", t);
		}
		json_decref(rp.body);
		__atomic_add_fetch(&filled, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct srv_config	 cfg;
	struct srv_keys		 keys;
	struct srv_ctx		 ctx;
	struct store		*s;
	struct worker		*w = NULL;
	pthread_t		*th = NULL;
	unsigned long		 n, t, i, started = 0, failed = 0, done;
	int			 rc = 1;
	size_t			 h;
	time_t			 t0, last, now;
	struct timespec		 nap = { 0, FILL_POLL_NS };

	if (argc != 4 || crypto_init() == -1)
		return 2;
	core_json_wipe_on_free();
	n = strtoul(argv[2], NULL, 10);
	t = strtoul(argv[3], NULL, 10);
	if (n == 0 || t == 0 || t > 256)
		return 2;
	srv_config_defaults(&cfg);
	cfg.pow_difficulty = 0;
	for (h = 0; srv_shipped_holidays[h] != NULL; h++)
		(void)!core_calendar_add(&cfg.calendar, srv_shipped_holidays[h]);
	srv_log_set_level(LOG_ERR);
	if (srv_keys_load(argv[1], &keys) == -1 ||
	    store_open(argv[1], 0, &s) != STORE_OK) {
		fprintf(stderr, "fill: cannot open %s\n", argv[1]);
		return 1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = s;
	ctx.keys = &keys;
	ctx.cfg = &cfg;
	w = calloc(t, sizeof(*w));
	th = calloc(t, sizeof(*th));
	if (w == NULL || th == NULL)
		goto out;
	t0 = last = time(NULL);
	for (started = 0; started < t; started++) {
		w[started].ctx = &ctx;
		w[started].from = n * started / t;
		w[started].to = n * (started + 1) / t;
		if (pthread_create(&th[started], NULL, work, &w[started]) != 0) {
			fprintf(stderr, "fill: cannot start thread %lu\n", started);
			break;
		}
	}
	/* Without every thread the count never reaches n: only join. */
	while (started == t &&
	    (done = __atomic_load_n(&filled, __ATOMIC_RELAXED)) < n) {
		nanosleep(&nap, NULL);
		now = time(NULL);
		if (now - last < FILL_PROGRESS_SECONDS || now == t0)
			continue;
		last = now;
		fprintf(stderr, "bench:   fill: %lu of %lu cases, %.0f a second, "
		    "about %.0f s left\n", done, n, (double)done / (double)(now - t0),
		    done > 0 ? (double)(n - done) * (double)(now - t0) /
		    (double)done : 0.0);
	}
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		failed += w[i].failed;
	}
	if (started == t) {
		if (failed > 0)
			fprintf(stderr, "fill: %lu submissions failed\n", failed);
		printf("%s\n", w[t - 1].token);
		rc = failed > 0;
	}
out:
	store_close(s);
	srv_keys_free(&keys);
	free(w);
	free(th);
	return rc;
}
