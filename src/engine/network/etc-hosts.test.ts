import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExtraHost, renderHostname, renderHosts } from './etc-hosts.js';

const DEFAULTS =
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\n' +
  'ff00::0\tip6-mcastprefix\n' +
  'ff02::1\tip6-allnodes\n' +
  'ff02::2\tip6-allrouters\n';

test('a plain bridge container: defaults then its own address and hostname', () => {
  assert.equal(renderHosts({ hostname: '3f4e5d6c7b8a', ip: '172.17.0.2' }), DEFAULTS + '172.17.0.2\t3f4e5d6c7b8a\n');
});

test('links as in golden 06: alias, source id, source name; alias equal to name gives no repeat', () => {
  const text = renderHosts({
    hostname: 'bbbbbbbbbbbb',
    ip: '172.17.0.3',
    links: [
      { ip: '172.17.0.2', alias: 'ex', id: 'aaaaaaaaaaaa', name: '/cf-example' },
      { ip: '172.17.0.4', alias: 'cf-db', id: 'cccccccccccc', name: 'cf-db' },
    ],
  });
  assert.equal(
    text,
    DEFAULTS + '172.17.0.2\tex aaaaaaaaaaaa cf-example\n' + '172.17.0.4\tcf-db cccccccccccc\n' + '172.17.0.3\tbbbbbbbbbbbb\n',
  );
});

test('extra hosts come before links; host-gateway resolves; domain gives fqdn and short name', () => {
  const text = renderHosts({
    hostname: 'web',
    domainname: 'example.org',
    ip: '172.17.0.5',
    extraHosts: ['db:10.0.0.9', 'v6host:::1', 'gw:host-gateway'],
    links: [{ ip: '172.17.0.2', alias: 'x', id: 'aaaaaaaaaaaa', name: 'src' }],
    hostGatewayIp: '172.17.0.1',
  });
  assert.equal(
    text,
    DEFAULTS +
      '10.0.0.9\tdb\n' +
      '::1\tv6host\n' +
      '172.17.0.1\tgw\n' +
      '172.17.0.2\tx aaaaaaaaaaaa src\n' +
      '172.17.0.5\tweb.example.org web\n',
  );
  assert.equal(renderHosts({ hostname: 'a.b.c', ip: '10.0.0.2' }).endsWith('10.0.0.2\ta.b.c a\n'), true);
});

test('--network none has no own-address line; --network host copies the host file', () => {
  assert.equal(renderHosts({ hostname: 'abc' }), DEFAULTS);
  const hostFile = '127.0.0.1 localhost\n192.0.2.2 myhost\n';
  assert.equal(renderHosts({ hostname: 'myhost', hostFile }), hostFile);
  assert.equal(renderHosts({ hostname: 'myhost', hostFile, ip: '192.0.2.2', extraHosts: ['a:10.0.0.1'] }), DEFAULTS + '10.0.0.1\ta\n');
});

test('malformed --add-host values get Docker wording', () => {
  assert.throws(() => parseExtraHost('nocolon'), /bad format for add-host: "nocolon"/);
  assert.throws(() => parseExtraHost('a:999.1.1.1'), /invalid IP address in add-host: "999.1.1.1"/);
  assert.throws(() => parseExtraHost('a:host-gateway'), /invalid IP address in add-host: "host-gateway"/);
  assert.deepEqual(parseExtraHost('a:fe80::1'), { name: 'a', ip: 'fe80::1' });
});

test('hostname file', () => {
  assert.equal(renderHostname('3f4e5d6c7b8a'), '3f4e5d6c7b8a\n');
});
