/** Read-only views of containers for the API: inspect, list, top, logs. */
import path from 'node:path';
import { runCommand } from '../../runtime/run-command.js';
import { conflict } from '../../errors.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerService } from './container-service.js';
import type { ContainerRunner } from './container-runner.js';
import { inspectView, listView, type ViewContext } from './container-views.js';
import { selectContainers, type Filters } from './list-filter.js';
import { filterPsOutput, type TopResult } from './top.js';

export interface QueryDeps {
  service: ContainerService;
  runner: ContainerRunner;
  network: () => { name: string; networkId: string };
  /** Does the image `value` (name, id, prefix) match this image id? */
  imageMatches: (imageId: string, value: string) => boolean;
  now: () => Date;
}

export class ContainerQueries {
  constructor(private readonly d: QueryDeps) {}

  private ctx(rec: ContainerRecord): ViewContext {
    const dir = this.d.runner.bundleDir(rec.id);
    return {
      links: this.d.service.linksView(rec),
      names: this.d.service.namesOf(rec),
      paths: {
        logPath: this.d.runner.logPath(rec.id),
        hostsPath: this.d.runner.runFile(rec.id, 'hosts'),
        hostnamePath: this.d.runner.runFile(rec.id, 'hostname'),
        resolvConfPath: this.d.runner.runFile(rec.id, 'resolv.conf'),
        upperDir: path.join(dir, 'upper'),
        workDir: path.join(dir, 'work'),
        mergedDir: path.join(dir, 'rootfs'),
      },
      network: this.d.network(),
      now: this.d.now(),
    };
  }

  inspect(ref: string): Record<string, unknown> {
    const rec = this.d.service.store.require(ref);
    return inspectView(rec, this.ctx(rec));
  }

  list(opts: { all: boolean; limit: number; filters: Filters }): Record<string, unknown>[] {
    const store = this.d.service.store;
    const selected = selectContainers(store.all(), opts, {
      names: (r) => this.d.service.namesOf(r).map((n) => n.slice(1)),
      ancestorMatches: (r, v) => r.image === v || this.d.imageMatches(r.imageId, v),
      find: (ref) => store.find(ref),
    });
    return selected.map((r) => listView(r, this.ctx(r)));
  }

  /** `GET /containers/{id}/top`. */
  async top(ref: string, psArgs: string): Promise<TopResult> {
    const rec = this.d.service.store.require(ref);
    if (!rec.state.Running) throw conflict(`Container ${rec.id} is not running`);
    const pids = await this.d.runner.runc.pids(rec.id);
    const args = psArgs.trim() ? psArgs.trim().split(/\s+/) : ['-ef'];
    const out = await runCommand(['ps', ...args]);
    return filterPsOutput(out.stdout, pids);
  }
}
