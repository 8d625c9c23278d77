import assert from 'node:assert/strict';
import { findImageLinks, localImagePath, type ImageLinkReference } from '../../../../src/core/links';
import { formatImageLink, type LinkSyntax } from '../../../../src/core/links/linkFormat';

type ScannedSyntax = Exclude<LinkSyntax, 'latex'>;
const SCANNED_SYNTAXES: readonly ScannedSyntax[] = ['markdown', 'mdx', 'html', 'restructuredtext', 'asciidoc'];

/** A link as the source shows it: easier to read in a failure than offsets. */
interface Seen {
  readonly whole: string;
  readonly target: string;
  readonly path: string;
  readonly alt: string;
  readonly prompt: string;
  readonly explicitPrompt?: string;
}

function seen(text: string, syntax: LinkSyntax): Seen[] {
  return findImageLinks(text, syntax).map((link) => {
    const view: Seen = {
      whole: text.slice(link.start, link.end),
      target: text.slice(link.targetStart, link.targetEnd),
      path: link.path,
      alt: link.alt,
      prompt: link.prompt,
    };
    return link.explicitPrompt === undefined ? view : { ...view, explicitPrompt: link.explicitPrompt };
  });
}

function paths(text: string, syntax: LinkSyntax): string[] {
  return findImageLinks(text, syntax).map((link) => link.path);
}

/** The single link in `text`. */
function only(text: string, syntax: LinkSyntax): Seen {
  const links = seen(text, syntax);
  assert.equal(links.length, 1, `expected one link in ${JSON.stringify(text)}, got ${JSON.stringify(links)}`);
  return links[0];
}

