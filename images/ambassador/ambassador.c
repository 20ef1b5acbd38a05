/*
 * Wharf's ambassador: forwards every <X>_PORT_<p>_<PROTO>=<proto>://<host>:<port> variable of its
 * environment (from a link or from -e), over TCP and UDP, like the classic svendowideit/ambassador.
 *
 * Beyond the classic image: the target is looked up again for every new TCP connection and every
 * new UDP peer, first in /run/wharf/links/<alias>.env (Wharf's live links, rewritten when the
 * linked container restarts or moves), then in the environment. So when the target of a linked
 * ambassador comes back with a new address, the ambassador follows without a restart.
 *
 * Static, no dependencies; built by scripts/build-ambassador.sh.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FWD 64
#define MAX_UDP_PEERS 64
#define LINKS_DIR "/run/wharf/links"

extern char **environ;

struct fwd {
  char var[256];  /* e.g. REDIS_PORT_6379_TCP */
  int udp;
  int port;       /* local port to listen on */
};

/* Parses "tcp://1.2.3.4:6379" into an address; 0 on success. */
static int parse_url(const char *v, int udp, struct sockaddr_in *out) {
  const char *want = udp ? "udp://" : "tcp://";
  if (strncmp(v, want, 6) != 0) return -1;
  char host[128];
  const char *h = v + 6, *colon = strrchr(h, ':');
  if (!colon || (size_t)(colon - h) >= sizeof host) return -1;
  memcpy(host, h, colon - h);
  host[colon - h] = 0;
  memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  out->sin_port = htons((unsigned short)atoi(colon + 1));
  return inet_pton(AF_INET, host, &out->sin_addr) == 1 ? 0 : -1;
}

/* The current value of `var`: the live link files first, then the environment. */
static int current_target(const char *var, int udp, struct sockaddr_in *out) {
  char line[512];
  size_t n = strlen(var);
  DIR *d = opendir(LINKS_DIR);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      size_t l = strlen(e->d_name);
      if (l < 5 || strcmp(e->d_name + l - 4, ".env") != 0) continue;
      char path[600];
      snprintf(path, sizeof path, "%s/%s", LINKS_DIR, e->d_name);
      FILE *f = fopen(path, "r");
      if (!f) continue;
      while (fgets(line, sizeof line, f)) {
        if (strncmp(line, var, n) == 0 && line[n] == '=') {
          line[strcspn(line, "\n")] = 0;
          int ok = parse_url(line + n + 1, udp, out);
          fclose(f);
          closedir(d);
          return ok;
        }
      }
      fclose(f);
    }
    closedir(d);
  }
  const char *v = getenv(var);
  return v ? parse_url(v, udp, out) : -1;
}

static int listen_on(int port, int udp) {
  int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || (!udp && listen(s, 128) < 0)) {
    fprintf(stderr, "ambassador: cannot listen on %d/%s: %s\n", port, udp ? "udp" : "tcp", strerror(errno));
    exit(1);
  }
  return s;
}

/* Copies both ways until both sides are done, passing on half-closes. */
static void relay(int a, int b) {
  char buf[65536];
  int open_a = 1, open_b = 1;
  while (open_a || open_b) {
    struct pollfd p[2] = {{a, open_a ? POLLIN : 0, 0}, {b, open_b ? POLLIN : 0, 0}};
    if (poll(p, 2, -1) < 0) return;
    for (int i = 0; i < 2; i++) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      int from = i ? b : a, to = i ? a : b;
      ssize_t r = read(from, buf, sizeof buf);
      if (r <= 0) {
        shutdown(to, SHUT_WR);
        if (i) open_b = 0; else open_a = 0;
        continue;
      }
      for (ssize_t off = 0; off < r;) {
        ssize_t w = write(to, buf + off, r - off);
        if (w <= 0) return;
        off += w;
      }
    }
  }
}

