/**
 * HTML tags, for HTML documents and raw HTML in Markdown: a tag reader that
 * follows either the browser's tokenizer or CommonMark's stricter raw HTML
 * grammar, the image of an `<img>` tag, and the scan of a whole HTML
 * document, which skips comments and raw text elements such as `<script>`
 * as a browser does. The Markdown scanner reuses the tag reader, comment
 * and raw text handling and `htmlImage` for the HTML inside Markdown.
 */
import { imageReference, nonBlank, promptFromTitle, referencesFromTitle, splitReferenceList, type ImageLinkReference } from './reference';
import { decodeHtmlText, isAsciiLetter, memoizedSearch, urlTargetPath, type Span } from './text';

interface HtmlAttribute {
  /** ASCII-lowercased. */
  readonly name: string;
  /** Without its quotes; undefined for an attribute without `=`. */
  readonly value: Span | undefined;
}

export interface HtmlTag {
  readonly name: string;
  /** After the closing `>`. */
  readonly end: number;
  readonly attributes: readonly HtmlAttribute[];
}

// Elements whose content is text, not tags, up to their end tag.
export const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set([
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

export function skipHtmlWhitespace(text: string, position: number, limit: number): number {
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
export class TagReader {
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

export function rawTextEndPattern(name: string): RegExp {
  return new RegExp(`</${name}(?=[\\t\\n\\f\\r />]|$)`, 'gi');
}

function decodedAttribute(text: string, tag: HtmlTag, name: string): string | undefined {
  const value = tag.attributes.find((attribute) => attribute.name === name)?.value;
  return value === undefined ? undefined : decodeHtmlText(text.slice(value.start, value.end));
}

/** The image of an `<img>` tag that has a `src` value; in JSX, a `src={expression}` is not a path. */
export function htmlImage(text: string, start: number, tag: HtmlTag, jsx = false): ImageLinkReference | undefined {
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
      path: urlTargetPath(trimHtmlWhitespace(decodeHtmlText(text.slice(src.start, src.end)))),
      alt: decodedAttribute(text, tag, 'alt') ?? '',
    },
    explicitPrompt,
    splitReferenceList(decodedAttribute(text, tag, 'data-from')) ?? referencesFromTitle(decodedAttribute(text, tag, 'title')),
  );
}

// ---------------------------------------------------------------------------
// HTML documents

/** As a browser tokenizes: a comment, tag or raw text element left open runs to the end of the text. */
export function scanHtml(text: string): ImageLinkReference[] {
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
export function htmlCommentEnd(text: string, open: number, findClose: (from: number) => number): number {
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
