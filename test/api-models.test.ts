import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseApiEnv, startApiServer } from "@macnet/api";
import { TRAINING_PRESETS } from "@macnet/model/names";
import { createClient } from "graphql-ws";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  codes,
  conePoints,
  database,
  datasetId,
  gql,
  keys,
  modelA,
  modelB,
  prisma,
  queries,
  type Response,
  server,
  useApiFixture,
} from "./helpers/api-fixture.ts";
import { cliEntry, repoRoot } from "./helpers/paths.ts";

// The GraphQL API as clients use it (models, datasets, label audits and reviews, hardening, compiled
// execution, jobs over HTTP and WebSocket): real requests to a running server on a real PostgreSQL
// (test/helpers/api-fixture.ts). Authentication and objects: test/api.test.ts.

useApiFixture();

describe("GraphQL API: models, datasets, hardening", () => {
  it("compares models: metrics side by side and confusion-matrix differences", async () => {
    const r = await gql(`{ compareModels(ids: ["${modelA}", "${modelB}"]) {
      models { name parameterCount } evaluations { accuracy confusionMatrix perClass { class f1 } } confusionDifferences
    } }`);
    expect(r.errors).toBeUndefined();
    const c = (r.data as { compareModels: Record<string, unknown> }).compareModels as {
      models: { name: string }[];
      evaluations: { accuracy: number; confusionMatrix: number[][] }[];
      confusionDifferences: number[][][];
    };
    expect(c.models.map((m) => m.name)).toEqual(["model-a", "model-b"]);
    expect(c.evaluations[0]?.confusionMatrix).toEqual([
      [5, 1, 0],
      [1, 4, 1],
      [0, 2, 6],
    ]);
    expect(c.confusionDifferences[1]).toEqual([
      [1, -1, 0],
      [0, 1, -1],
      [0, -1, 1],
    ]);
    const datasets = await gql("{ datasets { name version splits { split total galaxy qso star } members } }");
    const api = (
      datasets.data as { datasets: { name: string; members: number; splits: { total: number }[] }[] }
    ).datasets.find((d) => d.name === "api");
    expect(api?.splits.reduce((n, s) => n + s.total, 0)).toBe(api?.members);
  });

  it("serves stored label audits: the ranking in pages, only the contradicted, truth figures, bounded pages", async () => {
    const objects = await prisma.celestialObject.findMany({ where: { source: "sim" }, orderBy: { id: "asc" } });
    const audit = await prisma.labelAudit.create({
      data: {
        datasetId,
        modelIds: [modelA, 999_999],
        folds: 0,
        objects: objects.length,
        contradicted: Math.ceil(objects.length / 2),
        summary: {
          inSample: 3,
          truth: {
            withTruth: 36,
            planted: 1,
            k: 50,
            found: 1,
            recall: 1,
            precision: 0.02,
            atTwicePlanted: { k: 2, found: 1, recall: 1, precision: 0.5 },
          },
        },
        entries: {
          create: objects.map((o, i) => ({
            rank: i + 1,
            objectId: o.id,
            catalogueClass: "STAR" as const,
            suggestedClass: i % 2 === 0 ? ("QSO" as const) : ("STAR" as const),
            pCatalogue: i / 100,
            probGalaxy: 0,
            probQso: 1 - i / 100,
            probStar: i / 100,
            votes: i % 2 === 0 ? 1 : 0,
            inSample: i < 3,
          })),
        },
      },
    });
    const query = `query ($id: ID!, $limit: Int, $offset: Int, $only: Boolean) {
      labelAudits(datasetId: "${datasetId}") { id }
      labelAudit(id: $id) {
        folds objects contradicted inSample models { name } dataset { name }
        truth { planted withTruth atTop { k found recall precision } atTwicePlanted { k found recall precision } }
        entries(limit: $limit, offset: $offset, onlyContradicted: $only) { rank object { id } suggestedClass votes inSample }
      }
    }`;
    const r = await gql(query, { id: String(audit.id), limit: 4, offset: 2 }, { key: keys.COLLABORATOR });
    expect(r.errors).toBeUndefined();
    expect(r.data.labelAudits).toEqual([{ id: String(audit.id) }]);
    expect(r.data.labelAudit).toMatchObject({
      folds: 0,
      objects: objects.length,
      inSample: 3,
      models: [{ name: "model-a" }], // the deleted model 999999 is left out
      dataset: { name: "api" },
      truth: {
        planted: 1,
        withTruth: 36,
        atTop: { k: 50, found: 1, recall: 1, precision: 0.02 },
        atTwicePlanted: { k: 2, found: 1, recall: 1, precision: 0.5 },
      },
    });
    expect(r.data.labelAudit.entries.map((e: { rank: number }) => e.rank)).toEqual([3, 4, 5, 6]);
    expect(r.data.labelAudit.entries[0]).toMatchObject({ object: { id: String(objects[2]?.id) }, inSample: true });
    const only = await gql(query, { id: String(audit.id), limit: 500, only: true }, { key: keys.COLLABORATOR });
    expect(only.data.labelAudit.entries).toHaveLength(Math.ceil(objects.length / 2));
    for (const e of only.data.labelAudit.entries) expect(e).toMatchObject({ suggestedClass: "QSO", votes: 1 });
    const tooMany = await gql(query, { id: String(audit.id), limit: 501 }, { key: keys.COLLABORATOR });
    expect(codes(tooMany)).toContain("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.message).toMatch(/limit must be in \[0, 500\]/);
    const anonymous = await gql(query, { id: String(audit.id) }, {});
    expect(codes(anonymous)).toContain("UNAUTHENTICATED");
  });

  it("records label verdicts by role, keeps every one, queues what the viewer has not judged, and makes a reviewed version", async () => {
    const audit = await prisma.labelAudit.findFirstOrThrow({ where: { datasetId }, orderBy: { id: "desc" } });
    const entries = await prisma.labelAuditEntry.findMany({
      where: { auditId: audit.id },
      orderBy: { rank: "asc" },
      include: { object: true },
    });
    const [first, second] = entries as [(typeof entries)[number], (typeof entries)[number]];
    const other = (cls: string | null) => (cls === "STAR" ? "QSO" : "STAR");
    const review = `mutation ($input: ReviewLabelInput!) {
      reviewLabel(input: $input) { verdict { id reviewer reviewerRole verdict correctedClass catalogueClass comment auditId } error { code field message } }
    }`;
    const wrongFirst = {
      objectId: String(first.objectId),
      verdict: "CATALOGUE_WRONG",
      correctedClass: other(first.object.catalogClass),
      auditId: String(audit.id),
    };
    const guest = await gql(review, { input: wrongFirst }, { key: keys.COLLABORATOR });
    expect(codes(guest)).toEqual(["FORBIDDEN"]);
    expect(guest.errors?.[0]?.message).toMatch(/you are COLLABORATOR/);
    // A scientist and an admin at the same moment, on the same object: both kept, neither overwritten.
    const [scientist, admin] = await Promise.all([
      gql(review, { input: { ...wrongFirst, comment: "  broad Mg II  " } }, { key: keys.SCIENTIST }),
      gql(review, { input: { objectId: String(first.objectId), verdict: "CATALOGUE_RIGHT" } }, { key: keys.ADMIN }),
    ]);
    expect(scientist.data.reviewLabel).toEqual({
      verdict: {
        id: expect.any(String),
        reviewer: "scientist",
        reviewerRole: "SCIENTIST",
        verdict: "CATALOGUE_WRONG",
        correctedClass: other(first.object.catalogClass),
        catalogueClass: first.object.catalogClass,
        comment: "broad Mg II",
        auditId: String(audit.id),
      },
      error: null,
    });
    expect(admin.data.reviewLabel.error).toBeNull();
    const read = await gql(
      `query ($id: ID!) { labelAudit(id: $id) { entries(limit: 1) { verdicts { reviewer verdict } } } }`,
      { id: String(audit.id) },
      { key: keys.COLLABORATOR },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data.labelAudit.entries[0].verdicts.map((v: { reviewer: string }) => v.reviewer).sort()).toEqual([
      "admin",
      "scientist",
    ]);
    // Hostile or wrong inputs: a clear error naming the field, nothing stored.
    const before = await prisma.labelVerdict.count();
    const bad = async (input: Record<string, unknown>) =>
      (await gql(review, { input }, { key: keys.SCIENTIST })).data?.reviewLabel.error;
    expect(await bad({ ...wrongFirst, comment: "x".repeat(2001) })).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "comment",
    });
    expect(await bad({ ...wrongFirst, correctedClass: null })).toMatchObject({ field: "correctedClass" });
    expect(await bad({ ...wrongFirst, objectId: "99999999" })).toMatchObject({
      code: "OBJECT_NOT_FOUND",
      field: "objectId",
    });
    const outsider = conePoints[0] as { id: number };
    expect(await bad({ ...wrongFirst, objectId: String(outsider.id), correctedClass: "QSO" })).toMatchObject({
      code: "OBJECT_NOT_IN_DATASET",
    });
    const unknownClass = await gql(
      review,
      { input: { ...wrongFirst, correctedClass: "PULSAR" } },
      { key: keys.SCIENTIST },
    );
    expect(codes(unknownClass)).toEqual(["BAD_USER_INPUT"]);
    expect(await prisma.labelVerdict.count()).toBe(before);
    // The queue skips what the viewer judged: the scientist's starts after the first entry, the collaborator's does not.
    const queue = `query ($id: ID!) { reviewQueue(auditId: $id, limit: 2) { rank } }`;
    const mine = await gql(queue, { id: String(audit.id) }, { key: keys.SCIENTIST });
    expect(mine.data.reviewQueue.map((e: { rank: number }) => e.rank)).toEqual([2, 3]);
    const theirs = await gql(queue, { id: String(audit.id) }, { key: keys.COLLABORATOR });
    expect(theirs.data.reviewQueue.map((e: { rank: number }) => e.rank)).toEqual([1, 2]);
    const huge = await gql(`query ($id: ID!) { reviewQueue(auditId: $id, limit: 101) { rank } }`, {
      id: String(audit.id),
    });
    expect(codes(huge)).toContain("BAD_USER_INPUT");
    // The admin's verdict on the second object corrects it in a new version; the first keeps its label (admin said right).
    await gql(review, {
      input: {
        objectId: String(second.objectId),
        verdict: "CATALOGUE_WRONG",
        correctedClass: other(second.object.catalogClass),
      },
    });
    const create = `mutation ($id: ID!) { createReviewedDataset(datasetId: $id) { dataset { id version corrections reviewRule parent { id } } error { code message } } }`;
    const refused = await gql(create, { id: String(datasetId) }, { key: keys.SCIENTIST });
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    const made = await gql(create, { id: String(datasetId) });
    expect(made.errors).toBeUndefined();
    expect(made.data.createReviewedDataset.dataset).toMatchObject({
      corrections: 1,
      reviewRule: "admin-or-two-agreeing-scientists",
      parent: { id: String(datasetId) },
    });
    const labels = await gql(
      `query ($a: ID!, $b: ID!, $v1: ID!, $v2: ID!) {
        a: object(id: $a) { catalogueClass v1: label(datasetId: $v1) v2: label(datasetId: $v2) }
        b: object(id: $b) { catalogueClass v1: label(datasetId: $v1) v2: label(datasetId: $v2) split(datasetId: $v2) }
      }`,
      {
        a: String(first.objectId),
        b: String(second.objectId),
        v1: String(datasetId),
        v2: made.data.createReviewedDataset.dataset.id,
      },
      { key: keys.COLLABORATOR },
    );
    expect(labels.errors).toBeUndefined();
    expect(labels.data.a).toEqual({
      catalogueClass: first.object.catalogClass,
      v1: first.object.catalogClass,
      v2: first.object.catalogClass,
    });
    const splitB = await prisma.datasetMember.findUniqueOrThrow({
      where: { datasetId_objectId: { datasetId, objectId: second.objectId } },
    });
    expect(labels.data.b).toEqual({
      catalogueClass: second.object.catalogClass,
      v1: second.object.catalogClass,
      v2: other(second.object.catalogClass),
      split: splitB.split,
    });
  });

  it("rejects hostile operations with codes: depth 50, 1000 aliases, first: 1e9, batches, cross-site GETs", async () => {
    const deep =
      `{ objects { edges { node { predictions { model { job { models { dataset { id } } } } } } } } }`.replace(
        "dataset { id }",
        `${"job { models { ".repeat(20)}id${" } }".repeat(20)}`,
      );
    expect(codes(await gql(deep))).toEqual(["QUERY_TOO_DEEP"]);
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { name }`).join(" ")} }`;
    expect(codes(await gql(aliases))).toEqual(["TOO_MANY_ALIASES"]);
    expect(codes(await gql("{ objects(first: 1e9) { totalCount } }"))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    // Over the resolver's maximum: the estimate counts the maximum, and the resolver refuses the value.
    expect(codes(await gql("query ($n: Int) { objects(first: $n) { edges { node { id } } } }", { n: 1e9 }))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(codes(await gql("{ objects(first: 500) { totalCount } }"))).toEqual(["BAD_USER_INPUT"]);
    const batch = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${keys.ADMIN}` },
      body: JSON.stringify([{ query: "{ me { name } }" }, { query: "{ me { name } }" }]),
    });
    expect(batch.status).toBe(400);
    const csrf = await fetch(`${server.url}?query=${encodeURIComponent("{ me { name } }")}`, {
      headers: { authorization: `Bearer ${keys.ADMIN}` },
    });
    expect(csrf.status).toBe(400);
    expect(await csrf.text()).toMatch(/CSRF/i);
    const post = (body: string) =>
      fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${keys.ADMIN}` },
        body,
      });
    const malformed = await post('{"query": "{ me { name } }"');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Response).errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    const huge = await post(JSON.stringify({ query: `{ me { name } } # ${"x".repeat(1_100_000)}` }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as Response).errors?.[0]?.extensions?.code).toBe("PAYLOAD_TOO_LARGE");
    // The server still answers after both.
    expect(((await (await post(JSON.stringify({ query: "{ me { name } }" }))).json()) as Response).data).toEqual({
      me: { name: "admin" },
    });
  });
});

