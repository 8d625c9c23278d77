/**
 * The translations are complete and current: every string of the sources (l10n/bundle.l10n.json, exported by
 * `npm run l10n`) and of the manifest (package.nls.json) has a Simplified Chinese translation, no translation
 * is left over from a string that is gone, placeholders and `code` survive translation, and the exported
 * bundle matches the sources as they are now.
 *
 * The sources are read here with TypeScript's parser, not with `@vscode/l10n-dev`, which stays the tool that
 * writes the bundle: its tree-sitter parser took seconds per run, and its WebAssembly runtime ends the whole
 * process when it fails, so the unit run stopped mid-suite with no report at all.
 */

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '../../..');
/** Languages with translations: package.nls.<language>.json and l10n/bundle.l10n.<language>.json. */
const LANGUAGES = ['zh-cn'];
/** Manifest strings that are names, the same in every language. */
const SAME_IN_EVERY_LANGUAGE = new Set(['displayName', 'command.category', 'configuration.title']);

type Strings = Record<string, string>;

function readJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(ROOT, relativePath), 'utf8')) as T;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every `%key%` the manifest uses, wherever it is. */
function manifestKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const match = /^%(.+)%$/.exec(value);
    if (match) {
      found.add(match[1]!);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item) => manifestKeys(item, found));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((item) => manifestKeys(item, found));
  }
  return found;
}

/** The parts of a message a translation must keep as they are: `{0}` placeholders, `code` spans and setting ids. */
function fixedParts(message: string): string[] {
  return [...message.matchAll(/\{\d+\}|`[^`]+`|\bseedream(?:\.[A-Za-z]+)+/g)].map((match) => match[0]).sort();
}

/** Each command's palette name ("Seedream: Set API Key") and what it reads in `language`, from the manifest's translations. */
function commandNames(language: string): Map<string, string> {
  const english = readJson<Strings>('package.nls.json');
  const translated = readJson<Strings>(`package.nls.${language}.json`);
  const keys = Object.keys(english).filter((key) => /^command\.\w+\.title$/.test(key));
  const named = (strings: Strings, key: string): string => `${strings['command.category']}: ${strings[key]}`;
  return new Map(keys.map((key) => [named(english, key), named(translated, key)]));
}

/** What the sources translate: each `l10n.t` call (either module), where it stands and what it says. */
interface Translated {
  /** `src/…:line`. */
  readonly at: string;
  /** The message, or undefined when it is not a literal string (the export would miss it). */
  readonly message: string | undefined;
  /** Outside any function: it would run before the bundle is configured. */
  readonly atModuleLevel: boolean;
}

function translatedIn(path: string): Translated[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Translated[] = [];
  const visit = (node: ts.Node, inFunction: boolean): void => {
    if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText(source))) {
      const [first] = node.arguments;
      found.push({
        at: `${path.slice(ROOT.length + 1)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`,
        message: first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text : undefined,
        atModuleLevel: !inFunction,
      });
    }
    ts.forEachChild(node, (child) => visit(child, inFunction || ts.isFunctionLike(node)));
  };
  visit(source, false);
  return found;
}

/** The problems of a translation file against its English original, one line each. */
function translationProblems(english: Strings, translated: Strings, sameAllowed: (key: string) => boolean): string[] {
  const problems: string[] = [];
  for (const [key, message] of Object.entries(english)) {
    const translation = translated[key];
    if (translation === undefined) {
      problems.push(`no translation: ${JSON.stringify(key)}`);
      continue;
    }
    if (translation.trim() === '' || (translation === message && !sameAllowed(key))) {
      problems.push(`not translated: ${JSON.stringify(key)}`);
    }
    const missing = fixedParts(message).filter((part) => !translation.includes(part));
    if (missing.length > 0) {
      problems.push(`${JSON.stringify(key)}: the translation lacks ${missing.join(' ')}`);
    }
    const extra = [...translation.matchAll(/\{\d+\}/g)].map((match) => match[0]).filter((part) => !message.includes(part));
    if (extra.length > 0) {
      problems.push(`${JSON.stringify(key)}: the translation has ${extra.join(' ')}, which the original has not`);
    }
  }
  for (const key of Object.keys(translated)) {
    if (!(key in english)) {
      problems.push(`stale translation (no such string any more): ${JSON.stringify(key)}`);
    }
  }
  return problems;
}

describe('Translations', () => {
  const translated = sourceFiles(join(ROOT, 'src')).flatMap(translatedIn);

  it('l10n/bundle.l10n.json holds exactly the strings the sources translate (`npm run l10n` exports them)', () => {
    assert.deepEqual(
      translated.filter((call) => call.message === undefined).map((call) => call.at),
      [],
      'a translated message that is not a literal string cannot be exported',
    );
    const exported = Object.fromEntries(translated.map(({ message }) => [message, message]));
    assert.deepEqual(readJson<Strings>('l10n/bundle.l10n.json'), exported, 'l10n/bundle.l10n.json is out of date: run `npm run l10n`');
  });

  it('no string is translated at module level, before the translations are configured', () => {
    assert.deepEqual(
      translated.filter((call) => call.atModuleLevel).map((call) => call.at),
      [],
    );
  });

  it('the manifest names l10n/ as its bundle folder', () => {
    assert.equal(readJson<{ l10n?: string }>('package.json').l10n, './l10n');
  });

  for (const language of LANGUAGES) {
    it(`every string of the sources has a ${language} translation, and none is stale`, () => {
      const english = readJson<Strings>('l10n/bundle.l10n.json');
      const translated = readJson<Strings>(`l10n/bundle.l10n.${language}.json`);
      // A message that is only placeholders and code reads the same in every language.
      const problems = translationProblems(english, translated, (key) => key.replace(/\{\d+\}|`[^`]+`|[\s\p{P}]/gu, '') === '');
      assert.deepEqual(problems, []);
    });

    it(`a ${language} message names each command as the ${language} command palette does`, () => {
      const names = commandNames(language);
      const translated = readJson<Strings>(`l10n/bundle.l10n.${language}.json`);
      const wrong = Object.keys(readJson<Strings>('l10n/bundle.l10n.json')).flatMap((key) =>
        [...names]
          .filter(([english, local]) => key.includes(`"${english}"`) && !translated[key]?.includes(local))
          .map(([english, local]) => `${JSON.stringify(key)}: "${english}" should read "${local}"`),
      );
      assert.deepEqual(wrong, []);
    });

    it(`every %key% of package.json is in package.nls.json and package.nls.${language}.json, and neither has stale keys`, () => {
      const used = manifestKeys(readJson('package.json'));
      const english = readJson<Strings>('package.nls.json');
      const translated = readJson<Strings>(`package.nls.${language}.json`);
      assert.deepEqual(
        [...used].filter((key) => !(key in english)),
        [],
        'keys package.json uses that package.nls.json lacks',
      );
      assert.deepEqual(
        Object.keys(english).filter((key) => !used.has(key)),
        [],
        'keys of package.nls.json that package.json no longer uses',
      );
      assert.deepEqual(
        translationProblems(english, translated, (key) => SAME_IN_EVERY_LANGUAGE.has(key)),
        [],
      );
    });
  }
});
