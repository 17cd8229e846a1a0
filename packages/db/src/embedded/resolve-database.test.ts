import { describe, expect, it } from "vitest";
import { maskPassword } from "./resolve-database.ts";

describe("maskPassword", () => {
  it("hides the password and keeps the rest of the URL", () => {
    expect(maskPassword("postgresql://macnet:s3cret@db.example:5432/macnet?sslmode=require")).toBe(
      "postgresql://macnet:***@db.example:5432/macnet?sslmode=require",
    );
    expect(maskPassword("postgresql://postgres@127.0.0.1:5432/test")).toBe("postgresql://postgres@127.0.0.1:5432/test");
  });
});
