import { z } from 'zod';
import { badgeClassSchema, languageMapSchema, languageSchema, validityPeriodSchema } from '../../badge-classes/schema.js';
import { profileSchema as organisationProfileSchema } from '../../organisations/profile.js';
import type { CredentialSummary } from '../../credentials/issuance.js';
import { AchievementSchema, CredentialEnvelopeSchema, OpenBadgeCredentialSchema } from '../../credentials/model.js';
import { ERROR_STATUS, type ErrorCode } from '../../errors/errors.js';
import type { Erasure } from '../../credentials/erasure.js';
import type { Reinstatement, Revocation, Suspension } from '../../status/status-lists.js';
import { CHECK_IDS, REASON_CODES, type VerificationReport } from '../../verify/report.js';
import { CREDENTIAL_ID, EXAMPLE_CREDENTIAL, EXAMPLE_JWT, EXAMPLE_REPORT, exampleUrl } from './examples.js';

/**
 * The answers of the API, in zod, for the OpenAPI document. Where the route answers with a value of a
 * TypeScript type, a compile-time check below holds the schema to that type, so the two cannot drift;
 * where the credential model already has a schema (src/credentials/model.ts), it is used as it is.
 */

/** True when A and B are the same type, both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

const dateTime = z.iso.datetime({ offset: true });

export const compactJwsSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  .meta({ id: 'CompactJws', description: 'A compact JWS (RFC 7515 §7.1): the VC-JWT of the credential (OB 3.0 §8), RS256.', examples: [EXAMPLE_JWT] });

export const errorDetailSchema = z
  .object({
    path: z.string().describe('The offending field, e.g. "recipient.email" or "awards[3].badgeClass".'),
    message: z.string(),
  })
  .meta({ id: 'ErrorDetail' });

/** The codes the error table maps to `status`, in its order: the closed list of src/errors/errors.ts. */
export const codesWithStatus = (status: number): ErrorCode[] => (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);

/** `{ error: { code, message, details? } }`, one schema per status, each naming the codes that status carries. */
export const ERROR_BODIES: ReadonlyMap<number, z.ZodType> = new Map(
  [...new Set(Object.values(ERROR_STATUS))].sort().map((status) => {
    const codes = codesWithStatus(status) as [ErrorCode, ...ErrorCode[]];
    const schema = z
      .object({
        error: z.object({
          code: z.enum(codes).describe('Stable: clients decide on this, not on the message.'),
          message: z.string().describe('Plain language, quoting the field.'),
          details: z.array(errorDetailSchema).optional().describe('One entry per offending field.'),
        }),
      })
      .meta({ id: `Error${status}`, description: `The error body of a ${status} answer.`, examples: [{ error: { code: codes[0], message: `an example of "${codes[0]}"` } }] });
    return [status, schema] as const;
  }),
);

export const openBadgeCredentialSchema = OpenBadgeCredentialSchema.meta({
  id: 'OpenBadgeCredential',
  description: 'The signed OB 3.0 credential (VCDM 2.0) with its Data Integrity proof (eddsa-rdfc-2022), byte for byte as stored. Further properties are those its contexts define.',
  examples: [EXAMPLE_CREDENTIAL],
});

export const issuedCredentialSchema = z
  .object({
    id: z.uuid().describe('The credential id used in API paths.'),
    url: z.url().describe('The public address of the credential; also `credential.id`.'),
    jwtUrl: z.url().describe('Where the same credential is as a VC-JWT; signed the first time it is asked for.'),
    credential: openBadgeCredentialSchema,
    jwt: compactJwsSchema.optional().describe('Only with `?include=jwt`.'),
  })
  .meta({
    id: 'IssuedCredential',
    examples: [{ id: CREDENTIAL_ID, url: exampleUrl(`/credentials/${CREDENTIAL_ID}`), jwtUrl: exampleUrl(`/credentials/${CREDENTIAL_ID}.jwt`), credential: EXAMPLE_CREDENTIAL }],
  });

const ORIGINAL_ID = '6f2c1e0a-4b7d-4c2e-9a51-3d8e7f60b2aa';
export const reissuedCredentialSchema = z
  .object({
    id: z.uuid().describe('The corrected credential\'s id.'),
    url: z.url().describe('Its public address; also `credential.id`.'),
    jwtUrl: z.url().describe('Where it is as a VC-JWT; signed the first time it is asked for.'),
    credential: openBadgeCredentialSchema,
    replaces: z.uuid().describe('The credential corrected: now revoked (reason "replaced", public), its page linking to this one.'),
  })
  .meta({
    id: 'ReissuedCredential',
    examples: [{ id: CREDENTIAL_ID, url: exampleUrl(`/credentials/${CREDENTIAL_ID}`), jwtUrl: exampleUrl(`/credentials/${CREDENTIAL_ID}.jwt`), credential: EXAMPLE_CREDENTIAL, replaces: ORIGINAL_ID }],
  });

