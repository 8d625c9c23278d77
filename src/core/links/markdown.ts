/**
 * Image links in Markdown and MDX, as CommonMark reads them: inline images
 * `![alt](path "title")`, reference images with their definitions, and
 * `<img>` tags in raw HTML, read by the HTML scanner's tag reader. A first
 * pass over the lines finds fenced code blocks, blank lines and link
 * reference definitions; the inline pass then skips code spans, comments,
 * autolinks and raw text elements, which would not render as images.
 */
import { htmlCommentEnd, htmlImage, RAW_TEXT_ELEMENTS, rawTextEndPattern, skipHtmlWhitespace, TagReader, type HtmlTag } from './html';
import { imageReference, promptFromTitle, referencesFromTitle, type ImageLinkReference } from './reference';
import {
  decodeMarkdownText,
  isAsciiPunctuation,
  isBlank,
  memoizedSearch,
  skipSpaces,
  splitLines,
  urlTargetPath,
  type Line,
  type Span,
} from './text';

/** A link destination; `raw` as written, with its `<...>` if any. */
interface Destination extends Span {
  readonly raw: string;
}

interface LinkTarget {
  /** After the construct: after `)` or the reference label. */
  readonly end: number;
  readonly destination: Destination;
  readonly title: string | undefined;
}

interface Definition {
  readonly destination: Destination;
  readonly title: string | undefined;
}

interface MarkdownBlocks {
  /** Fenced code blocks and definition lines, in order. */
  readonly excluded: readonly Span[];
  /** Where inline constructs cannot continue: blank lines and the starts of excluded blocks, in order. */
  readonly boundaries: readonly number[];
  readonly definitions: ReadonlyMap<string, Definition>;
}

