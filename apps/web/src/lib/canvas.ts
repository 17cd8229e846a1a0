/** Sizes a canvas's backing store to its CSS width × `height` at the screen's pixel ratio and returns a
 * context that draws in CSS pixels (null when the browser gives no 2D context). */
export function prepareCanvas(element: HTMLCanvasElement, height: number) {
  const ratio = window.devicePixelRatio || 1;
  const width = element.clientWidth;
  element.width = Math.round(width * ratio);
  element.height = Math.round(height * ratio);
  const ctx = element.getContext("2d");
  if (!ctx) return null;
  ctx.scale(ratio, ratio);
  return { ctx, width };
}
