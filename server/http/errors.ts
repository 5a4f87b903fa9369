/** An answer with a status the caller can act on; anything else becomes a 500 without detail. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** For `invalid-input`: which field. */
    readonly field?: string,
  ) {
    super(code);
    this.name = 'HttpError';
  }
}
