"use client";
// The urql client: queries and mutations over HTTP POST to /graphql (same origin, so the session
// cookie goes along), subscriptions over graphql-ws on the same path.
import { createClient as createWsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";

export function createUrqlClient(): Client {
  const wsUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/graphql`;
  const ws = createWsClient({ url: wsUrl, lazy: true, retryAttempts: 5 });
  return new Client({
    url: "/graphql",
    preferGetMethod: false,
    fetchOptions: { credentials: "same-origin" },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
