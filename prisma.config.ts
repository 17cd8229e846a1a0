// Configuration for the Prisma CLI (generate; `prisma migrate deploy` on machines that have the
// schema engine). The platform itself applies migrations with `npx macnet db migrate`.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/macnet" },
});