const MAX_LABEL_LENGTH = 999;
// cmark's limit; it also keeps a run of `(` from being rescanned by every image before it.
const MAX_DESTINATION_PARENTHESES = 32;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
// The characters the inline scan acts on.
const MARKDOWN_SPECIAL = /[\\`![\]<{]/g;
// `<scheme:...>`; a `<` cannot occur inside, so failed matches never overlap.
const AUTOLINK = /<[A-Za-z][A-Za-z\d+.-]{1,31}:[^\s<>]*>/y;
const TITLE_CLOSE: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ['(', ')'],
]);

export function scanMarkdown(text: string, mdx: boolean): ImageLinkReference[] {
  return new MarkdownInlineScanner(text, mdx, markdownBlocks(text)).scan();
}

/** Fenced code blocks (indented code blocks are not recognized), blank lines and link reference definitions. */
function markdownBlocks(text: string): MarkdownBlocks {
  const excluded: Span[] = [];
  const boundaries: number[] = [];
  const definitions = new Map<string, Definition>();
  let fence: { readonly marker: string; readonly start: number } | undefined;
  for (const line of splitLines(text)) {
    if (fence !== undefined) {
      if (closesFence(line.text, fence.marker)) {
        excluded.push({ start: fence.start, end: line.end });
        fence = undefined;
      }
      continue;
    }
    const marker = fenceMarker(line.text);
    if (marker !== undefined) {
      fence = { marker, start: line.start };
      boundaries.push(line.start);
    } else if (isBlank(line.text)) {
      boundaries.push(line.start);
    } else {
      const definition = parseDefinition(text, line);
      if (definition !== undefined) {
        const [label, value] = definition;
        if (!definitions.has(label)) {
          definitions.set(label, value); // The first definition of a label wins.
        }
        excluded.push({ start: line.start, end: line.end });
        boundaries.push(line.start);
      }
    }
  }
  if (fence !== undefined) {
    excluded.push({ start: fence.start, end: text.length }); // An unclosed fence runs to the end.
  }
  return { excluded, boundaries, definitions };
}

function fenceMarker(line: string): string | undefined {
  const match = FENCE.exec(line);
  if (match === null) {
    return undefined;
  }
  // A backtick fence's info string cannot contain a backtick (it would be a code span).
  return match[1][0] === '`' && line.includes('`', match[0].length) ? undefined : match[1];
}

function closesFence(line: string, marker: string): boolean {
  const match = CLOSING_FENCE.exec(line);
  return match !== null && match[1][0] === marker[0] && match[1].length >= marker.length;
}

/** `[label]: destination "title"` on one line, as [normalized label, definition]. */
function parseDefinition(text: string, line: Line): [string, Definition] | undefined {
  const indent = /^ {0,3}\[/.exec(line.text);
  if (indent === null) {
    return undefined;
  }
  const label = parseLinkLabel(text, line.start + indent[0].length - 1, line.end);
  if (label === undefined || text[label.end] !== ':' || label.raw.trim() === '') {
    return undefined;
  }
  const destination = parseDestination(text, skipSpaces(text, label.end + 1, line.end), line.end);
  if (destination === undefined || destination.end === destination.start) {
    return undefined;
  }
  let i = skipSpaces(text, destination.end, line.end);
  let title: { readonly end: number; readonly value: string } | undefined;
  if (i > destination.end && i < line.end) {
    title = parseTitle(text, i, line.end);
    i = title === undefined ? i : skipSpaces(text, title.end, line.end);
  }
  return i === line.end ? [normalizeLabel(label.raw), { destination, title: title?.value }] : undefined;
}

/** Labels match case-insensitively, with runs of whitespace as one space. */
function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toUpperCase().toLowerCase();
}

/** `[label]` at `open`: at most 999 characters, no unescaped `[`. */
function parseLinkLabel(text: string, open: number, limit: number): { readonly end: number; readonly raw: string } | undefined {
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

function parseDestination(text: string, start: number, limit: number): Destination | undefined {
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
function parseTitle(text: string, open: number, limit: number): { readonly end: number; readonly value: string } | undefined {
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

/** Spaces and tabs, including at most one line ending. */
function skipLinkWhitespace(text: string, position: number): number {
  const i = skipSpaces(text, position, text.length);
  const lineEnding = text.startsWith('\r\n', i) ? 2 : text[i] === '\n' || text[i] === '\r' ? 1 : 0;
  return lineEnding === 0 ? i : skipSpaces(text, i + lineEnding, text.length);
}

/** `(destination "title")` from the `(` at `open`. */
function parseInlineTail(text: string, open: number): LinkTarget | undefined {
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

function markdownPath(destination: string): string {
  const inner = destination.startsWith('<') ? destination.slice(1, -1) : destination;
  return urlTargetPath(decodeMarkdownText(inner));
}

function firstAtOrAfter(sorted: readonly number[] | undefined, value: number): number | undefined {
  if (sorted === undefined) {
    return undefined;
  }
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < sorted.length ? sorted[low] : undefined;
}

/** Start positions of every maximal run of backticks, by run length. */
function backtickRuns(text: string): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (let i = text.indexOf('`'); i !== -1;) {
    let end = i;
    while (text[end] === '`') {
      end++;
    }
    const starts = runs.get(end - i) ?? [];
    starts.push(i);
    runs.set(end - i, starts);
    i = text.indexOf('`', end);
  }
  return runs;
}

/** A `[` or `![` waiting for its `]`. */
interface Opener {
  readonly position: number;
  readonly image: boolean;
  /** How many images had been found when it opened: those found since are inside it. */
  readonly foundBefore: number;
}

/** An image found; built at the end, when images nested in another's alt text have been dropped. */
interface FoundImage {
  readonly start: number;
  readonly build: () => ImageLinkReference;
}

/**
 * CommonMark's inline pass, reduced to what finds images: code spans,
 * autolinks and raw HTML bind tighter than brackets; each `]` closes the
 * nearest `[` or `![`; a link makes the `[` before it inactive, since links
 * cannot nest.
 */
class MarkdownInlineScanner {
  private readonly found: FoundImage[] = [];
  private readonly openers: Opener[] = [];
  /** Link (not image) openers below this index are inactive. */
  private linkBarrier = 0;
  private excludedIndex = 0;
  /** The first boundary after the current position. */
  private boundaryIndex = 0;
  private readonly backtickRuns: ReadonlyMap<number, readonly number[]>;
  private readonly tags: TagReader;
  private readonly htmlCommentClose: (from: number) => number;
  private readonly mdxCommentClose: (from: number) => number;
  private readonly rawTextCloses = new Map<string, (from: number) => number>();

  constructor(
    private readonly text: string,
    private readonly mdx: boolean,
    private readonly blocks: MarkdownBlocks,
  ) {
    this.backtickRuns = backtickRuns(text);
    this.tags = new TagReader(text, true);
    this.htmlCommentClose = memoizedSearch((from) => text.indexOf('-->', from));
    this.mdxCommentClose = memoizedSearch((from) => text.indexOf('*/', from));
  }

  scan(): ImageLinkReference[] {
    let i = 0;
    while (i < this.text.length) {
      const position = this.enterBlock(i);
      i = position === i ? this.step(i) : position;
    }
    return this.found.map((image) => image.build()).sort((a, b) => a.start - b.start);
  }

  /** Past an excluded block; forgets open brackets at each boundary crossed. */
  private enterBlock(position: number): number {
    const { excluded, boundaries } = this.blocks;
    while (this.boundaryIndex < boundaries.length && boundaries[this.boundaryIndex] <= position) {
      this.boundaryIndex++;
      this.openers.length = 0;
      this.linkBarrier = 0;
    }
    while (this.excludedIndex < excluded.length && excluded[this.excludedIndex].end <= position) {
      this.excludedIndex++;
    }
    const block = this.excludedIndex < excluded.length ? excluded[this.excludedIndex] : undefined;
    return block !== undefined && block.start <= position ? block.end : position;
  }

  private nextBoundary(): number {
    const { boundaries } = this.blocks;
    return this.boundaryIndex < boundaries.length ? boundaries[this.boundaryIndex] : this.text.length;
  }

  private step(i: number): number {
    const { text } = this;
    switch (text[i]) {
      case '\\':
        return isAsciiPunctuation(text[i + 1]) ? i + 2 : i + 1;
      case '`':
        return this.codeSpan(i);
      case '!':
        return text[i + 1] === '[' ? this.open(i, true) : i + 1;
      case '[':
        return this.open(i, false);
      case ']':
        return this.close(i);
      case '<':
        return this.html(i);
      case '{':
        return this.mdx && text.startsWith('/*', i + 1) ? this.mdxComment(i) : i + 1;
      default:
        return this.nextSpecial(i + 1);
    }
  }

  /** The next character that can start something, or the end: most text is skipped in one search. */
  private nextSpecial(from: number): number {
    MARKDOWN_SPECIAL.lastIndex = from;
    return MARKDOWN_SPECIAL.exec(this.text)?.index ?? this.text.length;
  }

  /** A code span closes at the next run of as many backticks in the same paragraph; otherwise the run is text. */
  private codeSpan(start: number): number {
    let end = start;
    while (this.text[end] === '`') {
      end++;
    }
    const length = end - start;
    const closer = firstAtOrAfter(this.backtickRuns.get(length), end);
    return closer !== undefined && closer < this.nextBoundary() ? closer + length : end;
  }

  private open(position: number, image: boolean): number {
    this.openers.push({ position, image, foundBefore: this.found.length });
    return position + (image ? 2 : 1);
  }

  private close(bracket: number): number {
    const index = this.openers.length - 1;
    if (index < 0) {
      return bracket + 1;
    }
    const opener = this.openers[index];
    this.openers.length = index;
    const active = opener.image || index >= this.linkBarrier;
    this.linkBarrier = Math.min(this.linkBarrier, index);
    const target = active ? this.linkTarget(opener, bracket) : undefined;
    if (target === undefined) {
      return bracket + 1;
    }
    if (opener.image) {
      this.addImage(opener, bracket, target);
    } else {
      this.linkBarrier = index;
    }
    return target.end;
  }

  private linkTarget(opener: Opener, bracket: number): LinkTarget | undefined {
    if (this.text[bracket + 1] === '(') {
      const inline = parseInlineTail(this.text, bracket + 1);
      if (inline !== undefined) {
        return inline;
      }
    }
    return this.referenceTarget(opener, bracket);
  }

  /** `[text][label]`, `[text][]` or `[text]`, when the label is defined. */
  private referenceTarget(opener: Opener, bracket: number): LinkTarget | undefined {
    const { text } = this;
    const { definitions } = this.blocks;
    if (definitions.size === 0) {
      return undefined;
    }
    const textStart = opener.position + (opener.image ? 2 : 1);
    let label: string | undefined;
    let end = bracket + 1;
    const explicit = text[end] === '[' ? parseLinkLabel(text, end, text.length) : undefined;
    if (explicit !== undefined) {
      end = explicit.end;
      label = explicit.raw === '' ? undefined : explicit.raw;
    }
    if (label === undefined && bracket - textStart > MAX_LABEL_LENGTH) {
      return undefined;
    }
    const definition = definitions.get(normalizeLabel(label ?? text.slice(textStart, bracket)));
    return definition === undefined ? undefined : { end, ...definition };
  }

  private addImage(opener: Opener, bracket: number, target: LinkTarget): void {
    // An image inside another image's description only adds to its alt text.
    this.found.length = opener.foundBefore;
    const { text } = this;
    const start = opener.position;
    const { destination, title, end } = target;
    this.found.push({
      start,
      build: () =>
        imageReference(
          {
            start,
            end,
            targetStart: destination.start,
            targetEnd: destination.end,
            path: markdownPath(destination.raw),
            alt: decodeMarkdownText(text.slice(start + 2, bracket)),
          },
          promptFromTitle(title),
          referencesFromTitle(title),
        ),
    });
  }

  /** Comments, tags (an `<img>` is an image) and autolinks, which hide the brackets inside them. */
  private html(open: number): number {
    const { text } = this;
    if (text.startsWith('<!--', open)) {
      const end = htmlCommentEnd(text, open, this.htmlCommentClose);
      return end === -1 ? open + 1 : end;
    }
    const closing = text[open + 1] === '/';
    const tag = this.tags.read(open + (closing ? 2 : 1), this.nextBoundary());
    if (tag === undefined) {
      return this.autolinkEnd(open) ?? open + 1;
    }
    if (closing) {
      return tag.end;
    }
    const image = tag.name === 'img' ? htmlImage(text, open, tag, this.mdx) : undefined;
    if (image !== undefined) {
      this.found.push({ start: open, build: () => image });
    }
    return RAW_TEXT_ELEMENTS.has(tag.name) ? this.rawTextClose(tag) : tag.end;
  }

  private autolinkEnd(open: number): number | undefined {
    AUTOLINK.lastIndex = open;
    return AUTOLINK.exec(this.text) === null ? undefined : AUTOLINK.lastIndex;
  }

  /** At the element's end tag; when it has none the tag is all that is skipped. */
  private rawTextClose(tag: HtmlTag): number {
    let search = this.rawTextCloses.get(tag.name);
    if (search === undefined) {
      const pattern = rawTextEndPattern(tag.name);
      search = memoizedSearch((from) => {
        pattern.lastIndex = from;
        return pattern.exec(this.text)?.index ?? -1;
      });
      this.rawTextCloses.set(tag.name, search);
    }
    const close = search(tag.end);
    return close === -1 ? tag.end : close;
  }

  /** `{/* ... *\/}`; unclosed, the `{` is text. */
  private mdxComment(open: number): number {
    const close = this.mdxCommentClose(open + 3);
    if (close === -1) {
      return open + 1;
    }
    const brace = skipHtmlWhitespace(this.text, close + 2, this.text.length);
    return this.text[brace] === '}' ? brace + 1 : close + 2;
  }
}
