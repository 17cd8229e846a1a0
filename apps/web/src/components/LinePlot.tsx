"use client";
// Line charts through uPlot (canvas; stays fast with spectra of thousands of points): drag to
// zoom along x, double-click to reset; optional vertical markers (spectral lines).
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import type { LineKind } from "@/lib/astro";
import { layoutLabels } from "@/lib/markers";

export interface PlotSeries {
  label: string;
  values: ArrayLike<number | null>;
  color: string;
  dash?: number[];
  width?: number;
  /** A second y scale on the right (e.g. Grad-CAM 0..1 over flux). */
  rightAxis?: boolean;
}

export interface Marker {
  x: number;
  label: string;
  /** Emission lines and absorption lines are drawn in different colours and dashes. */
  kind?: LineKind;
}

export const MARKER_COLORS: Record<LineKind, string> = { emission: "#AA3377", absorption: "#4477AA" };

/**
 * Vertical markers with their labels laid out by `layoutLabels` (rows along the top, never
 * overlapping or clipped); the placed labels' boxes, in CSS pixels, go into the plot's
 * `data-marker-labels` attribute (and the count of lines without a label into `data-markers-unlabelled`).
 */
function drawMarkers(u: uPlot, markers: Marker[]) {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio;
  ctx.save();
  ctx.lineWidth = 1;
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  const visible = markers
    .map((marker) => ({ ...marker, px: u.valToPos(marker.x, "x", true) }))
    .filter((marker) => marker.px >= bbox.left && marker.px <= bbox.left + bbox.width);
  for (const marker of visible) {
    ctx.strokeStyle = MARKER_COLORS[marker.kind ?? "emission"];
    ctx.globalAlpha = 0.7;
    ctx.setLineDash(marker.kind === "absorption" ? [2, 3] : [5, 3]);
    ctx.beginPath();
    ctx.moveTo(marker.px, bbox.top);
    ctx.lineTo(marker.px, bbox.top + bbox.height);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  const placed = layoutLabels(
    visible.map((marker) => ({
      x: marker.px,
      label: marker.label,
      kind: marker.kind ?? "emission",
      width: ctx.measureText(marker.label).width,
    })),
    { left: bbox.left, right: bbox.left + bbox.width },
    { gap: 4 * ratio, offset: 3 * ratio },
  );
  ctx.textBaseline = "top";
  for (const box of placed) {
    const y = bbox.top + (3 + box.row * 13) * ratio;
    ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
    ctx.fillRect(box.left - ratio, y - ratio, box.right - box.left + 2 * ratio, 12 * ratio);
    ctx.fillStyle = MARKER_COLORS[box.item.kind];
    ctx.fillText(box.label, box.left, y);
  }
  ctx.restore();
  const css = placed.map((box) => ({
    label: box.label,
    row: box.row,
    left: box.left / ratio,
    right: box.right / ratio,
    plotLeft: bbox.left / ratio,
    plotRight: (bbox.left + bbox.width) / ratio,
  }));
  u.root.parentElement?.setAttribute("data-marker-labels", JSON.stringify(css));
  u.root.parentElement?.setAttribute("data-markers-unlabelled", String(visible.length - placed.length));
}

export function LinePlot(props: {
  x: ArrayLike<number>;
  series: PlotSeries[];
  height?: number;
  xLabel: string;
  yLabel: string;
  markers?: Marker[];
  /** Shown x range; the plot follows it when it changes. */
  xRange?: [number, number] | null;
  onXRange?: (range: [number, number]) => void;
  /** Whole-number ticks along x (epochs). */
  integerX?: boolean;
  testId?: string;
}) {
  const { x, series, height = 220, xLabel, yLabel, markers, xRange, integerX = false, testId } = props;
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const onXRange = useRef(props.onXRange);
  onXRange.current = props.onXRange;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const hasRight = series.some((s) => s.rightAxis);
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 300),
      height,
      scales: { x: { time: false }, ...(hasRight ? { right: { range: [0, 1] } } : {}) },
      axes: [
        integerX ? { label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : { label: xLabel },
        { label: yLabel, size: 60 },
        ...(hasRight ? [{ scale: "right", side: 1 as const, label: "Grad-CAM", grid: { show: false } }] : []),
      ],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.25,
          dash: s.dash,
          spanGaps: true,
          points: { show: false },
          ...(s.rightAxis ? { scale: "right" } : {}),
        })),
      ],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        draw: markers && markers.length > 0 ? [(u) => drawMarkers(u, markers)] : [],
        setScale: [
          (u, key) => {
            const { min, max } = u.scales.x ?? {};
            if (key === "x" && min != null && max != null) onXRange.current?.([min, max]);
          },
        ],
      },
    };
    const data = [Array.from(x), ...series.map((s) => Array.from(s.values))] as uPlot.AlignedData;
    const instance = new uPlot(options, data, element);
    plot.current = instance;
    const resize = new ResizeObserver(() => instance.setSize({ width: Math.max(element.clientWidth, 300), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.destroy();
      plot.current = null;
    };
  }, [x, series, height, xLabel, yLabel, markers, integerX]);

  useEffect(() => {
    const instance = plot.current;
    if (!instance || !xRange) return;
    const { min, max } = instance.scales.x ?? {};
    if (min !== xRange[0] || max !== xRange[1]) instance.setScale("x", { min: xRange[0], max: xRange[1] });
  }, [xRange]);

  return <div ref={container} className="plot" data-testid={testId} />;
}
