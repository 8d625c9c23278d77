import assert from 'node:assert/strict';
import { MAX_IMAGES_PER_SET, MAX_SEED } from '../../../src/core/model/catalog';
import type { ReferenceFileView, StudioForm } from '../../../src/shared/protocol';
import {
  aspectPresets,
  CUSTOM_SIZE,
  DEFAULT_SET_SIZE,
  setSizeChoices,
  type DraftContext,
  draftFromForm,
  draftIssues,
  formFromDraft,
  outputFormatChoices,
  parseSeedText,
  seedFromRandomBits,
  sizeChoices,
  visibleIssues,
  withModel,
  type FormDraft,
} from '../../../src/webview/formModel';
import { findModel } from '../../../src/core/model/catalog';
import { TEST_INPUT } from '../../support/generationInput';

const defaults: StudioForm = { ...TEST_INPUT, prompt: '' };

const draft: FormDraft = { ...draftFromForm(defaults), prompt: 'a lighthouse at dusk' };

function fieldsOf(value: FormDraft): string[] {
  return draftIssues(value).map((issue) => issue.field);
}

describe('webview form model', () => {
  describe('draft <-> form', () => {
    it('starts from the settings: a tier stays a tier, the custom size gets an example', () => {
      assert.equal(draft.sizeChoice, '2K');
      assert.equal(draft.customSize, '2560x1440');
      assert.equal(draft.seedText, '');
      assert.deepEqual(formFromDraft(draft), { ...defaults, prompt: 'a lighthouse at dusk' });
    });

    it('keeps exact pixels as the custom size', () => {
      const custom = draftFromForm({ ...defaults, size: '3024x1296', seed: 7 });
      assert.equal(custom.sizeChoice, CUSTOM_SIZE);
      assert.equal(custom.customSize, '3024x1296');
      assert.equal(custom.seedText, '7');
      assert.deepEqual(formFromDraft(custom), { ...defaults, size: '3024x1296', seed: 7 });
    });

    it('keeps the typed custom size when a history entry with a tier is loaded', () => {
      const loaded = draftFromForm({ ...defaults, size: '3K' }, { ...draft, customSize: '2800x1600' });
      assert.equal(loaded.sizeChoice, '3K');
      assert.equal(loaded.customSize, '2800x1600');
    });

    it('treats seed -1 as random', () => {
      assert.equal(draftFromForm({ ...defaults, seed: -1 }).seedText, '');
    });
  });

  describe('seed', () => {
    it('parses empty as random, whole numbers as seeds, anything else as invalid', () => {
      assert.equal(parseSeedText(''), undefined);
      assert.equal(parseSeedText('  '), undefined);
      assert.equal(parseSeedText(' 42 '), 42);
      assert.equal(parseSeedText('-1'), -1);
      for (const text of ['abc', '1.5', '1e3', '0x10', '12345678901', '4 2']) {
        assert.ok(Number.isNaN(parseSeedText(text)), text);
      }
    });

    it('reports a seed that is not a number or out of range next to the seed field', () => {
      assert.deepEqual(fieldsOf({ ...draft, seedText: 'abc' }), ['seed']);
      assert.deepEqual(fieldsOf({ ...draft, seedText: String(MAX_SEED + 1) }), ['seed']);
      assert.deepEqual(fieldsOf({ ...draft, seedText: '-5' }), ['seed']);
      assert.deepEqual(fieldsOf({ ...draft, seedText: String(MAX_SEED) }), []);
    });

    it('makes dice seeds inside the allowed range', () => {
      for (const bits of [0, 1, 0xffffffff, 0x80000000, MAX_SEED, MAX_SEED + 1]) {
        const seed = seedFromRandomBits(bits);
        assert.ok(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED, String(bits));
      }
    });
  });

  describe('live validation against the chosen model', () => {
    it('accepts a valid draft', () => {
      assert.deepEqual(draftIssues(draft), []);
    });

    it('refuses a custom size the model cannot make, saying what it allows', () => {
      const issues = draftIssues({ ...draft, sizeChoice: CUSTOM_SIZE, customSize: '1024x1024' });
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.field, 'size');
      assert.match(issues[0]!.message, /1024x1024 is too small for seedream-5-0: at least 2560x1440/);
    });

    it('checks the same size per model: 1280x720 suits 4.0, not 5.0', () => {
      const small = { ...draft, sizeChoice: CUSTOM_SIZE, customSize: '1280x720' };
      assert.deepEqual(fieldsOf(small), ['size']);
      assert.deepEqual(fieldsOf(withModel(small, 'seedream-4-0-250828')), []);
    });

    it('ignores the custom text while a tier is chosen', () => {
      assert.deepEqual(fieldsOf({ ...draft, customSize: 'nonsense' }), []);
    });

    it('reports an empty prompt and an unknown model on their fields', () => {
      assert.deepEqual(fieldsOf({ ...draft, prompt: '  ' }), ['prompt']);
      assert.deepEqual(fieldsOf({ ...draft, model: 'seedream-9' }), ['model']);
    });
  });

  describe('references and image sets', () => {
    const file = (path: string, width = 1600, height = 900): ReferenceFileView => ({
      path,
      src: `https://file+.vscode-resource/${path}`,
      byteLength: 1_000_000,
      format: 'png',
      width,
      height,
    });
    const withFiles = (...views: ReferenceFileView[]): DraftContext => ({ files: new Map(views.map((view) => [view.path, view])) });

    it('sends the references in order, an image set as one request of up to maxImages', () => {
      const set: FormDraft = {
        ...draft,
        n: 3,
        references: [{ path: 'a.png' }, { url: 'https://example.com/b.png' }],
        imageSet: true,
        maxImages: 6,
      };
      const form = formFromDraft(set);
      assert.deepEqual(form.references, [{ path: 'a.png' }, { url: 'https://example.com/b.png' }]);
      assert.equal(form.n, 1);
      assert.equal(form.maxImages, 6);
      assert.deepEqual(draftFromForm(form), { ...set, n: 1 });
      assert.equal(formFromDraft({ ...set, imageSet: false }).maxImages, undefined, 'the switch off: single images');
      assert.equal(formFromDraft({ ...set, imageSet: false }).n, 3);
    });

    it('keeps the set size while the switch is off, and starts a loaded run without a set from the last one', () => {
      assert.equal(draftFromForm(defaults).maxImages, DEFAULT_SET_SIZE);
      assert.equal(draftFromForm(defaults, { ...draft, maxImages: 9 }).maxImages, 9);
      assert.equal(draftFromForm(defaults).imageSet, false);
    });

    it("checks each file against the model's rules, at its place, with the core's message", () => {
      const elongated = {
        ...draft,
        model: 'seedream-4-0-250828',
        sizeChoice: '2K',
        references: [{ path: 'ok.png' }, { path: 'strip.png' }],
      };
      const issues = draftIssues(elongated, withFiles(file('ok.png'), file('strip.png', 4000, 1000)));
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.field, 'references');
      assert.equal(issues[0]!.index, 1);
      assert.match(
        issues[0]!.message,
        /strip\.png is 4000x1000 pixels, more elongated than the aspect ratios seedream-4-0 takes \(1:3 to 3:1\)/,
      );
      assert.deepEqual(
        draftIssues({ ...elongated, model: 'seedream-5-0-260128' }, withFiles(file('ok.png'), file('strip.png', 4000, 1000))),
        [],
      );
    });

    it('counts against the bound of the base URL: 11 references are one too many for the provider only', () => {
      const references = Array.from({ length: 11 }, (_, i) => ({ url: `https://example.com/${i}.png` }));
      const many = { ...draft, references };
      const atProvider = draftIssues(many, { files: new Map(), baseUrl: 'https://api.apiyi.com/v1' });
      assert.deepEqual(
        atProvider.map((issue) => issue.field),
        ['references'],
      );
      assert.match(atProvider[0]!.message, /at most 10 reference images through the provider .* 11 were given: remove 1\./);
      assert.deepEqual(draftIssues(many, { files: new Map(), baseUrl: 'http://127.0.0.1:8080/v1' }), []);
    });

    it('refuses a set that with its references asks for more than 15 images, beside the set', () => {
      const references = Array.from({ length: 10 }, (_, i) => ({ url: `https://example.com/${i}.png` }));
      const issues = draftIssues({ ...draft, references, imageSet: true, maxImages: 6 }, { files: new Map() });
      assert.deepEqual(
        issues.map((issue) => issue.field),
        ['maxImages'],
      );
      assert.match(issues[0]!.message, /10 references and a set of up to 6 make 16: ask for a set of at most 5/);
      assert.deepEqual(draftIssues({ ...draft, references, imageSet: true, maxImages: 5 }, { files: new Map() }), []);
    });

    it('says nothing of a file still being read; says why a file the host could not read is refused', () => {
      const pending = { ...draft, references: [{ path: 'coming.png' }] };
      assert.deepEqual(draftIssues(pending, { files: new Map() }), []);
      const problem = 'The reference image coming.png is outside the workspace: copy it into the workspace first.';
      assert.deepEqual(draftIssues(pending, withFiles({ path: 'coming.png', problem } as ReferenceFileView)), [
        { field: 'references', message: problem, index: 0 },
      ]);
    });

    it('offers set sizes from 1 to the most a set may have', () => {
      assert.deepEqual(
        setSizeChoices().map((choice) => Number(choice.value)),
        Array.from({ length: MAX_IMAGES_PER_SET }, (_, i) => i + 1),
      );
    });
  });

  describe('switching models', () => {
    it('replaces a tier the new model lacks with its nearest tier', () => {
      assert.equal(withModel({ ...draft, sizeChoice: '3K' }, 'seedream-4-5-251128').sizeChoice, '2K');
      assert.equal(withModel({ ...draft, sizeChoice: '4K' }, 'seedream-5-0-260128').sizeChoice, '3K');
      assert.equal(withModel({ ...draft, sizeChoice: '1K' }, 'seedream-4-5-251128').sizeChoice, '2K');
      assert.equal(withModel({ ...draft, sizeChoice: '2K' }, 'seedream-4-0-250828').sizeChoice, '2K');
    });

    it('drops a format the new model cannot make, keeps the custom size as typed', () => {
      const switched = withModel({ ...draft, outputFormat: 'png', sizeChoice: CUSTOM_SIZE, customSize: '1280x720' }, 'seedream-4-5-251128');
      assert.equal(switched.outputFormat, 'auto');
      assert.equal(switched.customSize, '1280x720');
      assert.equal(switched.sizeChoice, CUSTOM_SIZE);
    });
  });

  describe('choices offered for a model', () => {
    it('offers only the tiers of the model, then custom', () => {
      assert.deepEqual(
        sizeChoices(findModel('seedream-5-0-260128')).map((choice) => choice.value),
        ['2K', '3K', CUSTOM_SIZE],
      );
      assert.deepEqual(
        sizeChoices(findModel('seedream-4-0-250828')).map((choice) => choice.value),
        ['1K', '2K', '4K', CUSTOM_SIZE],
      );
      assert.deepEqual(
        sizeChoices(undefined).map((choice) => choice.value),
        [CUSTOM_SIZE],
      );
    });

    it('offers only the formats the model makes, plus auto', () => {
      assert.deepEqual(
        outputFormatChoices(findModel('seedream-5-0-260128')).map((choice) => choice.value),
        ['auto', 'png', 'jpeg'],
      );
      assert.deepEqual(
        outputFormatChoices(findModel('seedream-4-5-251128')).map((choice) => choice.value),
        ['auto', 'jpeg'],
      );
      assert.equal(outputFormatChoices(findModel('seedream-4-5-251128'))[0]!.label, 'Auto (JPEG)');
    });

    it('marks each aspect preset by whether the model takes it', () => {
      const presets = aspectPresets(findModel('seedream-5-0-260128'));
      assert.ok(presets.some((preset) => preset.ratio === '16:9' && preset.size === '2560x1440' && preset.allowed));
      assert.ok(presets.every((preset) => preset.allowed));
      assert.ok(aspectPresets(undefined).every((preset) => !preset.allowed));
    });
  });

  describe('which messages show', () => {
    const issues = draftIssues({ ...draft, prompt: '', sizeChoice: CUSTOM_SIZE, customSize: '10x10' });

    it('shows a field once the user has changed it, everything after Generate', () => {
      assert.deepEqual([...visibleIssues(issues, new Set(), false).keys()], []);
      assert.deepEqual([...visibleIssues(issues, new Set(['size']), false).keys()], ['size']);
      assert.deepEqual([...visibleIssues(issues, new Set(), true).keys()].sort(), ['prompt', 'size']);
    });

    it("adds the host's refusals, one message per field", () => {
      const shown = visibleIssues([], new Set(), false, [{ field: 'model', message: 'Unknown model' }]);
      assert.deepEqual([...shown.entries()], [['model', 'Unknown model']]);
      const both = visibleIssues(issues, new Set(), true, [{ field: 'size', message: 'host says no' }]);
      assert.notEqual(both.get('size'), 'host says no');
    });
  });
});
