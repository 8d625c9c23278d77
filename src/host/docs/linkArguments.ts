/**
 * The link a docs command acts on: the one its arguments name (Quick Fix, CodeLens, hover), or the one
 * under the cursor when it runs from the palette or a keybinding.
 */

import * as vscode from 'vscode';
import { lastActiveEditor } from '../activeEditor';
import { refreshDocsSites } from '../docsSites';
import { localImageLinkAt, type DocumentImageLink } from './documentLinks';

/** What the Quick Fix, CodeLens and hover pass: the document, where its link starts, and a model to use instead of the setting. */
export interface LinkArguments {
  readonly uri: string;
  readonly offset: number;
  readonly model?: string;
}

/** Arguments may come from anywhere (a keybinding, another extension): only the exact shape is used. */
export function parseLinkArguments(raw: unknown): LinkArguments | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const { uri, offset, model } = raw as Record<string, unknown>;
  if (
    typeof uri !== 'string' ||
    !Number.isSafeInteger(offset) ||
    (offset as number) < 0 ||
    (model !== undefined && typeof model !== 'string')
  ) {
    return undefined;
  }
  return { uri, offset: offset as number, ...(typeof model === 'string' ? { model } : {}) };
}

export async function linkForCommand(raw: unknown): Promise<DocumentImageLink | undefined> {
  // Where a root-absolute link points depends on the docs site: known for sure before anything is generated.
  await refreshDocsSites();
  const args = parseLinkArguments(raw);
  if (args) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true));
    return localImageLinkAt(document, args.offset);
  }
  const editor = lastActiveEditor();
  return editor ? localImageLinkAt(editor.document, editor.document.offsetAt(editor.selection.active)) : undefined;
}
