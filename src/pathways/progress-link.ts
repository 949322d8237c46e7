import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * The private link that shows a learner their progress through an organisation's pathways, sent with
 * each badge e-mail. It holds the organisation and the learner's key, encrypted and authenticated
 * (JWE, `dir` + A256GCM under a secret of the instance): nothing is stored for it, nobody can make one
 * for another learner, and it reveals nothing of whom it is for. It shows only what the learner's
 * credentials show, and nothing once they are erased.
 */
export interface ProgressLinks {
  /** The link's token. */
  tokenFor(orgId: string, learnerKey: string): Promise<string>;
  /** The organisation and learner a token is for, or undefined for one this instance did not make. */
  read(token: string): Promise<{ orgId: string; learnerKey: string } | undefined>;
}

const MAX_TOKEN = 512;

export function createProgressLinks(secret: Buffer): ProgressLinks {
  const key = new Uint8Array(secret);
  return {
    async tokenFor(orgId, learnerKey) {
      const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ o: orgId, k: learnerKey })))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .encrypt(key);
      return jwe;
    },
    async read(token) {
      if (token.length > MAX_TOKEN || !/^[\w-]*\.[\w-]*\.[\w-]*\.[\w-]*\.[\w-]*$/.test(token)) return undefined;
      try {
        const { plaintext } = await compactDecrypt(token, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
        const value = JSON.parse(new TextDecoder().decode(plaintext)) as { o?: unknown; k?: unknown };
        return typeof value.o === 'string' && typeof value.k === 'string' ? { orgId: value.o, learnerKey: value.k } : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
