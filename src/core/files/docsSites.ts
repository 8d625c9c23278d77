/**
 * Docs frameworks and their image conventions: which config file names a framework, which folders hold its
 * pages, where its images go and how a page links them. Pure: the host finds the config files and reads them,
 * everything here works on their paths (absolute, POSIX) and text.
 *
 * | Framework | Found by | Pages | Images go to | Links |
 * | --- | --- | --- | --- | --- |
 * | Docusaurus | `docusaurus.config.{js,ts,…}` | `docs/`, `blog/`, `src/pages/`, `versioned_docs/`, `i18n/` | `static/img/` | root-absolute `/img/…` (served from `static/`) |
 * | VitePress | `.vitepress/config.{js,ts,…}` | `srcDir` (default: the project) | `<srcDir>/public/images/` | root-absolute `/images/…` (served from `public/`) |
 * | Hugo | `hugo.{toml,yaml,json}`, or `config.*` with a `baseURL` | `content/` | `static/images/` | root-absolute `/images/…` (served from `static/`) |
 * | MkDocs | `mkdocs.yml` | `docs_dir` (default `docs/`) | `<docs_dir>/img/` | relative |
 * | Sphinx | `conf.py` (with `project`, `extensions` …) | its folder | `<srcdir>/_static/` | relative |
 * | Astro Starlight | `astro.config.*` naming `@astrojs/starlight` | `src/content/docs/` | `src/assets/images/` | relative |
 * | mdBook | `book.toml` | `[book] src` (default `src/`) | `<src>/images/` | relative |
 */

import { isSameOrInside, joinAbsolute, normalizeSegments, parentPath, splitPath, fileNameOf } from './posixPath';

export type DocsFramework = 'docusaurus' | 'vitepress' | 'hugo' | 'mkdocs' | 'sphinx' | 'starlight' | 'mdbook';

export const DOCS_FRAMEWORKS: readonly DocsFramework[] = ['docusaurus', 'vitepress', 'hugo', 'mkdocs', 'sphinx', 'starlight', 'mdbook'];

export interface DocsSite {
  readonly framework: DocsFramework;
  /** The project folder: where its config file lives (the folder above `.vitepress` for VitePress). */
  readonly root: string;
  /** The folders whose pages follow the convention; a page elsewhere (a README at the top) keeps the default. */
  readonly contentDirs: readonly string[];
  /** Where new images go. */
  readonly imageDir: string;
  /** Where a root-absolute link (`/img/a.png`) points: the folder the site serves at its root, or its source root. */
  readonly rootDir: string;
  /** Whether pages link images root-absolute (into `rootDir`) rather than relative to themselves. */
  readonly rootLinks: boolean;
}

/** A config file the host found, with its text. */
export interface FoundConfigFile {
  readonly path: string;
  readonly text: string;
}

/**
 * The config files to look for, as one glob for the host's file search (names only, no nested braces, so every
 * glob engine reads it alike); {@link isDocsSiteConfigPath} then tells which of them to read.
 */
export const DOCS_SITE_CONFIG_GLOB = '**/{docusaurus.config.*,config.*,hugo.*,mkdocs.yml,mkdocs.yaml,conf.py,astro.config.*,book.toml}';

const SCRIPT = String.raw`\.(?:js|cjs|mjs|ts|cts|mts)$`;
const CONFIG_FILE = new RegExp(
  [
    `(?:^|/)docusaurus\\.config${SCRIPT}`,
    `(?:^|/)\\.vitepress/config${SCRIPT}`,
    String.raw`(?:^|/)(?:hugo|config)\.(?:toml|ya?ml|json)$`,
    String.raw`(?:^|/)mkdocs\.ya?ml$`,
    String.raw`(?:^|/)conf\.py$`,
    `(?:^|/)astro\\.config${SCRIPT}`,
    String.raw`(?:^|/)book\.toml$`,
  ].join('|'),
);

/** Whether a file the glob found is one a framework is detected by (and so worth reading). */
export function isDocsSiteConfigPath(path: string): boolean {
  return CONFIG_FILE.test(path);
}

