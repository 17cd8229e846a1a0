// Objects as tables over plain HTTP, for astronomers' tools: /scs (IVOA Simple Cone Search 1.03,
// answering VOTable 1.4) and /export (VOTable, FITS binary table or CSV of any objects filter,
// the dashboard's download links). Both stream from one database snapshot, use GraphQL's filters
// and checks, and accept an API key as `Authorization: Bearer <key>` or as the password of HTTP
// Basic (what TOPCAT prompts for), or the dashboard's session cookie.
import type { IncomingMessage, ServerResponse } from "node:http";
import { badInput, ERROR_CODES, isErrorCode, MacnetError } from "@macnet/db";
import { GraphQLError } from "graphql";
import type { Viewer } from "./context.ts";
import type { ApiConfig } from "./env.ts";
import type { TObjectFilter } from "./object-filter.ts";
import type { SqlPool } from "./sql-pool.ts";
import { exportObjects, TABLE_FORMATS, TABLE_MEDIA, type TableFormat } from "./tables/export-objects.ts";
import { chooseTableModels, type ObjectTableSpec, objectTableColumns, tableDataset } from "./tables/object-table.ts";
import { type Sink, sinkOf } from "./tables/sink.ts";
import { filterFromParams, Params, verbosityFrom } from "./tables/table-request.ts";
import { VoTableWriter, voTableError } from "./tables/write-votable.ts";

export const TABLE_PATHS = new Set(["/scs", "/export"]);

const VOTABLE_TYPE = "text/xml; content=x-votable; charset=utf-8";
const REALM = 'Basic realm="MAC-Net platform (user name: anything; password: an API key)", charset="UTF-8"';

/** `Basic base64(user:key)` as `Bearer key`: the API key is the Basic password. */
export function bearerOf(authorization: string | undefined): string | undefined {
  const basic = authorization && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!basic) return authorization;
  const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const key = colon < 0 ? "" : decoded.slice(colon + 1);
  // An empty or malformed password is refused as a bad key, not read as "no credentials".
  return `Bearer ${key || "-"}`;
}

/**
 * A sink that sends the 200 and its headers with the first bytes: a filter the database refuses
 * (checked when the first statement is built) is still answered as an error, not a cut-off table.
 */
function headersWithFirstBytes(res: ServerResponse, headers: Record<string, string>): Sink {
  const sink = sinkOf(res);
  return async (chunk) => {
    if (!res.headersSent) res.writeHead(200, headers);
    await sink(chunk);
  };
}

/** A failure's HTTP status and message, from the platform's one error table; null for the unexpected. */
function problemOf(error: unknown): { status: number; message: string } | null {
  if (error instanceof MacnetError) return { status: error.httpStatus, message: error.message };
  // Authentication speaks GraphQL (the same check serves /graphql); its code is in the same table.
  if (error instanceof GraphQLError && isErrorCode(error.extensions.code))
    return { status: ERROR_CODES[error.extensions.code].http, message: error.message };
  return null;
}

