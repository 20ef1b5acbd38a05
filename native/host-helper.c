/*
 * wharf-host-helper: the one process that forks for wharfd.
 *
 * wharfd is a large Node process; each fork of it copies its page tables and blocks its event
 * loop for milliseconds. This helper is tiny, so wharfd hands it every host command (and the
 * few system calls Node cannot make: mount, umount2, and runc's exec FIFO) and gets the result
 * back. Requests are served concurrently, one thread each; children are started with
 * posix_spawn (vfork-based), so a request costs well under a millisecond of CPU here.
 *
 * Protocol on stdin/stdout, all integers little-endian u32:
 *   frame    := length payload                 (length counts the payload's bytes)
 *   payload  := request-id field-count field*
 *   field    := length bytes
 * A request's first field is its operation:
 *   run     cwd has-input input env-count env... argv...   -> status stdout stderr
 *   conmon  cwd start-data env-count env... argv...        -> status sync-line stderr
 *   mount   cwd source target fstype flags data            -> status
 *   umount  target flags                                   -> status
 *   fifo    path pid                                       -> status
 *   mkfifo  path                                           -> status
 *   netns   name veth bridge mac ip prefix gateway         -> status   (veth "": lo only)
 *   netns-rm name                                          -> status
 *   sealed  path                                           -> status fd-path
 *   stay    path                                           -> status
 * status is the decimal exit code (128 + signal when killed) for run, "0" for success
 * elsewhere, or "E<errno>" when the operation itself failed. env-count "-" inherits the
 * helper's environment. The helper exits when stdin closes.
 *
 * sealed keeps a copy of an executable in a sealed memfd for as long as the helper lives and
 * answers its /proc path. runc run from such a copy knows it cannot be overwritten, so its init
 * does not copy the whole runc binary into a new memfd at every container start, as it does when
 * run from a file (runc's defence against CVE-2019-5736).
 *
 * mkfifo makes a FIFO (mode 0600) at path, replacing whatever file is there. wharfd gives runc
 * its config.json through one (src/runtime/runtime-gate.ts), since Node cannot make a FIFO.
 *
 * stay writes "0" to path, the cgroup.procs file of the cgroup the helper is in: the helper
 * "moves" itself where it already is. Nothing changes, but the kernel takes its cgroup
 * migration lock for writing, which on a kernel without favordynmods first waits for an RCU
 * grace period; runc's moves that follow within about one more grace period do not wait again
 * (src/runtime/cgroup-lock-warmer.ts). The request answers once the write is done.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns-endpoint.h"

extern char **environ;

#define MAX_FRAME (64u << 20)
#define MAX_OUTPUT (64u << 20)

typedef struct {
  uint32_t len;
  char *data; /* NUL-terminated copy */
} field_t;

typedef struct {
  uint32_t id;
  uint32_t n;
  field_t *f;
} request_t;

typedef struct {
  char *p;
  size_t len, cap;
} buf_t;

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static int buf_add(buf_t *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n) cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) return -1;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, p, n);
  b->len += n;
  return 0;
}

static void put_u32(unsigned char *p, uint32_t v) {
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int write_full(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Returns 1 when n bytes were read, 0 on a clean end of input before any byte, -1 otherwise. */
static int read_full(int fd, void *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) return got == 0 ? 0 : -1;
    got += (size_t)r;
  }
  return 1;
}

/* Sends one response frame; fields are given as (pointer, length) pairs. */
static void respond(uint32_t id, int n, const char **data, const size_t *lens) {
  size_t total = 8;
  for (int i = 0; i < n; i++) total += 4 + lens[i];
  unsigned char *frame = malloc(4 + total);
  if (!frame) abort();
  put_u32(frame, (uint32_t)total);
  put_u32(frame + 4, id);
  put_u32(frame + 8, (uint32_t)n);
  size_t off = 12;
  for (int i = 0; i < n; i++) {
    put_u32(frame + off, (uint32_t)lens[i]);
    memcpy(frame + off + 4, data[i], lens[i]);
    off += 4 + lens[i];
  }
  pthread_mutex_lock(&out_lock);
  if (write_full(1, (const char *)frame, off) < 0) _exit(1);
  pthread_mutex_unlock(&out_lock);
  free(frame);
}

static void respond_status(uint32_t id, const char *status) {
  const char *d[1] = {status};
  size_t l[1] = {strlen(status)};
  respond(id, 1, d, l);
}

