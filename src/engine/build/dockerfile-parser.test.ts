import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFlags, parseDockerfile } from './dockerfile-parser.js';

test('continuations, comments and blank lines make logical lines with their line numbers', () => {
  const text = [
    '# a comment',
    'FROM busybox:latest',
    '',
    'ENV BOOK="Learning Docker" \\',
    '    CHAPTER="Orchestrating Containers"',
    'RUN echo a \\',
    '  # comment inside a continuation',
    '  && echo b',
    'cmd ["sleep", "600"]',
  ].join('\n');
  const parsed = parseDockerfile(text);
  assert.equal(parsed.escape, '\\');
  assert.deepEqual(parsed.warnings, []);
  assert.deepEqual(parsed.nodes, [
    { keyword: 'from', flags: [], rest: 'busybox:latest', original: 'FROM busybox:latest', startLine: 2, endLine: 2 },
    {
      keyword: 'env', flags: [],
      rest: 'BOOK="Learning Docker"     CHAPTER="Orchestrating Containers"',
      original: 'ENV BOOK="Learning Docker"     CHAPTER="Orchestrating Containers"',
      startLine: 4, endLine: 5,
    },
    { keyword: 'run', flags: [], rest: 'echo a   && echo b', original: 'RUN echo a   && echo b', startLine: 6, endLine: 8 },
    { keyword: 'cmd', flags: [], rest: '["sleep", "600"]', original: 'cmd ["sleep", "600"]', startLine: 9, endLine: 9 },
  ]);
});

test('the escape directive switches the continuation character', () => {
  const parsed = parseDockerfile('# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\n');
  assert.equal(parsed.escape, '`');
  assert.deepEqual(parsed.nodes.map((n) => n.original), ['FROM scratch', 'RUN dir c:\\   /w']);
});

test('a directive after the first instruction is only a comment', () => {
  const parsed = parseDockerfile('FROM scratch\n# escape=`\nRUN a \\\n b\n');
  assert.equal(parsed.escape, '\\');
  assert.deepEqual(parsed.nodes.map((n) => n.original), ['FROM scratch', 'RUN a  b']);
});

test('bad escape directive and empty files are errors', () => {
  assert.throws(() => parseDockerfile('# escape=x\nFROM scratch\n'), { message: "invalid ESCAPE 'x'. Must be ` or \\" });
  assert.throws(() => parseDockerfile('# only a comment\n\n'), { message: 'file with no instructions.' });
});

test('empty continuation lines are skipped with a warning', () => {
  const parsed = parseDockerfile('FROM scratch\nRUN a \\\n\n b\n');
  assert.deepEqual(parsed.nodes[1]!.original, 'RUN a  b');
  assert.deepEqual(parsed.warnings, ['[WARNING]: Empty continuation line found in:\n    RUN a  b']);
});

test('CRLF line ends are accepted', () => {
  const parsed = parseDockerfile('FROM scratch\r\nLABEL a=b\r\n');
  assert.deepEqual(parsed.nodes.map((n) => n.rest), ['scratch', 'a=b']);
});

test('leading --flags are taken off, quotes removed, -- ends them', () => {
  assert.deepEqual(extractFlags('--chown=1:2 --from="a b" src dst'), { flags: ['chown=1:2', 'from=a b'], rest: 'src dst' });
  assert.deepEqual(extractFlags('-- --x y'), { flags: [], rest: ' --x y' });
  assert.deepEqual(extractFlags('a --b'), { flags: [], rest: 'a --b' });
});
