/**
 * The `seedream.*` settings as data: each one's default, its choices or limits, and whether a workspace
 * may set it while untrusted. The host reads defaults and limits here; package.json declares the same
 * for VS Code's settings editor, and test/unit/manifest.test.ts fails when the two differ.
 */

import { DOCS_CONVENTIONS, type DocsConvention } from '../files/docsConvention';
import {
  DEFAULT_MODEL_ID,
  MAX_IMAGES_PER_RUN,
  MODELS,
  OUTPUT_FORMAT_CHOICES,
  PROVIDER_BASE_URL,
  RESPONSE_FORMATS,
  type OutputFormat,
  type ResponseFormat,
} from './catalog';

export interface SettingSpec<T> {
  readonly default: T;
  /** The only values the setting takes. */
  readonly enum?: readonly T[];
  /** Settings that send the API key or cost money: in an untrusted workspace only the user's own value counts. */
  readonly restricted?: boolean;
}

export interface NumberSettingSpec extends SettingSpec<number> {
  readonly minimum: number;
  readonly maximum: number;
}

export const INSERT_MODES = ['below', 'replace', 'none'] as const;
export type InsertMode = (typeof INSERT_MODES)[number];

export const MISSING_IMAGE_SEVERITIES = ['off', 'hint', 'information', 'warning'] as const;
export type MissingImageSeverity = (typeof MISSING_IMAGE_SEVERITIES)[number];

const setting = <T>(spec: SettingSpec<T>): SettingSpec<T> => spec;
const numberSetting = (spec: NumberSettingSpec): NumberSettingSpec => spec;

/** Keyed by the name after `seedream.`. */
export const SETTINGS = {
  baseUrl: setting<string>({ default: PROVIDER_BASE_URL, restricted: true }),
  model: setting<string>({ default: DEFAULT_MODEL_ID, enum: MODELS.map((model) => model.id), restricted: true }),
  size: setting<string>({ default: '2K', restricted: true }),
  outputFormat: setting<OutputFormat | 'auto'>({ default: 'auto', enum: OUTPUT_FORMAT_CHOICES }),
  responseFormat: setting<ResponseFormat>({ default: 'url', enum: RESPONSE_FORMATS }),
  n: numberSetting({ default: 1, minimum: 1, maximum: MAX_IMAGES_PER_RUN, restricted: true }),
  watermark: setting({ default: false }),
  stream: setting({ default: false }),
  outputFolder: setting({ default: 'images' }),
  fileName: setting({ default: '${prompt}' }),
  insertLink: setting<InsertMode>({ default: 'below', enum: INSERT_MODES }),
  requestTimeoutSeconds: numberSetting({ default: 120, minimum: 10, maximum: 600 }),
  maxRetries: numberSetting({ default: 2, minimum: 0, maximum: 5, restricted: true }),
  maxDownloadMB: numberSetting({ default: 64, minimum: 1, maximum: 1024 }),
  'missingImages.diagnostics': setting<MissingImageSeverity>({ default: 'hint', enum: MISSING_IMAGE_SEVERITIES }),
  'missingImages.codeLens': setting({ default: true }),
  'missingImages.concurrency': numberSetting({ default: 3, minimum: 1, maximum: 8, restricted: true }),
  // Read from the user's own settings only (src/core/cost): the shapes are checked where they are parsed.
  prices: setting<Readonly<Record<string, unknown>>>({ default: {} }),
  confirmAbove: setting<Readonly<Record<string, unknown>>>({ default: { images: 10 } }),
  docsConvention: setting<DocsConvention>({ default: 'auto', enum: DOCS_CONVENTIONS }),
} as const;

export type SettingName = keyof typeof SETTINGS;
/** The type of a setting's value, as its default has it. */
export type SettingValue<Name extends SettingName> = (typeof SETTINGS)[Name]['default'];

/** A number setting's value within its limits: VS Code shows the limits but does not enforce them. */
export function withinLimits(spec: NumberSettingSpec, value: number): number {
  return Number.isFinite(value) ? Math.min(spec.maximum, Math.max(spec.minimum, Math.round(value))) : spec.minimum;
}
