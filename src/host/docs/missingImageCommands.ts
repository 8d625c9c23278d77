/**
 * Seedream: Generate Missing Image (one link, from a Quick Fix or CodeLens) and Generate All Missing Images
 * (a file or the workspace): a preview to untick what not to make, then a bounded number of requests at a
 * time under one progress bar, and a summary.
 */

import * as vscode from 'vscode';
import { runBounded } from '../../core/concurrency/boundedPool';
import { errorMessage, isCancellation } from '../../core/errors/errors';
import type { MakeableImage } from '../../core/links/missingImage';
import { fileNameOf } from '../../core/files/posixPath';
import { runCostItem, type CostItem } from '../../core/cost/pricing';
import { imageCount } from '../../core/text/imageCount';
import type { Command, CommandServices } from '../commands/commandManager';
import { agreeToWorkspaceBill } from '../commands/workspaceBill';
import { agreeToCost, batchCostText } from '../cost';
import { refreshDocsSites } from '../docsSites';
import { lastActiveEditor } from '../activeEditor';
import { readMissingImageSettings, readSettings } from '../config';
import { checkedRequest, type ImageGenerator } from '../generation';
import { log, logChannel } from '../log';
import { offerRescuedImages, showError } from '../notifications';
import {
  docsSyntax,
  fileExists,
  fileHasMissingImage,
  missingImageLinks,
  workspaceDocumentsWhere,
  type DocumentImageLink,
} from './documentLinks';
import { linkForCommand, parseLinkArguments } from './linkArguments';
import { generateLinkedImage, missingImageInput, relink } from './linkedImageGeneration';
import { planFor } from './missingImagePlans';

/** The services the missing-image commands use. */
export type MissingImageServices = Pick<CommandServices, 'generator' | 'keys'>;

export class GenerateMissingImageCommand implements Command {
  static readonly id = 'seedream.generateMissingImage';

  constructor(private readonly services: CommandServices) {}

  async execute(raw?: unknown): Promise<vscode.Uri | undefined> {
    try {
      const link = await linkForCommand(raw);
      if (!link) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Put the cursor on an image link whose file does not exist yet, then run "Seedream: Generate Missing Image".'),
        );
        return undefined;
      }
      if (await fileExists(link.target)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} exists already.', link.reference.path));
        return undefined;
      }
      const model = parseLinkArguments(raw)?.model;
      // One image, as missingImageInput makes it, of the model the link's arguments name or the setting's.
      if (!(await agreeToWorkspaceBill(link.document.uri, (settings) => ({ n: 1, model: model ?? settings.model, size: settings.size })))) {
        return undefined;
      }
      const made = await generateLinkedImage(this.services.generator, link, model, {});
      if (!made) {
        return undefined;
      }
      offerRescuedImages(made.result);
      const name = vscode.workspace.asRelativePath(made.image.uri);
      const open = vscode.l10n.t('Open');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Generated {0} from “{1}”.', name, link.reference.prompt), open)
        .then((choice) => {
          if (choice === open) {
            void vscode.commands.executeCommand('vscode.open', made.image.uri, { viewColumn: vscode.ViewColumn.Beside });
          }
        });
      return made.image.uri;
    } catch (error) {
      void showError(error, () => this.execute(raw));
      return undefined;
    }
  }
}

/** Generate All Missing Images, in one file or in the whole workspace. */
abstract class GenerateAllMissingImages implements Command {
  protected abstract readonly scope: 'file' | 'workspace';

  constructor(private readonly services: CommandServices) {}

  async execute(raw?: unknown): Promise<BatchSummary | undefined> {
    const { scope } = this;
    try {
      // Where a root-absolute link points depends on the docs site: known for sure before links are judged missing.
      await refreshDocsSites();
      const documents = scope === 'workspace' ? await workspaceDocuments() : await fileDocument(raw);
      if (documents.length === 0) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Open a Markdown, MDX, reStructuredText, AsciiDoc or HTML file to generate its missing images.'),
        );
        return undefined;
      }
      return await generateAll(this.services, documents, scope);
    } catch (error) {
      void showError(error);
      return undefined;
    }
  }
}

export class GenerateAllMissingImagesInFileCommand extends GenerateAllMissingImages {
  static readonly id = 'seedream.generateAllMissingImages';
  protected readonly scope = 'file';
}

export class GenerateAllMissingImagesInWorkspaceCommand extends GenerateAllMissingImages {
  static readonly id = 'seedream.generateAllMissingImagesInWorkspace';
  protected readonly scope = 'workspace';
}

/** One image to make, for every link that names its file. */
export interface MissingImageItem extends vscode.QuickPickItem {
  readonly links: readonly DocumentImageLink[];
  readonly plan: MakeableImage;
}

export interface BatchSummary {
  readonly made: readonly vscode.Uri[];
  readonly skipped: number;
  readonly failed: number;
  /** Why each failed image failed, by the file its link names. */
  readonly failures: readonly BatchFailure[];
}

export interface BatchFailure {
  readonly target: vscode.Uri;
  readonly message: string;
}

