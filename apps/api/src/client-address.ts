// Which address a request came from, for sign-in throttling and the log. The dashboard's server
// forwards browsers' requests from a loopback address and names the browser in X-Forwarded-For; that
// header is believed only from loopback peers (and not at all with MACNET_API_TRUST_PROXY=none), and
// only its last entry, the one our own proxy appended.
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

function isLoopback(address: string): boolean {
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

/** The client's address as this server can vouch for it. */
export function clientAddressOf(request: IncomingMessage, trustProxy: "loopback" | "none"): string {
  const peer = request.socket.remoteAddress ?? "unknown";
  if (trustProxy === "none" || !isLoopback(peer)) return peer;
  const header = request.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").pop()?.trim() ?? "";
  return isIP(forwarded) ? forwarded : peer;
}
