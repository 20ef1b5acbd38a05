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
 */
#include <linux/membarrier.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef REAL_RUNC
#define REAL_RUNC "/usr/sbin/runc.real"
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

int main(int argc, char **argv) {
  (void)argc;
  for (char **a = argv + 1; *a; a++)
    if (!strcmp(*a, "create") || !strcmp(*a, "run")) {
      wait_for_spec(bundle_of(a + 1));
      syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
      break;
    }
  argv[0] = REAL_RUNC;
  execv(REAL_RUNC, argv);
  return 127;
}
