/**
 * Before a run from a command that does not show what it bills (Generate from Selection, a missing image's
 * Quick Fix or CodeLens, Generate Image with a prompt argument): a workspace whose settings make it cost
 * more than the user's own is asked about once, per workspace and set of values.
 */

import * as vscode from 'vscode';
import { workspaceBillQuestion, type Bill } from '../../core/trust/workspaceBill';
import { billChoiceFor, readSettingsByOrigin, rememberBillChoice, type Settings } from '../config';

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
  const generate = vscode.l10n.t('Generate');
  const useMySettings = vscode.l10n.t('Use My Settings');
  const answer = await vscode.window.showWarningMessage(
    question,
    {
      modal: true,
      detail: vscode.l10n.t(
        "{0} uses this workspace's settings, {1} uses yours. The answer is kept for this workspace until its settings change.",
        generate,
        useMySettings,
      ),
    },
    generate,
    useMySettings,
  );
  if (answer === undefined) {
    return false;
  }
  await rememberBillChoice(counting, answer === generate ? 'workspace' : 'own');
  return true;
}
