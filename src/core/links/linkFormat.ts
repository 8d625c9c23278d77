/**
 * Image links in the syntax of the document being written.
 *
 * Paths are relative POSIX paths. Non-ASCII characters always stay as they
 * are, readable in the source: renderers and browsers percent-encode them as
 * UTF-8 themselves. Only characters that would change the link's meaning
 * (`#` fragment, `?` query, `%` escapes, ...) or end it early are encoded.
 */
import * as l10n from '@vscode/l10n';
import { normalizeSegments, splitPath } from '../files/posixPath';

export type LinkSyntax = 'markdown' | 'mdx' | 'html' | 'restructuredtext' | 'asciidoc' | 'latex';

const SYNTAX_BY_LANGUAGE = new Map<string, LinkSyntax>([
  ['markdown', 'markdown'],
  ['mdx', 'mdx'],
  ['html', 'html'],
  ['restructuredtext', 'restructuredtext'],
  ['rst', 'restructuredtext'],
  ['asciidoc', 'asciidoc'],
  ['latex', 'latex'],
  ['tex', 'latex'],
]);

/** The name of each syntax, as messages say it; the order is that of the list of linkable documents. */
const SYNTAX_NAMES: Readonly<Record<LinkSyntax, string>> = {
  markdown: 'Markdown',
  mdx: 'MDX',
  html: 'HTML',
  restructuredtext: 'reStructuredText',
  asciidoc: 'AsciiDoc',
  latex: 'LaTeX',
};

/** The link syntax for a VS Code language id; undefined when images cannot be linked (plaintext, code). */
export function linkSyntaxForLanguage(languageId: string): LinkSyntax | undefined {
  return SYNTAX_BY_LANGUAGE.get(languageId);
}

/** The kinds of document an image link can be written into, for messages: "Markdown, MDX, HTML, …". */
export function linkableDocumentTypes(): string {
  return Object.values(SYNTAX_NAMES).join(', ');
}

/**
 * The complete link, without a trailing newline. reStructuredText gives two
 * lines joined by `\n`; reStructuredText, AsciiDoc and LaTeX links are block
 * constructs that belong on their own line. Throws an Error (message for the
 * user) when the path has a character the syntax cannot express.
 */
export function formatImageLink(syntax: LinkSyntax, relativePath: string, altText: string): string {
  const alt = imageAltText(altText);
  switch (syntax) {
    case 'markdown':
      return `![${backslashEscape(alt, MARKDOWN_ALT_SPECIALS)}](${markdownDestination(relativePath)})`;
    case 'mdx':
      return `![${backslashEscape(alt, MDX_ALT_SPECIALS)}](${markdownDestination(relativePath)})`;
    case 'html':
      return `<img src="${escapeHtmlAttribute(percentEncode(relativePath, HTML_SRC_ENCODED))}" alt="${escapeHtmlAttribute(alt)}">`;
    case 'restructuredtext':
      return restructuredTextImage(relativePath, alt);
    case 'asciidoc':
      return `image::${percentEncode(relativePath, ASCIIDOC_TARGET_ENCODED)}[${asciiDocAlt(alt)}]`;
    case 'latex':
      return `\\includegraphics[width=\\linewidth,alt={${latexText(alt)}}]{${latexPath(relativePath)}}`;
  }
}

/**
 * Just the target of an image link, written as `formatImageLink` writes it, to replace the path of an
 * existing link while keeping its alt text, title and attributes.
 */
export function formatLinkTarget(syntax: LinkSyntax, relativePath: string): string {
  switch (syntax) {
    case 'markdown':
    case 'mdx':
      return markdownDestination(relativePath);
    case 'html':
      return escapeHtmlAttribute(percentEncode(relativePath, HTML_SRC_ENCODED));
    case 'restructuredtext':
      return restructuredTextPath(relativePath);
    case 'asciidoc':
      return percentEncode(relativePath, ASCIIDOC_TARGET_ENCODED);
    case 'latex':
      return latexPath(relativePath);
  }
}

/**
 * Relative link from a document's folder to a file, both absolute POSIX
 * paths: `images/a.png`, `../img/a.png`, `a.png`. Paths are compared
 * exactly (case-sensitively). `./` goes in front when the first segment has
 * a colon (`./a:b.png`). Throws for a path that is not absolute.
 */
export function relativeLinkPath(fromDocumentDir: string, toFile: string): string {
  const from = absoluteSegments(fromDocumentDir);
  const to = absoluteSegments(toFile);
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) {
    common++;
  }
  const segments = [...from.slice(common).map(() => '..'), ...to.slice(common)];
  // A first segment like `c:` or `a:b.png` would read as a URL scheme.
  const prefix = segments[0]?.includes(':') ? './' : '';
  return prefix + segments.join('/');
}

function absoluteSegments(path: string): string[] {
  const segments = path.startsWith('/') ? normalizeSegments(splitPath(path)) : undefined;
  if (segments === undefined) {
    throw new Error(`Expected an absolute path, got "${path}"`);
  }
  return segments;
}

const MAX_ALT_LENGTH = 250;

/** One line of at most 250 characters, cut at a word when possible: a whole prompt can be long. */
function imageAltText(text: string): string {
  const collapsed = text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  const characters = [...collapsed];
  if (characters.length <= MAX_ALT_LENGTH) {
    return collapsed;
  }
  const head = characters.slice(0, MAX_ALT_LENGTH).join('');
  const lastSpace = head.lastIndexOf(' ');
  const kept = lastSpace > 0 ? head.slice(0, lastSpace) : characters.slice(0, MAX_ALT_LENGTH - 1).join('');
  return `${kept}…`;
}

