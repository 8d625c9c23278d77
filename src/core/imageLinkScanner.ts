/**
 * Reads image links back out of a document: what `formatImageLink` in
 * `./links` writes, and the common hand-written forms of each syntax. Each
 * link comes with its decoded path, alt text and prompt, and with offsets
 * an editor can use to replace the whole link or only its target.
 *
 * This is a scanner, not a full parser: it follows the rules of each
 * renderer (CommonMark, the HTML tokenizer, docutils, Asciidoctor) as far
 * as finding images needs, and skips what would not render as an image:
 * code blocks, code spans, comments, literal blocks.
 *
 * Every scan is one forward pass, and searches that several candidates may
 * repeat are memoized, so malformed or hostile text costs linear time.
 */
import type { LinkSyntax } from './links';

export interface ImageLinkReference {
  /** Offsets into the text (UTF-16 code units), of the whole link construct, e.g. `![alt](path "title")`, `<img ...>`, the `.. image:: path` line (plus its option lines), `image::path[...]`. */
  readonly start: number;
  readonly end: number;
  /** Offsets of just the target as written in the source (so an editor can replace only the path). */
  readonly targetStart: number;
  readonly targetEnd: number;
  /** The target decoded to a plain relative-or-absolute path: percent-decoding, backslash escapes and HTML entities undone, angle brackets removed. */
  readonly path: string;
  /** The alt text, unescaped ('' when absent). */
  readonly alt: string;
  /** A prompt written explicitly: a title of the form `prompt: ...` (Markdown/MDX title, HTML title attribute, AsciiDoc title attribute), an HTML `data-prompt` attribute, or an AsciiDoc `prompt=` attribute. */
  readonly explicitPrompt?: string;
  /** explicitPrompt ?? alt, trimmed. */
  readonly prompt: string;
}

/**
 * Every image link in `text`, in order of appearance. LaTeX is not read.
 *
 * Per syntax, the target span is: the Markdown destination as written,
 * including its `<...>` when it has them (for a reference image, in the
 * definition line); the HTML `src` value inside its quotes; the
 * reStructuredText directive argument; the AsciiDoc macro target.
 */
export function findImageLinks(text: string, syntax: LinkSyntax): ImageLinkReference[] {
  switch (syntax) {
    case 'markdown':
      return scanMarkdown(text, false);
    case 'mdx':
      return scanMarkdown(text, true);
    case 'html':
      return scanHtml(text);
    case 'restructuredtext':
      return scanRestructuredText(text);
    case 'asciidoc':
      return scanAsciiDoc(text);
    case 'latex':
      return [];
  }
}

