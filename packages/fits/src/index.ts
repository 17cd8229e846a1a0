export { asciiOf, type BinTableCell, BinTableEncoder, type BinTableField, type BinTableType } from "./bintable.ts";
export { BLOCK_BYTES, type Card, type CardValue, encodeHeader, formatCard, formatReal } from "./header.ts";
export {
  type ColumnValues,
  FitsError,
  FitsFile,
  FitsHeader,
  type FitsImage,
  type FitsTable,
  type Hdu,
  MAX_INFLATED_BYTES,
  type StoredImageRows,
  type TableColumnInfo,
  withFits,
} from "./read-fits.ts";
export {
  type Bitpix,
  FitsWriter,
  type ImageHdu,
  type PixelArray,
  type TableColumn,
  type TableHdu,
  writeFits,
} from "./write-fits.ts";
