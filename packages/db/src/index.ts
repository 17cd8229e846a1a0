export { badInput, ERROR_CODES, type ErrorCode, EXIT_USAGE, isErrorCode, MacnetError } from "@macnet/core";
export { createPrismaClient, disconnectPrismaClient, getPrismaClient } from "./client.ts";
export { type EmbeddedServer, startEmbeddedServer } from "./embedded/embedded-server.ts";
export { isProcessAlive } from "./embedded/process-alive.ts";
export { type DatabaseTarget, maskPassword, resolveDatabase } from "./embedded/resolve-database.ts";
export { createScratchDatabase, type ScratchDatabase } from "./embedded/scratch-database.ts";
export { type LabelVerdict, Prisma, PrismaClient, type TrainedModel } from "./generated/prisma/client.ts";
export * from "./generated/prisma/enums.ts";
export { applyMigrations, type MigrateResult } from "./migrations/apply-migrations.ts";
export {
  compareMigrations,
  getMigrationStatus,
  type MigrationState,
  type MigrationStatusEntry,
} from "./migrations/migration-status.ts";
export { type LocalMigration, migrationChecksum, readMigrations } from "./migrations/read-migrations.ts";
export { CUTOUT_SIDE_PX, MAX_SPECTRUM_PIXELS, MAX_STRIP_LENGTH_PX, STRIP_ROWS } from "./stored-bounds.ts";
export { type AuthenticatedUser, authenticateApiKey } from "./users/authenticate-api-key.ts";
export { createApiKey } from "./users/create-api-key.ts";
export { type CreatedUser, createUser, type TCreateUserInput, ZCreateUserInput } from "./users/create-user.ts";
export { type EnsuredAdmin, ensureAdminUser } from "./users/ensure-admin-user.ts";
export { revokeApiKey } from "./users/revoke-api-key.ts";
export {
  DEFAULT_SCRYPT_COST,
  hashPassword,
  needsRehash,
  type ScryptCost,
  verifyPassword,
  verifyPasswordOrDummy,
} from "./users/secrets.ts";
export { authenticateSession, createSession, endSession, SESSION_TTL_MS, type SessionUser } from "./users/sessions.ts";
