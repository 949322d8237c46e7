import { once } from 'node:events';
import { createServer } from 'node:http';

/**
 * A JSON document server on 127.0.0.1 standing in for other issuers' hosts (DID documents, keys, JWK
 * Sets, status lists): `served` maps a path to the document it answers with (404 otherwise), and
 * `requested` records every path asked for, so a test can show what was, and was not, fetched.
 */
export interface FixtureServer {
  origin: string;
  served: Map<string, unknown>;
  requested: string[];
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const served = new Map<string, unknown>();
  const requested: string[] = [];
  const server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const body = served.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    served,
    requested,
    async close() {
      server.close();
      await once(server, 'close');
    },
  };
}