static void serve_tcp(const struct fwd *f) {
  int s = listen_on(f->port, 0);
  signal(SIGCHLD, SIG_IGN);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    if (fork() == 0) {
      close(s);
      struct sockaddr_in t;
      int u = socket(AF_INET, SOCK_STREAM, 0);
      if (current_target(f->var, 0, &t) == 0 && u >= 0 && connect(u, (struct sockaddr *)&t, sizeof t) == 0) relay(c, u);
      _exit(0);
    }
    close(c);
  }
}

struct peer {
  struct sockaddr_in addr;
  int up;
  time_t last;
};

static void serve_udp(const struct fwd *f) {
  int s = listen_on(f->port, 1);
  struct peer peers[MAX_UDP_PEERS];
  int np = 0;
  char buf[65536];
  for (;;) {
    struct pollfd p[MAX_UDP_PEERS + 1];
    p[0].fd = s;
    p[0].events = POLLIN;
    for (int i = 0; i < np; i++) p[i + 1].fd = peers[i].up, p[i + 1].events = POLLIN;
    if (poll(p, np + 1, 10000) < 0) continue;
    time_t now = time(NULL);
    for (int i = 0; i < np; i++) {
      if (!(p[i + 1].revents & POLLIN)) continue;
      ssize_t r = recv(peers[i].up, buf, sizeof buf, 0);
      if (r > 0) sendto(s, buf, r, 0, (struct sockaddr *)&peers[i].addr, sizeof peers[i].addr), peers[i].last = now;
    }
    if (p[0].revents & POLLIN) {
      struct sockaddr_in from;
      socklen_t len = sizeof from;
      ssize_t r = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
      if (r >= 0) {
        int k = -1;
        for (int i = 0; i < np; i++)
          if (peers[i].addr.sin_addr.s_addr == from.sin_addr.s_addr && peers[i].addr.sin_port == from.sin_port) k = i;
        if (k < 0 && np < MAX_UDP_PEERS) {
          struct sockaddr_in t;
          int u = socket(AF_INET, SOCK_DGRAM, 0);
          if (u >= 0 && current_target(f->var, 1, &t) == 0 && connect(u, (struct sockaddr *)&t, sizeof t) == 0) {
            peers[np].addr = from, peers[np].up = u, peers[np].last = now;
            k = np++;
          } else if (u >= 0) close(u);
        }
        if (k >= 0) send(peers[k].up, buf, r, 0), peers[k].last = now;
      }
    }
    for (int i = 0; i < np;) { /* forget peers idle for a minute */
      if (now - peers[i].last > 60) close(peers[i].up), peers[i] = peers[--np];
      else i++;
    }
  }
}

int main(void) {
  struct fwd fwds[MAX_FWD];
  int n = 0;
  for (char **e = environ; *e && n < MAX_FWD; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq || (size_t)(eq - *e) >= sizeof fwds[0].var) continue;
    char var[256];
    memcpy(var, *e, eq - *e);
    var[eq - *e] = 0;
    size_t l = strlen(var);
    int udp;
    if (l > 4 && strcmp(var + l - 4, "_TCP") == 0) udp = 0;
    else if (l > 4 && strcmp(var + l - 4, "_UDP") == 0) udp = 1;
    else continue;
    char *p = strstr(var, "_PORT_");
    if (!p) continue;
    int port = atoi(p + 6);
    struct sockaddr_in t;
    if (port <= 0 || parse_url(eq + 1, udp, &t) != 0) continue;
    strcpy(fwds[n].var, var);
    fwds[n].udp = udp;
    fwds[n].port = port;
    printf("ambassador: %s %d -> %s (%s)\n", udp ? "udp" : "tcp", port, eq + 1, var);
    n++;
  }
  fflush(stdout);
  if (n == 0) {
    fprintf(stderr, "ambassador: no <NAME>_PORT_<port>_<TCP|UDP>=<proto>://<ip>:<port> variable to forward\n");
    return 1;
  }
  for (int i = 0; i < n; i++) {
    if (fork() == 0) {
      if (fwds[i].udp) serve_udp(&fwds[i]);
      else serve_tcp(&fwds[i]);
      _exit(1);
    }
  }
  while (wait(NULL) > 0 || errno == EINTR) {}
  return 0;
}
