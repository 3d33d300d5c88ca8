/*
 * media.h: the image helper (build/bisik-media) and what bisikd and it
 * share: the wire format, its bounds, and the helper's own limits.
 *
 * Decoding an uploaded image is the riskiest thing Bisik does with
 * outside bytes: JPEG, PNG and WebP decoders are large C libraries with a
 * history of memory-safety bugs. bisikd holds the storage key, the token
 * pepper and every session, so no decoder runs in it. Instead:
 *
 *   bisikd ──ctl (seqpacket)──▶ bisik-media supervisor ──fork+exec──▶ worker
 *      └──────────── one socket per worker (stream) ──────────────────┘
 *
 *  - bisikd starts the supervisor (fork, then exec of bisik-media from the
 *    directory of its own executable) first thing in `bisikd serve`,
 *    before it reads the config (which may hold a TLS key) or any key:
 *    nothing of bisikd's memory survives the exec. Its first message
 *    tells the supervisor which user to become and the time a worker may
 *    take (media.c); the supervisor then keeps SRV_MEDIA_SPARES workers
 *    ready (media_main.c).
 *  - A worker is bisik-media exec'd again: it initialises libvips, confines
 *    itself (limits, no new privileges, seccomp; media_confine.c), says it
 *    is ready, then serves exactly one request and exits. So a worker sees
 *    the bytes of one upload only, and an image that takes one over gains
 *    nothing that outlives the upload that carried it.
 *  - For each image bisikd asks the supervisor for a ready worker and gets
 *    its socket (SCM_RIGHTS); it sends one request frame and reads one
 *    reply frame, within the configured time ("image_timeout"). The
 *    supervisor kills a worker that outlives that time, reaps every
 *    worker, and starts the replacements.
 *
 * A frame is SRV_MEDIA_HEADER bytes, a code and a big-endian 32-bit
 * length, then that many bytes. On a worker's socket: the worker sends
 * READY (empty) once confined; bisikd sends one request (the code is the
 * image type) and the worker answers one reply (the code is the outcome;
 * the bytes are the re-encoded image with OK, else nothing). On the
 * control socket each frame is one message; the reply to WORKER carries
 * the worker's socket as ancillary data.
 *
 * The functions here (media_wire.c) use only libc, so that both programs
 * link them; they never allocate more than the length a caller allowed.
 */
#ifndef BISIK_SERVER_MEDIA_H
#define BISIK_SERVER_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#define MEDIA_WUR __attribute__((warn_unused_result))

/* Code byte and length. */
#define SRV_MEDIA_HEADER	5
/* Largest frame either way. A request is one upload, at most
 * max_attachment_bytes (64 MiB at most); a reply is a re-encoded image,
 * which may be larger than what came in (a low-quality JPEG saved at
 * SRV_MEDIA_QUALITY): twice the largest upload. */
#define SRV_MEDIA_FRAME_MAX	(128U * 1024 * 1024)
/* Largest control message: a header and a few numbers or one sentence. */
#define SRV_MEDIA_CTL_BYTES	512

/* Decoded pixels of an image: phones take 12 to 50 MP; 40 MP at 4 bytes
 * is 160 MiB while it is re-encoded. A small file whose header claims
 * more (a decompression bomb) is refused before any pixel is decoded. */
#define SRV_MEDIA_PIXELS_MAX	(40ULL * 1000 * 1000)
/* JPEG and WebP quality of re-encoded images: visually lossless for
 * evidence photos at about half the size of camera output. */
#define SRV_MEDIA_QUALITY	85
/* Address space of a worker (RLIMIT_AS). libvips and its codecs map
 * about 200 MiB at start (one malloc arena); an image streams from decoder
 * to encoder a strip at a time, except one that must be turned upright,
 * which is held decoded: at the pixel bound, a 16-bit RGBA PNG turned by
 * its EXIF orientation, 320 MiB, took 560 MiB of address space in all.
 * Past this, allocations fail and the worker answers CORRUPT or dies:
 * either way no upload can make one take more of the machine. */
#define SRV_MEDIA_MEMORY_MAX	(1024ULL * 1024 * 1024)
/* CPU seconds of a worker (RLIMIT_CPU; SIGXCPU, then SIGKILL one second
 * later): a 40 MP image is re-encoded in 2 to 5 s on one slow core. This
 * bounds a worker spinning in a loop even if nobody watched the clock. */
#define SRV_MEDIA_CPU_SECONDS	60
/* Descriptors a worker may hold (RLIMIT_NOFILE): its socket, the three
 * standard ones, and a few libvips and GLib open at start. */
#define SRV_MEDIA_NOFILE	32
/* Seconds an image may take, from handing a worker out to its reply
 * ("image_timeout"; default and bounds). The supervisor kills a worker
 * SRV_MEDIA_KILL_GRACE seconds after that. */
#define SRV_MEDIA_TIMEOUT_DEFAULT	30
#define SRV_MEDIA_TIMEOUT_MIN		1
#define SRV_MEDIA_TIMEOUT_MAX		600
#define SRV_MEDIA_KILL_GRACE		1
/* Workers kept ready: as many as bisikd re-encodes at once
 * (SRV_ATTACH_IMAGE_JOBS), so that an upload never waits for libvips to
 * start. Each costs about 5 MiB of private memory. */
