/**
 * Which addresses may receive the key and the image downloads. Pure, so the VS Code layer can check the
 * base URL before it loads the network engine or asks for a key.
 */

import * as l10n from '@vscode/l10n';
import { SeedreamError } from '../errors/errors';
import { inNetwork, parseIpAddress, unmapIpv4, type IpAddress } from './ipAddress';

/** Addresses off the public internet: a link to one could make this machine fetch from itself or its network. */
export type AddressKind = 'loopback' | 'linkLocal' | 'private' | 'sharedNat' | 'unspecified';

const NON_PUBLIC_NETWORKS: readonly { readonly kind: AddressKind; readonly network: IpAddress; readonly prefixLength: number }[] = (
  [
    ['loopback', '127.0.0.0/8'],
    ['loopback', '::1/128'],
    // Connecting to 0.0.0.0 or :: reaches this machine.
    ['unspecified', '0.0.0.0/8'],
    ['unspecified', '::/128'],
    ['linkLocal', '169.254.0.0/16'],
    ['linkLocal', 'fe80::/10'],
    ['private', '10.0.0.0/8'],
    ['private', '172.16.0.0/12'],
    ['private', '192.168.0.0/16'],
    ['private', 'fc00::/7'],
    ['sharedNat', '100.64.0.0/10'],
  ] as const
).map(([kind, cidr]) => {
  const [network, prefixLength] = cidr.split('/');
  return { kind, network: parseIpAddress(network)!, prefixLength: Number(prefixLength) };
});

function addressDescription(kind: AddressKind): string {
  switch (kind) {
    case 'loopback':
      return l10n.t('a loopback address (this machine)');
    case 'linkLocal':
      return l10n.t('a link-local address (such as a cloud metadata service)');
    case 'private':
      return l10n.t('a private network address');
    case 'sharedNat':
      return l10n.t('a carrier-grade NAT address (100.64.0.0/10)');
    case 'unspecified':
      return l10n.t('an unspecified address, which reaches this machine');
  }
}

/**
 * Which kind of non-public address a URL's hostname or a resolved address is; undefined for a public address
 * and for any name but `localhost` (names are judged by what they resolve to, when the download connects).
 */
export function nonPublicAddressKind(host: string): AddressKind | undefined {
  if (host.toLowerCase() === 'localhost') {
    return 'loopback';
  }
  const parsed = parseIpAddress(host);
  if (!parsed) {
    return undefined;
  }
  const address = unmapIpv4(parsed);
  return NON_PUBLIC_NETWORKS.find(({ network, prefixLength }) => inNetwork(address, network, prefixLength))?.kind;
}

export function isLoopbackHost(hostname: string): boolean {
  return nonPublicAddressKind(hostname) === 'loopback';
}

/**
 * Only https, except on this machine (a local proxy or test server), so a key never crosses a network in clear.
 * `what` starts the sentence: the address's name in the display language.
 */
export function checkSecureUrl(url: URL, what: string): string | undefined {
  if (url.protocol === 'https:') {
    return undefined;
  }
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    return undefined;
  }
  return l10n.t('{0} must use https (plain http is only allowed for localhost); got {1}.', what, `${url.protocol}//${url.host}`);
}

/**
 * Why an image link, or a hop its host redirected to, may not be downloaded; undefined when it may. Loopback is
 * allowed only when `allowLoopback` says the API itself is on this machine; other non-public addresses never.
 */
export function checkImageLink(url: URL, allowLoopback: boolean, redirectedFrom?: URL): string | undefined {
  const insecure = checkSecureUrl(url, l10n.t('An image link'));
  if (insecure) {
    return insecure;
  }
  const kind = nonPublicAddressKind(url.hostname);
  if (!kind || (kind === 'loopback' && allowLoopback)) {
    return undefined;
  }
  const what = addressDescription(kind);
  return redirectedFrom
    ? l10n.t(
        "The image host {0} redirected the download to {1}, {2}; it was refused, because a generated image's link must be a public https address. Generate the image again; if it happens again, check that seedream.baseUrl names a server you trust.",
        redirectedFrom.host,
        url.host,
        what,
      )
    : l10n.t(
        "The image link to {0} was refused: it is {1}, and a generated image's link must be a public https address. Generate the image again; if it happens again, check that seedream.baseUrl names a server you trust.",
        url.host,
        what,
      );
}

/** Why a download was refused when its host name resolved to a non-public address (DNS rebinding, `localtest.me`). */
export function resolvedAddressRefusal(hostname: string, address: string, kind: AddressKind): string {
  return l10n.t(
    "The image download from {0} was refused: the name resolves to {1}, {2}, and a generated image's link must be a public https address. Generate the image again; if it happens again, check that seedream.baseUrl names a server you trust.",
    hostname,
    address,
    addressDescription(kind),
  );
}

/** An address as it may appear in logs and messages: no credentials, no query (signed links carry tokens). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** `{baseUrl}/images/generations`, refusing what is not a URL or would send the key in clear. */
export function imagesEndpoint(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl.trim());
  } catch {
    throw new SeedreamError(
      'invalidInput',
      l10n.t('The seedream.baseUrl setting "{0}" is not a URL. Use e.g. https://api.apiyi.com/v1.', baseUrl),
      {
        action: 'openSettings',
        setting: 'seedream.baseUrl',
      },
    );
  }
  const insecure = checkSecureUrl(base, l10n.t('The seedream.baseUrl setting'));
  if (insecure) {
    throw new SeedreamError('invalidInput', insecure, { action: 'openSettings', setting: 'seedream.baseUrl' });
  }
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/images/generations`;
  base.search = '';
  base.hash = '';
  return base;
}
