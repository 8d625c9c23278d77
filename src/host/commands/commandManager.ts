/**
 * What a command of the extension is, and the manager that registers them. Each command is a class that owns
 * its id: `static readonly id` is the only place the `seedream.…` string is written, and everything else
 * (code actions, hover links, buttons that run it) refers to `TheCommand.id`.
 *
 * Adding a command: a class implementing `Command` with its `static readonly id`, taking what it needs from
 * `CommandServices`; its entry in `COMMANDS` (./index.ts); its declaration in package.json's
 * `contributes.commands`. test/unit/manifest.test.ts fails until the last two agree.
 */

import * as vscode from 'vscode';
import type { ImageGenerator } from '../generation';
import type { ApiKeyStore } from '../secrets';
import type { StudioOpenOptions } from '../studio';
import type { HistoryStore } from '../studio/historyStore';

/** What commands work with, made once at activation. */
export interface CommandServices {
  readonly keys: ApiKeyStore;
  readonly generator: ImageGenerator;
  readonly openStudio: (options?: StudioOpenOptions) => void;
  readonly history: HistoryStore;
  /** This workspace's storage, where the answers about its settings' bill are kept. */
  readonly workspaceState: vscode.Memento;
}

/** One command: what runs when it is invoked, with the arguments its caller passes. */
export interface Command {
  execute(...args: never[]): unknown;
}

/** A command's class: its id, and how it is made from the services. */
export interface CommandType {
  readonly id: string;
  new (services: CommandServices): Command;
}

export class CommandManager implements vscode.Disposable {
  private readonly registrations = new Map<string, vscode.Disposable>();

  constructor(private readonly services: CommandServices) {}

  register(type: CommandType): void {
    if (this.registrations.has(type.id)) {
      throw new Error(`The command ${type.id} is registered twice.`);
    }
    const command = new type(this.services);
    this.registrations.set(type.id, vscode.commands.registerCommand(type.id, command.execute, command));
  }

  dispose(): void {
    this.registrations.forEach((registration) => registration.dispose());
    this.registrations.clear();
  }
}
