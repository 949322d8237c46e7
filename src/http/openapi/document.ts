import { z } from 'zod';
import { createDocument, type oas31, type ZodOpenApiContentObject, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { badgeClassWrittenInputSchema } from '../../badge-classes/schema.js';
import { awardRequestSchema, batchRequestSchema, MAX_BATCH, reissueRequestSchema, renewalRequestSchema } from '../../credentials/award-request.js';
import { profilePatchSchema } from '../../organisations/profile.js';
import { MAX_CREDENTIAL_TEXT, MAX_IMAGE_BYTES } from '../../verify/bounds.js';
import {
  EXAMPLE_ACHIEVEMENT,
  EXAMPLE_BADGE_CLASSES,
  EXAMPLE_BADGE_CLASS_STATS,
  EXAMPLE_BADGE_CLASS_INPUT,
  EXAMPLE_PATHWAY,
  EXAMPLE_ORGANISATION,
  EXAMPLE_CREDENTIAL,
  EXAMPLE_DID_DOCUMENT,
  EXAMPLE_JWK,
  EXAMPLE_JWT,
  EXAMPLE_LIST,
  EXAMPLE_PROFILE,
  EXAMPLE_REPORT,
  EXAMPLE_REINSTATEMENT,
  EXAMPLE_REVOCATION,
  EXAMPLE_SUSPENSION,
  EXAMPLE_SUSPENSION_LIST,
  EXAMPLE_STATUS_LIST,
  CREDENTIAL_ID,
  exampleUrl,
} from './examples.js';
import {
  achievementQuery,
  badgeImageQuery,
  credentialIdPath,
  jobIdPath,
  idempotencyHeaderSchema,
  ifMatchHeaderSchema,
  imageLangQuery,
  issueQuerySchema,
  logoQuery,
  listIdPath,
  listQuerySchema,
  orgSlugPath,
  pageLangQuery,
  profileLangQuery,
  recipientCheckRequestSchema,
  revokeRequestSchema,
  slugPath,
  suspendRequestSchema,
  thumbprintPath,
  verifyFormSchema,
  verifyJsonSchema,
} from './requests.js';
import {
  achievementSchema,
  badgeClassDetailSchema,
  badgeClassListSchema,
  badgeClassStatsSchema,
  badgeClassVersionsSchema,
  batchIssuedSchema,
  codesWithStatus,
  compactJwsSchema,
  credentialListSchema,
  didDocumentSchema,
  ERROR_BODIES,
  erasureSchema,
  healthSchema,
  issuedCredentialSchema,
  jwkSetSchema,
  openApiDocumentSchema,
  openBadgeCredentialSchema,
  organisationSchema,
  profileSchema,
  publicJwkSchema,
  recipientCheckSchema,
  reinstatementSchema,
  reissuedCredentialSchema,
  renewedCredentialSchema,
  revocationSchema,
  statusListCredentialSchema,
  suspensionListCredentialSchema,
  suspensionSchema,
  verificationReportSchema,
} from './schemas.js';
import { createdJobSchema, jobListSchema, jobRowsSchema, jobSchema } from './job-schemas.js';
import { createJobQuery, jobRowsQuery } from '../routes/api-issuance-jobs.js';
import { MAX_BYTES as MAX_SHEET_BYTES, MAX_ROWS as MAX_SHEET_ROWS } from '../../issuance-jobs/spreadsheet.js';
import { XLSX_TYPE } from '../../issuance-jobs/xlsx.js';
import { competenceSchema, frameworkPathParams } from './framework-schemas.js';
import { answersFormSchema, questionnaireSlugPath, resultIdPath } from './profile-schemas.js';
import { endorsementIdPath, endorsementIssuedSchema, endorsementListSchema } from './endorsement-schemas.js';
import { endorseRequestSchema } from '../routes/endorsements.js';
import { EXAMPLE_FRAMEWORK, frameworkDetailSchema, frameworkInput, frameworkListSchema, frameworkSlugPath } from './framework-schemas.js';
import { completionListSchema, completionPath, completionSchema, completionsQuery, pathwayDetailSchema, pathwayInput, pathwayListSchema, pathwaySlugPath, progressTokenPath, publicPathwaySchema } from './pathway-schemas.js';

export type OpenApiDocument = oas31.OpenAPIObject;

/** Where the API reference page is served; the document names it, and the router serves it. */
export const API_REFERENCE_PATH = '/api/reference';
export const OPENAPI_PATH = '/openapi.json';

export const TAGS = [
  { name: 'Issuing', description: 'The training providers\' API: award badges, list them, re-issue them corrected, suspend, reinstate, revoke and erase them. Every call sends `Authorization: Bearer <API key>`.' },
  { name: 'Organisation', description: 'The API key\'s organisation as an issuer: its identifier and its Profile. Every key reads it; only a key for all its badge classes (`*`) changes it.' },
  { name: 'Badge classes', description: 'The badge classes an organisation defines and awards. It sees its own and those it may award (shared with it, or opened to it), as far as the key\'s scope reaches: another organisation\'s class it may not award is a 404. It changes only its own: a class it may award but not own is a 403 `badge_class_not_owned`; one outside the key\'s scope a 403 `badge_class_not_allowed`.' },
  { name: 'Pathways', description: 'Learning pathways: steps of badge classes leading to a capstone badge, awarded automatically when a learner\'s badges complete every step (or after a coordinator\'s approval, per pathway). Learners are recognised across awards by a keyed hash of their address in the organisation, never the address. Any key of the organisation reads its pathways; only a key for all its badge classes (`*`) defines or changes one; a key that may award the capstone approves or declines a completion. Public pages show published pathways, and each learner\'s private progress page is linked from their badge e-mails.' },
  { name: 'Endorsements', description: 'EndorsementCredentials (OB 3.0 §B.1.7) an organisation issues for another organisation\'s badge class or for an organisation, with a comment: signed with its keys, served at their id, embedded in the Achievement (`/achievements/{slug}`) or the Profile (`/orgs/{slug}`) they endorse while in force, and named on the pages of the badges they cover. Only a key for all badge classes (`*`) endorses or withdraws in the organisation\'s name.' },
  { name: 'Skills profile', description: 'The skills profiling tool: public self-assessments (no account) whose answers give the learner\'s profile per competence, the learning pathway that suits them, where to start and which badges to aim for first. Nothing is kept unless the learner asks: anonymous counts (numbers only) when they tick the box, or a kept result for a link they can share and delete (answers only; deleted after a year at the latest).' },
  { name: 'Credentials', description: 'Public credential addresses: the signed credential, its VC-JWT, the page an employer reads, the baked badge images, the recipient check.' },
  { name: 'Verification', description: 'Verify any issuer\'s Open Badge or W3C Verifiable Credential. A credential that fails is a `200` report; a 4xx means the input could not be read.' },
  { name: 'Status lists', description: 'Bitstring Status Lists: how verifiers learn that a badge was revoked or is suspended.' },
  { name: 'Achievements', description: 'The badge classes as OB 3.0 Achievements, and their images.' },
  { name: 'Frameworks', description: 'The competence frameworks the instance knows (DigComp 2.2, LifeComp, GreenComp, a subset of ESCO, and those organisations define, such as a project\'s): each competence has an address, which alignments link to when the framework gives it no URI of its own. A badge class may align to one by naming it: `{ "framework": "digcomp-2.2", "code": "2.1" }`. An organisation defines its own over `/api/v1/frameworks` (any key of the organisation reads them; only a key for all its badge classes, `*`, defines or changes one).' },
  { name: 'Issuer', description: 'The issuers\' Profiles, DID documents and public keys: the instance\'s own, and each organisation\'s. Never a private key.' },
  { name: 'Service', description: 'Health, and this description of the API.' },
] as const;
type Tag = (typeof TAGS)[number]['name'];

const html = { schema: { type: 'string', description: 'An HTML page (no script).' } } as const;
const binary = {} as const;

/** One error status: its body names the codes of src/errors/errors.ts that carry it. */
function error(status: number, description: string, options: { html?: boolean } = {}): ZodOpenApiResponseObject {
  const codes = codesWithStatus(status).map((c) => `\`${c}\``).join(', ');
  const content: ZodOpenApiContentObject = { 'application/json': { schema: ERROR_BODIES.get(status)! } };
  if (options.html) content['text/html'] = html;
  return {
    description: `${description} Codes of this status: ${codes}.`,
    content,
    ...(status === 401 ? { headers: z.object({ 'WWW-Authenticate': z.string().describe('`Bearer`, or `Bearer error="invalid_token"` for a key that is not valid.') }) } : {}),
    ...(status === 429 ? { headers: z.object({ 'Retry-After': z.string().describe('Seconds until the client\'s window ends.') }) } : {}),
  };
}

/** The error answers an operation may give; every operation may answer 500, which says nothing more. */
function errors(list: Record<number, string>, options: { html?: boolean } = {}): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const [status, description] of Object.entries({ ...list, 500: 'Something went wrong on the server; the body says nothing more.' })) {
    out[status as `${1 | 2 | 3 | 4 | 5}${string}`] = error(Number(status), description, { html: options.html === true && Number(status) < 500 });
  }
  return out;
}

