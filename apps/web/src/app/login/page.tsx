"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { useMutation } from "urql";
import { useViewer } from "@/components/Shell";
import { graphql } from "@/gql";

const LoginMutation = graphql(`
  mutation Login($name: String!, $password: String!) {
    login(name: $name, password: $password) {
      user {
        id
        name
        role
      }
      error {
        code
        message
      }
    }
  }
`);

function LoginForm() {
  const router = useRouter();
  const next = useSearchParams().get("next");
  const { refresh } = useViewer();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [{ fetching }, login] = useMutation(LoginMutation);
  return (
    <form
      className="login"
      onSubmit={async (event) => {
        event.preventDefault();
        setMessage(null);
        const result = await login({ name, password });
        const error = result.error?.message ?? result.data?.login.error?.message;
        if (error || !result.data?.login.user) {
          setMessage(error ?? "Sign-in failed");
          return;
        }
        refresh();
        router.replace(next?.startsWith("/") ? next : "/");
      }}
    >
      <h1>MAC-Net platform</h1>
      <p className="muted">Sign in to browse the survey, compare models and run training.</p>
      <label>
        User name
        <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      <button type="submit" disabled={fetching}>
        Sign in
      </button>
    </form>
  );
}

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
