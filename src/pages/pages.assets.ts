// The pages' two scripts, bundled and minified with esbuild once per process (at start, ~50 ms),
// served from memory under a content hash. No CDN: the browser fetches them from Termin itself.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset {
  body: string;
  /** Subresource integrity value ("sha384-…"). */
  integrity: string;
  /** A short content hash for the cache-busting file name. */
  version: string;
}

export interface PageAssets {
  pages: Asset;
  embed: Asset;
}

async function bundle(file: string): Promise<Asset> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(file, import.meta.url))],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const body = result.outputFiles[0]!.text;
  const digest = createHash('sha384').update(body, 'utf8').digest();
  return { body, integrity: `sha384-${digest.toString('base64')}`, version: digest.toString('hex').slice(0, 12) };
}

let bundled: Promise<PageAssets> | undefined;

export function pageAssets(): Promise<PageAssets> {
  bundled ??= Promise.all([bundle('./client/pages.client.js'), bundle('./client/embed.client.js')]).then(([pages, embed]) => ({ pages, embed }));
  return bundled;
}
