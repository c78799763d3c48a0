import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fail, ok, type Result } from '../result.js';
import type { LocatedError } from './front-matter.js';
import { LIMITS } from './limits.js';

const megabytes = (bytes: number) => `${Number((bytes / 2 ** 20).toFixed(1))} MB`;

/** Why a file of `size` bytes is not read, or nothing when it is small enough. */
export const oversize = (size: number): string | undefined =>
  size > LIMITS.noteBytes ? `is ${megabytes(size)}, over the ${megabytes(LIMITS.noteBytes)} a knowledge file may have; split it into smaller files` : undefined;

/**
 * The bytes of a regular file of at most LIMITS.noteBytes, never reading more. Opened without waiting and
 * checked again once open: a pipe or device put in a file's place since its folder was walked is refused.
 */
export function readCappedBytes(file: string): Result<Buffer> {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    return fail(`cannot be read: ${(error as Error).message}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return fail('is not a regular file');
    const tooBig = oversize(stats.size);
    if (tooBig) return fail(tooBig);
    const bytes = Buffer.alloc(stats.size);
    let read = 0;
    for (let n = 1; read < bytes.length && n > 0; read += n) n = readSync(fd, bytes, read, bytes.length - read, read);
    return ok(bytes.subarray(0, read));
  } catch (error) {
    return fail(`cannot be read: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(10); at !== -1 && at < offset; at = bytes.indexOf(10, at + 1)) line++;
  return line;
}

/** A newline byte is never part of a longer UTF-8 sequence, so lines can be checked one by one. */
function firstInvalidLine(bytes: Buffer): number {
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const end = bytes.indexOf(10, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      UTF8.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    start = stop + 1;
  }
  return line;
}

/** A file's text, or why its bytes are not text: a binary file renamed .md must not be served as answers. */
export function decodeText(bytes: Buffer): Result<string, LocatedError> {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return fail({ line: 1, message: 'is UTF-16 text; save it as UTF-8' });
  const nul = bytes.indexOf(0);
  if (nul !== -1) return fail({ line: lineAt(bytes, nul), message: 'holds NUL bytes: it is a binary file, not text' });
  try {
    return ok(UTF8.decode(bytes));
  } catch {
    return fail({ line: firstInvalidLine(bytes), message: 'is not valid UTF-8 text; save it as UTF-8' });
  }
}

/** The UTF-8 text of a knowledge file (note, catalog, tips, glossary), or why it cannot be used, with its line. */
export function readTextFile(file: string): Result<string, LocatedError> {
  const bytes = readCappedBytes(file);
  if (!bytes.ok) return fail({ line: 1, message: bytes.error });
  return decodeText(bytes.value);
}
