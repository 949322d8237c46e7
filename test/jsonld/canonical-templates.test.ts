import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import fc from 'fast-check';
import { bundledFrameworks } from '../../src/frameworks/frameworks.js';
import { loadCatalog } from '../../src/badge-classes/catalog.js';
import type { Language } from '../../src/badge-classes/schema.js';
import type { AwardRequest } from '../../src/credentials/award-request.js';
import { buildCredential } from '../../src/credentials/build.js';
import { createTemplateCanonizer, type Canonize } from '../../src/jsonld/canonical-templates.js';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import { createTemplateExpander, type TemplateExpander } from '../../src/jsonld/expansion-templates.js';
import jsonld from 'jsonld';
import { firstAidBadge } from '../helpers/credentials.js';

/**
 * The template canonicaliser against the stock path (the cryptosuite's own `canonize`: jsonld.js
 * toRDF, then rdf-canonize) and the expansion template against jsonld.js expansion: byte for byte,
 * or the same refusal, for every badge class in every language, thousands of random awards, the
 * specifications' vectors and other spellings of the same statements.
 */
const documentLoader = createDocumentLoader();
const OPTIONS = { documentLoader, base: null, safe: true };
const PROOF_OPTIONS = { ...OPTIONS, skipExpansion: false };
const stock: Canonize = (input, options) => eddsaRdfc2022.canonize(input, options);
const PUBLIC_URL = 'https://badges.example.org';
const catalog = loadCatalog(new URL('../../badge-classes', import.meta.url).pathname, { frameworks: bundledFrameworks(PUBLIC_URL) });
const ISSUER = { id: 'did:web:badges.example.org', type: ['Profile'] as ['Profile'], name: 'Care Skills Badges', url: PUBLIC_URL };

type Outcome = { ok: string } | { error: true };
const outcome = async (run: () => Promise<string>): Promise<Outcome> => {
  try {
    return { ok: await run() };
  } catch {
    return { error: true };
  }
};

/** Compares both paths on a document, after the template canonicaliser has seen its shape `warm` times. */
async function expectSame(canonizer: { canonize: Canonize }, document: unknown, options: Record<string, unknown> = OPTIONS, warm = 0): Promise<Outcome> {
  for (let i = 0; i < warm; i++) await outcome(() => canonizer.canonize(structuredClone(document), options));
  const expected = await outcome(() => stock(structuredClone(document), options));
  const actual = await outcome(() => canonizer.canonize(structuredClone(document), options));
  expect(actual).toEqual(expected);
  return expected;
}

/** The same for expansion, which the verifier reads the signed statements from. */
async function expectSameExpansion(expander: TemplateExpander, document: unknown, warm = 0): Promise<void> {
  const run = async (f: () => Promise<unknown>) => {
    try {
      return { ok: JSON.stringify(await f()) };
    } catch {
      return { error: true };
    }
  };
  for (let i = 0; i < warm; i++) await run(() => expander.expand(structuredClone(document)));
  const expected = await run(() => jsonld.expand(structuredClone(document), { documentLoader, safe: true, base: null }));
  expect(await run(() => expander.expand(structuredClone(document)))).toEqual(expected);
}

const proofConfig = (document: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  '@context': document['@context'],
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-rdfc-2022',
  created: '2026-12-05T10:00:00Z',
  verificationMethod: 'did:web:badges.example.org#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
  proofPurpose: 'assertionMethod',
  ...extra,
});

