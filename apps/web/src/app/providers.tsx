"use client";
// Everything renders in the browser (the data is per user and behind a session), so the urql
// client is created once mounted and the server prerenders only the empty frame.
import { type ReactNode, useEffect, useState } from "react";
import { type Client, Provider } from "urql";
import { createUrqlClient } from "@/lib/urql";

export function Providers({ children }: { children: ReactNode }) {
  const [client, setClient] = useState<Client | null>(null);
  useEffect(() => setClient(createUrqlClient()), []);
  if (!client) return <p className="loading">Loading…</p>;
  return <Provider value={client}>{children}</Provider>;
}
