/**
 * The buttons an error offers, in the notification and in the Image Studio alike, so the VS Code layer
 * and the panel only show them. What the error says (the billing note included) is its own message.
 */

import * as l10n from '@vscode/l10n';
import type { ErrorAction, SeedreamErrorDetails } from './errors';

export interface ErrorButton {
  readonly label: string;
  readonly action: ErrorAction;
}

/** The label of each action's button, in the display language. */
export function actionLabel(action: ErrorAction): string {
  switch (action) {
    case 'setApiKey':
      return l10n.t('Set API Key');
    case 'openSettings':
      return l10n.t('Open Settings');
    case 'retry':
      return l10n.t('Retry');
    case 'showLog':
      return l10n.t('Show Log');
  }
}

/** The retry of a request the server may have billed says that pressing it may bill again. */
export function retryMayBillLabel(): string {
  return l10n.t('Try Again (may bill again)');
}

/**
 * In the order shown: the button of the error's own action (the one that fixes it), a retry when the
 * caller can rerun the request (worded as a possible second charge when the server may have billed
 * already), and Show Log.
 */
export function errorButtons(details: Pick<SeedreamErrorDetails, 'action' | 'mayHaveBilled'>, canRetry: boolean): readonly ErrorButton[] {
  const mayHaveBilled = details.mayHaveBilled === true;
  const wanted: (ErrorAction | undefined)[] = [details.action, mayHaveBilled ? 'retry' : undefined, 'showLog'];
  const actions = [...new Set(wanted)].filter((action): action is ErrorAction => action !== undefined && (action !== 'retry' || canRetry));
  return actions.map((action) => ({ action, label: action === 'retry' && mayHaveBilled ? retryMayBillLabel() : actionLabel(action) }));
}
