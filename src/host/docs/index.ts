/** The docs workflow: links to missing images marked and made, and existing images explained on hover. */

import * as vscode from 'vscode';
import type { HistoryStore } from '../studio/historyStore';
import { registerImageHover } from './imageHover';
import { registerMissingImageActions } from './missingImageActions';
import { registerMissingImageDiagnostics } from './missingImageDiagnostics';
import { MissingImageIndex } from './missingImageIndex';

export function registerDocsFeatures(history: HistoryStore): vscode.Disposable {
  const index = new MissingImageIndex();
  return vscode.Disposable.from(registerMissingImageDiagnostics(index), registerMissingImageActions(index), registerImageHover(history), index);
}
