/**
 * Which image links of the open documents name files that do not exist, kept current as documents are
 * edited and image files appear or go. Diagnostics and CodeLenses both read it, so each document is
 * scanned and its files checked once per change.
 */

import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors/errors';
import { log } from '../log';
import { docsSyntax, missingImageLinks, type DocumentImageLink } from './documentLinks';

/** Typing should not rescan on every key. */
const RESCAN_DELAY_MS = 300;

export class MissingImageIndex implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a document whose missing links changed (or may have). */
  readonly onDidChange = this.changed.event;
  private readonly missing = new Map<string, readonly DocumentImageLink[]>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Guards against an older scan finishing after a newer one. */
  private readonly generation = new Map<string, number>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,PNG,JPG,JPEG}', false, true, false);
    this.disposables = [
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.rescanAll()),
      watcher.onDidDelete(() => this.rescanAll()),
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument(
        (event) => event.contentChanges.length > 0 && this.schedule(event.document, RESCAN_DELAY_MS),
      ),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    ];
    this.rescanAll();
  }

  /** The missing links of `document` as last scanned (empty until the first scan ends). */
  linksOf(document: vscode.TextDocument): readonly DocumentImageLink[] {
    return this.missing.get(document.uri.toString()) ?? [];
  }

  /** Scans `document` now and returns its missing links. */
  async scan(document: vscode.TextDocument): Promise<readonly DocumentImageLink[]> {
    const key = document.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    const links = await missingImageLinks(document);
    if (this.generation.get(key) === generation && !document.isClosed) {
      this.missing.set(key, links);
      this.changed.fire(document.uri);
    }
    return links;
  }

  /** Every open document again, e.g. after an image file appeared or a setting changed. */
  rescanAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      this.schedule(document, RESCAN_DELAY_MS);
    }
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!docsSyntax(document)) {
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.scan(document).catch((error: unknown) =>
          log.warn(`Could not check the image links of ${document.uri.toString(true)}: ${errorMessage(error)}`),
        );
      }, delay),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.generation.delete(key);
    if (this.missing.delete(key)) {
      this.changed.fire(uri);
    }
  }

  dispose(): void {
    this.pending.forEach((timer) => clearTimeout(timer));
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
