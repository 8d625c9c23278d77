/** A sink that streams each image into a folder on this machine (local workspace folders, tests, the benchmark). */

import type { ImageInfo } from '../core/image/imageCheck';
import { type LocalFiles, writeNewLocalFile } from './localFile';
import type { ImagePayload, ImageSink } from './pipeline';
import { savedImageRecord, type SavedImageRecord } from '../core/image/savedImage';

export interface SavedLocalImage extends SavedImageRecord {
  readonly path: string;
}

/**
 * A sink writing into one local folder with streams; `names` gives the candidate names for an image,
 * `files` the file operations (the disk's own unless a test plays others).
 */
export function localFolderSink(
  folder: string,
  names: (payload: ImagePayload, info: ImageInfo) => Iterable<string>,
  files?: LocalFiles,
): ImageSink<SavedLocalImage> {
  return {
    async save(payload, signal) {
      const path = await writeNewLocalFile(folder, payload.chunks, () => names(payload, payload.info()), signal, files);
      return { ...savedImageRecord(payload), path };
    },
  };
}
