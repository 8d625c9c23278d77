/**
 * The folder new images go to, from the `seedream.outputFolder` setting,
 * following the conventions of VS Code's `markdown.copyFiles.destination`.
 */
import * as l10n from '@vscode/l10n';
import { isSameOrInside, joinAbsolute, normalizeSegments, splitPath } from './posixPath';
import { expandTemplate, formatDate, formatVariableList, parseTemplate, variableNames } from './template';
import { shortModelName } from '../model/catalog';

export interface OutputFolderContext {
  /** Absolute POSIX path of the workspace folder containing the document, or the first folder. */
  workspaceFolderPath?: string | undefined;
  /** Absolute POSIX path of the active document, if it is saved and inside a workspace. */
  documentPath?: string | undefined;
  date: Date;
  model: string;
}

export type OutputFolderResult = { ok: true; path: string } | { ok: false; message: string };

const OUTPUT_FOLDER_SETTING = 'seedream.outputFolder';
const DOCUMENT_VARIABLES = ['documentDirName', 'documentRelativeDirName', 'documentFileName', 'documentBaseName', 'documentExtName'];

/**
 * The absolute POSIX path of the output folder, or a message for the user
 * that names the setting, its value and what is allowed. Nothing is ever
 * silently rewritten: a folder outside the workspace is refused, not clamped.
 *
 * - `images`: relative to the document's folder, or to the workspace folder
 *   when there is no document.
 * - `/images`: relative to the workspace folder.
 * - A path already inside the workspace folder as written (from
 *   `${documentDirName}` or `${documentWorkspaceFolder}`) is kept.
 * - Without any workspace folder only an absolute path is accepted, and it is
 *   taken as it is.
 *
 * Surrounding whitespace is ignored (as VS Code does), and so are `.`
 * segments, duplicate and trailing slashes.
 */
export function resolveOutputFolder(template: string, context: OutputFolderContext): OutputFolderResult {
  const setting = template.trim();
  const refuse = (message: string): OutputFolderResult => ({ ok: false, message });

  const values = variableValues(context);
  const parsed = parseTemplate(setting, Object.keys(values));
  if (!parsed.ok) {
    return refuse(l10n.t('The output folder {0} "{1}" has {2}.', OUTPUT_FOLDER_SETTING, setting, parsed.problem));
  }
  // On Windows a backslash would separate folders and slip past the `..` check.
  if (parsed.parts.some((part) => part.kind === 'text' && part.text.includes('\\'))) {
    return refuse(l10n.t('The output folder {0} "{1}" contains a backslash. Separate folders with "/".', OUTPUT_FOLDER_SETTING, setting));
  }
  const unavailable = [...new Set(variableNames(parsed.parts))].filter((name) => values[name] === undefined);
  const needDocument = unavailable.filter((name) => context.documentPath === undefined && DOCUMENT_VARIABLES.includes(name));
  if (needDocument.length > 0) {
    const list = formatVariableList(needDocument);
    return refuse(
      l10n.t(
        'The output folder {0} "{1}" uses {2}, but there is no saved document in the workspace. Open a saved document or remove {2}.',
        OUTPUT_FOLDER_SETTING,
        setting,
        list,
      ),
    );
  }
  if (unavailable.length > 0) {
    const list = formatVariableList(unavailable);
    return refuse(
      l10n.t(
        'The output folder {0} "{1}" uses {2}, but no folder is open. Open a folder or remove {2}.',
        OUTPUT_FOLDER_SETTING,
        setting,
        list,
      ),
    );
  }
  const expanded = expandTemplate(parsed.parts, values);

  if (context.workspaceFolderPath === undefined) {
    if (!expanded.startsWith('/')) {
      return refuse(
        l10n.t(
          'The output folder {0} "{1}" is relative, but no folder is open. Open a folder, or use an absolute path.',
          OUTPUT_FOLDER_SETTING,
          setting,
        ),
      );
    }
    const segments = normalizeSegments(splitPath(expanded));
    return segments === undefined
      ? refuse(
          l10n.t(
            'The output folder {0} "{1}" resolves to "{2}", which climbs above the root. Use an absolute path without "..".',
            OUTPUT_FOLDER_SETTING,
            setting,
            expanded,
          ),
        )
      : { ok: true, path: joinAbsolute(segments) };
  }

  const workspace = splitPath(context.workspaceFolderPath);
  const written = splitPath(expanded);
  const relativeStart = splitPath(values.documentDirName ?? context.workspaceFolderPath);
  const start = startFolder(expanded, written, workspace, relativeStart);
  const segments = normalizeSegments([...start, ...written]);
  if (segments === undefined || !isSameOrInside(segments, workspace)) {
    const where = segments === undefined ? expanded : joinAbsolute(segments);
    return refuse(
      l10n.t(
        'The output folder {0} "{1}" resolves to "{2}", outside the workspace folder "{3}". Use a folder inside it: relative to the document ("images") or to the workspace root ("/images").',
        OUTPUT_FOLDER_SETTING,
        setting,
        where,
        context.workspaceFolderPath,
      ),
    );
  }
  return { ok: true, path: joinAbsolute(segments) };
}

/**
 * The folder a written path is relative to; `relativeStart` is the
 * document's folder, or the workspace folder without a document.
 */
function startFolder(
  expanded: string,
  written: readonly string[],
  workspace: readonly string[],
  relativeStart: readonly string[],
): readonly string[] {
  if (!expanded.startsWith('/')) {
    return relativeStart;
  }
  // Already absolute inside the workspace (`${documentDirName}/img`), judged as
  // written so that `..` after it is still caught; otherwise `/` is the workspace root.
  return isSameOrInside(written, workspace) ? [] : workspace;
}

/** Every known variable; undefined when the context cannot give it. */
function variableValues(context: OutputFolderContext): Record<string, string | undefined> {
  const { documentPath, workspaceFolderPath } = context;
  const document = documentPath === undefined ? undefined : documentParts(documentPath);
  return {
    documentDirName: document?.dirName,
    documentRelativeDirName:
      document === undefined || workspaceFolderPath === undefined ? undefined : relativeFolder(workspaceFolderPath, document.dirName),
    documentFileName: document?.fileName,
    documentBaseName: document?.baseName,
    documentExtName: document?.extName,
    documentWorkspaceFolder: workspaceFolderPath === undefined ? undefined : joinAbsolute(splitPath(workspaceFolderPath)),
    date: formatDate(context.date),
    model: shortModelName(context.model),
  };
}

function documentParts(documentPath: string): { dirName: string; fileName: string; baseName: string; extName: string } {
  const segments = splitPath(documentPath);
  const fileName = segments.at(-1) ?? '';
  // As path.extname: from the last dot, but a leading dot (`.env`) starts no extension.
  const dot = fileName.lastIndexOf('.');
  return {
    dirName: joinAbsolute(segments.slice(0, -1)),
    fileName,
    baseName: dot > 0 ? fileName.slice(0, dot) : fileName,
    // Without the dot, as in VS Code: `md`.
    extName: dot > 0 ? fileName.slice(dot + 1) : '',
  };
}

/** `docs/guide` for a folder inside `folder`, empty for the folder itself; as VS Code, the absolute path otherwise. */
function relativeFolder(folder: string, inner: string): string {
  const base = splitPath(folder);
  const target = splitPath(inner);
  return isSameOrInside(target, base) ? target.slice(base.length).join('/') : inner;
}
