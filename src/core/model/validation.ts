/**
 * Checks a generation request against the model catalogue before anything is sent, and turns it into
 * the normalised form the client sends. Every refusal says what is allowed instead.
 */

import * as l10n from '@vscode/l10n';
import {
  findModel,
  MAX_IMAGES_IN_AND_OUT,
  MAX_IMAGES_PER_RUN,
  MAX_IMAGES_PER_SET,
  MAX_SEED,
  MODELS,
  OUTPUT_FORMAT_CHOICES,
  RESPONSE_FORMATS,
  type ModelInfo,
  type OutputFormat,
  referenceLimit,
  type ResponseFormat,
  type SizeTier,
  shortModelName,
} from './catalog';
import { checkReference, checkReferenceCount, type ReferenceImage } from './references';

/** What a front end gathers: settings, command arguments or the Studio form. */
export interface GenerationInput {
  readonly prompt: string;
  readonly model: string;
  readonly size: string;
  readonly n: number;
  readonly seed?: number;
  readonly outputFormat: OutputFormat | 'auto';
  readonly responseFormat: ResponseFormat;
  readonly watermark: boolean;
  readonly stream: boolean;
  /** Reference images, in the order the prompt refers to them ("image 1", "image 2"). */
  readonly references?: readonly ReferenceImage[];
  /** Asks for an image set of up to this many related images (`sequential_image_generation: "auto"`). */
  readonly maxImages?: number;
}

/** A request that passed validation: what the client sends. */
export interface GenerationRequest {
  readonly prompt: string;
  readonly model: ModelInfo;
  /** A tier (`2K`) or exact pixels (`2560x1440`). */
  readonly size: string;
  readonly n: number;
  readonly seed?: number;
  readonly outputFormat: OutputFormat;
  readonly responseFormat: ResponseFormat;
  readonly watermark: boolean;
  readonly stream: boolean;
  /** In order; empty for an image made from text alone. */
  readonly references: readonly ReferenceImage[];
  /** Set for an image set: the model decides how many related images it makes, at most this many. */
  readonly maxImages?: number;
}

/** How many images a request asks for: up to `maxImages` for a set, else `n`. */
export function imagesAsked(request: Pick<GenerationRequest, 'n' | 'maxImages'>): number {
  return request.maxImages ?? request.n;
}

/** Where the request goes, for the bounds that depend on it (how many references). */
export interface ValidationTarget {
  /** `seedream.baseUrl`; the provider's when left out. */
  readonly baseUrl?: string;
}

export type GenerationField = keyof GenerationInput;

/** What a field must be before its value is looked at: its type, and for a choice the values it may take. */
export interface FieldShape {
  /** `strings`: a list of strings, at most MAX_LISTED_STRINGS. */
  readonly type: 'string' | 'number' | 'boolean' | 'strings';
  readonly choices?: readonly string[];
}

/** More than any model takes as references, so the count check can say how many to remove; a longer list is not a real call. */
const MAX_LISTED_STRINGS = 64;

/** The fields every front end sets as plain values; references (inspected files) and an image set's size are chosen per run. */
export type PlainGenerationField = Exclude<GenerationField, 'references' | 'maxImages'>;

/** The shape of each plain field of a generation input, wherever one comes from outside (command arguments, the Studio's form). */
export const GENERATION_FIELDS: { readonly [Field in PlainGenerationField]-?: FieldShape } = {
  prompt: { type: 'string' },
  model: { type: 'string' },
  size: { type: 'string' },
  n: { type: 'number' },
  seed: { type: 'number' },
  outputFormat: { type: 'string', choices: OUTPUT_FORMAT_CHOICES },
  responseFormat: { type: 'string', choices: RESPONSE_FORMATS },
  watermark: { type: 'boolean' },
  stream: { type: 'boolean' },
};

/** Why a field's value does not have its shape, or undefined when it does (a number must be finite). */
export function fieldProblem(name: string, shape: FieldShape, value: unknown): string | undefined {
  if (shape.type === 'strings') {
    const valid = Array.isArray(value) && value.length <= MAX_LISTED_STRINGS && value.every((entry) => typeof entry === 'string');
    return valid ? undefined : l10n.t('"{0}" must be a list of at most {1} strings', name, MAX_LISTED_STRINGS);
  }
  if (typeof value !== shape.type || (shape.type === 'number' && !Number.isFinite(value))) {
    return l10n.t('"{0}" must be a {1}', name, shape.type);
  }
  if (shape.choices && !shape.choices.includes(value as string)) {
    return l10n.t('"{0}" must be one of {1}', name, shape.choices.join(', '));
  }
  return undefined;
}

export interface ValidationIssue {
  readonly field: GenerationField;
  readonly message: string;
  /** For a problem of one reference image: its position in `references` (0-based). */
  readonly index?: number;
}

