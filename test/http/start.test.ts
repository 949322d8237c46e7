import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/net.js';

/** The README's start command, run as a newcomer would, on the embedded defaults. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));


async function waitFor(url: string, child: ChildProcess, timeoutMs = 30000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with code ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > deadline) throw new Error(`no answer from ${url}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('npm start', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  // npm start runs the service in child processes: signal the whole process group.
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  afterEach(() => {
    if (child) signal('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves on the embedded defaults: SQLite, generated development keys, the sample badge classes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'start-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', PORT: String(port), DATA_DIR: join(dir, 'data'), KEYS_DIR: join(dir, 'keys') };
    delete env.NODE_ENV;
    delete env.PUBLIC_URL;
    child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

    const health = await waitFor(`http://127.0.0.1:${port}/health`, child);
    expect(health.status).toBe(200);
    expect(output).toContain('generated new development signing keys');
    const did = (await (await fetch(`http://127.0.0.1:${port}/.well-known/did.json`)).json()) as { id: string };
    // Without PUBLIC_URL, links (and the did:web) are on the port the service listens on.
    expect(did.id).toBe(`did:web:localhost%3A${port}`);
    const achievement = await fetch(`http://127.0.0.1:${port}/achievements/carer-plus-digital-communication`);
    expect(achievement.status).toBe(200);
    expect(((await achievement.json()) as { image: { id: string } }).image.id).toBe(`http://localhost:${port}/achievements/carer-plus-digital-communication/image.png`);
    // The landing page, and the one-time link for the console's first owner in the log.
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    expect(output).toMatch(new RegExp(`http://localhost:${port}/console/invitations/[\\w-]{43}`));

    // 'close' comes once every process holding the output pipes (npm and the service) has ended.
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    signal('SIGTERM');
    await exited;
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    expect(output).toContain('shutting down');
  });
});
