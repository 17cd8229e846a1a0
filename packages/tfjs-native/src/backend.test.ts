import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { loadAddon } from "./addon.ts";
import { selectBackend } from "./backend.ts";

const available = "addon" in loadAddon();

describe("selectBackend", () => {
  it.runIf(available)(
    "picks the oneDNN backend when the addon is built, says why faster ones were skipped, logs once",
    async () => {
      const lines: string[] = [];
      const selection = await selectBackend({ env: {}, log: (line) => lines.push(line) });
      expect(selection.choice).toBe("onednn");
      expect(tf.getBackend()).toBe("onednn");
      expect(selection.description).toMatch(/^onednn \(oneDNN \d+\.\d+\.\d+, \d+ threads\)$/);
      expect(selection.skipped.map((s) => s.split(":")[0])).toEqual(["tfjs-node-gpu", "tfjs-node"]);
      expect(lines).toEqual([`TensorFlow.js backend: ${selection.description}`]);
      await selectBackend({ env: {}, log: (line) => lines.push(line) });
      expect(lines).toHaveLength(1);
    },
  );

  it("honours MACNET_TF_BACKEND and fails loudly when the forced backend is missing", async () => {
    expect((await selectBackend({ env: { MACNET_TF_BACKEND: "cpu" } })).tfBackend).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    await expect(selectBackend({ env: { MACNET_TF_BACKEND: "tfjs-node" } })).rejects.toThrow(
      /MACNET_TF_BACKEND=tfjs-node is not available: tfjs-node: not installed/,
    );
    await expect(selectBackend({ env: { MACNET_TF_BACKEND: "gpu" } })).rejects.toThrow(
      /MACNET_TF_BACKEND must be one of tfjs-node-gpu, tfjs-node, onednn, cpu \(got "gpu"\)/,
    );
  });

  it("falls back to pure TensorFlow.js, saying why, when the addon is missing", () => {
    const script = `
      import { selectBackend } from ${JSON.stringify(fileURLToPath(new URL("./backend.ts", import.meta.url)))};
      const s = await selectBackend({ log: (line) => console.log(line) });
      console.log(JSON.stringify(s));`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, MACNET_TFJS_NATIVE_ADDON: "/nonexistent/tfjs_native.node", MACNET_TF_BACKEND: "" },
    });
    expect(result.status, result.stderr).toBe(0);
    const [log, json] = result.stdout.trim().split("\n").slice(-2) as [string, string];
    expect(log).toMatch(
      /^TensorFlow.js backend: cpu \(pure-JS TensorFlow.js kernels, slow\); native kernels unavailable \(the addon is not built/,
    );
    expect(JSON.parse(json).choice).toBe("cpu");
  });
});
