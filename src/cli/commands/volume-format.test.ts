import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderGroupHelp } from './command-group.js';
import type { AuditEntry, Volume } from '../../client/volumes.js';
import {
  compareNatural, describeCreator, parseKeyValues, renderAudit, renderAuditRemoved, renderPruneReport,
  renderVolumeList,
} from './volume-format.js';

function volume(name: string, labels: Record<string, string> | null = null): Volume {
  return {
    Name: name, Driver: 'local', Mountpoint: `/var/lib/wharf/volumes/${name}/_data`, CreatedAt: '2026-11-22T10:00:00Z',
    Labels: labels, Options: null, Scope: 'local',
  };
}

const VOLUMES = [volume('vol10'), volume('Abc', { c: '', a: 'b' }), volume('vol2'), volume('82e7f0'), volume('11af00')];

test('parseKeyValues splits at the first "=", a bare key maps to ""', () => {
  assert.deepEqual(parseKeyValues(['a=b', 'c', 'd=e=f', 'g=']), { a: 'b', c: '', 'd': 'e=f', g: '' });
  assert.deepEqual(parseKeyValues([]), {});
});

test('compareNatural orders like docker: numbers by value, digits first, bytes otherwise', () => {
  const names = ['vol10', 'Abc', 'vol2', 'abc', '82e7', '11af', 'vol02', 'vol', 'a-b', 'a_b'];
  assert.deepEqual([...names].sort(compareNatural), ['11af', '82e7', 'Abc', 'a-b', 'a_b', 'abc', 'vol', 'vol2', 'vol02', 'vol10']);
  assert.equal(compareNatural('x', 'x'), 0);
});

test('volume ls default table', () => {
  assert.equal(
    renderVolumeList(VOLUMES, '', false),
    'DRIVER    VOLUME NAME\nlocal     11af00\nlocal     82e7f0\nlocal     Abc\nlocal     vol2\nlocal     vol10\n',
  );
  assert.equal(renderVolumeList(VOLUMES, 'table', false), renderVolumeList(VOLUMES, '', false));
});

test('volume ls -q prints names only, whatever the format', () => {
  assert.equal(renderVolumeList(VOLUMES, '{{.Driver}}', true), '11af00\n82e7f0\nAbc\nvol2\nvol10\n');
  assert.equal(renderVolumeList([], '', true), '');
  assert.equal(renderVolumeList([], '', false), 'DRIVER    VOLUME NAME\n');
});

test('volume ls --format with labels, a label column and the N/A cluster fields', () => {
  const two = [volume('vol2'), volume('Abc', { c: '', a: 'b' })];
  assert.equal(
    renderVolumeList(two, 'table {{.Name}}\\t{{.Labels}}\\t{{.Label "a"}}\\t{{.Links}}', false),
    'VOLUME NAME   LABELS    a         LINKS\nAbc           a=b,c=    b         N/A\nvol2                              N/A\n',
  );
  assert.equal(renderVolumeList(two, '{{.Name}} {{.Scope}} {{.Mountpoint}}', false),
    'Abc local /var/lib/wharf/volumes/Abc/_data\nvol2 local /var/lib/wharf/volumes/vol2/_data\n');
});

test('volume ls --format json prints docker\'s fields in docker\'s order', () => {
  assert.equal(
    renderVolumeList([volume('Abc', { a: 'b' })], 'json', false),
    '{"Availability":"N/A","Driver":"local","Group":"N/A","Labels":"a=b","Links":"N/A",' +
      '"Mountpoint":"/var/lib/wharf/volumes/Abc/_data","Name":"Abc","Scope":"local","Size":"N/A","Status":"N/A"}\n',
  );
});

const AUDIT: AuditEntry[] = [
  {
    Kind: 'volume', Name: '8c1e4f', Path: '/d/volumes/8c1e4f', Size: 12345, AgeSeconds: 3 * 3600, CreatedBy: '-v',
    Container: '5d2f0a1b9c3e77aa', Image: 'busybox',
  },
  { Kind: 'volume', Name: 'cache', Path: '/d/volumes/cache', Size: 0, AgeSeconds: 30, CreatedBy: 'volume create' },
  { Kind: 'stray-directory', Name: 'old-data', Path: '/d/volumes/old-data', Size: 1_234_567, AgeSeconds: 9 * 86400, CreatedBy: 'unknown' },
];

test('describeCreator adds the short container id', () => {
  assert.equal(describeCreator(AUDIT[0]!), '-v (container 5d2f0a1b9c3e)');
  assert.equal(describeCreator(AUDIT[1]!), 'volume create');
});

test('volume audit table: human sizes and ages', () => {
  assert.equal(
    renderAudit(AUDIT, ''),
    'KIND              NAME       SIZE      AGE          CREATED BY\n' +
      'volume            8c1e4f     12.3kB    3 hours      -v (container 5d2f0a1b9c3e)\n' +
      'volume            cache      0B        30 seconds   volume create\n' +
      'stray-directory   old-data   1.23MB    9 days       unknown\n',
  );
  assert.equal(renderAudit([], 'table'), 'KIND      NAME      SIZE      AGE       CREATED BY\n');
});

test('volume audit --format picks fields, including path, container and image', () => {
  assert.equal(renderAudit(AUDIT.slice(0, 2), '{{.Name}}|{{.Path}}|{{.Container}}|{{.Image}}'),
    '8c1e4f|/d/volumes/8c1e4f|5d2f0a1b9c3e77aa|busybox\ncache|/d/volumes/cache||\n');
});

test('audit prune and volume prune reports', () => {
  assert.equal(renderAuditRemoved(AUDIT.slice(1)),
    'Removed:\nvolume cache\nstray-directory old-data\n\nTotal reclaimed space: 1.235MB\n');
  assert.equal(renderAuditRemoved([]), 'Nothing removed\n');
  assert.equal(renderPruneReport(['a', 'b'], 2048), 'Deleted Volumes:\na\nb\n\nTotal reclaimed space: 2.048kB\n');
  assert.equal(renderPruneReport(null, 0), 'Total reclaimed space: 0B\n');
});

test('volume group help lists the sub-commands like docker', () => {
  assert.equal(
    renderGroupHelp('volume', 'Manage volumes', [{ name: 'volume create', description: 'Create a volume' }, { name: 'volume ls', description: 'List volumes' }]),
    "Usage:  wharf volume COMMAND\n\nManage volumes\n\nCommands:\n  create      Create a volume\n  ls          List volumes\n\n" +
      "Run 'wharf volume COMMAND --help' for more information on a command.\n",
  );
});
