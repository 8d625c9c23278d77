/**
 * Image links in AsciiDoc, as Asciidoctor reads them: block
 * `image::target[...]` and inline `image:target[...]` macros, with the alt,
 * title and prompt from their attribute list. Listing, literal, passthrough
 * and comment blocks, fenced code and line comments are skipped, since their
 * content does not render as images.
 */
import { imageReference, nonBlank, promptFromTitle, referencesFromTitle, splitReferenceList, type ImageLinkReference } from './reference';
import { memoizedSearch, skipSpaces, splitLines, urlTargetPath, type Line } from './text';

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
export function scanAsciiDoc(text: string): ImageLinkReference[] {
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
      path: urlTargetPath(text.slice(targetStart, open)),
      alt: attributes.alt,
    },
    nonBlank(attributes.prompt) ?? promptFromTitle(attributes.title),
    splitReferenceList(attributes.from) ?? referencesFromTitle(attributes.title),
  );
}

interface AsciiDocAttributes {
  alt: string;
  title?: string;
  prompt?: string;
  from?: string;
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
    } else if (entry.name === 'alt' || entry.name === 'title' || entry.name === 'prompt' || entry.name === 'from') {
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
