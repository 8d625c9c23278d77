/**
 * What a tool answers when it cannot do what it was asked: a sentence the model can act on (what to change,
 * or what to ask the user to do), never a stack. Every message of the pipeline has had the key taken out.
 */

import * as vscode from 'vscode';
import { errorMessage, isCancellation, SeedreamError } from '../../core/errors/errors';
import { SECTION } from '../config';

/** The tool input's fields that override a setting of the same name (`size` for `seedream.size`). */
export function toolErrorText(error: unknown, inputFields: readonly string[] = []): string {
  if (isCancellation(error)) {
    return vscode.l10n.t('The user cancelled the generation before any image arrived; nothing was saved.');
  }
  if (!(error instanceof SeedreamError)) {
    return vscode.l10n.t('Seedream failed: {0}', errorMessage(error));
  }
  // The message says it already when the images may have been billed.
  const message = error.message;
  const hints: string[] = [];
  const setting = error.details.setting;
  const field = setting?.startsWith(`${SECTION}.`) ? setting.slice(SECTION.length + 1) : undefined;
  if (setting && field && !inputFields.includes(field)) {
    hints.push(
      vscode.l10n.t(
        'This value comes from the user\'s setting {0}: ask the user to change it, or pass "{1}" in the input if the tool takes it.',
        setting,
        field,
      ),
    );
  }
  if (error.details.action === 'setApiKey') {
    hints.push(vscode.l10n.t('Ask the user to run "Seedream: Set API Key".'));
  }
  // Said here for every refused input, whatever produced it: no message of a check says it itself.
  if (error.kind === 'invalidInput') {
    hints.push(vscode.l10n.t('Nothing was sent or billed.'));
  }
  return [message, ...hints].join(' ');
}

/** Why a run ended without a result: the user closed the key prompt. */
export function noKeyText(): string {
  return vscode.l10n.t(
    'No image was made: no API key was entered. Ask the user to run "Seedream: Set API Key", then try again. Nothing was billed.',
  );
}
