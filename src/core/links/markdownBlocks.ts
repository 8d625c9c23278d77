/**
 * The block structure of a Markdown document as CommonMark builds it,
 * reduced to what finding images needs: which lines are paragraph or
 * heading text (read for inline images), which are raw HTML blocks (read for
 * `<img>` tags, as a browser reads them), and the link reference
 * definitions. Code blocks, fenced or indented, hold no images, whatever
 * they show. Block quotes and list items are followed for where their
 * content starts on each line, so a code block inside a list item is one,
 * and a lazy line still belongs to its paragraph.
 *
 * MDX has no indented code and no HTML blocks: its tags are JSX, which the
 * inline pass reads, and indented lines are text.
 *
 * One pass over the lines. The work on a line is bounded by its length and
 * by the nesting depth, which is capped (markdown-it caps it too), so
 * hostile text costs linear time.
 */
import { TagReader } from './html';
import { readDefinition, type Definition } from './markdownLinkSyntax';
import { forEachLine, memoizedSearch, skipSpaces } from './text';

/**
 * The lines of one block joined by `\n`, each without what comes before its content on its line (the
 * markers of the block quotes and list items around it, the indentation), with a map back to the document.
 */
export class BlockText {
  readonly content: string;
  /** Runs of lines that follow each other in the document, each the same there as in `content`: where each starts in both. */
  private readonly runStarts: number[] = [];
  private readonly sourceStarts: number[] = [];

  /** `bounds`: the start and end of each line in the document, in pairs. */
  constructor(text: string, bounds: readonly number[]) {
    const runs: string[] = [];
    let length = 0;
    let runStart = bounds[0];
    let runEnd = bounds[1];
    this.runStarts.push(0);
    this.sourceStarts.push(runStart);
    for (let i = 2; i < bounds.length; i += 2) {
      // Straight after the previous line's `\n`: the run goes on.
      if (bounds[i] !== runEnd + 1) {
        runs.push(text.slice(runStart, runEnd));
        length += runEnd - runStart + 1;
        runStart = bounds[i];
        this.runStarts.push(length);
        this.sourceStarts.push(runStart);
      }
      runEnd = bounds[i + 1];
    }
    runs.push(text.slice(runStart, runEnd));
    this.content = runs.join('\n');
  }

  /** The document offset of an offset into `content`; the end of a line maps to the end of that line. */
  source(offset: number): number {
    let low = 0;
    let high = this.runStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.runStarts[middle] <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return this.sourceStarts[low] + offset - this.runStarts[low];
  }
}

/** Paragraph or heading text; `start` is where its inline content begins in `block.content` (after its definitions). */
export interface InlineText {
  readonly block: BlockText;
  readonly start: number;
}

export interface MarkdownBlocks {
  readonly inline: readonly InlineText[];
  readonly html: readonly BlockText[];
  readonly definitions: ReadonlyMap<string, Definition>;
}

export function markdownBlocks(text: string, mdx: boolean): MarkdownBlocks {
  const parser = new BlockParser(text, mdx);
  forEachLine(text, (start, end) => parser.line(start, end));
  return parser.finish();
}

// Deeper block quotes and list items are read as text of the innermost one (markdown-it stops at 20 levels).
const MAX_NESTING = 32;
const TAB_STOP = 4;
// What a block quote, list item, heading, fence, HTML block, underline or thematic break starts with.
const BLOCK_START: ReadonlySet<string> = new Set('>#`~<=-_*+0123456789');
// What an image, an `<img>` tag or a link reference definition needs.
const LINK_CHARACTER = /[![<]/g;
const IMAGE_TAG = /<img/gi;
const CODE_INDENT = 4;
// HTML blocks of kind 6: they start at these tags and end at a blank line.
const HTML_BLOCK_TAGS: ReadonlySet<string> = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt ' +
    'fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link ' +
    'main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead ' +
    'title tr track ul'
  ).split(' '),
);
// HTML blocks of kind 1, which end at the line with their end tag: their content is not Markdown.
const HTML_RAW_TAGS = /^<(?:pre|script|style|textarea)(?=[ \t>]|$)/i;
const HTML_RAW_END = /<\/(?:pre|script|style|textarea)>/i;
const HTML_BLOCK_TAG = /^<\/?([A-Za-z][A-Za-z\d-]*)(?=[ \t>]|\/>|$)/;
/** The end of the HTML blocks of kinds 1 to 5 (kinds 6 and 7 end at a blank line). */
const HTML_BLOCK_END: ReadonlyArray<RegExp | undefined> = [undefined, HTML_RAW_END, /-->/, /\?>/, />/, /\]\]>/];

