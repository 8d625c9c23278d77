/**
 * Where a run's images go: the output folder resolved for the document (refused when it would leave the
 * workspace folder, also through a symbolic link), or a place the user picks when no folder is open.
 */

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { SeedreamError } from '../core/errors/errors';
import { buildFileName } from '../core/files/naming';
import { resolveOutputFolder } from '../core/files/outputFolder';
import { COPY_FILES_SETTING, isInsideFolder, resolveCopyFilesDestination } from '../core/files/copyFilesDestination';
import { fileNameOf, parentPath } from '../core/files/posixPath';
import { imagesAsked, type GenerationRequest } from '../core/model/validation';
import { SECTION, type Settings } from './config';
import { imagePlacementFor } from './docsSites';
import type { GenerationPlan } from './generation';
import { realPathOutside } from './workspaceContainment';

export interface OutputLocation {
  readonly folder: vscode.Uri;
  /** The file name (without extension) for the image at a 1-based index. */
  readonly baseName: (index: number) => string;
}

export async function chooseLocation(
  plan: GenerationPlan,
  settings: Settings,
  request: GenerationRequest,
  date: Date,
): Promise<OutputLocation | undefined> {
  const document = plan.document && !plan.document.isUntitled ? plan.document : undefined;
  const workspaceFolder = (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const nameFor = (index: number, pattern: string): string =>
    buildFileName(pattern, {
      prompt: request.prompt,
      date,
      index,
      count: imagesAsked(request),
      model: request.model.id,
      seed: request.seed,
      documentBaseName: document && baseNameOf(document.uri),
    });
  // A bad pattern is reported now, before a billed request.
  try {
    nameFor(1, settings.fileName);
  } catch (error) {
    throw new SeedreamError('invalidInput', (error as Error).message, { action: 'openSettings', setting: `${SECTION}.fileName` });
  }

  if (plan.target) {
    return exactLocation(plan.target, request);
  }
  if (!workspaceFolder) {
    return askForLocation(request, nameFor(1, settings.fileName));
  }
  // A document outside every workspace folder gets its images beside it.
  const insideWorkspace = document && vscode.workspace.getWorkspaceFolder(document.uri);
  const root = insideWorkspace || !document ? workspaceFolder.uri : document.uri.with({ path: parentPath(document.uri.path) });
  if (plan.folder === undefined && document && insideWorkspace) {
    const byConvention = await conventionLocation(document, root, request, (index) => nameFor(index, settings.fileName), date);
    if (byConvention) {
      return byConvention;
    }
  }
  const resolved = resolveOutputFolder(plan.folder ?? settings.outputFolder, {
    workspaceFolderPath: root.path,
    documentPath: document?.uri.scheme === root.scheme ? document.uri.path : undefined,
    date,
    model: request.model.id,
  });
  if (!resolved.ok) {
    throw new SeedreamError('invalidInput', resolved.message, { action: 'openSettings', setting: `${SECTION}.outputFolder` });
  }
  const folder = root.with({ path: resolved.path });
  await refuseLinkOutside(folder, root);
  return { folder, baseName: (index) => nameFor(index, settings.fileName) };
}

/**
 * Where the workspace's own convention puts the image, when `seedream.outputFolder` is left at its default:
 * the matching `markdown.copyFiles.destination`, or the image folder of the docs site the document belongs to.
 */
async function conventionLocation(
  document: vscode.TextDocument,
  root: vscode.Uri,
  request: GenerationRequest,
  baseName: (index: number) => string,
  date: Date,
): Promise<OutputLocation | undefined> {
  const placement = await imagePlacementFor(document);
  switch (placement.kind) {
    case 'outputFolder':
      return undefined;
    case 'site': {
      const folder = root.with({ path: placement.site.imageDir });
      await refuseLinkOutside(folder, root);
      return { folder, baseName };
    }
    case 'copyFiles': {
      // The destination may name the file (`${documentBaseName}-${fileName}`): the image's own name goes in as
      // `${fileName}` with the extension its format should have; the real format still decides the extension.
      const extension = request.outputFormat === 'png' ? 'png' : 'jpg';
      const destinationOf = (index: number): string | undefined =>
        resolveCopyFilesDestination(placement.destination, {
          documentPath: document.uri.path,
          workspaceFolderPath: root.path,
          fileName: `${baseName(index)}.${extension}`,
          now: date,
        });
      const first = destinationOf(1);
      if (first === undefined || !isInsideFolder(first, root.path)) {
        throw new SeedreamError(
          'invalidInput',
          vscode.l10n.t(
            'The {0} entry "{1}" that matches this document puts the image at {2}, outside the workspace folder. Change it, or set seedream.outputFolder (or seedream.docsConvention to "off").',
            COPY_FILES_SETTING,
            placement.destination,
            first ?? placement.destination,
          ),
          { action: 'openSettings', setting: COPY_FILES_SETTING },
        );
      }
      const folder = root.with({ path: parentPath(first) });
      await refuseLinkOutside(folder, root);
      return {
        folder,
        baseName: (index) => withoutExtension(fileNameOf(destinationOf(index) ?? first), extension),
      };
    }
  }
}

function withoutExtension(name: string, extension: string): string {
  return name.toLowerCase().endsWith(`.${extension}`) ? name.slice(0, -(extension.length + 1)) : name;
}

/**
 * The file a link names (a missing image, a regenerated one). The name is kept; only a file that appeared
 * meanwhile, or bytes of another format, give it a variant (`-1`, `.jpg`), which the caller links instead.
 */
async function exactLocation(target: vscode.Uri, request: GenerationRequest): Promise<OutputLocation> {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(target);
  if (!workspaceFolder) {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t(
        '{0} is outside every workspace folder; Seedream only writes images inside the workspace. Change the link to a path inside it.',
        target.path,
      ),
    );
  }
  const folder = target.with({ path: parentPath(target.path) });
  await refuseLinkOutside(folder, workspaceFolder.uri);
  const base = baseNameOf(target);
  return { folder, baseName: (index) => (imagesAsked(request) > 1 ? `${base}-${index}` : base) };
}

