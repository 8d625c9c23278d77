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

  /**
   * Decodes a piece of ASCII text; returns the bytes of its complete groups. The piece is consumed: its
   * own memory takes the decoded bytes where they fit (they are shorter than their text), so decoding
   * allocates nothing for them.
   */
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
    const length = (missing > 0 ? 3 : 0) + (groups / 4) * 3;
    const decoded = length <= piece.length ? piece.subarray(0, length) : Buffer.allocUnsafe(length);
    // Each text is read before the bytes decoded so far are written over it: a slice's decoded bytes end
    // before the next slice's text begins (3 bytes per 4 characters).
    const completed = missing > 0 ? Buffer.concat([carried, piece.subarray(0, missing)]).toString('latin1') : '';
    const texts = [rest.toString('latin1', 0, Math.min(groups, SLICE_CHARACTERS))];
    // A copy, taken first: the few characters kept must neither be written over nor keep the piece alive.
    const tail = Buffer.from(rest.subarray(groups));
    let written = missing > 0 ? decoded.write(completed, 0, 'base64') : 0;
    for (let start = 0; start < groups; start += SLICE_CHARACTERS) {
      const text = start === 0 ? texts[0] : rest.toString('latin1', start, Math.min(groups, start + SLICE_CHARACTERS));
      if (start > 0) {
        texts.push(text);
      }
      written += decoded.write(text, written, 'base64');
    }
    if (written === decoded.length) {
      this.carry = tail;
      return decoded;
    }
    // Fewer bytes than groups: padding, or characters the decoder skipped, which shift the groups. The
    // piece's text is taken from what was read of it, as its memory may hold decoded bytes by now.
    const aligned = (completed + texts.join('') + tail.toString('latin1')).replace(OUTSIDE_ALPHABET, '');
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
