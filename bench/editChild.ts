/**
 * One measured run of the edit case, in a fresh process: a tiny text-only request first (module loading
 * and JIT warm-up), then the edit. Prints the measurement as one JSON line.
 */

import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import OpenAI from 'openai';
import { localFolderSink } from '../src/engine/localFolderSink';
import { editRequest, type EditTask, type EditVariant } from './edit';
import { measure } from './memory';
import { benchImageService } from './variants';

const RUNS: Readonly<Record<EditVariant, (task: EditTask, references: EditTask['references']) => Promise<void>>> = {
  async ours(task, references) {
    const service = benchImageService(task.baseUrl);
    try {
      // The server answers with no image: nothing reaches the sink.
      const sink = localFolderSink('/nonexistent', () => []);
      await service.generate(editRequest(references), sink, new AbortController().signal);
    } finally {
      await service.close();
    }
  },

  async floor(task, references) {
    const url = new URL(`${task.baseUrl}/images/generations`);
    // Without references (the warm-up) a small body of its own.
    const small = references.length === 0 ? Buffer.from(JSON.stringify({ model: 'warm-up', prompt: 'x' })) : undefined;
    const length = small ? small.length : statSync(task.bodyFile).size;
    await new Promise<void>((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(length), authorization: 'Bearer sk-bench' },
        },
        (response) => {
          response.resume();
          response.on('end', resolve).on('error', reject);
        },
      );
      outgoing.on('error', reject);
      if (small) {
        outgoing.end(small);
      } else {
        pipeline(createReadStream(task.bodyFile), outgoing).catch(reject);
      }
    });
  },

  async sdk(task, references) {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: task.baseUrl, maxRetries: 0 });
    const image = await Promise.all(
      references.map(async (reference) => `data:image/${reference.format};base64,${(await readFile(reference.path)).toString('base64')}`),
    );
    const generation = editRequest(references);
    // The provider's fields beyond OpenAI's own go in as they are; the SDK sends them along.
    await client.images.generate({
      model: generation.model.id,
      prompt: generation.prompt,
      size: generation.size,
      n: 1,
      response_format: 'url',
      watermark: false,
      output_format: 'png',
      sequential_image_generation: 'disabled',
      image,
    } as unknown as OpenAI.Images.ImageGenerateParamsNonStreaming);
  },
};

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2]) as EditTask;
  const run = RUNS[task.variant];
  // The warm-up: the same way of sending, without references.
  await run(task, []);
  const measurement = await measure(() => run(task, task.references));
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
