/**
 * UserError: something the user can fix (bad argument, no workspace, corrupt progress).
 * main.ts prints its message alone, no stack, and exits with its exitCode (2 by default:
 * usage or infrastructure). Anything else reaching main.ts is our bug: stack + "please report".
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}
