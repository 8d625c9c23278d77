/**
 * The generations of this workspace, kept in `workspaceState` for the Studio's history. Every front end's
 * runs are recorded (through `ImageGenerator.onDidGenerate`), so "Open in Studio" after a command shows them.
 */

import { randomId } from '../../core/files/random';
import * as vscode from 'vscode';
import type { GenerationRecord } from '../generation';
import { formOfInput, parseStoredHistory, withNewEntry, type StoredEntry } from './historyEntries';

const STORAGE_KEY = 'seedream.studio.history';

export class HistoryStore implements vscode.Disposable {
  private readonly recorded = new vscode.EventEmitter<string>();
  /**
   * Fires with the id of each new entry, synchronously within the run's own `onDidGenerate`: a listener can
   * still tell which front end's run it was.
   */
  readonly onDidRecord = this.recorded.event;
  private current: StoredEntry[];

  constructor(private readonly memento: vscode.Memento) {
    this.current = parseStoredHistory(memento.get<unknown>(STORAGE_KEY));
  }

  /** Newest first. */
  entries(): readonly StoredEntry[] {
    return this.current;
  }

  /** Adds the run at once and resolves when it is stored. */
  record({ input, result, date, generator }: GenerationRecord): Thenable<void> {
    const { outcome } = result;
    const entry: StoredEntry = {
      id: randomId(),
      createdAt: date.getTime(),
      input: formOfInput(input),
      images: outcome.saved.map(({ uri, info }) => ({
        uri: uri.toString(),
        ...(info.width === undefined ? {} : { width: info.width }),
        ...(info.height === undefined ? {} : { height: info.height }),
        format: info.format,
        byteLength: info.byteLength,
      })),
      // A set with fewer images than its most is complete; only failed ones count as not saved.
      notSaved:
        result.request.maxImages !== undefined
          ? outcome.failures.length + outcome.rescued.length
          : outcome.requested - outcome.saved.length,
      generator,
      ...(outcome.references.length > 0 ? { references: outcome.references } : {}),
      ...(result.request.maxImages !== undefined ? { maxImages: result.request.maxImages } : {}),
    };
    this.current = withNewEntry(this.current, entry);
    this.recorded.fire(entry.id);
    return this.memento.update(STORAGE_KEY, this.current);
  }

  dispose(): void {
    this.recorded.dispose();
  }
}
