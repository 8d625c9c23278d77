/**
 * seedream_generateImage: one generation through the same path as `seedream.generateImage` (the argument
 * checks, the settings, the one validator, the output location, the pipeline), into an exact file or the
 * output folder, with the links optionally put into a document.
 */

import * as vscode from 'vscode';
import { SeedreamError } from '../../core/errors/errors';
import { linkableDocumentTypes, linkSyntaxForLanguage } from '../../core/links/linkFormat';
import { formatForFile } from '../../core/links/missingImage';
import { runCostItem } from '../../core/cost/pricing';
import { referenceLabel, type ReferenceImage } from '../../core/model/references';
import { imagesAsked, type GenerationInput, type GenerationRequest } from '../../core/model/validation';
import { parseGenerateImageInput, TOOL_GENERATION_FIELDS, type GenerateImageInput } from '../../core/tools/toolInput';
import { agreeToWorkspaceBill } from '../commands/workspaceBill';
import { readSettings } from '../config';
import { checkedRequest, describeProgress, generationInput, type GenerationResult, type ImageGenerator } from '../generation';
import { imageLinkFor, insertImageLinks } from '../linkInsertion';
import { offerRescuedImages } from '../notifications';
import { chooseLocation } from '../outputLocation';
import { fileExists } from '../docs/documentLinks';
import { resolveReferences } from '../referenceImages';
import type { LanguageModelTool, PreparedToolInvocation, ToolResult } from './languageModelApi';
import { toolResult } from './languageModelApi';
import { noKeyText, toolErrorText } from './toolErrors';
import {
  confirmation,
  describeBill,
  folderNames,
  savedImageLines,
  thumbnailsOf,
  unplannedInvocation,
  withCancellation,
  workspaceDocumentUri,
  workspaceUri,
} from './toolResults';
import { workspacePathOf } from '../workspacePaths';

/** The input, read and resolved against the open workspace; throws what to fix. */
interface ImageToolInput extends GenerateImageInput {
  /** The file to create, from `path`. */
  readonly target?: vscode.Uri;
  /** The document the links go into, from `insertInto`. */
  readonly document?: vscode.TextDocument;
  /** From `references`, found and inspected as the command finds its argument object's. */
  readonly references: readonly ReferenceImage[];
}

/** What one call makes: checked, with the files it will write. */
export interface ImagePlan {
  readonly tool: ImageToolInput;
  readonly input: GenerationInput;
  readonly request: GenerationRequest;
  /** The files the images are planned to get (a name taken meanwhile gets `-1` when saved). */
  readonly files: readonly vscode.Uri[];
}

export async function readImageToolInput(raw: unknown): Promise<ImageToolInput> {
  const parsed = parseGenerateImageInput(raw, folderNames());
  if (!parsed.ok) {
    throw new SeedreamError('invalidInput', parsed.message);
  }
  if (folderNames().length === 0) {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t('No folder is open: Seedream saves images only inside a workspace folder. Ask the user to open one.'),
    );
  }
  const { path, insertInto, generation } = parsed.value;
  // As `seedream.generateImage` resolves its argument object's references: inside the workspace, readable.
  const references = generation.references ? await resolveReferences(generation.references) : [];
  const target = path && workspaceUri(path);
  let document: vscode.TextDocument | undefined;
  if (insertInto) {
    const uri = await workspaceDocumentUri(insertInto.file, 'insertInto.file');
    document = await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
    if (!document) {
      throw new SeedreamError(
        'invalidInput',
        vscode.l10n.t(
          'insertInto.file {0} does not exist or is not a text file: create the document first, or leave out insertInto.',
          workspacePathOf(uri),
        ),
      );
    }
    if (linkSyntaxForLanguage(document.languageId) === undefined) {
      throw new SeedreamError(
        'invalidInput',
        vscode.l10n.t(
          'insertInto.file {0} is not a document image links can be written into: name a {1} document, or leave out insertInto.',
          workspacePathOf(uri),
          linkableDocumentTypes(),
        ),
      );
    }
    if (insertInto.line > document.lineCount + 1) {
      throw new SeedreamError(
        'invalidInput',
        vscode.l10n.t(
          'insertInto.line {0} is past the end of {1}, which has {2} lines: use a line from 1 to {3}.',
          insertInto.line,
          workspacePathOf(uri),
          document.lineCount,
          document.lineCount + 1,
        ),
      );
    }
  }
  return { ...parsed.value, references, ...(target ? { target } : {}), ...(document ? { document } : {}) };
}

