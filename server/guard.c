/*
 * guard.c: slow clients cannot hold the server's connections.
 *
 * libmicrohttpd 0.9.75 knows only an idle timeout (SRV_CONN_TIMEOUT): a
 * client that sends one header byte every few seconds (slowloris) or one
 * body byte every few seconds (slow body) keeps its connection for ever,
 * and SRV_CONN_LIMIT such clients shut everyone else out. So, like
 * Apache's mod_reqtimeout, bisikd bounds the whole request instead:
 *
 *  - a request head (from the connection's start, or from the end of the
 *    previous request on a kept-alive connection) must be complete within
 *    GUARD_HEAD_MS;
 *  - a body must arrive at GUARD_BODY_RATE bytes a second on average once
 *    GUARD_BODY_GRACE_MS have passed since the head;
 *  - under pressure (at least half of SRV_CONN_LIMIT open) both shrink to
 *    GUARD_PRESSURE_MS, so that a flood of slow connections is shed in
 *    about two seconds while a real client (whose head arrives in one
 *    packet, also over Tor) is never near the bound.
 *
 * A watchdog thread looks at every connection each GUARD_TICK_MS and
 * shuts down (shutdown(2), never close) the socket of one past its bound;
 * the library then sees the end of the stream and closes the connection
 * itself. The library tells us a connection is closed before it closes
 * the descriptor, and the table's mutex is held across both, so a shut
 * down never reaches a descriptor that was reused.
 *
 * Only the client's slowness is bounded: a connection whose bytes wait
 * unread in its socket (waiting_unread) is not shed, because then the
 * server is what is slow. A pool thread serves its connections one at a
 * time, so those queued behind another connection's slow handler (a
 * form's durable commit; before logins hashed on threads of their own, a
 * burst of logins) are read only when it returns; counting that wait
 * against the client dropped them without an answer.
 *
 * Handlers' own time (Argon2id, image jobs, a durable commit) and the
 * sending of answers are not bounded here: the idle timeout covers a
 * client that stops reading.
 */
#include <sys/socket.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/http.h"
#include "server/guard.h"
#include "server/media.h"

#define GUARD_TICK_MS		250
#define GUARD_HEAD_MS		10000
#define GUARD_BODY_GRACE_MS	10000
#define GUARD_BODY_RATE		1024	/* bytes a second */
#define GUARD_PRESSURE_MS	2000

enum { PH_HEAD, PH_BODY, PH_WORK };

struct gconn {
	int		 fd;
	int		 phase;
	int		 shut;
	int64_t		 since;		/* ms, monotonic: start of the phase */
	uint64_t	 bytes;		/* body bytes in PH_BODY */
	struct gconn	*prev, *next;
};

static pthread_mutex_t	 g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 g_cv = PTHREAD_COND_INITIALIZER;
static struct gconn	*g_head;
static int		 g_stop, g_running;
static pthread_t	 g_thread;
static atomic_ullong	 g_open, g_accepted, g_ev_head, g_ev_body;

static struct gconn *
conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

void
srv_guard_notify(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo	*ci;
	struct gconn			*g;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL || (g = calloc(1, sizeof(*g))) == NULL)
			return;	/* untracked: only the idle timeout applies */
		g->fd = ci->connect_fd;
		g->phase = PH_HEAD;
		g->since = media_wire_now_ms();
		pthread_mutex_lock(&g_mu);
		g->next = g_head;
		if (g_head != NULL)
			g_head->prev = g;
		g_head = g;
		pthread_mutex_unlock(&g_mu);
		*socket_context = g;
		atomic_fetch_add(&g_open, 1);
		atomic_fetch_add(&g_accepted, 1);
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || *socket_context == NULL)
		return;
	g = *socket_context;
	pthread_mutex_lock(&g_mu);
	if (g->prev != NULL)
		g->prev->next = g->next;
	else
		g_head = g->next;
	if (g->next != NULL)
		g->next->prev = g->prev;
	pthread_mutex_unlock(&g_mu);
	free(g);
	*socket_context = NULL;
	atomic_fetch_sub(&g_open, 1);
}

void
srv_guard_step(struct MHD_Connection *conn, int first, size_t n)
{
	struct gconn *g = conn_of(conn);

	if (g == NULL)
		return;
	pthread_mutex_lock(&g_mu);
	if (first) {
		g->phase = PH_BODY;
		g->since = media_wire_now_ms();
		g->bytes = 0;
	} else if (n > 0)
		g->bytes += n;
	else
		g->phase = PH_WORK;	/* the whole body is in */
	pthread_mutex_unlock(&g_mu);
}

void
srv_guard_done(struct MHD_Connection *conn)
{
	struct gconn *g = conn_of(conn);

	if (g == NULL)
		return;
	pthread_mutex_lock(&g_mu);
	g->phase = PH_HEAD;
	g->since = media_wire_now_ms();
	pthread_mutex_unlock(&g_mu);
}

/*
 * Something the client sent that the server has not read yet, bytes or
 * the end of the stream: its thread is busy with another connection, and
 * the library closes a finished one itself when it gets there. A peek
 * (recv is on the seccomp list, ioctl is not) takes nothing from the
 * library; g_mu keeps fd from being closed and reused meanwhile.
 */
static int
waiting_unread(int fd)
{
	char	b;

	return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) >= 0;
}

/* One pass over the table; called with g_mu held. */
static void
sweep(void)
{
	struct gconn	*g;
	int64_t		 now = media_wire_now_ms(), age, head, grace;
	int		 pressure, late;

	pressure = atomic_load(&g_open) >= SRV_CONN_LIMIT / 2;
	head = pressure ? GUARD_PRESSURE_MS : GUARD_HEAD_MS;
	grace = pressure ? GUARD_PRESSURE_MS : GUARD_BODY_GRACE_MS;
	for (g = g_head; g != NULL; g = g->next) {
		if (g->shut)
			continue;
		age = now - g->since;
		if (g->phase == PH_HEAD)
			late = age > head;
		else if (g->phase == PH_BODY)
			late = age > grace && g->bytes <
			    (uint64_t)(age - grace) * GUARD_BODY_RATE / 1000;
		else
			late = 0;
		if (!late || waiting_unread(g->fd))
			continue;
		g->shut = 1;
		atomic_fetch_add(g->phase == PH_HEAD ? &g_ev_head : &g_ev_body,
		    1);
		(void)shutdown(g->fd, SHUT_RDWR);
	}
}

static void *
watchdog(void *arg)
{
	struct timespec	ts;

	(void)arg;
	pthread_mutex_lock(&g_mu);
	while (!g_stop) {
		sweep();
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += GUARD_TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&g_cv, &g_mu, &ts);
	}
	pthread_mutex_unlock(&g_mu);
	return NULL;
}

int
srv_guard_start(void)
{
	g_stop = 0;
	if (pthread_create(&g_thread, NULL, watchdog, NULL) != 0)
		return -1;
	g_running = 1;
	return 0;
}

void
srv_guard_stop(void)
{
	if (!g_running)
		return;
	pthread_mutex_lock(&g_mu);
	g_stop = 1;
	pthread_cond_signal(&g_cv);
	pthread_mutex_unlock(&g_mu);
	pthread_join(g_thread, NULL);
	g_running = 0;
}

void
srv_guard_get_stats(struct srv_guard_stats *st)
{
	st->open = atomic_load(&g_open);
	st->accepted = atomic_load(&g_accepted);
	st->evicted_head = atomic_load(&g_ev_head);
	st->evicted_body = atomic_load(&g_ev_body);
}
