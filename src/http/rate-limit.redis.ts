// The Redis limit store: the same token buckets as rate-limit.ts, kept in Redis so every instance
// draws from one bucket. One Lua script per call does read, refill and take atomically, timed by
// the Redis server's clock (instances' clocks may differ). Redis unreachable → the request is
// allowed and a warning logged: limits protect availability, so they must not take it away.
import type { Redis as RedisClient } from 'ioredis';
import { type Bucket, type LimitStore, waitSeconds } from './rate-limit.ts';

// KEYS[1] bucket; ARGV: cost, perSecond, capacity, take (1) or check (0). Returns tokens before taking.
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost, rate, cap, take = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens = cap; at = now end
tokens = math.min(cap, tokens + math.max(0, now - at) / 1000 * rate)
if take and tokens >= cost then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - cost), 'at', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
end
return tostring(tokens)`;

export interface RedisLimitOptions {
  url: string;
  /** Prepended to every key, so several deployments (or tests) can share one Redis. */
  prefix?: string;
  log: { warn(object: Record<string, unknown>, message: string): void };
}

/** Connects first (a start with Redis away goes on unlimited, with a warning, and reconnects). */
export async function createRedisLimitStore(options: RedisLimitOptions): Promise<LimitStore> {
  // Loaded here, not at import: a start without REDIS_URL never loads the client (see limits.ts).
  const { Redis } = await import('ioredis');
  const redis: RedisClient = new Redis(options.url, {
    keyPrefix: options.prefix ?? 'termin:limit:',
    // Fail fast instead of queueing while Redis is away: a limit check must not stall a request.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    lazyConnect: true,
  });
  let warned = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - warned < 60_000) return;
    warned = Date.now();
    options.log.warn({ errName: error.name }, 'Redis unreachable: rate limits are not enforced until it answers');
  });
  redis.defineCommand('terminBucket', { numberOfKeys: 1, lua: SCRIPT });
  await redis.connect().catch(() => {});
  const run = async (key: string, cost: number, bucket: Bucket, take: boolean): Promise<number> => {
    try {
      const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<string>>).terminBucket!;
      const tokens = Number(await command.call(redis, key, cost, bucket.perSecond, bucket.capacity, take ? '1' : '0'));
      return waitSeconds(tokens, cost, bucket.perSecond);
    } catch {
      return 0;
    }
  };
  return {
    take: (key, cost, bucket) => run(key, cost, bucket, true),
    check: (key, cost, bucket) => run(key, cost, bucket, false),
    async close() {
      redis.disconnect();
    },
  };
}
