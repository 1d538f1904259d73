// Types of build.mjs for the TypeScript that imports it (test/helpers/process.ts).
export const ROOT: string;
export const OUTFILE: string;
/** Is dist/ missing or older than a source? */
export function isStale(): boolean;
/** Builds dist/termin.js (and the pages' scripts); resolves with its path. */
export function build(): Promise<string>;