export const renewedCredentialSchema = z
  .object({
    id: z.uuid().describe('The renewal\'s id.'),
    url: z.url().describe('Its public address; also `credential.id`.'),
    jwtUrl: z.url().describe('Where it is as a VC-JWT; signed the first time it is asked for.'),
    credential: openBadgeCredentialSchema,
    renews: z.uuid().describe('The credential renewed: still valid until its own date, its page linking to this one.'),
  })
  .meta({
    id: 'RenewedCredential',
    examples: [{ id: CREDENTIAL_ID, url: exampleUrl(`/credentials/${CREDENTIAL_ID}`), jwtUrl: exampleUrl(`/credentials/${CREDENTIAL_ID}.jwt`), credential: EXAMPLE_CREDENTIAL, renews: ORIGINAL_ID }],
  });

export const erasureSchema = z
  .object({
    id: z.string().describe('The credential id.'),
    erased: z.literal(true),
    erasedAt: dateTime.describe('When it was first erased; repeating the request answers with the first erasure.'),
  })
  .meta({ id: 'Erasure', examples: [{ id: CREDENTIAL_ID, erased: true, erasedAt: '2026-12-07T09:30:00Z' }] });

export const batchIssuedSchema = z
  .object({ count: z.int().min(1), credentials: z.array(issuedCredentialSchema) })
  .meta({ id: 'BatchIssued', description: 'Every credential of the batch, in the order of the awards.' });

export const credentialSummarySchema = z
  .object({
    id: z.uuid(),
    url: z.url(),
    badgeClass: z.string(),
    language: z.string().describe('The language of the Achievement texts.'),
    issuedAt: dateTime,
    validUntil: dateTime.nullable(),
  })
  .meta({ id: 'CredentialSummary' });

export const credentialListSchema = z
  .object({
    items: z.array(credentialSummarySchema).describe('Newest first.'),
    limit: z.int(),
    nextCursor: z.string().optional().describe('Present when the page is full: pass it as `cursor` for the next page.'),
    total: z.int().optional().describe('Only with `total=true`.'),
  })
  .meta({ id: 'CredentialList' });

export const revocationSchema = z
  .object({
    id: z.string().describe('The credential id.'),
    revoked: z.literal(true),
    revokedAt: dateTime.describe('When it was first revoked; repeating the request answers with the first revocation.'),
    reason: z.string().optional(),
    reasonPublic: z.boolean().describe('Whether verifiers and the credential page show the reason.'),
  })
  .meta({ id: 'Revocation' });

export const suspensionSchema = z
  .object({
    id: z.string().describe('The credential id.'),
    suspended: z.literal(true),
    suspendedAt: dateTime.describe('When it was suspended; repeating the request answers with the first suspension.'),
    reason: z.string().optional().describe('Kept for the organisation; verifiers and the credential page never show it.'),
  })
  .meta({ id: 'Suspension' });

export const reinstatementSchema = z
  .object({
    id: z.string().describe('The credential id.'),
    suspended: z.literal(false),
    reinstatedAt: dateTime,
  })
  .meta({ id: 'Reinstatement' });

export const badgeClassListSchema = z
  .object({
    items: z.array(
      z
        .object({
          slug: z.string(),
          version: z.string(),
          achievementType: z.string().describe('OB 3.0 AchievementType, or an extension term "ext:Name".'),
          name: languageMapSchema,
          languages: z.array(languageSchema).describe('The languages an award may ask for.'),
          achievement: z.url().describe('The public Achievement.'),
          proficiencyLevel: z.object({ framework: z.string().optional(), code: z.string().optional(), name: z.string().describe('In English.') }),
          validityPeriod: validityPeriodSchema.nullable().describe('The default validity (ISO 8601 duration), or null.'),
          alignments: z.array(
            z.object({
              targetFramework: z.string(),
              targetCode: z.string().nullable(),
              targetName: languageMapSchema,
              targetUrl: z.url(),
              targetType: z.string().nullable(),
            }),
          ),
        })
        .meta({ id: 'BadgeClassSummary' }),
    ),
  })
  .meta({ id: 'BadgeClassList' });

