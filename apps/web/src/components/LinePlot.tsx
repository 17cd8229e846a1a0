"use client";
// Line charts through uPlot (canvas; stays fast with spectra of thousands of points): drag to
// zoom along x, double-click to reset; optional vertical markers (spectral lines).
import { useEffect, useRef } from "react";
import uPlot from "uplot";

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
}

function drawMarkers(u: uPlot, markers: Marker[]) {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = "rgba(90, 90, 90, 0.55)";
  ctx.fillStyle = "#333";
  ctx.setLineDash([4, 4]);
  ctx.lineWidth = 1;
  ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
  for (const marker of markers) {
    const x = u.valToPos(marker.x, "x", true);
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.save();
    ctx.translate(x + 3 * devicePixelRatio, bbox.top + 4 * devicePixelRatio);
    ctx.rotate(Math.PI / 2);
    ctx.fillText(marker.label, 0, 0);
    ctx.restore();
  }
  ctx.restore();
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
