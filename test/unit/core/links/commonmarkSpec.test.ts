import assert from 'node:assert/strict';
import { tests as specExamples } from 'commonmark-spec';
import MarkdownIt from 'markdown-it';
import { findImageLinks } from '../../../../src/core/links';
import { urlTargetPath } from '../../../../src/core/links/text';

/**
 * The Markdown scanner against the CommonMark spec's examples, with markdown-it as the reference: a false
 * "missing image" inside a code sample or an HTML block invites paying for an example. Each example is read
 * as written and in two forms that put an image link on every line, so that each line shows whether it is
 * text, code or HTML. An image is its decoded path; an `<img>` tag is written `<img src=path>`. What
 * markdown-it hands to the browser as raw HTML is read with our HTML scanner, as the browser would show it.
 */

type Variant = 'as written' | 'appended' | 'line after';

const VARIANTS: ReadonlyArray<[Variant, string, (lines: readonly string[]) => string[]]> = [
  ['as written', 'as written', (lines) => [...lines]],
  [
    'appended',
    'with an image link appended to each non-blank line',
    (lines) => {
      let count = 0;
      return lines.map((line) => (/^[ \t]*$/.test(line) ? line : `${line} ![](line${++count}.png)`));
    },
  ],
  [
    'line after',
    'with a line of its own holding an image link after each line',
    (lines) => lines.flatMap((line, i) => (i === lines.length - 1 ? [line] : [line, `![](after${i + 1}.png)`])),
  ],
];

interface Difference {
  readonly ours: readonly string[];
  readonly markdownIt: readonly string[];
}

/**
 * Where the scanner differs from markdown-it on purpose, by variant and example number. The test fails when
 * one of them goes away or changes, and when a new one appears.
 */
const DELIBERATE: Readonly<Record<string, Difference & { readonly reason: string }>> = {
  'appended #193': {
    ours: ['line2.png', 'line3.png', 'line4.png'],
    markdownIt: ['line4.png'],
    reason:
      'CommonMark takes link reference definitions from the start of a paragraph, so the lines after one are still ' +
      'paragraph text (commonmark.js reads them so); markdown-it ends the block after the definition and reads the ' +
      'next line, indented, as code.',
  },
  'line after #195': {
    ours: ['after2.png', 'after3.png', 'after4.png', 'after5.png'],
    markdownIt: ['after4.png', 'after5.png'],
    reason:
      'As in #193: after the definition `<my url>` is paragraph text for CommonMark (commonmark.js agrees), ' +
      'and an HTML block that runs to the blank line for markdown-it.',
  },
};

const markdownIt = new MarkdownIt('commonmark');
type Token = ReturnType<typeof markdownIt.parse>[number];

function markdownItImages(tokens: readonly Token[], found: string[] = []): string[] {
  for (const token of tokens) {
    if (token.type === 'image') {
      found.push(urlTargetPath(String(token.attrGet('src') ?? '')));
    } else if (token.type === 'html_block' || token.type === 'html_inline') {
      found.push(...findImageLinks(token.content, 'html').map((image) => `<img src=${image.path}>`));
    }
    // An image's children are its alt text: an image inside it renders as text.
    if (token.children !== null && token.type !== 'image') {
      markdownItImages(token.children, found);
    }
  }
  return found;
}

function scannedImages(text: string): string[] {
  return findImageLinks(text, 'markdown').map((image) => (text[image.start] === '<' ? `<img src=${image.path}>` : image.path));
}

describe('the Markdown scanner on the CommonMark spec examples', () => {
  for (const [variant, description, write] of VARIANTS) {
    it(`finds the images markdown-it finds in each example ${description}, but for the deliberate differences`, () => {
      const found: Record<string, Difference> = {};
      for (const example of specExamples) {
        const text = write(example.markdown.replaceAll('→', '\t').split('\n')).join('\n');
        const difference = { ours: scannedImages(text), markdownIt: markdownItImages(markdownIt.parse(text, {})) };
        if (JSON.stringify(difference.ours) !== JSON.stringify(difference.markdownIt)) {
          found[`${variant} #${example.number}`] = difference;
        }
      }
      const expected = Object.fromEntries(
        Object.entries(DELIBERATE)
          .filter(([key]) => key.startsWith(`${variant} #`))
          .map(([key, { ours, markdownIt: theirs }]) => [key, { ours, markdownIt: theirs }]),
      );
      assert.deepEqual(found, expected);
    });
  }
});
