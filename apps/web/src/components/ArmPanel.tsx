"use client";
// One spectrograph arm: the 2D strip (zoom with the wheel, drag to pan) above its collapsed 1D
// profile (drag to zoom, double-click resets) with line markers at the object's redshift; both show
// the same wavelength range, and a Grad-CAM map, when chosen, is overlaid on both.
import { useMemo, useState } from "react";
import { linesInRange } from "@/lib/astro";
import { LinePlot, MARKER_COLORS, type PlotSeries } from "./LinePlot";
import { StripCanvas } from "./StripCanvas";

/** Index of the first wavelength ≥ value (ascending array). */
function lowerBound(values: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A Grad-CAM map on its own wavelength grid, resampled onto the strip's pixels and scaled to 0..1. */
function resampleMap(map: { values: number[]; wavelengthAngstrom: number[] }, wavelength: number[]): number[] {
  const max = Math.max(1e-12, ...map.values);
  const grid = map.wavelengthAngstrom;
  return wavelength.map((w) => {
    if (grid.length === 0 || w < (grid[0] as number) || w > (grid.at(-1) as number)) return 0;
    const i = Math.min(grid.length - 1, Math.max(1, lowerBound(grid, w)));
    const [w0, w1] = [grid[i - 1] as number, grid[i] as number];
    const [v0, v1] = [map.values[i - 1] as number, map.values[i] as number];
    const t = w1 === w0 ? 0 : (w - w0) / (w1 - w0);
    return Math.max(0, (v0 + (v1 - v0) * t) / max);
  });
}

export function ArmPanel(props: {
  arm: string;
  rows: number;
  cols: number;
  values: Float32Array;
  wavelength: number[];
  redshift: number | null | undefined;
  /** The class whose lines are marked (catalogue class, else the best model's prediction). */
  objectClass?: string | null;
  gradCam?: { values: number[]; wavelengthAngstrom: number[]; label: string } | null;
}) {
  const { arm, rows, cols, values, wavelength, redshift, objectClass, gradCam } = props;
  const [range, setRange] = useState<[number, number]>([0, cols]);
  const profile = useMemo(() => {
    const out = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += values[r * cols + c] ?? 0;
      out[c] = sum / rows;
    }
    return out;
  }, [values, rows, cols]);
  const overlay = useMemo(() => (gradCam ? resampleMap(gradCam, wavelength) : null), [gradCam, wavelength]);
  const series = useMemo<PlotSeries[]>(
    () => [
      { label: "mean over rows", values: profile, color: "#222" },
      ...(overlay ? [{ label: gradCam?.label ?? "Grad-CAM", values: overlay, color: "#D55E00", rightAxis: true }] : []),
    ],
    [profile, overlay, gradCam],
  );
  const markers = useMemo(
    () => linesInRange(wavelength[0] ?? 0, wavelength.at(-1) ?? 0, redshift, objectClass),
    [wavelength, redshift, objectClass],
  );
  const xRange: [number, number] = [wavelength[range[0]] ?? 0, wavelength[range[1] - 1] ?? 0];
  const zoomed = range[0] > 0 || range[1] < cols;
  return (
    <section className="arm" data-testid={`arm-${arm.toLowerCase()}`}>
      <h3>
        {arm === "BLUE" ? "Blue" : arm === "RED" ? "Red" : arm} arm{" "}
        <span className="muted">
          {rows} × {cols} px, {Math.round(wavelength[0] ?? 0)}–{Math.round(wavelength.at(-1) ?? 0)} Å
        </span>
        {markers.length > 0 && (
          <span className="line-legend small">
            <i style={{ borderColor: MARKER_COLORS.emission }} /> emission{" "}
            <i className="dotted" style={{ borderColor: MARKER_COLORS.absorption }} /> absorption
            {redshift ? ` at z = ${redshift.toFixed(3)}` : ""}
          </span>
        )}
        {zoomed && (
          <button type="button" className="link" onClick={() => setRange([0, cols])}>
            reset zoom
          </button>
        )}
      </h3>
      <StripCanvas
        values={values}
        rows={rows}
        cols={cols}
        wavelength={wavelength}
        range={range}
        onRange={setRange}
        overlay={overlay}
        testId={`strip-${arm.toLowerCase()}`}
      />
      <LinePlot
        x={wavelength}
        series={series}
        xLabel="wavelength (Å)"
        yLabel="flux (strip units)"
        markers={markers}
        xRange={xRange}
        onXRange={([min, max]) => {
          const from = Math.max(0, lowerBound(wavelength, min));
          const to = Math.min(cols, Math.max(from + 8, lowerBound(wavelength, max) + 1));
          if (Math.abs(from - range[0]) > 1 || Math.abs(to - range[1]) > 1) setRange([from, to]);
        }}
        testId={`profile-${arm.toLowerCase()}`}
      />
    </section>
  );
}
