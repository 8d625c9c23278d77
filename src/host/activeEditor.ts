/**
 * The text editor the user last worked in. Notifications and the Image Studio take focus away, so
 * `window.activeTextEditor` is often undefined by the time an image is ready to insert.
 */

import * as vscode from 'vscode';

let lastEditor: vscode.TextEditor | undefined;

export function trackActiveEditor(): vscode.Disposable {
  lastEditor = vscode.window.activeTextEditor;
  return vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) {
      lastEditor = editor;
    }
  });
}

export function lastActiveEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) {
    return active;
  }
  // A closed document's editor cannot take an edit; find the one still showing it.
  return lastEditor && !lastEditor.document.isClosed
    ? vscode.window.visibleTextEditors.find((editor) => editor.document === lastEditor!.document) ?? undefined
    : undefined;
}
