import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSummary } from '../../client/containers.js';
import type { HistoryItem, ImageSummary } from '../../client/images.js';
import { ContainerContext, displayablePorts, ellipsis, PS_HEADERS, PS_TABLE_FORMAT } from './container-context.js';
import { formatGoTime, humanDuration, humanSize, parseRamBytes } from './human-units.js';
import {
  HISTORY_HEADERS, HISTORY_TABLE_FORMAT, HistoryContext, IMAGES_HEADERS, IMAGES_TABLE_FORMAT, imageRows,
} from './image-context.js';
import { indentJson } from './json-indent.js';
import { renderList } from './list-format.js';
import { alignTabs } from './tabwriter.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const secs = (ms: number) => Math.floor(ms / 1000);

test('humanDuration follows go-units', () => {
  const cases: [number, string][] = [
    [0, 'Less than a second'], [999, 'Less than a second'], [1000, '1 second'], [3000, '3 seconds'],
    [59_000, '59 seconds'], [60_000, 'About a minute'], [119_000, 'About a minute'], [120_000, '2 minutes'],
    [59 * 60_000, '59 minutes'], [60 * 60_000, 'About an hour'], [90 * 60_000, '2 hours'],
    [47 * 3_600_000, '47 hours'], [48 * 3_600_000, '2 days'], [14 * 86_400_000, '2 weeks'],
    [60 * 86_400_000, '2 months'], [800 * 86_400_000, '2 years'],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms}ms`);
});

test('humanSize and RAM parsing', () => {
  assert.equal(humanSize(1978123, 3), '1.98MB');
  assert.equal(humanSize(0, 3), '0B');
  assert.equal(humanSize(999, 3), '999B');
  assert.equal(humanSize(1000, 3), '1kB');
  assert.equal(humanSize(123456789, 3), '123MB');
  assert.equal(parseRamBytes('64m'), 67108864);
  assert.equal(parseRamBytes('1g'), 1073741824);
  assert.equal(parseRamBytes('512'), 512);
  assert.throws(() => parseRamBytes('1x'), /invalid suffix: 'x'/);
  assert.equal(formatGoTime(NOW), '2026-11-22 12:00:00 +0000 UTC');
});

test('tabwriter aligns like Go (minwidth 10, padding 3), last cell unpadded', () => {
  assert.equal(alignTabs('A\tBB\tC\nlonger-value\tx\ty\n'), 'A              BB        C\nlonger-value   x         y\n');
  assert.equal(alignTabs('a\tb\nc\n\td\n'), 'a         b\nc\n          d\n');
  assert.equal(alignTabs('UID\tPID\nroot\t1\n', { minWidth: 20, padding: 3 }), 'UID                 PID\nroot                1\n');
});

test('ellipsis and ports', () => {
  assert.equal(ellipsis('/bin/sh -c echo hello world', 20), '/bin/sh -c echo hel…');
  assert.equal(ellipsis('short', 20), 'short');
  assert.equal(
    displayablePorts([
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 28080, Type: 'tcp' },
      { IP: '::', PrivatePort: 80, PublicPort: 28080, Type: 'tcp' },
      { PrivatePort: 5432, Type: 'tcp' },
      { PrivatePort: 5433, Type: 'tcp' },
      { PrivatePort: 53, Type: 'udp' },
      { IP: '127.0.0.1', PrivatePort: 9000, PublicPort: 9000, Type: 'tcp' },
    ]),
    '53/udp, 5432-5433/tcp, 127.0.0.1:9000->9000/tcp, 0.0.0.0:28080->80/tcp, [::]:28080->80/tcp',
  );
});

const CONTAINER: ContainerSummary = {
  Id: 'de83805f79d7d0b9a70317f6c11b73059bdd0d66b6d8f579ddc7219ee64be21d',
  Names: ['/cf-tweb/db', '/cf-tdb'],
  Image: 'busybox:latest',
  Command: '/bin/sh -c \'echo hello world; sleep 1\'',
  Created: secs(NOW - 3_000),
  Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 28180, Type: 'tcp' }],
  Labels: { b: '2', a: '1' },
  State: 'running',
  Status: 'Up 2 seconds',
};

test('ps table: truncation, quoting, names without links', () => {
  const rows = [new ContainerContext(CONTAINER, true, NOW)];
  assert.equal(
    renderList(PS_TABLE_FORMAT, rows, PS_HEADERS),
    'CONTAINER ID   IMAGE            COMMAND                  CREATED         STATUS         PORTS                   NAMES\n' +
      'de83805f79d7   busybox:latest   "/bin/sh -c \'echo he…"   3 seconds ago   Up 2 seconds   0.0.0.0:28180->80/tcp   cf-tdb\n',
  );
  const full = new ContainerContext(CONTAINER, false, NOW);
  assert.equal(full.Names(), 'cf-tweb/db,cf-tdb');
  assert.equal(full.ID(), CONTAINER.Id);
  assert.equal(full.Command(), '"/bin/sh -c \'echo hello world; sleep 1\'"');
});

test('ps --format without table, with Label and Labels', () => {
  const rows = [new ContainerContext(CONTAINER, true, NOW)];
  assert.equal(renderList('{{.Names}} {{.Label "a"}} {{.Labels}}', rows, PS_HEADERS), 'cf-tdb 1 a=1,b=2\n');
  assert.equal(renderList('table {{.ID}}\\t{{.Status}}', rows, PS_HEADERS), 'CONTAINER ID   STATUS\nde83805f79d7   Up 2 seconds\n');
  assert.equal(renderList('table {{.Names}}', [], PS_HEADERS), 'NAMES\n');
  assert.match(renderList('json', rows, PS_HEADERS), /^\{"Command":"\\"\/bin\/sh -c 'echo he…\\"",/);
});

test('images table: a row per tag, <none> for dangling', () => {
  const img: ImageSummary = {
    Id: 'sha256:e5c40937efdc422dfbcca35119d46a38856f1c6752ffc2f5806232c3401802c5', ParentId: '',
    RepoTags: ['busybox:latest', 'localhost:5000/bb:1'], RepoDigests: null, Created: secs(NOW - 18 * 60_000),
    Size: 1978123, Labels: null, Containers: -1,
  };
  const dangling: ImageSummary = { ...img, Id: 'sha256:' + 'a'.repeat(64), RepoTags: null, Created: secs(NOW - 2 * 86_400_000) };
  const rows = [img, dangling].flatMap((i) => imageRows(i, true, NOW));
  assert.equal(
    renderList(IMAGES_TABLE_FORMAT, rows, IMAGES_HEADERS),
    'REPOSITORY          TAG       IMAGE ID       CREATED          SIZE\n' +
      'busybox             latest    e5c40937efdc   18 minutes ago   1.98MB\n' +
      'localhost:5000/bb   1         e5c40937efdc   18 minutes ago   1.98MB\n' +
      '<none>              <none>    aaaaaaaaaaaa   2 days ago       1.98MB\n',
  );
});

test('history table', () => {
  const h: HistoryItem = {
    Id: 'sha256:' + 'b'.repeat(64), Created: secs(NOW - 60_000), CreatedBy: '/bin/sh -c #(nop)  CMD ["sh" "-c" "echo a long command here"]',
    Tags: null, Size: 0, Comment: '',
  };
  const missing: HistoryItem = { ...h, Id: '<missing>', CreatedBy: '', Size: 1978123, Comment: 'Imported from -' };
  assert.equal(
    renderList(HISTORY_TABLE_FORMAT, [new HistoryContext(h, true, true, NOW), new HistoryContext(missing, true, true, NOW)], HISTORY_HEADERS),
    'IMAGE          CREATED              CREATED BY                                      SIZE      COMMENT\n' +
      'bbbbbbbbbbbb   About a minute ago   /bin/sh -c #(nop)  CMD ["sh" "-c" "echo a lo…   0B        \n' +
      '<missing>      About a minute ago                                                   1.98MB    Imported from -\n',
  );
});

test('inspect JSON is indented like Go json.MarshalIndent', () => {
  assert.equal(indentJson('[{"a":1,"b":[],"c":{},"d":["x",{"e":null}],"s":"\\u003ca\\u003e \\u0026 \\"q\\" \\\\u003c"}]'),
    '[\n    {\n        "a": 1,\n        "b": [],\n        "c": {},\n        "d": [\n            "x",\n            {\n                "e": null\n            }\n        ],\n        "s": "<a> & \\"q\\" \\\\u003c"\n    }\n]');
  assert.equal(indentJson('[]'), '[]');
});
