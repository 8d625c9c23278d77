/**
 * Downloads a generated image from its signed link. The link's host is not the API: no Authorization
 * header is ever sent, redirects are followed by hand so each hop is checked, and the body is streamed
 * with a size cap instead of being buffered.
 */

import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { ByteStream } from './byteStream';
import { imageTooLarge, SeedreamError } from '../core/errors/errors';
import { discardBody, sendRequest, transportError } from './http';
import { checkImageLink, displayUrl, isLoopbackHost } from '../core/trust/urlPolicy';

export interface DownloadOptions {
  /** One from createDispatcher, which also refuses names that resolve to addresses the link may not reach. */
  readonly dispatcher: Dispatcher;
  /**
   * Whether the link may point at this machine: only when the API itself is on it (a local server or
   * proxy). Link-local and private addresses are refused always.
   */
  readonly allowLoopback: boolean;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly userAgent: string;
}

export interface Download {
  /** The body, capped at `maxBytes`; its failures are SeedreamErrors that say what to do. */
  readonly chunks: ByteStream;
  readonly contentLength?: number | undefined;
}

const MAX_REDIRECTS = 5;

export async function openDownload(link: string, options: DownloadOptions): Promise<Download> {
  let allowLoopback = options.allowLoopback;
  let url = parseLink(link, allowLoopback);
  for (let hop = 0; ; hop++) {
    let response: Dispatcher.ResponseData;
    try {
      response = await sendRequest(options.dispatcher, url, {
        method: 'GET',
        signal: options.signal,
        // Deliberately a fresh header set: nothing from the API request (above all its key) comes along.
        headers: { accept: 'image/png, image/jpeg, */*;q=0.5', 'user-agent': options.userAgent },
        addresses: allowLoopback ? 'publicOrLoopback' : 'public',
      });
    } catch (error) {
      throw transportError(error, options.signal, imageHost(url), options.timeoutMs);
    }
    const { statusCode, headers } = response;
    if (statusCode >= 300 && statusCode < 400 && headers.location) {
      discardBody(response.body);
      if (hop >= MAX_REDIRECTS) {
        throw new SeedreamError(
          'download',
          l10n.t('The image link redirected more than {0} times; the image could not be downloaded.', MAX_REDIRECTS),
        );
      }
      // A redirect may stay on this machine, but a host elsewhere can never send the download into it.
      allowLoopback &&= isLoopbackHost(url.hostname);
      url = parseLink(new URL(String(headers.location), url).toString(), allowLoopback, url);
      continue;
    }
    if (statusCode !== 200) {
      discardBody(response.body);
      throw downloadStatusError(statusCode, url);
    }
    const type = String(headers['content-type'] ?? '');
    if (/text\/html|application\/json/i.test(type)) {
      discardBody(response.body);
      throw new SeedreamError(
        'invalidImage',
        l10n.t('The image link returned {0} instead of an image ({1}).', type.split(';')[0] ?? type, displayUrl(url)),
      );
    }
    const declared = Number(headers['content-length']);
    const contentLength = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
    if (contentLength !== undefined && contentLength > options.maxBytes) {
      discardBody(response.body);
      throw imageTooLarge(contentLength, options.maxBytes);
    }
    return { chunks: capped(response.body, options, url), contentLength };
  }
}

function capped(body: Dispatcher.ResponseData['body'], options: DownloadOptions, url: URL): ByteStream {
  let received = 0;
  return new ByteStream(body, {
    step(chunk) {
      received += chunk.length;
      if (received > options.maxBytes) {
        throw imageTooLarge(received, options.maxBytes);
      }
      return chunk;
    },
    sourceError: (error) => transportError(error, options.signal, imageHost(url), options.timeoutMs),
  });
}

function parseLink(link: string, allowLoopback: boolean, redirectedFrom?: URL): URL {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new SeedreamError('unexpectedResponse', l10n.t('The API returned an image link that is not a URL.'));
  }
  const refusal = checkImageLink(url, allowLoopback, redirectedFrom);
  if (refusal) {
    throw new SeedreamError('download', refusal);
  }
  return url;
}

function downloadStatusError(status: number, url: URL): SeedreamError {
  const where = displayUrl(url);
  if (status === 401 || status === 403) {
    return new SeedreamError(
      'download',
      l10n.t('The image link was refused (HTTP {0}): signed links expire after 24 hours. Generate the image again.', status),
      { status },
    );
  }
  if (status === 404 || status === 410) {
    return new SeedreamError(
      'download',
      l10n.t('The image link no longer exists (HTTP {0}, {1}). Generate the image again.', status, where),
      {
        status,
      },
    );
  }
  return new SeedreamError('download', l10n.t('Downloading the image failed (HTTP {0} from {1}). Try again.', status, url.host), {
    status,
    action: 'retry',
  });
}

/** The host of an image link, as the transport errors name it. */
function imageHost(url: URL): string {
  return l10n.t('the image host {0}', url.host);
}
