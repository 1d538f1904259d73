// `npm run build` (also run by `npm install` through `prepare`, and by bin/termin.js when the build
// is stale): bundles src/ into dist/termin.js, one plain-JavaScript file, so a production start
// loads no TypeScript compiler and resolves one module instead of a hundred. Packages stay
// external (PGlite finds its WebAssembly files next to its own modules).
// esbuild rather than tsc: about half a second instead of several, and it accepts the `.ts`
// import specifiers as they are. Type checking stays `npm run typecheck`.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_SCRIPTS, bundlePageScript } from './bundle-pages.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTFILE = join(ROOT, 'dist', 'termin.js');
const INPUTS = [join(ROOT, 'src'), join(ROOT, 'package.json'), join(ROOT, 'package-lock.json')];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted or renamed file changes its directory's mtime
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Cheap (a stat per source file, a few milliseconds): is dist/ missing or older than a source? */
export function isStale() {
  if (!existsSync(OUTFILE)) return true;
  const built = statSync(OUTFILE).mtimeMs;
  return INPUTS.some((input) => newestMtime(input) > built);
}

// Packages bundled into dist/termin.js instead of loaded from node_modules at run time: plain ES
// modules spread over hundreds of files (typebox ~700, kysely ~260), whose resolving and loading
// file by file was the largest part of a compiled start's CPU time. Every other package stays
// external (PGlite finds its WebAssembly next to its modules; CommonJS packages stay as they are).
const BUNDLED = new Set(['typebox', '@fastify/type-provider-typebox', 'kysely']);

/** The package a bare import names ('kysely', '@scope/name/sub' → '@scope/name'), or undefined. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export const externalExceptBundled = {
  name: 'external-except-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (name === undefined || BUNDLED.has(name)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

export async function build() {
  const { build: esbuild } = await import('esbuild');
  // Written beside and renamed into place: a process starting meanwhile sees the old or the new
  // file, never half of one; two builds at once are harmless.
  const temporary = `${OUTFILE}.${process.pid}.tmp`;
  await esbuild({
    entryPoints: [join(ROOT, 'src', 'cli.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [externalExceptBundled],
    logLevel: 'warning',
    legalComments: 'none',
  });
  // The pages' browser scripts, so the compiled server needs no bundler at run time.
  mkdirSync(join(ROOT, 'dist', 'assets'), { recursive: true });
  for (const name of Object.keys(PAGE_SCRIPTS)) {
    const file = join(ROOT, 'dist', 'assets', `${name}.js`);
    writeFileSync(`${file}.${process.pid}.tmp`, await bundlePageScript(name));
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
  renameSync(temporary, OUTFILE);
  return OUTFILE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const onlyIfStale = process.argv.includes('--if-stale');
  if (!onlyIfStale || isStale()) {
    const started = performance.now();
    await build();
    console.error(`built dist/termin.js in ${Math.round(performance.now() - started)} ms`);
  }
}
