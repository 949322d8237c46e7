import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Console passwords, hashed with argon2id (RFC 9106) by @node-rs/argon2, with OWASP's recommended
 * minimum cost (19 MiB, 2 passes, 1 lane): about 20 ms here. The hash is a PHC string that carries
 * its own parameters and salt, so raising the cost later leaves earlier hashes verifiable.
 */
// `Algorithm` is a const enum (types only): 2 is Argon2id.
const OPTIONS = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** NIST SP 800-63B §3.1.1.2: at least 8 characters (we ask 10), long passphrases allowed, no composition rules. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of no one's password, checked when the e-mail matches no account, so that signing in takes
 * as long whether or not the account exists.
 */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy password that matches no account'));

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): 'too_short' | 'too_long' | 'same_as_email' | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return 'same_as_email';
  return undefined;
}
