/*
 * pass.c: passphrases, from a file or from the terminal.
 *
 * A passphrase guards an admin key that helps open reporters' identities,
 * so it never passes through stdio buffers or the heap: it is read byte by
 * byte into guarded memory, from the first line of a file or from
 * /dev/tty (not stdin, which may be a pipe from a script) with echo off.
 * A signal while echo is off must not leave the terminal without echo, so
 * the terminal is restored before the signal is delivered again.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

static volatile sig_atomic_t	caught;

static void
on_signal(int sig)
{
	caught = sig;
}

static const int	tty_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU
};
#define NSIG_TTY	(sizeof(tty_signals) / sizeof(tty_signals[0]))

/*
 * Prompts on the terminal fd and reads one line with echo off into buf
 * (room for max bytes and a NUL). 0 and the length, or -1: read error,
 * interrupted, or a line longer than max.
 */
static int
tty_read(int fd, const char *prompt, char *buf, size_t max, size_t *len)
{
	struct termios		 old = { 0 }, quiet;
	struct sigaction	 sa, saved[NSIG_TTY] = { 0 };
	size_t			 n = 0, i = 0;
	ssize_t			 r;
	char			 c;
	int			 rc = -1, toolong = 0, restore = 0;

	restore = tcgetattr(fd, &old) == 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (i = 0; i < NSIG_TTY; i++)
		sigaction(tty_signals[i], &sa, &saved[i]);
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1)
			goto out;
	}
	if (write(fd, prompt, strlen(prompt)) == -1)
		goto out;
	for (;;) {
		r = read(fd, &c, 1);
		if (r == -1 && errno == EINTR && !caught)
			continue;
		if (r != 1)
			break;
		if (c == '\n') {
			rc = 0;
			break;
		}
		if (n < max)
			buf[n++] = c;
		else
			toolong = 1;
	}
	c = '\0';
	if (rc == 0 && n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (toolong)
		rc = -1;
out:
	if (write(fd, "\n", 1) == -1)
		rc = -1;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	for (i = 0; i < NSIG_TTY; i++)
		sigaction(tty_signals[i], &saved[i], NULL);
	if (caught) {
		crypto_wipe(buf, max + 1);
		raise(caught);
		rc = -1;
	}
	if (rc == 0)
		*len = n;
	else
		crypto_wipe(buf, max + 1);
	return rc;
}

size_t
client_pass_chars(const char *s, size_t len)
{
	long	n;

	if ((n = core_utf8_len(s, len)) < 0)
		return len;
	return (size_t)n;
}

static int
pass_prompt(const char *prompt, int confirm, char **out, size_t *len)
{
	char	*a = NULL, *b = NULL;
	size_t	 alen, blen;
	int	 fd = -1, rc = -1;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) == -1) {
		client_err("no terminal to ask for the passphrase on; give "
		    "--passphrase-file");
		return -1;
	}
	a = crypto_secret_alloc(CLIENT_PASS_MAX + 1);
	b = crypto_secret_alloc(CLIENT_PASS_MAX + 1);
	if (a == NULL || b == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (tty_read(fd, prompt, a, CLIENT_PASS_MAX, &alen) == -1) {
		client_err("no passphrase was read (at most %d bytes)",
		    CLIENT_PASS_MAX);
		goto out;
	}
	if (confirm) {
		if (tty_read(fd, "Repeat the passphrase: ", b, CLIENT_PASS_MAX,
		    &blen) == -1) {
			client_err("no passphrase was read");
			goto out;
		}
		if (alen != blen || !crypto_equal(a, b, alen)) {
			client_err("the two passphrases differ");
			goto out;
		}
	}
	*out = a;
	*len = alen;
	a = NULL;
	rc = 0;
out:
	crypto_secret_free(a);
	crypto_secret_free(b);
	close(fd);
	return rc;
}

int
client_pass_get(const char *file, const char *prompt, int confirm,
    int check_new, char **out, size_t *len)
{
	char	*p;
	size_t	 n;

	if (file != NULL) {
		if (client_first_line(file, CLIENT_PASS_MAX, "passphrase file",
		    &p, &n) == -1)
			return -1;
	} else if (pass_prompt(prompt, confirm, &p, &n) == -1)
		return -1;
	if (n == 0) {
		client_err("the passphrase is empty");
		crypto_secret_free(p);
		return -1;
	}
	if (check_new && client_pass_chars(p, n) < CLIENT_PASS_MIN_CHARS) {
		client_err("the passphrase must be at least %d characters long",
		    CLIENT_PASS_MIN_CHARS);
		crypto_secret_free(p);
		return -1;
	}
	*out = p;
	*len = n;
	return 0;
}
