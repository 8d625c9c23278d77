import assert from 'node:assert/strict';
import { buildFileName, candidateFileNames, promptSlug, sanitizeFileName, type FileNameContext } from '../../../../src/core/files/naming';

function take<T>(items: Iterable<T>, count: number): T[] {
  const taken: T[] = [];
  for (const item of items) {
    if (taken.length === count) {
      break;
    }
    taken.push(item);
  }
  return taken;
}

describe('naming', () => {
  describe('promptSlug', () => {
    const cases: ReadonlyArray<[string, string, string]> = [
      ['English', 'A Cat on the Window-Sill!', 'a-cat-on-the-window-sill'],
      ['Chinese', '一只橘猫在窗台上睡觉', '一只橘猫在窗台上睡觉'],
      ['Chinese punctuation', '一只橘猫，在窗台上睡觉。', '一只橘猫-在窗台上睡觉'],
      ['Japanese kana and kanji', '猫が窓辺で寝ている', '猫が窓辺で寝ている'],
      ['Japanese middle dot', 'ネコ・カフェ', 'ネコ-カフェ'],
      ['half-width katakana', 'ｶﾞｰﾃﾞﾝ', 'ガーデン'],
      ['Korean', '한국어 문장', '한국어-문장'],
      ['Arabic (right-to-left)', 'قطة على النافذة', 'قطة-على-النافذة'],
      ['Devanagari with vowel signs', 'नमस्ते दुनिया', 'नमस्ते-दुनिया'],
      ['Greek, lower-cased with its accent', 'Γάτα', 'γάτα'],
      ['French accents', 'Crème Brûlée at the Café', 'creme-brulee-at-the-cafe'],
      ['Vietnamese stacked accents', 'Phở Bò', 'pho-bo'],
      ['letters without a decomposition', 'Øresund Straße Łódź', 'øresund-straße-łodz'],
      ['Turkish dotted capital I', 'İstanbul', 'istanbul'],
      ['full-width Latin', 'ＡＢＣ１２３', 'abc123'],
      ['digits and punctuation', '4K wallpaper, 16:9', '4k-wallpaper-16-9'],
      ['underscores and repeated separators', 'snake_case -- and   more', 'snake-case-and-more'],
      ['apostrophes inside words', "The cat's toy, Cat’s bed", 'the-cats-toy-cats-bed'],
      ['quotes around words', '\'quoted\' "words"', 'quoted-words'],
      ['emoji among words', '🐱 sleeping cat 🎉', 'sleeping-cat'],
      ['keycap emoji', '1️⃣ cat', '1-cat'],
      ['emoji ZWJ sequence', '👨‍👩‍👧 family', 'family'],
      ['emoji only', '🐱🎉✨', 'image'],
      ['empty', '', 'image'],
      ['whitespace only', ' \n\t ', 'image'],
      ['punctuation only', '!!! ... ???', 'image'],
    ];
    for (const [name, prompt, expected] of cases) {
      it(name, () => {
        assert.equal(promptSlug(prompt), expected);
      });
    }

    it('cuts a long English prompt between words, at most 60 characters', () => {
      const slug = promptSlug('word '.repeat(30));
      assert.equal(slug, Array(12).fill('word').join('-'));
      assert.equal(slug.length, 59);
    });

    it('cuts a long unspaced Chinese prompt at 60 characters', () => {
      assert.equal(promptSlug('猫'.repeat(100)), '猫'.repeat(60));
    });

    it('takes a smaller maximum', () => {
      assert.equal(promptSlug('a big red cat', 10), 'a-big-red');
    });

    it('cuts a first word that is longer than the maximum', () => {
      assert.equal(promptSlug('supercalifragilistic cat', 5), 'super');
    });

    it('does not separate a letter from its vowel sign when cutting', () => {
      // न म स ् त े: the fourth code point is the virama of स.
      assert.equal(promptSlug('नमस्ते', 3), 'नम');
    });

    it('counts characters, not UTF-16 units', () => {
      assert.equal(promptSlug('𠀋'.repeat(70)), '𠀋'.repeat(60));
    });

    it('never starts or ends with "-" nor doubles it', () => {
      for (const prompt of ['-a-', '  a  b  ', '🐱a🐱b🐱', '(a) [b] {c}', '…a…']) {
        assert.doesNotMatch(promptSlug(prompt), /^-|-$|--/, prompt);
      }
    });
  });

  describe('sanitizeFileName', () => {
    const cases: ReadonlyArray<[string, string, string]> = [
      ['keeps an ordinary name', 'a-cat_2024', 'a-cat_2024'],
      ['keeps Chinese, Arabic and emoji', '一只橘猫 قطة 🐱', '一只橘猫 قطة 🐱'],
      ['replaces path separators', 'a/b\\c', 'a-b-c'],
      ['cannot climb folders', '../../etc/passwd', 'etc-passwd'],
      ['refuses ..', '..', 'image'],
      ['refuses .', '.', 'image'],
      ['collapses dot runs', 'a..b...c', 'a.b.c'],
      ['does not start with a dot', '.hidden', 'hidden'],
      ['does not start with several dots', '...x', 'x'],
      ['does not start with a space or "-"', ' -rf', 'rf'],
      ['drops trailing dots and spaces', 'name. . ', 'name'],
      ['replaces Windows-forbidden characters', 'a<b>c:d"e|f?g*h', 'a-b-c-d-e-f-g-h'],
      ['replaces a run of them with one "-"', 'a<>:b', 'a-b'],
      ['removes control characters', 'a\u0000b\nc\u007F\u009Fd', 'abcd'],
      ['removes bidi controls', 'gnp\u202E.exe\u2066', 'gnp.exe'],
      ['gives image for nothing', '', 'image'],
      ['gives image when nothing is left', ' ./\\. ', 'image'],
    ];
    for (const [name, input, expected] of cases) {
      it(name, () => {
        assert.equal(sanitizeFileName(input), expected);
      });
    }

    describe('Windows device names', () => {
      const reserved = ['CON', 'con', 'Prn', 'aux', 'NUL', 'com1', 'COM9', 'lpt1', 'LPT9', 'com0', 'com¹', 'lpt³'];
      for (const name of reserved) {
        it(`prefixes ${name}`, () => {
          assert.equal(sanitizeFileName(name), `_${name}`);
        });
      }

      it('prefixes a device name with an extension-like suffix', () => {
        assert.equal(sanitizeFileName('con.tmp'), '_con.tmp');
        assert.equal(sanitizeFileName('NUL.tar.gz'), '_NUL.tar.gz');
        assert.equal(sanitizeFileName('con .txt'), '_con .txt');
      });

      it('prefixes a device name that appears once trailing spaces and dots go', () => {
        assert.equal(sanitizeFileName('aux. '), '_aux');
      });

      it('leaves names that only start like a device name', () => {
        for (const name of ['console', 'icon', 'com10', 'con-1', 'nul_', 'lpt']) {
          assert.equal(sanitizeFileName(name), name);
        }
      });
    });

    describe('length', () => {
      it('caps at 120 UTF-16 units', () => {
        assert.equal(sanitizeFileName('a'.repeat(200)), 'a'.repeat(120));
      });

      it('does not split a surrogate pair at the cap', () => {
        assert.equal(sanitizeFileName(`${'x'.repeat(119)}🐱`), 'x'.repeat(119));
      });

      it('caps at 200 UTF-8 bytes, which file systems count', () => {
        assert.equal(sanitizeFileName('猫'.repeat(100)), '猫'.repeat(66));
        assert.equal(sanitizeFileName('🐱'.repeat(100)), '🐱'.repeat(50));
      });

      it('drops a trailing dot left by the cut', () => {
        assert.equal(sanitizeFileName(`${'a'.repeat(119)}.b`), 'a'.repeat(119));
      });
    });
  });

  describe('buildFileName', () => {
    const context: FileNameContext = {
      prompt: 'A Cat on a Mat',
      date: new Date(2024, 2, 5, 14, 7, 9),
      index: 1,
      count: 1,
      model: 'seedream-5-0-260128',
    };
    const build = (pattern: string, overrides: Partial<FileNameContext> = {}): string =>
      buildFileName(pattern, { ...context, ...overrides });

    it('uses the prompt slug', () => {
      assert.equal(build('${prompt}'), 'a-cat-on-a-mat');
    });

    it('uses the local date and time', () => {
      assert.equal(build('${date}-${time}-${prompt}'), '2024-03-05-140709-a-cat-on-a-mat');
    });

    it('uses the short model name and the index', () => {
      assert.equal(build('${model}_${index}'), 'seedream-5-0_1');
    });

    it('keeps literal text and \\$', () => {
      assert.equal(build('img_cost\\$${index}'), 'img_cost$1');
    });

    it('uses the seed, including 0', () => {
      assert.equal(build('${prompt}-${seed}', { seed: 42 }), 'a-cat-on-a-mat-42');
      assert.equal(build('${seed}', { seed: 0 }), '0');
    });

    describe('without a seed', () => {
      const cases: ReadonlyArray<[string, string]> = [
        ['${prompt}-${seed}-${index}', 'a-cat-on-a-mat-1'],
        ['${prompt}_${seed}_${index}', 'a-cat-on-a-mat_1'],
        ['${seed}-${prompt}', 'a-cat-on-a-mat'],
        ['${prompt}-${seed}', 'a-cat-on-a-mat'],
        ['${prompt}.${seed}', 'a-cat-on-a-mat'],
        ['${prompt}-seed${seed}', 'a-cat-on-a-mat-seed'],
        ['${prompt}-${seed}x', 'a-cat-on-a-mat-x'],
        ['${prompt}-${seed}-${documentBaseName}-${index}', 'a-cat-on-a-mat-1'],
        ['${seed}', 'image'],
      ];
      for (const [pattern, expected] of cases) {
        it(`${pattern} -> ${expected}`, () => {
          assert.equal(build(pattern), expected);
        });
      }
    });

    it('uses the document base name, or drops it with its separator', () => {
      assert.equal(build('${documentBaseName}-${prompt}', { documentBaseName: 'README' }), 'README-a-cat-on-a-mat');
      assert.equal(build('${documentBaseName}-${prompt}'), 'a-cat-on-a-mat');
      assert.equal(build('${documentBaseName}-${prompt}', { documentBaseName: '' }), 'a-cat-on-a-mat');
    });

    it('appends the index to a batch when the pattern has none', () => {
      assert.equal(build('${prompt}', { index: 2, count: 3 }), 'a-cat-on-a-mat-2');
    });

    it('does not append the index when the pattern has it', () => {
      assert.equal(build('${index}-${prompt}', { index: 2, count: 3 }), '2-a-cat-on-a-mat');
    });

    it('does not append the index to a single image', () => {
      assert.equal(build('${prompt}', { index: 1, count: 1 }), 'a-cat-on-a-mat');
    });

    it('gives a Chinese name for a Chinese prompt', () => {
      assert.equal(build('${prompt}', { prompt: '一只橘猫在窗台上睡觉' }), '一只橘猫在窗台上睡觉');
    });

    it('gives image for an emoji-only prompt', () => {
      assert.equal(build('${prompt}-${index}', { prompt: '🐱🎉' }), 'image-1');
    });

    it('does not create folders from a / in the pattern', () => {
      assert.equal(build('${date}/${prompt}'), '2024-03-05-a-cat-on-a-mat');
      assert.equal(build('../../${prompt}'), 'a-cat-on-a-mat');
    });

    it('sanitizes a reserved document name', () => {
      assert.equal(build('${documentBaseName}', { documentBaseName: 'con' }), '_con');
    });

    it('throws for an unknown variable, naming it, the setting and the known ones', () => {
      assert.throws(
        () => build('${prompt}-${nope}'),
        (error: unknown) =>
          error instanceof Error &&
          error.message.includes('seedream.fileName') &&
          error.message.includes('${nope}') &&
          error.message.includes('${prompt}, ${date}, ${time}, ${index}, ${seed}, ${model}, ${documentBaseName}'),
      );
    });

    it('throws for an unclosed ${', () => {
      assert.throws(() => build('${prompt'), /seedream\.fileName.*no closing/);
    });
  });

  describe('candidateFileNames', () => {
    it('starts with the plain name, then counts up', () => {
      assert.deepEqual(take(candidateFileNames('cat', 'png'), 4), ['cat.png', 'cat-1.png', 'cat-2.png', 'cat-3.png']);
    });

    it('tolerates a leading dot in the extension', () => {
      assert.deepEqual(take(candidateFileNames('cat', '.jpeg'), 2), ['cat.jpeg', 'cat-1.jpeg']);
    });

    it('gives names without extension for an empty one', () => {
      assert.deepEqual(take(candidateFileNames('cat', ''), 2), ['cat', 'cat-1']);
    });

    it('does not end', () => {
      assert.equal(take(candidateFileNames('cat', 'png'), 1000).at(-1), 'cat-999.png');
    });

    it('gives every name once', () => {
      const names = take(candidateFileNames('a-1', 'png'), 50);
      assert.equal(new Set(names).size, 50);
    });
  });
});
