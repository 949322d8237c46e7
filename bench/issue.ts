/**
 * Library issuance beside its floor, measured in the same run on the same credential.
 *
 * The floor is what issuing one credential cannot cost less than, with the libraries we use: RDFC-1.0
 * canonicalisation (rdf-canonize) of the credential's and the proof configuration's RDF, already made;
 * two SHA-256 and an Ed25519 signature; an RS256 signature (node:crypto) over the JWT's bytes; and
 * JSON.stringify with one SQLite insert of the row. No JSON-LD processing, no JOSE, no framework.
 * Ours is the issuance service (prepare, build, secure, store: both proofs, status entries, one
 * transaction) on batches of 1000, signing in this thread (SIGNING_THREADS=0, one core like the floor)
 * and on the default signing workers. Target: ≤ 2× the floor.
 *   npx tsx bench/issue.ts
 */
import { createHash, KeyObject, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';
import { closeAppContext, createAppContext, type AppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config/config.js';
import type { AwardRequest } from '../src/credentials/award-request.js';
import { createDocumentLoader } from '../src/jsonld/document-loader.js';
import { generateMissingKeys, loadKeys } from '../src/keys/key-store.js';
import { ed25519PrivateKey } from '../src/keys/signers.js';
import { createLogger } from '../src/logger.js';
import { addProvider } from '../src/organisations/api-keys.js';

const BATCH = 1000;
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function context(dir: string, signingThreads?: string): Promise<AppContext> {
  const config = loadConfig({
    DATA_DIR: join(dir, 'data'),
    KEYS_DIR: join(dir, 'keys'),
    PUBLIC_URL: 'https://badges.example.org',
    LOG_LEVEL: 'silent',
    ...(signingThreads !== undefined ? { SIGNING_THREADS: signingThreads } : {}),
  });
  await generateMissingKeys(config.keysDir);
  return createAppContext({ config, logger: createLogger('silent'), keys: await loadKeys(config.keysDir) });
}

const award = (slugs: string[], i: number): AwardRequest => ({
  badgeClass: slugs[i % slugs.length]!,
  recipient: { email: `learner${i}@example.org`, name: `Learner ${i}` },
  evidence: [{ narrative: `Completed module ${i}` }],
  language: (['en', 'it', 'lt', 'ro'] as const)[i % 4]!,
});

/** Ours: ms per credential over batches of BATCH, the median of ROUNDS (after a warm-up batch). */
async function ours(signingThreads: string | undefined): Promise<{ ms: number; sample: Record<string, unknown>; jwt: string; keys: { ed25519: KeyObject; rsa: KeyObject } }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-issue-'));
  const ctx = await context(dir, signingThreads);
  const { apiKey } = await addProvider(ctx, 'Bench', ['*']);
  const caller = (await ctx.apiKeys.authenticate(apiKey))!;
  const slugs = ctx.catalog.list().map((e) => e.badgeClass.slug);
  let n = 0;
  const batch = () => Array.from({ length: BATCH }, () => award(slugs, n++));
  const warm = await ctx.issuance.issue(caller, batch(), { kind: 'batch', jwt: true });
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const awards = batch();
    const start = process.hrtime.bigint();
    await ctx.issuance.issue(caller, awards, { kind: 'batch', jwt: true });
    times.push(Number(process.hrtime.bigint() - start) / 1e6 / BATCH);
  }
  const keys = { ed25519: ctx.instance.signing.ed25519, rsa: ctx.instance.signing.rsa };
  await ctx.signing.close();
  closeAppContext(ctx);
  rmSync(dir, { recursive: true, force: true });
  return { ms: median(times), sample: JSON.parse(warm.issued[0]!.document) as Record<string, unknown>, jwt: warm.issued[0]!.jwt!, keys };
}

/** The floor, on the same credential: each part timed over many repetitions, summed. */
async function floor(credential: Record<string, unknown>, jwt: string, keys: { ed25519: KeyObject; rsa: KeyObject }) {
  const documentLoader = createDocumentLoader();
  const { proof, ...unsigned } = credential;
  const [proofConfig] = proof as Array<Record<string, unknown>>;
  const { proofValue: _value, ...config } = proofConfig!;
  const toRdf = (doc: unknown) => jsonld.toRDF(doc, { documentLoader, safe: true, base: null, rdfDirection: 'i18n-datatype', produceGeneralizedRdf: false });
  const documentQuads = await toRdf(unsigned);
  const configQuads = await toRdf({ '@context': unsigned['@context'], ...config });
  const signingInput = Buffer.from(jwt.split('.').slice(0, 2).join('.'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  const db = new Database(join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table credentials (id text primary key, document text not null, jwt text not null)');
  const insert = db.prepare('insert into credentials (id, document, jwt) values (?, ?, ?)');
  const insertMany = db.transaction((rows: Array<[string, string, string]>) => {
    for (const row of rows) insert.run(...row);
  });
  const time = async (label: string, reps: number, f: (i: number) => unknown) => {
    for (let i = 0; i < 50; i++) await f(i);
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) await f(i);
    return { label, ms: Number(process.hrtime.bigint() - start) / 1e6 / reps };
  };
  const parts = [
    await time('RDFC-1.0 of document and proof configuration (rdf-canonize)', 1000, async () => {
      await rdfCanonize.canonize(documentQuads, { algorithm: 'RDFC-1.0', format: 'application/n-quads' });
      await rdfCanonize.canonize(configQuads, { algorithm: 'RDFC-1.0', format: 'application/n-quads' });
    }),
    await time('SHA-256 ×2 and Ed25519', 5000, () => sign(null, Buffer.concat([createHash('sha256').update('p').digest(), createHash('sha256').update('d').digest()]), keys.ed25519)),
    await time('RS256 over the JWT signing input', 1000, () => sign('sha256', signingInput, keys.rsa)),
    await time('JSON.stringify and one SQLite insert (in batches of 1000)', BATCH * 3, (i) => {
      if (i % BATCH === 0) insertMany(Array.from({ length: BATCH }, (_, k) => [`c${i + k}-${Math.random()}`, JSON.stringify(credential), jwt]));
    }),
  ];
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return parts;
}

const single = await ours('0');
const pooled = await ours(undefined);
const parts = await floor(single.sample, single.jwt, single.keys);
const total = parts.reduce((s, p) => s + p.ms, 0);

console.log(`Library issuance: batches of ${BATCH}, both proofs and storage, median of ${ROUNDS}; the floor measured in the same run`);
for (const p of parts) console.log(`  floor  ${p.label.padEnd(62)} ${p.ms.toFixed(3).padStart(7)} ms`);
console.log(`  floor  ${'total'.padEnd(62)} ${total.toFixed(3).padStart(7)} ms`);
for (const [label, r] of [
  ['ours, signing in this thread (one core, as the floor)', single],
  ['ours, signing workers (SIGNING_THREADS default)', pooled],
] as const) {
  const ratio = r.ms / total;
  console.log(`  ${label.padEnd(69)} ${r.ms.toFixed(3).padStart(7)} ms  ${ratio.toFixed(2)}× the floor  (target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT MET'})  ${(1000 / r.ms).toFixed(0)} credentials/s`);
}
