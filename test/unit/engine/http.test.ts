import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { SeedreamError } from '../../../src/core/errors/errors';
import { bypassesProxy, createDispatcher, sendRequest, type AddressRule, type NetworkSettings } from '../../../src/engine/http';
import { ConnectProxy } from '../../support/connectProxy';
import { FakeApiServer, TEST_API_KEY } from '../../support/fakeApiServer';
import { withEnvironment } from '../../support/environment';

describe('bypassesProxy: NO_PROXY and http.noProxy as curl reads them', () => {
  const table: readonly (readonly [noProxy: string, url: string, bypassed: boolean])[] = [
    ['', 'https://api.example.com', false],
    ['*', 'https://api.example.com', true],
    ['other.org,*', 'https://api.example.com', true],
    ['example.com', 'https://example.com', true],
    ['example.com', 'https://api.example.com', true],
    ['.example.com', 'https://api.example.com', true],
    ['.example.com', 'https://example.com', true],
    ['*.example.com', 'https://api.example.com', true],
    ['example.com', 'https://notexample.com', false],
    ['example.com', 'https://example.com.evil.net', false],
    ['api.example.com', 'https://example.com', false],
    ['EXAMPLE.com', 'https://Api.Example.COM', true],
    ['example.com.', 'https://api.example.com', true],
    ['example.com', 'https://api.example.com./v1', true],
    ['other.org, example.com', 'https://api.example.com', true],
    ['other.org example.com', 'https://api.example.com', true],
    ['other.org,,\texample.com', 'https://api.example.com', true],
    ['example.com:8443', 'https://example.com:8443', true],
    ['example.com:8443', 'https://example.com', false],
    ['example.com:443', 'https://example.com', true],
    ['example.com:80', 'http://example.com', true],
    ['10.1.2.3', 'https://10.1.2.3', true],
    ['10.1.2.3', 'https://10.1.2.4', false],
    ['10.1.2.3:8443', 'https://10.1.2.3:8443', true],
    ['10.0.0.0/8', 'https://10.200.1.1', true],
    ['10.0.0.0/8', 'https://11.0.0.1', false],
    ['172.16.0.0/12', 'https://172.31.255.1', true],
    ['172.16.0.0/12', 'https://172.32.0.1', false],
    ['10.0.0.0/abc', 'https://10.0.0.1', false],
    ['fd12::1', 'https://[fd12::1]', true],
    ['[fd12::1]', 'https://[fd12::1]', true],
    ['[fd12::1]:8443', 'https://[fd12::1]:8443', true],
    ['[fd12::1]:8443', 'https://[fd12::1]', false],
    ['fd12::1', 'https://[fd12::2]', false],
    ['fd00::/8', 'https://[fd12::1]', true],
    // Names are compared as written, never resolved; an address entry never matches a name, nor the reverse.
    ['10.1.2.3', 'https://ten.example.com', false],
    ['example.com', 'https://10.1.2.3', false],
    ['.', 'https://example.com', false],
  ];
  for (const [noProxy, url, bypassed] of table) {
    it(`${JSON.stringify(noProxy)} ${bypassed ? 'exempts' : 'does not exempt'} ${url}`, () => {
      assert.equal(bypassesProxy(new URL(url), noProxy), bypassed);
    });
  }
});

