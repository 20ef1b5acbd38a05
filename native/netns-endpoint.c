/*
 * Network namespaces and bridge endpoints over rtnetlink, for wharf-host-helper.
 *
 * What `ip netns add` plus the two `ip -batch` runs of an endpoint do, without three processes:
 * a named namespace bound at /run/netns/NAME; a veth pair whose peer is born inside it as eth0
 * with the given MAC; the host end on the bridge, up, in hairpin mode; inside, lo up, the
 * address with its broadcast, eth0 up and the default route. The namespace is made by the
 * calling thread (network namespaces are per thread), which is why each request has a thread.
 * Every function returns 0 or an errno; on failure nothing is left behind.
 */
#define _GNU_SOURCE
#include "netns-endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define NETNS_DIR "/run/netns"

/* One request: a netlink header and its payload, in one aligned buffer. */
typedef union {
  struct nlmsghdr h;
  char bytes[1024];
} nlreq_t;

static struct rtattr *attr_tail(nlreq_t *r) {
  return (struct rtattr *)(r->bytes + NLMSG_ALIGN(r->h.nlmsg_len));
}

static int attr_add(nlreq_t *r, unsigned short type, const void *data, size_t len) {
  size_t need = RTA_LENGTH(len);
  size_t at = NLMSG_ALIGN(r->h.nlmsg_len);
  if (at + RTA_ALIGN(need) > sizeof r->bytes) return -1;
  struct rtattr a = {.rta_type = type, .rta_len = (unsigned short)need};
  memcpy(r->bytes + at, &a, sizeof a);
  if (len) memcpy(r->bytes + at + RTA_LENGTH(0), data, len);
  r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(need);
  return 0;
}

static struct rtattr *nest_begin(nlreq_t *r, unsigned short type) {
  struct rtattr *a = attr_tail(r);
  return attr_add(r, type, NULL, 0) == 0 ? a : NULL;
}

static void nest_end(nlreq_t *r, struct rtattr *a) {
  a->rta_len = (unsigned short)((char *)attr_tail(r) - (char *)a);
}

static void req_init(nlreq_t *r, unsigned short type, unsigned short flags, const void *hdr, size_t hdrlen) {
  memset(r, 0, sizeof *r);
  r->h.nlmsg_type = type;
  r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  r->h.nlmsg_len = (unsigned)NLMSG_LENGTH(hdrlen);
  memcpy(r->bytes + NLMSG_HDRLEN, hdr, hdrlen);
}

/* Sends one request and waits for its acknowledgement: 0 or the kernel's errno. */
static int nl_call(int sock, nlreq_t *r) {
  static __thread unsigned seq;
  r->h.nlmsg_seq = ++seq;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(sock, r->bytes, r->h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return errno;
  char reply[8192];
  for (;;) {
    ssize_t n = recv(sock, reply, sizeof reply, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    int len = (int)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)reply; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != r->h.nlmsg_seq) continue;
      if (h->nlmsg_type == NLMSG_ERROR) return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
    }
  }
}

static int nl_open(void) {
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (s < 0) return -1;
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(s, (struct sockaddr *)&local, sizeof local) < 0) {
    close(s);
    return -1;
  }
  return s;
}

/* Sets a link up (and on `master` when > 0), by index or, when index is 0, by name. */
static int link_up(int sock, int index, const char *name, int master) {
  nlreq_t r;
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
  req_init(&r, RTM_NEWLINK, 0, &ifi, sizeof ifi);
  if (!index && attr_add(&r, IFLA_IFNAME, name, strlen(name) + 1) < 0) return EINVAL;
  if (master > 0 && attr_add(&r, IFLA_MASTER, &master, sizeof master) < 0) return EINVAL;
  return nl_call(sock, &r);
}

/* `ip link add VETH type veth peer name eth0 address MAC netns FD`. */
static int veth_add(int sock, const char *veth, const unsigned char mac[6], int nsfd) {
  nlreq_t r;
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
  req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof ifi);
  struct rtattr *info, *data, *peer;
  if (attr_add(&r, IFLA_IFNAME, veth, strlen(veth) + 1) < 0 || !(info = nest_begin(&r, IFLA_LINKINFO)) ||
      attr_add(&r, IFLA_INFO_KIND, "veth", 5) < 0 || !(data = nest_begin(&r, IFLA_INFO_DATA)) ||
      !(peer = nest_begin(&r, VETH_INFO_PEER)))
    return EINVAL;
  struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
  /* The peer's ifinfomsg sits right after the VETH_INFO_PEER header, before its attributes. */
  size_t at = NLMSG_ALIGN(r.h.nlmsg_len);
  if (at + NLMSG_ALIGN(sizeof peer_ifi) > sizeof r.bytes) return EINVAL;
  memcpy(r.bytes + at, &peer_ifi, sizeof peer_ifi);
  r.h.nlmsg_len = (unsigned)(at + NLMSG_ALIGN(sizeof peer_ifi));
  if (attr_add(&r, IFLA_IFNAME, "eth0", 5) < 0 || attr_add(&r, IFLA_ADDRESS, mac, 6) < 0 ||
      attr_add(&r, IFLA_NET_NS_FD, &nsfd, sizeof nsfd) < 0)
    return EINVAL;
  nest_end(&r, peer);
  nest_end(&r, data);
  nest_end(&r, info);
  return nl_call(sock, &r);
}

