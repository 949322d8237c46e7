import { USAGE_METRICS, byUsageKey, type UsageIncrement, type UsageMetric } from './repositories.js';

/** Rows per upsert: four parameters each, far below either database's limit. */
const CHUNK = 500;

/** The increments in key order, in chunks of one statement each. */
export function usageChunks(increments: UsageIncrement[]): UsageIncrement[][] {
  const sorted = increments.filter((i) => i.count > 0).sort(byUsageKey);
  const chunks: UsageIncrement[][] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) chunks.push(sorted.slice(i, i + CHUNK));
  return chunks;
}

const isMetric = (m: string): m is UsageMetric => (USAGE_METRICS as readonly string[]).includes(m);

/** Stored rows of the metrics this version knows (a later version's are left out), by badge class and metric. */
export const knownUsage = (rows: Array<{ badgeClass: string; metric: string; count: number }>): Array<Omit<UsageIncrement, 'orgId'>> =>
  rows
    .filter((r): r is typeof r & { metric: UsageMetric } => isMetric(r.metric))
    .map((r) => ({ badgeClass: r.badgeClass, metric: r.metric, count: Number(r.count) }))
    .sort((a, b) => (a.badgeClass < b.badgeClass ? -1 : a.badgeClass > b.badgeClass ? 1 : a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