async function generateAll(
  services: MissingImageServices,
  documents: readonly vscode.TextDocument[],
  scope: 'file' | 'workspace',
): Promise<BatchSummary | undefined> {
  const { items, unmakeable } = await findMissingImages(documents, scope);
  if (items.length === 0) {
    const nothing =
      scope === 'file'
        ? vscode.l10n.t('No missing images to generate in {0}.', vscode.workspace.asRelativePath(documents[0].uri))
        : vscode.l10n.t('No missing images to generate in the workspace.');
    const note =
      unmakeable.length === 0
        ? ''
        : unmakeable.length === 1
          ? vscode.l10n.t('1 link cannot be generated as written: see the Problems view.')
          : vscode.l10n.t('{0} links cannot be generated as written: see the Problems view.', unmakeable.length);
    void vscode.window.showInformationMessage([nothing, note].filter(Boolean).join(' '));
    return undefined;
  }
  const settingsScope = documents[0].uri;
  const picked = await pickImages(items, (selected) => batchCostText(settingsScope, missingImagesBill(selected)));
  if (!picked || picked.length === 0) {
    return undefined;
  }
  const summary = await generateMissingImages(services, picked, documents[0].uri);
  if (!summary) {
    return undefined;
  }
  const skipped = items.length - picked.length + unmakeable.length + summary.skipped;
  void showSummary({ ...summary, skipped });
  return { ...summary, skipped };
}

/** The missing images of `documents`, one per file however many links name it, and the links that cannot be made as written. */
export async function findMissingImages(
  documents: readonly vscode.TextDocument[],
  scope: 'file' | 'workspace',
): Promise<{ readonly items: readonly MissingImageItem[]; readonly unmakeable: readonly DocumentImageLink[] }> {
  return groupByFile((await Promise.all(documents.map(missingImageLinks))).flat(), scope);
}

/**
 * Makes `items` (checked first, the key asked for once), a few at a time under one cancellable progress
 * notification; `signal` cancels as that notification's Cancel does. Undefined when no key was given.
 */
export async function generateMissingImages(
  services: MissingImageServices,
  items: readonly MissingImageItem[],
  scope: vscode.Uri,
  signal?: AbortSignal,
): Promise<BatchSummary | undefined> {
  // A bad setting would fail every request alike: say so once, before anything is billed.
  items.forEach((item) => checkedRequest(missingImageInput(item.links[0], item.plan), readSettings(item.links[0].document.uri).baseUrl));
  // Asked once for the whole batch (above seedream.confirmAbove), not by each of its runs.
  if (!(await agreeToCost(scope, missingImagesBill(items)))) {
    return undefined;
  }
  // Asked once here, not by each of the concurrent runs.
  if (!(await services.keys.keyFor(readSettings(scope).baseUrl))) {
    return undefined;
  }
  const concurrency = readMissingImageSettings(scope).concurrency;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Seedream: generating missing images'), cancellable: true },
    (progress, token) => runBatch(services.generator, items, concurrency, progress, token, signal),
  );
}

async function runBatch(
  generator: ImageGenerator,
  items: readonly MissingImageItem[],
  concurrency: number,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
  signal: AbortSignal | undefined,
): Promise<BatchSummary> {
  const stop = new AbortController();
  let finished = 0;
  let failed = 0;
  let running = 0;
  // Cancel closes the notification it was pressed in; the images already billed then report in a new one.
  let current = progress;
  const report = (): void => {
    const state = stop.signal.aborted
      ? running === 1
        ? vscode.l10n.t('Cancelled: saving the image already billed…')
        : vscode.l10n.t('Cancelled: saving the {0} images already billed…', running)
      : failed > 0
        ? vscode.l10n.t('{0} of {1} done, {2} failed…', finished, items.length, failed)
        : vscode.l10n.t('{0} of {1} done…', finished, items.length);
    current.report({ message: state });
  };
  let batchEnded = (): void => undefined;
  const ended = new Promise<void>((resolve) => (batchEnded = resolve));
  const cancel = (): void => {
    if (stop.signal.aborted) {
      return;
    }
    stop.abort();
    if (running > 0) {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Seedream' }, (finishing) => {
        current = finishing;
        report();
        return ended;
      });
    }
  };
  token.onCancellationRequested(cancel);
  if (signal?.aborted) {
    cancel();
  }
  signal?.addEventListener('abort', cancel, { once: true });
  report();
  const results = await runBounded(
    items,
    concurrency,
    async (item) => {
      running++;
      try {
        return await makeItem(generator, item);
      } catch (error) {
        failed++;
        throw error;
      } finally {
        running--;
        finished++;
        current.report({ increment: 100 / items.length });
        report();
      }
    },
    stop.signal,
  ).finally(batchEnded);
  const made: vscode.Uri[] = [];
  const failures: BatchFailure[] = [];
  let skipped = 0;
  results.forEach((result, position) => {
    const path = items[position].links[0].reference.path;
    if (result.status === 'done' && result.value) {
      made.push(result.value);
    } else if (result.status === 'failed' && !isCancellation(result.error)) {
      failures.push({ target: items[position].links[0].target, message: errorMessage(result.error) });
      log.warn(`Missing image ${path} failed: ${errorMessage(result.error)}`);
    } else {
      skipped++;
      log.info(
        `Missing image ${path} skipped: ${result.status === 'notStarted' ? 'the batch was cancelled' : 'it exists already or the run was abandoned'}.`,
      );
    }
  });
  return { made, skipped, failed: failures.length, failures };
}

