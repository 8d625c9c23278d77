/**
 * The engine bundle (dist/engine.js): everything that moves image bytes (the API client, the downloader,
 * undici, the streaming file writer). The command layer loads it at the first generation.
 */

export { ImageService } from './imageService';
export { localFolderSink } from './localFolderSink';
export { thumbnail } from './thumbnail';
