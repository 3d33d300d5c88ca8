/*
 * server_media_test.c: the frames between bisikd and its image helper
 * (server/media_wire.c), over real socket pairs.
 *
 * Round trips, empty frames, a length at the caller's bound and one past
 * it (refused from the header, before any body is read), a frame of
 * exactly SRV_MEDIA_FRAME_MAX and one byte more, codes outside the range
 * asked for, a body cut short by the peer closing, a silent peer (the
 * deadline), a closed peer on write (no SIGPIPE), and the 32-bit fields.
 */
#include <sys/socket.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/media.h"
#include "tests/unit/tap.h"

/* Deadlines far enough for a loaded machine; the silent-peer test uses a
 * short one on purpose. */
#define SOON	(media_wire_now_ms() + 30 * 1000)

static int
pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
}

struct big {
	int		 fd;
	const uint8_t	*p;
	size_t		 len;
	int		 rc;
};

static void *
big_writer(void *arg)
{
	struct big *b = arg;

	b->rc = media_wire_frame_write(b->fd, SRV_MEDIA_OK, b->p, b->len, SOON);
	return NULL;
}

static void
test_round_trip(void)
{
	uint8_t	 code = 0, *body = NULL;
	size_t	 len = 0;
	int	 sv[2], rc;

	if (pair(sv) == -1) {
		CHECK(0, "socketpair");
		return;
	}
	rc = media_wire_frame_write(sv[0], SRV_MEDIA_PNG, "abcdef", 6, SOON);
	CHECK(rc == SRV_MEDIA_IO_OK, "a small frame is written");
	rc = media_wire_frame_read(sv[1], SRV_MEDIA_JPEG, SRV_MEDIA_REQ_MAX, 6,
	    &code, &body, &len, SOON);
	CHECK(rc == SRV_MEDIA_IO_OK && code == SRV_MEDIA_PNG && len == 6 &&
	    body != NULL && memcmp(body, "abcdef", 6) == 0,
	    "it is read back whole, at exactly the bound (6)");
	free(body);
	body = NULL;
	rc = media_wire_frame_write(sv[0], SRV_MEDIA_READY, NULL, 0, SOON);
	rc = rc == SRV_MEDIA_IO_OK ? media_wire_frame_read(sv[1], SRV_MEDIA_OK,
	    SRV_MEDIA_REP_MAX, 0, &code, &body, &len, SOON) : rc;
	CHECK(rc == SRV_MEDIA_IO_OK && code == SRV_MEDIA_READY && len == 0 &&
	    body == NULL, "an empty frame: no body, nothing allocated");
	close(sv[0]);
	close(sv[1]);
}

static void
test_bounds(void)
{
	uint8_t	 code = 0, *body = NULL, h[SRV_MEDIA_HEADER], junk[8] = { 0 };
	size_t	 len = 0;
	int	 sv[2], rc;

	if (pair(sv) == -1) {
		CHECK(0, "socketpair");
		return;
	}
	/* One past the caller's bound: refused from the header alone (no
	 * body was sent, so waiting for it would hit the deadline). */
	h[0] = SRV_MEDIA_JPEG;
	media_wire_be32_put(h + 1, 7);
	rc = media_wire_write_all(sv[0], h, sizeof(h), SOON);
	rc = rc == SRV_MEDIA_IO_OK ? media_wire_frame_read(sv[1],
	    SRV_MEDIA_JPEG,
	    SRV_MEDIA_REQ_MAX, 6, &code, &body, &len, SOON) : rc;
	CHECK(rc == SRV_MEDIA_IO_PROTOCOL && body == NULL && len == 0,
	    "a length one past the bound (7 > 6) is refused from the header");
	close(sv[0]);
	close(sv[1]);

	if (pair(sv) == -1) {
		CHECK(0, "socketpair");
		return;
	}
	h[0] = SRV_MEDIA_OK;
	media_wire_be32_put(h + 1, SRV_MEDIA_FRAME_MAX + 1);
	rc = media_wire_write_all(sv[0], h, sizeof(h), SOON);
	rc = rc == SRV_MEDIA_IO_OK ? media_wire_frame_read(sv[1], SRV_MEDIA_OK,
	    SRV_MEDIA_REP_MAX, (size_t)-1, &code, &body, &len, SOON) : rc;
	CHECK(rc == SRV_MEDIA_IO_PROTOCOL && body == NULL,
	    "SRV_MEDIA_FRAME_MAX + 1 is refused whatever the caller allows");
	CHECK(media_wire_frame_write(sv[0], SRV_MEDIA_OK, junk,
	    (size_t)SRV_MEDIA_FRAME_MAX + 1, SOON) == SRV_MEDIA_IO_PROTOCOL,
	    "a frame past SRV_MEDIA_FRAME_MAX is not written");
	close(sv[0]);
	close(sv[1]);

	/* Codes outside [lo, hi). */
	if (pair(sv) == -1) {
		CHECK(0, "socketpair");
		return;
	}
	rc = media_wire_frame_write(sv[0], SRV_MEDIA_REQ_MAX, NULL, 0, SOON);
	rc = rc == SRV_MEDIA_IO_OK ? media_wire_frame_read(sv[1],
	    SRV_MEDIA_JPEG,
	    SRV_MEDIA_REQ_MAX, 16, &code, &body, &len, SOON) : rc;
	CHECK(rc == SRV_MEDIA_IO_PROTOCOL, "a code past the range is refused");
	rc = media_wire_frame_write(sv[0], 0, NULL, 0, SOON);
	rc = rc == SRV_MEDIA_IO_OK ? media_wire_frame_read(sv[1],
	    SRV_MEDIA_JPEG,
	    SRV_MEDIA_REQ_MAX, 16, &code, &body, &len, SOON) : rc;
	CHECK(rc == SRV_MEDIA_IO_PROTOCOL, "a code below the range is refused");
	close(sv[0]);
	close(sv[1]);
}

