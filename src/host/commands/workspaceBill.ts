/**
 * Before a run from a command that does not show what it bills (Generate from Selection, a missing image's
 * Quick Fix or CodeLens, Generate Image with a prompt argument): a workspace whose settings make it cost
 * more than the user's own is asked about once, per workspace and set of values.
 */

import * as vscode from 'vscode';
import { workspaceBillQuestion, type Bill } from '../../core/trust/workspaceBill';
import { billChoiceFor, readSettingsByOrigin, rememberBillChoice, type Settings } from '../config';

const GENERATE = 'Generate';
const USE_MY_SETTINGS = 'Use My Settings';

/**
 * Whether the run may go on; `billOf` is what it bills with the given settings (its own arguments applied).
 * Afterwards `readSettings` gives the settings the user chose.
 */
export async function agreeToWorkspaceBill(scope: vscode.Uri | undefined, billOf: (settings: Settings) => Bill): Promise<boolean> {
  const { counting, own } = readSettingsByOrigin(scope);
  const question = workspaceBillQuestion(billOf(own), billOf(counting));
  if (!question || billChoiceFor(counting)) {
    return true;
  }
  const answer = await vscode.window.showWarningMessage(
    question,
    {
      modal: true,
      detail: `${GENERATE} uses this workspace's settings, ${USE_MY_SETTINGS} uses yours. The answer is kept for this workspace until its settings change.`,
    },
    GENERATE,
    USE_MY_SETTINGS,
  );
  if (answer === undefined) {
    return false;
  }
  await rememberBillChoice(counting, answer === GENERATE ? 'workspace' : 'own');
  return true;
}
