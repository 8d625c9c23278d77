/**
 * What a link to a missing image asks for: its prompt, and the format its file extension names. A link
 * the chosen model cannot honour (a `.png` with a JPEG-only model, a `.webp`) is reported with the ways
 * out, before anything is billed.
 */

import * as l10n from '@vscode/l10n';
import { findModel, MODELS, shortModelName, type ModelInfo, type OutputFormat } from '../model/catalog';
import { fileNameOf } from '../files/posixPath';
import { MAX_PROMPT_LENGTH } from '../model/validation';

const FORMAT_BY_EXTENSION: ReadonlyMap<string, OutputFormat> = new Map([
  ['png', 'png'],
  ['jpg', 'jpeg'],
  ['jpeg', 'jpeg'],
]);

export type MissingImageProblem =
  /** The link has no alt text or prompt to generate from. */
  | { readonly kind: 'noPrompt'; readonly message: string }
  | { readonly kind: 'promptTooLong'; readonly message: string }
  /** The extension names a format Seedream never makes. */
  | { readonly kind: 'unsupportedExtension'; readonly message: string; readonly extension: string }
  /** The extension names a format the configured model does not make; another model does. */
  | { readonly kind: 'formatNeedsOtherModel'; readonly message: string; readonly format: OutputFormat; readonly alternative: ModelInfo };

/** A missing image that can be made as its link says. */
export interface MakeableImage {
  readonly ok: true;
  readonly prompt: string;
  readonly outputFormat: OutputFormat;
  readonly model: string;
}

export type MissingImagePlan = MakeableImage | { readonly ok: false; readonly problem: MissingImageProblem };

/** The generation a missing link asks for with `modelId`, or why it cannot be made as written. */
export function planMissingImage(linkPath: string, prompt: string, modelId: string): MissingImagePlan {
  const trimmed = prompt.trim();
  if (trimmed === '') {
    return problem({ kind: 'noPrompt', message: l10n.t('Write alt text (or a "prompt: …" title) for this image: it is the prompt.') });
  }
  if (trimmed.length > MAX_PROMPT_LENGTH) {
    return problem({
      kind: 'promptTooLong',
      message: l10n.t(
        'The prompt has {0} characters; shorten it to at most {1}.',
        trimmed.length.toLocaleString('en-US'),
        MAX_PROMPT_LENGTH.toLocaleString('en-US'),
      ),
    });
  }
  const format = formatForFile(linkPath, modelId);
  if (!format.ok) {
    return format;
  }
  return { ok: true, prompt: trimmed, outputFormat: format.format, model: modelId };
}

/** The format a file's extension names, if `modelId` makes it; or why not, with the ways out. */
export function formatForFile(
  path: string,
  modelId: string,
): { readonly ok: true; readonly format: OutputFormat } | { readonly ok: false; readonly problem: MissingImageProblem } {
  const extension = extensionOf(path);
  const format = FORMAT_BY_EXTENSION.get(extension.toLowerCase());
  if (!format) {
    return problem({
      kind: 'unsupportedExtension',
      extension,
      message:
        extension === ''
          ? l10n.t('Seedream makes PNG or JPEG images, not files without an extension: end the link with .png or .jpg.')
          : l10n.t('Seedream makes PNG or JPEG images, not .{0}: end the link with .png or .jpg.', extension),
    });
  }
  const model = findModel(modelId);
  if (model && !model.outputFormats.includes(format)) {
    const alternative = MODELS.find((candidate) => candidate.outputFormats.includes(format))!;
    return problem({
      kind: 'formatNeedsOtherModel',
      format,
      alternative,
      message: l10n.t(
        '{0} makes JPEG only, so it cannot make this .{1}: link a .jpg instead, or generate it with {2}.',
        shortModelName(model.id),
        extension,
        alternative.label,
      ),
    });
  }
  return { ok: true, format };
}

/** The link path with its extension replaced, e.g. for the "link a .jpg instead" fix. */
export function withExtension(linkPath: string, extension: string): string {
  const current = extensionOf(linkPath);
  const stem = current === '' ? linkPath : linkPath.slice(0, -(current.length + 1));
  return `${stem}.${extension}`;
}

function extensionOf(path: string): string {
  const name = fileNameOf(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

function problem(value: MissingImageProblem): { readonly ok: false; readonly problem: MissingImageProblem } {
  return { ok: false, problem: value };
}
