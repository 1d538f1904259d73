#!/usr/bin/env node
// The `termin` command. It runs the compiled bundle dist/termin.js, building it first when a
// source is newer (a stat per file; the build takes about half a second), so no TypeScript
// compiler is loaded at run time. `--help` and `--version` answer from here, before anything
// else is loaded. TERMIN_FROM_SOURCE=1 runs src/ through tsx instead (the tests do: they test
// the sources as they are, without writing dist/).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`termin ${version}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h') || args[0] === 'help') {
  process.stdout.write(readFileSync(new URL('./usage.txt', import.meta.url), 'utf8'));
  process.exit(0);
}

if (process.env.TERMIN_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  const { build, isStale } = await import('../scripts/build.mjs');
  if (isStale()) await build();
  await import('../dist/termin.js');
}
