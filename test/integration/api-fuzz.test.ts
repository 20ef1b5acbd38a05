/**
 * Fuzzes the Engine API's create, exec, volume and build requests against a real wharfd with a
 * seeded generator (set WHARF_FUZZ_SEED to replay a run; the seed is printed). Asserts that no
 * request gets a 5xx or a reset, and that afterwards, and again after a kill -9 and a restart,
 * the list, every inspect, the images and the volumes still answer 200.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { TestDaemon } from './daemon-harness.js';
import { rawRequest, type RawAnswer } from './api-request.js';
import { fuzzBody, fuzzQuery, oddValue, seededRandom, ODD_STRINGS } from './request-fuzzer.js';
import { containerCreateBody, execCreateBody, volumeCreateBody } from '../../src/api/validation/engine-types.js';

const SEED = Number(process.env.WHARF_FUZZ_SEED ?? 20261207);
const d = new TestDaemon();
const problems: string[] = [];
const created = new Set<string>();

before(async () => {
  await d.start();
  d.importBusybox();
});
after(() => d.stop());

/** encodeURIComponent for any string: a lone surrogate half becomes U+FFFD (it has no UTF-8). */
const encodeQuery = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

const statuses = new Map<number, number>();

/**
 * Notes a reset or a 5xx. At a start, the kernel refusing a well-typed resource value (a pids limit
 * over its maximum) is a 500 in Docker too: that is not a door's business.
 */
function note(what: string, a: RawAnswer): RawAnswer {
  statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  const kernelRefusal = what.startsWith('start of') && a.text.includes('error setting cgroup config');
  if (a.reset !== undefined) problems.push(`${what}: connection reset (${a.reset})`);
  else if ((a.status >= 500 && !kernelRefusal) || a.status === 0) problems.push(`${what}: ${a.status} ${a.text.slice(0, 300)}`);
  return a;
}

