import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capsFromMask, DEFAULT_CAPS, KNOWN_CAPS, normalizeCapabilities, tweakCapabilities, UnknownCapabilityError } from './capabilities.js';

test('names take any case, with or without CAP_; ALL stays ALL; unknown names in Docker\'s words', () => {
  assert.deepEqual(normalizeCapabilities(['net_admin', 'CAP_sys_admin', 'all', 'Chown']), ['CAP_NET_ADMIN', 'CAP_SYS_ADMIN', 'ALL', 'CAP_CHOWN']);
  assert.throws(() => normalizeCapabilities(['foo']), new UnknownCapabilityError('CAP_FOO'));
  assert.throws(() => normalizeCapabilities(['CAP_ALL']), { message: 'unknown capability: "CAP_ALL"' });
  assert.throws(() => normalizeCapabilities([' net_admin']), { message: 'unknown capability: "CAP_ NET_ADMIN"' });
  // Docker 20.10 does not know the capabilities after CAP_AUDIT_READ.
  assert.throws(() => normalizeCapabilities(['PERFMON']), { message: 'unknown capability: "CAP_PERFMON"' });
  assert.equal(KNOWN_CAPS.length, 38);
});

test('Docker 20.10\'s rules for combining --cap-add and --cap-drop', () => {
  assert.deepEqual(tweakCapabilities({}), DEFAULT_CAPS);
  assert.deepEqual(tweakCapabilities({ capDrop: ['ALL'] }), []);
  assert.deepEqual(tweakCapabilities({ capDrop: ['all'], capAdd: ['chown', 'NET_ADMIN'] }), ['CAP_CHOWN', 'CAP_NET_ADMIN']);
  // the defaults less the drops, then the adds: a name in both lists is kept
  assert.deepEqual(tweakCapabilities({ capAdd: ['NET_ADMIN'], capDrop: ['cap_chown', 'NET_ADMIN'] }), [...DEFAULT_CAPS.filter((c) => c !== 'CAP_CHOWN'), 'CAP_NET_ADMIN']);
  assert.deepEqual(tweakCapabilities({ capAdd: ['ALL'], capDrop: ['ALL'] }), KNOWN_CAPS);
  assert.deepEqual(tweakCapabilities({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'] }), KNOWN_CAPS.filter((c) => c !== 'CAP_SYS_ADMIN'));
  assert.deepEqual(tweakCapabilities({ capAdd: ['CHOWN'] }), DEFAULT_CAPS);
  assert.deepEqual(tweakCapabilities({ privileged: true, capDrop: ['ALL'] }), KNOWN_CAPS);
});

test('the host\'s bounding set filters what is granted', () => {
  const host = capsFromMask('1fffeffffff'); // every capability but CAP_SYS_RESOURCE (bit 24)
  assert.equal(host.has('CAP_SYS_RESOURCE'), false);
  assert.equal(host.has('CAP_AUDIT_READ'), true);
  assert.deepEqual(tweakCapabilities({ privileged: true }, host), KNOWN_CAPS.filter((c) => c !== 'CAP_SYS_RESOURCE'));
  assert.deepEqual([...capsFromMask('a80425fb')], DEFAULT_CAPS.slice().sort((a, b) => KNOWN_CAPS.indexOf(a) - KNOWN_CAPS.indexOf(b)));
});
