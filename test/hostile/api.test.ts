import { type ApiServer, parseApiEnv, startApiServer } from "@macnet/api";
import { createPrismaClient, createUser, hashPassword, isErrorCode, type PrismaClient } from "@macnet/db";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createMigratedTestDatabase, type TestDatabase } from "../helpers/database.ts";

// The API as an attacker meets it: every hostile operation is sent over HTTP and over WebSocket and
// must get the same answer (one pipeline), in development and in production mode; wrong inputs get
// BAD_USER_INPUT naming the field; server internals (database errors, paths) stay inside.

interface Answer {
  status?: number;
  // biome-ignore lint/suspicious/noExplicitAny: each test names what it reads
  data?: any;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

let database: TestDatabase;
let prisma: PrismaClient;
let dev: ApiServer;
let prod: ApiServer;
const devLog: string[] = [];
const prodLog: string[] = [];
const keys = { ADMIN: "", COLLABORATOR: "" };

async function http(server: ApiServer, query: string, variables: unknown = {}, key?: string): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const body = typeof variables === "string" ? variables : JSON.stringify({ query, variables });
  const response = await fetch(server.url, { method: "POST", headers, body });
  return { status: response.status, ...((await response.json()) as object) };
}

/** One operation over graphql-ws: its single result, or its errors. */
async function ws(server: ApiServer, query: string, variables: Record<string, unknown> = {}, key?: string) {
  const client = createClient({
    url: server.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
  });
  try {
    return await new Promise<Answer>((resolve, reject) => {
      let last: Answer = {};
      client.subscribe(
        { query, variables },
        {
          next: (value) => {
            last = value as Answer;
          },
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => resolve(last),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** The answer's error codes, each checked to be one of the platform's closed set. */
const codes = (answer: Answer) =>
  (answer.errors ?? []).map((e) => {
    expect(isErrorCode(e.extensions?.code), `${e.extensions?.code} is not in ERROR_CODES`).toBe(true);
    return e.extensions?.code;
  });
const transports = [
  ["HTTP", http],
  ["WebSocket", ws],
] as const;

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  prisma = createPrismaClient(database.url);
  for (const role of ["ADMIN", "COLLABORATOR"] as const) {
    keys[role] = (await createUser({ prisma, input: { name: `hostile-${role.toLowerCase()}`, role } })).apiKey;
  }
  dev = await startApiServer({
    prisma,
    databaseUrl: database.url,
    config: parseApiEnv({}),
    port: 0,
    log: (line) => devLog.push(line),
  });
  prod = await startApiServer({
    prisma,
    databaseUrl: database.url,
    config: parseApiEnv({ NODE_ENV: "production" }),
    port: 0,
    log: (line) => prodLog.push(line),
  });
}, 120_000);

afterAll(async () => {
  await dev?.close();
  await prod?.close();
  await prisma?.$disconnect();
  await database?.dispose();
});

describe.each(transports)("hostile operations over %s", (_transport, send) => {
  it("refuses what is too deep, too wide or too costly, with the limit's code", async () => {
    const deep = `{ jobs { models { job { ${"models { job { ".repeat(25)}id${" } }".repeat(25)} } } } }`;
    expect(codes(await send(dev, deep, {}, keys.COLLABORATOR))).toEqual(["QUERY_TOO_DEEP"]);
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { name }`).join(" ")} }`;
    expect(codes(await send(dev, aliases, {}, keys.COLLABORATOR))).toEqual(["TOO_MANY_ALIASES"]);
    // The probe that exhausted memory over WebSocket: 40 aliases of 200 objects with their pixel arrays.
    const heavy = "objects(first: 200) { edges { node { strips { valuesBase64 } spectra1d { flux } } } }";
    const forty = `{ ${Array.from({ length: 40 }, (_, i) => `o${i}: ${heavy}`).join(" ")} }`;
    expect(codes(await send(dev, forty, {}, keys.COLLABORATOR))).toEqual(["TOO_MANY_ALIASES"]);
    // Within the alias limit, the pixel arrays alone are too costly.
    expect(codes(await send(dev, `{ ${heavy} }`, {}, keys.COLLABORATOR))).toEqual(["QUERY_TOO_COSTLY"]);
    // A size over the resolver's maximum counts as the maximum; the resolver refuses it, naming it.
    const huge = await send(dev, "query ($n: Int) { objects(first: $n) { totalCount } }", { n: 1e9 }, keys.ADMIN);
    expect(huge.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["BAD_USER_INPUT", "first"]]);
    expect(codes(await send(dev, "{ objects(first: 1e9) { totalCount } }", {}, keys.ADMIN))).toEqual([
      "GRAPHQL_VALIDATION_FAILED",
    ]);
    expect(codes(await send(dev, "{ objects(first: 500) { totalCount } }", {}, keys.ADMIN))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(codes(await send(dev, "{ me { name ", {}, keys.ADMIN))).toEqual(["GRAPHQL_PARSE_FAILED"]);
    const tokens = `{ me { ${"name ".repeat(20_000)}} }`;
    expect(codes(await send(dev, tokens, {}, keys.ADMIN))).toEqual(["GRAPHQL_PARSE_FAILED"]);
  });

  it("answers a caller without credentials nothing but sign-in, and never the schema in production", async () => {
    expect(codes(await send(dev, "{ jobs { id } }"))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await send(prod, "{ __schema { types { name } } }"))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(codes(await send(prod, "{ __schema { types { name } } }", {}, keys.ADMIN))).toEqual([
      "GRAPHQL_VALIDATION_FAILED",
    ]);
    expect(codes(await send(dev, "{ __schema { types { name } } }"))).toEqual(["UNAUTHENTICATED"]);
    const typo = await send(prod, "{ jobz { id } }", {}, keys.ADMIN);
    expect(codes(typo)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(typo.errors?.[0]?.message).not.toMatch(/did you mean/i);
    // Development keeps the suggestions (introspection is on there).
    expect((await send(dev, "{ jobz { id } }", {}, keys.ADMIN)).errors?.[0]?.message).toMatch(/did you mean/i);
  });

  it("answers values that do not fit their type as BAD_USER_INPUT naming the field", async () => {
    const jobs = "query ($n: Int) { jobs(first: $n) { id } }";
    for (const server of [dev, prod]) {
      const wrongType = await send(server, jobs, { n: "abc" }, keys.ADMIN);
      expect(codes(wrongType)).toEqual(["BAD_USER_INPUT"]);
      expect(wrongType.errors?.[0]?.extensions?.field).toBe("n");
      const nul = await send(
        server,
        "query ($s: String!) { objects(filter: { source: $s }) { totalCount } }",
        { s: "a\u0000b" },
        keys.ADMIN,
      );
      expect(codes(nul)).toEqual(["BAD_USER_INPUT"]);
      expect(nul.errors?.[0]?.extensions?.field).toBe("s");
      // A field inside an input object: the error names the variable the operation declared.
      const cone = await send(
        server,
        "query ($c: ConeInput) { objects(filter: { cone: $c }) { totalCount } }",
        { c: { raDeg: "abc", decDeg: 1, radiusDeg: 1 } },
        keys.ADMIN,
      );
      expect(cone.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["BAD_USER_INPUT", "c"]]);
      expect(cone.errors?.[0]?.message).toMatch(/^Variable "\$c"/);
      const negative = await send(server, "{ jobs(first: -1) { id } }", {}, keys.ADMIN);
      expect(codes(negative)).toEqual(["BAD_USER_INPUT"]);
      expect(negative.errors?.[0]?.extensions?.field).toBe("first");
    }
  });
});

describe("hostile inputs over HTTP only", () => {
  it("answers a number too large for JSON's doubles (1e400) as BAD_USER_INPUT", async () => {
    const raw = '{"query":"query ($n: Int) { jobs(first: $n) { id } }","variables":{"n":1e400}}';
    const answer = await http(prod, "", raw, keys.ADMIN);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(["BAD_USER_INPUT"]);
    expect(answer.errors?.[0]?.extensions?.field).toBe("n");
  });

  it("logs one line per operation whatever the transport", async () => {
    const before = devLog.length;
    await http(dev, "query HttpProbe { me { name } }", {}, keys.ADMIN);
    await ws(dev, "query WsProbe { me { name } }", {}, keys.ADMIN);
    await ws(dev, "query WsRefused { jobs { id } }");
    const lines = devLog.slice(before).filter((line) => line.startsWith("graphql "));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^graphql http HttpProbe by hostile-admin: 200 ok in [\d.]+ ms$/);
    expect(lines[1]).toMatch(/^graphql ws WsProbe by hostile-admin: complete ok in [\d.]+ ms$/);
    expect(lines[2]).toMatch(/^graphql ws WsRefused by anonymous: error UNAUTHENTICATED in [\d.]+ ms$/);
  });

  it("says only 'database unreachable' when the database is, and logs the cause", async () => {
    const lines: string[] = [];
    const unreachable = createPrismaClient("postgresql://nobody:secret@127.0.0.1:9/none");
    const server = await startApiServer({
      prisma: unreachable,
      databaseUrl: database.url,
      config: parseApiEnv({ NODE_ENV: "production" }),
      port: 0,
      log: (line) => lines.push(line),
    });
    try {
      const response = await fetch(server.url.replace("/graphql", "/healthz"));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "database unreachable" });
      expect(lines.some((line) => line.startsWith("healthz: database unreachable:"))).toBe(true);
    } finally {
      await server.close();
      await unreachable.$disconnect();
    }
  });

  it("shows server paths in job results and source files to admins only", async () => {
    const job = await prisma.job.create({
      data: {
        kind: "TRAIN",
        status: "SUCCEEDED",
        result: {
          modelIds: [7],
          weightsUri: "/srv/macnet/models/7",
          checkpointDir: "/srv/macnet/ckpt/1",
          nested: { outPath: "/srv/x" },
        },
      },
    });
    const object = await prisma.celestialObject.create({ data: { source: "paths", raDeg: 1, decDeg: 2 } });
    await prisma.cutout.create({
      data: {
        objectId: object.id,
        source: "sdss",
        widthPx: 1,
        heightPx: 1,
        rgb: new Uint8Array([1, 2, 3]),
        sourceFormat: "jpeg",
        contentHash: "hostile-paths",
        sourceFile: "/home/astro/survey/cutouts/1237.jpg",
      },
    });
    const jobQuery = `{ job(id: ${job.id}) { result } }`;
    const cutoutQuery = `{ object(id: ${object.id}) { cutout { sourceFile } } }`;
    for (const send of [http, ws]) {
      expect((await send(dev, jobQuery, {}, keys.ADMIN)).data.job.result.weightsUri).toBe("/srv/macnet/models/7");
      expect((await send(dev, jobQuery, {}, keys.COLLABORATOR)).data.job.result).toEqual({ modelIds: [7], nested: {} });
      expect((await send(dev, cutoutQuery, {}, keys.ADMIN)).data.object.cutout.sourceFile).toBe(
        "/home/astro/survey/cutouts/1237.jpg",
      );
      expect((await send(dev, cutoutQuery, {}, keys.COLLABORATOR)).data.object.cutout.sourceFile).toBe("1237.jpg");
    }
  });
});

describe("answers without server internals", () => {
  it("shows no stack trace or server path in any error unless MACNET_API_DEBUG=1, whatever NODE_ENV says", async () => {
    const forbidden = `mutation { launchEvaluation(input: { modelId: "1" }) { job { id } error { code } } }`;
    for (const server of [dev, prod]) {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${keys.COLLABORATOR}` },
        body: JSON.stringify({ query: forbidden }),
      });
      const text = await response.text();
      expect(text).toMatch(/FORBIDDEN/);
      expect(text).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
    }
  });
});

describe("job parameters", () => {
  it("refuses warm-up epochs that do not end before training does at submission, naming the field", async () => {
    const launch = `mutation { launchTraining(input: { architecture: C_NET, datasetId: "1", epochs: 3, warmupEpochs: 3 }) {
      job { id } error { code field message } } }`;
    for (const server of [dev, prod]) {
      const answer = await http(server, launch, {}, keys.ADMIN);
      expect(answer.data.launchTraining).toEqual({
        job: null,
        error: {
          code: "BAD_USER_INPUT",
          field: "warmupEpochs",
          message: "Invalid job: warmupEpochs: warmupEpochs must be fewer than epochs",
        },
      });
    }
  });
});

describe("variables nested deeper than any input needs", () => {
  it("answers 300 000 nested arrays (under 1 MB) with BAD_USER_INPUT naming the variable, not a stack overflow", async () => {
    const query = "query ($v: [ID!]!) { compareModels(ids: $v) { models { id } } }";
    const body = `{"query":${JSON.stringify(query)},"variables":{"v":${"[".repeat(300_000)}${"]".repeat(300_000)}}}`;
    for (const server of [dev, prod]) {
      const answer = await http(server, query, body, keys.ADMIN);
      expect(answer.status).toBe(400);
      expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["BAD_USER_INPUT", "v"]]);
    }
    expect((await http(prod, "{ me { name } }", {}, keys.ADMIN)).data).toEqual({ me: { name: "hostile-admin" } });
  });
});

describe("cone search and exports", () => {
  const get = async (path: string) => {
    const response = await fetch(new URL(path, prod.url), { headers: { authorization: `Bearer ${keys.ADMIN}` } });
    return { status: response.status, text: await response.text() };
  };

  it("refuses a NUL in any parameter and numbers that are not decimal, naming the parameter", async () => {
    const nul = await get("/scs?RA=10&DEC=20&SR=1&source=sim%00x");
    expect(nul.status).toBe(200); // SCS: errors are VOTables
    expect(nul.text).toMatch(/QUERY_STATUS" value="ERROR"[\s\S]*parameter source holds a NUL character/);
    const exported = await get("/export?format=csv&source=sim%00x");
    expect(exported).toEqual({ status: 400, text: "parameter source holds a NUL character\n" });
    for (const ra of ["0x10", "0b1", "1e400", "Infinity", "1_0"]) {
      const answer = await get(`/scs?RA=${ra}&DEC=20&SR=1`);
      expect(answer.text).toMatch(/RA must be a decimal number/);
    }
    // The server is still answering.
    expect((await get("/scs?RA=10&DEC=20&SR=0")).text).toMatch(/QUERY_STATUS" value="OK"/);
  });
});

describe("sign-in", () => {
  let server: ApiServer;
  const post = (query: string, variables: Record<string, unknown>, forwardedFor?: string) =>
    fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json() as Promise<Answer>);
  const login = (name: string, password: string, forwardedFor?: string) =>
    post(
      "mutation ($n: String!, $p: String!) { login(name: $n, password: $p) { user { name } error { code message } } }",
      { n: name, p: password },
      forwardedFor,
    ).then(
      (answer) =>
        answer.data.login as { user: { name: string } | null; error: { code: string; message: string } | null },
    );

  beforeAll(async () => {
    server = await startApiServer({
      prisma,
      databaseUrl: database.url,
      config: parseApiEnv({
        MACNET_LOGIN_USER_ATTEMPTS: "3",
        MACNET_LOGIN_ADDRESS_ATTEMPTS: "6",
        MACNET_LOGIN_BACKOFF_S: "600",
        MACNET_PASSWORD_COST: "11",
        MACNET_API_LOG: "0",
      }),
      port: 0,
    });
    for (const name of ["ada", "grace", "edsger"]) {
      await createUser({
        prisma,
        input: { name, role: "SCIENTIST", password: `${name}-password` },
        passwordCost: { logN: 10, r: 8, p: 1 },
      });
    }
  });
  afterAll(async () => server?.close());

  it("locks a user name after 3 failures: even the right password is refused until the back-off ends", async () => {
    for (let i = 0; i < 3; i++)
      expect((await login("ada", `guess-${i}`, `198.51.100.${i}`)).error?.code).toBe("LOGIN_FAILED");
    const locked = await login("ada", "ada-password", "198.51.100.50");
    expect(locked.user).toBeNull();
    expect(locked.error?.code).toBe("TOO_MANY_ATTEMPTS");
    expect(locked.error?.message).toMatch(/try again in \d+ s/);
    // Others sign in as usual.
    expect((await login("grace", "grace-password", "198.51.100.51")).user?.name).toBe("grace");
  });

  it("locks an address that tries many names (unknown ones too), counting the forwarded browser's address", async () => {
    for (let i = 0; i < 6; i++)
      expect((await login(`nobody-${i}`, "x", "203.0.113.9")).error?.code).toBe("LOGIN_FAILED");
    expect((await login("edsger", "edsger-password", "203.0.113.9")).error?.code).toBe("TOO_MANY_ATTEMPTS");
    expect((await login("edsger", "edsger-password", "203.0.113.10")).user?.name).toBe("edsger");
  });

  it("holds under concurrency, and across API processes on one database: 40 parallel guesses, at most the limit checked", async () => {
    const outcome = (answer: Answer) =>
      answer.data?.login?.error?.code ?? answer.errors?.[0]?.extensions?.code ?? "signed in";
    const guess = (name: string, address: string) =>
      post(
        "mutation ($n: String!, $p: String!) { login(name: $n, password: $p) { user { name } error { code } } }",
        { n: name, p: "wrong" },
        address,
      ).then(outcome);
    // One name from 40 addresses: exactly its 3 attempts are checked.
    const byName = await Promise.all(Array.from({ length: 40 }, (_, i) => guess("racer", `192.0.2.${i + 1}`)));
    expect(byName.filter((code) => code === "LOGIN_FAILED")).toHaveLength(3);
    expect(byName.filter((code) => code !== "LOGIN_FAILED").every((code) => code === "TOO_MANY_ATTEMPTS")).toBe(true);
    // 40 names from one address: at most its 6 are checked (the rest are refused by the throttle, or
    // by the per-caller limit of operations at once).
    const byAddress = await Promise.all(Array.from({ length: 40 }, (_, i) => guess(`racer-${i}`, "192.0.2.200")));
    expect(byAddress.filter((code) => code === "LOGIN_FAILED").length).toBeLessThanOrEqual(6);
    expect(byAddress.every((code) => ["LOGIN_FAILED", "TOO_MANY_ATTEMPTS", "TOO_MANY_REQUESTS"].includes(code))).toBe(
      true,
    );
    // A second API process on the same database sees the same locks.
    const second = await startApiServer({
      prisma,
      databaseUrl: database.url,
      config: parseApiEnv({ MACNET_LOGIN_USER_ATTEMPTS: "3", MACNET_LOGIN_BACKOFF_S: "600", MACNET_API_LOG: "0" }),
      port: 0,
    });
    try {
      const answer = (await fetch(second.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.99" },
        body: JSON.stringify({
          query: 'mutation { login(name: "racer", password: "wrong") { error { code } } }',
        }),
      }).then((r) => r.json())) as Answer;
      expect(outcome(answer)).toBe("TOO_MANY_ATTEMPTS");
    } finally {
      await second.close();
    }
  });

  it("redoes a password hash made with less than the configured cost at sign-in", async () => {
    await prisma.user.update({
      where: { name: "grace" },
      data: { passwordHash: await hashPassword("grace-password", { logN: 10, r: 8, p: 1 }) },
    });
    expect((await login("grace", "grace-password", "198.51.100.77")).user?.name).toBe("grace");
    const stored = await prisma.user.findUniqueOrThrow({ where: { name: "grace" } });
    expect(stored.passwordHash).toMatch(/^scrypt\$ln=11,r=8,p=1\$/);
    expect((await login("grace", "grace-password", "198.51.100.78")).user?.name).toBe("grace");
  });
});
