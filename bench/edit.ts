/**
 * The edit case of `npm run bench`: one request with 10 reference images of about 9.5 MB each (a 127 MB
 * JSON body once they are base64), sent to a local server that reads the body and answers at once with no
 * image, so the time is the time to the request fully sent. Three ways, each in a fresh process:
 *
 * - ours: `ImageService` with the streamed body encoder, as the extension runs it;
 * - floor: the same body bytes, already on disk, streamed with plain `node:http`;
 * - sdk: what one would write with the `openai` package: each file read, made a `data:` URL, and
 *   `images.generate` with them in `image`.
 */

import { execFile } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { validateGeneration, type GenerationRequest } from '../src/core/model/validation';
import type { WorkspaceReference } from '../src/core/model/references';
import { requestBody } from '../src/engine/requestBody';
import { makePng } from '../test/support/images';
import type { Measurement } from './cases';
import { CACHE_DIR } from './fixtures';
import { median } from './report';

export const EDIT_VARIANTS = ['ours', 'floor', 'sdk'] as const;
export type EditVariant = (typeof EDIT_VARIANTS)[number];

/** What a child process is told to do. */
export interface EditTask {
  readonly variant: EditVariant;
  readonly baseUrl: string;
  readonly references: readonly WorkspaceReference[];
  /** The body ours sends, on disk, for the floor. */
  readonly bodyFile: string;
}

export interface EditResult {
  readonly name: string;
  readonly bodyBytes: number;
  readonly ms: Readonly<Record<EditVariant, number>>;
  /** CPU time of the process (user + system), medians. */
  readonly cpuMs: Readonly<Record<EditVariant, number>>;
  readonly mb: Readonly<Record<EditVariant, number>>;
}

const REFERENCES = 10;
const MB = 1024 * 1024;
/** 1820x1820 RGB noise: about 9.5 MB as PNG, under the 10 MB a reference may have. */
const SIDE = 1820;
const PROMPT = 'the ten photos as one collage, in a grid';

export function editRequest(references: readonly WorkspaceReference[]): GenerationRequest {
  const validated = validateGeneration({
    prompt: PROMPT,
    model: 'seedream-5-0-260128',
    size: '2K',
    n: 1,
    outputFormat: 'png',
    responseFormat: 'url',
    watermark: false,
    stream: false,
    references,
  });
  if (!validated.ok) {
    throw new Error(validated.issues.map((issue) => issue.message).join(' '));
  }
  return validated.request;
}

/** The reference files, made once and cached. */
function referenceFiles(): WorkspaceReference[] {
  const folder = join(CACHE_DIR, 'references');
  mkdirSync(folder, { recursive: true });
  return Array.from({ length: REFERENCES }, (_, index) => {
    const path = join(folder, `photo-${index + 1}-${SIDE}.png`);
    let byteLength: number;
    try {
      byteLength = statSync(path).size;
    } catch {
      const bytes = makePng({ width: SIDE, height: SIDE, noise: true, seed: 100 + index });
      writeFileSync(path, bytes);
      byteLength = bytes.length;
    }
    return { kind: 'file', path, name: `photos/photo-${index + 1}.png`, byteLength, format: 'png', width: SIDE, height: SIDE };
  });
}

/** Reads each request body to its end (keeping nothing) and answers with an empty list of images. */
async function startServer(): Promise<{ server: Server; baseUrl: string; received: number[] }> {
  const received: number[] = [];
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push(bytes);
      const body = JSON.stringify({ model: 'seedream-5-0-260128', created: 0, data: [], usage: { generated_images: 0 } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
    });
  });
  // A connection left open by the warm-up outlives the run's seconds of preparing the SDK's request: a
  // client that reuses it must not meet the server closing it as it writes (EPIPE).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, received };
}

export async function measureEdit(runs: number, probesDir: string): Promise<EditResult> {
  const references = referenceFiles();
  const bodyFile = join(CACHE_DIR, 'edit-body.json');
  const body = requestBody(editRequest(references));
  await pipeline(body.open(), createWriteStream(bodyFile));
  const { server, baseUrl, received } = await startServer();
  const measured: Record<EditVariant, Measurement[]> = { ours: [], floor: [], sdk: [] };
  try {
    for (let round = 0; round < runs; round++) {
      for (const variant of EDIT_VARIANTS.map((_, i) => EDIT_VARIANTS[(round + i) % EDIT_VARIANTS.length])) {
        const task: EditTask = { variant, baseUrl, references, bodyFile };
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ['--expose-gc', join(probesDir, 'editChild.js'), JSON.stringify(task)],
          {
            maxBuffer: 1024 * 1024,
          },
        );
        measured[variant].push(JSON.parse(stdout) as Measurement);
        const sent = received.at(-1) ?? 0;
        // The SDK writes the same fields in its own order and spacing; ours and the floor send the same bytes.
        if (variant === 'sdk' ? Math.abs(sent - body.length) > 4096 : sent !== body.length) {
          throw new Error(`${variant}: the server received ${sent} bytes, expected ${body.length}`);
        }
      }
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const of = (pick: (entry: Measurement) => number) =>
    Object.fromEntries(EDIT_VARIANTS.map((variant) => [variant, median(measured[variant].map(pick))])) as Record<EditVariant, number>;
  return {
    name: `Edit, ${REFERENCES} references of ${(references[0].byteLength / MB).toFixed(1)} MB (body ${(body.length / MB).toFixed(0)} MB)`,
    bodyBytes: body.length,
    ms: of((entry) => entry.ms),
    cpuMs: of((entry) => entry.cpuMs),
    mb: of((entry) => entry.rssGrowthBytes / MB),
  };
}

export function editLines(result: EditResult): string[] {
  const { ms, cpuMs: cpu, mb } = result;
  return [
    `| Case | Ours ms | Floor ms | SDK ms | Time ours/floor | Time ours/SDK | Ours CPU ms | Floor CPU ms | SDK CPU ms | CPU ours/floor | Ours MB | Floor MB | SDK MB |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
    `| ${result.name} | ${ms.ours.toFixed(0)} | ${ms.floor.toFixed(0)} | ${ms.sdk.toFixed(0)} | ${(ms.ours / ms.floor).toFixed(2)} | ${(ms.ours / ms.sdk).toFixed(2)} | ${cpu.ours.toFixed(0)} | ${cpu.floor.toFixed(0)} | ${cpu.sdk.toFixed(0)} | ${(cpu.ours / cpu.floor).toFixed(2)} | ${mb.ours.toFixed(1)} | ${mb.floor.toFixed(1)} | ${mb.sdk.toFixed(1)} |`,
  ];
}

export function editTargets(result: EditResult): { target: string; measured: string; met: boolean }[] {
  const { ms, mb } = result;
  return [
    {
      target: 'Edit with 10 references: peak RSS growth at most 48 MB',
      measured: `${mb.ours.toFixed(1)} MB (the SDK's way: ${mb.sdk.toFixed(1)} MB)`,
      met: mb.ours <= 48,
    },
    {
      target: 'Edit with 10 references: time to the request fully sent at most 1.15 x a plain streamed upload of the same bytes',
      measured: `${ms.ours.toFixed(0)} ms against ${ms.floor.toFixed(0)} ms (${(ms.ours / ms.floor).toFixed(2)} x; CPU ${result.cpuMs.ours.toFixed(0)} ms against ${result.cpuMs.floor.toFixed(0)} ms, ${(result.cpuMs.ours / result.cpuMs.floor).toFixed(2)} x)`,
      met: ms.ours <= 1.15 * ms.floor,
    },
  ];
}
