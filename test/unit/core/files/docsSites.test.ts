// Each docs framework's sample project (test/fixtures/docsSites): the image goes where the framework keeps
// images, and the link written for it resolves, by that framework's own rule, to exactly that file. Each rule
// is modelled below from the framework's source or documentation, named with it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch/posix';
import { chooseImagePlacement, siteForLinks, type DocsConvention } from '../../../../src/core/files/docsConvention';
import {
  DOCS_SITE_CONFIG_GLOB,
  defaultDocsSite,
  detectDocsSite,
  detectDocsSites,
  isDocsSiteConfigPath,
  resolveSiteLink,
  siteLinkPath,
  type DocsSite,
} from '../../../../src/core/files/docsSites';
import { relativeLinkPath } from '../../../../src/core/links/linkFormat';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'docsSites');
const IMAGE = 'a-lighthouse.png';

/** A scratch copy of a sample project; paths in it are POSIX, as the host hands them to the pure code. */
function sampleProject(name: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `seedream-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), root, { recursive: true });
  return root.split(path.sep).join('/');
}

/** What the host does: find the config files by the glob, read them. */
function configFiles(root: string): { path: string; text: string }[] {
  const isConfig = picomatch(DOCS_SITE_CONFIG_GLOB, { dot: true });
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = `${dir}/${entry.name}`;
      return entry.isDirectory() ? walk(full) : isConfig(full.slice(root.length + 1)) && isDocsSiteConfigPath(full) ? [full] : [];
    });
  return walk(root).map((file) => ({ path: file, text: fs.readFileSync(file, 'utf8') }));
}

interface Placed {
  readonly site: DocsSite;
  readonly image: string;
  readonly link: string;
}

/** Places a new image for `page` as the extension does, writes it, and returns the link it would insert. */
function placeFor(root: string, page: string, convention: DocsConvention = 'auto'): Placed {
  const documentPath = `${root}/${page}`;
  const placement = chooseImagePlacement({
    convention,
    outputFolderSet: false,
    sites: detectDocsSites(configFiles(root)),
    documentPath,
    workspaceFolderPath: root,
  });
  assert.equal(placement.kind, 'site', `${page} should follow its docs site`);
  if (placement.kind !== 'site') {
    throw new Error('unreachable');
  }
  const image = `${placement.site.imageDir}/${IMAGE}`;
  fs.mkdirSync(path.dirname(image), { recursive: true });
  fs.writeFileSync(image, 'png');
  const link = siteLinkPath(placement.site, image) ?? relativeLinkPath(path.posix.dirname(documentPath), image);
  return { site: placement.site, image, link };
}

const exists = (file: string): boolean => fs.existsSync(file);

describe('docs sites: where images go and how their links resolve in each framework', () => {
  const roots: string[] = [];
  const project = (name: string): string => {
    const root = sampleProject(name);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('Docusaurus: static/img with a root-absolute link, which the MDX loader finds in the static folder', () => {
    const root = project('docusaurus');
    const page = `${root}/docs/guides/setup.md`;
    const { image, link } = placeFor(root, 'docs/guides/setup.md');
    assert.equal(image, `${root}/static/img/${IMAGE}`);
    assert.equal(link, `/img/${IMAGE}`);
    // @docusaurus/mdx-loader, src/remark/transformImage/index.ts, getImageAbsolutePath: `@site/` is the site
    // folder; an absolute path is looked up in each of `staticDirectories` (default ['static']) in turn; any
    // other path is joined to the Markdown file's folder. The site's `baseUrl` is added by the loader, so the
    // link does not carry it.
    const docusaurusResolve = (url: string, filePath: string, staticDirs: readonly string[]): string | undefined => {
      if (url.startsWith('@site/')) {
        return path.posix.join(root, url.slice('@site/'.length));
      }
      if (path.posix.isAbsolute(url)) {
        return staticDirs.map((dir) => path.posix.join(dir, url)).find(exists);
      }
      const relative = path.posix.join(path.posix.dirname(filePath), decodeURIComponent(url));
      return exists(relative) ? relative : undefined;
    };
    assert.equal(docusaurusResolve(link, page, [`${root}/static`]), image);
  });

  it('Docusaurus: a README outside docs/, blog/ and src/pages keeps the default folder', () => {
    const root = project('docusaurus');
    const placement = chooseImagePlacement({
      convention: 'auto',
      outputFolderSet: false,
      sites: detectDocsSites(configFiles(root)),
      documentPath: `${root}/README.md`,
      workspaceFolderPath: root,
    });
    assert.deepEqual(placement, { kind: 'outputFolder' });
  });

  it('MkDocs: <docs_dir>/img with a relative link, which MkDocs resolves inside docs_dir', () => {
    const root = project('mkdocs');
    const { image, link } = placeFor(root, 'documentation/user-guide/install.md');
    assert.equal(image, `${root}/documentation/img/${IMAGE}`, 'docs_dir comes from mkdocs.yml');
    assert.equal(link, `../img/${IMAGE}`);
    // mkdocs/structure/pages.py, _RelativePathTreeprocessor: a URL with a scheme, a netloc or an absolute path
    // is left alone (and 1.6 warns about absolute links); a relative one is joined to the folder of the page's
    // src_uri (its path inside docs_dir) and normalised, and must name a file of the build, i.e. one in docs_dir.
    const docsDir = `${root}/documentation`;
    const mkdocsResolve = (url: string, srcUri: string): string | undefined => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) {
        return undefined;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(srcUri), decodeURIComponent(url)));
      return target.startsWith('../') || !exists(`${docsDir}/${target}`) ? undefined : `${docsDir}/${target}`;
    };
    assert.equal(mkdocsResolve(link, 'user-guide/install.md'), image);
    // With use_directory_urls the page is served at user-guide/install/: the link is rewritten for that, from
    // the same resolved file, so it stays valid in the build.
  });

  it('Sphinx: <srcdir>/_static with a relative link, which Sphinx resolves from the document folder', () => {
    const root = project('sphinx');
    const { image, link } = placeFor(root, 'docs/usage/quickstart.rst');
    assert.equal(image, `${root}/docs/_static/${IMAGE}`);
    assert.equal(link, `../_static/${IMAGE}`);
    // sphinx/environment/__init__.py, BuildEnvironment.relfn2path: "absolute filenames are taken as relative to
    // the source dir, while relative filenames are relative to the dir of the containing document". The source
    // dir is conf.py's folder here; an image outside it is not part of the project.
    const srcdir = `${root}/docs`;
    const sphinxResolve = (filename: string, docname: string): string | undefined => {
      const rel = filename.startsWith('/')
        ? path.posix.normalize(filename.slice(1))
        : path.posix.normalize(path.posix.join(path.posix.dirname(docname), filename));
      return rel.startsWith('../') || !exists(`${srcdir}/${rel}`) ? undefined : `${srcdir}/${rel}`;
    };
    assert.equal(sphinxResolve(link, 'usage/quickstart'), image);
    // A root-absolute link in the same project resolves from the source dir, as the extension reads it.
    assert.equal(
      resolveSiteLink(detectDocsSites(configFiles(root))[0]!, `/_static/${IMAGE}`),
      sphinxResolve(`/_static/${IMAGE}`, 'usage/quickstart'),
    );
  });

  it('VitePress: <srcDir>/public/images with a root-absolute link, served from public/ under any base', () => {
    const root = project('vitepress');
    const { image, link } = placeFor(root, 'docs/guide/getting-started.md');
    assert.equal(image, `${root}/docs/public/images/${IMAGE}`);
    assert.equal(link, `/images/${IMAGE}`);
    // VitePress guide, "Asset Handling": files in <srcDir>/public are served at the root and referenced with
    // root-absolute paths (public/icon.png as /icon.png); in Markdown the configured `base` is added for them.
    const vitepressResolve = (url: string, srcDir: string): string | undefined =>
      url.startsWith('/') && exists(`${srcDir}/public${url}`) ? `${srcDir}/public${url}` : undefined;
    assert.equal(vitepressResolve(link, `${root}/docs`), image);
  });

  it('Hugo: static/images with a root-absolute link, as Hugo copies static/ to the site root', () => {
    const root = project('hugo');
    const { image, link } = placeFor(root, 'content/posts/first.md');
    assert.equal(image, `${root}/static/images/${IMAGE}`);
    assert.equal(link, `/images/${IMAGE}`);
    // Hugo docs, "Static files": the files in static/ are copied as they are to the root of the published site.
    const hugoResolve = (url: string): string | undefined =>
      url.startsWith('/') && exists(`${root}/static${url}`) ? `${root}/static${url}` : undefined;
    assert.equal(hugoResolve(link), image);
  });

  it('Astro Starlight: src/assets/images with a relative link, as Astro resolves Markdown images', () => {
    const root = project('starlight');
    const page = `${root}/src/content/docs/guides/example.md`;
    const { image, link } = placeFor(root, 'src/content/docs/guides/example.md');
    assert.equal(image, `${root}/src/assets/images/${IMAGE}`);
    assert.equal(link, `../../../assets/images/${IMAGE}`);
    // Starlight guide, "Images": a relative path in Markdown is resolved from the Markdown file and the image
    // optimised by Astro (src/assets/ is where the guide puts them).
    assert.equal(path.posix.join(path.posix.dirname(page), link), image);
  });

  it('mdBook: <src>/images with a relative link inside the book source', () => {
    const root = project('mdbook');
    const { image, link } = placeFor(root, 'book/chapter_1.md');
    assert.equal(image, `${root}/book/images/${IMAGE}`, 'src comes from book.toml');
    assert.equal(link, `images/${IMAGE}`);
    // mdBook guide, "Links": relative links are resolved from the chapter's file; everything in src is copied to the book.
    assert.equal(path.posix.join(`${root}/book`, link), image);
  });

  it('a framework chosen in the setting applies its default layout where none was detected', () => {
    const root = project('mdbook');
    const placement = chooseImagePlacement({
      convention: 'docusaurus',
      outputFolderSet: false,
      sites: detectDocsSites(configFiles(root)),
      documentPath: `${root}/notes/a.md`,
      workspaceFolderPath: root,
    });
    assert.deepEqual(placement, { kind: 'site', site: defaultDocsSite('docusaurus', root) });
  });
});

describe('docs sites: detection', () => {
  it('reads only the files a framework is named by', () => {
    assert.equal(isDocsSiteConfigPath('/w/docs/.vitepress/config.mts'), true);
    assert.equal(isDocsSiteConfigPath('.vitepress/config.js'), true);
    assert.equal(isDocsSiteConfigPath('/w/src/config.ts'), false);
    assert.equal(isDocsSiteConfigPath('/w/config.yaml'), true);
    assert.equal(isDocsSiteConfigPath('/w/hugo.json'), true);
    assert.equal(isDocsSiteConfigPath('/w/astro.config.mjs'), true);
  });

  it('a config.toml is Hugo only with a baseURL; conf.py only with Sphinx settings; astro only with Starlight', () => {
    assert.equal(detectDocsSite({ path: '/w/config.toml', text: 'name = "x"' }), undefined);
    assert.equal(detectDocsSite({ path: '/w/config.toml', text: 'baseURL = "https://example.org/"' })?.framework, 'hugo');
    assert.equal(detectDocsSite({ path: '/w/tools/conf.py', text: 'DEBUG = True' }), undefined);
    assert.equal(detectDocsSite({ path: '/w/astro.config.mjs', text: 'export default {}' }), undefined);
    assert.equal(detectDocsSite({ path: '/w/config.ts', text: 'export default {}' }), undefined, 'config.ts outside .vitepress');
  });

  it('a folder option that climbs out of the project falls back to the default', () => {
    assert.equal(detectDocsSite({ path: '/w/mkdocs.yml', text: 'docs_dir: ../../etc' })?.imageDir, '/w/docs/img');
    assert.equal(
      detectDocsSite({ path: '/w/docs/.vitepress/config.js', text: "export default { srcDir: './src' }" })?.imageDir,
      '/w/docs/src/public/images',
    );
  });

  it('the innermost site owns its pages', () => {
    const sites = detectDocsSites([
      { path: '/w/hugo.toml', text: '' },
      { path: '/w/content/manual/mkdocs.yml', text: 'docs_dir: .' },
    ]);
    const documentPath = '/w/content/manual/page.md';
    assert.equal(siteForLinks({ convention: 'auto', sites, documentPath })?.framework, 'mkdocs');
  });
});

describe('docs sites: which convention places an image', () => {
  const sites = detectDocsSites([{ path: '/w/docusaurus.config.ts', text: '' }]);
  const base = { sites, documentPath: '/w/docs/a.md', workspaceFolderPath: '/w' };

  it('an output folder set in any scope wins over every convention', () => {
    assert.deepEqual(chooseImagePlacement({ ...base, convention: 'auto', outputFolderSet: true, copyFilesDestination: 'x/' }), {
      kind: 'outputFolder',
    });
  });

  it('markdown.copyFiles.destination comes before the framework; off turns both off', () => {
    assert.deepEqual(chooseImagePlacement({ ...base, convention: 'auto', outputFolderSet: false, copyFilesDestination: 'media/' }), {
      kind: 'copyFiles',
      destination: 'media/',
    });
    assert.equal(chooseImagePlacement({ ...base, convention: 'auto', outputFolderSet: false }).kind, 'site');
    assert.equal(
      chooseImagePlacement({ ...base, convention: 'off', outputFolderSet: false, copyFilesDestination: 'media/' }).kind,
      'outputFolder',
    );
    assert.equal(chooseImagePlacement({ ...base, convention: 'copyFiles', outputFolderSet: false }).kind, 'outputFolder');
  });

  it('root-absolute links only point into the served folder', () => {
    const [site] = sites;
    assert.equal(siteLinkPath(site!, '/w/static/img/a.png'), '/img/a.png');
    assert.equal(siteLinkPath(site!, '/w/docs/img/a.png'), undefined);
    assert.equal(resolveSiteLink(site!, '/img/a.png'), '/w/static/img/a.png');
    assert.equal(resolveSiteLink(site!, '/../../etc/passwd'), undefined);
  });
});
