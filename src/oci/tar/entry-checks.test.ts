import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../errors.js';
import { checkEntryType, uniquePathFilter } from './entry-checks.js';
import { safePathFilter } from './entry-filters.js';
import type { TarEntry } from './tar-header.js';

const e = (name: string, type = '0'): TarEntry => ({
  name, mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0, type, linkname: type === '2' ? '/etc/passwd' : '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {},
});

/** Runs entries through the checks as extraction does (paths cleaned first). */
function run(mode: 'layer' | 'archive', entries: TarEntry[]): string[] {
  const filter = safePathFilter(uniquePathFilter(mode));
  return entries.flatMap((x) => filter(x) ?? []).map((x) => x.name);
}

const dockerError = (message: string) => (err: unknown) => err instanceof EngineError && err.kind === 'System' && err.message === message;

test("entry types Docker's unpacker does not handle are refused in its words, as a decimal code", () => {
  for (const t of ['0', '1', '2', '3', '4', '5', '6']) assert.doesNotThrow(() => checkEntryType(t));
  assert.throws(() => checkEntryType('S'), dockerError('Error processing tar file(exit status 1): unhandled tar header type 83'));
  assert.throws(() => checkEntryType('7'), dockerError('Error processing tar file(exit status 1): unhandled tar header type 55'));
  assert.throws(() => checkEntryType('V'), /unhandled tar header type 86/);
});

test('a layer names each path once: files, directories and a file after a symlink', () => {
  const dup = dockerError('Error processing tar file(duplicates of file paths not supported): ');
  assert.throws(() => run('layer', [e('a'), e('./a')]), dup);
  assert.throws(() => run('layer', [e('dir/', '5'), e('dir', '5')]), dup);
  assert.throws(() => run('layer', [e('x', '2'), e('x')]), dup);
  assert.throws(() => run('layer', [e('./', '5'), e('.', '5')]), dup);
  assert.deepEqual(run('layer', [e('dir/', '5'), e('dir/a'), e('dira'), e('a')]), ['dir/', 'dir/a', 'dira', 'a']);
});

test('an archive may repeat a path (the last wins, as Docker), but not in place of its own symlink', () => {
  assert.deepEqual(run('archive', [e('a'), e('a'), e('d/', '5'), e('d/', '5')]), ['a', 'a', 'd/', 'd/']);
  assert.throws(() => run('archive', [e('x', '2'), e('x')]), /"x" comes after a symlink of the same name/);
  assert.throws(() => run('archive', [e('x', '2'), e('x/', '5')]), /after a symlink/);
});