/** Without a workspace folder there is no natural place: the user picks one. */
async function askForLocation(request: GenerationRequest, suggestedName: string): Promise<OutputLocation | undefined> {
  const extension = request.outputFormat === 'png' ? 'png' : 'jpg';
  const chosen = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the generated image as'),
    saveLabel: vscode.l10n.t('Generate and Save'),
    filters: { [vscode.l10n.t('Image files')]: ['png', 'jpg', 'jpeg'] },
    defaultUri: vscode.Uri.joinPath(vscode.Uri.file(homedir()), `${suggestedName}.${extension}`),
  });
  if (!chosen) {
    return undefined;
  }
  const chosenBase = baseNameOf(chosen);
  return {
    folder: chosen.with({ path: parentPath(chosen.path) }),
    baseName: (index) => (imagesAsked(request) > 1 ? `${chosenBase}-${index}` : chosenBase),
  };
}

/** The folder as written stays inside the workspace; a symbolic link on the way could still lead out. */
async function refuseLinkOutside(folder: vscode.Uri, root: vscode.Uri): Promise<void> {
  const real = await realPathOutside(folder, root);
  if (real !== undefined) {
    throw new SeedreamError(
      'invalidInput',
      vscode.l10n.t(
        'The output folder {0} leads through a symbolic link to {1}, outside the workspace folder. Choose a folder inside the workspace in seedream.outputFolder.',
        vscode.workspace.asRelativePath(folder),
        real,
      ),
      { action: 'openSettings', setting: `${SECTION}.outputFolder` },
    );
  }
}

function baseNameOf(uri: vscode.Uri): string {
  const name = fileNameOf(uri.path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
