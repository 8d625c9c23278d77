import assert from 'node:assert/strict';
import { SseParser } from '../../../src/core/sse';

describe('SseParser', () => {
  it('splits events across arbitrary chunk boundaries and CRLF', () => {
    const text = 'event: a\r\ndata: {"x":1}\r\n\r\nevent: b\ndata: {"y":2}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut += 7) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
      assert.deepEqual(events, [
        { event: 'a', data: '{"x":1}' },
        { event: 'b', data: '{"y":2}' },
        { data: '[DONE]' },
      ]);
    }
  });

  it('joins a JSON object spread over data-less continuation lines', () => {
    const parser = new SseParser();
    const events = parser.push('event: image_generation.completed\ndata: {\n  "type": "image_generation.completed",\n  "usage": {}\n}\n\n');
    assert.equal(events.length, 1);
    assert.deepEqual(JSON.parse(events[0].data), { type: 'image_generation.completed', usage: {} });
  });

  it('ignores comments and keeps an unterminated last event', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push(': keep-alive\n\ndata: {"a":1}'), []);
    assert.deepEqual(parser.end(), [{ data: '{"a":1}' }]);
  });
});
