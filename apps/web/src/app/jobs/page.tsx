"use client";
// Training: the job list for everyone; for admins, a form that launches a training job (the API
// refuses everyone else, and the form is not shown to them).
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { JobTable } from "@/components/JobTable";
import { useIsAdmin } from "@/components/Shell";
import { graphql } from "@/gql";
import { formatDuration } from "@/lib/astro";
import { useRefreshWhileActive } from "@/lib/refresh";

const JobsQuery = graphql(`
  query JobList {
    jobs(first: 100) {
      ...JobRow
    }
    datasets {
      id
      name
      version
      members
    }
  }
`);

const PlanQuery = graphql(`
  query TrainingPlan($architecture: Architecture!, $datasetId: ID, $epochs: Int, $compact: Boolean) {
    trainingPlan(architecture: $architecture, datasetId: $datasetId, epochs: $epochs, compact: $compact) {
      device
      gpu
      epochs
      batchSize
      learningRate
      patience
      compact
      msPerSample
      basedOnEpochs
      samples
      expectedSeconds
    }
  }
`);

const PresetsQuery = graphql(`
  query TrainingPresets {
    trainingPresets {
      name
      description
      architectures
      compact
      epochs
      batchSize
      learningRate
      patience
      optimizer
      lrSchedule
      warmupEpochs
      shiftPx
      labelSmoothing
      config
    }
  }
`);

const LaunchMutation = graphql(`
  mutation LaunchTraining($input: LaunchTrainingInput!) {
    launchTraining(input: $input) {
      job {
        id
      }
      error {
        code
        field
        message
      }
    }
  }
`);

const ARCHITECTURES = ["MAC_NET", "MC_NET", "C_NET", "M_NET", "SSCNN_1D", "IMAGE_NET"] as const;

interface LaunchForm {
  /** A named recipe ("" none): its values fill the fields, and what it sets beyond them goes with it. */
  preset: string;
  architecture: string;
  datasetId: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  patience: string;
  weights: string;
  compact: boolean;
}

