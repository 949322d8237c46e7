import { describe, expect, it, jest } from '@jest/globals';
import type { UsageIncrement, UsageRepository } from '../../src/db/repositories.js';
import { createLogger } from '../../src/logger.js';
import { isCountable } from '../../src/usage/audience.js';
import { createUsageCounter } from '../../src/usage/counter.js';

/** Counting in memory and writing now and then: what each flush writes, and what a failed one keeps. */
function fakeRepo() {
  const writes: UsageIncrement[][] = [];
  let failNext = 0;
  const repo: UsageRepository = {
    async add(increments) {
      if (failNext > 0) {
        failNext -= 1;
        throw new Error('database away');
      }
      writes.push(increments.map((i) => ({ ...i })));
    },
    async countsOf() {
      return [];
    },
  };
  return { repo, writes, fail: (n = 1) => (failNext = n) };
}
const logger = createLogger('silent');

describe('the usage counter', () => {
  it('writes nothing per event: one increment per key at each flush, the sum of its events', async () => {
    const { repo, writes } = fakeRepo();
    const counter = createUsageCounter({ repo, logger });
    for (let i = 0; i < 1000; i++) counter.count('org-1', 'class-a', 'views');
    counter.count('org-1', 'class-a', 'downloads');
    counter.count('org-2', 'class-a', 'views');
    expect(writes).toEqual([]);
    await counter.flush();
    expect(writes).toEqual([
      [
        { orgId: 'org-1', badgeClass: 'class-a', metric: 'views', count: 1000 },
        { orgId: 'org-1', badgeClass: 'class-a', metric: 'downloads', count: 1 },
        { orgId: 'org-2', badgeClass: 'class-a', metric: 'views', count: 1 },
      ],
    ]);
    await counter.flush();
    expect(writes).toHaveLength(1);
  });

  it('keeps what a failed write held, and adds it to the next', async () => {
    const { repo, writes, fail } = fakeRepo();
    const counter = createUsageCounter({ repo, logger });
    counter.count('org-1', 'class-a', 'views');
    counter.count('org-1', 'class-a', 'views');
    fail();
    await counter.flush();
    counter.count('org-1', 'class-a', 'views');
    await counter.flush();
    expect(writes).toEqual([[{ orgId: 'org-1', badgeClass: 'class-a', metric: 'views', count: 3 }]]);
  });

  it('counts events that arrive while a write is under way in the next write, not in none', async () => {
    const { repo, writes } = fakeRepo();
    let started = () => {};
    const writeStarted = new Promise<void>((resolve) => (started = resolve));
    let release = () => {};
    const slow: UsageRepository = {
      ...repo,
      add: (i) => {
        started();
        return new Promise<void>((resolve) => (release = () => void repo.add(i).then(resolve)));
      },
    };
    const counter = createUsageCounter({ repo: slow, logger });
    counter.count('org-1', 'class-a', 'views');
    const first = counter.flush();
    await writeStarted;
    counter.count('org-1', 'class-a', 'views');
    counter.count('org-1', 'class-a', 'views');
    release();
    await first;
    const second = counter.flush();
    await Promise.resolve();
    await Promise.resolve();
    release();
    await second;
    expect(writes.map((w) => w[0]!.count)).toEqual([1, 2]);
  });

  it('flushes on its timer once started, and writes what is left when closed', async () => {
    jest.useFakeTimers();
    try {
      const { repo, writes } = fakeRepo();
      const counter = createUsageCounter({ repo, logger, intervalMs: 5_000 });
      counter.start();
      counter.count('org-1', 'class-a', 'views');
      await jest.advanceTimersByTimeAsync(4_999);
      expect(writes).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(writes).toHaveLength(1);
      counter.count('org-1', 'class-a', 'verifications');
      await counter.close();
      expect(writes[1]).toEqual([{ orgId: 'org-1', badgeClass: 'class-a', metric: 'verifications', count: 1 }]);
      counter.count('org-1', 'class-a', 'views');
      await jest.advanceTimersByTimeAsync(60_000);
      expect(writes).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('which requests count', () => {
  const browser = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
  it('counts a browser\'s GET and POST', () => {
    expect(isCountable({ method: 'GET', userAgent: browser })).toBe(true);
    expect(isCountable({ method: 'POST', userAgent: browser })).toBe(true);
  });

  it.each([
    ['a HEAD request', 'HEAD', browser],
    ['no User-Agent', 'GET', undefined],
    ['Googlebot', 'GET', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['LinkedIn\'s preview', 'GET', 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)'],
    ['Slack\'s preview', 'GET', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
    ['Facebook\'s preview', 'GET', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['a headless browser', 'GET', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36'],
    ['an uptime monitor', 'GET', 'UptimeRobot/2.0'],
  ])('leaves out %s', (_what, method, userAgent) => {
    expect(isCountable({ method, userAgent })).toBe(false);
  });
});