type Container =
  | { readonly kind: 'quote' }
  /** A list holds its items; `marker` is the bullet, or the delimiter of a numbered list (`.` or `)`). */
  | { readonly kind: 'list'; readonly marker: string }
  /** `indent`: the columns its content is indented by; `empty` until it holds a block (it may start with one blank line). */
  | { readonly kind: 'item'; readonly indent: number; empty: boolean };

/** `lines`: the start and end of the text of each line, in pairs. */
type Leaf =
  | { readonly kind: 'paragraph'; lines: number[] }
  | { readonly kind: 'fence'; readonly marker: string; readonly length: number; readonly indent: number }
  | { readonly kind: 'indentedCode' }
  | { readonly kind: 'html'; readonly type: number; readonly lines: number[] };

function searchFor(pattern: RegExp, text: string): (from: number) => number {
  return memoizedSearch((from) => {
    pattern.lastIndex = from;
    return pattern.exec(text)?.index ?? -1;
  });
}

/** Whether `search` finds something within the lines (start and end pairs). */
function within(lines: readonly number[], search: (from: number) => number): boolean {
  const found = lines.length === 0 ? -1 : search(lines[0]);
  return found !== -1 && found < lines[lines.length - 1];
}

function isSpaceOrTab(character: string | undefined): boolean {
  return character === ' ' || character === '\t';
}

/** A position in one line, in characters and in columns (a tab goes to the next multiple of 4); one cursor serves every line. */
class LineCursor {
  /** The line, without its line ending. */
  readonly line = { start: 0, end: 0 };
  offset = 0;
  column = 0;
  /** The first character from `offset` that is not a space or tab, and its column. */
  nonspace = 0;
  private nonspaceColumn = 0;

  constructor(private readonly text: string) {}

  reset(start: number, end: number): void {
    this.line.start = start;
    this.line.end = end;
    this.offset = start;
    this.column = 0;
    this.findNonspace();
  }

  get indent(): number {
    return this.nonspaceColumn - this.column;
  }

  get blank(): boolean {
    return this.nonspace === this.line.end;
  }

  get next(): string | undefined {
    return this.nonspace < this.line.end ? this.text[this.nonspace] : undefined;
  }

  findNonspace(): void {
    let i = this.offset;
    let column = this.column;
    while (i < this.line.end) {
      const character = this.text[i];
      if (character === ' ') {
        column++;
      } else if (character === '\t') {
        column += TAB_STOP - (column % TAB_STOP);
      } else {
        break;
      }
      i++;
    }
    this.nonspace = i;
    this.nonspaceColumn = column;
  }

  /** By `count` columns (a tab may be consumed in part), or by `count` characters. */
  advance(count: number, columns: boolean): void {
    let left = count;
    while (left > 0 && this.offset < this.line.end) {
      if (this.text[this.offset] === '\t') {
        const toTab = TAB_STOP - (this.column % TAB_STOP);
        const step = columns ? Math.min(left, toTab) : toTab;
        this.column += step;
        this.offset += columns && toTab > left ? 0 : 1;
        left -= columns ? step : 1;
      } else {
        this.offset++;
        this.column++;
        left--;
      }
    }
  }

  advanceTo(position: number): void {
    this.advance(position - this.offset, false);
  }

  /** One space or tab column, if there is one. */
  skipOptionalSpace(): void {
    if (isSpaceOrTab(this.text[this.offset]) && this.offset < this.line.end) {
      this.advance(1, true);
    }
  }
}

