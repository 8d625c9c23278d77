/**
 * IP address literals as bytes, so that address ranges (the image link rules, NO_PROXY's CIDR entries) are
 * compared as numbers rather than as text, where "::ffff:7f00:1" and "127.0.0.1" would differ.
 */

export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

/** An address written as `1.2.3.4`, `::1` or `[::1]`; undefined for a name or anything malformed. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const host = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIpv4(host) ?? parseIpv6(host);
}

/** `::ffff:a.b.c.d` reaches the IPv4 address a.b.c.d, so it is judged as that address. */
export function unmapIpv4(address: IpAddress): IpAddress {
  const { bytes } = address;
  const mapped = address.version === 6 && bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? { version: 4, bytes: bytes.slice(12) } : address;
}

/** Whether `address` lies in `network`/`prefixLength` (a prefix past the address's length means the whole address). */
export function inNetwork(address: IpAddress, network: IpAddress, prefixLength: number): boolean {
  if (address.version !== network.version) {
    return false;
  }
  const bits = Math.min(prefixLength, address.bytes.length * 8);
  for (let bit = 0; bit < bits; bit += 8) {
    const mask = (0xff << (8 - Math.min(8, bits - bit))) & 0xff;
    if ((address.bytes[bit / 8] & mask) !== (network.bytes[bit / 8] & mask)) {
      return false;
    }
  }
  return true;
}

/** Dotted decimal only, as inet_pton reads it; URLs have normalised other forms (2130706433, 0x7f.1) already. */
function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)) {
    return undefined;
  }
  return { version: 4, bytes: Uint8Array.from(parts, Number) };
}

function parseIpv6(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    return undefined;
  }
  // A trailing dotted quad (::ffff:127.0.0.1) stands for the last two groups.
  const quad = /^(.*:)([^:]*\.[^:]*)$/.exec(text);
  let groupsText = text;
  if (quad) {
    const ipv4 = parseIpv4(quad[2]);
    if (!ipv4) {
      return undefined;
    }
    const [a, b, c, d] = ipv4.bytes;
    groupsText = `${quad[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const [head, tail] = halves.map((half) => (half ? half.split(':') : []));
  // "::" stands for at least one group of zeros.
  if (tail !== undefined && head.length + tail.length > 7) {
    return undefined;
  }
  const groups = tail === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  if (groups.length !== 8 || !groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) {
    return undefined;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return { version: 6, bytes };
}
