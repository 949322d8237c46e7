import { z } from 'zod';

/**
 * The credential as a typed value, shared by the builder (which must produce it) and the verifier
 * (which reads any issuer's document once, through these schemas). Schemas are loose: a credential
 * may carry any further property its contexts define. What the checks decide on is read from the
 * signed statements (`verify/signed-view.ts`); these types are for display and for the shape rules.
 */
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)]);
const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date-time');

/** VCDM 2.0 §4.? / 1.1 §4.?: `issuer` is a URL or an object with an `id`. */
export const IssuerRefSchema = z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })]);

/** OB 3.0 §B.1.9 IdentityObject. */
export const IdentityObjectSchema = z.looseObject({
  type: z.literal('IdentityObject'),
  hashed: z.boolean(),
  identityHash: z.string(),
  identityType: z.string(),
  salt: z.string().optional(),
});

/** The VCDM envelope common to 1.1 and 2.0; `proof` and `credentialStatus` are read as sets. */
export const CredentialEnvelopeSchema = z.looseObject({
  '@context': oneOrMany(z.union([z.string(), z.record(z.string(), z.unknown())])),
  id: z.string().optional(),
  type: oneOrMany(z.string()),
  issuer: IssuerRefSchema,
  credentialSubject: oneOrMany(z.record(z.string(), z.unknown())),
  validFrom: dateTime.optional(),
  validUntil: dateTime.optional(),
  issuanceDate: dateTime.optional(),
  expirationDate: dateTime.optional(),
  proof: oneOrMany(z.record(z.string(), z.unknown())).optional(),
  credentialStatus: oneOrMany(z.record(z.string(), z.unknown())).optional(),
  credentialSchema: oneOrMany(z.looseObject({ id: z.string(), type: z.string() })).optional(),
});
export type CredentialEnvelope = z.infer<typeof CredentialEnvelopeSchema>;

/** OB 3.0 §B.1.2 Achievement, as far as the verifier and the pages rely on it. */
export const AchievementSchema = z.looseObject({
  id: z.string(),
  type: oneOrMany(z.string()),
  name: z.string(),
  description: z.string().optional(),
  criteria: z.looseObject({ id: z.string().optional(), narrative: z.string().optional() }),
});

export type Achievement = z.input<typeof AchievementSchema>;

/** OB 3.0 §B.1.3 AchievementSubject: an `id` and/or an `identifier` (§9.1 step 1). */
export const AchievementSubjectSchema = z
  .looseObject({
    id: z.string().optional(),
    type: oneOrMany(z.string()),
    identifier: z.array(IdentityObjectSchema).optional(),
    achievement: AchievementSchema,
  })
  .refine((s) => s.id !== undefined || (s.identifier?.length ?? 0) > 0, { message: 'needs an id or an identifier', path: ['identifier'] });

/** OB 3.0 §B.1.1 OpenBadgeCredential (VCDM 2.0). */
export const OpenBadgeCredentialSchema = CredentialEnvelopeSchema.extend({
  id: z.string(),
  validFrom: dateTime,
  issuer: z.looseObject({ id: z.string(), type: oneOrMany(z.string()) }),
  credentialSubject: AchievementSubjectSchema,
});
export type OpenBadgeCredential = z.input<typeof OpenBadgeCredentialSchema>;

export const asArray = <T>(value: T | T[] | undefined | null): T[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

export const issuerIdOf = (credential: { issuer?: unknown }): string | undefined => {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string') return (issuer as { id: string }).id;
  return undefined;
};

/** The first problem of a failed parse, quoting the field (`"issuer" is required`). */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it is not a credential';
  const path = issue.path.map(String).join('.');
  return path ? `"${path}" ${issue.message === 'Required' || issue.code === 'invalid_type' ? 'is missing or of the wrong type' : issue.message}` : issue.message;
}
