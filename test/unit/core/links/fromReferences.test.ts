import assert from 'node:assert/strict';
import { findImageLinks } from '../../../../src/core/links';
import type { LinkSyntax } from '../../../../src/core/links/linkFormat';

/** A prompt on one line, as a title or an attribute holds it. */
function oneLinePrompt(prompt: string): string {
  return prompt.replace(/\s+/g, ' ').trim();
}

/**
 * A link to images/out.png that says its prompt and references the way a docs author would write it, escaped
 * by each syntax's own rules: the oracle the reader is checked against. A prompt that says `; from:` itself
 * gets a clause of its own after it, as the README tells authors to write.
 */
function writeLink(syntax: LinkSyntax, prompt: string, from: readonly string[]): string {
  const text = oneLinePrompt(prompt);
  const list = from.join(', ');
  const needsClause = list !== '' || /;\s*from\s*:/i.test(text);
  const html = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const asciiDoc = (value: string) => {
    const escaped = value.replace(/\{(?=(?:\w[\w-]*|(?:set|counter2?):[^{}]*)\})/g, '\\{').replace(/["\]]/g, '\\$&');
    return `"${escaped}${escaped.endsWith('\\') ? ' ' : ''}"`;
  };
  switch (syntax) {
    case 'markdown':
    case 'mdx': {
      const title = needsClause ? `prompt: ${text} ; from: ${list}`.trimEnd() : `prompt: ${text}`;
      return `![Alt](images/out.png "${title.replace(/[\\"]|&(?=#?[a-z0-9]+;)/gi, '\\$&')}")`;
    }
    case 'html':
      return `<img src="images/out.png" alt="Alt" data-prompt="${html(text)}"${list === '' ? '' : ` data-from="${html(list)}"`}>`;
    case 'asciidoc':
      return `image::images/out.png[Alt,prompt=${asciiDoc(text)}${list === '' ? '' : `,from=${asciiDoc(list)}`}]`;
    default:
      throw new Error(`${syntax} has no place for a prompt`);
  }
}

/** The prompt and references of the one link in `text`. */
function read(text: string, syntax: LinkSyntax): { prompt: string; from?: readonly string[] } {
  const [link] = findImageLinks(text, syntax);
  assert.ok(link, `no link in ${text}`);
  return link.from === undefined ? { prompt: link.prompt } : { prompt: link.prompt, from: link.from };
}

describe('image links made from references (`from:`)', () => {
  it('reads `; from:` at the end of a prompt title in Markdown and MDX', () => {
    for (const syntax of ['markdown', 'mdx'] as const) {
      assert.deepEqual(read('![Login](images/login-dark.png "prompt: same diagram, dark theme ; from: login.png")', syntax), {
        prompt: 'same diagram, dark theme',
        from: ['login.png'],
      });
    }
    assert.deepEqual(read('![x](a.png "Prompt: the cat of image 1 on the sofa of image 2; FROM: cat.jpg, ../sofa.png ,")', 'markdown'), {
      prompt: 'the cat of image 1 on the sofa of image 2',
      from: ['cat.jpg', '../sofa.png'],
    });
  });

  it('reads HTML data-from, and the title form', () => {
    assert.deepEqual(read('<img src="b.png" alt="B" data-prompt="dark theme" data-from="a.png, https://example.com/c.png">', 'html'), {
      prompt: 'dark theme',
      from: ['a.png', 'https://example.com/c.png'],
    });
    assert.deepEqual(read('<img src="b.png" alt="B" title="prompt: dark theme; from: a.png">', 'html'), {
      prompt: 'dark theme',
      from: ['a.png'],
    });
  });

  it('reads AsciiDoc from=, and the title form', () => {
    assert.deepEqual(read('image::b.png[B,prompt="dark theme",from="a.png, c.png"]', 'asciidoc'), {
      prompt: 'dark theme',
      from: ['a.png', 'c.png'],
    });
    assert.deepEqual(read('image::b.png[B,title="prompt: dark theme; from: a.png"]', 'asciidoc'), {
      prompt: 'dark theme',
      from: ['a.png'],
    });
  });

  it('has no references without the clause, nor for a title that is no prompt', () => {
    assert.deepEqual(read('![B](b.png "prompt: dark theme")', 'markdown'), { prompt: 'dark theme' });
    assert.deepEqual(read('![B](b.png "a caption; from: a.png")', 'markdown'), { prompt: 'B' });
    assert.deepEqual(read('![B](b.png "prompt: ; from: a.png")', 'markdown'), { prompt: 'B', from: ['a.png'] });
  });
});

describe('reading and writing `from:` (bugs: a comma inside an address split it, a prompt saying "; from:" lost its end)', () => {
  it('keeps a comma that is not followed by a space inside its reference, as addresses have them', () => {
    assert.deepEqual(read('![B](b.png "prompt: dark ; from: a.png, https://host/x,y.png")', 'markdown'), {
      prompt: 'dark',
      from: ['a.png', 'https://host/x,y.png'],
    });
    assert.deepEqual(read('<img src="b.png" data-prompt="dark" data-from="https://host/a,b.png,  c.png">', 'html'), {
      prompt: 'dark',
      from: ['https://host/a,b.png', 'c.png'],
    });
    assert.deepEqual(read('image::b.png[B,prompt="dark",from="https://host/a,b.png"]', 'asciidoc'), {
      prompt: 'dark',
      from: ['https://host/a,b.png'],
    });
  });

  it('takes the last `; from:` clause, so a prompt may say "; from:" itself', () => {
    assert.deepEqual(read('![B](b.png "prompt: a sign that reads ; from: here ; from: a.png")', 'markdown'), {
      prompt: 'a sign that reads ; from: here',
      from: ['a.png'],
    });
    assert.deepEqual(read('![B](b.png "prompt: a sign that reads ; from: here ; from:")', 'markdown'), {
      prompt: 'a sign that reads ; from: here',
    });
  });

  /** Deterministic odd prompts: quotes, semicolons, `from:`, commas, backslashes, brackets, entities, CJK. */
  function oddPrompts(count: number): string[] {
    const pieces = [
      'a sign that reads',
      '; from:',
      ';FROM :',
      ' from: here',
      '"quoted"',
      "it's",
      ', ',
      ',',
      '\\',
      '\\\\',
      '\\"',
      ']',
      '\\]',
      '[x]',
      '{name}',
      '\\{name}',
      '&amp;',
      '&#35;',
      '<b>',
      '`code`',
      '*em*',
      '一只猫坐在沙发上',
      '；来自：',
      '😀',
      ' ',
      '\n',
      'prompt:',
      ')',
      '(',
      '%20',
    ];
    let seed = 7;
    const next = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    const prompts: string[] = [
      ...pieces.filter((piece) => piece.trim() !== '').map((piece) => `x ${piece}`),
      ...pieces.map((piece) => `${piece} y ${piece}`),
    ];
    while (prompts.length < count) {
      prompts.push(Array.from({ length: 1 + next(6) }, () => pieces[next(pieces.length)]).join(next(2) === 0 ? '' : ' '));
    }
    return prompts.filter((prompt) => prompt.trim() !== '');
  }

  const referenceSets: readonly (readonly string[])[] = [
    [],
    ['a.png'],
    ['../img/a b.png', 'https://host/x,y.png?size=1,2', '/img/root.png'],
    ['图片/猫.png', 'a;b.png', 'it"s.png'],
  ];

  it('reads the prompt and references of links written with odd prompts, in every syntax with a place for them', () => {
    for (const syntax of ['markdown', 'mdx', 'html', 'asciidoc'] as const) {
      for (const [index, prompt] of oddPrompts(400).entries()) {
        const from = referenceSets[index % referenceSets.length];
        const link = writeLink(syntax, prompt, from);
        const expected = from.length > 0 ? { prompt: oneLinePrompt(prompt), from } : { prompt: oneLinePrompt(prompt) };
        assert.deepEqual(read(link, syntax), expected, `${syntax}: ${link}`);
      }
    }
  });
});
