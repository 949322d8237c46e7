import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createDocumentLoader, UnknownDocumentError } from '../../src/jsonld/document-loader.js';
import { canonicalizeDocument, canonicalizeProofConfig, signDataIntegrity } from '../../src/proofs/data-integrity.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ob3-spec/${name}`, import.meta.url), 'utf8');
const signed = JSON.parse(fixture('ob3-spec-test-vector-signed.json')) as Record<string, unknown>;
const vector = JSON.parse(fixture('key-and-hashes.json')) as {
  publicKeyMultibase: string;
  secretKeyMultibase_TEST_ONLY: string;
  verificationMethod: string;
  controller: string;
  proofConfigBeforeSigning: Record<string, unknown> & { created: string };
  proofValue: string;
};
const { proof: _proof, ...unsigned } = signed;
const documentLoader = createDocumentLoader();

async function testKey() {
  return Ed25519Multikey.from({
    type: 'Multikey',
    id: vector.verificationMethod,
    controller: vector.controller,
    publicKeyMultibase: vector.publicKeyMultibase,
    secretKeyMultibase: vector.secretKeyMultibase_TEST_ONLY,
  });
}

describe('eddsa-rdfc-2022 signer against the OB 3.0 specification test vector', () => {
  it('reproduces the canonical N-Quads of the document', async () => {
    expect(await canonicalizeDocument(unsigned, documentLoader)).toBe(fixture('document-canon.txt'));
  });

  it('reproduces the canonical N-Quads of the proof configuration', async () => {
    expect(await canonicalizeProofConfig(vector.proofConfigBeforeSigning, unsigned, documentLoader)).toBe(fixture('proof-canon.txt'));
  });

  it('reproduces the proofValue byte for byte', async () => {
    const result = await signDataIntegrity(structuredClone(unsigned), {
      signer: (await testKey()).signer(),
      documentLoader,
      created: new Date(vector.proofConfigBeforeSigning.created),
    });
    const proofs = result.proof as Array<Record<string, unknown>>;
    expect(proofs).toHaveLength(1);
    expect(proofs[0]).toEqual({ ...vector.proofConfigBeforeSigning, proofValue: vector.proofValue });
  });

  it('gives another proofValue when one field of the document changes', async () => {
    const changed = { ...structuredClone(unsigned), name: 'Teamwork Badge!' };
    const result = await signDataIntegrity(changed, { signer: (await testKey()).signer(), documentLoader, created: new Date(vector.proofConfigBeforeSigning.created) });
    expect((result.proof as Array<{ proofValue: string }>)[0]!.proofValue).not.toBe(vector.proofValue);
  });

  it('refuses a document whose @context is not bundled, without fetching it', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const foreign = { ...structuredClone(unsigned), '@context': [...(unsigned['@context'] as string[]), 'https://example.com/unknown-context.jsonld'] };
    await expect(canonicalizeDocument(foreign, documentLoader)).rejects.toThrow(/unknown-context\.jsonld/);
    await expect(documentLoader('https://example.com/unknown-context.jsonld')).rejects.toBeInstanceOf(UnknownDocumentError);
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });
});
