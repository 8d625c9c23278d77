/**
 * What the webview sees of saved files. It gets a `webview.asWebviewUri` address to show each one and an
 * opaque ref to act on it; a ref maps back only to files this panel was shown, so a message from the
 * webview can never name an arbitrary path to open, copy or delete.
 */

import { fileNameOf } from '../../core/files/posixPath';
import { randomId } from '../../core/files/random';
import * as vscode from 'vscode';
import { formReferencesOf, type HistoryEntryView, type ImageView } from '../../shared/protocol';
import type { StoredEntry, StoredImage } from './historyEntries';
import { referenceThumbs } from './studioReferences';
import { workspacePathUri } from '../workspacePaths';

export interface ImageTarget {
  readonly uri: vscode.Uri;
  /** The prompt, used as the alt text of links. */
  readonly altText: string;
}

export interface ImageOrigin {
  readonly altText: string;
  readonly seed?: number | undefined;
}

export class ImageRefs {
  private readonly targets = new Map<string, ImageTarget>();
  private readonly refsByUri = new Map<string, string>();

  constructor(private readonly webview: vscode.Webview) {}

  view(uri: vscode.Uri, file: Omit<StoredImage, 'uri'>, origin: ImageOrigin, missing = false): ImageView {
    const key = uri.toString();
    let ref = this.refsByUri.get(key);
    if (!ref) {
      ref = randomId();
      this.refsByUri.set(key, ref);
    }
    this.targets.set(ref, { uri, altText: origin.altText });
    const { width, height, format, byteLength } = file;
    return {
      ref,
      name: fileNameOf(uri.path),
      src: this.src(uri),
      ...(width === undefined ? {} : { width }),
      ...(height === undefined ? {} : { height }),
      format,
      byteLength,
      ...(origin.seed === undefined || origin.seed === -1 ? {} : { seed: origin.seed }),
      ...(missing ? { missing } : {}),
    };
  }

  /** The address the webview shows a file at; for files it only shows (previews), with no ref to act on. */
  src(uri: vscode.Uri): string {
    return this.webview.asWebviewUri(uri).toString();
  }

  target(ref: string): ImageTarget | undefined {
    return this.targets.get(ref);
  }

  entryView(entry: StoredEntry, missing: ReadonlySet<string>): HistoryEntryView {
    const origin = { altText: entry.input.prompt, seed: entry.input.seed };
    // The references as sent and the set's size are the run's record; the form takes them back as it sends them.
    const references = formReferencesOf(entry.references ?? []);
    return {
      id: entry.id,
      createdAt: entry.createdAt,
      input: {
        ...entry.input,
        ...(references.length > 0 ? { references } : {}),
        ...(entry.maxImages === undefined ? {} : { maxImages: entry.maxImages }),
      },
      references: referenceThumbs(references, missing, (uri) => this.src(uri)),
      images: entry.images.map((image) => this.view(vscode.Uri.parse(image.uri), image, origin, missing.has(image.uri))),
      notSaved: entry.notSaved,
      ...(entry.billed ? { billed: entry.billed } : {}),
    };
  }
}

/** The stored files of `entries`, images and reference images, that no longer exist. */
export async function missingFiles(entries: readonly StoredEntry[]): Promise<Set<string>> {
  const references = entries.flatMap((entry) =>
    (entry.references ?? []).flatMap((record) => {
      const uri = 'path' in record ? workspacePathUri(record.path) : undefined;
      return uri ? [uri.toString()] : [];
    }),
  );
  const uris = [...new Set([...entries.flatMap((entry) => entry.images.map((image) => image.uri)), ...references])];
  const exists = await Promise.all(
    uris.map((uri) =>
      Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.parse(uri))).then(
        () => true,
        () => false,
      ),
    ),
  );
  return new Set(uris.filter((_, i) => !exists[i]));
}