describe('imageLinkScanner', () => {
  describe('markdown', () => {
    const md = (text: string): Seen[] => seen(text, 'markdown');

    it('reads an inline image with its offsets', () => {
      const text = 'Intro ![A cat](images/cat.png) outro';
      const expected: ImageLinkReference = {
        start: 6,
        end: 30,
        targetStart: 15,
        targetEnd: 29,
        path: 'images/cat.png',
        alt: 'A cat',
        prompt: 'A cat',
      };
      assert.deepEqual(findImageLinks(text, 'markdown'), [expected]);
    });

    it('reads double-quoted, single-quoted and parenthesized titles', () => {
      assert.deepEqual(md('![a](a.png "Title") ![b](b.png \'Title\') ![c](c.png (Title))'), [
        { whole: '![a](a.png "Title")', target: 'a.png', path: 'a.png', alt: 'a', prompt: 'a' },
        { whole: "![b](b.png 'Title')", target: 'b.png', path: 'b.png', alt: 'b', prompt: 'b' },
        { whole: '![c](c.png (Title))', target: 'c.png', path: 'c.png', alt: 'c', prompt: 'c' },
      ]);
    });

    it('takes a prompt: title as the prompt', () => {
      assert.deepEqual(only('![A cat](cat.png "prompt: an orange cat asleep")', 'markdown'), {
        whole: '![A cat](cat.png "prompt: an orange cat asleep")',
        target: 'cat.png',
        path: 'cat.png',
        alt: 'A cat',
        prompt: 'an orange cat asleep',
        explicitPrompt: 'an orange cat asleep',
      });
    });

    it('reads the prompt: prefix case-insensitively, in any title form, with escapes undone', () => {
      assert.deepEqual(
        md(`![a](a.png "Prompt : x") ![b](b.png 'PROMPT:y') ![c](c.png (prompt: say \\"hi\\"))`).map((link) => link.explicitPrompt),
        ['x', 'y', 'say "hi"'],
      );
    });

    it('ignores a title that does not start with prompt:, and an empty prompt', () => {
      const links = md('![alt one](a.png "a prompt: no") ![  alt two ](b.png "prompt:   ")');
      assert.deepEqual(
        links.map((link) => [link.explicitPrompt, link.prompt]),
        [
          [undefined, 'alt one'],
          [undefined, 'alt two'],
        ],
      );
    });

    it('reads a destination in <> with spaces, keeping the brackets in the target', () => {
      assert.deepEqual(only("![alt](<images/a cat (1).png> 'title')", 'markdown'), {
        whole: "![alt](<images/a cat (1).png> 'title')",
        target: '<images/a cat (1).png>',
        path: 'images/a cat (1).png',
        alt: 'alt',
        prompt: 'alt',
      });
    });

    it('keeps balanced parentheses in a bare destination', () => {
      assert.equal(only('![a](images/cat(1)(2).png)', 'markdown').target, 'images/cat(1)(2).png');
      assert.equal(only('![a](x((y)).png)', 'markdown').path, 'x((y)).png');
    });

    it('ends a bare destination at an unbalanced )', () => {
      assert.deepEqual(
        md('![a](x).png)').map((link) => link.whole),
        ['![a](x)'],
      );
      assert.deepEqual(md('![a](x(.png)'), []);
    });

    it('reads escaped and nested brackets in the alt text', () => {
      assert.equal(only('![a \\] b](x.png)', 'markdown').alt, 'a ] b');
      assert.equal(only('![a [nested [deep]] b](x.png)', 'markdown').alt, 'a [nested [deep]] b');
    });

    it('undoes escapes and entities in the alt text', () => {
      assert.equal(only('![Tom &amp; Jerry \\*\\_ &#39;x&#x27; &copy;](x.png)', 'markdown').alt, "Tom & Jerry *_ 'x' &copy;");
      assert.equal(only('![a \\&amp; b](x.png)', 'markdown').alt, 'a &amp; b');
    });

    it('decodes percent escapes, backslash escapes and entities in the destination', () => {
      assert.deepEqual(paths('![a](img/100%25%231%3F.png) ![b](a\\_b\\(.png) ![c](a&amp;b.png) ![d](a%20b%E7%8C%AB.png)', 'markdown'), [
        'img/100%#1?.png',
        'a_b(.png',
        'a&b.png',
        'a b猫.png',
      ]);
    });

    it('keeps non-ASCII and an invalid percent escape as written', () => {
      assert.deepEqual(paths('![猫](图片/橘猫.png) ![x](a%zz%FF.png)', 'markdown'), ['图片/橘猫.png', 'a%zz%FF.png']);
    });

    it('reads an empty destination', () => {
      assert.deepEqual(only('![alt]()', 'markdown'), { whole: '![alt]()', target: '', path: '', alt: 'alt', prompt: 'alt' });
    });

    it('allows one line break inside the link, but not a blank line', () => {
      assert.deepEqual(only('![a\nb](\n  c.png\n  "prompt: p"\n)', 'markdown').path, 'c.png');
      assert.deepEqual(md('![a](\n\nc.png)'), []);
      assert.deepEqual(md('![a]\n\n(c.png)'), []);
      assert.deepEqual(md('![a\n\nb](c.png)'), []);
    });

    describe('reference images', () => {
      const doc = [
        'See ![Full][Logo] and ![logo][] and ![LOGO] here.',
        '',
        '[logo]: <images/the logo.png> "prompt: a round logo"',
        '[other]: other.png',
        '',
      ].join('\n');

      it('resolves full, collapsed and shortcut references case-insensitively', () => {
        assert.deepEqual(
          md(doc).map((link) => [link.whole, link.path, link.alt, link.prompt]),
          [
            ['![Full][Logo]', 'images/the logo.png', 'Full', 'a round logo'],
            ['![logo][]', 'images/the logo.png', 'logo', 'a round logo'],
            ['![LOGO]', 'images/the logo.png', 'LOGO', 'a round logo'],
          ],
        );
      });

      it('points the target offsets into the definition line', () => {
        const [link] = findImageLinks(doc, 'markdown');
        assert.equal(doc.slice(link.targetStart, link.targetEnd), '<images/the logo.png>');
        assert.equal(link.targetStart, doc.indexOf('<images/the logo.png>'));
        assert.equal(doc.slice(link.start, link.end), '![Full][Logo]');
      });

      it('ignores an undefined label, and does not fall back to the shortcut after one', () => {
        assert.deepEqual(md('![a][nope] ![nope]\n\n[a]: a.png\n'), []);
      });

      it('uses the first definition of a label and collapses whitespace in labels', () => {
        assert.deepEqual(paths('![The   Logo]\n\n[the logo]: first.png\n[THE LOGO]: second.png\n', 'markdown'), ['first.png']);
      });

      it('reads definitions with single-quoted and parenthesized titles, indented up to 3 spaces', () => {
        assert.deepEqual(
          md("![a] ![b]\n\n   [a]: a.png 'prompt: one'\n[b]: b.png (prompt: two)\n").map((link) => link.explicitPrompt),
          ['one', 'two'],
        );
      });

      it('does not read a definition line as an image or a definition in a code block', () => {
        assert.deepEqual(md('![x]\n\n```\n[x]: x.png\n```\n'), []);
      });
    });

    describe('code', () => {
      it('skips fenced code blocks with backticks and tildes', () => {
        const text = ['```md', '![a](a.png)', '```', '~~~', '![b](b.png)', '~~~', '![c](c.png)'].join('\n');
        assert.deepEqual(paths(text, 'markdown'), ['c.png']);
      });

      it('skips a fence indented by up to 3 spaces', () => {
        assert.deepEqual(paths('   ```\n![a](a.png)\n   ```\n![b](b.png)', 'markdown'), ['b.png']);
      });

      it('closes a fence only with the same character, at least as long', () => {
        const text = ['````', '```', '~~~~', '![a](a.png)', '`````', '![b](b.png)'].join('\n');
        assert.deepEqual(paths(text, 'markdown'), ['b.png']);
      });

      it('runs an unclosed fence to the end of the document', () => {
        assert.deepEqual(paths('![a](a.png)\n```\n![b](b.png)\n', 'markdown'), ['a.png']);
      });

      it('does not take backticks with a backtick in the info string as a fence', () => {
        assert.deepEqual(paths('``` a ` b\n![a](a.png)', 'markdown'), ['a.png']);
      });

      it('skips code spans of one or more backticks', () => {
        const text = '`![a](a.png)` ``![b](b.png) ` x`` ![c](c.png)';
        assert.deepEqual(paths(text, 'markdown'), ['c.png']);
      });

      it('treats an unmatched backtick run as text', () => {
        assert.deepEqual(paths('a ` b ![c](c.png) ``', 'markdown'), ['c.png']);
      });

      it('does not let a code span cross a blank line', () => {
        assert.deepEqual(paths('a `b\n\n![c](c.png) `d`', 'markdown'), ['c.png']);
      });

      it('does not let an escaped backtick open a code span', () => {
        assert.deepEqual(paths('\\`![a](a.png)`', 'markdown'), ['a.png']);
      });

      it('handles CRLF line endings', () => {
        const text = '```\r\n![a](a.png)\r\n```\r\n\r\n![b](b.png "prompt: p")\r\n';
        const [link] = findImageLinks(text, 'markdown');
        assert.deepEqual([link.path, link.prompt, text.slice(link.start, link.end)], ['b.png', 'p', '![b](b.png "prompt: p")']);
      });
    });

    describe('blocks', () => {
      it('does not report an image inside an indented code block', () => {
        assert.deepEqual(paths('Text.\n\n    ![a](a.png)\n\t![b](b.png)\n\n![c](c.png)', 'markdown'), ['c.png']);
      });

      it('does not report an image inside an indented code block in a list item', () => {
        assert.deepEqual(paths('- Item:\n\n      ![a](a.png)\n\n  ![b](b.png)', 'markdown'), ['b.png']);
      });

      it('does not report an image in code indented with tabs inside a list item', () => {
        assert.deepEqual(paths('- foo\n\n\t\t![a](a.png)', 'markdown'), []);
      });

      it('does not take an indented line that continues a paragraph for code', () => {
        assert.deepEqual(paths('Text\n    ![a](a.png)', 'markdown'), ['a.png']);
      });

      it('does not report an image inside a fenced code block in a block quote or list item', () => {
        const text = ['> ```', '> ![a](a.png)', '> ```', '', '1. ~~~', '   ![b](b.png)', '   ~~~', '   ![c](c.png)'].join('\n');
        assert.deepEqual(paths(text, 'markdown'), ['c.png']);
      });

      it('ends a fenced code block with the list item that holds it', () => {
        assert.deepEqual(paths('- Item\n\n  ```\n  code\n\n![a](a.png)', 'markdown'), ['a.png']);
      });

      it('does not report a Markdown image inside an HTML block', () => {
        const text = [
          '<div>',
          '![a](a.png)',
          '</div>',
          '',
          '<details>',
          '<summary>![b](b.png)</summary>',
          '',
          '![c](c.png)',
          '',
          '</details>',
        ].join('\n');
        assert.deepEqual(paths(text, 'markdown'), ['c.png']);
      });

      it('does not report an image inside a pre, script, style or textarea block, even across blank lines', () => {
        const text = ['<pre>', '![a](a.png)', '', '![b](b.png)', '</pre>', '![c](c.png)'].join('\n');
        assert.deepEqual(paths(text, 'markdown'), ['c.png']);
      });

      it('does not start an HTML block on a line that continues a paragraph lazily', () => {
        assert.deepEqual(paths('> Text\n<span>\n![a](a.png)', 'markdown'), ['a.png']);
      });

      it('does not report a Markdown image inside a processing instruction, declaration or CDATA section', () => {
        const text = 'a <?php ![a](a.png) ?> b <!X ![b](b.png)> <![CDATA[ ![c](c.png) ]]> ![d](d.png)';
        assert.deepEqual(paths(text, 'markdown'), ['d.png']);
      });

      it('reads an <img> tag after the first > of a processing instruction, where a browser ends it', () => {
        assert.deepEqual(md('a <?x > <img src="a.png"> ?>'), [
          { whole: '<img src="a.png">', target: 'a.png', path: 'a.png', alt: '', prompt: '' },
        ]);
      });

      it('reads <img> tags in an HTML block as a browser does', () => {
        assert.deepEqual(md('<div>\n  <img src=a.png alt="A">\n</div>'), [
          { whole: '<img src=a.png alt="A">', target: 'a.png', path: 'a.png', alt: 'A', prompt: 'A' },
        ]);
      });

      it('leaves block quote markers out of the alt text of an image over two lines', () => {
        assert.deepEqual(md('> ![a\n> b](a.png "prompt: p")'), [
          { whole: '![a\n> b](a.png "prompt: p")', target: 'a.png', path: 'a.png', alt: 'a\nb', prompt: 'p', explicitPrompt: 'p' },
        ]);
      });

      it('reads a definition over several lines, and one in a block quote', () => {
        const text = '![a] ![b]\n\n[a]:\n  <images/a b.png>\n  "prompt: x"\n\n> [b]: b.png\n';
        assert.deepEqual(
          md(text).map((link) => [link.whole, link.target, link.path, link.prompt]),
          [
            ['![a]', '<images/a b.png>', 'images/a b.png', 'x'],
            ['![b]', 'b.png', 'b.png', 'b'],
          ],
        );
      });

      it('does not take a line inside a paragraph for a definition', () => {
        assert.deepEqual(md('![a]\n\nSome text\n[a]: a.png\n'), []);
      });

      it('reads an indented image and Markdown between JSX tags in MDX, which has no indented code or HTML blocks', () => {
        const text = 'Text\n\n    ![a](a.png)\n\n<Note>\n![b](b.png)\n</Note>';
        assert.deepEqual(paths(text, 'mdx'), ['a.png', 'b.png']);
        assert.deepEqual(paths(text, 'markdown'), []);
      });
    });

    it('ignores an escaped !, and an escaped [', () => {
      assert.deepEqual(md('\\![a](a.png) !\\[b](b.png)'), []);
    });

    it('reads an image inside a link', () => {
      assert.deepEqual(only('[![Badge](badge.svg)](https://example.com)', 'markdown').whole, '![Badge](badge.svg)');
    });

    it('reads only the outer image when an image is inside another one’s alt text', () => {
      assert.deepEqual(only('![outer ![inner](inner.png)](outer.png)', 'markdown').path, 'outer.png');
    });

    it('reads <img> tags with the HTML rules', () => {
      assert.deepEqual(only('Text <img src="a%20b.png" alt="A &amp; B" title="prompt: ab"> text', 'markdown'), {
        whole: '<img src="a%20b.png" alt="A &amp; B" title="prompt: ab">',
        target: 'a%20b.png',
        path: 'a b.png',
        alt: 'A & B',
        prompt: 'ab',
        explicitPrompt: 'ab',
      });
    });

    it('skips HTML comments, autolinks, script and tags in code', () => {
      const text = [
        '<!-- ![a](a.png) <img src="b.png"> -->',
        '<https://example.com/![c](c.png)>',
        '<script>let s = "![d](d.png)";</script>',
        '`<img src="e.png">`',
        '![f](f.png)',
      ].join('\n');
      assert.deepEqual(paths(text, 'markdown'), ['f.png']);
    });

    it('reads a bracket inside an HTML attribute as text', () => {
      assert.deepEqual(paths('<span title="]">![a](a.png)</span>', 'markdown'), ['a.png']);
    });

    it('lists links in order of appearance', () => {
      assert.deepEqual(paths('<img src="1.png"> ![2](2.png) [![3](3.png)](x) <img src=4.png>', 'markdown'), [
        '1.png',
        '2.png',
        '3.png',
        '4.png',
      ]);
    });

    it('reads {/* */} as text in Markdown but skips it as a comment in MDX', () => {
      const text = '{/* ![a](a.png) */} {/* unclosed ![b](b.png)';
      assert.deepEqual(paths(text, 'markdown'), ['a.png', 'b.png']);
      assert.deepEqual(paths(text, 'mdx'), ['b.png']);
    });

    it('does not read a JSX expression in src as a path in MDX', () => {
      const text = '<img src={logo} alt="Logo" /> <img src="{logo}" /> <img src={require("../a.png")} />';
      assert.deepEqual(paths(text, 'mdx'), ['{logo}']);
      assert.deepEqual(paths(text, 'markdown'), ['{logo}', '{logo}']);
    });

    it('reads MDX images like Markdown, with {} escaped in the alt text', () => {
      assert.deepEqual(only('![a \\{b\\}](<x y.png>)', 'mdx'), {
        whole: '![a \\{b\\}](<x y.png>)',
        target: '<x y.png>',
        path: 'x y.png',
        alt: 'a {b}',
        prompt: 'a {b}',
      });
    });
  });

  describe('html', () => {
    const html = (text: string): Seen[] => seen(text, 'html');

    it('reads an img element with its offsets', () => {
      const text = '<p><img src="images/cat.png" alt="A cat"></p>';
      const expected: ImageLinkReference = {
        start: 3,
        end: 41,
        targetStart: 13,
        targetEnd: 27,
        path: 'images/cat.png',
        alt: 'A cat',
        prompt: 'A cat',
      };
      assert.deepEqual(findImageLinks(text, 'html'), [expected]);
    });

    it('reads single-quoted and unquoted values, in any order and case', () => {
      assert.deepEqual(html(`<IMG Alt='A "b"' SRC='a.png'> <img alt=plain src=b.png width=3> <img\nsrc = "c.png"\n/>`), [
        { whole: `<IMG Alt='A "b"' SRC='a.png'>`, target: 'a.png', path: 'a.png', alt: 'A "b"', prompt: 'A "b"' },
        { whole: '<img alt=plain src=b.png width=3>', target: 'b.png', path: 'b.png', alt: 'plain', prompt: 'plain' },
        { whole: '<img\nsrc = "c.png"\n/>', target: 'c.png', path: 'c.png', alt: '', prompt: '' },
      ]);
    });

    it('decodes entities in src and alt', () => {
      const link = only('<img src="a&amp;b&#39;c&#x27;.png" alt="&quot;x&quot; &lt;y&gt; &#233; &#x4e2d; &bogus;">', 'html');
      assert.deepEqual([link.path, link.alt], ["a&b'c'.png", '"x" <y> é 中 &bogus;']);
    });

    it('percent-decodes src and strips the whitespace around it', () => {
      assert.equal(only('<img src="  images/a%20cat%23.png\n">', 'html').path, 'images/a cat#.png');
    });

    it('prefers data-prompt, then a prompt: title', () => {
      assert.deepEqual(
        html(
          '<img src="a.png" alt="A" title="prompt: t" data-prompt="d &amp; e"> <img src="b.png" alt="B" title="Prompt: t"> <img src="c.png" alt="C" title="t">',
        ).map((link) => [link.explicitPrompt, link.prompt]),
        [
          ['d & e', 'd & e'],
          ['t', 't'],
          [undefined, 'C'],
        ],
      );
    });

    it('skips comments, script, style and textarea', () => {
      const text = [
        '<!-- <img src="a.png"> -->',
        '<!--> <img src="b.png">',
        '<script>document.write(\'<img src="c.png">\')</script>',
        '<STYLE>/* <img src="d.png"> */</STYLE >',
        '<textarea><img src="e.png"></textarea>',
        '<img src="f.png">',
      ].join('\n');
      assert.deepEqual(paths(text, 'html'), ['b.png', 'f.png']);
    });

    it('does not read an img inside another tag’s attribute, and reads > inside quotes as part of the value', () => {
      assert.deepEqual(html('<a title="<img src=x.png>"><img alt="a > b" src="y.png"></a>'), [
        { whole: '<img alt="a > b" src="y.png">', target: 'y.png', path: 'y.png', alt: 'a > b', prompt: 'a > b' },
      ]);
    });

    it('needs a src value, but reads an empty one', () => {
      assert.deepEqual(paths('<img alt="x"> <img src> <img src="">', 'html'), ['']);
    });

    it('uses the first of repeated attributes', () => {
      assert.equal(only('<img src="first.png" src="second.png">', 'html').path, 'first.png');
    });

    it('stops at a tag or comment left open, as a browser does', () => {
      assert.deepEqual(paths('<img src="a.png"><img src="b.png" alt="x', 'html'), ['a.png']);
      assert.deepEqual(paths('<img src="a.png"><!-- <img src="b.png">', 'html'), ['a.png']);
    });

    it('reads < that does not start a tag as text', () => {
      assert.deepEqual(paths('1 < 2 <3 </> <img src="a.png">', 'html'), ['a.png']);
    });
  });

  describe('restructuredtext', () => {
    const rst = (text: string): Seen[] => seen(text, 'restructuredtext');

    it('reads an image directive with its offsets', () => {
      const text = 'Intro.\n\n.. image:: images/cat.png\n\nOutro.';
      const expected: ImageLinkReference = {
        start: 8,
        end: 33,
        targetStart: 19,
        targetEnd: 33,
        path: 'images/cat.png',
        alt: '',
        prompt: '',
      };
      assert.deepEqual(findImageLinks(text, 'restructuredtext'), [expected]);
    });

    it('takes the option lines into the link and reads :alt:', () => {
      const text = '.. image:: cat.png\n   :alt: A cat\n   :width: 200px\n\nNext paragraph.';
      assert.deepEqual(only(text, 'restructuredtext'), {
        whole: '.. image:: cat.png\n   :alt: A cat\n   :width: 200px',
        target: 'cat.png',
        path: 'cat.png',
        alt: 'A cat',
        prompt: 'A cat',
      });
    });

    it('continues an option value on more deeply indented lines', () => {
      assert.equal(
        only('.. image:: cat.png\n   :alt: A long\n      description\n   :align: center\n', 'restructuredtext').alt,
        'A long description',
      );
    });

    it('reads a figure without its caption', () => {
      assert.deepEqual(
        only('.. figure:: chart.png\n   :alt: Chart\n\n   The caption.\n', 'restructuredtext').whole,
        '.. figure:: chart.png\n   :alt: Chart',
      );
    });

    it('reads an image substitution definition, whose alt defaults to the substitution text', () => {
      assert.deepEqual(
        rst('.. |logo| image:: logo.png\n\n.. |Big  Logo| image:: big.png\n   :alt: A big logo\n').map((link) => [link.whole, link.alt]),
        [
          ['.. |logo| image:: logo.png', 'logo'],
          ['.. |Big  Logo| image:: big.png\n   :alt: A big logo', 'A big logo'],
        ],
      );
    });

    it('unescapes the path as docutils does', () => {
      const link = only('.. image:: images/a\\ cat\\\\x \\(1\\).png   ', 'restructuredtext');
      assert.deepEqual([link.target, link.path], ['images/a\\ cat\\\\x \\(1\\).png', 'images/a cat\\x(1).png']);
    });

    it('reads directive names case-insensitively, indented inside other directives', () => {
      const text = '.. note::\n\n   .. IMAGE:: inner.png\n      :alt: Inner\n\n   Text.\n';
      assert.deepEqual(only(text, 'restructuredtext').whole, '.. IMAGE:: inner.png\n      :alt: Inner');
    });

    it('skips literal blocks, code directives and comments', () => {
      const text = [
        'Example::',
        '',
        '   .. image:: a.png',
        '',
        '.. code-block:: rst',
        '   :linenos:',
        '',
        '   .. image:: b.png',
        '',
        '.. This is a comment',
        '   .. image:: c.png',
        '',
        '..',
        '   .. image:: d.png',
        '',
        '- item::',
        '',
        '      .. image:: e.png',
        '',
        '  .. image:: f.png',
        '',
        '.. image:: g.png',
      ].join('\n');
      assert.deepEqual(paths(text, 'restructuredtext'), ['f.png', 'g.png']);
    });

    it('does not hide the paragraph after a line ending in ::', () => {
      assert.deepEqual(paths('Note::\nmore text\n\n.. image:: a.png\n', 'restructuredtext'), ['a.png']);
    });

    it('ignores a directive without a path on its line, and figures as substitutions', () => {
      assert.deepEqual(rst('.. image::\n   a.png\n\n.. |x| figure:: b.png\n\n.. image::c.png\n'), []);
    });
  });

  describe('asciidoc', () => {
    const adoc = (text: string): Seen[] => seen(text, 'asciidoc');

    it('reads a block image with its offsets', () => {
      const text = 'Intro.\n\nimage::images/cat.png[A cat]\n';
      const expected: ImageLinkReference = {
        start: 8,
        end: 36,
        targetStart: 15,
        targetEnd: 29,
        path: 'images/cat.png',
        alt: 'A cat',
        prompt: 'A cat',
      };
      assert.deepEqual(findImageLinks(text, 'asciidoc'), [expected]);
    });

    it('reads inline images', () => {
      assert.deepEqual(adoc('Click image:icons/save.png[Save] then (image:b.png[]).'), [
        { whole: 'image:icons/save.png[Save]', target: 'icons/save.png', path: 'icons/save.png', alt: 'Save', prompt: 'Save' },
        { whole: 'image:b.png[]', target: 'b.png', path: 'b.png', alt: '', prompt: '' },
      ]);
    });

    it('reads a quoted alt with escapes, commas and brackets', () => {
      assert.equal(only('image::a.png["A \\"quoted\\", [bracketed\\] alt",300,200]', 'asciidoc').alt, 'A "quoted", [bracketed] alt');
      assert.equal(only("image::a.png['single, quoted',300]", 'asciidoc').alt, 'single, quoted');
      assert.equal(only('image:a.png[ plain alt , 300]', 'asciidoc').alt, 'plain alt');
    });

    it('keeps an alt of a lone backslash when formatImageLink writes it', () => {
      assert.equal(only(formatImageLink('asciidoc', 'a.png', '\\'), 'asciidoc').alt, '\\');
    });

    it('reads named alt, title and prompt attributes', () => {
      assert.deepEqual(
        adoc(
          [
            'image::a.png[300,alt="Named alt"]',
            'image::b.png[B,title="prompt: from the title"]',
            'image::c.png[C, prompt = "from, prompt", title="prompt: no"]',
            'image::d.png[D,prompt=unquoted]',
            'image::e.png[title=Plain title]',
            'image::f.png[width=3,Not alt]',
          ].join('\n'),
        ).map((link) => [link.alt, link.prompt, link.explicitPrompt]),
        [
          ['Named alt', 'Named alt', undefined],
          ['B', 'from the title', 'from the title'],
          ['C', 'from, prompt', 'from, prompt'],
          ['D', 'unquoted', 'unquoted'],
          ['', '', undefined],
          ['', '', undefined],
        ],
      );
    });

    it('percent-decodes the target', () => {
      assert.deepEqual(paths('image::images/a%20cat%5B1%5D%23.png[]', 'asciidoc'), ['images/a cat[1]#.png']);
    });

    it('needs the inline macro to start a word, unescaped, and the block macro to start the line', () => {
      assert.deepEqual(adoc('myimage:a.png[] \\image:b.png[] text image::c.png[] image: d.png[] image:e.png [x]'), []);
    });

    it('skips listing, literal, passthrough and comment blocks, fenced code and line comments', () => {
      const text = [
        '----',
        'image::a.png[]',
        '------',
        'image::b.png[]',
        '----',
        '....',
        'image:c.png[]',
        '....',
        '++++',
        '<p>image:d.png[]</p>',
        '++++',
        '////',
        'image::e.png[]',
        '////',
        '```ruby',
        'image::f.png[]',
        '```',
        '// image::g.png[]',
        '/// image:h.png[]',
        'image::i.png[]',
      ].join('\n');
      assert.deepEqual(paths(text, 'asciidoc'), ['h.png', 'i.png']);
    });

    it('ignores a macro whose attribute list is not closed on its line', () => {
      assert.deepEqual(adoc('image:a.png[alt\n]\nimage::b.png[x'), []);
    });

    it('undoes \\{ before an attribute reference only', () => {
      assert.equal(only('image::a.png["\\{name} and \\{ not"]', 'asciidoc').alt, '{name} and \\{ not');
    });
  });

  it('finds nothing in LaTeX', () => {
    assert.deepEqual(findImageLinks('\\includegraphics{a.png} ![a](b.png)', 'latex'), []);
  });

  describe('round trip with formatImageLink', () => {
    const PATHS = [
      'images/cat.png',
      '../up/a cat.png',
      'images/cat (1).png',
      'images/cat(1.png',
      'images/cat)1(.png',
      'img/100%#1?.png',
      'images/[draft] it\'s "x".png',
      'a&b &amp; c.png',
      'a{b}`c`<d>.png',
      'dir\\name.png',
      '图片/橘猫 睡觉.png',
      'صور/قطة.png',
      'images/😀\u00A0emoji.png',
    ];
    const ALTS = [
      'A cat',
      '',
      'say "cheese" [draft] it\'s',
      'nested [brackets [deep]] and \\] escaped',
      'Tom & Jerry &amp; co &#39;',
      'back\\slash *emphasis* `code` <b>',
      '{braces} and {attr-name}',
      '橘猫 😀 עברית',
      '\\',
      'C:\\dir\\ or {attr-name}\\',
    ];

    /** The target as each syntax writes it, found without the scanner. */
    function writtenTarget(syntax: ScannedSyntax, link: string): string {
      switch (syntax) {
        case 'markdown':
        case 'mdx':
          return link.slice(link.lastIndexOf('](') + 2, -1);
        case 'html':
          return /src="([^"]*)"/.exec(link)?.[1] ?? '';
        case 'restructuredtext':
          return link.split('\n')[0].slice('.. image:: '.length);
        case 'asciidoc':
          return link.slice('image::'.length, link.indexOf('['));
      }
    }

    // docutils removes backslashes from the :alt: value, which links.ts writes as it is.
    const altsFor = (syntax: ScannedSyntax): string[] => (syntax === 'restructuredtext' ? ALTS.filter((alt) => !alt.includes('\\')) : ALTS);
    // reStructuredText refuses whitespace other than a space in a path.
    const pathsFor = (syntax: ScannedSyntax): string[] =>
      syntax === 'restructuredtext' ? PATHS.filter((path) => !/[^\S ]/u.test(path)) : PATHS;

    for (const syntax of SCANNED_SYNTAXES) {
      for (const path of pathsFor(syntax)) {
        it(`reads back ${syntax} links to ${JSON.stringify(path)}`, () => {
          for (const alt of altsFor(syntax)) {
            const link = formatImageLink(syntax, path, alt);
            const text = `Before.\n\n${link}\n\nAfter.\n`;
            const found = findImageLinks(text, syntax);
            assert.equal(found.length, 1, `one link in ${JSON.stringify(text)}`);
            const [reference] = found;
            const context = `${syntax} ${JSON.stringify(link)}`;
            assert.equal(reference.path, path, context);
            assert.equal(localImagePath(reference.path), path, `the file checked for ${context}`);
            assert.equal(reference.alt, alt, context);
            assert.equal(reference.prompt, alt.trim(), context);
            assert.equal(reference.explicitPrompt, undefined, context);
            assert.equal(text.slice(reference.start, reference.end), link, context);
            assert.equal(text.slice(reference.targetStart, reference.targetEnd), writtenTarget(syntax, link), context);
          }
        });
      }
    }

    it('reads back several links in one document, in order', () => {
      for (const syntax of SCANNED_SYNTAXES) {
        const links = pathsFor(syntax).map((path, i) => formatImageLink(syntax, path, ALTS[i % ALTS.length].replaceAll('\\', '')));
        const text = links.join('\n\nSome text.\n\n');
        assert.deepEqual(
          seen(text, syntax).map((link) => link.whole),
          links,
          syntax,
        );
      }
    });
  });

  describe('query and fragment', () => {
    const URL_SYNTAXES: ReadonlyArray<[ScannedSyntax, (target: string) => string]> = [
      ['markdown', (target) => `![x](${target})`],
      ['html', (target) => `<img src="${target}" alt="x">`],
      ['asciidoc', (target) => `image::${target}[x]`],
    ];
    for (const [syntax, write] of URL_SYNTAXES) {
      it(`drops them in ${syntax} before decoding, so an escaped # or ? stays part of the file name`, () => {
        assert.deepEqual(
          ['images/a.png?v=2', 'images/a.png#section', 'images/a.png?v=2#x', 'images/a%231.png#x', 'images/a%3Fb.png?v=1'].map(
            (target) => only(write(target), syntax).path,
          ),
          ['images/a.png', 'images/a.png', 'images/a.png', 'images/a#1.png', 'images/a?b.png'],
        );
      });

      it(`leaves a bare fragment or query in ${syntax} without a local file`, () => {
        for (const target of ['#fragment', '?query']) {
          assert.equal(localImagePath(only(write(target), syntax).path), undefined, target);
        }
      });
    }

    it('keeps them in a reStructuredText path, which names a file as written', () => {
      assert.equal(only('.. image:: images/a#1.png', 'restructuredtext').path, 'images/a#1.png');
    });
  });

  describe('localImagePath', () => {
    const kept: ReadonlyArray<[string, string]> = [
      ['images/a.png', 'images/a.png'],
      ['./images/a.png', './images/a.png'],
      ['/images/a.png', '/images/a.png'],
      ['../shared/a b.png', '../shared/a b.png'],
      ['图片/猫.png', '图片/猫.png'],
      ['./a:b.png', './a:b.png'],
      ['images/{one}.png', 'images/{one}.png'],
      // Decoded names: the scanners of URL syntaxes have already cut the query and fragment.
      ['img/100%#1?.png', 'img/100%#1?.png'],
    ];
    for (const [target, expected] of kept) {
      it(`keeps ${JSON.stringify(target)} as ${JSON.stringify(expected)}`, () => {
        assert.equal(localImagePath(target), expected);
      });
    }

    const refused = [
      'https://example.com/a.png',
      'HTTP://example.com/a.png',
      'data:image/png;base64,iVBORw0KGgo=',
      'mailto:someone@example.com',
      'file:///tmp/a.png',
      'c:/images/a.png',
      '//cdn.example.com/a.png',
      '\\\\server\\share\\a.png',
      '',
      '   ',
      '{{ site.baseurl }}/a.png',
      '${base}/a.png',
      'images/{% raw %}a.png',
      '<%= image_path %>',
    ];
    for (const target of refused) {
      it(`refuses ${JSON.stringify(target)}`, () => {
        assert.equal(localImagePath(target), undefined);
      });
    }
  });

  describe('malformed and hostile input', () => {
    const unclosed = [
      '![',
      '![alt',
      '![alt](',
      '![alt](a.png',
      '![alt](<a.png)',
      '![alt](a.png "title',
      '![alt][',
      '![alt][ref',
      '[ref]: ',
      '```',
      '`',
      '<img',
      '<img src="a.png',
      '<img src=',
      '<!--',
      '{/*',
      '.. image::',
      '.. |x',
      'image:',
      'image::a.png[',
      'image:a.png["x',
      '\\',
      '&#',
      '&#99999999;',
    ];

    it('never throws on unclosed constructs, and finds nothing in them', () => {
      for (const syntax of SCANNED_SYNTAXES) {
        for (const text of unclosed) {
          assert.deepEqual(findImageLinks(text, syntax), [], `${syntax} ${JSON.stringify(text)}`);
        }
      }
    });

    const SIZE = 200_000;
    const repeat = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length));
    const hostile = [
      repeat('!['),
      repeat('[!['),
      repeat('![]('),
      repeat('![]((('),
      repeat('![a](b'),
      repeat('![a](<'),
      repeat('![a](b "'),
      repeat('![a](b ('),
      repeat('![a]['),
      repeat(']('),
      repeat('`'),
      repeat('` ``'),
      repeat('\\'),
      repeat('<'),
      repeat('<img a="'),
      repeat("<img a='b' c="),
      repeat('<script>'),
      repeat('<!--'),
      repeat('{/*'),
      repeat('[a]: <b\n'),
      repeat('```\n'),
      repeat('image:a'),
      repeat('image:a['),
      repeat('image:a[\\]'),
      repeat('image::a["\\{set:'),
      repeat('.. image:: a\n'),
      repeat('.. |'),
      repeat('a::\n\n  '),
      `<img${Array.from({ length: 25_000 }, (_, i) => ` a${i}`).join('')} src=x>`,
      `${'!['.repeat(20_000)}${'](x)'.repeat(20_000)}`,
      `${'[](('.repeat(20_000)}${'))'.repeat(20_000)}`,
      repeat('> '),
      repeat('1. '),
      repeat('- a\n\n'),
      repeat('\t- '),
      repeat('<div>\n'),
      repeat('<a\n'),
      repeat('    a\n'),
      repeat('[a]:\nb\n"\n'),
      `${'- '.repeat(60_000)}x`,
      `${'- '.repeat(50_000)}x\n${'\n'.repeat(100_000)}`,
      `${'> - '.repeat(25_000)}x\n${'b\n'.repeat(50_000)}`,
    ];

    for (const syntax of SCANNED_SYNTAXES) {
      it(`scans 200 KB of pathological ${syntax} quickly`, function () {
        // Linear scans take milliseconds each; a quadratic one takes minutes.
        this.timeout(60_000);
        for (const text of hostile) {
          const started = process.hrtime.bigint();
          findImageLinks(text, syntax);
          const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
          assert.ok(milliseconds < 1500, `${JSON.stringify(text.slice(0, 12))}…: ${milliseconds.toFixed(0)} ms`);
        }
      });
    }

    it('keeps offsets in range and in order on random input', () => {
      const pieces = [
        '!',
        '[',
        ']',
        '(',
        ')',
        '<',
        '>',
        '"',
        "'",
        '`',
        '\\',
        ' ',
        '\n',
        '\n\n',
        'a',
        '.png',
        ':',
        '/',
        '#',
        '%20',
        '{',
        '}',
        '|',
        '=',
        ',',
        '&amp;',
        '```',
        '~~~',
        '----',
        '<!--',
        '-->',
        '{/*',
        '*/}',
        'image:',
        'image::',
        '<img src=',
        'alt=',
        'title="prompt: ',
        '.. image:: ',
        '   :alt: ',
        '[x]: ',
        '![x]',
        '(x.png)',
        '::',
      ];
      let seed = 12345;
      const random = (limit: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % limit;
      };
      for (let round = 0; round < 300; round++) {
        const text = Array.from({ length: 120 }, () => pieces[random(pieces.length)]).join('');
        for (const syntax of SCANNED_SYNTAXES) {
          const links = findImageLinks(text, syntax);
          links.forEach((link, i) => {
            const context = `${syntax} ${JSON.stringify(text)}`;
            assert.ok(link.start >= 0 && link.start < link.end && link.end <= text.length, context);
            assert.ok(link.targetStart >= 0 && link.targetStart <= link.targetEnd && link.targetEnd <= text.length, context);
            assert.ok(i === 0 || links[i - 1].start <= link.start, context);
            assert.equal(link.prompt, (link.explicitPrompt ?? link.alt).trim(), context);
          });
        }
      }
    });
  });
});
