import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * The learner's address, kept beside a badge that expires only so that they can be reminded before it
 * does (and sent its renewal): encrypted and authenticated (JWE, `dir` + A256GCM) under a secret of
 * the instance derived from the key-encryption key, so a copy of the database alone does not give it.
 */
export interface AddressBox {
  seal(address: string): Promise<string>;
  /** The address, or undefined for a value this instance cannot open. */
  open(sealed: string): Promise<string | undefined>;
}

export function createAddressBox(secret: Buffer): AddressBox {
  const key = new Uint8Array(secret);
  return {
    seal: (address) => new CompactEncrypt(new TextEncoder().encode(address)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key),
    async open(sealed) {
      try {
        const { plaintext } = await compactDecrypt(sealed, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
        return new TextDecoder().decode(plaintext);
      } catch {
        return undefined;
      }
    },
  };
}
