/**
 * Reference images (editing, fusion, a set that starts from them): what a front end hands to validation,
 * and the checks of each against the model's rules in the catalogue. A workspace file arrives already
 * inspected (its size from the file system, its format and pixel size from its header), so the rules are
 * checked here without any I/O, before anything is sent.
 */

import * as l10n from '@vscode/l10n';
import { normalizeSegments, splitPath } from '../files/posixPath';
import { checkSecureUrl } from '../trust/urlPolicy';
import {
  type ImageFormat,
  type ModelInfo,
  MODELS,
  type ReferenceLimit,
  type ReferenceRules,
  PROVIDER_BASE_URL,
  shortModelName,
} from './catalog';

/** A file of the workspace, read from disk when the request is sent and inlined as a `data:` URL. */
export interface WorkspaceReference {
  readonly kind: 'file';
  /** Absolute path on disk. */
  readonly path: string;
  /** Workspace-relative name (`docs/images/photo.png`), for messages and provenance. */
  readonly name: string;
  readonly byteLength: number;
  /** From the file's header; undefined when the header is not one of an image format known here. */
  readonly format?: ImageFormat;
  readonly width?: number;
  readonly height?: number;
  /** The content it must have, when known: bytes that differ stop the request before its body is complete. */
  readonly sha256?: string;
}

/** An image on the web, passed to the API as its address. */
export interface UrlReference {
  readonly kind: 'url';
  readonly url: string;
}

export type ReferenceImage = WorkspaceReference | UrlReference;

/**
 * What an image records of a reference it was made from (in its metadata and in the history): the file's
 * workspace-relative path with the sha256 of the bytes sent, or the address.
 */
export type ReferenceRecord = { readonly path: string; readonly sha256?: string } | { readonly url: string };

/** How a reference is named in messages, history and metadata: its workspace-relative name or its address. */
export function referenceLabel(reference: ReferenceImage): string {
  return reference.kind === 'file' ? reference.name : reference.url;
}

/** Why the model cannot take these references at all, or this many of them; undefined when it can. */
export function checkReferenceCount(model: ModelInfo, count: number, limit: ReferenceLimit): string | undefined {
  if (count === 0) {
    return undefined;
  }
  const name = shortModelName(model.id);
  if (!model.references) {
    const takers = MODELS.filter((candidate) => candidate.references).map((candidate) => shortModelName(candidate.id));
    return l10n.t('{0} takes no reference images: choose a model that does ({1}).', name, [...new Set(takers)].join(', '));
  }
  if (count <= limit.max) {
    return undefined;
  }
  const extra = count - limit.max;
  return limit.source === 'provider'
    ? l10n.t(
        '{0} takes at most {1} reference images through the provider ({2}; the upstream API takes more); {3} were given: remove {4}.',
        name,
        limit.max,
        new URL(PROVIDER_BASE_URL).host,
        count,
        extra,
      )
    : l10n.t('{0} takes at most {1} reference images; {2} were given: remove {3}.', name, limit.max, count, extra);
}

/** Why the model refuses this one reference, or undefined when it takes it. */
export function checkReference(model: ModelInfo, reference: ReferenceImage): string | undefined {
  if (reference.kind === 'url') {
    return checkReferenceUrl(reference.url);
  }
  const rules = model.references;
  if (!rules) {
    return undefined; // The count check already refused every reference.
  }
  const modelName = shortModelName(model.id);
  const { name, format, width, height, byteLength } = reference;
  if (!format) {
    return l10n.t(
      '{0} is not an image {1} reads (its header is not one of {2}): export it as PNG or JPEG.',
      name,
      modelName,
      formatList(rules.formats),
    );
  }
  if (!rules.formats.includes(format)) {
    return l10n.t(
      '{0} takes {1} references; {2} is {3}: convert it to PNG or JPEG.',
      modelName,
      formatList(rules.formats),
      name,
      format.toUpperCase(),
    );
  }
  if (byteLength > rules.maxBytes) {
    return l10n.t(
      '{0} takes at most {1} per reference; {2} is {3}: export it smaller.',
      modelName,
      megabytes(rules.maxBytes),
      name,
      megabytesOver(byteLength, rules.maxBytes),
    );
  }
  if (width === undefined || height === undefined) {
    return l10n.t('The pixel size of {0} could not be read from its header: export it again as PNG or JPEG.', name);
  }
  return checkReferenceDimensions(modelName, rules, name, width, height);
}

