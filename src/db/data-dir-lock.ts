// One process per embedded data directory. PGlite is a single-process database: two processes
// on one directory (a second server, or the CLI while the server runs) each keep their own view
// and overwrite each other's files. A lock file, `termin.lock` in the directory, names the holder
// (pid, host, and the process's start time so a recycled pid is not mistaken for the holder). It
// is held for the process's life and removed on any exit Node sees; after a SIGKILL or power
// loss it stays behind and is recognised as stale because its holder no longer runs.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'termin.lock';

interface Holder {
  pid: number;
  host: string;
  started: string | null;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | null,
  ) {
    super(
      `the data directory ${dataDir} is in use by another Termin process` +
        (holder ? ` (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`})` : '') +
        '; the embedded database allows one process at a time',
    );
  }
}

/** The kernel's start time of a process (Linux), to tell a live holder from a recycled pid. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isRunning(holder: Holder): boolean {
  if (holder.host !== hostname()) return true; // another machine's process: cannot tell, assume so
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = startTimeOf(holder.pid);
  return holder.started === null || started === null || started === holder.started;
}

function readHolder(path: string): { raw: string; holder: Holder | null } | null {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as Holder;
    return Number.isInteger(parsed.pid) ? { raw, holder: parsed } : { raw, holder: null };
  } catch {
    return { raw, holder: null }; // being written this instant, or torn by a crash
  }
}

function isStale(path: string, found: { holder: Holder | null }): boolean {
  if (found.holder) return !isRunning(found.holder);
  // Unreadable: a holder between creating and writing it is young; an old one was torn.
  try {
    return Date.now() - statSync(path).mtimeMs > 10_000;
  } catch {
    return true;
  }
}

export interface DataDirLock {
  release(): void;
}

/** Takes the directory's lock or throws DataDirLockedError at once (no waiting). */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const mine: Holder = { pid: process.pid, host: hostname(), started: startTimeOf(process.pid) };
  const content = JSON.stringify(mine);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const found = readHolder(path);
      if (found === null) continue; // released meanwhile
      if (!isStale(path, found)) throw new DataDirLockedError(resolve(dataDir), found.holder);
      // Remove only the stale file we judged, not one a faster process has just written.
      if (readHolder(path)?.raw === found.raw) unlinkSync(path);
      continue;
    }
    writeSync(fd, content);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.removeListener('exit', release);
      if (readHolder(path)?.raw === content) unlinkSync(path);
    };
    process.on('exit', release);
    return { release };
  }
  throw new DataDirLockedError(resolve(dataDir), readHolder(path)?.holder ?? null);
}
