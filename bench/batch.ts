/**
 * Generate All Missing Images as the extension runs it, with the same core code and without VS Code: the
 * document is scanned for image links, every link whose file is missing is planned and validated before
 * anything is billed, then one generation per file runs, `concurrency` at a time, each n=1 into exactly
 * the file its link names (base name from the link, extension from the bytes) with its metadata embedded.
 */

import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { runBounded } from '../src/core/concurrency/boundedPool';
import { findImageLinks, localImagePath } from '../src/core/links';
import { metadataOf } from '../src/core/image/imageMetadata';
import { localFolderSink } from '../src/engine/localFolderSink';
import { planMissingImage } from '../src/core/links/missingImage';
import { candidateFileNames } from '../src/core/files/naming';
import { validateGeneration, type GenerationRequest } from '../src/core/model/validation';
import { BATCH_REQUEST, IMAGES } from './cases';
import { BENCH_GENERATOR, benchImageService } from './variants';

/** Recorded in every image's metadata, as the extension records its name and version. */

/** A Markdown document linking to `count` PNGs under `images/`, each with its prompt as alt text. */
export function markdownWithMissingImages(count: number, prompt: (index: number) => string): string {
  const sections = Array.from(
    { length: count },
    (_, index) => `## Figure ${index + 1}\n\n![${prompt(index)}](images/figure-${index + 1}.png)\n`,
  );
  return `# Missing images\n\n${sections.join('\n')}`;
}

/** One image to make: the file its links name and the request that makes it. */
interface MissingImage {
  readonly target: string;
  readonly request: GenerationRequest;
}

/**
 * Makes the missing images of the Markdown file `documentPath` (its text is `text`, as an open document
 * has it) and returns the files saved. Links starting with `/` are read from the document's folder, which
 * stands for the workspace folder. Throws when a link cannot be made as written or a generation fails.
 */
export async function generateAllMissingImages(
  documentPath: string,
  text: string,
  baseUrl: string,
  concurrency: number,
): Promise<string[]> {
  const folder = dirname(documentPath);
  const { model } = IMAGES[BATCH_REQUEST.tier];
  // Links naming the same file make one image, as in the extension.
  const links = new Map<string, string>();
  for (const reference of findImageLinks(text, 'markdown')) {
    const path = localImagePath(reference.path);
    if (path !== undefined) {
      const target = join(folder, path);
      links.set(target, links.get(target) ?? reference.prompt);
    }
  }
  const missing = await Promise.all([...links].map(async ([target, prompt]) => ((await exists(target)) ? undefined : { target, prompt })));
  // Every link is planned and validated first: a bad one is reported before anything is billed.
  const images = missing
    .filter((link) => link !== undefined)
    .map(({ target, prompt }): MissingImage => {
      const plan = planMissingImage(target, prompt, model);
      if (!plan.ok) {
        throw new Error(`${target}: ${plan.problem.message}`);
      }
      const validated = validateGeneration({
        prompt: plan.prompt,
        model: plan.model,
        size: BATCH_REQUEST.tier,
        n: 1,
        outputFormat: plan.outputFormat,
        responseFormat: BATCH_REQUEST.responseFormat,
        watermark: false,
        stream: false,
      });
      if (!validated.ok) {
        throw new Error(`${target}: ${validated.issues.map((issue) => issue.message).join(' ')}`);
      }
      return { target, request: validated.request };
    });
  const results = await runBounded(images, concurrency, makeImage(baseUrl), new AbortController().signal);
  const problems = results.flatMap((result, position) =>
    result.status === 'done' ? [] : [`${images[position].target}: ${result.status === 'failed' ? String(result.error) : 'not started'}`],
  );
  if (problems.length > 0) {
    throw new Error(`The batch failed: ${problems.join('; ')}`);
  }
  return results.flatMap((result) => (result.status === 'done' && result.value !== undefined ? [result.value] : []));
}

/** One run per image, as the extension's generator does it: its own service, closed after the run. */
function makeImage(baseUrl: string): (image: MissingImage) => Promise<string | undefined> {
  return async ({ target, request }) => {
    if (await exists(target)) {
      return undefined; // it appeared meanwhile
    }
    const name = basename(target);
    const dot = name.lastIndexOf('.');
    const baseName = dot > 0 ? name.slice(0, dot) : name;
    const service = benchImageService(baseUrl);
    try {
      const sink = localFolderSink(dirname(target), (_payload, info) => candidateFileNames(baseName, info.extension));
      const outcome = await service.generate(request, sink, new AbortController().signal, {
        provenance: metadataOf(request, new Date(), BENCH_GENERATOR),
      });
      const saved = outcome.saved[0];
      if (!saved) {
        throw new Error(
          `no image saved: ${outcome.failures.map((failure) => failure.message).join('; ') || outcome.interruption?.message || 'none returned'}`,
        );
      }
      return saved.path;
    } finally {
      await service.close();
    }
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
