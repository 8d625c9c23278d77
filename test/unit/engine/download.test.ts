import assert from 'node:assert/strict';
import { MockAgent } from 'undici';
import { errorMessage } from '../../../src/core/errors/errors';
import { openDownload, type DownloadOptions } from '../../../src/engine/download';
import { FakeApiServer } from '../../support/fakeApiServer';

describe('openDownload: where an image link may lead', () => {
  let server: FakeApiServer;
  let images: MockAgent;

  before(async () => {
    server = await FakeApiServer.start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    // A public image host played by a mock; anything else goes to the real network, here the local fake server.
    images = new MockAgent();
    images.enableNetConnect();
  });
  afterEach(() => images.close());

  function options(allowLoopback: boolean): DownloadOptions {
    return {
      dispatcher: images,
      signal: new AbortController().signal,
      timeoutMs: 5000,
      maxBytes: 1024 * 1024,
      userAgent: 'tests',
      allowLoopback,
    };
  }

  async function refusal(link: string, allowLoopback: boolean): Promise<string> {
    try {
      await openDownload(link, options(allowLoopback));
    } catch (error) {
      return errorMessage(error);
    }
    return assert.fail(`${link} was downloaded`);
  }

  it('never follows a public host that redirects into this machine, even while the API is on it', async () => {
    const local = `${server.filesOrigin}/files/png/0.png`;
    images
      .get('https://images.example.com')
      .intercept({ path: '/a.png' })
      .reply(302, '', { headers: { location: local } })
      .times(2);
    for (const allowLoopback of [true, false]) {
      assert.match(
        await refusal('https://images.example.com/a.png', allowLoopback),
        /^The image host images\.example\.com redirected the download to 127\.0\.0\.1:\d+, a loopback address \(this machine\); it was refused/,
      );
    }
    assert.equal(server.downloadRequests.length, 0, 'the local server was reached');
  });

  it('follows a redirect that stays on this machine while the API is on it too', async () => {
    server.enqueueDownload({ kind: 'redirect', location: `${server.filesOrigin}/files/png/1.png` });
    const download = await openDownload(`${server.filesOrigin}/files/png/0.png`, options(true));
    const bytes: Buffer[] = [];
    for await (const chunk of download.chunks) {
      bytes.push(Buffer.from(chunk));
    }
    assert.deepEqual(Buffer.concat(bytes), server.imageBytes('png', 1));
  });

  it('refuses a redirect to a link-local or private address', async () => {
    images
      .get('https://images.example.com')
      .intercept({ path: '/metadata.png' })
      .reply(302, '', { headers: { location: 'https://169.254.169.254/latest/meta-data/' } });
    images
      .get('https://images.example.com')
      .intercept({ path: '/intranet.png' })
      .reply(301, '', { headers: { location: 'https://[fd00::7]/a.png' } });
    images.disableNetConnect();
    assert.match(
      await refusal('https://images.example.com/metadata.png', true),
      /redirected the download to 169\.254\.169\.254, a link-local address/,
    );
    assert.match(
      await refusal('https://images.example.com/intranet.png', true),
      /redirected the download to \[fd00::7\], a private network address/,
    );
  });
});
