/**
 * What the image link scanners return: one image link with its offsets,
 * decoded path, alt text and prompt. It lives apart from the scanners so
 * that every syntax builds its references, and reads a `prompt: ...` title,
 * in the same way.
 */

export interface ImageLinkReference {
  /** Offsets into the text (UTF-16 code units), of the whole link construct, e.g. `![alt](path "title")`, `<img ...>`, the `.. image:: path` line (plus its option lines), `image::path[...]`. */
  readonly start: number;
  readonly end: number;
  /** Offsets of just the target as written in the source (so an editor can replace only the path). */
  readonly targetStart: number;
  readonly targetEnd: number;
  /** The target decoded to a plain relative-or-absolute path: escapes and HTML entities undone, angle brackets removed, and where the syntax reads it as a URL (Markdown, HTML, AsciiDoc) the query and fragment dropped before percent-decoding. */
  readonly path: string;
  /** The alt text, unescaped ('' when absent). */
  readonly alt: string;
  /** A prompt written explicitly: a title of the form `prompt: ...` (Markdown/MDX title, HTML title attribute, AsciiDoc title attribute), an HTML `data-prompt` attribute, or an AsciiDoc `prompt=` attribute. */
  readonly explicitPrompt?: string;
  /** explicitPrompt ?? alt, trimmed. */
  readonly prompt: string;
}

type ReferenceFields = Omit<ImageLinkReference, 'explicitPrompt' | 'prompt'>;

export function imageReference(fields: ReferenceFields, explicitPrompt: string | undefined): ImageLinkReference {
  const prompt = (explicitPrompt ?? fields.alt).trim();
  // Left out rather than undefined, so the object compares equal to one written without it.
  return explicitPrompt === undefined ? { ...fields, prompt } : { ...fields, explicitPrompt, prompt };
}

const PROMPT_TITLE = /^\s*prompt\s*:/i;

/** The prompt in a `prompt: ...` title; undefined for any other title, or an empty prompt. */
export function promptFromTitle(title: string | undefined): string | undefined {
  if (title === undefined) {
    return undefined;
  }
  const match = PROMPT_TITLE.exec(title);
  return match === null ? undefined : nonBlank(title.slice(match[0].length));
}

export function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
