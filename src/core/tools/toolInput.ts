/**
 * The input of the language-model tools, as a chat model sends it: any JSON at all. Each field is checked
 * here before anything else happens, and every refusal says what to send instead, so the model can fix its
 * call. The generation fields go through the command's own argument checks (`checkGenerateArguments`);
 * what they ask for (a size for a model, a count) is validated later by the one generation validator.
 */

import * as l10n from '@vscode/l10n';
import { checkGenerateArguments, GENERATE_ARGUMENT_FIELDS, type GenerateArguments } from '../model/commandArguments';
import { normalizeSegments, splitPath } from '../files/posixPath';

export const GENERATE_IMAGE_TOOL = 'seedream_generateImage';
export const FIND_MISSING_IMAGES_TOOL = 'seedream_findMissingImages';
export const GENERATE_MISSING_IMAGES_TOOL = 'seedream_generateMissingImages';

/** The fields of `seedream.generateImage`'s argument object that the image tool takes, with the same checks. */
export const TOOL_GENERATION_FIELDS = [
  'prompt',
  'model',
  'size',
  'n',
  'references',
  'maxImages',
] as const satisfies readonly (keyof GenerateArguments)[];

/** Every field each tool takes; package.json's input schemas list exactly these (a unit test holds them together). */
export const TOOL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [GENERATE_IMAGE_TOOL]: [...TOOL_GENERATION_FIELDS, 'path', 'insertInto'],
  [FIND_MISSING_IMAGES_TOOL]: ['file'],
  [GENERATE_MISSING_IMAGES_TOOL]: ['file', 'targets'],
};

