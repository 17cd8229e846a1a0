export { type ApiConfig, parseApiEnv } from "./env.ts";
export { MAX_PAGE_SIZE } from "./modules/objects/find-objects.ts";
export { filterSql, type TObjectFilter } from "./object-filter.ts";
export { buildSchema, readTypeDefs } from "./schema.ts";
export { type ApiServer, SESSION_COOKIE, startApiServer } from "./server.ts";
export * from "./tables/index.ts";
