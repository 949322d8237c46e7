import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { didWebDocumentUrl } from '../issuer/did.js';
import { CONTEXT } from '../jsonld/contexts.js';
import type { DocumentResolver } from '../jsonld/document-loader.js';
import type { GuardedFetcher } from '../net/guarded-fetch.js';

/**
 * Finds the verification method a proof names and says how far its binding to a controller is
 * confirmed (OB 3.0 §8.3.1 "Dereferencing the Public Key"; the impl guide asks that the method's
 * controller be the issuer). Our own DIDs and did:key resolve locally; did:web documents and https
 * keys of other issuers come through the guarded fetcher.
 */
export type VerificationMethod = Record<string, unknown> & { id: string; type: string; controller?: string };

export interface ResolvedMethod {
  method: VerificationMethod;
  /** The controller named by the method (the issuer, if all is well). */
  controller: string | undefined;
  /** True when the controller's own document lists the method (or the DID is the key, as in did:key). */
  confirmed: boolean;
  /** How the key was found, for the report. */
  source: 'local' | 'did:key' | 'did:web' | 'https' | 'fragment';
  note?: string;
}

export class KeyResolutionError extends Error {
  override name = 'KeyResolutionError';
}

const MULTIBASE_ED25519 = /^z6Mk[1-9A-HJ-NP-Za-km-z]{40,50}$/;
const ids = (values: unknown): string[] =>
  (Array.isArray(values) ? values : values === undefined ? [] : [values]).map((v) =>
    typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : '',
  );

function absolute(id: string, base: string): string {
  return id.startsWith('#') ? `${base}${id}` : id;
}

function findMethod(doc: Record<string, unknown>, url: string): VerificationMethod | undefined {
  const base = String(doc.id ?? '');
  const candidates = [...(Array.isArray(doc.verificationMethod) ? doc.verificationMethod : []), ...(Array.isArray(doc.assertionMethod) ? doc.assertionMethod : [])];
  for (const c of candidates) {
    if (c && typeof c === 'object' && typeof (c as { id?: unknown }).id === 'string' && absolute((c as { id: string }).id, base) === url) {
      const m = c as VerificationMethod;
      return { ...m, id: url, ...(m.controller ? { controller: absolute(m.controller, base) } : { controller: base }) };
    }
  }
  return undefined;
}

const listsAsAssertion = (doc: Record<string, unknown>, url: string): boolean =>
  ids(doc.assertionMethod).some((id) => absolute(id, String(doc.id ?? '')) === url);

/** A method document with the context its type needs, so proof suites accept it. */
function withContext(method: VerificationMethod): VerificationMethod {
  const context = method.type === 'Ed25519VerificationKey2020' ? 'https://w3id.org/security/suites/ed25519-2020/v1' : method.type === 'Multikey' ? CONTEXT.multikey : undefined;
  const { '@context': _ignored, ...rest } = method;
  return (context ? { '@context': context, ...rest } : rest) as VerificationMethod;
}

export interface KeyResolverDeps {
  /** Our own DIDs and did:key, resolved without network. */
  local: DocumentResolver[];
  fetcher: GuardedFetcher;
  /** Fetch did:web documents over plain http (only when REMOTE_FETCH_ALLOW_HTTP is set, for local testing). */
  didWebOverHttp?: boolean;
}

export function createKeyResolver({ local, fetcher, didWebOverHttp = false }: KeyResolverDeps) {
  const didDocumentUrl = (did: string) => (didWebOverHttp ? didWebDocumentUrl(did).replace(/^https:/, 'http:') : didWebDocumentUrl(did));
  const resolveLocal = async (url: string): Promise<Record<string, unknown> | undefined> => {
    for (const r of local) {
      const doc = await r(url);
      if (doc !== undefined) return doc as Record<string, unknown>;
    }
    return undefined;
  };

  async function fromDocument(doc: Record<string, unknown>, url: string, source: ResolvedMethod['source']): Promise<ResolvedMethod> {
    const method = findMethod(doc, url);
    if (!method) throw new KeyResolutionError(`the document of ${String(doc.id)} does not contain the key ${url}`);
    return { method: withContext(method), controller: method.controller, confirmed: listsAsAssertion(doc, url), source };
  }

  return {
    async resolve(url: string): Promise<ResolvedMethod> {
      const [base = '', fragment] = url.split('#');
      // Our own DIDs, and did:key (the identifier is the key, so it is its own confirmation).
      const localDoc = await resolveLocal(base);
      if (localDoc) return fromDocument(localDoc, url, base.startsWith('did:key:') ? 'did:key' : 'local');

      if (base.startsWith('did:web:')) {
        let doc: Record<string, unknown>;
        try {
          doc = (await fetcher.getJson(didDocumentUrl(base), { accept: 'application/did+json, application/json' })) as Record<string, unknown>;
        } catch (e) {
          throw new KeyResolutionError(`the issuer's DID document for ${base} could not be fetched (${(e as Error).message})`);
        }
        if (doc?.id !== base) throw new KeyResolutionError(`the DID document at ${didDocumentUrl(base)} is for "${String(doc?.id)}", not ${base}`);
        return fromDocument(doc, url, 'did:web');
      }

      if (/^https?:\/\//.test(base)) {
        try {
          const doc = (await fetcher.getJson(base, { accept: 'application/ld+json, application/json' })) as Record<string, unknown>;
          if (doc && doc.id === url) {
            // A key document: confirmed when its controller's document lists it.
            const method = doc as VerificationMethod;
            let confirmed = false;
            if (typeof method.controller === 'string') {
              try {
                const controllerDoc = (await fetcher.getJson(method.controller, { accept: 'application/ld+json, application/json' })) as Record<string, unknown>;
                confirmed = listsAsAssertion(controllerDoc, url) || ids(controllerDoc.verificationMethod).includes(url);
              } catch {
                confirmed = false;
              }
            }
            return { method: withContext(method), controller: method.controller, confirmed, source: 'https' };
          }
          if (doc && typeof doc === 'object') {
            const found = findMethod(doc, url);
            if (found) {
              return { method: withContext(found), controller: found.controller, confirmed: listsAsAssertion(doc, url) || ids(doc.verificationMethod).includes(url), source: 'https' };
            }
          }
          throw new KeyResolutionError(`${base} does not publish the key ${url}`);
        } catch (e) {
          // Some issuers (the OB 3.0 test vector among them) name the key `<issuer>#<publicKeyMultibase>`
          // at a host that may not answer: the key itself is in the fragment, but nothing confirms it.
          if (fragment && MULTIBASE_ED25519.test(fragment)) {
            await Ed25519Multikey.from({ type: 'Multikey', publicKeyMultibase: fragment });
            return {
              method: withContext({ id: url, type: 'Multikey', controller: base, publicKeyMultibase: fragment }),
              controller: base,
              confirmed: false,
              source: 'fragment',
              note: e instanceof Error ? e.message : String(e),
            };
          }
          if (e instanceof KeyResolutionError) throw e;
          throw new KeyResolutionError(`the key ${url} could not be fetched (${(e as Error).message})`);
        }
      }
      throw new KeyResolutionError(`the key ${url} uses a method this verifier does not resolve`);
    },
  };
}

export type KeyResolver = ReturnType<typeof createKeyResolver>;
