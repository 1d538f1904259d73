// The pages' two scripts, minified, served from memory under a content hash. No CDN: the browser
// fetches them from Termin itself. The compiled server reads what `npm run build` bundled into
// dist/assets/ (no bundler at run time); from source, scripts/bundle-pages.mjs bundles them at start.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../lib/package-root.ts';

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

type ScriptName = 'pages' | 'embed';

const here = fileURLToPath(import.meta.url);
const runningCompiled = basename(dirname(here)) === 'dist';

async function source(name: ScriptName): Promise<string> {
  if (runningCompiled) return readFile(join(PACKAGE_ROOT, 'dist', 'assets', `${name}.js`), 'utf8');
  // A path computed at run time: the compiled bundle never reaches for the bundler.
  const bundler = pathToFileURL(join(PACKAGE_ROOT, 'scripts', 'bundle-pages.mjs')).href;
  const { bundlePageScript } = (await import(bundler)) as { bundlePageScript(name: ScriptName): Promise<string> };
  return bundlePageScript(name);
}

async function asset(name: ScriptName): Promise<Asset> {
  const body = await source(name);
  const digest = createHash('sha384').update(body, 'utf8').digest();
  return { body, integrity: `sha384-${digest.toString('base64')}`, version: digest.toString('hex').slice(0, 12) };
}

let bundled: Promise<PageAssets> | undefined;

export function pageAssets(): Promise<PageAssets> {
  bundled ??= Promise.all([asset('pages'), asset('embed')]).then(([pages, embed]) => ({ pages, embed }));
  return bundled;
}