// Any scheme, including a drive letter (`c:`), which a browser reads as one.
const URL_SCHEME = /^[a-z][a-z\d+.-]*:/i;
// Mustache/Handlebars/Jinja/Liquid, JavaScript template literals, ERB.
const TEMPLATE_SYNTAX = /\{\{|\$\{|\{%|<%/;

/**
 * Whether a link target is a local file path we could create (not http:, https:, data:, mailto:, protocol-relative //, a bare #fragment, or containing template syntax like `{{` or `${`). Strips a `?query` or `#fragment` — return the cleaned path or undefined.
 *
 * Meant for `ImageLinkReference.path`, which is already decoded: a file
 * whose name really has `#` or `?` in it is cut there too.
 */
export function localImagePath(target: string): string | undefined {
  // Browsers read `\` as `/`, so `\\host` is protocol-relative too.
  if (URL_SCHEME.test(target) || /^[\\/]{2}/.test(target) || TEMPLATE_SYNTAX.test(target)) {
    return undefined;
  }
  const queryOrFragment = target.search(/[?#]/);
  const path = queryOrFragment === -1 ? target : target.slice(0, queryOrFragment);
  return path.trim() === '' ? undefined : path;
}

// ---------------------------------------------------------------------------
// Shared helpers

type ReferenceFields = Omit<ImageLinkReference, 'explicitPrompt' | 'prompt'>;

function imageReference(fields: ReferenceFields, explicitPrompt: string | undefined): ImageLinkReference {
  const prompt = (explicitPrompt ?? fields.alt).trim();
  // Left out rather than undefined, so the object compares equal to one written without it.
  return explicitPrompt === undefined ? { ...fields, prompt } : { ...fields, explicitPrompt, prompt };
}

const PROMPT_TITLE = /^\s*prompt\s*:/i;

/** The prompt in a `prompt: ...` title; undefined for any other title, or an empty prompt. */
function promptFromTitle(title: string | undefined): string | undefined {
  if (title === undefined) {
    return undefined;
  }
  const match = PROMPT_TITLE.exec(title);
  return match === null ? undefined : nonBlank(title.slice(match[0].length));
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

interface Line {
  readonly start: number;
  /** Before the `\n` or `\r\n`. */
  readonly end: number;
  readonly text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const next = newline === -1 ? text.length : newline;
    const end = next > start && text[next - 1] === '\r' ? next - 1 : next;
    lines.push({ start, end, text: text.slice(start, end) });
    if (newline === -1) {
      return lines;
    }
    start = newline + 1;
  }
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

/**
 * A forward search that reuses its last answer: asking again from any
 * position up to that answer costs nothing, so one search per candidate
 * from ever-later positions stays linear overall.
 */
function memoizedSearch(search: (from: number) => number): (from: number) => number {
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

function skipSpaces(text: string, position: number, limit: number): number {
  let i = position;
  while (i < limit && (text[i] === ' ' || text[i] === '\t')) {
    i++;
  }
  return i;
}

function isAsciiLetter(character: string | undefined): boolean {
  const code = character === undefined || character.length !== 1 ? 0 : character.charCodeAt(0) | 0x20;
  return code >= 0x61 && code <= 0x7a;
}

/** `!` to `/`, `:` to `@`, `[` to `` ` `` and `{` to `~`: what a backslash escapes in CommonMark. */
function isAsciiPunctuation(character: string | undefined): boolean {
  const code = character === undefined || character.length !== 1 ? 0 : character.charCodeAt(0);
  return (code >= 0x21 && code <= 0x2f) || (code >= 0x3a && code <= 0x40) || (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e);
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
const ESCAPE_OR_CHARACTER_REFERENCE =
  /\\([!-/:-@[-`{-~])|&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z][a-zA-Z\d]{1,31}));/g;

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

function decodeHtmlText(value: string): string {
  return value.replace(CHARACTER_REFERENCE, (reference: string, decimal?: string, hex?: string, name?: string) =>
    decodeCharacterReference(reference, decimal, hex, name),
  );
}

/** Backslash escapes and character references in one pass, so an escaped `\&amp;` stays `&amp;`. */
function decodeMarkdownText(value: string): string {
  return value.replace(
    ESCAPE_OR_CHARACTER_REFERENCE,
    (match: string, escaped?: string, decimal?: string, hex?: string, name?: string) =>
      escaped ?? decodeCharacterReference(match, decimal, hex, name),
  );
}

const PERCENT_ESCAPES = /(?:%[\da-fA-F]{2})+/g;

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

// ---------------------------------------------------------------------------
// HTML tags, for HTML documents and raw HTML in Markdown

interface HtmlAttribute {
  /** ASCII-lowercased. */
  readonly name: string;
  /** Without its quotes; undefined for an attribute without `=`. */
  readonly value: Span | undefined;
}

interface HtmlTag {
  readonly name: string;
  /** After the closing `>`. */
  readonly end: number;
  readonly attributes: readonly HtmlAttribute[];
}

// Elements whose content is text, not tags, up to their end tag.
const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'plaintext',
]);

function isHtmlWhitespace(character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r' || character === '\f';
}

function skipHtmlWhitespace(text: string, position: number, limit: number): number {
  let i = position;
  while (i < limit && isHtmlWhitespace(text[i])) {
    i++;
  }
  return i;
}

function trimHtmlWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHtmlWhitespace(value[start])) {
    start++;
  }
  while (end > start && isHtmlWhitespace(value[end - 1])) {
    end--;
  }
  return value.slice(start, end);
}

/**
 * Reads start and end tags. `strict` follows CommonMark's raw HTML grammar
 * (anything else is text); otherwise the browser's tokenizer, which accepts
 * anything and only fails when the text ends inside the tag.
 */
class TagReader {
  private readonly quoteSearches = new Map<string, (from: number) => number>();

  constructor(
    private readonly text: string,
    private readonly strict: boolean,
  ) {}

  /** The tag whose name starts at `nameStart` (after `<` or `</`); undefined when there is none before `limit`. */
  read(nameStart: number, limit: number): HtmlTag | undefined {
    const { text, strict } = this;
    if (!isAsciiLetter(text[nameStart])) {
      return undefined;
    }
    let i = nameStart + 1;
    while (i < limit && (strict ? /^[A-Za-z\d-]$/.test(text[i]) : !isHtmlWhitespace(text[i]) && !'/>'.includes(text[i]))) {
      i++;
    }
    const name = text.slice(nameStart, i).toLowerCase();
    const attributes: HtmlAttribute[] = [];
    const names = new Set<string>();
    for (;;) {
      const next = this.skipGap(i, limit);
      if (next >= limit) {
        return undefined;
      }
      if (text[next] === '>') {
        return { name, end: next + 1, attributes };
      }
      if (text.startsWith('/>', next) && next + 1 < limit) {
        return { name, end: next + 2, attributes };
      }
      // CommonMark needs whitespace before each attribute.
      if (strict && next === i) {
        return undefined;
      }
      const attribute = this.attribute(next, limit);
      if (attribute === undefined) {
        return undefined;
      }
      if (!names.has(attribute.name)) {
        names.add(attribute.name); // A repeated attribute is ignored, as in browsers.
        attributes.push(attribute);
      }
      i = attribute.end;
    }
  }

  private skipGap(position: number, limit: number): number {
    let i = skipHtmlWhitespace(this.text, position, limit);
    // The tokenizer ignores a `/` that is not part of `/>`.
    while (!this.strict && i < limit && this.text[i] === '/' && this.text[i + 1] !== '>') {
      i = skipHtmlWhitespace(this.text, i + 1, limit);
    }
    return i;
  }

  private attribute(start: number, limit: number): (HtmlAttribute & { readonly end: number }) | undefined {
    const { text } = this;
    const nameEnd = this.attributeNameEnd(start, limit);
    if (nameEnd === start) {
      return undefined;
    }
    const name = text.slice(start, nameEnd).toLowerCase();
    const equals = skipHtmlWhitespace(text, nameEnd, limit);
    if (equals >= limit || text[equals] !== '=') {
      return { name, value: undefined, end: nameEnd };
    }
    const value = this.attributeValue(skipHtmlWhitespace(text, equals + 1, limit), limit);
    return value === undefined ? undefined : { name, value: value.span, end: value.end };
  }

  private attributeNameEnd(start: number, limit: number): number {
    const { text } = this;
    if (this.strict) {
      if (!/^[A-Za-z_:]$/.test(text[start])) {
        return start;
      }
      let i = start + 1;
      while (i < limit && /^[\w.:-]$/.test(text[i])) {
        i++;
      }
      return i;
    }
    // The tokenizer takes a leading `=` into the name.
    let i = start + 1;
    while (i < limit && !isHtmlWhitespace(text[i]) && !'/>='.includes(text[i])) {
      i++;
    }
    return i;
  }

  private attributeValue(start: number, limit: number): { readonly span: Span; readonly end: number } | undefined {
    const { text } = this;
    const quote = text[start];
    if (quote === '"' || quote === "'") {
      const close = this.nextQuote(quote, start + 1);
      return close === -1 || close >= limit ? undefined : { span: { start: start + 1, end: close }, end: close + 1 };
    }
    let i = start;
    while (i < limit && !isHtmlWhitespace(text[i]) && text[i] !== '>' && !(this.strict && /^["'=<`]$/.test(text[i]))) {
      i++;
    }
    // CommonMark needs a value after `=`; the tokenizer takes an empty one.
    return this.strict && i === start ? undefined : { span: { start, end: i }, end: i };
  }

  private nextQuote(quote: string, from: number): number {
    let search = this.quoteSearches.get(quote);
    if (search === undefined) {
      search = memoizedSearch((position) => this.text.indexOf(quote, position));
      this.quoteSearches.set(quote, search);
    }
    return search(from);
  }
}

function rawTextEndPattern(name: string): RegExp {
  return new RegExp(`</${name}(?=[\\t\\n\\f\\r />]|$)`, 'gi');
}

function decodedAttribute(text: string, tag: HtmlTag, name: string): string | undefined {
  const value = tag.attributes.find((attribute) => attribute.name === name)?.value;
  return value === undefined ? undefined : decodeHtmlText(text.slice(value.start, value.end));
}

/** The image of an `<img>` tag that has a `src` value; in JSX, a `src={expression}` is not a path. */
function htmlImage(text: string, start: number, tag: HtmlTag, jsx = false): ImageLinkReference | undefined {
  const src = tag.attributes.find((attribute) => attribute.name === 'src')?.value;
  if (src === undefined || (jsx && text[src.start] === '{' && !`"'`.includes(text[src.start - 1]))) {
    return undefined;
  }
  const explicitPrompt = nonBlank(decodedAttribute(text, tag, 'data-prompt')) ?? promptFromTitle(decodedAttribute(text, tag, 'title'));
  return imageReference(
    {
      start,
      end: tag.end,
      targetStart: src.start,
      targetEnd: src.end,
      // Browsers strip the whitespace around a URL.
      path: percentDecode(trimHtmlWhitespace(decodeHtmlText(text.slice(src.start, src.end)))),
      alt: decodedAttribute(text, tag, 'alt') ?? '',
    },
    explicitPrompt,
  );
}

// ---------------------------------------------------------------------------
// HTML documents

/** As a browser tokenizes: a comment, tag or raw text element left open runs to the end of the text. */
function scanHtml(text: string): ImageLinkReference[] {
  const reader = new TagReader(text, false);
  const found: ImageLinkReference[] = [];
  let open = text.indexOf('<');
  while (open !== -1) {
    const next = htmlConstructEnd(text, open, reader, found);
    open = next === -1 ? -1 : text.indexOf('<', next);
  }
  return found;
}

/** Where scanning goes on after the construct at `open`; -1 when it runs to the end. */
function htmlConstructEnd(text: string, open: number, reader: TagReader, found: ImageLinkReference[]): number {
  if (text.startsWith('<!--', open)) {
    return htmlCommentEnd(text, open, (from) => text.indexOf('-->', from));
  }
  const next = text[open + 1];
  if (next === '!' || next === '?' || (next === '/' && !isAsciiLetter(text[open + 2]))) {
    // Doctype, processing instruction, `</>` or a bogus comment: up to the next `>`.
    const close = text.indexOf('>', open + 2);
    return close === -1 ? -1 : close + 1;
  }
  if (next === '/') {
    return reader.read(open + 2, text.length)?.end ?? -1;
  }
  if (!isAsciiLetter(next)) {
    return open + 1;
  }
  const tag = reader.read(open + 1, text.length);
  if (tag === undefined) {
    return -1;
  }
  const image = tag.name === 'img' ? htmlImage(text, open, tag) : undefined;
  if (image !== undefined) {
    found.push(image);
  }
  return RAW_TEXT_ELEMENTS.has(tag.name) ? rawTextEnd(text, tag) : tag.end;
}

function rawTextEnd(text: string, tag: HtmlTag): number {
  if (tag.name === 'plaintext') {
    return -1;
  }
  const pattern = rawTextEndPattern(tag.name);
  pattern.lastIndex = tag.end;
  return pattern.exec(text)?.index ?? -1;
}

/** After the comment at `open`; `<!-->` and `<!--->` are complete empty comments. -1 when it is never closed. */
function htmlCommentEnd(text: string, open: number, findClose: (from: number) => number): number {
  const body = open + 4;
  if (text.startsWith('>', body)) {
    return body + 1;
  }
  if (text.startsWith('->', body)) {
    return body + 2;
  }
  const close = findClose(body);
  return close === -1 ? -1 : close + 3;
}

// ---------------------------------------------------------------------------
// Markdown and MDX (CommonMark)

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

function scanMarkdown(text: string, mdx: boolean): ImageLinkReference[] {
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
  return percentDecode(decodeMarkdownText(inner));
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
  for (let i = text.indexOf('`'); i !== -1; ) {
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

// ---------------------------------------------------------------------------
// reStructuredText (docutils)

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

function scanRestructuredText(text: string): ImageLinkReference[] {
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

// ---------------------------------------------------------------------------
// AsciiDoc (Asciidoctor)

const BLOCK_IMAGE = /^image::([^\s[](?:[^[]*[^\s[])?)\[(.*)\]$/;
const VERBATIM_DELIMITER = /^(?:-{4,}|\.{4,}|\/{4,}|\+{4,})$/;
const FENCED_CODE = /^```[\w+#.-]*$/;
const LINE_COMMENT = /^\/\/(?!\/)/;
const ATTRIBUTE_NAME = /[\p{L}\p{N}_][\p{L}\p{N}_.-]*/uy;
const ESCAPED_ATTRIBUTE_REFERENCE = /\\(\{(?:\w[\w-]*|(?:set|counter2?):[^{}]*)\})/g;

interface AsciiDocSearches {
  readonly macro: (from: number) => number;
  readonly openBracket: (from: number) => number;
  /** A `]` not escaped as `\]`. */
  readonly closeBracket: (from: number) => number;
}

/** Skips listing, literal, passthrough and comment blocks, fenced code and line comments. */
function scanAsciiDoc(text: string): ImageLinkReference[] {
  const searches: AsciiDocSearches = {
    macro: memoizedSearch((from) => text.indexOf('image:', from)),
    openBracket: memoizedSearch((from) => text.indexOf('[', from)),
    closeBracket: memoizedSearch((from) => {
      let close = text.indexOf(']', from);
      while (close > 0 && text[close - 1] === '\\') {
        close = text.indexOf(']', close + 1);
      }
      return close;
    }),
  };
  const found: ImageLinkReference[] = [];
  let delimiter: string | undefined;
  for (const line of splitLines(text)) {
    const trimmed = line.text.trimEnd();
    if (delimiter !== undefined) {
      delimiter = trimmed === delimiter ? undefined : delimiter;
    } else if (VERBATIM_DELIMITER.test(trimmed) || FENCED_CODE.test(trimmed)) {
      delimiter = trimmed.startsWith('```') ? '```' : trimmed;
    } else if (!LINE_COMMENT.test(trimmed)) {
      const block = blockAsciiDocImage(text, line, trimmed);
      found.push(...(block === undefined ? inlineAsciiDocImages(text, line, searches) : [block]));
    }
  }
  return found;
}

/** `image::target[attributes]`, alone on its line. */
function blockAsciiDocImage(text: string, line: Line, trimmed: string): ImageLinkReference | undefined {
  const match = BLOCK_IMAGE.exec(trimmed);
  if (match === null) {
    return undefined;
  }
  const targetStart = line.start + 'image::'.length;
  return asciiDocImage(text, line.start, targetStart, targetStart + match[1].length, line.start + trimmed.length);
}

/** `image:target[attributes]`, not after a word character or a `\`, with its attributes on the same line. */
function inlineAsciiDocImages(text: string, line: Line, searches: AsciiDocSearches): ImageLinkReference[] {
  const found: ImageLinkReference[] = [];
  let from = line.start;
  for (;;) {
    const start = searches.macro(from);
    if (start === -1 || start >= line.end) {
      return found;
    }
    const end = inlineAsciiDocImageEnd(text, start, line.end, searches);
    if (end === undefined) {
      from = start + 1;
    } else {
      const targetStart = start + 'image:'.length;
      found.push(asciiDocImage(text, start, targetStart, searches.openBracket(targetStart), end));
      from = end;
    }
  }
}

function inlineAsciiDocImageEnd(text: string, start: number, lineEnd: number, searches: AsciiDocSearches): number | undefined {
  const before = text[start - 1];
  if (before === '\\' || (before !== undefined && /[\p{L}\p{N}_]/u.test(before))) {
    return undefined;
  }
  const targetStart = start + 'image:'.length;
  const first = text[targetStart];
  if (targetStart >= lineEnd || first === ':' || first === '[' || /\s/.test(first)) {
    return undefined;
  }
  const open = searches.openBracket(targetStart);
  if (open === -1 || open >= lineEnd || /\s/.test(text[open - 1])) {
    return undefined;
  }
  const close = searches.closeBracket(open + 1);
  return close === -1 || close >= lineEnd ? undefined : close + 1;
}

/** `end` is after the closing `]`; `open` is the `[`. */
function asciiDocImage(text: string, start: number, targetStart: number, open: number, end: number): ImageLinkReference {
  const attributes = asciiDocAttributes(text.slice(open + 1, end - 1));
  return imageReference(
    {
      start,
      end,
      targetStart,
      targetEnd: open,
      path: percentDecode(text.slice(targetStart, open)),
      alt: attributes.alt,
    },
    nonBlank(attributes.prompt) ?? promptFromTitle(attributes.title),
  );
}

interface AsciiDocAttributes {
  alt: string;
  title?: string;
  prompt?: string;
}

/**
 * As Asciidoctor's attribute list: comma-separated, each positional or
 * `name=value`, a value double- or single-quoted with the quote
 * backslash-escaped inside. The first attribute, when positional, is the alt.
 */
function asciiDocAttributes(list: string): AsciiDocAttributes {
  const source = list.replace(/\\\]/g, ']');
  const attributes: AsciiDocAttributes = { alt: '' };
  for (let i = 0, index = 0; i < source.length; index++) {
    const entry = asciiDocAttribute(source, i);
    const value = entry.value.replace(ESCAPED_ATTRIBUTE_REFERENCE, '$1');
    if (entry.name === undefined) {
      attributes.alt = index === 0 ? value : attributes.alt;
    } else if (entry.name === 'alt' || entry.name === 'title' || entry.name === 'prompt') {
      attributes[entry.name] = value;
    }
    i = entry.end;
  }
  return attributes;
}

/** The attribute at `position`; `end` is past its `,`. */
function asciiDocAttribute(source: string, position: number): { readonly name?: string; readonly value: string; readonly end: number } {
  const start = skipSpaces(source, position, source.length);
  if (source[start] === '"' || source[start] === "'") {
    const quoted = asciiDocQuotedValue(source, start);
    return { value: quoted.value, end: afterComma(source, quoted.end) };
  }
  ATTRIBUTE_NAME.lastIndex = start;
  const name = ATTRIBUTE_NAME.exec(source)?.[0];
  const equals = name === undefined ? start : skipSpaces(source, start + name.length, source.length);
  if (name === undefined || source[equals] !== '=') {
    const end = afterComma(source, start);
    return { value: source.slice(start, source[end - 1] === ',' ? end - 1 : end).trim(), end };
  }
  const valueStart = skipSpaces(source, equals + 1, source.length);
  if (source[valueStart] === '"' || source[valueStart] === "'") {
    const quoted = asciiDocQuotedValue(source, valueStart);
    return { name: name.toLowerCase(), value: quoted.value, end: afterComma(source, quoted.end) };
  }
  const end = afterComma(source, valueStart);
  return { name: name.toLowerCase(), value: source.slice(valueStart, source[end - 1] === ',' ? end - 1 : end).trim(), end };
}

function afterComma(source: string, position: number): number {
  const comma = source.indexOf(',', position);
  return comma === -1 ? source.length : comma + 1;
}

/** Ends at the first quote not after a backslash; unclosed, the quote is just text up to the next comma. */
function asciiDocQuotedValue(source: string, open: number): { readonly value: string; readonly end: number } {
  const quote = source[open];
  if (source[open + 1] === quote) {
    return { value: '', end: open + 2 };
  }
  let close = source.indexOf(quote, open + 2);
  while (close !== -1 && source[close - 1] === '\\') {
    close = source.indexOf(quote, close + 1);
  }
  if (close === -1) {
    const comma = source.indexOf(',', open);
    const end = comma === -1 ? source.length : comma;
    return { value: source.slice(open, end).trim(), end };
  }
  return { value: source.slice(open + 1, close).replaceAll(`\\${quote}`, quote), end: close + 1 };
}