// Strings that probe each slot kind: IRIs of several schemes, compact IRIs with defined prefixes,
// blank-node and relative forms, whitespace, escapes, non-Latin text, the placeholder's own marks.
const tricky = fc.constantFrom(
  'https://example.org/a b',
  'xsd:string',
  'schema:name',
  '_:b0',
  '#fragment',
  'relative/path',
  'did:example:123',
  'urn:uuid:6f0e5c2a-3b1d-4d7e-9a8f-0c1b2d3e4f5a',
  'mailto:learner@example.org',
  'HTTPS://EXAMPLE.ORG/',
  'Line one\nline two\r\n"quoted" \\ back',
  'Îngrijire la domiciliu — ĄČĘĖĮŠŲŪŽ ąčęėįšųūž',
  '\u27EAc14n-slot-0\u27EB',
  'https:\u27EAc14n-slot-1\u27EB',
  'Completed',
  'assertionMethod',
  '',
  ' ',
);
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), tricky);
const iri = fc.oneof(fc.webUrl(), fc.constantFrom('did:example:learner', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', 'urn:uuid:0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'), tricky);
// A small pool, so that evidence items and subjects share ids and jsonld.js merges their nodes.
const sharedIri = fc.constantFrom('https://example.org/evidence/1', 'https://example.org/evidence/2', 'did:example:learner');
const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());

const award = (badgeClass: string, language: Language): fc.Arbitrary<AwardRequest> =>
  fc.record(
    {
      recipient: fc.record({ email: fc.emailAddress(), id: fc.oneof(iri, sharedIri), name: text }, { requiredKeys: [] }),
      evidence: fc.array(fc.record({ id: fc.oneof(iri, sharedIri), name: text, description: text, narrative: text, genre: text, audience: text }, { requiredKeys: [] }), { maxLength: 3 }),
      results: fc.array(
        fc.record(
          { value: text, status: fc.constantFrom('Completed', 'Enrolled', 'Failed', 'InProgress', 'OnHold', 'Provisional', 'Withdrew'), achievedLevel: iri },
          { requiredKeys: [] },
        ),
        { maxLength: 2 },
      ),
      narrative: text,
      activityStartDate: date,
      activityEndDate: date,
      validUntil: date,
    },
    { requiredKeys: ['recipient'] },
  ).map((a) => ({ ...a, badgeClass, language }) as AwardRequest);

const combinations = catalog.list().flatMap((entry) => entry.languages.map((language) => ({ entry, language })));

function credentialFor(i: number, combination: (typeof combinations)[number], a: AwardRequest, issuedAt: Date) {
  return buildCredential({
    uuid: `3f0c2a9e-1b2d-4c5e-8f70-${String(i).padStart(12, '0')}`,
    publicUrl: PUBLIC_URL,
    issuer: ISSUER,
    entry: combination.entry,
    award: a,
    language: combination.language,
    issuedAt,
    credentialStatus: {
      id: `${PUBLIC_URL}/status/5d1e#${i}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(i),
      statusListCredential: `${PUBLIC_URL}/status/5d1e`,
    },
  });
}

describe('every badge class in every language', () => {
  it.each(combinations.map((c) => [c.entry.badgeClass.slug, c.language, c] as const))('%s (%s): the template gives the stock N-Quads', async (_slug, _language, combination) => {
    const canonizer = createTemplateCanonizer({ stock, buildOn: 1 });
    const plain = credentialFor(1, combination, { badgeClass: combination.entry.badgeClass.slug, recipient: { email: 'learner@example.org', name: 'Ana Popescu' } }, new Date('2026-12-05T10:00:00Z'));
    const result = await expectSame(canonizer, plain);
    expect('ok' in result && result.ok).toContain('<https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject>');
    const expander = createTemplateExpander({ buildOn: 1 });
    await expectSameExpansion(expander, plain);
    // A second learner: the same shape, served by the template.
    const second = credentialFor(2, combination, { badgeClass: combination.entry.badgeClass.slug, recipient: { email: 'other@example.org', name: 'Jonas Petrauskas' } }, new Date('2026-12-06T11:30:00Z'));
    await expectSame(canonizer, second);
    await expectSameExpansion(expander, second);
    expect(expander.stats().templated).toBe(2);
    await expectSame(canonizer, proofConfig(second), PROOF_OPTIONS, 1);
    expect(canonizer.stats().templated).toBeGreaterThanOrEqual(2);
  });
});

describe('random awards', () => {
  it('give the stock N-Quads (or the same refusal) for thousands of awards, proof configurations included', async () => {
    // One canonicaliser for the whole run, as in the service: templates are reused across awards.
    const canonizer = createTemplateCanonizer({ stock, buildOn: 1 });
    const expander = createTemplateExpander({ buildOn: 1 });
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: combinations.length - 1 }).chain((c) => fc.tuple(fc.constant(c), award(combinations[c]!.entry.badgeClass.slug, combinations[c]!.language), date, fc.constantFrom('assertionMethod', 'authentication', 'capabilityInvocation'))),
        async ([c, a, issuedAt, proofPurpose]) => {
          const credential = credentialFor(i++, combinations[c]!, a, new Date(issuedAt));
          await expectSame(canonizer, credential);
          await expectSameExpansion(expander, credential);
          await expectSame(canonizer, proofConfig(credential, { created: issuedAt.replace(/\.\d+Z$/, 'Z'), proofPurpose }), PROOF_OPTIONS);
        },
      ),
      { seed: 20261205, numRuns: 2000 },
    );
    const { templated, stock: stockRuns } = canonizer.stats();
    // Most awards go by template; the ones the stock path refuses, or new shapes, go the stock way.
    expect(templated).toBeGreaterThan(stockRuns);
    expect(expander.stats().templated).toBeGreaterThan(expander.stats().stock);
  }, 180_000);
});

describe('published vectors', () => {
  const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

  it('OB 3.0 specification vector: the document and proof configuration N-Quads, by template', async () => {
    const { proof, ...unsigned } = JSON.parse(fixture('ob3-spec/ob3-spec-test-vector-signed.json')) as Record<string, unknown>;
    const config = { '@context': unsigned['@context'], ...(JSON.parse(fixture('ob3-spec/key-and-hashes.json')) as { proofConfigBeforeSigning: Record<string, unknown> }).proofConfigBeforeSigning };
    expect(proof).toBeDefined();
    const canonizer = createTemplateCanonizer({ stock, buildOn: 1 });
    for (let round = 0; round < 2; round++) {
      expect(await canonizer.canonize(structuredClone(unsigned), OPTIONS)).toBe(fixture('ob3-spec/document-canon.txt'));
      expect(await canonizer.canonize(structuredClone(config), PROOF_OPTIONS)).toBe(fixture('ob3-spec/proof-canon.txt'));
    }
    expect(canonizer.stats().templated).toBeGreaterThanOrEqual(2);
  });

  const vectorDirs = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019'].flatMap((suite) => {
    const root = new URL(`../fixtures/vc-di-spec/${suite}/`, import.meta.url).pathname;
    return readdirSync(root)
      .filter((d) => statSync(join(root, d)).isDirectory() && readdirSync(join(root, d)).includes('canonical-document.nq'))
      .map((d) => [suite, d, join(root, d)] as const);
  });

  it.each(vectorDirs)('VC-DI %s %s: canonical document and proof options, by template', async (suite, _name, dir) => {
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    const canonize: Canonize = suite === 'ecdsa-rdfc-2019' ? (i, o) => ecdsaRdfc2019.canonize(i, o) : stock;
    const canonizer = createTemplateCanonizer({ stock: canonize, buildOn: 1 });
    const unsigned = JSON.parse(read('unsigned.json')) as Record<string, unknown>;
    const config: Record<string, unknown> = { '@context': unsigned['@context'], ...(JSON.parse(read('proof-options.json')) as Record<string, unknown>) };
    delete config.proofValue;
    // ecdsa-rdfc-2019 with P-384 keys hashes blank nodes with SHA-384 (VC-DI-ECDSA §3.2).
    const digest = dir.includes('p384') ? { messageDigestAlgorithm: 'SHA-384' } : {};
    for (let round = 0; round < 2; round++) {
      expect(await canonizer.canonize(structuredClone(unsigned), { ...OPTIONS, ...digest })).toBe(read('canonical-document.nq'));
      expect(await canonizer.canonize(structuredClone(config), { ...PROOF_OPTIONS, ...digest })).toBe(read('canonical-proof-options.nq'));
    }
    expect(canonizer.stats().templated).toBeGreaterThanOrEqual(2);
  });

  it('VC-DI proof sets and chains: each document as a verifier canonicalises it', async () => {
    const dir = new URL('../fixtures/vc-di-spec/eddsa-rdfc-2022/proof-sets-and-chains/', import.meta.url).pathname;
    const canonizer = createTemplateCanonizer({ stock });
    for (const file of readdirSync(dir)) {
      const { proof, ...unsecured } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const proofs = Array.isArray(proof) ? proof : [proof];
      // The document with the proofs a chained proof signed over: named graphs and blank graph names.
      await expectSame(canonizer, { ...unsecured, proof: proofs[0] }, OPTIONS, 2);
      await expectSame(canonizer, unsecured, OPTIONS, 2);
    }
  });
});

describe('many entries that filling the slots may merge', () => {
  it('gives the stock N-Quads for 600 evidence entries of one shape, whichever of them are equal', async () => {
    const badge = firstAidBadge({ id: 'did:example:issuer', name: 'Example Training' });
    const withEvidence = (value: (i: number) => string) => ({
      ...badge,
      evidence: Array.from({ length: 600 }, (_, i) => ({ id: `https://example.org/evidence/${value(i)}`, type: ['Evidence'], name: `Evidence ${value(i)}`, narrative: value(i) })),
    });
    const canonizer = createTemplateCanonizer({ stock });
    // The shape is learnt on distinct values; then the same shape where entries coincide (nodes merge).
    await expectSame(canonizer, withEvidence((i) => String(i)), OPTIONS, 2);
    const before = canonizer.stats().templated;
    await expectSame(canonizer, withEvidence((i) => String(i % 7)));
    await expectSame(canonizer, withEvidence((i) => (i % 2 ? 'same' : String(i))));
    await expectSame(canonizer, withEvidence(() => 'one'));
    expect(canonizer.stats().templated).toBe(before + 3);
  });
});

