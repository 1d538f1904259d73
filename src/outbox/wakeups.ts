// In-process wake-up calls between the parts that write work and the workers that do it, so a
// worker starts within milliseconds instead of at its next poll. (Other instances are woken by
// PostgreSQL NOTIFY; see outbox.listener.ts.)

export type WakeTopic = 'outbox' | 'deliveries' | 'emails' | 'calendar-writes';

export interface Wakeups {
  notify(topic: WakeTopic): void;
  subscribe(topic: WakeTopic, listener: () => void): () => void;
}

export function createWakeups(): Wakeups {
  const listeners = new Map<WakeTopic, Set<() => void>>();
  return {
    notify(topic) {
      for (const listener of listeners.get(topic) ?? []) listener();
    },
    subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
