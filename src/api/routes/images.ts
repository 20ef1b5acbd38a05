/** Engine API routes for images: list, inspect, tag, remove, history, pull, import, load, save, commit. */
import { pipeline } from 'node:stream/promises';
import { invalidParameter, messageOf } from '../../errors.js';
import type { Route } from '../route.js';
import { sendJson, queryBool, startJsonStream } from '../respond.js';
import type { ImageStore, ImageUsage } from '../../engine/images/image-store.js';
import type { ImageTransfer } from '../../engine/images/image-transfer.js';
import type { ImageRuntimeConfigJson } from '../../engine/images/image-record.js';
import { parseFilters } from '../../engine/containers/list-filter.js';
import { servePull, type PullBackend } from './image-pull.js';

export interface CommitSource {
  commitSource(ref: string): { id: string; imageId: string; upperDir: string; config: ImageRuntimeConfigJson; running: boolean };
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
}

export interface ImagesBackend {
  store: ImageStore;
  transfer: ImageTransfer;
  usage: ImageUsage;
  containers: CommitSource;
  applyChanges: (cfg: ImageRuntimeConfigJson, changes: string[]) => ImageRuntimeConfigJson;
  puller: PullBackend;
}

export function imageRoutes(b: ImagesBackend): Route[] {
  const { store, transfer } = b;
  return [
    {
      method: 'GET', path: '/images/json',
      handler: async (c) => sendJson(c.res, 200, await store.list({ all: queryBool(c.query.get('all')), filters: parseFilters(c.query.get('filters')) })),
    },
    {
      method: 'GET', path: '/images/get',
      handler: async (c) => {
        const names = c.query.getAll('names');
        if (!names.length) throw invalidParameter('no image names given');
        const stream = transfer.save(names);
        c.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
        await pipeline(stream, c.res);
      },
    },
    {
      method: 'POST', path: '/images/create',
      handler: async (c) => {
        const src = c.query.get('fromSrc');
        // As dockerd: fromImage means a pull, whatever else the query holds.
        if (c.query.get('fromImage')) return servePull(c, b.puller);
        if (src !== '-') {
          if (src) throw invalidParameter('importing from a URL is not supported; send the tar in the request body (fromSrc=-)');
          throw invalidParameter('either fromImage or fromSrc must be given');
        }
        const repo = c.query.get('repo') ?? '';
        const tag = c.query.get('tag') ?? '';
        const ref = repo ? (tag ? `${repo}:${tag}` : repo) : undefined;
        // As dockerd: an import that fails before any output is an HTTP error, not a stream.
        let img;
        try {
          img = await transfer.importRootfs(c.req, { ...(ref ? { ref } : {}), changes: c.query.getAll('changes'), message: c.query.get('message') ?? '' });
        } catch (err) {
          c.req.resume(); // let the client finish sending the tar before it reads the error
          throw err;
        }
        startJsonStream(c.res)({ status: img.id });
        c.res.end();
      },
    },
    {
      method: 'POST', path: '/images/load',
      handler: async (c) => {
        const quiet = queryBool(c.query.get('quiet'));
        const send = startJsonStream(c.res);
        try {
          for (const line of await transfer.load(c.req)) send({ stream: line + '\n' });
        } catch (err) {
          send({ errorDetail: { message: messageOf(err) }, error: messageOf(err) });
        }
        void quiet;
        c.res.end();
      },
    },
    { method: 'GET', path: '/images/*name/json', handler: async (c) => sendJson(c.res, 200, await store.inspect(c.params.name!)) },
    { method: 'GET', path: '/images/*name/history', handler: async (c) => sendJson(c.res, 200, await store.history(c.params.name!)) },
    {
      method: 'GET', path: '/images/*name/get',
      handler: async (c) => {
        store.resolve(c.params.name!);
        c.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
        await pipeline(transfer.save([c.params.name!]), c.res);
      },
    },
    {
      method: 'POST', path: '/images/*name/tag',
      handler: async (c) => {
        const repo = c.query.get('repo');
        if (!repo) throw invalidParameter('repository name must have at least one component');
        await store.tag(c.params.name!, repo, c.query.get('tag') ?? '');
        c.res.writeHead(201, { 'Content-Length': 0 });
        c.res.end();
      },
    },
    {
      method: 'DELETE', path: '/images/*name',
      handler: async (c) =>
        sendJson(c.res, 200, await store.remove(c.params.name!, { force: queryBool(c.query.get('force')), noprune: queryBool(c.query.get('noprune')) }, b.usage)),
    },
    {
      method: 'POST', path: '/commit',
      handler: async (c) => {
        const src = b.containers.commitSource(c.query.get('container') ?? '');
        const body = await c.json<ImageRuntimeConfigJson>({});
        const parent = store.resolve(src.imageId);
        let config: ImageRuntimeConfigJson = { ...src.config, ...(body && typeof body === 'object' ? body : {}) };
        config = b.applyChanges(config, c.query.getAll('changes'));
        const repo = c.query.get('repo') ?? '';
        const tag = c.query.get('tag') ?? '';
        const pause = c.query.get('pause') === null ? true : queryBool(c.query.get('pause'));
        if (pause && src.running) await b.containers.pause(src.id);
        try {
          const img = await transfer.commit({
            parent, upperDir: src.upperDir, config, containerId: src.id, containerConfig: src.config,
            comment: c.query.get('comment') ?? '', author: c.query.get('author') ?? '', ...(repo ? { ref: tag ? `${repo}:${tag}` : repo } : {}),
          });
          sendJson(c.res, 201, { Id: img.id });
        } finally {
          if (pause && src.running) await b.containers.unpause(src.id).catch(() => {});
        }
      },
    },
  ];
}
