import assert from 'node:assert/strict';
import { errorFromStatus } from '../../../src/engine/apiResponse';

describe('apiResponse', () => {
  it('maps statuses to messages that say what to do', () => {
    const cases: [number, unknown, RegExp, string][] = [
      [401, { error: { code: 'AuthenticationError', message: 'bad key' } }, /API key was rejected.*Seedream: Set API Key/, 'auth'],
      [403, { error: { code: 'AccountOverdueError', message: 'overdue' } }, /out of credit.*Top up/, 'outOfCredit'],
      [403, { error: { code: 'AccessDenied', message: 'no' } }, /Access denied/, 'forbidden'],
      [404, { error: { code: 'InvalidEndpoint.NotFound', message: 'nope' } }, /seedream\.baseUrl/, 'notFound'],
      [
        400,
        { error: { code: 'InvalidParameter', message: 'size is invalid', param: 'size' } },
        /size is invalid \[parameter: size\]\. Change "size"/,
        'badRequest',
      ],
      [
        400,
        { error: { code: 'InputTextSensitiveContentDetected', message: 'sensitive' } },
        /content filter refused.*Rephrase/,
        'contentFilter',
      ],
      [429, { error: { code: 'RateLimitExceeded.EndpointRPMExceeded', message: 'rpm' } }, /rate limiting/, 'rateLimited'],
      [
        500,
        { error: { code: 'InternalServiceError', message: 'oops' } },
        /server error.*may have been made and billed.*before you try again/,
        'server',
      ],
    ];
    for (const [status, body, message, kind] of cases) {
      const error = errorFromStatus(status, JSON.stringify(body));
      assert.match(error.message, message, `${status}`);
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
    }
    assert.equal(errorFromStatus(401, '{}').action, 'setApiKey');
    assert.equal(errorFromStatus(429, '{"error":{"code":"x"}}', 7).details.retryAfterSeconds, 7);
  });

  it('describes an HTML gateway page and an empty body, with the status', () => {
    const html = errorFromStatus(502, '<html><body>Bad Gateway</body></html>');
    assert.equal(html.kind, 'unexpectedResponse');
    assert.match(html.message, /HTTP 502, an HTML page instead of JSON.*may have been made and billed/);
    assert.ok(!html.details.retryable);
    assert.ok(html.details.mayHaveBilled);
    assert.match(errorFromStatus(418, '').message, /HTTP 418, an empty body/);
  });

  it('retries by itself only a server error that cannot have billed (a 504 may come after the images were made)', () => {
    for (const status of [500, 502, 504]) {
      const error = errorFromStatus(status, JSON.stringify({ error: { code: 'GatewayTimeout', message: 'upstream' } }));
      assert.equal(error.details.retryable, undefined, `${status} is not retried`);
      assert.equal(error.details.mayHaveBilled, true, `${status} may have billed`);
      assert.equal(error.action, 'retry', `${status} offers Try Again`);
    }
    const unavailable = errorFromStatus(503, JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'busy' } }), 2);
    assert.equal(unavailable.details.retryable, true);
    assert.equal(unavailable.details.mayHaveBilled, undefined);
    assert.match(unavailable.message, /Try again in a moment/);
    assert.equal(
      errorFromStatus(503, JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'busy' } })).details.mayHaveBilled,
      true,
    );
  });

  it('keeps server text on one bounded line', () => {
    const error = errorFromStatus(
      400,
      JSON.stringify({ error: { code: 'InvalidParameter', message: `line\u0000one\n${'x'.repeat(1000)}` } }),
    );
    assert.ok(!/[\u0000\n]/.test(error.message));
    assert.ok(error.message.length < 450);
  });
});
