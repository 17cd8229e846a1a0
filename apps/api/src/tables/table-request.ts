// What an HTTP table request (/scs, /export) asks for, from its query parameters: the same filter
// as GraphQL's ObjectFilter, the models whose predictions ride along, the verbosity and the row
// limit. Every problem names the parameter.
import { OBJECT_CLASSES } from "@macnet/core";
import type { ObjectClass } from "@macnet/db";
import { badInput, parseId } from "../errors.ts";
import type { TObjectFilter } from "../object-filter.ts";
import type { Verbosity } from "./object-table.ts";

/** A number as astronomers write one: 12, -0.5, .5, 1.2e-3. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPLIT_NAMES = ["TRAIN", "VAL", "TEST"] as const;

/** Query parameters by name; `name` lookups are case-insensitive (IVOA DAL parameters are). */
export class Params {
  private readonly values = new Map<string, string>();

  constructor(search: URLSearchParams) {
    for (const [key, value] of search) {
      const name = key.toUpperCase();
      // PostgreSQL text cannot hold a NUL: refused here, not by the database mid-answer.
      if (key.includes("\u0000") || value.includes("\u0000"))
        throw badInput(`parameter ${key.replaceAll("\u0000", "\\0")} holds a NUL character`, key);
      if (this.values.has(name)) throw badInput(`parameter ${key} is given more than once`, key);
      this.values.set(name, value);
    }
  }

  get(name: string): string | undefined {
    const value = this.values.get(name.toUpperCase());
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  }

  number(name: string): number | undefined {
    const text = this.get(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    // Decimal notation only: Number() would also read 0x10 as 16, 0b1 and 1e400 as Infinity.
    if (!DECIMAL.test(text) || !Number.isFinite(value))
      throw badInput(`${name} must be a decimal number (got "${text.slice(0, 40)}")`, name);
    return value;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.number(name);
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw badInput(`${name} must be a whole number from ${min} to ${max}`, name);
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.get(name)?.toUpperCase();
    if (text === undefined) return undefined;
    if (!allowed.includes(text as T)) throw badInput(`${name} must be one of ${allowed.join(", ")}`, name);
    return text as T;
  }

  flag(name: string): boolean {
    const text = this.get(name)?.toLowerCase();
    if (text === undefined || text === "0" || text === "false") return false;
    if (text === "1" || text === "true") return true;
    throw badInput(`${name} must be true or false`, name);
  }

  /** Model ids separated by commas; "none" for none; undefined when not given. */
  modelIds(name: string): number[] | undefined {
    const text = this.get(name);
    if (text === undefined) return undefined;
    if (text.toLowerCase() === "none") return [];
    return text.split(",").map((id) => parseId(id.trim(), name));
  }
}

/**
 * The objects filter from parameters named as GraphQL's ObjectFilter fields (case-insensitive):
 * catalogueClass, modelId, predictedClass, disagreement, datasetId, split, source; the cone is
 * given separately by the caller.
 */
export function filterFromParams(params: Params): TObjectFilter {
  const modelId = params.get("modelId");
  const datasetId = params.get("datasetId");
  return {
    catalogueClass: params.oneOf("catalogueClass", OBJECT_CLASSES) as ObjectClass | undefined,
    modelId: modelId ? parseId(modelId, "modelId") : null,
    predictedClass: params.oneOf("predictedClass", OBJECT_CLASSES) as ObjectClass | undefined,
    disagreement: params.flag("disagreement"),
    datasetId: datasetId ? parseId(datasetId, "datasetId") : null,
    split: params.oneOf("split", SPLIT_NAMES),
    source: params.get("source"),
  };
}

export function verbosityFrom(params: Params, name: string, fallback: Verbosity): Verbosity {
  return (params.integer(name, 1, 3) ?? fallback) as Verbosity;
}
