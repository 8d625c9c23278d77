/**
 * Errors the user reads. Each one names the cause and what to do; `action` lets the VS Code layer offer
 * the matching button (Set API Key, Open Settings, Retry) without parsing text.
 */

import * as l10n from '@vscode/l10n';

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

  /**
   * `summary` says what failed and what to do; the message the user reads is the summary, then the
   * billing note when the server may have billed. A changed copy of an error starts from its summary.
   */
  constructor(
    readonly kind: ErrorKind,
    readonly summary: string,
    readonly details: SeedreamErrorDetails = {},
  ) {
    super(
      details.mayHaveBilled ? `${summary} ${mayHaveBilledNote()}` : summary,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
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
  return new SeedreamError('cancelled', l10n.t('Generation cancelled.'));
}

/**
 * A storage failure after the sink had begun to read an image, with every byte of it handed back (what
 * reached the disk, what was on its way, the unread rest), so a paid image can still be kept elsewhere.
 */
export class UnsavedBytesError extends Error {
  constructor(
    cause: unknown,
    readonly remainder: AsyncIterable<Uint8Array>,
  ) {
    super(errorMessage(cause), { cause });
    this.name = 'UnsavedBytesError';
  }
}

/** The bytes a failed sink handed back; duck-typed, as each bundle holds its own copy of the class. */
export function bytesHandedBack(error: unknown): AsyncIterable<Uint8Array> | undefined {
  const remainder = (error as { remainder?: unknown } | undefined)?.remainder;
  return typeof remainder === 'object' && remainder !== null && Symbol.asyncIterator in remainder
    ? (remainder as AsyncIterable<Uint8Array>)
    : undefined;
}

/** An image over the size limit, downloaded or inline: a real image is a few MB, a bigger answer is not one. */
export function imageTooLarge(bytes: number, maxBytes: number): SeedreamError {
  const mb = (value: number): number => Math.round(value / 1024 / 1024);
  return new SeedreamError(
    'download',
    l10n.t(
      'The image is larger than the {0} MB download limit ({1} MB or more); it was not saved. Raise seedream.maxDownloadMB if you expect images this large.',
      mb(maxBytes),
      mb(bytes),
    ),
    {
      action: 'openSettings',
      setting: 'seedream.maxDownloadMB',
    },
  );
}

/**
 * The one sentence that tells the user a failed request may have cost money, in the display language.
 * Only SeedreamError writes it, after the summary of every error marked `mayHaveBilled`: no message and
 * no front end adds its own.
 */
export function mayHaveBilledNote(): string {
  return l10n.t('The images may have been made and billed all the same: check your usage with the provider before you try again.');
}

/** What an aborted signal stands for: its own reason when that is an error of ours (a deadline), else a cancel. */
export function abortReason(signal: AbortSignal): SeedreamError {
  return signal.reason instanceof SeedreamError ? signal.reason : cancelledError();
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
 * purpose; this guards against a server (or a proxy) that echoes the Authorization header back. A
 * server text cut short may end in the first characters of the key: those go too.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) {
    return text;
  }
  const whole = text.split(secret).join('[redacted]');
  if (whole.endsWith('…')) {
    const shown = whole.slice(0, -1);
    for (let length = Math.min(secret.length - 1, shown.length); length >= 4; length--) {
      if (shown.endsWith(secret.slice(0, length))) {
        return `${shown.slice(0, -length)}[redacted]…`;
      }
    }
  }
  return whole;
}

/** The same error with the secret taken out of its message; other values pass unchanged. */
export function redactError(error: unknown, secret: string | undefined): unknown {
  if (!(error instanceof Error) || redactSecret(error.message, secret) === error.message) {
    return error;
  }
  return error instanceof SeedreamError
    ? new SeedreamError(error.kind, redactSecret(error.summary, secret), error.details)
    : new Error(redactSecret(error.message, secret));
}
