import assert from 'node:assert/strict';
import { findModel, MAX_REFERENCES, MODELS, referenceLimit } from '../../../../src/core/model/catalog';
import type { ReferenceImage, WorkspaceReference } from '../../../../src/core/model/references';
import { validateGeneration, type GenerationInput } from '../../../../src/core/model/validation';
import { TEST_INPUT } from '../../../support/generationInput';

const MB = 1024 * 1024;
const V4 = 'seedream-4-0-250828';
const V5 = 'seedream-5-0-260128';
const UPSTREAM = 'https://ark.ap-southeast.bytepluses.com/api/v3';

/** A PNG reference; a field given as undefined is left out (a header that does not say). */
function file(name: string, fields: { [Key in keyof WorkspaceReference]?: WorkspaceReference[Key] | undefined } = {}): WorkspaceReference {
  const merged = { kind: 'file', path: `/ws/${name}`, name, byteLength: 2 * MB, format: 'png', width: 1024, height: 768, ...fields };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as unknown as WorkspaceReference;
}

function files(count: number): WorkspaceReference[] {
  return Array.from({ length: count }, (_, i) => file(`ref-${i + 1}.png`));
}

/** Every issue as `field[index]: message`. */
function issuesOf(input: Partial<GenerationInput>, baseUrl?: string): string[] {
  const result = validateGeneration({ ...TEST_INPUT, ...input }, baseUrl === undefined ? {} : { baseUrl });
  return result.ok
    ? []
    : result.issues.map((issue) => `${issue.field}${issue.index === undefined ? '' : `[${issue.index}]`}: ${issue.message}`);
}

interface Row {
  readonly rule: string;
  readonly input: Partial<GenerationInput>;
  readonly baseUrl?: string;
  /** The exact issues, or [] when the input passes. */
  readonly issues: readonly string[];
}

