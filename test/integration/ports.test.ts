/** Published ports with real traffic: loopback, a host address, hairpin, UDP, release, stickiness. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import dgram from 'node:dgram';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestDaemon, REPO } from './daemon-harness.js';

const d = new TestDaemon();
let gateway = '';
before(async () => {
  await d.start();
  d.importBusybox();
  const id = d.docker(['run', '-d', 'busybox:latest', 'sleep', '30']).stdout.trim();
  gateway = d.docker(['inspect', '-f', '{{.NetworkSettings.Gateway}}', id]).stdout.trim();
  d.docker(['rm', '-f', id]);
});
after(() => d.stop());

function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function getWhenUp(host: string, port: number): Promise<string> {
  for (let i = 0; i < 40; i++) {
    try {
      return await get(host, port);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return get(host, port);
}

const web = (name: string, publish: string[]) =>
  d.docker(['run', '-d', '--name', name, ...publish.flatMap((p) => ['-p', p]), 'busybox:latest', 'sh', '-c', `mkdir -p /www && echo ${name} > /www/index.html && httpd -f -p 80 -h /www`]);

test('127.0.0.1, a host address and hairpin all reach the container', async () => {
  web('pt-web', ['127.0.0.1:28201:80', '28202:80']);
  assert.equal(await getWhenUp('127.0.0.1', 28201), 'pt-web\n');
  assert.equal(await getWhenUp(gateway, 28202), 'pt-web\n');
  // hairpin: another container through the host's address
  assert.equal(d.docker(['run', '--rm', 'busybox:latest', 'sh', '-c', `timeout 3 wget -q -O - http://${gateway}:28202/`]).stdout, 'pt-web\n');
  // the loopback-only binding is not reachable on the other address
  await assert.rejects(get(gateway, 28201));
  assert.equal(d.docker(['port', 'pt-web', '80']).stdout.split('\n').filter(Boolean).sort().join(','), '0.0.0.0:28202,127.0.0.1:28201');
});

test('a conflict names the holder; rm releases the port and its rules', async () => {
  const r = d.docker(['run', '-d', '--name', 'pt-clash', '-p', '28202:80', 'busybox:latest', 'sleep', '30']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /Bind for 0\.0\.0\.0:28202 failed: port is already allocated \(held by container pt-web\)/);
  d.docker(['rm', '-f', 'pt-web', 'pt-clash']);
  const rules = spawnSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).stdout;
  assert.doesNotMatch(rules, /dport 2820[12]/);
  await new Promise<void>((resolve, reject) => {
    const s = net.createServer().listen(28202, '0.0.0.0', () => s.close(() => resolve()));
    s.on('error', reject);
  });
});

test('UDP is published too', async () => {
  // busybox's nc has no UDP mode: build a tiny static echo server into an image.
  const ctx = path.join(d.dir, 'udp-ctx');
  mkdirSync(ctx);
  const cc = spawnSync('gcc', ['-static', '-O2', '-o', path.join(ctx, 'udp-echo'), path.join(REPO, 'test/fixtures/udp-echo/udp-echo.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, `gcc: ${cc.stderr}`);
  writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM busybox:latest\nCOPY udp-echo /udp-echo\nCMD ["/udp-echo", "5353"]\n');
  assert.equal(d.docker(['build', '-q', '-t', 'pt-udp-echo', ctx]).code, 0);
  d.docker(['run', '-d', '--name', 'pt-udp', '-p', '127.0.0.1:28203:5353/udp', 'pt-udp-echo']);
  const sock = dgram.createSocket('udp4');
  const ping = setInterval(() => sock.send('ping', 28203, '127.0.0.1'), 200);
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no UDP answer')), 8000);
      sock.on('message', (m) => {
        clearTimeout(timer);
        resolve(m.toString());
      });
    });
    assert.equal(answer, 'pong: ping');
  } finally {
    clearInterval(ping);
    sock.close();
    d.docker(['rm', '-f', 'pt-udp']);
  }
});

test('engine-chosen ports keep their number across stop and start', () => {
  d.docker(['run', '-d', '--name', 'pt-sticky', '-p', '80', 'busybox:latest', 'sleep', '60']);
  const first = d.docker(['port', 'pt-sticky', '80']).stdout.trim();
  assert.match(first, /^0\.0\.0\.0:\d+$/);
  d.docker(['stop', '-t', '0', 'pt-sticky']);
  d.docker(['start', 'pt-sticky']);
  assert.equal(d.docker(['port', 'pt-sticky', '80']).stdout.trim(), first);
  d.docker(['rm', '-f', 'pt-sticky']);
});

test('an IPv6 host address ([::1]) is forwarded by the daemon itself', async () => {
  web('pt-v6', ['[::1]:28204:80']);
  assert.equal(d.docker(['port', 'pt-v6', '80']).stdout, '[::1]:28204\n');
  assert.equal(await getWhenUp('::1', 28204), 'pt-v6\n');
  d.docker(['rm', '-f', 'pt-v6']);
  await assert.rejects(get('::1', 28204));
});

test('published ports survive a kill -9 of wharfd and are held again after its restart', async () => {
  web('pt-restart', ['127.0.0.1:28205:80']);
  assert.equal(await getWhenUp('127.0.0.1', 28205), 'pt-restart\n');
  await d.kill9();
  assert.equal(await get('127.0.0.1', 28205), 'pt-restart\n', 'the kernel keeps forwarding while the daemon is down');
  await d.start();
  assert.equal(d.docker(['port', 'pt-restart', '80']).stdout, '127.0.0.1:28205\n');
  const clash = d.docker(['run', '-d', '--name', 'pt-clash2', '-p', '127.0.0.1:28205:80', 'busybox:latest', 'sleep', '5']);
  assert.match(clash.stderr, /port is already allocated/);
  d.docker(['rm', '-f', 'pt-restart', 'pt-clash2']);
});
