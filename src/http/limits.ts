// The limit store an instance uses: Redis when REDIS_URL is set (limits shared by all instances),
// memory otherwise. The Redis client is only loaded when asked for, so a start without it pays
// nothing for it.
import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import { type LimitStore, createMemoryLimitStore } from './rate-limit.ts';

export async function createLimitStore(
  config: Pick<Config, 'redisUrl' | 'redisPrefix'>,
  deps: { clock: Clock; log: { warn(object: Record<string, unknown>, message: string): void } },
): Promise<LimitStore> {
  if (!config.redisUrl) return createMemoryLimitStore({ clock: deps.clock });
  const { createRedisLimitStore } = await import('./rate-limit.redis.ts');
  return createRedisLimitStore({ url: config.redisUrl, prefix: `${config.redisPrefix}limit:`, log: deps.log });
}
