import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './dockerfile-parser.js';
import { parseInstruction, parseWords } from './instructions.js';

const parse = (text: string) => {
  const parsed = parseDockerfile(text);
  return parsed.nodes.map((n) => parseInstruction(n, parsed.escape));
};

test('a small Dockerfile becomes typed instructions', () => {
  const text = [
    'FROM busybox:latest AS Build',
    'ENV PG_VERSION=9.3 NAME="a b"',
    'ENV OLD form with spaces',
    'EXPOSE 5432 80/udp',
    'VOLUME ["/data", "/logs"]',
    'VOLUME /a /b',
    'RUN echo hi > /x',
    'CMD ["sleep", "600"]',
    'ENTRYPOINT exec top',
    'ARG VERSION=1.0',
    'ARG NOVALUE',
    'COPY --chown=1:2 a b /dest/',
    'ADD ["x y", "/z"]',
    'WORKDIR /app',
    'USER nobody',
    'LABEL "com.example.key"="v" other=1',
    'ONBUILD RUN echo trigger',
    'STOPSIGNAL SIGKILL',
    'MAINTAINER Someone <s@example.com>',
    'HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://localhost/',
  ].join('\n');
  const got = parse(text).map(({ line: _line, original: _orig, ...rest }) => rest);
  assert.deepEqual(got, [
    { kind: 'from', image: 'busybox:latest', stageName: 'build' },
    { kind: 'env', pairs: [{ key: 'PG_VERSION', value: '9.3' }, { key: 'NAME', value: '"a b"' }] },
    { kind: 'env', pairs: [{ key: 'OLD', value: 'form with spaces' }] },
    { kind: 'expose', ports: ['5432', '80/udp'] },
    { kind: 'volume', paths: ['/data', '/logs'] },
    { kind: 'volume', paths: ['/a', '/b'] },
    { kind: 'run', command: { json: false, text: 'echo hi > /x' } },
    { kind: 'cmd', command: { json: true, args: ['sleep', '600'] } },
    { kind: 'entrypoint', command: { json: false, text: 'exec top' } },
    { kind: 'arg', name: 'VERSION', defaultValue: '1.0' },
    { kind: 'arg', name: 'NOVALUE' },
    { kind: 'copy', sources: ['a', 'b'], dest: '/dest/', chown: '1:2' },
    { kind: 'add', sources: ['x y'], dest: '/z' },
    { kind: 'workdir', value: '/app' },
    { kind: 'user', value: 'nobody' },
    { kind: 'label', pairs: [{ key: '"com.example.key"', value: '"v"' }, { key: 'other', value: '1' }] },
    { kind: 'onbuild', expression: 'RUN echo trigger' },
    { kind: 'stopsignal', value: 'SIGKILL' },
    { kind: 'maintainer', value: 'Someone <s@example.com>' },
    {
      kind: 'healthcheck',
      health: { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 5e9, Timeout: 0, StartPeriod: 0, Retries: 3 },
    },
  ]);
});

test('a JSON-looking argument that is not a JSON array stays shell form', () => {
  const [, run, cmd] = parse('FROM a\nRUN [ -f /x ] && echo y\nCMD ["unterminated"');
  assert.deepEqual(run, { kind: 'run', command: { json: false, text: '[ -f /x ] && echo y' }, line: 2, original: 'RUN [ -f /x ] && echo y' });
  assert.deepEqual(cmd!.kind === 'cmd' && cmd.command, { json: false, text: '["unterminated"' });
});

test('errors carry Docker wording and the line number', () => {
  const cases: [string, string][] = [
    ['FROM a\nRUN x\nFOO bar', 'dockerfile parse error line 3: unknown instruction: FOO'],
    ['FROM a b', 'dockerfile parse error line 1: FROM requires either one or three arguments'],
    ['FROM a AS 1x', 'dockerfile parse error line 1: invalid name for build stage: "1x", name can\'t start with a number or contain symbols'],
    ['FROM a\nENV', 'dockerfile parse error line 2: ENV requires at least one argument'],
    ['FROM a\nENV ONLYKEY', 'dockerfile parse error line 2: ENV must have two arguments'],
    ['FROM a\nENV a=1 b', 'dockerfile parse error line 2: Syntax error - can\'t find = in "b". Must be of the form: name=value'],
    ['FROM a\n\nCOPY onlyone', 'dockerfile parse error line 3: COPY requires at least two arguments, but only one was provided. Destination could not be determined.'],
    ['FROM a\nCOPY --nope=1 a b', 'dockerfile parse error line 2: Unknown flag: nope'],
    ['FROM a\nADD --from=x a b', 'dockerfile parse error line 2: Unknown flag: from'],
    ['FROM a\nCOPY --chown a b', 'dockerfile parse error line 2: Missing a value on flag: chown'],
    ['FROM a\nCMD ["a", 1]', 'dockerfile parse error line 2: when using JSON array syntax, arrays must be comprised of strings only'],
    ['FROM a\nARG a=1 b=2', 'dockerfile parse error line 2: ARG requires exactly one argument'],
    ['FROM a\nWORKDIR', 'dockerfile parse error line 2: WORKDIR requires exactly one argument'],
    ['FROM a\nONBUILD ONBUILD RUN x', 'dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed'],
    ['FROM a\nONBUILD FROM b', 'dockerfile parse error line 2: FROM isn\'t allowed as an ONBUILD trigger'],
    ['FROM a\nHEALTHCHECK NONE x', 'dockerfile parse error line 2: HEALTHCHECK NONE takes no arguments'],
    ['FROM a\nSHELL /bin/bash -c', 'dockerfile parse error line 2: SHELL requires the arguments to be in JSON form'],
    ['FROM a\nHEALTHCHECK --retries=0 CMD true', 'dockerfile parse error line 2: --retries must be at least 1 (not 0)'],
    ['FROM a\nHEALTHCHECK --interval=0s CMD true', 'dockerfile parse error line 2: Interval "interval" cannot be less than 1ms'],
    ['FROM a\nHEALTHCHECK FOO x', 'dockerfile parse error line 2: Unknown type "FOO" in HEALTHCHECK (try CMD)'],
    ['FROM a\nENV =x', 'dockerfile parse error line 2: ENV names can not be blank'],
  ];
  for (const [text, message] of cases) assert.throws(() => parse(text), { message }, text);
});

test('parseWords keeps quotes and escapes for the later substitution', () => {
  assert.deepEqual(parseWords('a="x y" b=\'1 2\' c=d\\ e'), ['a="x y"', "b='1 2'", 'c=d\\ e']);
});
