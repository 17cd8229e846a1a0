export { type BandImages, LUPTON, luptonRgb } from "./lupton-rgb.ts";
