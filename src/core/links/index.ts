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
 *
 * Each syntax's scanner lives in its own module (`./markdown` with
 * `./markdownBlocks`, `./html`, `./restructuredText`, `./asciidoc`); this
 * module picks one by syntax and decides which link targets are local files.
 */
import type { LinkSyntax } from './linkFormat';
import { scanAsciiDoc } from './asciidoc';
import { scanHtml } from './html';
import { scanMarkdown } from './markdown';
import type { ImageLinkReference } from './reference';
import { scanRestructuredText } from './restructuredText';

export type { ImageLinkReference } from './reference';

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
 * The local file a link's decoded path names, when it is one we could create: not http:, https:, data:,
 * mailto:, protocol-relative `//`, empty (a bare `#fragment` or `?query`), or template syntax like `{{`
 * or `${`. Meant for `ImageLinkReference.path`, from which the scanners of URL syntaxes have already
 * dropped a query or fragment.
 */
export function localImagePath(target: string): string | undefined {
  // Browsers read `\` as `/`, so `\\host` is protocol-relative too.
  if (URL_SCHEME.test(target) || /^[\\/]{2}/.test(target) || TEMPLATE_SYNTAX.test(target)) {
    return undefined;
  }
  return target.trim() === '' ? undefined : target;
}
