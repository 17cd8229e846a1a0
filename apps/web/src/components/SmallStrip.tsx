"use client";
// A strip drawn small (triage lists), with its own zoom range.
import { useMemo, useState } from "react";
import { StripCanvas } from "@/components/StripCanvas";
import type { StripFieldsFragment } from "@/gql/graphql";
import { decodeFloat32 } from "@/lib/astro";

export function SmallStrip({ strip }: { strip: StripFieldsFragment }) {
  const values = useMemo(() => decodeFloat32(strip.valuesBase64), [strip]);
  const [range, setRange] = useState<[number, number]>([0, strip.lengthPx]);
  return (
    <StripCanvas
      values={values}
      rows={strip.widthPx}
      cols={strip.lengthPx}
      wavelength={strip.wavelengthAngstrom}
      range={range}
      onRange={setRange}
      height={44}
    />
  );
}