const TABLE: readonly Row[] = [
  // Size of each file.
  {
    rule: 'at most 10 MB per file',
    input: { model: V4, outputFormat: 'jpeg', references: [file('photo.png', { byteLength: Math.round(14.2 * MB) })] },
    issues: ['references[0]: seedream-4-0 takes at most 10 MB per reference; photo.png is 14.2 MB: export it smaller.'],
  },
  {
    rule: 'one byte over 10 MB shows the bytes',
    input: { references: [file('big.png', { byteLength: 10 * MB + 1 })] },
    issues: ['references[0]: seedream-5-0 takes at most 10 MB per reference; big.png is 10 MB (10,485,761 bytes): export it smaller.'],
  },
  { rule: 'exactly 10 MB passes', input: { references: [file('edge.png', { byteLength: 10 * MB })] }, issues: [] },
  // Sides.
  {
    rule: 'sides longer than 14 px',
    input: { references: [file('icon.png', { width: 14, height: 200 })] },
    issues: ['references[0]: icon.png is 14x200 pixels; seedream-5-0 needs both sides longer than 14 pixels: use a larger image.'],
  },
  { rule: '15 px sides pass', input: { references: [file('tiny.png', { width: 15, height: 15 })] }, issues: [] },
  {
    rule: 'at most 6000x6000',
    input: { references: [file('scan.png', { width: 6001, height: 4000 })] },
    issues: ['references[0]: scan.png is 6001x4000 pixels; seedream-5-0 takes at most 6000x6000 pixels: scale it down.'],
  },
  { rule: '6000x6000 passes', input: { references: [file('max.png', { width: 6000, height: 6000 })] }, issues: [] },
  // Aspect ratio: 4.0 from 1:3 to 3:1, the others from 1:16 to 16:1.
  {
    rule: '4.0 aspect bounds 1:3 to 3:1',
    input: { model: V4, outputFormat: 'jpeg', references: [file('banner.png', { width: 3100, height: 1000 })] },
    issues: [
      'references[0]: banner.png is 3100x1000 pixels, more elongated than the aspect ratios seedream-4-0 takes (1:3 to 3:1): crop it.',
    ],
  },
  {
    rule: '4.0 takes 3:1 exactly',
    input: { model: V4, outputFormat: 'jpeg', references: [file('wide.png', { width: 3000, height: 1000 })] },
    issues: [],
  },
  { rule: '5.0 takes 3.1:1', input: { references: [file('banner.png', { width: 3100, height: 1000 })] }, issues: [] },
  {
    rule: '5.0 aspect bounds 1:16 to 16:1',
    input: { references: [file('strip.png', { width: 100, height: 1700 })] },
    issues: [
      'references[0]: strip.png is 100x1700 pixels, more elongated than the aspect ratios seedream-5-0 takes (1:16 to 16:1): crop it.',
    ],
  },
  // Formats.
  {
    rule: '4.0 reads JPEG and PNG only',
    input: { model: V4, outputFormat: 'jpeg', references: [file('photo.webp', { format: 'webp' })] },
    issues: ['references[0]: seedream-4-0 takes JPEG or PNG references; photo.webp is WEBP: convert it to PNG or JPEG.'],
  },
  {
    rule: '5.0 reads WEBP, BMP, TIFF and GIF too',
    input: {
      references: (['jpeg', 'webp', 'bmp', 'tiff', 'gif'] as const).map((format) => file(`a.${format}`, { format })),
    },
    issues: [],
  },
  {
    rule: 'not an image',
    input: { references: [file('notes.txt', { format: undefined, width: undefined, height: undefined })] },
    issues: [
      'references[0]: notes.txt is not an image seedream-5-0 reads (its header is not one of JPEG, PNG, WEBP, BMP, TIFF or GIF): export it as PNG or JPEG.',
    ],
  },
  {
    rule: 'a size the header does not give',
    input: { references: [file('odd.tiff', { format: 'tiff', width: undefined, height: undefined })] },
    issues: ['references[0]: The pixel size of odd.tiff could not be read from its header: export it again as PNG or JPEG.'],
  },
  // Count: 10 at the provider, 14 elsewhere.
  { rule: '10 references at the provider pass', input: { references: files(10) }, issues: [] },
  {
    rule: 'at most 10 references at the provider',
    input: { references: files(11) },
    issues: [
      'references: seedream-5-0 takes at most 10 reference images through the provider (api.apiyi.com; the upstream API takes more); 11 were given: remove 1.',
    ],
  },
  {
    rule: 'the provider bound under another path on its host',
    input: { references: files(11) },
    baseUrl: 'https://API.apiyi.com/other/v1/',
    issues: [
      'references: seedream-5-0 takes at most 10 reference images through the provider (api.apiyi.com; the upstream API takes more); 11 were given: remove 1.',
    ],
  },
  { rule: '14 references upstream pass', input: { references: files(14) }, baseUrl: UPSTREAM, issues: [] },
  {
    rule: 'at most 14 references upstream',
    input: { references: files(16) },
    baseUrl: UPSTREAM,
    issues: ['references: seedream-5-0 takes at most 14 reference images; 16 were given: remove 2.'],
  },
  // Input + output <= 15.
  { rule: '10 references and a set of 5 pass', input: { references: files(10), maxImages: 5 }, issues: [] },
  {
    rule: 'references + set <= 15',
    input: { references: files(10), maxImages: 6 },
    issues: [
      'maxImages: Reference images and images to make may be at most 15 in one request; 10 references and a set of up to 6 make 16: ask for a set of at most 5, or use fewer references.',
    ],
  },
  {
    rule: 'references + n <= 15',
    input: { references: files(12), n: 4 },
    baseUrl: UPSTREAM,
    issues: [
      'n: Reference images and images to make may be at most 15 in one request; 12 references and 4 images make 16: ask for at most 3, or use fewer references.',
    ],
  },
  { rule: 'a set of 15 without references passes', input: { maxImages: 15 }, issues: [] },
  // Image sets.
  {
    rule: 'a set has 1 to 15 images',
    input: { maxImages: 16 },
    issues: ['maxImages: An image set has from 1 to 15 images: ask for a whole number in that range (got 16).'],
  },
  {
    rule: 'a set of 0',
    input: { maxImages: 0 },
    issues: ['maxImages: An image set has from 1 to 15 images: ask for a whole number in that range (got 0).'],
  },
  {
    rule: 'a set of 2.5',
    input: { maxImages: 2.5 },
    issues: ['maxImages: An image set has from 1 to 15 images: ask for a whole number in that range (got 2.5).'],
  },
  {
    rule: 'a set is one request: n stays 1',
    input: { maxImages: 4, n: 2 },
    issues: [
      "maxImages: An image set is one request for up to 4 images; the number of images must then stay 1 (got 2): raise the set's size instead.",
    ],
  },
  // Addresses.
  { rule: 'an https URL passes', input: { references: [{ kind: 'url', url: 'https://example.com/photo.png' }] }, issues: [] },
  { rule: 'a loopback http URL passes', input: { references: [{ kind: 'url', url: 'http://127.0.0.1:8080/a.png' }] }, issues: [] },
  {
    rule: 'http URLs are refused',
    input: { references: [{ kind: 'url', url: 'http://example.com/photo.png' }] },
    issues: ['references[0]: A reference image address must use https (plain http is only allowed for localhost); got http://example.com.'],
  },
  {
    rule: 'other schemes are refused',
    input: { references: [{ kind: 'url', url: 'ftp://example.com/photo.png' }] },
    issues: [
      'references[0]: A reference image must be a file of the workspace or an https: address; ftp: addresses are not taken: save the image into the workspace and name that file, or pass its https: URL.',
    ],
  },
  {
    rule: 'a data: or javascript: reference is refused with what to do, neither echoed whole nor shown as data:// (bug: the http message named it "data://")',
    input: {
      references: [
        { kind: 'url', url: `data:image/png;base64,${'A'.repeat(10_000)}` },
        { kind: 'url', url: 'javascript:alert(1)' },
      ],
    },
    issues: [
      'references[0]: A reference image must be a file of the workspace or an https: address; data: addresses are not taken: save the image into the workspace and name that file, or pass its https: URL.',
      'references[1]: A reference image must be a file of the workspace or an https: address; javascript: addresses are not taken: save the image into the workspace and name that file, or pass its https: URL.',
    ],
  },
  {
    rule: 'what is no address',
    input: { references: [{ kind: 'url', url: 'photo at the office' }] },
    issues: ['references[0]: The reference "photo at the office" is not an address: use an https: URL, or a file of the workspace.'],
  },
];

