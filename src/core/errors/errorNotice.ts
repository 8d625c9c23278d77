/** What an error notification says and which buttons it offers, so the VS Code layer only shows it. */

import * as l10n from '@vscode/l10n';
import { mayHaveBilledNote, type ErrorAction, type SeedreamErrorDetails } from './errors';

export interface ErrorButton {
  readonly label: string;
  readonly action: ErrorAction;
}

export interface ErrorNotice {
  readonly message: string;
  /** In the order shown; the first is the one that fixes the error. */
  readonly buttons: readonly ErrorButton[];
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
 * The notification for an error: its message, then the button of its own action, a retry when the caller
 * can rerun the request (worded as a possible second charge when the server may have billed already), and
 * Show Log.
 */
export function errorNotice(
  message: string,
  details: Pick<SeedreamErrorDetails, 'action' | 'mayHaveBilled'>,
  canRetry: boolean,
): ErrorNotice {
  const mayHaveBilled = details.mayHaveBilled === true;
  const wanted: (ErrorAction | undefined)[] = [details.action, mayHaveBilled ? 'retry' : undefined, 'showLog'];
  const actions = [...new Set(wanted)].filter((action): action is ErrorAction => action !== undefined && (action !== 'retry' || canRetry));
  return {
    // Some messages of the core already carry the caution: it is said once.
    message: mayHaveBilled && !message.includes(mayHaveBilledNote()) ? `${message} ${mayHaveBilledNote()}` : message,
    buttons: actions.map((action) => ({ action, label: action === 'retry' && mayHaveBilled ? retryMayBillLabel() : actionLabel(action) })),
  };
}
