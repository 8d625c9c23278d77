/**
 * What the API client and the image downloader share: the connection pool with its timeouts, the
 * address rules, and the translation of transport failures into messages that say what to do.
 */

import type { Dispatcher, ProxyAgent } from 'undici';
import { cancelledError, SeedreamError } from './errors';
import { Agent, EnvHttpProxyAgent } from './undici';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

const CONNECT_TIMEOUT_MS = 15_000;

/** VS Code's `http.proxy`, `http.noProxy` and `http.proxyStrictSSL`; the environment fills what is unset. */
export interface NetworkSettings {
  readonly proxy?: string;
  readonly noProxy?: string;
  readonly strictSSL: boolean;
}

/**
 * Streamed responses only send their headers once the first image is ready, so the headers timeout is
 * the request timeout; the body timeout bounds the silence between two chunks. VS Code's proxy support
 * patches the global fetch, not this separately bundled client, so proxies are honoured here.
 */
export function createDispatcher(timeoutMs: number, network: NetworkSettings = { strictSSL: true }): Dispatcher {
  const tls = { rejectUnauthorized: network.strictSSL };
  const options = {
    connect: { timeout: Math.min(CONNECT_TIMEOUT_MS, timeoutMs), ...tls },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  const env = process.env;
  const environmentProxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  if (!network.proxy && !environmentProxy) {
    return new Agent(options);
  }
  // The proxy agents it creates also read the TLS options of the tunnelled request and of the proxy.
  const proxyTls: Pick<ProxyAgent.Options, 'requestTls' | 'proxyTls'> = { requestTls: tls, proxyTls: tls };
  return new EnvHttpProxyAgent({
    ...options,
    ...proxyTls,
    ...(network.proxy ? { httpProxy: network.proxy, httpsProxy: network.proxy } : {}),
    ...(network.noProxy ? { noProxy: network.noProxy } : {}),
  } as EnvHttpProxyAgent.Options);
}

/** One request to a full address through a dispatcher. */
export function sendRequest(dispatcher: Dispatcher, url: URL, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>): Promise<Dispatcher.ResponseData> {
  return dispatcher.request({ ...options, origin: url.origin, path: `${url.pathname}${url.search}` });
}

/** Maps a thrown transport error to a SeedreamError; `retryable` only where the server surely never saw the request. */
export function transportError(error: unknown, signal: AbortSignal | undefined, where: string, timeoutMs: number): SeedreamError {
  if (error instanceof SeedreamError) {
    return error;
  }
  if (signal?.aborted) {
    return cancelledError();
  }
  const code = findErrorCode(error);
  const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  switch (code) {
    case 'ECONNREFUSED':
      return new SeedreamError('network', `Could not connect to ${where} (connection refused). Check the address and that the service is up, then try again.`, {
        code,
        retryable: true,
        action: 'retry',
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SeedreamError('network', `Could not resolve ${where} (${code}). Check your network connection and the address in the seedream.baseUrl setting.`, {
        code,
        action: 'openSettings',
        setting: 'seedream.baseUrl',
        cause: error,
      });
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new SeedreamError('timeout', `Connecting to ${where} timed out. Check your network or proxy, then try again.`, { code, action: 'retry', cause: error });
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new SeedreamError(
        'timeout',
        `${where} did not answer within ${limit}. Large images can take a minute: raise seedream.requestTimeoutSeconds, or try again.`,
        { code, action: 'openSettings', setting: 'seedream.requestTimeoutSeconds', cause: error },
      );
    default:
      return new SeedreamError(
        'network',
        `The connection to ${where} failed${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}. Check your network and try again.`,
        { ...(code ? { code } : {}), action: 'retry', cause: error },
      );
  }
}

function findErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

type ResponseBody = Dispatcher.ResponseData['body'];

/** Drops a response body that will not be read; a body destroyed without a listener would throw later. */
export function discardBody(body: ResponseBody): void {
  if (!body.destroyed) {
    body.on('error', () => undefined);
    body.destroy();
  }
}
