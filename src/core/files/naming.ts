/** File names for generated images, from the `seedream.fileName` pattern. */
import * as l10n from '@vscode/l10n';
import { expandTemplate, formatDate, formatTime, parseTemplate, variableNames, type TemplatePart } from './template';
import { shortModelName } from '../model/catalog';

export interface FileNameContext {
  prompt: string;
  date: Date;
  /** 1-based position in the batch. */
  index: number;
  count: number;
  seed?: number | undefined;
  model: string;
  documentBaseName?: string | undefined;
}

/**
 * A short, readable slug of the prompt in its own script: letters and digits
 * of every script are kept (Chinese prompts give Chinese names), text is
 * lower-cased, accents on Latin letters are folded (é -> e), everything else
 * becomes `-`. At most `maxLength` characters (code points), cut between
 * words when possible. `image` when nothing is left (an emoji-only prompt).
 */
export function promptSlug(prompt: string, maxLength = 60): string {
  const words =
    prompt
      .toLowerCase()
      .normalize('NFKD')
      // Only Latin accents fold: in Devanagari or kana the marks are part of the letter.
      .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
      .normalize('NFC')
      // Emoji variation selectors and keycap frames are decoration, not text.
      .replace(/[\p{Me}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/gu, '')
      // "cat's" -> "cats", not "cat-s".
      .replace(/(?<=[\p{L}\p{N}])['’](?=\p{L})/gu, '')
      .match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? [];
  return joinWords(words, maxLength) || 'image';
}

/** Whole words up to `maxLength`; a first word that is longer alone (unspaced Chinese) is cut. */
function joinWords(words: readonly string[], maxLength: number): string {
  let slug = '';
  for (const word of words) {
    const longer = slug === '' ? word : `${slug}-${word}`;
    if ([...longer].length > maxLength) {
      break;
    }
    slug = longer;
  }
  return slug === '' && words.length > 0 ? cutWord(words[0], maxLength) : slug;
}

function cutWord(word: string, maxLength: number): string {
  const characters = [...word];
  let end = Math.max(0, maxLength);
  // Never leave a letter without the vowel sign or accent that follows it.
  while (end > 0 && /\p{M}/u.test(characters[end] ?? '')) {
    end--;
  }
  return characters.slice(0, end).join('');
}

const MAX_FILE_NAME_UNITS = 120;
// File systems limit names to 255 bytes; leave room for `-12.jpeg`.
const MAX_FILE_NAME_BYTES = 200;
// Windows device names, also with an extension (`con.tmp`). Recent Windows
// versions add COM0/LPT0 and the superscript digits.
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])\s*(\..*)?$/i;

/**
 * A single file name that is valid on Windows, macOS and Linux and cannot
 * leave its folder: no separators, `..`, controls, bidi overrides or
 * Windows-forbidden characters (runs of them become `-`); not hidden and not
 * starting with `-` or a space; not a Windows device name (`_` is put in
 * front); at most 120 UTF-16 units and 200 UTF-8 bytes. `image` when nothing
 * is left.
 */
export function sanitizeFileName(name: string): string {
  const cleaned = name
    // Bidi controls can make `gnp.exe` display as `exe.png`.
    .replace(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/[/\\<>:"|?*]+/g, '-')
    .replace(/\.{2,}/g, '.')
    // A leading `-` would read as an option in a shell; trailing dots and spaces vanish on Windows.
    .replace(/^[\s.-]+|[\s.]+$/g, '');
  const notDevice = WINDOWS_DEVICE_NAME.test(cleaned) ? `_${cleaned}` : cleaned;
  return capLength(notDevice).replace(/[\s.]+$/, '') || 'image';
}

function capLength(name: string): string {
  let units = 0;
  let bytes = 0;
  let kept = '';
  // Iterating by code point never splits a surrogate pair.
  for (const character of name) {
    units += character.length;
    bytes += utf8Length(character.codePointAt(0)!);
    if (units > MAX_FILE_NAME_UNITS || bytes > MAX_FILE_NAME_BYTES) {
      break;
    }
    kept += character;
  }
  return kept;
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

const FILE_NAME_SETTING = 'seedream.fileName';
// Stands for a variable without a value until the separators around it are tidied.
const NO_VALUE = '\u0000';

/**
 * The file name, without extension, for one image of a batch. Throws an
 * Error (message for the user) for an unknown variable, before any request.
 *
 * `${seed}` without a seed and `${documentBaseName}` without a document are
 * empty, together with one separator next to them (`${prompt}-${seed}` ->
 * `cat`). A batch of several images gets `-${index}` appended when the
 * pattern has no `${index}`. A `/` in the pattern does not make folders (it
 * is sanitized away): folders come from `seedream.outputFolder`, which is
 * checked to stay inside the workspace.
 */
export function buildFileName(pattern: string, context: FileNameContext): string {
  const values: Record<string, string> = {
    prompt: promptSlug(context.prompt),
    date: formatDate(context.date),
    time: formatTime(context.date),
    index: String(context.index),
    seed: context.seed === undefined ? NO_VALUE : String(context.seed),
    model: shortModelName(context.model),
    documentBaseName: context.documentBaseName || NO_VALUE,
  };
  const parsed = parseTemplate(pattern, Object.keys(values));
  if (!parsed.ok) {
    throw new Error(l10n.t('The file name pattern {0} "{1}" has {2}.', FILE_NAME_SETTING, pattern, parsed.problem));
  }
  const parts: readonly TemplatePart[] =
    context.count > 1 && !variableNames(parsed.parts).includes('index')
      ? [...parsed.parts, { kind: 'text', text: '-' }, { kind: 'variable', name: 'index' }]
      : parsed.parts;
  return sanitizeFileName(dropEmptyValues(expandTemplate(parts, values)));
}

/** `a-␀-b` -> `a-b`, `␀-b` -> `b`, `a-␀` -> `a`, `a␀b` -> `ab`. */
function dropEmptyValues(name: string): string {
  return name.replace(/[-_. \u0000]*\u0000[-_. \u0000]*/g, (run, offset: number) => {
    const atEdge = offset === 0 || offset + run.length === name.length;
    return atEdge ? '' : (run.replaceAll(NO_VALUE, '')[0] ?? '');
  });
}

/**
 * `name.ext`, `name-1.ext`, `name-2.ext`, ... without end: the caller takes
 * the first that does not exist, so no file is ever overwritten. The
 * extension is given without its dot (a leading dot is tolerated); an empty
 * one gives names without extension.
 */
export function* candidateFileNames(baseName: string, extension: string): Iterable<string> {
  const suffix = extension === '' ? '' : `.${extension.replace(/^\./, '')}`;
  yield `${baseName}${suffix}`;
  for (let n = 1; ; n++) {
    yield `${baseName}-${n}${suffix}`;
  }
}
