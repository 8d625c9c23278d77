import assert from 'node:assert/strict';
import {
  formatImageLink,
  formatLinkTarget,
  linkSyntaxForLanguage,
  relativeLinkPath,
  type LinkSyntax,
} from '../../../../src/core/links/linkFormat';

const ALL_SYNTAXES: readonly LinkSyntax[] = ['markdown', 'mdx', 'html', 'restructuredtext', 'asciidoc', 'latex'];

describe('links', () => {
  describe('linkSyntaxForLanguage', () => {
    const cases: ReadonlyArray<[string, LinkSyntax | undefined]> = [
      ['markdown', 'markdown'],
      ['mdx', 'mdx'],
      ['html', 'html'],
      ['restructuredtext', 'restructuredtext'],
      ['rst', 'restructuredtext'],
      ['asciidoc', 'asciidoc'],
      ['latex', 'latex'],
      ['tex', 'latex'],
      ['plaintext', undefined],
      ['typescript', undefined],
      ['Markdown', undefined],
      ['constructor', undefined],
      ['', undefined],
    ];
    for (const [languageId, expected] of cases) {
      it(`maps "${languageId}" to ${String(expected)}`, () => {
        assert.equal(linkSyntaxForLanguage(languageId), expected);
      });
    }
  });

  describe('markdown', () => {
    const link = (path: string, alt = 'alt'): string => formatImageLink('markdown', path, alt);

    it('writes a plain link', () => {
      assert.equal(link('images/cat.png', 'A cat'), '![A cat](images/cat.png)');
    });

    it('wraps a path with spaces in <>', () => {
      assert.equal(link('images/a cat.png'), '![alt](<images/a cat.png>)');
    });

    it('wraps a path with a non-breaking or ideographic space in <>', () => {
      assert.equal(link('images/a\u00A0cat.png'), '![alt](<images/a\u00A0cat.png>)');
      assert.equal(link('images/橘猫\u3000睡觉.png'), '![alt](<images/橘猫\u3000睡觉.png>)');
    });

    it('keeps balanced parentheses bare', () => {
      assert.equal(link('images/cat(1).png'), '![alt](images/cat(1).png)');
    });

    it('wraps unbalanced parentheses in <>', () => {
      assert.equal(link('images/cat(1.png'), '![alt](<images/cat(1.png>)');
      assert.equal(link('images/cat)1(.png'), '![alt](<images/cat)1(.png>)');
    });

    it('wraps spaces and parentheses together', () => {
      assert.equal(link('images/cat (1).png'), '![alt](<images/cat (1).png>)');
    });

    it('percent-encodes #, ? and % so they keep their file name meaning', () => {
      assert.equal(link('img/100%#1?.png'), '![alt](img/100%25%231%3F.png)');
      assert.equal(link('img/100% #1.png'), '![alt](<img/100%25 %231.png>)');
    });

    it('percent-encodes <, > and backslash, which cannot stand even inside <>', () => {
      assert.equal(link('img/a<b>.png'), '![alt](img/a%3Cb%3E.png)');
      assert.equal(link('img/a <b>.png'), '![alt](<img/a %3Cb%3E.png>)');
      assert.equal(link('img/a\\b.png'), '![alt](img/a%5Cb.png)');
    });

    it('percent-encodes a newline in the path instead of breaking the line', () => {
      assert.equal(link('img/a\nb.png'), '![alt](img/a%0Ab.png)');
    });

    it('keeps & unless it would read as an entity', () => {
      assert.equal(link('img/Tom & Jerry.png'), '![alt](<img/Tom & Jerry.png>)');
      assert.equal(link('img/a&amp;b.png'), '![alt](img/a%26amp;b.png)');
    });

    it('keeps brackets and quotes in the path', () => {
      assert.equal(link('img/[1] "x".png'), '![alt](<img/[1] "x".png>)');
    });

    it('keeps Chinese, right-to-left and emoji characters as they are', () => {
      assert.equal(link('图片/橘猫.png', '一只橘猫'), '![一只橘猫](图片/橘猫.png)');
      assert.equal(link('صور/قطة.png', 'قطة على النافذة'), '![قطة على النافذة](صور/قطة.png)');
      assert.equal(link('img/🐱.png', '🐱 sleeping'), '![🐱 sleeping](img/🐱.png)');
    });

    it('escapes brackets, backslashes, backticks and < in the alt text', () => {
      assert.equal(link('a.png', 'a [b] \\ `c` <d>'), '![a \\[b\\] \\\\ \\`c\\` \\<d>](a.png)');
    });

    it('escapes & in the alt text only before an entity', () => {
      assert.equal(link('a.png', 'salt & pepper &copy; &#169;'), '![salt & pepper \\&copy; \\&#169;](a.png)');
    });

    it('leaves emphasis characters and quotes in the alt text alone', () => {
      assert.equal(link('a.png', 'snake_case *bold* "quoted" (round)'), '![snake_case *bold* "quoted" (round)](a.png)');
    });

    it('does not escape { } in plain Markdown', () => {
      assert.equal(link('a.png', '{x}'), '![{x}](a.png)');
    });
  });

  describe('mdx', () => {
    const link = (path: string, alt: string): string => formatImageLink('mdx', path, alt);

    it('escapes { } and < in the alt text, which start JSX', () => {
      assert.equal(link('a.png', 'a {b} <C/>'), '![a \\{b\\} \\<C/>](a.png)');
    });

    it('escapes Markdown specials too', () => {
      assert.equal(link('a.png', '[x] \\'), '![\\[x\\] \\\\](a.png)');
    });

    it('formats paths as Markdown does', () => {
      assert.equal(link('images/a cat (1).png', 'x'), '![x](<images/a cat (1).png>)');
      assert.equal(link('img/#1.png', 'x'), '![x](img/%231.png)');
    });
  });

  describe('html', () => {
    const link = (path: string, alt: string): string => formatImageLink('html', path, alt);

    it('writes an img element', () => {
      assert.equal(link('images/cat.png', 'A cat'), '<img src="images/cat.png" alt="A cat">');
    });

    it('percent-encodes spaces, #, %, ? and keeps parentheses', () => {
      assert.equal(link('img/a cat (1) 100%#2?.png', 'x'), '<img src="img/a%20cat%20(1)%20100%25%232%3F.png" alt="x">');
    });

    it('percent-encodes quotes, <, >, backslash, backticks and braces in src', () => {
      assert.equal(link('img/"a"<b>\\`{c}.png', 'x'), '<img src="img/%22a%22%3Cb%3E%5C%60%7Bc%7D.png" alt="x">');
    });

    it('attribute-escapes & in src', () => {
      assert.equal(link('img/Tom&Jerry.png', 'x'), '<img src="img/Tom&amp;Jerry.png" alt="x">');
    });

    it('percent-encodes a newline in src', () => {
      assert.equal(link('img/a\nb.png', 'x'), '<img src="img/a%0Ab.png" alt="x">');
    });

    it('keeps non-ASCII characters in src (browsers encode them as UTF-8)', () => {
      assert.equal(link('图片/橘猫 🐱.png', 'x'), '<img src="图片/橘猫%20🐱.png" alt="x">');
      assert.equal(link('صور/قطة.png', 'x'), '<img src="صور/قطة.png" alt="x">');
    });

    it('attribute-escapes the alt text', () => {
      assert.equal(
        link('a.png', 'A "cat" & <dog> \'x\' [y] {z}'),
        '<img src="a.png" alt="A &quot;cat&quot; &amp; &lt;dog&gt; \'x\' [y] {z}">',
      );
    });

    it('keeps Chinese, right-to-left and emoji alt text', () => {
      assert.equal(link('a.png', '一只橘猫 قطة 🐱'), '<img src="a.png" alt="一只橘猫 قطة 🐱">');
    });
  });

  describe('restructuredtext', () => {
    const link = (path: string, alt: string): string => formatImageLink('restructuredtext', path, alt);

    it('writes an image directive with an :alt: option', () => {
      assert.equal(link('images/cat.png', 'A cat'), '.. image:: images/cat.png\n   :alt: A cat');
    });

    it('escapes spaces, which docutils would otherwise drop', () => {
      assert.equal(link('images/a cat (1).png', 'x'), '.. image:: images/a\\ cat\\ (1).png\n   :alt: x');
    });

    it('escapes backslashes', () => {
      assert.equal(link('images/a\\b.png', 'x'), '.. image:: images/a\\\\b.png\n   :alt: x');
    });

    it('keeps URL characters and non-ASCII as a plain file path', () => {
      assert.equal(link('图片/100% #1?&.png', 'x'), '.. image:: 图片/100%\\ #1?&.png\n   :alt: x');
      assert.equal(link('صور/🐱.png', 'x'), '.. image:: صور/🐱.png\n   :alt: x');
    });

    it('keeps the alt text on one line, unescaped', () => {
      assert.equal(link('a.png', 'A "cat"\non a [mat] & \\ <b> *x*'), '.. image:: a.png\n   :alt: A "cat" on a [mat] & \\ <b> *x*');
    });

    it('leaves out an empty :alt: option', () => {
      assert.equal(link('a.png', '  \n '), '.. image:: a.png');
    });

    it('refuses a control character in the path, naming it', () => {
      assert.throws(() => link('img/a\nb.png', 'x'), /reStructuredText cannot .*U\+000A/);
      assert.throws(() => link('img/a\tb.png', 'x'), /U\+0009/);
    });

    it('refuses whitespace other than a space in the path, which docutils cannot keep', () => {
      assert.throws(() => link('img/a\u00A0b.png', 'x'), /U\+00A0/);
    });
  });

  describe('asciidoc', () => {
    const link = (path: string, alt: string): string => formatImageLink('asciidoc', path, alt);

    it('writes a block image macro with a quoted alt', () => {
      assert.equal(link('images/cat.png', 'A cat, sitting'), 'image::images/cat.png["A cat, sitting"]');
    });

    it('encodes spaces as %20', () => {
      assert.equal(link('images/a cat (1).png', 'x'), 'image::images/a%20cat%20(1).png["x"]');
    });

    it('percent-encodes brackets, braces and URL characters in the target', () => {
      assert.equal(link('img/[1] {x} #2 100%?.png', 'x'), 'image::img/%5B1%5D%20%7Bx%7D%20%232%20100%25%3F.png["x"]');
    });

    it('keeps & and non-ASCII in the target', () => {
      assert.equal(link('图片/Tom&Jerry 🐱.png', 'x'), 'image::图片/Tom&Jerry%20🐱.png["x"]');
    });

    it('escapes " and ] in the alt text', () => {
      assert.equal(link('a.png', 'say "hi" [x], y=1'), 'image::a.png["say \\"hi\\" [x\\], y=1"]');
    });

    it('escapes { only where it would start an attribute reference', () => {
      assert.equal(link('a.png', '{name} {a b} {counter:n} {}'), 'image::a.png["\\{name} {a b} \\{counter:n} {}"]');
    });

    it('writes an alt that ends with a backslash unquoted, since in quotes it would escape the closing quote', () => {
      assert.equal(link('a.png', '\\'), 'image::a.png[\\]');
      assert.equal(link('a.png', 'C:\\dir\\ {name}\\'), 'image::a.png[C:\\dir\\ \\{name}\\]');
    });

    it('drops a trailing backslash where the alt needs quotes', () => {
      assert.equal(link('a.png', 'C:\\dir, D:\\'), 'image::a.png["C:\\dir, D:"]');
      assert.equal(link('a.png', '"quoted" \\'), 'image::a.png["\\"quoted\\" "]');
    });

    it('keeps Chinese, right-to-left and emoji alt text on one line', () => {
      assert.equal(link('a.png', '一只橘猫\nقطة 🐱'), 'image::a.png["一只橘猫 قطة 🐱"]');
    });
  });

  describe('latex', () => {
    const link = (path: string, alt: string): string => formatImageLink('latex', path, alt);

    it('writes includegraphics with width and alt', () => {
      assert.equal(link('images/cat.png', 'A cat'), '\\includegraphics[width=\\linewidth,alt={A cat}]{images/cat.png}');
    });

    it('keeps spaces, parentheses, & and non-ASCII in the path', () => {
      assert.equal(link('图片/a cat (1) & 🐱_x.png', 'x'), '\\includegraphics[width=\\linewidth,alt={x}]{图片/a cat (1) & 🐱_x.png}');
    });

    it('escapes every LaTeX special in the alt text', () => {
      assert.equal(
        link('a.png', 'a\\b {c} $1 & #2 x^2 a_b ~ 50%'),
        '\\includegraphics[width=\\linewidth,alt={a\\textbackslash{}b \\{c\\} \\$1 \\& \\#2 x\\textasciicircum{}2 a\\_b \\textasciitilde{} 50\\%}]{a.png}',
      );
    });

    it('keeps commas, = and brackets in the braced alt text', () => {
      assert.equal(link('a.png', 'a, b=c [d]'), '\\includegraphics[width=\\linewidth,alt={a, b=c [d]}]{a.png}');
    });

    for (const character of ['%', '#', '{', '}', '\\', '~']) {
      it(`refuses ${character} in the path, naming it`, () => {
        assert.throws(
          () => link(`img/a${character}b.png`, 'x'),
          (error: unknown) =>
            error instanceof Error &&
            error.message.startsWith('LaTeX cannot link') &&
            error.message.includes(`"${character}"`) &&
            error.message.includes(`img/a${character}b.png`),
        );
      });
    }

    it('refuses a newline in the path', () => {
      assert.throws(() => link('img/a\nb.png', 'x'), /LaTeX cannot .*U\+000A/);
    });
  });

  describe('alt text', () => {
    const markdownAlt = (alt: string): string => {
      const link = formatImageLink('markdown', 'a.png', alt);
      return link.slice('!['.length, -'](a.png)'.length);
    };

    it('collapses whitespace and newlines and trims', () => {
      assert.equal(markdownAlt('  A cat\r\n\non a\t sofa  '), 'A cat on a sofa');
    });

    it('turns other control characters into spaces', () => {
      assert.equal(markdownAlt('a\u0000b\u001Bc'), 'a b c');
    });

    it('keeps 250 characters as they are', () => {
      const text = 'x'.repeat(250);
      assert.equal(markdownAlt(text), text);
    });

    it('cuts a long prompt at a word boundary, ending with …, 250 characters at most', () => {
      const alt = markdownAlt('word '.repeat(60));
      assert.equal(alt, `${'word '.repeat(49)}word…`);
      assert.equal([...alt].length, 250);
    });

    it('cuts before a word that does not fit', () => {
      const alt = markdownAlt(`${'a'.repeat(240)} ${'b'.repeat(20)}`);
      assert.equal(alt, `${'a'.repeat(240)}…`);
    });

    it('cuts an unspaced Chinese prompt hard', () => {
      const alt = markdownAlt('猫'.repeat(300));
      assert.equal(alt, `${'猫'.repeat(249)}…`);
    });

    it('never splits an emoji', () => {
      const alt = markdownAlt('🐱'.repeat(300));
      assert.equal(alt, `${'🐱'.repeat(249)}…`);
    });

    it('is capped in every syntax', () => {
      for (const syntax of ALL_SYNTAXES) {
        const link = formatImageLink(syntax, 'a.png', 'y'.repeat(400));
        assert.ok(link.includes(`${'y'.repeat(249)}…`) && !link.includes('y'.repeat(250)), syntax);
      }
    });

    it('is on one line in every syntax except the second line of reStructuredText', () => {
      for (const syntax of ALL_SYNTAXES) {
        const lines = formatImageLink(syntax, 'a b.png', 'one\ntwo\r\nthree').split('\n');
        assert.equal(lines.length, syntax === 'restructuredtext' ? 2 : 1, syntax);
        assert.ok(lines.at(-1)!.includes('one two three'), syntax);
      }
    });
  });

  describe('relativeLinkPath', () => {
    const cases: ReadonlyArray<[string, string, string, string]> = [
      ['down into a subfolder', '/w/docs', '/w/docs/images/a.png', 'images/a.png'],
      ['same folder', '/w/docs', '/w/docs/a.png', 'a.png'],
      ['up one folder', '/w/docs', '/w/a.png', '../a.png'],
      ['up and down', '/w/docs/guide', '/w/img/cats/a.png', '../../img/cats/a.png'],
      ['from the root', '/', '/a.png', 'a.png'],
      ['with trailing and duplicate slashes', '/w//docs/', '/w/docs//images/a.png', 'images/a.png'],
      ['with . and .. segments', '/w/docs/./../notes', '/w/notes/a.png', 'a.png'],
      ['with spaces and Chinese', '/w/my docs', '/w/my docs/图片/猫 1.png', '图片/猫 1.png'],
      ['under a Windows drive', '/c:/Users/me/docs', '/c:/Users/me/images/a.png', '../images/a.png'],
      ['across drives as URI paths', '/c:/docs', '/d:/img/a.png', '../../d:/img/a.png'],
      ['case-sensitively', '/w/Docs', '/w/docs/a.png', '../docs/a.png'],
      ['with a folder that only shares a prefix', '/w/doc', '/w/docs/a.png', '../docs/a.png'],
      ['with ./ before a first segment containing a colon', '/w', '/w/a:b.png', './a:b.png'],
      ['with ./ before a drive-like first segment', '/', '/c:/a.png', './c:/a.png'],
      ['without ./ when the colon comes later', '/w/docs', '/w/a:b.png', '../a:b.png'],
    ];
    for (const [name, from, to, expected] of cases) {
      it(name, () => {
        assert.equal(relativeLinkPath(from, to), expected);
      });
    }

    it('throws for relative input', () => {
      assert.throws(() => relativeLinkPath('docs', '/w/a.png'), /absolute path/);
      assert.throws(() => relativeLinkPath('/w', 'a.png'), /absolute path/);
    });

    it('throws when .. climbs above the root', () => {
      assert.throws(() => relativeLinkPath('/w/../..', '/w/a.png'), /absolute path/);
    });
  });

  describe('formatLinkTarget', () => {
    it('writes the path exactly as the whole link does, so swapping a path keeps the rest of the link', () => {
      for (const syntax of ALL_SYNTAXES) {
        for (const path of ['images/login-flow.png', 'images/my diagram (v2).png', 'a#b?c%d.png', '图片/猫.png']) {
          let link: string;
          try {
            link = formatImageLink(syntax, path, 'alt');
          } catch {
            assert.throws(() => formatLinkTarget(syntax, path), `${syntax} refuses ${path} in both`);
            continue;
          }
          assert.ok(link.includes(formatLinkTarget(syntax, path)), `${syntax}: ${link} has ${formatLinkTarget(syntax, path)}`);
        }
      }
    });

    it('refuses what the syntax cannot express, as the whole link does', () => {
      assert.throws(() => formatLinkTarget('restructuredtext', 'a\tb.png'), /reStructuredText cannot link/);
      assert.throws(() => formatLinkTarget('latex', 'a%b.png'), /LaTeX cannot link/);
    });
  });
});
