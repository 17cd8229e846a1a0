// Training curves of a comparison as one SVG: a panel per architecture, training loss (solid) and
// validation loss (dashed) per epoch, a colour per seed, the best epoch marked. Plain SVG text, so
// the figure lives in docs/ and renders on GitHub without a plotting library.
import type { ComparisonRun } from "@macnet/model";

const PANEL_W = 300;
const PANEL_H = 190;
const MARGIN = { left: 46, right: 10, top: 24, bottom: 30 };
const COLUMNS = 3;
/** Tol's bright scheme: distinguishable seeds, also with colour-vision deficiencies. */
const SEED_COLOURS = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377"];

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A tidy axis step (1, 2 or 5 × 10^k) giving about `ticks` intervals over `span`. */
function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(ticks, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

function panel(
  arch: string,
  runs: ComparisonRun[],
  colourOf: (seed: number) => string,
  x0: number,
  y0: number,
): string {
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const epochs = Math.max(1, ...runs.map((run) => run.history.length));
  const losses = runs.flatMap((run) =>
    run.history.flatMap((e) => [e.loss, e.valLoss ?? Number.NaN]).filter((v) => Number.isFinite(v)),
  );
  const top = Math.max(1e-3, ...losses);
  const step = niceStep(top, 4);
  const yMax = Math.ceil(top / step) * step;
  const sx = (epoch: number) => x0 + MARGIN.left + ((epoch - 1) / Math.max(epochs - 1, 1)) * w;
  const sy = (loss: number) => y0 + MARGIN.top + h - (Math.min(loss, yMax) / yMax) * h;
  const parts: string[] = [
    `<text x="${x0 + MARGIN.left}" y="${y0 + 15}" font-weight="bold">${escapeXml(arch)}</text>`,
    `<rect x="${x0 + MARGIN.left}" y="${y0 + MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
  ];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const y = sy(v).toFixed(1);
    parts.push(
      `<line x1="${x0 + MARGIN.left}" x2="${x0 + MARGIN.left + w}" y1="${y}" y2="${y}" stroke="#eee"/>`,
      `<text x="${x0 + MARGIN.left - 4}" y="${y}" text-anchor="end" dominant-baseline="middle">${Number(v.toPrecision(3))}</text>`,
    );
  }
  const xStep = niceStep(epochs, 5);
  for (let e = xStep; e <= epochs; e += xStep) {
    parts.push(`<text x="${sx(e).toFixed(1)}" y="${y0 + MARGIN.top + h + 14}" text-anchor="middle">${e}</text>`);
  }
  parts.push(
    `<text x="${x0 + MARGIN.left + w / 2}" y="${y0 + PANEL_H - 2}" text-anchor="middle" fill="#555">epoch</text>`,
  );
  for (const run of runs) {
    const colour = colourOf(run.seed);
    const line = (values: Array<number | null>, dash: string) => {
      const points = values
        .map((v, i) => (v === null || !Number.isFinite(v) ? null : `${sx(i + 1).toFixed(1)},${sy(v).toFixed(1)}`))
        .filter((p): p is string => p !== null);
      return points.length > 0
        ? `<polyline points="${points.join(" ")}" fill="none" stroke="${colour}" stroke-width="1.5"${dash}/>`
        : "";
    };
    parts.push(
      line(
        run.history.map((e) => e.loss),
        "",
      ),
    );
    parts.push(
      line(
        run.history.map((e) => e.valLoss),
        ' stroke-dasharray="4 3"',
      ),
    );
    const best = run.history[run.bestEpoch - 1];
    if (best?.valLoss !== null && best?.valLoss !== undefined) {
      parts.push(
        `<circle cx="${sx(run.bestEpoch).toFixed(1)}" cy="${sy(best.valLoss).toFixed(1)}" r="3" fill="${colour}"/>`,
      );
    }
  }
  return parts.join("\n");
}

/** The SVG of every architecture's curves (the runs grouped by architecture, in the order given). */
export function lossCurvesSvg(archs: readonly string[], runs: ComparisonRun[], title: string): string {
  const shown = archs.filter((arch) => runs.some((run) => run.arch === arch));
  const rows = Math.ceil(shown.length / COLUMNS);
  const width = PANEL_W * COLUMNS;
  const legendY = 34 + rows * PANEL_H;
  const seeds = [...new Set(runs.map((run) => run.seed))].sort((a, b) => a - b);
  const colourOf = (seed: number) => SEED_COLOURS[seeds.indexOf(seed) % SEED_COLOURS.length] as string;
  const legend = seeds.map((seed, i) => {
    const x = 10 + i * 90;
    const colour = colourOf(seed);
    return `<line x1="${x}" x2="${x + 22}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"/><text x="${x + 27}" y="${legendY}" dominant-baseline="middle">seed ${seed}</text>`;
  });
  const key = `<text x="${10 + seeds.length * 90}" y="${legendY}" dominant-baseline="middle" fill="#555">solid: training loss · dashed: validation loss · dot: best epoch (weights kept)</text>`;
  const panels = shown.map((arch, i) =>
    panel(
      arch,
      runs.filter((run) => run.arch === arch),
      colourOf,
      (i % COLUMNS) * PANEL_W,
      24 + Math.floor(i / COLUMNS) * PANEL_H,
    ),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${legendY + 16}" viewBox="0 0 ${width} ${legendY + 16}" font-family="sans-serif" font-size="11">`,
    `<title>Training and validation loss per epoch: ${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="15" font-size="13">${escapeXml(title)}</text>`,
    ...panels,
    ...legend,
    key,
    "</svg>",
    "",
  ].join("\n");
}
