/*
 * metrics.c: GET /metrics in Prometheus' text format, on a listener of its
 * own (config key "metrics_listen", loopback only, off by default) so that
 * it is never reachable through the public front.
 *
 * What is counted: requests by route name (the route table's names, never
 * a path) and status class, their latency as a histogram per route,
 * connections (open, accepted, shed by the slow-client guard), cases by
 * status summed over agencies from the workflow's counters, and the
 * store's map size, used bytes, durable commits and how long writes wait
 * for them. Nothing about a
 * person, a token, a case or an address is a label or a value.
 *
 * Counting is lock-free (relaxed atomics in fixed arrays indexed by the
 * route's place in the table); a scrape reads them without stopping
 * anyone and one read transaction sums the counters.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "server/http.h"
#include "server/guard.h"

/* Routes counted by index; one more counts requests of no route. */
#define M_ROUTES	256
/* Status classes 1xx..5xx; anything else counts as 5xx. */
#define M_CLASSES	5
static const double m_le[] = {	/* seconds */
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
#define M_BUCKETS	(sizeof(m_le) / sizeof(m_le[0]))

struct m_route {
	_Atomic(const char *)	name;
	atomic_ullong		by_class[M_CLASSES];
	atomic_ullong		bucket[M_BUCKETS + 1];	/* last: +Inf */
	atomic_ullong		sum_us;
	atomic_ullong		count;
};

static struct m_route		 m_routes[M_ROUTES + 1];
static struct MHD_Daemon	*m_daemon;
static struct srv_ctx		*m_ctx;
static time_t			 m_start;

void
srv_metrics_request(int route, const char *name, unsigned status, double ms)
{
	struct m_route	*r;
	unsigned	 c;
	size_t		 b;
	double		 s = ms / 1000.0;

	if (route < 0 || route >= M_ROUTES) {
		route = M_ROUTES;
		name = "none";
	}
	r = &m_routes[route];
	if (atomic_load_explicit(&r->name, memory_order_relaxed) == NULL)
		atomic_store(&r->name, name);
	c = status >= 100 && status < 600 ? status / 100 - 1 : 4;
	atomic_fetch_add_explicit(&r->by_class[c], 1, memory_order_relaxed);
	for (b = 0; b < M_BUCKETS && s > m_le[b]; b++)
		;
	atomic_fetch_add_explicit(&r->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->sum_us,
	    ms > 0 ? (unsigned long long)(ms * 1000.0) : 0,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
}

/* ---- text --------------------------------------------------------------- */

/* The metrics text: M_ROUTES routes of five status classes and a
 * histogram of M_BUCKETS buckets, each line under 160 bytes, is under
 * 4 MiB. */
#define M_TEXT_MAX	(4 * 1024 * 1024)

struct qsum {
	uint64_t total[CORE_ST_MAX];
};

static int
qsum_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct qsum	*q = arg;
	const uint8_t	*k = key, *v = val;

	/* "q:" agency NUL status -> 0x01 total(8) unread(8) */
	if (klen < 4 || k[klen - 2] != '\0' || vlen < 9 || v[0] != 0x01 ||
	    k[klen - 1] >= CORE_ST_MAX)
		return 0;
	q->total[k[klen - 1]] += store_be64_get(v + 1);
	return 0;
}

static int
qsum_read(struct store_txn *txn, void *arg)
{
	return store_each(txn, STORE_T_STATS, SRV_COUNTER_PREFIX, 2,
	    SRV_COUNTER_PREFIX, 2, qsum_each, arg);
}

char *
srv_metrics_text(struct srv_ctx *ctx, size_t *len)
{
	static const char	*cls[M_CLASSES] = { "1xx", "2xx", "3xx", "4xx",
	    "5xx" };
	struct core_buf		 b;
	struct store_stats	 st;
	struct srv_guard_stats	 gs;
	struct qsum		 q;
	const char		*name;
	unsigned long long	 n, cum;
	size_t			 i, c, k;
	int			 qrc;

	core_buf_init(&b, M_TEXT_MAX);
	core_buf_printf(&b, "# HELP bisik_up 1 while bisikd serves.\n"
	    "# TYPE bisik_up gauge\nbisik_up 1\n"
	    "# HELP bisik_start_time_seconds When bisikd started (Unix time).\n"
	    "# TYPE bisik_start_time_seconds gauge\n"
	    "bisik_start_time_seconds %lld\n", (long long)m_start);

	core_buf_printf(&b, "# HELP bisik_http_requests_total Requests "
	    "answered, by route name and status class.\n"
	    "# TYPE bisik_http_requests_total counter\n");
	for (i = 0; i <= M_ROUTES; i++) {
		if ((name = atomic_load(&m_routes[i].name)) == NULL)
			continue;
		for (c = 0; c < M_CLASSES; c++)
			if ((n = atomic_load(&m_routes[i].by_class[c])) > 0)
				core_buf_printf(&b,
				    "bisik_http_requests_total"
				    "{route=\"%s\",code=\"%s\"} %llu\n",
				    name, cls[c], n);
	}
	core_buf_printf(&b, "# HELP bisik_http_request_duration_seconds "
	    "Time from a request's head to its completion, by route name.\n"
	    "# TYPE bisik_http_request_duration_seconds histogram\n");
	for (i = 0; i <= M_ROUTES; i++) {
		if ((name = atomic_load(&m_routes[i].name)) == NULL)
			continue;
		cum = 0;
		for (k = 0; k <= M_BUCKETS; k++) {
			cum += atomic_load(&m_routes[i].bucket[k]);
			if (k < M_BUCKETS)
				core_buf_printf(&b,
				    "bisik_http_request_duration_seconds_bucket"
				    "{route=\"%s\",le=\"%g\"} %llu\n", name,
				    m_le[k], cum);
			else
				core_buf_printf(&b,
				    "bisik_http_request_duration_seconds_bucket"
				    "{route=\"%s\",le=\"+Inf\"} %llu\n", name,
				    cum);
		}
		core_buf_printf(&b, "bisik_http_request_duration_seconds_sum"
		    "{route=\"%s\"} %.6f\n", name,
		    (double)atomic_load(&m_routes[i].sum_us) / 1e6);
		core_buf_printf(&b, "bisik_http_request_duration_seconds_count"
		    "{route=\"%s\"} %llu\n", name, cum);
	}

	srv_guard_get_stats(&gs);
	core_buf_printf(&b, "# HELP bisik_http_connections_open "
	    "Connections open now.\n"
	    "# TYPE bisik_http_connections_open gauge\n"
	    "bisik_http_connections_open %llu\n"
	    "# HELP bisik_http_connections_accepted_total Connections "
	    "accepted.\n# TYPE bisik_http_connections_accepted_total counter\n"
	    "bisik_http_connections_accepted_total %llu\n"
	    "# HELP bisik_http_connections_shed_total Connections closed "
	    "because the request head or body came too slowly.\n"
	    "# TYPE bisik_http_connections_shed_total counter\n"
	    "bisik_http_connections_shed_total{reason=\"slow_head\"} %llu\n"
	    "bisik_http_connections_shed_total{reason=\"slow_body\"} %llu\n",
	    (unsigned long long)gs.open, (unsigned long long)gs.accepted,
	    (unsigned long long)gs.evicted_head,
	    (unsigned long long)gs.evicted_body);
	core_buf_printf(&b, "# HELP bisik_http_connections_parked "
	    "Connections waiting, without a thread, for a group commit or a "
	    "login's password hash.\n"
	    "# TYPE bisik_http_connections_parked gauge\n"
	    "bisik_http_connections_parked %d\n"
	    "# HELP bisik_auth_argon_running Logins holding one of the "
	    "Argon2id slots now.\n"
	    "# TYPE bisik_auth_argon_running gauge\n"
	    "bisik_auth_argon_running %d\n", srv_http_parked(),
	    srv_auth_argon_running());

	memset(&q, 0, sizeof(q));
	qrc = store_read(ctx->store, qsum_read, &q);
	if (qrc == STORE_OK) {
		core_buf_printf(&b, "# HELP bisik_cases Cases by status "
		    "(the work queues).\n"
		    "# TYPE bisik_cases gauge\n");
		for (i = 0; i < CORE_ST_MAX; i++)
			core_buf_printf(&b, "bisik_cases{status=\"%s\"} %llu\n",
			    core_status_name((enum core_status)i),
			    (unsigned long long)q.total[i]);
	}
	store_get_stats(ctx->store, &st);
	core_buf_printf(&b, "# HELP bisik_store_map_bytes "
	    "Size of the LMDB map.\n"
	    "# TYPE bisik_store_map_bytes gauge\nbisik_store_map_bytes %zu\n"
	    "# HELP bisik_store_used_bytes Pages of the LMDB map in use.\n"
	    "# TYPE bisik_store_used_bytes gauge\nbisik_store_used_bytes %zu\n"
	    "# HELP bisik_store_commits_total Durable write transactions.\n"
	    "# TYPE bisik_store_commits_total counter\n"
	    "bisik_store_commits_total %llu\n"
	    "# HELP bisik_store_jobs_total Writes carried by those "
	    "transactions.\n# TYPE bisik_store_jobs_total counter\n"
	    "bisik_store_jobs_total %llu\n",
	    st.map_size, st.used_bytes, (unsigned long long)st.commits,
	    (unsigned long long)st.jobs);
	/* How long writes wait for their group commit (store/writer.c). */
	core_buf_printf(&b, "# HELP bisik_store_write_wait_seconds From a "
	    "write being queued to its transaction being durable.\n"
	    "# TYPE bisik_store_write_wait_seconds histogram\n");
	for (i = 0, cum = 0; i < STORE_WAIT_BUCKETS; i++) {
		cum += st.wait[i];
		if (i < STORE_WAIT_BUCKETS - 1)
			core_buf_printf(&b,
			    "bisik_store_write_wait_seconds_bucket"
			    "{le=\"%g\"} %llu\n",
			    (double)store_wait_bound(i) / 1e6,
			    (unsigned long long)cum);
		else
			core_buf_printf(&b,
			    "bisik_store_write_wait_seconds_bucket"
			    "{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	}
	core_buf_printf(&b, "bisik_store_write_wait_seconds_sum %.6f\n"
	    "bisik_store_write_wait_seconds_count %llu\n",
	    (double)st.wait_sum_us / 1e6, (unsigned long long)cum);
	return core_buf_take(&b, len);
}

/* ---- the listener ---------------------------------------------------- */

static enum MHD_Result
m_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	static char		 notfound[] = "not found\n";
	static int		 first;
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	unsigned		 status = 200;
	char			*text;
	size_t			 len = 0;

	(void)cls;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {		/* the head: answer at the next call */
		*con_cls = &first;
		return MHD_YES;
	}
	*upload_data_size = 0;		/* a body is ignored */
	if (strcmp(method, "GET") != 0 || strcmp(url, "/metrics") != 0) {
		status = 404;
		r = MHD_create_response_from_buffer(strlen(notfound), notfound,
		    MHD_RESPMEM_PERSISTENT);
	} else if ((text = srv_metrics_text(m_ctx, &len)) == NULL) {
		status = 503;
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
	} else
		r = MHD_create_response_from_buffer_with_free_callback(len,
		    text, free);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * The listener takes the options every bisikd listener has
 * (srv_http_options) with bounds of its own: a Prometheus server or two
 * scrape it, one short GET at a time, so that 16 connections, 5 seconds
 * idle and 16 KiB of memory each (its requests have a few headers) are
 * ample, and a local process that floods it costs little. It adds
 * nothing else: no guard, no strict mode (it answers one path and reads
 * no body).
 */
#define M_CONN_LIMIT	16
#define M_CONN_TIMEOUT	5
#define M_CONN_MEMORY	(16 * 1024)

int
srv_metrics_start(struct srv_ctx *ctx, int fd)
{
	struct MHD_OptionItem	o[SRV_HTTP_COMMON_OPTIONS + 1];
	size_t			n;

	m_ctx = ctx;
	m_start = time(NULL);
	n = srv_http_options(o, fd, M_CONN_LIMIT, M_CONN_TIMEOUT,
	    M_CONN_MEMORY);
	o[n].option = MHD_OPTION_END;
	o[n].value = 0;
	o[n].ptr_value = NULL;
	m_daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, m_request, NULL,
	    MHD_OPTION_ARRAY, o, MHD_OPTION_END);
	return m_daemon != NULL ? 0 : -1;
}

void
srv_metrics_stop(void)
{
	if (m_daemon != NULL)
		MHD_stop_daemon(m_daemon);
	m_daemon = NULL;
}
