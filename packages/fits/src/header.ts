/** A value a FITS header card can hold. */
export type CardValue = string | number | boolean | bigint;

/** One header card: a keyword with a value, or COMMENT/HISTORY/blank commentary. */
export interface Card {
  key: string;
  value?: CardValue;
  comment?: string;
}

/** FITS headers and data are written in blocks of this many bytes. */
export const BLOCK_BYTES = 2880;
const CARD_CHARS = 80;

const COMMENTARY = new Set(["COMMENT", "HISTORY", ""]);

/** Formats one 80-character card (FITS 4.0 §4.1, fixed format for mandatory keywords). */
export function formatCard(card: Card): string {
  const key = card.key.toUpperCase();
  if (!/^[A-Z0-9_-]{0,8}$/.test(key)) throw new Error(`Invalid FITS keyword '${card.key}'`);
  if (COMMENTARY.has(key)) {
    return fit(`${key.padEnd(8)}${String(card.value ?? card.comment ?? "")}`);
  }
  if (card.value === undefined) throw new Error(`FITS keyword ${key} needs a value`);
  const value = formatValue(key, card.value);
  const text = card.comment ? `${value} / ${card.comment}` : value;
  return fit(`${key.padEnd(8)}= ${text}`);
}

function fit(text: string): string {
  if (/[^\x20-\x7e]/.test(text)) throw new Error(`FITS header text must be printable ASCII: ${text}`);
  return text.length > CARD_CHARS ? text.slice(0, CARD_CHARS) : text.padEnd(CARD_CHARS);
}

function formatValue(key: string, value: CardValue): string {
  if (typeof value === "boolean") return (value ? "T" : "F").padStart(20);
  if (typeof value === "bigint") return value.toString().padStart(20);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`FITS keyword ${key} has a non-finite value`);
    return (Number.isInteger(value) && !Object.is(value, -0) ? value.toString() : formatReal(value)).padStart(20);
  }
  const quoted = `'${value.replace(/'/g, "''").padEnd(8)}'`;
  if (quoted.length > 70) throw new Error(`FITS string for ${key} is too long`);
  return quoted.padEnd(20);
}

/** Shortest round-trip real with a decimal point and an upper-case exponent, as FITS requires. */
export function formatReal(value: number): string {
  const [mantissa, exponent] = value.toString().split("e");
  const withPoint = mantissa?.includes(".") ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? withPoint : `${withPoint}E${exponent.replace("+", "")}`;
}

/** Encodes cards plus END, padded with spaces to whole blocks. */
export function encodeHeader(cards: Card[]): Buffer {
  const text = `${cards.map(formatCard).join("")}${"END".padEnd(CARD_CHARS)}`;
  const padded = text.padEnd(Math.ceil(text.length / BLOCK_BYTES) * BLOCK_BYTES);
  return Buffer.from(padded, "ascii");
}