/** The saved image, or undefined when there was nothing to do (the file appeared meanwhile). */
async function makeItem(generator: ImageGenerator, item: MissingImageItem): Promise<vscode.Uri | undefined> {
  const [first, ...others] = item.links;
  if (await fileExists(first.target)) {
    return undefined;
  }
  const made = await generateLinkedImage(generator, first, item.plan.model, { onProgress: () => undefined, costAgreed: true });
  if (!made) {
    return undefined;
  }
  offerRescuedImages(made.result);
  if (made.image.uri.toString() !== first.target.toString() && others.length > 0) {
    await relink(
      others.map((link) => link.document),
      first.target,
      made.image.uri,
    );
  }
  return made.image.uri;
}

function groupByFile(
  links: readonly DocumentImageLink[],
  scope: 'file' | 'workspace',
): { items: MissingImageItem[]; unmakeable: DocumentImageLink[] } {
  const byTarget = new Map<string, DocumentImageLink[]>();
  for (const link of links) {
    const key = link.target.toString();
    byTarget.set(key, [...(byTarget.get(key) ?? []), link]);
  }
  const items: MissingImageItem[] = [];
  const unmakeable: DocumentImageLink[] = [];
  for (const group of byTarget.values()) {
    const plan = planFor(group[0]);
    if (!plan.ok) {
      unmakeable.push(group[0]);
      continue;
    }
    const places = group.map(
      (link) =>
        `${scope === 'workspace' ? vscode.workspace.asRelativePath(link.document.uri) : fileNameOf(link.document.uri.path)}:${link.range.start.line + 1}`,
    );
    items.push({
      label: group[0].reference.path,
      description: plan.prompt,
      detail: places.join(', '),
      picked: true,
      links: group,
      plan,
    });
  }
  return { items, unmakeable };
}

/** What the batch may bill: each item's run, of the model its link asks for. */
export function missingImagesBill(items: readonly MissingImageItem[]): CostItem[] {
  return items.map((item) => runCostItem(item.plan.model, missingImageInput(item.links[0], item.plan)));
}

/** The preview: every image ticked, the count that will be billed and its cost kept up to date. */
function pickImages(
  items: readonly MissingImageItem[],
  costOf: (selected: readonly MissingImageItem[]) => string,
): Promise<readonly MissingImageItem[] | undefined> {
  const quickPick = vscode.window.createQuickPick<MissingImageItem>();
  quickPick.title = vscode.l10n.t('Generate Missing Images');
  quickPick.canSelectMany = true;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = items;
  quickPick.selectedItems = items;
  const describe = (selected: readonly MissingImageItem[]): void => {
    const count = selected.length;
    quickPick.placeholder = vscode.l10n.t(
      '{0} of {1} selected · {2} will be billed ({3}) · Enter to generate',
      count,
      items.length,
      imageCount(count),
      costOf(selected),
    );
  };
  describe(items);
  return new Promise((resolve) => {
    let chosen: readonly MissingImageItem[] | undefined;
    quickPick.onDidChangeSelection((selection) => describe(selection));
    quickPick.onDidAccept(() => {
      chosen = quickPick.selectedItems;
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(chosen);
    });
    quickPick.show();
  });
}

async function showSummary({ made, skipped, failed }: BatchSummary): Promise<void> {
  const parts = [
    vscode.l10n.t('{0} made', made.length),
    ...(skipped > 0 ? [vscode.l10n.t('{0} skipped', skipped)] : []),
    ...(failed > 0 ? [vscode.l10n.t('{0} failed', failed)] : []),
  ];
  const message = vscode.l10n.t('Missing images: {0}.', parts.join(vscode.l10n.t(', ')));
  log.info(message);
  const showLog = vscode.l10n.t('Show Log');
  const show = failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(message, ...(failed > 0 || skipped > 0 ? [showLog] : []));
  if (choice === showLog) {
    logChannel().show(true);
  }
}

async function fileDocument(raw: unknown): Promise<vscode.TextDocument[]> {
  const uri =
    typeof raw === 'object' && raw !== null && typeof (raw as { uri?: unknown }).uri === 'string'
      ? vscode.Uri.parse((raw as { uri: string }).uri, true)
      : undefined;
  const document = uri ? await vscode.workspace.openTextDocument(uri) : lastActiveEditor()?.document;
  return document && docsSyntax(document) ? [document] : [];
}

/** The docs files of the workspace with a missing image (dependencies and build output left out). */
export function workspaceDocuments(): Promise<vscode.TextDocument[]> {
  return workspaceDocumentsWhere(fileHasMissingImage);
}
