/**
 * The one host-side generation path, shared by the commands and the Image Studio: settings and inputs
 * are checked, the key is fetched, the output folder resolved, then the core pipeline runs under a
 * cancellable progress notification.
 */

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { SeedreamError } from '../core/errors';
import { buildFileName, candidateFileNames } from '../core/naming';
import { resolveOutputFolder } from '../core/outputFolder';
import type { GenerationOutcome, GenerationProgress, ImageSink } from '../core/pipeline';
import { validateGeneration, type GenerationInput, type GenerationRequest } from '../core/validation';
import { readNetworkSettings, readSettings, SECTION, type Settings } from './config';
import { loadEngine } from './engineLoader';
import { workspaceImageSink, type SavedImage } from './imageFiles';
import { log } from './log';
import type { ApiKeyStore } from './secrets';

export interface GenerationPlan {
  readonly input: GenerationInput;
  /** The document the images are for: the output folder and links are relative to it. */
  readonly document?: vscode.TextDocument;
  /** Overrides `seedream.outputFolder`. */
  readonly folder?: string;
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
  readonly signal?: AbortSignal;
}

/** A run that saved at least one image, whichever front end started it (the Studio's history keeps them). */
export interface GenerationRecord {
  readonly input: GenerationInput;
  readonly result: GenerationResult;
  readonly date: Date;
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

export class ImageGenerator implements vscode.Disposable {
  private readonly generated = new vscode.EventEmitter<GenerationRecord>();
  readonly onDidGenerate = this.generated.event;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly userAgent: string,
  ) {}

  dispose(): void {
    this.generated.dispose();
  }

