/** What each missing link asks for under the current settings. */

import { planMissingImage, type MissingImagePlan } from '../../core/links/missingImage';
import { readSettings } from '../config';
import type { DocumentImageLink } from './documentLinks';

/** The generation `link` asks for with the model configured for its document (or `model`). */
export function planFor(link: DocumentImageLink, model?: string): MissingImagePlan {
  return planMissingImage(link.target.path, link.reference.prompt, model ?? readSettings(link.document.uri).model);
}
