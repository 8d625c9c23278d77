/**
 * A local stand-in for the images API and for the object storage that serves its signed links: two
 * listeners on 127.0.0.1 (two origins), every request recorded, and scripted faults queued per request.
 * Used by the unit tests, the real VS Code suites and the benchmark.
 */

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeJpeg, makePng, type TestImageOptions } from './images';

export interface RecordedRequest {
  readonly host: 'api' | 'files';
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly json?: Record<string, unknown>;
  /** The request's `image` entries, in order: inline ones decoded (format, bytes, sha256), addresses as sent. */
  readonly references?: readonly RecordedReference[];
}

export type RecordedReference =
  | { readonly kind: 'inline'; readonly format: string; readonly byteLength: number; readonly sha256: string }
  | { readonly kind: 'url'; readonly url: string };

export interface ItemError {
  readonly code: string;
  readonly message: string;
}

/** How the API answers the next request (queued, first in first out; the default honours the request). */
export type ApiBehavior =
  | {
      readonly kind: 'images';
      readonly count?: number;
      readonly failIndexes?: Readonly<Record<number, ItemError>>;
      readonly format?: 'png' | 'jpeg';
      readonly sizeLabel?: string;
    }
  | {
      readonly kind: 'stream';
      /** How many images the stream makes; by default as many as asked (`n`, or an image set's `max_images`). */
      readonly count?: number;
      readonly stopAfter?: number;
      readonly failIndexes?: Readonly<Record<number, ItemError>>;
      readonly fatalAt?: number;
      /** Sends a `partial_image` preview of every image first (as the request's response_format asks), then waits this long before the images. */
      readonly previewsFor?: number;
    }
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'resetMidBody' }
  | { readonly kind: 'truncatedJson' }
  /** A stream that sends its first image, then an image event whose line never ends, until the client hangs up. */
  | { readonly kind: 'streamLineWithoutEnd' }
  /** The usual JSON answer, after a key the client does not know holding a string of `bytes` characters. */
  | { readonly kind: 'imagesAfterLargeUnknownKey'; readonly bytes: number }
  | { readonly kind: 'rawJson'; readonly body: unknown }
  | { readonly kind: 'hang' }
  /** The usual JSON answer, a few bytes at a time with a pause between: never silent for long, never done. */
  | { readonly kind: 'trickle'; readonly bytesPerTick: number; readonly tickMs: number }
  /** A stream that sends its first image, then an `error` event with this message. */
  | { readonly kind: 'streamError'; readonly message: string };

/** How the file host answers the next download. */
export type FileBehavior =
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly contentType?: string }
  | { readonly kind: 'html' }
  | { readonly kind: 'notImage' }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'resetMidBody' }
  | { readonly kind: 'oversize'; readonly bytes: number }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Sends the first bytes, then waits for {@link FakeApiServer.releaseHeldDownloads}. */
  | { readonly kind: 'held' }
  /**
   * Sends the first bytes, then one more every `tickMs` (never silent for long, never done) until
   * {@link FakeApiServer.resetDownloads} cuts the connection.
   */
  | { readonly kind: 'trickleUntilReset'; readonly tickMs: number };

export interface FakeApiOptions {
  /** The key the API accepts; any other Authorization answers 401. */
  readonly apiKey?: string;
  /** Delay before each API answer. */
  readonly latencyMs?: number;
  /** Size of the images served. */
  readonly image?: Omit<TestImageOptions, 'seed'>;
  /** Pauses this long after each chunk of a request body it reads, as a slow uplink would. */
  readonly readPauseMs?: number;
}

