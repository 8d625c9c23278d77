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
      problems.push(l10n.t('unknown argument "{0}" (known: {1})', name, Object.keys(FIELDS).join(', ')));
      continue;
    }
    if (fieldValue === undefined) {
      continue;
    }
    if (typeof fieldValue !== type || (type === 'number' && !Number.isFinite(fieldValue))) {
      problems.push(l10n.t('"{0}" must be a {1}', name, type));
      continue;
    }
    const choices = CHOICES[name as keyof GenerateArguments];
    if (choices && !choices.includes(fieldValue as string)) {
      problems.push(l10n.t('"{0}" must be one of {1}', name, choices.join(', ')));
      continue;
    }
    result[name] = fieldValue;
  }
  return problems.length > 0
    ? { ok: false, message: l10n.t('Invalid arguments for "Seedream: Generate Image": {0}.', problems.join(l10n.t('; '))) }
    : { ok: true, value: result as GenerateArguments };
}
