// Minimal typings for the Digital Bazaar packages, which ship JavaScript only.
declare module '@digitalbazaar/ed25519-multikey' {
  export interface Signer {
    id: string;
    algorithm: string;
    sign(input: { data: Uint8Array }): Promise<Uint8Array>;
  }
  export interface Verifier {
    id: string;
    algorithm: string;
    verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
  }
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    type: 'Multikey';
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): Signer;
    verifier(): Verifier;
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  }
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519KeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519KeyPair>;
  export function toJwk(options: { keyPair: Ed25519KeyPair; secretKey?: boolean }): Promise<Record<string, unknown>>;
  export function fromJwk(options: { jwk: Record<string, unknown>; secretKey?: boolean; id?: string; controller?: string }): Promise<Ed25519KeyPair>;
  export function fromRaw(options: { publicKey: Uint8Array; secretKey?: Uint8Array; id?: string; controller?: string }): Promise<Ed25519KeyPair>;
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: {
    name: string;
    requiredAlgorithm: string;
    canonize(input: unknown, options?: Record<string, unknown>): Promise<string>;
  };
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; date?: string | Date | number | null; cryptosuite: unknown; legacyContext?: boolean });
    verificationMethod?: string;
    canonizeProof(proof: Record<string, unknown>, options: { document: unknown; documentLoader: unknown }): Promise<string>;
    createVerifyData(options: { document: unknown; proof: Record<string, unknown>; documentLoader: unknown }): Promise<Uint8Array>;
  }
}

declare module '@digitalbazaar/vc' {
  export interface VerifyResult {
    verified: boolean;
    error?: Error & { errors?: Error[] };
    results?: Array<{ verified: boolean; error?: Error; proof?: Record<string, unknown> }>;
  }
  export function issue(options: { credential: Record<string, unknown>; suite: unknown; documentLoader: unknown; now?: Date }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: unknown;
    suite: unknown;
    documentLoader: unknown;
    checkStatus?: (options: unknown) => Promise<{ verified: boolean }>;
    now?: Date;
  }): Promise<VerifyResult>;
}

declare module '@digitalbazaar/vc-bitstring-status-list' {
  export interface BitstringStatusList {
    length: number;
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
  }
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: { id: string; list: BitstringStatusList; statusPurpose: string }): Promise<Record<string, unknown>>;
  /** Fetches and (optionally) verifies each BitstringStatusListEntry's list; `status` is its bit. Never throws. */
  export function checkStatus(options: {
    credential: Record<string, unknown>;
    documentLoader: (url: string) => Promise<unknown>;
    suite?: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: Error; results?: Array<{ verified: boolean; credentialStatus: Record<string, unknown>; status: boolean }> }>;
}

declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: Record<string, unknown>);
  }
}

declare module 'jsonld-signatures' {
  export interface ProofResult {
    verified: boolean;
    error?: Error;
    proof?: Record<string, unknown>;
  }
  export interface JsigsResult {
    verified: boolean;
    error?: Error & { errors?: Error[] };
    results?: ProofResult[];
  }
  const jsigs: {
    verify(document: unknown, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<JsigsResult>;
    purposes: { AssertionProofPurpose: new (options?: { controller?: unknown; date?: Date }) => unknown };
  };
  export default jsigs;
}

declare module 'jsonld' {
  const jsonld: {
    expand(input: unknown, options: { documentLoader: unknown; safe?: boolean; base?: string | null }): Promise<Array<Record<string, unknown>>>;
    toRDF(input: unknown, options: Record<string, unknown>): Promise<import('rdf-canonize').Quad[]>;
  };
  export default jsonld;
}

declare module 'rdf-canonize' {
  /** An RDF/JS term as jsonld.js produces them and rdf-canonize reads them. */
  export interface Term {
    termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
    value: string;
    datatype?: Term;
    language?: string;
  }
  export interface Quad {
    subject: Term;
    predicate: Term;
    object: Term;
    graph: Term;
  }
  export function canonize(dataset: Quad[], options: { algorithm: 'RDFC-1.0'; format: 'application/n-quads'; messageDigestAlgorithm?: 'SHA-256' | 'SHA-384' }): Promise<string>;
}

declare module '@digitalbazaar/ecdsa-multikey' {
  export interface EcdsaKeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    signer(): { id: string; algorithm: string; sign(input: { data: Uint8Array }): Promise<Uint8Array> };
    verifier(): { id: string; algorithm: string; verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> };
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  }
  export function generate(options: { curve: 'P-256' | 'P-384' | 'P-521'; id?: string; controller?: string }): Promise<EcdsaKeyPair>;
  export function from(key: Record<string, unknown>): Promise<EcdsaKeyPair>;
  export function fromJwk(options: { jwk: Record<string, unknown>; secretKey?: boolean; id?: string; controller?: string }): Promise<EcdsaKeyPair>;
  export function toJwk(options: { keyPair: EcdsaKeyPair; secretKey?: boolean }): Promise<Record<string, unknown>>;
}

/** A Data Integrity cryptosuite object as the @digitalbazaar suites export it. */
declare module '@digitalbazaar/eddsa-2022-cryptosuite' {
  export const cryptosuite: { name: string };
}
declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  export const cryptosuite: { name: string; requiredAlgorithm: string[]; canonize(input: unknown, options?: Record<string, unknown>): Promise<string> };
}
declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  export function createVerifyCryptosuite(): { name: string };
  export function createSignCryptosuite(): { name: string };
}
declare module '@digitalbazaar/ecdsa-jcs-2019-cryptosuite' {
  export function createVerifyCryptosuite(): { name: string };
  export function createSignCryptosuite(): { name: string };
}
declare module '@digitalbazaar/ecdsa-sd-2023-cryptosuite' {
  export function createVerifyCryptosuite(): { name: string };
  export function createSignCryptosuite(options?: { mandatoryPointers?: string[] }): { name: string };
  export function createDiscloseCryptosuite(options?: { selectivePointers?: string[] }): { name: string };
}
