/**
 * Records inside each saved image where it came from (prompt, model, size, ...), so the information
 * travels with the file and can be read back without the network. PNG gets an `iTXt` chunk right after
 * its header, JPEG a comment segment right after its APPn segments. The bytes are rewritten while they
 * stream past: only the few header bytes needed to find the insertion point are held back.
 */

import { concat, startsWith } from './bytes';
import { PNG_SIGNATURE } from './imageCheck';
import type { ReferenceRecord } from '../model/references';
import type { GenerationRequest } from '../model/validation';

export interface ImageMetadata {
  readonly prompt: string;
  /** Model id, e.g. `seedream-5-0-260128`. */
  readonly model: string;
  /** The size requested, e.g. `2K` or `2560x1440`. */
  readonly size: string;
  /** Only when the user chose one. */
  readonly seed?: number;
  readonly outputFormat?: string;
  readonly watermark?: boolean;
  /** ISO 8601 date. */
  readonly createdAt: string;
  /** e.g. `Seedream Studio 0.1.0`. */
  readonly generator: string;
  /** The reference images it was made from, in the order sent. */
  readonly references?: readonly ReferenceRecord[];
  /** Its place in an image set: the 1-based index, and the most images the set was asked for. */
  readonly set?: SetPosition;
}

export interface SetPosition {
  readonly index: number;
  readonly maxImages: number;
}

/** What the images of a request record: the request as sent, when, and by what. */
export function metadataOf(request: GenerationRequest, date: Date, generator: string): ImageMetadata {
  return {
    prompt: request.prompt,
    model: request.model.id,
    size: request.size,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    outputFormat: request.outputFormat,
    watermark: request.watermark,
    createdAt: date.toISOString(),
    generator,
  };
}

/** How many leading bytes of a file readEmbeddedMetadata needs at most. */
export const METADATA_HEAD_BYTES = 256 * 1024;

const KEYWORD = 'seedream-studio';
const JPEG_COMMENT_PREFIX = `${KEYWORD}:`;
/** A JPEG segment's 2-byte length counts itself, so its payload holds at most 65533 bytes. */
const JPEG_MAX_PAYLOAD = 0xffff - 2;
/**
 * Both formats hold at most this much JSON: a JPEG segment cannot hold more, and a PNG chunk that small
 * stays well inside METADATA_HEAD_BYTES.
 */
const MAX_JSON_BYTES = JPEG_MAX_PAYLOAD - JPEG_COMMENT_PREFIX.length;

/** Signature (8) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC). */
const PNG_HEADER_BYTES = 33;
const PNG_IHDR_LENGTH = 13;
/** The largest chunk length PNG allows. */
const PNG_MAX_CHUNK_LENGTH = 0x7fffffff;
const JPEG_SOI = [0xff, 0xd8];
const JPEG_COM = 0xfe;
const JPEG_SOS = 0xda;
const JPEG_EOI = 0xd9;

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);

// ---------------------------------------------------------------- writing

type SplicerState = 'start' | 'pngHeader' | 'jpegMarker' | 'passThrough';

/**
 * Inserts the metadata into a PNG or JPEG file that passes through it in chunks cut anywhere: a small
 * state machine that holds back header bytes until it knows where the metadata goes. Anything that is not
 * a well-formed PNG or JPEG head passes through unchanged: verifying the image is done elsewhere.
 */
export class MetadataSplicer {
  private state: SplicerState = 'start';
  /** Header bytes held back until a decision is possible; never more than a few dozen. */
  private pending: Uint8Array = EMPTY;
  /** Bytes of a JPEG APPn segment still to pass through before the next marker. */
  private skip = 0;

