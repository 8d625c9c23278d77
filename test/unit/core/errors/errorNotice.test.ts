import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { errorNotice, retryMayBillLabel } from '../../../../src/core/errors/errorNotice';
import { mayHaveBilledNote } from '../../../../src/core/errors/errors';

const MAY_HAVE_BILLED_NOTE = mayHaveBilledNote();
const RETRY_MAY_BILL_LABEL = retryMayBillLabel();

const labels = (notice: ReturnType<typeof errorNotice>): string[] => notice.buttons.map((button) => button.label);

describe('errorNotice', () => {
  it('offers the error action, then Show Log, and leaves the message as it is', () => {
    const notice = errorNotice('The API key was rejected.', { action: 'setApiKey' }, true);
    assert.equal(notice.message, 'The API key was rejected.');
    assert.deepEqual(notice.buttons, [
      { label: 'Set API Key', action: 'setApiKey' },
      { label: 'Show Log', action: 'showLog' },
    ]);
  });

  it('offers Retry only when the caller can rerun the request', () => {
    assert.deepEqual(labels(errorNotice('Rate limited.', { action: 'retry' }, true)), ['Retry', 'Show Log']);
    assert.deepEqual(labels(errorNotice('Rate limited.', { action: 'retry' }, false)), ['Show Log']);
  });

  it('shows Show Log once when it is the error action', () => {
    assert.deepEqual(labels(errorNotice('No image was saved.', { action: 'showLog' }, true)), ['Show Log']);
  });

  it('a retry that may bill twice says so on its button and in the message (issue: retries that may bill twice)', () => {
    const notice = errorNotice('The API had a server error (HTTP 504).', { action: 'retry', mayHaveBilled: true }, true);
    assert.equal(notice.message, `The API had a server error (HTTP 504). ${MAY_HAVE_BILLED_NOTE}`);
    assert.deepEqual(notice.buttons, [
      { label: RETRY_MAY_BILL_LABEL, action: 'retry' },
      { label: 'Show Log', action: 'showLog' },
    ]);
  });

  it('an error that may have billed offers the billing retry beside its own fix', () => {
    const notice = errorNotice('api did not answer within 120 s.', { action: 'openSettings', mayHaveBilled: true }, true);
    assert.deepEqual(labels(notice), ['Open Settings', RETRY_MAY_BILL_LABEL, 'Show Log']);
    assert.ok(notice.message.endsWith(MAY_HAVE_BILLED_NOTE));
  });

  it('an error that may have billed still warns when nothing can be retried', () => {
    const notice = errorNotice('The connection failed.', { action: 'retry', mayHaveBilled: true }, false);
    assert.deepEqual(labels(notice), ['Show Log']);
    assert.ok(notice.message.endsWith(MAY_HAVE_BILLED_NOTE));
  });

  it('says the caution once when the message carries it already', () => {
    const message = `The API had a server error (HTTP 500). ${MAY_HAVE_BILLED_NOTE}`;
    assert.equal(errorNotice(message, { action: 'retry', mayHaveBilled: true }, true).message, message);
  });

  it('says the caution once in another display language too (bug: the check looked for the English word "billed")', () => {
    const caution = '图片可能仍已生成并计费。';
    l10n.config({ contents: { [MAY_HAVE_BILLED_NOTE]: caution, 'Try Again (may bill again)': '重试（可能再次计费）' } });
    try {
      const message = `服务器出错（HTTP 500）。${mayHaveBilledNote()}`;
      const notice = errorNotice(message, { action: 'retry', mayHaveBilled: true }, true);
      assert.equal(notice.message, message);
      assert.equal(notice.message.split(caution).length, 2);
      assert.equal(notice.buttons[0]?.label, '重试（可能再次计费）');
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
