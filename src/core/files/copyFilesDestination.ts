/**
 * VS Code's own convention for new files in a document's workspace: `markdown.copyFiles.destination`, a map
 * from globs of document paths to destinations, as Markdown's paste and drop use it (copyFiles.ts and
 * newFilePathGenerator.ts of VS Code's markdown-language-features). Read the same way here:
 *
 * - The first entry whose glob matches the document's path wins. A glob starting with `/` is anchored at each
 *   workspace folder; any other glob matches anywhere (`**` is put in front unless it starts with `**`).
 *   Globs match dot files (picomatch with `dot: true`).
 * - The destination is relative to the document's folder, or to the workspace folder when it starts with `/`;
 *   one ending with `/` is a folder, the file's own name is added. An empty destination is the file's name.
 * - Variables: `${documentDirName}`, `${documentRelativeDirName}`, `${documentFileName}`, `${documentBaseName}`,
 *   `${documentExtName}`, `${documentFilePath}`, `${documentRelativeFilePath}`, `${documentWorkspaceFolder}`,
 *   `${fileName}`, `${fileExtName}`, `${unixTime}`, `${isoTime}`; `${name/regex/replacement/}` transforms a
 *   value (`\/` for a slash inside); `\$` is a literal dollar. An unknown variable stays as written.
 */

import picomatch from 'picomatch/posix';
import { joinAbsolute, normalizeSegments, parentPath, splitPath, fileNameOf, isSameOrInside } from './posixPath';

export const COPY_FILES_SETTING = 'markdown.copyFiles.destination';

export interface CopyFilesContext {
  /** Absolute POSIX path of the document. */
  readonly documentPath: string;
  /** The workspace folder that holds the document, if any. */
  readonly workspaceFolderPath?: string;
  /** The new file's name, e.g. `a-lighthouse.png`. */
  readonly fileName: string;
  readonly now: Date;
}

/** The destination of the first entry whose glob matches `documentPath`, if any. */
export function matchingDestination(
  destinations: Readonly<Record<string, unknown>>,
  documentPath: string,
  workspaceFolderPaths: readonly string[],
): string | undefined {
  for (const [rawGlob, destination] of Object.entries(destinations)) {
    if (typeof destination !== 'string') {
      continue;
    }
    if (globsOf(rawGlob, workspaceFolderPaths).some((glob) => picomatch.isMatch(documentPath, glob, { dot: true }))) {
      return destination;
    }
  }
  return undefined;
}

function globsOf(rawGlob: string, workspaceFolderPaths: readonly string[]): string[] {
  if (rawGlob.startsWith('/')) {
    return workspaceFolderPaths.map((folder) => joinAbsolute([...splitPath(folder), ...splitPath(rawGlob)]));
  }
  return [rawGlob.startsWith('**') ? rawGlob : `**/${rawGlob}`];
}

/** The absolute path of the new file, or undefined when it climbs above the root. */
export function resolveCopyFilesDestination(destination: string, context: CopyFilesContext): string | undefined {
  let written = destination.trim() || '${fileName}';
  if (written.startsWith('/')) {
    written = `\${documentWorkspaceFolder}/${written.slice(1)}`;
  }
  if (written.endsWith('/')) {
    written += '${fileName}';
  }
  const expanded = expandVariables(written, variables(context));
  const start = expanded.startsWith('/') ? [] : splitPath(parentPath(context.documentPath));
  const segments = normalizeSegments([...start, ...splitPath(expanded)]);
  return segments === undefined ? undefined : joinAbsolute(segments);
}

/** Whether `path` lies inside `folder`. */
export function isInsideFolder(path: string, folder: string): boolean {
  return isSameOrInside(splitPath(path), splitPath(folder));
}

function variables({ documentPath, workspaceFolderPath, fileName, now }: CopyFilesContext): ReadonlyMap<string, string> {
  const documentDirName = parentPath(documentPath);
  const documentFileName = fileNameOf(documentPath);
  const documentExtName = extensionOf(documentFileName);
  const relative = (path: string): string =>
    workspaceFolderPath === undefined ? path : splitPath(path).slice(splitPath(workspaceFolderPath).length).join('/');
  return new Map([
    ['documentDirName', documentDirName],
    ['documentRelativeDirName', relative(documentDirName)],
    ['documentFileName', documentFileName],
    ['documentBaseName', documentExtName === '' ? documentFileName : documentFileName.slice(0, -(documentExtName.length + 1))],
    ['documentExtName', documentExtName],
    ['documentFilePath', documentPath],
    ['documentRelativeFilePath', relative(documentPath)],
    ['documentWorkspaceFolder', workspaceFolderPath ?? documentDirName],
    ['fileName', fileName],
    ['fileExtName', extensionOf(fileName)],
    ['unixTime', String(now.getTime())],
    ['isoTime', now.toISOString()],
  ]);
}

/** As `path.extname` without the dot: from the last dot, none for a leading one. */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

const VARIABLE = /(?<escape>\\\$)|(?<!\\)\$\{(?<name>\w+)(?:\/(?<pattern>(?:\\\/|[^}/])+)\/(?<replacement>(?:\\\/|[^}/])*)\/)?\}/g;

function expandVariables(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(VARIABLE, (match, ...args: unknown[]) => {
    const groups = args.at(-1) as { escape?: string; name?: string; pattern?: string; replacement?: string };
    if (groups.escape) {
      return '$';
    }
    const value = groups.name === undefined ? undefined : values.get(groups.name);
    if (value === undefined) {
      return match;
    }
    // As in VS Code, a transform applies only with a non-empty replacement, and a bad pattern leaves the value as it is.
    if (groups.pattern && groups.replacement) {
      try {
        return value.replace(new RegExp(unescapeSlashes(groups.pattern)), unescapeSlashes(groups.replacement));
      } catch {
        return value;
      }
    }
    return value;
  });
}

function unescapeSlashes(text: string): string {
  return text.replace(/\\\//g, '/');
}
