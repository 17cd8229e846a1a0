import { describe, expect, it } from "vitest";
import { encodeHeader, formatCard, formatReal } from "./header.ts";

describe("FITS header cards", () => {
  it("formats fixed-format values right-justified to column 30", () => {
    expect(formatCard({ key: "SIMPLE", value: true })).toBe(`SIMPLE  =                    T${" ".repeat(50)}`);
    expect(formatCard({ key: "NAXIS1", value: 4096 }).slice(0, 30)).toBe("NAXIS1  =                 4096");
    expect(formatCard({ key: "obsid", value: 740103002n }).slice(0, 30)).toBe("OBSID   =            740103002");
  });

  it("formats reals with a decimal point and an upper-case exponent", () => {
    expect(formatReal(3.5682)).toBe("3.5682");
    expect(formatReal(2)).toBe("2.0");
    expect(formatReal(1e-11)).toBe("1.0E-11");
    for (const value of [-1.2345678901234566e-7, 6.02214076e23, 0.1 + 0.2, 5577.338]) {
      expect(Number(formatReal(value))).toBe(value);
    }
    expect(formatCard({ key: "COEFF1", value: 0.0001 }).slice(10, 30).trim()).toBe("0.0001");
    expect(formatCard({ key: "WAVEC0", value: 4100.5 }).slice(10, 30).trim()).toBe("4100.5");
  });

  it("quotes strings, doubling embedded quotes and padding to 8 characters", () => {
    expect(formatCard({ key: "CLASS", value: "QSO", comment: "Class of object" })).toBe(
      "CLASS   = 'QSO     '           / Class of object".padEnd(80),
    );
    expect(formatCard({ key: "OBSERVER", value: "O'Hara" }).slice(10, 22)).toBe("'O''Hara '  ");
  });

  it("rejects invalid keywords, non-finite numbers and non-ASCII text", () => {
    expect(() => formatCard({ key: "TOO_LONG_KEY", value: 1 })).toThrow(/Invalid FITS keyword/);
    expect(() => formatCard({ key: "FLUX", value: Number.NaN })).toThrow(/non-finite/);
    expect(() => formatCard({ key: "OBJECT", value: "Ångström" })).toThrow(/printable ASCII/);
  });

  it("ends the header with END and pads it to 2880-byte blocks", () => {
    const header = encodeHeader([{ key: "SIMPLE", value: true }]);
    expect(header.length).toBe(2880);
    expect(header.toString("ascii", 80, 83)).toBe("END");
  });
});