static void
test_frame_max(void)
{
	struct big	 b;
	pthread_t	 th;
	uint8_t		*p, code = 0, *body = NULL;
	size_t		 len = 0;
	int		 sv[2], rc;

	if ((p = malloc(SRV_MEDIA_FRAME_MAX)) == NULL || pair(sv) == -1) {
		free(p);
		CHECK(0, "a buffer of SRV_MEDIA_FRAME_MAX");
		return;
	}
	memset(p, 0xa5, SRV_MEDIA_FRAME_MAX);
	p[SRV_MEDIA_FRAME_MAX - 1] = 0x5a;
	b.fd = sv[0];
	b.p = p;
	b.len = SRV_MEDIA_FRAME_MAX;
	b.rc = -1;
	if (pthread_create(&th, NULL, big_writer, &b) != 0) {
		CHECK(0, "writer thread");
		free(p);
		return;
	}
	rc = media_wire_frame_read(sv[1], SRV_MEDIA_OK, SRV_MEDIA_REP_MAX,
	    SRV_MEDIA_FRAME_MAX, &code, &body, &len, SOON);
	pthread_join(th, NULL);
	CHECK(b.rc == SRV_MEDIA_IO_OK && rc == SRV_MEDIA_IO_OK &&
	    len == SRV_MEDIA_FRAME_MAX && body != NULL &&
	    body[0] == 0xa5 && body[len - 1] == 0x5a,
	    "a frame of exactly SRV_MEDIA_FRAME_MAX (128 MiB) goes through");
	free(body);
	free(p);
	close(sv[0]);
	close(sv[1]);
}

static void
test_peer(void)
{
	uint8_t	 code = 0, *body = NULL, h[SRV_MEDIA_HEADER];
	size_t	 len = 0;
	int	 sv[2], rc;

	/* A body cut short. */
	if (pair(sv) == -1) {
		CHECK(0, "socketpair");
		return;
	}
	h[0] = SRV_MEDIA_OK;
	media_wire_be32_put(h + 1, 100);
	rc = media_wire_write_all(sv[0], h, sizeof(h), SOON);
	rc = rc == SRV_MEDIA_IO_OK ? media_wire_write_all(sv[0],
	    "fifty bytes of a hundred, then the peer is gone..", 50, SOON) : rc;
	close(sv[0]);
	rc = rc == SRV_MEDIA_IO_OK ? media_wire_frame_read(sv[1], SRV_MEDIA_OK,
	    SRV_MEDIA_REP_MAX, 1000, &code, &body, &len, SOON) : rc;
	CHECK(rc == SRV_MEDIA_IO_EOF && body == NULL && len == 0,
	    "a peer that dies mid-body: EOF, nothing returned");
	close(sv[1]);

	/* Nothing at all. */
	if (pair(sv) == -1) {
		CHECK(0, "socketpair");
		return;
	}
	close(sv[0]);
	CHECK(media_wire_frame_read(sv[1], SRV_MEDIA_OK, SRV_MEDIA_REP_MAX, 10,
	    &code, &body, &len, SOON) == SRV_MEDIA_IO_EOF,
	    "a peer that dies before the header: EOF");
	close(sv[1]);

	/* A silent peer: the deadline, not a hang. */
	if (pair(sv) == -1) {
		CHECK(0, "socketpair");
		return;
	}
	CHECK(media_wire_frame_read(sv[1], SRV_MEDIA_OK, SRV_MEDIA_REP_MAX, 10,
	    &code, &body, &len, media_wire_now_ms() + 200) == SRV_MEDIA_IO_TIMEOUT,
	    "a silent peer: TIMEOUT at the deadline");
	CHECK(media_wire_frame_read(sv[1], SRV_MEDIA_OK, SRV_MEDIA_REP_MAX, 10,
	    &code, &body, &len, media_wire_now_ms() - 1) == SRV_MEDIA_IO_TIMEOUT,
	    "a deadline already past: TIMEOUT at once");
	/* Writing to a closed peer: EOF, and this process is still here
	 * (no SIGPIPE). */
	close(sv[1]);
	CHECK(media_wire_frame_write(sv[0], SRV_MEDIA_JPEG, "x", 1, SOON) ==
	    SRV_MEDIA_IO_EOF, "writing to a closed peer: EOF, no SIGPIPE");
	close(sv[0]);
}

int
main(void)
{
	uint8_t b[4];

	media_wire_be32_put(b, 0xa1b2c3d4u);
	CHECK(b[0] == 0xa1 && b[3] == 0xd4 && media_wire_be32_get(b) == 0xa1b2c3d4u,
	    "32-bit fields are big-endian");
	CHECK(strcmp(media_wire_io_name(SRV_MEDIA_IO_TIMEOUT),
	    "timeout") == 0 &&
	    strcmp(media_wire_io_name(-1), "unknown") == 0, "outcome names");
	test_round_trip();
	test_bounds();
	test_frame_max();
	test_peer();
	return tap_done();
}
