/*
 * token.c: the reporter's token on the client side.
 *
 * The token is the only key to a case, so it stays in guarded memory from
 * the moment it is read (from a file, never from the command line, where
 * other users could see it in the process list) until it is wiped. Only
 * its canonical form is handled inside the client; people see the
 * display form, in groups of four.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "client/client.h"

int
client_token_read(const char *path, char **canon)
{
	char	*line, *c;
	size_t	 len;

	if (client_first_line(path, CRYPTO_TOKEN_MAX_INPUT, "token file",
	    &line, &len) == -1)
		return -1;
	if ((c = crypto_secret_alloc(CRYPTO_TOKEN_SYMBOLS + 1)) == NULL) {
		crypto_secret_free(line);
		client_err("out of memory");
		return -1;
	}
	if (crypto_token_parse(line, len, c) == -1) {
		crypto_secret_free(line);
		crypto_secret_free(c);
		client_err("the token file %s does not hold a valid token on "
		    "its first line: %d letters and digits in groups of 4 "
		    "joined by '-', as `bisik submit` printed it (a typo "
		    "fails the check symbol)", path, CRYPTO_TOKEN_SYMBOLS);
		return -1;
	}
	crypto_secret_free(line);
	*canon = c;
	return 0;
}

void
client_token_display(const char *canon, char out[CRYPTO_TOKEN_TEXT])
{
	size_t	i, o = 0;

	for (i = 0; i < CRYPTO_TOKEN_SYMBOLS; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = canon[i];
	}
	out[o] = '\0';
}

/*
 * stdio would leave a copy of the token in its heap buffer; the line is
 * built in guarded memory and written straight to the descriptor.
 */
void
client_token_print(const char *label, const char *canon)
{
	char	*line;
	size_t	 len, off = 0;
	ssize_t	 w;

	if ((line = crypto_secret_alloc(strlen(label) + 3 +
	    CRYPTO_TOKEN_TEXT + 1)) == NULL) {
		client_err("out of memory");
		return;
	}
	strcpy(line, label);
	strcat(line, ": ");
	len = strlen(line);
	client_token_display(canon, line + len);
	strcat(line, "\n");
	len = strlen(line);
	fflush(stdout);
	while (off < len) {
		if ((w = write(STDOUT_FILENO, line + off, len - off)) <= 0)
			break;
		off += (size_t)w;
	}
	crypto_secret_free(line);
}

int
client_token_write(const char *path, const char *canon, int how)
{
	char	*line;
	size_t	 len;
	int	 rc;

	if ((line = crypto_secret_alloc(CRYPTO_TOKEN_TEXT + 1)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	client_token_display(canon, line);
	len = strlen(line);
	line[len++] = '\n';
	rc = client_file_write(path, line, len, 0600, how, "token file");
	crypto_secret_free(line);
	return rc;
}
