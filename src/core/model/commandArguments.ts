/**
 * The argument object of `seedream.generateImage`, as keybindings, tasks and other extensions pass it.
 * It comes from outside the extension, so every field is checked before it can reach a request.
 */

import * as l10n from '@vscode/l10n';
import type { OutputFormat, ResponseFormat } from './catalog';

export interface GenerateArguments {
  readonly prompt?: string;
  readonly model?: string;
  readonly size?: string;
  readonly n?: number;
  readonly seed?: number;
  readonly outputFormat?: OutputFormat | 'auto';
  readonly responseFormat?: ResponseFormat;
  readonly watermark?: boolean;
  readonly stream?: boolean;
  /** Overrides the `seedream.outputFolder` setting, with the same rules. */
  readonly folder?: string;
  /** Insert the links at the cursor of the active editor when done. */
  readonly insert?: boolean;
  /** Reference images, in order: workspace-relative paths, `file:` URIs inside the workspace, or `https:` addresses. */
  readonly references?: readonly string[];
  /** Ask for an image set of up to this many images. */
  readonly maxImages?: number;
}

type FieldType = 'string' | 'number' | 'boolean' | 'strings';

/** More than any model takes, so the count check can say how many to remove; a longer list is not a real call. */
const MAX_REFERENCE_ARGUMENTS = 64;

const FIELDS: Readonly<Record<keyof GenerateArguments, FieldType>> = {
  prompt: 'string',
  model: 'string',
  size: 'string',
  n: 'number',
  seed: 'number',
  outputFormat: 'string',
  responseFormat: 'string',
  watermark: 'boolean',
  stream: 'boolean',
  folder: 'string',
  insert: 'boolean',
  references: 'strings',
  maxImages: 'number',
};

const CHOICES: Partial<Record<keyof GenerateArguments, readonly string[]>> = {
  outputFormat: ['auto', 'png', 'jpeg'],
  responseFormat: ['url', 'b64_json'],
};

export type ParsedArguments = { readonly ok: true; readonly value: GenerateArguments } | { readonly ok: false; readonly message: string };

export function parseGenerateArguments(value: unknown): ParsedArguments {
  if (value === undefined || value === null) {
    return { ok: true, value: {} };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    // Menus pass the resource the command was invoked on: that is not an argument object.
    return { ok: true, value: {} };
  }
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, fieldValue] of Object.entries(value)) {
    const type = FIELDS[name as keyof GenerateArguments];
    if (!type) {
      problems.push(`unknown argument "${name}" (known: ${Object.keys(FIELDS).join(', ')})`);
      continue;
    }
    if (fieldValue === undefined) {
      continue;
    }
    if (type === 'strings') {
      const valid =
        Array.isArray(fieldValue) && fieldValue.length <= MAX_REFERENCE_ARGUMENTS && fieldValue.every((entry) => typeof entry === 'string');
      if (!valid) {
        problems.push(l10n.t('"{0}" must be a list of at most {1} strings', name, MAX_REFERENCE_ARGUMENTS));
        continue;
      }
      result[name] = [...(fieldValue as string[])];
      continue;
    }
    if (typeof fieldValue !== type || (type === 'number' && !Number.isFinite(fieldValue))) {
      problems.push(`"${name}" must be a ${type}`);
      continue;
    }
    const choices = CHOICES[name as keyof GenerateArguments];
    if (choices && !choices.includes(fieldValue as string)) {
      problems.push(`"${name}" must be one of ${choices.join(', ')}`);
      continue;
    }
    result[name] = fieldValue;
  }
  return problems.length > 0
    ? { ok: false, message: `Invalid arguments for Seedream: Generate Image: ${problems.join('; ')}.` }
    : { ok: true, value: result as GenerateArguments };
}
