import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/paths.ts";

// The API serves datasets, audits and reviews without the networks: loading @macnet/api must not
// load @macnet/model's TensorFlow.js layers (the job runner imports them when it trains).
describe("the API's imports", () => {
  it("do not load the MAC-Net networks", () => {
    const script = `
      await import("@macnet/api");
      const tf = await import("@tensorflow/tfjs");
      const layers = Object.keys(tf.serialization.SerializationMap.getMap().classNameMap).filter((n) => n.startsWith("Macnet"));
      console.log(JSON.stringify(layers));`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(JSON.parse(out.trim().split("\n").at(-1) as string)).toEqual([]);
  });
});
