/**
 * Black-box comparison of `wharf` with the docker CLI: both run the same arguments against the
 * daemon at WHARF_TEST_HOST (a real dockerd or wharfd) and must print the same thing, once
 * durations are normalised and `wharf` is read as `docker`.
 *
 *   WHARF_TEST_HOST=unix:///path/to.sock node --test dist/test/compat/cli.test.js
 *
 * Without WHARF_TEST_HOST it starts a private wharfd. Optional: WHARF_TEST_DOCKER (default /usr/local/bin/docker), WHARF_TEST_IMAGE (default
 * busybox:latest, which must exist on the daemon).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { TestDaemon } from '../integration/daemon-harness.js';

// Without WHARF_TEST_HOST the test starts its own wharfd (own socket, roots and bridge).
let host = process.env['WHARF_TEST_HOST'];
let own: TestDaemon | undefined;
const dockerBin = process.env['WHARF_TEST_DOCKER'] ?? '/usr/local/bin/docker';
const image = process.env['WHARF_TEST_IMAGE'] ?? 'busybox:latest';
const wharfEntry = fileURLToPath(new URL('../../src/bin/wharf.js', import.meta.url));
const prefix = `cli-compat-${process.pid}`;

interface Outcome {
  out: string;
  status: number | null;
}

function exec(bin: string, args: string[], input?: string): Outcome {
  const env = { ...process.env, DOCKER_HOST: host, WHARF_HOST: host, DOCKER_CLI_HINTS: 'false' };
  const res = spawnSync(bin, args, { env, input, encoding: 'utf8', timeout: 60_000 });
  return { out: `${res.stdout}\n--stderr--\n${res.stderr}`, status: res.status };
}

/** Makes the two outputs comparable: durations (and the column widths they set), the program name. */
function normalise(text: string): string {
  return text
    .replace(/\bwharf\b/g, 'docker')
    .replace(/(Less than a second|About a minute|About an hour|\d+ (seconds?|minutes?|hours?|days?|weeks?|months?|years?))/g, '<T>')
    .replace(/ {2,}/g, '  ');
}

function compare(args: string[], input?: string): void {
  const docker = exec(dockerBin, args, input);
  const wharf = exec(process.execPath, [wharfEntry, ...args], input);
  assert.equal(normalise(wharf.out), normalise(docker.out), `output of: ${args.join(' ')}`);
  assert.equal(wharf.status, docker.status, `exit status of: ${args.join(' ')}`);
}

describe('wharf prints what the docker CLI prints', () => {
  before(async () => {
    if (!host) {
      own = new TestDaemon();
      await own.start();
      own.importBusybox();
      host = `unix://${own.sock}`;
    }
    const run = exec(dockerBin, ['run', '-d', '--name', `${prefix}-a`, '--label', 'compat=1', '-e', 'X=1', image, 'sh', '-c', 'echo out; echo err >&2; sleep 300']);
    assert.equal(run.status, 0, run.out);
    const stopped = exec(dockerBin, ['run', '--name', `${prefix}-b`, image, 'sh', '-c', 'echo done; exit 3']);
    assert.equal(stopped.status, 3, stopped.out);
  });
  after(async () => {
    exec(dockerBin, ['rm', '-f', `${prefix}-a`, `${prefix}-b`]);
    await own?.stop();
  });

  test('ps', () => {
    compare(['ps', '-a', '--filter', `name=${prefix}`]);
    compare(['ps', '-a', '--no-trunc', '--filter', `name=${prefix}`]);
    compare(['ps', '-aq', '--filter', 'label=compat=1']);
    compare(['ps', '-a', '--filter', `name=${prefix}`, '--format', 'table {{.Names}}\t{{.Command}}\t{{.Label "compat"}}']);
    compare(['ps', '-a', '--filter', `name=${prefix}`, '--format', '{{json .Names}} {{.State}}']);
  });

  test('images', () => {
    compare(['images']);
    compare(['images', '-q', '--no-trunc']);
    compare(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
  });

  test('inspect and inspect -f', () => {
    compare(['inspect', `${prefix}-a`]);
    compare(['inspect', '-f', '{{.Name}} {{.State.Status}} {{json .Config.Env}} {{.HostConfig.Links}} {{.Config.Labels}}', `${prefix}-a`, `${prefix}-b`]);
    compare(['inspect', '-f', '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{end}} {{index .Config.Labels "compat"}}', `${prefix}-a`]);
    compare(['inspect', image]);
    compare(['inspect', `${prefix}-nosuch`]);
    compare(['inspect', '-f', '{{.Nope}}', `${prefix}-a`]);
  });

  test('run --rm echo, exit codes and errors', () => {
    compare(['run', '--rm', image, 'echo', 'hello']);
    compare(['run', '--rm', image, 'sh', '-c', 'echo to-out; echo to-err >&2; exit 4']);
    compare(['run', '--rm', '-i', image, 'sh'], 'echo from-stdin; exit 2\n');
    compare(['run', '--rm', image, `${prefix}-nonexistent-binary`]);
    compare(['run', '--bogus', image]);
    compare(['run', '--pull', 'never', '--rm', `${prefix}-no-such-image`]);
  });

  test('logs', () => {
    compare(['logs', `${prefix}-a`]);
    compare(['logs', '--tail', '1', `${prefix}-b`]);
    compare(['logs', `${prefix}-nosuch`]);
  });
});