/** The form's values as the mutation's input, or the first problem, naming its field. */
function validate(form: LaunchForm) {
  const positiveInt = (value: string, name: string, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
  if (!form.datasetId) throw new Error("Choose a dataset");
  const learningRate = Number(form.learningRate);
  if (!Number.isFinite(learningRate) || learningRate <= 0 || learningRate > 10)
    throw new Error("Learning rate must be a number in (0, 10]");
  const preset = form.weights.trim().toLowerCase();
  const weights = preset === "balanced" || preset === "paper" ? null : form.weights.split(":").map(Number);
  if (weights && (weights.length !== 3 || weights.some((w) => !Number.isFinite(w) || w <= 0)))
    throw new Error("Class weights must be balanced, paper, or three positive numbers GALAXY:QSO:STAR (e.g. 1:3:1)");
  return {
    architecture: form.architecture as (typeof ARCHITECTURES)[number],
    datasetId: form.datasetId,
    epochs: positiveInt(form.epochs, "Epochs", 10_000),
    batchSize: positiveInt(form.batchSize, "Batch size", 4096),
    learningRate,
    patience: positiveInt(form.patience, "Patience", 10_000),
    ...(weights
      ? { classWeights: weights }
      : { classWeightPreset: preset === "paper" ? ("PAPER" as const) : ("BALANCED" as const) }),
    compact: form.compact,
    ...(form.preset ? { preset: form.preset as "SDSS_CUTOUTS" } : {}),
  };
}

export default function JobsPage() {
  const router = useRouter();
  const admin = useIsAdmin();
  const [{ data, error }, refetch] = useQuery({ query: JobsQuery, requestPolicy: "cache-and-network" });
  useRefreshWhileActive(data?.jobs, refetch);
  const [{ fetching }, launch] = useMutation(LaunchMutation);
  const [message, setMessage] = useState<string | null>(null);
  // Empty recipe fields until the API proposes the recipe for the workers' hardware (a CPU: compact).
  const [form, setForm] = useState<LaunchForm>({
    preset: "",
    architecture: "MAC_NET",
    datasetId: "",
    epochs: "",
    batchSize: "",
    learningRate: "",
    patience: "",
    weights: "balanced",
    compact: true,
  });
  const [proposed, setProposed] = useState(false);
  const epochs = Number(form.epochs);
  const [{ data: planData }] = useQuery({
    query: PlanQuery,
    variables: {
      architecture: form.architecture as (typeof ARCHITECTURES)[number],
      datasetId: form.datasetId || null,
      epochs: proposed && Number.isInteger(epochs) && epochs >= 1 && epochs <= 10_000 ? epochs : null,
      compact: proposed ? form.compact : null,
    },
    pause: !admin,
  });
  const plan = planData?.trainingPlan;
  useEffect(() => {
    if (!plan || proposed) return;
    setProposed(true);
    // Only what the admin has not typed yet.
    setForm((f) => ({
      ...f,
      epochs: f.epochs || String(plan.epochs),
      batchSize: f.batchSize || String(plan.batchSize),
      learningRate: f.learningRate || String(plan.learningRate),
      patience: f.patience || String(plan.patience),
      compact: plan.compact,
    }));
  }, [plan, proposed]);
  const [{ data: presetData }] = useQuery({ query: PresetsQuery, pause: !admin });
  const presets = presetData?.trainingPresets ?? [];
  const preset = presets.find((p) => p.name === form.preset);
  const choosePreset = (name: string) => {
    const chosen = presets.find((p) => p.name === name);
    if (!chosen) {
      setForm({ ...form, preset: "" });
      return;
    }
    setForm({
      ...form,
      preset: chosen.name,
      architecture: chosen.architectures.includes(form.architecture as (typeof ARCHITECTURES)[number])
        ? form.architecture
        : (chosen.architectures[0] as string),
      epochs: String(chosen.epochs),
      batchSize: String(chosen.batchSize),
      learningRate: String(chosen.learningRate),
      patience: String(chosen.patience),
      weights: "balanced",
      compact: chosen.compact,
    });
  };
  const field = (key: keyof LaunchForm) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });

  return (
    <div className="page">
      <h1>Training</h1>
      {admin ? (
        <form
          className="launch"
          aria-label="launch training"
          onSubmit={async (event) => {
            event.preventDefault();
            setMessage(null);
            let input: ReturnType<typeof validate>;
            try {
              input = validate(form);
            } catch (problem) {
              setMessage((problem as Error).message);
              return;
            }
            const result = await launch({ input });
            const failure = result.error?.message ?? result.data?.launchTraining.error?.message;
            const job = result.data?.launchTraining.job;
            if (failure || !job) setMessage(failure ?? "The job was not queued");
            else router.push(`/jobs/${job.id}`);
          }}
        >
          <h2>Launch a training job</h2>
          <label>
            Recipe
            <select name="preset" value={form.preset} onChange={(event) => choosePreset(event.target.value)}>
              <option value="">your own (the fields below)</option>
              {presets.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name.toLowerCase().replace(/_/g, "-")}: {p.description}
                </option>
              ))}
            </select>
          </label>
          {preset && (
            <p className="muted" data-testid="preset-note">
              {preset.name.toLowerCase().replace(/_/g, "-")} also sets: the {preset.optimizer.toLowerCase()} optimizer,
              a {preset.lrSchedule.toLowerCase()} learning rate after {preset.warmupEpochs} warm-up epochs
              {preset.shiftPx > 0 ? `, images moved by up to ${preset.shiftPx} px as well as turned` : ""}
              {preset.labelSmoothing > 0 ? `, label smoothing ${preset.labelSmoothing}` : ""}
              {Object.keys(preset.config ?? {}).length > 0
                ? `, model configuration ${JSON.stringify(preset.config)}`
                : ""}
              . For {preset.architectures.join(", ")}; the fields below win where you change them.
            </p>
          )}
          <label>
            Architecture
            <select name="architecture" value={form.architecture} onChange={field("architecture")}>
              {ARCHITECTURES.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            Dataset
            <select name="datasetId" value={form.datasetId} onChange={field("datasetId")}>
              <option value="">choose…</option>
              {data?.datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} v{d.version} ({d.members} objects)
                </option>
              ))}
            </select>
          </label>
          <label>
            Epochs
            <input name="epochs" inputMode="numeric" value={form.epochs} onChange={field("epochs")} />
          </label>
          <label>
            Batch size
            <input name="batchSize" inputMode="numeric" value={form.batchSize} onChange={field("batchSize")} />
          </label>
          <label>
            Learning rate{preset ? ` (${preset.optimizer.toLowerCase()})` : " (AdaGrad)"}
            <input name="learningRate" inputMode="decimal" value={form.learningRate} onChange={field("learningRate")} />
          </label>
          <label>
            Early-stopping patience
            <input name="patience" inputMode="numeric" value={form.patience} onChange={field("patience")} />
          </label>
          <label>
            Class weights (balanced, paper or GALAXY:QSO:STAR)
            <input name="weights" value={form.weights} onChange={field("weights")} />
          </label>
          <label className="check">
            <input
              type="checkbox"
              name="compact"
              checked={form.compact}
              onChange={(e) => setForm({ ...form, compact: e.target.checked })}
            />
            compact configuration (CPU demo size; untick for the paper's full size, a GPU job)
          </label>
          {plan && (
            <p className="muted" data-testid="training-estimate">
              {plan.device ? `Workers: ${plan.device}. ` : "No job has run yet. "}
              {plan.gpu ? "Proposed: the paper's recipe (GPU). " : "Proposed: the compact CPU recipe. "}
              {plan.expectedSeconds != null
                ? `Expected: at most ${formatDuration(plan.expectedSeconds)} (${plan.samples} training and validation objects, ${plan.msPerSample?.toFixed(1)} ms per object per epoch measured over ${plan.basedOnEpochs} epochs of ${form.architecture}${form.compact ? " compact" : ""}; early stopping may end it sooner).`
                : plan.msPerSample == null
                  ? `No ${form.architecture}${form.compact ? " compact" : ""} epoch measured yet on these workers: the duration shows after a first run.`
                  : "Choose a dataset to see the expected duration."}
            </p>
          )}
          {message && (
            <p className="error" role="alert">
              {message}
            </p>
          )}
          <button type="submit" disabled={fetching}>
            Launch
          </button>
        </form>
      ) : (
        <p className="muted" data-testid="admin-only">
          Only administrators launch and cancel jobs.
        </p>
      )}
      <h2>Jobs</h2>
      {error && <p className="error">{error.message}</p>}
      {data && <JobTable jobs={data.jobs} />}
    </div>
  );
}
