/**
 * The language-model tools (`contributes.languageModelTools`), for agents in VS Code's chat and any other
 * extension that calls `vscode.lm.invokeTool`. Registered only where VS Code has the API (1.95 and later).
 */

import type * as vscode from 'vscode';
import { FIND_MISSING_IMAGES_TOOL, GENERATE_IMAGE_TOOL, GENERATE_MISSING_IMAGES_TOOL } from '../../core/tools/toolInput';
import type { MissingImageServices } from '../docs/missingImageCommands';
import { generateImageTool } from './generateImageTool';
import { registerTool } from './languageModelApi';
import { findMissingImagesTool, generateMissingImagesTool } from './missingImageTools';

export function registerTools(services: MissingImageServices): vscode.Disposable[] {
  const tools = {
    [GENERATE_IMAGE_TOOL]: generateImageTool(services.generator),
    [FIND_MISSING_IMAGES_TOOL]: findMissingImagesTool(),
    [GENERATE_MISSING_IMAGES_TOOL]: generateMissingImagesTool(services),
  };
  return Object.entries(tools).flatMap(([name, tool]) => registerTool(name, tool) ?? []);
}
