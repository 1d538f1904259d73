// Hostile-input checks made once for every route instead of in each schema or service:
// - JSON nested deeper than MAX_DEPTH is refused before it is parsed, so no recursive step later
//   (prototype scan, validation, serialization, jsonb) can run out of stack on it;
// - text carrying NUL or an unpaired UTF-16 surrogate is refused wherever it appears (body, query
//   string, path parameters; keys as well as values): PostgreSQL cannot store either in text or
//   jsonb, and a surrogate half cannot be written back out as UTF-8 faithfully.
// Both answer 400 in the one error shape instead of reaching the database as a 500.
import { AppError } from '../lib/app-error.ts';

export const MAX_DEPTH = 64;

/** True when JSON text opens more than `max` arrays/objects at once. Linear, no recursion. */
export function jsonTooDeep(text: string, max = MAX_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

// In unicode mode a well-formed pair is one code point, so the class only matches a lone half.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is this expression's purpose.
const BAD_TEXT_RE = /[\u0000\uD800-\uDFFF]/u;

export function isBadText(value: string): boolean {
  return BAD_TEXT_RE.test(value);
}

/**
 * The path (a.b.0.c) of the first string or key with NUL or a lone surrogate in a parsed value,
 * or undefined. Walks with an explicit stack so the depth of the value costs no call stack.
 */
export function findBadText(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (isBadText(current)) return path;
    } else if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) stack.push([current[index], `${path}.${index}`]);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (isBadText(key)) return path;
        stack.push([item, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

export function badTextError(path: string): AppError {
  const field = path.replace(/^(body|query|params)\.?/, '') || path;
  const message = `${field} must not contain NUL characters or unpaired UTF-16 surrogates`;
  return new AppError('validation_failed', message, { errors: [{ field, message }] });
}

export const tooDeepError = () =>
  new AppError('bad_request', `Request body is nested deeper than ${MAX_DEPTH} levels`);

/** Throws the 400 for the first bad text among a request's parsed parts. */
export function assertCleanInput(parts: { body?: unknown; query?: unknown; params?: unknown }): void {
  for (const part of ['params', 'query', 'body'] as const) {
    const path = findBadText(parts[part], part);
    if (path !== undefined) throw badTextError(path);
  }
}