const count = z.number().int().min(0);
export const badgeClassStatsSchema = z
  .object({
    badgeClass: z.string().describe('The badge class slug.'),
    awarded: count.describe('Credentials of this class the caller\'s organisation awarded.'),
    delivered: count.describe('Of those, how many award e-mails went out.'),
    claimed: count.describe('Of those, how many their learners took at least once (downloaded, or added to LinkedIn).'),
    views: count.describe('Times the credentials\' public pages were opened (events, not people; robots and HEAD requests are left out).'),
    downloads: count.describe('Times a learner took a badge: the baked PNG or SVG, the JSON, the VC-JWT or the certificate downloaded, or "add to LinkedIn" used. Events: one learner downloading twice counts twice.'),
    verifications: count.describe('Times our verifier (`POST /verify`) checked one of these credentials and found it genuinely signed.'),
  })
  .meta({
    id: 'BadgeClassStats',
    description: 'Counts only, of the caller\'s organisation\'s credentials: nothing says who viewed, downloaded or verified. Views, downloads and verifications are written every few seconds.',
  });

const checkSchema = z
  .object({
    id: z.enum(CHECK_IDS),
    status: z.enum(['passed', 'failed', 'unconfirmed', 'warning', 'skipped']),
    code: z.enum(REASON_CODES).describe('Stable reason code.'),
    message: z.string().describe('Plain language, for a person who is not a specialist.'),
  })
  .meta({ id: 'Check' });

export const verificationReportSchema = z
  .object({
    verdict: z.enum(['verified', 'unconfirmed', 'failed']).describe('`verified`: every check passed; `unconfirmed`: nothing is wrong, but something could not be checked; `failed`: something is wrong.'),
    verified: z.boolean().describe('True only when the verdict is `verified`.'),
    kind: z.enum(['open_badge', 'endorsement', 'verifiable_credential']).optional(),
    checks: z.array(checkSchema),
    credential: z.record(z.string(), z.unknown()).optional().describe('The credential that was read (for a VC-JWT, its payload\'s credential).'),
    format: z.enum(['json', 'jwt', 'png', 'svg']).optional().describe('How the credential arrived.'),
    status: z
      .object({ revoked: z.boolean(), suspended: z.boolean().optional(), revokedAt: z.string().optional(), reason: z.string().optional(), suspendedAt: z.string().optional() })
      .optional()
      .describe('Revocation and suspension details, when the status check ran.'),
    validity: z.object({ validFrom: z.string().optional(), validUntil: z.string().optional() }).optional().describe('The validity period as signed.'),
  })
  .meta({ id: 'VerificationReport', description: 'A credential that fails verification is a normal answer: `200` with `verified: false`.', examples: [EXAMPLE_REPORT] });

export const recipientCheckSchema = z
  .object({ matched: z.boolean(), code: z.enum(REASON_CODES).optional().describe('The reason code of the recipient check.') })
  .meta({ id: 'RecipientCheck', examples: [{ matched: true, code: 'recipient_matched' }] });

/** Context URLs, and embedded contexts (the micro-credential extension's, badge-classes/micro-credential.ts). */
const contexts = z.array(z.union([z.string(), z.record(z.string(), z.unknown())]));

export const profileSchema = z
  .looseObject({
    '@context': contexts,
    id: z.string().describe('The issuer DID.'),
    type: z.array(z.string()).describe('Includes "Profile".'),
    name: z.string(),
    url: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    description: z.string().optional(),
    image: z.looseObject({ id: z.string(), type: z.literal('Image') }).optional(),
    address: z.looseObject({ type: z.array(z.string()) }).optional().describe('OB 3.0 Address.'),
    otherIdentifier: z.array(z.looseObject({ type: z.literal('IdentifierEntry'), identifier: z.string(), identifierType: z.string() })).optional(),
  })
  .meta({ id: 'Profile', description: 'OB 3.0 §B.2.6 Profile: the issuer. Further properties are those of the OB 3.0 context.' });

export const achievementSchema = AchievementSchema.extend({ '@context': contexts }).meta({
  id: 'Achievement',
  description: 'OB 3.0 §B.1.2 Achievement, in one language. Further properties are those of the OB 3.0 context.',
});

export const statusListCredentialSchema = CredentialEnvelopeSchema.extend({
  credentialSubject: z.looseObject({
    type: z.literal('BitstringStatusList'),
    statusPurpose: z.literal('revocation'),
    encodedList: z.string().describe('Multibase (base64url, "u") GZIP-compressed bitstring of 131,072 entries.'),
  }),
}).meta({ id: 'BitstringStatusListCredential', description: 'W3C Bitstring Status List §2.2, signed with a Data Integrity proof.' });

