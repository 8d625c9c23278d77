/**
 * The generations of this workspace, kept in `workspaceState` for the Studio's history. Every front end's
 * runs are recorded (through `ImageGenerator.onDidGenerate`), so "Open in Studio" after a command shows them.
 */

import { randomId } from '../../core/files/random';
import * as vscode from 'vscode';
import type { GenerationRecord } from '../generation';
import { addToSpending, parseSpending, type Spending } from '../../core/cost/spending';
import { formOfInput, parseStoredHistory, withNewEntry, type StoredEntry } from './historyEntries';

const STORAGE_KEY = 'seedream.studio.history';
/** The running total of what this workspace's runs were billed; kept apart, as the history keeps only the last runs. */
const SPENDING_KEY = 'seedream.studio.spending';

export class HistoryStore implements vscode.Disposable {
  private readonly recorded = new vscode.EventEmitter<string | undefined>();
  /**
   * Fires with the id of each new entry (undefined when only the total changed: a billed run that saved no
   * image), synchronously within the run's own `onDidGenerate`: a listener can still tell which front end's run it was.
   */
  readonly onDidRecord = this.recorded.event;
  private current: StoredEntry[];
  private spent: Spending | undefined;

  constructor(private readonly memento: vscode.Memento) {
    this.current = parseStoredHistory(memento.get<unknown>(STORAGE_KEY));
    this.spent = parseSpending(memento.get<unknown>(SPENDING_KEY));
  }

  /** Newest first. */
  entries(): readonly StoredEntry[] {
    return this.current;
  }

  /** What this workspace's runs were billed so far; undefined before the first. */
  spending(): Spending | undefined {
    return this.spent;
  }

  /** Adds the run at once (to the total; to the history when it saved an image) and resolves when it is stored. */
  record({ input, result, date, generator, billed }: GenerationRecord): Thenable<void> {
    const { outcome } = result;
    this.spent = addToSpending(this.spent, billed, date.getTime());
    const spendingStored = this.memento.update(SPENDING_KEY, this.spent);
    if (outcome.saved.length === 0) {
      this.recorded.fire(undefined);
      return spendingStored;
    }
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
      billed,
      ...(outcome.references.length > 0 ? { references: outcome.references } : {}),
      ...(result.request.maxImages !== undefined ? { maxImages: result.request.maxImages } : {}),
    };
    this.current = withNewEntry(this.current, entry);
    this.recorded.fire(entry.id);
    return Promise.all([spendingStored, this.memento.update(STORAGE_KEY, this.current)]).then(() => undefined);
  }

  dispose(): void {
    this.recorded.dispose();
  }
}
