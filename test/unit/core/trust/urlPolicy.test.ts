import assert from 'node:assert/strict';
import { inNetwork, parseIpAddress } from '../../../../src/core/trust/ipAddress';
import {
  checkImageLink,
  checkSecureUrl,
  isLoopbackHost,
  nonPublicAddressKind,
  type AddressKind,
} from '../../../../src/core/trust/urlPolicy';

describe('parseIpAddress', () => {
  it('reads dotted IPv4 and every way of writing IPv6', () => {
    assert.deepEqual([...parseIpAddress('192.168.0.1')!.bytes], [192, 168, 0, 1]);
    assert.deepEqual([...parseIpAddress('::1')!.bytes], [...Array(15).fill(0), 1]);
    assert.deepEqual([...parseIpAddress('[::1]')!.bytes], [...Array(15).fill(0), 1]);
    assert.deepEqual([...parseIpAddress('::')!.bytes], Array(16).fill(0));
    assert.deepEqual([...parseIpAddress('fe80::1:2')!.bytes], [0xfe, 0x80, ...Array(10).fill(0), 0, 1, 0, 2]);
    assert.deepEqual([...parseIpAddress('1:2:3:4:5:6:7:8')!.bytes], [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    assert.deepEqual(parseIpAddress('::ffff:127.0.0.1'), parseIpAddress('::ffff:7f00:1'));
  });

  it('refuses names and malformed addresses', () => {
    for (const text of [
      'localhost',
      'example.com',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8',
      ':1',
      'fe80::1%eth0',
      '::ffff:1.2.3',
      '12345::1',
      '',
    ]) {
      assert.equal(parseIpAddress(text), undefined, text);
    }
  });

  it('compares networks bit by bit', () => {
    const network = parseIpAddress('172.16.0.0')!;
    assert.ok(inNetwork(parseIpAddress('172.31.255.255')!, network, 12));
    assert.ok(!inNetwork(parseIpAddress('172.32.0.0')!, network, 12));
    assert.ok(!inNetwork(parseIpAddress('::ffff:172.16.0.1')!, network, 12), 'an IPv6 address is not in an IPv4 network');
    assert.ok(inNetwork(parseIpAddress('fdff::1')!, parseIpAddress('fc00::')!, 7));
    assert.ok(!inNetwork(parseIpAddress('fe00::1')!, parseIpAddress('fc00::')!, 7));
  });
});

describe('nonPublicAddressKind', () => {
  /** Hosts as a URL's hostname gives them: WHATWG URL has already turned decimal, hex and octal IPv4 into dotted form. */
  const table: readonly (readonly [url: string, kind: AddressKind | undefined])[] = [
    ['https://localhost/', 'loopback'],
    ['https://LOCALHOST/', 'loopback'],
    ['https://127.0.0.1/', 'loopback'],
    ['https://127.255.1.2/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
    ['https://0177.0.0.1/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://0/', 'unspecified'],
    ['https://[::]/', 'unspecified'],
    ['https://169.254.169.254/', 'linkLocal'],
    ['https://0xa9fea9fe/', 'linkLocal'],
    ['https://[fe80::1]/', 'linkLocal'],
    ['https://[febf::1]/', 'linkLocal'],
    ['https://[::ffff:169.254.169.254]/', 'linkLocal'],
    ['https://10.0.0.1/', 'private'],
    ['https://012.0.0.1/', 'private'],
    ['https://172.16.0.1/', 'private'],
    ['https://172.31.255.255/', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://[fc00::1]/', 'private'],
    ['https://[fd12:3456::1]/', 'private'],
    ['https://[::ffff:10.1.2.3]/', 'private'],
    ['https://100.64.0.1/', 'sharedNat'],
    ['https://100.127.255.255/', 'sharedNat'],
    // Public addresses, the edges of the ranges, and names (judged by what they resolve to, at connect time).
    ['https://8.8.8.8/', undefined],
    ['https://172.32.0.1/', undefined],
    ['https://172.15.255.255/', undefined],
    ['https://100.128.0.1/', undefined],
    ['https://169.255.0.1/', undefined],
    ['https://128.0.0.1/', undefined],
    ['https://[2001:db8::1]/', undefined],
    ['https://[fec0::1]/', undefined],
    ['https://images.example.com/', undefined],
    ['https://localtest.me/', undefined],
    ['https://localhost.example.com/', undefined],
  ];
  for (const [url, kind] of table) {
    it(`${url} is ${kind ?? 'public'}`, () => {
      assert.equal(nonPublicAddressKind(new URL(url).hostname), kind);
    });
  }

  it('counts only loopback as this machine for plain http', () => {
    assert.ok(isLoopbackHost('[::ffff:127.0.0.1]'));
    assert.equal(checkSecureUrl(new URL('http://127.0.0.1:8080/v1'), 'The URL'), undefined);
    assert.match(checkSecureUrl(new URL('http://0.0.0.0:8080/v1'), 'The URL') ?? '', /must use https/);
    assert.match(checkSecureUrl(new URL('http://10.0.0.1/v1'), 'The URL') ?? '', /must use https/);
  });
});

describe('checkImageLink', () => {
  it('allows a public https link, and loopback only while the API is on this machine too', () => {
    assert.equal(checkImageLink(new URL('https://images.example.com/a.png'), false), undefined);
    assert.equal(checkImageLink(new URL('http://127.0.0.1:9000/a.png'), true), undefined);
    assert.match(
      checkImageLink(new URL('http://127.0.0.1:9000/a.png'), false) ?? '',
      /^The image link to 127\.0\.0\.1:9000 was refused: it is a loopback address \(this machine\), and a generated image's link must be a public https address\. Generate the image again/,
    );
  });

  it('refuses link-local and private addresses even while loopback is allowed', () => {
    for (const allowLoopback of [false, true]) {
      assert.match(
        checkImageLink(new URL('https://169.254.169.254/latest/meta-data/'), allowLoopback) ?? '',
        /169\.254\.169\.254 was refused: it is a link-local address/,
      );
      assert.match(
        checkImageLink(new URL('https://192.168.0.10/a.png'), allowLoopback) ?? '',
        /192\.168\.0\.10 was refused: it is a private network address/,
      );
    }
  });

  it('names the host that redirected, and refuses plain http elsewhere first', () => {
    assert.match(
      checkImageLink(new URL('https://10.0.0.7/a.png'), false, new URL('https://images.example.com/a.png')) ?? '',
      /^The image host images\.example\.com redirected the download to 10\.0\.0\.7, a private network address; it was refused/,
    );
    assert.match(checkImageLink(new URL('http://10.0.0.7/a.png'), false) ?? '', /must use https/);
  });
});
