/**
 * The References strip on the host side: the file picker, files dropped from the Explorer, gallery images
 * used as references, and each file described for the page (its thumbnail address and the facts the rules
 * need). Every file goes through the same resolution as the command arguments (`resolveReferences`):
 * inside the workspace, symbolic links included, inspected from its header. The page names files only by
 * workspace path; nothing it sends is read before that check.
 */

import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors/errors';
import { MODELS } from '../../core/model/catalog';
import type { ReferenceImage } from '../../core/model/references';
import type { ValidationIssue } from '../../core/model/validation';
import type { FormReference, ReferenceFileView, ReferenceThumb } from '../../shared/protocol';
import { resolveReferences } from '../referenceImages';
import { workspacePathOf, workspacePathUri } from '../workspacePaths';

/** The page's thumbnails: files are shown through the webview's resource addresses, never from the internet. */
export type WebviewSource = (uri: vscode.Uri) => string;

/** Files for the strip: those that can be used, and one line for the ones that cannot (or none). */
export interface AddedReferences {
  readonly references: readonly ReferenceFileView[];
  readonly message?: string;
}

/** Describes `uris` for the strip; a file outside the workspace or not readable is left out and said why. */
export async function referencesToAdd(uris: readonly vscode.Uri[], src: WebviewSource): Promise<AddedReferences> {
  const views = await Promise.all(uris.map((uri) => describe(uri, src)));
  const problems = views.flatMap((view) => ('problem' in view ? [view.problem] : []));
  return {
    references: views.filter((view) => !('problem' in view)),
    ...(problems.length > 0 ? { message: problems.join(' ') } : {}),
  };
}

/** The strip's files as they are now, by the workspace paths the page holds. */
export function describeReferencePaths(paths: readonly string[], src: WebviewSource): Promise<ReferenceFileView[]> {
  return Promise.all(paths.map((path) => describe(path, src, path)));
}

/** `asked`: the path the page knows the file by, kept as it wrote it. */
async function describe(spec: vscode.Uri | string, src: WebviewSource, asked?: string): Promise<ReferenceFileView> {
  const shown = asked ?? (typeof spec === 'string' ? spec : workspacePathOf(spec));
  try {
    const [reference] = await resolveReferences([spec]);
    if (!reference || reference.kind !== 'file') {
      return { path: shown, problem: vscode.l10n.t('{0} is not a file of the workspace.', shown) };
    }
    const { byteLength, format, width, height } = reference;
    return {
      path: asked ?? reference.name,
      src: src(vscode.Uri.file(reference.path)),
      byteLength,
      ...(format ? { format } : {}),
      ...(width === undefined ? {} : { width }),
      ...(height === undefined ? {} : { height }),
    };
  } catch (error) {
    return { path: shown, problem: errorMessage(error) };
  }
}

/**
 * The form's references, found and inspected again (the page is not trusted, and files change): the
 * references in order, or each one's problem at its place.
 */
export async function resolveFormReferences(
  references: readonly FormReference[],
): Promise<{ readonly ok: true; readonly references: ReferenceImage[] } | { readonly ok: false; readonly issues: ValidationIssue[] }> {
  type Resolved = { readonly image: ReferenceImage } | { readonly issue: ValidationIssue };
  const resolved = await Promise.all(
    references.map(async (reference, index): Promise<Resolved> => {
      try {
        const [image] = await resolveReferences(['path' in reference ? reference.path : reference.url]);
        return { image: image! };
      } catch (error) {
        return { issue: { field: 'references', message: errorMessage(error), index } };
      }
    }),
  );
  const issues = resolved.flatMap((entry) => ('issue' in entry ? [entry.issue] : []));
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, references: resolved.flatMap((entry) => ('image' in entry ? [entry.image] : [])) };
}

/** The file picker of the strip: images of the workspace, in the formats the models read. */
export async function pickReferenceFiles(): Promise<vscode.Uri[]> {
  const formats = [...new Set(MODELS.flatMap((model) => model.references?.formats ?? []))];
  const extensions = formats.flatMap((format) => (format === 'jpeg' ? ['jpg', 'jpeg'] : format === 'tiff' ? ['tif', 'tiff'] : [format]));
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    openLabel: vscode.l10n.t('Use as Reference'),
    title: vscode.l10n.t('Reference images'),
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    ...(extensions.length > 0 ? { filters: { [vscode.l10n.t('Images')]: extensions } } : {}),
  });
  return picked ?? [];
}

/**
 * The files a drop from the Explorer names. Only `file:` URIs, and the workbench's remote ones whose path
 * is a local file of this extension host; anything else is left for the resolution to refuse.
 */
export function droppedFiles(uris: readonly string[]): vscode.Uri[] {
  return uris.flatMap((text) => {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(text, true);
    } catch {
      return [];
    }
    if (uri.scheme === 'file') {
      return [uri];
    }
    // In a remote window the workbench names the extension host's files as vscode-remote://host/path.
    return uri.scheme === 'vscode-remote' ? [vscode.Uri.file(uri.path)] : [];
  });
}

/** A history entry's references as it shows them: the files that still exist with their thumbnails. */
export function referenceThumbs(references: readonly FormReference[], missing: ReadonlySet<string>, src: WebviewSource): ReferenceThumb[] {
  return references.map((reference) => {
    if ('url' in reference) {
      return { url: reference.url };
    }
    const uri = workspacePathUri(reference.path);
    return uri && !missing.has(uri.toString()) ? { path: reference.path, src: src(uri) } : { path: reference.path };
  });
}
