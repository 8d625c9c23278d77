/** What an error notification says and which buttons it offers, so the VS Code layer only shows it. */

import type { ErrorAction, SeedreamErrorDetails } from './errors';

export interface ErrorButton {
  readonly label: string;
  readonly action: ErrorAction;
}

export interface ErrorNotice {
  readonly message: string;
  /** In the order shown; the first is the one that fixes the error. */
  readonly buttons: readonly ErrorButton[];
}

const LABELS: Readonly<Record<ErrorAction, string>> = {
  setApiKey: 'Set API Key',
  openSettings: 'Open Settings',
  retry: 'Retry',
  showLog: 'Show Log',
};

/** The retry of a request the server may have billed says that pressing it may bill again. */
export const RETRY_MAY_BILL_LABEL = 'Try Again (may bill again)';

export const MAY_HAVE_BILLED_NOTE =
  "The server may already have made and billed these images; check your provider's usage before trying again.";

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
    message: mayHaveBilled && !/\bbilled\b/i.test(message) ? `${message} ${MAY_HAVE_BILLED_NOTE}` : message,
    buttons: actions.map((action) => ({ action, label: action === 'retry' && mayHaveBilled ? RETRY_MAY_BILL_LABEL : LABELS[action] })),
  };
}
