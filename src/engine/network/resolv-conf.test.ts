import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listNameservers, renderResolvConf } from './resolv-conf.js';

test('a host file with a usable nameserver is copied unchanged', () => {
  const host = 'search corp.example\nnameserver 10.255.255.53\noptions ndots:2\n';
  assert.equal(renderResolvConf(host), host);
});

test('loopback and IPv6 nameservers are dropped', () => {
  const host = '# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver ::1\nnameserver fe80::1%eth0\nsearch lan\n';
  assert.equal(renderResolvConf(host), '# generated\nnameserver 10.0.0.2\nsearch lan\n');
});

test("when no nameserver is left, Docker's defaults are appended (without a final newline)", () => {
  assert.equal(renderResolvConf('nameserver 127.0.0.1\nsearch lan\n'), 'search lan\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4');
  assert.equal(renderResolvConf(''), '\nnameserver 8.8.8.8\nnameserver 8.8.4.4');
});

test('--dns, --dns-search and --dns-option replace the matching parts of the host file', () => {
  const host = 'search a.example b.example\nnameserver 10.0.0.2\noptions ndots:3\n';
  assert.equal(renderResolvConf(host, { dns: ['1.1.1.1', '9.9.9.9'] }), 'search a.example b.example\nnameserver 1.1.1.1\nnameserver 9.9.9.9\noptions ndots:3\n');
  assert.equal(renderResolvConf(host, { dnsSearch: ['.'] }), 'nameserver 10.0.0.2\noptions ndots:3\n');
  assert.equal(renderResolvConf(host, { dnsOptions: ['timeout:1'] }), 'search a.example b.example\nnameserver 10.0.0.2\noptions timeout:1\n');
});

test('listNameservers ignores comments', () => {
  assert.deepEqual(listNameservers('nameserver 1.2.3.4 # main\n#nameserver 5.6.7.8\n nameserver 2001:db8::1\n'), ['1.2.3.4', '2001:db8::1']);
});