  /** Runs one generation; undefined when the user backed out (no key entered, save dialog closed). */
  async run(plan: GenerationPlan, options: RunOptions = {}): Promise<GenerationResult | undefined> {
    const settings = readSettings(plan.document?.uri);
    const validated = validateGeneration(plan.input);
    if (!validated.ok) {
      throw new SeedreamError('invalidInput', validated.issues.map((issue) => issue.message).join(' '), {
        action: 'openSettings',
        setting: `${SECTION}.${validated.issues[0].field}`,
      });
    }
    const { request } = validated;
    const started = new Date();
    const location = await chooseLocation(plan, settings, request, started);
    if (!location) {
      return undefined;
    }
    const apiKey = (await this.keys.get()) ?? (await this.keys.prompt('No API key is set yet.'));
    if (!apiKey) {
      return undefined;
    }

    const { ImageService, DEFAULT_MAX_DOWNLOAD_BYTES } = loadEngine();
    const service = new ImageService({
      baseUrl: settings.baseUrl,
      apiKey,
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      maxRetries: settings.maxRetries,
      userAgent: this.userAgent,
      maxDownloadBytes: DEFAULT_MAX_DOWNLOAD_BYTES,
      network: readNetworkSettings(),
      log,
    });
    const sink = reportingSaves(
      workspaceImageSink(location.folder, (payload, info) => candidateFileNames(location.baseName(payload.index + 1), info.extension)),
      options.onSaved,
    );
    const clock = Date.now();
    try {
      const outcome = options.onProgress
        ? await service.generate(request, sink, options.signal ?? new AbortController().signal, { onProgress: options.onProgress })
        : await withProgressNotification(request, (signal, onProgress) => service.generate(request, sink, signal, { onProgress }));
      logOutcome(outcome, Date.now() - clock);
      const result: GenerationResult = { request, folder: location.folder, outcome };
      if (outcome.saved.length > 0) {
        this.generated.fire({ input: plan.input, result, date: started });
      }
      return result;
    } finally {
      await service.close();
    }
  }
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

interface OutputLocation {
  readonly folder: vscode.Uri;
  /** The file name (without extension) for the image at a 1-based index. */
  readonly baseName: (index: number) => string;
}

async function chooseLocation(plan: GenerationPlan, settings: Settings, request: GenerationRequest, date: Date): Promise<OutputLocation | undefined> {
  const document = plan.document && !plan.document.isUntitled ? plan.document : undefined;
  const workspaceFolder = (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const nameFor = (index: number, pattern: string): string =>
    buildFileName(pattern, {
      prompt: request.prompt,
      date,
      index,
      count: request.n,
      model: request.model.id,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(document ? { documentBaseName: baseNameOf(document.uri) } : {}),
    });
  // A bad pattern is reported now, before a billed request.
  try {
    nameFor(1, settings.fileName);
  } catch (error) {
    throw new SeedreamError('invalidInput', (error as Error).message, { action: 'openSettings', setting: `${SECTION}.fileName` });
  }

  if (!workspaceFolder) {
    return askForLocation(request, nameFor(1, settings.fileName));
  }
  // A document outside every workspace folder gets its images beside it.
  const insideWorkspace = document && vscode.workspace.getWorkspaceFolder(document.uri);
  const root = insideWorkspace || !document ? workspaceFolder.uri : document.uri.with({ path: parentPath(document.uri.path) });
  const resolved = resolveOutputFolder(plan.folder ?? settings.outputFolder, {
    workspaceFolderPath: root.path,
    ...(document && document.uri.scheme === root.scheme ? { documentPath: document.uri.path } : {}),
    date,
    model: request.model.id,
  });
  if (!resolved.ok) {
    throw new SeedreamError('invalidInput', resolved.message, { action: 'openSettings', setting: `${SECTION}.outputFolder` });
  }
  return { folder: root.with({ path: resolved.path }), baseName: (index) => nameFor(index, settings.fileName) };
}

/** Without a workspace folder there is no natural place: the user picks one. */
async function askForLocation(request: GenerationRequest, suggestedName: string): Promise<OutputLocation | undefined> {
  const extension = request.outputFormat === 'png' ? 'png' : 'jpg';
  const chosen = await vscode.window.showSaveDialog({
    title: 'Save the generated image as',
    saveLabel: 'Generate and Save',
    filters: { Images: ['png', 'jpg', 'jpeg'] },
    defaultUri: vscode.Uri.joinPath(vscode.Uri.file(homedir()), `${suggestedName}.${extension}`),
  });
  if (!chosen) {
    return undefined;
  }
  const chosenBase = baseNameOf(chosen);
  return {
    folder: chosen.with({ path: parentPath(chosen.path) }),
    baseName: (index) => (request.n > 1 ? `${chosenBase}-${index}` : chosenBase),
  };
}

function withProgressNotification<T>(request: GenerationRequest, task: (signal: AbortSignal, onProgress: (progress: GenerationProgress) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Seedream', cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const count = request.n === 1 ? 'an image' : `${request.n} images`;
      return task(controller.signal, (step) => progress.report({ message: describeProgress(step, count, request), ...(step.stage === 'saved' ? { increment: 100 / step.total } : {}) }));
    },
  );
}

export function describeProgress(step: GenerationProgress, count: string, request: GenerationRequest): string {
  switch (step.stage) {
    case 'requesting':
      return `Generating ${count} with ${request.model.label} (${request.size})…`;
    case 'receiving':
      return `Downloading image ${step.index} of ${step.total}…`;
    case 'saved':
      return `Saved ${step.done} of ${step.total}…`;
  }
}

function logOutcome(outcome: GenerationOutcome<SavedImage>, elapsedMs: number): void {
  log.info(`Saved ${outcome.saved.length} of ${outcome.requested} image(s) in ${elapsedMs} ms: ${outcome.saved.map((image) => image.uri.toString(true)).join(', ')}`);
  for (const failure of outcome.failures) {
    log.warn(`Image ${failure.index + 1} failed: ${failure.message}`);
    if (failure.remoteUrl) {
      // The signed link lets the user fetch a billed image by hand while it lives.
      log.warn(`Image ${failure.index + 1} can still be downloaded for 24 hours from ${failure.remoteUrl}`);
    }
  }
  if (outcome.interruption) {
    log.warn(`The run stopped early: ${outcome.interruption.message}`);
  }
}

function baseNameOf(uri: vscode.Uri): string {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
