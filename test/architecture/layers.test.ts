import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Storage stays behind its repository interfaces: no module outside src/db/ imports SQL, drizzle or
 * a database driver; and domain code does not import express (only the HTTP shell, src/http/, does).
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const importsOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
const sources = files(SRC).map((file) => ({ path: relative(SRC, file), imports: importsOf(file) }));

it('finds the sources it checks', () => {
  expect(sources.length).toBeGreaterThan(50);
  expect(sources.find((s) => s.path === 'db/sqlite/storage.ts')?.imports).toContain('drizzle-orm');
});

it('keeps SQL, drizzle and the database drivers inside src/db/', () => {
  const storageModule = /^(drizzle-orm|better-sqlite3|pg|postgres)(\/|$)/;
  const offenders = sources.filter((s) => !s.path.startsWith('db/') && s.imports.some((i) => storageModule.test(i))).map((s) => s.path);
  expect(offenders).toEqual([]);
});

it('keeps express inside the HTTP shell', () => {
  const offenders = sources.filter((s) => !s.path.startsWith('http/') && s.path !== 'main.ts' && s.imports.some((i) => i === 'express')).map((s) => s.path);
  expect(offenders).toEqual([]);
});
