import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { mayHaveBilledNote, redactError, SeedreamError } from '../../../../src/core/errors/errors';

const MAY_HAVE_BILLED_NOTE = mayHaveBilledNote();

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('SeedreamError: the billing note has one owner', () => {
  it('an error that may have billed says so in its own message, read by every front end (the Studio showed no note)', () => {
    const error = new SeedreamError('timeout', 'The API did not answer within 120 s.', { mayHaveBilled: true });
    assert.equal(error.message, `The API did not answer within 120 s. ${MAY_HAVE_BILLED_NOTE}`);
    assert.equal(error.summary, 'The API did not answer within 120 s.');
  });

  it('says it even when the server text already speaks of billing (the host left the note out then)', () => {
    const error = new SeedreamError('server', 'The API had a server error (HTTP 500): "billed request failed".', { mayHaveBilled: true });
    assert.equal(occurrences(error.message, MAY_HAVE_BILLED_NOTE), 1);
  });

  it('says nothing of billing for an error that cannot have billed', () => {
    assert.equal(
      new SeedreamError('rateLimited', 'The API is rate limiting requests.', { retryable: true }).message,
      'The API is rate limiting requests.',
    );
  });

  it('keeps the note once in a copy with the key taken out', () => {
    const key = 'sk-0123456789';
    const redacted = redactError(new SeedreamError('server', `echoed ${key}`, { mayHaveBilled: true }), key) as SeedreamError;
    assert.equal(redacted.message, `echoed [redacted] ${MAY_HAVE_BILLED_NOTE}`);
  });

  it('says it once in another display language too', () => {
    const caution = '图片可能仍已生成并计费。';
    l10n.config({ contents: { [MAY_HAVE_BILLED_NOTE]: caution } });
    try {
      const error = new SeedreamError('server', '服务器出错（HTTP 500）。', { mayHaveBilled: true });
      assert.equal(error.message, `服务器出错（HTTP 500）。 ${caution}`);
      const redacted = redactError(
        new SeedreamError('server', 'x sk-0123456789', { mayHaveBilled: true }),
        'sk-0123456789',
      ) as SeedreamError;
      assert.equal(occurrences(redacted.message, caution), 1);
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
