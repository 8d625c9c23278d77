import assert from 'node:assert/strict';
import { MAX_REFERENCES, MODELS, type ModelInfo } from '../../../src/core/model/catalog';
import type { FormReference, ReferenceFileView } from '../../../src/shared/protocol';
import {
  droppedUris,
  pathsToInspect,
  referenceCount,
  referenceImages,
  referenceIssues,
  referenceName,
  referencesFull,
  withoutReference,
  withReferenceMoved,
  withReferencesAdded,
} from '../../../src/webview/referencesModel';

const photo: FormReference = { path: 'docs/images/photo.png' };
const logo: FormReference = { path: 'logo.jpg' };
const web: FormReference = { url: 'https://example.com/assets/palette.png' };

const photoFile: ReferenceFileView = {
  path: 'docs/images/photo.png',
  src: 'https://file+.vscode-resource/photo.png',
  byteLength: 2_000_000,
  format: 'png',
  width: 1600,
  height: 900,
};

const PROVIDER = 'https://api.apiyi.com/v1';
const ELSEWHERE = 'http://127.0.0.1:8080/v1';

describe('webview references model', () => {
  describe('editing the list', () => {
    it('appends new references and keeps each once, where it already was', () => {
      assert.deepEqual(withReferencesAdded([photo], [logo, photo, web, logo]), [photo, logo, web]);
      assert.deepEqual(withReferencesAdded([], [{ path: 'a.png' }, { url: 'a.png' }]), [{ path: 'a.png' }, { url: 'a.png' }]);
    });

    it('removes by position', () => {
      assert.deepEqual(withoutReference([photo, logo, web], 1), [photo, web]);
      assert.deepEqual(withoutReference([photo], 5), [photo]);
    });

    it('moves one place earlier or later, and not past either end', () => {
      assert.deepEqual(withReferenceMoved([photo, logo, web], 2, -1), [photo, web, logo]);
      assert.deepEqual(withReferenceMoved([photo, logo, web], 0, 1), [logo, photo, web]);
      assert.deepEqual(withReferenceMoved([photo, logo, web], 0, -1), [photo, logo, web]);
      assert.deepEqual(withReferenceMoved([photo, logo, web], 2, 1), [photo, logo, web]);
      assert.deepEqual(withReferenceMoved([photo, logo], 7, -1), [photo, logo]);
    });
  });

  describe('what the host is asked', () => {
    it('asks once about each workspace file it knows nothing of, never about addresses', () => {
      const files = new Map([[photoFile.path, photoFile]]);
      assert.deepEqual(pathsToInspect([photo, logo, web, logo], files, new Set()), ['logo.jpg']);
      assert.deepEqual(pathsToInspect([photo, logo], files, new Set(['logo.jpg'])), []);
    });
  });

  describe('validation with the core rules', () => {
    it('hands validation the facts the host read from each header', () => {
      const files = new Map([[photoFile.path, photoFile]]);
      assert.deepEqual(referenceImages([photo, web], files), [
        {
          kind: 'file',
          path: 'docs/images/photo.png',
          name: 'docs/images/photo.png',
          byteLength: 2_000_000,
          format: 'png',
          width: 1600,
          height: 900,
        },
        { kind: 'url', url: 'https://example.com/assets/palette.png' },
      ]);
    });

    it("keeps a file that is still being read out of the messages, and says why a file can't be used", () => {
      const gone: ReferenceFileView = { path: 'logo.jpg', problem: 'The reference image logo.jpg does not exist.' };
      const issues = [
        { field: 'references' as const, message: 'logo.jpg is not an image seedream-4-0 reads', index: 1 },
        { field: 'references' as const, message: 'about the pending one', index: 0 },
        { field: 'prompt' as const, message: 'The prompt is empty' },
      ];
      assert.deepEqual(referenceIssues(issues, [photo, logo], new Map([[gone.path, gone]])), [
        { field: 'references', message: 'The reference image logo.jpg does not exist.', index: 1 },
        { field: 'prompt', message: 'The prompt is empty' },
      ]);
    });
  });

  describe('the count against the bound', () => {
    it("counts against the provider's bound at its address, the upstream's elsewhere", () => {
      const model = MODELS[0];
      assert.equal(referenceCount(model, 2, PROVIDER), `2 of ${MAX_REFERENCES.provider}`);
      assert.equal(referenceCount(model, 0, ELSEWHERE), `0 of ${MAX_REFERENCES.upstream}`);
      assert.equal(referencesFull(model, MAX_REFERENCES.provider - 1, PROVIDER), false);
      assert.equal(referencesFull(model, MAX_REFERENCES.provider, PROVIDER), true);
      assert.equal(referencesFull(model, MAX_REFERENCES.provider, ELSEWHERE), false);
    });

    it('says so for a model that takes no references, and takes none more', () => {
      const { references: _references, ...withoutReferences } = MODELS[0]!;
      const textOnly: ModelInfo = { ...withoutReferences, label: 'Text Only' };
      assert.equal(referenceCount(textOnly, 0, PROVIDER), 'Text Only takes none');
      assert.equal(referencesFull(textOnly, 0, PROVIDER), true);
    });
  });

  describe('names', () => {
    it('labels a file by its name and an address by its host and last part', () => {
      assert.equal(referenceName(photo), 'photo.png');
      assert.equal(referenceName(web), 'example.com/…/palette.png');
      assert.equal(referenceName({ url: 'https://example.com/' }), 'example.com');
      assert.equal(referenceName({ url: 'https://example.com/a%20b.png' }), 'example.com/…/a b.png');
      assert.equal(referenceName({ url: 'not an address' }), 'not an address');
    });
  });

  describe('drops from the Explorer', () => {
    const transfer =
      (data: Record<string, string>) =>
      (type: string): string =>
        data[type] ?? '';

    it('reads a text/uri-list, skipping comments and blank lines', () => {
      const list = '# dragged\r\nfile:///ws/docs/a.png\r\n\r\nvscode-remote://host/ws/b.png\n';
      assert.deepEqual(droppedUris(transfer({ 'text/uri-list': list })), ['file:///ws/docs/a.png', 'vscode-remote://host/ws/b.png']);
    });

    it("falls back to the workbench's own list, and ignores anything else", () => {
      assert.deepEqual(droppedUris(transfer({ ResourceURLs: '["file:///ws/a.png", 3, ""]' })), ['file:///ws/a.png']);
      assert.deepEqual(droppedUris(transfer({ ResourceURLs: '{not json' })), []);
      assert.deepEqual(droppedUris(transfer({ ResourceURLs: '{"a":1}' })), []);
      assert.deepEqual(droppedUris(transfer({ 'text/plain': 'file:///ws/a.png' })), []);
    });
  });
});
