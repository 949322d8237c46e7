/**
 * The app on a real server in its own process, for test/http/hostile-bodies.test.ts: a crash or
 * an unhandled rejection there is seen by this process's own listeners, not swallowed by Jest.
 *
 * stdout, one JSON line each: `{ port }` once listening, then a `State` for every `state` line
 * read on stdin. Each request is named by its `X-Test-Case` header.
 */
import '../helpers/no-network.js';
import { createServer, type ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { startTestApp } from '../helpers/app.js';

export interface Answer {
  status: number;
  body: string;
  ended: boolean;
}

export interface State {
  connections: number;
  /** Requests the app has not answered yet, by case name. */
  pending: string[];
  answers: Record<string, Answer>;
  /** Every 'uncaughtException' and 'unhandledRejection' so far. */
  crashes: string[];
}

const crashes: string[] = [];
process.on('uncaughtException', (e) => crashes.push(`uncaughtException: ${e.stack ?? String(e)}`));
process.on('unhandledRejection', (e) => crashes.push(`unhandledRejection: ${e instanceof Error ? e.stack : String(e)}`));

const t = await startTestApp();
const answers = new Map<string, { res: ServerResponse; body: string }>();

const server = createServer((req, res) => {
  const name = String(req.headers['x-test-case'] ?? `${req.method} ${req.url}`);
  const seen = { res, body: '' };
  answers.set(name, seen);
  // Records what the app answers, also when the client has gone and the bytes go nowhere.
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const chunk = args[0];
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) seen.body = chunk.toString();
    return end(...args);
  }) as typeof res.end;
  t.app(req, res);
});

function state(): Promise<State> {
  return new Promise((resolve) => {
    server.getConnections((_err, connections) => {
      const all = [...answers.entries()];
      resolve({
        connections,
        pending: all.filter(([, a]) => !a.res.writableEnded).map(([name]) => name),
        answers: Object.fromEntries(all.map(([name, a]) => [name, { status: a.res.statusCode, body: a.body, ended: a.res.writableEnded }])),
        crashes,
      });
    });
  });
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'state') void state().then((s) => process.stdout.write(`${JSON.stringify(s)}\n`));
});
lines.on('close', () => {
  server.close();
  server.closeAllConnections();
  t.close();
});
