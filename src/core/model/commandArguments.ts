/**
 * The argument object of `seedream.generateImage`, as keybindings, tasks and other extensions pass it.
 * It comes from outside the extension, so every field is checked before it can reach a request.
 */

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
}

type FieldType = 'string' | 'number' | 'boolean';

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
};

const CHOICES: Partial<Record<keyof GenerateArguments, readonly string[]>> = {
  outputFormat: ['auto', 'png', 'jpeg'],
  responseFormat: ['url', 'b64_json'],
};

export type ParsedArguments = { readonly ok: true; readonly value: GenerateArguments } | { readonly ok: false; readonly message: string };

/** The names of the argument object's fields, for front ends that take a part of them (language-model tools). */
export const GENERATE_ARGUMENT_FIELDS = Object.keys(FIELDS) as readonly (keyof GenerateArguments)[];

export function parseGenerateArguments(value: unknown): ParsedArguments {
  if (value === undefined || value === null) {
    return { ok: true, value: {} };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    // Menus pass the resource the command was invoked on: that is not an argument object.
    return { ok: true, value: {} };
  }
  const unknown = Object.keys(value)
    .filter((name) => !(name in FIELDS))
    .map((name) => `unknown argument "${name}" (known: ${GENERATE_ARGUMENT_FIELDS.join(', ')})`);
  const checked = checkGenerateArguments(value);
  const problems = [...unknown, ...checked.problems];
  return problems.length > 0
    ? { ok: false, message: `Invalid arguments for Seedream: Generate Image: ${problems.join('; ')}.` }
    : { ok: true, value: checked.value };
}

/**
 * The type and choice checks of each known field of `value`, without a verdict on the others: what a
 * front end with fields of its own (a language-model tool) shares with the command.
 */
export function checkGenerateArguments(value: object): { readonly value: GenerateArguments; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, fieldValue] of Object.entries(value)) {
    const type = FIELDS[name as keyof GenerateArguments];
    if (!type || fieldValue === undefined) {
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
  return { value: result as GenerateArguments, problems };
}
