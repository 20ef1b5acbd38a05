import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveUser } from './user-lookup.js';

const passwd = 'root:x:0:0:root:/root:/bin/sh\nwww:x:33:34:www:/var/www:/bin/sh\n';
const group = 'root:x:0:\nstaff:x:50:\n';

test('numeric and named users', () => {
  assert.deepEqual(resolveUser('', passwd, group), { uid: 0, gid: 0, home: '/root' });
  assert.deepEqual(resolveUser('1000', undefined, undefined), { uid: 1000, gid: 0 });
  assert.deepEqual(resolveUser('www', passwd, group), { uid: 33, gid: 34, home: '/var/www' });
  assert.deepEqual(resolveUser('www:staff', passwd, group), { uid: 33, gid: 50, home: '/var/www' });
  assert.deepEqual(resolveUser('5:7', undefined, undefined), { uid: 5, gid: 7 });
});

test('unknown names get Docker wording', () => {
  assert.throws(() => resolveUser('nobody', passwd, group), {
    message: 'unable to find user nobody: no matching entries in passwd file',
  });
  assert.throws(() => resolveUser('www:nogroup', passwd, group), /unable to find group nogroup/);
});
