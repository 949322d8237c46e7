import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from '../config/paths.js';

/**
 * The JSON-LD contexts the service knows, read once from `schemas/contexts/` (see schemas/SOURCES.md).
 * Nothing else is ever loaded: an unknown context URL is an error, never a fetch.
 */
const CONTEXTS_DIR = join(SCHEMAS_DIR, 'contexts');

function loadBundledContexts(): ReadonlyMap<string, unknown> {
  const index = JSON.parse(readFileSync(join(CONTEXTS_DIR, 'index.json'), 'utf8')) as Record<string, string>;
  return new Map(
    Object.entries(index).map(([url, file]) => [url, JSON.parse(readFileSync(join(CONTEXTS_DIR, file), 'utf8')) as unknown]),
  );
}

export const BUNDLED_CONTEXTS = loadBundledContexts();

export const CONTEXT = {
  credentialsV2: 'https://www.w3.org/ns/credentials/v2',
  credentialsV1: 'https://www.w3.org/2018/credentials/v1',
  openBadges: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  /** Defines the 1EdTech extension terms (1EdTechJsonSchemaValidator2019, 1EdTechRevocationList). */
  openBadgesExtensions: 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
  did: 'https://www.w3.org/ns/did/v1',
  multikey: 'https://w3id.org/security/multikey/v1',
  jwk: 'https://w3id.org/security/jwk/v1',
} as const;
