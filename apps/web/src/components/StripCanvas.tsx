"use client";
// One arm's 2D strip (rows across the dispersion axis × pixels along it) as an image: a 1–99 %
// stretch in grey, optionally a Grad-CAM overlay along the dispersion axis, with a wavelength axis.
// The wheel zooms around the pointer, dragging pans; the shown pixel range is shared with the profile.
import { useEffect, useMemo, useRef } from "react";
import { prepareCanvas } from "@/lib/canvas";

const AXIS_PX = 20;

function percentile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))] ?? 0;
}

/** Inferno-like ramp for overlays (perceptually ordered, readable over grey). */
function heat(t: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [0, 0, 4],
    [120, 28, 109],
    [237, 105, 37],
    [252, 255, 164],
  ];
  const position = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(position), stops.length - 2);
  const f = position - i;
  const a = stops[i] as [number, number, number];
  const b = stops[i + 1] as [number, number, number];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function StripCanvas(props: {
  values: Float32Array;
  rows: number;
  cols: number;
  wavelength: ArrayLike<number>;
  /** Shown pixel range [from, to) along the dispersion axis. */
  range: [number, number];
  onRange: (range: [number, number]) => void;
  /** Per-pixel weights 0..1 along the dispersion axis (Grad-CAM). */
  overlay?: ArrayLike<number> | null;
  height?: number;
  testId?: string;
}) {
  const { values, rows, cols, wavelength, range, overlay, height = 96, testId } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x: number; range: [number, number] } | null>(null);
  const onRange = useRef(props.onRange);
  onRange.current = props.onRange;
  const shownRange = useRef(range);
  shownRange.current = range;

  // The grey stretch depends on the strip only, not on the shown range: sorted once per strip.
  const [lo, hi] = useMemo(() => {
    const sorted = Float32Array.from(values).sort();
    return [percentile(sorted, 0.01), percentile(sorted, 0.99)];
  }, [values]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const draw = () => {
      const prepared = prepareCanvas(element, height + AXIS_PX);
      if (!prepared) return;
      const { ctx, width } = prepared;
      ctx.clearRect(0, 0, width, height + AXIS_PX);
      const [from, to] = range;
      const shown = Math.max(1, to - from);
      const image = new ImageData(shown, rows);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < shown; c++) {
          const column = from + c;
          const v = values[r * cols + column] ?? 0;
          let grey = Math.round((255 * (v - lo)) / (hi - lo || 1));
          grey = Math.min(255, Math.max(0, grey));
          let [red, green, blue] = [grey, grey, grey];
          const weight = overlay ? Number(overlay[column] ?? 0) : 0;
          if (weight > 0) {
            const [hr, hg, hb] = heat(weight);
            const alpha = 0.65 * weight;
            red = red * (1 - alpha) + hr * alpha;
            green = green * (1 - alpha) + hg * alpha;
            blue = blue * (1 - alpha) + hb * alpha;
          }
          const o = (r * shown + c) * 4;
          image.data[o] = red;
          image.data[o + 1] = green;
          image.data[o + 2] = blue;
          image.data[o + 3] = 255;
        }
      }
      const bitmap = document.createElement("canvas");
      bitmap.width = shown;
      bitmap.height = rows;
      bitmap.getContext("2d")?.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = shown > width;
      ctx.drawImage(bitmap, 0, 0, width, height);
      // Wavelength axis: about one tick per 110 px.
      ctx.fillStyle = "#222";
      ctx.strokeStyle = "#222";
      ctx.font = "11px system-ui, sans-serif";
      ctx.textAlign = "center";
      const ticks = Math.max(2, Math.floor(width / 110));
      for (let t = 0; t <= ticks; t++) {
        const x = (t / ticks) * width;
        const column = Math.min(cols - 1, Math.round(from + (t / ticks) * (shown - 1)));
        ctx.beginPath();
        ctx.moveTo(x, height);
        ctx.lineTo(x, height + 4);
        ctx.stroke();
        ctx.textAlign = t === 0 ? "left" : t === ticks ? "right" : "center";
        ctx.fillText(`${Math.round(Number(wavelength[column] ?? 0))} Å`, x, height + 15);
      }
    };
    draw();
    const resize = new ResizeObserver(draw);
    resize.observe(element);
    return () => resize.disconnect();
  }, [values, rows, cols, wavelength, range, overlay, height, lo, hi]);

  const clamp = (from: number, to: number): [number, number] => {
    const span = Math.min(cols, Math.max(8, Math.round(to - from)));
    const start = Math.min(cols - span, Math.max(0, Math.round(from)));
    return [start, start + span];
  };
  const clampRef = useRef(clamp);
  clampRef.current = clamp;

  // A non-passive wheel listener, so zooming does not also scroll the page.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const wheel = (event: WheelEvent) => {
      event.preventDefault();
      const [from, to] = shownRange.current;
      const at = from + ((to - from) * event.offsetX) / element.clientWidth;
      const factor = event.deltaY < 0 ? 0.8 : 1.25;
      onRange.current(clampRef.current(at - (at - from) * factor, at + (to - at) * factor));
    };
    element.addEventListener("wheel", wheel, { passive: false });
    return () => element.removeEventListener("wheel", wheel);
  }, []);

  return (
    <canvas
      ref={canvas}
      className="strip"
      data-testid={testId}
      style={{ width: "100%", height: height + AXIS_PX, cursor: "grab", touchAction: "none" }}
      onPointerDown={(event) => {
        drag.current = { x: event.clientX, range };
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => {
        const start = drag.current;
        const element = canvas.current;
        if (!start || !element) return;
        const shift = ((start.x - event.clientX) / element.clientWidth) * (start.range[1] - start.range[0]);
        onRange.current(clamp(start.range[0] + shift, start.range[1] + shift));
      }}
      onPointerUp={() => {
        drag.current = null;
      }}
    />
  );
}
