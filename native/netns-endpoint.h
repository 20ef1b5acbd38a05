/* Network namespaces and bridge endpoints over rtnetlink (netns-endpoint.c). */
#ifndef WHARF_NETNS_ENDPOINT_H
#define WHARF_NETNS_ENDPOINT_H

struct endpoint_spec {
  const char *netns;   /* name under /run/netns */
  const char *veth;    /* host end; NULL or "" for a namespace with only lo (--network none) */
  const char *bridge;
  const char *mac;     /* aa:bb:cc:dd:ee:ff, for eth0 */
  const char *ip;      /* eth0's IPv4 address */
  int prefix;
  const char *gateway; /* the default route's next hop */
};

/* Creates the named namespace and, with a veth, the endpoint in it. 0 or an errno. */
int netns_endpoint(const struct endpoint_spec *e);

/* `ip netns delete NAME`: detach the bind mount, remove the file. 0 or an errno. */
int netns_delete(const char *name);

#endif