static void respond_errno(uint32_t id, int err) {
  char s[32];
  snprintf(s, sizeof s, "E%d", err);
  respond_status(id, s);
}

/* Moves fd above the range children use (0-4), keeping it close-on-exec. */
static int raise_fd(int fd) {
  if (fd < 0 || fd >= 10) return fd;
  int hi = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return hi;
}

static int make_pipe(int p[2]) {
  if (pipe2(p, O_CLOEXEC) < 0) return -1;
  p[0] = raise_fd(p[0]);
  p[1] = raise_fd(p[1]);
  return (p[0] < 0 || p[1] < 0) ? -1 : 0;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/*
 * Starts argv with the given descriptors as its 0..4 (-1: not passed). The child gets default
 * signal handling and an empty mask; `detach` gives it its own session.
 */
static int spawn_child(pid_t *pid, char **argv, char **envp, const char *cwd, const int fds[5], int detach) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  sigset_t none, defaults;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  if (cwd && *cwd) posix_spawn_file_actions_addchdir_np(&fa, cwd);
  for (int i = 0; i < 5; i++)
    if (fds[i] >= 0) posix_spawn_file_actions_adddup2(&fa, fds[i], i);
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setsigdefault(&at, &defaults);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (detach ? POSIX_SPAWN_SETSID : 0));
  int rc = posix_spawnp(pid, argv[0], &fa, &at, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  return rc;
}

static int wait_child(pid_t pid) {
  int st;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) return 255;
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 255;
}

/* Splits "env-count env... argv..." starting at field i into NULL-terminated arrays. */
static int env_and_argv(request_t *r, uint32_t i, char ***envp, char ***argv) {
  if (i >= r->n) return -1;
  uint32_t nenv = 0;
  int inherit = strcmp(r->f[i].data, "-") == 0;
  if (!inherit) nenv = (uint32_t)strtoul(r->f[i].data, NULL, 10);
  i++;
  if (i + nenv >= r->n) return -1; /* at least argv[0] */
  if (inherit) {
    *envp = environ;
  } else {
    *envp = calloc(nenv + 1, sizeof(char *));
    for (uint32_t k = 0; k < nenv; k++) (*envp)[k] = r->f[i + k].data;
  }
  i += nenv;
  uint32_t nargs = r->n - i;
  *argv = calloc(nargs + 1, sizeof(char *));
  for (uint32_t k = 0; k < nargs; k++) (*argv)[k] = r->f[i + k].data;
  return 0;
}

static int open_null(void) {
  return raise_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
}

