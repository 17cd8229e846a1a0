"use client";
// The sky map: positions coloured by catalogue class on a canvas (100k points draw in
// milliseconds). The whole sky in the Hammer equal-area projection with RA increasing to the left
// and a 30° graticule; a small field (a cone, or points within 25° of their centre) in the tangent
// plane at equal scale, so a cone is drawn round. Click picks the nearest object.
import { useEffect, useMemo, useRef, useState } from "react";
import { CLASS_COLORS, CLASS_LABELS, CLASSES, UNLABELLED_COLOR } from "@/lib/astro";
import { prepareCanvas } from "@/lib/canvas";
import { chooseProjection, destination, formatDegrees, gridStep, hammer, type Projection } from "@/lib/projections";

const MARGIN = { left: 58, right: 12, top: 10, bottom: 40 };
export const CONE_COLOR = "#CC0000";
const RAD = Math.PI / 180;

type Cone = { raDeg: number; decDeg: number; radiusDeg: number };

/** Where projected coordinates land on the canvas: one scale for both axes, centred. */
function layoutOf(projection: Projection, width: number, height: number) {
  const { xMin, xMax, yMin, yMax } = projection.bounds;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const scale = Math.max(1e-9, Math.min(plotWidth / (xMax - xMin), plotHeight / (yMax - yMin)));
  const cx = MARGIN.left + plotWidth / 2 - ((xMax + xMin) / 2) * scale;
  const cy = MARGIN.top + plotHeight / 2 + ((yMax + yMin) / 2) * scale;
  const screen = (x: number, y: number): [number, number] => [cx + x * scale, cy - y * scale];
  const box = {
    left: cx + xMin * scale,
    right: cx + xMax * scale,
    top: cy - yMax * scale,
    bottom: cy - yMin * scale,
  };
  return { screen, box, scale };
}

/** Draws a curve given as sky positions, lifting the pen where the projection hides a point or jumps. */
function strokeSkyPath(
  ctx: CanvasRenderingContext2D,
  projection: Projection,
  screen: (x: number, y: number) => [number, number],
  points: [number, number][],
  maxJump: number,
) {
  ctx.beginPath();
  let previous: [number, number] | null = null;
  for (const [ra, dec] of points) {
    const p = projection.project(ra, dec);
    if (!p) {
      previous = null;
      continue;
    }
    const [x, y] = screen(p[0], p[1]);
    if (!previous || Math.hypot(x - previous[0], y - previous[1]) > maxJump) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
    previous = [x, y];
  }
  ctx.stroke();
}

const range = (from: number, to: number, samples: number) =>
  Array.from({ length: samples + 1 }, (_, k) => from + ((to - from) * k) / samples);

