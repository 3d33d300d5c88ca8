/*
 * guard.h: slow-client guard of bisikd's HTTP front (guard.c). Private to
 * http.c and metrics.c; it needs libmicrohttpd's types.
 */
#ifndef BISIK_GUARD_H
#define BISIK_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

/* MHD_OPTION_NOTIFY_CONNECTION callback: tracks each connection. */
void	srv_guard_notify(void *cls, struct MHD_Connection *,
	    void **socket_context, enum MHD_ConnectionNotificationCode);
/* From the access handler, at every call: first is 1 on the call that
 * brings a complete request head, n the body bytes of this call. */
void	srv_guard_step(struct MHD_Connection *, int first, size_t n);
/* From the completion callback: the connection waits for a new head. */
void	srv_guard_done(struct MHD_Connection *);
/* The watchdog thread; -1 if it cannot start. */
int	srv_guard_start(void);
void	srv_guard_stop(void);

struct srv_guard_stats {
	uint64_t	open;		/* connections now */
	uint64_t	accepted;	/* since start */
	uint64_t	evicted_head;	/* closed: request head too slow */
	uint64_t	evicted_body;	/* closed: body too slow */
};
void	srv_guard_get_stats(struct srv_guard_stats *);

#endif
