// The extension is installed from its .vsix and its commands are offered in the command palette.
import { e2eCase } from '../harness';
import { openCommandPalette, quickItem } from '../ui';

export default e2eCase('the command palette lists "Seedream: Generate Image"', async ({ page, screenshot }) => {
  await openCommandPalette(page, 'Seedream');
  await quickItem(page, 'Seedream: Generate Image').waitFor({ state: 'visible' });
  await screenshot('palette');
  await page.keyboard.press('Escape');
});