export type ValidationResult =
  { readonly ok: true; readonly request: GenerationRequest } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export type ParsedSize =
  { readonly kind: 'tier'; readonly tier: SizeTier } | { readonly kind: 'pixels'; readonly width: number; readonly height: number };

/** Long enough for any real prompt; the model reads far less (about 600 words). */
export const MAX_PROMPT_LENGTH = 4000;

// C0/C1 control characters other than tab and line breaks, which prompts may legitimately contain.

const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function parseSize(text: string): ParsedSize | undefined {
  const trimmed = text.trim();
  const tier = /^([1-4])k$/i.exec(trimmed);
  if (tier) {
    return { kind: 'tier', tier: `${tier[1]}K` as SizeTier };
  }
  const pixels = /^(\d{1,6})\s*[x×*]\s*(\d{1,6})$/i.exec(trimmed);
  if (pixels) {
    return { kind: 'pixels', width: Number(pixels[1]), height: Number(pixels[2]) };
  }
  return undefined;
}

export function formatSize(size: ParsedSize): string {
  return size.kind === 'tier' ? size.tier : `${size.width}x${size.height}`;
}

/** What sizes a model takes, in words, for messages and pickers. */
export function describeAllowedSizes(model: ModelInfo): string {
  const { bounds } = model;
  return l10n.t(
    '{0} supports {1}, or WxH from {2} to {3} pixels in total with an aspect ratio between 1:{4} and {4}:1',
    shortModelName(model.id),
    joinWords(model.tiers),
    bounds.minExample,
    bounds.maxExample,
    bounds.maxAspectRatio,
  );
}

/** Why a size is refused for a model, or undefined when the model takes it. */
export function checkSize(model: ModelInfo, sizeText: string): string | undefined {
  const size = parseSize(sizeText);
  if (!size) {
    return l10n.t(
      '"{0}" is not a size. Use a tier such as 2K or exact pixels such as 2560x1440; {1}.',
      sizeText,
      describeAllowedSizes(model),
    );
  }
  if (size.kind === 'tier') {
    return model.tiers.includes(size.tier)
      ? undefined
      : l10n.t('{0} does not offer {1}: {2}.', shortModelName(model.id), size.tier, describeAllowedSizes(model));
  }
  const { width, height } = size;
  const { bounds } = model;
  const label = `${width}x${height}`;
  if (width === 0 || height === 0) {
    return l10n.t('{0} has a zero side; {1}.', label, describeAllowedSizes(model));
  }
  const pixels = width * height;
  if (pixels < bounds.minPixels) {
    return l10n.t(
      '{0} is too small for {1}: at least {2} ({3} pixels) in total.',
      label,
      shortModelName(model.id),
      bounds.minExample,
      bounds.minPixels.toLocaleString('en-US'),
    );
  }
  if (pixels > bounds.maxPixels) {
    return l10n.t(
      '{0} is too large for {1}: at most {2} ({3} pixels) in total.',
      label,
      shortModelName(model.id),
      bounds.maxExample,
      bounds.maxPixels.toLocaleString('en-US'),
    );
  }
  const ratio = width / height;
  if (ratio > bounds.maxAspectRatio || ratio < 1 / bounds.maxAspectRatio) {
    return l10n.t('{0} is too elongated: the aspect ratio must be between 1:{1} and {1}:1.', label, bounds.maxAspectRatio);
  }
  return undefined;
}

export function checkPrompt(prompt: string): string | undefined {
  if (prompt.trim().length === 0) {
    return l10n.t('The prompt is empty: describe the image you want, e.g. "a watercolor lighthouse at dusk".');
  }
  if (prompt.length > MAX_PROMPT_LENGTH) {
    return l10n.t(
      'The prompt has {0} characters; shorten it to at most {1}.',
      prompt.length.toLocaleString('en-US'),
      MAX_PROMPT_LENGTH.toLocaleString('en-US'),
    );
  }
  const control = CONTROL_CHARACTER.exec(prompt);
  if (control) {
    const codePoint = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return l10n.t('The prompt contains an invisible control character (U+{0}); remove it and try again.', codePoint);
  }
  return undefined;
}

export function checkCount(n: number): string | undefined {
  return Number.isInteger(n) && n >= 1 && n <= MAX_IMAGES_PER_RUN
    ? undefined
    : l10n.t('The number of images must be a whole number from 1 to {0} (got {1}).', MAX_IMAGES_PER_RUN, String(n));
}

export function checkSeed(seed: number | undefined): string | undefined {
  if (seed === undefined || (Number.isInteger(seed) && seed >= -1 && seed <= MAX_SEED)) {
    return undefined;
  }
  return l10n.t('The seed must be a whole number from -1 (random) to {0} (got {1}).', MAX_SEED, String(seed));
}

/** The output format actually requested: `auto` is the model's own best format. */
export function resolveOutputFormat(model: ModelInfo, requested: OutputFormat | 'auto'): OutputFormat | undefined {
  if (requested === 'auto') {
    return model.outputFormats[0];
  }
  return model.outputFormats.includes(requested) ? requested : undefined;
}

