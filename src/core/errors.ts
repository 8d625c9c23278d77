/**
 * Errors the user reads. Each one names the cause and what to do; `action` lets the VS Code layer offer
 * the matching button (Set API Key, Open Settings, Retry) without parsing text.
 */

export type ErrorKind =
  | 'invalidInput'
  | 'auth'
  | 'forbidden'
  | 'outOfCredit'
  | 'notFound'
  | 'badRequest'
  | 'contentFilter'
  | 'rateLimited'
  | 'server'
  | 'unexpectedResponse'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'download'
  | 'invalidImage'
  | 'save';

export type ErrorAction = 'setApiKey' | 'openSettings' | 'retry' | 'showLog';

export interface SeedreamErrorDetails {
  readonly status?: number;
  readonly code?: string;
  readonly param?: string;
  readonly action?: ErrorAction;
  /** The setting that fixes it, for an "Open Settings" button that goes straight there. */
  readonly setting?: string;
  /** Whether a repeat of the same request may succeed and cannot bill twice (used by the automatic retry policy). */
  readonly retryable?: boolean;
  /**
   * The server may have made and billed the images before this failure (a gateway timeout, a 5xx after
   * the request went through): never retried automatically; Try Again says a charge may have happened.
   */
  readonly mayHaveBilled?: boolean;
  /** Seconds the server asked us to wait (Retry-After). */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** Marks SeedreamErrors: the command bundle and the engine bundle (loaded later) each hold a copy of the class. */
const BRAND = Symbol.for('seedream-studio.SeedreamError');

export class SeedreamError extends Error {
  readonly [BRAND] = true;

  /** `instanceof` holds for errors made by either bundle's copy of the class. */
  static override [Symbol.hasInstance](value: unknown): value is SeedreamError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: SeedreamErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SeedreamError';
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get action(): ErrorAction | undefined {
    return this.details.action;
  }
}

export function isCancellation(error: unknown): boolean {
  if (error instanceof SeedreamError) {
    return error.kind === 'cancelled';
  }
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

export function cancelledError(): SeedreamError {
  return new SeedreamError('cancelled', 'Generation cancelled.');
}

/** The message of any thrown value, for logs and notifications. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Removes a secret from text before it is logged or shown. The key is never put into messages on
 * purpose; this guards against a server that echoes the Authorization header back in an error body.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) {
    return text;
  }
  return text.split(secret).join('[redacted]');
}
