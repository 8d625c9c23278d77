/**
 * Which addresses may receive the key and the image downloads. Pure, so the VS Code layer can check the
 * base URL before it loads the network engine or asks for a key.
 */

import { SeedreamError } from './errors';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Only https, except on this machine (a local proxy or test server), so a key never crosses a network in clear. */
export function checkSecureUrl(url: URL, what: string): string | undefined {
  if (url.protocol === 'https:') {
    return undefined;
  }
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    return undefined;
  }
  return `${what} must use https (plain http is only allowed for localhost); got ${url.protocol}//${url.host}.`;
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
    throw new SeedreamError('invalidInput', `The seedream.baseUrl setting "${baseUrl}" is not a URL. Use e.g. https://api.apiyi.com/v1.`, {
      action: 'openSettings',
      setting: 'seedream.baseUrl',
    });
  }
  const insecure = checkSecureUrl(base, 'The seedream.baseUrl setting');
  if (insecure) {
    throw new SeedreamError('invalidInput', insecure, { action: 'openSettings', setting: 'seedream.baseUrl' });
  }
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/images/generations`;
  base.search = '';
  base.hash = '';
  return base;
}
