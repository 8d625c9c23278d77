/**
 * One generation started from the Studio. It runs the same `ImageGenerator` as the commands and turns its
 * progress, saved images and errors into `RunView` snapshots for the panel.
 */

import { randomId } from '../../core/files/random';
import * as vscode from 'vscode';
import { errorButtons } from '../../core/errors/errorButtons';
import { errorMessage, SeedreamError } from '../../core/errors/errors';
import {
  imagesAsked,
  validateGeneration,
  type GenerationInput,
  type GenerationRequest,
  type ValidationIssue,
} from '../../core/model/validation';
import type { RunView, StudioForm } from '../../shared/protocol';
import { lastActiveEditor } from '../activeEditor';
import { describeProgress, type GenerationResult, type ImageGenerator } from '../generation';
import type { SavedImage } from '../imageFiles';
import { log } from '../log';
import { offerRescuedImages } from '../notifications';
import type { ImageRefs } from './imageViews';
import { resolveFormReferences } from './studioReferences';
import { readSettings } from '../config';
import {
  cancelledRun,
  failedRun,
  finishedRun,
  previewedImage,
  receivingImage,
  refusedRun,
  savedImage,
  startedRun,
  withMessage,
} from './runProgress';

export interface StudioRunDependencies {
  readonly generator: ImageGenerator;
  readonly refs: ImageRefs;
  readonly signal: AbortSignal;
  readonly onUpdate: (run: RunView) => void;
}

/** Runs `form` and reports every change; resolves with the last snapshot (never rejects). */
export async function runFromStudio(form: StudioForm, { generator, refs, signal, onUpdate }: StudioRunDependencies): Promise<RunView> {
  const id = randomId();
  const refuse = (issues: readonly ValidationIssue[]): RunView => {
    const refused = refusedRun(id, form.prompt, issues);
    onUpdate(refused);
    return refused;
  };
  // The host finds and checks again what the webview already checked: the webview is not trusted.
  const resolved = await resolveFormReferences(form.references ?? []);
  if (!resolved.ok) {
    return refuse(resolved.issues);
  }
  const input: GenerationInput = { ...form, references: resolved.references };
  const validated = validateGeneration(input, { baseUrl: readSettings(lastActiveEditor()?.document.uri).baseUrl });
  if (!validated.ok) {
    return refuse(validated.issues);
  }
  const { request } = validated;
  const origin = { altText: request.prompt, seed: request.seed };
  const viewOf = (image: SavedImage) => refs.view(image.uri, image.info, origin);
  let run = startedRun(id, request.prompt, imagesAsked(request), describeProgress({ stage: 'requesting' }, request), request.maxImages);
  const update = (next: RunView): RunView => {
    run = next;
    onUpdate(run);
    return run;
  };
  onUpdate(run);

  const document = lastActiveEditor()?.document;
  try {
    const result = await generator.run(
      { input, document },
      {
        signal,
        onProgress: (step) => {
          const message = describeProgress(step, request);
          update(step.stage === 'receiving' ? receivingImage(run, step.index, message) : withMessage(run, message));
        },
        onSaved: (image) => update(savedImage(run, image.index, viewOf(image))),
        onPreview: (index, preview) => update(previewedImage(run, index, refs.src(preview.uri))),
      },
    );
    if (!result) {
      return update(
        cancelledRun(
          run,
          vscode.l10n.t('Nothing was generated: no API key was entered, no place to save was chosen, or the cost was not confirmed.'),
        ),
      );
    }
    const { outcome } = result;
    offerRescuedImages(result);
    const images = { saved: outcome.saved.map((image) => ({ index: image.index, view: viewOf(image) })), failures: outcome.failures };
    return update(finishedRun(run, images, summary(result, request), outcome.interruption?.kind === 'cancelled'));
  } catch (error) {
    if (error instanceof SeedreamError && error.kind === 'cancelled') {
      return update(cancelledRun(run, vscode.l10n.t('Cancelled: nothing was saved.')));
    }
    log.error(errorMessage(error));
    const details = error instanceof SeedreamError ? error.details : {};
    return update(
      failedRun(run, {
        message: errorMessage(error),
        buttons: errorButtons(details, true),
        ...(details.setting ? { setting: details.setting } : {}),
      }),
    );
  }
}

function summary({ outcome, folder }: GenerationResult, request: GenerationRequest): string {
  const where = vscode.workspace.asRelativePath(folder);
  const settings =
    request.seed === undefined
      ? vscode.l10n.t('{0}, {1}', request.model.label, request.size)
      : vscode.l10n.t('{0}, {1}, seed {2}', request.model.label, request.size, request.seed);
  const saved =
    request.maxImages !== undefined
      ? // The model decides how many images a set has: fewer than asked is its answer, not a failure.
        vscode.l10n.t('Image set of {0} (up to {1}) saved to {2} ({3}).', outcome.saved.length, request.maxImages, where, settings)
      : outcome.saved.length === outcome.requested
        ? outcome.saved.length === 1
          ? vscode.l10n.t('Image saved to {0} ({1}).', where, settings)
          : vscode.l10n.t('{0} images saved to {1} ({2}).', outcome.saved.length, where, settings)
        : vscode.l10n.t('{0} of {1} images saved to {2} ({3}).', outcome.saved.length, outcome.requested, where, settings);
  const problems = [
    outcome.failures.length > 0 ? vscode.l10n.t('{0} failed.', outcome.failures.length) : '',
    outcome.rescued.length > 0
      ? vscode.l10n.t("{0} refused by the folder and kept in the extension's storage (see the notification).", outcome.rescued.length)
      : '',
    outcome.interruption ? outcome.interruption.message : '',
  ].filter((text) => text.length > 0);
  return [saved, ...problems].join(' ');
}
