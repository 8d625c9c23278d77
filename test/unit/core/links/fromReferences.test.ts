import assert from 'node:assert/strict';
import { findImageLinks } from '../../../../src/core/links';
import type { LinkSyntax } from '../../../../src/core/links/linkFormat';

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
