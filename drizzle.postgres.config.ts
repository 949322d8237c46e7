import { defineConfig } from 'drizzle-kit';

/** Migrations for the PostgreSQL backend (`npm run db:generate` writes both backends'). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './drizzle-postgres',
});
