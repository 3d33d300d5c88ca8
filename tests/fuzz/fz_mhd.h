/*
 * fz_mhd.h: a libmicrohttpd daemon with no socket and no thread for the
 * fuzz targets whose parser needs a real connection (a form's post
 * processor reads the connection's Content-Type; the query check walks
 * the connection's arguments). Each request is written on one end of a
 * socket pair whose other end is handed to the daemon, which runs until
 * the exchange is over; the handler gets the connection and the whole
 * body, as http.c hands a SRV_BODY_FORM body to a page. Included by one
 * target each (static functions): not a module.
 */
#ifndef BISIK_FZ_MHD_H
#define BISIK_FZ_MHD_H

#include <sys/socket.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

/* The largest body kept for the handler (the targets' inputs are cut to
 * -max_len anyway); rounds of MHD_run with nothing sent, read or closed
 * after which the exchange is over. */
#define FZM_BODY_MAX	(256 * 1024)
#define FZM_IDLE_ROUNDS	8

struct fzm_body {
	char	*p;
	size_t	 len;
};

static struct {
	struct MHD_Daemon	*d;
	/* Called once per request with the whole body. */
	void			(*on)(struct MHD_Connection *, const char *,
				    size_t);
	unsigned		 calls;	/* handler runs in the last exchange */
} fzm;

static void
fzm_die(const char *what)
{
	fprintf(stderr, "fz_mhd: %s\n", what);
	exit(1);
}

static enum MHD_Result
fzm_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **con_cls)
{
	struct fzm_body		*b = *con_cls;
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	size_t			 n;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	if (b == NULL) {
		if ((b = calloc(1, sizeof(*b))) == NULL ||
		    (b->p = malloc(FZM_BODY_MAX + 1)) == NULL)
			fzm_die("out of memory");
		*con_cls = b;
		return MHD_YES;
	}
	if (*upload_len > 0) {
		n = *upload_len;
		if (n > FZM_BODY_MAX - b->len)
			n = FZM_BODY_MAX - b->len;
		memcpy(b->p + b->len, upload, n);
		b->len += n;
		*upload_len = 0;
		return MHD_YES;
	}
	b->p[b->len] = '\0';
	fzm.calls++;
	fzm.on(conn, b->p, b->len);
	r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		fzm_die("no response");
	ret = MHD_queue_response(conn, MHD_HTTP_NO_CONTENT, r);
	MHD_destroy_response(r);
	return ret;
}

static void
fzm_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct fzm_body *b = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (b != NULL) {
		free(b->p);
		free(b);
		*con_cls = NULL;
	}
}

static void
fzm_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
}

/* Starts the daemon once, with bisikd's parsing mode and memory limit. */
static void
fzm_start(void (*on)(struct MHD_Connection *, const char *, size_t))
{
	if (fzm.d != NULL)
		return;
	fzm.on = on;
	fzm.d = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, fzm_access, NULL,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY,
	    MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_NOTIFY_COMPLETED, fzm_completed, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, fzm_log, NULL,
	    MHD_OPTION_END);
	if (fzm.d == NULL)
		fzm_die("MHD_start_daemon");
}

static int
fzm_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Sends req[0..len) on a new connection and runs the daemon until the
 * exchange is over and the connection gone. */
static void
fzm_exchange(const char *req, size_t len)
{
	const union MHD_DaemonInfo	*di;
	struct sockaddr_in		 sin;
	char				 buf[4096];
	int				 sv[2] = { -1, -1 };
	size_t				 off = 0;
	ssize_t				 n;
	int				 idle = 0, progress, i;

	fzm.calls = 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		fzm_die("socketpair");
	if (fzm_nonblock(sv[0]) == -1 || fzm_nonblock(sv[1]) == -1)
		fzm_die("non-blocking socket");
	if (MHD_add_connection(fzm.d, sv[1], (struct sockaddr *)&sin,
	    sizeof(sin)) != MHD_YES) {
		close(sv[0]);
		return;
	}
	while (idle < FZM_IDLE_ROUNDS) {
		progress = 0;
		if (off < len) {
			n = send(sv[0], req + off, len - off, MSG_NOSIGNAL);
			if (n > 0) {
				off += (size_t)n;
				progress = 1;
			}
		}
		MHD_run(fzm.d);
		while ((n = read(sv[0], buf, sizeof(buf))) > 0)
			progress = 1;
		if (n == 0)
			break;		/* the daemon closed the connection */
		idle = progress ? 0 : idle + 1;
	}
	close(sv[0]);
	for (i = 0; i < 64; i++) {
		MHD_run(fzm.d);
		di = MHD_get_daemon_info(fzm.d,
		    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (di == NULL || di->num_connections == 0)
			break;
	}
}

#endif
