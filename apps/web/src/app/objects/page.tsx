"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useQuery } from "urql";
import { Pager, useCursorPages } from "@/components/Pager";
import { ClassBadge } from "@/components/ProbabilityBars";
import { SkyPlot } from "@/components/SkyPlot";
import { graphql } from "@/gql";
import { CLASS_LABELS, CLASSES, decodeFloat32, decodeUint32, formatNumber, formatTotal } from "@/lib/astro";
import { exportHref, type FilterForm, filterFromForm, formFromParams, paramsFromForm } from "@/lib/filters";

const PAGE_SIZE = 50;

const ChoicesQuery = graphql(`
  query FilterChoices {
    models {
      id
      name
    }
    datasets {
      id
      name
      version
    }
    objectStatistics {
      bySourceAndClass {
        source
      }
    }
  }
`);

const ObjectsQuery = graphql(`
  query ObjectsPage($filter: ObjectFilter, $first: Int, $after: String, $modelId: ID) {
    objects(filter: $filter, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          obsid
          designation
          catalogueClass
          raDeg
          decDeg
          redshift
          source
          missingModalities
          predictions(modelId: $modelId) {
            predictedClass
            confidence
          }
        }
      }
    }
  }
`);

const SkyQuery = graphql(`
  query SkyMap($filter: ObjectFilter) {
    skyMap(filter: $filter, limit: 100000) {
      count
      truncated
      raDecBase64
      idsBase64
      classCodes
    }
  }
`);

