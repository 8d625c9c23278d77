/** The extension's log channel, created on first use. It never receives the API key. */

import * as vscode from 'vscode';
import type { Logger } from '../engine/http';

let channel: vscode.LogOutputChannel | undefined;

export function logChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Seedream Studio', { log: true });
  return channel;
}

export const log: Logger = {
  info: (message) => logChannel().info(message),
  warn: (message) => logChannel().warn(message),
  error: (message) => logChannel().error(message),
};

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
