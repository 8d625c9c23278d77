import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { errorButtons, retryMayBillLabel } from '../../../../src/core/errors/errorButtons';

const RETRY_MAY_BILL_LABEL = retryMayBillLabel();

const labels = (buttons: ReturnType<typeof errorButtons>): string[] => buttons.map((button) => button.label);

describe('errorButtons', () => {
  it('offers the error action, then Show Log', () => {
    assert.deepEqual(errorButtons({ action: 'setApiKey' }, true), [
      { label: 'Set API Key', action: 'setApiKey' },
      { label: 'Show Log', action: 'showLog' },
    ]);
  });

  it('offers Retry only when the caller can rerun the request', () => {
    assert.deepEqual(labels(errorButtons({ action: 'retry' }, true)), ['Retry', 'Show Log']);
    assert.deepEqual(labels(errorButtons({ action: 'retry' }, false)), ['Show Log']);
  });

  it('shows Show Log once when it is the error action', () => {
    assert.deepEqual(labels(errorButtons({ action: 'showLog' }, true)), ['Show Log']);
  });

  it('a retry that may bill twice says so on its button (issue: retries that may bill twice)', () => {
    assert.deepEqual(errorButtons({ action: 'retry', mayHaveBilled: true }, true), [
      { label: RETRY_MAY_BILL_LABEL, action: 'retry' },
      { label: 'Show Log', action: 'showLog' },
    ]);
  });

  it('an error that may have billed offers the billing retry beside its own fix', () => {
    assert.deepEqual(labels(errorButtons({ action: 'openSettings', mayHaveBilled: true }, true)), [
      'Open Settings',
      RETRY_MAY_BILL_LABEL,
      'Show Log',
    ]);
  });

  it('offers no retry when nothing can be retried, also after a failure that may have billed', () => {
    assert.deepEqual(labels(errorButtons({ action: 'retry', mayHaveBilled: true }, false)), ['Show Log']);
  });

  it('labels the buttons in the display language', () => {
    l10n.config({ contents: { 'Try Again (may bill again)': '重试（可能再次计费）' } });
    try {
      assert.equal(errorButtons({ action: 'retry', mayHaveBilled: true }, true)[0]?.label, '重试（可能再次计费）');
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
