/** A number of images in words ("1 image", "3 images"), in the display language. */

import * as l10n from '@vscode/l10n';

export function imageCount(n: number): string {
  return n === 1 ? l10n.t('1 image') : l10n.t('{0} images', n);
}
