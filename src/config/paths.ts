import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (where package.json is), whether running from src/ or dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above the source files)');
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot();
export const SCHEMAS_DIR = join(PROJECT_ROOT, 'schemas');
/** The competence frameworks bundled with the service (DigComp, LifeComp, GreenComp, a subset of ESCO). */
export const FRAMEWORKS_DIR = join(PROJECT_ROOT, 'frameworks');
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'drizzle');
