/** The pieces the tools' confirmations and results are made of. */

import * as vscode from 'vscode';
import { describeCost, describeCostSource, describeRunCost, estimateCost, type CostItem } from '../../core/cost/pricing';
import { errorMessage, SeedreamError } from '../../core/errors/errors';
import type { ModelInfo } from '../../core/model/catalog';
import type { WorkspacePath } from '../../core/tools/toolInput';
import type { GenerationOutcome } from '../../engine/pipeline';
import { readCostSettings } from '../config';
import { loadEngine } from '../engineLoader';
import type { SavedImage } from '../imageFiles';
import { log } from '../log';
import { realPathOutside } from '../workspaceContainment';
import { workspacePathOf } from '../workspacePaths';
import { resultsCarryImages, type PreparedToolInvocation } from './languageModelApi';

/** The longest side of a thumbnail in a result: enough for a model to see what was made, never the image itself. */
export const THUMBNAIL_SIDE = 256;

export interface BillDetails {
  /** What the call may bill: a run's {@link runCostItem}, or a batch's runs. */
  readonly bill: readonly CostItem[];
  /** An image set: the model decides how many, at most what `bill` counts. */
  readonly upTo?: boolean;
  readonly model: ModelInfo;
  /** As requested: a tier or WxH. */
  readonly size: string;
  /** Workspace-relative, one per image. */
  readonly files: readonly string[];
  /** The reference images sent with the prompt, in order: workspace-relative paths or addresses. */
  readonly references?: readonly string[];
  readonly prompt?: string;
  readonly note?: string;
}

/** What a chat asks before a tool bills: how many images, of which model and size, into which files. */
export function confirmation(title: string, details: BillDetails): { title: string; message: vscode.MarkdownString } {
  const message = new vscode.MarkdownString();
  const estimate = estimateCost(readCostSettings().pricing, details.bill);
  const images = details.upTo
    ? vscode.l10n.t('up to {0} images', estimate.images)
    : estimate.images === 1
      ? vscode.l10n.t('1 image')
      : vscode.l10n.t('{0} images', estimate.images);
  message.appendMarkdown(`**${images}** · ${details.model.label} (\`${details.model.id}\`) · **${details.size}**\n\n`);
  const [run, ...others] = details.bill;
  const cost =
    run && others.length === 0 ? describeRunCost(run, estimate, vscode.env.language) : describeCost(estimate, vscode.env.language);
  message.appendText(`${cost}: ${describeCostSource(estimate)} `);
  message.appendText(vscode.l10n.t('Each image is billed to your Seedream API account.'));
  if (details.upTo) {
    message.appendText(' ' + vscode.l10n.t('The estimate is for the most images the set may make; it is billed for those it makes.'));
  }
  message.appendMarkdown('\n\n');
  for (const file of details.files) {
    message.appendMarkdown('- ');
    message.appendText(file);
    message.appendMarkdown('\n');
  }
  if (details.references && details.references.length > 0) {
    message.appendMarkdown('\n');
    message.appendText(vscode.l10n.t('Reference images sent to the API with the prompt:'));
    message.appendMarkdown('\n');
    details.references.forEach((reference, i) => {
      message.appendMarkdown(`${i + 1}. `);
      message.appendText(reference);
      message.appendMarkdown('\n');
    });
  }
  if (details.note) {
    message.appendMarkdown('\n');
    message.appendText(details.note);
    message.appendMarkdown('\n');
  }
  if (details.prompt) {
    message.appendMarkdown('\n');
    message.appendText(vscode.l10n.t('Prompt: {0}', details.prompt));
  }
  return { title, message };
}

/** How many images the run billed: as the API reported, else each image it delivered. */
export function describeBill(outcome: GenerationOutcome<SavedImage>): string {
  const reported = outcome.usage?.generatedImages;
  if (reported !== undefined) {
    return vscode.l10n.t('Billed: {0} image(s), as the API reported.', reported);
  }
  const delivered =
    outcome.saved.length + outcome.rescued.length + outcome.failures.filter((failure) => failure.cancelled || failure.remoteUrl).length;
  return vscode.l10n.t('Billed: {0} image(s), one for each image the API delivered.', delivered);
}

/** One line per saved file (its workspace-relative path, real size and format), each followed by its notes (its link, its place in a set). */
export function savedImageLines(saved: readonly SavedImage[], notesFor: (image: SavedImage) => readonly string[]): string[] {
  return saved.map((image) => {
    const { width, height, format } = image.info;
    const size = width !== undefined && height !== undefined ? `${width}x${height}` : (image.reportedSize ?? vscode.l10n.t('size unknown'));
    return [`- ${workspacePathOf(image.uri)} (${size}, ${format.toUpperCase()})`, ...notesFor(image).map((note) => `  ${note}`)].join('\n');
  });
}

/** Small PNG thumbnails of `images`, where results can carry images; a file that cannot be read is left out. */
export async function thumbnailsOf(images: readonly vscode.Uri[]): Promise<{ data: Uint8Array; mimeType: string }[]> {
  if (!resultsCarryImages()) {
    return [];
  }
  const thumbnails: { data: Uint8Array; mimeType: string }[] = [];
  // One at a time: each decodes a whole image.
  for (const image of images) {
    try {
      const source = image.scheme === 'file' ? { path: image.fsPath } : { bytes: await vscode.workspace.fs.readFile(image) };
      thumbnails.push({ data: await loadEngine().thumbnail(source, THUMBNAIL_SIDE), mimeType: 'image/png' });
    } catch (error) {
      log.warn(`No thumbnail of ${image.toString(true)}: ${errorMessage(error)}`);
    }
  }
  return thumbnails;
}

/** Runs `task` with a signal that the tool's token aborts, as the progress notification's Cancel does. */
export async function withCancellation<T>(token: vscode.CancellationToken, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  try {
    return await task(controller.signal);
  } finally {
    listener.dispose();
  }
}

/** The names of the workspace folders, in order, as the tool inputs' paths may start with them. */
export function folderNames(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.name);
}

/** The file a parsed tool path names (parsing needs an open folder, so there is one). */
export function workspaceUri(path: WorkspacePath): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![path.folder].uri, ...path.segments);
}

/**
 * A document a tool reads or edits (`file`, `insertInto.file`): a path written inside the workspace may still
 * lead out through a symbolic link on the way, and is refused then, as reference images and output folders are.
 */
export async function workspaceDocumentUri(path: WorkspacePath, field: string): Promise<vscode.Uri> {
  const uri = workspaceUri(path);
  if ((await realPathOutside(uri, vscode.workspace.workspaceFolders![path.folder].uri)) !== undefined) {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t(
        '{0} {1} leads through a symbolic link out of the workspace folder: Seedream reads and edits only documents inside it. Name a document of the workspace.',
        field,
        workspacePathOf(uri),
      ),
    );
  }
  return uri;
}

/**
 * The invocation of a call whose plan failed. Input that is refused bills nothing, so nothing is asked and
 * the call answers with what to fix; any other failure may pass when the call runs, so the user is asked.
 */
export function unplannedInvocation(error: unknown, invocationMessage: string): PreparedToolInvocation {
  if (error instanceof SeedreamError && error.kind === 'invalidInput') {
    return { invocationMessage };
  }
  const message = new vscode.MarkdownString();
  message.appendText(
    vscode.l10n.t(
      'What this call makes could not be worked out ({0}). If it goes ahead, each image it makes is billed to your Seedream API account.',
      errorMessage(error),
    ),
  );
  return { invocationMessage, confirmationMessages: { title: vscode.l10n.t('Generate images with Seedream?'), message } };
}
