import assert from 'node:assert/strict';
import { errorNotice, MAY_HAVE_BILLED_NOTE, RETRY_MAY_BILL_LABEL } from '../../../../src/core/errors/errorNotice';

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
    const message = 'The API had a server error (HTTP 500). The images may have been made and billed all the same.';
    assert.equal(errorNotice(message, { action: 'retry', mayHaveBilled: true }, true).message, message);
  });
});
