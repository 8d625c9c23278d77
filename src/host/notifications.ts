/** What the user is told after a run: the result with its actions, or the error with its fix. */

import * as vscode from 'vscode';
import { errorButtons } from '../core/errors/errorButtons';
import { errorMessage, SeedreamError, type ErrorAction } from '../core/errors/errors';
import { fileNameOf } from '../core/files/posixPath';
import { imageCount } from '../core/text/imageCount';
import { SetApiKeyCommand } from './commands/apiKey';
import { OpenStudioCommand } from './commands/openStudio';
import { openSettings } from './config';
import type { GenerationResult } from './generation';
import { moveIntoFolder } from './imageFiles';
import { insertImageLinks } from './linkInsertion';
import { logChannel } from './log';

/** Shows an error with the button that fixes it; `retry` reruns the same request. */
export async function showError(error: unknown, retry?: () => unknown): Promise<void> {
  if (error instanceof SeedreamError && error.kind === 'cancelled') {
    return;
  }
  const message = errorMessage(error);
  const buttons = errorButtons(error instanceof SeedreamError ? error.details : {}, retry !== undefined);
  logChannel().error(message);
  const choice = await vscode.window.showErrorMessage(message, ...buttons.map((button) => button.label));
  const setting = error instanceof SeedreamError ? error.details.setting : undefined;
  await runAction(buttons.find((button) => button.label === choice)?.action, retry, setting);
}

async function runAction(action: ErrorAction | undefined, retry?: () => unknown, setting?: string): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(SetApiKeyCommand.id);
      break;
    case 'openSettings':
      await openSettings(setting);
      break;
    case 'retry':
      await retry?.();
      break;
    case 'showLog':
      logChannel().show(true);
      break;
  }
}

/** Summarises a finished run and offers Open / Reveal / Insert / Copy Path for its images, and the Studio for the rest. */
export async function showResult(
  result: GenerationResult,
  altText: string,
  insertTarget: () => vscode.TextEditor | undefined,
): Promise<void> {
  const { outcome } = result;
  const images = outcome.saved.map((image) => image.uri);
  const where = vscode.workspace.asRelativePath(result.folder);
  const names = images.map((uri) => fileNameOf(uri.path)).join(', ');
  const failures = outcome.failures.map((failure) => vscode.l10n.t('image {0}: {1}', failure.index + 1, failure.message));
  if (outcome.interruption && outcome.interruption.kind !== 'cancelled') {
    failures.push(outcome.interruption.message);
  }
  offerRescuedImages(result);
  if (images.length === 0) {
    if (outcome.rescued.length > 0) {
      return;
    }
    await showError(new SeedreamError('server', vscode.l10n.t('No image was saved. {0}', failures.join(' ')), { action: 'showLog' }));
    return;
  }
  const saved =
    outcome.requested === images.length
      ? images.length === 1
        ? vscode.l10n.t('Image saved to {0}: {1}.', where, names)
        : vscode.l10n.t('{0} images saved to {1}: {2}.', images.length, where, names)
      : vscode.l10n.t('{0} of {1} images saved to {2}: {3}.', images.length, outcome.requested, where, names);
  const summary = failures.length > 0 ? vscode.l10n.t('{0} Not saved: {1}', saved, failures.join(vscode.l10n.t('; '))) : saved;
  // Copy Link, Delete and the rest live in the Studio, which shows this run.
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal');
  const insert = vscode.l10n.t('Insert');
  const copyPath = vscode.l10n.t('Copy Path');
  const openInStudio = vscode.l10n.t('Open in Studio');
  const buttons = [open, reveal, ...(insertTarget() ? [insert] : []), copyPath, openInStudio];
  const show = failures.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(summary, ...buttons);
  switch (choice) {
    case open:
      await Promise.all(
        images.map((uri, i) => vscode.commands.executeCommand('vscode.open', uri, { preview: i === 0 && images.length === 1 })),
      );
      break;
    case reveal:
      await vscode.commands.executeCommand('revealInExplorer', images[0]);
      break;
    case insert: {
      const editor = insertTarget();
      if (editor) {
        await insertImageLinks(editor.document, images, altText, { kind: 'cursor', position: editor.selection.active });
      }
      break;
    }
    case copyPath:
      await vscode.env.clipboard.writeText(images.map((uri) => (uri.scheme === 'file' ? uri.fsPath : uri.toString())).join('\n'));
      break;
    case openInStudio:
      await vscode.commands.executeCommand(OpenStudioCommand.id);
      break;
  }
}

/** Offers to put the images the output folder refused (kept in the extension's storage) where they belong. */
export function offerRescuedImages({ outcome, folder }: GenerationResult): void {
  if (outcome.rescued.length > 0) {
    void offerRescue(
      folder,
      outcome.rescued.map((image) => image.saved.uri),
      outcome.rescued[0].reason,
    );
  }
}

/** Images the output folder refused are kept in the extension's storage until the user puts them somewhere. */
async function offerRescue(folder: vscode.Uri, kept: readonly vscode.Uri[], reason: string): Promise<void> {
  const folderName = vscode.workspace.asRelativePath(folder);
  const retry = vscode.l10n.t('Retry Save');
  const elsewhere = vscode.l10n.t('Save to Folder…');
  const choice = await vscode.window.showWarningMessage(
    kept.length === 1
      ? vscode.l10n.t(
          "An image could not be saved to {0} ({1}). Nothing is lost: the image is kept in the extension's storage.",
          folderName,
          reason,
        )
      : vscode.l10n.t(
          "{0} could not be saved to {1} ({2}). Nothing is lost: the images are kept in the extension's storage.",
          imageCount(kept.length),
          folderName,
          reason,
        ),
    retry,
    elsewhere,
  );
  const target =
    choice === retry
      ? folder
      : choice === elsewhere
        ? (
            await vscode.window.showOpenDialog({
              canSelectFolders: true,
              canSelectFiles: false,
              openLabel: vscode.l10n.t('Save Here'),
              defaultUri: folder,
            })
          )?.[0]
        : undefined;
  if (!target) {
    return;
  }
  const remaining: vscode.Uri[] = [];
  const moved: vscode.Uri[] = [];
  let failure = reason;
  for (const image of kept) {
    try {
      moved.push(await moveIntoFolder(image, target));
    } catch (error) {
      remaining.push(image);
      failure = errorMessage(error);
    }
  }
  if (moved.length > 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Saved to {0}: {1}.', vscode.workspace.asRelativePath(target), moved.map((uri) => fileNameOf(uri.path)).join(', ')),
    );
  }
  if (remaining.length > 0) {
    await offerRescue(target, remaining, failure);
  }
}
