/** An ImageService aimed at a local fake API server, with the limits the tests rely on (1 MB downloads, 2 retries). */

import { ImageService, type ImageServiceOptions } from '../../src/engine/imageService';
import { TEST_API_KEY, type FakeApiServer } from './fakeApiServer';

export function testImageService(server: FakeApiServer, options: Partial<ImageServiceOptions> = {}): ImageService {
  return new ImageService({
    baseUrl: server.baseUrl,
    apiKey: TEST_API_KEY,
    timeoutMs: 5000,
    maxRetries: 2,
    userAgent: 'seedream-studio-tests/1.0',
    maxDownloadBytes: 1024 * 1024,
    // Backoff is the client's business; the tests do not sit it out.
    wait: async () => undefined,
    ...options,
  });
}