  constructor(private readonly metadata: ImageMetadata) {}

  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      if (this.state === 'passThrough') {
        out.push(rest);
        break;
      }
      if (this.skip > 0) {
        const passed = Math.min(this.skip, rest.length);
        out.push(rest.subarray(0, passed));
        this.skip -= passed;
        rest = rest.subarray(passed);
        continue;
      }
      const taken = Math.min(this.bytesNeeded() - this.pending.length, rest.length);
      this.pending = concat(this.pending, rest.subarray(0, taken));
      rest = rest.subarray(taken);
      if (this.pending.length >= this.bytesNeeded()) {
        this.decide(out);
      }
    }
    return out;
  }

  /** A stream that ends inside the header is passed on as it is. */
  end(): Uint8Array[] {
    const rest = this.pending;
    this.pending = EMPTY;
    this.state = 'passThrough';
    return rest.length > 0 ? [rest] : [];
  }

  private bytesNeeded(): number {
    switch (this.state) {
      case 'start':
        return 2;
      case 'pngHeader':
        return PNG_HEADER_BYTES;
      case 'jpegMarker':
        // Marker first; an APPn marker is followed by its length, needed to step over the segment.
        return this.pending.length >= 2 && isJpegAppMarker(this.pending[1]) ? 4 : 2;
      case 'passThrough':
        return 0;
    }
  }

  private decide(out: Uint8Array[]): void {
    switch (this.state) {
      case 'start':
        return this.decideFormat(out);
      case 'pngHeader':
        return this.decidePngHeader(out);
      case 'jpegMarker':
        return this.decideJpegMarker(out);
      case 'passThrough':
        return;
    }
  }

  private decideFormat(out: Uint8Array[]): void {
    if (startsWith(this.pending, PNG_SIGNATURE.slice(0, 2))) {
      this.state = 'pngHeader';
    } else if (startsWith(this.pending, JPEG_SOI)) {
      this.release(out);
      this.state = 'jpegMarker';
    } else {
      this.passThrough(out);
    }
  }

  private decidePngHeader(out: Uint8Array[]): void {
    const chunk = hasPngHeader(this.pending) ? pngMetadataChunk(this.metadata) : undefined;
    this.passThrough(out);
    if (chunk) {
      out.push(chunk);
    }
  }

  private decideJpegMarker(out: Uint8Array[]): void {
    const marker = this.pending[1];
    if (this.pending[0] !== 0xff) {
      return this.passThrough(out);
    }
    if (isJpegAppMarker(marker)) {
      const length = (this.pending[2] << 8) | this.pending[3];
      if (length < 2) {
        return this.passThrough(out);
      }
      this.release(out);
      this.skip = length - 2;
      return;
    }
    const segment = canPrecedeJpegMarker(marker) ? jpegMetadataSegment(this.metadata) : undefined;
    if (segment) {
      out.push(segment);
    }
    this.passThrough(out);
  }

  private release(out: Uint8Array[]): void {
    out.push(this.pending);
    this.pending = EMPTY;
  }

  private passThrough(out: Uint8Array[]): void {
    this.release(out);
    this.state = 'passThrough';
  }
}

function hasPngHeader(head: Uint8Array): boolean {
  return startsWith(head, PNG_SIGNATURE) && readUint32(head, 8) === PNG_IHDR_LENGTH && chunkType(head, 12) === 'IHDR';
}

function isJpegAppMarker(marker: number): boolean {
  return marker >= 0xe0 && marker <= 0xef;
}

/**
 * Markers a comment may be put in front of: segment markers (not SOI, EOI or the standalone RSTn) and
 * 0xFF, a fill byte, which may legally follow any segment.
 */
function canPrecedeJpegMarker(marker: number): boolean {
  return marker >= 0xc0 && !(marker >= 0xd0 && marker <= JPEG_EOI);
}

/** The `iTXt` chunk: keyword, no compression, empty language tag and translated keyword, UTF-8 text. */
function pngMetadataChunk(metadata: ImageMetadata): Uint8Array | undefined {
  const json = fittingJson(metadata);
  if (!json) {
    return undefined;
  }
  const keyword = utf8.encode(KEYWORD);
  const data = new Uint8Array(keyword.length + 5 + json.length);
  data.set(keyword);
  // After the keyword: its null separator, compression flag 0, method 0, then two empty null-terminated strings.
  data.set(json, keyword.length + 5);
  return pngChunk('iTXt', data);
}

/** A PNG chunk: length, type, data and the CRC of type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  writeUint32(chunk, 0, data.length);
  for (let i = 0; i < 4; i++) {
    chunk[4 + i] = type.charCodeAt(i);
  }
  chunk.set(data, 8);
  writeUint32(chunk, 8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

/** The COM segment: marker, big-endian length counting itself, prefix and UTF-8 JSON. */
function jpegMetadataSegment(metadata: ImageMetadata): Uint8Array | undefined {
  const json = fittingJson(metadata);
  if (!json) {
    return undefined;
  }
  const prefix = utf8.encode(JPEG_COMMENT_PREFIX);
  const segment = new Uint8Array(4 + prefix.length + json.length);
  segment[0] = 0xff;
  segment[1] = JPEG_COM;
  const length = 2 + prefix.length + json.length;
  segment[2] = length >> 8;
  segment[3] = length & 0xff;
  segment.set(prefix, 4);
  segment.set(json, 4 + prefix.length);
  return segment;
}

