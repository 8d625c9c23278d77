/** Seedream: Generate Image from Selection — the selected text is the prompt, the link goes under it. */

import * as vscode from 'vscode';
import { readSettings } from '../config';
import { generationInput } from '../generation';
import { insertImageLinks } from '../linkInsertion';
import { showError, showResult } from '../notifications';
import type { Command, CommandServices } from './commandManager';
import { agreeToWorkspaceBill } from './workspaceBill';

export class GenerateFromSelectionCommand implements Command {
  static readonly id = 'seedream.generateFromSelection';

  constructor(private readonly services: CommandServices) {}

  async execute(): Promise<vscode.Uri[]> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Select the text that describes the image, then run "Seedream: Generate Image from Selection".'),
      );
      return [];
    }
    const { document, selection } = editor;
    const selectedText = document.getText(selection);
    const prompt = selectedText.trim();
    try {
      if (!(await agreeToWorkspaceBill(document.uri, (settings) => generationInput(settings, { prompt })))) {
        return [];
      }
      const settings = readSettings(document.uri);
      const result = await this.services.generator.run({ input: generationInput(settings, { prompt }), document });
      if (!result) {
        return [];
      }
      const images = result.outcome.saved.map((image) => image.uri);
      if (settings.insertLink !== 'none' && images.length > 0) {
        await insertImageLinks(document, images, prompt, { kind: settings.insertLink, range: selection, text: selectedText });
      }
      void showResult(result, prompt, () => editor);
      return images;
    } catch (error) {
      void showError(error, () => this.execute());
      return [];
    }
  }
}