/** A one-file tar with a Dockerfile `FROM busybox`, gzipped (the build context). */
function contextTar(): Buffer {
  const content = Buffer.from('FROM busybox\n');
  const header = Buffer.alloc(512);
  header.write('Dockerfile', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\u000000', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return gzipSync(Buffer.concat([header, content, Buffer.alloc(512 - content.length), Buffer.alloc(1024)]));
}

/** Notes every list or inspect that does not answer 200 (`when` says at which point). */
async function checkEverythingAnswers(when: string): Promise<void> {
  const lists = ['/v1.41/containers/json?all=1', '/v1.41/images/json', '/v1.41/volumes', '/v1.41/info'];
  for (const p of lists) {
    const a = await rawRequest(d.sock, 'GET', p);
    if (a.status !== 200) problems.push(`${when}: GET ${p}: ${a.status} ${a.reset ?? ''}${a.text.slice(0, 300)}`);
  }
  for (const id of created) {
    const a = await rawRequest(d.sock, 'GET', `/v1.41/containers/${id}/json`);
    if (a.status !== 200) problems.push(`${when}: inspect ${id}: ${a.status} ${a.reset ?? ''}${a.text.slice(0, 300)}`);
  }
  // The docker CLI decodes the answers into Docker's Go types: a stored value of the wrong type fails it.
  for (const args of [['ps', '-a'], ['images'], ['volume', 'ls'], ...(created.size ? [['inspect', ...created]] : [])]) {
    const r = d.docker(args);
    if (r.code !== 0) problems.push(`${when}: docker ${args.slice(0, 2).join(' ')}: ${r.stderr.slice(0, 300)}`);
  }
}

test(`a few hundred fuzzed requests: no 5xx, no reset, and list/inspect survive a restart (seed ${SEED})`, { timeout: 170_000 }, async () => {
  console.log(`fuzz seed ${SEED} (replay with WHARF_FUZZ_SEED=${SEED})`);
  const rand = seededRandom(SEED);
  const started = Date.now();
  const base = { Image: 'busybox', Cmd: ['true'] };
  for (let i = 0; i < 170; i++) {
    const body = fuzzBody(rand, containerCreateBody, base);
    const name = rand() < 0.15 ? String(oddValue(rand)) : '';
    const what = `create #${i}${name ? ` name=${JSON.stringify(name.slice(0, 40))}` : ''} ${JSON.stringify(body).slice(0, 300)}`;
    const a = note(what, await rawRequest(d.sock, 'POST', `/v1.41/containers/create${name ? `?name=${encodeQuery(name)}` : ''}`, JSON.stringify(body)));
    if (a.status !== 201) continue;
    const id = (JSON.parse(a.text) as { Id: string }).Id;
    const start = rand() < 0.25;
    // A started --rm container goes away by itself: it is no longer there to inspect.
    if (!(start && /"autoremove":true/i.test(JSON.stringify(body)))) created.add(id);
    if (start) note(`start of ${what}`, await rawRequest(d.sock, 'POST', `/v1.41/containers/${id}/start`));
  }
  const sleeper = d.docker(['run', '-d', 'busybox', 'sleep', '300']);
  assert.equal(sleeper.code, 0, sleeper.stderr);
  const target = sleeper.stdout.trim();
  created.add(target);
  for (let i = 0; i < 60; i++) {
    const body = fuzzBody(rand, execCreateBody, { Cmd: ['true'] });
    note(`exec #${i} ${JSON.stringify(body).slice(0, 300)}`, await rawRequest(d.sock, 'POST', `/v1.41/containers/${target}/exec`, JSON.stringify(body)));
  }
  for (let i = 0; i < 60; i++) {
    const body = fuzzBody(rand, volumeCreateBody, { Name: `fz${i}` });
    note(`volume #${i} ${JSON.stringify(body).slice(0, 300)}`, await rawRequest(d.sock, 'POST', '/v1.41/volumes/create', JSON.stringify(body)));
  }
  const tar = contextTar();
  const buildParams = ['buildargs', 'labels', 'cachefrom', 'ulimits', 'memory', 'shmsize', 'cpushares', 'version', 't', 'nocache', 'rm', 'q'];
  for (let i = 0; i < 25; i++) {
    const q = fuzzQuery(rand, buildParams, ['buildargs', 'labels', 'cachefrom', 'ulimits']);
    note(`build #${i} ?${q.slice(0, 300)}`, await rawRequest(d.sock, 'POST', `/v1.41/build?${q}`, tar, { contentType: 'application/x-tar' }));
  }
  // Sizes and shapes no field check reaches.
  note('deep nesting', await rawRequest(d.sock, 'POST', '/v1.41/containers/create', '['.repeat(200000) + ']'.repeat(200000)));
  for (const list of ['/containers/json?all=1&', '/images/json?', '/volumes?', '/containers/prune?', '/events?until=1&']) {
    const filters = fuzzQuery(rand, ['filters'], ['filters']);
    note(`filters ${list}${filters.slice(0, 200)}`, await rawRequest(d.sock, list.includes('prune') ? 'POST' : 'GET', `/v1.41${list}${filters}`));
    const deep = encodeURIComponent(`{"label":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    note(`deep filters ${list}`, await rawRequest(d.sock, 'GET', `/v1.41${list}filters=${deep}`));
  }
  note('long query', await rawRequest(d.sock, 'GET', `/v1.41/containers/json?x=${'q'.repeat(70 * 1024)}`));
  note('odd names', await rawRequest(d.sock, 'POST', `/v1.41/containers/create?name=${encodeQuery(ODD_STRINGS.join(''))}`, JSON.stringify(base)));
  const deep = `{"Image":"busybox","Cmd":["true"],"Labels":${'{"a":'.repeat(100000)}"x"${'}'.repeat(100000)}}`;
  const deepAnswer = note('deep nesting in a field', await rawRequest(d.sock, 'POST', '/v1.41/containers/create', deep));
  if (deepAnswer.status === 201) created.add((JSON.parse(deepAnswer.text) as { Id: string }).Id);
  console.log(`${created.size} containers created, ${Date.now() - started} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  await checkEverythingAnswers('after the fuzzing');
  await d.kill9();
  await d.start();
  await checkEverythingAnswers('after kill -9 and a restart');
  assert.deepEqual(problems, [], `seed ${SEED}`);
});
