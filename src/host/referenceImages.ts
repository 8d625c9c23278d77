/**
 * Turns what a user or caller names as reference images (a file URI, a workspace-relative path, an
 * `https:` address) into references a request can carry: each file must lie inside the workspace, also
 * through symbolic links (the rules of output folders), and is inspected (size, format and pixel size from
 * its header) so that validation can check it against the model before anything is sent.
 */

import * as vscode from 'vscode';
import { SeedreamError } from '../core/errors/errors';
import {
  referenceOutsideWorkspace,
  referenceSpecKind,
  type ReferenceImage,
  type ReferenceRecord,
  type WorkspaceReference,
} from '../core/model/references';
import { loadEngine } from './engineLoader';
import { realPathOutside } from './workspaceContainment';
import { workspacePathOf, workspacePathUri } from './workspacePaths';

/** A reference as a caller names it: a URI, or text (an address, a `file:` URI, or a path). */
export type ReferenceSpec = vscode.Uri | string;

/**
 * The references in order. Relative paths are relative to `relativeTo` (the folder of the document whose
 * link names them), else to the first workspace folder; a path starting with `/` to the workspace folder.
 */
export async function resolveReferences(specs: readonly ReferenceSpec[], relativeTo?: vscode.Uri): Promise<ReferenceImage[]> {
  const references: ReferenceImage[] = [];
  for (const spec of specs) {
    const located = locate(spec, relativeTo);
    references.push(located.kind === 'url' ? located : await workspaceReference(located.uri, typeof spec === 'string' ? spec : undefined));
  }
  return references;
}

/**
 * The references an image recorded (workspace paths and addresses), found again for a new run (Regenerate).
 * A path that names no workspace folder (one recorded in a workspace of one folder) is in the image's folder.
 */
export function resolveRecordedReferences(records: readonly ReferenceRecord[], image: vscode.Uri): Promise<ReferenceImage[]> {
  const root = vscode.workspace.getWorkspaceFolder(image)?.uri;
  return resolveReferences(records.map((record) => ('url' in record ? record.url : (workspacePathUri(record.path, root) ?? record.path))));
}

/** How a reference will be named once found, without reading it: its workspace-relative path, or its address. */
export function describeReferenceSpec(spec: ReferenceSpec, relativeTo?: vscode.Uri): string {
  const located = locate(spec, relativeTo);
  return located.kind === 'url' ? located.url : workspacePathOf(located.uri);
}

function locate(spec: ReferenceSpec, relativeTo: vscode.Uri | undefined): { kind: 'file'; uri: vscode.Uri } | { kind: 'url'; url: string } {
  if (typeof spec !== 'string') {
    return { kind: 'file', uri: spec };
  }
  const text = spec.trim();
  switch (referenceSpecKind(text)) {
    case 'drivePath':
      return { kind: 'file', uri: vscode.Uri.file(text) };
    case 'fileUri':
      return { kind: 'file', uri: vscode.Uri.parse(text, true) };
    case 'address':
      // The API fetches it itself; validation lets only https: pass.
      return { kind: 'url', url: text };
    case 'path':
      break;
  }
  // A path in a document's link is relative to the document (or, with a leading `/`, to its workspace folder).
  const uri =
    relativeTo && !text.startsWith('/')
      ? vscode.Uri.joinPath(relativeTo, text)
      : workspacePathUri(text, relativeTo && vscode.workspace.getWorkspaceFolder(relativeTo)?.uri);
  if (!uri) {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t(
        'The reference image "{0}" is a path, but no folder is open: open the folder that holds it, or pass a file: URI.',
        text,
      ),
    );
  }
  return { kind: 'file', uri };
}

async function workspaceReference(uri: vscode.Uri, written: string | undefined): Promise<WorkspaceReference> {
  const shown = written ?? workspacePathOf(uri);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) {
    throw new SeedreamError('invalidInput', referenceOutsideWorkspace(shown));
  }
  if (uri.scheme !== 'file') {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t(
        "The reference image {0} is not on this machine's disk ({1}:), where reference images are read from: use an https: address for it instead.",
        shown,
        uri.scheme,
      ),
    );
  }
  const real = await realPathOutside(uri, folder.uri);
  if (real !== undefined) {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t(
        'The reference image {0} leads through a symbolic link to {1}, outside the workspace folder: reference images must be files inside the workspace.',
        shown,
        real,
      ),
    );
  }
  const name = workspacePathOf(uri);
  let inspected;
  try {
    inspected = await loadEngine().inspectImageFile(uri.fsPath);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new SeedreamError(
      'invalidInput',
      code === 'ENOENT'
        ? vscode.l10n.t('The reference image {0} does not exist.', name)
        : code === 'EISDIR'
          ? vscode.l10n.t('The reference {0} is a folder: name an image file.', name)
          : code === 'ENOTFILE'
            ? vscode.l10n.t('The reference {0} is not a regular file (a named pipe or a device): name an image file.', name)
            : vscode.l10n.t('The reference image {0} could not be read ({1}).', name, String(code ?? error)),
      { cause: error },
    );
  }
  const { header } = inspected;
  return {
    kind: 'file',
    path: uri.fsPath,
    name,
    byteLength: inspected.byteLength,
    ...(header ? { format: header.format } : {}),
    ...(header?.width !== undefined ? { width: header.width } : {}),
    ...(header?.height !== undefined ? { height: header.height } : {}),
  };
}
