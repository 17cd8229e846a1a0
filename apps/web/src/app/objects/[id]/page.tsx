"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { ArmPanel } from "@/components/ArmPanel";
import { CutoutView } from "@/components/CutoutView";
import { LabelVerdicts } from "@/components/LabelVerdicts";
import { LinePlot } from "@/components/LinePlot";
import { ClassBadge, ProbabilityBars } from "@/components/ProbabilityBars";
import { useIsAdmin } from "@/components/Shell";
import { graphql } from "@/gql";
import { dataRange, decodeFloat32, formatNumber, linesInRange } from "@/lib/astro";

const ObjectQuery = graphql(`
  query ObjectPage($id: ID!) {
    object(id: $id) {
      id
      obsid
      designation
      sdssObjId
      raDeg
      decDeg
      catalogueClass
      subclass
      redshift
      source
      release
      magnitudes
      missingModalities
      strips {
        ...StripFields
        sourceFile
      }
      spectra1d {
        survey
        nPixels
        wavelengthAngstrom
        flux
        ivar
        sourceFile
      }
      cutout {
        dataUrl
        widthPx
        heightPx
        pixelScaleArcsec
        source
      }
      predictions {
        model {
          id
          name
          architecture
        }
        predictedClass
        confidence
        probGalaxy
        probQso
        probStar
        agreesWithCatalogue
      }
      activationMaps {
        model {
          id
          name
        }
        target
        targetClass
        shape
        values
        wavelengthAngstrom
      }
    }
  }
`);

const LaunchGradCamMutation = graphql(`
  mutation LaunchGradCam($input: LaunchGradCamInput!) {
    launchGradCam(input: $input) {
      job {
        id
        status
      }
      error {
        message
      }
    }
  }
`);

const GradCamJobSubscription = graphql(`
  subscription GradCamJob($id: ID!) {
    jobProgress(id: $id) {
      id
      status
      progress
      error
    }
  }
`);

/**
 * Admins: compute Grad-CAM maps of this object with one of the models that classified it, as a job
 * run by the worker; its progress shows here, and the maps are overlaid when it is done.
 */
