// The only reader of process.env: every setting is parsed and validated once, then frozen.
// A bad variable is reported as one clear line each, and the process refuses to start.

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  bootstrapApiKey: string | undefined;
  adminKey: string | undefined;
  logLevel: string;
  rateLimit: { perMinute: number; burst: number };
  /** Reverse-proxy hops in front of Termin whose X-Forwarded-For is trusted (0 = none). */
  trustProxyHops: number;
  /** How long a resolved API key is remembered per instance (0 = never). */
  apiKeyCacheMs: number;
  /** How long a slot-search answer is reused per instance (0 = never; see slot-cache.ts). */
  slotCacheMs: number;
  smtpUrl: string | undefined;
  smtpFrom: string;
  webhooks: { allowPrivate: boolean; retryScheduleMs: number[]; maxPerCompany: number };
  /** TERMIN_SECRET_KEY: encrypts stored webhook signing secrets (else a key kept in the database). */
  secretKey: string | undefined;
  /** Public booking pages: who may frame `?embed=1` pages, and each address's request budget. */
  pages: { frameAncestors: string; perMinute: number; burst: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,24h';

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const boolean = (name: string): boolean => {
    const raw = read(name);
    if (raw === undefined) return false;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return false;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '127.0.0.1';

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const publicUrlRaw = read('PUBLIC_URL') ?? `http://localhost:${port}`;
  if (!isHttpUrl(publicUrlRaw)) problems.push(`PUBLIC_URL must be an http(s) URL (got "${publicUrlRaw}")`);

  const bootstrapApiKey = read('TERMIN_API_KEY');
  if (bootstrapApiKey !== undefined && bootstrapApiKey.length < 32) {
    problems.push('TERMIN_API_KEY must be at least 32 characters long');
  }
  const adminKey = read('TERMIN_ADMIN_KEY');
  if (adminKey !== undefined && adminKey.length < 32) {
    problems.push('TERMIN_ADMIN_KEY must be at least 32 characters long');
  }

  const secretKeyRaw = read('TERMIN_SECRET_KEY');
  if (secretKeyRaw !== undefined && secretKeyRaw.length < 32) {
    problems.push('TERMIN_SECRET_KEY must be at least 32 characters long');
  }

  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const smtpUrl = read('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push('SMTP_URL must start with smtp:// or smtps://');
  }

  const scheduleRaw = read('TERMIN_WEBHOOK_RETRY_SCHEDULE') ?? DEFAULT_RETRY_SCHEDULE;
  const retryScheduleMs = parseDurationList(scheduleRaw);
  if (retryScheduleMs === undefined) {
    problems.push(`TERMIN_WEBHOOK_RETRY_SCHEDULE must be a comma list like 1s,2s,5m (got "${scheduleRaw}")`);
  }

  // CSP frame-ancestors sources: `*`, `'self'`, or origins like https://example.com (space separated).
  const frameAncestors = read('TERMIN_EMBED_FRAME_ANCESTORS') ?? '*';
  if (!frameAncestors.split(/\s+/).every((source) => /^(\*|'self'|https?:\/\/[\w.*-]+(:\d+)?)$/.test(source))) {
    problems.push(`TERMIN_EMBED_FRAME_ANCESTORS must be *, 'self' or space-separated origins like https://example.com (got "${frameAncestors}")`);
  }

  const config: Config = {
    port,
    host,
    dataDir: read('DATA_DIR') ?? './data',
    databaseUrl,
    publicUrl: publicUrlRaw.replace(/\/+$/, ''),
    bootstrapApiKey,
    adminKey,
    logLevel,
    rateLimit: {
      perMinute: integer('TERMIN_RATE_LIMIT_PER_MINUTE', 100, 1, 1_000_000),
      burst: integer('TERMIN_RATE_LIMIT_BURST', 200, 1, 1_000_000),
    },
    trustProxyHops: integer('TERMIN_TRUST_PROXY_HOPS', 0, 0, 10),
    apiKeyCacheMs: integer('TERMIN_API_KEY_CACHE_SECONDS', 10, 0, 3600) * 1000,
    slotCacheMs: integer('TERMIN_SLOT_CACHE_SECONDS', 0, 0, 300) * 1000,
    smtpUrl,
    smtpFrom: read('SMTP_FROM') ?? 'Termin <no-reply@termin.local>',
    webhooks: {
      allowPrivate: boolean('TERMIN_WEBHOOK_ALLOW_PRIVATE'),
      retryScheduleMs: retryScheduleMs ?? [],
      maxPerCompany: integer('TERMIN_WEBHOOK_LIMIT', 6, 1, 1000),
    },
    secretKey: read('TERMIN_SECRET_KEY'),
    pages: {
      frameAncestors,
      perMinute: integer('TERMIN_PAGE_RATE_LIMIT_PER_MINUTE', 120, 1, 1_000_000),
      burst: integer('TERMIN_PAGE_RATE_LIMIT_BURST', 120, 1, 1_000_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5s,5m,2h" → [5000, 300000, 7200000]; undefined when any entry is malformed. */
export function parseDurationList(raw: string): number[] | undefined {
  const result: number[] = [];
  for (const part of raw.split(',')) {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(part.trim());
    if (!match) return undefined;
    result.push(Number(match[1]) * UNIT_MS[match[2]!]!);
  }
  return result;
}
