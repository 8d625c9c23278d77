/**
 * The argument object of `seedream.generateImage`, as keybindings, tasks and other extensions pass it.
 * It comes from outside the extension, so every field is checked before it can reach a request.
 */

import * as l10n from '@vscode/l10n';
import { fieldProblem, GENERATION_FIELDS, type FieldShape, type GenerationInput } from './validation';

/** Any field of a generation (the settings fill in the rest), and where the images go. */
export interface GenerateArguments extends Partial<GenerationInput> {
  /** Overrides the `seedream.outputFolder` setting, with the same rules. */
  readonly folder?: string;
  /** Insert the links at the cursor of the active editor when done. */
  readonly insert?: boolean;
}

const FIELDS: Readonly<Record<keyof GenerateArguments, FieldShape>> = {
  ...GENERATION_FIELDS,
  folder: { type: 'string' },
  insert: { type: 'boolean' },
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
    // Own keys only: an argument named like an Object method (`toString`) is as unknown as any other.
    const shape = Object.hasOwn(FIELDS, name) ? FIELDS[name as keyof GenerateArguments] : undefined;
    if (!shape) {
      problems.push(l10n.t('unknown argument "{0}" (known: {1})', name, Object.keys(FIELDS).join(', ')));
      continue;
    }
    if (fieldValue === undefined) {
      continue;
    }
    const problem = fieldProblem(name, shape, fieldValue);
    if (problem) {
      problems.push(problem);
      continue;
    }
    result[name] = fieldValue;
  }
  return problems.length > 0
    ? { ok: false, message: l10n.t('Invalid arguments for "Seedream: Generate Image": {0}.', problems.join(l10n.t('; '))) }
    : { ok: true, value: result as GenerateArguments };
}