function GradCamLauncher(props: {
  objectId: string;
  models: { id: string; name: string }[];
  onDone: (modelId: string) => void;
}) {
  const { objectId, models, onDone } = props;
  const [modelId, setModelId] = useState(models[0]?.id ?? "");
  const [job, setJob] = useState<{ id: string; modelId: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, launch] = useMutation(LaunchGradCamMutation);
  const [{ data: live }] = useSubscription({
    query: GradCamJobSubscription,
    variables: { id: job?.id ?? "" },
    pause: !job,
  });
  const status = live?.jobProgress.status;
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (!job || status !== "SUCCEEDED" || reported.current === job.id) return;
    reported.current = job.id;
    onDone(job.modelId);
  }, [job, status, onDone]);
  if (models.length === 0) return null;
  return (
    <div className="gradcam-launch" data-testid="gradcam-launch">
      <select value={modelId} onChange={(e) => setModelId(e.target.value)} aria-label="model to explain">
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>{" "}
      <button
        type="button"
        disabled={fetching || (Boolean(job) && status !== "SUCCEEDED" && status !== "FAILED")}
        onClick={async () => {
          setProblem(null);
          const result = await launch({ input: { modelId, objectIds: [objectId] } });
          const queued = result.data?.launchGradCam.job;
          if (queued) setJob({ id: queued.id, modelId });
          else setProblem(result.data?.launchGradCam.error?.message ?? result.error?.message ?? "not launched");
        }}
      >
        Compute Grad-CAM
      </button>{" "}
      {job && (
        <span className="muted small" data-testid="gradcam-job">
          <Link href={`/jobs/${job.id}`}>job #{job.id}</Link> {status ? status.toLowerCase() : "queued"}
          {status === "RUNNING" && live ? ` ${Math.round(live.jobProgress.progress * 100)}%` : ""}
          {status === "FAILED" && live?.jobProgress.error ? `: ${live.jobProgress.error}` : ""}
        </span>
      )}
      {problem && (
        <p className="error small" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

export default function ObjectPage() {
  const { id } = useParams<{ id: string }>();
  const [{ data, error, fetching }, refetch] = useQuery({ query: ObjectQuery, variables: { id } });
  const [camModel, setCamModel] = useState("");
  const admin = useIsAdmin();
  const object = data?.object;
  const strips = useMemo(
    () =>
      (object?.strips ?? []).map((strip) => ({
        ...strip,
        values: decodeFloat32(strip.valuesBase64),
      })),
    [object],
  );
  if (error) return <p className="error">{error.message}</p>;
  if (fetching && !data) return <p className="loading">Loading…</p>;
  if (!object) return <p className="error">No object with id {id}.</p>;
  const camModels = [...new Map(object.activationMaps.map((m) => [m.model.id, m.model])).values()];
  const camFor = (target: string) =>
    object.activationMaps.find((m) => m.model.id === camModel && m.target === target) ?? null;
  const imageCam = camFor("IMAGE");
  const spectrum = object.spectra1d[0];
  // Lines are chosen by the catalogue class, else by the most confident prediction.
  const lineClass =
    object.catalogueClass ?? [...object.predictions].sort((a, b) => b.confidence - a.confidence)[0]?.predictedClass;
  const predictingModels = object.predictions.map((p) => p.model);

  return (
    <div className="page">
      <p className="crumbs">
        <Link href="/objects">Objects</Link> / {object.designation ?? object.obsid ?? `#${object.id}`}
      </p>
      <h1>
        {object.designation ?? `Object #${object.id}`} <ClassBadge value={object.catalogueClass} />
      </h1>
      <div className="object-head">
        <dl className="facts" data-testid="object-facts">
          <dt>obsid</dt>
          <dd>{object.obsid ?? "—"}</dd>
          <dt>RA, Dec</dt>
          <dd>
            {formatNumber(object.raDeg, 5)}°, {formatNumber(object.decDeg, 5)}°
          </dd>
          <dt>catalogue</dt>
          <dd>
            {object.catalogueClass ?? "unlabelled"} {object.subclass ? `(${object.subclass})` : ""}
          </dd>
          <dt>redshift</dt>
          <dd>{formatNumber(object.redshift, 4)}</dd>
          <dt>source</dt>
          <dd>
            {object.source} {object.release ?? ""}
          </dd>
          {object.missingModalities.length > 0 && (
            <>
              <dt>missing</dt>
              <dd>{object.missingModalities.join(", ")}</dd>
            </>
          )}
        </dl>
        <div className="cutout-box">
          {object.cutout ? (
            <CutoutView
              dataUrl={object.cutout.dataUrl}
              width={object.cutout.widthPx}
              height={object.cutout.heightPx}
              pixelScaleArcsec={object.cutout.pixelScaleArcsec}
              gradCam={imageCam ? { values: imageCam.values, shape: imageCam.shape } : null}
            />
          ) : (
            <p className="muted">No cutout.</p>
          )}
        </div>
        <div className="predictions" data-testid="predictions">
          <h2>Predictions</h2>
          {object.predictions.length === 0 && <p className="muted">No model has classified this object yet.</p>}
          {object.predictions.map((p) => (
            <div key={p.model.id} className={`prediction ${p.agreesWithCatalogue === false ? "disagrees" : ""}`}>
              <div>
                <Link href={`/models?ids=${p.model.id}`}>{p.model.name}</Link> → <ClassBadge value={p.predictedClass} />
                {p.agreesWithCatalogue === false && <span className="flag">disagrees with the catalogue</span>}
              </div>
              <ProbabilityBars probGalaxy={p.probGalaxy} probQso={p.probQso} probStar={p.probStar} />
            </div>
          ))}
          <label>
            Grad-CAM overlay{" "}
            <select value={camModel} onChange={(e) => setCamModel(e.target.value)} data-testid="gradcam-select">
              <option value="">none</option>
              {camModels.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          {camModels.length === 0 && (
            <p className="muted small" data-testid="gradcam-none">
              No Grad-CAM maps stored for this object
              {admin ? "." : "; an admin can compute them here."}
            </p>
          )}
          {admin && (
            <GradCamLauncher
              objectId={object.id}
              models={predictingModels}
              onDone={(modelId) => {
                refetch({ requestPolicy: "network-only" });
                setCamModel(modelId);
              }}
            />
          )}
        </div>
      </div>
      <LabelVerdicts objectId={object.id} catalogueClass={object.catalogueClass} />
      <h2>2D spectra</h2>
      {strips.length === 0 && <p className="muted">No 2D strips for this object.</p>}
      {strips.map((strip) => {
        const cam = camFor(strip.arm);
        return (
          <ArmPanel
            key={strip.arm}
            arm={strip.arm}
            rows={strip.widthPx}
            cols={strip.lengthPx}
            values={strip.values}
            wavelength={strip.wavelengthAngstrom}
            redshift={object.redshift}
            objectClass={lineClass}
            gradCam={
              cam?.wavelengthAngstrom
                ? {
                    values: cam.values,
                    wavelengthAngstrom: cam.wavelengthAngstrom,
                    label: `Grad-CAM (${cam.targetClass.toLowerCase()})`,
                  }
                : null
            }
          />
        );
      })}
      {spectrum && (
        <section>
          <h2>
            1D spectrum <span className="muted">({spectrum.survey})</span>
          </h2>
          <LinePlot
            x={spectrum.wavelengthAngstrom}
            series={[
              {
                label: "flux",
                // Pixels with no inverse variance are masked (bad or padding), not drawn as zeros.
                values: spectrum.flux.map((f, i) => ((spectrum.ivar[i] ?? 0) > 0 ? f : null)),
                color: "#222",
              },
            ]}
            xLabel="wavelength (Å)"
            yLabel="flux"
            markers={linesInRange(...dataRange(spectrum.wavelengthAngstrom, spectrum.ivar), object.redshift, lineClass)}
            testId="spectrum-1d"
          />
        </section>
      )}
    </div>
  );
}
