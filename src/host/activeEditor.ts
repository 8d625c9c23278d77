/**
 * The text editor the user last worked in. Notifications and the Image Studio take focus away, so
 * `window.activeTextEditor` is often undefined by the time an image is ready to insert.
 */

import * as vscode from 'vscode';

let lastEditor: vscode.TextEditor | undefined;

export function trackActiveEditor(): vscode.Disposable {
  lastEditor = usable(vscode.window.activeTextEditor);
  return vscode.window.onDidChangeActiveTextEditor((editor) => {
    lastEditor = usable(editor) ?? lastEditor;
  });
}

export function lastActiveEditor(): vscode.TextEditor | undefined {
  const active = usable(vscode.window.activeTextEditor);
  if (active) {
    return active;
  }
  // A closed document's editor cannot take an edit; find the one still showing it.
  return lastEditor && !lastEditor.document.isClosed
    ? vscode.window.visibleTextEditors.find((editor) => editor.document === lastEditor!.document)
    : undefined;
}

/**
 * Only editors of documents the user writes: the Output panel, diff sides of git and similar read-only
 * views are editors too, but images cannot be saved beside them.
 */
function usable(editor: vscode.TextEditor | undefined): vscode.TextEditor | undefined {
  const scheme = editor?.document.uri.scheme;
  const writable =
    scheme === 'file' || scheme === 'untitled' || vscode.workspace.workspaceFolders?.some((folder) => folder.uri.scheme === scheme);
  return writable ? editor : undefined;
}
