/**
 * What is checked at the door of each route, as data: the schema of its JSON body and the spec
 * of its query parameters, keyed by `METHOD path` as the routes declare them. server.ts applies
 * it to every request before the handler sees the body or the query.
 */
import type { Route } from '../route.js';
import { commitBody, containerCreateBody, execCreateBody, execStartBody, volumeCreateBody } from './engine-types.js';
import { buildQuery, commonQuery, type QuerySpec } from './query-check.js';
import type { Schema } from './schema.js';

/** The checks of one route. */
export interface RouteDoor {
  body?: Schema;
  query?: QuerySpec;
}

/** Every route that takes a JSON body or a checked query. */
export const ROUTE_DOORS: Readonly<Record<string, RouteDoor>> = {
  'POST /containers/create': { body: containerCreateBody },
  'POST /containers/:id/exec': { body: execCreateBody },
  'POST /exec/:id/start': { body: execStartBody },
  'POST /volumes/create': { body: volumeCreateBody },
  'POST /commit': { body: commitBody },
  'POST /build': { query: buildQuery },
};

const withCommon = (door: RouteDoor | undefined): RouteDoor => ({ ...door, query: { ...commonQuery, ...door?.query } });
const DOORS = new Map(Object.entries(ROUTE_DOORS).map(([k, v]) => [k, withCommon(v)]));
const COMMON_DOOR = withCommon(undefined);

/** The checks for a route: its own, and the query parameters every route checks (`filters`). */
export function doorOf(route: Pick<Route, 'method' | 'path'>): RouteDoor {
  return DOORS.get(`${route.method} ${route.path}`) ?? COMMON_DOOR;
}
