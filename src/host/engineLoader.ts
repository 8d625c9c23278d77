/** Loads the engine (src/engine/index.ts) on first use, so activating the extension loads only the commands. */

import type * as Engine from '../engine';
import { l10nBundle } from './l10n';

let engine: typeof Engine | undefined;

export function loadEngine(): typeof Engine {
  if (!engine) {
    // The build points this require at dist/engine.js instead of bundling the engine (see esbuild.js).
    engine = require('../engine') as typeof Engine;
    // The engine bundle has its own copy of @vscode/l10n: it speaks the display language once given the bundle.
    const contents = l10nBundle();
    if (contents) {
      engine.configureL10n({ contents });
    }
  }
  return engine;
}
