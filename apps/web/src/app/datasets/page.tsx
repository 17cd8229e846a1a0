"use client";
// Datasets: every user sees the splits and their class counts; admins create new ones (a stratified,
// seeded split; an existing name gets a new version).
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useIsAdmin } from "@/components/Shell";
import { graphql } from "@/gql";
import { formatDate } from "@/lib/astro";

const DatasetsQuery = graphql(`
  query DatasetList {
    datasets {
      id
      name
      version
      seed
      ratios
      blueWindow
      redWindow
      source
      members
      createdAt
      lockedAt
      splits {
        split
        galaxy
        qso
        star
        total
      }
    }
  }
`);

const CreateDatasetMutation = graphql(`
  mutation CreateDataset($input: CreateDatasetInput!) {
    createDataset(input: $input) {
      dataset {
        id
        name
        version
      }
      error {
        code
        field
        message
      }
    }
  }
`);

function parseWindow(text: string, name: string): number[] | undefined {
  if (!text.trim()) return undefined;
  const parts = text.split(":").map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isInteger(n) || n < 0) || (parts[0] ?? 0) >= (parts[1] ?? 0))
    throw new Error(`${name} window must be start:end pixels with start < end`);
  return parts;
}

export default function DatasetsPage() {
  const admin = useIsAdmin();
  const [{ data, error }, refetch] = useQuery({ query: DatasetsQuery, requestPolicy: "cache-and-network" });
  const [{ fetching }, create] = useMutation(CreateDatasetMutation);
  const [form, setForm] = useState({ name: "", seed: "1", ratios: "8:1:1", blue: "", red: "", source: "" });
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const field = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });

  return (
    <div className="page">
      <h1>Datasets</h1>
      {error && <p className="error">{error.message}</p>}
      {data?.datasets.length === 0 && <p className="muted">No datasets yet.</p>}
      <div className="datasets">
        {data?.datasets.map((d) => (
          <section key={d.id} className="dataset" data-testid={`dataset-${d.id}`}>
            <h2>
              {d.name} v{d.version} <span className="muted">#{d.id}</span>
            </h2>
            <p className="muted">
              {d.members} objects · seed {d.seed} · ratios {d.ratios.join(":")} · blue {d.blueWindow.join("–")} px · red{" "}
              {d.redWindow.join("–")} px{d.source ? ` · source ${d.source}` : ""} · created {formatDate(d.createdAt)}
              {d.lockedAt ? " · locked (used for training)" : ""}
            </p>
            <table className="data">
              <thead>
                <tr>
                  <th>Split</th>
                  <th>Galaxy</th>
                  <th>QSO</th>
                  <th>Star</th>
                  <th>Total</th>
                </tr>
              </thead>
              <tbody>
                {d.splits.map((s) => (
                  <tr key={s.split}>
                    <td>{s.split.toLowerCase()}</td>
                    <td>{s.galaxy}</td>
                    <td>{s.qso}</td>
                    <td>{s.star}</td>
                    <td>{s.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      {admin && (
        <form
          className="launch"
          aria-label="create dataset"
          onSubmit={async (event) => {
            event.preventDefault();
            setMessage(null);
            try {
              const ratios = form.ratios.split(":").map(Number);
              if (ratios.length !== 3 || ratios.some((r) => !Number.isFinite(r) || r < 0))
                throw new Error("Ratios must be train:val:test, e.g. 8:1:1");
              const seed = Number(form.seed);
              if (!Number.isInteger(seed)) throw new Error("Seed must be a whole number");
              const result = await create({
                input: {
                  name: form.name,
                  seed,
                  ratios,
                  blueWindow: parseWindow(form.blue, "Blue"),
                  redWindow: parseWindow(form.red, "Red"),
                  source: form.source || undefined,
                },
              });
              const failure = result.error?.message ?? result.data?.createDataset.error?.message;
              const created = result.data?.createDataset.dataset;
              if (failure || !created) throw new Error(failure ?? "The dataset was not created");
              setMessage({ error: false, text: `Created ${created.name} v${created.version}.` });
              refetch({ requestPolicy: "network-only" });
            } catch (problem) {
              setMessage({ error: true, text: (problem as Error).message });
            }
          }}
        >
          <h2>Create a dataset</h2>
          <label>
            Name
            <input name="name" value={form.name} onChange={field("name")} required />
          </label>
          <label>
            Seed
            <input name="seed" inputMode="numeric" value={form.seed} onChange={field("seed")} />
          </label>
          <label>
            Ratios train:val:test
            <input name="ratios" value={form.ratios} onChange={field("ratios")} />
          </label>
          <label>
            Blue window (px, start:end)
            <input name="blue" placeholder="1000:3000" value={form.blue} onChange={field("blue")} />
          </label>
          <label>
            Red window (px, start:end)
            <input name="red" placeholder="1500:3500" value={form.red} onChange={field("red")} />
          </label>
          <label>
            Source (optional)
            <input name="source" value={form.source} onChange={field("source")} />
          </label>
          {message && (
            <p className={message.error ? "error" : "ok"} role="status">
              {message.text}
            </p>
          )}
          <button type="submit" disabled={fetching}>
            Create
          </button>
        </form>
      )}
    </div>
  );
}
