/**
 * The rules of the API key, apart from where it is stored: which characters a key may have, and to which
 * origins it may go without asking. Pure, so they are tested without VS Code.
 */

import * as l10n from '@vscode/l10n';
import { SeedreamError } from '../errors/errors';
import { isLoopbackHost } from './urlPolicy';

export interface KeyCharacterProblem {
  /** E.g. `an invisible character U+200B` or `the character "é" U+00E9`. */
  readonly character: string;
  /** 1-based, in characters from the key's first one (surrounding white space is dropped before). */
  readonly position: number;
}

/**
 * The first character of `key` that an HTTP header cannot carry as a key: anything but printable ASCII. A
 * zero-width space or an accented letter copied along would otherwise fail later as a network error.
 */
export function findKeyCharacterProblem(key: string): KeyCharacterProblem | undefined {
  let position = 0;
  for (const character of key.trim()) {
    position++;
    const code = character.codePointAt(0)!;
    if (code > 0x20 && code < 0x7f) {
      continue;
    }
    const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return { character: l10n.t('{0} {1}', describeCharacter(character), codePoint), position };
  }
  return undefined;
}

function describeCharacter(character: string): string {
  if (character === ' ') {
    return l10n.t('a space');
  }
  if (character === '\n' || character === '\r') {
    return l10n.t('a line break');
  }
  if (character === '\t') {
    return l10n.t('a tab');
  }
  // Controls, format characters (zero-width space, joiners, marks of direction), other spaces and combining marks.
  if (/[\p{Cc}\p{Cf}\p{Z}\p{M}\p{Co}\p{Cn}]/u.test(character)) {
    return l10n.t('an invisible character');
  }
  return l10n.t('the character "{0}"', character);
}

/** What the input box says about a typed key; undefined when it is acceptable. */
export function validateKeyInput(value: string): string | undefined {
  if (value.trim().length === 0) {
    return l10n.t('Enter the key, or press Escape to cancel.');
  }
  const problem = findKeyCharacterProblem(value);
  return (
    problem && l10n.t('The key has {0} at position {1}: copy it again from the provider console.', problem.character, problem.position)
  );
}

/**
 * Refuses a stored or environment key with a character no API key has, before any request: sent, it would
 * fail as a network error. The error offers Set API Key, which stores a key that takes precedence.
 */
export function checkKeyCharacters(
  key: string,
  from: { readonly source: 'stored' } | { readonly source: 'environment'; readonly variable: string },
): SeedreamError | undefined {
  const problem = findKeyCharacterProblem(key);
  if (!problem) {
    return undefined;
  }
  const message =
    from.source === 'stored'
      ? l10n.t(
          'The stored API key has {0} at position {1}, which no API key has. Set it again with "Seedream: Set API Key", copying it from the provider console.',
          problem.character,
          problem.position,
        )
      : l10n.t(
          'The API key in the environment variable {2} has {0} at position {1}, which no API key has. Copy the key again from the provider console into {2}, or store one with "Seedream: Set API Key".',
          problem.character,
          problem.position,
          from.variable,
        );
  return new SeedreamError('invalidInput', message, { action: 'setApiKey' });
}

/**
 * What ties a key to origins: a stored key, to the one it was entered for (or last agreed to); the
 * environment's key, to the default server's, this machine's and those the user agreed to.
 */
export type KeyTies =
  | { readonly source: 'stored'; readonly storedOrigin: string | undefined }
  | { readonly source: 'environment'; readonly defaultOrigin: string | undefined; readonly approvedOrigins: readonly string[] };

/**
 * Whether the key may go to `origin` without asking. Origins are compared whole and exactly, so
 * "https://api.example.com.evil.net" never passes for "https://api.example.com". Unasked, the environment's
 * key goes only to the default server (the one the variable is named for), where the user agreed to send it,
 * and to a server on this machine: that is a program already running here, which can read the variable from
 * the environment of the user's processes anyway, so a question would protect nothing (a local gateway, a
 * test server). A stored key is kept from such programs by the keychain, so it is asked about there too.
 */
export function keyMayGoUnasked(origin: string, ties: KeyTies): boolean {
  if (ties.source === 'stored') {
    return origin === ties.storedOrigin;
  }
  return origin === ties.defaultOrigin || isLoopbackHost(new URL(origin).hostname) || ties.approvedOrigins.includes(origin);
}

/** The origins agreed to for the environment's key, as kept in storage: a JSON list, anything else read as none. */
export function parseApprovedOrigins(stored: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(stored ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((origin): origin is string => typeof origin === 'string') : [];
  } catch {
    return [];
  }
}
