// The model package's names and constants without its networks: what the CLI's option parsing and
// the job parameters need, importable without loading TensorFlow.js (`@macnet/model/names`).

/** Same names as the Prisma `Architecture` enum. */
export const ARCHITECTURES = ["SSCNN_1D", "M_NET", "C_NET", "MC_NET", "MAC_NET", "IMAGE_NET"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** A dataset's splits. */
export const SPLITS = ["TRAIN", "VAL", "TEST"] as const;
export type Split = (typeof SPLITS)[number];

/** Start pixels of the paper's interval sweep (§4.5). */
export const PAPER_WINDOW_STARTS = [500, 1000, 1500, 2000];
