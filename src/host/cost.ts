/**
 * Cost before billing, on the host: the estimate of a run or a batch with the prices in force, the line the
 * prompt box and the batch preview show, and the modal question above `seedream.confirmAbove`.
 */

import * as vscode from 'vscode';
import { confirmationQuestion } from '../core/cost/confirmation';
import { describeCost, describeCostSource, describeRunCost, estimateCost, type CostEstimate, type CostItem } from '../core/cost/pricing';
import { readCostSettings } from './config';

export function estimateFor(scope: vscode.Uri | undefined, items: readonly CostItem[]): CostEstimate {
  return estimateCost(readCostSettings(scope).pricing, items);
}

/** `2 × seedream-5-0 ≈ $0.07`, or `… cost unknown (seedream.prices)`. */
export function runCostLine(scope: vscode.Uri | undefined, run: CostItem): string {
  const estimate = estimateFor(scope, [run]);
  const line = describeRunCost(run, estimate, vscode.env.language);
  return estimate.known ? line : vscode.l10n.t('{0} (seedream.prices)', line);
}

/** `≈ $0.11` for a batch of several models. */
export function batchCostText(scope: vscode.Uri | undefined, items: readonly CostItem[]): string {
  return describeCost(estimateFor(scope, items), vscode.env.language);
}

/** Whether the run or batch may bill: true at once below the threshold, else the user's answer to a modal question. */
export async function agreeToCost(scope: vscode.Uri | undefined, items: readonly CostItem[]): Promise<boolean> {
  const { pricing, confirmAbove } = readCostSettings(scope);
  const estimate = estimateCost(pricing, items);
  const question = confirmationQuestion(confirmAbove, estimate, vscode.env.language);
  if (!question) {
    return true;
  }
  const generate = vscode.l10n.t('Generate');
  const answer = await vscode.window.showWarningMessage(
    question,
    { modal: true, detail: `${describeCostSource(estimate)} ${vscode.l10n.t('The limit is the setting seedream.confirmAbove.')}` },
    generate,
  );
  return answer === generate;
}
