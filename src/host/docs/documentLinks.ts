/**
 * The image links of an open document, resolved to the files they name: the one place that decides which
 * documents have image links (Markdown, MDX, reStructuredText, AsciiDoc, HTML) and which links are local.
 */

import * as vscode from 'vscode';
import { findImageLinks, localImagePath, type ImageLinkReference } from '../../core/links';
import { DOCS_LANGUAGES } from '../../core/links/docsLanguages';
import { linkSyntaxForLanguage, type LinkSyntax } from '../../core/links/linkFormat';
import { parentPath } from '../../core/files/posixPath';

/** AsciiDoc files read as plain text unless an AsciiDoc extension is installed; their extension says what they are. */
const ASCIIDOC_FILE = /\.(adoc|asciidoc)$/i;

export const DOCS_SELECTOR: vscode.DocumentSelector = [
  ...DOCS_LANGUAGES.map((language) => ({ language })),
  { pattern: '**/*.{adoc,asciidoc}' },
];

/** The syntax of a docs file by its extension, for a file read without opening it. */
const SYNTAX_BY_EXTENSION: Readonly<Record<string, LinkSyntax>> = {
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'mdx',
  rst: 'restructuredtext',
  adoc: 'asciidoc',
  asciidoc: 'asciidoc',
  html: 'html',
  htm: 'html',
};

/** The glob of the files those languages live in, for a workspace-wide search. */
export const DOCS_FILES_GLOB = `**/*.{${Object.keys(SYNTAX_BY_EXTENSION).join(',')}}`;

export interface DocumentImageLink {
  readonly document: vscode.TextDocument;
  readonly syntax: LinkSyntax;
  readonly reference: ImageLinkReference;
  /** The whole link construct. */
  readonly range: vscode.Range;
  /** The path as written, to be replaced when the image gets another name. */
  readonly targetRange: vscode.Range;
  /** The file the link names. */
  readonly target: vscode.Uri;
}

export function docsSyntax(document: vscode.TextDocument): LinkSyntax | undefined {
  if (DOCS_LANGUAGES.includes(document.languageId)) {
    return linkSyntaxForLanguage(document.languageId);
  }
  return document.languageId === 'plaintext' && ASCIIDOC_FILE.test(document.uri.path) ? 'asciidoc' : undefined;
}

/** The last scan of each document, by version and syntax: hovers, Quick Fixes and rescans after a file change reuse it. */
const scans = new WeakMap<
  vscode.TextDocument,
  { readonly version: number; readonly syntax: LinkSyntax; readonly links: readonly DocumentImageLink[] }
>();

/** The links of `document` to local files (remote, data and template links are left alone). */
export function localImageLinks(document: vscode.TextDocument): readonly DocumentImageLink[] {
  const syntax = docsSyntax(document);
  if (!syntax || document.isUntitled) {
    return [];
  }
  const last = scans.get(document);
  if (last?.version === document.version && last.syntax === syntax) {
    return last.links;
  }
  const links = scanLinks(document, syntax);
  scans.set(document, { version: document.version, syntax, links });
  return links;
}

function scanLinks(document: vscode.TextDocument, syntax: LinkSyntax): DocumentImageLink[] {
  const links: DocumentImageLink[] = [];
  for (const reference of findImageLinks(document.getText(), syntax)) {
    const target = localTarget(document.uri, reference);
    if (target) {
      links.push({
        document,
        syntax,
        reference,
        target,
        range: new vscode.Range(document.positionAt(reference.start), document.positionAt(reference.end)),
        targetRange: new vscode.Range(document.positionAt(reference.targetStart), document.positionAt(reference.targetEnd)),
      });
    }
  }
  return links;
}

/** The local links whose file does not exist, checked through the workspace's file systems. */
export async function missingImageLinks(document: vscode.TextDocument): Promise<DocumentImageLink[]> {
  const links = localImageLinks(document);
  const exists = new Map<string, Promise<boolean>>();
  const checks = links.map((link) => {
    const key = link.target.toString();
    if (!exists.has(key)) {
      exists.set(key, fileExists(link.target));
    }
    return exists.get(key)!;
  });
  const found = await Promise.all(checks);
  return links.filter((_, index) => !found[index]);
}

/**
 * Whether a docs file read from disk (not opened) links an image that does not exist. Opening every docs
 * file of a workspace to find out would wake each extension that watches opened documents.
 */
export async function fileHasMissingImage(file: vscode.Uri): Promise<boolean> {
  const syntax = SYNTAX_BY_EXTENSION[file.path.slice(file.path.lastIndexOf('.') + 1).toLowerCase()];
  if (!syntax) {
    return false;
  }
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  const targets = new Map<string, vscode.Uri>();
  for (const reference of findImageLinks(text, syntax)) {
    const target = localTarget(file, reference);
    if (target) {
      targets.set(target.toString(), target);
    }
  }
  for (const target of targets.values()) {
    if (!(await fileExists(target))) {
      return true;
    }
  }
  return false;
}

/** The link of `document` at `offset`, if any. */
export function localImageLinkAt(document: vscode.TextDocument, offset: number): DocumentImageLink | undefined {
  return localImageLinks(document).find((link) => link.reference.start <= offset && offset <= link.reference.end);
}

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The file a link names, when it is a local one. */
function localTarget(documentUri: vscode.Uri, reference: ImageLinkReference): vscode.Uri | undefined {
  const path = localImagePath(reference.path);
  return path === undefined ? undefined : resolveLinkPath(documentUri, path);
}

/** `/images/a.png` is relative to the workspace folder (as VS Code's Markdown preview reads it); others to the document. */
function resolveLinkPath(documentUri: vscode.Uri, path: string): vscode.Uri | undefined {
  if (path.startsWith('/')) {
    const root = vscode.workspace.getWorkspaceFolder(documentUri)?.uri;
    return root ? vscode.Uri.joinPath(root, path) : undefined;
  }
  const folder = documentUri.with({ path: parentPath(documentUri.path) });
  return vscode.Uri.joinPath(folder, path);
}
