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
      return {
        ok: false,
        message: vscode.l10n.t('No editor to insert into: open the document and place the cursor where the image goes.'),
      };
    }
    const inserted = await insertImageLinks(editor.document, [uri], altText, { kind: 'cursor', position: editor.selection.active });
    return inserted
      ? { ok: true, message: vscode.l10n.t('Inserted into {0}.', fileNameOf(editor.document.uri.path)) }
      : { ok: false, message: vscode.l10n.t('{0} could not be edited.', fileNameOf(editor.document.uri.path)) };
  },

  async useForLink({ uri }, linkChoice) {
    if (!linkChoice) {
      return { ok: false, message: vscode.l10n.t('The Studio was not opened for a link; use Insert instead.') };
    }
    const document = await vscode.workspace.openTextDocument(linkChoice.document);
    if (!(await relink([document], linkChoice.target, uri))) {
      return { ok: false, message: vscode.l10n.t('The link to {0} is no longer in {1}.', linkChoice.label, fileNameOf(document.uri.path)) };
    }
    // A second choice swaps again, from the image chosen now.
    linkChoice.target = uri;
    linkChoice.label = linkTarget(document.uri, uri);
    return { ok: true, message: vscode.l10n.t('{0} now shows {1}.', fileNameOf(document.uri.path), fileNameOf(uri.path)) };
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
    return { ok: true, message: vscode.l10n.t('Path copied.') };
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
      message: editor
        ? vscode.l10n.t('Link for {0} copied.', fileNameOf(editor.document.uri.path))
        : vscode.l10n.t('Markdown link (relative to the workspace) copied.'),
    };
  },

  async delete({ uri }) {
    const name = fileNameOf(uri.path);
    const kept: ActionOutcome = { ok: false, message: '' };
    if (
      !(await confirm(
        vscode.l10n.t('Delete "{0}"?', name),
        vscode.l10n.t('The image is moved to the trash. Links to it in your documents will break.'),
        vscode.l10n.t('Move to Trash'),
      ))
    ) {
      return kept;
    }
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: true });
      return { ok: true, message: vscode.l10n.t('{0} moved to the trash.', name), deleted: true };
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        throw error;
      }
      // Remote and virtual file systems often have no trash: ask again rather than delete for good silently.
      if (
        !(await confirm(
          vscode.l10n.t('"{0}" cannot be moved to the trash here. Delete it permanently?', name),
          vscode.l10n.t('This cannot be undone.'),
          vscode.l10n.t('Delete Permanently'),
        ))
      ) {
        return kept;
      }
      await vscode.workspace.fs.delete(uri, { useTrash: false });
      return { ok: true, message: vscode.l10n.t('{0} deleted.', name), deleted: true };
    }
  },
};

async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}
