/**
 * Where a saved image came from, read without the network: the metadata inside the file first, then the
 * workspace's generation history (for files written where metadata could not be kept, or by older versions).
 */

import * as vscode from 'vscode';
import { describeImageHead, type ImageInfo } from '../../core/image/imageCheck';
import { METADATA_HEAD_BYTES, readEmbeddedMetadata, type ImageMetadata } from '../../core/image/imageMetadata';
import type { HistoryStore } from '../studio/historyStore';

export interface ImageProvenance {
  readonly info?: Omit<ImageInfo, 'byteLength'> | undefined;
  readonly byteLength: number;
  /** Undefined for an image this extension did not make (or whose record is gone). */
  readonly metadata?: ImageMetadata | undefined;
  /** The Studio history entry that holds this file, if any. */
  readonly historyEntryId?: string | undefined;
}

export async function readProvenance(uri: vscode.Uri, history: HistoryStore): Promise<ImageProvenance> {
  const [head, stat] = await Promise.all([readHead(uri, METADATA_HEAD_BYTES), vscode.workspace.fs.stat(uri)]);
  const entry = history.entries().find((candidate) => candidate.images.some((image) => image.uri === uri.toString()));
  const info = describeImageHead(head);
  const metadata =
    readEmbeddedMetadata(head) ??
    (entry && {
      prompt: entry.input.prompt,
      model: entry.input.model,
      size: entry.input.size,
      ...(entry.input.seed === undefined ? {} : { seed: entry.input.seed }),
      watermark: entry.input.watermark,
      createdAt: new Date(entry.createdAt).toISOString(),
      generator: entry.generator ?? 'Seedream Studio',
      ...(entry.references ? { references: entry.references } : {}),
      ...(entry.maxImages !== undefined
        ? { set: { index: entry.images.findIndex((image) => image.uri === uri.toString()) + 1, maxImages: entry.maxImages } }
        : {}),
    });
  return { byteLength: stat.size, info, metadata, historyEntryId: entry?.id };
}

/** The first bytes of a file: only those on a local disk; other file systems can only give the whole file. */
async function readHead(uri: vscode.Uri, length: number): Promise<Uint8Array> {
  if (uri.scheme !== 'file') {
    return (await vscode.workspace.fs.readFile(uri)).subarray(0, length);
  }
  const { open } = await import('node:fs/promises');
  const file = await open(uri.fsPath, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
