import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import type { GuardedFetcher } from '../net/guarded-fetch.js';
import { issuerIdOf } from './credential-fields.js';
import type { StatusInfo } from './report.js';

/**
 * Status (OB 3.0 §9.1 step 4): `BitstringStatusListEntry` (W3C Bitstring Status List v1.0 §3.2) and
 * `1EdTechRevocationList` (VCRL-10). A list that cannot be fetched is a warning, as in 1EdTech's validator.
 */
export type StatusOutcome =
  | { status: 'passed' | 'failed' | 'warning' | 'skipped'; message: string; info?: StatusInfo };

export interface LocalStatus {
  /** Our own lists, read from the database without HTTP; undefined when the URL is not ours. */
  lookup(statusListCredential: string, index: number): { revoked: boolean; revokedAt?: string; reason?: string } | undefined;
}

export interface StatusDeps {
  fetcher: GuardedFetcher;
  local: LocalStatus;
  /** Verifies the proof of a fetched status list credential; returns a reason when it fails. */
  verifyListProof(list: Record<string, unknown>): Promise<string | undefined>;
}

export async function checkStatus(credential: Record<string, unknown>, deps: StatusDeps): Promise<StatusOutcome> {
  const raw = credential.credentialStatus;
  const entries = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<Record<string, unknown>>;
  if (entries.length === 0) return { status: 'skipped', message: 'The credential has no status information, so it cannot be revoked.' };

  const outcomes: StatusOutcome[] = [];
  for (const entry of entries) outcomes.push(await checkEntry(credential, entry, deps));
  return (
    outcomes.find((o) => o.status === 'failed') ??
    outcomes.find((o) => o.status === 'warning') ??
    outcomes.find((o) => o.status === 'passed') ??
    outcomes[0]!
  );
}

async function checkEntry(credential: Record<string, unknown>, entry: Record<string, unknown>, deps: StatusDeps): Promise<StatusOutcome> {
  const type = entry.type;
  if (type === 'BitstringStatusListEntry' || type === 'StatusList2021Entry') {
    const url = entry.statusListCredential;
    const index = Number(entry.statusListIndex);
    const purpose = String(entry.statusPurpose ?? 'revocation');
    if (typeof url !== 'string' || !Number.isInteger(index) || index < 0) {
      return { status: 'failed', message: 'The status entry is malformed (statusListCredential or statusListIndex).' };
    }
    const local = deps.local.lookup(url, index);
    if (local) {
      if (!local.revoked) return { status: 'passed', message: 'Not revoked: the issuer’s status list says the credential is valid.', info: { revoked: false } };
      return {
        status: 'failed',
        message: `Revoked by the issuer on ${local.revokedAt?.slice(0, 10) ?? 'an unknown date'}${local.reason ? `: ${local.reason}` : '.'}`,
        info: { revoked: true, ...(local.revokedAt ? { revokedAt: local.revokedAt } : {}), ...(local.reason ? { reason: local.reason } : {}) },
      };
    }
    let list: Record<string, unknown>;
    try {
      list = (await deps.fetcher.getJson(url, { accept: 'application/vc+ld+json, application/ld+json, application/json' })) as Record<string, unknown>;
    } catch (e) {
      return { status: 'warning', message: `The revocation status could not be checked: the status list ${url} could not be fetched (${(e as Error).message}).` };
    }
    const proofProblem = await deps.verifyListProof(list);
    if (proofProblem) return { status: 'warning', message: `The revocation status could not be trusted: the status list's signature is not valid (${proofProblem}).` };
    if (issuerIdOf(list) !== issuerIdOf(credential)) {
      return { status: 'warning', message: 'The revocation status could not be trusted: the status list was not issued by the credential’s issuer.' };
    }
    const subject = list.credentialSubject as { encodedList?: unknown; statusPurpose?: unknown } | undefined;
    if (typeof subject?.encodedList !== 'string') return { status: 'warning', message: 'The status list has no encodedList.' };
    let revoked: boolean;
    try {
      const bits = await decodeList({ encodedList: subject.encodedList });
      if (index >= bits.length) return { status: 'failed', message: `The status index ${index} is outside the status list.` };
      revoked = bits.getStatus(index);
    } catch {
      return { status: 'warning', message: 'The status list could not be decoded.' };
    }
    if (!revoked) return { status: 'passed', message: purpose === 'suspension' ? 'Not suspended.' : 'Not revoked: the issuer’s status list says the credential is valid.', info: { revoked: false } };
    return { status: 'failed', message: purpose === 'suspension' ? 'Suspended by the issuer.' : 'Revoked by the issuer.', info: { revoked: true } };
  }
  if (type === '1EdTechRevocationList') {
    const url = entry.id;
    if (typeof url !== 'string') return { status: 'failed', message: 'The 1EdTechRevocationList entry has no id.' };
    let list: { revokedCredential?: Array<{ id?: unknown; revoked?: unknown; revocationReason?: unknown }> };
    try {
      list = (await deps.fetcher.getJson(url)) as typeof list;
    } catch (e) {
      return { status: 'warning', message: `The revocation status could not be checked: ${url} could not be fetched (${(e as Error).message}).` };
    }
    const hit = (list.revokedCredential ?? []).find((r) => r.id === credential.id && r.revoked !== false);
    if (!hit) return { status: 'passed', message: 'Not revoked: the issuer’s revocation list does not name the credential.', info: { revoked: false } };
    const reason = typeof hit.revocationReason === 'string' ? hit.revocationReason : undefined;
    return { status: 'failed', message: `Revoked by the issuer${reason ? `: ${reason}` : '.'}`, info: { revoked: true, ...(reason ? { reason } : {}) } };
  }
  return { status: 'warning', message: `The status method ${String(type)} is not supported, so revocation was not checked.` };
}
