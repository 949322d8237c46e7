/**
 * Hostile inputs for the verifier, built to sit just under its caps (`src/verify/bounds.ts`
 * VERIFY_LIMITS, the body caps in `src/http/routes/verify.ts`, MAX_JSON_DEPTH) and signed by a
 * did:key, which the verifier resolves without network: each one gets the whole verification
 * (expansion, schema, canonicalisation, signatures) instead of an early refusal. The builders take
 * a size, so the same shapes can be measured below the caps.
 */
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { SignJWT, base64url, importJWK } from 'jose';
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import sharp from 'sharp';
import { bakePng } from '../src/baking/index.js';
import { MAX_JSON_DEPTH, maxJsonDepth } from '../src/json/limits.js';
import { MAX_IMAGE_INPUT, MAX_TEXT_INPUT } from '../src/http/routes/verify.js';
import { CONTEXT } from '../src/jsonld/contexts.js';
import { didKeyResolver } from '../src/jsonld/did-key-resolver.js';
import { createDocumentLoader } from '../src/jsonld/document-loader.js';
import { signDataIntegrity } from '../src/proofs/data-integrity.js';
import type { Credential } from '../src/proofs/proof-format.js';
import { VERIFY_LIMITS } from '../src/verify/bounds.js';

export interface HostileInput {
  name: string;
  body: Buffer;
  /** The Content-Type it is sent with. */
  type: string;
  /** The credential inside, for the size columns. */
  credential: Credential;
}

/** One of our own credentials, as issued: the baseline. */
export interface OwnCredential {
  credential: Credential;
  jwt: string;
}

/** JSON values (objects, arrays, scalars) and nesting, counted as bounds.ts counts them. */
export function shape(value: unknown): { nodes: number; depth: number } {
  let nodes = 0;
  let depth = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    nodes += 1;
    if (v && typeof v === 'object') {
      depth = Math.max(depth, d);
      for (const child of Object.values(v)) stack.push([child, d + 1]);
    }
  }
  return { nodes, depth };
}

/**
 * As many `item(i, pad)` as the node budget allows (fewer if the bytes bind first), each padded so
 * that the credential `build` makes of them fills the byte budget.
 */
export function fill(build: (items: unknown[]) => Credential, item: (i: number, pad: string) => unknown, nodeBudget: number, byteBudget: number): Credential {
  const base = shape(build([])).nodes;
  const perItem = shape(item(0, '')).nodes;
  const sized = (count: number) => JSON.stringify(build(Array.from({ length: count }, (_, i) => item(i, '')))).length;
  let count = Math.floor((nodeBudget - base) / perItem);
  let unpadded = sized(count);
  while (unpadded > byteBudget) {
    count = Math.floor((count * byteBudget) / unpadded) - 1;
    unpadded = sized(count);
  }
  const pad = 'x'.repeat(Math.max(0, Math.floor((byteBudget - unpadded) / Math.max(1, count))));
  return build(Array.from({ length: count }, (_, i) => item(i, pad)));
}

/** An Alignment to a competence framework: distinct, well-formed, 6 JSON values. */
export const alignment = (i: number, pad = '') => ({
  type: ['Alignment'],
  targetName: `Competence ${i} ${pad}`,
  targetUrl: `https://frameworks.example/competences/${i}`,
  targetCode: `C-${i}`,
});

const identifierEntry = (i: number, pad: string) => ({ type: 'IdentifierEntry', identifier: `id-${i}${pad}`, identifierType: 'sourcedId' });

/** Room kept for what is added after filling (up to 8 proofs of about 330 bytes and 7 values). */
const PROOF_ROOM = { nodes: 80, bytes: 4096 };
export const NODE_BUDGET = VERIFY_LIMITS.maxNodes - PROOF_ROOM.nodes;
export const TEXT_BUDGET = MAX_TEXT_INPUT - PROOF_ROOM.bytes;