const API_ERRORS = {
  401: 'No API key, or one that is not valid.',
  429: 'Too many wrong API keys from this client; even a valid key waits for the window to end.',
};
const BODY_ERRORS = {
  400: 'The body is not valid JSON, nests too deep, or a header is malformed.',
  413: 'The body is over its limit.',
  415: 'The body is not UTF-8 JSON (`Content-Type: application/json`).',
};

/** Express answers 400 `bad_request` to a path segment that is not valid percent-encoding (`%E0`). */
function withPathErrors<T extends Omit<ZodOpenApiOperationObject, 'tags'>>(operation: T): T {
  if (!operation.requestParams?.path || operation.responses['400']) return operation;
  const responses = { ...operation.responses, 400: error(400, 'A path segment is not valid percent-encoding.') };
  return { ...operation, responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))) };
}

const withKey = (tag: Tag, operation: Omit<ZodOpenApiOperationObject, 'tags' | 'security'>): ZodOpenApiOperationObject => ({
  ...withPathErrors(operation),
  tags: [tag],
  security: [{ apiKey: [] }],
});
const issuing = (operation: Omit<ZodOpenApiOperationObject, 'tags' | 'security'>): ZodOpenApiOperationObject => withKey('Issuing', operation);
const open = (tag: Tag, operation: Omit<ZodOpenApiOperationObject, 'tags'>): ZodOpenApiOperationObject => ({ ...withPathErrors(operation), tags: [tag] });

/** An erased credential's address: 410 `credential_erased`, as JSON, or to a browser as a page in its language. */
const ERASED = 'The credential was erased on request (GDPR Art. 17): `credential_erased`; a browser (`Accept: text/html`) gets a page saying so in its language.';
const erasedAnswer = (description = ERASED): ZodOpenApiResponsesObject => ({ 410: error(410, description, { html: true }) });

const credentialTypes = (example: unknown): ZodOpenApiContentObject => ({
  'application/ld+json': { schema: openBadgeCredentialSchema, example },
  'application/json': { schema: openBadgeCredentialSchema },
  'application/vc+ld+json': { schema: openBadgeCredentialSchema },
});