function ClassSelect(props: {
  label: string;
  name: string;
  value: string;
  onChange: (event: { target: { value: string } }) => void;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value} onChange={props.onChange}>
        <option value="">any</option>
        {CLASSES.map((c) => (
          <option key={c} value={c}>
            {CLASS_LABELS[c]}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function ObjectsPage() {
  const router = useRouter();
  const params = useSearchParams();
  const applied = useMemo(() => formFromParams(new URLSearchParams(params.toString())), [params]);
  const [form, setForm] = useState<FilterForm>(applied);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => {
    setForm(applied);
    reset();
  }, [applied, reset]);
  const { filter, error: filterError } = useMemo(() => filterFromForm(applied), [applied]);
  const [{ data: choices }] = useQuery({ query: ChoicesQuery });
  const [{ data, fetching, error }] = useQuery({
    query: ObjectsQuery,
    variables: { filter, first: PAGE_SIZE, after: pages.after, modelId: filter.modelId ?? null },
    pause: Boolean(filterError),
  });
  const [{ data: sky }] = useQuery({ query: SkyQuery, variables: { filter }, pause: Boolean(filterError) });
  const skyArrays = useMemo(
    () =>
      sky
        ? {
            raDec: decodeFloat32(sky.skyMap.raDecBase64),
            ids: decodeUint32(sky.skyMap.idsBase64),
            codes: sky.skyMap.classCodes,
          }
        : null,
    [sky],
  );
  const sources = [...new Set(choices?.objectStatistics.bySourceAndClass.map((row) => row.source) ?? [])];
  const set = (key: keyof FilterForm) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  const page = data?.objects;

  return (
    <div className="page">
      <h1>Objects</h1>
      <form
        className="filters"
        aria-label="filters"
        onSubmit={(event) => {
          event.preventDefault();
          router.replace(`/objects?${paramsFromForm(form)}`);
        }}
      >
        <ClassSelect label="Catalogue class" name="class" value={form.class} onChange={set("class")} />
        <label>
          Model
          <select name="model" value={form.model} onChange={set("model")}>
            <option value="">none</option>
            {choices?.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} (#{m.id})
              </option>
            ))}
          </select>
        </label>
        <ClassSelect label="Predicted class" name="predicted" value={form.predicted} onChange={set("predicted")} />
        <label className="check">
          <input
            type="checkbox"
            name="disagreement"
            checked={form.disagreement === "1"}
            onChange={(e) => setForm({ ...form, disagreement: e.target.checked ? "1" : "" })}
          />
          disagrees with catalogue
        </label>
        <label>
          Dataset
          <select name="dataset" value={form.dataset} onChange={set("dataset")}>
            <option value="">any</option>
            {choices?.datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} v{d.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Split
          <select name="split" value={form.split} onChange={set("split")}>
            <option value="">all</option>
            <option value="TRAIN">train</option>
            <option value="VAL">validation</option>
            <option value="TEST">test</option>
          </select>
        </label>
        <label>
          Source
          <select name="source" value={form.source} onChange={set("source")}>
            <option value="">any</option>
            {sources.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="cone">
          <legend>Cone search (degrees)</legend>
          <input name="ra" placeholder="RA" inputMode="decimal" value={form.ra} onChange={set("ra")} />
          <input name="dec" placeholder="Dec" inputMode="decimal" value={form.dec} onChange={set("dec")} />
          <input name="radius" placeholder="radius" inputMode="decimal" value={form.radius} onChange={set("radius")} />
        </fieldset>
        <div className="actions">
          <button type="submit">Apply</button>
          <button type="button" className="secondary" onClick={() => router.replace("/objects")}>
            Clear
          </button>
        </div>
      </form>
      {filterError && (
        <p className="error" role="alert">
          {filterError}
        </p>
      )}
      {error && <p className="error">{error.message}</p>}
      <section>
        <h2>
          Sky{" "}
          {sky && (
            <span className="muted">
              ({sky.skyMap.count.toLocaleString()} positioned{sky.skyMap.truncated ? ", first 100 000 shown" : ""})
            </span>
          )}
        </h2>
        {skyArrays && (
          <SkyPlot
            raDec={skyArrays.raDec}
            ids={skyArrays.ids}
            classCodes={skyArrays.codes}
            cone={filter.cone}
            onPick={(id) => router.push(`/objects/${id}`)}
          />
        )}
      </section>
      <section>
        <h2>
          Table{" "}
          <span className="muted" data-testid="total-count">
            {page ? `${formatTotal(page.totalCount, page.totalCountExact)} objects` : fetching ? "…" : ""}
          </span>
        </h2>
        {!filterError && (
          <p className="downloads" data-testid="downloads">
            Download all {page ? formatTotal(page.totalCount, page.totalCountExact) : ""} as{" "}
            {(
              [
                ["votable", "VOTable"],
                ["fits", "FITS table"],
                ["csv", "CSV"],
              ] as const
            ).map(([format, label], i) => (
              <span key={format}>
                {i > 0 && " · "}
                <a className="download" href={exportHref(filter, format)} download data-format={format}>
                  {label}
                </a>
              </span>
            ))}{" "}
            <span className="muted">
              (with {filter.modelId ? `model #${filter.modelId}'s` : "the best evaluated model's"} predictions; TOPCAT
              and astropy read all three)
            </span>
          </p>
        )}
        <table className="data" data-testid="objects-table">
          <thead>
            <tr>
              <th>Object</th>
              <th>RA</th>
              <th>Dec</th>
              <th>Catalogue</th>
              <th>{filter.modelId ? `Model #${filter.modelId}` : "Predictions"}</th>
              <th>z</th>
              <th>Source</th>
              <th>Missing</th>
            </tr>
          </thead>
          <tbody>
            {page?.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <Link href={`/objects/${node.id}`}>{node.designation ?? node.obsid ?? `#${node.id}`}</Link>
                </td>
                <td>{formatNumber(node.raDeg, 4)}</td>
                <td>{formatNumber(node.decDeg, 4)}</td>
                <td>
                  <ClassBadge value={node.catalogueClass} />
                </td>
                <td>
                  {filter.modelId ? (
                    node.predictions[0] ? (
                      <>
                        <ClassBadge value={node.predictions[0].predictedClass} />{" "}
                        {formatNumber(node.predictions[0].confidence, 2)}
                      </>
                    ) : (
                      "—"
                    )
                  ) : (
                    node.predictions.length
                  )}
                </td>
                <td>{formatNumber(node.redshift, 4)}</td>
                <td>{node.source}</td>
                <td>{node.missingModalities.join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager pages={pages} pageInfo={page?.pageInfo} showNumber />
      </section>
    </div>
  );
}
