/*
 * For bench/rcu-wait-emulation.sh only: stands in for /usr/sbin/runc and, before `runc create`
 * (or `run`), waits for one RCU grace period (membarrier MEMBARRIER_CMD_GLOBAL is a
 * synchronize_rcu), then execs the real runc. On a cgroup v1 kernel without favordynmods, the
 * first cgroup.procs write of runc's burst of moves waits for a grace period like this one.
 *
 * The real wait comes after runc has read its spec. wharfd starts runc ahead of the start and
 * gives it the spec later, through a bundle whose config.json is at first a symbolic link (see
 * src/runtime/runtime-gate.ts): so the stand-in first waits until config.json is a regular
 * file. That puts runc's own start-up (about 2.5 ms) after the spec too, so the estimate is
 * pessimistic for wharfd. For Docker config.json is a regular file from the start.
 *
 * Built with RCU_SYNC_SOCKET, the stand-in does not wait for a grace period of its own: it
 * enters and leaves bench/rcu-sync-model.c's model of the kernel's rcu_sync, which the lock
 * warmer of wharfd (src/runtime/cgroup-lock-warmer.ts) enters too, as runc's first move into a
 * cgroup and the warmer's write do on a kernel in its boot state.
 */
#include <linux/membarrier.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef REAL_RUNC
#define REAL_RUNC "/usr/sbin/runc.real"
#endif
/* 0 measures what the stand-in itself costs (the wait for the spec, runc run from its file). */
#ifndef GRACE_PERIODS
#define GRACE_PERIODS 1
#endif

/* The bundle directory of a create: --bundle DIR, --bundle=DIR, -b DIR; else the working one. */
static const char *bundle_of(char **argv) {
  for (char **a = argv; *a; a++) {
    if ((!strcmp(*a, "--bundle") || !strcmp(*a, "-b")) && a[1]) return a[1];
    if (!strncmp(*a, "--bundle=", 9)) return *a + 9;
  }
  return ".";
}

/* Waits (up to 30 s) until BUNDLE/config.json is no longer a symbolic link. */
static void wait_for_spec(const char *bundle) {
  char config[PATH_MAX];
  snprintf(config, sizeof config, "%s/config.json", bundle);
  struct timespec nap = {0, 100 * 1000};
  for (int i = 0; i < 300000; i++) {
    struct stat st;
    if (lstat(config, &st) < 0 || !S_ISLNK(st.st_mode)) return;
    nanosleep(&nap, NULL);
  }
}

#ifdef RCU_SYNC_SOCKET
/* One writer's pass through the model: enter (waiting as the model says), leave. */
static void through_model(void) {
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", RCU_SYNC_SOCKET);
  char c = 'e';
  if (s >= 0 && connect(s, (struct sockaddr *)&addr, sizeof addr) == 0 && write(s, &c, 1) == 1) (void)!read(s, &c, 1);
  if (s >= 0) close(s);
}
#endif

int main(int argc, char **argv) {
  (void)argc;
  for (char **a = argv + 1; *a; a++)
    if (!strcmp(*a, "create") || !strcmp(*a, "run")) {
      wait_for_spec(bundle_of(a + 1));
#ifdef RCU_SYNC_SOCKET
      through_model();
#else
      for (int i = 0; i < GRACE_PERIODS; i++) syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
#endif
      break;
    }
  argv[0] = REAL_RUNC;
  execv(REAL_RUNC, argv);
  return 127;
}
