/**
 * The ambassador flow of the guides with Wharf's ambassador image: server, server-side ambassador
 * (linked, publishing), client-side ambassador (configured by -e only), client. Then the server
 * moves and the linked ambassador follows it without a restart; and UDP.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestDaemon, REPO } from './daemon-harness.js';

const d = new TestDaemon();
before(async () => {
  await d.start();
  d.importBusybox();
  const r = spawnSync(path.join(REPO, 'scripts/build-ambassador.sh'), [], { env: { ...process.env, WHARF_HOST: `unix://${d.sock}` }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(() => d.stop());

const ip = (name: string) => d.docker(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', name]).stdout.trim();
const ping = () => d.docker(['run', '--rm', '--link', 'amb-cli:redis', 'busybox:latest', 'sh', '-c', 'echo PING | timeout 3 nc redis 6379']).stdout;

test('client -> client ambassador -> server ambassador -> server, and re-targeting', async () => {
  d.docker(['run', '-d', '--name', 'amb-redis', '--expose', '6379', 'busybox:latest', 'sh', '-c',
    'printf "while read l; do echo +PONG; done\\n" > /pong.sh; nc -ll -p 6379 -e /bin/sh /pong.sh']);
  d.docker(['run', '-d', '--name', 'amb-srv', '--link', 'amb-redis:redis', '-p', '127.0.0.1:28250:6379', 'wharf/ambassador']);
  d.docker(['run', '-d', '--name', 'amb-cli', '--expose', '6379', '-e', `REDIS_PORT_6379_TCP=tcp://${ip('amb-srv')}:6379`, 'wharf/ambassador']);
  let answer = '';
  for (let i = 0; i < 20 && answer !== '+PONG\n'; i++) answer = ping();
  assert.equal(answer, '+PONG\n');
  assert.match(d.docker(['logs', 'amb-srv']).stdout, /ambassador: tcp 6379 -> tcp:\/\/[\d.]+:6379 \(REDIS_PORT_6379_TCP\)/);
  const before = ip('amb-redis');
  d.docker(['run', '-d', '--name', 'amb-filler', 'busybox:latest', 'sleep', '60']);
  d.docker(['restart', '-t', '0', 'amb-redis']);
  assert.notEqual(ip('amb-redis'), before);
  answer = '';
  for (let i = 0; i < 20 && answer !== '+PONG\n'; i++) answer = ping();
  assert.equal(answer, '+PONG\n', 'the server-side ambassador follows the new address');
  assert.equal(d.docker(['inspect', '-f', '{{.RestartCount}} {{.State.StartedAt}}', 'amb-srv']).stdout.split(' ')[0], '0');
  d.docker(['rm', '-f', 'amb-redis', 'amb-srv', 'amb-cli', 'amb-filler']);
});

test('UDP through an ambassador', async () => {
  const ctx = path.join(d.dir, 'udp-ctx');
  mkdirSync(ctx, { recursive: true });
  const cc = spawnSync('gcc', ['-static', '-O2', '-o', path.join(ctx, 'udp-echo'), path.join(REPO, 'test/fixtures/udp-echo/udp-echo.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM busybox:latest\nCOPY udp-echo /udp-echo\nCMD ["/udp-echo", "5353"]\n');
  assert.equal(d.docker(['build', '-q', '-t', 'amb-udp-echo', ctx]).code, 0);
  d.docker(['run', '-d', '--name', 'amb-echo', 'amb-udp-echo']);
  d.docker(['run', '-d', '--name', 'amb-udp', '-e', `ECHO_PORT_5353_UDP=udp://${ip('amb-echo')}:5353`, '-p', '127.0.0.1:28251:5353/udp', 'wharf/ambassador']);
  const sock = dgram.createSocket('udp4');
  const timer = setInterval(() => sock.send('hello', 28251, '127.0.0.1'), 200);
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no UDP answer through the ambassador')), 8000);
      sock.on('message', (m) => {
        clearTimeout(t);
        resolve(m.toString());
      });
    });
    assert.equal(answer, 'pong: hello');
  } finally {
    clearInterval(timer);
    sock.close();
    d.docker(['rm', '-f', 'amb-echo', 'amb-udp']);
  }
});