function drawHammerFrame(ctx: CanvasRenderingContext2D, projection: Projection, layout: ReturnType<typeof layoutOf>) {
  const { screen, scale } = layout;
  const [cx, cy] = screen(0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.strokeStyle = "#888";
  ctx.beginPath();
  ctx.ellipse(cx, cy, 2 * Math.SQRT2 * scale, Math.SQRT2 * scale, 0, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  ctx.strokeStyle = "#dddddd";
  const jump = scale;
  for (let ra = 0; ra < 360; ra += 30) {
    if (ra === 0) continue; // the outline
    strokeSkyPath(
      ctx,
      projection,
      screen,
      range(-90, 90, 90).map((dec) => [ra, dec]),
      jump,
    );
  }
  for (let dec = -60; dec <= 60; dec += 30) {
    strokeSkyPath(
      ctx,
      projection,
      screen,
      range(0.001, 359.999, 180).map((ra) => [ra, dec]),
      jump,
    );
  }
  ctx.fillStyle = "#444";
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "center";
  for (let ra = 60; ra < 360; ra += 60) {
    const p = projection.project(ra, 0);
    if (!p) continue;
    const [x, y] = screen(p[0], p[1]);
    ctx.fillText(`${ra}°`, x, y + 13);
  }
  ctx.textAlign = "right";
  for (let dec = -60; dec <= 60; dec += 30) {
    const p = projection.project(180.0001 + 179.99, dec);
    if (!p) continue;
    const [x, y] = screen(p[0], p[1]);
    ctx.fillText(`${dec > 0 ? "+" : ""}${dec}°`, x - 4, y + 4);
  }
}

function drawTangentFrame(ctx: CanvasRenderingContext2D, projection: Projection, layout: ReturnType<typeof layoutOf>) {
  const { screen, box } = layout;
  const centre = projection.centre as NonNullable<Projection["centre"]>;
  ctx.fillStyle = "#ffffff";
  ctx.strokeStyle = "#888";
  ctx.fillRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.strokeRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  const half = centre.halfWidthDeg * 1.5;
  const decFrom = Math.max(-90, centre.decDeg - half);
  const decTo = Math.min(90, centre.decDeg + half);
  const nearPole = Math.abs(centre.decDeg) + half >= 89.9;
  const raHalf = nearPole
    ? 180
    : Math.min(180, half / Math.max(Math.cos(Math.max(Math.abs(decFrom), Math.abs(decTo)) * RAD), 0.02));
  const raStep = gridStep((2 * raHalf) / (nearPole ? 4 : 1), nearPole ? 8 : 5);
  const decStep = gridStep(decTo - decFrom, 5);
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.clip();
  ctx.strokeStyle = "#dddddd";
  const raLines: number[] = [];
  for (
    let ra = Math.ceil((centre.raDeg - raHalf) / raStep) * raStep;
    ra <= centre.raDeg + raHalf + 1e-9;
    ra += raStep
  ) {
    raLines.push(ra);
    strokeSkyPath(
      ctx,
      projection,
      screen,
      range(decFrom, decTo, 120).map((dec) => [((ra % 360) + 360) % 360, dec]),
      1e9,
    );
  }
  const decLines: number[] = [];
  for (let dec = Math.ceil(decFrom / decStep) * decStep; dec <= decTo + 1e-9; dec += decStep) {
    if (Math.abs(dec) >= 90) continue;
    decLines.push(dec);
    strokeSkyPath(
      ctx,
      projection,
      screen,
      range(centre.raDeg - raHalf, centre.raDeg + raHalf, 240).map((ra) => [((ra % 360) + 360) % 360, dec]),
      1e9,
    );
  }
  ctx.restore();
  // Labels where each line leaves the plot: RA along the bottom edge, Dec along the left edge.
  ctx.fillStyle = "#444";
  ctx.font = "11px system-ui, sans-serif";
  const labelled: number[] = [];
  ctx.textAlign = "center";
  for (const ra of raLines) {
    let best: [number, number] | null = null;
    for (const dec of range(decFrom, decTo, 400)) {
      const p = projection.project(((ra % 360) + 360) % 360, dec);
      if (!p) continue;
      const [x, y] = screen(p[0], p[1]);
      if (x < box.left || x > box.right || y < box.top || y > box.bottom) continue;
      if (!best || y > best[1]) best = [x, y];
    }
    if (!best || best[1] < box.bottom - 3 || labelled.some((x) => Math.abs(x - (best as [number, number])[0]) < 44))
      continue;
    labelled.push(best[0]);
    ctx.fillText(formatDegrees(((ra % 360) + 360) % 360, raStep), best[0], box.bottom + 13);
  }
  ctx.textAlign = "right";
  for (const dec of decLines) {
    let best: [number, number] | null = null;
    for (const ra of range(centre.raDeg - raHalf, centre.raDeg + raHalf, 400)) {
      const p = projection.project(((ra % 360) + 360) % 360, dec);
      if (!p) continue;
      const [x, y] = screen(p[0], p[1]);
      if (x < box.left || x > box.right || y < box.top || y > box.bottom) continue;
      if (!best || x < best[0]) best = [x, y];
    }
    if (!best || best[0] > box.left + 3) continue;
    ctx.fillText(`${dec > 0 ? "+" : ""}${formatDegrees(dec, decStep)}`, box.left - 4, best[1] + 4);
  }
}

export function SkyPlot(props: {
  raDec: Float32Array;
  classCodes: string;
  ids: Uint32Array;
  cone?: Cone | null;
  onPick?: (id: number) => void;
  height?: number;
}) {
  const { raDec, classCodes, ids, cone, height = 380 } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [wholeSky, setWholeSky] = useState(false);
  const auto = useMemo(() => chooseProjection(raDec, cone), [raDec, cone]);
  const projection = useMemo(() => (wholeSky ? hammer() : auto), [wholeSky, auto]);
  const counts = useMemo(() => {
    const tally: Record<string, number> = {};
    for (const code of classCodes) tally[code] = (tally[code] ?? 0) + 1;
    return tally;
  }, [classCodes]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const draw = () => {
      const prepared = prepareCanvas(element, height);
      if (!prepared) return;
      const { ctx, width } = prepared;
      const layout = layoutOf(projection, width, height);
      ctx.fillStyle = "#fbfbfd";
      ctx.fillRect(0, 0, width, height);
      ctx.lineWidth = 1;
      if (projection.kind === "hammer") drawHammerFrame(ctx, projection, layout);
      else drawTangentFrame(ctx, projection, layout);
      ctx.fillStyle = "#444";
      ctx.font = "12px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.fillText(
        "Right ascension (J2000), east to the left",
        MARGIN.left + (width - MARGIN.left - MARGIN.right) / 2,
        height - 6,
      );
      ctx.save();
      ctx.translate(14, MARGIN.top + (height - MARGIN.top - MARGIN.bottom) / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText("Declination (J2000)", 0, 0);
      ctx.restore();
      // Points: smaller classes drawn last so they stay visible on top of larger ones.
      const size = raDec.length / 2 > 20_000 ? 2 : 3.5;
      const order = (["-", ...CLASSES.map((c) => c[0] as string)] as string[]).sort((a, b) =>
        a === "-" ? -1 : b === "-" ? 1 : (counts[b] ?? 0) - (counts[a] ?? 0),
      );
      const colourOf: Record<string, string> = { "-": UNLABELLED_COLOR };
      for (const c of CLASSES) colourOf[c[0] as string] = CLASS_COLORS[c];
      for (const code of order) {
        ctx.fillStyle = colourOf[code] as string;
        for (let i = 0; i < classCodes.length; i++) {
          if (classCodes[i] !== code) continue;
          const p = projection.project(raDec[2 * i] as number, raDec[2 * i + 1] as number);
          if (!p) continue;
          const [x, y] = layout.screen(p[0], p[1]);
          ctx.fillRect(x - size / 2, y - size / 2, size, size);
        }
      }
      if (cone) {
        ctx.strokeStyle = CONE_COLOR;
        ctx.lineWidth = 1.5;
        const outline = range(0, 360, 360).map((bearing) =>
          destination(cone.raDeg, cone.decDeg, cone.radiusDeg, bearing),
        );
        strokeSkyPath(ctx, projection, layout.screen, outline, projection.kind === "hammer" ? layout.scale : 1e9);
      }
    };
    draw();
    const resize = new ResizeObserver(draw);
    resize.observe(element);
    return () => resize.disconnect();
    // Redrawn when the points, the cone or the view change, not on every render of the page (typing
    // in the filter form would otherwise redraw 100 000 points per keystroke).
  }, [raDec, classCodes, cone, projection, height, counts]);

  return (
    <div className="sky">
      <canvas
        ref={canvas}
        data-testid="sky-plot"
        data-projection={projection.kind}
        style={{ width: "100%", height, cursor: props.onPick ? "crosshair" : "default" }}
        onClick={(event) => {
          const element = canvas.current;
          if (!element || !props.onPick) return;
          const layout = layoutOf(projection, element.clientWidth, height);
          const { offsetX, offsetY } = event.nativeEvent;
          let best = -1;
          let bestDistance = 64;
          for (let i = 0; i < ids.length; i++) {
            const p = projection.project(raDec[2 * i] as number, raDec[2 * i + 1] as number);
            if (!p) continue;
            const [x, y] = layout.screen(p[0], p[1]);
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
        <span className="muted" data-testid="sky-view">
          {projection.kind === "hammer"
            ? "whole sky, Hammer equal-area"
            : `tangent plane at ${formatDegrees(projection.centre?.raDeg ?? 0, 0.01)}, ${formatDegrees(projection.centre?.decDeg ?? 0, 0.01)}`}
        </span>
        <label>
          <input
            type="checkbox"
            checked={wholeSky || auto.kind === "hammer"}
            disabled={auto.kind === "hammer"}
            onChange={(e) => setWholeSky(e.target.checked)}
          />{" "}
          whole sky
        </label>
      </div>
    </div>
  );
}
