// package.json says to VS Code what the code does: its commands, settings, menus and activation. Each fact
// has its owner in the code; these tests fail when the manifest says something else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODELS } from '../../src/core/model/catalog';
import { SETTINGS, type NumberSettingSpec, type SettingSpec } from '../../src/core/model/settings';
import { DOCS_LANGUAGES } from '../../src/core/links/docsLanguages';
import { provideVscode, standIn, vscodeModule } from '../support/vscodeStandIn';

interface ManifestSetting {
  readonly type: string;
  readonly default: unknown;
  readonly enum?: readonly unknown[];
  readonly markdownEnumDescriptions?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
}

interface Manifest {
  readonly activationEvents: readonly string[];
  readonly contributes: {
    readonly commands: readonly { readonly command: string }[];
    readonly menus: Readonly<Record<string, readonly { readonly command: string; readonly when?: string }[]>>;
    readonly configuration: { readonly properties: Readonly<Record<string, ManifestSetting>> };
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const declaredCommands = manifest.contributes.commands.map((entry) => entry.command);
const menuEntries = Object.entries(manifest.contributes.menus).flatMap(([menu, entries]) => entries.map((entry) => ({ menu, ...entry })));

/** The VS Code layer, loaded with a stand-in `vscode` that records what is registered. */
function loadHost(): { readonly registeredCommands: readonly string[]; readonly studioViewType: string } {
  const registeredCommands: string[] = [];
  const values = {
    'vscode.commands.registerCommand': (id: string) => {
      registeredCommands.push(id);
      return { dispose: () => undefined };
    },
  };
  const restore = provideVscode(vscodeModule(values));
  try {
    const commands = require('../../src/host/commands') as typeof import('../../src/host/commands');
    const studio = require('../../src/host/studio/studioPanel') as typeof import('../../src/host/studio/studioPanel');
    commands.registerCommands(standIn('services', values) as Parameters<typeof commands.registerCommands>[0]);
    return { registeredCommands, studioViewType: studio.STUDIO_VIEW_TYPE };
  } finally {
    restore();
  }
}

describe('package.json', () => {
  let host: ReturnType<typeof loadHost>;
  before(() => {
    host = loadHost();
  });

  describe('commands', () => {
    it('every command registered is declared, and every command declared is registered', () => {
      assert.deepEqual([...host.registeredCommands].sort(), [...declaredCommands].sort());
    });

    it('declares each command once', () => {
      assert.deepEqual(
        declaredCommands.filter((id, position) => declaredCommands.indexOf(id) !== position),
        [],
      );
    });

    it('menus name declared commands only', () => {
      assert.deepEqual(
        menuEntries.filter((entry) => !declaredCommands.includes(entry.command)).map((entry) => `${entry.menu}: ${entry.command}`),
        [],
      );
    });
  });

  describe('settings', () => {
    const properties = manifest.contributes.configuration.properties;
    const declared = Object.keys(properties).map((key) => key.replace(/^seedream\./, ''));

    it('declares exactly the settings the settings table holds', () => {
      assert.deepEqual([...declared].sort(), Object.keys(SETTINGS).sort());
    });

    for (const [name, spec] of Object.entries(SETTINGS) as [string, SettingSpec<unknown> & Partial<NumberSettingSpec>][]) {
      it(`seedream.${name}: default, choices and limits as the settings table has them`, () => {
        const property = properties[`seedream.${name}`];
        assert.ok(property, `seedream.${name} is not declared`);
        assert.deepEqual(
          { default: property.default, enum: property.enum, minimum: property.minimum, maximum: property.maximum },
          { default: spec.default, enum: spec.enum, minimum: spec.minimum, maximum: spec.maximum },
        );
        assert.equal(property.type, typeof spec.default === 'number' ? 'integer' : typeof spec.default);
        if (property.markdownEnumDescriptions) {
          assert.equal(property.markdownEnumDescriptions.length, property.enum?.length, 'one description per choice');
        }
      });
    }

    it('offers the catalogue’s models, each with its description', () => {
      const model = properties['seedream.model'];
      assert.deepEqual(
        model.enum,
        MODELS.map((entry) => entry.id),
      );
      assert.equal(model.markdownEnumDescriptions?.length, MODELS.length);
    });
  });

  describe('docs languages', () => {
    /** The languages a `when` clause's `editorLangId =~ /^(a|b)$/` names, or undefined when it names none. */
    const languagesOf = (when: string | undefined): string[] | undefined => {
      const match = /editorLangId =~ \/\^\(([^)]*)\)\$\//.exec(when ?? '');
      return match?.[1].split('|');
    };

    it('activates on exactly the docs languages and on restoring the Image Studio', () => {
      assert.deepEqual(
        [...manifest.activationEvents].sort(),
        [...DOCS_LANGUAGES.map((language) => `onLanguage:${language}`), `onWebviewPanel:${host.studioViewType}`].sort(),
      );
    });

    it('every `when` clause that names languages by editorLangId names exactly the docs languages', () => {
      const clauses = menuEntries.filter((entry) => entry.when?.includes('editorLangId'));
      assert.ok(clauses.length > 0, 'no when clause names languages');
      for (const entry of clauses) {
        assert.deepEqual(languagesOf(entry.when), [...DOCS_LANGUAGES], `${entry.menu}: ${entry.command}: ${entry.when}`);
      }
    });
  });
});
