/**
 * The parts of a Markdown link that both passes read: labels, destinations
 * and titles, and the link reference definitions built from them (which the
 * block pass takes from the start of each paragraph and the inline pass
 * resolves). They work on a block's text, where the lines of a paragraph are
 * joined by `\n` without their container prefixes, so no blank line occurs
 * inside.
 */
import { decodeMarkdownText, isAsciiPunctuation, skipSpaces, urlTargetPath, type Span } from './text';

/** A link destination; `raw` as written, with its `<...>` if any. */
export interface Destination extends Span {
  readonly raw: string;
}

export interface Definition {
  /** Offsets into the text it was read from; once the scanner keeps it, into the document. */
  readonly destination: Destination;
  readonly title: string | undefined;
}

export interface LinkTarget extends Definition {
  /** After the construct: after `)` or the reference label. */
  readonly end: number;
}

export const MAX_LABEL_LENGTH = 999;
// cmark's limit; it also keeps a run of `(` from being rescanned by every image before it.
const MAX_DESTINATION_PARENTHESES = 32;
export const TITLE_CLOSE: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ['(', ')'],
]);

/** Labels match case-insensitively, with runs of whitespace as one space. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toUpperCase().toLowerCase();
}

/** `[label]` at `open`: at most 999 characters, no unescaped `[`. */
export function parseLinkLabel(text: string, open: number, limit: number): { readonly end: number; readonly raw: string } | undefined {
  for (let i = open + 1; i < limit && i <= open + MAX_LABEL_LENGTH + 1; i++) {
    const character = text[i];
    if (character === ']') {
      return { end: i + 1, raw: text.slice(open + 1, i) };
    }
    if (character === '[') {
      return undefined;
    }
    if (character === '\\') {
      i++;
    }
  }
  return undefined;
}

export function parseDestination(text: string, start: number, limit: number): Destination | undefined {
  return text[start] === '<' ? parseAngleDestination(text, start, limit) : parseBareDestination(text, start, limit);
}

/** `<...>`: no line break and no unescaped `<`, so scans from different `<` never overlap. */
function parseAngleDestination(text: string, start: number, limit: number): Destination | undefined {
  for (let i = start + 1; i < limit; i++) {
    const character = text[i];
    if (character === '>') {
      return { start, end: i + 1, raw: text.slice(start, i + 1) };
    }
    if (character === '<' || character === '\n' || character === '\r') {
      return undefined;
    }
    if (character === '\\' && isAsciiPunctuation(text[i + 1])) {
      i++;
    }
  }
  return undefined;
}

/** Up to a space or control character, with balanced parentheses. */
function parseBareDestination(text: string, start: number, limit: number): Destination | undefined {
  let depth = 0;
  let i = start;
  for (; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) {
      break;
    }
    if (code === 0x5c /* \ */ && isAsciiPunctuation(text[i + 1])) {
      i++;
    } else if (code === 0x28 /* ( */) {
      if (++depth > MAX_DESTINATION_PARENTHESES) {
        return undefined;
      }
    } else if (code === 0x29 /* ) */) {
      if (depth === 0) {
        break;
      }
      depth--;
    }
  }
  return depth === 0 ? { start, end: i, raw: text.slice(start, i) } : undefined;
}

/** `"..."`, `'...'` or `(...)` at `open`, over lines but not a blank line. */
export function parseTitle(text: string, open: number, limit: number): { readonly end: number; readonly value: string } | undefined {
  const close = TITLE_CLOSE.get(text[open]);
  if (close === undefined) {
    return undefined;
  }
  for (let i = open + 1; i < limit; i++) {
    const character = text[i];
    if (character === close) {
      return { end: i + 1, value: decodeMarkdownText(text.slice(open + 1, i)) };
    }
    if (character === '\\' && isAsciiPunctuation(text[i + 1])) {
      i++;
    } else if ((character === '(' && close === ')') || (character === '\n' && isBlankLineAt(text, i + 1))) {
      return undefined;
    }
  }
  return undefined;
}

function isBlankLineAt(text: string, position: number): boolean {
  const i = skipSpaces(text, position, text.length);
  return i === text.length || text[i] === '\n' || text[i] === '\r';
}

function isLineEnd(text: string, position: number): boolean {
  return position === text.length || text[position] === '\n';
}

/** Spaces and tabs, including at most one line ending. */
export function skipLinkWhitespace(text: string, position: number): number {
  const i = skipSpaces(text, position, text.length);
  const lineEnding = text.startsWith('\r\n', i) ? 2 : text[i] === '\n' || text[i] === '\r' ? 1 : 0;
  return lineEnding === 0 ? i : skipSpaces(text, i + lineEnding, text.length);
}

/** `(destination "title")` from the `(` at `open`; offsets into `text`. */
export function parseInlineTail(text: string, open: number): LinkTarget | undefined {
  const destination = parseDestination(text, skipLinkWhitespace(text, open + 1), text.length);
  if (destination === undefined) {
    return undefined;
  }
  let i = skipLinkWhitespace(text, destination.end);
  let title: string | undefined;
  if (i > destination.end && TITLE_CLOSE.has(text[i])) {
    const parsed = parseTitle(text, i, text.length);
    if (parsed === undefined) {
      return undefined;
    }
    title = parsed.value;
    i = skipLinkWhitespace(text, parsed.end);
  }
  return text[i] === ')' ? { end: i + 1, destination, title } : undefined;
}

/** The file a destination names: without its `<...>`, escapes and references undone, as a URL. */
export function markdownPath(destination: string): string {
  const inner = destination.startsWith('<') ? destination.slice(1, -1) : destination;
  return urlTargetPath(decodeMarkdownText(inner));
}

/**
 * The link reference definition at `start` of a paragraph's text, over as many lines as it takes:
 * `[label]: destination "title"`. `end` is where the rest of the paragraph starts (after the definition's
 * line ending); the destination's offsets are into `text`.
 */
export function readDefinition(
  text: string,
  start: number,
): { readonly end: number; readonly label: string; readonly definition: Definition } | undefined {
  if (text[start] !== '[') {
    return undefined;
  }
  const label = parseLinkLabel(text, start, text.length);
  if (label === undefined || text[label.end] !== ':' || label.raw.trim() === '') {
    return undefined;
  }
  const destination = parseDestination(text, skipLinkWhitespace(text, label.end + 1), text.length);
  if (destination === undefined || destination.end === destination.start) {
    return undefined;
  }
  const found = (end: number, title: string | undefined) => ({
    end: end === text.length ? end : end + 1,
    label: normalizeLabel(label.raw),
    definition: { destination, title },
  });
  const titleStart = skipLinkWhitespace(text, destination.end);
  if (titleStart > destination.end && TITLE_CLOSE.has(text[titleStart])) {
    const title = parseTitle(text, titleStart, text.length);
    const after = title === undefined ? -1 : skipSpaces(text, title.end, text.length);
    if (title !== undefined && isLineEnd(text, after)) {
      return found(after, title.value);
    }
  }
  // Without a title, the destination ends its line; a title that fails on a line of its own is paragraph text.
  const after = skipSpaces(text, destination.end, text.length);
  return isLineEnd(text, after) ? found(after, undefined) : undefined;
}
