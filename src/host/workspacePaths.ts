/**
 * Workspace paths as the extension writes them for people and records (messages, tool results, the history,
 * an image's metadata), and the files they name again: with the folder's name first in a workspace of several
 * folders, as VS Code's `asRelativePath` writes them.
 */

import * as vscode from 'vscode';
import { workspaceFolderOf } from '../core/files/posixPath';

/**
 * Where a workspace path lies, as `workspacePathOf` writes it: in a workspace of several folders, in the folder
 * its first segment names; else in `folder`, or the first workspace folder. Undefined when no folder is open.
 */
export function workspacePathUri(path: string, folder?: vscode.Uri): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const { folder: named, inside } = workspaceFolderOf(
    path,
    folders.map((candidate) => candidate.name),
  );
  const base = named === undefined ? (folder ?? folders[0]?.uri) : folders[named]!.uri;
  return base && vscode.Uri.joinPath(base, inside);
}

/** The workspace path of a file, as the page, the history and an image's metadata name it: with its folder's name in a workspace of several folders. */
export function workspacePathOf(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}
