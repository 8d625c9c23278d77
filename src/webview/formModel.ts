/**
 * The Studio form as data: what the user has typed (a draft), what the chosen model allows, and what is
 * wrong with it. Pure, so the rules are tested without a DOM and the DOM code only renders them.
 */

import * as l10n from '@vscode/l10n';
import { ASPECT_PRESETS, findModel, MAX_SEED, type ModelInfo, type OutputFormat, type ResponseFormat } from '../core/model/catalog';
import { checkSize, parseSize, validateGeneration, type GenerationField, type ValidationIssue } from '../core/model/validation';
import type { StudioForm } from '../shared/protocol';

/** A tier of the model, or the custom WxH text. */
export const CUSTOM_SIZE = 'custom';

export interface FormDraft {
  readonly prompt: string;
  readonly model: string;
  /** A tier such as `2K`, or {@link CUSTOM_SIZE}. */
  readonly sizeChoice: string;
  /** Kept while a tier is chosen, so switching back restores it. */
  readonly customSize: string;
  readonly n: number;
  /** As typed: empty means a random seed. */
  readonly seedText: string;
  readonly outputFormat: OutputFormat | 'auto';
  readonly responseFormat: ResponseFormat;
  readonly watermark: boolean;
  readonly stream: boolean;
}

const DEFAULT_CUSTOM_SIZE = '2560x1440';

export function draftFromForm(form: StudioForm, previous?: FormDraft): FormDraft {
  const size = parseSize(form.size);
  const isTier = size?.kind === 'tier';
  return {
    prompt: form.prompt,
    model: form.model,
    sizeChoice: isTier ? size.tier : CUSTOM_SIZE,
    customSize: isTier ? (previous?.customSize ?? DEFAULT_CUSTOM_SIZE) : form.size,
    n: form.n,
    seedText: form.seed === undefined || form.seed === -1 ? '' : String(form.seed),
    outputFormat: form.outputFormat,
    responseFormat: form.responseFormat,
    watermark: form.watermark,
    stream: form.stream,
  };
}

/** The draft as the host receives it; a seed that is not a number is left out (and reported by `draftIssues`). */
export function formFromDraft(draft: FormDraft): StudioForm {
  const seed = parseSeedText(draft.seedText);
  return {
    prompt: draft.prompt,
    model: draft.model,
    size: draft.sizeChoice === CUSTOM_SIZE ? draft.customSize : draft.sizeChoice,
    n: draft.n,
    ...(seed === undefined || Number.isNaN(seed) ? {} : { seed }),
    outputFormat: draft.outputFormat,
    responseFormat: draft.responseFormat,
    watermark: draft.watermark,
    stream: draft.stream,
  };
}

/** A number, undefined for "random" (empty), or NaN for text that is not a whole number. */
export function parseSeedText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  return /^-?\d{1,10}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Everything that stops this draft from being generated, each with the field it belongs to. */
export function draftIssues(draft: FormDraft): readonly ValidationIssue[] {
  const validated = validateGeneration(formFromDraft(draft));
  const issues = validated.ok ? [] : [...validated.issues];
  if (Number.isNaN(parseSeedText(draft.seedText))) {
    issues.push({ field: 'seed', message: l10n.t('The seed must be a whole number from 0 to {0}, or empty for a random one.', MAX_SEED) });
  }
  return issues;
}

/** The first message for each field. */
function issuesByField(issues: readonly ValidationIssue[]): ReadonlyMap<GenerationField, string> {
  const byField = new Map<GenerationField, string>();
  for (const issue of issues) {
    if (!byField.has(issue.field)) {
      byField.set(issue.field, issue.message);
    }
  }
  return byField;
}

/**
 * Switches the model and keeps the rest valid where a choice no longer exists: a tier the new model lacks
 * becomes its nearest offered tier, a format it cannot make becomes `auto`. A custom size stays as typed,
 * so its live check tells the user what the new model allows.
 */
export function withModel(draft: FormDraft, modelId: string): FormDraft {
  const model = findModel(modelId);
  if (!model) {
    return { ...draft, model: modelId };
  }
  const keepsTier = draft.sizeChoice === CUSTOM_SIZE || (model.tiers as readonly string[]).includes(draft.sizeChoice);
  const keepsFormat = draft.outputFormat === 'auto' || model.outputFormats.includes(draft.outputFormat);
  return {
    ...draft,
    model: modelId,
    sizeChoice: keepsTier ? draft.sizeChoice : nearestTier(model, draft.sizeChoice),
    outputFormat: keepsFormat ? draft.outputFormat : 'auto',
  };
}

function nearestTier(model: ModelInfo, tier: string): string {
  const wanted = Number.parseInt(tier, 10) || 2;
  return (
    [...model.tiers].sort((a, b) => Math.abs(Number.parseInt(a, 10) - wanted) - Math.abs(Number.parseInt(b, 10) - wanted))[0] ?? CUSTOM_SIZE
  );
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export function sizeChoices(model: ModelInfo | undefined): readonly Choice[] {
  const tiers = model?.tiers.map((tier) => ({ value: tier, label: tier })) ?? [];
  return [...tiers, { value: CUSTOM_SIZE, label: l10n.t('Custom (W×H)') }];
}

export function outputFormatChoices(model: ModelInfo | undefined): readonly Choice[] {
  const formats = model?.outputFormats ?? [];
  const auto = formats[0] ? l10n.t('Auto ({0})', formats[0].toUpperCase()) : l10n.t('Auto');
  return [{ value: 'auto', label: auto }, ...formats.map((format) => ({ value: format, label: format.toUpperCase() }))];
}

export interface AspectPreset {
  readonly ratio: string;
  readonly size: string;
  /** Whether the model takes this size. */
  readonly allowed: boolean;
}

export function aspectPresets(model: ModelInfo | undefined): readonly AspectPreset[] {
  return ASPECT_PRESETS.map((preset) => ({
    ...preset,
    allowed: model !== undefined && checkSize(model, preset.size) === undefined,
  }));
}

/** A seed for the dice button, from 32 random bits (the browser's crypto). */
export function seedFromRandomBits(bits: number): number {
  return (bits >>> 0) % (MAX_SEED + 1);
}

/**
 * The messages to show: a field's own message once the user has changed it, every message after a
 * Generate attempt, and the host's refusals (which the user has not yet answered by editing).
 */
export function visibleIssues(
  issues: readonly ValidationIssue[],
  touched: ReadonlySet<GenerationField>,
  attempted: boolean,
  hostIssues: readonly ValidationIssue[] = [],
): ReadonlyMap<GenerationField, string> {
  const own = issues.filter((issue) => attempted || touched.has(issue.field));
  return issuesByField([...own, ...hostIssues]);
}
