import { randomUUID as nodeRandomUUID } from 'node:crypto';
import { achievementUrl, pick } from '../badge-classes/achievement.js';
import type { Catalog } from '../badge-classes/catalog.js';
import type { Language } from '../badge-classes/schema.js';
import { toDateTime } from '../credentials/build.js';
import type { SecureStep } from '../credentials/secure.js';
import type { EndorsementRecord, Storage } from '../db/repositories.js';
import { AppError } from '../errors/errors.js';
import { CONTEXT } from '../jsonld/contexts.js';
import type { Organisations } from '../organisations/organisations.js';

/**
 * EndorsementCredentials (OB 3.0 §B.1.7) an organisation issues: a certification body or a sector
 * association vouching for another organisation's badge class, or for an organisation, with a comment.
 * Each is signed like the organisation's badges (Data Integrity, its own keys), served at its id, and
 * embedded in the Achievement or Profile it endorses while it is in force.
 */
export type EndorsementSubject = { badgeClass: string } | { organisation: string };

export interface EndorsementService {
  /** Signs and keeps an endorsement by `orgId`. `validation_failed` for an unknown or own subject; `endorsement_exists` for a second one of the same subject. */
  endorse(orgId: string, subject: EndorsementSubject, comment: string, language: Language, actor: string): Promise<EndorsementRecord>;
  /** Withdraws one of the organisation's endorsements (`endorsement_not_found` otherwise). */
  withdraw(orgId: string, id: string, actor: string): Promise<void>;
  get(id: string): Promise<EndorsementRecord | undefined>;
  /** The signed endorsements in force of a badge class, or of an organisation (by its id). */
  of(subject: { badgeClass: string } | { orgId: string }): Promise<Array<Record<string, unknown>>>;
  /** An organisation's endorsements in force. */
  given(orgId: string): Promise<EndorsementRecord[]>;
}

export interface EndorsementDeps {
  storage: Storage;
  organisations: Organisations;
  catalog: Catalog;
  signing: SecureStep;
  publicUrl: string;
  now?: () => Date;
  randomUUID?: () => string;
}

export const endorsementUrl = (publicUrl: string, id: string): string => `${publicUrl}/endorsements/${id}`;

export function createEndorsements(deps: EndorsementDeps): EndorsementService {
  const { storage, organisations, catalog, signing, publicUrl } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;
  const invalid = (path: string, message: string) => new AppError('validation_failed', message, [{ path, message }]);

  /** What is endorsed: its kind and stored key, its id in the credential, and its name. */
  async function subjectOf(orgId: string, subject: EndorsementSubject, language: Language) {
    if ('badgeClass' in subject) {
      const entry = catalog.get(subject.badgeClass);
      if (!entry) throw invalid('subject.badgeClass', `no badge class "${subject.badgeClass}"`);
      if (entry.orgId === orgId) throw invalid('subject.badgeClass', 'an organisation endorses the badges of others, not its own');
      return { kind: 'badge_class' as const, key: subject.badgeClass, id: achievementUrl(publicUrl, subject.badgeClass), name: pick(entry.badgeClass.name, language) };
    }
    const org = await organisations.bySlug(subject.organisation);
    if (!org) throw invalid('subject.organisation', `no organisation "${subject.organisation}"`);
    if (org.id === orgId) throw invalid('subject.organisation', 'an organisation endorses others, not itself');
    return { kind: 'organisation' as const, key: org.id, id: org.did, name: org.issuer(language).name };
  }

  const service: EndorsementService = {
    async endorse(orgId, subject, comment, language, actor) {
      const endorser = await organisations.get(orgId);
      if (!endorser) throw new AppError('organisation_not_found', `no organisation "${orgId}"`);
      const what = await subjectOf(orgId, subject, language);
      if ((await storage.endorsements.active({ orgId })).some((e) => e.subjectKind === what.kind && e.subject === what.key)) {
        throw new AppError('endorsement_exists', 'your organisation already endorses this: withdraw that endorsement first to write another');
      }
      const id = randomUUID();
      const at = now();
      const issuer = endorser.issuer(language);
      const unsigned = {
        '@context': [CONTEXT.credentialsV2, CONTEXT.openBadges],
        id: endorsementUrl(publicUrl, id),
        type: ['VerifiableCredential', 'EndorsementCredential'],
        name: `${issuer.name}: ${what.name}`,
        issuer,
        validFrom: toDateTime(at),
        credentialSubject: { id: what.id, type: ['EndorsementSubject'], endorsementComment: comment },
      };
      const [secured] = await signing.secure([unsigned], { created: at, jwt: false, keys: endorser.signing });
      const record: EndorsementRecord = { id, orgId, subjectKind: what.kind, subject: what.key, document: secured!.document, createdAt: at.toISOString(), withdrawnAt: null };
      await storage.endorsements.insert(record);
      await storage.accounts.insertAudit({ id: randomUUID(), orgId, actor, action: 'endorsement.issued', subject: id, details: { kind: what.kind, subject: 'badgeClass' in subject ? subject.badgeClass : subject.organisation }, at: at.toISOString() });
      return record;
    },
    async withdraw(orgId, id, actor) {
      const at = now().toISOString();
      if (!(await storage.endorsements.withdraw(orgId, id, at))) throw new AppError('endorsement_not_found', `your organisation has no endorsement "${id}" in force`);
      await storage.accounts.insertAudit({ id: randomUUID(), orgId, actor, action: 'endorsement.withdrawn', subject: id, details: null, at });
    },
    get: (id) => storage.endorsements.get(id),
    async of(subject) {
      const rows = await storage.endorsements.active('badgeClass' in subject ? { subjectKind: 'badge_class', subject: subject.badgeClass } : { subjectKind: 'organisation', subject: subject.orgId });
      return rows.map((r) => JSON.parse(r.document) as Record<string, unknown>);
    },
    given: (orgId) => storage.endorsements.active({ orgId }),
  };
  return service;
}
