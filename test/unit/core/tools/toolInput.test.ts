import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_IMAGES_IN_AND_OUT, MAX_IMAGES_PER_RUN, MAX_IMAGES_PER_SET, MAX_REFERENCES, MODELS } from '../../../../src/core/model/catalog';
import { checkImageSet, validateGeneration } from '../../../../src/core/model/validation';
import { TEST_INPUT } from '../../../support/generationInput';
import {
  FIND_MISSING_IMAGES_TOOL,
  GENERATE_IMAGE_TOOL,
  GENERATE_MISSING_IMAGES_TOOL,
  parseFindMissingImagesInput,
  parseGenerateImageInput,
  parseGenerateMissingImagesInput,
  parseWorkspacePath,
  TOOL_FIELDS,
} from '../../../../src/core/tools/toolInput';

const ONE_FOLDER = ['site'];

function message(result: { ok: boolean; message?: string }): string {
  assert.equal(result.ok, false, 'the input is refused');
  return result.message!;
}

describe('tool input', () => {
  describe('parseWorkspacePath', () => {
    it('resolves a relative path inside the folder, with backslashes and dot segments', () => {
      assert.deepEqual(parseWorkspacePath('docs\\images/./a.png', 'path', ONE_FOLDER), {
        ok: true,
        value: { folder: 0, segments: ['docs', 'images', 'a.png'] },
      });
      assert.deepEqual(parseWorkspacePath('docs/../a.png', 'path', ONE_FOLDER), { ok: true, value: { folder: 0, segments: ['a.png'] } });
      assert.deepEqual(parseWorkspacePath('..images/a.png', 'path', ONE_FOLDER), {
        ok: true,
        value: { folder: 0, segments: ['..images', 'a.png'] },
      });
    });

    it('refuses paths outside the workspace: climbing out, absolute, drive letters, URIs', () => {
      assert.match(message(parseWorkspacePath('../outside.png', 'path', ONE_FOLDER)), /"path" leads outside the workspace folder/);
      assert.match(message(parseWorkspacePath('docs/../../x.png', 'path', ONE_FOLDER)), /leads outside/);
      for (const absolute of [
        '/etc/passwd',
        'C:\\Windows\\x.png',
        'c:/x.png',
        'file:///tmp/x.png',
        'https://example.com/x.png',
        '\\\\server\\share\\x.png',
      ]) {
        assert.match(
          message(parseWorkspacePath(absolute, 'path', ONE_FOLDER)),
          /must be relative to the workspace folder|leads outside/,
          absolute,
        );
      }
    });

    it('refuses empty values, non-strings, control characters, the folder itself and no open folder', () => {
      assert.match(message(parseWorkspacePath('', 'file', ONE_FOLDER)), /"file" must be a path relative to the workspace folder/);
      assert.match(message(parseWorkspacePath(42, 'file', ONE_FOLDER)), /"file" must be a path/);
      assert.match(message(parseWorkspacePath('a\u0000b.png', 'file', ONE_FOLDER)), /control character/);
      assert.match(message(parseWorkspacePath('docs/..', 'file', ONE_FOLDER)), /names the workspace folder itself/);
      assert.match(message(parseWorkspacePath('a.png', 'file', [])), /no folder is open/);
    });

    it('in a multi-root workspace, a first name that is a folder picks that folder', () => {
      assert.deepEqual(parseWorkspacePath('api/docs/a.md', 'file', ['site', 'api']), {
        ok: true,
        value: { folder: 1, segments: ['docs', 'a.md'] },
      });
      assert.deepEqual(parseWorkspacePath('docs/a.md', 'file', ['site', 'api']), {
        ok: true,
        value: { folder: 0, segments: ['docs', 'a.md'] },
      });
    });
  });

  describe(GENERATE_IMAGE_TOOL, () => {
    it('keeps the generation fields, the path and where to insert', () => {
      const parsed = parseGenerateImageInput(
        {
          prompt: 'a lighthouse',
          model: 'seedream-4-0-250828',
          size: '1K',
          n: 2,
          path: 'docs/img/l.jpg',
          insertInto: { file: 'docs/a.md', line: 3 },
        },
        ONE_FOLDER,
      );
      assert.deepEqual(parsed, {
        ok: true,
        value: {
          generation: { prompt: 'a lighthouse', model: 'seedream-4-0-250828', size: '1K', n: 2 },
          path: { folder: 0, segments: ['docs', 'img', 'l.jpg'] },
          insertInto: { file: { folder: 0, segments: ['docs', 'a.md'] }, line: 3 },
        },
      });
    });

    it('refuses wrong types with the command argument checks, naming each field', () => {
      const text = message(parseGenerateImageInput({ prompt: 7, n: '2', size: 2048, model: null }, ONE_FOLDER));
      assert.match(text, /^Invalid input for seedream_generateImage: /);
      assert.match(text, /"prompt" must be a string/);
      assert.match(text, /"n" must be a number/);
      assert.match(text, /"size" must be a string/);
      assert.match(text, /"model" must be a string/);
    });

    it("leaves saying that nothing was sent to the tool's answer, which says it in every language (bug: whether a message said it was read from its English text)", () => {
      const text = message(parseGenerateImageInput({ prompt: 7 }, ONE_FOLDER));
      assert.match(text, /^Invalid input for seedream_generateImage: "prompt" must be a string\.$/);
    });

    it('takes references and maxImages as the command argument object does', () => {
      const references = ['docs/photo.png', 'file:///work/site/b.png', 'https://example.com/c.png', 'http://127.0.0.1:9000/d.png'];
      assert.deepEqual(parseGenerateImageInput({ prompt: 'a storyboard', references, maxImages: 3 }, ONE_FOLDER), {
        ok: true,
        value: { generation: { prompt: 'a storyboard', references, maxImages: 3 } },
      });
    });

    it('refuses references and maxImages of the wrong type', () => {
      for (const references of ['docs/photo.png', [3], [{ path: 'a.png' }], null]) {
        assert.match(
          message(parseGenerateImageInput({ prompt: 'a cat', references }, ONE_FOLDER)),
          /"references" must be a list of at most 64 strings/,
          JSON.stringify(references),
        );
      }
      for (const maxImages of ['3', true, [3]]) {
        assert.match(message(parseGenerateImageInput({ prompt: 'a cat', maxImages }, ONE_FOLDER)), /"maxImages" must be a number/);
      }
    });

    it('refuses a reference outside the workspace, a plain http: address and an empty name before any file is read', () => {
      const text = message(
        parseGenerateImageInput(
          { prompt: 'a cat', references: ['ok.png', '../outside.png', '/../up.png', 'http://example.com/a.png', ' '] },
          ONE_FOLDER,
        ),
      );
      assert.match(text, /The reference image \.\.\/outside\.png is outside the workspace/);
      assert.match(text, /The reference image \/\.\.\/up\.png is outside the workspace/);
      assert.match(
        text,
        /A reference image address must use https \(plain http is only allowed for localhost\); got http:\/\/example\.com/,
      );
      assert.match(text, /A reference image is an empty string/);
      assert.doesNotMatch(text, /ok\.png/);
    });

    it('leaves the rules of the model (set size, models without sets) to the one validator, with the settings filled in', () => {
      const parsed = parseGenerateImageInput({ prompt: 'a storyboard', maxImages: 16 }, ONE_FOLDER);
      assert.ok(parsed.ok);
      const input = { ...TEST_INPUT, ...parsed.value.generation, references: [] };
      const tooMany = validateGeneration(input);
      assert.ok(!tooMany.ok && tooMany.issues.some((issue) => /An image set has from 1 to 15 images/.test(issue.message)));
      const withN = validateGeneration({ ...input, maxImages: 3, n: 2 });
      assert.ok(!withN.ok && withN.issues.some((issue) => /the number of images must then stay 1 \(got 2\)/.test(issue.message)));
      const noSets = { ...MODELS[0]!, imageSets: false };
      assert.match(checkImageSet(noSets, 3, 1)!, /does not make image sets: choose another model/);
    });

    it('requires a prompt, and an object', () => {
      assert.match(message(parseGenerateImageInput({}, ONE_FOLDER)), /"prompt" is required/);
      for (const input of [undefined, null, 'a cat', ['a cat']]) {
        assert.match(
          message(parseGenerateImageInput(input, ONE_FOLDER)),
          /must be a JSON object with the fields prompt, model, size, n, references, maxImages, path, insertInto/,
        );
      }
    });

    it('refuses unknown fields, and says which command arguments come from the settings', () => {
      const text = message(parseGenerateImageInput({ prompt: 'a cat', colour: 'red', watermark: true, folder: '/x' }, ONE_FOLDER));
      assert.match(text, /unknown field "colour" \(known: prompt, model, size, n, references, maxImages, path, insertInto\)/);
      assert.match(text, /"watermark" is not taken here: it comes from the user's settings/);
      assert.match(text, /"folder" is not taken here/);
    });

    it('refuses a path or a document outside the workspace, and a bad line', () => {
      assert.match(message(parseGenerateImageInput({ prompt: 'a cat', path: '../../cat.png' }, ONE_FOLDER)), /"path" leads outside/);
      const text = message(parseGenerateImageInput({ prompt: 'a cat', insertInto: { file: '/etc/motd', line: 0, at: 'end' } }, ONE_FOLDER));
      assert.match(text, /"insertInto.file" must be relative/);
      assert.match(text, /"insertInto.line" must be a whole number from 1/);
      assert.match(text, /unknown field "insertInto.at"/);
      assert.match(
        message(parseGenerateImageInput({ prompt: 'a cat', insertInto: 'docs/a.md' }, ONE_FOLDER)),
        /"insertInto" must be an object/,
      );
      assert.match(
        message(parseGenerateImageInput({ prompt: 'a cat', insertInto: { file: 'a.md', line: 2.5 } }, ONE_FOLDER)),
        /"insertInto.line"/,
      );
    });
  });

  describe(FIND_MISSING_IMAGES_TOOL, () => {
    it('takes no input, or one file inside the workspace', () => {
      assert.deepEqual(parseFindMissingImagesInput({}, ONE_FOLDER), { ok: true, value: {} });
      assert.deepEqual(parseFindMissingImagesInput(undefined, ONE_FOLDER), { ok: true, value: {} });
      assert.deepEqual(parseFindMissingImagesInput({ file: 'docs/a.md' }, ONE_FOLDER), {
        ok: true,
        value: { file: { folder: 0, segments: ['docs', 'a.md'] } },
      });
      assert.match(message(parseFindMissingImagesInput({ file: '../a.md' }, ONE_FOLDER)), /leads outside/);
      assert.match(message(parseFindMissingImagesInput({ file: 3 }, ONE_FOLDER)), /"file" must be a path/);
      assert.match(message(parseFindMissingImagesInput({ folder: 'docs' }, ONE_FOLDER)), /unknown field "folder" \(known: file\)/);
    });
  });

  describe(GENERATE_MISSING_IMAGES_TOOL, () => {
    it('takes a file, targets, or both', () => {
      assert.deepEqual(parseGenerateMissingImagesInput({ targets: ['docs/images/a.png'] }, ONE_FOLDER), {
        ok: true,
        value: { targets: [{ folder: 0, segments: ['docs', 'images', 'a.png'] }] },
      });
      assert.equal(parseGenerateMissingImagesInput({ file: 'docs/a.md', targets: ['docs/a.png'] }, ONE_FOLDER).ok, true);
    });

    it('refuses no input, empty or mistyped targets, and targets outside the workspace', () => {
      assert.match(message(parseGenerateMissingImagesInput({}, ONE_FOLDER)), /give "file" .* or "targets"/);
      assert.match(message(parseGenerateMissingImagesInput({ targets: [] }, ONE_FOLDER)), /"targets" must be a non-empty list/);
      assert.match(message(parseGenerateMissingImagesInput({ targets: 'a.png' }, ONE_FOLDER)), /"targets" must be a non-empty list/);
      const text = message(parseGenerateMissingImagesInput({ targets: ['ok.png', 5, '/abs.png', '../up.png'] }, ONE_FOLDER));
      assert.match(text, /"targets\[1\]" must be a path/);
      assert.match(text, /"targets\[2\]" must be relative/);
      assert.match(text, /"targets\[3\]" leads outside/);
      assert.match(
        message(parseGenerateMissingImagesInput({ file: 'a.md', n: 2 }, ONE_FOLDER)),
        /unknown field "n" \(known: file, targets\)/,
      );
    });
  });

  describe('package.json', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: {
        languageModelTools: {
          name: string;
          inputSchema: { properties: Record<string, { enum?: string[] }>; additionalProperties: boolean };
        }[];
      };
    };
    const tools = manifest.contributes.languageModelTools;

    it('declares each tool with exactly the fields its input checks take, and no others', () => {
      assert.deepEqual(tools.map((tool) => tool.name).sort(), Object.keys(TOOL_FIELDS).sort());
      for (const tool of tools) {
        assert.deepEqual(Object.keys(tool.inputSchema.properties).sort(), [...TOOL_FIELDS[tool.name]].sort(), tool.name);
        assert.equal(tool.inputSchema.additionalProperties, false, tool.name);
      }
    });

    it('states the limits of the catalogue for n, references and maxImages', () => {
      const { properties } = tools.find((tool) => tool.name === GENERATE_IMAGE_TOOL)!.inputSchema as unknown as {
        properties: Record<string, { maximum?: number; maxItems?: number; description: string }>;
      };
      assert.equal(properties.n!.maximum, MAX_IMAGES_PER_RUN);
      assert.equal(properties.maxImages!.maximum, MAX_IMAGES_PER_SET);
      assert.equal(properties.references!.maxItems, MAX_REFERENCES.upstream);
      const rules = MODELS[0]!.references!;
      const described = properties.references!.description;
      for (const stated of [
        `At most ${MAX_REFERENCES.provider} through the default API provider (${MAX_REFERENCES.upstream} with`,
        `at most ${MAX_IMAGES_IN_AND_OUT}`,
        `at most ${rules.maxBytes / 1024 / 1024} MB`,
        `longer than ${rules.minSideExclusive} and at most ${rules.maxSide} pixels`,
        'billed',
      ]) {
        assert.ok(described.includes(stated), stated);
      }
      assert.ok(
        properties.maxImages!.description.includes(`(1-${MAX_IMAGES_PER_SET}; references plus maxImages at most ${MAX_IMAGES_IN_AND_OUT})`),
      );
    });

    it('offers the catalogue models', () => {
      const generate = tools.find((tool) => tool.name === GENERATE_IMAGE_TOOL)!;
      assert.deepEqual(
        generate.inputSchema.properties.model.enum,
        MODELS.map((model) => model.id),
      );
    });
  });
});
