import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { generateMissingKeys, KeyError, keysExist, loadKeys, type IssuerKeys } from './key-store.js';

/**
 * Development keys are generated on first start; in production a missing key stops start-up,
 * because a silently new key would make every credential issued before it unverifiable.
 */
export async function ensureKeys(config: Config, logger: Logger): Promise<IssuerKeys> {
  const present = keysExist(config.keysDir);
  if (!present.ed25519 || !present.rsa) {
    if (config.env === 'production') {
      throw new KeyError(
        `signing keys are missing in KEYS_DIR (${config.keysDir}); create them with "npm run cli -- keys generate" and keep them safe`,
      );
    }
    const written = await generateMissingKeys(config.keysDir);
    logger.warn({ keysDir: config.keysDir, files: written }, 'generated new development signing keys (do not use them in production)');
  }
  return loadKeys(config.keysDir);
}