function backslashEscape(text: string, specials: RegExp): string {
  return text.replace(specials, '\\$&');
}

function percentEncode(path: string, encoded: RegExp): string {
  return path.replace(encoded, (character) => encodeURIComponent(character));
}

/** Controls and whitespace other than a space are invisible in a message, so they are named by code point. */
function describeCharacter(character: string): string {
  return /^[\p{Cc}\s]$/u.test(character) && character !== ' '
    ? `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    : `"${character}"`;
}

function rejectCharacters(path: string, forbidden: RegExp, syntaxName: string): void {
  const match = forbidden.exec(path);
  if (match !== null) {
    throw new Error(
      l10n.t(
        '{0} cannot link to an image path containing {1} ("{2}"). Rename the file or folder, or change the output folder or file name setting.',
        syntaxName,
        describeCharacter(match[0]),
        path,
      ),
    );
  }
}

// Markdown: escape what would end the image text early or turn part of it
// into a code span, an HTML tag or an entity (`&amp;` is decoded, in the
// destination too); emphasis characters only change the alt.
const MARKDOWN_ALT_SPECIALS = /[\\[\]`<]|&(?=#?[a-z0-9]+;)/gi;
// MDX also reads `{` as a JavaScript expression and `<` as JSX.
const MDX_ALT_SPECIALS = /[\\[\]`<{}]|&(?=#?[a-z0-9]+;)/gi;
// `%`, `#` and `?` have URL meaning; `\`, `<`, `>` and controls cannot stand even inside `<...>`.
const MARKDOWN_PATH_ENCODED = /[\p{Cc}%#?\\<>]|&(?=#?[a-z0-9]+;)/giu;

function markdownDestination(path: string): string {
  const encoded = percentEncode(path, MARKDOWN_PATH_ENCODED);
  return needsAngleBrackets(encoded) ? `<${encoded}>` : encoded;
}

/** As VS Code's markdown extension: whitespace or unbalanced parentheses end a bare destination. */
function needsAngleBrackets(path: string): boolean {
  if (/\s/u.test(path)) {
    return true;
  }
  let depth = 0;
  for (const character of path) {
    if (character === '(') {
      depth++;
    } else if (character === ')' && --depth < 0) {
      return true;
    }
  }
  return depth !== 0;
}

// The WHATWG URL path percent-encode set (ASCII part), plus `%` so a literal
// `%` survives decoding and `\`, which browsers read as `/`.
const HTML_SRC_ENCODED = /[\p{Cc} "#%<>?\\`{}]/gu;

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

function escapeHtmlAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (character) => HTML_ENTITIES[character]);
}

/**
 * docutils drops unescaped whitespace from an image URI and removes
 * backslashes, so spaces and backslashes are escaped. The path stays a plain
 * file path (no percent-encoding): Sphinx looks the file up by that name.
 */
function restructuredTextImage(path: string, alt: string): string {
  const directive = `.. image:: ${restructuredTextPath(path)}`;
  // An empty :alt: option would be a dangling line; docutils falls back to the URI.
  return alt === '' ? directive : `${directive}\n   :alt: ${alt}`;
}

function restructuredTextPath(path: string): string {
  rejectCharacters(path, /[\p{Cc}]|[^\S ]/u, SYNTAX_NAMES.restructuredtext);
  return path.replace(/[\\ ]/g, '\\$&');
}

// The target ends at `[`, goes through attribute substitution (`{name}`) and
// becomes a URL in HTML output.
const ASCIIDOC_TARGET_ENCODED = /[\p{Cc}\s"#%<>?\\[\]{}]/gu;

/** The `{` of an attribute reference (`{name}`, `{set:…}`), which AsciiDoc would replace. */
const ASCIIDOC_ATTRIBUTE_REFERENCE = /\{(?=(?:\w[\w-]*|(?:set|counter2?):[^{}]*)\})/g;

/**
 * An alt that ends with a backslash and needs no quotes: no comma or `=` to
 * split the attribute list, no `]`, no opening quote.
 */
const ASCIIDOC_UNQUOTED_ALT = /^(?!["'])[^,=\]]*\\$/;

/**
 * Double-quoted so commas and `=` do not split the attribute list. `"` and
 * `]` are backslash-escaped, as is `{` where it would start an attribute
 * reference. A quoted value cannot end with a backslash (it would escape the
 * closing quote), so an alt that does is written unquoted when it can be, and
 * otherwise loses its trailing backslashes.
 */
function asciiDocAlt(alt: string): string {
  const escaped = alt.replace(ASCIIDOC_ATTRIBUTE_REFERENCE, '\\{');
  if (ASCIIDOC_UNQUOTED_ALT.test(alt)) {
    return escaped;
  }
  return `"${escaped.replace(/\\+$/, '').replace(/["\]]/g, '\\$&')}"`;
}

const LATEX_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '%': '\\%',
};

function latexText(text: string): string {
  return text.replace(/[\\{}$&#^_~%]/g, (character) => LATEX_ESCAPES[character]);
}

/**
 * Spaces are fine in file names for LaTeX since 2019; these characters are
 * not (comment, parameter, group, command, active `~`) and have no escape
 * inside a file name.
 */
function latexPath(path: string): string {
  rejectCharacters(path, /[%#{}\\~\p{Cc}]/u, SYNTAX_NAMES.latex);
  return path;
}
