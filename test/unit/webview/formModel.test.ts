import assert from 'node:assert/strict';
import { MAX_SEED } from '../../../src/core/model/catalog';
import type { StudioForm } from '../../../src/shared/protocol';
import {
  aspectPresets,
  CUSTOM_SIZE,
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
