/**
 * Messages to the host that expect a reply, matched to it by id as microsoft/vscode-hexeditor's
 * MessageHandler matches `messageId` and `inReplyTo`: each request gets a new id, the host echoes it in its
 * reply, and the reply settles that request's promise. A reply to no open request is dropped.
 */
export class PendingRequests<Reply> {
  private counter = 0;
  private readonly waiting = new Map<string, (reply: Reply) => void>();

  /** A new request's id, to send with it, and its reply once it comes. */
  open(): { readonly id: string; readonly reply: Promise<Reply> } {
    const id = `r${++this.counter}`;
    const reply = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
    return { id, reply };
  }

  /** Hands `reply` to the request it answers; false when no open request has that id. */
  settle(inReplyTo: string, reply: Reply): boolean {
    const resolve = this.waiting.get(inReplyTo);
    this.waiting.delete(inReplyTo);
    resolve?.(reply);
    return resolve !== undefined;
  }
}
