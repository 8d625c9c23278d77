/**
 * The hover's commands on an existing image: Regenerate (a new file from the same prompt and settings,
 * then the offer to swap the link), Variations (four, to pick one from in the Image Studio) and Open in
 * Image Studio.
 */

import * as vscode from 'vscode';
import type { GenerationInput } from '../../core/model/validation';
import { readSettings } from '../config';
import type { Command, CommandServices } from '../commands/commandManager';
import { generationInput } from '../generation';
import { offerRescuedImages, showError, showResult } from '../notifications';
import type { HistoryStore } from '../studio/historyStore';
import { fileExists, type DocumentImageLink } from './documentLinks';
import { linkForCommand } from './linkArguments';
import { readProvenance, type ImageProvenance } from './imageProvenance';
import { relink } from './linkedImageGeneration';
import { resolveRecordedReferences } from '../referenceImages';

/** The link the command is for, and what its image records; undefined when there is none. */
async function linkedImage(
  raw: unknown,
  history: HistoryStore,
): Promise<{ link: DocumentImageLink; provenance: ImageProvenance } | undefined> {
  const link = await linkForCommand(raw);
  if (!link || !(await fileExists(link.target))) {
    void vscode.window.showWarningMessage(
      link
        ? vscode.l10n.t('{0} does not exist; generate it first.', link.reference.path)
        : vscode.l10n.t('Put the cursor on an image link (or hover it) first.'),
    );
    return undefined;
  }
  return { link, provenance: await readProvenance(link.target, history) };
}

/**
 * Same prompt and settings as the image (the settings fill in what it does not record). The seed is left
 * out: a regeneration is asked for to get a different image.
 */
function revisionInput(link: DocumentImageLink, { metadata, info }: ImageProvenance, n: number): GenerationInput {
  return generationInput(readSettings(link.document.uri), {
    prompt: metadata?.prompt ?? link.reference.prompt,
    ...(metadata ? { model: metadata.model, size: metadata.size } : {}),
    ...(metadata?.watermark !== undefined ? { watermark: metadata.watermark } : {}),
    outputFormat: info?.format ?? 'auto',
    n,
  });
}

/** The revision input with the references the image was made from, found again in the workspace. */
async function revisionWithReferences(link: DocumentImageLink, provenance: ImageProvenance, n: number): Promise<GenerationInput> {
  const input = revisionInput(link, provenance, n);
  const records = provenance.metadata?.references ?? [];
  return records.length === 0 ? input : { ...input, references: await resolveRecordedReferences(records, link.target) };
}

export class RegenerateImageCommand implements Command {
  static readonly id = 'seedream.regenerateImage';

  constructor(private readonly services: CommandServices) {}

  async execute(raw?: unknown): Promise<vscode.Uri | undefined> {
    const { generator, history } = this.services;
    try {
      const found = await linkedImage(raw, history);
      if (!found) {
        return undefined;
      }
      const { link, provenance } = found;
      const input = await revisionWithReferences(link, provenance, 1);
      const result = await generator.run({ input, document: link.document, target: link.target });
      const image = result?.outcome.saved[0];
      if (!result || !image) {
        if (result) {
          void showResult(result, link.reference.prompt, () => undefined);
        }
        return undefined;
      }
      offerRescuedImages(result);
      void offerSwap(link, image.uri);
      return image.uri;
    } catch (error) {
      void showError(error, () => this.execute(raw));
      return undefined;
    }
  }
}

async function offerSwap(link: DocumentImageLink, image: vscode.Uri): Promise<void> {
  const name = vscode.workspace.asRelativePath(image);
  const swap = vscode.l10n.t('Swap Link');
  const compare = vscode.l10n.t('Compare');
  const open = vscode.l10n.t('Open');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Regenerated as {0}. Use it in place of {1}?', name, link.reference.path),
    swap,
    compare,
    open,
  );
  switch (choice) {
    case swap:
      await relink([link.document], link.target, image);
      break;
    case compare:
      await vscode.commands.executeCommand('vscode.diff', link.target, image, `${link.reference.path} ↔ ${name}`);
      break;
    case open:
      await vscode.commands.executeCommand('vscode.open', image, { viewColumn: vscode.ViewColumn.Beside });
      break;
  }
}

export class ImageVariationsCommand implements Command {
  static readonly id = 'seedream.imageVariations';

  constructor(private readonly services: CommandServices) {}

  async execute(raw?: unknown): Promise<readonly vscode.Uri[]> {
    const { generator, history, openStudio } = this.services;
    try {
      const found = await linkedImage(raw, history);
      if (!found) {
        return [];
      }
      const { link, provenance } = found;
      const input = await revisionWithReferences(link, provenance, 4);
      const result = await generator.run({ input, document: link.document, target: link.target });
      if (!result) {
        return [];
      }
      const images = result.outcome.saved.map((image) => image.uri);
      offerRescuedImages(result);
      const entry = history.entries().find((candidate) => candidate.images.some((image) => image.uri === images[0]?.toString()));
      if (!entry) {
        void showResult(result, link.reference.prompt, () => undefined);
        return images;
      }
      openStudio({ entryId: entry.id, linkChoice: { document: link.document.uri, target: link.target, label: link.reference.path } });
      return images;
    } catch (error) {
      void showError(error, () => this.execute(raw));
      return [];
    }
  }
}

export class OpenImageInStudioCommand implements Command {
  static readonly id = 'seedream.openImageInStudio';

  constructor(private readonly services: CommandServices) {}

  async execute(raw?: unknown): Promise<void> {
    const { history, openStudio } = this.services;
    const found = await linkedImage(raw, history);
    if (!found) {
      return;
    }
    const { link, provenance } = found;
    openStudio({
      ...(provenance.historyEntryId ? { entryId: provenance.historyEntryId } : { prefill: { ...revisionInput(link, provenance, 1) } }),
      linkChoice: { document: link.document.uri, target: link.target, label: link.reference.path },
    });
  }
}