function checkReferenceDimensions(
  modelName: string,
  rules: ReferenceRules,
  name: string,
  width: number,
  height: number,
): string | undefined {
  const size = `${width}x${height}`;
  if (width <= rules.minSideExclusive || height <= rules.minSideExclusive) {
    return l10n.t(
      '{0} is {1} pixels; {2} needs both sides longer than {3} pixels: use a larger image.',
      name,
      size,
      modelName,
      rules.minSideExclusive,
    );
  }
  if (width > rules.maxSide || height > rules.maxSide) {
    return l10n.t('{0} is {1} pixels; {2} takes at most {3}x{3} pixels: scale it down.', name, size, modelName, rules.maxSide);
  }
  const ratio = width / height;
  if (ratio > rules.maxAspectRatio || ratio < 1 / rules.maxAspectRatio) {
    return l10n.t(
      '{0} is {1} pixels, more elongated than the aspect ratios {2} takes (1:{3} to {3}:1): crop it.',
      name,
      size,
      modelName,
      rules.maxAspectRatio,
    );
  }
  return undefined;
}

/** An `https:` address (plain `http:` only on this machine, as for the base URL). */
export function checkReferenceUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return l10n.t('The reference "{0}" is not an address: use an https: URL, or a file of the workspace.', text);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    // Only the scheme is named: a data: URL may be megabytes long.
    return l10n.t(
      'A reference image must be a file of the workspace or an https: address; {0} addresses are not taken: save the image into the workspace and name that file, or pass its https: URL.',
      url.protocol,
    );
  }
  return checkSecureUrl(url, l10n.t('A reference image address'));
}

/**
 * What a reference named as text is: a Windows drive path or a `file:` URI (a file on disk, named absolutely),
 * an address with another scheme (the API fetches it), or a path (relative to a folder, or with `/` to the
 * workspace folder).
 */
export type ReferenceSpecKind = 'drivePath' | 'fileUri' | 'address' | 'path';

const WINDOWS_DRIVE = /^[a-z]:[\\/]/i;
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

export function referenceSpecKind(text: string): ReferenceSpecKind {
  const trimmed = text.trim();
  if (WINDOWS_DRIVE.test(trimmed)) {
    return 'drivePath';
  }
  if (/^file:/i.test(trimmed)) {
    return 'fileUri';
  }
  return SCHEME.test(trimmed) ? 'address' : 'path';
}

/**
 * Why a reference named as text is refused before any file is looked at, or undefined: an empty name, an
 * address that is not `https:` (loopback aside), a path that climbs out of the folder it is relative to.
 * Whether a file is inside the workspace, also through symbolic links, is checked where files are read.
 */
export function checkReferenceSpec(text: string): string | undefined {
  if (text.trim() === '') {
    return l10n.t('A reference image is an empty string: name a workspace file, a file: URI inside the workspace, or an https: URL.');
  }
  switch (referenceSpecKind(text)) {
    case 'address':
      return checkReferenceUrl(text.trim());
    case 'path':
      return normalizeSegments(splitPath(text.trim().replace(/\\/g, '/'))) ? undefined : referenceOutsideWorkspace(text);
    default:
      return undefined;
  }
}

/** The refusal of a reference image outside the workspace, as the user or caller named it. */
export function referenceOutsideWorkspace(shown: string): string {
  return l10n.t(
    'The reference image {0} is outside the workspace: reference images must be files inside the workspace folder (or https: addresses). Copy it into the workspace first.',
    shown,
  );
}

/** `JPEG, PNG or WEBP`. */
function formatList(formats: readonly ImageFormat[]): string {
  const names = formats.map((format) => format.toUpperCase());
  return names.length <= 1 ? names.join('') : l10n.t('{0} or {1}', names.slice(0, -1).join(', '), names[names.length - 1]);
}

const MEGABYTE = 1024 * 1024;

/** `14.2 MB`: the unit reads the same in every language. */
function megabytes(bytes: number): string {
  return `${Number((bytes / MEGABYTE).toFixed(1)).toLocaleString('en-US')} MB`;
}

/** A size over `limit`, with the exact bytes when one decimal would not show that it is over. */
function megabytesOver(bytes: number, limit: number): string {
  const shown = megabytes(bytes);
  return shown === megabytes(limit) ? l10n.t('{0} ({1} bytes)', shown, bytes.toLocaleString('en-US')) : shown;
}
