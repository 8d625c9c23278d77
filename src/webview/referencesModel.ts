/**
 * The References strip as data: the form's ordered references, what the host found about each workspace
 * file, and how they read against the chosen model's rules. Pure, so the strip's behaviour is tested
 * without a DOM; the rules themselves are the core's (`validateGeneration`), never repeated here.
 */

import * as l10n from '@vscode/l10n';
import { type ModelInfo, referenceLimit } from '../core/model/catalog';
import type { ReferenceImage } from '../core/model/references';
import type { ValidationIssue } from '../core/model/validation';
import type { FormReference, ReferenceFileView } from '../shared/protocol';

/** What the host said about each workspace file of the strip, by workspace-relative path. */
export type ReferenceFiles = ReadonlyMap<string, ReferenceFileView>;

export function referenceKey(reference: FormReference): string {
  return 'path' in reference ? `path:${reference.path}` : `url:${reference.url}`;
}

/** `references` with `added` after them, each reference once (adding one again leaves it where it was). */
export function withReferencesAdded(references: readonly FormReference[], added: readonly FormReference[]): FormReference[] {
  const seen = new Set(references.map(referenceKey));
  const result = [...references];
  for (const reference of added) {
    const key = referenceKey(reference);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(reference);
    }
  }
  return result;
}

export function withoutReference(references: readonly FormReference[], index: number): FormReference[] {
  return references.filter((_, i) => i !== index);
}

/** The reference at `index` moved one place earlier (`-1`) or later (`1`); unchanged at either end. */
export function withReferenceMoved(references: readonly FormReference[], index: number, step: -1 | 1): FormReference[] {
  const target = index + step;
  if (index < 0 || index >= references.length || target < 0 || target >= references.length) {
    return [...references];
  }
  const result = [...references];
  [result[index], result[target]] = [result[target]!, result[index]!];
  return result;
}

/**
 * The references as validation takes them. A file the host has not described yet, or could not read,
 * stands in without facts: the issues `referenceIssues` derives for it are its own, not the header's.
 */
export function referenceImages(references: readonly FormReference[], files: ReferenceFiles): ReferenceImage[] {
  return references.map((reference): ReferenceImage => {
    if ('url' in reference) {
      return { kind: 'url', url: reference.url };
    }
    const file = files.get(reference.path);
    const facts =
      file && !('problem' in file)
        ? {
            byteLength: file.byteLength,
            ...(file.format ? { format: file.format } : {}),
            ...(file.width === undefined ? {} : { width: file.width }),
            ...(file.height === undefined ? {} : { height: file.height }),
          }
        : { byteLength: 0 };
    // The page knows files by their workspace path only; the host resolves it again before anything is sent.
    return { kind: 'file', path: reference.path, name: reference.path, ...facts };
  });
}

/**
 * Validation's issues with each file's own state put in: a file still being read has none yet, one that
 * could not be read says why (instead of what its missing header would say).
 */
export function referenceIssues(
  issues: readonly ValidationIssue[],
  references: readonly FormReference[],
  files: ReferenceFiles,
): ValidationIssue[] {
  const result: ValidationIssue[] = [];
  for (const issue of issues) {
    const reference = issue.index === undefined ? undefined : references[issue.index];
    if (!reference || 'url' in reference) {
      result.push(issue);
      continue;
    }
    const file = files.get(reference.path);
    if (file && 'problem' in file) {
      result.push({ ...issue, message: file.problem });
    } else if (file) {
      result.push(issue);
    }
  }
  return result;
}

/** The workspace files of the strip the host has not yet been asked about. */
export function pathsToInspect(references: readonly FormReference[], files: ReferenceFiles, asked: ReadonlySet<string>): string[] {
  return [
    ...new Set(
      references.flatMap((reference) =>
        'path' in reference && !files.has(reference.path) && !asked.has(reference.path) ? [reference.path] : [],
      ),
    ),
  ];
}

/** "2 of 10": the references against the model's bound for this base URL; "none" when the model takes none. */
export function referenceCount(model: ModelInfo | undefined, count: number, baseUrl: string): string {
  if (model && !model.references) {
    return l10n.t('{0} takes none', model.label);
  }
  return l10n.t('{0} of {1}', count, referenceLimit(baseUrl).max);
}

/** Whether another reference would go past the model's bound. */
export function referencesFull(model: ModelInfo | undefined, count: number, baseUrl: string): boolean {
  return model !== undefined && (!model.references || count >= referenceLimit(baseUrl).max);
}

/** The file name of a workspace path, or the host and last part of an address: what a thumbnail is labelled. */
export function referenceName(reference: FormReference): string {
  if ('path' in reference) {
    return reference.path.split('/').pop() || reference.path;
  }
  try {
    const url = new URL(reference.url);
    const last = url.pathname
      .split('/')
      .filter((part) => part !== '')
      .pop();
    return last ? `${url.host}/…/${decodeURIComponentSafe(last)}` : url.host;
  } catch {
    return reference.url;
  }
}

/**
 * The files a drop names: its `text/uri-list` (RFC 2483: one per line, `#` lines are comments), else the
 * workbench's own `ResourceURLs` (a JSON list of URIs).
 */
export function droppedUris(getData: (type: string) => string): string[] {
  const listed = getData('text/uri-list')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (listed.length > 0) {
    return listed;
  }
  try {
    const resources: unknown = JSON.parse(getData('ResourceURLs') || '[]');
    return Array.isArray(resources) ? resources.filter((uri): uri is string => typeof uri === 'string' && uri !== '') : [];
  } catch {
    return [];
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
