/**
 * The text pieces every image link scanner shares: splitting text into
 * lines, spaces and character classes, memoized forward searches (which keep
 * each scan linear on malformed or hostile text), and undoing HTML character
 * references, Markdown backslash escapes and percent-encoding. Each lives
 * here once, so the syntaxes read the same text in the same way.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Line {
  readonly start: number;
  /** Before the `\n` or `\r\n`. */
  readonly end: number;
  readonly text: string;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  forEachLine(text, (start, end) => lines.push({ start, end, text: text.slice(start, end) }));
  return lines;
}

/** Each line's start and end (before its `\n` or `\r\n`), without making a string of it. */
export function forEachLine(text: string, visit: (start: number, end: number) => void): void {
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const next = newline === -1 ? text.length : newline;
    visit(start, next > start && text[next - 1] === '\r' ? next - 1 : next);
    if (newline === -1) {
      return;
    }
    start = newline + 1;
  }
}

export function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

/**
 * A forward search that reuses its last answer: asking again from any
 * position up to that answer costs nothing, so one search per candidate
 * from ever-later positions stays linear overall.
 */
export function memoizedSearch(search: (from: number) => number): (from: number) => number {
  let searchedFrom = Number.POSITIVE_INFINITY;
  let found = -1;
  return (from) => {
    if (from < searchedFrom || (found !== -1 && from > found)) {
      searchedFrom = from;
      found = search(from);
    }
    return found;
  };
}

export function skipSpaces(text: string, position: number, limit: number): number {
  let i = position;
  while (i < limit && (text[i] === ' ' || text[i] === '\t')) {
    i++;
  }
  return i;
}

export function isAsciiLetter(character: string | undefined): boolean {
  const code = character === undefined || character.length !== 1 ? 0 : character.charCodeAt(0) | 0x20;
  return code >= 0x61 && code <= 0x7a;
}

/** `!` to `/`, `:` to `@`, `[` to `` ` `` and `{` to `~`: what a backslash escapes in CommonMark. */
export function isAsciiPunctuation(character: string | undefined): boolean {
  const code = character === undefined || character.length !== 1 ? 0 : character.charCodeAt(0);
  return (
    (code >= 0x21 && code <= 0x2f) || (code >= 0x3a && code <= 0x40) || (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e)
  );
}

// Only the references links.ts writes and common hand-written ones; others stay as written.
const NAMED_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00A0'],
]);
const CHARACTER_REFERENCE = /&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z][a-zA-Z\d]{1,31}));/g;
const ESCAPE_OR_CHARACTER_REFERENCE = /\\([!-/:-@[-`{-~])|&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z][a-zA-Z\d]{1,31}));/g;

function decodeCharacterReference(
  reference: string,
  decimal: string | undefined,
  hex: string | undefined,
  name: string | undefined,
): string {
  if (name !== undefined) {
    return NAMED_CHARACTERS.get(name) ?? reference;
  }
  const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return valid ? String.fromCodePoint(code) : '\uFFFD';
}

export function decodeHtmlText(value: string): string {
  return value.replace(CHARACTER_REFERENCE, (reference: string, decimal?: string, hex?: string, name?: string) =>
    decodeCharacterReference(reference, decimal, hex, name),
  );
}

/** Backslash escapes and character references in one pass, so an escaped `\&amp;` stays `&amp;`. */
export function decodeMarkdownText(value: string): string {
  return value.replace(
    ESCAPE_OR_CHARACTER_REFERENCE,
    (match: string, escaped?: string, decimal?: string, hex?: string, name?: string) =>
      escaped ?? decodeCharacterReference(match, decimal, hex, name),
  );
}

const PERCENT_ESCAPES = /(?:%[\da-fA-F]{2})+/g;

/**
 * The file a link target names when the syntax reads it as a URL (Markdown, HTML, AsciiDoc): cut before
 * its `?query` or `#fragment`, then percent-decoded, so that `%23` and `%3F` stay part of the name.
 */
export function urlTargetPath(value: string): string {
  const queryOrFragment = value.search(/[?#]/);
  return percentDecode(queryOrFragment === -1 ? value : value.slice(0, queryOrFragment));
}

/** `%XX` runs decoded as UTF-8; a run that is not UTF-8 stays as written rather than failing. */
function percentDecode(value: string): string {
  return value.replace(PERCENT_ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
