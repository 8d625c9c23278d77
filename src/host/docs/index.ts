/** The docs workflow: links to missing images marked and made, and existing images explained on hover. */

import * as vscode from 'vscode';
import { onDidChangeDocsSites } from '../docsSites';
import type { ImageGenerator } from '../generation';
import type { HistoryStore } from '../studio/historyStore';
import { registerImageHover } from './imageHover';
import { registerMissingImageActions } from './missingImageActions';
import { registerMissingImageDiagnostics } from './missingImageDiagnostics';
import { MissingImageIndex } from './missingImageIndex';

export function registerDocsFeatures(generator: ImageGenerator, history: HistoryStore): vscode.Disposable {
  const index = new MissingImageIndex();
  return vscode.Disposable.from(
    // Our own new files are known at once; the file watcher (which may lag, or miss remote folders) catches the rest.
    generator.onDidGenerate(() => index.rescanAll()),
    // A docs site found or changed moves where root-absolute links point.
    onDidChangeDocsSites(() => index.rescanAll()),
    registerMissingImageDiagnostics(index),
    registerMissingImageActions(index),
    registerImageHover(history),
    index,
  );
}
