/**
 * The context keys the walkthrough's steps complete on (package.json, `contributes.walkthroughs`): what the user
 * achieved, not a click on the step's button. A key entered and stored (or one in the environment) completes
 * "Set your API key"; an image saved by any front end completes "Make your first image".
 */

import * as vscode from 'vscode';
import type { ImageGenerator } from './generation';
import type { ApiKeyStore } from './secrets';

export const HAS_API_KEY_CONTEXT = 'seedream.hasApiKey';
export const HAS_GENERATED_IMAGE_CONTEXT = 'seedream.hasGeneratedImage';

export function trackWalkthroughProgress(
  keys: ApiKeyStore,
  onDidChangeKey: vscode.Event<unknown>,
  generator: ImageGenerator,
): vscode.Disposable {
  const updateKey = async (): Promise<void> => {
    await vscode.commands.executeCommand('setContext', HAS_API_KEY_CONTEXT, await keys.hasKey());
  };
  void updateKey();
  return vscode.Disposable.from(
    onDidChangeKey(() => void updateKey()),
    generator.onDidGenerate(() => void vscode.commands.executeCommand('setContext', HAS_GENERATED_IMAGE_CONTEXT, true)),
  );
}
