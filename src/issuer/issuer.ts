import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Ed25519KeyPair } from '@digitalbazaar/ed25519-multikey';
import type { JWK } from 'jose';
import type { Config } from '../config/config.js';
import { CONTEXT } from '../jsonld/contexts.js';
import type { DocumentResolver } from '../jsonld/document-loader.js';
import type { IssuerKeys } from '../keys/key-store.js';
import { didKeyFromMultibase, didWebFromUrl } from './did.js';

/** OB 3.0 §B.2.6 Profile: the issuer as it is embedded in every credential. */
export type Profile = {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
  email?: string;
  description?: string;
  image?: { id: string; type: 'Image' };
};

export interface Issuer {
  /** The issuer's DID (did:web by default, did:key with ISSUER_DID=key); `issuer.id` in credentials. */
  id: string;
  /** The did:web identifier of this host, whatever ISSUER_DID says; its document is served. */
  didWeb: string;
  profile: Profile;
  /** The Ed25519 key pair, with `id` (the verification method) and `controller` (the issuer id) set. */
  signingKey: Ed25519KeyPair;
  /** `kid` of VC-JWTs: an https URL that answers with the public JWK (OB 3.0 §8.2.2). */
  jwtKid: string;
  rsa: IssuerKeys['rsa'];
  publicJwks: JWK[];
  didWebDocument(): Record<string, unknown>;
  /** Resolves our own DIDs and verification methods for the document loader, without HTTP. */
  resolver: DocumentResolver;
}

export async function createIssuer(config: Config, keys: IssuerKeys): Promise<Issuer> {
  const multibase = keys.ed25519.publicKeyMultibase;
  const didWeb = didWebFromUrl(config.publicUrl);
  const id = config.issuerDid === 'key' ? didKeyFromMultibase(multibase) : didWeb;
  // The fragment is the public key itself, so verifiers that read `<controller>#<publicKeyMultibase>`
  // (as the 1EdTech validator does) can check the proof even before resolving the DID.
  const verificationMethod = `${id}#${multibase}`;
  const exported = await keys.ed25519.export({ publicKey: true, secretKey: true });
  const signingKey = await Ed25519Multikey.from({ ...exported, id: verificationMethod, controller: id });
  const jwtKid = `${config.publicUrl}/keys/${keys.rsa.thumbprint}`;
  const publicJwk: JWK = { ...keys.rsa.publicJwk, kid: jwtKid, alg: 'RS256', use: 'sig' };

  const profile: Profile = {
    id,
    type: ['Profile'],
    name: config.issuer.name,
    url: config.issuer.url,
    ...(config.issuer.email ? { email: config.issuer.email } : {}),
    ...(config.issuer.description ? { description: config.issuer.description } : {}),
    ...(config.issuer.image ? { image: { id: config.issuer.image, type: 'Image' as const } } : {}),
  };

  const multikeyMethod = (did: string) => ({
    id: `${did}#${multibase}`,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: multibase,
  });

  const didDocument = (did: string, withRsa: boolean) => {
    const ed = multikeyMethod(did);
    const rsa = { id: `${did}#${keys.rsa.thumbprint}`, type: 'JsonWebKey', controller: did, publicKeyJwk: keys.rsa.publicJwk };
    return {
      '@context': withRsa ? [CONTEXT.did, CONTEXT.multikey, CONTEXT.jwk] : [CONTEXT.did, CONTEXT.multikey],
      id: did,
      verificationMethod: withRsa ? [ed, rsa] : [ed],
      assertionMethod: withRsa ? [ed.id, rsa.id] : [ed.id],
      authentication: [ed.id],
    };
  };

  const resolver: DocumentResolver = async (url) => {
    const [did, fragment] = url.split('#');
    const ownDids = [didWeb, didKeyFromMultibase(multibase)];
    if (!did || !ownDids.includes(did)) return undefined;
    if (fragment === undefined) return didDocument(did, did === didWeb);
    if (fragment === multibase) return { '@context': CONTEXT.multikey, ...multikeyMethod(did) };
    return undefined;
  };

  return {
    id,
    didWeb,
    profile,
    signingKey,
    jwtKid,
    rsa: keys.rsa,
    publicJwks: [publicJwk],
    didWebDocument: () => didDocument(didWeb, true),
    resolver,
  };
}
