/**
 * The engine bundle (dist/engine.js): everything that moves image bytes (the API client, the downloader,
 * undici, the streaming file writer). The command layer loads it at the first generation.
 */

export { ImageService } from './imageService';
export { localFolderSink } from './localFolderSink';
export { inspectImageFile } from './imageFileHeader';
/** Gives this bundle's copy of @vscode/l10n the translations of VS Code's display language (src/host/l10n.ts). */
export { config as configureL10n } from '@vscode/l10n';
export { thumbnail } from './thumbnail';
