// Runs the real `termin` command as a child process, for what only a process can show: start-up,
// printed keys, restarts, signals, locks and exit codes. Every child started here is killed on
// every path: when the test stops it, when a start is given up, and when the test process exits.
// Children run the compiled bundle, as `npm start` does (built here once when a source is newer):
// these tests are about the process, and a start through tsx costs a second or two of CPU more.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, isStale } from '../../scripts/build.mjs';
import { scaled } from './load.ts';
import { migrationsHash } from './pglite-template.ts';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'termin.js');

const live = new Set<ChildProcess>();
/** Folders made for data directories; a copy of the migrated template is about 40 MB. */
const folders = new Set<string>();
// Last resort: a test that throws before its `finally`, or a runner that exits, leaves no server
// (and, each test file being its own process, no data directories behind it).
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

export function tempDataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'termin-test-'));
  folders.add(folder);
  return folder;
}

// Once per test process, before any child: children then never race to build it themselves.
if (isStale()) await build();

let template: Promise<string> | undefined;

/**
 * A migrated data directory to copy, made once per test run: kept in the temporary folder under
 * the hash that names the PGlite dump (migrations and PGlite's version), so the process test files
 * of a run (and later runs) share it instead of each running an initdb and the migrations
 * (several seconds of CPU). Made aside and renamed into place: a copy never starts from half of one.
 */
async function migratedTemplate(): Promise<string> {
  const path = join(tmpdir(), `termin-data-template-${migrationsHash()}`);
  if (existsSync(path)) return path;
  const dir = join(tempDataDir(), 'data');
  const migrated = await runTermin(['migrate'], { DATA_DIR: dir });
  if (migrated.status !== 0) throw new Error(`migrating the template failed:\n${migrated.stderr}`);
  try {
    renameSync(dir, path);
  } catch (error) {
    if (!existsSync(path)) throw error; // else another test process made it first: theirs serves
  }
  return path;
}

/**
 * A new embedded data directory, already created and migrated (and empty of companies): a copy of
 * the run's migrated template, because the embedded initdb and migrations are most of a first
 * start's work. Tests about creating a directory from nothing use `tempDataDir()`.
 */
export async function migratedDataDir(): Promise<string> {
  template ??= migratedTemplate();
  const copy = join(tempDataDir(), 'data');
  cpSync(await template, copy, { recursive: true });
  return copy;
}

/** Environment for a child: the compiled bundle, the database the test chooses. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: process.env.TZ };
  return { ...base, TERMIN_FROM_SOURCE: '0', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env };
}

export interface RunningServer {
  child: ChildProcess;
  port: number;
  base: string;
  stdout(): string;
  stderr(): string;
  /** Sends a signal (SIGKILL after a grace period) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

interface Spawned {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `termin <args>`; the child is tracked until it exits. */
export function spawnTermin(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, out: () => out, err: () => err, exited };
}

/** Kills the child (SIGKILL if `signal` has not ended it in time) and waits for its exit. */
async function kill(spawned: Spawned, signal: NodeJS.Signals): Promise<number | null> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return spawned.child.exitCode;
  spawned.child.kill(signal);
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), scaled(30_000));
  const { code } = await spawned.exited;
  clearTimeout(timer);
  return code;
}

const SERVING = /"port":(\d+)[^\n]*"msg":"Termin is serving"/;

export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const spawned = spawnTermin(['serve'], env);
  const { child, out, err } = spawned;
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not start:\n${out()}\n${err()}`)), scaled(timeoutMs));
      const check = () => {
        const match = SERVING.exec(out());
        if (match) resolve(Number(match[1]));
      };
      child.stdout!.on('data', check);
      spawned.exited.then(({ code, signal }) => reject(new Error(`server exited with ${code ?? signal}:\n${out()}\n${err()}`)));
    });
    return {
      child,
      port,
      base: `http://127.0.0.1:${port}`,
      stdout: out,
      stderr: err,
      stop: (signal = 'SIGTERM') => kill(spawned, signal),
    };
  } catch (error) {
    await kill(spawned, 'SIGKILL'); // a server we gave up waiting for must not live on
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command to its end (killed when it overstays) and returns its output and exit. */
export async function runTermin(args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  const spawned = spawnTermin(args, env);
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), scaled(timeoutMs));
  const { code, signal } = await spawned.exited;
  clearTimeout(timer);
  return { status: code, signal, stdout: spawned.out(), stderr: spawned.err() };
}

/** Runs a one-shot CLI command and returns its output and exit code. */
export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: childEnv(env),
    encoding: 'utf8',
    timeout: scaled(60_000),
    killSignal: 'SIGKILL',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
