/** Full garbage collections on demand, for tests of what the code holds on to (mocha runs without --expose-gc). */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** Collects all garbage at once. */
export const collectGarbage = runInNewContext('gc') as () => void;
