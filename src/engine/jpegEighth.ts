/**
 * A JPEG at an eighth of its size, from the DC coefficient of each 8x8 block: the block's average colour.
 * Only the entropy-coded data is walked (the other coefficients are decoded and skipped, no inverse DCT),
 * so a 4K image costs a few hundred KB of memory instead of the hundreds of MB of a full decode. Enough
 * for a thumbnail. Sequential (baseline and extended) JPEGs with Huffman coding, grey or YCbCr; others
 * (progressive, arithmetic, CMYK) are refused.
 */

export interface EighthImage {
  readonly width: number;
  readonly height: number;
  /** 8-bit RGBA, row by row. */
  readonly rgba: Uint8Array;
}

interface Component {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly quantTable: number;
  /** The average of each block, row by row, `blocksPerLine` to a row. */
  averages?: Uint8Array;
  blocksPerLine?: number;
  blocksPerColumn?: number;
}

interface HuffmanTable {
  readonly maxCode: Int32Array;
  readonly valueOffset: Int32Array;
  readonly values: Uint8Array;
}

export function decodeJpegEighth(bytes: Uint8Array): EighthImage {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new Error('not a JPEG');
  }
  const dcQuant: number[] = [];
  const dcTables: HuffmanTable[] = [];
  const acTables: HuffmanTable[] = [];
  let frame: { width: number; height: number; components: Component[]; hMax: number; vMax: number } | undefined;
  let restartInterval = 0;
  let adobeTransform: number | undefined;
  let offset = 2;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) {
      throw new Error('JPEG marker expected');
    }
    const marker = bytes[offset + 1];
    offset += 2;
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset -= marker === 0xff ? 1 : 0;
      continue;
    }
    if (marker === 0xd9) {
      break;
    }
    const length = (bytes[offset] << 8) | bytes[offset + 1];
    const segment = bytes.subarray(offset + 2, offset + length);
    offset += length;
    if (marker === 0xdb) {
      for (let at = 0; at < segment.length;) {
        const precision = segment[at] >> 4;
        dcQuant[segment[at] & 15] = precision === 0 ? segment[at + 1] : (segment[at + 1] << 8) | segment[at + 2];
        at += 1 + (precision === 0 ? 64 : 128);
      }
    } else if (marker === 0xc4) {
      for (let at = 0; at < segment.length;) {
        const counts = segment.subarray(at + 1, at + 17);
        const total = counts.reduce((sum, count) => sum + count, 0);
        const table = huffmanTable(counts, segment.subarray(at + 17, at + 17 + total));
        (segment[at] >> 4 === 0 ? dcTables : acTables)[segment[at] & 15] = table;
        at += 17 + total;
      }
    } else if (marker === 0xc0 || marker === 0xc1) {
      const components: Component[] = [];
      for (let i = 0; i < segment[5]; i++) {
        const at = 6 + i * 3;
        components.push({ id: segment[at], h: segment[at + 1] >> 4, v: segment[at + 1] & 15, quantTable: segment[at + 2] });
      }
      frame = {
        height: (segment[1] << 8) | segment[2],
        width: (segment[3] << 8) | segment[4],
        components,
        hMax: Math.max(...components.map((component) => component.h)),
        vMax: Math.max(...components.map((component) => component.v)),
      };
      if (segment[0] !== 8 || frame.width === 0 || frame.height === 0 || (components.length !== 1 && components.length !== 3)) {
        throw new Error(`JPEG of ${segment[0]} bits and ${components.length} components: no thumbnail`);
      }
      const mcusPerLine = Math.ceil(frame.width / (8 * frame.hMax));
      const mcusPerColumn = Math.ceil(frame.height / (8 * frame.vMax));
      for (const component of components) {
        component.blocksPerLine = mcusPerLine * component.h;
        component.blocksPerColumn = mcusPerColumn * component.v;
        component.averages = new Uint8Array(component.blocksPerLine * component.blocksPerColumn);
      }
    } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      throw new Error('progressive or arithmetic-coded JPEG: no thumbnail');
    } else if (marker === 0xdd) {
      restartInterval = (segment[0] << 8) | segment[1];
    } else if (marker === 0xee && String.fromCharCode(...segment.subarray(0, 5)) === 'Adobe') {
      adobeTransform = segment[11];
    } else if (marker === 0xda) {
      if (!frame) {
        throw new Error('JPEG scan before its frame header');
      }
      const scan = Array.from({ length: segment[0] }, (_, i) => {
        const component = frame!.components.find((candidate) => candidate.id === segment[1 + i * 2]);
        const dc = dcTables[segment[2 + i * 2] >> 4];
        const ac = acTables[segment[2 + i * 2] & 15];
        if (!component || !dc || !ac) {
          throw new Error('JPEG scan names a missing component or table');
        }
        return { component, dc, ac, quant: dcQuant[component.quantTable] ?? 1 };
      });
      offset = decodeScan(bytes, offset, frame, scan, restartInterval);
    }
  }
  if (!frame) {
    throw new Error('JPEG without a frame header');
  }
  return toRgba(frame, adobeTransform);
}

function huffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valueOffset = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    valueOffset[length] = k - code;
    code += counts[length - 1];
    k += counts[length - 1];
    if (counts[length - 1] > 0) {
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  // Past 16 bits no code matches: decoding stops there.
  maxCode[17] = 0x7fffffff;
  return { maxCode, valueOffset, values };
}

