/** Loads the engine (src/engine/index.ts) on first use, so activating the extension loads only the commands. */

import type * as Engine from '../engine';

export function loadEngine(): typeof Engine {
  // The build points this require at dist/engine.js instead of bundling the engine (see esbuild.js); Node caches it.
  return require('../engine') as typeof Engine;
}
