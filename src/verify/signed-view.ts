import type { TemplateExpander } from '../jsonld/expansion-templates.js';

/**
 * What a credential states, read from its JSON-LD expansion rather than from its JSON keys. A Data
 * Integrity proof covers the RDF dataset (RDFC-1.0 over the expansion), so `validUntil`, a full IRI
 * key, an alias or a term from a nested context all sign the same statement; the status, validity,
 * issuer and recipient checks must read that statement however it is spelled (VC Data Integrity
 * §2.1 "the proof protects the information model, not the syntax"). Expansion runs in safe mode, as
 * the cryptosuites' canonicalisation does, so a key that would be dropped fails here too.
 */
const CRED = 'https://www.w3.org/2018/credentials#';
const OB = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#';
const STATUS = 'https://www.w3.org/ns/credentials/status#';
const SL2021 = 'https://w3id.org/vc/status-list#';

export const TYPE_IRI = {
  VerifiableCredential: `${CRED}VerifiableCredential`,
  OpenBadgeCredential: `${OB}OpenBadgeCredential`,
  AchievementCredential: `${OB}AchievementCredential`,
  EndorsementCredential: `${OB}EndorsementCredential`,
  BitstringStatusListEntry: `${STATUS}BitstringStatusListEntry`,
  StatusList2021Entry: `${SL2021}StatusList2021Entry`,
  RevocationList1EdTech: 'https://purl.imsglobal.org/spec/vcrl/v1p0/context.json#1EdTechRevocationList',
} as const;

export interface SignedStatusEntry {
  id?: string;
  types: string[];
  statusPurpose: string[];
  statusListIndex: string[];
  statusListCredential: string[];
}

export interface SignedIdentity {
  identityType: string[];
  identityHash: string[];
  salt: string[];
  hashed: boolean[];
}

export interface SignedStatements {
  id?: string;
  types: string[];
  issuer: string[];
  /** VCDM 2.0 `validFrom` and 1.1 `issuanceDate`: the credential is not valid before the latest. */
  validFrom: string[];
  /** VCDM 2.0 `validUntil` and 1.1 `expirationDate`: it is not valid after the earliest. */
  validUntil: string[];
  statusEntries: SignedStatusEntry[];
  subjects: Array<{ id?: string; identifiers: SignedIdentity[] }>;
}

export type SignedView = { ok: true; statements: SignedStatements } | { ok: false; reason: string };

type Node = Record<string, unknown>;
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((n): n is Node => !!n && typeof n === 'object');

/** `@id` values of a property (issuer, statusListCredential, subject ids). */
const idsOf = (node: Node, iri: string): string[] => nodes(node[iri]).map((n) => n['@id']).filter((v): v is string => typeof v === 'string');

/** Literal values of a property, as strings (dates, indexes, purposes, hashes). */
const literalsOf = (node: Node, iri: string): string[] =>
  nodes(node[iri])
    .map((n) => n['@value'] ?? n['@id'])
    .filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v))
    .map(String);

const typesOf = (node: Node): string[] => (Array.isArray(node['@type']) ? node['@type'] : []).filter((t): t is string => typeof t === 'string');

/** Reads the statements from the expansion, in safe mode over bundled contexts, by shape template where it can. */
export async function readSignedStatements(credential: Record<string, unknown>, expander: TemplateExpander): Promise<SignedView> {
  const { proof: _proof, ...unsecured } = credential;
  let expanded: Node[];
  try {
    expanded = await expander.expand(unsecured);
  } catch (e) {
    return { ok: false, reason: describeExpansionError(e) };
  }
  if (expanded.length !== 1 || !expanded[0]) return { ok: false, reason: 'the document does not expand to exactly one JSON-LD node' };
  const root = expanded[0];
  const statusEntries = nodes(root[`${CRED}credentialStatus`]).map((entry) => ({
    ...(typeof entry['@id'] === 'string' ? { id: entry['@id'] } : {}),
    types: typesOf(entry),
    statusPurpose: [...literalsOf(entry, `${STATUS}statusPurpose`), ...literalsOf(entry, `${SL2021}statusPurpose`)],
    statusListIndex: [...literalsOf(entry, `${STATUS}statusListIndex`), ...literalsOf(entry, `${SL2021}statusListIndex`)],
    statusListCredential: [...idsOf(entry, `${STATUS}statusListCredential`), ...idsOf(entry, `${SL2021}statusListCredential`)],
  }));
  const subjects = nodes(root[`${CRED}credentialSubject`]).map((subject) => ({
    ...(typeof subject['@id'] === 'string' ? { id: subject['@id'] } : {}),
    identifiers: nodes(subject[`${OB}identifier`]).map((identity) => ({
      identityType: literalsOf(identity, `${OB}identityType`),
      identityHash: literalsOf(identity, `${OB}identityHash`),
      salt: literalsOf(identity, `${OB}salt`),
      hashed: nodes(identity[`${OB}hashed`]).map((n) => n['@value'] === true || n['@value'] === 'true'),
    })),
  }));
  return {
    ok: true,
    statements: {
      ...(typeof root['@id'] === 'string' ? { id: root['@id'] } : {}),
      types: typesOf(root),
      issuer: idsOf(root, `${CRED}issuer`),
      validFrom: [...literalsOf(root, `${CRED}validFrom`), ...literalsOf(root, `${CRED}issuanceDate`)],
      validUntil: [...literalsOf(root, `${CRED}validUntil`), ...literalsOf(root, `${CRED}expirationDate`)],
      statusEntries,
      subjects,
    },
  };
}

function describeExpansionError(e: unknown): string {
  const error = e as { message?: string; details?: { event?: { code?: string; details?: { property?: string } } }; name?: string };
  const event = error.details?.event;
  if (event?.code === 'invalid property' || event?.code === 'dropping property') {
    return `the property "${String(event.details?.property)}" is not defined by any of its JSON-LD contexts, so it would not be signed`;
  }
  if (event?.code) return `JSON-LD expansion stopped (${event.code})`;
  return `it is not valid JSON-LD (${(error.message ?? String(e)).slice(0, 200)})`;
}

/**
 * The strictest reading of a signed validity period: the latest start and the earliest end, over
 * the credential's statements and any other signed dates (a VC-JWT's `nbf` and `exp`).
 */
export function strictestPeriod(
  statements: SignedStatements,
  also: { validFrom?: string; validUntil?: string } = {},
): { validFrom?: string; validUntil?: string; invalid?: string } {
  const starts = [...statements.validFrom, ...(also.validFrom ? [also.validFrom] : [])];
  const ends = [...statements.validUntil, ...(also.validUntil ? [also.validUntil] : [])];
  const bad = [...starts, ...ends].find((d) => Number.isNaN(Date.parse(d)));
  if (bad !== undefined) return { invalid: bad };
  const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);
  const validFrom = starts.sort(byTime).at(-1);
  const validUntil = ends.sort(byTime)[0];
  return { ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) };
}
