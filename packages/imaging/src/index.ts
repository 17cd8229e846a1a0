export { type BandImages, LUPTON, luptonRgb } from "./lupton-rgb.ts";
export { encodePngRgb } from "./png.ts";
