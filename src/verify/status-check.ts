import { gunzipSync } from 'node:zlib';
import type { GuardedFetcher } from '../net/guarded-fetch.js';
import type { CheckStatus, ReasonCode, StatusInfo } from './report.js';
import { TYPE_IRI, type SignedStatusEntry } from './signed-view.js';

/**
 * Status (OB 3.0 §9.1 step 4), read from the signed statements: `BitstringStatusListEntry` (W3C
 * Bitstring Status List v1.0 §3.2), `StatusList2021Entry` (its 2021 predecessor, same bit layout)
 * and `1EdTechRevocationList` (VCRL-10). A list that cannot be fetched leaves the question open
 * (`unconfirmed`); a list that is not the issuer's, or not signed by it, is a failure.
 */
export interface StatusOutcome {
  status: CheckStatus;
  code: ReasonCode;
  message: string;
  info?: StatusInfo;
}

export interface LocalStatus {
  /**
   * Our own lists, read from the database without HTTP; undefined when the URL is not ours. `issuer`
   * signs the list; `purpose` is the list's. A revocation list's answer includes the bit of its
   * parallel suspension list, which our credentials do not name (OB 3.0 allows one credentialStatus).
   */
  lookup(
    statusListCredential: string,
    index: number,
  ): Promise<{ issuer: string; purpose: string; revoked: boolean; revokedAt?: string; reason?: string; suspended: boolean; suspendedAt?: string } | undefined>;
}

export interface StatusDeps {
  fetcher: GuardedFetcher;
  /** Our own lists; consulted only for credentials our own issuer signed. */
  local: LocalStatus | undefined;
  /** Verifies a fetched status list credential: its proofs, and that its keys are the issuer's. */
  verifyList(list: Record<string, unknown>, issuer: string): Promise<{ status: 'passed' | 'failed' | 'unconfirmed'; reason?: string }>;
}

/** Decompressed size cap: 2 MiB is 16,777,216 entries, 128 times the spec's minimum list of 131,072. */
export const MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024;
/** Entries read per credential; more is not a credential anyone issues. */
export const MAX_STATUS_ENTRIES = 8;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Multibase base64url (Bitstring Status List §3.1; StatusList2021 omits the `u`) of a GZIP bitstring, decompressed under the cap. */
export function decodeStatusBits(encodedList: string, maxBytes = MAX_STATUS_LIST_BYTES): Buffer {
  const text = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList;
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) throw new Error('the encodedList is not base64url');
  return gunzipSync(Buffer.from(text, 'base64url'), { maxOutputLength: maxBytes });
}

/** Bit `index`, counted from the left of the first byte (Bitstring Status List §3.1 "Bitstring Encoding"). */
export const bitAt = (bits: Buffer, index: number): boolean => (((bits[index >> 3] ?? 0) >> (7 - (index & 7))) & 1) === 1;

export async function checkStatus(entries: SignedStatusEntry[], credentialId: string | undefined, issuer: string, deps: StatusDeps): Promise<StatusOutcome> {
  if (entries.length === 0) return { status: 'skipped', code: 'no_status', message: 'The credential has no status information, so it cannot be revoked.' };
  const outcomes = await Promise.all(entries.slice(0, MAX_STATUS_ENTRIES).map((entry) => checkEntry(entry, credentialId, issuer, deps)));
  const rank: Record<CheckStatus, number> = { failed: 0, unconfirmed: 1, warning: 2, passed: 3, skipped: 4 };
  // Revocation is final: a credential both revoked and suspended reads as revoked, whatever the entries' order.
  const revokedFirst = (o: StatusOutcome) => (o.code === 'revoked' ? 0 : 1);
  return outcomes.sort((a, b) => rank[a.status] - rank[b.status] || revokedFirst(a) - revokedFirst(b))[0]!;
}

async function checkEntry(entry: SignedStatusEntry, credentialId: string | undefined, issuer: string, deps: StatusDeps): Promise<StatusOutcome> {
  if (entry.types.includes(TYPE_IRI.BitstringStatusListEntry) || entry.types.includes(TYPE_IRI.StatusList2021Entry)) return checkBitstring(entry, issuer, deps);
  if (entry.types.includes(TYPE_IRI.RevocationList1EdTech)) return check1EdTech(entry, credentialId, deps);
  return {
    status: 'unconfirmed',
    code: 'status_unsupported',
    message: `The status method ${entry.types.join(', ') || '(without a type)'} is not supported, so revocation could not be checked.`,
  };
}

