/**
 * Hovering a link to an image shows the image, its size, the prompt and settings it was made with, and
 * what can be done with it: Regenerate, Variations, Open in Image Studio.
 */

import * as vscode from 'vscode';
import { fileNameOf } from '../../core/files/posixPath';
import type { ImageMetadata } from '../../core/image/imageMetadata';
import { findModel } from '../../core/model/catalog';
import { EditImageCommand } from '../commands/editImage';
import type { HistoryStore } from '../studio/historyStore';
import { DOCS_SELECTOR, localImageLinkAt, type DocumentImageLink } from './documentLinks';
import { readProvenance, type ImageProvenance } from './imageProvenance';
import { ImageVariationsCommand, OpenImageInStudioCommand, RegenerateImageCommand } from './imageRevisionCommands';

const THUMBNAIL_PIXELS = 240;

export function registerImageHover(history: HistoryStore): vscode.Disposable {
  return vscode.languages.registerHoverProvider(DOCS_SELECTOR, {
    async provideHover(document, position) {
      const link = localImageLinkAt(document, document.offsetAt(position));
      if (!link) {
        return undefined;
      }
      const provenance = await readProvenance(link.target, history).catch(() => undefined);
      // A missing file has its diagnostic and Quick Fix instead.
      return provenance && new vscode.Hover(hoverText(link, provenance), link.range);
    },
  });
}

function hoverText(link: DocumentImageLink, { info, byteLength, metadata }: ImageProvenance): vscode.MarkdownString {
  const text = new vscode.MarkdownString(undefined, true);
  text.isTrusted = {
    enabledCommands: [RegenerateImageCommand.id, ImageVariationsCommand.id, OpenImageInStudioCommand.id, EditImageCommand.id],
  };
  // VS Code's own Markdown support already previews the image on hover; a second thumbnail would repeat it.
  if (link.document.languageId !== 'markdown') {
    const landscape = (info?.width ?? 1) >= (info?.height ?? 1);
    text.appendMarkdown(
      `![${escapeMarkdown(link.reference.alt)}](${link.target.toString()}|${landscape ? 'width' : 'height'}=${THUMBNAIL_PIXELS})\n\n`,
    );
  }
  const pixels = info?.width && info.height ? `${info.width}×${info.height} ` : '';
  text.appendMarkdown(`**${pixels}${info?.format.toUpperCase() ?? vscode.l10n.t('image')}** · ${formatBytes(byteLength)}\n\n`);
  if (metadata) {
    text.appendMarkdown(`**${vscode.l10n.t('Prompt:')}** ${escapeMarkdown(metadata.prompt)}\n\n`);
    const settings = [
      findModel(metadata.model)?.label ?? metadata.model,
      metadata.size,
      ...(metadata.seed === undefined ? [] : [vscode.l10n.t('seed {0}', metadata.seed)]),
      ...(metadata.watermark ? [vscode.l10n.t('watermark')] : []),
      metadata.createdAt.slice(0, 10),
      metadata.generator,
    ];
    text.appendMarkdown(`${settings.map(escapeMarkdown).join(' · ')}\n\n`);
    const origin = originLine(metadata);
    if (origin) {
      text.appendMarkdown(`${escapeMarkdown(origin)}\n\n`);
    }
  } else {
    text.appendMarkdown(`_${vscode.l10n.t('Not made by Seedream Studio (or its record is gone): Regenerate uses the alt text.')}_\n\n`);
  }
  const args = encodeURIComponent(JSON.stringify([{ uri: link.document.uri.toString(), offset: link.reference.start }]));
  text.appendMarkdown(
    [
      commandLink(
        'refresh',
        vscode.l10n.t('Regenerate'),
        RegenerateImageCommand.id,
        args,
        vscode.l10n.t('Same prompt and settings, a new file; then swap the link if you like it'),
      ),
      commandLink(
        'versions',
        vscode.l10n.t('Variations'),
        ImageVariationsCommand.id,
        args,
        vscode.l10n.t('Four new images to pick one from in the Image Studio'),
      ),
      commandLink(
        'edit',
        vscode.l10n.t('Edit Image…'),
        EditImageCommand.id,
        encodeURIComponent(JSON.stringify([link.target.toString()])),
        vscode.l10n.t('Describe a change; the result is saved beside this file'),
      ),
      commandLink('sparkle', vscode.l10n.t('Open in Image Studio'), OpenImageInStudioCommand.id, args),
    ].join(' · '),
  );
  return text;
}

/** A Markdown link that runs `command`, with its icon, and its tooltip when given (quotes in it are escaped). */
function commandLink(icon: string, label: string, command: string, args: string, tooltip?: string): string {
  const title = tooltip === undefined ? '' : ` "${tooltip.replace(/["\\]/g, '\\$&')}"`;
  return `[$(${icon}) ${escapeMarkdown(label)}](command:${command}?${args}${title})`;
}

/** "edited from photo.png", "made from photo.png and sketch.jpg", and its place in an image set. */
function originLine({ references, set }: ImageMetadata): string | undefined {
  const names = (references ?? []).map((record) => ('url' in record ? record.url : fileNameOf(record.path)));
  const parts = [
    ...(names.length === 1 ? [vscode.l10n.t('edited from {0}', names[0])] : []),
    ...(names.length > 1 ? [vscode.l10n.t('made from {0}', names.join(', '))] : []),
    ...(set ? [vscode.l10n.t('image {0} of a set of up to {1}', set.index, set.maxImages)] : []),
  ];
  if (parts.length === 0) {
    return undefined;
  }
  const line = parts.join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Every line starts with our own words, so list and heading markers need no escape. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>$~]/g, '\\$&');
}
