/**
 * Which convention places a new image when `seedream.outputFolder` is left at its default: VS Code's
 * `markdown.copyFiles.destination` when one of its globs matches the document, else the docs framework the
 * document belongs to, else the default folder. `seedream.docsConvention` picks one of them or turns this off.
 */

import { DOCS_FRAMEWORKS, defaultDocsSite, siteOfDocument, type DocsFramework, type DocsSite } from './docsSites';

export type DocsConvention = 'auto' | 'off' | 'copyFiles' | DocsFramework;

export const DOCS_CONVENTION_SETTING = 'seedream.docsConvention';
export const DOCS_CONVENTIONS: readonly DocsConvention[] = ['auto', 'off', 'copyFiles', ...DOCS_FRAMEWORKS];

export type ImagePlacement =
  /** The destination of the matching `markdown.copyFiles.destination` entry. */
  | { readonly kind: 'copyFiles'; readonly destination: string }
  /** The image folder of the docs site the document belongs to. */
  | { readonly kind: 'site'; readonly site: DocsSite }
  /** `seedream.outputFolder`, as set or by default. */
  | { readonly kind: 'outputFolder' };

export interface PlacementContext {
  readonly convention: DocsConvention;
  /** Whether `seedream.outputFolder` is set in any scope (then it is what the user asked for). */
  readonly outputFolderSet: boolean;
  /** The destination of the first `markdown.copyFiles.destination` entry whose glob matches the document. */
  readonly copyFilesDestination?: string;
  readonly sites: readonly DocsSite[];
  readonly documentPath?: string;
  readonly workspaceFolderPath?: string;
}

export function parseDocsConvention(value: unknown): DocsConvention {
  return DOCS_CONVENTIONS.includes(value as DocsConvention) ? (value as DocsConvention) : 'auto';
}

export function chooseImagePlacement(context: PlacementContext): ImagePlacement {
  const { convention, outputFolderSet, copyFilesDestination } = context;
  if (outputFolderSet || convention === 'off' || context.documentPath === undefined) {
    return { kind: 'outputFolder' };
  }
  if ((convention === 'auto' || convention === 'copyFiles') && copyFilesDestination !== undefined) {
    return { kind: 'copyFiles', destination: copyFilesDestination };
  }
  const site = siteForLinks(context);
  return site ? { kind: 'site', site } : { kind: 'outputFolder' };
}

/**
 * The docs site whose rules a document's image links follow (where a root-absolute link points, whether new
 * links are root-absolute): the detected site it belongs to, or with a framework chosen in the setting, that
 * framework's site (its default layout at the workspace folder when none of it was detected).
 */
export function siteForLinks(
  context: Pick<PlacementContext, 'convention' | 'sites' | 'documentPath' | 'workspaceFolderPath'>,
): DocsSite | undefined {
  const { convention, sites, documentPath, workspaceFolderPath } = context;
  if (documentPath === undefined || convention === 'off' || convention === 'copyFiles') {
    return undefined;
  }
  if (convention === 'auto') {
    return siteOfDocument(sites, documentPath);
  }
  const detected = siteOfDocument(
    sites.filter((candidate) => candidate.framework === convention),
    documentPath,
  );
  return detected ?? (workspaceFolderPath === undefined ? undefined : defaultDocsSite(convention, workspaceFolderPath));
}
