import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlagError, HelpRequested, parseCommandLine, type FlagDef } from './flags.js';

const DEFS: FlagDef[] = [
  { long: 'interactive', short: 'i', type: 'bool' },
  { long: 'tty', short: 't', type: 'bool' },
  { long: 'detach', short: 'd', type: 'bool' },
  { long: 'publish-all', short: 'P', type: 'bool' },
  { long: 'env', short: 'e', type: 'list' },
  { long: 'publish', short: 'p', type: 'list' },
  { long: 'name', type: 'string' },
  { long: 'time', type: 'int' },
  { long: 'hostname', short: 'h', type: 'string' },
];

const parseRun = (argv: string[]) => parseCommandLine(argv, DEFS, { interspersed: false });
const parseAny = (argv: string[]) => parseCommandLine(argv, DEFS, { interspersed: true });

test('combined short boolean flags', () => {
  const { flags, args } = parseRun(['-itd', 'busybox']);
  assert.equal(flags.bool('interactive'), true);
  assert.equal(flags.bool('tty'), true);
  assert.equal(flags.bool('detach'), true);
  assert.deepEqual(args, ['busybox']);
  assert.equal(parseRun(['-dP', 'x']).flags.bool('publish-all'), true);
});

test('values: --flag=value, --flag value, -eA=1, -e A=1, -e=A=1, and repeats accumulate in order', () => {
  const { flags } = parseRun(['--name=web', '-eA=1', '-e', 'B=2', '-e=C=3', '--env', 'D=4', '-p', '80', '-p8080:81', 'img']);
  assert.equal(flags.string('name'), 'web');
  assert.deepEqual(flags.list('env'), ['A=1', 'B=2', 'C=3', 'D=4']);
  assert.deepEqual(flags.list('publish'), ['80', '8080:81']);
  assert.equal(parseRun(['--name', 'x', 'img']).flags.string('name'), 'x');
});

test('a value flag at the end of a cluster takes the next word', () => {
  const { flags, args } = parseRun(['-ie', 'X=1', 'img', 'cmd']);
  assert.equal(flags.bool('interactive'), true);
  assert.deepEqual(flags.list('env'), ['X=1']);
  assert.deepEqual(args, ['img', 'cmd']);
});

test('run stops at the first positional; the rest is the command, flags included', () => {
  const { flags, args } = parseRun(['-d', 'busybox', 'sh', '-c', 'echo -e hi', '--name', 'x']);
  assert.equal(flags.bool('detach'), true);
  assert.equal(flags.changed('name'), false);
  assert.deepEqual(args, ['busybox', 'sh', '-c', 'echo -e hi', '--name', 'x']);
});

test('other verbs accept flags after positionals', () => {
  const { flags, args } = parseAny(['c1', '-d', 'c2']);
  assert.equal(flags.bool('detach'), true);
  assert.deepEqual(args, ['c1', 'c2']);
});

test('-- ends flag parsing; a lone - is positional', () => {
  assert.deepEqual(parseAny(['--', '-d', 'x']).args, ['-d', 'x']);
  assert.deepEqual(parseAny(['-', '-d']).args, ['-']);
});

test('boolean values: --detach=false, -d=true; bad values use strconv wording', () => {
  assert.equal(parseAny(['--detach=false']).flags.bool('detach'), false);
  assert.equal(parseAny(['-d=true']).flags.bool('detach'), true);
  assert.throws(
    () => parseAny(['-d=x']),
    new FlagError('invalid argument "x" for "-d, --detach" flag: strconv.ParseBool: parsing "x": invalid syntax'),
  );
});

test('unknown flags are reported in pflag wording', () => {
  assert.throws(() => parseRun(['--bogus', 'img']), new FlagError('unknown flag: --bogus'));
  assert.throws(() => parseRun(['-z']), new FlagError("unknown shorthand flag: 'z' in -z"));
  assert.throws(() => parseRun(['-iz']), new FlagError("unknown shorthand flag: 'z' in -iz"));
  assert.throws(() => parseRun(['--bogus=1']), new FlagError('unknown flag: --bogus'));
});

test('missing values', () => {
  assert.throws(() => parseRun(['-e']), new FlagError("flag needs an argument: 'e' in -e"));
  assert.throws(() => parseRun(['--name']), new FlagError('flag needs an argument: --name'));
});

test('integers are validated', () => {
  assert.equal(parseAny(['--time', '5']).flags.int('time'), 5);
  assert.throws(
    () => parseAny(['--time', 'x']),
    new FlagError('invalid argument "x" for "--time" flag: strconv.ParseInt: parsing "x": invalid syntax'),
  );
});

test('--help asks for help; -h does too unless a flag owns it', () => {
  assert.throws(() => parseAny(['--help']), HelpRequested);
  assert.equal(parseRun(['-h', 'box', 'img']).flags.string('hostname'), 'box');
  assert.throws(() => parseCommandLine(['-h'], [], { interspersed: true }), HelpRequested);
});
