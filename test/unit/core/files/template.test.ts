import assert from 'node:assert/strict';
import {
  expandTemplate,
  formatDate,
  formatTime,
  formatVariableList,
  parseTemplate,
  variableNames,
  type TemplatePart,
} from '../../../../src/core/files/template';
import { shortModelName } from '../../../../src/core/model/catalog';

function parts(template: string, known: readonly string[] = ['a', 'b']): readonly TemplatePart[] {
  const parsed = parseTemplate(template, known);
  assert.ok(parsed.ok, `expected "${template}" to parse`);
  return parsed.parts;
}

function problem(template: string, known: readonly string[] = ['a', 'b']): string {
  const parsed = parseTemplate(template, known);
  assert.ok(!parsed.ok, `expected "${template}" to be refused`);
  return parsed.problem;
}

describe('template', () => {
  describe('parseTemplate', () => {
    it('splits text and variables', () => {
      assert.deepEqual(parts('x/${a}-${b}.y'), [
        { kind: 'text', text: 'x/' },
        { kind: 'variable', name: 'a' },
        { kind: 'text', text: '-' },
        { kind: 'variable', name: 'b' },
        { kind: 'text', text: '.y' },
      ]);
    });

    it('gives no parts for an empty template', () => {
      assert.deepEqual(parts(''), []);
    });

    it('reads \\$ as a literal dollar, also before a brace', () => {
      assert.equal(expandTemplate(parts('cost\\$5'), {}), 'cost$5');
      assert.equal(expandTemplate(parts('\\${a}'), { a: 'A' }), '${a}');
    });

    it('keeps a lone $ and other backslashes as text', () => {
      assert.equal(expandTemplate(parts('a$b\\c{d}'), {}), 'a$b\\c{d}');
    });

    it('refuses an unclosed ${', () => {
      assert.equal(problem('x-${a'), 'a "${" has no closing "}"');
    });

    it('names one unknown variable and lists the known ones', () => {
      assert.equal(problem('${a}-${nope}'), 'unknown variable ${nope}; known variables are ${a}, ${b}');
    });

    it('names several unknown variables once each', () => {
      assert.equal(problem('${x}${y}${x}'), 'unknown variables ${x}, ${y}; known variables are ${a}, ${b}');
    });

    it('is case-sensitive about names', () => {
      assert.match(problem('${A}'), /unknown variable \$\{A\}/);
    });

    it('treats an empty name as unknown', () => {
      assert.match(problem('${}'), /unknown variable \$\{\}/);
    });
  });

  describe('variableNames', () => {
    it('lists used variables in order, with repeats', () => {
      assert.deepEqual(variableNames(parts('${b}${a}/${b}')), ['b', 'a', 'b']);
    });
  });

  describe('expandTemplate', () => {
    it('replaces every occurrence', () => {
      assert.equal(expandTemplate(parts('${a}/${a}-${b}'), { a: '1', b: '' }), '1/1-');
    });

    it('throws when a used variable has no value', () => {
      assert.throws(() => expandTemplate(parts('${a}'), { a: undefined }), /No value for \$\{a\}/);
    });
  });

  describe('formatVariableList', () => {
    it('formats names as ${name}', () => {
      assert.equal(formatVariableList(['date', 'model']), '${date}, ${model}');
    });
  });

  describe('dates', () => {
    it('formats the local date with padding', () => {
      assert.equal(formatDate(new Date(2024, 0, 5, 23, 59, 59)), '2024-01-05');
    });

    it('uses local time, not UTC', () => {
      const lateEvening = new Date(2024, 11, 31, 23, 30, 0);
      assert.equal(formatDate(lateEvening), '2024-12-31');
      assert.equal(formatTime(lateEvening), '233000');
    });

    it('pads the time', () => {
      assert.equal(formatTime(new Date(2024, 5, 1, 7, 8, 9)), '070809');
    });

    it('pads a short year to four digits', () => {
      const date = new Date(2024, 0, 1);
      date.setFullYear(987);
      assert.equal(formatDate(date), '0987-01-01');
    });
  });

  describe('shortModelName', () => {
    it('drops the release date', () => {
      assert.equal(shortModelName('seedream-5-0-260128'), 'seedream-5-0');
      assert.equal(shortModelName('seedream-5-0-lite-260128'), 'seedream-5-0-lite');
      assert.equal(shortModelName('seedream-4-5-251128'), 'seedream-4-5');
    });

    it('keeps names without a date suffix', () => {
      assert.equal(shortModelName('my-model'), 'my-model');
      assert.equal(shortModelName('model-12345'), 'model-12345');
    });
  });
});
