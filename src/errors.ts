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

/** "EACCES: permission denied": a file system error's code and what it means, for sentences. */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'the operation is not permitted (the file or folder may be read-only or immutable)',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
    ENOENT: 'it does not exist',
    EEXIST: 'something is already there',
  };
  return e?.code && why[e.code] ? `${e.code}: ${why[e.code]}` : e instanceof Error ? e.message : String(error);
}