/** A path inside one of the workspace folders, as a tool names it. */
export interface WorkspacePath {
  /** Index into the workspace folders. */
  readonly folder: number;
  /** The names below that folder, `..` and `.` resolved; never empty. */
  readonly segments: readonly string[];
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The generation fields a tool takes (a subset of the command's arguments), with the prompt. */
export type ToolGeneration = Pick<GenerateArguments, (typeof TOOL_GENERATION_FIELDS)[number]> & { readonly prompt: string };

export interface GenerateImageInput {
  /**
   * Checked as `seedream.generateImage` checks its argument object; `prompt` is always there. `references` are
   * still as named (paths, `file:` URIs, addresses): the host resolves them as it does the command's.
   */
  readonly generation: ToolGeneration;
  /** The file to create; its extension picks the format. Otherwise the output-folder settings decide. */
  readonly path?: WorkspacePath;
  /** The document to link the images into, before its 1-based `line`. */
  readonly insertInto?: { readonly file: WorkspacePath; readonly line: number };
}

export interface FindMissingImagesInput {
  /** One document; otherwise the whole workspace. */
  readonly file?: WorkspacePath;
}

export interface GenerateMissingImagesInput {
  readonly file?: WorkspacePath;
  /** Image files named by missing links (workspace-relative, as the find tool reports them). */
  readonly targets?: readonly WorkspacePath[];
}

const CONTROL_CHARACTER = /[\u0000-\u001F\u007F-\u009F]/;
/** `file:`, `https:`, and a Windows drive such as `C:`: none of them is a workspace-relative path. */
const SCHEME_OR_DRIVE = /^[a-z][a-z0-9+.-]*:/i;

/** Reads a workspace-relative path; `folders` are the names of the workspace folders, in order. */
export function parseWorkspacePath(value: unknown, field: string, folders: readonly string[]): Parsed<WorkspacePath> {
  const refuse = (message: string): Parsed<WorkspacePath> => ({ ok: false, message });
  if (typeof value !== 'string' || value.trim() === '') {
    return refuse(l10n.t('"{0}" must be a path relative to the workspace folder, such as "docs/images/diagram.png"', field));
  }
  if (CONTROL_CHARACTER.test(value)) {
    return refuse(l10n.t('"{0}" contains a control character', field));
  }
  const text = value.trim().replace(/\\/g, '/');
  if (text.startsWith('/') || SCHEME_OR_DRIVE.test(text)) {
    return refuse(
      l10n.t(
        '"{0}" must be relative to the workspace folder (such as "docs/images/diagram.png"), not an absolute path or URI: {1}',
        field,
        value,
      ),
    );
  }
  if (folders.length === 0) {
    return refuse(l10n.t('no folder is open: Seedream writes and reads files only inside a workspace folder'));
  }
  const named = folders.length > 1 ? folders.indexOf(splitPath(text)[0] ?? '') : -1;
  const folder = Math.max(named, 0);
  const segments = normalizeSegments(splitPath(text).slice(named >= 0 ? 1 : 0));
  if (!segments) {
    return refuse(l10n.t('"{0}" leads outside the workspace folder ({1}); Seedream only reads and writes inside it', field, value));
  }
  if (segments.length === 0) {
    return refuse(l10n.t('"{0}" names the workspace folder itself; name a file inside it', field));
  }
  return { ok: true, value: { folder, segments } };
}

export function parseGenerateImageInput(input: unknown, folders: readonly string[]): Parsed<GenerateImageInput> {
  const fields = objectFields(input, GENERATE_IMAGE_TOOL);
  if (!fields.ok) {
    return fields;
  }
  const problems = [...fields.value.unknown];
  const raw = fields.value.object;
  const generationFields = Object.fromEntries(
    TOOL_GENERATION_FIELDS.filter((name) => raw[name] !== undefined).map((name) => [name, raw[name]]),
  );
  const checked = checkGenerateArguments(generationFields);
  problems.push(...checked.problems);
  if (raw.prompt === undefined) {
    problems.push(l10n.t('"prompt" is required: describe the image to make'));
  }
  const path = raw.path === undefined ? undefined : parseWorkspacePath(raw.path, 'path', folders);
  if (path && !path.ok) {
    problems.push(path.message);
  }
  const insertInto = raw.insertInto === undefined ? undefined : parseInsertInto(raw.insertInto, folders);
  if (insertInto && !insertInto.ok) {
    problems.push(insertInto.message);
  }
  if (problems.length > 0 || checked.value.prompt === undefined) {
    return invalid(GENERATE_IMAGE_TOOL, problems);
  }
  return {
    ok: true,
    value: {
      generation: { ...(checked.value as Pick<GenerateArguments, (typeof TOOL_GENERATION_FIELDS)[number]>), prompt: checked.value.prompt },
      ...(path?.ok ? { path: path.value } : {}),
      ...(insertInto?.ok ? { insertInto: insertInto.value } : {}),
    },
  };
}

export function parseFindMissingImagesInput(input: unknown, folders: readonly string[]): Parsed<FindMissingImagesInput> {
  const fields = objectFields(input ?? {}, FIND_MISSING_IMAGES_TOOL);
  if (!fields.ok) {
    return fields;
  }
  const problems = [...fields.value.unknown];
  const { file } = fields.value.object;
  const parsed = file === undefined ? undefined : parseWorkspacePath(file, 'file', folders);
  if (parsed && !parsed.ok) {
    problems.push(parsed.message);
  }
  return problems.length > 0 ? invalid(FIND_MISSING_IMAGES_TOOL, problems) : { ok: true, value: parsed?.ok ? { file: parsed.value } : {} };
}

export function parseGenerateMissingImagesInput(input: unknown, folders: readonly string[]): Parsed<GenerateMissingImagesInput> {
  const fields = objectFields(input, GENERATE_MISSING_IMAGES_TOOL);
  if (!fields.ok) {
    return fields;
  }
  const problems = [...fields.value.unknown];
  const { file, targets } = fields.value.object;
  if (file === undefined && targets === undefined) {
    problems.push(l10n.t('give "file" (a document whose missing images to make) or "targets" (the image paths to make), or both'));
  }
  const parsedFile = file === undefined ? undefined : parseWorkspacePath(file, 'file', folders);
  if (parsedFile && !parsedFile.ok) {
    problems.push(parsedFile.message);
  }
  let parsedTargets: WorkspacePath[] | undefined;
  if (targets !== undefined) {
    if (!Array.isArray(targets) || targets.length === 0) {
      problems.push(l10n.t('"targets" must be a non-empty list of image paths relative to the workspace folder'));
    } else {
      parsedTargets = [];
      for (const [index, target] of targets.entries()) {
        const parsed = parseWorkspacePath(target, `targets[${index}]`, folders);
        if (parsed.ok) {
          parsedTargets.push(parsed.value);
        } else {
          problems.push(parsed.message);
        }
      }
    }
  }
  if (problems.length > 0) {
    return invalid(GENERATE_MISSING_IMAGES_TOOL, problems);
  }
  return {
    ok: true,
    value: { ...(parsedFile?.ok ? { file: parsedFile.value } : {}), ...(parsedTargets ? { targets: parsedTargets } : {}) },
  };
}

function parseInsertInto(value: unknown, folders: readonly string[]): Parsed<{ file: WorkspacePath; line: number }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: l10n.t('"insertInto" must be an object such as {"file": "docs/guide.md", "line": 12}') };
  }
  const problems = Object.keys(value)
    .filter((name) => name !== 'file' && name !== 'line')
    .map((name) => l10n.t('unknown field "insertInto.{0}" (known: file, line)', name));
  const { file, line } = value as { file?: unknown; line?: unknown };
  const parsed = parseWorkspacePath(file, 'insertInto.file', folders);
  if (!parsed.ok) {
    problems.push(parsed.message);
  }
  if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) {
    problems.push(l10n.t('"insertInto.line" must be a whole number from 1 (the first line); the links go before that line'));
  }
  return problems.length > 0 || !parsed.ok
    ? { ok: false, message: problems.join('; ') }
    : { ok: true, value: { file: parsed.value, line: line as number } };
}

/** The input as an object, and its fields the tool does not know (each a problem). */
function objectFields(input: unknown, tool: string): Parsed<{ object: Record<string, unknown>; unknown: string[] }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalid(tool, [l10n.t('the input must be a JSON object with the fields {0}', TOOL_FIELDS[tool].join(', '))]);
  }
  const known = TOOL_FIELDS[tool];
  const unknown = Object.keys(input)
    .filter((name) => !known.includes(name))
    .map((name) =>
      GENERATE_ARGUMENT_FIELDS.includes(name as keyof GenerateArguments) && tool === GENERATE_IMAGE_TOOL
        ? l10n.t('"{0}" is not taken here: it comes from the user\'s settings (fields: {1})', name, known.join(', '))
        : l10n.t('unknown field "{0}" (known: {1})', name, known.join(', ')),
    );
  return { ok: true, value: { object: input as Record<string, unknown>, unknown } };
}

function invalid<T>(tool: string, problems: readonly string[]): Parsed<T> {
  // That nothing was sent is said by the tool's answer, which says it of every refused input (toolErrors.ts).
  return { ok: false, message: l10n.t('Invalid input for {0}: {1}.', tool, problems.join('; ')) };
}
