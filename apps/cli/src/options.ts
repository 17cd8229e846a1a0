import { InvalidArgumentError } from "commander";

/** `--model <id>`: a trained model's numeric id. */
export function modelIdOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`--model must be a model id (got "${value}")`);
  return Number(value);
}

/** A positive integer option; `name` (e.g. "--epochs") goes into the error. */
export const positiveInteger = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return Number(value);
};
