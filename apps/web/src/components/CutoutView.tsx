"use client";
// The photometric cutout, enlarged without blurring, with an optional Grad-CAM heat overlay, a
// scale bar (when the pixel scale is known) and the compass: SDSS cutouts are north up, east left.
import { useEffect, useRef } from "react";

/** A round scale-bar length (arcsec) near a quarter of the image's width. */
export function scaleBarArcsec(widthArcsec: number): number {
  const steps = [0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600];
  return [...steps].reverse().find((s) => s <= widthArcsec / 4) ?? steps[0] ?? 1;
}

const formatArcsec = (arcsec: number) => (arcsec >= 60 ? `${arcsec / 60}′` : `${arcsec}″`);

function drawOverlays(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  pixelScaleArcsec: number | null | undefined,
  sourceWidthPx: number,
) {
  ctx.save();
  // Scaled with the drawing: a thumbnail gets a small compass.
  const unit = Math.min(1, width / 256);
  ctx.lineWidth = 2;
  ctx.font = `bold ${Math.round(9 + 3 * unit)}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  /** Draws twice: a dark halo, then white ink (readable on sky and on a bright galaxy alike). */
  const outline = (draw: (ink: boolean) => void) => {
    ctx.strokeStyle = "rgba(0, 0, 0, 0.8)";
    ctx.lineWidth = 4;
    draw(false);
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#ffffff";
    ctx.lineWidth = 2;
    draw(true);
  };
  const label = (text: string, x: number, y: number, ink: boolean) => {
    if (ink) ctx.fillText(text, x, y);
    else {
      ctx.lineWidth = 3;
      ctx.strokeText(text, x, y);
      ctx.lineWidth = 4;
    }
  };
  // Compass, top right: N up, E to the left.
  const [cx, cy, arm] = [width - 16 * unit, 12 + 28 * unit, 8 + 10 * unit];
  const arrow = (dx: number, dy: number, text: string) => {
    const [x2, y2] = [cx + dx * arm, cy + dy * arm];
    outline((ink) => {
      ctx.beginPath();
      ctx.moveTo(cx, cy);
      ctx.lineTo(x2, y2);
      ctx.moveTo(x2, y2);
      const [head, side, gap] = [3 + 3 * unit, 2 + 2 * unit, 5 + 4 * unit];
      ctx.lineTo(x2 - dx * head - dy * side, y2 - dy * head - dx * side);
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - dx * head + dy * side, y2 - dy * head + dx * side);
      ctx.stroke();
      ctx.textAlign = "center";
      label(text, x2 + dx * gap, y2 + dy * gap, ink);
    });
  };
  arrow(0, -1, "N");
  arrow(-1, 0, "E");
  if (pixelScaleArcsec && pixelScaleArcsec > 0) {
    const widthArcsec = sourceWidthPx * pixelScaleArcsec;
    const bar = scaleBarArcsec(widthArcsec);
    const barPx = (bar / widthArcsec) * width;
    const [x0, y0] = [10, height - 14];
    outline((ink) => {
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x0 + barPx, y0);
      ctx.moveTo(x0, y0 - 4);
      ctx.lineTo(x0, y0 + 4);
      ctx.moveTo(x0 + barPx, y0 - 4);
      ctx.lineTo(x0 + barPx, y0 + 4);
      ctx.stroke();
      ctx.textAlign = "left";
      label(formatArcsec(bar), x0 + barPx + 6, y0, ink);
    });
  }
  ctx.restore();
}

export function CutoutView(props: {
  dataUrl: string;
  width: number;
  height: number;
  pixelScaleArcsec?: number | null;
  gradCam?: { values: number[]; shape: number[] } | null;
  size?: number;
}) {
  const { dataUrl, width, height, pixelScaleArcsec, gradCam, size = 256 } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext("2d");
    if (!element || !ctx) return;
    const image = new Image();
    image.onload = () => {
      element.width = size;
      element.height = Math.round((size * height) / width);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(image, 0, 0, element.width, element.height);
      if (gradCam) {
        const [rows = 1, cols = 1] = gradCam.shape;
        const max = Math.max(1e-12, ...gradCam.values);
        const cellW = element.width / cols;
        const cellH = element.height / rows;
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const t = Math.max(0, (gradCam.values[r * cols + c] ?? 0) / max);
            ctx.fillStyle = `rgba(255, ${Math.round(220 * (1 - t))}, 0, ${0.55 * t})`;
            ctx.fillRect(c * cellW, r * cellH, cellW + 0.5, cellH + 0.5);
          }
        }
      }
      drawOverlays(ctx, element.width, element.height, pixelScaleArcsec, width);
      element.dataset.drawn = "1";
    };
    image.src = dataUrl;
  }, [dataUrl, width, height, pixelScaleArcsec, gradCam, size]);
  const scaleNote = pixelScaleArcsec
    ? `${width} × ${height} px at ${pixelScaleArcsec}″/px; north up, east left`
    : `${width} × ${height} px, pixel scale unknown; north up, east left`;
  return (
    <figure className="cutout-figure">
      <canvas ref={canvas} className="cutout" data-testid="cutout" width={size} height={size} title={scaleNote} />
      {size >= 128 && <figcaption className="muted small">{scaleNote}</figcaption>}
    </figure>
  );
}