class BlockParser {
  private readonly inline: InlineText[] = [];
  private readonly html: BlockText[] = [];
  private readonly definitions = new Map<string, Definition>();
  private readonly open: Container[] = [];
  private leaf: Leaf | undefined;
  private readonly cursor: LineCursor;
  private readonly tags: TagReader;
  /** The next character that an image or a definition needs, and the next `<img`: most blocks have none. */
  private readonly nextLinkCharacter: (from: number) => number;
  private readonly nextImageTag: (from: number) => number;
  // The state of the current line.
  /** How many of the open containers go on. */
  private matched = 0;
  /** Whether a block started: what did not go on is closed then. */
  private started = false;
  /** A thematic break of this character cannot start before `at` on this line (cmark's guard against rescans). */
  private killedBreak: { readonly character: string; readonly at: number } | undefined;

  constructor(
    private readonly text: string,
    private readonly mdx: boolean,
  ) {
    this.cursor = new LineCursor(text);
    this.tags = new TagReader(text, true);
    this.nextLinkCharacter = searchFor(LINK_CHARACTER, text);
    this.nextImageTag = searchFor(IMAGE_TAG, text);
  }

  finish(): MarkdownBlocks {
    this.closeLeaf();
    return { inline: this.inline, html: this.html, definitions: this.definitions };
  }

  line(start: number, end: number): void {
    const { cursor } = this;
    cursor.reset(start, end);
    this.killedBreak = undefined;
    this.started = false;
    this.matched = 0;
    while (this.matched < this.open.length && this.continues(this.open[this.matched], cursor)) {
      this.matched++;
      cursor.findNonspace();
    }
    let paragraphMatched = false;
    if (this.matched === this.open.length && this.leaf !== undefined) {
      if (this.leaf.kind === 'paragraph') {
        paragraphMatched = !cursor.blank;
      } else if (this.continueLeaf(this.leaf, cursor)) {
        return;
      }
    }
    this.openBlocks(cursor, paragraphMatched);
  }

  /** Before the first block that starts on this line: closes what did not go on. */
  private startBlock(): void {
    if (!this.started) {
      this.started = true;
      this.closeLeaf();
      this.open.length = this.matched;
    }
  }

  /** Whether a block quote or list item goes on on this line, past its marker or indentation. */
  private continues(container: Container, cursor: LineCursor): boolean {
    switch (container.kind) {
      case 'quote':
        if (cursor.indent > 3 || cursor.next !== '>') {
          return false;
        }
        cursor.advance(cursor.indent + 1, true);
        cursor.skipOptionalSpace();
        return true;
      case 'list':
        return true;
      case 'item':
        if (cursor.indent >= container.indent) {
          cursor.advance(container.indent, true);
          return true;
        }
        if (cursor.blank && !container.empty) {
          cursor.advanceTo(cursor.nonspace);
          return true;
        }
        return false;
    }
  }

  /** A code or HTML line, when the open code or HTML block takes it: nothing else can start inside them. */
  private continueLeaf(leaf: Exclude<Leaf, { kind: 'paragraph' }>, cursor: LineCursor): boolean {
    switch (leaf.kind) {
      case 'fence':
        if (this.closesFence(leaf, cursor)) {
          this.leaf = undefined;
        }
        return true;
      case 'indentedCode':
        return cursor.indent >= CODE_INDENT || cursor.blank;
      case 'html':
        if (leaf.type >= 6 && cursor.blank) {
          return false;
        }
        this.addHtmlLine(leaf, cursor);
        return true;
    }
  }