/** The framework a config file names, if it names one. */
export function detectDocsSite(file: FoundConfigFile): DocsSite | undefined {
  const name = fileNameOf(file.path);
  const folder = parentPath(file.path);
  if (new RegExp(`^docusaurus\\.config${SCRIPT}`).test(name)) {
    return site('docusaurus', folder);
  }
  if (new RegExp(`^config${SCRIPT}`).test(name) && fileNameOf(folder) === '.vitepress') {
    return site('vitepress', parentPath(folder), stringOption(file.text, /\bsrcDir\s*:\s*(['"`])([^'"`]+)\1/));
  }
  if (
    /^hugo\.(?:toml|ya?ml|json)$/.test(name) ||
    (/^config\.(?:toml|ya?ml|json)$/.test(name) && /["']?baseurl["']?\s*[=:]/i.test(file.text))
  ) {
    return site('hugo', folder);
  }
  if (/^mkdocs\.ya?ml$/.test(name)) {
    return site('mkdocs', folder, stringOption(file.text, /^docs_dir\s*:\s*(['"]?)([^'"#\s]+)\1/m));
  }
  if (name === 'conf.py' && /^\s*(?:project|extensions|html_theme|root_doc|master_doc)\s*=/m.test(file.text)) {
    return site('sphinx', folder);
  }
  if (new RegExp(`^astro\\.config${SCRIPT}`).test(name) && file.text.includes('@astrojs/starlight')) {
    return site('starlight', folder);
  }
  if (name === 'book.toml') {
    return site('mdbook', folder, stringOption(file.text, /^\s*src\s*=\s*(['"])([^'"]+)\1/m));
  }
  return undefined;
}

/** Every site the config files name, the innermost first (a site inside another's folder wins for its pages). */
export function detectDocsSites(files: readonly FoundConfigFile[]): DocsSite[] {
  return files
    .flatMap((file) => {
      const found = detectDocsSite(file);
      return found ? [found] : [];
    })
    .sort((a, b) => splitPath(b.root).length - splitPath(a.root).length || a.root.localeCompare(b.root));
}

/** The site whose pages include `documentPath`, if any. */
export function siteOfDocument(sites: readonly DocsSite[], documentPath: string): DocsSite | undefined {
  const document = splitPath(documentPath);
  return sites.find((candidate) => candidate.contentDirs.some((dir) => isSameOrInside(document, splitPath(dir))));
}

/**
 * The site `framework` would be with its default layout at `root`: for a framework the user chose in
 * `seedream.docsConvention` where none was detected. Its conventions then hold for every page of the workspace.
 */
export function defaultDocsSite(framework: DocsFramework, root: string): DocsSite {
  return { ...site(framework, root), contentDirs: [root] };
}

/**
 * How `documentPath` links the image at `imagePath`: root-absolute (`/img/a.png`) when the site writes such
 * links and the image lies in the folder it serves; undefined when a relative link is the one to write.
 */
export function siteLinkPath(site: DocsSite, imagePath: string): string | undefined {
  if (!site.rootLinks) {
    return undefined;
  }
  const image = splitPath(imagePath);
  const served = splitPath(site.rootDir);
  return isSameOrInside(image, served) && image.length > served.length ? `/${image.slice(served.length).join('/')}` : undefined;
}

/** The file a root-absolute link (`/img/a.png`) of one of the site's pages names, as the framework resolves it. */
export function resolveSiteLink(site: DocsSite, linkPath: string): string | undefined {
  const segments = normalizeSegments(splitPath(linkPath));
  return segments === undefined ? undefined : joinAbsolute([...splitPath(site.rootDir), ...segments]);
}

/** `folder` joined with relative `names`, `.` resolved (callers pass no `..`). */
function under(folder: string, ...names: string[]): string {
  return joinAbsolute([...splitPath(folder), ...names.flatMap(splitPath).filter((name) => name !== '.')]);
}

function site(framework: DocsFramework, root: string, configuredDir?: string): DocsSite {
  const at = (...relative: string[]): string => under(root, ...relative);
  // A folder option that climbs out of the project is not trusted: the default takes its place.
  const inside = (dir: string | undefined, fallback: string): string => {
    const segments = dir === undefined ? undefined : normalizeSegments([...splitPath(root), ...splitPath(dir)]);
    return segments !== undefined && isSameOrInside(segments, splitPath(root)) ? joinAbsolute(segments) : at(fallback);
  };
  switch (framework) {
    case 'docusaurus':
      return {
        framework,
        root,
        contentDirs: ['docs', 'blog', 'src/pages', 'versioned_docs', 'i18n'].map((dir) => at(dir)),
        imageDir: at('static', 'img'),
        rootDir: at('static'),
        rootLinks: true,
      };
    case 'vitepress': {
      const source = inside(configuredDir, '.');
      return {
        framework,
        root,
        contentDirs: [source],
        imageDir: under(source, 'public', 'images'),
        rootDir: under(source, 'public'),
        rootLinks: true,
      };
    }
    case 'hugo':
      return { framework, root, contentDirs: [at('content')], imageDir: at('static', 'images'), rootDir: at('static'), rootLinks: true };
    case 'mkdocs': {
      const docs = inside(configuredDir, 'docs');
      return { framework, root, contentDirs: [docs], imageDir: under(docs, 'img'), rootDir: docs, rootLinks: false };
    }
    case 'sphinx':
      return { framework, root, contentDirs: [root], imageDir: at('_static'), rootDir: root, rootLinks: false };
    case 'starlight':
      return {
        framework,
        root,
        contentDirs: [at('src', 'content', 'docs')],
        imageDir: at('src', 'assets', 'images'),
        rootDir: at('public'),
        rootLinks: false,
      };
    case 'mdbook': {
      const source = inside(configuredDir, 'src');
      return { framework, root, contentDirs: [source], imageDir: under(source, 'images'), rootDir: source, rootLinks: false };
    }
  }
}

/** The second group of `pattern` in `text` (the first is the quote), trimmed. */
function stringOption(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text)?.[2]?.trim() || undefined;
}
