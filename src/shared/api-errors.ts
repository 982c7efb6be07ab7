// The contract's errors: the codes, the reply envelope both transports send, and the
// one way to turn anything thrown into a message or a reply.
export type ApiErrorCode = 'bad_request' | 'not_found' | 'conflict' | 'failed' | 'unauthorized';

/** What every call answers, over IPC and HTTP alike: the result, or the error as data. */
export type ApiReply<T = unknown> =
  { ok: true; result: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** The message of anything thrown (an Error's, else its string form). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Any failure as the reply a transport sends: an ApiError keeps its code, anything else is 'failed'. */
export function errorReply(err: unknown): Extract<ApiReply, { ok: false }> {
  const e = err instanceof ApiError ? err : new ApiError('failed', errorMessage(err));
  return { ok: false, error: { code: e.code, message: e.message } };
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