const CREATED = new Date('2024-01-01T00:00:00Z');

/** An issuer with a did:key, and the shapes of credential it makes. */
export async function createAttacker() {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  const loader = createDocumentLoader([didKeyResolver]);

  const sign = async (credential: Credential): Promise<Credential> => signDataIntegrity(structuredClone(credential), { signer: key.signer(), documentLoader: loader, created: CREATED });

  /**
   * `count` proofs by the attacker's key, none of which verifies: the signed proof with another
   * `created` each time. Each still costs a full canonicalisation before its signature fails.
   */
  async function withInvalidProofs(credential: Credential, count: number): Promise<Credential> {
    const [proof] = (await sign(credential)).proof as Array<Record<string, unknown>>;
    const created = (i: number) => new Date(CREATED.getTime() + (i + 1) * 1000).toISOString().replace('.000', '');
    return { ...credential, proof: Array.from({ length: count }, (_, i) => ({ ...proof, created: created(i) })) };
  }

  /** A proof made for another document, for graphs that cannot be canonicalised (so not signed): the key resolves, canonicalisation runs, the signature fails. */
  const [borrowed] = (await sign(credential({ achievement: achievement() }))).proof as unknown[];
  const withBorrowedProof = (c: Credential): Credential => ({ ...c, proof: [borrowed] });

  function credential(subject: Record<string, unknown>, extra: Record<string, unknown> = {}): Credential {
    return {
      '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges],
      id: 'urn:uuid:4f1d3c9e-6a55-4a8e-9d6e-0f4c2b7a9e11',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: did, type: ['Profile'], name: 'Hostile Academy' },
      validFrom: '2024-01-01T00:00:00Z',
      name: 'Hostile badge',
      credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'], ...subject },
      ...extra,
    };
  }

  function achievement(extra: Record<string, unknown> = {}) {
    return {
      id: 'https://hostile.example/achievements/1',
      type: ['Achievement'],
      name: 'Hostile achievement',
      description: 'Built to be expensive to verify.',
      criteria: { narrative: 'None.' },
      ...extra,
    };
  }

  const endorsement = (i: number, issuerExtra: Record<string, unknown> = {}): Credential => ({
    '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges],
    id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: ['VerifiableCredential', 'EndorsementCredential'],
    issuer: { id: did, type: ['Profile'], name: `Endorser ${i}`, ...issuerExtra },
    validFrom: '2024-01-01T00:00:00Z',
    name: `Endorsement ${i}`,
    credentialSubject: { id: 'https://hostile.example/achievements/1', type: ['EndorsementSubject'], endorsementComment: 'Endorsed.' },
  });

  /** A creator → parentOrg → parentOrg … chain of blank-node Profiles, `levels` deep. */
  function deepChain(levels: number, { identical = false } = {}): Record<string, unknown> {
    const name = (i: number) => (identical ? 'Org' : `Org ${i}`);
    let profile: Record<string, unknown> = { type: 'Profile', name: name(levels) };
    for (let i = levels - 1; i >= 0; i--) profile = { type: 'Profile', name: name(i), parentOrg: profile };
    return profile;
  }
  const withinDepth = (c: Credential) => maxJsonDepth(JSON.stringify(c)) <= MAX_JSON_DEPTH && shape(c).depth <= VERIFY_LIMITS.maxDepth;
  let maxChain = 1;
  while (withinDepth(credential({ achievement: achievement({ creator: [deepChain(maxChain + 1)] }) }, { proof: [{}] }))) maxChain++;

  /** A subject that is a blank node (no id, an IdentityObject instead), as OB 3.0 allows. */
  function blankSubject(subject: Record<string, unknown>): Credential {
    const c = credential(subject);
    const s = c.credentialSubject as Record<string, unknown>;
    delete s.id;
    s.identifier = [{ type: 'IdentityObject', hashed: false, identityHash: 'learner@example.org', identityType: 'emailAddress' }];
    return c;
  }

  const build = {
    /** A credential whose achievement has `n` distinct Alignments, signed once (valid). */
    alignments: (n: number) => sign(credential({ achievement: achievement({ alignment: Array.from({ length: n }, (_, i) => alignment(i)) }) })),
    /** The largest credential under the node cap and `bytes`: Alignments, padded. */
    largest: (bytes: number) => fill((items) => credential({ achievement: achievement({ alignment: items }) }), alignment, NODE_BUDGET, bytes),
    /** An ordinary-size credential with `n` proofs, all invalid. */
    invalidProofs: (n: number) => withInvalidProofs(credential({ achievement: achievement() }), n),
    withInvalidProofs,
    /** `n` small endorsements, each signed once (valid), on a signed credential. */
    endorsements: async (n: number) => sign(credential({ achievement: achievement() }, { endorsement: await Promise.all(Array.from({ length: n }, (_, i) => sign(endorsement(i)))) })),
    /** The maximum of endorsements, sharing the node and byte budgets, each with 3 proofs (1 valid): 1 + 48 of the 64 work units. */
    fullEndorsements: async () => {
      const count = VERIFY_LIMITS.maxEndorsements;
      const nodes = Math.floor((NODE_BUDGET - 200) / count) - 24;
      const bytes = Math.floor((TEXT_BUDGET - 8192) / count) - 1200;
      const all = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const filled = fill((items) => endorsement(i, { otherIdentifier: items }), identifierEntry, nodes, bytes);
          const valid = await sign(filled);
          return { ...valid, proof: [...(valid.proof as unknown[]), ...((await withInvalidProofs(filled, 2)).proof as unknown[])] };
        }),
      );
      return sign(credential({ achievement: achievement() }, { endorsement: all }));
    },
    /** Poison graph: `n` identical blank-node Results under a blank-node subject; RDFC-1.0 cannot tell them apart by their own quads. */
    identicalResults: (n: number) => withBorrowedProof(blankSubject({ result: Array.from({ length: n }, () => ({ type: ['Result'], value: 'x' })) })),
    /** The deepest chain both depth caps let through (or `levels`), distinct names, signed. */
    deepChain: (levels = maxChain) => sign(credential({ achievement: achievement({ creator: [deepChain(levels)] }) })),
    maxChain,
    /** Depth and poison: `chains` identical blank-node chains, `levels` deep. */
    identicalChains: (chains: number, levels = maxChain) =>
      withBorrowedProof(blankSubject({ achievement: { type: ['Achievement'], name: 'a', creator: Array.from({ length: chains }, () => deepChain(levels, { identical: true })) } })),
    chainsAtCap: Math.floor((NODE_BUDGET - 60) / shape(deepChain(maxChain)).nodes),
    /** `n` BitstringStatusListEntry on hosts that do not resolve, signed. */
    statusEntries: (n: number) =>
      sign(
        credential(
          { achievement: achievement() },
          {
            credentialStatus: Array.from({ length: n }, (_, i) => ({
              id: `https://status-${i}.hostile.example/lists/1#${i}`,
              type: 'BitstringStatusListEntry',
              statusPurpose: 'revocation',
              statusListIndex: String(i),
              statusListCredential: `https://status-${i}.hostile.example/lists/1`,
            })),
          },
        ),
      ),
    /** A VC-JWT (EdDSA, kid a did:key) whose compact form is about `bytes` long. */
    jwt: async (bytes: number) => {
      // base64url makes the payload 4/3 larger.
      const payload = build.largest(Math.floor((bytes - 2048) * 0.75));
      const jwk = await Ed25519Multikey.toJwk({ keyPair: key, secretKey: true });
      // The multikey's secret key is seed ‖ public key; a JWK's `d` is the 32-byte seed.
      const privateKey = await importJWK({ ...jwk, d: base64url.encode(base64url.decode(String(jwk.d)).subarray(0, 32)) }, 'EdDSA');
      const jwt = await new SignJWT({ ...payload, iss: did, jti: payload.id as string, nbf: Math.floor(CREATED.getTime() / 1000), sub: 'did:example:learner' })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.id!, typ: 'JWT' })
        .sign(privateKey);
      return { jwt, payload };
    },
    sign,
  };
  return build;
}

