import type { BadgeClassRecord } from './repositories.js';

/** A stored image column pair as the record's image, the same on both backends. */
export const imageOf = (row: { image: Buffer | null; imageType: string | null }) => (row.image && row.imageType ? { type: row.imageType, data: row.image } : null);

interface CurrentRow {
  cls: { slug: string; orgId: string; currentVersion: number; archivedAt: string | null; shared: boolean; createdAt: string; updatedAt: string };
  definition: Record<string, unknown>;
  image: Buffer | null;
  imageType: string | null;
}

/** Badge classes with their current versions and the organisations opened to each (grouped once). */
export function currentRecords(rows: CurrentRow[], awarders: Array<{ slug: string; orgId: string }>): BadgeClassRecord[] {
  const bySlug = new Map<string, string[]>();
  for (const a of awarders) bySlug.set(a.slug, [...(bySlug.get(a.slug) ?? []), a.orgId]);
  return rows.map((r) => ({
    slug: r.cls.slug,
    orgId: r.cls.orgId,
    version: r.cls.currentVersion,
    definition: r.definition,
    image: imageOf(r),
    archivedAt: r.cls.archivedAt,
    shared: r.cls.shared,
    createdAt: r.cls.createdAt,
    updatedAt: r.cls.updatedAt,
    awarders: bySlug.get(r.cls.slug) ?? [],
  }));
}