#define SRV_MEDIA_SPARES	2
/* Workers alive at once, ready, starting, busy or killed and not yet
 * reaped: a bound on what the supervisor forks whatever bisikd asks. */
#define SRV_MEDIA_CHILDREN_MAX	8
/* After a worker dies before it is ready, the next one is started this
 * many milliseconds later at the earliest: a broken installation must
 * not turn into a fork loop. */
#define SRV_MEDIA_RESPAWN_MS	1000
/* The worker's socket is this descriptor (it is exec'd with it), and so is
 * the supervisor's control socket. */
#define SRV_MEDIA_FD		3

/* Codes of a request: the image type. */
enum srv_media_req {
	SRV_MEDIA_JPEG = 1,
	SRV_MEDIA_PNG,
	SRV_MEDIA_WEBP,
	SRV_MEDIA_REQ_MAX
};
/* Codes of a worker's frames. */
enum srv_media_rep {
	SRV_MEDIA_OK = 0x40,	/* the re-encoded image follows */
	SRV_MEDIA_TOO_BIG,	/* more than SRV_MEDIA_PIXELS_MAX */
	SRV_MEDIA_CORRUPT,	/* does not decode, or not as its type */
	SRV_MEDIA_FAILED,	/* the worker could not do it (memory) */
	SRV_MEDIA_READY,	/* confined, waiting for its one request */
	SRV_MEDIA_REP_MAX
};
/* Codes of the control socket. */
enum srv_media_ctl {
	SRV_MEDIA_CTL_CONFIG = 0x60,	/* uid, gid, timeout, flags, level */
	SRV_MEDIA_CTL_WORKER,		/* id: a worker, please */
	SRV_MEDIA_CTL_DONE,		/* config taken / id, pid + socket */
	SRV_MEDIA_CTL_ERROR,		/* one sentence */
	SRV_MEDIA_CTL_MAX
};
/* CONFIG flags. */
#define SRV_MEDIA_SETUID	0x1	/* change to uid and gid */
#define SRV_MEDIA_SECCOMP	0x2	/* workers install their filter */

/* Outcomes of the wire functions. */
enum srv_media_io {
	SRV_MEDIA_IO_OK = 0,
	SRV_MEDIA_IO_EOF,	/* the peer closed (or died) */
	SRV_MEDIA_IO_TIMEOUT,	/* the deadline passed */
	SRV_MEDIA_IO_PROTOCOL,	/* a length past the bound, an unknown code */
	SRV_MEDIA_IO_ERROR,	/* a system call failed; errno says why */
	SRV_MEDIA_IO_MAX
};

uint32_t	media_wire_be32_get(const uint8_t *);
void		media_wire_be32_put(uint8_t *, uint32_t);
/* Milliseconds on CLOCK_MONOTONIC; deadlines are in these. */
int64_t		media_wire_now_ms(void);
/* Writes all of p, then returns; deadline_ms < 0 waits for ever. Never
 * raises SIGPIPE. */
MEDIA_WUR int	media_wire_write_all(int fd, const void *p, size_t len,
		    int64_t deadline_ms);
/* Reads exactly len bytes. */
MEDIA_WUR int	media_wire_read_all(int fd, void *p, size_t len,
		    int64_t deadline_ms);
/* One frame: header then body. */
MEDIA_WUR int	media_wire_frame_write(int fd, uint8_t code, const void *p,
		    size_t len, int64_t deadline_ms);
/*
 * Reads one frame whose code is in [lo, hi) and whose length is at most
 * max: the header first, so that a length past max is refused
 * (PROTOCOL) before anything is allocated. *body is malloc'd (NULL for an
 * empty frame) and left NULL on failure.
 */
MEDIA_WUR int	media_wire_frame_read(int fd, uint8_t lo, uint8_t hi,
		    size_t max, uint8_t *code, uint8_t **body, size_t *len,
		    int64_t deadline_ms);
const char	*media_wire_io_name(int);

/* ---- the helper's own parts (bisik-media only) ---------------------- */

/* libvips, set up small and strict (media_image.c); -1 if it cannot. */
MEDIA_WUR int	media_image_init(void);
/*
 * Decodes in (an image of type enum srv_media_req) and re-encodes it in
 * the same type, upright, without metadata, as enum srv_media_rep;
 * *out is malloc'd with OK only.
 */
MEDIA_WUR int	media_image_clean(int type, const uint8_t *in, size_t len,
		    uint8_t **out, size_t *outlen);
/* Limits, no new privileges, not dumpable and, with seccomp, the
 * allow-list of a worker (media_confine.c); -1 with a reason in err. */
MEDIA_WUR int	media_confine_worker(int seccomp, char *err, size_t errlen);
/* Becomes uid and gid for good (both programs' checks); -1 if any id did
 * not change or root can be regained. */
MEDIA_WUR int	media_confine_setuid(uint32_t uid, uint32_t gid);

#endif