describe('other spellings of the same statements', () => {
  // The verifier meets credentials written by anyone: keywords, full IRIs, value objects, graphs.
  const badge = firstAidBadge({ id: 'did:example:issuer', name: 'Example Training' });
  const variants: Array<[string, Record<string, unknown>]> = [
    ['as written', badge],
    ['@id and @type for id and type', { ...badge, '@id': badge.id, '@type': badge.type, id: undefined, type: undefined }],
    ['a full IRI as a key', { ...badge, 'https://www.w3.org/2018/credentials#validUntil': { '@value': '2030-01-01T00:00:00Z', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' } }],
    ['a value object with a language', { ...badge, name: { '@value': 'Primo soccorso', '@language': 'it' } }],
    ['a value object with a direction', { ...badge, description: { '@value': 'إسعافات أولية', '@language': 'ar', '@direction': 'rtl' } }],
    ['a language map', { ...badge, '@context': [...badge['@context'], 'https://www.w3.org/ns/credentials/examples/v2'] }],
    ['a nested bundled context', { ...badge, credentialSubject: { ...badge.credentialSubject, '@context': 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json' } }],
    ['an @graph wrapper', { '@context': badge['@context'], '@graph': [{ ...badge, '@context': undefined }] }],
    ['an @included node', { ...badge, '@included': [{ id: 'https://example.org/other', type: 'Profile', name: 'Other' }] }],
    ['the subject named twice', { ...badge, evidence: [{ id: 'did:example:learner', type: ['Evidence'], name: 'Same node as the subject' }] }],
    ['a number, a boolean and null', { ...badge, credentialSubject: { ...badge.credentialSubject, creditsEarned: 2.5, 'https://example.org/flag': true, narrative: null } }],
  ];
  it.each(variants)('%s: the stock N-Quads, or the same refusal', async (_name, variant) => {
    const document = JSON.parse(JSON.stringify(variant)) as Record<string, unknown>;
    const canonizer = createTemplateCanonizer({ stock });
    const expander = createTemplateExpander();
    await expectSame(canonizer, document, OPTIONS, 2);
    await expectSameExpansion(expander, document, 2);
    // A second document of the same shape with other values.
    const other = JSON.parse(JSON.stringify(document).replaceAll('First Aid', 'Erste Hilfe').replaceAll('did:example:learner', 'did:example:other')) as unknown;
    await expectSame(canonizer, other);
    await expectSameExpansion(expander, other);
  });
});

describe('what goes the stock way', () => {
  const { entry } = combinations[0]!;
  const document = () => credentialFor(9, combinations[0]!, { badgeClass: entry.badgeClass.slug, recipient: { email: 'learner@example.org' } }, new Date('2026-12-05T10:00:00Z'));

  it('an inline context: term definitions that are not the bundled ones', async () => {
    const canonizer = createTemplateCanonizer({ stock, buildOn: 1 });
    const inline = { ...document(), '@context': [...(document()['@context'] as string[]), { name: 'https://example.org/renamed#name' }] };
    await expectSame(canonizer, inline);
    await expectSame(canonizer, inline);
    expect(canonizer.stats()).toMatchObject({ templated: 0, stock: 2 });
  });

  it('options other than the cryptosuites\' own', async () => {
    const canonizer = createTemplateCanonizer({ stock, buildOn: 1 });
    await expectSame(canonizer, document(), { ...OPTIONS, safe: false });
    expect(canonizer.stats()).toMatchObject({ templated: 0, stock: 1 });
  });

  it('a shape met once, when templates are made on the second sighting (verification)', async () => {
    const canonizer = createTemplateCanonizer({ stock });
    await expectSame(canonizer, document());
    expect(canonizer.stats()).toMatchObject({ templated: 0, stock: 1 });
    await expectSame(canonizer, document());
    expect(canonizer.stats()).toMatchObject({ templated: 1, stock: 1 });
  });

  it('keeps at most maxShapes shapes', async () => {
    const canonizer = createTemplateCanonizer({ stock, buildOn: 1, maxShapes: 2 });
    for (let n = 0; n < 4; n++) {
      const evidence = Array.from({ length: n + 1 }, (_, k) => ({ narrative: `Step ${k}` }));
      await expectSame(canonizer, { ...document(), evidence });
    }
    expect(canonizer.stats().templates).toBe(4);
    // The first shape was forgotten: meeting it again makes its template again.
    await expectSame(canonizer, { ...document(), evidence: [{ narrative: 'Step 0' }] });
    expect(canonizer.stats().templates).toBe(5);
  });
});

describe('pinned slots', () => {
  it('a value in an @vocab field (proofPurpose) joins the shape, and each value canonicalises as the stock path does', async () => {
    const canonizer = createTemplateCanonizer({ stock, buildOn: 1 });
    const base = credentialFor(3, combinations[0]!, { badgeClass: combinations[0]!.entry.badgeClass.slug, recipient: { email: 'learner@example.org' } }, new Date('2026-12-05T10:00:00Z'));
    const outputs = new Set<string>();
    for (const proofPurpose of ['assertionMethod', 'authentication', 'assertionMethod', 'authentication']) {
      const result = await expectSame(canonizer, proofConfig(base, { proofPurpose }), PROOF_OPTIONS);
      if ('ok' in result) outputs.add(result.ok);
    }
    expect(outputs.size).toBe(2);
    expect(canonizer.stats().templated).toBeGreaterThanOrEqual(2);
  });
});
