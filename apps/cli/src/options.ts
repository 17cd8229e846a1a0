import { InvalidArgumentError } from "commander";

/** `--model <id>`: a trained model's numeric id. */
export function modelIdOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`--model must be a model id (got "${value}")`);
  return Number(value);
}
