import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs, existsSync, lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HELPER_PATH, HostHelper, makeFifo, sealedCopy } from './host-helper.js';
import { RuntimeGates, releaseStaleGates } from './runtime-gate.js';

/**
 * Reads config.json as runc does: opens it (waiting for a writer if it is a FIFO without one)
 * and decodes until one JSON value is whole, without waiting for the end of the file. Exits 0
 * and prints the value, or 1 when what it read is not JSON.
 */
const READER = `
const fs = require('fs');
const fd = fs.openSync(process.argv[1], 'r');
const buf = Buffer.alloc(65536);
let text = '';
for (;;) {
  const n = fs.readSync(fd, buf);
  if (n === 0) { console.error('EOF'); process.exit(1); }
  text += buf.toString('utf8', 0, n);
  try { process.stdout.write(JSON.stringify(JSON.parse(text))); process.exit(0); }
  catch (e) {
    const at = /at position (\\d+)/.exec(e.message);
    const cut = /end of JSON/.test(e.message) || (at && Number(at[1]) >= text.length - 1);
    if (!cut) { console.error(e.message); process.exit(1); }
  }
}`;

function runtimeReads(file: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', READER, file]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withGates(fn: (gates: RuntimeGates, dir: string, helper: HostHelper) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-gate-'));
  const helper = new HostHelper(HELPER_PATH);
  const gates = new RuntimeGates(helper);
  try {
    await fn(gates, dir, helper);
  } finally {
    gates.stop();
    helper.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function bundle(dir: string, name: string): Promise<string> {
  const b = path.join(dir, name);
  await fs.mkdir(b);
  return b;
}

test('a runtime waiting at the gate reads the spec once it is written; config.json is then a file', async () => {
  await withGates(async (gates, dir) => {
    const b = await bundle(dir, 'a');
    const gate = await gates.prepare(b, '/bin/true');
    // config.json leads to this (the daemon's) descriptor of the FIFO.
    assert.match(readlinkSync(path.join(b, 'config.json')), new RegExp(`^/proc/${process.pid}/fd/\\d+$`));
    assert.ok(lstatSync(path.join(b, '.config.fifo')).isFIFO());
    const reading = runtimeReads(path.join(b, 'config.json'));
    await pause(50);
    const spec = JSON.stringify({ ociVersion: '1.0.2', process: { args: ['sleep', '1'] } });
    await gate.open(spec);
    assert.deepEqual(await reading, { code: 0, out: spec });
    assert.ok(lstatSync(path.join(b, 'config.json')).isFile());
    assert.equal(readFileSync(path.join(b, 'config.json'), 'utf8'), spec);
    assert.equal(existsSync(path.join(b, '.config.fifo')), false);
    gate.close();
    // A runtime that comes after the spec was written reads the file.
    assert.deepEqual(await runtimeReads(path.join(b, 'config.json')), { code: 0, out: spec });
  });
});

test('a spec larger than the FIFO holds reaches the runtime whole', async () => {
  await withGates(async (gates, dir) => {
    const b = await bundle(dir, 'big');
    const gate = await gates.prepare(b, '/bin/true');
    const reading = runtimeReads(path.join(b, 'config.json'));
    const spec = JSON.stringify({ process: { env: Array.from({ length: 4000 }, (_, i) => `VAR_${i}=${'v'.repeat(40)}`) } });
    assert.ok(spec.length > 150_000);
    await gate.open(spec);
    assert.deepEqual(await reading, { code: 0, out: spec });
    gate.close();
  });
});

test('an abandoned gate fails the runtime, whether it waits already or comes later', async () => {
  await withGates(async (gates, dir) => {
    const b = await bundle(dir, 'gone');
    const gate = await gates.prepare(b, '/bin/true');
    const waiting = runtimeReads(path.join(b, 'config.json'));
    await pause(50);
    gate.abandon();
    assert.equal((await waiting).code, 1);
    assert.equal((await runtimeReads(path.join(b, 'config.json'))).code, 1);
    gate.close();
    await assert.rejects(gate.open('{}'), /closed before the start/);

    // Stopping the gates (the daemon shutting down) fails a waiting runtime too.
    const b2 = await bundle(dir, 'stopped');
    await gates.prepare(b2, '/bin/true');
    const left = runtimeReads(path.join(b2, 'config.json'));
    await pause(50);
    gates.stop();
    assert.equal((await left).code, 1);
  });
});

test('a dead daemon\'s gate fails a runtime at once, or at the next start-up if caught opening it', async () => {
  await withGates(async (_gates, dir, helper) => {
    // What a dead daemon leaves: its FIFO, and config.json leading to a descriptor that is gone.
    const b = await bundle(dir, 'orphan');
    await makeFifo(helper, path.join(b, '.config.fifo'));
    symlinkSync('/proc/999999999/fd/3', path.join(b, 'config.json'));
    assert.equal((await runtimeReads(path.join(b, 'config.json'))).code, 1);
    // A runtime that was opening the FIFO as the daemon died waits for a writer...
    const blocked = runtimeReads(path.join(b, '.config.fifo'));
    await pause(100);
    // ...until the next daemon's start-up gives it the refusal.
    assert.deepEqual(releaseStaleGates(dir), [b]);
    assert.equal((await blocked).code, 1);
    assert.ok(lstatSync(path.join(b, 'config.json')).isFile());
    assert.equal(existsSync(path.join(b, '.config.fifo')), false);
    assert.deepEqual(releaseStaleGates(dir), []);
    assert.deepEqual(releaseStaleGates(path.join(dir, 'missing')), []);

    // A daemon that died just after writing a spec: the container runs, its config.json stays.
    const ran = await bundle(dir, 'ran');
    await makeFifo(helper, path.join(ran, '.config.fifo'));
    writeFileSync(path.join(ran, 'config.json'), '{"ociVersion":"1.0.2"}');
    assert.deepEqual(releaseStaleGates(dir), [ran]);
    assert.equal(readFileSync(path.join(ran, 'config.json'), 'utf8'), '{"ociVersion":"1.0.2"}');
    assert.equal(existsSync(path.join(ran, '.config.fifo')), false);
  });
});

test('the runtime runs from a sealed copy the helper keeps, the same copy for every start', async () => {
  await withGates(async (gates, dir, helper) => {
    const where = await sealedCopy(helper, '/bin/echo');
    assert.match(where, new RegExp(`^/proc/${helper.pid}/fd/\\d+$`));
    assert.match(await fs.readlink(where), /^\/memfd:wharf-sealed/);
    assert.deepEqual(await fs.readFile(where), await fs.readFile('/bin/echo'));
    assert.equal(await sealedCopy(helper, '/bin/echo'), where);
    await assert.rejects(sealedCopy(helper, '/no/such/file'), /ENOENT/);
    const gate = await gates.prepare(await bundle(dir, 's'), '/bin/echo');
    assert.equal(gate.runtime, where);
    gate.close();
  });
});
