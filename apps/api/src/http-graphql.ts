// /graphql over plain node:http: the request body read and parsed here, handed to Apollo Server's
// executeHTTPGraphQLRequest, its answer written back. This is what Apollo's Express integration does,
// without Express's router, body-parser and response helpers on every operation (the rest of the
// server, /healthz and unknown paths, stays on Express).
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApolloServer, type BaseContext, HeaderMap } from "@apollo/server";
import { ERROR_CODES, MacnetError } from "@macnet/db";

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > limit) {
      reject(new MacnetError("request entity too large", "PAYLOAD_TOO_LARGE"));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Answered at once; the rest of the body is read and dropped so the answer can be sent.
        req.off("data", onData);
        req.resume();
        reject(new MacnetError("request entity too large", "PAYLOAD_TOO_LARGE"));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

/** A Set-Cookie value as Express writes it (null token: the cookie is cleared). */
export function sessionCookie(
  name: string,
  token: string | null,
  options: { expires?: Date; secure: boolean },
): string {
  const expires = token ? options.expires : new Date(0);
  return [
    `${name}=${token ? encodeURIComponent(token) : ""}`,
    "Path=/",
    ...(expires ? [`Expires=${expires.toUTCString()}`] : []),
    "HttpOnly",
    ...(options.secure ? ["Secure"] : []),
    "SameSite=Lax",
  ].join("; ");
}

/** A JSON body is parsed; any other content type goes to Apollo as text (it answers 400 for it). */
async function requestBody(req: IncomingMessage): Promise<unknown> {
  if (req.method !== "POST") return undefined;
  const text = await readBody(req, MAX_BODY_BYTES);
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/([\w.-]+\+)?json\b/i.test(type)) return text;
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MacnetError(`Malformed JSON body: ${(error as Error).message}`, "BAD_REQUEST");
  }
}

export function graphqlHttpHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: {
    context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
    log: (line: string) => void;
    /** Largest answer sent; a larger one is replaced by a RESPONSE_TOO_LARGE error. */
    maxResponseBytes: number;
  },
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let body: unknown;
    try {
      body = await requestBody(req);
    } catch (error) {
      const failure = error instanceof MacnetError ? error : new MacnetError((error as Error).message, "BAD_REQUEST");
      const { httpStatus: status, code, message } = failure;
      options.log(`http ${status}: ${message}`);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? "GET").toUpperCase(),
        headers,
        search: query < 0 ? "" : url.slice(query),
        body,
      },
      context: () => options.context(req, res),
    });
    if (answer.body.kind === "complete") {
      const bytes = Buffer.byteLength(answer.body.string);
      if (bytes > options.maxResponseBytes) {
        const message = `The answer would be ${(bytes / 1024 ** 2).toFixed(1)} MB, over the ${(options.maxResponseBytes / 1024 ** 2).toFixed(0)} MB a response may hold: ask for fewer items or fields`;
        options.log(`http 400: ${message}`);
        res.writeHead(ERROR_CODES.RESPONSE_TOO_LARGE.http, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ errors: [{ message, extensions: { code: "RESPONSE_TOO_LARGE" } }] }));
        return;
      }
    }
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === "complete") {
      res.end(answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
