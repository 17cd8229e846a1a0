import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulateSurvey } from "@macnet/survey-sim";
for (const n of [40, 300]) {
  const out = mkdtempSync(join(tmpdir(), "sim-"));
  await simulateSurvey({ outDir: out, objects: n, seed: 1, plans: 1 });
  const files = readdirSync(out, { recursive: true }) as string[];
  const cat = files.find((f) => f.endsWith(".csv") && f.includes("catalog"));
  console.log(n, files.filter((f) => f.endsWith(".csv")));
  const text = readFileSync(join(out, cat as string), "utf8").split("\n");
  console.log(text.slice(0, 3).join("\n"));
}
