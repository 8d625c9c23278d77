/** Seedream: Generate Image — from the palette, a keybinding or another extension's call. */

import * as vscode from 'vscode';
import { parseGenerateArguments, type GenerateArguments } from '../../core/commandArguments';
import { SeedreamError } from '../../core/errors';
import { lastActiveEditor } from '../activeEditor';
import { readSettings } from '../config';
import { generationInput, type ImageGenerator } from '../generation';
import { insertImageLinks } from '../linkInsertion';
import { showError, showResult } from '../notifications';

export function generateImageCommand(generator: ImageGenerator) {
  const run = async (rawArguments?: unknown): Promise<vscode.Uri[]> => {
    try {
      const parsed = parseGenerateArguments(rawArguments);
      if (!parsed.ok) {
        throw new SeedreamError('invalidInput', parsed.message);
      }
      const args = parsed.value;
      const editor = lastActiveEditor();
      const prompt = args.prompt ?? (await askForPrompt(editor));
      if (prompt === undefined) {
        return [];
      }
      const document = editor?.document;
      const result = await generator.run({
        input: generationInput(readSettings(document?.uri), { ...overridesOf(args), prompt }),
        ...(document ? { document } : {}),
        ...(args.folder !== undefined ? { folder: args.folder } : {}),
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
      void showError(error, () => run(rawArguments));
      return [];
    }
  };
  return run;
}

function overridesOf(args: GenerateArguments) {
  const { prompt: _prompt, folder: _folder, insert: _insert, ...overrides } = args;
  return overrides;
}

async function askForPrompt(editor: vscode.TextEditor | undefined): Promise<string | undefined> {
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
  return vscode.window.showInputBox({
    title: 'Seedream: Generate Image',
    prompt: 'Describe the image (any language). The settings decide model, size and count.',
    placeHolder: 'e.g. a watercolor lighthouse at dusk, soft light',
    value: selected,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length === 0 ? 'Describe the image you want.' : undefined),
  });
}