export const TEST_API_KEY = 'sk-test-0123456789abcdef';
/** A streamed preview of image i is image PREVIEW_IMAGES + i, so that it differs from the final one. */
export const PREVIEW_IMAGES = 100;

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly apiQueue: ApiBehavior[] = [];
  private readonly fileQueue: FileBehavior[] = [];
  private readonly imageCache = new Map<string, Buffer>();
  private readonly hanging = new Set<ServerResponse>();
  private heldDownloads: (() => void)[] = [];
  private readonly trickling = new Set<ServerResponse>();
  /** Slow or held downloads whose connection the client closed before the last byte. */
  abandonedDownloads = 0;
  private apiPort = 0;
  private filesPort = 0;

  private constructor(
    private readonly options: FakeApiOptions,
    private readonly apiServer: Server,
    private readonly filesServer: Server,
  ) {}

  static async start(options: FakeApiOptions = {}): Promise<FakeApiServer> {
    let instance: FakeApiServer | undefined;
    const api = createServer((req, res) => void instance!.handle('api', req, res));
    const files = createServer((req, res) => void instance!.handle('files', req, res));
    instance = new FakeApiServer(options, api, files);
    instance.apiPort = await listen(api);
    instance.filesPort = await listen(files);
    return instance;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.apiPort}/v1`;
  }

  get filesOrigin(): string {
    return `http://127.0.0.1:${this.filesPort}`;
  }

  get apiRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.host === 'api');
  }

  /** API requests still waiting for an answer (scripted to hang). */
  get openRequests(): number {
    return this.hanging.size;
  }

  get downloadRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.host === 'files');
  }

  enqueue(...behaviors: ApiBehavior[]): this {
    this.apiQueue.push(...behaviors);
    return this;
  }

  enqueueDownload(...behaviors: FileBehavior[]): this {
    this.fileQueue.push(...behaviors);
    return this;
  }

  /** The bytes served for an image, to compare with what was saved. */
  imageBytes(format: 'png' | 'jpeg', index: number): Buffer {
    const key = `${format}-${index}`;
    let bytes = this.imageCache.get(key);
    if (!bytes) {
      const image = { width: 64, height: 48, ...this.options.image, seed: index + 1 };
      bytes = format === 'png' ? makePng(image) : makeJpeg(image);
      this.imageCache.set(key, bytes);
    }
    return bytes;
  }

  /** Lets every download held by a `held` behavior finish. */
  releaseHeldDownloads(): void {
    this.heldDownloads.splice(0).forEach((release) => release());
  }

  /** Cuts the connection of every download still trickling (a `trickleUntilReset` behavior), as a reset host would. */
  resetDownloads(): void {
    for (const response of this.trickling) {
      response.destroy();
    }
  }

  reset(): void {
    this.requests.length = 0;
    this.apiQueue.length = 0;
    this.fileQueue.length = 0;
    this.abandonedDownloads = 0;
    this.releaseHeldDownloads();
  }

  async close(): Promise<void> {
    this.releaseHeldDownloads();
    this.resetDownloads();
    for (const response of this.hanging) {
      response.destroy();
    }
    await Promise.all(
      [this.apiServer, this.filesServer].map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }

  private async handle(host: 'api' | 'files', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, this.options.readPauseMs ?? 0);
    let json: Record<string, unknown> | undefined;
    try {
      json = body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    const references = json && 'image' in json ? decodeReferences(json.image) : undefined;
    this.requests.push({
      host,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      ...(json ? { json } : {}),
      ...(references ? { references } : {}),
    });
    if (host === 'files') {
      return this.serveFile(req, res);
    }
    if (this.options.latencyMs) {
      await delay(this.options.latencyMs);
    }
    if (req.method !== 'POST' || !/\/v1\/images\/generations$/.test(req.url ?? '')) {
      return sendJson(res, 404, { error: { code: 'InvalidEndpoint.NotFound', message: `No route ${req.method} ${req.url}` } });
    }
    const key = this.options.apiKey ?? TEST_API_KEY;
    if (req.headers.authorization !== `Bearer ${key}`) {
      return sendJson(res, 401, {
        error: { code: 'AuthenticationError', message: 'The API key in the request is missing or invalid.', type: 'Unauthorized' },
      });
    }
    const request = json ?? {};
    const behavior = this.apiQueue.shift() ?? (request.stream ? { kind: 'stream' } : { kind: 'images' });
    return this.answer(behavior, request, res);
  }

  private async answer(behavior: ApiBehavior, request: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const options = request.sequential_image_generation_options as { max_images?: unknown } | undefined;
    // An image set asks for up to max_images; the model decides how many it makes (here: all, unless told fewer).
    const asked =
      request.sequential_image_generation === 'auto' && typeof options?.max_images === 'number' ? options.max_images : request.n;
    const n = typeof asked === 'number' ? asked : 1;
    const format = request.output_format === 'png' ? 'png' : 'jpeg';
    const asB64 = request.response_format === 'b64_json';
    const item = (
      index: number,
      failIndexes?: Readonly<Record<number, ItemError>>,
      itemFormat: 'png' | 'jpeg' = format,
    ): Record<string, unknown> => {
      const failure = failIndexes?.[index];
      if (failure) {
        return { error: failure };
      }
      return asB64
        ? { b64_json: this.imageBytes(itemFormat, index).toString('base64'), size: '2048x2048' }
        : {
            url: `${this.filesOrigin}/files/${itemFormat}/${index}.${itemFormat === 'png' ? 'png' : 'jpeg'}?X-Signature=s3cr3t-signature`,
            size: '2048x2048',
          };
    };
    switch (behavior.kind) {
      case 'images': {
        const count = behavior.count ?? n;
        const data = Array.from({ length: count }, (_, index) => item(index, behavior.failIndexes, behavior.format));
        return sendJson(res, 200, {
          model: request.model,
          created: Math.floor(Date.now() / 1000),
          data,
          usage: { generated_images: data.filter((entry) => !entry.error).length, output_tokens: 16384, total_tokens: 16384 },
        });
      }
      case 'stream': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        if (behavior.previewsFor !== undefined) {
          const type = 'image_generation.partial_image';
          for (let index = 0; index < n; index++) {
            res.write(
              sseEvent(type, { type, model: request.model, created: 1757396757, image_index: index, ...item(PREVIEW_IMAGES + index) }),
            );
          }
          await delay(behavior.previewsFor);
        }
        const events: string[] = [];
        const count = behavior.count ?? n;
        for (let index = 0; index < count; index++) {
          if (behavior.stopAfter !== undefined && index >= behavior.stopAfter) {
            res.end(events.join(''));
            return;
          }
          const entry = item(index, behavior.failIndexes);
          const type = entry.error ? 'image_generation.partial_failed' : 'image_generation.partial_succeeded';
          events.push(sseEvent(type, { type, model: request.model, created: 1757396757, image_index: index, ...entry }));
          if (behavior.fatalAt === index) {
            const error = { code: 'InternalServiceError', message: 'internal error' };
            events.push(
              sseEvent('image_generation.partial_failed', { type: 'image_generation.partial_failed', image_index: index + 1, error }),
            );
            break;
          }
        }
        events.push(
          sseEvent('image_generation.completed', {
            type: 'image_generation.completed',
            usage: { generated_images: count, output_tokens: 1, total_tokens: 1 },
          }),
        );
        events.push('data: [DONE]\n\n');
        res.end(events.join(''));
        return;
      }
      case 'status': {
        const body = behavior.body === undefined ? '' : typeof behavior.body === 'string' ? behavior.body : JSON.stringify(behavior.body);
        const type = typeof behavior.body === 'string' ? 'text/html; charset=utf-8' : 'application/json';
        res.writeHead(behavior.status, { 'content-type': type, ...behavior.headers });
        res.end(body);
        return;
      }
      case 'resetMidBody':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        res.write('{"model":"x","data":[{"url":"');
        setTimeout(() => res.destroy(), 20);
        return;
      case 'truncatedJson':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"model":"x","data":[{"url":"http://127.0.0.1/a.png"');
        return;
      case 'streamLineWithoutEnd': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const type = 'image_generation.partial_succeeded';
        res.write(sseEvent(type, { type, image_index: 0, ...item(0) }));
        res.write(`event: ${type}\ndata: {"type":"${type}","image_index":1,"b64_json":"`);
        const filler = Buffer.alloc(64 * 1024, 'A');
        while (!res.destroyed) {
          if (!res.write(filler)) {
            await drainedOrClosed(res);
          }
        }
        return;
      }
      case 'imagesAfterLargeUnknownKey': {
        const data = Array.from({ length: n }, (_, index) => item(index));
        return sendJson(res, 200, {
          model: request.model,
          debug_trace: 'x'.repeat(behavior.bytes),
          data,
          usage: { generated_images: n, output_tokens: 1, total_tokens: 1 },
        });
      }
      case 'rawJson':
        return sendJson(res, 200, behavior.body);
      case 'hang':
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'trickle': {
        const text = Buffer.from(JSON.stringify({ model: request.model, data: Array.from({ length: n }, (_, index) => item(index)) }));
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let offset = 0; offset < text.length && !res.destroyed; offset += behavior.bytesPerTick) {
          res.write(text.subarray(offset, offset + behavior.bytesPerTick));
          await delay(behavior.tickMs);
        }
        res.end();
        return;
      }
      case 'streamError': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const type = 'image_generation.partial_succeeded';
        res.write(sseEvent(type, { type, image_index: 0, ...item(0) }));
        res.end(sseEvent('error', { type: 'error', error: { code: 'InternalServiceError', message: behavior.message } }));
        return;
      }
    }
  }

  private async serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/files\/(png|jpeg)\/(\d+)\./.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end('not found');
      return;
    }
    const bytes = this.imageBytes(match[1] as 'png' | 'jpeg', Number(match[2]));
    const type = match[1] === 'png' ? 'image/png' : 'image/jpeg';
    const behavior = this.fileQueue.shift();
    switch (behavior?.kind) {
      case undefined:
        res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
        res.end(bytes);
        return;
      case 'status':
        res.writeHead(behavior.status, { 'content-type': behavior.contentType ?? 'application/xml' });
        res.end(behavior.body ?? '<Error><Code>AccessDenied</Code></Error>');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body>Login required</body></html>');
        return;
      case 'notImage':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end('<!doctype html><html><body>not an image</body></html>');
        return;
      case 'truncated':
        res.writeHead(200, { 'content-type': type });
        res.end(bytes.subarray(0, Math.floor(bytes.length / 2)));
        return;
      case 'resetMidBody':
        res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        setTimeout(() => res.destroy(), 20);
        return;
      case 'oversize':
        res.writeHead(200, { 'content-type': type });
        res.write(bytes);
        res.end(Buffer.alloc(behavior.bytes));
        return;
      case 'redirect':
        res.writeHead(302, { location: behavior.location });
        res.end();
        return;
      case 'slow':
      case 'held':
        res.on('close', () => {
          if (!res.writableFinished) {
            this.abandonedDownloads++;
          }
        });
        res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, 16));
        await (behavior.kind === 'slow' ? delay(behavior.delayMs) : new Promise<void>((resolve) => this.heldDownloads.push(resolve)));
        res.end(bytes.subarray(16));
        return;
      case 'trickleUntilReset':
        this.trickling.add(res);
        res.on('close', () => this.trickling.delete(res));
        res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, 16));
        // One byte a tick, the last never: the body stays unfinished until the reset.
        for (let sent = 16; !res.destroyed && sent < bytes.length - 1; sent++) {
          await delay(behavior.tickMs);
          res.write(bytes.subarray(sent, sent + 1));
        }
        return;
    }
  }
}

/** The `image` field as the API reads it: one string or a list, each a `data:image/<format>;base64,` URL or an address. */
function decodeReferences(image: unknown): RecordedReference[] {
  const entries = Array.isArray(image) ? image : [image];
  return entries.map((entry): RecordedReference => {
    const text = String(entry);
    const inline = /^data:image\/([a-z]+);base64,/.exec(text);
    if (!inline) {
      return { kind: 'url', url: text };
    }
    const bytes = Buffer.from(text.slice(inline[0].length), 'base64');
    return { kind: 'inline', format: inline[1], byteLength: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

function sseEvent(type: string, payload: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function readBody(req: IncomingMessage, pauseMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (pauseMs > 0) {
        req.pause();
        setTimeout(() => req.resume(), pauseMs);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
