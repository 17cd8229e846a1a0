// Admission of operations that passed the limits, so that one caller cannot starve the others:
// each caller (an API key, a session, or an anonymous address) may have `perCaller` operations
// running and `perCallerCost` of estimated cost in flight; all callers together `totalCost`, except
// that operations of at most SMALL_COST (`{ me }`, a job's status) are always let through. A refusal
// is immediate (TOO_MANY_REQUESTS, http 429, or SERVER_BUSY, http 503): nothing queues, so nothing
// piles up in memory behind an abusive caller.
import type { GraphQLError } from "graphql";
import type { Viewer } from "./context.ts";
import { refusal } from "./errors.ts";

export interface GateLimits {
  /** Operations one caller may have running at once. */
  perCaller: number;
  /** Estimated cost one caller may have in flight. */
  perCallerCost: number;
  /** Estimated cost all callers together may have in flight. */
  totalCost: number;
}

/** Operations this cheap are never refused for the total (they cost less than the refusal). */
export const SMALL_COST = 100;

/** An operation let through (call `release` once when it has answered), or why not. */
export type Admission =
  | { refused: GraphQLError; release?: undefined; cost?: undefined }
  | { refused?: undefined; release: () => void; cost: number };

/** Who an operation is counted against. */
export function callerOf(viewer: Viewer | null, clientAddress: string): string {
  if (!viewer) return `address:${clientAddress}`;
  return viewer.via.kind === "apiKey" ? `key:${viewer.via.apiKeyId}` : `session:${viewer.via.sessionId}`;
}

export class OperationGate {
  private readonly callers = new Map<string, { running: number; cost: number }>();
  private total = 0;

  constructor(private readonly limits: GateLimits) {}

  /** Admits an operation (its release function, call it once when it has answered) or refuses it. */
  admit(caller: string, cost: number): (() => void) | GraphQLError {
    const mine = this.callers.get(caller) ?? { running: 0, cost: 0 };
    if (mine.running >= this.limits.perCaller)
      return refusal(
        "TOO_MANY_REQUESTS",
        `You have ${mine.running} operations running, the most one caller may have at once: wait for one to answer`,
      );
    if (mine.running > 0 && mine.cost + cost > this.limits.perCallerCost)
      return refusal(
        "TOO_MANY_REQUESTS",
        `Your running operations' estimated cost ${Math.round(mine.cost)} and this one's ${Math.round(cost)} exceed ${this.limits.perCallerCost}: wait for them to answer`,
      );
    if (cost > SMALL_COST && this.total > 0 && this.total + cost > this.limits.totalCost)
      return refusal("SERVER_BUSY", "The server is answering as much as it may hold at once: try again shortly");
    mine.running++;
    mine.cost += cost;
    this.total += cost;
    this.callers.set(caller, mine);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      mine.running--;
      mine.cost -= cost;
      this.total -= cost;
      if (mine.running === 0) this.callers.delete(caller);
    };
  }

  /** Operations running now (tests read it to see that nothing leaked). */
  get running(): number {
    let n = 0;
    for (const caller of this.callers.values()) n += caller.running;
    return n;
  }
}
