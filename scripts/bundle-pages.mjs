// Bundles the booking pages' two browser scripts (src/pages/client/) with esbuild: minified IIFEs.
// Used by `npm run build` (written to dist/assets/, which the compiled server reads) and, from
// source (tests, TERMIN_FROM_SOURCE), by src/pages/pages.assets.ts at start.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
export const PAGE_SCRIPTS = { pages: 'pages.client.js', embed: 'embed.client.js' };

/** The bundled source of one page script, by name (a key of PAGE_SCRIPTS). */
export async function bundlePageScript(name) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'pages', 'client', PAGE_SCRIPTS[name])],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
