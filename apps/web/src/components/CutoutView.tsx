"use client";
// The photometric cutout, enlarged without blurring, with an optional Grad-CAM heat overlay.
import { useEffect, useRef } from "react";

export function CutoutView(props: {
  dataUrl: string;
  width: number;
  height: number;
  gradCam?: { values: number[]; shape: number[] } | null;
  size?: number;
}) {
  const { dataUrl, width, height, gradCam, size = 256 } = props;
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
      if (!gradCam) return;
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
    };
    image.src = dataUrl;
  }, [dataUrl, width, height, gradCam, size]);
  return <canvas ref={canvas} className="cutout" data-testid="cutout" width={size} height={size} />;
}