/** The generation fields of the input, with the references resolved. */
function generationOf(tool: ImageToolInput): Partial<GenerationInput> & { prompt: string } {
  const { references: _named, ...fields } = tool.generation;
  return { ...fields, ...(tool.references.length > 0 ? { references: tool.references } : {}) };
}

/** Checks everything a run would check before sending, and names the files it will write. */
export async function planImage(tool: ImageToolInput): Promise<ImagePlan> {
  const settings = readSettings(tool.document?.uri);
  let outputFormat: GenerationInput['outputFormat'] | undefined;
  if (tool.target) {
    // The file's extension picks the format, as a missing image's link does.
    const format = formatForFile(tool.target.path, tool.generation.model ?? settings.model);
    if (!format.ok) {
      throw new SeedreamError('invalidInput', format.problem.message);
    }
    outputFormat = format.format;
  }
  const input = generationInput(settings, { ...generationOf(tool), ...(outputFormat ? { outputFormat } : {}) });
  const request = checkedRequest(input, settings.baseUrl);
  const location = await chooseLocation({ input, ...documentAndTarget(tool) }, settings, request, new Date());
  if (!location) {
    throw new SeedreamError('invalidInput', vscode.l10n.t('No folder is open: Seedream saves images only inside a workspace folder.'));
  }
  const extension = request.outputFormat === 'png' ? 'png' : 'jpg';
  // A set's files are numbered as n > 1 images' are, up to the most the set may make.
  const files = Array.from({ length: imagesAsked(request) }, (_, i) =>
    vscode.Uri.joinPath(location.folder, `${location.baseName(i + 1)}.${extension}`),
  );
  if (tool.target) {
    for (const file of files) {
      if (await fileExists(file)) {
        throw new SeedreamError(
          'invalidInput',
          vscode.l10n.t(
            '{0} exists already and is never overwritten: choose another path, or leave out "path" to let the output folder settings pick a free name.',
            workspacePathOf(file),
          ),
        );
      }
    }
  }
  return { tool, input, request, files };
}

export async function prepareImageTool(raw: unknown): Promise<PreparedToolInvocation> {
  try {
    const plan = await planImage(await readImageToolInput(raw));
    const { request, files, tool } = plan;
    const where = tool.document
      ? vscode.l10n.t('The links go into {0} before line {1}.', workspacePathOf(tool.document.uri), tool.insertInto!.line)
      : undefined;
    return {
      invocationMessage: describeProgress({ stage: 'requesting' }, request),
      confirmationMessages: confirmation(confirmationTitle(request), {
        bill: [runCostItem(request.model.id, request)],
        ...(request.maxImages !== undefined ? { upTo: true } : {}),
        model: request.model,
        size: request.size,
        files: files.map(workspacePathOf),
        references: request.references.map(referenceLabel),
        prompt: request.prompt,
        ...(where ? { note: where } : {}),
      }),
    };
  } catch (error) {
    return unplannedInvocation(error, vscode.l10n.t('Checking the image request…'));
  }
}

export function generateImageTool(generator: ImageGenerator): LanguageModelTool<unknown> {
  return {
    prepareInvocation: ({ input }) => prepareImageTool(input),
    invoke: async ({ input }, token) => {
      const given = typeof input === 'object' && input !== null ? Object.keys(input) : [];
      try {
        const tool = await readImageToolInput(input);
        const scope = tool.document?.uri;
        // As the command with a prompt argument: a workspace whose settings raise the bill is asked about.
        if (!(await agreeToWorkspaceBill(scope, (settings) => generationInput(settings, generationOf(tool))))) {
          return toolResult(vscode.l10n.t("The user declined this workspace's settings for the run; nothing was generated or billed."));
        }
        const plan = await planImage(tool);
        const result = await withCancellation(token, (signal) =>
          generator.run({ input: plan.input, ...documentAndTarget(tool) }, { signal }),
        );
        if (!result) {
          return toolResult(noKeyText());
        }
        offerRescuedImages(result);
        return await describeResult(plan, result);
      } catch (error) {
        return toolResult(
          toolErrorText(
            error,
            given.filter((field) => (TOOL_GENERATION_FIELDS as readonly string[]).includes(field)),
          ),
        );
      }
    },
  };
}

