"use client";
// Positions on the sky (RA increasing to the left, as on the sky), coloured by catalogue class, on a
// canvas: 100k points draw in milliseconds. Click picks the nearest object; the cone, when given,
// is drawn as its outline.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CLASS_COLORS, CLASS_LABELS, CLASSES, UNLABELLED_COLOR } from "@/lib/astro";
import { prepareCanvas } from "@/lib/canvas";

interface Bounds {
  raMin: number;
  raMax: number;
  decMin: number;
  decMax: number;
}

const WHOLE_SKY: Bounds = { raMin: 0, raMax: 360, decMin: -90, decMax: 90 };
const MARGIN = { left: 44, right: 10, top: 10, bottom: 30 };

function dataBounds(raDec: Float32Array): Bounds {
  if (raDec.length === 0) return WHOLE_SKY;
  let [raMin, raMax, decMin, decMax] = [360, 0, 90, -90];
  for (let i = 0; i < raDec.length; i += 2) {
    const ra = raDec[i] as number;
    const dec = raDec[i + 1] as number;
    raMin = Math.min(raMin, ra);
    raMax = Math.max(raMax, ra);
    decMin = Math.min(decMin, dec);
    decMax = Math.max(decMax, dec);
  }
  const padRa = Math.max(1, (raMax - raMin) * 0.05);
  const padDec = Math.max(1, (decMax - decMin) * 0.05);
  return {
    raMin: Math.max(0, raMin - padRa),
    raMax: Math.min(360, raMax + padRa),
    decMin: Math.max(-90, decMin - padDec),
    decMax: Math.min(90, decMax + padDec),
  };
}

export function SkyPlot(props: {
  raDec: Float32Array;
  classCodes: string;
  ids: Uint32Array;
  cone?: { raDeg: number; decDeg: number; radiusDeg: number } | null;
  onPick?: (id: number) => void;
  height?: number;
}) {
  const { raDec, classCodes, ids, cone, height = 320 } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [wholeSky, setWholeSky] = useState(false);
  const bounds = useMemo(() => (wholeSky ? WHOLE_SKY : dataBounds(raDec)), [raDec, wholeSky]);
  const counts = useMemo(() => {
    const tally: Record<string, number> = {};
    for (const code of classCodes) tally[code] = (tally[code] ?? 0) + 1;
    return tally;
  }, [classCodes]);

  const project = useCallback(
    (width: number, ra: number, dec: number): [number, number] => {
      const plotWidth = width - MARGIN.left - MARGIN.right;
      const plotHeight = height - MARGIN.top - MARGIN.bottom;
      const x = MARGIN.left + ((bounds.raMax - ra) / (bounds.raMax - bounds.raMin)) * plotWidth;
      const y = MARGIN.top + ((bounds.decMax - dec) / (bounds.decMax - bounds.decMin)) * plotHeight;
      return [x, y];
    },
    [bounds, height],
  );

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const draw = () => {
      const prepared = prepareCanvas(element, height);
      if (!prepared) return;
      const { ctx, width } = prepared;
      ctx.fillStyle = "#fbfbfd";
      ctx.fillRect(0, 0, width, height);
      ctx.strokeStyle = "#ddd";
      ctx.fillStyle = "#444";
      ctx.font = "11px system-ui, sans-serif";
      const step = (span: number) => [1, 2, 5, 10, 15, 30, 45, 60, 90].find((s) => span / s <= 8) ?? 90;
      const raStep = step(bounds.raMax - bounds.raMin);
      for (let ra = Math.ceil(bounds.raMin / raStep) * raStep; ra <= bounds.raMax; ra += raStep) {
        const [x] = project(width, ra, bounds.decMin);
        ctx.beginPath();
        ctx.moveTo(x, MARGIN.top);
        ctx.lineTo(x, height - MARGIN.bottom);
        ctx.stroke();
        ctx.textAlign = "center";
        ctx.fillText(`${ra}°`, x, height - MARGIN.bottom + 14);
      }
      const decStep = step(bounds.decMax - bounds.decMin);
      for (let dec = Math.ceil(bounds.decMin / decStep) * decStep; dec <= bounds.decMax; dec += decStep) {
        const [, y] = project(width, bounds.raMin, dec);
        ctx.beginPath();
        ctx.moveTo(MARGIN.left, y);
        ctx.lineTo(width - MARGIN.right, y);
        ctx.stroke();
        ctx.textAlign = "right";
        ctx.fillText(`${dec}°`, MARGIN.left - 4, y + 4);
      }
      ctx.textAlign = "center";
      ctx.fillText("RA (J2000)", width / 2, height - 3);
      const size = raDec.length / 2 > 20_000 ? 1.5 : 3;
      for (const [code, color] of [
        ["-", UNLABELLED_COLOR],
        ...CLASSES.map((c) => [c[0] as string, CLASS_COLORS[c]]),
      ] as [string, string][]) {
        ctx.fillStyle = color;
        for (let i = 0; i < classCodes.length; i++) {
          if (classCodes[i] !== code) continue;
          const [x, y] = project(width, raDec[2 * i] as number, raDec[2 * i + 1] as number);
          ctx.fillRect(x - size / 2, y - size / 2, size, size);
        }
      }
      if (cone) {
        ctx.strokeStyle = "#CC0000";
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        for (let k = 0; k <= 72; k++) {
          const angle = (k / 72) * 2 * Math.PI;
          const dec = cone.decDeg + cone.radiusDeg * Math.sin(angle);
          const ra = cone.raDeg + (cone.radiusDeg * Math.cos(angle)) / Math.max(Math.cos((dec * Math.PI) / 180), 1e-3);
          const [x, y] = project(width, ((ra % 360) + 360) % 360, Math.max(-90, Math.min(90, dec)));
          if (k === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
        ctx.stroke();
      }
    };
    draw();
    const resize = new ResizeObserver(draw);
    resize.observe(element);
    return () => resize.disconnect();
    // Redrawn when the points, the cone or the view change, not on every render of the page (typing
    // in the filter form would otherwise redraw 100 000 points per keystroke).
  }, [raDec, classCodes, cone, bounds, height, project]);

  return (
    <div className="sky">
      <canvas
        ref={canvas}
        data-testid="sky-plot"
        style={{ width: "100%", height, cursor: props.onPick ? "crosshair" : "default" }}
        onClick={(event) => {
          const element = canvas.current;
          if (!element || !props.onPick) return;
          const { offsetX, offsetY } = event.nativeEvent;
          let best = -1;
          let bestDistance = 64;
          for (let i = 0; i < ids.length; i++) {
            const [x, y] = project(element.clientWidth, raDec[2 * i] as number, raDec[2 * i + 1] as number);
            const distance = (x - offsetX) ** 2 + (y - offsetY) ** 2;
            if (distance < bestDistance) {
              bestDistance = distance;
              best = i;
            }
          }
          if (best >= 0) props.onPick(ids[best] as number);
        }}
      />
      <div className="legend">
        {CLASSES.map((c) => (
          <span key={c}>
            <i style={{ background: CLASS_COLORS[c] }} /> {CLASS_LABELS[c]} ({counts[c[0] as string] ?? 0})
          </span>
        ))}
        <span>
          <i style={{ background: UNLABELLED_COLOR }} /> unlabelled ({counts["-"] ?? 0})
        </span>
        <label>
          <input type="checkbox" checked={wholeSky} onChange={(e) => setWholeSky(e.target.checked)} /> whole sky
        </label>
      </div>
    </div>
  );
}
