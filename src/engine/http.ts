/**
 * What the API client and the image downloader share: the connection pool with its timeouts, the
 * address rules, and the translation of transport failures into messages that say what to do.
 */

import * as l10n from '@vscode/l10n';
import { lookup as systemLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { abortReason, errorMessage, SeedreamError } from '../core/errors/errors';
import { inNetwork, parseIpAddress, type IpAddress } from '../core/trust/ipAddress';
import { Agent, Dispatcher, ProxyAgent } from './undici';
import { isLoopbackHost, nonPublicAddressKind, resolvedAddressRefusal } from '../core/trust/urlPolicy';

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
 * Which addresses a request may connect to: any for the API (a company gateway may well be private); for an
 * image link only public ones, or this machine too while the API itself is on it. Names are judged by what
 * they resolve to as the connection is made, so a name that resolves anew (DNS rebinding) is caught too.
 * Through a proxy the proxy resolves the name: only the address rules on the link itself apply then.
 */
export type AddressRule = 'any' | 'public' | 'publicOrLoopback';

export interface RequestOptions extends Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'body'> {
  /** undici also writes an async iterable, chunk by chunk (its documentation says so; its types do not). */
  readonly body?: Dispatcher.RequestOptions['body'] | AsyncIterable<Uint8Array>;
  /** Honoured by the dispatchers of {@link createDispatcher}; 'any' when left out. */
  readonly addresses?: AddressRule;
}

/**
 * Streamed responses only send their headers once the first image is ready, so the headers timeout is
 * the request timeout; the body timeout bounds the silence between two chunks. VS Code's proxy support
 * patches the global fetch, not this separately bundled client, so proxies are honoured here.
 * `lookup` resolves names for direct connections (replaceable so tests can point names at a local server).
 */
export function createDispatcher(
  timeoutMs: number,
  network: NetworkSettings = { strictSSL: true },
  lookup: LookupFunction = systemLookup,
): Dispatcher {
  const tls = { rejectUnauthorized: network.strictSSL };
  const options = {
    connect: { timeout: Math.min(CONNECT_TIMEOUT_MS, timeoutMs), ...tls },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  const env = process.env;
  // The same precedence as undici's EnvHttpProxyAgent: the setting, then the lower-case variable, then the upper-case one.
  const httpProxyUrl = network.proxy ?? env.http_proxy ?? env.HTTP_PROXY;
  const httpsProxyUrl = network.proxy ?? env.https_proxy ?? env.HTTPS_PROXY ?? httpProxyUrl;
  // The proxy agents read the TLS options of the tunnelled request and of the proxy.
  const proxyAgents = new Map<string, Dispatcher>();
  const proxyAgent = (uri: string | undefined): Dispatcher | undefined => {
    if (!uri) {
      return undefined;
    }
    const agent = proxyAgents.get(uri) ?? new ProxyAgent({ ...options, uri, requestTls: tls, proxyTls: tls });
    proxyAgents.set(uri, agent);
    return agent;
  };
  return new RoutingDispatcher({
    httpProxy: proxyAgent(httpProxyUrl),
    httpsProxy: proxyAgent(httpsProxyUrl),
    noProxy: network.noProxy ?? env.no_proxy ?? env.NO_PROXY ?? '',
    direct: (rule) =>
      new Agent({ ...options, connect: { ...options.connect, lookup: rule === 'any' ? lookup : guardedLookup(lookup, rule) } }),
  });
}

interface Routes {
  readonly httpProxy: Dispatcher | undefined;
  readonly httpsProxy: Dispatcher | undefined;
  readonly noProxy: string;
  readonly direct: (rule: AddressRule) => Dispatcher;
}

/**
 * Sends each request by its origin: this machine always directly (a proxy would see the key of a plain http
 * local server, and could not reach it anyway), the rest through the proxy unless NO_PROXY exempts it.
 */
class RoutingDispatcher extends Dispatcher {
  private readonly directAgents = new Map<AddressRule, Dispatcher>();

  constructor(private readonly routes: Routes) {
    super();
  }

  override dispatch(
    options: Dispatcher.DispatchOptions & Pick<RequestOptions, 'addresses'>,
    handler: Dispatcher.DispatchHandlers,
  ): boolean {
    return this.route(new URL(String(options.origin)), options.addresses ?? 'any').dispatch(options, handler);
  }

  override async close(callback?: () => void): Promise<void> {
    await Promise.all(this.agents().map((agent) => agent.close()));
    callback?.();
  }

  override async destroy(errorOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> {
    const error = typeof errorOrCallback === 'function' ? null : (errorOrCallback ?? null);
    await Promise.all(this.agents().map((agent) => agent.destroy(error)));
    (typeof errorOrCallback === 'function' ? errorOrCallback : callback)?.();
  }

  private route(origin: URL, rule: AddressRule): Dispatcher {
    const proxy = origin.protocol === 'https:' ? this.routes.httpsProxy : this.routes.httpProxy;
    if (proxy && !isLoopbackHost(origin.hostname) && !bypassesProxy(origin, this.routes.noProxy)) {
      return proxy;
    }
    let direct = this.directAgents.get(rule);
    if (!direct) {
      direct = this.routes.direct(rule);
      this.directAgents.set(rule, direct);
    }
    return direct;
  }

  private agents(): Dispatcher[] {
    return [...new Set([...this.directAgents.values(), this.routes.httpProxy, this.routes.httpsProxy])].filter(
      (agent) => agent !== undefined,
    );
  }
}

/** Resolves as `lookup` does, but fails the connection when a name resolves to an address the rule refuses. */
function guardedLookup(lookup: LookupFunction, rule: Exclude<AddressRule, 'any'>): LookupFunction {
  return (hostname, lookupOptions, callback) =>
    lookup(hostname, lookupOptions, (error, address, family) => {
      if (!error) {
        for (const { address: resolved } of typeof address === 'string' ? [{ address }] : address) {
          const kind = nonPublicAddressKind(resolved);
          if (kind && !(kind === 'loopback' && rule === 'publicOrLoopback')) {
            callback(new SeedreamError('download', resolvedAddressRefusal(hostname, resolved, kind)), address, family);
            return;
          }
        }
      }
      callback(error, address, family);
    });
}

/**
 * Whether NO_PROXY (or http.noProxy) sends `url` around the proxy, read as curl reads it: entries separated by
 * commas or white space, compared without regard to case or a trailing dot; `*` exempts everything; a name
 * exempts itself and its subdomains, with a leading dot or without (`example.com` and `.example.com` both cover
 * `api.example.com`, never `notexample.com`); an IP address exempts only that address as written in the URL
 * (names are never resolved for this), or a network with a CIDR suffix (`10.0.0.0/8`): curl reads those since
 * 7.86, and a proxy list written for older tools has no entry that the suffix would misread. Beyond curl, which
 * ignores ports here, `host:port` and `[v6]:port` limit an entry to that port, as undici and VS Code read them,
 * and a leading `*.` counts as a leading dot.
 */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const address = parseIpAddress(host);
  for (const entry of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (entry === '*') {
      return true;
    }
    const parsed = parseNoProxyEntry(entry);
    if (!parsed || (parsed.port !== undefined && parsed.port !== port)) {
      continue;
    }
    if (address ? matchesAddress(address, parsed.host) : matchesName(host, parsed.host)) {
      return true;
    }
  }
  return false;
}

function parseNoProxyEntry(entry: string): { readonly host: string; readonly port?: number } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  // A bare IPv6 address has several colons and no port.
  const withPort = bracketed ?? (entry.split(':').length === 2 ? /^(.+):(\d+)$/.exec(entry) : null);
  const host = (withPort ? withPort[1] : entry).replace(/^\*?\./, '').replace(/\.$/, '');
  if (!host) {
    return undefined;
  }
  return { host, ...(withPort?.[2] ? { port: Number(withPort[2]) } : {}) };
}

function matchesName(host: string, entry: string): boolean {
  return host === entry || host.endsWith(`.${entry}`);
}

function matchesAddress(address: IpAddress, entry: string): boolean {
  const [network, prefix, extra] = entry.split('/');
  const parsed = parseIpAddress(network);
  if (!parsed || extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) {
    return false;
  }
  return inNetwork(address, parsed, prefix === undefined ? 128 : Number(prefix));
}

/** One request to a full address through a dispatcher. */
export function sendRequest(dispatcher: Dispatcher, url: URL, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const body = (options.body ?? null) as Exclude<Dispatcher.RequestOptions['body'], undefined>;
  return dispatcher.request({ ...options, body, origin: url.origin, path: `${url.pathname}${url.search}` });
}

/** Maps a thrown transport error to a SeedreamError; `retryable` only where the server surely never saw the request. */
export function transportError(error: unknown, signal: AbortSignal | undefined, where: string, timeoutMs: number): SeedreamError {
  if (error instanceof SeedreamError) {
    return error;
  }
  if (signal?.aborted) {
    return abortReason(signal);
  }
  const code = findErrorCode(error);
  const limit = durationText(timeoutMs);
  switch (code) {
    case 'ECONNREFUSED':
      return new SeedreamError(
        'network',
        l10n.t('Could not connect to {0} (connection refused). Check the address and that the service is up, then try again.', where),
        {
          code,
          retryable: true,
          action: 'retry',
          cause: error,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SeedreamError(
        'network',
        l10n.t('Could not resolve {0} ({1}). Check your network connection and the address in the seedream.baseUrl setting.', where, code),
        {
          code,
          // Nothing was sent; a temporary failure of the name server may pass, an unknown name will not.
          retryable: code === 'EAI_AGAIN',
          action: 'openSettings',
          setting: 'seedream.baseUrl',
          cause: error,
        },
      );
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new SeedreamError('timeout', l10n.t('Connecting to {0} timed out. Check your network or proxy, then try again.', where), {
        code,
        retryable: true,
        action: 'retry',
        cause: error,
      });
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new SeedreamError(
        'timeout',
        l10n.t(
          '{0} did not answer within {1}. Large images can take a minute: raise seedream.requestTimeoutSeconds, or try again.',
          where,
          limit,
        ),
        // The request was sent: the server may be making (and billing) the images all the same.
        { code, action: 'openSettings', setting: 'seedream.requestTimeoutSeconds', mayHaveBilled: true, cause: error },
      );
    default:
      return new SeedreamError(
        'network',
        code
          ? l10n.t('The connection to {0} failed ({1}): {2}. Check your network and try again.', where, code, errorMessage(error))
          : l10n.t('The connection to {0} failed: {1}. Check your network and try again.', where, errorMessage(error)),
        { ...(code ? { code } : {}), action: 'retry', mayHaveBilled: true, cause: error },
      );
  }
}

/** A time limit as the messages say it: seconds from one second on, else milliseconds. */
export function durationText(milliseconds: number): string {
  return milliseconds >= 1000 ? l10n.t('{0} s', Math.round(milliseconds / 1000)) : l10n.t('{0} ms', milliseconds);
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
  // Also on a body destroyed already: undici emits an unread body's error a turn later.
  body.on('error', () => undefined);
  body.destroy();
}
