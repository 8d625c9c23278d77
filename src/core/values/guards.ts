/**
 * Type guards for values that come from outside the code that reads them: JSON from the API, stored state,
 * command arguments, messages from the webview.
 */

/** An object with string keys (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A record whose prototype is Object's or none: no class instance or exotic object, so its keys can be trusted. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** One of the strings `allowed` lists. */
export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}
