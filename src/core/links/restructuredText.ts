/**
 * Image links in reStructuredText, as docutils reads them: `image` and
 * `figure` directives and image substitution definitions, with their `:alt:`
 * option. Comments, code and raw directives and literal blocks (after a
 * paragraph ending in `::`) are skipped, since their content does not render
 * as images.
 */
import { imageReference, type ImageLinkReference } from './reference';
import { isBlank, skipSpaces, splitLines, type Line } from './text';

const IMAGE_DIRECTIVE = /^[ \t]*\.\.[ \t]+(?:\|([^|]+)\|[ \t]+)?(image|figure)::/i;
const OPTION_LINE = /^[ \t]+:([^:\s][^:]*):(?:[ \t]+|$)/;
const EXPLICIT_MARKUP = /^[ \t]*\.\.(?:[ \t]+|$)/;
const DIRECTIVE_NAME = /^([A-Za-z\d]+(?:[-_.:+][A-Za-z\d]+)*)[ \t]*::/;
// Directives whose content is code or raw output, not reStructuredText.
const LITERAL_DIRECTIVES: ReadonlySet<string> = new Set([
  'code',
  'code-block',
  'sourcecode',
  'parsed-literal',
  'raw',
  'math',
  'doctest',
  'testcode',
  'testsetup',
  'testcleanup',
  'testoutput',
]);

/** A line that starts a block to hide: `explicit` (a comment or code directive) or `literal` (a paragraph ending in `::`). */
type HiddenBlockKind = 'explicit' | 'literal';

interface PendingHiddenBlock {
  readonly kind: HiddenBlockKind;
  readonly indent: number;
  blankSeen: boolean;
}

export function scanRestructuredText(text: string): ImageLinkReference[] {
  const lines = splitLines(text);
  const found: ImageLinkReference[] = [];
  let pending: PendingHiddenBlock | undefined;
  // Lines indented at least this much are hidden.
  let hiddenFrom: number | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (isBlank(line.text)) {
      if (pending !== undefined) {
        pending.blankSeen = true;
      }
      continue;
    }
    const indent = indentation(line.text);
    if (hiddenFrom !== undefined && indent >= hiddenFrom) {
      continue;
    }
    hiddenFrom = pending === undefined ? undefined : hiddenBlockStart(pending, indent);
    pending = undefined;
    if (hiddenFrom !== undefined) {
      continue;
    }
    const image = restructuredTextImage(lines, index, indent);
    if (image !== undefined) {
      found.push(image.reference);
      index = image.lastLine;
      continue;
    }
    const kind = hiddenBlockKind(line.text);
    pending = kind === undefined ? undefined : { kind, indent, blankSeen: false };
  }
  return found;
}

/**
 * The indentation from which lines are hidden, when this first line after
 * an opener is indented under it. A literal block needs a blank line first
 * and is as deep as its first line (the opener may be a list item).
 */
function hiddenBlockStart(pending: PendingHiddenBlock, indent: number): number | undefined {
  if (indent <= pending.indent) {
    return undefined;
  }
  if (pending.kind === 'explicit') {
    return pending.indent + 1;
  }
  return pending.blankSeen ? indent : undefined;
}

function hiddenBlockKind(line: string): HiddenBlockKind | undefined {
  const markup = EXPLICIT_MARKUP.exec(line);
  if (markup === null) {
    return line.trimEnd().endsWith('::') ? 'literal' : undefined;
  }
  const rest = line.slice(markup[0].length);
  const directive = DIRECTIVE_NAME.exec(rest);
  if (directive !== null) {
    return LITERAL_DIRECTIVES.has(directive[1].toLowerCase()) ? 'explicit' : undefined;
  }
  // Targets, footnotes, citations and substitutions; anything else after `..` is a comment.
  return /^[_[|]/.test(rest) ? undefined : 'explicit';
}

/** Tabs to the next multiple of 8, as docutils expands them. */
function indentation(line: string): number {
  let width = 0;
  for (const character of line) {
    if (character === ' ') {
      width++;
    } else if (character === '\t') {
      width += 8 - (width % 8);
    } else {
      break;
    }
  }
  return width;
}

/** An `image` or `figure` directive, or an image substitution definition, whose path is on the directive line. */
function restructuredTextImage(
  lines: readonly Line[],
  index: number,
  indent: number,
): { readonly reference: ImageLinkReference; readonly lastLine: number } | undefined {
  const line = lines[index];
  const match = IMAGE_DIRECTIVE.exec(line.text);
  const substitution = match?.[1];
  if (match === null || (substitution !== undefined && match[2].toLowerCase() !== 'image')) {
    return undefined;
  }
  const argumentStart = skipSpaces(line.text, match[0].length, line.text.length);
  const argument = line.text.slice(argumentStart).trimEnd();
  if (argument === '' || argumentStart === match[0].length) {
    return undefined;
  }
  const { options, lastLine } = directiveOptions(lines, index + 1, indent);
  const alt = options.get('alt');
  const targetStart = line.start + argumentStart;
  return {
    reference: imageReference(
      {
        start: line.start + (line.text.length - line.text.trimStart().length),
        end: lines[lastLine].end,
        targetStart,
        targetEnd: targetStart + argument.length,
        path: restructuredTextUri(argument),
        // docutils uses the substitution text as the alt text of a substitution image.
        alt: alt === undefined ? (substitution?.trim().replace(/\s+/g, ' ') ?? '') : unescapeRestructuredText(alt),
      },
      undefined,
    ),
    lastLine,
  };
}

/** The `:name: value` lines right under a directive; a value may go on over more deeply indented lines. */
function directiveOptions(
  lines: readonly Line[],
  from: number,
  directiveIndent: number,
): { readonly options: Map<string, string>; readonly lastLine: number } {
  const options = new Map<string, string>();
  let current: { readonly name: string; readonly indent: number } | undefined;
  let index = from;
  for (; index < lines.length; index++) {
    const line = lines[index].text;
    const indent = indentation(line);
    if (isBlank(line) || indent <= directiveIndent) {
      break;
    }
    const option = OPTION_LINE.exec(line);
    if (option !== null) {
      current = { name: option[1].toLowerCase(), indent };
      if (!options.has(current.name)) {
        options.set(current.name, line.slice(option[0].length).trim());
      }
    } else if (current !== undefined && indent > current.indent) {
      options.set(current.name, `${options.get(current.name) ?? ''} ${line.trim()}`.trim());
    } else {
      break;
    }
  }
  return { options, lastLine: index - 1 };
}

/** As docutils reads a URI: backslash-escaped whitespace kept as a space, unescaped whitespace dropped, other escapes undone. */
function restructuredTextUri(argument: string): string {
  let path = '';
  for (let i = 0; i < argument.length; i++) {
    const character = argument[i];
    if (character === '\\') {
      i++;
      path += /\s/.test(argument[i] ?? '') ? ' ' : (argument[i] ?? '');
    } else if (!/\s/.test(character)) {
      path += character;
    }
  }
  return path;
}

function unescapeRestructuredText(value: string): string {
  return value.replace(/\\([\s\S]?)/g, '$1');
}
