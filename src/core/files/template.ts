/**
 * `${name}` templates, shared by the file name and output folder settings.
 * Syntax as in VS Code's `markdown.copyFiles.destination`: `${name}` is a
 * variable and `\$` is a literal dollar sign; everything else is literal text.
 */
import * as l10n from '@vscode/l10n';

export type TemplatePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'variable'; readonly name: string };

export type ParsedTemplate =
  { readonly ok: true; readonly parts: readonly TemplatePart[] } | { readonly ok: false; readonly problem: string };

const TOKEN = /\\\$|\$\{([^}]*)\}/g;

/**
 * Splits a template into text and variables. `problem` (a lower-case phrase
 * the caller puts after the setting name) explains an unclosed `${` or
 * variables that are not in `knownVariables`.
 */
export function parseTemplate(template: string, knownVariables: readonly string[]): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let unclosed = false;
  const addLiteral = (text: string): void => {
    unclosed ||= text.includes('${');
    if (text !== '') {
      parts.push({ kind: 'text', text });
    }
  };
  let textStart = 0;
  for (const match of template.matchAll(TOKEN)) {
    addLiteral(template.slice(textStart, match.index));
    const name = match[1];
    parts.push(name === undefined ? { kind: 'text', text: '$' } : { kind: 'variable', name });
    textStart = match.index + match[0].length;
  }
  addLiteral(template.slice(textStart));

  if (unclosed) {
    return { ok: false, problem: l10n.t('a "${" has no closing "}"') };
  }
  const unknown = [...new Set(variableNames(parts))].filter((name) => !knownVariables.includes(name));
  if (unknown.length > 0) {
    const known = formatVariableList(knownVariables);
    return {
      ok: false,
      problem:
        unknown.length === 1
          ? l10n.t('unknown variable {0}; known variables are {1}', formatVariableList(unknown), known)
          : l10n.t('unknown variables {0}; known variables are {1}', formatVariableList(unknown), known),
    };
  }
  return { ok: true, parts };
}

/** Names of the variables the template uses, in order, with repeats. */
export function variableNames(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((part) => (part.kind === 'variable' ? [part.name] : []));
}

/** Joins the parts, replacing each variable with its value. */
export function expandTemplate(parts: readonly TemplatePart[], values: Readonly<Record<string, string | undefined>>): string {
  return parts
    .map((part) => {
      if (part.kind === 'text') {
        return part.text;
      }
      const value = values[part.name];
      // Callers check availability first, so they can explain it to the user.
      if (value === undefined) {
        throw new Error(`No value for \${${part.name}}`);
      }
      return value;
    })
    .join('');
}

/** `${a}, ${b}` for messages. */
export function formatVariableList(names: readonly string[]): string {
  return names.map((name) => `\${${name}}`).join(', ');
}

/** YYYY-MM-DD in local time: the user's calendar day, not UTC's. */
export function formatDate(date: Date): string {
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

/** HHMMSS in local time. */
export function formatTime(date: Date): string {
  return `${pad(date.getHours(), 2)}${pad(date.getMinutes(), 2)}${pad(date.getSeconds(), 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
