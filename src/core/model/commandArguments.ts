/**
 * The argument object of `seedream.generateImage`, as keybindings, tasks and other extensions pass it.
 * It comes from outside the extension, so every field is checked before it can reach a request.
 */

import * as l10n from '@vscode/l10n';
import { checkReferenceSpec } from './references';
import { fieldProblem, GENERATION_FIELDS, type FieldShape, type GenerationInput } from './validation';

/** Any field of a generation (the settings fill in the rest), and where the images go. */
export interface GenerateArguments extends Partial<Omit<GenerationInput, 'references'>> {
  /** Overrides the `seedream.outputFolder` setting, with the same rules. */
  readonly folder?: string;
  /** Insert the links at the cursor of the active editor when done. */
  readonly insert?: boolean;
  /** Reference images, in order: workspace-relative paths, `file:` URIs inside the workspace, or `https:` addresses. */
  readonly references?: readonly string[];
}

const FIELDS: Readonly<Record<keyof GenerateArguments, FieldShape>> = {
  ...GENERATION_FIELDS,
  folder: { type: 'string' },
  insert: { type: 'boolean' },
  references: { type: 'strings' },
  maxImages: { type: 'number' },
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
    .filter((name) => !isArgumentField(name))
    .map((name) => l10n.t('unknown argument "{0}" (known: {1})', name, GENERATE_ARGUMENT_FIELDS.join(', ')));
  const checked = checkGenerateArguments(value);
  const problems = [...unknown, ...checked.problems];
  return problems.length > 0
    ? { ok: false, message: l10n.t('Invalid arguments for "Seedream: Generate Image": {0}.', problems.join(l10n.t('; '))) }
    : { ok: true, value: checked.value };
}

/**
 * The checks of each known field of `value`, without a verdict on the others: what a front end with
 * fields of its own (a language-model tool) shares with the command.
 */
export function checkGenerateArguments(value: object): { readonly value: GenerateArguments; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, fieldValue] of Object.entries(value)) {
    if (!isArgumentField(name) || fieldValue === undefined) {
      continue;
    }
    const problem = fieldProblem(name, FIELDS[name], fieldValue);
    if (problem) {
      problems.push(problem);
      continue;
    }
    if (name === 'references') {
      const refused = (fieldValue as readonly string[]).map(checkReferenceSpec).filter((message) => message !== undefined);
      if (refused.length > 0) {
        problems.push(...refused);
        continue;
      }
    }
    result[name] = fieldValue;
  }
  return { value: result as GenerateArguments, problems };
}

/** Own keys only: an argument named like an Object method (`toString`) is as unknown as any other. */
function isArgumentField(name: string): name is keyof GenerateArguments {
  return Object.hasOwn(FIELDS, name);
}
