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
const EMPTY = Buffer.alloc(0);

export class Base64Decoder {
  /** The characters of an unfinished group. */
  private carry = EMPTY;

  /** Decodes a piece of ASCII text; returns the bytes of its complete groups. */
  push(piece: Buffer): Buffer {
    const carried = this.carry;
    // The carried characters are completed from the start of the piece, so the piece itself is never copied.
    const missing = carried.length > 0 ? 4 - carried.length : 0;
    if (piece.length < missing) {
      this.carry = Buffer.concat([carried, piece]);
      return EMPTY;
    }
    const rest = piece.subarray(missing);
    const groups = rest.length - (rest.length % 4);
    const decoded = Buffer.allocUnsafe((missing > 0 ? 3 : 0) + (groups / 4) * 3);
    let written = missing > 0 ? decoded.write(Buffer.concat([carried, piece.subarray(0, missing)]).toString('latin1'), 0, 'base64') : 0;
    for (let start = 0; start < groups; start += SLICE_CHARACTERS) {
      written += decoded.write(rest.toString('latin1', start, Math.min(groups, start + SLICE_CHARACTERS)), written, 'base64');
    }
    if (written === decoded.length) {
      // A copy, so that the few characters kept do not keep the whole piece alive.
      this.carry = Buffer.from(rest.subarray(groups));
      return decoded;
    }
    // Fewer bytes than groups: padding, or characters the decoder skipped, which shift the groups.
    const aligned = (carried.toString('latin1') + piece.toString('latin1')).replace(OUTSIDE_ALPHABET, '');
    const alignedGroups = aligned.length - (aligned.length % 4);
    this.carry = Buffer.from(aligned.slice(alignedGroups), 'latin1');
    return Buffer.from(aligned.slice(0, alignedGroups), 'base64');
  }

  /** The bytes of a last, unpadded group. */
  end(): Buffer {
    const rest = Buffer.from(this.carry.toString('latin1'), 'base64');
    this.carry = EMPTY;
    return rest;
  }
}
