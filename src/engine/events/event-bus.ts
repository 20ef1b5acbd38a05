/** In-memory event fan-out for `GET /events` (and, later, live links). */
import type { EventSink } from '../containers/ports.js';

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  status?: string;
  id?: string;
  from?: string;
  scope: 'local';
  time: number;
  timeNano: number;
}

type Listener = (e: EngineEvent) => void;

/** Matches an event against Docker's event filters (type, event/action, container, label). */
function matches(e: EngineEvent, filters: Record<string, string[]>): boolean {
  const has = (k: string, v: string | undefined) => !filters[k]?.length || (v !== undefined && filters[k]!.includes(v));
  if (!has('type', e.Type)) return false;
  if (!has('event', e.Action)) return false;
  if (filters.container?.length && !filters.container.some((c) => c === e.Actor.ID || c === e.Actor.Attributes.name)) return false;
  for (const l of filters.label ?? []) {
    const [k, v] = l.split('=');
    if (!(k! in e.Actor.Attributes) || (v !== undefined && e.Actor.Attributes[k!] !== v)) return false;
  }
  return true;
}

/** Docker's `filters` query value as lists of values; unreadable filters match everything. */
function parseFilters(rawFilters: string | null): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  try {
    const parsed = rawFilters ? (JSON.parse(rawFilters) as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(parsed)) filters[k] = Array.isArray(v) ? v.map(String) : Object.keys(v as object);
  } catch {
    return {};
  }
  return filters;
}

/** How many past events are kept for `since`/`until` (as many as Docker keeps). */
export const EVENTS_KEPT = 256;

export class EventBus implements EventSink {
  private readonly listeners = new Set<Listener>();
  private readonly recent: EngineEvent[] = [];

  constructor(private readonly now: () => Date) {}

  emit(ev: { Type: string; Action: string; id: string; attributes: Record<string, string> }): void {
    const t = this.now().getTime();
    const e: EngineEvent = {
      Type: ev.Type, Action: ev.Action, Actor: { ID: ev.id, Attributes: ev.attributes }, scope: 'local',
      time: Math.floor(t / 1000), timeNano: t * 1e6,
      ...(ev.Type === 'container' ? { status: ev.Action, id: ev.id, from: ev.attributes.image } : {}),
    };
    this.recent.push(e);
    if (this.recent.length > EVENTS_KEPT) this.recent.shift();
    for (const l of this.listeners) l(e);
  }

  /**
   * The kept events from `sinceNs` up to `untilNs` (0: no bound) that match the filters, oldest
   * first. Without either bound there is no history, as in Docker.
   */
  history(rawFilters: string | null, sinceNs: number, untilNs: number): EngineEvent[] {
    if (!sinceNs && !untilNs) return [];
    const filters = parseFilters(rawFilters);
    return this.recent.filter((e) => e.timeNano >= sinceNs && (!untilNs || e.timeNano <= untilNs) && matches(e, filters));
  }

  /** Subscribes with the `filters` query value; returns the unsubscribe function. */
  subscribe(listener: Listener, rawFilters: string | null): () => void {
    const filters = parseFilters(rawFilters);
    const wrapped: Listener = (e) => {
      if (matches(e, filters)) listener(e);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }
}
