/** Seedream: Open Image Studio. */

import type { Command, CommandServices } from './commandManager';

export class OpenStudioCommand implements Command {
  static readonly id = 'seedream.openStudio';

  constructor(private readonly services: CommandServices) {}

  execute(): void {
    this.services.openStudio();
  }
}
