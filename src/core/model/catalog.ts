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
/** The image formats a reference image may have (a model takes some of them), as named in `data:image/<format>`. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp' | 'tiff' | 'gif';

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

/** What a model takes as reference images (editing, fusion, a set that starts from them). */
export interface ReferenceRules {
  /** The formats it reads, in the order messages name them. */
  readonly formats: readonly ImageFormat[];
  /** Largest file, in bytes. */
  readonly maxBytes: number;
  /** Each side must be longer than this, in pixels. */
  readonly minSideExclusive: number;
  /** Neither side may be longer than this, in pixels. */
  readonly maxSide: number;
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
  /** The provider's list price of one generated image, in {@link LIST_PRICES}' currency. */
  readonly listPrice: number;
  /** Undefined when the model takes no reference images. */
  readonly references?: ReferenceRules;
  /** Whether it makes image sets (`sequential_image_generation: "auto"` with `max_images`). */
  readonly imageSets: boolean;
}

/**
 * The provider's API: the default of `seedream.baseUrl` (package.json says the same, and a test checks it).
 * Its list prices hold there only; another server (a reseller, a gateway) has prices of its own.
 */
export const PROVIDER_BASE_URL = 'https://api.apiyi.com/v1';

/**
 * When and where the list prices were read. Prices change: the date is shown with every estimate made
 * from them, and `seedream.prices` overrides them.
 */
export const LIST_PRICES = {
  currency: 'USD',
  readOn: '2026-12',
  source: "the provider's model versions page",
} as const;

const FOUR_K = 4096 * 4096;
const ASPECT = 16;

const MB = 1024 * 1024;

/** Upstream's input rules for 4.5 and 5.0; 4.0 reads fewer formats and less elongated images. */
const REFERENCE_RULES: ReferenceRules = {
  formats: ['jpeg', 'png', 'webp', 'bmp', 'tiff', 'gif'],
  maxBytes: 10 * MB,
  minSideExclusive: 14,
  maxSide: 6000,
  maxAspectRatio: 16,
};

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
  listPrice: 0.035,
  references: REFERENCE_RULES,
  imageSets: true,
};

export const MODELS: readonly ModelInfo[] = [
  SEEDREAM_5,
  // Reported as an alias of 5.0: the same tiers, bounds, formats and price.
  { ...SEEDREAM_5, id: 'seedream-5-0-lite-260128', label: 'Seedream 5.0 Lite' },
  {
    id: 'seedream-4-5-251128',
    label: 'Seedream 4.5',
    tiers: ['2K', '4K'],
    bounds: { minPixels: 2560 * 1440, minExample: '2560x1440', maxPixels: FOUR_K, maxExample: '4096x4096', maxAspectRatio: ASPECT },
    outputFormats: ['jpeg'],
    acceptsOutputFormat: false,
    listPrice: 0.04,
    references: REFERENCE_RULES,
    imageSets: true,
  },
  {
    id: 'seedream-4-0-250828',
    label: 'Seedream 4.0',
    tiers: ['1K', '2K', '4K'],
    bounds: { minPixels: 1280 * 720, minExample: '1280x720', maxPixels: FOUR_K, maxExample: '4096x4096', maxAspectRatio: ASPECT },
    outputFormats: ['jpeg'],
    acceptsOutputFormat: false,
    listPrice: 0.03,
    references: { ...REFERENCE_RULES, formats: ['jpeg', 'png'], maxAspectRatio: 3 },
    imageSets: true,
  },
];

export const DEFAULT_MODEL_ID = 'seedream-5-0-260128';
export const MAX_IMAGES_PER_RUN = 4;
export const MAX_SEED = 2_147_483_647;

/**
 * How many reference images one request may carry: the provider documents 10, the upstream 14. The
 * provider's bound applies while requests go to the provider; elsewhere the upstream's, and a server with
 * a stricter one answers with its own 400.
 */
export const MAX_REFERENCES = { provider: 10, upstream: 14 } as const;
/** Reference images plus the images asked for, in one request. */
export const MAX_IMAGES_IN_AND_OUT = 15;
/** `sequential_image_generation_options.max_images` is in [1, MAX_IMAGES_PER_SET]. */
export const MAX_IMAGES_PER_SET = 15;

export interface ReferenceLimit {
  readonly max: number;
  /** Whose bound it is: the provider's (its address) or the upstream's (any other address). */
  readonly source: 'provider' | 'upstream';
}

/** The reference bound for requests to `baseUrl` (the provider's when it is the provider's host, or unreadable). */
export function referenceLimit(baseUrl: string = PROVIDER_BASE_URL): ReferenceLimit {
  return isProviderUrl(baseUrl)
    ? { max: MAX_REFERENCES.provider, source: 'provider' }
    : { max: MAX_REFERENCES.upstream, source: 'upstream' };
}

/** Whether `baseUrl` is the provider's host; a URL that does not parse counts as the provider's (the stricter bound). */
export function isProviderUrl(baseUrl: string): boolean {
  try {
    return new URL(baseUrl.trim()).hostname.toLowerCase() === new URL(PROVIDER_BASE_URL).hostname;
  } catch {
    return true;
  }
}

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