/**
 * The metadata as UTF-8 JSON of at most MAX_JSON_BYTES, the prompt cut (at whole code points) as little
 * as needed; undefined when even an empty prompt does not fit.
 */
function fittingJson(metadata: ImageMetadata): Uint8Array | undefined {
  const full = encodeMetadata(metadata, metadata.prompt);
  if (full.length <= MAX_JSON_BYTES) {
    return full;
  }
  const codePoints = Array.from(metadata.prompt);
  // Binary search for the longest prefix that fits: escapes make the JSON length hard to predict.
  let fits = -1;
  let low = 0;
  let high = codePoints.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (encodeMetadata(metadata, codePoints.slice(0, middle).join('')).length <= MAX_JSON_BYTES) {
      fits = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return fits < 0 ? undefined : encodeMetadata(metadata, codePoints.slice(0, fits).join(''));
}

/** Only the known fields, in a fixed order, so nothing else a caller's object carries is written. */
function encodeMetadata(metadata: ImageMetadata, prompt: string): Uint8Array {
  const record: ImageMetadata = {
    prompt,
    model: metadata.model,
    size: metadata.size,
    ...(metadata.seed !== undefined ? { seed: metadata.seed } : {}),
    ...(metadata.outputFormat !== undefined ? { outputFormat: metadata.outputFormat } : {}),
    ...(metadata.watermark !== undefined ? { watermark: metadata.watermark } : {}),
    createdAt: metadata.createdAt,
    generator: metadata.generator,
    ...(metadata.references && metadata.references.length > 0 ? { references: metadata.references.map(referenceRecordOf) } : {}),
    ...(metadata.set ? { set: { index: metadata.set.index, maxImages: metadata.set.maxImages } } : {}),
  };
  return utf8.encode(JSON.stringify(record));
}

// ---------------------------------------------------------------- reading

/**
 * The metadata from the first bytes of a file (METADATA_HEAD_BYTES are enough), or undefined when there is
 * none or the bytes are not PNG or JPEG. Never throws on malformed input.
 */
export function readEmbeddedMetadata(head: Uint8Array): ImageMetadata | undefined {
  try {
    if (startsWith(head, PNG_SIGNATURE)) {
      return readPngMetadata(head);
    }
    if (startsWith(head, JPEG_SOI)) {
      return readJpegMetadata(head);
    }
  } catch {
    // Malformed bytes are the same as no metadata; the walkers check bounds, this is a last guard.
  }
  return undefined;
}

function readPngMetadata(head: Uint8Array): ImageMetadata | undefined {
  let offset = PNG_SIGNATURE.length;
  while (offset + 8 <= head.length) {
    const length = readUint32(head, offset);
    const type = chunkType(head, offset + 4);
    const end = offset + 12 + length;
    if (length > PNG_MAX_CHUNK_LENGTH || type === 'IDAT' || type === 'IEND' || end > head.length) {
      return undefined;
    }
    const found =
      (type === 'iTXt' || type === 'tEXt') && hasValidCrc(head, offset, length)
        ? pngTextMetadata(type, head.subarray(offset + 8, offset + 8 + length))
        : undefined;
    if (found) {
      return found;
    }
    offset = end;
  }
  return undefined;
}

function hasValidCrc(head: Uint8Array, offset: number, length: number): boolean {
  return crc32(head.subarray(offset + 4, offset + 8 + length)) === readUint32(head, offset + 8 + length);
}

function pngTextMetadata(type: 'iTXt' | 'tEXt', data: Uint8Array): ImageMetadata | undefined {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 0 || latin1(data.subarray(0, keywordEnd)) !== KEYWORD) {
    return undefined;
  }
  if (type === 'tEXt') {
    return parseMetadata(decodeText(data.subarray(keywordEnd + 1)));
  }
  // iTXt: compression flag and method, then the language tag and translated keyword, each null-terminated.
  const compressed = data[keywordEnd + 1] !== 0;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (compressed || translatedEnd < 0) {
    return undefined;
  }
  return parseMetadata(decodeUtf8(data.subarray(translatedEnd + 1)));
}

