import type { Metadata } from "next";
import type { ReactNode } from "react";
import "uplot/dist/uPlot.min.css";
import "./globals.css";
import { Shell } from "@/components/Shell";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "MAC-Net platform",
  description: "LAMOST/SDSS multimodal survey data and the MAC-Net classifiers",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Shell>{children}</Shell>
        </Providers>
      </body>
    </html>
  );
}
