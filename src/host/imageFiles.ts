/**
 * Saves verified image streams into a workspace folder. Local folders get the streaming writer; every
 * other file system (remote, virtual) goes through `workspace.fs`, which has no streaming write. Both
 * write a temporary file first and never overwrite an existing name.
 */

import * as vscode from 'vscode';
import type { ImageInfo } from '../core/image/imageCheck';
import { candidateFileNames } from '../core/files/naming';
import type { ImagePayload, ImageSink } from '../engine/pipeline';
import { fileNameOf } from '../core/files/posixPath';
import { savedImageRecord, type SavedImageRecord } from '../core/image/savedImage';
import { temporaryFileName } from '../core/files/temporaryName';
import { loadEngine } from './engineLoader';

export interface SavedImage extends SavedImageRecord {
  readonly uri: vscode.Uri;
}

/** Candidate file names for one image, best first, unbounded. */
export type NameCandidates = (payload: ImagePayload, info: ImageInfo) => Iterable<string>;

export function workspaceImageSink(folder: vscode.Uri, names: NameCandidates): ImageSink<SavedImage> {
  if (folder.scheme === 'file') {
    const local = loadEngine().localFolderSink(folder.fsPath, names);
    return {
      async save(payload, signal) {
        const { path, ...saved } = await local.save(payload, signal);
        return { ...saved, uri: vscode.Uri.file(path) };
      },
    };
  }
  return {
    async save(payload, signal) {
      const bytes = await collect(payload.chunks, signal);
      const uri = await writeNewFile(folder, bytes, names(payload, payload.info()));
      return { ...savedImageRecord(payload), uri };
    },
  };
}

async function writeNewFile(folder: vscode.Uri, bytes: Uint8Array, names: Iterable<string>): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(folder);
  const temporary = vscode.Uri.joinPath(folder, temporaryFileName());
  try {
    await vscode.workspace.fs.writeFile(temporary, bytes);
    for (const name of names) {
      const target = vscode.Uri.joinPath(folder, name);
      try {
        await vscode.workspace.fs.rename(temporary, target, { overwrite: false });
        return target;
      } catch (error) {
        if (!(error instanceof vscode.FileSystemError && error.code === 'FileExists')) {
          throw error;
        }
      }
    }
    throw new Error('no free file name'); // unreachable: the candidates are unbounded
  } finally {
    await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) {
    signal.throwIfAborted();
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** Moves a kept image into `folder` under its own name, or the first free variant of it. */
export async function moveIntoFolder(source: vscode.Uri, folder: vscode.Uri): Promise<vscode.Uri> {
  const name = fileNameOf(source.path);
  const dot = name.lastIndexOf('.');
  const target = await writeNewFile(
    folder,
    await vscode.workspace.fs.readFile(source),
    candidateFileNames(name.slice(0, dot), name.slice(dot + 1)),
  );
  await vscode.workspace.fs.delete(source);
  return target;
}
