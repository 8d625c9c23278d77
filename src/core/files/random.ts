/**
 * Random ids and nonces from Node's crypto module, loaded on first use: loading it costs milliseconds that
 * activation, which needs no randomness, should not pay.
 */

type NodeCrypto = typeof import('node:crypto');

let nodeCrypto: NodeCrypto | undefined;

function cryptoModule(): NodeCrypto {
  nodeCrypto ??= require('node:crypto') as NodeCrypto;
  return nodeCrypto;
}

export function randomId(): string {
  return cryptoModule().randomUUID();
}

/** A CSP nonce: 128 bits from the operating system's generator, never Math.random. */
export function randomNonce(): string {
  return cryptoModule().randomBytes(16).toString('base64');
}