  /** New block quotes, list items and leaf blocks on this line, then its text: CommonMark's order of precedence. */
  private openBlocks(cursor: LineCursor, paragraphMatched: boolean): void {
    const paragraph = this.leaf?.kind === 'paragraph' ? this.leaf : undefined;
    let inParagraph = paragraphMatched;
    let maybeLazy = paragraph !== undefined;
    for (;;) {
      const indented = cursor.indent >= CODE_INDENT;
      const depth = this.started ? this.open.length : this.matched;
      const character = cursor.next;
      if (!indented && (character === undefined || !BLOCK_START.has(character))) {
        break;
      }
      if (!indented && character === '>' && depth < MAX_NESTING) {
        this.startBlock();
        cursor.advanceTo(cursor.nonspace + 1);
        cursor.skipOptionalSpace();
        this.push({ kind: 'quote' });
      } else if (!indented && this.atxHeading(cursor)) {
        return;
      } else if (!indented && this.fenceStart(cursor)) {
        return;
      } else if (!indented && this.htmlBlockStart(cursor, inParagraph || maybeLazy)) {
        return;
      } else if (!indented && inParagraph && paragraph !== undefined && this.isSetextUnderline(cursor)) {
        if (this.closeSetextHeading(paragraph)) {
          return;
        }
        // Only definitions: the underline is paragraph text.
        break;
      } else if (!indented && this.isThematicBreak(cursor)) {
        this.startBlock();
        this.place(false);
        return;
      } else if (!indented && depth < MAX_NESTING && this.listItem(cursor, inParagraph)) {
        // The item is open; its first line may hold more blocks.
      } else if (indented && !maybeLazy && !cursor.blank && !this.mdx) {
        this.startBlock();
        this.place(false);
        this.leaf = { kind: 'indentedCode' };
        return;
      } else {
        break;
      }
      inParagraph = false;
      maybeLazy = false;
      cursor.findNonspace();
    }
    this.addText(cursor, paragraphMatched);
  }

  /** What is left of the line is text: a lazy continuation, the next line of the paragraph, or a new one. */
  private addText(cursor: LineCursor, paragraphMatched: boolean): void {
    const paragraph = this.leaf?.kind === 'paragraph' ? this.leaf : undefined;
    const { nonspace, line } = cursor;
    if (!this.started && paragraph !== undefined && !paragraphMatched && !cursor.blank) {
      paragraph.lines.push(nonspace, line.end);
      return;
    }
    if (!this.started) {
      if (!paragraphMatched) {
        this.closeLeaf();
      }
      this.open.length = this.matched;
    }
    if (cursor.blank) {
      return;
    }
    if (this.leaf?.kind === 'paragraph') {
      this.leaf.lines.push(nonspace, line.end);
    } else {
      this.place(false);
      this.leaf = { kind: 'paragraph', lines: [nonspace, line.end] };
    }
  }

  /** Before a new block goes in: a list holds only items, and an item with a block is no longer empty. */
  private place(item: boolean): void {
    if (!item && this.open.at(-1)?.kind === 'list') {
      this.open.pop();
    }
    const parent = this.open.at(-1);
    if (parent?.kind === 'item') {
      parent.empty = false;
    }
  }

  private push(container: Container): void {
    this.place(container.kind === 'item');
    this.open.push(container);
  }

  private closeLeaf(): void {
    const leaf = this.leaf;
    this.leaf = undefined;
    if (leaf?.kind === 'paragraph') {
      const text = this.paragraphText(leaf.lines);
      if (text !== undefined) {
        this.inline.push(text);
      }
    } else if (leaf?.kind === 'html' && within(leaf.lines, this.nextImageTag)) {
      this.html.push(new BlockText(this.text, leaf.lines));
    }
  }

  /** A paragraph's text after the link reference definitions at its start, which are taken; undefined when none is left. */
  private paragraphText(lines: readonly number[]): InlineText | undefined {
    if (!within(lines, this.nextLinkCharacter)) {
      return undefined;
    }
    const block = new BlockText(this.text, lines);
    let start = 0;
    for (;;) {
      const found = readDefinition(block.content, start);
      if (found === undefined) {
        break;
      }
      const { destination } = found.definition;
      if (!this.definitions.has(found.label)) {
        // The first definition of a label wins. A destination never spans lines, so its ends map directly.
        this.definitions.set(found.label, {
          ...found.definition,
          destination: { ...destination, start: block.source(destination.start), end: block.source(destination.end) },
        });
      }
      start = found.end;
    }
    return start < block.content.length ? { block, start } : undefined;
  }

