/** Wires the Image Studio: its history (fed by every run), the panel, and its restoration after a reload. */

import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors/errors';
import type { ImageGenerator } from '../generation';
import { log } from '../log';
import type { ApiKeyStore } from '../secrets';
import { HistoryStore } from './historyStore';
import { STUDIO_VIEW_TYPE, StudioPanel, type StudioOpenOptions, type StudioServices } from './studioPanel';

export type { LinkChoice, StudioOpenOptions } from './studioPanel';

export interface Studio extends vscode.Disposable {
  /** Shows the Studio (the `seedream.openStudio` command), for something in particular if asked. */
  open(options?: StudioOpenOptions): void;
  /** Every run of this workspace, whichever front end made it. */
  readonly history: HistoryStore;
}

export function createStudio(context: vscode.ExtensionContext, generator: ImageGenerator, keys: ApiKeyStore): Studio {
  const history = new HistoryStore(context.workspaceState);
  const services: StudioServices = {
    extensionUri: context.extensionUri,
    generator,
    keys,
    history,
    onDidChangeKey: context.secrets.onDidChange,
  };
  const disposables = vscode.Disposable.from(
    history,
    generator.onDidGenerate((record) =>
      history
        .record(record)
        .then(undefined, (error: unknown) => log.warn(`Image Studio: the run was not stored in the history: ${errorMessage(error)}`)),
    ),
    vscode.window.registerWebviewPanelSerializer(STUDIO_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => StudioPanel.revive(panel, services),
    }),
  );
  return { open: (options) => StudioPanel.show(services, options), history, dispose: () => disposables.dispose() };
}
