import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HELPER_PATH, HostHelper, sealedCopy } from './host-helper.js';
import { RuntimeGates } from './runtime-gate.js';

/** What a stand-in does: names its start and waits for one byte. */
function knock(socketPath: string, id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath, () => s.write(id + '\n'));
    let got = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => (got += d));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}

/** Runs the real helper binary as a stand-in for `runtime`, as conmon would. */
function standIn(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(HELPER_PATH, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function withGates(fn: (gates: RuntimeGates) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-gate-'));
  const helper = new HostHelper(HELPER_PATH);
  const gates = new RuntimeGates(path.join(dir, 'gate.sock'), helper);
  try {
    await fn(gates);
  } finally {
    await gates.stop();
    helper.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

test('a stand-in that knocks early waits for the answer; one that knocks late gets it at once', async () => {
  await withGates(async (gates) => {
    const early = await gates.prepare('a'.repeat(64), '/bin/true');
    assert.equal(early.runtime, HELPER_PATH);
    const waiting = knock(gates.socketPath, early.env.WHARF_GATE_ID!);
    await new Promise((r) => setTimeout(r, 50));
    early.open();
    assert.equal(await waiting, 'g');
    const late = await gates.prepare('b'.repeat(64), '/bin/true');
    late.abandon();
    assert.equal(await knock(gates.socketPath, late.env.WHARF_GATE_ID!), 'x');
    assert.equal(await knock(gates.socketPath, 'no-such-start'), 'x');
    early.close();
    late.close();
  });
});

test('the helper binary as a stand-in execs the runtime with its arguments, or fails the create', async () => {
  await withGates(async (gates) => {
    const go = await gates.prepare('c'.repeat(64), '/bin/echo');
    const running = standIn(go.env, ['--root', '/x', 'create', 'id']);
    setTimeout(() => go.open(), 30);
    const ran = await running;
    assert.deepEqual({ code: ran.code, out: ran.out }, { code: 0, out: '--root /x create id\n' });
    go.close();

    const stop = await gates.prepare('d'.repeat(64), '/bin/echo');
    const refused = standIn(stop.env, ['create', 'id']);
    setTimeout(() => stop.abandon(), 30);
    const r = await refused;
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /start was abandoned/);
    stop.close();

    // Stopping the gates (the daemon shutting down) fails a waiting stand-in too.
    const orphan = await gates.prepare('e'.repeat(64), '/bin/echo');
    const left = standIn(orphan.env, ['create', 'id']);
    setTimeout(() => void gates.stop(), 30);
    assert.equal((await left).code, 1);
  });
});

test('the runtime runs from a sealed copy the helper keeps, the same copy for every start', async () => {
  const helper = new HostHelper(HELPER_PATH);
  try {
    const where = await sealedCopy(helper, '/bin/echo');
    assert.match(where, new RegExp(`^/proc/${helper.pid}/fd/\\d+$`));
    assert.match(await fs.readlink(where), /^\/memfd:wharf-sealed/);
    assert.deepEqual(await fs.readFile(where), await fs.readFile('/bin/echo'));
    assert.equal(await sealedCopy(helper, '/bin/echo'), where);
    await assert.rejects(sealedCopy(helper, '/no/such/file'), /ENOENT/);
  } finally {
    helper.close();
  }
});
