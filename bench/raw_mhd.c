/*
 * raw_mhd.c: the raw ceiling for GET requests on this machine: a minimal
 * libmicrohttpd server, configured like bisikd (epoll, thread pool of the
 * same size, same limits), answering every request with a small fixed
 * JSON body. bench/run.sh drives it with wrk next to bisikd.
 *
 *   raw_mhd PORT THREADS
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static char body[] = "{\"status\":\"ok\"}";

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	(void)cls; (void)url; (void)method; (void)version; (void)upload_data;
	(void)upload_data_size; (void)con_cls;
	r = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon	*d;
	sigset_t		 set;
	int			 sig;

	if (argc != 3)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    (uint16_t)atoi(argv[1]), NULL, NULL, on_request, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[2]),
	    MHD_OPTION_CONNECTION_LIMIT, 1000u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 15u,
	    MHD_OPTION_END);
	if (d == NULL)
		return 1;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
