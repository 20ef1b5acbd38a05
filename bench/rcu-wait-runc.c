/*
 * For bench/rcu-wait-emulation.sh only: stands in for /usr/sbin/runc and, before `runc create`
 * (or `run`), waits for one RCU grace period (membarrier MEMBARRIER_CMD_GLOBAL is a
 * synchronize_rcu), then execs the real runc. On a cgroup v1 kernel without favordynmods, the
 * first cgroup.procs write of runc's burst of moves waits for a grace period like this one.
 */
#include <linux/membarrier.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef REAL_RUNC
#define REAL_RUNC "/usr/sbin/runc.real"
#endif

int main(int argc, char **argv) {
  (void)argc;
  for (char **a = argv + 1; *a; a++)
    if (!strcmp(*a, "create") || !strcmp(*a, "run")) {
      syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
      break;
    }
  argv[0] = REAL_RUNC;
  execv(REAL_RUNC, argv);
  return 127;
}
