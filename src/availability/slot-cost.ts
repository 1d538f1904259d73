// What a slot search costs, and the two bounds on it: per request (a clear 400 naming the limit)
// and per company per second (429 with Retry-After). Cost is the engine's work: every host walks
// every grid start of every day asked for, so cost = hosts × days × grid starts per day. CPU time
// per unit is near constant (≈ 0.3 µs here), so the bounds are bounds on event-loop time.
import { AppError } from '../lib/app-error.ts';
import { DAY_MS } from '../lib/time.ts';

export interface SlotCost {
  maxPerRequest: number;
  perSecond: number;
  /** Takes `cost` from the company's budget: 0 when allowed, else whole seconds to wait. */
  take(companyId: string, cost: number): Promise<number>;
  /** The same without taking. */
  check(companyId: string, cost: number): Promise<number>;
}

export interface SearchWork {
  hosts: number;
  days: number;
  startsPerDay: number;
  total: number;
}

export function searchCost(hosts: number, range: { from: number; to: number }, intervalMinutes: number): SearchWork {
  const days = Math.max(1, Math.ceil((range.to - range.from) / DAY_MS));
  const startsPerDay = Math.ceil(1440 / Math.max(1, intervalMinutes));
  return { hosts, days, startsPerDay, total: hosts * days * startsPerDay };
}

/** A lower bound known before anything is read: at least one start per host and day. */
export function roughCost(hostCount: number, range: { from: number; to: number }): number {
  return searchCost(Math.max(1, hostCount), range, 1440).total;
}

export async function checkCost(cost: SlotCost, companyId: string, minimum: number): Promise<void> {
  const wait = await cost.check(companyId, Math.min(minimum, cost.maxPerRequest));
  if (wait > 0) throw overBudget(cost, wait);
}

export async function chargeCost(cost: SlotCost, companyId: string, work: SearchWork): Promise<void> {
  if (work.total > cost.maxPerRequest) {
    // Reading the hosts' data was work already: a flood of refused searches spends the budget too.
    await cost.take(companyId, cost.maxPerRequest);
    throw new AppError(
      'search_too_large',
      `This slot search would examine ${work.total} candidate starts (${work.hosts} hosts × ${work.days} days × ${work.startsPerDay} starts per day); the limit is ${cost.maxPerRequest} per request. Ask for fewer hosts or fewer days.`,
    );
  }
  const wait = await cost.take(companyId, work.total);
  if (wait > 0) throw overBudget(cost, wait);
}

function overBudget(cost: SlotCost, wait: number): AppError {
  return new AppError(
    'rate_limited',
    `Slot search budget exhausted: a company may examine ${cost.perSecond} candidate starts per second. Retry after ${wait} s.`,
    { retryAfter: wait },
  );
}
