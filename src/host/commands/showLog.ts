/** Seedream: Show Log. */

import { logChannel } from '../log';
import type { Command } from './commandManager';

export class ShowLogCommand implements Command {
  static readonly id = 'seedream.showLog';

  execute(): void {
    logChannel().show();
  }
}