describe("GraphQL API: compiled execution", () => {
  it("answers every kind of operation exactly as graphql-js's reference executor does", async () => {
    // The same database served by a second server executing with graphql-js; each operation's whole
    // answer (data, errors with paths and codes, HTTP status) must be identical.
    const reference = await startApiServer({
      prisma,
      databaseUrl: database.url,
      config: parseApiEnv({ MACNET_API_LOG: "0", MACNET_API_EXECUTOR: "graphql-js" }),
      port: 0,
    });
    try {
      const model = String(modelA);
      const operations: [string, Record<string, unknown>][] = [
        [
          `query Page($n: Int, $withPredictions: Boolean!) { objects(first: $n, filter: { source: "sim" }) {
            __typename totalCount pageInfo { hasNextPage endCursor }
            edges { cursor node { ...Basic predictions @include(if: $withPredictions) { ...P } cls: catalogueClass } } } }
           fragment Basic on CelestialObject { id obsid designation raDeg decDeg redshift magnitudes missingModalities }
           fragment P on Prediction { predictedClass confidence probStar agreesWithCatalogue model { name dataset { name } } }`,
          { n: 7, withPredictions: true },
        ],
        [
          `query ($m: ID) { objects(first: 5, filter: { modelId: $m, disagreement: true }) {
            totalCount edges { cursor node { id ... on CelestialObject { catalogueClass predictions(modelId: $m) { predictedClass confidence } } } } } }`,
          { m: model },
        ],
        [
          `{ objects(first: 4, filter: { cone: { raDeg: 0.5, decDeg: 10, radiusDeg: 2 } }) { totalCount edges { node { id raDeg } } } }`,
          {},
        ],
        [
          `{ objects(first: 2, filter: { source: "sim" }) { edges { node { id strips { arm widthPx lengthPx mean std }
            spectra1d { survey nPixels } cutout { widthPx heightPx } activationMaps { model { name } } } } } }`,
          {},
        ],
        [
          `query ($m: ID!) { model(id: $m) { name architecture compact hyperParameters blueWindow parameterCount createdAt
            dataset { name splits { split total } } evaluation { accuracy confusionMatrix perClass { class precision f1 } } } }`,
          { m: model },
        ],
        [`{ datasets { name version ratios splits { split total } members } jobs { id kind status } }`, {}],
        [`{ objects(first: 500) { totalCount } }`, {}],
        [`{ objects(after: "not-a-cursor") { totalCount } }`, {}],
        [`{ a: object(id: "1") { id } b: object(id: "x") { id } me { name role } }`, {}],
        [`{ __type(name: "CelestialObject") { name fields { name type { kind name ofType { name } } } } }`, {}],
      ];
      for (const [query, variables] of operations) {
        const answer = async (url: string) => {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${keys.ADMIN}` },
            body: JSON.stringify({ query, variables }),
          });
          const body = (await response.json()) as { errors?: { extensions?: { stacktrace?: unknown } }[] };
          // Stack traces (shown outside production) name each executor's own frames.
          for (const error of body.errors ?? []) delete error.extensions?.stacktrace;
          return { status: response.status, body };
        };
        const [compiled, referenceAnswer] = [await answer(server.url), await answer(reference.url)];
        expect(compiled, query).toEqual(referenceAnswer);
      }
    } finally {
      await reference.close();
    }
  });
});

describe("GraphQL API: jobs", () => {
  let worker: ChildProcess | undefined;
  afterAll(() => {
    worker?.kill("SIGTERM");
  });

  it("lists the named training recipes and refuses one for an architecture it is not for, naming the field", async () => {
    const listed = await gql(
      "{ trainingPresets { name architectures epochs optimizer shiftPx labelSmoothing config } }",
      {},
      {
        key: keys.COLLABORATOR,
      },
    );
    const recipe = TRAINING_PRESETS["sdss-cutouts"].recipe;
    expect(listed.data.trainingPresets).toEqual([
      {
        name: "SDSS_CUTOUTS",
        architectures: ["IMAGE_NET"],
        epochs: recipe.epochs,
        optimizer: recipe.optimizer.toUpperCase(),
        shiftPx: recipe.shiftPx,
        labelSmoothing: recipe.labelSmoothing,
        config: TRAINING_PRESETS["sdss-cutouts"].config,
      },
    ]);
    const refused = await gql(
      `mutation ($d: ID!) { launchTraining(input: { architecture: C_NET, datasetId: $d, preset: SDSS_CUTOUTS }) {
        job { id } error { code field message } } }`,
      { d: String(datasetId) },
    );
    expect(refused.data.launchTraining).toMatchObject({
      job: null,
      error: { code: "BAD_USER_INPUT", field: "preset" },
    });
    const badShift = await gql(
      `mutation ($d: ID!) { launchTraining(input: { architecture: IMAGE_NET, datasetId: $d, shiftPx: 65 }) {
        job { id } error { code field } } }`,
      { d: String(datasetId) },
    );
    expect(badShift.data.launchTraining).toMatchObject({
      job: null,
      error: { code: "BAD_USER_INPUT", field: "shiftPx" },
    });
  });

  it("launches a small training job and streams its progress over a subscription until it succeeds", async () => {
    const launched = await gql(
      `mutation ($d: ID!) { launchTraining(input: { architecture: C_NET, datasetId: $d, compact: true, epochs: 3,
        batchSize: 4, learningRate: 0.01, optimizer: ADAM, lrSchedule: COSINE, warmupEpochs: 1 }) {
        job { id status launchedBy params } error { message } } }`,
      { d: String(datasetId) },
    );
    const job = (launched.data as { launchTraining: { job: { id: string; status: string; launchedBy: string } } })
      .launchTraining.job;
    expect(job).toMatchObject({
      status: "QUEUED",
      launchedBy: "admin",
      params: { optimizer: "adam", lrSchedule: "cosine", warmupEpochs: 1 },
    });

    const client = createClient({
      url: server.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${keys.SCIENTIST}` },
    });
    const events: { status: string; progress: number; epochs: { epoch: number }[] }[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      client.subscribe(
        {
          query: `subscription ($id: ID!) { jobProgress(id: $id) { status progress epochs { epoch } } }`,
          variables: { id: job.id },
        },
        {
          next: (value) => events.push((value.data as { jobProgress: (typeof events)[number] }).jobProgress),
          error: reject,
          complete: resolve,
        },
      );
    });
    const home = mkdtempSync(join(tmpdir(), "macnet-api-worker-"));
    worker = spawn(process.execPath, [cliEntry, "worker"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: database.url, MACNET_HOME: home, MACNET_JOB_PROGRESS_MS: "100" },
      stdio: "ignore",
    });
    await finished;
    await client.dispose();
    const statuses = events.map((e) => e.status);
    expect(statuses[0]).toBe("QUEUED");
    expect(statuses).toContain("RUNNING");
    expect(statuses.at(-1)).toBe("SUCCEEDED");
    expect(events.length).toBeGreaterThanOrEqual(4);
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.at(-1)?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const trained = await prisma.trainedModel.findFirstOrThrow({ where: { jobId: Number(job.id) } });
    expect(trained.hyperParameters).toMatchObject({ optimizer: "adam", lrSchedule: "cosine", warmupEpochs: 1 });
    // Launched from the API, the model is evaluated on the test split and run over its dataset in the
    // same job, as the demo's are (no "Not evaluated yet" on its page).
    const evaluations = await prisma.modelEvaluation.findMany({ where: { modelId: trained.id } });
    expect(evaluations.map((e) => e.split)).toEqual(["TEST"]);
    const predictions = await prisma.prediction.count({ where: { modelId: trained.id } });
    expect(predictions).toBeGreaterThan(0);
    const stored = await prisma.job.findUniqueOrThrow({ where: { id: Number(job.id) } });
    expect(stored.result).toMatchObject({ evaluation: { split: "TEST" }, classified: { stored: predictions } });

    const anonymous = createClient({
      url: server.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const refused = await new Promise<unknown>((resolve) => {
      anonymous.subscribe(
        { query: `subscription { jobProgress(id: "${job.id}") { status } }` },
        { next: resolve, error: resolve, complete: () => resolve(null) },
      );
    });
    expect(JSON.stringify(refused)).toMatch("UNAUTHENTICATED");
    await anonymous.dispose();
  });

  it("ends a subscription to a job that does not move as soon as its client goes away", async () => {
    // A queued job no worker will take: the subscription has nothing to send after its first event.
    const waiting = await prisma.job.create({ data: { kind: "EVALUATE", status: "QUEUED", params: {} } });
    const client = createClient({
      url: server.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${keys.ADMIN}` },
      retryAttempts: 0,
    });
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { jobProgress(id: "${waiting.id}") { status } }` },
        { next: () => resolve(), error: reject, complete: () => resolve() },
      );
    });
    await client.dispose();
    // It used to go on reading the job every 2 s (one poll, then the next, …) until the job changed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = queries.filter((sql) => sql.includes('"job"')).length;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(queries.filter((sql) => sql.includes('"job"')).length).toBe(before);
  });
});
