/**
 * seedream_findMissingImages and seedream_generateMissingImages: the docs workflow's own search and batch
 * (one image per linked file, bounded concurrency, the same checks and summary), without its picker: a
 * chat's confirmation says what will be billed instead.
 */

import * as vscode from 'vscode';
import { SeedreamError } from '../../core/errors/errors';
import { parseFindMissingImagesInput, parseGenerateMissingImagesInput, type Parsed, type WorkspacePath } from '../../core/tools/toolInput';
import { DOCS_LANGUAGES } from '../../core/links/docsLanguages';
import { docsSyntax, type DocumentImageLink } from '../docs/documentLinks';
import { linkReferences, missingImageInput } from '../docs/linkedImageGeneration';
import {
  findMissingImages,
  generateMissingImages,
  missingImagesBill,
  workspaceDocuments,
  type MissingImageItem,
  type MissingImageServices,
} from '../docs/missingImageCommands';
import { planFor } from '../docs/missingImagePlans';
import { readSettings } from '../config';
import { checkedRequest } from '../generation';
import type { LanguageModelTool, PreparedToolInvocation } from './languageModelApi';
import { toolResult } from './languageModelApi';
import { noKeyText, toolErrorText } from './toolErrors';
import {
  confirmation,
  folderNames,
  unplannedInvocation,
  thumbnailsOf,
  withCancellation,
  workspaceDocumentUri,
  workspaceUri,
} from './toolResults';
import { workspacePathOf } from '../workspacePaths';

/** Thumbnails in a batch result: the first few images are enough to see the style. */
const BATCH_THUMBNAILS = 4;

interface Search {
  readonly documents: readonly vscode.TextDocument[];
  readonly scope: 'file' | 'workspace';
  /** What was searched, for messages. */
  readonly where: string;
}

export function findMissingImagesTool(): LanguageModelTool<unknown> {
  return {
    prepareInvocation: async () => ({ invocationMessage: vscode.l10n.t('Looking for links to missing images…') }),
    invoke: async ({ input }) => {
      try {
        const search = await searchFor(parsed(parseFindMissingImagesInput(input, folderNames())).file);
        const { items, unmakeable } = await findMissingImages(search.documents, search.scope);
        if (items.length === 0 && unmakeable.length === 0) {
          return toolResult(vscode.l10n.t('No image link in {0} names a missing file.', search.where));
        }
        const lines = [
          vscode.l10n.t(
            '{0} missing image(s) in {1} can be generated (with seedream_generateMissingImages; each image is billed):',
            items.length,
            search.where,
          ),
          ...items.map(describeItem),
        ];
        if (unmakeable.length > 0) {
          lines.push(vscode.l10n.t('{0} cannot be generated as written (fix the link first):', unmakeable.length));
          lines.push(...unmakeable.map(describeUnmakeable));
        }
        return toolResult(lines.join('\n'));
      } catch (error) {
        return toolResult(toolErrorText(error));
      }
    },
  };
}

/** The images one call of the batch tool makes, and what it was asked for that cannot be made. */
interface BatchPlan {
  readonly search: Search;
  readonly items: readonly MissingImageItem[];
  /** Lines on targets that were asked for but cannot be made. */
  readonly refused: readonly string[];
}

async function planBatch(raw: unknown): Promise<BatchPlan> {
  const input = parsed(parseGenerateMissingImagesInput(raw, folderNames()));
  const search = await searchFor(input.file);
  const { items, unmakeable } = await findMissingImages(search.documents, search.scope);
  if (!input.targets) {
    return { search, items, refused: unmakeable.map(describeUnmakeable) };
  }
  const wanted = input.targets.map(workspaceUri);
  const chosen = items.filter((item) => wanted.some((target) => target.toString() === item.links[0].target.toString()));
  const refused = wanted.flatMap((target) => {
    if (chosen.some((item) => item.links[0].target.toString() === target.toString())) {
      return [];
    }
    const link = unmakeable.find((candidate) => candidate.target.toString() === target.toString());
    return [
      link
        ? describeUnmakeable(link)
        : vscode.l10n.t(
            '- {0}: no link in {1} names it as a missing image (the file exists, or nothing links it)',
            workspacePathOf(target),
            search.where,
          ),
    ];
  });
  return { search, items: chosen, refused };
}

