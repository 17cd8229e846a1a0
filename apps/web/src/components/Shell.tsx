"use client";
// The signed-in frame: who is here (the `me` query), role-aware navigation, sign-out; anyone not
// signed in is sent to /login.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { createContext, type ReactNode, Suspense, useContext, useEffect } from "react";
import { useMutation, useQuery } from "urql";
import { graphql } from "@/gql";

const MeQuery = graphql(`
  query Me {
    me {
      id
      name
      role
    }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

export interface Viewer {
  id: string;
  name: string;
  role: "ADMIN" | "SCIENTIST" | "COLLABORATOR";
}

const ViewerContext = createContext<{ viewer: Viewer | null; refresh: () => void }>({
  viewer: null,
  refresh: () => {},
});

export const useViewer = () => useContext(ViewerContext);
export const useIsAdmin = () => useContext(ViewerContext).viewer?.role === "ADMIN";

const LINKS: { href: string; label: string; admin?: boolean }[] = [
  { href: "/", label: "Overview" },
  { href: "/objects", label: "Objects" },
  { href: "/triage", label: "Disagreements" },
  { href: "/review", label: "Review" },
  { href: "/models", label: "Models" },
  { href: "/jobs", label: "Training" },
  { href: "/datasets", label: "Datasets" },
];

export function Shell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const [{ data, fetching, error }, refetch] = useQuery({ query: MeQuery });
  const [, logout] = useMutation(LogoutMutation);
  const viewer = (data?.me as Viewer | null | undefined) ?? null;
  const refresh = () => refetch({ requestPolicy: "network-only" });
  const onLogin = pathname === "/login";

  useEffect(() => {
    if (!fetching && !viewer && !onLogin) router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [fetching, viewer, onLogin, pathname, router]);

  const context = { viewer, refresh };
  if (onLogin) return <ViewerContext.Provider value={context}>{children}</ViewerContext.Provider>;
  if (error) return <p className="error">The API did not answer: {error.message}</p>;
  if (!viewer) return <p className="loading">Loading…</p>;
  return (
    <ViewerContext.Provider value={context}>
      <header className="top">
        <Link href="/" className="brand">
          MAC-Net
        </Link>
        <nav aria-label="main">
          {LINKS.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className={(link.href === "/" ? pathname === "/" : pathname.startsWith(link.href)) ? "active" : ""}
            >
              {link.label}
            </Link>
          ))}
        </nav>
        <span className="who" data-testid="viewer">
          {viewer.name} <span className="role">{viewer.role.toLowerCase()}</span>
        </span>
        <button
          type="button"
          className="link"
          onClick={async () => {
            await logout({});
            refresh();
            router.replace("/login");
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        <Suspense fallback={<p className="loading">Loading…</p>}>{children}</Suspense>
      </main>
    </ViewerContext.Provider>
  );
}
