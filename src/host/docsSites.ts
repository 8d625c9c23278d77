/**
 * The docs sites of the workspace (Docusaurus, VitePress, MkDocs …), found by their config files and kept
 * current as those change, and which convention places a new image. The rules are pure
 * (src/core/files/docsSites.ts, docsConvention.ts); this only finds and reads the files and the settings.
 */

import * as vscode from 'vscode';
import { chooseImagePlacement, parseDocsConvention, siteForLinks, type ImagePlacement } from '../core/files/docsConvention';
import { DOCS_SITE_CONFIG_GLOB, detectDocsSites, isDocsSiteConfigPath, type DocsSite } from '../core/files/docsSites';
import { matchingDestination } from '../core/files/copyFilesDestination';
import { errorMessage } from '../core/errors/errors';
import { SECTION } from './config';
import { log } from './log';

/** More config files than any real workspace has; a monorepo of many sites still fits. */
const MAX_CONFIG_FILES = 200;

let known: readonly DocsSite[] = [];
let detection: Promise<readonly DocsSite[]> | undefined;
let version = 0;
const changed = new vscode.EventEmitter<void>();
/** Fires when the sites found changed (a config file appeared, changed or went). */
export const onDidChangeDocsSites = changed.event;

/** Keeps the sites current while the extension runs. */
export function watchDocsSites(): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(DOCS_SITE_CONFIG_GLOB);
  const refresh = (uri?: vscode.Uri): void => {
    if (uri === undefined || isDocsSiteConfigPath(uri.path)) {
      void refreshDocsSites();
    }
  };
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(refresh),
    watcher.onDidChange(refresh),
    watcher.onDidDelete(refresh),
    vscode.workspace.onDidChangeWorkspaceFolders(() => refresh()),
    { dispose: () => ((detection = undefined), (known = [])) },
  );
}

/** The sites of the workspace, found once and again after a config file changes. */
export function docsSites(): Promise<readonly DocsSite[]> {
  detection ??= findSites().then(
    (sites) => {
      if (JSON.stringify(sites) !== JSON.stringify(known)) {
        known = sites;
        version++;
        changed.fire();
      }
      return sites;
    },
    (error: unknown) => {
      log.warn(`Docs sites: the config files could not be read: ${errorMessage(error)}`);
      return known;
    },
  );
  return detection;
}

/**
 * Reads the config files afresh, before something is generated from what they say: a file watcher may lag, or
 * miss a remote folder's changes.
 */
export function refreshDocsSites(): Promise<readonly DocsSite[]> {
  detection = undefined;
  return docsSites();
}

/** Changes whenever the sites do, for caches of what depends on them. */
export function docsSitesVersion(): number {
  return version;
}

async function findSites(): Promise<DocsSite[]> {
  const files = await vscode.workspace.findFiles(DOCS_SITE_CONFIG_GLOB, '**/node_modules/**', MAX_CONFIG_FILES);
  const read = await Promise.all(
    files
      .filter((uri) => isDocsSiteConfigPath(uri.path))
      .map(async (uri) => {
        try {
          return [{ path: uri.path, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) }];
        } catch {
          return [];
        }
      }),
  );
  return detectDocsSites(read.flat());
}

/**
 * The site whose link rules `documentUri` follows, as known now (synchronous, for link scanning; the first
 * call starts the search and `onDidChangeDocsSites` tells when it found something).
 */
export function linkSiteFor(documentUri: vscode.Uri): DocsSite | undefined {
  void docsSites();
  return siteForLinks({
    convention: readConvention(documentUri),
    sites: known,
    documentPath: documentUri.path,
    ...workspaceFolderPath(documentUri),
  });
}

/** Where a new image for `document` goes by convention, when `seedream.outputFolder` is left at its default. */
export async function imagePlacementFor(document: vscode.TextDocument): Promise<ImagePlacement> {
  const scope = document.uri;
  const sites = await refreshDocsSites();
  const copyFiles = vscode.workspace.getConfiguration('markdown', scope).get<Record<string, unknown>>('copyFiles.destination') ?? {};
  const copyFilesDestination = matchingDestination(
    copyFiles,
    document.uri.path,
    (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.path),
  );
  return chooseImagePlacement({
    convention: readConvention(scope),
    outputFolderSet: outputFolderIsSet(scope),
    ...(copyFilesDestination !== undefined ? { copyFilesDestination } : {}),
    sites,
    documentPath: document.uri.path,
    ...workspaceFolderPath(scope),
  });
}

function readConvention(scope: vscode.Uri) {
  return parseDocsConvention(vscode.workspace.getConfiguration(SECTION, scope).get<unknown>('docsConvention'));
}

/** Whether `seedream.outputFolder` has a value in any scope, language-specific ones included (not only its default). */
function outputFolderIsSet(scope: vscode.Uri): boolean {
  const levels = vscode.workspace.getConfiguration(SECTION, scope).inspect<string>('outputFolder');
  return [
    levels?.globalValue,
    levels?.workspaceValue,
    levels?.workspaceFolderValue,
    levels?.globalLanguageValue,
    levels?.workspaceLanguageValue,
    levels?.workspaceFolderLanguageValue,
  ].some((value) => value !== undefined);
}

function workspaceFolderPath(uri: vscode.Uri): { workspaceFolderPath?: string } {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? { workspaceFolderPath: folder.uri.path } : {};
}
