import { z } from 'zod';
import { languageSchema } from '../../badge-classes/schema.js';
import { BADGE_CLASS, CREDENTIAL_ID, KEY_THUMBPRINT, ORG_SLUG, STATUS_LIST_ID } from './examples.js';

/**
 * Request parameters and bodies that no shared module exports. The revoke and suspend bodies and the two query
 * schemas of routes/api-v1.ts are private to that file; these copies say the same and are checked
 * against the routes by test/http/openapi.test.ts. Exporting them from api-v1.ts would let the
 * document use the very objects the routes parse with.
 */
export const revokeRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(500).describe('Why the badge is revoked; kept private unless publishReason is true.'),
    publishReason: z.boolean().default(false).describe('Show the reason to verifiers and on the credential page.'),
  })
  .strict()
  .meta({ id: 'RevokeRequest', examples: [{ reason: 'Issued to the wrong learner', publishReason: false }] });

export const suspendRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(500).describe('Why the badge is suspended; kept for the organisation, never published.'),
    publishReason: z
      .boolean()
      .default(false)
      .refine((publish) => !publish, { message: '"publishReason" must be false: the reason of a suspension is not published' })
      .describe('Accepted for symmetry with revocation; only `false` for now: a suspension\'s reason is never published.'),
  })
  .strict()
  .meta({ id: 'SuspendRequest', examples: [{ reason: 'Assessment under review' }] });

export const listQuerySchema = z
  .object({
    badgeClass: z.string().min(1).max(80).optional().describe('Only credentials of this badge class.'),
    limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size.'),
    cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page: the same cost at any depth. Not with `offset`.'),
    offset: z.coerce.number().int().min(0).max(10_000).optional().describe('Rows to skip, up to 10,000; prefer `cursor`.'),
    total: z.enum(['true', 'false']).optional().describe('`true` counts every credential (`total`, `X-Total-Count`).'),
  })
  .strict();

export const issueQuerySchema = z.object({
  include: z.enum(['jwt']).optional().describe('`jwt` signs the VC-JWT at issuance and adds it to the answer as `jwt`.'),
});

export const idempotencyHeaderSchema = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .describe('1 to 255 visible ASCII characters (draft-ietf-httpapi-idempotency-key-header). The same key with the same body answers with the credentials issued the first time (`Idempotent-Replayed: true`); with another body, 409.')
    .meta({ examples: ['course-42-learner-7'] }),
});

export const credentialIdPath = z.object({ id: z.uuid().describe('The credential id.').meta({ examples: [CREDENTIAL_ID] }) });
export const orgSlugPath = z.object({ slug: z.string().describe('The organisation slug.').meta({ examples: [ORG_SLUG] }) });
export const slugPath = z.object({ slug: z.string().describe('The badge class slug.').meta({ examples: [BADGE_CLASS] }) });
export const listIdPath = z.object({ listId: z.uuid().describe('The status list id.').meta({ examples: [STATUS_LIST_ID] }) });
export const thumbprintPath = z.object({ thumbprint: z.string().describe('The RFC 7638 thumbprint of the key; a VC-JWT\'s `kid` is this URL.').meta({ examples: [KEY_THUMBPRINT] }) });

/** `?lang=` on pages: the page language; otherwise the browser's Accept-Language. */
export const pageLangQuery = z.object({ lang: languageSchema.optional().describe('The page language; otherwise Accept-Language decides.') });

export const badgeImageQuery = z.object({
  format: z.enum(['jwt']).optional().describe('`jwt` bakes the VC-JWT instead of the JSON credential with its embedded proof.'),
});

export const achievementQuery = z.object({
  lang: languageSchema.optional().describe('The language of the texts, when the badge class has it; otherwise Accept-Language decides, then English.'),
});

export const profileLangQuery = z.object({ lang: languageSchema.optional().describe('The language of the name and description, where the organisation gives them in it; default English.') });

export const logoQuery = z.object({ v: z.string().max(64).optional().describe('Names the logo\'s version, for caches; ignored.') });

export const imageLangQuery = z.object({ lang: languageSchema.optional().describe('The image in this language, when the badge class has one; otherwise English.') });

/** `POST /verify` as JSON: the credential itself, or `{ credential, email }`. */
export const verifyJsonSchema = z
  .union([
    z.looseObject({ '@context': z.unknown() }).describe('The credential itself (JSON-LD).'),
    z
      .object({
        credential: z.union([z.record(z.string(), z.unknown()), z.string()]).describe('The credential as JSON, or its VC-JWT or JSON as text.'),
        email: z.string().optional().describe('Checked against the hashed recipient identity; never taken from a URL.'),
      })
      .describe('A wrapper with the e-mail address to check.'),
  ])
  .meta({ id: 'VerifyRequest' });

export const verifyFormSchema = z
  .object({
    file: z.string().optional().meta({ contentMediaType: 'application/octet-stream', description: 'A baked PNG or SVG badge image, or a credential file (JSON or VC-JWT).' }),
    credential: z.string().optional().describe('A pasted credential: JSON or VC-JWT.'),
    email: z.string().optional().describe('Checked against the hashed recipient identity.'),
  })
  .meta({ id: 'VerifyForm', description: 'A file or a pasted credential; the file wins when both are sent.' });

export const recipientCheckRequestSchema = z
  .object({
    email: z.string().describe('The address to compare with the credential\'s hashed identity (its first 320 characters).'),
    lang: languageSchema.optional().describe('The page language, for browsers.'),
  })
  .meta({ id: 'RecipientCheckRequest', examples: [{ email: 'maria.rossi@example.org' }] });

export const jobIdPath = z.object({ id: z.string().describe('The job id (as `POST /api/v1/issuance-jobs` answered).').meta({ examples: ['6d1f0c1e-5b8a-4a57-9f0a-0f6c2b8e7d11'] }) });

export const ifMatchHeaderSchema = z.object({
  'If-Match': z
    .string()
    .describe('The ETag of the version the change was made from, e.g. `"3"`. Without it, 428; when another change came first, 409 `badge_class_changed`.')
    .meta({ examples: ['"1"'] }),
});
