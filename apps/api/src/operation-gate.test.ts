import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { OperationGate, SMALL_COST } from "./operation-gate.ts";

const admitted = (outcome: (() => void) | GraphQLError): (() => void) => {
  if (outcome instanceof GraphQLError) throw new Error(`refused: ${outcome.message}`);
  return outcome;
};
const refusal = (outcome: (() => void) | GraphQLError) =>
  outcome instanceof GraphQLError
    ? [outcome.extensions.code, (outcome.extensions.http as { status: number }).status]
    : null;

describe("the operation gate", () => {
  it("lets a caller run a bounded number of operations, and others run theirs meanwhile", () => {
    const gate = new OperationGate({ perCaller: 4, perCallerCost: 100_000, totalCost: 400_000 });
    const held = [1, 2, 3, 4].map(() => admitted(gate.admit("key:1", 10)));
    expect(refusal(gate.admit("key:1", 10))).toEqual(["TOO_MANY_REQUESTS", 429]);
    admitted(gate.admit("key:2", 10))();
    held[0]?.();
    held[0]?.(); // a second release changes nothing
    const fifth = admitted(gate.admit("key:1", 10));
    expect(refusal(gate.admit("key:1", 10))).toEqual(["TOO_MANY_REQUESTS", 429]);
    for (const release of [...held.slice(1), fifth]) release();
    expect(gate.running).toBe(0);
  });

  it("bounds the estimated cost in flight per caller and in total, never refusing small operations", () => {
    const gate = new OperationGate({ perCaller: 10, perCallerCost: 100_000, totalCost: 150_000 });
    // One operation alone is always let through (the cost limit has already bounded it).
    const a = admitted(gate.admit("key:1", 90_000));
    expect(refusal(gate.admit("key:1", 20_000))).toEqual(["TOO_MANY_REQUESTS", 429]);
    const b = admitted(gate.admit("key:2", 50_000));
    expect(refusal(gate.admit("key:3", 20_000))).toEqual(["SERVER_BUSY", 503]);
    const small = admitted(gate.admit("key:3", SMALL_COST));
    const me = admitted(gate.admit("key:1", 1));
    for (const release of [a, b, small, me]) release();
    admitted(gate.admit("key:3", 20_000))();
    expect(gate.running).toBe(0);
  });
});
