/**
 * The one host-side generation path, shared by the commands and the Image Studio: settings and inputs
 * are checked, the key is fetched, the output folder resolved, then the core pipeline runs under a
 * cancellable progress notification.
 */

import * as vscode from 'vscode';
import { onAbort } from '../core/concurrency/abort';
import { runCostItem } from '../core/cost/pricing';
import { billedRun, type BilledRun } from '../core/cost/spending';
import { SeedreamError } from '../core/errors/errors';
import { metadataOf } from '../core/image/imageMetadata';
import { candidateFileNames } from '../core/files/naming';
import type { GenerationOutcome, GenerationProgress, ImageSink, PreviewDependencies } from '../engine/pipeline';
import { randomId } from '../core/files/random';
import { validateGeneration, type GenerationInput, type GenerationRequest } from '../core/model/validation';
import { readCostSettings, readNetworkSettings, readSettings, SECTION, type Settings } from './config';
import { agreeToCost } from './cost';
import { loadEngine } from './engineLoader';
import { workspaceImageSink, type NameCandidates, type SavedImage } from './imageFiles';
import { log } from './log';
import { rememberOutputFolder } from './leftovers';
import { chooseLocation } from './outputLocation';
import type { ApiKeyStore } from './secrets';

export interface GenerationPlan {
  readonly input: GenerationInput;
  /** The document the images are for: the output folder and links are relative to it. */
  readonly document?: vscode.TextDocument | undefined;
  /** Overrides `seedream.outputFolder`. */
  readonly folder?: string | undefined;
  /** The exact file to write (the target of a link), instead of the output folder and file name settings. */
  readonly target?: vscode.Uri;
}

export interface GenerationResult {
  readonly request: GenerationRequest;
  readonly folder: vscode.Uri;
  readonly outcome: GenerationOutcome<SavedImage>;
}

export interface RunOptions {
  /** When given, the caller shows progress (the Studio); otherwise a notification does. */
  readonly onProgress?: (progress: GenerationProgress) => void;
  /** Each image as soon as it is saved, for a front end that shows it before the run ends. */
  readonly onSaved?: (image: SavedImage) => void;
  /** Each streamed preview of image `index` (0-based), saved in the preview folder until the run ends. */
  readonly onPreview?: (index: number, preview: SavedImage) => void;
  readonly signal?: AbortSignal;
  /** The caller already asked about the cost of the whole batch this run belongs to (`seedream.confirmAbove`). */
  readonly costAgreed?: boolean;
}

/** A run that saved at least one image, whichever front end started it (the Studio's history keeps them). */
export interface GenerationRecord {
  readonly input: GenerationInput;
  readonly result: GenerationResult;
  readonly date: Date;
  /** What made the images, as their metadata records it. */
  readonly generator: string;
  /** What the run was billed, priced at the prices in force when it ran. */
  readonly billed: BilledRun;
}

/** Settings merged with what a front end chose for this run. */
export function generationInput(settings: Settings, overrides: Partial<GenerationInput> & { prompt: string }): GenerationInput {
  return {
    model: settings.model,
    size: settings.size,
    n: settings.n,
    outputFormat: settings.outputFormat,
    responseFormat: settings.responseFormat,
    watermark: settings.watermark,
    stream: settings.stream,
    ...withoutUndefined(overrides),
    prompt: overrides.prompt,
  };
}

export interface GeneratorServices {
  readonly keys: ApiKeyStore;
  readonly userAgent: string;
  /** Where the folders written to are remembered, for the leftover cleanup at the next start. */
  readonly state: vscode.Memento;
  /** Where images go that the output folder refused, in the extension's global storage. */
  readonly rescueFolder: vscode.Uri;
  /** Where streamed previews are kept while their run lasts, in the extension's global storage. */
  readonly previewFolder: vscode.Uri;
  /** Recorded in every image's metadata, e.g. `Seedream Studio 0.1.0`. */
  readonly generatorName: string;
}

export class ImageGenerator implements vscode.Disposable {
  private readonly generated = new vscode.EventEmitter<GenerationRecord>();
  private readonly running = new Set<AbortController>();
  readonly onDidGenerate = this.generated.event;