  private closeSetextHeading(paragraph: Extract<Leaf, { kind: 'paragraph' }>): boolean {
    const text = this.paragraphText(paragraph.lines);
    if (text === undefined) {
      paragraph.lines = [];
      return false;
    }
    this.inline.push(text);
    this.leaf = undefined;
    return true;
  }

  private atxHeading(cursor: LineCursor): boolean {
    const { text } = this;
    const { nonspace, line } = cursor;
    let i = nonspace;
    while (i < line.end && text[i] === '#' && i - nonspace < 6) {
      i++;
    }
    if (i === nonspace || (i < line.end && !isSpaceOrTab(text[i]))) {
      return false;
    }
    this.startBlock();
    this.place(false);
    const contentStart = skipSpaces(text, i, line.end);
    // The closing sequence: `#`s after a space, then spaces, or a heading of `#`s only.
    let end = line.end;
    while (end > contentStart && isSpaceOrTab(text[end - 1])) {
      end--;
    }
    let hashes = end;
    while (hashes > contentStart && text[hashes - 1] === '#') {
      hashes--;
    }
    if (hashes === contentStart || isSpaceOrTab(text[hashes - 1])) {
      end = hashes;
    }
    if (end > contentStart) {
      this.inline.push({ block: new BlockText(text, [contentStart, end]), start: 0 });
    }
    return true;
  }

  private fenceStart(cursor: LineCursor): boolean {
    const { text } = this;
    const { nonspace, line } = cursor;
    const marker = text[nonspace];
    if (marker !== '`' && marker !== '~') {
      return false;
    }
    let i = nonspace;
    while (i < line.end && text[i] === marker) {
      i++;
    }
    // A backtick fence's info string cannot contain a backtick (it would be a code span).
    if (i - nonspace < 3 || (marker === '`' && text.slice(i, line.end).includes('`'))) {
      return false;
    }
    this.startBlock();
    this.place(false);
    this.leaf = { kind: 'fence', marker, length: i - nonspace, indent: nonspace - cursor.offset };
    return true;
  }

  private closesFence(fence: Extract<Leaf, { kind: 'fence' }>, cursor: LineCursor): boolean {
    const { text } = this;
    const { nonspace, line } = cursor;
    if (cursor.indent <= 3 && text[nonspace] === fence.marker) {
      let i = nonspace;
      while (i < line.end && text[i] === fence.marker) {
        i++;
      }
      if (i - nonspace >= fence.length && skipSpaces(text, i, line.end) === line.end) {
        return true;
      }
    }
    // The content keeps what is indented past the opening fence's own indentation.
    for (let left = fence.indent; left > 0 && isSpaceOrTab(text[cursor.offset]) && cursor.offset < line.end; left--) {
      cursor.advance(1, true);
    }
    return false;
  }

  /**
   * The seven kinds of HTML block; the 7th (any complete tag alone on its line) cannot interrupt a paragraph,
   * nor start on a line that may continue one lazily.
   */
  private htmlBlockStart(cursor: LineCursor, afterParagraph: boolean): boolean {
    if (this.mdx || cursor.next !== '<') {
      return false;
    }
    const type = this.htmlBlockType(cursor.nonspace, cursor.line.end, afterParagraph);
    if (type === undefined) {
      return false;
    }
    this.startBlock();
    this.place(false);
    const leaf: Leaf = { kind: 'html', type, lines: [] };
    this.leaf = leaf;
    this.addHtmlLine(leaf, cursor);
    return true;
  }

  private htmlBlockType(open: number, end: number, afterParagraph: boolean): number | undefined {
    const { text } = this;
    const line = text.slice(open, end);
    if (HTML_RAW_TAGS.test(line)) {
      return 1;
    }
    if (line.startsWith('<!--')) {
      return 2;
    }
    if (line.startsWith('<?')) {
      return 3;
    }
    if (/^<![A-Za-z]/.test(line)) {
      return 4;
    }
    if (line.startsWith('<![CDATA[')) {
      return 5;
    }
    const name = HTML_BLOCK_TAG.exec(line)?.[1];
    if (name !== undefined && HTML_BLOCK_TAGS.has(name.toLowerCase())) {
      return 6;
    }
    if (afterParagraph) {
      return undefined;
    }
    const closing = text[open + 1] === '/';
    const tag = this.tags.read(open + (closing ? 2 : 1), end);
    const complete =
      tag !== undefined && !(closing && (tag.attributes.length > 0 || text[tag.end - 2] === '/')) && skipSpaces(text, tag.end, end) === end;
    return complete ? 7 : undefined;
  }

