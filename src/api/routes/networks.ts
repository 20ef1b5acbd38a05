/**
 * Engine API routes for networks. Wharf has Docker's three predefined networks (bridge, host,
 * none) and no user-defined ones: the classic stacks it runs join containers by links.
 */
import { notImplemented } from '../../errors.js';
import type { Route } from '../route.js';
import { sendJson } from '../respond.js';
import { parseFilters } from '../../engine/containers/list-filter.js';
import {
  filterNetworks, findNetwork, networkView, removalRefused,
  type AttachedContainer, type NetworkFacts, type PredefinedName,
} from '../../engine/network/network-views.js';

export interface NetworksBackend {
  networks: () => NetworkFacts[];
  attached: (name: PredefinedName) => AttachedContainer[];
}

const NO_USER_NETWORKS =
  'Wharf has only the predefined networks (bridge, host, none): user-defined networks are not supported; join containers with --link';

export function networkRoutes(b: NetworksBackend): Route[] {
  return [
    {
      method: 'GET', path: '/networks',
      handler: async (c) => sendJson(c.res, 200, filterNetworks(b.networks(), parseFilters(c.query.get('filters'))).map((n) => networkView(n))),
    },
    {
      method: 'GET', path: '/networks/:id',
      handler: async (c) => {
        const n = findNetwork(c.params.id!, b.networks());
        sendJson(c.res, 200, networkView(n, b.attached(n.name)));
      },
    },
    {
      method: 'DELETE', path: '/networks/:id',
      handler: async (c) => {
        throw removalRefused(findNetwork(c.params.id!, b.networks()));
      },
    },
    { method: 'POST', path: '/networks/prune', handler: async (c) => sendJson(c.res, 200, { NetworksDeleted: null }) },
    {
      method: 'POST', path: '/networks/create',
      handler: async () => {
        throw notImplemented(NO_USER_NETWORKS);
      },
    },
    ...(['connect', 'disconnect'] as const).map((verb): Route => ({
      method: 'POST', path: `/networks/:id/${verb}`,
      handler: async (c) => {
        findNetwork(c.params.id!, b.networks());
        throw notImplemented(NO_USER_NETWORKS);
      },
    })),
  ];
}
