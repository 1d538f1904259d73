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
  /** Fair sharing between tenants (src/http/limits.ts); shared through Redis when redisUrl is set. */
  limits: {
    /** Requests per company per minute over all its keys, and the burst it may save. */
    companyPerMinute: number;
    companyBurst: number;
    /** Failed authentications per client address per minute before it gets 429. */
    authFailuresPerMinute: number;
    /** Slot-search work (hosts × days × grid starts per day) allowed in one request. */
    slotCostPerRequest: number;
    /** Slot-search work per company per second (one second of it may be saved up). */
    slotCostPerSecond: number;
    /** Event-loop time a slot search may hold before it yields (0 = compute in one go). */
    slotSliceMs: number;
  };
  /** REDIS_URL: rate limits shared by every instance; unset = per instance. */
  redisUrl: string | undefined;
  /** TERMIN_REDIS_PREFIX: prefix of Termin's Redis keys, so deployments can share one Redis. */
  redisPrefix: string;
  /** Node HTTP server protection against slow and idle clients (milliseconds, count). */
  server: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number; maxConnections: number };
  /** Reverse-proxy hops in front of Termin whose X-Forwarded-For is trusted (0 = none). */
  trustProxyHops: number;
  /** How long a resolved API key is remembered per instance (0 = never). */
  apiKeyCacheMs: number;
  /** How long a slot-search answer is reused per instance (0 = never; see slot-cache.ts). */
  slotCacheMs: number;
  /** Busy intervals of hosts kept between slot searches per instance (0 = none; see busy-cache.ts). */
  busyCacheIntervals: number;
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** TERMIN_EMAIL_CONCURRENCY_PER_COMPANY: emails of one company in flight at once. */
  emailConcurrencyPerCompany: number;
  webhooks: { allowPrivate: boolean; retryScheduleMs: number[]; maxPerCompany: number; concurrencyPerEndpoint: number };
  calendars: CalendarsConfig;
  /** TERMIN_SECRET_KEY: encrypts stored webhook signing secrets (else a key kept in the database). */
  secretKey: string | undefined;
  /** TERMIN_TEST_CRASH_AT: tests only — the process SIGKILLs itself at this named point. */
  testCrashAt: string | undefined;
  /** TERMIN_METRICS_TOKEN: bearer token for GET /metrics; without it the route does not exist. */
  metricsToken: string | undefined;
  /** Public booking pages: who may frame `?embed=1` pages, and each address's request budget. */
  pages: { frameAncestors: string; perMinute: number; burst: number };
}

/** Calendar connections (src/calendars/). */
export interface CalendarsConfig {
  /** TERMIN_CALENDAR_ALLOW_PRIVATE: calendar servers and feeds on private/loopback addresses. */
  allowPrivate: boolean;
  /** How often each calendar's busy time is refreshed. */
  syncIntervalMs: number;
  /** A calendar not refreshed for this long is reported stale in availability answers. */
  staleAfterMs: number;
  /** How long a booking waits for the host's calendar before committing on cached busy time. */
  recheckMs: number;
  /** One request to a calendar server. */
  timeoutMs: number;
  retryScheduleMs: number[];
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

  const metricsToken = read('TERMIN_METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) {
    problems.push('TERMIN_METRICS_TOKEN must be at least 16 characters long');
  }

  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const smtpUrl = read('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push('SMTP_URL must start with smtp:// or smtps://');
  }

  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://');

  const perMinute = integer('TERMIN_RATE_LIMIT_PER_MINUTE', 100, 1, 1_000_000);
  const burst = integer('TERMIN_RATE_LIMIT_BURST', 200, 1, 1_000_000);
  const companyPerMinute = integer('TERMIN_RATE_LIMIT_COMPANY_PER_MINUTE', 3 * perMinute, 1, 10_000_000);
  const slotCostPerRequest = integer('TERMIN_SLOT_SEARCH_MAX_COST', 300_000, 1000, 100_000_000);
  // A company may always afford one largest search: the budget is at least one request's cost.
  const slotCostPerSecond = Math.max(slotCostPerRequest, integer('TERMIN_SLOT_SEARCH_COST_PER_SECOND', 600_000, 1000, 1_000_000_000));

