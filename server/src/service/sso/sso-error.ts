import { AppError } from '../../errors.js';

/**
 * A failed SSO sign-in. `reason` is the short code the console shows (`return_to#sso_error=<reason>`):
 * the browser arrived by redirect, so the error travels back the same way.
 */
export class SsoError extends AppError {
  override readonly name = 'SsoError';
  /** Where the console waits (the login's `return_to`); unknown for an invalid state. */
  returnTo: string | undefined;
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(reason === 'account_disabled' ? 'forbidden' : 'unauthenticated', message);
  }
}
