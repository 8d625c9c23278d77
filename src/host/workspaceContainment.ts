/**
 * Whether a local file or folder really lies inside a workspace folder: a path written inside it may still
 * lead out through a symbolic link on the way. Output folders and reference images follow the same rule.
 */

import { dirname, isAbsolute, relative, sep } from 'node:path';
import type * as vscode from 'vscode';
import { climbsOutOfFolder } from '../core/files/pathContainment';

/**
 * The real path `uri` leads to when that is outside `root`, else undefined. Checked on disk for local
 * files: the nearest existing ancestor (the path itself when it exists) must lie inside the root's real path.
 */
export async function realPathOutside(uri: vscode.Uri, root: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme !== 'file') {
    return undefined;
  }
  // Loaded here, not at activation: only a generation needs it.
  const { realpath } = await import('node:fs/promises');
  const realRoot = await realpath(root.fsPath);
  let existing = uri.fsPath;
  let real: string | undefined;
  while (!real) {
    real = await realpath(existing).catch(() => undefined);
    if (!real) {
      const parent = dirname(existing);
      if (parent === existing) {
        return undefined;
      }
      existing = parent;
    }
  }
  const inside = relative(realRoot, real);
  return climbsOutOfFolder(inside, sep) || isAbsolute(inside) ? real : undefined;
}
