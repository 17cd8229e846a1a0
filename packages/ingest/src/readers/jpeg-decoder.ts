import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import jpeg from "jpeg-js";

/** Decoded pixels: RGBA, 4 bytes per pixel, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

interface MozjpegModule {
  decode(bytes: Uint8Array, preserveOrientation: boolean): DecodedImage | null;
}

// Node has WebAssembly; this package's TypeScript libraries (no DOM) do not declare it.
const wasmRuntime = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } })
  .WebAssembly;

let mozjpeg: MozjpegModule | undefined;
const messages: string[] = [];
let loading: Promise<void> | undefined;

/** Where `@jsquash/jpeg`'s decoder .wasm lies (resolved from this module; a bundled worker is told). */
export function jpegWasmPath(): string {
  return createRequire(import.meta.url).resolve("@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm");
}

/**
 * Loads mozjpeg's decoder (libjpeg-turbo compiled to WebAssembly, from `@jsquash/jpeg`; the .wasm
 * ships in the package, nothing is downloaded): ~4× faster than jpeg-js on survey cutouts (34 vs
 * 143 ms for 396 64 × 64 JPEGs). Once per thread; until it is loaded, or if it cannot load,
 * `decodeJpeg` uses jpeg-js.
 */
export function loadJpegDecoder(wasmPath?: string): Promise<void> {
  loading ??= (async () => {
    try {
      const wasm = await wasmRuntime.compile(readFileSync(wasmPath ?? jpegWasmPath()));
      const { initEmscriptenModule } = await import("@jsquash/jpeg/utils.js");
      const factory = (await import("@jsquash/jpeg/codec/dec/mozjpeg_dec.js")).default;
      // libjpeg's messages (errors, and warnings such as "Premature end of JPEG file") are kept for
      // the decode that raised them, not printed.
      mozjpeg = (await initEmscriptenModule(factory, wasm as Parameters<typeof initEmscriptenModule>[1], {
        print: (text: string) => messages.push(text),
        printErr: (text: string) => messages.push(text),
      })) as MozjpegModule;
    } catch {
      mozjpeg = undefined;
    }
  })();
  return loading;
}

/** Decodes a JPEG to RGBA; throws on a corrupt or truncated stream. */
export function decodeJpeg(bytes: Uint8Array): DecodedImage {
  if (mozjpeg) {
    messages.length = 0;
    let image: DecodedImage | null = null;
    try {
      image = mozjpeg.decode(bytes, false);
    } catch {
      // libjpeg stopped on an error; its message says which.
    }
    // A warning means damaged data that libjpeg papered over (a truncated file comes out grey at the
    // bottom): the cutout would be wrong, so it counts as unreadable too.
    if (!image || messages.length > 0) throw new Error(messages.join("; ") || "not a decodable JPEG stream");
    return {
      width: image.width,
      height: image.height,
      data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    };
  }
  return jpeg.decode(bytes, { useTArray: true, maxMemoryUsageInMB: 256 });
}
