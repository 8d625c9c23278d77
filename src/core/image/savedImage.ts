/** The record every sink returns for an image it saved, whatever the place (a local path, a workspace URI). */

import type { ImageInfo } from './imageCheck';
import type { ImagePayload } from '../../engine/pipeline';

/** What a sink reports of an image it saved, apart from where it put it. */
export interface SavedImageRecord {
  readonly index: number;
  readonly info: ImageInfo;
  readonly reportedSize?: string;
  readonly remoteUrl?: string;
}

/** The record of a saved payload; call once its bytes are on disk. */
export function savedImageRecord(payload: ImagePayload): SavedImageRecord {
  return {
    index: payload.index,
    info: payload.info(),
    ...(payload.reportedSize ? { reportedSize: payload.reportedSize } : {}),
    ...(payload.remoteUrl ? { remoteUrl: payload.remoteUrl } : {}),
  };
}