async function describeResult(plan: ImagePlan, result: GenerationResult): Promise<ToolResult> {
  const { tool, request } = plan;
  const { outcome } = result;
  const images = outcome.saved.map((image) => image.uri);
  const lines = [
    vscode.l10n.t(
      '{0} of {1} images saved, made with {2} at {3}. {4}',
      images.length,
      outcome.requested,
      request.model.id,
      request.size,
      describeBill(outcome),
    ),
    ...savedImageLines(outcome.saved, (image) => [
      ...(request.maxImages !== undefined ? [describeSetPlace(image.index, outcome)] : []),
      ...(outcome.references.length > 0 ? [vscode.l10n.t('made from: {0}', describeReferences(request.references))] : []),
      ...(tool.document ? [vscode.l10n.t('link: {0}', imageLinkFor(tool.document, image.uri, request.prompt))] : []),
    ]),
  ];
  if (tool.document && images.length > 0) {
    const inserted = await insertImageLinks(tool.document, images, request.prompt, { kind: 'line', line: tool.insertInto!.line - 1 });
    lines.push(
      inserted
        ? vscode.l10n.t(
            'The links were inserted into {0} before line {1} (not saved yet: the document is left unsaved for the user).',
            workspacePathOf(tool.document.uri),
            tool.insertInto!.line,
          )
        : vscode.l10n.t('The links could not be inserted into {0}: it was closed.', workspacePathOf(tool.document.uri)),
    );
  } else if (!tool.document && images.length > 0) {
    lines.push(vscode.l10n.t('To link an image, write its path relative to the document that shows it (or pass insertInto next time).'));
  }
  for (const image of outcome.rescued) {
    lines.push(
      vscode.l10n.t(
        "Image {0} could not be saved in {1} ({2}); it is kept in the extension's storage and the user was offered to move it.",
        image.index + 1,
        workspacePathOf(result.folder),
        image.reason,
      ),
    );
  }
  for (const failure of outcome.failures) {
    lines.push(vscode.l10n.t('Image {0} was not saved: {1}', failure.index + 1, failure.message));
  }
  if (outcome.interruption && outcome.interruption.kind !== 'cancelled') {
    lines.push(outcome.interruption.message);
  } else if (outcome.interruption) {
    lines.push(vscode.l10n.t('The user cancelled the run; the images saved before that are kept.'));
  }
  return toolResult(lines.join('\n'), await thumbnailsOf(images));
}

function documentAndTarget(tool: ImageToolInput): { document?: vscode.TextDocument; target?: vscode.Uri } {
  return { ...(tool.document ? { document: tool.document } : {}), ...(tool.target ? { target: tool.target } : {}) };
}

function confirmationTitle(request: GenerationRequest): string {
  if (request.maxImages !== undefined) {
    return vscode.l10n.t('Generate a set of up to {0} images with Seedream?', request.maxImages);
  }
  return request.n === 1
    ? vscode.l10n.t('Generate an image with Seedream?')
    : vscode.l10n.t('Generate {0} images with Seedream?', request.n);
}

/** `image 2 of 3 of the set (up to 4 asked for)`: the model decides how many a set has, at most what was asked. */
function describeSetPlace(index: number, outcome: GenerationResult['outcome']): string {
  const made = outcome.receivedImages - outcome.unasked.length;
  return vscode.l10n.t('image {0} of {1} of the set (up to {2} asked for)', index + 1, made, outcome.requested);
}

/** The references in order, as the prompt calls them: `image 1: docs/a.png, image 2: https://…`. */
function describeReferences(references: readonly ReferenceImage[]): string {
  return references.map((reference, i) => vscode.l10n.t('image {0}: {1}', i + 1, referenceLabel(reference))).join(', ');
}
