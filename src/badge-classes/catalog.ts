import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatPath } from '../errors/zod.js';
import { badgeClassSchema, SUPPORTED_LANGUAGES, type BadgeClass, type Language } from './schema.js';

export interface CatalogEntry {
  badgeClass: BadgeClass;
  /** Languages in which name, description and criteria are all written. */
  languages: Language[];
  /** Absolute path of the image file beside the definition, when it has one. */
  imagePath?: string;
}

export interface Catalog {
  get(slug: string): CatalogEntry | undefined;
  list(): CatalogEntry[];
}

export class CatalogError extends Error {
  override name = 'CatalogError';
}

/**
 * Reads every `*.json` in `dir` as a badge class. Any invalid file stops start-up with an error
 * naming the file and the field: a catalog that is half loaded would issue the wrong badges.
 */
export function loadCatalog(dir: string): Catalog {
  if (!existsSync(dir)) throw new CatalogError(`badge class folder ${dir} does not exist`);
  const entries = new Map<string, CatalogEntry>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new CatalogError(`badge class file ${path} is not valid JSON: ${(e as Error).message}`);
    }
    const parsed = badgeClassSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.code === 'unrecognized_keys' ? formatPath([...issue.path, issue.keys[0]!]) : formatPath(issue.path);
      const what = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
      throw new CatalogError(`badge class file ${path}: "${field}" ${what}`);
    }
    const badgeClass = parsed.data;
    if (basename(file, '.json') !== badgeClass.slug) {
      throw new CatalogError(`badge class file ${path}: "slug" must match the file name ("${basename(file, '.json')}")`);
    }
    let imagePath: string | undefined;
    if (badgeClass.image) {
      imagePath = join(dir, badgeClass.image);
      if (!existsSync(imagePath)) throw new CatalogError(`badge class file ${path}: "image" names ${imagePath}, which does not exist`);
    }
    const languages = SUPPORTED_LANGUAGES.filter(
      (lang) => badgeClass.name[lang] && badgeClass.description[lang] && badgeClass.criteria.narrative[lang],
    );
    entries.set(badgeClass.slug, { badgeClass, languages, ...(imagePath ? { imagePath } : {}) });
  }
  if (entries.size === 0) throw new CatalogError(`badge class folder ${dir} holds no badge class (*.json)`);
  return { get: (slug) => entries.get(slug), list: () => [...entries.values()] };
}
