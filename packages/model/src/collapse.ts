// The collapse watch: a run whose validation predictions all fall in one class for several epochs.
import { CLASSES } from "./datasets.ts";
import { argmax } from "./pipeline.ts";

/** Epochs in a row with every validation prediction in one class that make a run "collapsed". */
export const COLLAPSE_EPOCHS = 5;

/**
 * Watches each epoch's validation predictions for a collapse: every sample predicted as the same
 * class for COLLAPSE_EPOCHS epochs in a row (a run that learned only the prior). Returns the
 * warning to record, once, when that happens.
 */
export class CollapseWatch {
  private run = 0;
  private lastClass = -1;
  private warned = false;

  observe(epoch: number, probabilities: number[][]): string | null {
    const classes = new Set(probabilities.map((row) => argmax(row)));
    const only = classes.size === 1 ? (classes.values().next().value as number) : -1;
    if (only >= 0 && only === this.lastClass) this.run++;
    else this.run = only >= 0 ? 1 : 0;
    this.lastClass = only;
    if (this.warned || this.run < COLLAPSE_EPOCHS || probabilities.length < 2) return null;
    this.warned = true;
    const name = CLASSES[only] ?? String(only);
    return (
      `collapsed: every validation object was predicted ${name} for ${this.run} epochs in a row ` +
      `(epochs ${epoch - this.run + 1}–${epoch}); the model learned only the class prior. ` +
      "Try a lower learning rate, balanced class weights or the compact configuration."
    );
  }
}
