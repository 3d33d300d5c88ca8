/*
 * idle_conns.c: opens N TCP connections to 127.0.0.1:PORT that send
 * nothing (idle keep-alive clients, or a slowloris that has not started
 * yet), holds them for S seconds, and prints how many were connected.
 * bench/run.sh samples bisikd's resident memory meanwhile.
 *
 *   idle_conns PORT N SECONDS
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in	sin;
	struct rlimit		rl;
	int			i, n, ok = 0, *fds;

	if (argc != 4)
		return 2;
	n = atoi(argv[2]);
	if (n < 1 || n > 100000 || (fds = calloc((size_t)n, sizeof(int))) == NULL)
		return 2;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 16) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] >= 0 && connect(fds[i], (struct sockaddr *)&sin,
		    sizeof(sin)) == 0)
			ok++;
	}
	printf("%d\n", ok);
	fflush(stdout);
	sleep((unsigned)atoi(argv[3]));
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return 0;
}
