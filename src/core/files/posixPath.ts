/**
 * String-only helpers for POSIX style paths such as VS Code URI paths
 * (`/c:/Users/me/docs`). A drive like `c:` is an ordinary segment here.
 */

/** The names in a path, without the empty segments of duplicate, leading or trailing slashes. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Resolves `.` and `..`; undefined when `..` climbs above the first segment. */
export function normalizeSegments(segments: readonly string[]): string[] | undefined {
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') {
      if (resolved.pop() === undefined) {
        return undefined;
      }
    } else if (segment !== '.') {
      resolved.push(segment);
    }
  }
  return resolved;
}

/** Whether `path` starts with all of `folder`'s segments (equal counts as inside). */
export function isSameOrInside(path: readonly string[], folder: readonly string[]): boolean {
  return folder.length <= path.length && folder.every((segment, i) => path[i] === segment);
}

/** `/a/b` from `['a', 'b']`; `/` for none. */
export function joinAbsolute(segments: readonly string[]): string {
  return `/${segments.join('/')}`;
}

/** The last name of a path: `/docs/images/a.png` -> `a.png`. */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The folder of a path: `/docs/images/a.png` -> `/docs/images`, and `/` for a name at the root. */
export function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/**
 * Which workspace folder a workspace path lies in, as VS Code writes such paths (`asRelativePath`): in a
 * workspace of several folders a path starts with its folder's name; with one folder it is inside that
 * folder. `folder` is the index in `folderNames`, or undefined for a path that names no folder (the caller's
 * default folder holds it). A leading `/` means the same as none.
 */
export function workspaceFolderOf(path: string, folderNames: readonly string[]): { readonly folder?: number; readonly inside: string } {
  const inside = path.replace(/^\/+/, '');
  if (folderNames.length > 1) {
    const slash = inside.indexOf('/');
    const folder = slash > 0 ? folderNames.indexOf(inside.slice(0, slash)) : -1;
    if (folder >= 0) {
      return { folder, inside: inside.slice(slash + 1) };
    }
  }
  return { inside };
}
