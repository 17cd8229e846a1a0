-- Sign-in throttling in the database (issue #29): one row per user name and per client address with
-- its recent failures and lock (epoch milliseconds), updated atomically with each attempt, so that
-- concurrent attempts and every API process using this database share the counters.
CREATE TABLE "login_throttle" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "last_failure_ms" BIGINT NOT NULL,
    "locked_until_ms" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("scope", "key")
);

CREATE INDEX "login_throttle_last_failure_ms_idx" ON "login_throttle"("last_failure_ms");