describe('reference images and image sets: validation', () => {
  for (const row of TABLE) {
    it(row.rule, () => {
      assert.deepEqual(issuesOf(row.input, row.baseUrl), row.issues);
    });
  }

  it('reports the problem of each reference with its position, all at once', () => {
    const references: ReferenceImage[] = [
      file('ok.png'),
      file('big.png', { byteLength: 11 * MB }),
      { kind: 'url', url: 'http://example.com/a.png' },
    ];
    assert.deepEqual(
      issuesOf({ references }).map((issue) => issue.slice(0, issue.indexOf(':'))),
      ['references[1]', 'references[2]'],
    );
  });

  it('passes the references in order and the set size to the request', () => {
    const references: ReferenceImage[] = [file('b.png'), { kind: 'url', url: 'https://example.com/a.png' }, file('a.png')];
    const result = validateGeneration({ ...TEST_INPUT, references, maxImages: 3 });
    assert.ok(result.ok);
    assert.deepEqual(result.request.references, references);
    assert.equal(result.request.maxImages, 3);
    const plain = validateGeneration(TEST_INPUT);
    assert.ok(plain.ok && plain.request.references.length === 0 && !('maxImages' in plain.request));
  });

  it('has the reference rules of every model as data', () => {
    for (const model of MODELS) {
      assert.ok(model.references, model.id);
      assert.ok(model.imageSets, model.id);
    }
    assert.deepEqual(findModel(V4)!.references!.formats, ['jpeg', 'png']);
    assert.equal(findModel(V4)!.references!.maxAspectRatio, 3);
    assert.equal(findModel(V5)!.references!.maxAspectRatio, 16);
    assert.deepEqual(referenceLimit(), { max: MAX_REFERENCES.provider, source: 'provider' });
    assert.deepEqual(referenceLimit(UPSTREAM), { max: MAX_REFERENCES.upstream, source: 'upstream' });
    assert.deepEqual(referenceLimit('not a url'), { max: MAX_REFERENCES.provider, source: 'provider' });
  });
});