/** Walks one scan's entropy-coded data, keeping each block's average; returns the offset after it. */
function decodeScan(
  bytes: Uint8Array,
  start: number,
  frame: { width: number; height: number; hMax: number; vMax: number },
  scan: readonly { component: Component; dc: HuffmanTable; ac: HuffmanTable; quant: number }[],
  restartInterval: number,
): number {
  let position = start;
  let bitBuffer = 0;
  let bitCount = 0;
  const readBit = (): number => {
    if (bitCount === 0) {
      const byte = bytes[position];
      if (byte === 0xff) {
        const next = bytes[position + 1];
        if (next === 0) {
          position += 2;
        } else {
          // A marker: the data has ended; pad with ones as the standard's decoders do.
          bitBuffer = 0xff;
          bitCount = 8;
          return 1;
        }
      } else if (byte === undefined) {
        throw new Error('JPEG data ends early');
      } else {
        position++;
      }
      bitBuffer = byte;
      bitCount = 8;
    }
    bitCount--;
    return (bitBuffer >> bitCount) & 1;
  };
  const decode = (table: HuffmanTable): number => {
    let code = readBit();
    let length = 1;
    while (code > table.maxCode[length]) {
      code = (code << 1) | readBit();
      length++;
    }
    if (length > 16) {
      throw new Error('invalid JPEG Huffman code');
    }
    return table.values[table.valueOffset[length] + code];
  };
  const receive = (size: number): number => {
    let value = 0;
    for (let i = 0; i < size; i++) {
      value = (value << 1) | readBit();
    }
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  };
  const predictions = new Int32Array(scan.length);
  const decodeBlock = (index: number, row: number, column: number): void => {
    const { component, dc, ac, quant } = scan[index];
    const size = decode(dc);
    predictions[index] += size === 0 ? 0 : receive(size);
    for (let k = 1; k < 64; k++) {
      const symbol = decode(ac);
      const skip = symbol >> 4;
      const bits = symbol & 15;
      if (bits === 0) {
        if (skip !== 15) {
          break;
        }
        k += 15;
      } else {
        k += skip;
        receive(bits);
      }
    }
    if (row < component.blocksPerColumn! && column < component.blocksPerLine!) {
      const average = Math.round((predictions[index] * quant) / 8) + 128;
      component.averages![row * component.blocksPerLine! + column] = Math.max(0, Math.min(255, average));
    }
  };
  const single = scan.length === 1;
  const first = scan[0].component;
  const mcusPerLine = single ? Math.ceil(Math.ceil((frame.width * first.h) / frame.hMax) / 8) : Math.ceil(frame.width / (8 * frame.hMax));
  const mcusPerColumn = single
    ? Math.ceil(Math.ceil((frame.height * first.v) / frame.vMax) / 8)
    : Math.ceil(frame.height / (8 * frame.vMax));
  const total = mcusPerLine * mcusPerColumn;
  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      // RSTn: the bits start afresh at the next byte and the DC predictions go back to zero.
      bitCount = 0;
      while (position < bytes.length && !(bytes[position] === 0xff && bytes[position + 1] >= 0xd0 && bytes[position + 1] <= 0xd7)) {
        position++;
      }
      position += 2;
      predictions.fill(0);
    }
    const mcuRow = Math.floor(mcu / mcusPerLine);
    const mcuColumn = mcu % mcusPerLine;
    if (single) {
      decodeBlock(0, mcuRow, mcuColumn);
      continue;
    }
    scan.forEach(({ component }, index) => {
      for (let v = 0; v < component.v; v++) {
        for (let h = 0; h < component.h; h++) {
          decodeBlock(index, mcuRow * component.v + v, mcuColumn * component.h + h);
        }
      }
    });
  }
  // Up to the next marker (fill bytes and stuffed zeros are part of the data).
  while (position < bytes.length && !(bytes[position] === 0xff && bytes[position + 1] !== 0 && bytes[position + 1] !== 0xff)) {
    position++;
  }
  return position;
}

function toRgba(
  frame: { width: number; height: number; components: readonly Component[]; hMax: number; vMax: number },
  adobeTransform: number | undefined,
): EighthImage {
  const width = Math.ceil(frame.width / 8);
  const height = Math.ceil(frame.height / 8);
  const rgba = new Uint8Array(width * height * 4);
  const sample = (component: Component, x: number, y: number): number =>
    component.averages![Math.floor((y * component.v) / frame.vMax) * component.blocksPerLine! + Math.floor((x * component.h) / frame.hMax)];
  const [first, second, third] = frame.components;
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      const luma = sample(first, x, y);
      if (!second || !third) {
        rgba[o] = rgba[o + 1] = rgba[o + 2] = luma;
      } else if (adobeTransform === 0) {
        rgba[o] = luma;
        rgba[o + 1] = sample(second, x, y);
        rgba[o + 2] = sample(third, x, y);
      } else {
        const cb = sample(second, x, y) - 128;
        const cr = sample(third, x, y) - 128;
        rgba[o] = clamp(luma + 1.402 * cr);
        rgba[o + 1] = clamp(luma - 0.344136 * cb - 0.714136 * cr);
        rgba[o + 2] = clamp(luma + 1.772 * cb);
      }
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba };
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}