/* `ip link set dev VETH type bridge_slave hairpin on`. */
static int hairpin_on(int sock, const char *veth) {
  nlreq_t r;
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
  req_init(&r, RTM_NEWLINK, 0, &ifi, sizeof ifi);
  struct rtattr *info, *data;
  unsigned char on = 1;
  if (attr_add(&r, IFLA_IFNAME, veth, strlen(veth) + 1) < 0 || !(info = nest_begin(&r, IFLA_LINKINFO)) ||
      attr_add(&r, IFLA_INFO_SLAVE_KIND, "bridge", 7) < 0 || !(data = nest_begin(&r, IFLA_INFO_SLAVE_DATA)) ||
      attr_add(&r, IFLA_BRPORT_MODE, &on, sizeof on) < 0)
    return EINVAL;
  nest_end(&r, data);
  nest_end(&r, info);
  return nl_call(sock, &r);
}

/* `ip address add IP/PREFIX brd + dev INDEX`. */
static int address_add(int sock, int index, struct in_addr ip, int prefix) {
  nlreq_t r;
  struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = (unsigned char)prefix, .ifa_index = (unsigned)index};
  req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof ifa);
  uint32_t mask = prefix ? htonl(~0u << (32 - prefix)) : 0;
  struct in_addr brd = {.s_addr = ip.s_addr | ~mask};
  if (attr_add(&r, IFA_LOCAL, &ip, 4) < 0 || attr_add(&r, IFA_ADDRESS, &ip, 4) < 0 || attr_add(&r, IFA_BROADCAST, &brd, 4) < 0)
    return EINVAL;
  return nl_call(sock, &r);
}

/* `ip route add default via GW dev INDEX`. */
static int default_route(int sock, int index, struct in_addr gw) {
  nlreq_t r;
  struct rtmsg rt = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
                     .rtm_scope = RT_SCOPE_UNIVERSE, .rtm_type = RTN_UNICAST};
  req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof rt);
  if (attr_add(&r, RTA_GATEWAY, &gw, 4) < 0 || attr_add(&r, RTA_OIF, &index, sizeof index) < 0) return EINVAL;
  return nl_call(sock, &r);
}

static int valid_name(const char *name) {
  return *name && strlen(name) < 200 && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

/*
 * /run/netns must be a shared mount point, so bind mounts under it propagate (as ip does it).
 * Serialised: two requests that both found it not yet a mount point would stack two bind mounts.
 */
static int netns_dir_ready(void) {
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  int err = 0, bound = 0;
  if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST) err = errno;
  while (!err && mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
    if (errno != EINVAL || bound) err = errno;
    else if (mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0) err = errno;
    bound = 1;
  }
  pthread_mutex_unlock(&lock);
  return err;
}

int netns_delete(const char *name) {
  if (!valid_name(name)) return EINVAL;
  char path[256];
  snprintf(path, sizeof path, NETNS_DIR "/%s", name);
  umount2(path, MNT_DETACH);
  return unlink(path) < 0 && errno != ENOENT ? errno : 0;
}

int netns_endpoint(const struct endpoint_spec *e) {
  if (!valid_name(e->netns)) return EINVAL;
  int veth = e->veth && *e->veth;
  unsigned char mac[6];
  struct in_addr ip, gw;
  int master = 0;
  if (veth) {
    if (strlen(e->veth) >= IFNAMSIZ || e->prefix < 0 || e->prefix > 32 || inet_pton(AF_INET, e->ip, &ip) != 1 ||
        inet_pton(AF_INET, e->gateway, &gw) != 1 ||
        sscanf(e->mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
      return EINVAL;
    master = (int)if_nametoindex(e->bridge); /* in the host namespace: before unshare */
    if (!master) return ENODEV;
  }
  int err = netns_dir_ready();
  if (err) return err;
  char path[256];
  snprintf(path, sizeof path, NETNS_DIR "/%s", e->netns);
  int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0) return errno;
  close(fd);
  int host = -1, inner = -1, nsfd = -1;
  err = 0;
  if (veth && (host = nl_open()) < 0) err = errno;
  /* From here on this thread lives in the new namespace; the thread ends with the request. */
  if (!err && unshare(CLONE_NEWNET) < 0) err = errno;
  if (!err && mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) err = errno;
  if (!err && (inner = nl_open()) < 0) err = errno;
  if (!err) err = link_up(inner, 1, NULL, 0); /* lo is index 1 in every namespace */
  if (!err && veth) {
    if ((nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) err = errno;
    if (!err) err = veth_add(host, e->veth, mac, nsfd);
    if (!err) err = link_up(host, 0, e->veth, master);
    if (!err) err = hairpin_on(host, e->veth);
    int eth0 = err ? 0 : (int)if_nametoindex("eth0"); /* the thread's namespace: the new one */
    if (!err && !eth0) err = ENODEV;
    if (!err) err = address_add(inner, eth0, ip, e->prefix);
    if (!err) err = link_up(inner, eth0, NULL, 0);
    if (!err) err = default_route(inner, eth0, gw);
  }
  if (nsfd >= 0) close(nsfd);
  if (inner >= 0) close(inner);
  if (host >= 0) close(host);
  /* Removing the namespace also destroys the veth pair, whose peer lives in it. */
  if (err) netns_delete(e->netns);
  return err;
}
