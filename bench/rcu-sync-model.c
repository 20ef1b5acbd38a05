/*
 * For bench/rcu-wait-emulation.sh only (RCU_SYNC_MODEL=1): a user-space model of the kernel's
 * rcu_sync in front of cgroup_threadgroup_rwsem, as it works on a kernel whose cgroup
 * favordynmods was never switched on (kernel/rcu/sync.c), driven by real grace periods
 * (membarrier MEMBARRIER_CMD_GLOBAL is a synchronize_rcu).
 *
 * Writers are the runc stand-in (bench/rcu-wait-runc.c), which enters and leaves once per
 * `runc create` through the socket, and wharfd's lock warmer, whose helper writes "0" to the
 * FIFO given here instead of a cgroup.procs file (WHARF_CGROUP_WARM_FILE).
 *
 *   idle   -> a writer enters: a grace period starts; it and every writer that comes meanwhile
 *             wait for it (the real ones wait on the cgroup mutex the first holds): "passed"
 *   passed -> the last writer leaves: "exit", and one more grace period starts
 *   exit   -> it ends: idle again, unless a writer entered and left meanwhile ("replay": one
 *             more grace period); a writer that enters in exit or replay does not wait
 *
 *   rcu-sync-model SOCKET FIFO
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

enum state { IDLE, ENTER, PASSED, EXIT, REPLAY };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static enum state state = IDLE;
static int count; /* writers inside */

static void call_after_grace_period(void);

/* What the kernel's rcu_sync_func does once a grace period has passed. Called with the lock. */
static void grace_period_done(void) {
  if (count) {
    state = PASSED;
    pthread_cond_broadcast(&changed);
  } else if (state == REPLAY) {
    state = EXIT;
    call_after_grace_period();
  } else {
    state = IDLE;
  }
}

static void *grace_period(void *arg) {
  (void)arg;
  syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
  pthread_mutex_lock(&lock);
  grace_period_done();
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void call_after_grace_period(void) {
  pthread_t t;
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&t, &a, grace_period, NULL) != 0) abort();
}

static void writer_enter(void) {
  pthread_mutex_lock(&lock);
  if (state == IDLE) {
    state = ENTER;
    call_after_grace_period();
  }
  count++;
  while (state == ENTER) pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
}

static void writer_exit(void) {
  pthread_mutex_lock(&lock);
  if (--count == 0) {
    if (state == PASSED) {
      state = EXIT;
      call_after_grace_period();
    } else if (state == EXIT) {
      state = REPLAY;
    }
  }
  pthread_mutex_unlock(&lock);
}

/* One client of the socket: each byte it sends is one writer that enters, is answered, leaves. */
static void *serve(void *arg) {
  int fd = (int)(long)arg;
  char c;
  while (read(fd, &c, 1) == 1) {
    writer_enter();
    ssize_t n = write(fd, "k", 1);
    writer_exit();
    if (n != 1) break;
  }
  close(fd);
  return NULL;
}

/* The warmer's writes: each byte is a writer; the next byte waits, as the next write would. */
static void *warm_fifo(void *arg) {
  const char *path = arg;
  int fd = open(path, O_RDWR); /* read-write: never an end of file */
  if (fd < 0) {
    perror(path);
    exit(1);
  }
  char buf[64];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) continue;
    writer_enter();
    writer_exit();
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: rcu-sync-model SOCKET FIFO\n");
    return 2;
  }
  unlink(argv[2]);
  if (mkfifo(argv[2], 0600) < 0) {
    perror(argv[2]);
    return 1;
  }
  pthread_t t;
  if (pthread_create(&t, NULL, warm_fifo, argv[2]) != 0) return 1;
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", argv[1]);
  unlink(argv[1]);
  if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 64) < 0) {
    perror(argv[1]);
    return 1;
  }
  for (;;) {
    int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR) continue;
      perror("accept");
      return 1;
    }
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &a, serve, (void *)(long)c) != 0) close(c);
  }
}