  constructor(private readonly services: GeneratorServices) {}

  /** Front ends that show previews read them from here. */
  get previewFolder(): vscode.Uri {
    return this.services.previewFolder;
  }

  dispose(): void {
    this.running.forEach((controller) => controller.abort());
    this.generated.dispose();
  }

  /** Runs one generation; undefined when the user backed out (no key entered, save dialog closed, cost not confirmed). */
  async run(plan: GenerationPlan, options: RunOptions = {}): Promise<GenerationResult | undefined> {
    const scope = plan.document?.uri;
    const settings = readSettings(scope);
    const request = checkedRequest(plan.input, settings.baseUrl);
    const started = new Date();
    const location = await chooseLocation(plan, settings, request, started);
    if (!location) {
      return undefined;
    }
    const { pricing } = readCostSettings(scope);
    // A set is asked about for the most images it may make (and bill).
    if (!options.costAgreed && !(await agreeToCost(scope, [runCostItem(request.model.id, request)]))) {
      return undefined;
    }
    const apiKey = await this.services.keys.keyFor(settings.baseUrl);
    if (!apiKey) {
      return undefined;
    }

    const { ImageService } = loadEngine();
    const service = new ImageService({
      baseUrl: settings.baseUrl,
      apiKey,
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      maxRetries: settings.maxRetries,
      userAgent: this.services.userAgent,
      maxDownloadBytes: settings.maxDownloadMB * 1024 * 1024,
      network: readNetworkSettings(),
      log,
    });
    const names: NameCandidates = (payload, info) => candidateFileNames(location.baseName(payload.index + 1), info.extension);
    const sink = reportingSaves(workspaceImageSink(location.folder, names), options.onSaved);
    // A billed image the folder refuses (disk full, read-only) is kept here; the user can move it later.
    const rescueSink = workspaceImageSink(this.services.rescueFolder, names);
    await rememberOutputFolder(this.services.state, location.folder);
    const provenance = metadataOf(request, started, this.services.generatorName);
    const previews = previewsFor(this.services.previewFolder, options.onPreview);
    const clock = Date.now();
    // Shutting VS Code down aborts the run, so its temporary files are removed before the host exits.
    const controller = new AbortController();
    // Also a cancel pressed while the location or the key was asked for: nothing is sent then.
    const stopForwarding = options.signal ? onAbort(options.signal, () => controller.abort()) : () => undefined;
    this.running.add(controller);
    try {
      const outcome = options.onProgress
        ? await service.generate(request, sink, controller.signal, {
            onProgress: options.onProgress,
            rescueSink,
            provenance,
            previews,
          })
        : await withProgressNotification(request, controller, (onProgress) =>
            service.generate(request, sink, controller.signal, { onProgress, rescueSink, provenance }),
          );
      const billed = billedRun(request.model.id, outcome.usage?.generatedImages, outcome.receivedImages, pricing);
      logOutcome(outcome, Date.now() - clock, billed);
      const result: GenerationResult = { request, folder: location.folder, outcome };
      for (const image of outcome.rescued) {
        log.warn(
          `Image ${image.index + 1} could not be saved in ${location.folder.toString(true)} (${image.reason}); it is kept at ${image.saved.uri.toString(true)}`,
        );
      }
      // A billed run counts toward the workspace's total even when none of its images could be saved.
      if (outcome.saved.length > 0 || billed.images > 0) {
        this.generated.fire({ input: plan.input, result, date: started, generator: this.services.generatorName, billed });
      }
      return result;
    } finally {
      stopForwarding();
      this.running.delete(controller);
      await Promise.all([service.close(), previews?.removeAll()]);
    }
  }
}

/** The request `input` makes, or the error that names what to fix (and the setting where it is). */
export function checkedRequest(input: GenerationInput, baseUrl: string): GenerationRequest {
  const validated = validateGeneration(input, { baseUrl });
  if (!validated.ok) {
    const { field } = validated.issues[0];
    // References and image sets are chosen per run, not in the settings.
    const setting =
      field === 'references' || field === 'maxImages' ? {} : { action: 'openSettings' as const, setting: `${SECTION}.${field}` };
    throw new SeedreamError('invalidInput', validated.issues.map((issue) => issue.message).join(' '), setting);
  }
  return validated.request;
}

