/** What the gallery's buttons do with one saved image; each answers with a line for the panel to show. */

import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors/errors';
import { formatImageLink } from '../../core/links/linkFormat';
import { fileNameOf } from '../../core/files/posixPath';
import type { ActionResult, ImageAction } from '../../shared/protocol';
import { lastActiveEditor } from '../activeEditor';
import { imageLinkFor, insertImageLinks, linkTarget } from '../linkInsertion';
import { relink } from '../docs/linkedImageGeneration';
import type { ImageTarget } from './imageViews';
import type { LinkChoice } from './studioPanel';

export interface ActionOutcome extends ActionResult {
  /** The file no longer exists. */
  readonly deleted?: boolean;
}

export async function runImageAction(action: ImageAction, image: ImageTarget, linkChoice: LinkChoice | undefined): Promise<ActionOutcome> {
  try {
    return await ACTIONS[action](image, linkChoice);
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}

const ACTIONS: Readonly<Record<ImageAction, (image: ImageTarget, linkChoice: LinkChoice | undefined) => Promise<ActionOutcome>>> = {
  async insert({ uri, altText }) {
    const editor = lastActiveEditor();
    if (!editor) {
      return { ok: false, message: 'No editor to insert into: open the document and place the cursor where the image goes.' };
    }
    const inserted = await insertImageLinks(editor.document, [uri], altText, { kind: 'cursor', position: editor.selection.active });
    return inserted
      ? { ok: true, message: `Inserted into ${fileNameOf(editor.document.uri.path)}.` }
      : { ok: false, message: `${fileNameOf(editor.document.uri.path)} could not be edited.` };
  },

  async useForLink({ uri }, linkChoice) {
    if (!linkChoice) {
      return { ok: false, message: 'The Studio was not opened for a link; use Insert instead.' };
    }
    const document = await vscode.workspace.openTextDocument(linkChoice.document);
    if (!(await relink([document], linkChoice.target, uri))) {
      return { ok: false, message: `The link to ${linkChoice.label} is no longer in ${fileNameOf(document.uri.path)}.` };
    }
    // A second choice swaps again, from the image chosen now.
    linkChoice.target = uri;
    linkChoice.label = linkTarget(document.uri, uri);
    return { ok: true, message: `${fileNameOf(document.uri.path)} now shows ${fileNameOf(uri.path)}.` };
  },

  async open({ uri }) {
    // Beside the Studio, or in the document's group, so the panel stays in view.
    await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: lastActiveEditor()?.viewColumn ?? vscode.ViewColumn.Beside });
    return { ok: true, message: '' };
  },

  async reveal({ uri }) {
    await vscode.commands.executeCommand(vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS', uri);
    return { ok: true, message: '' };
  },

  async copyPath({ uri }) {
    await vscode.env.clipboard.writeText(uri.scheme === 'file' ? uri.fsPath : uri.toString());
    return { ok: true, message: 'Path copied.' };
  },

  async copyLink({ uri, altText }) {
    const editor = lastActiveEditor();
    // Without a document the link is relative to the workspace root, in Markdown.
    const link = editor
      ? imageLinkFor(editor.document, uri, altText)
      : formatImageLink('markdown', vscode.workspace.asRelativePath(uri, false), altText);
    await vscode.env.clipboard.writeText(link);
    return {
      ok: true,
      message: editor ? `Link for ${fileNameOf(editor.document.uri.path)} copied.` : 'Markdown link (relative to the workspace) copied.',
    };
  },

  async delete({ uri }) {
    const name = fileNameOf(uri.path);
    const kept: ActionOutcome = { ok: false, message: '' };
    if (
      !(await confirm(`Delete "${name}"?`, 'The image is moved to the trash. Links to it in your documents will break.', 'Move to Trash'))
    ) {
      return kept;
    }
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: true });
      return { ok: true, message: `${name} moved to the trash.`, deleted: true };
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        throw error;
      }
      // Remote and virtual file systems often have no trash: ask again rather than delete for good silently.
      if (
        !(await confirm(
          `"${name}" cannot be moved to the trash here. Delete it permanently?`,
          'This cannot be undone.',
          'Delete Permanently',
        ))
      ) {
        return kept;
      }
      await vscode.workspace.fs.delete(uri, { useTrash: false });
      return { ok: true, message: `${name} deleted.`, deleted: true };
    }
  },
};

async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}