  const scheduleRaw = read('TERMIN_WEBHOOK_RETRY_SCHEDULE') ?? DEFAULT_RETRY_SCHEDULE;
  const retryScheduleMs = parseDurationList(scheduleRaw);
  if (retryScheduleMs === undefined) {
    problems.push(`TERMIN_WEBHOOK_RETRY_SCHEDULE must be a comma list like 1s,2s,5m (got "${scheduleRaw}")`);
  }

  const calendarRetryRaw = read('TERMIN_CALENDAR_RETRY_SCHEDULE') ?? '10s,1m,5m,30m,2h,6h,12h,24h,24h,24h';
  const calendarRetry = parseDurationList(calendarRetryRaw);
  if (calendarRetry === undefined) {
    problems.push(`TERMIN_CALENDAR_RETRY_SCHEDULE must be a comma list like 1s,2s,5m (got "${calendarRetryRaw}")`);
  }
  const syncSeconds = integer('TERMIN_CALENDAR_SYNC_SECONDS', 300, 1, 86_400);
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
    rateLimit: { perMinute, burst },
    limits: {
      companyPerMinute,
      companyBurst: integer('TERMIN_RATE_LIMIT_COMPANY_BURST', Math.max(2 * companyPerMinute, burst), 1, 10_000_000),
      authFailuresPerMinute: integer('TERMIN_AUTH_FAILURES_PER_MINUTE', 20, 1, 1_000_000),
      slotCostPerRequest,
      slotCostPerSecond,
      slotSliceMs: integer('TERMIN_SLOT_SEARCH_SLICE_MS', 20, 0, 1000),
    },
    redisUrl,
    redisPrefix: read('TERMIN_REDIS_PREFIX') ?? 'termin:',
    server: {
      headersTimeoutMs: integer('TERMIN_HEADERS_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
      requestTimeoutMs: integer('TERMIN_REQUEST_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
      keepAliveTimeoutMs: integer('TERMIN_KEEP_ALIVE_TIMEOUT_SECONDS', 5, 1, 600) * 1000,
      maxConnections: integer('TERMIN_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    },
    trustProxyHops: integer('TERMIN_TRUST_PROXY_HOPS', 0, 0, 10),
    apiKeyCacheMs: integer('TERMIN_API_KEY_CACHE_SECONDS', 10, 0, 3600) * 1000,
    slotCacheMs: integer('TERMIN_SLOT_CACHE_SECONDS', 0, 0, 300) * 1000,
    busyCacheIntervals: integer('TERMIN_BUSY_CACHE_INTERVALS', 500_000, 0, 50_000_000),
    smtpUrl,
    smtpFrom: read('SMTP_FROM') ?? 'Termin <no-reply@termin.local>',
    emailConcurrencyPerCompany: integer('TERMIN_EMAIL_CONCURRENCY_PER_COMPANY', 4, 1, 100),
    webhooks: {
      allowPrivate: boolean('TERMIN_WEBHOOK_ALLOW_PRIVATE'),
      retryScheduleMs: retryScheduleMs ?? [],
      maxPerCompany: integer('TERMIN_WEBHOOK_LIMIT', 6, 1, 1000),
      concurrencyPerEndpoint: integer('TERMIN_WEBHOOK_CONCURRENCY_PER_ENDPOINT', 2, 1, 100),
    },
    calendars: {
      allowPrivate: boolean('TERMIN_CALENDAR_ALLOW_PRIVATE'),
      syncIntervalMs: syncSeconds * 1000,
      staleAfterMs: integer('TERMIN_CALENDAR_STALE_SECONDS', Math.max(900, 3 * syncSeconds), 1, 7 * 86_400) * 1000,
      recheckMs: integer('TERMIN_CALENDAR_RECHECK_MS', 2000, 0, 30_000),
      timeoutMs: integer('TERMIN_CALENDAR_TIMEOUT_MS', 15_000, 100, 120_000),
      retryScheduleMs: calendarRetry ?? [],
    },
    secretKey: read('TERMIN_SECRET_KEY'),
    testCrashAt: read('TERMIN_TEST_CRASH_AT'),
    metricsToken,
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
