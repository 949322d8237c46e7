import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { formatPath } from '../errors/zod.js';
import { badgeClassSchema, SUPPORTED_LANGUAGES, type BadgeClass, type Language } from './schema.js';
import type { FrameworkCatalog } from '../frameworks/frameworks.js';
import { expandCompetenceReferences } from '../frameworks/references.js';

/** An uploaded badge image: the same in every language. */
export interface BadgeImageFile {
  contentType: 'image/png' | 'image/svg+xml';
  data: Buffer;
}

/** A badge class as issuance, pages and images use it: its current version. */
export interface CatalogEntry {
  badgeClass: BadgeClass;
  /** Languages in which name, description and criteria are all written. */
  languages: Language[];
  /** The organisation that owns it. */
  orgId: string;
  /** Its current version (1, 2, …): each change makes a new one. */
  version: number;
  /** Archived: no longer awarded, still shown for what was awarded. */
  archived: boolean;
  /** Other organisations allowed to award it. */
  awarders: string[];
  /** Every organisation of the instance may award it (the starter catalog, a consortium's shared badges). */
  shared: boolean;
  /** An uploaded image; without one, the built-in design is drawn in each language. */
  image?: BadgeImageFile;
}

export interface Catalog {
  get(slug: string): CatalogEntry | undefined;
  list(): CatalogEntry[];
}

export class CatalogError extends Error {
  override name = 'CatalogError';
}

export const languagesOf = (badgeClass: BadgeClass): Language[] =>
  SUPPORTED_LANGUAGES.filter((lang) => badgeClass.name[lang] && badgeClass.description[lang] && badgeClass.criteria.narrative[lang]);

export const imageTypeOf = (fileName: string): BadgeImageFile['contentType'] => (extname(fileName).toLowerCase() === '.png' ? 'image/png' : 'image/svg+xml');

/** The first problem of a badge class that does not parse, quoting the field. */
export function badgeClassProblem(raw: unknown): { badgeClass: BadgeClass } | { problem: string } {
  const parsed = badgeClassSchema.safeParse(raw);
  if (parsed.success) return { badgeClass: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? formatPath([...issue.path, issue.keys[0]!]) : formatPath(issue.path);
  const what = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
  return { problem: `"${field}" ${what}` };
}

export interface SeedFile {
  file: string;
  badgeClass: BadgeClass;
  image?: BadgeImageFile;
}

/**
 * Reads every `*.json` in `dir` as a badge class, with the image it names beside it. A file that is
 * not a valid badge class is reported, not fatal: the others are read.
 */
export function readBadgeClassFiles(dir: string, frameworks?: FrameworkCatalog): { classes: SeedFile[]; problems: Array<{ file: string; message: string }> } {
  if (!existsSync(dir)) return { classes: [], problems: [{ file: dir, message: 'the folder does not exist' }] };
  const classes: SeedFile[] = [];
  const problems: Array<{ file: string; message: string }> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      problems.push({ file: path, message: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    // Alignments may name a known framework's competence: expanded first (frameworks/references.ts).
    if (frameworks) {
      const expanded = expandCompetenceReferences(raw, frameworks);
      if (expanded.problems.length) {
        problems.push({ file: path, message: `"${expanded.problems[0]!.path}" ${expanded.problems[0]!.message}` });
        continue;
      }
      raw = expanded.value;
    }
    const result = badgeClassProblem(raw);
    if ('problem' in result) {
      problems.push({ file: path, message: result.problem });
      continue;
    }
    const { badgeClass } = result;
    if (basename(file, '.json') !== badgeClass.slug) {
      problems.push({ file: path, message: `"slug" must match the file name ("${basename(file, '.json')}")` });
      continue;
    }
    let image: BadgeImageFile | undefined;
    if (badgeClass.image) {
      const imagePath = join(dir, badgeClass.image);
      if (!existsSync(imagePath)) {
        problems.push({ file: path, message: `"image" names ${imagePath}, which does not exist` });
        continue;
      }
      image = { contentType: imageTypeOf(imagePath), data: readFileSync(imagePath) };
    }
    classes.push({ file: path, badgeClass, ...(image ? { image } : {}) });
  }
  return { classes, problems };
}

/**
 * The badge class files of a folder as a catalog in memory, every file valid or an error naming the
 * first bad one: for tools and tests that read the starter catalog without a database.
 */
export function loadCatalog(dir: string, { orgId = 'files', frameworks }: { orgId?: string; frameworks?: FrameworkCatalog } = {}): Catalog {
  const { classes, problems } = readBadgeClassFiles(dir, frameworks);
  if (problems.length) throw new CatalogError(`badge class file ${problems[0]!.file}: ${problems[0]!.message}`);
  const entries = new Map<string, CatalogEntry>(
    classes.map(({ badgeClass, image }) => [badgeClass.slug, { badgeClass, languages: languagesOf(badgeClass), orgId, version: 1, archived: false, awarders: [], shared: true, ...(image ? { image } : {}) }]),
  );
  return { get: (slug) => entries.get(slug), list: () => [...entries.values()] };
}

/** Whether an organisation may award a badge class: its owner, one it was opened to, or any when shared. */
export const mayBeAwardedBy = (entry: CatalogEntry, orgId: string): boolean => entry.orgId === orgId || entry.shared || entry.awarders.includes(orgId);