  private addHtmlLine(leaf: Extract<Leaf, { kind: 'html' }>, cursor: LineCursor): void {
    const { line } = cursor;
    leaf.lines.push(cursor.offset, line.end);
    const end = HTML_BLOCK_END[leaf.type];
    if (end?.test(this.text.slice(cursor.nonspace, line.end))) {
      this.closeLeaf();
    }
  }

  private isSetextUnderline(cursor: LineCursor): boolean {
    const { text } = this;
    const { nonspace, line } = cursor;
    const marker = text[nonspace];
    if (marker !== '=' && marker !== '-') {
      return false;
    }
    let i = nonspace;
    while (i < line.end && text[i] === marker) {
      i++;
    }
    return skipSpaces(text, i, line.end) === line.end;
  }

  /** Three or more `*`, `-` or `_`, alone on the line but for spaces and tabs. */
  private isThematicBreak(cursor: LineCursor): boolean {
    const { text } = this;
    const { nonspace, line } = cursor;
    const character = text[nonspace];
    if (character !== '*' && character !== '-' && character !== '_') {
      return false;
    }
    if (this.killedBreak?.character === character && nonspace < this.killedBreak.at) {
      return false;
    }
    let count = 0;
    let i = nonspace;
    for (; i < line.end; i++) {
      if (text[i] === character) {
        count++;
      } else if (!isSpaceOrTab(text[i])) {
        break;
      }
    }
    if (i === line.end && count >= 3) {
      return true;
    }
    // Any later start with the same character stops at the same place.
    this.killedBreak = { character, at: i };
    return false;
  }

  /** `-`, `+`, `*`, or up to 9 digits and `.` or `)`, then a space, a tab or the end of the line. */
  private listItem(cursor: LineCursor, inParagraph: boolean): boolean {
    const { text } = this;
    const { nonspace, line } = cursor;
    let end = nonspace;
    while (end < line.end && end - nonspace < 9 && text[end] >= '0' && text[end] <= '9') {
      end++;
    }
    const ordered = end > nonspace;
    const marker = text[end];
    if (ordered ? marker !== '.' && marker !== ')' : marker !== '-' && marker !== '+' && marker !== '*') {
      return false;
    }
    end++;
    if (end < line.end && !isSpaceOrTab(text[end])) {
      return false;
    }
    // An item that interrupts a paragraph has text, and a numbered one starts at 1.
    if (inParagraph && (skipSpaces(text, end, line.end) === line.end || (ordered && Number(text.slice(nonspace, end - 1)) !== 1))) {
      return false;
    }
    const markerIndent = cursor.indent;
    this.startBlock();
    cursor.advanceTo(end);
    const offset = cursor.offset;
    const column = cursor.column;
    while (cursor.column - column <= 5 && isSpaceOrTab(text[cursor.offset]) && cursor.offset < line.end) {
      cursor.advance(1, true);
    }
    const spaces = cursor.column - column;
    let padding = end - nonspace + spaces;
    // Five or more spaces start indented code inside the item; an item that starts blank takes one space.
    if (spaces >= 5 || spaces < 1 || cursor.offset === line.end) {
      padding = end - nonspace + 1;
      cursor.offset = offset;
      cursor.column = column;
      cursor.skipOptionalSpace();
    }
    const current = this.open.at(-1);
    if (current?.kind !== 'list' || current.marker !== marker) {
      this.push({ kind: 'list', marker });
    }
    this.push({ kind: 'item', indent: markerIndent + padding, empty: true });
    return true;
  }
}