/** The preview sink of a run whose front end shows previews, and the removal of its files once it ends. */
function previewsFor(
  folder: vscode.Uri,
  onPreview: RunOptions['onPreview'],
): (PreviewDependencies<SavedImage> & { readonly removeAll: () => Promise<void> }) | undefined {
  if (!onPreview) {
    return undefined;
  }
  const run = randomId();
  const saved: vscode.Uri[] = [];
  return {
    sink: workspaceImageSink(folder, (payload, info) => candidateFileNames(`preview-${run}-${payload.index + 1}`, info.extension)),
    onSaved: (index, preview) => {
      saved.push(preview.uri);
      onPreview(index, preview);
    },
    removeAll: async () => {
      await Promise.all(saved.map((uri) => vscode.workspace.fs.delete(uri).then(undefined, () => undefined)));
    },
  };
}

function reportingSaves(sink: ImageSink<SavedImage>, onSaved: RunOptions['onSaved']): ImageSink<SavedImage> {
  if (!onSaved) {
    return sink;
  }
  return {
    async save(payload, signal) {
      const saved = await sink.save(payload, signal);
      onSaved(saved);
      return saved;
    },
  };
}

function withProgressNotification<T>(
  request: GenerationRequest,
  controller: AbortController,
  task: (onProgress: (progress: GenerationProgress) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Seedream', cancellable: true },
    (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return task((step) =>
        progress.report({
          message: describeProgress(step, request),
          ...(step.stage === 'saved' ? { increment: 100 / step.total } : {}),
        }),
      );
    },
  );
}

export function describeProgress(step: GenerationProgress, request: GenerationRequest): string {
  switch (step.stage) {
    case 'requesting':
      if (request.maxImages !== undefined) {
        return vscode.l10n.t('Generating a set of up to {0} images with {1} ({2})…', request.maxImages, request.model.label, request.size);
      }
      return request.n === 1
        ? vscode.l10n.t('Generating an image with {0} ({1})…', request.model.label, request.size)
        : vscode.l10n.t('Generating {0} images with {1} ({2})…', request.n, request.model.label, request.size);
    case 'receiving':
      return vscode.l10n.t('Downloading image {0} of {1}…', step.index, step.total);
    case 'saved':
      return vscode.l10n.t('Saved {0} of {1}…', step.done, step.total);
  }
}

function logOutcome(outcome: GenerationOutcome<SavedImage>, elapsedMs: number, billed: BilledRun): void {
  log.info(
    `Saved ${outcome.saved.length} of ${outcome.requested} image(s) in ${elapsedMs} ms: ${outcome.saved.map((image) => image.uri.toString(true)).join(', ')}`,
  );
  const cost = billed.cost ? `, ${billed.cost.amount} ${billed.cost.currency}` : ', at unknown prices';
  log.info(`Billed ${billed.images} image(s)${billed.reported ? '' : ' (counted: the API reported no usage)'}${cost}`);
  for (const failure of outcome.failures) {
    log.warn(`Image ${failure.index + 1} failed: ${failure.message}`);
    if (failure.remoteUrl) {
      // The signed link lets the user fetch a billed image by hand while it lives.
      log.warn(`Image ${failure.index + 1} can still be downloaded for 24 hours from ${failure.remoteUrl}`);
    }
  }
  if (outcome.unasked.length > 0) {
    const links = outcome.unasked.map((image) => image.remoteUrl).filter(Boolean);
    log.warn(
      `The API sent ${outcome.unasked.length} image(s) more than the ${outcome.requested} asked for; they were not saved.${links.length > 0 ? ` Their links: ${links.join(', ')}` : ''}`,
    );
  }
  if (outcome.interruption) {
    log.warn(`The run stopped early: ${outcome.interruption.message}`);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
