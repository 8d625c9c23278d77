/**
 * Incremental Server-Sent Events parser. Lenient on purpose: published examples of this API spread one
 * JSON object over several lines without `data:` prefixes, and servers mix CRLF and LF.
 */

export interface ServerSentEvent {
  readonly event?: string;
  readonly data: string;
}

const FIELD_LINE = /^(event|data|id|retry):\s?(.*)$/;

export class SseParser {
  private buffer = '';
  private eventName: string | undefined;
  private dataLines: string[] = [];

  /** Feeds decoded text; returns the events it completes. */
  push(text: string): ServerSentEvent[] {
    this.buffer += text;
    const events: ServerSentEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      const event = this.acceptLine(line);
      if (event) {
        events.push(event);
      }
    }
    return events;
  }

  /** Ends the stream; returns an event left without its closing blank line. */
  end(): ServerSentEvent[] {
    const last = this.buffer.length > 0 ? this.acceptLine(this.buffer.replace(/\r$/, '')) : undefined;
    this.buffer = '';
    const pending = this.dispatch();
    return [last, pending].filter((event): event is ServerSentEvent => event !== undefined);
  }

  private acceptLine(line: string): ServerSentEvent | undefined {
    if (line === '') {
      return this.dispatch();
    }
    if (line.startsWith(':')) {
      return undefined; // comment / keep-alive
    }
    const field = FIELD_LINE.exec(line);
    if (!field) {
      this.dataLines.push(line); // continuation of a multi-line JSON payload
      return undefined;
    }
    const [, name, value] = field;
    if (name === 'event') {
      this.eventName = value.trim();
    } else if (name === 'data') {
      this.dataLines.push(value);
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    if (this.dataLines.length === 0) {
      this.eventName = undefined;
      return undefined;
    }
    const event: ServerSentEvent = {
      ...(this.eventName ? { event: this.eventName } : {}),
      data: this.dataLines.join('\n'),
    };
    this.eventName = undefined;
    this.dataLines = [];
    return event;
  }
}
