/**
 * The prompt box of Generate Image. Enter runs with the settings; its gear button changes the model,
 * size and count for this one run without leaving the flow.
 */

import * as vscode from 'vscode';
import { ASPECT_PRESETS, findModel, MAX_IMAGES_PER_RUN, MODELS } from '../core/model/catalog';
import { checkSize, describeAllowedSizes } from '../core/model/validation';

export interface RunChoices {
  readonly prompt: string;
  readonly model: string;
  readonly size: string;
  readonly n: number;
}

/** `costLine` says what a run with these choices costs, e.g. `2 × seedream-5-0 ≈ $0.07`. */
export async function askForRun(initial: RunChoices, costLine: (choices: RunChoices) => string): Promise<RunChoices | undefined> {
  let choices = initial;
  for (;;) {
    const answer = await promptBox(choices, costLine(choices));
    if (answer === undefined) {
      return undefined;
    }
    if (answer.kind === 'accept') {
      return { ...choices, prompt: answer.prompt };
    }
    choices = { ...(await pickOptions({ ...choices, prompt: answer.prompt })) };
  }
}

type PromptAnswer = { readonly kind: 'accept' | 'options'; readonly prompt: string } | undefined;

function promptBox(choices: RunChoices, cost: string): Promise<PromptAnswer> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = vscode.l10n.t('Seedream: Generate Image');
    box.placeholder = vscode.l10n.t('Describe the image, in any language, e.g. a watercolor lighthouse at dusk');
    // What the run bills, before it is sent: count x model ≈ cost.
    box.prompt = vscode.l10n.t('{0} · {1} (gear button: change for this run)', cost, choices.size);
    box.value = choices.prompt;
    box.ignoreFocusOut = true;
    box.buttons = [{ iconPath: new vscode.ThemeIcon('settings-gear'), tooltip: vscode.l10n.t('Model, size and count for this run') }];
    let answer: PromptAnswer;
    const subscriptions = [
      box.onDidChangeValue(() => {
        box.validationMessage = undefined;
      }),
      box.onDidAccept(() => {
        if (box.value.trim().length === 0) {
          box.validationMessage = vscode.l10n.t('Describe the image you want.');
          return;
        }
        answer = { kind: 'accept', prompt: box.value };
        box.hide();
      }),
      box.onDidTriggerButton(() => {
        answer = { kind: 'options', prompt: box.value };
        box.hide();
      }),
      box.onDidHide(() => {
        subscriptions.forEach((subscription) => subscription.dispose());
        box.dispose();
        resolve(answer);
      }),
    ];
    box.show();
  });
}

/** Model, then size, then count; Escape at any step keeps what was chosen so far. */
async function pickOptions(choices: RunChoices): Promise<RunChoices> {
  const modelPick = await vscode.window.showQuickPick(
    MODELS.map((model) => ({
      label: model.label,
      description: model.id,
      detail: describeAllowedSizes(model),
      picked: model.id === choices.model,
      id: model.id,
    })),
    { title: vscode.l10n.t('Model for this run'), placeHolder: vscode.l10n.t('Now: {0}', choices.model) },
  );
  if (!modelPick) {
    return choices;
  }
  const model = findModel(modelPick.id)!;
  const withModel = { ...choices, model: model.id, size: checkSize(model, choices.size) ? model.tiers[0] : choices.size };

  const custom = `$(edit) ${vscode.l10n.t('Custom WxH…')}`;
  const sizePick = await vscode.window.showQuickPick(
    [
      ...model.tiers.map((tier) => ({ label: tier, description: vscode.l10n.t('the model picks the exact pixels') })),
      ...ASPECT_PRESETS.filter((preset) => !checkSize(model, preset.size)).map((preset) => ({
        label: preset.size,
        description: preset.ratio,
      })),
      { label: custom, description: describeAllowedSizes(model) },
    ],
    { title: vscode.l10n.t('Size for {0}', model.label), placeHolder: vscode.l10n.t('Now: {0}', withModel.size) },
  );
  if (!sizePick) {
    return withModel;
  }
  const size =
    sizePick.label === custom
      ? await vscode.window.showInputBox({
          title: vscode.l10n.t('Exact size for {0}', model.label),
          prompt: describeAllowedSizes(model),
          value: withModel.size,
          validateInput: (value) => checkSize(model, value),
        })
      : sizePick.label;
  const withSize = size ? { ...withModel, size: size.trim() } : withModel;

  const countPick = await vscode.window.showQuickPick(
    Array.from({ length: MAX_IMAGES_PER_RUN }, (_, i) => ({
      label: String(i + 1),
      description: i === 0 ? vscode.l10n.t('image (each image is billed)') : vscode.l10n.t('images (each image is billed)'),
    })),
    { title: vscode.l10n.t('How many images'), placeHolder: vscode.l10n.t('Now: {0}', withSize.n) },
  );
  return countPick ? { ...withSize, n: Number(countPick.label) } : withSize;
}
