import assert from 'node:assert/strict';
import { billChoiceKey, parseBillChoices, workspaceBillQuestion, type Bill } from '../../../../src/core/trust/workspaceBill';

const own: Bill = { n: 1, model: 'seedream-4-0-250828', size: '2K' };

describe('workspaceBill', () => {
  it('asks before a workspace bills 4 images at 4K per run (issue: settings that cost money are workspace-settable)', () => {
    assert.equal(
      workspaceBillQuestion(own, { n: 4, model: 'seedream-4-0-250828', size: '4K' }),
      "This workspace's settings ask for 4 images at 4K with Seedream 4.0 per run (your own settings: 1 at 2K). Generate?",
    );
  });

  it('counts an image set by its most images (bug: the question said 1 image for a set of up to 6)', () => {
    assert.equal(
      workspaceBillQuestion({ ...own, maxImages: 6 }, { n: 1, maxImages: 6, model: 'seedream-4-0-250828', size: '4K' }),
      "This workspace's settings ask for 6 images at 4K with Seedream 4.0 per run (your own settings: 6 at 2K). Generate?",
    );
  });

  it('names the user model when the workspace picks another one', () => {
    assert.equal(
      workspaceBillQuestion({ n: 1, model: 'seedream-5-0-260128', size: '2K' }, { n: 1, model: 'seedream-4-5-251128', size: '2K' }),
      "This workspace's settings ask for 1 image at 2K with Seedream 4.5 per run (your own settings: 1 at 2K with Seedream 5.0). Generate?",
    );
  });

  it('asks when only the size differs, also towards a smaller one', () => {
    assert.ok(workspaceBillQuestion(own, { ...own, size: '1K' }));
    assert.ok(workspaceBillQuestion(own, { ...own, size: '2560x1440' }));
  });

  it('does not ask when the workspace asks for nothing more', () => {
    assert.equal(workspaceBillQuestion(own, own), undefined);
    assert.equal(workspaceBillQuestion({ ...own, n: 3 }, { ...own, n: 2 }), undefined, 'fewer images cost less');
    assert.equal(
      workspaceBillQuestion({ ...own, size: '2560x1440' }, { ...own, size: ' 2560 X 1440 ' }),
      undefined,
      'the same size written otherwise',
    );
    assert.equal(workspaceBillQuestion({ ...own, size: '2k' }, own), undefined);
  });

  it('shows an unknown model by its id', () => {
    assert.match(workspaceBillQuestion(own, { ...own, model: 'seedream-9' }) ?? '', /with seedream-9 per run/);
  });

  it('keeps one answer per distinct set of values', () => {
    assert.equal(billChoiceKey({ n: 4, model: 'm', size: '4k' }), billChoiceKey({ n: 4, model: 'm', size: ' 4K' }));
    assert.notEqual(billChoiceKey({ n: 4, model: 'm', size: '4K' }), billChoiceKey({ n: 3, model: 'm', size: '4K' }));
    assert.notEqual(billChoiceKey({ n: 4, model: 'm', size: '4K' }), billChoiceKey({ n: 4, model: 'o', size: '4K' }));
  });

  it('reads back only well-formed answers', () => {
    assert.deepEqual(parseBillChoices(undefined), {});
    assert.deepEqual(parseBillChoices('workspace'), {});
    assert.deepEqual(parseBillChoices({ a: 'workspace', b: 'own', c: 'yes', d: 1 }), { a: 'workspace', b: 'own' });
  });
});
