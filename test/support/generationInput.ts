/** The settings' defaults as one generation input, for tests to vary one field at a time. */

import type { GenerationInput } from '../../src/core/model/validation';

export const TEST_INPUT: GenerationInput = {
  prompt: 'a lighthouse at dusk',
  model: 'seedream-5-0-260128',
  size: '2K',
  n: 1,
  outputFormat: 'auto',
  responseFormat: 'url',
  watermark: false,
  stream: false,
};
