import assert from 'node:assert/strict';
import { PendingRequests } from '../../../src/webview/requests';

describe('PendingRequests', () => {
  it('gives each request its own id and settles it with the reply that names it, in any order', async () => {
    const requests = new PendingRequests<string>();
    const first = requests.open();
    const second = requests.open();
    assert.notEqual(first.id, second.id);
    assert.equal(requests.settle(second.id, 'second'), true);
    assert.equal(requests.settle(first.id, 'first'), true);
    assert.deepEqual(await Promise.all([first.reply, second.reply]), ['first', 'second']);
  });

  it('drops a reply to no open request: an unknown id, or one already answered', async () => {
    const requests = new PendingRequests<string>();
    const { id, reply } = requests.open();
    assert.equal(requests.settle('r999', 'stray'), false);
    assert.equal(requests.settle(id, 'answer'), true);
    assert.equal(requests.settle(id, 'again'), false);
    assert.equal(await reply, 'answer');
  });
});
