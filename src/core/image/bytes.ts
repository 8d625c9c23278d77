/** Small byte-array helpers shared by the code that reads and rewrites image bytes. */

export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

export function endsWith(bytes: Uint8Array, suffix: readonly number[]): boolean {
  const start = bytes.length - suffix.length;
  return start >= 0 && suffix.every((byte, i) => bytes[start + i] === byte);
}

/** `a` then `b` in a new array (a copy of `b` when `a` is empty, so the result never aliases a chunk). */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) {
    return b.slice();
  }
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