/** Why `maxImages` cannot make a set with this model and count, or undefined. */
export function checkImageSet(model: ModelInfo, maxImages: number | undefined, n: number): string | undefined {
  if (maxImages === undefined) {
    return undefined;
  }
  if (!model.imageSets) {
    return l10n.t('{0} does not make image sets: choose another model, or ask for single images.', shortModelName(model.id));
  }
  if (!Number.isInteger(maxImages) || maxImages < 1 || maxImages > MAX_IMAGES_PER_SET) {
    return l10n.t(
      'An image set has from 1 to {0} images: ask for a whole number in that range (got {1}).',
      MAX_IMAGES_PER_SET,
      String(maxImages),
    );
  }
  if (n !== 1) {
    return l10n.t(
      "An image set is one request for up to {0} images; the number of images must then stay 1 (got {1}): raise the set's size instead.",
      maxImages,
      String(n),
    );
  }
  return undefined;
}

/** Why references and images asked for are too many together, or undefined. */
export function checkImagesInAndOut(references: number, asked: number, forSet: boolean): string | undefined {
  const total = references + asked;
  if (references === 0 || total <= MAX_IMAGES_IN_AND_OUT) {
    return undefined;
  }
  const room = MAX_IMAGES_IN_AND_OUT - references;
  return forSet
    ? l10n.t(
        'Reference images and images to make may be at most {0} in one request; {1} references and a set of up to {2} make {3}: ask for a set of at most {4}, or use fewer references.',
        MAX_IMAGES_IN_AND_OUT,
        references,
        asked,
        total,
        room,
      )
    : l10n.t(
        'Reference images and images to make may be at most {0} in one request; {1} references and {2} images make {3}: ask for at most {4}, or use fewer references.',
        MAX_IMAGES_IN_AND_OUT,
        references,
        asked,
        total,
        room,
      );
}

export function validateGeneration(input: GenerationInput, target: ValidationTarget = {}): ValidationResult {
  const issues: ValidationIssue[] = [];
  const report = (field: GenerationField, message: string | undefined): void => {
    if (message) {
      issues.push({ field, message });
    }
  };

  report('prompt', checkPrompt(input.prompt));
  report('n', checkCount(input.n));
  report('seed', checkSeed(input.seed));
  if (!RESPONSE_FORMATS.includes(input.responseFormat)) {
    report(
      'responseFormat',
      l10n.t(
        'The response format must be {0} (got "{1}").',
        RESPONSE_FORMATS.map((format) => `"${format}"`).join(l10n.t(' or ')),
        String(input.responseFormat),
      ),
    );
  }

  const model = findModel(input.model);
  if (!model) {
    report('model', l10n.t('Unknown model "{0}". Choose one of: {1}.', input.model, MODELS.map((m) => m.id).join(', ')));
    return { ok: false, issues };
  }
  report('size', checkSize(model, input.size));
  const references = input.references ?? [];
  const countProblem = checkReferenceCount(model, references.length, referenceLimit(target.baseUrl));
  report('references', countProblem);
  if (!countProblem) {
    references.forEach((reference, index) => {
      const problem = checkReference(model, reference);
      if (problem) {
        issues.push({ field: 'references', message: problem, index });
      }
    });
  }
  const setProblem = checkImageSet(model, input.maxImages, input.n);
  report('maxImages', setProblem);
  if (!countProblem && !setProblem && checkCount(input.n) === undefined) {
    const forSet = input.maxImages !== undefined;
    report(forSet ? 'maxImages' : 'n', checkImagesInAndOut(references.length, imagesAsked(input), forSet));
  }
  const outputFormat = resolveOutputFormat(model, input.outputFormat);
  if (!outputFormat) {
    report(
      'outputFormat',
      l10n.t(
        '{0} makes {1} only, not {2}; choose "auto" or {3}.',
        shortModelName(model.id),
        joinWords(model.outputFormats.map((f) => f.toUpperCase())),
        String(input.outputFormat).toUpperCase(),
        joinWords(model.outputFormats),
      ),
    );
  }
  if (issues.length > 0 || !outputFormat) {
    return { ok: false, issues };
  }
  return {
    ok: true,
    request: {
      prompt: input.prompt.trim(),
      model,
      size: formatSize(parseSize(input.size)!),
      n: input.n,
      ...(input.seed === undefined || input.seed === -1 ? {} : { seed: input.seed }),
      outputFormat,
      responseFormat: input.responseFormat,
      watermark: input.watermark,
      stream: input.stream,
      references,
      ...(input.maxImages === undefined ? {} : { maxImages: input.maxImages }),
    },
  };
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) {
    return words.join('');
  }
  return l10n.t('{0} and {1}', words.slice(0, -1).join(l10n.t(', ')), words[words.length - 1]!);
}
