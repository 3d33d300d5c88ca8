/*
 * raw_mhd.c: the raw ceiling for GET requests on this machine: a minimal
 * libmicrohttpd server started the way server/http.c starts bisikd (one
 * internal polling thread per pool slot, epoll, the same connection
 * limit, idle timeout, per-connection memory and strictness), answering
 * every request with a small fixed JSON body. bench/run.sh drives it with
 * wrk next to bisikd, at several thread counts, and keeps the best.
 *
 * It answers at the second callback of a request, as bisikd does: with
 * libmicrohttpd 0.9.75 a response queued at the first callback is sent
 * with "Connection: close", and the ceiling would measure a new TCP
 * connection per request instead of keep-alive (bench/run.sh checks this
 * with curl before measuring).
 *
 *   raw_mhd PORT THREADS
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

/* The same values as SRV_CONN_LIMIT, SRV_CONN_TIMEOUT and SRV_CONN_MEMORY
 * in server/server.h, so that the library does the same work per
 * connection in both servers. */
#define RAW_CONN_LIMIT		1000
#define RAW_CONN_TIMEOUT	15
#define RAW_CONN_MEMORY		(64 * 1024)
/* The bounds of bisikd's `threads` configuration key. */
#define RAW_THREADS_MAX		256

static char	body[] = "{\"status\":\"ok\"}";
/* The mark left in *con_cls at the first callback of a request. */
static int	seen;

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response	*r = NULL;
	enum MHD_Result		 ret = MHD_NO;

	(void)cls; (void)url; (void)method; (void)version; (void)upload_data;
	if (*con_cls == NULL) {
		/* First callback: headers only. Answering now would close. */
		*con_cls = &seen;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		/* A body is not expected; consume it and answer at the end. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		goto out;
	if (MHD_add_response_header(r, "Content-Type",
	    "application/json") == MHD_NO)
		goto out;
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
out:
	if (r != NULL)
		MHD_destroy_response(r);
	return ret;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon	*d = NULL;
	sigset_t		 set;
	long			 port, threads;
	char			*end;
	int			 sig = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: raw_mhd PORT THREADS\n");
		return 2;
	}
	port = strtol(argv[1], &end, 10);
	if (*end != '\0' || port < 1 || port > 65535) {
		fprintf(stderr, "raw_mhd: the port must be 1 to 65535.\n");
		return 2;
	}
	threads = strtol(argv[2], &end, 10);
	if (*end != '\0' || threads < 1 || threads > RAW_THREADS_MAX) {
		fprintf(stderr, "raw_mhd: threads must be 1 to %d.\n",
		    RAW_THREADS_MAX);
		return 2;
	}
	/* SIGTERM and SIGINT go to this thread only (as in bisikd). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    (uint16_t)port, NULL, NULL, on_request, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)RAW_CONN_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)RAW_CONN_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)RAW_CONN_MEMORY,
	    MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "raw_mhd: cannot listen on port %ld.\n", port);
		return 1;
	}
	while (sigwait(&set, &sig) != 0)
		;
	MHD_stop_daemon(d);
	return 0;
}