async function checkBitstring(entry: SignedStatusEntry, issuer: string, deps: StatusDeps): Promise<StatusOutcome> {
  const [url, ...moreUrls] = entry.statusListCredential;
  const [indexText, ...moreIndexes] = entry.statusListIndex;
  const purposes = entry.statusPurpose.length ? entry.statusPurpose : ['revocation'];
  const index = Number(indexText);
  if (!url || moreUrls.length || moreIndexes.length || !/^\d+$/.test(indexText ?? '') || !Number.isSafeInteger(index)) {
    return { status: 'failed', code: 'status_entry_invalid', message: 'The status entry is malformed: it needs exactly one statusListCredential and one statusListIndex.' };
  }
  const local = await deps.local?.lookup(url, index);
  if (local) {
    if (local.issuer !== issuer) return { status: 'failed', code: 'status_list_invalid', message: `The status list ${url} is another issuer's (${local.issuer}), not the credential's.` };
    if (!purposes.includes(local.purpose)) return { status: 'failed', code: 'status_list_invalid', message: `The status list is for ${local.purpose}, not for ${purposes.join(', ')}.` };
    if (local.revoked) {
      return {
        status: 'failed',
        code: 'revoked',
        message: `Revoked by the issuer on ${local.revokedAt?.slice(0, 10) ?? 'an unknown date'}${local.reason ? `: ${local.reason}` : '.'}`,
        info: { revoked: true, ...(local.revokedAt ? { revokedAt: local.revokedAt } : {}), ...(local.reason ? { reason: local.reason } : {}) },
      };
    }
    if (local.suspended) {
      return {
        status: 'failed',
        code: 'suspended',
        message: `Suspended by the issuer on ${local.suspendedAt?.slice(0, 10) ?? 'an unknown date'}: not valid while it is suspended.`,
        info: { revoked: false, suspended: true, ...(local.suspendedAt ? { suspendedAt: local.suspendedAt } : {}) },
      };
    }
    return { status: 'passed', code: 'not_revoked', message: 'Neither revoked nor suspended: the issuer’s status lists say the credential is valid.', info: { revoked: false } };
  }
  let list: unknown;
  try {
    list = await deps.fetcher.getJson(url, { accept: 'application/vc+ld+json, application/ld+json, application/json' });
  } catch (e) {
    return { status: 'unconfirmed', code: 'status_unreachable', message: `The revocation status could not be checked: the status list ${url} could not be fetched (${(e as Error).message}).` };
  }
  if (!isObject(list)) return { status: 'failed', code: 'status_list_invalid', message: `The status list ${url} is not a credential.` };
  const trusted = await deps.verifyList(list, issuer);
  if (trusted.status === 'unconfirmed') {
    return { status: 'unconfirmed', code: 'status_unreachable', message: `The status list could not be confirmed as the issuer's: ${trusted.reason ?? 'its key could not be checked'}.` };
  }
  if (trusted.status === 'failed') {
    return { status: 'failed', code: 'status_list_invalid', message: `The status list cannot be trusted: ${trusted.reason ?? 'its signature is not valid'}.` };
  }
  const subject = list.credentialSubject;
  const listPurposes = isObject(subject) ? [subject.statusPurpose].flat().filter((p): p is string => typeof p === 'string') : [];
  if (!isObject(subject) || typeof subject.encodedList !== 'string') return { status: 'failed', code: 'status_list_invalid', message: 'The status list has no encodedList.' };
  if (listPurposes.length && !purposes.every((p) => listPurposes.includes(p))) {
    return { status: 'failed', code: 'status_list_invalid', message: `The status list is for ${listPurposes.join(', ')}, not for ${purposes.join(', ')}.` };
  }
  let bits: Buffer;
  try {
    bits = decodeStatusBits(subject.encodedList);
  } catch (e) {
    const tooLarge = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    return {
      status: 'failed',
      code: 'status_list_invalid',
      message: tooLarge ? `The status list is larger than ${MAX_STATUS_LIST_BYTES} bytes once decompressed, so it was not read.` : 'The status list could not be decoded.',
    };
  }
  if (index >= bits.length * 8) return { status: 'failed', code: 'status_entry_invalid', message: `The status index ${index} is outside the status list.` };
  if (!bitAt(bits, index)) {
    return { status: 'passed', code: 'not_revoked', message: purposes.includes('suspension') ? 'Not suspended.' : 'Not revoked: the issuer’s status list says the credential is valid.', info: { revoked: false } };
  }
  if (purposes.includes('revocation')) return { status: 'failed', code: 'revoked', message: 'Revoked by the issuer.', info: { revoked: true } };
  if (purposes.includes('suspension')) return { status: 'failed', code: 'suspended', message: 'Suspended by the issuer.', info: { revoked: false, suspended: true } };
  return { status: 'warning', code: 'not_revoked', message: `The issuer set a ${purposes.join(', ')} status on the credential.` };
}

async function check1EdTech(entry: SignedStatusEntry, credentialId: string | undefined, deps: StatusDeps): Promise<StatusOutcome> {
  const url = entry.id;
  if (!url) return { status: 'failed', code: 'status_entry_invalid', message: 'The 1EdTechRevocationList entry has no id.' };
  let list: unknown;
  try {
    list = await deps.fetcher.getJson(url);
  } catch (e) {
    return { status: 'unconfirmed', code: 'status_unreachable', message: `The revocation status could not be checked: ${url} could not be fetched (${(e as Error).message}).` };
  }
  const revoked = isObject(list) && Array.isArray(list.revokedCredential) ? list.revokedCredential.filter(isObject) : [];
  const hit = revoked.find((r) => r.id === credentialId && r.revoked !== false);
  if (!hit) return { status: 'passed', code: 'not_revoked', message: 'Not revoked: the issuer’s revocation list does not name the credential.', info: { revoked: false } };
  const reason = typeof hit.revocationReason === 'string' ? hit.revocationReason : undefined;
  return { status: 'failed', code: 'revoked', message: `Revoked by the issuer${reason ? `: ${reason}` : '.'}`, info: { revoked: true, ...(reason ? { reason } : {}) } };
}