export const suspensionListCredentialSchema = CredentialEnvelopeSchema.extend({
  credentialSubject: z.looseObject({
    type: z.literal('BitstringStatusList'),
    statusPurpose: z.literal('suspension'),
    encodedList: z.string().describe('Multibase (base64url, "u") GZIP-compressed bitstring, as long as its revocation list; a set bit is a suspended credential.'),
  }),
}).meta({
  id: 'SuspensionListCredential',
  description: 'W3C Bitstring Status List §2.2 with `statusPurpose: "suspension"`, signed with a Data Integrity proof: the same indexes as the revocation list it runs beside.',
});

export const publicJwkSchema = z
  .looseObject({
    kty: z.string(),
    kid: z.string().optional(),
    alg: z.string().optional(),
    use: z.string().optional(),
    d: z.never().optional().describe('Never present: only public keys are served.'),
  })
  .meta({ id: 'PublicJwk', description: 'A public JWK (RFC 7517).' });

export const jwkSetSchema = z.object({ keys: z.array(publicJwkSchema) }).meta({ id: 'JwkSet' });

export const didDocumentSchema = z
  .looseObject({
    '@context': contexts,
    id: z.string().regex(/^did:web:/),
    verificationMethod: z.array(
      z.looseObject({
        id: z.string(),
        type: z.enum(['Multikey', 'JsonWebKey']),
        controller: z.string(),
        publicKeyMultibase: z.string().optional(),
        publicKeyJwk: publicJwkSchema.optional(),
      }),
    ),
    assertionMethod: z.array(z.string()),
    authentication: z.array(z.string()).optional(),
  })
  .meta({ id: 'DidDocument', description: 'The did:web document: an Ed25519 Multikey and the RSA key, both under assertionMethod.' });

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

/** The answer of `GET /openapi.json`, outlined: the document itself is its own description. */
export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .meta({ id: 'OpenApiDocument', description: 'This OpenAPI 3.1 document.' });

/** Compile-time only: each schema above says exactly what the route's own type says. */
export type SchemasMatchTheirTypes = [
  Expect<Same<z.infer<typeof credentialSummarySchema>, CredentialSummary>>,
  Expect<Same<z.infer<typeof revocationSchema>, Revocation>>,
  Expect<Same<z.infer<typeof suspensionSchema>, Suspension>>,
  Expect<Same<z.infer<typeof reinstatementSchema>, Reinstatement>>,
  Expect<Same<z.infer<typeof erasureSchema>, Erasure>>,
  Expect<Same<z.infer<typeof verificationReportSchema>, VerificationReport>>,
];

/** `GET`/`PATCH /api/v1/organisation`: the API key's organisation as an issuer, with its profile as stored. */
export const organisationSchema = z
  .object({
    slug: z.string().describe('Names the organisation in its DID and addresses.'),
    did: z.string().describe('The issuer identifier of its credentials: `did:web:<host>:orgs:<slug>` (the instance\'s own organisation: the host\'s did:web, or its did:key).'),
    didDocument: z.url().describe('Where its DID document is served.'),
    profileUrl: z.url().describe('Where its issuer Profile is served.'),
    name: z.string().describe('The default name, shown where no language\'s name is given.'),
    profile: organisationProfileSchema,
  })
  .meta({ id: 'Organisation' });

export const badgeClassDetailSchema = z
  .object({
    slug: z.string(),
    version: z.int().min(1).describe('The current version; each change makes a new one. The ETag is this number, quoted.'),
    archived: z.boolean().describe('No longer awarded; what was awarded stays valid.'),
    shared: z.boolean().describe('Every organisation of the instance may award it.'),
    owner: z.string().nullable().describe('The slug of the organisation that defines it.'),
    editable: z.boolean().describe('Whether the caller\'s organisation owns it and so may change it.'),
    awarders: z.array(z.string()).optional().describe('The other organisations allowed to award it (their slugs); only for its owner.'),
    languages: z.array(languageSchema).describe('The languages an award may ask for.'),
    achievement: z.url().describe('The public Achievement.'),
    image: z.enum(['uploaded', 'drawn']).describe('An uploaded image, or the built-in design drawn in each language.'),
    definition: badgeClassSchema.describe('The badge class as defined; its `version` is the version number as text.'),
  })
  .meta({ id: 'BadgeClass' });

export const badgeClassVersionsSchema = z
  .object({ items: z.array(z.object({ version: z.int().min(1), createdAt: dateTime })).describe('Newest first.') })
  .meta({ id: 'BadgeClassVersions' });
