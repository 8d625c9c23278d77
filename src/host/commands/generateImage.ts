/** Seedream: Generate Image — from the palette, a keybinding or another extension's call. */

import type * as vscode from 'vscode';
import { runCostItem } from '../../core/cost/pricing';
import { parseGenerateArguments, type GenerateArguments } from '../../core/model/commandArguments';
import { SeedreamError } from '../../core/errors/errors';
import { lastActiveEditor } from '../activeEditor';
import { readSettings, type Settings } from '../config';
import { generationInput } from '../generation';
import { insertImageLinks } from '../linkInsertion';
import { resolveReferences } from '../referenceImages';
import { showError, showResult } from '../notifications';
import { askForRun, type RunChoices } from '../promptInput';
import { runCostLine } from '../cost';
import type { Command, CommandServices } from './commandManager';
import { agreeToWorkspaceBill } from './workspaceBill';

export class GenerateImageCommand implements Command {
  static readonly id = 'seedream.generateImage';

  constructor(private readonly services: CommandServices) {}

  async execute(rawArguments?: unknown): Promise<vscode.Uri[]> {
    try {
      const parsed = parseGenerateArguments(rawArguments);
      if (!parsed.ok) {
        throw new SeedreamError('invalidInput', parsed.message);
      }
      const args = parsed.value;
      const editor = lastActiveEditor();
      const document = editor?.document;
      // With a prompt nothing is asked, so nothing shows the count: a workspace that raises the bill is asked about.
      const { prompt: givenPrompt } = args;
      if (
        givenPrompt !== undefined &&
        !(await agreeToWorkspaceBill(document?.uri, (settings) => generationInput(settings, { ...overridesOf(args), prompt: givenPrompt })))
      ) {
        return [];
      }
      const settings = readSettings(document?.uri);
      // Checked (inside the workspace, readable) before the prompt is asked for.
      const references = args.references ? await resolveReferences(args.references) : undefined;
      const chosen =
        args.prompt !== undefined
          ? { prompt: args.prompt }
          : await askForRun(initialChoices(editor, settings, args), (choices) =>
              runCostLine(document?.uri, runCostItem(choices.model, { ...args, ...choices })),
            );
      if (chosen === undefined) {
        return [];
      }
      const { prompt } = chosen;
      const result = await this.services.generator.run({
        input: generationInput(settings, { ...overridesOf(args), ...(references ? { references } : {}), ...chosen }),
        document,
        folder: args.folder,
      });
      if (!result) {
        return [];
      }
      const images = result.outcome.saved.map((image) => image.uri);
      if (args.insert && editor && images.length > 0) {
        await insertImageLinks(editor.document, images, prompt, { kind: 'cursor', position: editor.selection.active });
      }
      // Not awaited: callers get the files as soon as they exist, the notification stays until dismissed.
      void showResult(result, prompt, lastActiveEditor);
      return images;
    } catch (error) {
      void showError(error, () => this.execute(rawArguments));
      return [];
    }
  }
}

/** The arguments that are generation fields as they are (references are resolved first). */
function overridesOf(args: GenerateArguments) {
  const { prompt: _prompt, folder: _folder, insert: _insert, references: _references, ...overrides } = args;
  return overrides;
}

/** The prompt box starts from the selected text, if any, and the settings (or arguments) for the rest. */
function initialChoices(editor: vscode.TextEditor | undefined, settings: Settings, args: GenerateArguments): RunChoices {
  return {
    prompt: editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '',
    model: args.model ?? settings.model,
    size: args.size ?? settings.size,
    n: args.n ?? settings.n,
  };
}