/** A 64×64 badge PNG with `payload` baked in, padded with a tEXt comment to `bytes`. */
export async function paddedBakedPng(payload: string, bytes: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 64, height: 64, channels: 4, background: '#2a6' } }).png().toBuffer();
  const baked = bakePng(png, payload);
  const room = bytes - baked.length - 12 - 'Comment\0'.length;
  if (room <= 0) return baked;
  const chunks = extractChunks(baked);
  chunks.splice(chunks.length - 1, 0, { name: 'tEXt', data: Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(room, 'a')]) });
  return Buffer.from(encodeChunks(chunks));
}

const json = (name: string, credential: Credential): HostileInput => ({ name, body: Buffer.from(JSON.stringify(credential)), type: 'application/json', credential });

/** The inputs of the event-loop benchmark: two baselines, then every cap pushed to its limit. */
export async function hostileInputs(ours: OwnCredential): Promise<HostileInput[]> {
  const a = await createAttacker();
  const { maxProofs, maxEndorsements, maxStatusEntries } = VERIFY_LIMITS;
  const largest = a.largest(TEXT_BUDGET);
  const alignments = (c: Credential) => ((c.credentialSubject as { achievement: { alignment: unknown[] } }).achievement.alignment.length);
  const atCap = Math.floor((NODE_BUDGET - 60) / 4);
  const { jwt, payload } = await a.jwt(MAX_TEXT_INPUT);
  const pngCredential = await a.sign(a.largest(MAX_IMAGE_INPUT - 16 * 1024));
  return [
    json('baseline: our own credential (JSON)', ours.credential),
    { name: 'baseline: our own credential (VC-JWT)', body: Buffer.from(ours.jwt), type: 'application/jwt', credential: ours.credential },
    json(`largest JSON: ${alignments(largest)} alignments, 1 valid proof`, await a.sign(largest)),
    json(`${maxProofs} invalid proofs, ordinary size`, await a.invalidProofs(maxProofs)),
    json(`${maxProofs} invalid proofs, largest JSON`, await a.withInvalidProofs(largest, maxProofs)),
    json(`${maxEndorsements} endorsements, 1 valid proof each`, await a.endorsements(maxEndorsements)),
    json(`${maxEndorsements} endorsements x 3 proofs, at node cap`, await a.fullEndorsements()),
    json('poison graph: 500 identical Results', a.identicalResults(500)),
    json('poison graph: 2000 identical Results', a.identicalResults(2000)),
    json(`poison graph: ${atCap} identical Results (cap)`, a.identicalResults(atCap)),
    json(`deep: one ${a.maxChain}-level parentOrg chain`, await a.deepChain()),
    json(`deep + poison: ${a.chainsAtCap} identical ${a.maxChain}-level chains`, a.identicalChains(a.chainsAtCap)),
    json(`${maxStatusEntries} status entries, hosts unresolvable`, await a.statusEntries(maxStatusEntries)),
    { name: `VC-JWT at the text cap: ${alignments(payload)} alignments`, body: Buffer.from(jwt), type: 'application/jwt', credential: payload },
    { name: 'PNG at the image cap, our credential baked', body: await paddedBakedPng(JSON.stringify(ours.credential), MAX_IMAGE_INPUT - 64), type: 'image/png', credential: ours.credential },
    { name: 'PNG at the image cap, credential fills it', body: await paddedBakedPng(JSON.stringify(pngCredential), 0), type: 'image/png', credential: pngCredential },
  ];
}
