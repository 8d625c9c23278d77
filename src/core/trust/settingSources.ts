/**
 * Which level of a setting counts. A workspace is someone else's code: in an untrusted one the settings
 * that send the key or cost money come from the user's own settings (or the defaults) only.
 */

import { SETTINGS } from '../model/settings';

/**
 * The `seedream.*` settings a workspace must not set while untrusted, as package.json lists them in
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`.
 */
export const RESTRICTED_SETTINGS: readonly string[] = Object.entries(SETTINGS).flatMap(
  ([name, spec]: [string, { restricted?: boolean }]) => (spec.restricted ? [name] : []),
);

/** The levels of one setting, as `WorkspaceConfiguration.inspect` gives them. */
export interface SettingLevels<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

/** The value that counts: the most specific level, or only the user's own value and the default when the workspace may not set it. */
export function settingValue<T>(levels: SettingLevels<T> | undefined, workspaceMaySet: boolean): T | undefined {
  const own = levels?.globalValue ?? levels?.defaultValue;
  return workspaceMaySet ? (levels?.workspaceFolderValue ?? levels?.workspaceValue ?? own) : own;
}
