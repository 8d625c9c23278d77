/**
 * The Seedream model catalogue, as data. Validation, the settings table, the pickers and the Image Studio
 * all read it, so a model or a limit is changed here. package.json lists the models again for VS Code's
 * settings editor, with a description each (test/unit/manifest.test.ts checks they match), and so does
 * README's model table.
 *
 * Tiers and formats follow the provider's page; pixel bounds follow the upstream reference, which is
 * stricter per model than the provider's single range (when the two disagree the server's own 400 is
 * shown to the user).
 */

export type SizeTier = '1K' | '2K' | '3K' | '4K';
export type OutputFormat = 'png' | 'jpeg';
export type ResponseFormat = 'url' | 'b64_json';

/** The output formats one can ask for: `auto` is the model's own best (its first), else a format. */
export const OUTPUT_FORMAT_CHOICES: readonly (OutputFormat | 'auto')[] = ['auto', 'png', 'jpeg'];
/** How the API may hand over the images: a signed link, or the bytes inside the response. */
export const RESPONSE_FORMATS: readonly ResponseFormat[] = ['url', 'b64_json'];

export interface PixelBounds {
  /** Smallest width x height, in pixels, and the size that reaches it (for messages). */
  readonly minPixels: number;
  readonly minExample: string;
  readonly maxPixels: number;
  readonly maxExample: string;
  /** Width / height must stay within [1 / maxAspectRatio, maxAspectRatio]. */
  readonly maxAspectRatio: number;
}

export interface ModelInfo {
  readonly id: string;
  readonly label: string;
  readonly tiers: readonly SizeTier[];
  readonly bounds: PixelBounds;
  /** Output formats the model can make; the first one is its default. */
  readonly outputFormats: readonly OutputFormat[];
  /** Whether the request may carry `output_format` (4.x only make JPEG and reject the field's png). */
  readonly acceptsOutputFormat: boolean;
}

const FOUR_K = 4096 * 4096;
const ASPECT = 16;

const SEEDREAM_5_BOUNDS: PixelBounds = {
  minPixels: 2560 * 1440,
  minExample: '2560x1440',
  maxPixels: 10_404_496,
  maxExample: '3225x3225',
  maxAspectRatio: ASPECT,
};

const SEEDREAM_5: ModelInfo = {
  id: 'seedream-5-0-260128',
  label: 'Seedream 5.0',
  tiers: ['2K', '3K'],
  bounds: SEEDREAM_5_BOUNDS,
  outputFormats: ['png', 'jpeg'],
  acceptsOutputFormat: true,
};

export const MODELS: readonly ModelInfo[] = [
  SEEDREAM_5,
  // Reported as an alias of 5.0: the same tiers, bounds and formats.
  { ...SEEDREAM_5, id: 'seedream-5-0-lite-260128', label: 'Seedream 5.0 Lite' },
  {
    id: 'seedream-4-5-251128',
    label: 'Seedream 4.5',
    tiers: ['2K', '4K'],
    bounds: { minPixels: 2560 * 1440, minExample: '2560x1440', maxPixels: FOUR_K, maxExample: '4096x4096', maxAspectRatio: ASPECT },
    outputFormats: ['jpeg'],
    acceptsOutputFormat: false,
  },
  {
    id: 'seedream-4-0-250828',
    label: 'Seedream 4.0',
    tiers: ['1K', '2K', '4K'],
    bounds: { minPixels: 1280 * 720, minExample: '1280x720', maxPixels: FOUR_K, maxExample: '4096x4096', maxAspectRatio: ASPECT },
    outputFormats: ['jpeg'],
    acceptsOutputFormat: false,
  },
];

export const DEFAULT_MODEL_ID = 'seedream-5-0-260128';
export const MAX_IMAGES_PER_RUN = 4;
export const MAX_SEED = 2_147_483_647;

/** Common aspect ratios with the WxH the upstream recommends for them. */
export const ASPECT_PRESETS: readonly { readonly ratio: string; readonly size: string }[] = [
  { ratio: '1:1', size: '2048x2048' },
  { ratio: '4:3', size: '2304x1728' },
  { ratio: '3:4', size: '1728x2304' },
  { ratio: '16:9', size: '2560x1440' },
  { ratio: '9:16', size: '1440x2560' },
  { ratio: '3:2', size: '2496x1664' },
  { ratio: '2:3', size: '1664x2496' },
  { ratio: '21:9', size: '3024x1296' },
];

export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((model) => model.id === id);
}

/** The short name users read in messages: `seedream-5-0-260128` -> `seedream-5-0`. */
export function shortModelName(id: string): string {
  return id.replace(/-\d{6}$/, '');
}
