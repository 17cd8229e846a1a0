/** A seeded generator (a linear congruential one) of numbers in [0, 1): the same sky on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32;
  };
}
