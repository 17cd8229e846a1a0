import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { transformSync } from "esbuild";
const env = { ...process.env, MACNET_PORT: "4555", MACNET_KEY: readFileSync("/tmp/key", "utf8").trim() };
for (const file of ["README.md", "docs/api.md"]) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/```(sh|python|ts)\n([\s\S]*?)```/g)) {
    const code = m[2];
    if (!code.includes("MACNET_PORT")) continue;
    let out;
    try {
      if (m[1] === "sh") out = execFileSync("bash", ["-c", code], { env, encoding: "utf8" });
      else if (m[1] === "python") out = execFileSync("/usr/bin/python3", ["-c", code], { env, encoding: "utf8" });
      else {
        writeFileSync("/tmp/ex.mjs", transformSync(code, { loader: "ts", format: "esm" }).code);
        out = execFileSync(process.execPath, ["/tmp/ex.mjs"], { env, encoding: "utf8" });
      }
    } catch (e) { out = `FAILED ${e.message}`; }
    console.log(`== ${file} ${m[1]}\n${out.slice(0, 600)}`);
  }
}
