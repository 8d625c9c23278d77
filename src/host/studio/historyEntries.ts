/**
 * The Studio history as stored data: newest first, at most {@link MAX_HISTORY_ENTRIES}. What is read back
 * may come from an older version, so each entry is checked and a malformed one is dropped, not trusted.
 */

import type { BilledRun } from '../../core/cost/spending';
import { isReferenceRecord, referenceRecordOf } from '../../core/image/imageMetadata';
import type { ReferenceRecord } from '../../core/model/references';
import type { GenerationInput } from '../../core/model/validation';
import { isRecord } from '../../core/values/guards';
import { parseStudioForm, type StudioForm } from '../../shared/protocol';

export const MAX_HISTORY_ENTRIES = 200;

export interface StoredImage {
  /** The file's URI, as `Uri.toString()`. */
  readonly uri: string;
  /** Unknown when the format does not say (never for PNG and baseline JPEG). */
  readonly width?: number;
  readonly height?: number;
  readonly format: string;
  readonly byteLength: number;
}

export interface StoredEntry {
  readonly id: string;
  readonly createdAt: number;
  readonly input: StudioForm;
  readonly images: readonly StoredImage[];
  readonly notSaved: number;
  /** What made the images, e.g. `Seedream Studio 0.1.0` (absent in entries of older versions). */
  readonly generator?: string;
  /** What the run was billed (absent in entries of older versions). */
  readonly billed?: BilledRun;
  /** The reference images it was made from, as sent (workspace path and sha256, or address), in order. */
  readonly references?: readonly ReferenceRecord[];
  /** For an image set: the most images asked for; `images` are the set in order (image i of images.length). */
  readonly maxImages?: number;
}

/** Only the generation fields of an input: a front end's input may carry more. */
export function formOfInput(input: GenerationInput): StudioForm {
  const { prompt, model, size, n, seed, outputFormat, responseFormat, watermark, stream } = input;
  return { prompt, model, size, n, ...(seed === undefined ? {} : { seed }), outputFormat, responseFormat, watermark, stream };
}

export function withNewEntry(entries: readonly StoredEntry[], entry: StoredEntry): StoredEntry[] {
  return [entry, ...entries.filter((existing) => existing.id !== entry.id)].slice(0, MAX_HISTORY_ENTRIES);
}

export function parseStoredHistory(value: unknown): StoredEntry[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .flatMap((item) => {
      const entry = parseEntry(item);
      return entry ? [entry] : [];
    })
    .slice(0, MAX_HISTORY_ENTRIES);
}

function parseEntry(value: unknown): StoredEntry | undefined {
  if (
    !isRecord(value) ||
    typeof value.id !== 'string' ||
    !isCount(value.createdAt) ||
    !isCount(value.notSaved) ||
    !Array.isArray(value.images)
  ) {
    return undefined;
  }
  const input = parseStudioForm(value.input);
  const images = value.images.map(parseImage);
  if (!input || images.some((image) => image === undefined)) {
    return undefined;
  }
  const generator = typeof value.generator === 'string' ? { generator: value.generator } : {};
  const billed = parseBilled(value.billed);
  const references =
    Array.isArray(value.references) && value.references.every(isReferenceRecord)
      ? { references: value.references.map((record: ReferenceRecord) => referenceRecordOf(record)) }
      : {};
  const maxImages = isCount(value.maxImages) && value.maxImages > 0 ? { maxImages: value.maxImages } : {};
  return {
    id: value.id,
    createdAt: value.createdAt,
    input,
    images: images as StoredImage[],
    notSaved: value.notSaved,
    ...generator,
    ...(billed ? { billed } : {}),
    ...references,
    ...maxImages,
  };
}

function parseBilled(value: unknown): BilledRun | undefined {
  if (!isRecord(value) || !isCount(value.images) || typeof value.reported !== 'boolean') {
    return undefined;
  }
  const { cost } = value;
  const validCost =
    isRecord(cost) && typeof cost.amount === 'number' && cost.amount >= 0 && typeof cost.currency === 'string'
      ? { cost: { amount: cost.amount, currency: cost.currency } }
      : {};
  return { images: value.images, reported: value.reported, ...validCost };
}

function parseImage(value: unknown): StoredImage | undefined {
  if (!isRecord(value) || typeof value.uri !== 'string' || typeof value.format !== 'string') {
    return undefined;
  }
  const { uri, width, height, format, byteLength } = value;
  if (!isCount(byteLength) || !isOptionalCount(width) || !isOptionalCount(height)) {
    return undefined;
  }
  return { uri, ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }), format, byteLength };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isOptionalCount(value: unknown): value is number | undefined {
  return value === undefined || isCount(value);
}
