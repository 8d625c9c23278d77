/**
 * Seedream: Edit Image… — one image edited by an instruction, or several fused into one (a multi-selection
 * in the Explorer). The result is a new file beside the (first) source, never over it; then Swap Link where
 * a document links the source, Compare and Open are offered.
 */

import * as vscode from 'vscode';
import { SeedreamError } from '../../core/errors/errors';
import { fileNameOf, parentPath } from '../../core/files/posixPath';
import { findModel } from '../../core/model/catalog';
import type { ReferenceImage, WorkspaceReference } from '../../core/model/references';
import { readSettings } from '../config';
import { documentsLinking, localImageLinks } from '../docs/documentLinks';
import { relink } from '../docs/linkedImageGeneration';
import { generationInput } from '../generation';
import { offerRescuedImages, showError, showResult } from '../notifications';
import { resolveReferences, type ReferenceSpec } from '../referenceImages';
import type { Command, CommandServices } from './commandManager';

/** Given by a caller that already knows what it wants (the Image Studio, another extension, a keybinding). */
export interface EditImageOptions {
  /** Asked for when absent. */
  readonly instruction?: string;
  /** Point every link to the source at the result at once, instead of offering Swap Link. */
  readonly swapLinks?: boolean;
}

/**
 * The images to edit, from the ways the command is invoked: the Explorer passes the clicked file and the
 * selection, an editor title the file, a hover link a URI string, the Studio a file URI (or several).
 */
function editTargets(first: unknown, second: unknown): ReferenceSpec[] {
  const spec = (value: unknown): ReferenceSpec | undefined =>
    value instanceof vscode.Uri ? value : typeof value === 'string' && value.trim() !== '' ? value : undefined;
  const list = (value: unknown): ReferenceSpec[] => (Array.isArray(value) ? value.map(spec).filter((entry) => entry !== undefined) : []);
  const selected = list(second);
  if (selected.length > 1) {
    return selected;
  }
  const given = Array.isArray(first) ? list(first) : [spec(first)].filter((entry) => entry !== undefined);
  if (given.length > 0) {
    return given;
  }
  const active = vscode.window.activeTextEditor?.document.uri ?? activeTabUri();
  return active ? [active] : [];
}

/** The file of the active tab (an image preview is a custom editor, not a text editor). */
function activeTabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
}

function optionsOf(...values: unknown[]): EditImageOptions {
  const found = values.find(
    (value): value is EditImageOptions =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri),
  );
  return {
    ...(typeof found?.instruction === 'string' ? { instruction: found.instruction } : {}),
    ...(found?.swapLinks === true ? { swapLinks: true } : {}),
  };
}

export class EditImageCommand implements Command {
  static readonly id = 'seedream.editImage';

  constructor(private readonly services: CommandServices) {}

  async execute(first?: unknown, second?: unknown, third?: unknown): Promise<vscode.Uri[]> {
    const { generator } = this.services;
    try {
      const specs = editTargets(first, second);
      if (specs.length === 0) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Choose an image to edit: right-click a PNG, JPEG or WEBP file in the Explorer.'),
        );
        return [];
      }
      const references = await resolveReferences(specs);
      const source = references.find((reference): reference is WorkspaceReference => reference.kind === 'file');
      if (!source) {
        throw new SeedreamError('invalidInput', vscode.l10n.t('Edit Image works on files of the workspace: name at least one.'));
      }
      const sourceUri = vscode.Uri.file(source.path);
      const options = optionsOf(second, third);
      const instruction = options.instruction ?? (await askInstruction(references));
      if (instruction === undefined) {
        return [];
      }
      const settings = readSettings(sourceUri);
      const model = findModel(settings.model);
      // The source's own format when the model makes it, so an edited PNG stays a PNG.
      const sourceFormat = source.format === 'png' || source.format === 'jpeg' ? source.format : undefined;
      const outputFormat = sourceFormat && model?.outputFormats.includes(sourceFormat) ? sourceFormat : 'auto';
      const result = await generator.run({
        input: generationInput(settings, {
          prompt: instruction,
          references,
          n: 1,
          outputFormat,
        }),
        target: editedFile(sourceUri),
      });
      if (!result) {
        return [];
      }
      const image = result.outcome.saved[0];
      if (!image) {
        void showResult(result, instruction, () => undefined);
        return [];
      }
      offerRescuedImages(result);
      if (options.swapLinks) {
        await relink(await documentsLinking(sourceUri), sourceUri, image.uri);
      } else {
        void offerEditActions(sourceUri, image.uri);
      }
      return [image.uri];
    } catch (error) {
      void showError(error, () => this.execute(first, second, third));
      return [];
    }
  }
}

/** `login-flow.png` -> `login-flow-edit.png` beside it (the writer adds `-1`, `-2` ... if that exists too). */
function editedFile(source: vscode.Uri): vscode.Uri {
  const name = fileNameOf(source.path);
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  return source.with({ path: `${parentPath(source.path)}/${base}-edit${dot > 0 ? name.slice(dot) : ''}` });
}

async function askInstruction(references: readonly ReferenceImage[]): Promise<string | undefined> {
  const names = references.map((reference) => (reference.kind === 'file' ? fileNameOf(reference.path) : reference.url));
  const instruction = await vscode.window.showInputBox({
    title: references.length === 1 ? vscode.l10n.t('Edit {0}', names[0]) : vscode.l10n.t('Combine {0} images', references.length),
    prompt:
      references.length === 1
        ? vscode.l10n.t('Describe the change. The result is saved beside the original, which stays as it is.')
        : vscode.l10n.t('Describe the image to make from {0} (refer to them as image 1, image 2, … in this order).', names.join(', ')),
    placeHolder:
      references.length === 1 ? vscode.l10n.t('make the background white') : vscode.l10n.t('the person of image 1 in the scene of image 2'),
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Describe the edit, e.g. "same diagram, dark theme".') : undefined),
  });
  return instruction?.trim();
}

/** Swap Link (where a document links the source), Compare, Open. */
async function offerEditActions(source: vscode.Uri, image: vscode.Uri): Promise<void> {
  const documents = await documentsLinking(source).catch(() => []);
  const swap = vscode.l10n.t('Swap Link');
  const compare = vscode.l10n.t('Compare');
  const open = vscode.l10n.t('Open');
  const name = vscode.workspace.asRelativePath(image, false);
  const sourceName = vscode.workspace.asRelativePath(source, false);
  const choice = await vscode.window.showInformationMessage(
    documents.length > 0
      ? vscode.l10n.t(
          'Saved {0}, edited from {1}. Swap Link points the {2} link(s) to {1} at it.',
          name,
          sourceName,
          countLinks(documents, source),
        )
      : vscode.l10n.t('Saved {0}, edited from {1}.', name, sourceName),
    ...(documents.length > 0 ? [swap] : []),
    compare,
    open,
  );
  if (choice === swap) {
    await relink(documents, source, image);
  } else if (choice === compare) {
    await vscode.commands.executeCommand('vscode.diff', source, image, `${sourceName} ↔ ${name}`);
  } else if (choice === open) {
    await vscode.commands.executeCommand('vscode.open', image, { viewColumn: vscode.ViewColumn.Beside });
  }
}

function countLinks(documents: readonly vscode.TextDocument[], source: vscode.Uri): number {
  return documents.reduce(
    (sum, document) => sum + localImageLinks(document).filter((link) => link.target.toString() === source.toString()).length,
    0,
  );
}
