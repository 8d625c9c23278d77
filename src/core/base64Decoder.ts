/**
 * Decodes base64 text that arrives in pieces cut anywhere: whole 4-character groups are decoded as they
 * come, the 0-3 characters left over wait for the next piece. Like `Buffer.from(text, 'base64')` on the
 * whole text, it skips line breaks and other characters outside the alphabet.
 */

/** What `Buffer.from(..., 'base64')` skips; removed before grouping so the groups stay aligned. */
const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/\-_=]+/g;
/**
 * The text goes through strings of at most this many characters (a multiple of 4): V8 allocates larger
 * ones in its large-object space, which costs several times more per byte.
 */
const SLICE_CHARACTERS = 48 * 1024;

export class Base64Decoder {
  private carry = Buffer.alloc(0);

  /** Decodes a piece of ASCII text; returns the bytes of its complete groups. */
  push(piece: Buffer): Buffer {
    const text = this.carry.length > 0 ? Buffer.concat([this.carry, piece]) : piece;
    const whole = text.length - (text.length % 4);
    const decoded = Buffer.allocUnsafe((whole / 4) * 3);
    let written = 0;
    for (let start = 0; start < whole; start += SLICE_CHARACTERS) {
      written += decoded.write(text.toString('latin1', start, Math.min(whole, start + SLICE_CHARACTERS)), written, 'base64');
    }
    if (written === decoded.length) {
      // A copy, so that the few characters kept do not keep the whole piece alive.
      this.carry = Buffer.from(text.subarray(whole));
      return decoded;
    }
    // Fewer bytes than groups: padding, or characters the decoder skipped, which shift the groups.
    const aligned = text.toString('latin1').replace(OUTSIDE_ALPHABET, '');
    const alignedWhole = aligned.length - (aligned.length % 4);
    this.carry = Buffer.from(aligned.slice(alignedWhole), 'latin1');
    return Buffer.from(aligned.slice(0, alignedWhole), 'base64');
  }

  /** The bytes of a last, unpadded group. */
  end(): Buffer {
    const rest = Buffer.from(this.carry.toString('latin1'), 'base64');
    this.carry = Buffer.alloc(0);
    return rest;
  }
}
