/**
 * The first bytes of GIF, BMP, WEBP and TIFF files, as their specifications lay them out: enough for a
 * header reader, and for a reference image whose pixels the tests never decode.
 */

export function gifHeader(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(13);
  bytes.write('GIF89a', 0, 'latin1');
  bytes.writeUInt16LE(width, 6);
  bytes.writeUInt16LE(height, 8);
  return bytes;
}

/** `height` < 0 stores the rows top-down; `os2` writes the old 12-byte header with 16-bit sides. */
export function bmpHeader(width: number, height: number, kind: 'windows' | 'os2' = 'windows'): Buffer {
  const bytes = Buffer.alloc(54);
  bytes.write('BM', 0, 'latin1');
  bytes.writeUInt32LE(bytes.length, 2);
  if (kind === 'os2') {
    bytes.writeUInt32LE(12, 14);
    bytes.writeUInt16LE(width, 18);
    bytes.writeUInt16LE(height, 20);
  } else {
    bytes.writeUInt32LE(40, 14);
    bytes.writeInt32LE(width, 18);
    bytes.writeInt32LE(height, 22);
  }
  return bytes;
}

export function webpHeader(chunk: 'VP8 ' | 'VP8L' | 'VP8X', width: number, height: number): Buffer {
  const bytes = Buffer.alloc(40);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(bytes.length - 8, 4);
  bytes.write('WEBP', 8, 'latin1');
  bytes.write(chunk, 12, 'latin1');
  bytes.writeUInt32LE(bytes.length - 20, 16);
  if (chunk === 'VP8 ') {
    bytes.set([0x9d, 0x01, 0x2a], 23);
    bytes.writeUInt16LE(width, 26);
    bytes.writeUInt16LE(height, 28);
  } else if (chunk === 'VP8L') {
    bytes[20] = 0x2f;
    bytes.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 21);
  } else {
    bytes.writeUIntLE(width - 1, 24, 3);
    bytes.writeUIntLE(height - 1, 27, 3);
  }
  return bytes;
}

/** A TIFF whose first directory sits behind 100 bytes of other data, width as SHORT when it fits, height as LONG. */
export function tiffHeader(width: number, height: number, littleEndian: boolean): Buffer {
  const directory = 108;
  const bytes = Buffer.alloc(directory + 2 + 3 * 12 + 4);
  const u16 = (value: number, at: number) => (littleEndian ? bytes.writeUInt16LE(value, at) : bytes.writeUInt16BE(value, at));
  const u32 = (value: number, at: number) => (littleEndian ? bytes.writeUInt32LE(value, at) : bytes.writeUInt32BE(value, at));
  bytes.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(directory, 4);
  u16(3, directory);
  const entry = (index: number, tag: number, value: number) => {
    const at = directory + 2 + index * 12;
    u16(tag, at);
    const short = value <= 0xffff;
    u16(short ? 3 : 4, at + 2);
    u32(1, at + 4);
    if (short) {
      u16(value, at + 8);
    } else {
      u32(value, at + 8);
    }
  };
  entry(0, 254, 0);
  entry(1, 256, width);
  entry(2, 257, height);
  return bytes;
}
