import { startTestApp, type TestApp } from '../helpers/app.js';

/** The HTTP suites run once per backend (jest projects `sqlite` and `postgres`): this one says which it got. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('runs on the backend its jest project names', async () => {
  const wanted = (globalThis as { TEST_BACKEND?: string }).TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
  expect(t.ctx.sqlite ? 'sqlite' : t.config.databaseUrl?.startsWith('postgres://') ? 'postgres' : 'unknown').toBe(wanted);
  await t.ctx.storage.ping();
});
