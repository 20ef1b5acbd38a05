import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChange, applyChanges, applyConfigInstruction, normalizeWorkdir, parseExposedPort } from './config-instructions.js';
import { parseDockerfile } from './dockerfile-parser.js';
import { parseInstruction } from './instructions.js';
import { lookupFromEnvList } from './shell-lex.js';
import type { ImageConfig } from './image-config.js';

const apply = (line: string, config: ImageConfig, extra: string[] = [], cmdSet = false) => {
  const instr = parseInstruction(parseDockerfile(line).nodes[0]!);
  return applyConfigInstruction(instr, config, { lookup: lookupFromEnvList([...(config.Env ?? []), ...extra]), escape: '\\', cmdSet });
};

test('ENV: both forms, replacement in place, substitution uses the values before the line', () => {
  const base: ImageConfig = { Env: ['PATH=/bin', 'A=old'] };
  const r = apply('ENV A=new B=${A}x C="quoted value"', base);
  assert.deepEqual(r.config.Env, ['PATH=/bin', 'A=new', 'B=oldx', 'C=quoted value']);
  assert.equal(r.comment, 'ENV A=new B=oldx C=quoted value');
  assert.deepEqual(base.Env, ['PATH=/bin', 'A=old']);
  assert.deepEqual(apply('ENV K some value', {}).config.Env, ['K=some value']);
});

test('EXPOSE, VOLUME, LABEL, USER, WORKDIR with substitution', () => {
  assert.deepEqual(apply('EXPOSE 8080 80 $P', {}, ['P=7070/udp']).config.ExposedPorts, {
    '7070/udp': {}, '80/tcp': {}, '8080/tcp': {},
  });
  assert.equal(apply('EXPOSE 8080 80 $P', {}, ['P=7070']).comment, 'EXPOSE 7070 80 8080'); // Docker sorts the raw words
  const vol = apply('VOLUME ["/data", "$D"]', { Volumes: { '/old': {} } }, ['D=/logs']);
  assert.deepEqual(vol.config.Volumes, { '/data': {}, '/logs': {}, '/old': {} });
  assert.equal(vol.comment, 'VOLUME [/data /logs]');
  const label = apply('LABEL "com.x"="a b" n=$N', {}, ['N=1']);
  assert.deepEqual(label.config.Labels, { 'com.x': 'a b', n: '1' });
  assert.equal(label.comment, 'LABEL com.x=a b n=1');
  assert.equal(apply('USER ${U:-nobody}', {}).config.User, 'nobody');
  assert.equal(apply('WORKDIR sub', { WorkingDir: '/app' }).config.WorkingDir, '/app/sub');
  assert.equal(apply('WORKDIR sub', { WorkingDir: '/app' }).comment, 'WORKDIR /app/sub');
});

test('CMD and ENTRYPOINT: shell form through /bin/sh -c; ENTRYPOINT clears an inherited Cmd', () => {
  const cmd = apply('CMD echo $HOME', { Cmd: ['sh'] });
  assert.deepEqual(cmd.config.Cmd, ['/bin/sh', '-c', 'echo $HOME']);
  assert.equal(cmd.comment, 'CMD ["/bin/sh" "-c" "echo $HOME"]');
  assert.equal(cmd.cmdSet, true);
  const ep = apply('ENTRYPOINT ["/bin/sh", "/start.sh"]', { Cmd: ['sh'] });
  assert.deepEqual([ep.config.Entrypoint, ep.config.Cmd, ep.comment], [['/bin/sh', '/start.sh'], null, 'ENTRYPOINT ["/bin/sh" "/start.sh"]']);
  assert.deepEqual(apply('ENTRYPOINT ["x"]', { Cmd: ['y'] }, [], true).config.Cmd, ['y']);
});

test('STOPSIGNAL, ONBUILD, HEALTHCHECK', () => {
  assert.equal(apply('STOPSIGNAL SIGUSR1', {}).config.StopSignal, 'SIGUSR1');
  assert.throws(() => apply('STOPSIGNAL NOPE', {}), { message: 'Invalid signal: NOPE' });
  assert.deepEqual(apply('ONBUILD RUN a', { OnBuild: ['ADD . /x'] }).config.OnBuild, ['ADD . /x', 'RUN a']);
  const hc = apply('HEALTHCHECK --interval=1m30s --retries=3 CMD ["true"]', {});
  assert.deepEqual(hc.config.Healthcheck, { Test: ['CMD', 'true'], Interval: 90e9, Timeout: 0, StartPeriod: 0, Retries: 3 });
  assert.equal(hc.comment, 'HEALTHCHECK &{["CMD" "true"] "1m30s" "0s" "0s" \'\\x03\'}');
});

test('helpers: port specs and workdir joins', () => {
  assert.deepEqual(parseExposedPort('8000-8002/UDP'), ['8000/udp', '8001/udp', '8002/udp']);
  assert.throws(() => parseExposedPort('abc'), { message: 'invalid containerPort: abc' });
  assert.equal(normalizeWorkdir('', 'a/../b'), '/b');
  assert.equal(normalizeWorkdir('/x', '/abs/'), '/abs/');
});

test('applyChange / applyChanges for commit and import --change', () => {
  const base: ImageConfig = { Env: ['PATH=/bin'], Cmd: ['sh'] };
  assert.deepEqual(applyChange(base, 'ENV A=$PATH:/x'), { Env: ['PATH=/bin', 'A=/bin:/x'], Cmd: ['sh'] });
  assert.deepEqual(applyChanges(base, ['CMD ["a"]', 'ENTRYPOINT ["b"]', 'EXPOSE 80']), {
    Env: ['PATH=/bin'], Cmd: ['a'], Entrypoint: ['b'], ExposedPorts: { '80/tcp': {} },
  });
  assert.throws(() => applyChange(base, 'RUN rm -rf /'), { message: 'run is not a valid change command' });
  assert.deepEqual(base, { Env: ['PATH=/bin'], Cmd: ['sh'] });
});
