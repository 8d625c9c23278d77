/**
 * The parts of VS Code's language-model tool API that the tools use. `vscode.lm.registerTool` and the
 * result classes came in VS Code 1.95, image parts (`LanguageModelDataPart.image`) in 1.106; the extension
 * runs from 1.86, whose API typings it builds against. So these members are read here, as optional, and
 * nowhere else: on a VS Code without them the tools are simply not registered, or have no thumbnails.
 */

import * as vscode from 'vscode';

export interface ToolInvocationOptions<Input> {
  readonly input: Input;
  /** Set inside a chat; undefined when another extension (or a test) invokes the tool directly. */
  readonly toolInvocationToken: unknown;
}

export interface ToolConfirmation {
  readonly title: string;
  readonly message: string | vscode.MarkdownString;
}

export interface PreparedToolInvocation {
  readonly invocationMessage?: string | vscode.MarkdownString;
  /** When present, a chat asks the user with these before `invoke` runs. */
  readonly confirmationMessages?: ToolConfirmation;
}

/** A `vscode.LanguageModelToolResult`: text parts, and image parts where VS Code has them. */
export interface ToolResult {
  readonly content: readonly unknown[];
}

export interface LanguageModelTool<Input> {
  invoke(options: ToolInvocationOptions<Input>, token: vscode.CancellationToken): Promise<ToolResult>;
  prepareInvocation(options: { readonly input: Input }, token: vscode.CancellationToken): Promise<PreparedToolInvocation>;
}

interface ToolsApi {
  readonly lm?: { readonly registerTool?: (name: string, tool: LanguageModelTool<unknown>) => vscode.Disposable };
  readonly LanguageModelToolResult?: new (content: unknown[]) => ToolResult;
  readonly LanguageModelTextPart?: new (value: string) => unknown;
  readonly LanguageModelDataPart?: { readonly image?: (data: Uint8Array, mimeType: string) => unknown };
}

const api = vscode as unknown as ToolsApi;

/** Registers `tool`; undefined on a VS Code without language-model tools (before 1.95). */
export function registerTool(name: string, tool: LanguageModelTool<unknown>): vscode.Disposable | undefined {
  return api.lm?.registerTool?.(name, tool);
}

/** A result of text parts and, where VS Code has image parts, the given images. */
export function toolResult(text: string, images: readonly { readonly data: Uint8Array; readonly mimeType: string }[] = []): ToolResult {
  const { LanguageModelToolResult, LanguageModelTextPart, LanguageModelDataPart } = api;
  if (!LanguageModelToolResult || !LanguageModelTextPart) {
    // Only reached where registerTool exists, and both came with it.
    throw new Error('This VS Code has no language-model tool results.');
  }
  const image = LanguageModelDataPart?.image;
  const imageParts = image ? images.map((picture) => image.call(LanguageModelDataPart, picture.data, picture.mimeType)) : [];
  return new LanguageModelToolResult([new LanguageModelTextPart(text), ...imageParts]);
}

/** Whether results can carry images, so the work of making thumbnails is skipped where they cannot. */
export function resultsCarryImages(): boolean {
  return typeof api.LanguageModelDataPart?.image === 'function';
}
