// Whose rows a company-wide listing may show its caller (spec §1.2: a company API key has full
// access; a personal access token acts as its owner with the owner's role; AP1/PB1: `userId`, `all`
// and the hold listing's filters are admin filters). One rule for the appointment and the
// provisional-booking listings; the route tells who is asking (`http/auth.ts` `viewerOf`).
import { AppError } from './app-error.ts';

export const ADMIN_ONLY = 'Admin access required';

/**
 * The caller: the acting user (user header or token owner), and whether it may read every user's
 * rows — a company API key, or the token of an owner or admin. A member's token may not.
 */
export type Viewer = { wholeCompany: true; userId?: string } | { wholeCompany: false; userId: string };

/**
 * The host whose rows to list, undefined for the whole company. Whole-company callers list the
 * `userId` asked for, else the company with `all`, else the acting user's (if any). Anyone else
 * lists their own only: naming another user (of this company or not — nothing is looked up) or
 * `all` is 403; other filters then narrow their own rows.
 */
export function listedHost(viewer: Viewer, asked: { userId?: string; all?: boolean }): string | undefined {
  if (viewer.wholeCompany) return asked.userId ?? (asked.all ? undefined : viewer.userId);
  const other = asked.userId !== undefined && asked.userId.toLowerCase() !== viewer.userId;
  if (other || asked.all === true) throw new AppError('forbidden', ADMIN_ONLY);
  return viewer.userId;
}