describe('createDispatcher: where requests go', () => {
  const PROXIED_HOST = 'files.seedream.test';
  let server: FakeApiServer;
  let proxy: ConnectProxy;
  let filesPort: string;

  before(async () => {
    server = await FakeApiServer.start();
    filesPort = new URL(server.filesOrigin).port;
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    proxy = await ConnectProxy.start({ [PROXIED_HOST]: '127.0.0.1' });
  });
  afterEach(() => proxy.close());

  /** Resolves made-up names the way a name server would, so that a direct connection to them can be tested. */
  function lookupStub(addresses: Readonly<Record<string, string>>): LookupFunction {
    return (hostname, options, callback) => {
      const address = addresses[hostname];
      if (!address) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        return;
      }
      const family = address.includes(':') ? 6 : 4;
      if (options.all) {
        callback(null, [{ address, family }]);
      } else {
        callback(null, address, family);
      }
    };
  }

  async function fetchImage(
    url: string,
    network: NetworkSettings,
    { lookup, addresses }: { lookup?: LookupFunction; addresses?: AddressRule } = {},
  ): Promise<number> {
    const dispatcher = createDispatcher(5000, network, lookup);
    try {
      const response = await sendRequest(dispatcher, new URL(url), {
        method: 'GET',
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
        ...(addresses ? { addresses } : {}),
      });
      await response.body.arrayBuffer();
      return response.statusCode;
    } finally {
      await dispatcher.close();
    }
  }

  it('tunnels a host elsewhere through http.proxy', async () => {
    assert.equal(await fetchImage(`http://${PROXIED_HOST}:${filesPort}/files/png/0.png`, { proxy: proxy.url, strictSSL: true }), 200);
    assert.deepEqual(proxy.tunnels, [`${PROXIED_HOST}:${filesPort}`]);
    assert.equal(server.downloadRequests.length, 1);
  });

  it('tunnels a host elsewhere through the proxy of the environment', async () => {
    const status = await withEnvironment({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, () =>
      fetchImage(`http://${PROXIED_HOST}:${filesPort}/files/png/0.png`, { strictSSL: true }),
    );
    assert.equal(status, 200);
    assert.deepEqual(proxy.tunnels, [`${PROXIED_HOST}:${filesPort}`]);
  });

  it('never sends a loopback origin, or the key it carries, through the proxy (http.proxy or the environment)', async () => {
    const origins = [server.filesOrigin, `http://localhost:${filesPort}`];
    for (const origin of origins) {
      assert.equal(await fetchImage(`${origin}/files/png/0.png`, { proxy: proxy.url, strictSSL: true }), 200, origin);
      assert.equal(
        await withEnvironment({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: undefined }, () =>
          fetchImage(`${origin}/files/png/0.png`, { strictSSL: true }),
        ),
        200,
        origin,
      );
    }
    assert.deepEqual(proxy.tunnels, []);
    assert.ok(!proxy.sentText.includes(TEST_API_KEY), 'the proxy saw the key');
    assert.equal(server.downloadRequests.length, origins.length * 2);
    assert.equal(server.downloadRequests[0].headers.authorization, `Bearer ${TEST_API_KEY}`);
  });

  it('goes around the proxy for a host that http.noProxy or NO_PROXY names', async () => {
    const lookup = lookupStub({ [PROXIED_HOST]: '127.0.0.1' });
    const url = `http://${PROXIED_HOST}:${filesPort}/files/png/0.png`;
    assert.equal(await fetchImage(url, { proxy: proxy.url, noProxy: 'seedream.test', strictSSL: true }, { lookup }), 200);
    assert.equal(
      await withEnvironment({ HTTP_PROXY: proxy.url, NO_PROXY: `.seedream.test:${filesPort}` }, () =>
        fetchImage(url, { strictSSL: true }, { lookup }),
      ),
      200,
    );
    assert.deepEqual(proxy.tunnels, []);
    assert.equal(server.downloadRequests.length, 2);
  });

  describe('address rules of image links', () => {
    const lookup = lookupStub({
      'rebind.seedream.test': '127.0.0.1',
      'mapped.seedream.test': '::ffff:127.0.0.1',
      'metadata.seedream.test': '169.254.169.254',
      'intranet.seedream.test': '10.0.0.7',
      'ula.seedream.test': 'fd00::7',
    });

    async function refusal(host: string, addresses: AddressRule): Promise<SeedreamError> {
      try {
        await fetchImage(`http://${host}:${filesPort}/files/png/0.png`, { strictSSL: true }, { lookup, addresses });
      } catch (error) {
        assert.ok(error instanceof SeedreamError, String(error));
        return error;
      }
      assert.fail(`${host} was fetched`);
    }

    it('refuses a name that resolves to this machine, a link-local or a private address', async () => {
      assert.match(
        (await refusal('rebind.seedream.test', 'public')).message,
        /rebind\.seedream\.test was refused: the name resolves to 127\.0\.0\.1, a loopback address/,
      );
      assert.match((await refusal('mapped.seedream.test', 'public')).message, /resolves to ::ffff:127\.0\.0\.1, a loopback address/);
      for (const addresses of ['public', 'publicOrLoopback'] as const) {
        assert.match((await refusal('metadata.seedream.test', addresses)).message, /resolves to 169\.254\.169\.254, a link-local address/);
        assert.match((await refusal('intranet.seedream.test', addresses)).message, /resolves to 10\.0\.0\.7, a private network address/);
        assert.match((await refusal('ula.seedream.test', addresses)).message, /resolves to fd00::7, a private network address/);
      }
      assert.equal(server.downloadRequests.length, 0);
    });

    it('lets a name reach this machine only while loopback is allowed, and the API any address', async () => {
      assert.equal(
        await fetchImage(
          `http://rebind.seedream.test:${filesPort}/files/png/0.png`,
          { strictSSL: true },
          { lookup, addresses: 'publicOrLoopback' },
        ),
        200,
      );
      assert.equal(await fetchImage(`http://rebind.seedream.test:${filesPort}/files/png/0.png`, { strictSSL: true }, { lookup }), 200);
      assert.equal(server.downloadRequests.length, 2);
    });
  });
});