export function tableRoutes(options: {
  sql: SqlPool;
  config: ApiConfig;
  log: (line: string) => void;
  /** Who sent the request (null: nobody); throws UNAUTHENTICATED for a bad credential. */
  authenticate: (authorization: string | undefined, cookie: string | undefined) => Promise<Viewer | null>;
}) {
  const { sql, config, log } = options;

  async function viewerOf(req: IncomingMessage, publicAccess: boolean): Promise<Viewer | null> {
    const viewer = await options.authenticate(bearerOf(req.headers.authorization), req.headers.cookie);
    if (!viewer && !publicAccess) {
      throw new MacnetError(
        "Not signed in: send an API key as 'Authorization: Bearer <key>' or as the HTTP Basic password",
        "UNAUTHENTICATED",
      );
    }
    return viewer;
  }

  async function scs(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const viewer = await viewerOf(req, config.tables.scsPublic);
    const params = new Params(url.searchParams);
    const ra = params.number("RA");
    const dec = params.number("DEC");
    const sr = params.number("SR");
    if (ra === undefined) throw badInput("RA is required (decimal degrees, ICRS)", "RA");
    if (dec === undefined) throw badInput("DEC is required (decimal degrees, ICRS)", "DEC");
    if (sr === undefined) throw badInput("SR is required (search radius, decimal degrees)", "SR");
    if (sr < 0 || sr > 90) throw badInput("SR must be from 0 to 90 degrees", "SR");
    if (Math.abs(dec) > 90) throw badInput("DEC must be from -90 to 90 degrees", "DEC");
    // RA outside [0, 360) is taken modulo 360, as cone-search clients expect.
    const cone = { raDeg: ra >= 0 && ra < 360 ? ra : ((ra % 360) + 360) % 360, decDeg: dec, radiusDeg: sr };
    const filter: TObjectFilter = { ...filterFromParams(params), cone };
    const maxRecords = params.integer("MAXREC", 0, config.tables.scsMaxRecords) ?? config.tables.scsMaxRecords;
    const verbosity = verbosityFrom(params, "VERB", 2);
    // VERB=1 is the minimum (id and position): predictions only when MODEL asks for them.
    const asked = params.modelIds("MODEL") ?? (verbosity === 1 ? [] : undefined);
    const spec: ObjectTableSpec = {
      filter,
      models: await chooseTableModels(sql, asked, filter),
      dataset: await tableDataset(sql, filter),
      verbosity,
      limit: maxRecords,
    };
    const sink = headersWithFirstBytes(res, { "content-type": VOTABLE_TYPE, "cache-control": "no-store" });
    const description = `MAC-Net platform objects within ${sr}° of (${cone.raDeg}, ${dec})`;
    if (sr === 0) {
      // SR=0 asks for the columns only (SCS 1.03 §2: metadata).
      const writer = new VoTableWriter(sink, { description, tableName: "objects", ucdStyle: "scs" });
      await writer.begin({ columns: objectTableColumns(spec), models: spec.models });
      await writer.end({ rowCount: 0, overflow: false });
      return `scs by ${viewer?.name ?? "public"}: 200 metadata`;
    }
    const result = await exportObjects({
      sql,
      spec,
      format: "votable",
      sink,
      description,
      ucdStyle: "scs",
      aborted: () => res.destroyed,
    });
    return `scs by ${viewer?.name ?? "public"}: 200 ${result.rowCount} rows${result.overflow ? " (overflow)" : ""}`;
  }

  async function exportTable(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const viewer = await viewerOf(req, false);
    const params = new Params(url.searchParams);
    const format = (params.get("format")?.toLowerCase() ?? "votable") as TableFormat;
    if (!TABLE_FORMATS.includes(format)) throw badInput(`format must be one of ${TABLE_FORMATS.join(", ")}`, "format");
    const filter = filterFromParams(params);
    const ra = params.number("ra");
    const dec = params.number("dec");
    const radius = params.number("radius");
    if (ra !== undefined || dec !== undefined || radius !== undefined) {
      if (ra === undefined || dec === undefined || radius === undefined) {
        throw badInput("a cone needs ra, dec and radius (degrees)", "radius");
      }
      filter.cone = { raDeg: ra, decDeg: dec, radiusDeg: radius };
    }
    const limit = params.integer("limit", 0, config.tables.exportMaxRows) ?? config.tables.exportMaxRows;
    const spec: ObjectTableSpec = {
      filter,
      models: await chooseTableModels(sql, params.modelIds("models"), filter),
      dataset: await tableDataset(sql, filter),
      verbosity: verbosityFrom(params, "verb", 3),
      limit,
    };
    const media = TABLE_MEDIA[format];
    const result = await exportObjects({
      sql,
      spec,
      format,
      description: "MAC-Net platform objects export",
      infos: [["query", url.search.slice(1)]],
      aborted: () => res.destroyed,
      sink: headersWithFirstBytes(res, {
        "content-type": media.contentType,
        "content-disposition": `attachment; filename="macnet-objects.${media.extension}"`,
        "cache-control": "no-store",
      }),
    });
    return `export ${format} by ${viewer?.name}: 200 ${result.rowCount} rows${result.overflow ? " (row limit reached)" : ""}`;
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedMs = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const isScs = url.pathname === "/scs";
    let line: string;
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("allow", "GET, HEAD");
        throw new MacnetError(`${url.pathname} answers GET requests`, "METHOD_NOT_ALLOWED");
      }
      line = isScs ? await scs(req, res, url) : await exportTable(req, res, url);
      res.end();
    } catch (error) {
      const problem = problemOf(error);
      line = `${url.pathname}: ${problem ? problem.status : 500} ${problem?.message ?? (error as Error).message}`;
      if (res.destroyed && !problem) {
        // The client went away mid-table: the reads stopped; nothing to answer, nothing unexpected.
        if (config.requestLog)
          log(
            `${url.pathname}: the client closed the connection after ${Math.round(performance.now() - startedMs)} ms`,
          );
        return;
      }
      if (res.headersSent) {
        // Mid-stream: the table is cut short; a client sees a truncated document, never a complete-looking one.
        res.destroy();
      } else if (isScs) {
        // SCS 1.03: errors are VOTables with HTTP 200 (pyvo and TOPCAT show their message);
        // only a missing or bad credential is a 401, so that TOPCAT asks for one.
        const status = problem?.status === 401 ? 401 : 200;
        res.writeHead(status, {
          "content-type": VOTABLE_TYPE,
          ...(status === 401 ? { "www-authenticate": REALM } : {}),
        });
        res.end(voTableError(problem?.message ?? "Internal server error"));
      } else {
        const status = problem?.status ?? 500;
        res.writeHead(status, {
          "content-type": "text/plain; charset=utf-8",
          ...(status === 401 ? { "www-authenticate": REALM } : {}),
        });
        res.end(`${problem?.message ?? "Internal server error"}\n`);
      }
      if (!problem) log(`${url.pathname} 500: ${(error as Error).stack ?? error}`);
    }
    if (config.requestLog) log(`${line} in ${Math.round(performance.now() - startedMs)} ms`);
  };
}
