// The first-run walkthrough (package.json, contributes.walkthroughs): every step has its button and media in each
// language, and completes on a context key the extension really sets, or on its own command.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { provideVscode, vscodeModule } from '../support/vscodeStandIn';

const ROOT = join(__dirname, '..', '..');
const LANGUAGES = ['', 'zh-cn'];

interface Step {
  readonly id: string;
  readonly description: string;
  readonly media: { readonly markdown?: string; readonly image?: string; readonly altText?: string };
  readonly completionEvents: readonly string[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;
const manifest = readJson<{ contributes: { walkthroughs: { steps: Step[] }[]; commands: { command: string }[] } }>('package.json');
const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);

/** A manifest string as VS Code shows it in `language` ('' for English). */
function localized(value: string, language: string): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  return key === undefined ? value : readJson<Record<string, string>>(language ? `package.nls.${language}.json` : 'package.nls.json')[key]!;
}

describe('Walkthrough', () => {
  for (const language of LANGUAGES) {
    it(`every step's media exists and its description has a command button (${language || 'en'})`, () => {
      for (const step of steps) {
        const media = localized(step.media.markdown ?? step.media.image ?? '', language);
        assert.ok(existsSync(join(ROOT, media)), `${step.id}: ${media} is missing`);
        assert.match(localized(step.description, language), /\n\[[^\]]+\]\(command:[\w.]+/, `${step.id}: no command button`);
      }
    });
  }

  it('completes on context keys the extension sets, or on commands', () => {
    const restore = provideVscode(vscodeModule());
    try {
      const progress = require('../../src/host/walkthroughProgress') as typeof import('../../src/host/walkthroughProgress');
      const keys = [progress.HAS_API_KEY_CONTEXT, progress.HAS_GENERATED_IMAGE_CONTEXT];
      for (const event of steps.flatMap((step) => step.completionEvents)) {
        const [kind, name] = event.split(':') as [string, string];
        assert.ok(kind === 'onCommand' || (kind === 'onContext' && keys.includes(name)), event);
      }
      assert.deepEqual(
        keys.filter((key) => !steps.some((step) => step.completionEvents.includes(`onContext:${key}`))),
        [],
        'every context key set for the walkthrough completes a step',
      );
    } finally {
      restore();
    }
  });
});
