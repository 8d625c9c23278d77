/**
 * The images API and its file host, played from memory on 127.0.0.1 with no added latency unless asked
 * (the batch case: the API takes a while to generate, the file host does not): every answer is encoded
 * once (images, and JSON or Server-Sent Events with their base64) and then sent as one buffer.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IMAGES, imageUrl, WARM_UP_PROMPT, type BenchCase, type Tier } from './cases';

export interface ServerOptions {
  /** How long each generation request waits before it is answered. 0 by default. */
  readonly latencyMs?: number;
  /** How long each image download waits before it is answered. 0 by default. */
  readonly firstByteMs?: number;
}

interface ServedImage {
  readonly name: Tier | 'warm-up';
  readonly bytes: Buffer;
  readonly type: string;
  readonly size: string;
}

export class BenchServer {
  private readonly answers = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    private readonly images: ReadonlyMap<string, ServedImage>,
    private readonly latencyMs: number,
    private readonly firstByteMs: number,
  ) {}

  /** Every answer the cases need is encoded before the first request, so no run pays for it. */
  static async start(
    images: Readonly<Record<Tier, Buffer>>,
    warmUp: Buffer,
    cases: readonly Pick<BenchCase, 'tier' | 'n' | 'responseFormat' | 'stream'>[],
    { latencyMs = 0, firstByteMs = 0 }: ServerOptions = {},
  ): Promise<BenchServer> {
    const served = new Map<string, ServedImage>(
      (Object.keys(images) as Tier[]).map((tier) => {
        const { format, width, height } = IMAGES[tier];
        return [tier, { name: tier, bytes: images[tier], type: `image/${format}`, size: `${width}x${height}` }];
      }),
    );
    served.set('warm-up', { name: 'warm-up', bytes: warmUp, type: 'image/png', size: '64x48' });
    let instance: BenchServer | undefined;
    const server = createServer((request, response) => instance!.handle(request, response));
    instance = new BenchServer(server, served, latencyMs, firstByteMs);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    for (const { tier, n, responseFormat, stream = false } of cases) {
      instance.answer(served.get(tier)!, n, responseFormat === 'b64_json', stream);
      instance.answer(served.get('warm-up')!, 1, responseFormat === 'b64_json', stream);
    }
    return instance;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const file = /^\/files\/([^/]+)\/\d+\./.exec(request.url ?? '');
    const image = file ? this.images.get(file[1]) : undefined;
    if (request.method === 'GET' && image) {
      later(this.firstByteMs, () => send(response, image.type, image.bytes));
      return;
    }
    if (request.method !== 'POST' || request.url !== '/v1/images/generations') {
      response.writeHead(404).end();
      return;
    }
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as {
        prompt: string;
        size: Tier;
        n?: number;
        response_format?: string;
        stream?: boolean;
      };
      const answered = this.images.get(body.prompt === WARM_UP_PROMPT ? 'warm-up' : body.size);
      if (!answered) {
        response.writeHead(400).end();
        return;
      }
      const stream = body.stream === true;
      const answer = this.answer(answered, body.n ?? 1, body.response_format === 'b64_json', stream);
      later(this.latencyMs, () => (stream ? sendEvents(response, answer) : send(response, 'application/json', answer)));
    });
  }

  /** The JSON the API would send, or with `stream` its events: one per image, then the usage, then `[DONE]`. */
  private answer(image: ServedImage, n: number, inline: boolean, stream: boolean): Buffer {
    const key = `${image.name} ${n} ${inline} ${stream}`;
    let answer = this.answers.get(key);
    if (!answer) {
      const base64 = inline ? image.bytes.toString('base64') : '';
      const items = Array.from({ length: n }, (_, index) =>
        inline
          ? `"b64_json":"${base64}","size":"${image.size}"`
          : `"url":${JSON.stringify(imageUrl(this.origin, image.name, index))},"size":"${image.size}"`,
      );
      const usage = `"usage":{"generated_images":${n},"output_tokens":16384,"total_tokens":16384}`;
      answer = Buffer.from(
        stream
          ? [
              ...items.map((item, index) =>
                event('image_generation.partial_succeeded', `"model":"bench","created":1757323456,"image_index":${index},${item}`),
              ),
              event('image_generation.completed', `"model":"bench","created":1757323460,${usage}`),
              'data: [DONE]\n\n',
            ].join('')
          : `{"model":"bench","created":1757323456,"data":[${items.map((item) => `{${item}}`).join(',')}],${usage}}`,
      );
      this.answers.set(key, answer);
    }
    return answer;
  }
}

/** One Server-Sent Event whose JSON carries its type and `fields` (JSON members, without braces). */
function event(type: string, fields: string): string {
  return `event: ${type}\ndata: {"type":"${type}",${fields}}\n\n`;
}

function later(ms: number, answer: () => void): void {
  if (ms > 0) {
    setTimeout(answer, ms);
  } else {
    answer();
  }
}

function send(response: ServerResponse, type: string, bytes: Buffer): void {
  response.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
  response.end(bytes);
}

/** An event stream has no length up front: it goes out chunked, as the provider sends it. */
function sendEvents(response: ServerResponse, events: Buffer): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(events);
  response.end();
}