function readJpegMetadata(head: Uint8Array): ImageMetadata | undefined {
  let offset = JPEG_SOI.length;
  while (offset + 2 <= head.length) {
    if (head[offset] !== 0xff) {
      return undefined;
    }
    const marker = head[offset + 1];
    if (marker === 0xff) {
      offset += 1; // a fill byte before the marker
      continue;
    }
    if (marker === JPEG_SOS || marker === JPEG_EOI) {
      return undefined;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // standalone markers carry no length
      continue;
    }
    if (offset + 4 > head.length) {
      return undefined;
    }
    const length = (head[offset + 2] << 8) | head[offset + 3];
    const end = offset + 2 + length;
    if (length < 2 || end > head.length) {
      return undefined;
    }
    const found = marker === JPEG_COM ? jpegCommentMetadata(head.subarray(offset + 4, end)) : undefined;
    if (found) {
      return found;
    }
    offset = end;
  }
  return undefined;
}

function jpegCommentMetadata(payload: Uint8Array): ImageMetadata | undefined {
  const prefix = utf8.encode(JPEG_COMMENT_PREFIX);
  return startsWith(payload, Array.from(prefix)) ? parseMetadata(decodeUtf8(payload.subarray(prefix.length))) : undefined;
}

/** Parses and checks the JSON strictly: text from a file may have been written by anything. */
function parseMetadata(text: string | undefined): ImageMetadata | undefined {
  if (text === undefined) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const { prompt, model, size, seed, outputFormat, watermark, createdAt, generator, references, set } = record;
  const requiredAreStrings = [prompt, model, size, createdAt, generator].every((field) => typeof field === 'string');
  const optionalAreValid =
    (!Object.hasOwn(record, 'seed') || Number.isSafeInteger(seed)) &&
    (!Object.hasOwn(record, 'outputFormat') || typeof outputFormat === 'string') &&
    (!Object.hasOwn(record, 'watermark') || typeof watermark === 'boolean') &&
    (!Object.hasOwn(record, 'references') || (Array.isArray(references) && references.every(isReferenceRecord))) &&
    (!Object.hasOwn(record, 'set') || isSetPosition(set));
  if (!requiredAreStrings || !optionalAreValid) {
    return undefined;
  }
  // Rebuilt from the known fields only, so extra keys in the file never reach the caller.
  return {
    prompt: prompt as string,
    model: model as string,
    size: size as string,
    ...(Object.hasOwn(record, 'seed') ? { seed: seed as number } : {}),
    ...(Object.hasOwn(record, 'outputFormat') ? { outputFormat: outputFormat as string } : {}),
    ...(Object.hasOwn(record, 'watermark') ? { watermark: watermark as boolean } : {}),
    createdAt: createdAt as string,
    generator: generator as string,
    ...(Object.hasOwn(record, 'references') ? { references: (references as ReferenceRecord[]).map(referenceRecordOf) } : {}),
    ...(Object.hasOwn(record, 'set') ? { set: { index: (set as SetPosition).index, maxImages: (set as SetPosition).maxImages } } : {}),
  };
}

/** A reference record with only its known fields. */
export function referenceRecordOf(record: ReferenceRecord): ReferenceRecord {
  if ('url' in record) {
    return { url: record.url };
  }
  return { path: record.path, ...(record.sha256 !== undefined ? { sha256: record.sha256 } : {}) };
}

/** Whether a value read from a file or storage is a reference record. */
export function isReferenceRecord(value: unknown): value is ReferenceRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.url === 'string') {
    return true;
  }
  return (
    typeof record.path === 'string' &&
    keys.every((key) => key === 'path' || key === 'sha256') &&
    (record.sha256 === undefined || (typeof record.sha256 === 'string' && /^[0-9a-f]{64}$/.test(record.sha256)))
  );
}

function isSetPosition(value: unknown): value is SetPosition {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { index, maxImages } = value as Record<string, unknown>;
  return Number.isSafeInteger(index) && Number.isSafeInteger(maxImages) && (index as number) >= 1 && (maxImages as number) >= 1;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** tEXt is Latin-1 by the standard, but some tools write UTF-8 there; accept either. */
function decodeText(bytes: Uint8Array): string {
  return decodeUtf8(bytes) ?? latin1(bytes);
}

// ---------------------------------------------------------------- bytes

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += String.fromCharCode(byte);
  }
  return text;
}

function chunkType(bytes: Uint8Array, offset: number): string {
  return latin1(bytes.subarray(offset, offset + 4));
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 as PNG defines it (reflected polynomial 0xEDB88320); the table is built on first use. */
function crc32(bytes: Uint8Array): number {
  crcTable ??= makeCrcTable();
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function makeCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
}
