/**
 * The image links of an open document, resolved to the files they name: the one place that decides which
 * documents have image links (Markdown, MDX, reStructuredText, AsciiDoc, HTML) and which links are local.
 */

import * as vscode from 'vscode';
import { runBounded } from '../../core/concurrency/boundedPool';
import { findImageLinks, localImagePath, type ImageLinkReference } from '../../core/links';
import { DOCS_LANGUAGES } from '../../core/links/docsLanguages';
import { linkSyntaxForLanguage, type LinkSyntax } from '../../core/links/linkFormat';
import { resolveSiteLink } from '../../core/files/docsSites';
import { parentPath } from '../../core/files/posixPath';
import { docsSitesVersion, linkSiteFor } from '../docsSites';

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
  { readonly version: number; readonly sites: number; readonly syntax: LinkSyntax; readonly links: readonly DocumentImageLink[] }
>();

/** The links of `document` to local files (remote, data and template links are left alone). */
export function localImageLinks(document: vscode.TextDocument): readonly DocumentImageLink[] {
  const syntax = docsSyntax(document);
  if (!syntax || document.isUntitled) {
    return [];
  }
  const last = scans.get(document);
  // A docs site found or changed since moves where root-absolute links point.
  const sites = docsSitesVersion();
  if (last?.version === document.version && last.sites === sites && last.syntax === syntax) {
    return last.links;
  }
  const links = scanLinks(document, syntax);
  scans.set(document, { version: document.version, sites, syntax, links });
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
  for (const target of (await linkTargetsOfFile(file)).values()) {
    if (!(await fileExists(target))) {
      return true;
    }
  }
  return false;
}

/** Whether a docs file read from disk (not opened) links `image`. */
export async function fileLinksTo(file: vscode.Uri, image: vscode.Uri): Promise<boolean> {
  return (await linkTargetsOfFile(file)).has(image.toString());
}

/** The local files a docs file read from disk links, by `Uri.toString()`. */
async function linkTargetsOfFile(file: vscode.Uri): Promise<Map<string, vscode.Uri>> {
  const syntax = SYNTAX_BY_EXTENSION[file.path.slice(file.path.lastIndexOf('.') + 1).toLowerCase()];
  const targets = new Map<string, vscode.Uri>();
  if (!syntax) {
    return targets;
  }
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  for (const reference of findImageLinks(text, syntax)) {
    const target = localTarget(file, reference);
    if (target) {
      targets.set(target.toString(), target);
    }
  }
  return targets;
}

/** Files read at a time while looking through the workspace's docs. */
const FILES_READ_AT_ONCE = 16;

/**
 * The docs files of the workspace that pass `test` (dependencies and build output left out). Files are
 * read from disk first and only those that pass are opened, so the other extensions that watch opened
 * documents are not woken for the rest; a file open in an editor is taken as it is there, unsaved changes
 * included.
 */
export async function workspaceDocumentsWhere(test: (file: vscode.Uri) => Promise<boolean>): Promise<vscode.TextDocument[]> {
  const files = await vscode.workspace.findFiles(DOCS_FILES_GLOB, '**/{node_modules,.git,dist,out,build,_build,site}/**', 5000);
  const opened = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
  const found = await runBounded(
    files,
    FILES_READ_AT_ONCE,
    async (file) => opened.get(file.toString()) ?? ((await test(file)) ? await vscode.workspace.openTextDocument(file) : undefined),
    new AbortController().signal,
  );
  return found.flatMap((result) => (result.status === 'done' && result.value && docsSyntax(result.value) ? [result.value] : []));
}

/** The documents that link `image`: those open in editors (as they are there) and the docs files of the workspace. */
export async function documentsLinking(image: vscode.Uri): Promise<vscode.TextDocument[]> {
  const candidates = await workspaceDocumentsWhere((file) => fileLinksTo(file, image).catch(() => false));
  const open = vscode.workspace.textDocuments.filter((document) => docsSyntax(document));
  return [...new Set([...candidates, ...open])].filter((document) =>
    localImageLinks(document).some((link) => link.target.toString() === image.toString()),
  );
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

/**
 * `/images/a.png` is where the document's docs site resolves it (Docusaurus' `static/`, Sphinx's source
 * folder …), else relative to the workspace folder (as VS Code's Markdown preview reads it); others are
 * relative to the document.
 */
export function resolveLinkPath(documentUri: vscode.Uri, path: string): vscode.Uri | undefined {
  const site = path.startsWith('/') ? linkSiteFor(documentUri) : undefined;
  if (site) {
    const resolved = resolveSiteLink(site, path);
    return resolved === undefined ? undefined : documentUri.with({ path: resolved, query: '', fragment: '' });
  }
  if (path.startsWith('/')) {
    const root = vscode.workspace.getWorkspaceFolder(documentUri)?.uri;
    return root ? vscode.Uri.joinPath(root, path) : undefined;
  }
  const folder = documentUri.with({ path: parentPath(documentUri.path) });
  return vscode.Uri.joinPath(folder, path);
}
