/**
 * Puts image links into a document, relative to it and in its own syntax. Generation takes seconds, so
 * the place chosen at the start is found again at the end even if the user kept typing.
 */

import * as vscode from 'vscode';
import { formatImageLink, linkSyntaxForLanguage, relativeLinkPath } from '../core/links/linkFormat';
import { siteLinkPath } from '../core/files/docsSites';
import { parentPath } from '../core/files/posixPath';
import { linkSiteFor } from './docsSites';

/** Where the links go: under a piece of text, in its place, at the editor's cursor, or as a block before a line. */
export type LinkPlacement =
  | { readonly kind: 'below' | 'replace'; readonly range: vscode.Range; readonly text: string }
  | { readonly kind: 'cursor'; readonly position: vscode.Position }
  /** Before the 0-based `line` (at the end for the line after the last), with a blank line on each side. */
  | { readonly kind: 'line'; readonly line: number };

/** The link to `image` as it should appear in `document` (plain relative path for languages without image syntax). */
export function imageLinkFor(document: vscode.TextDocument, image: vscode.Uri, altText: string): string {
  const target = linkTarget(document.uri, image);
  const syntax = linkSyntaxForLanguage(document.languageId);
  return syntax ? formatImageLink(syntax, target, altText) : target;
}

/**
 * A path from the document to the image: root-absolute where the document's docs site serves the image at
 * its root (`/img/a.png` for Docusaurus' `static/img/a.png`), otherwise relative when both live on the same
 * file system.
 */
export function linkTarget(documentUri: vscode.Uri, image: vscode.Uri): string {
  // Without a common file system the workspace-relative path is the best a link can say.
  if (documentUri.scheme !== image.scheme || documentUri.authority !== image.authority) {
    return vscode.workspace.asRelativePath(image, false);
  }
  return siteLink(documentUri, image) ?? relativeLinkPath(parentPath(documentUri.path), image.path);
}

/** The root-absolute link to `image` in the document's docs site, if the site writes such links and serves it. */
export function siteLink(documentUri: vscode.Uri, image: vscode.Uri): string | undefined {
  const site = linkSiteFor(documentUri);
  return site && image.scheme === documentUri.scheme ? siteLinkPath(site, image.path) : undefined;
}

/** Inserts the links as one undoable edit; returns false when the document is gone. */
export async function insertImageLinks(
  document: vscode.TextDocument,
  images: readonly vscode.Uri[],
  altText: string,
  placement: LinkPlacement,
): Promise<boolean> {
  if (document.isClosed || images.length === 0) {
    return false;
  }
  const links = images.map((image) => imageLinkFor(document, image, altText)).join('\n\n');
  const edit = new vscode.WorkspaceEdit();
  if (placement.kind === 'cursor') {
    edit.insert(document.uri, placement.position, links);
  } else if (placement.kind === 'line') {
    const atEnd = placement.line >= document.lineCount;
    const previous = placement.line > 0 ? document.lineAt(Math.min(placement.line, document.lineCount) - 1) : undefined;
    const next = atEnd ? undefined : document.lineAt(placement.line);
    const before = `${atEnd ? '\n' : ''}${previous && !previous.isEmptyOrWhitespace ? '\n' : ''}`;
    const after = next && !next.isEmptyOrWhitespace ? '\n' : '';
    const position = atEnd ? document.lineAt(document.lineCount - 1).range.end : new vscode.Position(placement.line, 0);
    edit.insert(document.uri, position, `${before}${links}\n${after}`);
  } else {
    const range = locate(document, placement.range, placement.text);
    if (placement.kind === 'replace') {
      edit.replace(document.uri, range, links);
    } else {
      const lineEnd = document.lineAt(range.end.line).range.end;
      const nextLine = range.end.line + 1 < document.lineCount ? document.lineAt(range.end.line + 1) : undefined;
      // A blank line on each side keeps the link its own paragraph / block in every syntax.
      const after = nextLine && !nextLine.isEmptyOrWhitespace ? '\n' : '';
      edit.insert(document.uri, lineEnd, `\n\n${links}${after}`);
    }
  }
  return vscode.workspace.applyEdit(edit);
}

/** The range of `text`: where it was if it is still there, else its nearest occurrence, else where it was. */
function locate(document: vscode.TextDocument, original: vscode.Range, text: string): vscode.Range {
  if (document.validateRange(original).isEqual(original) && document.getText(original) === text) {
    return original;
  }
  const content = document.getText();
  const expected = document.offsetAt(original.start);
  let best = -1;
  for (let at = content.indexOf(text); at >= 0 && text.length > 0; at = content.indexOf(text, at + 1)) {
    if (best < 0 || Math.abs(at - expected) < Math.abs(best - expected)) {
      best = at;
    }
  }
  if (best < 0) {
    return document.validateRange(original);
  }
  return new vscode.Range(document.positionAt(best), document.positionAt(best + text.length));
}
