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
  /**
   * Reference images to make it from, as written (paths relative to the document like the link's, or
   * addresses): a title `prompt: ... ; from: a.png, b.png`, an HTML `data-from` or an AsciiDoc `from=` attribute.
   */
  readonly from?: readonly string[];
}

type ReferenceFields = Omit<ImageLinkReference, 'explicitPrompt' | 'prompt' | 'from'>;

export function imageReference(
  fields: ReferenceFields,
  explicitPrompt: string | undefined,
  from: readonly string[] | undefined = undefined,
): ImageLinkReference {
  const prompt = (explicitPrompt ?? fields.alt).trim();
  // Left out rather than undefined, so the object compares equal to one written without it.
  return {
    ...fields,
    ...(explicitPrompt === undefined ? {} : { explicitPrompt }),
    prompt,
    ...(from === undefined || from.length === 0 ? {} : { from }),
  };
}

const PROMPT_TITLE = /^\s*prompt\s*:/i;
/**
 * The reference clause at the end of a prompt title: `; from: a.png, b.png`. The last such clause counts, so a
 * prompt may itself say `; from:` when the title ends with a clause of its own (an empty one without references).
 */
const FROM_CLAUSE = /^([^]*);\s*from\s*:([^]*)$/i;
/** What separates references: a comma followed by whitespace (or the end). A comma directly followed by more text belongs to the reference, as in `https://host/a,b.png`. */
const REFERENCE_SEPARATOR = /,(?=\s|$)/;

/** The prompt in a `prompt: ...` title (without its `; from:` clause); undefined for any other title, or an empty prompt. */
export function promptFromTitle(title: string | undefined): string | undefined {
  const body = promptTitleBody(title);
  return body === undefined ? undefined : nonBlank(FROM_CLAUSE.exec(body)?.[1] ?? body);
}

/** The references of a `prompt: ... ; from: a.png, b.png` title; undefined without that clause. */
export function referencesFromTitle(title: string | undefined): string[] | undefined {
  const clause = FROM_CLAUSE.exec(promptTitleBody(title) ?? '');
  return clause ? splitReferenceList(clause[2]) : undefined;
}

/** `a.png, b.png` as a list; undefined when it names nothing. */
export function splitReferenceList(list: string | undefined): string[] | undefined {
  const entries = (list ?? '')
    .split(REFERENCE_SEPARATOR)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.length > 0 ? entries : undefined;
}

function promptTitleBody(title: string | undefined): string | undefined {
  const match = title === undefined ? null : PROMPT_TITLE.exec(title);
  return match === null ? undefined : title!.slice(match[0].length);
}

export function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
