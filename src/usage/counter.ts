import type { UsageIncrement, UsageMetric, UsageRepository } from '../db/repositories.js';
import type { Logger } from '../logger.js';

/**
 * Counts in memory and writes them now and then: the public page and the badge images answer
 * thousands of requests a second, and a database write on each would cost more than the answer.
 * A flush writes one upsert per (organisation, badge class, metric) that adds what this process
 * counted since the last one, so several instances on one database add up.
 */
export interface UsageCounter {
  /** One event, counted in memory; nothing is written until the next flush. */
  count(orgId: string, badgeClass: string, metric: UsageMetric): void;
  /** Writes what was counted since the last flush; what could not be written is kept for the next. */
  flush(): Promise<void>;
  /** Flushes every `intervalMs` from now until `close`. */
  start(): void;
  /** Stops the timer and writes what is left (at shutdown, before the database closes). */
  close(): Promise<void>;
}

export interface UsageCounterOptions {
  repo: UsageRepository;
  logger: Logger;
  /** Between two flushes of a running service (default 5 s). */
  intervalMs?: number;
}

export function createUsageCounter({ repo, logger, intervalMs = 5_000 }: UsageCounterOptions): UsageCounter {
  let pending = new Map<string, UsageIncrement>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const add = (orgId: string, badgeClass: string, metric: UsageMetric, n: number) => {
    const key = `${orgId}\n${badgeClass}\n${metric}`;
    const held = pending.get(key);
    if (held) held.count += n;
    else pending.set(key, { orgId, badgeClass, metric, count: n });
  };

  async function write(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    try {
      await repo.add(batch);
    } catch (error) {
      // Kept, to be added to the next flush: a database that is away for a moment loses no count.
      for (const i of batch) add(i.orgId, i.badgeClass, i.metric, i.count);
      logger.warn({ error: error instanceof Error ? error.message : String(error), keys: batch.length }, 'the usage counts could not be written; they are kept for the next try');
    }
  }

  const counter: UsageCounter = {
    count: (orgId, badgeClass, metric) => add(orgId, badgeClass, metric, 1),
    flush() {
      // One flush at a time: a second waits for the first and then writes what came meanwhile.
      writing = writing.then(write);
      return writing;
    },
    start() {
      if (timer) return;
      timer = setInterval(() => void counter.flush(), intervalMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await counter.flush();
    },
  };
  return counter;
}