export async function prepareMissingImagesTool(raw: unknown): Promise<PreparedToolInvocation> {
  try {
    const { items } = await planBatch(raw);
    if (items.length === 0) {
      return { invocationMessage: vscode.l10n.t('Looking for links to missing images…') };
    }
    const request = checkedRequest(
      missingImageInput(items[0].links[0], items[0].plan),
      readSettings(items[0].links[0].document.uri).baseUrl,
    );
    return {
      invocationMessage: vscode.l10n.t('Generating {0} missing image(s) with {1}…', items.length, request.model.label),
      confirmationMessages: confirmation(vscode.l10n.t('Generate {0} missing image(s) with Seedream?', items.length), {
        bill: missingImagesBill(items),
        model: request.model,
        size: request.size,
        files: items.map((item) => workspacePathOf(item.links[0].target)),
        references: items.flatMap((item) =>
          linkReferences(item.links[0]).map((reference) =>
            vscode.l10n.t('{0} (for {1})', reference, workspacePathOf(item.links[0].target)),
          ),
        ),
        note: vscode.l10n.t('Each image is made from the alt text (or "prompt:" title) of the link that names it.'),
      }),
    };
  } catch (error) {
    return unplannedInvocation(error, vscode.l10n.t('Checking the missing images…'));
  }
}

export function generateMissingImagesTool(services: MissingImageServices): LanguageModelTool<unknown> {
  return {
    prepareInvocation: ({ input }) => prepareMissingImagesTool(input),
    invoke: async ({ input }, token) => {
      try {
        const { search, items, refused } = await planBatch(input);
        const notMade = refused.length > 0 ? [vscode.l10n.t('Not generated:'), ...refused] : [];
        if (items.length === 0) {
          return toolResult([vscode.l10n.t('Nothing to generate in {0}; nothing was billed.', search.where), ...notMade].join('\n'));
        }
        const summary = await withCancellation(token, (signal) => generateMissingImages(services, items, search.documents[0].uri, signal));
        if (!summary) {
          return toolResult(noKeyText());
        }
        const request = checkedRequest(
          missingImageInput(items[0].links[0], items[0].plan),
          readSettings(items[0].links[0].document.uri).baseUrl,
        );
        const lines = [
          vscode.l10n.t(
            '{0} of {1} missing image(s) made with {2} at {3}. Billed: {0} image(s), one for each image made.',
            summary.made.length,
            items.length,
            request.model.id,
            request.size,
          ),
          ...summary.made.map((uri) => `- ${workspacePathOf(uri)}`),
          ...summary.failures.map((failure) => vscode.l10n.t('- {0} failed: {1}', workspacePathOf(failure.target), failure.message)),
        ];
        if (summary.skipped > 0) {
          lines.push(vscode.l10n.t('{0} skipped: the user cancelled, or the file appeared meanwhile.', summary.skipped));
        }
        lines.push(vscode.l10n.t('The links name these files already; a file that had to take another name had its links updated.'));
        return toolResult([...lines, ...notMade].join('\n'), await thumbnailsOf(summary.made.slice(0, BATCH_THUMBNAILS)));
      } catch (error) {
        return toolResult(toolErrorText(error));
      }
    },
  };
}

async function searchFor(file: WorkspacePath | undefined): Promise<Search> {
  if (!file) {
    return { documents: await workspaceDocuments(), scope: 'workspace', where: vscode.l10n.t('the workspace') };
  }
  const uri = await workspaceDocumentUri(file, 'file');
  const document = await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
  if (!document) {
    throw new SeedreamError('invalidInput', vscode.l10n.t('{0} does not exist or is not a text file.', workspacePathOf(uri)));
  }
  if (!docsSyntax(document)) {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t('{0} is not a docs file: missing images are found in {1} files.', workspacePathOf(uri), DOCS_LANGUAGES.join(', ')),
    );
  }
  return { documents: [document], scope: 'file', where: workspacePathOf(uri) };
}

function describeItem(item: MissingImageItem): string {
  const places = item.links.map(placeOf).join(', ');
  return vscode.l10n.t('- {0} (linked from {1}), prompt: "{2}"', workspacePathOf(item.links[0].target), places, item.plan.prompt);
}

function describeUnmakeable(link: DocumentImageLink): string {
  const plan = planFor(link);
  const why = plan.ok ? '' : plan.problem.message;
  return vscode.l10n.t('- {0} (linked from {1}): {2}', workspacePathOf(link.target), placeOf(link), why);
}

/** `docs/guide.md:12`, the line 1-based as editors show it. */
function placeOf(link: DocumentImageLink): string {
  return `${workspacePathOf(link.document.uri)}:${link.range.start.line + 1}`;
}

function parsed<T>(result: Parsed<T>): T {
  if (!result.ok) {
    throw new SeedreamError('invalidInput', result.message);
  }
  return result.value;
}