function paths(publicUrl: string): ZodOpenApiPathsObject {
  const didPath = new URL(publicUrl).pathname.replace(/\/$/, '');
  const didDocument = (where: 'well-known' | 'path') =>
    open('Issuer', {
      operationId: where === 'well-known' ? 'getDidDocument' : 'getDidDocumentAtPath',
      summary: 'The did:web document',
      description: 'The DID document of `did:web` for PUBLIC_URL: the Ed25519 Multikey (Data Integrity) and the RSA key (VC-JWT), both under `assertionMethod`.',
      responses: { 200: { description: 'The DID document.', content: { 'application/did+json': { schema: didDocumentSchema, example: EXAMPLE_DID_DOCUMENT } } }, ...errors({}) },
    });

  return {
    '/api/v1/credentials': {
      post: issuing({
        operationId: 'issueCredential',
        summary: 'Award one badge',
        description:
          'Builds, signs (Data Integrity `eddsa-rdfc-2022`) and stores one OB 3.0 credential. `Idempotency-Key` makes retries safe. The VC-JWT is signed the first time `jwtUrl` is fetched, or at once with `?include=jwt`.',
        requestParams: { query: issueQuerySchema, header: idempotencyHeaderSchema },
        requestBody: { required: true, description: 'At most 256 KiB.', content: { 'application/json': { schema: awardRequestSchema } } },
        responses: {
          201: {
            description: 'Issued (or, for a repeated Idempotency-Key with the same body, the credential issued the first time).',
            headers: z.object({
              Location: z.url().describe('The credential\'s public address.'),
              'Idempotent-Replayed': z.literal('true').optional().describe('Present when this answers a repeated Idempotency-Key.'),
            }),
            content: {
              'application/json': {
                schema: issuedCredentialSchema,
                example: { id: CREDENTIAL_ID, url: exampleUrl(`/credentials/${CREDENTIAL_ID}`), jwtUrl: exampleUrl(`/credentials/${CREDENTIAL_ID}.jwt`), credential: EXAMPLE_CREDENTIAL },
              },
            },
          },
          ...errors({
            ...BODY_ERRORS,
            ...API_ERRORS,
            403: 'This API key may not award this badge class.',
            409: 'This Idempotency-Key was used with another body.',
            422: 'A field is not valid, the badge class is unknown, or it lacks the language asked for; `details` names each field.',
          }),
        },
      }),
      get: issuing({
        operationId: 'listCredentials',
        summary: 'List the caller\'s credentials',
        description: 'Newest first, a page at a time. A full page carries `nextCursor` and a `Link: rel="next"` header; the next page costs the same at any depth.',
        requestParams: { query: listQuerySchema },
        responses: {
          200: {
            description: 'One page.',
            headers: z.object({
              Link: z.string().optional().describe('`<…?cursor=…>; rel="next"` when there may be more.'),
              'X-Total-Count': z.string().optional().describe('With `total=true`.'),
            }),
            content: { 'application/json': { schema: credentialListSchema, example: EXAMPLE_LIST } },
          },
          ...errors({ ...API_ERRORS, 422: 'A query parameter is not valid (an unknown one too); `details` names it.' }),
        },
      }),
    },
    '/api/v1/credentials/batch': {
      post: issuing({
        operationId: 'issueBatch',
        summary: 'Award badges to a cohort',
        description: `Up to ${MAX_BATCH} awards, all issued or none; \`Idempotency-Key\` and \`?include=jwt\` as for one award.`,
        requestParams: { query: issueQuerySchema, header: idempotencyHeaderSchema },
        requestBody: {
          required: true,
          description: 'At most 16 MiB.',
          content: { 'application/json': { schema: batchRequestSchema, example: { awards: [{ badgeClass: 'carer-plus-digital-communication', recipient: { email: 'maria.rossi@example.org' } }, { badgeClass: 'carer-plus-digital-communication', recipient: { email: 'luca.bianchi@example.org' } }] } } },
        },
        responses: {
          201: {
            description: 'Every credential, in the order of the awards.',
            headers: z.object({ 'Idempotent-Replayed': z.literal('true').optional().describe('Present when this answers a repeated Idempotency-Key.') }),
            content: { 'application/json': { schema: batchIssuedSchema } },
          },
          ...errors({
            ...BODY_ERRORS,
            ...API_ERRORS,
            403: 'This API key may not award one of the badge classes.',
            409: 'This Idempotency-Key was used with another body.',
            422: 'An award is not valid; each detail\'s path starts with `awards[i]`.',
          }),
        },
      }),
    },
    '/api/v1/credentials/{id}/revoke': {
      post: issuing({
        operationId: 'revokeCredential',
        summary: 'Revoke a badge',
        description: 'Sets its bit in the status list, so every verifier sees it revoked. Only the provider that issued it may; repeating the request answers with the first revocation.',
        requestParams: { path: credentialIdPath },
        requestBody: { required: true, content: { 'application/json': { schema: revokeRequestSchema } } },
        responses: {
          200: { description: 'Revoked.', content: { 'application/json': { schema: revocationSchema, example: EXAMPLE_REVOCATION } } },
          ...errors({
            ...BODY_ERRORS,
            ...API_ERRORS,
            403: 'Another provider issued this credential.',
            404: 'No credential with this id.',
            409: 'The credential has no status list entry.',
            422: 'The body is not valid; `details` names each field.',
          }),
        },
      }),
    },
    '/api/v1/credentials/{id}/suspend': {
      post: issuing({
        operationId: 'suspendCredential',
        summary: 'Suspend a badge',
        description:
          'Sets its bit in the suspension list that runs beside its revocation list (`/status/{listId}/suspension`, the same index), so this service\'s verifier and the credential page show it suspended until it is reinstated. OB 3.0 allows one `credentialStatus`, which is the revocation entry, so verifiers elsewhere read only revocation. Only the provider that issued it may (another provider\'s credential is not found); repeating the request answers with the first suspension; a revoked badge stays revoked.',
        requestParams: { path: credentialIdPath },
        requestBody: { required: true, content: { 'application/json': { schema: suspendRequestSchema } } },
        responses: {
          200: { description: 'Suspended.', content: { 'application/json': { schema: suspensionSchema, example: EXAMPLE_SUSPENSION } } },
          ...errors({
            ...BODY_ERRORS,
            ...API_ERRORS,
            404: 'No credential with this id issued by this provider.',
            409: 'The credential has no status list entry.',
            410: 'The credential is revoked: revocation is final.',
            422: 'The body is not valid; `details` names each field.',
          }),
        },
      }),
    },
    '/api/v1/credentials/{id}/reissue': {
      post: issuing({
        operationId: 'reissueCredential',
        summary: 'Re-issue a badge with corrections',
        description:
          'Issues a new credential with the corrected award (a misspelt name, a wrong date, result or evidence) in the same badge class, keeping the original award date as `awardedDate` and the badge class\'s default validity counted from it; revokes the original (reason "replaced", public) and links it to the new one, together. Without an e-mail address or id the learner\'s identity in the original carries over and nothing is e-mailed; an address given is hashed into the new credential and the badge is sent to it. Only the issuing organisation, with a key allowed the badge class; another organisation\'s credential answers 404.',
        requestParams: { path: credentialIdPath },
        requestBody: { required: true, description: 'At most 256 KiB.', content: { 'application/json': { schema: reissueRequestSchema } } },
        responses: {
          201: {
            description: 'The corrected credential, in the shape `POST /api/v1/credentials` answers, with `replaces`.',
            headers: z.object({ Location: z.url().describe('The corrected credential\'s public address.') }),
            content: { 'application/json': { schema: reissuedCredentialSchema } },
          },
          ...errors({
            ...BODY_ERRORS,
            ...API_ERRORS,
            403: 'This API key may not award the badge class.',
            404: 'No credential with this id in the caller\'s organisation.',
            409: 'Already re-issued (`credential_replaced`): correct the new one.',
            410: 'Revoked (`credential_revoked`) or erased (`credential_erased`): neither is re-issued.',
            422: 'A field is not valid, or names another badge class; `details` names each field.',
          }),
        },
      }),
    },
    '/api/v1/credentials/{id}/renew': {
      post: issuing({
        operationId: 'renewCredential',
        summary: 'Renew a badge that expires',
        description:
          'Issues a new credential of the same badge class for the same learner, valid from now for the badge class\'s validity period (or until `validUntil`), keeping the original `awardedDate` and naming the renewed credential in its `evidence` (genre "Renewal of"). The renewed credential is not revoked: it stays valid until its own date, and its page says it was renewed and links to the renewal, whose page links back. The renewal needs its evidence (`evidence`, or the re-assessment\'s `results`). Without an e-mail address or id the learner carries over, and the badge is sent to the address kept for the renewed one\'s reminders, if any. Its reminders end; the renewal\'s begin.',
        requestParams: { path: credentialIdPath },
        requestBody: { required: true, description: 'At most 256 KiB.', content: { 'application/json': { schema: renewalRequestSchema } } },
        responses: {
          201: {
            description: 'The renewal, in the shape `POST /api/v1/credentials` answers, with `renews`.',
            headers: z.object({ Location: z.url().describe('The renewal\'s public address.') }),
            content: { 'application/json': { schema: renewedCredentialSchema } },
          },
          ...errors({
            ...BODY_ERRORS,
            ...API_ERRORS,
            403: 'This API key may not award the badge class.',
            404: 'No credential with this id in the caller\'s organisation.',
            409: 'Already renewed (`credential_renewed`: renew the renewal), re-issued (`credential_replaced`), or never expiring (`credential_not_renewable`).',
            410: 'Revoked (`credential_revoked`) or erased (`credential_erased`): neither is renewed.',
            422: 'A field is not valid, no evidence or result is given, or it names another badge class; `details` names each field.',
          }),
        },
      }),
    },
    '/api/v1/credentials/{id}/reinstate': {
      post: issuing({
        operationId: 'reinstateCredential',
        summary: 'Reinstate a suspended badge',
        description: 'Clears its bit in the suspension list: the badge is valid again. No body is read. Only the provider that issued it may (another provider\'s credential is not found).',
        requestParams: { path: credentialIdPath },
        responses: {
          200: { description: 'Reinstated.', content: { 'application/json': { schema: reinstatementSchema, example: EXAMPLE_REINSTATEMENT } } },
          ...errors({
            ...API_ERRORS,
            404: 'No credential with this id issued by this provider.',
            409: 'The credential is not suspended, or has no status list entry.',
            410: 'The credential is revoked: revocation is final.',
          }),
        },
      }),
    },
    '/api/v1/credentials/{id}': {
      delete: issuing({
        operationId: 'eraseCredential',
        summary: 'Erase a badge (GDPR Art. 17)',
        description:
          'Deletes the stored credential and its VC-JWT, the learner\'s name and lookup key, and its e-mail still queued; revokes it (reason "erased", private) so that a copy held elsewhere verifies as revoked. Its public addresses then answer 410 `credential_erased`. The activity log records `credential.erased` with the id only. Repeating the request answers 200 with the first erasure. Only the issuing organisation, with a key allowed the badge class; another organisation\'s credential answers 404.',
        requestParams: { path: credentialIdPath },
        responses: {
          200: { description: 'Erased (now or before).', content: { 'application/json': { schema: erasureSchema } } },
          ...errors({ ...API_ERRORS, 403: 'This API key may not award the badge class.', 404: 'No credential with this id in the caller\'s organisation.' }),
        },
      }),
    },
    '/api/v1/badge-classes': {
      get: withKey('Badge classes', {
        operationId: 'listBadgeClasses',
        summary: 'The badge classes this API key may award',
        description: 'The organisation\'s own classes and those it may award, not archived, as far as the key\'s scope reaches.',
        responses: {
          200: { description: 'The catalog, as far as this key reaches.', content: { 'application/json': { schema: badgeClassListSchema, example: EXAMPLE_BADGE_CLASSES } } },
          ...errors(API_ERRORS),
        },
      }),
      post: withKey('Badge classes', {
        operationId: 'createBadgeClass',
        summary: 'Define a badge class',
        description: 'Checked as the console checks it (the badge class file\'s schema). It becomes version 1, owned by the key\'s organisation, with the built-in design drawn in each language. A key scoped to some badge classes may define only a slug of its scope.',
        requestBody: { required: true, description: 'At most 256 KiB.', content: { 'application/json': { schema: badgeClassWrittenInputSchema, example: EXAMPLE_BADGE_CLASS_INPUT } } },
        responses: {
          201: { description: 'Defined.', headers: z.object({ Location: z.url(), ETag: z.string().describe('`"1"`') }), content: { 'application/json': { schema: badgeClassDetailSchema } } },
          ...errors({ ...BODY_ERRORS, ...API_ERRORS, 403: 'This API key is not scoped to this slug.', 409: 'The slug is taken (slugs are unique on the instance).', 422: 'A field is not valid; `details` names each one.' }),
        },
      }),
    },
    '/api/v1/badge-classes/{slug}': {
      get: withKey('Badge classes', {
        operationId: 'getBadgeClass',
        summary: 'One badge class, in full',
        requestParams: { path: slugPath },
        responses: {
          200: { description: 'The badge class; its ETag is its version.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: badgeClassDetailSchema } } },
          ...errors({ ...API_ERRORS, 403: 'This API key is not scoped to this badge class.', 404: 'No badge class of this slug that the organisation may see.' }),
        },
      }),
      put: withKey('Badge classes', {
        operationId: 'changeBadgeClass',
        summary: 'Change a badge class: a new version',
        description: 'The whole definition, as `GET` gives it in `definition`. Badges already awarded keep their version. `If-Match` names the version changed; when someone changed it meanwhile, 409 `badge_class_changed`: read it again.',
        requestParams: { path: slugPath, header: ifMatchHeaderSchema },
        requestBody: { required: true, description: 'At most 256 KiB.', content: { 'application/json': { schema: badgeClassWrittenInputSchema, example: EXAMPLE_BADGE_CLASS_INPUT } } },
        responses: {
          200: { description: 'The new version.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: badgeClassDetailSchema } } },
          ...errors({
            ...BODY_ERRORS,
            400: 'The body is not valid JSON, or If-Match is not a version\'s ETag.',
            ...API_ERRORS,
            403: 'Another organisation owns this badge class, or this API key is not scoped to it.',
            404: 'No badge class of this slug that the organisation may see.',
            409: 'Someone changed it since the version named in If-Match.',
            422: 'A field is not valid, or the slug differs from the path\'s; `details` names each one.',
            428: 'No If-Match.',
          }),
        },
      }),
    },
    ...Object.fromEntries(
      (['archive', 'unarchive'] as const).map((action) => [
        `/api/v1/badge-classes/{slug}/${action}`,
        {
          post: withKey('Badge classes', {
            operationId: `${action}BadgeClass`,
            summary: action === 'archive' ? 'Archive a badge class: no longer awarded' : 'Bring an archived badge class back',
            description: action === 'archive' ? 'Badges already awarded stay valid. Repeating it is harmless.' : 'It can be awarded again. Repeating it is harmless.',
            requestParams: { path: slugPath },
            responses: {
              200: { description: 'The badge class now.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: badgeClassDetailSchema } } },
              ...errors({ ...API_ERRORS, 403: 'Another organisation owns this badge class, or this API key is not scoped to it.', 404: 'No badge class of this slug that the organisation may see.' }),
            },
          }),
        },
      ]),
    ),
    '/api/v1/badge-classes/{slug}/versions': {
      get: withKey('Badge classes', {
        operationId: 'listBadgeClassVersions',
        summary: 'The versions of a badge class',
        requestParams: { path: slugPath },
        responses: {
          200: { description: 'Its versions, newest first.', content: { 'application/json': { schema: badgeClassVersionsSchema } } },
          ...errors({ ...API_ERRORS, 403: 'This API key is not scoped to this badge class.', 404: 'No badge class of this slug that the organisation may see.' }),
        },
      }),
    },
    '/api/v1/frameworks': {
      get: withKey('Frameworks', {
        operationId: 'listOwnFrameworks',
        summary: 'The organisation\'s own competence frameworks',
        responses: { 200: { description: 'Its frameworks, archived ones included.', content: { 'application/json': { schema: frameworkListSchema } } }, ...errors(API_ERRORS) },
      }),
      post: withKey('Frameworks', {
        operationId: 'createFramework',
        summary: 'Define a competence framework',
        description: 'Published at once at `/frameworks/{slug}`, each competence at its own address; its badge classes, pathways and self-assessments then name its competences as `{ "framework": "<slug>", "code": "<code>" }`. A bundled framework\'s slug is taken.',
        requestBody: { required: true, description: 'At most 512 KiB.', content: { 'application/json': { schema: frameworkInput, example: EXAMPLE_FRAMEWORK } } },
        responses: {
          201: { description: 'Defined.', headers: z.object({ Location: z.url(), ETag: z.string().describe('`"1"`') }), content: { 'application/json': { schema: frameworkDetailSchema } } },
          ...errors({ ...BODY_ERRORS, ...API_ERRORS, 403: 'This API key is scoped to some badge classes: it may not define frameworks.', 409: 'The slug is taken (`framework_exists`).', 422: 'A field is not valid; `details` names each one.' }),
        },
      }),
    },
    '/api/v1/frameworks/{slug}': {
      get: withKey('Frameworks', {
        operationId: 'getOwnFramework',
        summary: 'One of the organisation\'s frameworks',
        requestParams: { path: frameworkSlugPath },
        responses: {
          200: { description: 'The framework; its ETag is its version.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: frameworkDetailSchema } } },
          ...errors({ ...API_ERRORS, 404: 'No framework of this slug in the organisation (a bundled one is public at /frameworks).' }),
        },
      }),
      put: withKey('Frameworks', {
        operationId: 'changeFramework',
        summary: 'Change a competence framework',
        description: 'The whole definition. Badge classes keep the alignments they were saved with. `If-Match` names the version changed.',
        requestParams: { path: frameworkSlugPath, header: ifMatchHeaderSchema },
        requestBody: { required: true, description: 'At most 512 KiB.', content: { 'application/json': { schema: frameworkInput, example: EXAMPLE_FRAMEWORK } } },
        responses: {
          200: { description: 'The framework now.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: frameworkDetailSchema } } },
          ...errors({
            ...BODY_ERRORS,
            400: 'The body is not valid JSON, or If-Match is not a version\'s ETag.',
            ...API_ERRORS,
            403: 'This API key is scoped to some badge classes.',
            404: 'No framework of this slug in the organisation.',
            409: 'Someone changed it since the version named in If-Match (`framework_changed`).',
            422: 'A field is not valid, or the slug differs from the path\'s; `details` names each one.',
            428: 'No If-Match.',
          }),
        },
      }),
    },
    ...Object.fromEntries(
      (['archive', 'unarchive'] as const).map((action) => [
        `/api/v1/frameworks/{slug}/${action}`,
        {
          post: withKey('Frameworks', {
            operationId: `${action}Framework`,
            summary: action === 'archive' ? 'Archive a framework: no longer offered' : 'Bring an archived framework back',
            requestParams: { path: frameworkSlugPath },
            responses: {
              200: { description: 'The framework now.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: frameworkDetailSchema } } },
              ...errors({ ...API_ERRORS, 403: 'This API key is scoped to some badge classes.', 404: 'No framework of this slug in the organisation.' }),
            },
          }),
        },
      ]),
    ),
    '/api/v1/pathways': {
      get: withKey('Pathways', {
        operationId: 'listPathways',
        summary: 'The organisation\'s learning pathways',
        responses: { 200: { description: 'Its pathways, archived ones included.', content: { 'application/json': { schema: pathwayListSchema } } }, ...errors(API_ERRORS) },
      }),
      post: withKey('Pathways', {
        operationId: 'createPathway',
        summary: 'Define a learning pathway',
        description: 'Its badge classes and capstone must be ones the organisation may award; its competences ones the instance knows (`GET /frameworks`). A badge class is in one step at most, and the capstone in none.',
        requestBody: { required: true, description: 'At most 256 KiB.', content: { 'application/json': { schema: pathwayInput, example: EXAMPLE_PATHWAY } } },
        responses: {
          201: { description: 'Defined.', headers: z.object({ Location: z.url(), ETag: z.string().describe('`"1"`') }), content: { 'application/json': { schema: pathwayDetailSchema } } },
          ...errors({ ...BODY_ERRORS, ...API_ERRORS, 403: 'This API key is scoped to some badge classes: it may not define pathways.', 409: 'The slug is taken.', 422: 'A field is not valid; `details` names each one.' }),
        },
      }),
    },
    '/api/v1/pathways/{slug}': {
      get: withKey('Pathways', {
        operationId: 'getPathway',
        summary: 'One learning pathway',
        requestParams: { path: pathwaySlugPath },
        responses: {
          200: { description: 'The pathway; its ETag is its version.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: pathwayDetailSchema } } },
          ...errors({ ...API_ERRORS, 404: 'No pathway of this slug in the organisation.' }),
        },
      }),
      put: withKey('Pathways', {
        operationId: 'changePathway',
        summary: 'Change a learning pathway',
        description: 'The whole definition. Capstones already awarded stay; learners\' progress is counted by the new steps from then on. `If-Match` names the version changed.',
        requestParams: { path: pathwaySlugPath, header: ifMatchHeaderSchema },
        requestBody: { required: true, description: 'At most 256 KiB.', content: { 'application/json': { schema: pathwayInput, example: EXAMPLE_PATHWAY } } },
        responses: {
          200: { description: 'The pathway now.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: pathwayDetailSchema } } },
          ...errors({
            ...BODY_ERRORS,
            400: 'The body is not valid JSON, or If-Match is not a version\'s ETag.',
            ...API_ERRORS,
            403: 'This API key is scoped to some badge classes.',
            404: 'No pathway of this slug in the organisation.',
            409: 'Someone changed it since the version named in If-Match.',
            422: 'A field is not valid, or the slug differs from the path\'s; `details` names each one.',
            428: 'No If-Match.',
          }),
        },
      }),
    },
    ...Object.fromEntries(
      (['archive', 'unarchive'] as const).map((action) => [
        `/api/v1/pathways/{slug}/${action}`,
        {
          post: withKey('Pathways', {
            operationId: `${action}Pathway`,
            summary: action === 'archive' ? 'Archive a pathway: no longer shown, no more capstones' : 'Bring an archived pathway back',
            requestParams: { path: pathwaySlugPath },
            responses: {
              200: { description: 'The pathway now.', headers: z.object({ ETag: z.string() }), content: { 'application/json': { schema: pathwayDetailSchema } } },
              ...errors({ ...API_ERRORS, 403: 'This API key is scoped to some badge classes.', 404: 'No pathway of this slug in the organisation.' }),
            },
          }),
        },
      ]),
    ),
    '/api/v1/pathways/{slug}/completions': {
      get: withKey('Pathways', {
        operationId: 'listPathwayCompletions',
        summary: 'Learners who completed the pathway',
        description: 'Newest first. Those awaiting approval name the learner (the organisation\'s own, whom it awarded).',
        requestParams: { path: pathwaySlugPath, query: completionsQuery },
        responses: {
          200: { description: 'The completions.', content: { 'application/json': { schema: completionListSchema } } },
          ...errors({ ...API_ERRORS, 404: 'No pathway of this slug in the organisation.', 422: '`state` is not one of the states.' }),
        },
      }),
    },
    ...Object.fromEntries(
      (['approve', 'decline'] as const).map((action) => [
        `/api/v1/pathways/{slug}/completions/{id}/${action}`,
        {
          post: withKey('Pathways', {
            operationId: `${action}PathwayCompletion`,
            summary: action === 'approve' ? 'Approve a completion: its capstone is awarded' : 'Decline a completion',
            description:
              action === 'approve'
                ? 'The capstone is issued to the learner, with the components as evidence, and e-mailed when their badges are.'
                : 'No capstone is awarded; the learner\'s address the completion held is forgotten.',
            requestParams: { path: completionPath },
            responses: {
              200: { description: 'The completion now.', content: { 'application/json': { schema: completionSchema } } },
              ...errors({ ...API_ERRORS, 403: 'This API key may not award the capstone.', 404: 'No such pathway or completion in the organisation.', 409: 'It was already decided.' }),
            },
          }),
        },
      ]),
    ),
    '/api/v1/endorsements': {
      get: withKey('Endorsements', {
        operationId: 'listEndorsements',
        summary: 'The organisation\'s endorsements in force',
        responses: { 200: { description: 'Its endorsements.', content: { 'application/json': { schema: endorsementListSchema } } }, ...errors(API_ERRORS) },
      }),
      post: withKey('Endorsements', {
        operationId: 'endorse',
        summary: 'Endorse another organisation\'s badge class, or an organisation',
        requestBody: { required: true, description: 'At most 16 KiB.', content: { 'application/json': { schema: endorseRequestSchema } } },
        responses: {
          201: { description: 'Signed and published.', headers: z.object({ Location: z.url() }), content: { 'application/json': { schema: endorsementIssuedSchema } } },
          ...errors({ ...BODY_ERRORS, ...API_ERRORS, 403: 'This API key is scoped to some badge classes.', 409: 'The organisation already endorses this.', 422: 'No such badge class or organisation, or its own; `details` names the field.' }),
        },
      }),
    },
    '/api/v1/endorsements/{id}': {
      delete: withKey('Endorsements', {
        operationId: 'withdrawEndorsement',
        summary: 'Withdraw an endorsement',
        description: 'It is no longer served (410) nor embedded.',
        requestParams: { path: endorsementIdPath },
        responses: {
          200: { description: 'Withdrawn.', content: { 'application/json': { schema: z.object({ id: z.string(), withdrawn: z.literal(true) }) } } },
          ...errors({ ...API_ERRORS, 403: 'This API key is scoped to some badge classes.', 404: 'No endorsement of the organisation in force with this id.' }),
        },
      }),
    },
    '/api/v1/organisation': {
      get: withKey('Organisation', {
        operationId: 'getOwnOrganisation',
        summary: 'The API key\'s organisation',
        responses: {
          200: { description: 'The organisation.', content: { 'application/json': { schema: organisationSchema, example: EXAMPLE_ORGANISATION } } },
          ...errors(API_ERRORS),
        },
      }),
      patch: withKey('Organisation', {
        operationId: 'changeOwnOrganisation',
        summary: 'Change the organisation\'s profile',
        description:
          'Each field given replaces the stored one whole (a map of languages, the address, the identifiers); `null` removes it; fields not given stay. Credentials awarded from then on name the organisation so; those already awarded keep the issuer they were signed with. Only a key for all badge classes (`*`) may.',
        requestBody: { required: true, description: 'At most 64 KiB.', content: { 'application/json': { schema: profilePatchSchema, example: { profile: { url: 'https://casa-roma.example.org', phone: null } } } } },
        responses: {
          200: { description: 'The organisation now.', content: { 'application/json': { schema: organisationSchema } } },
          ...errors({ ...BODY_ERRORS, ...API_ERRORS, 403: 'This API key is scoped to some badge classes: it may not change the organisation.', 422: 'A field is not valid; `details` names each one.' }),
        },
      }),
    },
    '/api/v1/badge-classes/{slug}/stats': {
      get: issuing({
        operationId: 'getBadgeClassStats',
        summary: 'How a badge class\'s awards were delivered, viewed, downloaded and verified',
        description:
          'Counts of the caller\'s organisation only. `awarded` and `delivered` count credentials; `views`, `downloads` and `verifications` count events (nothing is kept about who), added up across instances and written every few seconds.',
        requestParams: { path: slugPath },
        responses: {
          200: { description: 'The counts (zeros before anything was awarded).', content: { 'application/json': { schema: badgeClassStatsSchema, example: EXAMPLE_BADGE_CLASS_STATS } } },
          ...errors({ ...API_ERRORS, 403: 'This API key may not award this badge class.', 404: 'No badge class with this slug.' }),
        },
      }),
    },

    '/api/v1/issuance-jobs': {
      post: issuing({
        operationId: 'createIssuanceJob',
        summary: 'Upload a spreadsheet of learners',
        description:
          'A CSV (UTF-8; `,` or `;`) or an Excel workbook (.xlsx, its first sheet), one row per learner, with a column for the e-mail address and optional columns for the name, language, evidence URL, narrative, result and dates (column names in any of the seven languages). Every row is checked and the job is stored as a `preview`: nothing is signed until it is confirmed (or at once with `confirm=true`). Each row is issued with its own Idempotency-Key, so a row uploaded again is not issued twice.',
        requestParams: { query: createJobQuery },
        requestBody: { required: true, description: `At most ${MAX_SHEET_BYTES / 1024 / 1024} MiB, ${MAX_SHEET_ROWS} rows.`, content: { 'text/csv': { schema: { type: 'string' }, example: 'email,name,language\nmaria.rossi@example.org,Maria Rossi,it\n' }, [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } },
        responses: {
          201: { description: 'The job, with the rows that have problems.', headers: z.object({ Location: z.url() }), content: { 'application/json': { schema: createdJobSchema } } },
          ...errors({
            400: 'The body was cut off.',
            ...API_ERRORS,
            403: 'This API key may not award this badge class.',
            413: 'The file is over its limit.',
            415: 'The body is neither CSV (`Content-Type: text/csv`) nor an Excel workbook.',
            422: 'A query parameter is not valid, the badge class is unknown or archived, or the file cannot be read as a sheet of learners (no e-mail column, not UTF-8, too many rows).',
          }),
        },
      }),
      get: issuing({
        operationId: 'listIssuanceJobs',
        summary: 'The organisation\'s spreadsheet jobs',
        responses: { 200: { description: 'Newest first (the latest 50).', content: { 'application/json': { schema: jobListSchema } } }, ...errors(API_ERRORS) },
      }),
    },
    '/api/v1/issuance-jobs/{id}': {
      get: issuing({
        operationId: 'getIssuanceJob',
        summary: 'A spreadsheet job and its progress',
        requestParams: { path: jobIdPath },
        responses: { 200: { description: 'The job.', content: { 'application/json': { schema: jobSchema } } }, ...errors({ ...API_ERRORS, 404: 'No job with this id in this organisation.' }) },
      }),
    },
    '/api/v1/issuance-jobs/{id}/confirm': {
      post: issuing({
        operationId: 'confirmIssuanceJob',
        summary: 'Issue the valid rows of a previewed job',
        requestParams: { path: jobIdPath },
        responses: {
          202: { description: 'Queued: the rows are issued in the background; follow `links.events` or poll the job.', content: { 'application/json': { schema: jobSchema } } },
          ...errors({ ...API_ERRORS, 404: 'No job with this id in this organisation.', 409: 'The job is no longer a preview.', 422: 'No row of the job can be issued.' }),
        },
      }),
    },
    '/api/v1/issuance-jobs/{id}/cancel': {
      post: issuing({
        operationId: 'cancelIssuanceJob',
        summary: 'Cancel a job',
        description: 'A preview is dropped; a running job stops after the rows under way. Rows issued stay issued.',
        requestParams: { path: jobIdPath },
        responses: {
          200: { description: 'Cancelled.', content: { 'application/json': { schema: jobSchema } } },
          ...errors({ ...API_ERRORS, 404: 'No job with this id in this organisation.', 409: 'The job is done or already cancelled.' }),
        },
      }),
    },
    '/api/v1/issuance-jobs/{id}/rows': {
      get: issuing({
        operationId: 'listIssuanceJobRows',
        summary: 'The rows of a job: problems and credentials',
        requestParams: { path: jobIdPath, query: jobRowsQuery },
        responses: {
          200: { description: 'Rows in order.', content: { 'application/json': { schema: jobRowsSchema } } },
          ...errors({ ...API_ERRORS, 404: 'No job with this id in this organisation.', 422: 'A query parameter is not valid.' }),
        },
      }),
    },
    '/api/v1/issuance-jobs/{id}/events': {
      get: issuing({
        operationId: 'streamIssuanceJob',
        summary: 'The progress of a job, as server-sent events',
        description: 'An `event: progress` with the job (as `GET /api/v1/issuance-jobs/{id}`) whenever its counts change, then `event: done` when it is finished or cancelled, and the stream ends.',
        requestParams: { path: jobIdPath },
        responses: {
          200: { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...errors({ ...API_ERRORS, 404: 'No job with this id in this organisation.' }),
        },
      }),
    },

    '/credentials/{id}': {
      get: open('Credentials', {
        operationId: 'getCredential',
        summary: 'The signed credential, or its page',
        description:
          'By the `Accept` header: the credential byte for byte as issued (`application/ld+json`, the default; `application/json`; `application/vc+ld+json`), its VC-JWT (`application/vc+jwt` or `application/jwt`), or, for browsers (`text/html`), the page an employer reads, with live verification. The page\'s language is `?lang=` or Accept-Language.',
        requestParams: { path: credentialIdPath, query: pageLangQuery },
        responses: {
          200: {
            description: 'The credential, its VC-JWT or its page.',
            content: { ...credentialTypes(EXAMPLE_CREDENTIAL), 'application/vc+jwt': { schema: compactJwsSchema, example: EXAMPLE_JWT }, 'text/html': html },
          },
          ...errors({ 404: 'No credential with this id.', 406: 'None of the media types the `Accept` header asks for.', 503: 'The page\'s verification is busy; try again in a moment.' }),
          ...erasedAnswer(),
        },
      }),
    },
    '/credentials/{id}.json': {
      get: open('Credentials', {
        operationId: 'getCredentialJson',
        summary: 'The signed credential as a JSON download',
        requestParams: { path: credentialIdPath },
        responses: {
          200: { description: 'The credential, byte for byte as issued.', content: { 'application/json': { schema: openBadgeCredentialSchema } } },
          ...errors({ 404: 'No credential with this id.' }),
          ...erasedAnswer(),
        },
      }),
    },
    '/credentials/{id}.jwt': {
      get: open('Credentials', {
        operationId: 'getCredentialJwt',
        summary: 'The credential as a VC-JWT',
        description: 'OB 3.0 §8: RS256 over the credential with its embedded proof. Signed the first time it is asked for and kept; the bytes do not depend on when.',
        requestParams: { path: credentialIdPath },
        responses: {
          200: { description: 'The compact JWS.', content: { 'application/vc+jwt': { schema: compactJwsSchema, example: EXAMPLE_JWT } } },
          ...errors({ 404: 'No credential with this id.' }),
          ...erasedAnswer(),
        },
      }),
    },
    '/credentials/{id}/recipient-check': {
      post: open('Credentials', {
        operationId: 'checkRecipient',
        summary: 'Was this badge issued to this e-mail address?',
        description: 'OB 3.0 §9.1 step 5, as a POST so the address never travels in a URL. JSON clients get `{ matched, code }`; browsers (`Accept: text/html`) the credential page with the answer.',
        requestBody: {
          required: true,
          description: 'At most 4 KiB.',
          content: {
            'application/x-www-form-urlencoded': { schema: recipientCheckRequestSchema },
            'application/json': { schema: recipientCheckRequestSchema, example: { email: 'maria.rossi@example.org' } },
          },
        },
        requestParams: { path: credentialIdPath },
        responses: {
          200: { description: 'The answer.', content: { 'application/json': { schema: recipientCheckSchema, example: { matched: true, code: 'recipient_matched' } }, 'text/html': html } },
          ...errors({
            400: 'The body could not be read.',
            404: 'No credential with this id.',
            413: 'The body is over 4 KiB.',
            415: 'Neither a form nor JSON.',
            422: 'No e-mail address.',
            429: 'Too many recipient checks from this client.',
            503: 'The verifier is busy; try again in a moment.',
          }),
          ...erasedAnswer(),
        },
      }),
    },
    ...Object.fromEntries(
      (['png', 'svg'] as const).map((format) => [
        `/credentials/{id}/badge.${format}`,
        {
          get: open('Credentials', {
            operationId: `getBadge${format === 'png' ? 'Png' : 'Svg'}`,
            summary: `The badge image baked with the credential (${format.toUpperCase()})`,
            description:
              format === 'png'
                ? 'OB 3.0 §5.3.1: the credential in an uncompressed `iTXt` chunk with the keyword `openbadgecredential`.'
                : 'OB 3.0 §5.3.2: the credential in an `openbadges:credential` element.',
            requestParams: { path: credentialIdPath, query: badgeImageQuery },
            responses: {
              200: {
                description: 'The image, as an attachment.',
                headers: z.object({ 'Content-Disposition': z.string(), ETag: z.string() }),
                content: { [format === 'png' ? 'image/png' : 'image/svg+xml']: binary },
              },
              ...errors({ 404: 'No credential with this id, or its badge class has no such image any more.' }),
              ...erasedAnswer(),
            },
          }),
        },
      ]),
    ),

    '/credentials/{id}/linkedin': {
      get: open('Credentials', {
        operationId: 'addToLinkedIn',
        summary: 'Add the badge to a LinkedIn profile',
        description: 'The page\'s "Add to LinkedIn profile" link: counted as the learner taking the badge, then a redirect to LinkedIn\'s add-certification form, filled in from the credential.',
        requestParams: { path: credentialIdPath },
        responses: {
          303: {
            description: 'On to LinkedIn.',
            headers: z.object({ Location: z.url().describe('LinkedIn\'s form, with the badge\'s name, issuer, dates and address.') }),
            content: { 'text/plain': { schema: { type: 'string', description: 'A line naming where to go.' } }, 'text/html': html },
          },
          ...errors({ 404: 'No credential with this id.' }),
        },
      }),
    },

    '/credentials/{id}/certificate.pdf': {
      get: open('Credentials', {
        operationId: 'getCertificate',
        summary: 'A printable certificate of the credential (PDF)',
        description: 'Shown inline. A revoked badge has no certificate: revocation is final; a suspended one has none until it is reinstated.',
        requestParams: { path: credentialIdPath },
        responses: {
          200: { description: 'The PDF.', headers: z.object({ 'Content-Disposition': z.string(), ETag: z.string() }), content: { 'application/pdf': binary } },
          ...errors({ 404: 'No credential with this id.', 409: 'The issuer suspended this badge.' }),
          ...erasedAnswer('Revoked by its issuer (`credential_revoked`), or erased on request (GDPR Art. 17, `credential_erased`); to a browser (`Accept: text/html`) an erased one answers with a page saying so in its language.'),
        },
      }),
    },
    '/credentials/{id}/elm.json': {
      get: open('Credentials', {
        operationId: 'getEuropassCredential',
        summary: 'The credential for Europass: a European Digital Credential (ELM 3)',
        description:
          'The same award in the European Learning Model (its EDC application profile, JSON-LD with the `http://data.europa.eu/snb/model/context/edc-ap` context), built from the stored credential: the learner, the learning achievement and its awarding process, the specification with the EU micro-credential elements, the badge image as its display, and a link to the verifiable Open Badge. It is not sealed: Europass takes it as an upload. Needs the issuer\'s country and a legal identifier (its profile\'s address and first official identifier).',
        requestParams: { path: credentialIdPath },
        responses: {
          200: { description: 'The European Digital Credential.', headers: z.object({ 'Content-Disposition': z.string() }), content: { 'application/ld+json': { schema: z.record(z.string(), z.unknown()) } } },
          ...errors({ 404: 'No credential with this id.', 409: 'The issuer suspended this badge (`credential_suspended`), or has not given its country and a legal identifier (`europass_unavailable`).' }),
          ...erasedAnswer('Revoked by its issuer (`credential_revoked`), or erased on request (GDPR Art. 17, `credential_erased`).'),
        },
      }),
    },

    '/': {
      get: open('Verification', {
        operationId: 'landingPage',
        summary: 'The landing page',
        description: 'For people: what the service is, a way to check a badge, and the sign-in of the console.',
        requestParams: { query: pageLangQuery },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({}) },
      }),
    },
    '/verify': {
      get: open('Verification', {
        operationId: 'verifyPage',
        summary: 'The verify page',
        description: 'For people: upload a badge image or credential file, or paste a credential.',
        requestParams: { query: pageLangQuery },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({}) },
      }),
      post: open('Verification', {
        operationId: 'verifyCredential',
        summary: 'Verify a credential',
        description: `Any issuer's Open Badge or W3C Verifiable Credential: JSON, VC-JWT, or a baked PNG or SVG, sent raw, as \`{ credential, email }\`, or as a form. Text and JSON up to ${MAX_CREDENTIAL_TEXT / 1024} KiB, images up to ${MAX_IMAGE_BYTES / 1024 / 1024} MiB. Browsers (\`Accept: text/html\`) get the verify page with the report, and with the error for a 4xx.`,
        requestParams: { query: pageLangQuery },
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: verifyJsonSchema, example: { credential: EXAMPLE_CREDENTIAL, email: 'maria.rossi@example.org' } },
            'application/vc+ld+json': { schema: z.looseObject({}).describe('The credential itself.') },
            'application/vc+jwt': { schema: compactJwsSchema },
            'text/plain': { schema: z.string().describe('A credential as JSON text or VC-JWT.') },
            'image/png': binary,
            'image/svg+xml': binary,
            'multipart/form-data': { schema: verifyFormSchema },
          },
        },
        responses: {
          200: { description: 'The report, whatever the verdict.', content: { 'application/json': { schema: verificationReportSchema, example: EXAMPLE_REPORT }, 'text/html': html } },
          ...errors(
            {
              400: 'The body could not be read or nests too deep.',
              413: 'The body, a file or a form part is over its limit.',
              415: 'A multipart body without a boundary.',
              422: 'Nothing in it could be read as a credential, or it is over a verification cap.',
              429: 'Too many verifications from this client.',
              503: 'The verifier is busy; try again in a moment.',
            },
            { html: true },
          ),
        },
      }),
    },

    '/status/{listId}': {
      get: open('Status lists', {
        operationId: 'getStatusList',
        summary: 'A signed status list',
        description: 'Served with `Cache-Control: no-cache`: verifiers revalidate, so a revocation shows at once.',
        requestParams: { path: listIdPath },
        responses: {
          200: { description: 'The BitstringStatusListCredential.', content: { 'application/vc+ld+json': { schema: statusListCredentialSchema, example: EXAMPLE_STATUS_LIST } } },
          ...errors({ 404: 'No status list with this id.' }),
        },
      }),
    },
    '/status/{listId}/suspension': {
      get: open('Status lists', {
        operationId: 'getSuspensionList',
        summary: 'A signed suspension list',
        description:
          'The list of suspensions beside the revocation list `listId`: the same issuer, size and indexes, `statusPurpose: "suspension"`. Served with `Cache-Control: no-cache`: verifiers revalidate, so a suspension or reinstatement shows at once.',
        requestParams: { path: listIdPath },
        responses: {
          200: { description: 'The BitstringStatusListCredential of suspensions.', content: { 'application/vc+ld+json': { schema: suspensionListCredentialSchema, example: EXAMPLE_SUSPENSION_LIST } } },
          ...errors({ 404: 'No status list with this id.' }),
        },
      }),
    },

    '/frameworks': {
      get: open('Frameworks', {
        operationId: 'frameworksPage',
        summary: 'The competence frameworks, and a search of their competences',
        description: 'For people: each framework the instance knows; with `q`, the competences whose name (in the page language or English) or code contains every word.',
        requestParams: { query: pageLangQuery.extend({ q: z.string().max(100).optional().describe('Words to find in competence names or codes.') }) },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({}) },
      }),
    },
    '/frameworks/{framework}': {
      get: open('Frameworks', {
        operationId: 'frameworkPage',
        summary: 'A competence framework',
        description: 'For people: its areas, its competences and its proficiency levels with their descriptors.',
        requestParams: { path: frameworkPathParams.pick({ framework: true }), query: pageLangQuery },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({ 404: 'No framework with this slug.' }) },
      }),
    },
    '/frameworks/{framework}/{code}': {
      get: open('Frameworks', {
        operationId: 'getCompetence',
        summary: 'A competence',
        description: 'Its page for people, or with `Accept: application/json` its data: `id` is the URI alignments link to (ESCO\'s own for ESCO concepts).',
        requestParams: { path: frameworkPathParams, query: pageLangQuery },
        responses: {
          200: { description: 'The competence.', content: { 'text/html': html, 'application/json': { schema: competenceSchema } } },
          ...errors({ 404: 'No such framework, or no such competence in it.' }),
        },
      }),
    },
    '/pathways': {
      get: open('Pathways', {
        operationId: 'pathwaysPage',
        summary: 'The published learning pathways',
        requestParams: { query: pageLangQuery },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({}) },
      }),
    },
    '/pathways/{slug}': {
      get: open('Pathways', {
        operationId: 'getPublishedPathway',
        summary: 'A learning pathway',
        description: 'Its page for people (steps, capstone, who it is for, competences), or with `Accept: application/json` its definition.',
        requestParams: { path: pathwaySlugPath, query: pageLangQuery },
        responses: {
          200: { description: 'The pathway.', content: { 'text/html': html, 'application/json': { schema: publicPathwaySchema } } },
          ...errors({ 404: 'No published pathway of this slug.' }),
        },
      }),
    },
    '/progress/{token}': {
      get: open('Pathways', {
        operationId: 'progressPage',
        summary: 'A learner\'s private progress page',
        description: 'The link in each badge e-mail of a pathway\'s badge: the learner\'s badges from the organisation and how far they take them on each pathway. Not cached, not indexed, no referrer.',
        requestParams: { path: progressTokenPath, query: pageLangQuery },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({ 404: 'Not a progress link of this instance.' }) },
      }),
    },
    '/endorsements/{id}': {
      get: open('Endorsements', {
        operationId: 'getEndorsement',
        summary: 'A signed EndorsementCredential',
        requestParams: { path: endorsementIdPath },
        responses: {
          200: { description: 'Byte for byte as signed.', content: { 'application/ld+json': { schema: z.looseObject({ id: z.url(), type: z.array(z.string()) }).meta({ id: 'EndorsementCredential' }) } } },
          ...errors({ 404: 'No endorsement with this id.', 410: 'Withdrawn by its issuer.' }),
        },
      }),
    },
    '/profile': {
      get: open('Skills profile', {
        operationId: 'profilePage',
        summary: 'The self-assessments to choose from',
        requestParams: { query: pageLangQuery },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({}) },
      }),
    },
    '/profile/{slug}': {
      get: open('Skills profile', {
        operationId: 'questionnairePage',
        summary: 'A self-assessment: statements per competence, each with four answers',
        requestParams: { path: questionnaireSlugPath, query: pageLangQuery },
        responses: { 200: { description: 'The form (works without a script).', content: { 'text/html': html } }, ...errors({ 404: 'No published self-assessment of this slug.' }) },
      }),
      post: open('Skills profile', {
        operationId: 'assessAnswers',
        summary: 'The result of the answers: profile, pathway, where to start',
        description: 'Shown, not kept (`Cache-Control: private, no-store`). With `count=1` the answers are added to the questionnaire\'s anonymous counts: one submission, the pathway recommended, each competence\'s level.',
        requestParams: { path: questionnaireSlugPath, query: pageLangQuery },
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: answersFormSchema } } },
        responses: { 200: { description: 'The result.', content: { 'text/html': html } }, ...errors({ 404: 'No published self-assessment of this slug.', 413: 'The form is too large.' }) },
      }),
    },
    '/profile/{slug}/keep': {
      post: open('Skills profile', {
        operationId: 'keepResult',
        summary: 'Keep a result, for a link to share',
        description: 'Keeps the answers (nothing else) and sends the learner to the result\'s page with the key that deletes it, which only they are given.',
        requestParams: { path: questionnaireSlugPath, query: pageLangQuery },
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: answersFormSchema.omit({ count: true }) } } },
        responses: {
          303: { description: 'On to the kept result.', headers: z.object({ Location: z.string().describe('`/profile/results/{id}?key=…`') }), content: { 'text/plain': { schema: { type: 'string', description: 'A line naming where to go.' } }, 'text/html': html } },
          ...errors({ 404: 'No published self-assessment of this slug.', 413: 'The form is too large.' }),
        },
      }),
    },
    '/profile/results/{id}': {
      get: open('Skills profile', {
        operationId: 'keptResultPage',
        summary: 'A kept result',
        description: 'For whom the learner shared it with; with the learner\'s `key`, the link to share and a button to delete it. Not cached, not indexed.',
        requestParams: { path: resultIdPath, query: pageLangQuery.extend({ key: z.string().max(64).optional().describe('The key that deletes the result, which only the learner has.') }) },
        responses: { 200: { description: 'The result.', content: { 'text/html': html } }, ...errors({ 404: 'Deleted, expired, or never kept.' }) },
      }),
    },
    '/profile/results/{id}/delete': {
      post: open('Skills profile', {
        operationId: 'deleteKeptResult',
        summary: 'Delete a kept result',
        requestParams: { path: resultIdPath, query: pageLangQuery },
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: z.object({ key: z.string().describe('The key the learner was given.') }) } } },
        responses: { 200: { description: 'Deleted.', content: { 'text/html': html } }, ...errors({ 404: 'No result with this id and key.', 413: 'The form is too large.' }) },
      }),
    },
    '/vocab/micro-credential': {
      get: open('Achievements', {
        operationId: 'microCredentialVocabulary',
        summary: 'The micro-credential extension\'s vocabulary',
        description:
          'The terms an Achievement\'s `microCredential` uses for the standard elements of the Council Recommendation on micro-credentials (2022), as JSON-LD (RDFS), each linked to its nearest European Learning Model property. Credentials embed the context that maps the terms, so a verifier never needs to fetch this.',
        responses: { 200: { description: 'The vocabulary.', content: { 'application/ld+json': { schema: z.record(z.string(), z.unknown()) } } }, ...errors({}) },
      }),
    },
    '/achievements/{slug}': {
      get: open('Achievements', {
        operationId: 'getAchievement',
        summary: 'An Achievement',
        requestParams: { path: slugPath, query: achievementQuery },
        responses: {
          200: {
            description: 'The Achievement; `Content-Language` says which language.',
            headers: z.object({ 'Content-Language': z.string() }),
            content: { 'application/ld+json': { schema: achievementSchema, example: EXAMPLE_ACHIEVEMENT } },
          },
          ...errors({ 404: 'No badge class with this slug.' }),
        },
      }),
    },
    ...Object.fromEntries(
      (['png', 'svg'] as const).map((format) => [
        `/achievements/{slug}/image.${format}`,
        {
          get: open('Achievements', {
            operationId: `getAchievementImage${format === 'png' ? 'Png' : 'Svg'}`,
            summary: `The badge class image (${format.toUpperCase()}), not baked`,
            requestParams: { path: slugPath, query: imageLangQuery },
            responses: {
              200: { description: 'The image.', content: { [format === 'png' ? 'image/png' : 'image/svg+xml']: binary } },
              ...errors({ 404: 'No badge class with this slug, or no image in this format.' }),
            },
          }),
        },
      ]),
    ),

    '/issuer': {
      get: open('Issuer', {
        operationId: 'getIssuer',
        summary: 'The issuer Profile of this instance',
        description: 'The organisation that runs this instance (ISSUER_NAME).',
        requestParams: { query: profileLangQuery },
        responses: { 200: { description: 'The Profile.', content: { 'application/ld+json': { schema: profileSchema, example: EXAMPLE_PROFILE } } }, ...errors({}) },
      }),
    },
    '/orgs/{slug}': {
      get: open('Issuer', {
        operationId: 'getOrganisation',
        summary: 'The issuer Profile of an organisation',
        description: 'An organisation that issues badges on this instance, with a DID and keys of its own.',
        requestParams: { path: orgSlugPath, query: profileLangQuery },
        responses: {
          200: { description: 'The Profile.', content: { 'application/ld+json': { schema: profileSchema } } },
          ...errors({ 404: 'No organisation with this slug.' }),
        },
      }),
    },
    '/orgs/{slug}/did.json': {
      get: open('Issuer', {
        operationId: 'getOrganisationDidDocument',
        summary: 'The did:web document of an organisation',
        requestParams: { path: orgSlugPath },
        responses: {
          200: { description: 'The DID document.', content: { 'application/did+json': { schema: didDocumentSchema } } },
          ...errors({ 404: 'No organisation with this slug.' }),
        },
      }),
    },
    '/orgs/{slug}/logo': {
      get: open('Issuer', {
        operationId: 'getOrganisationLogo',
        summary: 'The logo an organisation uploaded',
        description: 'The Profile\'s `image` names it, with a `v` that changes with the logo; any `v` gets the current logo.',
        requestParams: { path: orgSlugPath, query: logoQuery },
        responses: {
          200: { description: 'The logo.', content: { 'image/png': binary, 'image/svg+xml': binary } },
          ...errors({ 404: 'No organisation with this slug, or it uploaded no logo.' }),
        },
      }),
    },
    '/orgs/{slug}/jwks.json': {
      get: open('Issuer', {
        operationId: 'getOrganisationJwks',
        summary: 'The public JWKs of an organisation',
        requestParams: { path: orgSlugPath },
        responses: {
          200: { description: 'The JWK Set.', content: { 'application/jwk-set+json': { schema: jwkSetSchema } } },
          ...errors({ 404: 'No organisation with this slug.' }),
        },
      }),
    },
    '/.well-known/did.json': { get: didDocument('well-known') },
    // did:web §3.2.2: with a path in PUBLIC_URL, the document is at <path>/did.json as well.
    ...(didPath ? { '/did.json': { get: didDocument('path') } } : {}),
    '/.well-known/jwks.json': {
      get: open('Issuer', {
        operationId: 'getJwks',
        summary: 'The public JWKs',
        responses: { 200: { description: 'The JWK Set.', content: { 'application/jwk-set+json': { schema: jwkSetSchema, example: { keys: [EXAMPLE_JWK] } } } }, ...errors({}) },
      }),
    },
    '/keys/{thumbprint}': {
      get: open('Issuer', {
        operationId: 'getKey',
        summary: 'One public JWK',
        description: 'A VC-JWT\'s `kid` is this URL (OB 3.0 §8.2.2).',
        requestParams: { path: thumbprintPath },
        responses: {
          200: { description: 'The key.', content: { 'application/jwk+json': { schema: publicJwkSchema, example: EXAMPLE_JWK } } },
          ...errors({ 404: 'No key with this thumbprint.' }),
        },
      }),
    },

    '/health': {
      get: open('Service', {
        operationId: 'getHealth',
        summary: 'Liveness and database check',
        responses: { 200: { description: 'Up, and the database answers.', content: { 'application/json': { schema: healthSchema, example: { status: 'ok' } } } }, ...errors({}) },
      }),
    },
    [OPENAPI_PATH]: {
      get: open('Service', {
        operationId: 'getOpenApiDocument',
        summary: 'This OpenAPI 3.1 document',
        responses: { 200: { description: 'The document.', content: { 'application/json': { schema: openApiDocumentSchema } } }, ...errors({}) },
      }),
    },
    [API_REFERENCE_PATH]: {
      get: open('Service', {
        operationId: 'getApiReference',
        summary: 'The API reference page',
        description: 'This document as a page, for people.',
        requestParams: { query: pageLangQuery },
        responses: { 200: { description: 'The page.', content: { 'text/html': html } }, ...errors({}) },
      }),
    },
  };
}

/**
 * The OpenAPI 3.1 description of the service at `publicUrl`, built from the zod schemas the routes
 * parse requests with and the schemas of their answers (./schemas.ts).
 */
export function buildOpenApiDocument({ publicUrl, version }: { publicUrl: string; version: string }): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Care Skills Badges API',
      version,
      description:
        'Issue Open Badges 3.0 credentials to learners, suspend, reinstate and revoke them, and verify any issuer\'s badge. Errors are `{ "error": { "code", "message", "details" } }` with a stable `code`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: publicUrl, description: 'This instance (PUBLIC_URL).' }],
    tags: TAGS.map((t) => ({ ...t })),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A training provider\'s API key (`npm run cli -- providers add`), shown once when it is made.' },
      },
    },
    paths: paths(publicUrl),
  });
}
