/**
 * Image links in Markdown and MDX, as CommonMark reads them: inline images
 * `![alt](path "title")`, reference images with their definitions, and
 * `<img>` tags in raw HTML, read by the HTML scanner's tag reader. The block
 * pass (`./markdownBlocks`) finds the paragraphs and headings, the HTML
 * blocks and the definitions, and leaves out code blocks; the inline pass
 * then reads each paragraph and heading, skipping code spans, comments,
 * autolinks and raw text elements, which would not render as images.
 */
import {
  htmlCommentEnd,
  htmlImage,
  RAW_TEXT_ELEMENTS,
  rawTextEndPattern,
  scanHtml,
  skipHtmlWhitespace,
  TagReader,
  type HtmlTag,
} from './html';
import { markdownBlocks, type BlockText, type InlineText } from './markdownBlocks';
import {
  MAX_LABEL_LENGTH,
  markdownPath,
  normalizeLabel,
  parseInlineTail,
  parseLinkLabel,
  type Definition,
  type LinkTarget,
} from './markdownLinkSyntax';
import { imageReference, promptFromTitle, referencesFromTitle, type ImageLinkReference } from './reference';
import { decodeMarkdownText, isAsciiLetter, isAsciiPunctuation, memoizedSearch } from './text';

// The characters the inline scan acts on.
const MARKDOWN_SPECIAL = /[\\`![\]<{]/g;
// `<scheme:...>`; a `<` cannot occur inside, so failed matches never overlap.
const AUTOLINK = /<[A-Za-z][A-Za-z\d+.-]{1,31}:[^\s<>]*>/y;

export function scanMarkdown(text: string, mdx: boolean): ImageLinkReference[] {
  const { inline, html, definitions } = markdownBlocks(text, mdx);
  const found = inline.flatMap((paragraph) => new MarkdownInlineScanner(paragraph, mdx, definitions).scan());
  // The browser reads an HTML block as it is written.
  const inHtml = html.flatMap((block) => scanHtml(block.content).map((image) => inDocument(block, image)));
  return [...found, ...inHtml].sort((a, b) => a.start - b.start);
}

/** An image read at `offset` in a block's text, with its offsets into the document. */
function inDocument(block: BlockText, image: ImageLinkReference, offset = 0): ImageLinkReference {
  return {
    ...image,
    start: block.source(offset + image.start),
    end: block.source(offset + image.end),
    targetStart: block.source(offset + image.targetStart),
    targetEnd: block.source(offset + image.targetEnd),
  };
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
  private readonly text: string;
  private readonly block: BlockText;
  private readonly backtickRuns: ReadonlyMap<number, readonly number[]>;
  private readonly tags: TagReader;
  /** One memoized forward search per string searched for, which keeps the scan linear. */
  private readonly searches = new Map<string, (from: number) => number>();
  private readonly rawTextCloses = new Map<string, (from: number) => number>();

  constructor(
    private readonly paragraph: InlineText,
    private readonly mdx: boolean,
    private readonly definitions: ReadonlyMap<string, Definition>,
  ) {
    const text = paragraph.block.content;
    this.text = text;
    this.block = paragraph.block;
    this.backtickRuns = backtickRuns(text);
    this.tags = new TagReader(text, true);
  }

  /** The next `marker` at or after `from`, or -1. */
  private find(marker: string, from: number): number {
    let search = this.searches.get(marker);
    if (search === undefined) {
      search = memoizedSearch((position) => this.text.indexOf(marker, position));
      this.searches.set(marker, search);
    }
    return search(from);
  }

  scan(): ImageLinkReference[] {
    let i = this.paragraph.start;
    while (i < this.text.length) {
      i = this.step(i);
    }
    return this.found.map((image) => image.build());
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
    return closer !== undefined ? closer + length : end;
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
        // A destination never spans lines, so its ends map directly.
        const { destination } = inline;
        return {
          ...inline,
          destination: { ...destination, start: this.block.source(destination.start), end: this.block.source(destination.end) },
        };
      }
    }
    return this.referenceTarget(opener, bracket);
  }

  /** `[text][label]`, `[text][]` or `[text]`, when the label is defined. */
  private referenceTarget(opener: Opener, bracket: number): LinkTarget | undefined {
    const { text, definitions } = this;
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

  /** `target.destination` is in the document already. */
  private addImage(opener: Opener, bracket: number, target: LinkTarget): void {
    // An image inside another image's description only adds to its alt text.
    this.found.length = opener.foundBefore;
    const { text, block } = this;
    const start = opener.position;
    const { destination, title, end } = target;
    this.found.push({
      build: () =>
        imageReference(
          {
            start: block.source(start),
            end: block.source(end),
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
      const end = htmlCommentEnd(text, open, (from) => this.find('-->', from));
      return end === -1 ? open + 1 : end;
    }
    const rawHtml = this.otherRawHtmlEnd(open);
    if (rawHtml !== undefined) {
      // Markdown inside is text; a browser ends the construct at its first `>` and shows the tags after it.
      for (const image of scanHtml(text.slice(open, rawHtml))) {
        this.found.push({ build: () => inDocument(this.block, image, open) });
      }
      return rawHtml;
    }
    const closing = text[open + 1] === '/';
    const tag = this.tags.read(open + (closing ? 2 : 1), text.length);
    if (tag === undefined) {
      return this.autolinkEnd(open) ?? open + 1;
    }
    if (closing) {
      return tag.end;
    }
    const image = tag.name === 'img' ? htmlImage(text, open, tag, this.mdx) : undefined;
    if (image !== undefined) {
      this.found.push({ build: () => inDocument(this.block, image) });
    }
    return RAW_TEXT_ELEMENTS.has(tag.name) ? this.rawTextClose(tag) : tag.end;
  }

  /** After a processing instruction `<?...?>`, a CDATA section or a declaration `<!X...>`; undefined when there is none. */
  private otherRawHtmlEnd(open: number): number | undefined {
    const { text } = this;
    const close = text.startsWith('<?', open)
      ? '?>'
      : text.startsWith('<![CDATA[', open)
        ? ']]>'
        : text[open + 1] === '!' && isAsciiLetter(text[open + 2])
          ? '>'
          : undefined;
    const found = close === undefined ? -1 : this.find(close, open + 2);
    return close === undefined || found === -1 ? undefined : found + close.length;
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
    const close = this.find('*/', open + 3);
    if (close === -1) {
      return open + 1;
    }
    const brace = skipHtmlWhitespace(this.text, close + 2, this.text.length);
    return this.text[brace] === '}' ? brace + 1 : close + 2;
  }
}
