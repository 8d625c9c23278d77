/**
 * A typed snapshot of the `seedream.*` settings for one resource. Read fresh for every run, so a
 * changed setting applies without a reload. The settings that send the key or cost money count from a
 * workspace only when it is trusted, and only as long as the user has not chosen their own instead.
 */

import * as vscode from 'vscode';
import { parseConfirmThreshold, stricterThreshold, type ConfirmThreshold } from '../core/cost/confirmation';
import { parsePriceOverride, pricingFor, type Pricing } from '../core/cost/pricing';
import type { OutputFormat, ResponseFormat } from '../core/model/catalog';
import {
  SETTINGS,
  withinLimits,
  type InsertMode,
  type MissingImageSeverity,
  type SettingName,
  type SettingValue,
} from '../core/model/settings';
import type { NetworkSettings } from '../engine/http';
import { RESTRICTED_SETTINGS, settingValue } from '../core/trust/settingSources';
import { billChoiceKey, parseBillChoices, type BillChoice } from '../core/trust/workspaceBill';

export type { InsertMode, MissingImageSeverity } from '../core/model/settings';

export interface Settings {
  readonly baseUrl: string;
  readonly model: string;
  readonly size: string;
  readonly outputFormat: OutputFormat | 'auto';
  readonly responseFormat: ResponseFormat;
  readonly n: number;
  readonly watermark: boolean;
  readonly stream: boolean;
  readonly outputFolder: string;
  readonly fileName: string;
  readonly insertLink: InsertMode;
  readonly requestTimeoutSeconds: number;
  readonly maxRetries: number;
  readonly maxDownloadMB: number;
}

export const SECTION = 'seedream';

const RESTRICTED = new Set(RESTRICTED_SETTINGS);

/** The settings a run uses: the workspace's, unless the user chose their own for the values it holds now. */
export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const { counting, own } = readSettingsByOrigin(scope);
  return billChoiceFor(counting) === 'own' ? own : counting;
}

export interface SettingsByOrigin {
  /** As they count here: the workspace's and folder's own values included when the workspace is trusted. */
  readonly counting: Settings;
  /** From the user's settings and the defaults alone, as an untrusted workspace reads the restricted ones. */
  readonly own: Settings;
}

export function readSettingsByOrigin(scope?: vscode.ConfigurationScope): SettingsByOrigin {
  return { counting: settingsOf(scope, vscode.workspace.isTrusted), own: settingsOf(scope, false) };
}

/**
 * One setting's value. A restricted one is read through inspect(), not only VS Code's own restriction: an
 * untrusted workspace's values never count.
 */
function read<Name extends SettingName>(config: vscode.WorkspaceConfiguration, name: Name, workspaceMaySet: boolean): SettingValue<Name> {
  const value = RESTRICTED.has(name)
    ? settingValue(config.inspect<SettingValue<Name>>(name), workspaceMaySet)
    : config.get<SettingValue<Name>>(name);
  return value ?? SETTINGS[name].default;
}

function settingsOf(scope: vscode.ConfigurationScope | undefined, workspaceMaySet: boolean): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const get = <Name extends SettingName>(name: Name): SettingValue<Name> => read(config, name, workspaceMaySet);
  return {
    baseUrl: readBaseUrl(config),
    model: get('model'),
    size: get('size'),
    outputFormat: get('outputFormat'),
    responseFormat: get('responseFormat'),
    n: get('n'),
    watermark: get('watermark'),
    stream: get('stream'),
    outputFolder: get('outputFolder'),
    fileName: get('fileName'),
    insertLink: get('insertLink'),
    requestTimeoutSeconds: withinLimits(SETTINGS.requestTimeoutSeconds, get('requestTimeoutSeconds')),
    maxRetries: withinLimits(SETTINGS.maxRetries, get('maxRetries')),
    maxDownloadMB: withinLimits(SETTINGS.maxDownloadMB, get('maxDownloadMB')),
  };
}

export interface MissingImageSettings {
  readonly severity: MissingImageSeverity;
  readonly codeLens: boolean;
  readonly concurrency: number;
}

/** How links to missing images are marked, and how many of them are generated at a time. */
export function readMissingImageSettings(scope?: vscode.ConfigurationScope): MissingImageSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const workspaceMaySet = vscode.workspace.isTrusted;
  return {
    severity: read(config, 'missingImages.diagnostics', workspaceMaySet),
    codeLens: read(config, 'missingImages.codeLens', workspaceMaySet),
    concurrency: withinLimits(SETTINGS['missingImages.concurrency'], read(config, 'missingImages.concurrency', workspaceMaySet)),
  };
}

/**
 * The base URL receives the API key, so only the user's own settings count: workspace and folder values
 * are ignored even if the setting's scope were ever widened.
 */
function readBaseUrl(config: vscode.WorkspaceConfiguration): string {
  return read(config, 'baseUrl', false);
}

export interface CostSettings {
  /** The prices at the configured base URL: the list's, the user's `seedream.prices`, or unknown. */
  readonly pricing: Pricing;
  readonly confirmAbove: ConfirmThreshold;
}

/**
 * What runs cost and when to ask before one. Prices, like the base URL they belong to, come from the user's
 * own settings only: a workspace could otherwise make a run look cheaper than it is. A workspace may lower
 * `seedream.confirmAbove`, never raise it.
 */
export function readCostSettings(scope?: vscode.ConfigurationScope): CostSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const levels = config.inspect<unknown>('confirmAbove');
  const workspaceLevels = vscode.workspace.isTrusted ? [levels?.workspaceValue, levels?.workspaceFolderValue] : [];
  return {
    pricing: pricingFor(readBaseUrl(config), parsePriceOverride(settingValue(config.inspect<unknown>('prices'), false))),
    // `get` would merge the workspace's object into the user's: the user's own limits are read on their own.
    confirmAbove: stricterThreshold(
      parseConfirmThreshold(settingValue(levels, false)),
      ...workspaceLevels.filter((level) => level !== undefined).map(parseConfirmThreshold),
    ),
  };
}

const BILL_CHOICES_KEY = 'seedream.workspaceBillChoices';
let billChoices: vscode.Memento | undefined;

/** Where the answers to "This workspace's settings ask for …" are kept: the workspace's own storage. */
export function keepBillChoicesIn(workspaceState: vscode.Memento): void {
  billChoices = workspaceState;
}

/** The user's answer for the values `settings` hold, if they gave one in this workspace. */
export function billChoiceFor(settings: Settings): BillChoice | undefined {
  return parseBillChoices(billChoices?.get<unknown>(BILL_CHOICES_KEY))[billChoiceKey(settings)];
}

export async function rememberBillChoice(settings: Settings, choice: BillChoice): Promise<void> {
  await billChoices?.update(BILL_CHOICES_KEY, {
    ...parseBillChoices(billChoices.get<unknown>(BILL_CHOICES_KEY)),
    [billChoiceKey(settings)]: choice,
  });
}

/** VS Code's own proxy settings, which its fetch patch would apply but a bundled HTTP client must read. */
export function readNetworkSettings(): NetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<string>('proxy')?.trim();
  const noProxy = http.get<string[]>('noProxy', []).filter(Boolean).join(',');
  return {
    strictSSL: http.get<boolean>('proxyStrictSSL', true),
    ...(proxy ? { proxy } : {}),
    ...(noProxy ? { noProxy } : {}),
  };
}

export function openSettings(setting?: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', setting ?? '@ext:seedream-studio.seedream-studio');
}
