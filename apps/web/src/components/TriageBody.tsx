"use client";
// One object of a triage list below its heading: cutout, small strips, class probabilities.
import { useMemo, useState } from "react";
import { CutoutView } from "@/components/CutoutView";
import { ProbabilityBars } from "@/components/ProbabilityBars";
import { StripCanvas } from "@/components/StripCanvas";
import type { StripFieldsFragment, TriageMediaFragment } from "@/gql/graphql";
import { decodeFloat32 } from "@/lib/astro";

function SmallStrip({ strip }: { strip: StripFieldsFragment }) {
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

export function TriageBody(props: {
  object: TriageMediaFragment;
  probabilities?: { probGalaxy: number; probQso: number; probStar: number } | null;
}) {
  const { cutout, strips } = props.object;
  const p = props.probabilities;
  return (
    <div className="triage-body">
      {cutout && <CutoutView dataUrl={cutout.dataUrl} width={cutout.widthPx} height={cutout.heightPx} size={96} />}
      <div className="triage-strips">
        {strips.map((s) => (
          <SmallStrip key={s.arm} strip={s} />
        ))}
      </div>
      {p && <ProbabilityBars probGalaxy={p.probGalaxy} probQso={p.probQso} probStar={p.probStar} />}
    </div>
  );
}