/* run: a command with optional input; collects stdout and stderr until both close, then waits. */
static void op_run(request_t *r) {
  if (r->n < 6) return respond_errno(r->id, EINVAL);
  const char *cwd = r->f[1].data;
  int has_input = r->f[2].data[0] == '1';
  field_t *input = &r->f[3];
  char **envp, **argv;
  if (env_and_argv(r, 4, &envp, &argv) < 0) return respond_errno(r->id, EINVAL);
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, null_fd = -1;
  int failed = 0;
  if (make_pipe(out) < 0 || make_pipe(err) < 0) failed = errno ? errno : EMFILE;
  if (!failed && has_input && make_pipe(in) < 0) failed = errno ? errno : EMFILE;
  if (!failed && !has_input && (null_fd = open_null()) < 0) failed = errno;
  pid_t pid = 0;
  if (!failed) {
    int fds[5] = {has_input ? in[0] : null_fd, out[1], err[1], -1, -1};
    failed = spawn_child(&pid, argv, envp, cwd, fds, 0);
  }
  close_fd(&in[0]);
  close_fd(&out[1]);
  close_fd(&err[1]);
  close_fd(&null_fd);
  if (failed) {
    close_fd(&in[1]);
    close_fd(&out[0]);
    close_fd(&err[0]);
    if (envp != environ) free(envp);
    free(argv);
    return respond_errno(r->id, failed);
  }
  buf_t ob = {0}, eb = {0};
  size_t written = 0;
  if (in[1] >= 0) {
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    if (input->len == 0) close_fd(&in[1]);
  }
  char chunk[65536];
  while (out[0] >= 0 || err[0] >= 0 || in[1] >= 0) {
    struct pollfd p[3];
    int n = 0, io = -1, ie = -1, ii = -1;
    if (out[0] >= 0) { p[n].fd = out[0]; p[n].events = POLLIN; io = n++; }
    if (err[0] >= 0) { p[n].fd = err[0]; p[n].events = POLLIN; ie = n++; }
    if (in[1] >= 0) { p[n].fd = in[1]; p[n].events = POLLOUT; ii = n++; }
    if (poll(p, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    int *fdp[2] = {&out[0], &err[0]};
    buf_t *bp[2] = {&ob, &eb};
    int idx[2] = {io, ie};
    for (int k = 0; k < 2; k++) {
      if (idx[k] < 0 || !(p[idx[k]].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(*fdp[k], chunk, sizeof chunk);
      if (got > 0) {
        if (bp[k]->len + (size_t)got <= MAX_OUTPUT) buf_add(bp[k], chunk, (size_t)got);
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        close_fd(fdp[k]);
      }
    }
    if (ii >= 0 && (p[ii].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write(in[1], input->data + written, input->len - written);
      if (w > 0) written += (size_t)w;
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || written >= input->len) close_fd(&in[1]);
    }
  }
  close_fd(&in[1]);
  close_fd(&out[0]);
  close_fd(&err[0]);
  int code = wait_child(pid);
  char status[16];
  snprintf(status, sizeof status, "%d", code);
  const char *d[3] = {status, ob.p ? ob.p : "", eb.p ? eb.p : ""};
  size_t l[3] = {strlen(status), ob.len, eb.len};
  respond(r->id, 3, d, l);
  free(ob.p);
  free(eb.p);
  if (envp != environ) free(envp);
  free(argv);
}

/*
 * conmon: starts conmon with its sync pipe as fd 3 and start pipe as fd 4 (platform-notes §3.2),
 * releases it with start-data, and answers with the first line conmon writes on the sync pipe.
 */
static void op_conmon(request_t *r) {
  if (r->n < 5) return respond_errno(r->id, EINVAL);
  const char *cwd = r->f[1].data;
  field_t *start_data = &r->f[2];
  char **envp, **argv;
  if (env_and_argv(r, 3, &envp, &argv) < 0) return respond_errno(r->id, EINVAL);
  int sync[2] = {-1, -1}, start[2] = {-1, -1}, err[2] = {-1, -1}, null_fd = -1;
  int failed = 0;
  if (make_pipe(sync) < 0 || make_pipe(start) < 0 || make_pipe(err) < 0 || (null_fd = open_null()) < 0) failed = errno ? errno : EMFILE;
  pid_t pid = 0;
  if (!failed) {
    int fds[5] = {null_fd, null_fd, err[1], sync[1], start[0]};
    failed = spawn_child(&pid, argv, envp, cwd, fds, 1);
  }
  close_fd(&sync[1]);
  close_fd(&start[0]);
  close_fd(&err[1]);
  close_fd(&null_fd);
  if (envp != environ) free(envp);
  free(argv);
  if (failed) {
    close_fd(&sync[0]);
    close_fd(&start[1]);
    close_fd(&err[0]);
    return respond_errno(r->id, failed);
  }
  write_full(start[1], start_data->data, start_data->len);
  close_fd(&start[1]);
  /* The first conmon process exits once its daemon has forked: reap it now, since the sync
   * line may come much later (a conmon started at create waits at its gate for the start). */
  wait_child(pid);
  buf_t line = {0};
  char c[512];
  for (;;) {
    ssize_t got = read(sync[0], c, sizeof c);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    buf_add(&line, c, (size_t)got);
    if (memchr(c, '\n', (size_t)got) || line.len > 65536) break;
  }
  close_fd(&sync[0]);
  buf_t eb = {0};
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  for (;;) {
    ssize_t got = read(err[0], c, sizeof c);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0 || eb.len > 65536) break;
    buf_add(&eb, c, (size_t)got);
  }
  close_fd(&err[0]);
  const char *d[3] = {"0", line.p ? line.p : "", eb.p ? eb.p : ""};
  size_t l[3] = {1, line.len, eb.len};
  respond(r->id, 3, d, l);
  free(line.p);
  free(eb.p);
}

/* mount: mount(2) with relative paths resolved from cwd (this thread's own cwd). */
static void op_mount(request_t *r) {
  if (r->n != 7) return respond_errno(r->id, EINVAL);
  const char *cwd = r->f[1].data;
  if (*cwd) {
    if (unshare(CLONE_FS) < 0 || chdir(cwd) < 0) return respond_errno(r->id, errno);
  }
  unsigned long flags = strtoul(r->f[5].data, NULL, 10);
  const char *data = r->f[6].len ? r->f[6].data : NULL;
  if (mount(r->f[2].data, r->f[3].data, r->f[4].data, flags, data) < 0) return respond_errno(r->id, errno);
  respond_status(r->id, "0");
}

static void op_umount(request_t *r) {
  if (r->n != 3) return respond_errno(r->id, EINVAL);
  if (umount2(r->f[1].data, (int)strtol(r->f[2].data, NULL, 10)) < 0) return respond_errno(r->id, errno);
  respond_status(r->id, "0");
}

/* True while pid exists and is not a zombie. */
static int alive(pid_t pid) {
  char path[64], stat[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  if (n <= 0) return 0;
  stat[n] = 0;
  char *paren = strrchr(stat, ')');
  return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/*
 * fifo: what `runc start` does for a created container. runc's init waits to open the
 * container's exec.fifo for writing; reading its one byte lets it exec the user's process, and
 * removing the FIFO marks the container as running in runc's state.
 */
static void op_fifo(request_t *r) {
  if (r->n != 3) return respond_errno(r->id, EINVAL);
  const char *path = r->f[1].data;
  pid_t pid = (pid_t)strtol(r->f[2].data, NULL, 10);
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return respond_errno(r->id, errno);
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, 100);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      if (!alive(pid)) break;
      continue;
    }
    char c;
    ssize_t got = read(fd, &c, 1);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    close(fd);
    if (got == 1 && c == '0') {
      unlink(path);
      return respond_status(r->id, "0");
    }
    return respond_errno(r->id, ESRCH);
  }
  close(fd);
  respond_errno(r->id, ESRCH);
}

/* mkfifo: a FIFO at path (mode 0600), replacing what is there. */
static void op_mkfifo(request_t *r) {
  if (r->n != 2) return respond_errno(r->id, EINVAL);
  const char *path = r->f[1].data;
  if (unlink(path) < 0 && errno != ENOENT) return respond_errno(r->id, errno);
  if (mkfifo(path, 0600) < 0) return respond_errno(r->id, errno);
  respond_status(r->id, "0");
}

static void op_stay(request_t *r) {
  if (r->n != 2) return respond_errno(r->id, EINVAL);
  int fd = open(r->f[1].data, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return respond_errno(r->id, errno);
  int err = write(fd, "0", 1) == 1 ? 0 : errno;
  close(fd);
  if (err) return respond_errno(r->id, err);
  respond_status(r->id, "0");
}

/* netns: a named network namespace and, with a veth name, a bridge endpoint in it. */
static void op_netns(request_t *r) {
  if (r->n != 8) return respond_errno(r->id, EINVAL);
  struct endpoint_spec e = {
      .netns = r->f[1].data, .veth = r->f[2].data, .bridge = r->f[3].data, .mac = r->f[4].data,
      .ip = r->f[5].data, .prefix = atoi(r->f[6].data), .gateway = r->f[7].data,
  };
  int err = netns_endpoint(&e);
  if (err) return respond_errno(r->id, err);
  respond_status(r->id, "0");
}

static void op_netns_rm(request_t *r) {
  if (r->n != 2) return respond_errno(r->id, EINVAL);
  int err = netns_delete(r->f[1].data);
  if (err) return respond_errno(r->id, err);
  respond_status(r->id, "0");
}

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#define SEALS_RUNC_TRUSTS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static pthread_mutex_t sealed_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  char *path;
  int fd;
} sealed_copies[8];
static int n_sealed;

/* A sealed memfd holding the file at path: made once, kept open; -1 with errno on failure. */
static int sealed_copy(const char *path) {
  for (int i = 0; i < n_sealed; i++)
    if (strcmp(sealed_copies[i].path, path) == 0) return sealed_copies[i].fd;
  if (n_sealed == (int)(sizeof sealed_copies / sizeof sealed_copies[0])) {
    errno = ENOSPC;
    return -1;
  }
  int src = open(path, O_RDONLY | O_CLOEXEC);
  if (src < 0) return -1;
  int fd = memfd_create("wharf-sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (fd < 0 && errno == EINVAL) fd = memfd_create("wharf-sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    close(src);
    return -1;
  }
  char buf[1 << 16];
  int err = 0;
  for (;;) {
    ssize_t got = read(src, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) err = errno;
    if (got <= 0) break;
    if (write_full(fd, buf, (size_t)got) < 0) {
      err = errno;
      break;
    }
  }
  close(src);
  if (!err && fcntl(fd, F_ADD_SEALS, SEALS_RUNC_TRUSTS) < 0) err = errno;
  if (!err && fcntl(fd, F_GET_SEALS) != SEALS_RUNC_TRUSTS) err = EPERM;
  if (err) {
    close(fd);
    errno = err;
    return -1;
  }
  sealed_copies[n_sealed].path = strdup(path);
  sealed_copies[n_sealed].fd = fd;
  n_sealed++;
  return fd;
}

static void op_sealed(request_t *r) {
  if (r->n != 2) return respond_errno(r->id, EINVAL);
  pthread_mutex_lock(&sealed_lock);
  int fd = sealed_copy(r->f[1].data);
  int err = errno;
  pthread_mutex_unlock(&sealed_lock);
  if (fd < 0) return respond_errno(r->id, err);
  char where[64];
  snprintf(where, sizeof where, "/proc/%d/fd/%d", (int)getpid(), fd);
  const char *d[2] = {"0", where};
  size_t l[2] = {1, strlen(where)};
  respond(r->id, 2, d, l);
}

static void free_request(request_t *r) {
  for (uint32_t i = 0; i < r->n; i++) free(r->f[i].data);
  free(r->f);
  free(r);
}

static void *serve(void *arg) {
  request_t *r = arg;
  const char *op = r->n ? r->f[0].data : "";
  if (strcmp(op, "run") == 0) op_run(r);
  else if (strcmp(op, "conmon") == 0) op_conmon(r);
  else if (strcmp(op, "mount") == 0) op_mount(r);
  else if (strcmp(op, "umount") == 0) op_umount(r);
  else if (strcmp(op, "fifo") == 0) op_fifo(r);
  else if (strcmp(op, "mkfifo") == 0) op_mkfifo(r);
  else if (strcmp(op, "netns") == 0) op_netns(r);
  else if (strcmp(op, "netns-rm") == 0) op_netns_rm(r);
  else if (strcmp(op, "sealed") == 0) op_sealed(r);
  else if (strcmp(op, "stay") == 0) op_stay(r);
  else respond_errno(r->id, ENOSYS);
  free_request(r);
  return NULL;
}

/* Parses one frame; NULL when it is malformed. */
static request_t *parse(const unsigned char *p, uint32_t len) {
  if (len < 8) return NULL;
  request_t *r = calloc(1, sizeof *r);
  r->id = get_u32(p);
  uint32_t n = get_u32(p + 4);
  if (n > len / 4) {
    free(r);
    return NULL;
  }
  r->f = calloc(n ? n : 1, sizeof(field_t));
  uint32_t off = 8;
  for (uint32_t i = 0; i < n; i++) {
    if (len - off < 4) goto bad;
    uint32_t fl = get_u32(p + off);
    off += 4;
    if (fl > len - off) goto bad;
    r->f[i].len = fl;
    r->f[i].data = malloc((size_t)fl + 1);
    memcpy(r->f[i].data, p + off, fl);
    r->f[i].data[fl] = 0;
    r->n = i + 1;
    off += fl;
  }
  if (off != len) goto bad;
  return r;
bad:
  free_request(r);
  return NULL;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  for (;;) {
    unsigned char hdr[4];
    int rc = read_full(0, hdr, 4);
    if (rc <= 0) return rc == 0 ? 0 : 1;
    uint32_t len = get_u32(hdr);
    if (len > MAX_FRAME) return 2;
    unsigned char *payload = malloc(len ? len : 1);
    if (!payload || read_full(0, payload, len) != 1) return 1;
    request_t *r = parse(payload, len);
    uint32_t id = len >= 4 ? get_u32(payload) : 0;
    free(payload);
    if (!r) {
      respond_errno(id, EINVAL);
      continue;
    }
    pthread_t t;
    if (pthread_create(&t, &attr, serve, r) != 0) {
      respond_errno(r->id, EAGAIN);
      free_request(r);
    }
  }
}
