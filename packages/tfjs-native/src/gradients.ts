// Gradients that free memory while backpropagation runs. TensorFlow.js keeps every tensor the
// forward pass saved for the backward pass, and the gradient of every intermediate tensor, until the
// whole backward pass ends: for full-size MAC-Net at batch 32 that peaks at ~6.9 GB of live tensors,
// twice what the forward pass saves. Here each tape node's saved tensors, and the gradients of its
// outputs, are disposed as soon as that node's gradient has been computed (nothing later reads
// them), so the peak is about the saved forward pass.
import * as tf from "@tensorflow/tfjs";

/** A node of TensorFlow.js's gradient tape (tfjs-core's `TapeNode`, not exported). */
interface TapeNode {
  id: number;
  kernelName: string;
  outputs: tf.Tensor[];
  inputs: Record<string, tf.Tensor>;
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

/** The parts of tfjs-core's Engine the backward pass needs (all present since 1.x, none exported). */
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T;
}

function engineInternals(): EngineInternals | null {
  const engine = tf.engine() as unknown as Partial<EngineInternals>;
  const usable =
    typeof engine.scopedRun === "function" &&
    typeof engine.startTape === "function" &&
    typeof engine.endTape === "function" &&
    typeof engine.tidy === "function" &&
    engine.state !== undefined;
  return usable ? (engine as EngineInternals) : null;
}

/**
 * The nodes on a path from one of `xs` to `y`, in tape order, each with only the inputs that
 * depend on `xs` (what tfjs-core's `getFilteredNodesXToY` gives).
 */
export function nodesFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      nodesFromX.add(node.id);
      for (const output of node.outputs) fromX.add(output.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i] as TapeNode;
    if (!node.outputs.some((output) => toY.has(output.id))) continue;
    nodesToY.add(node.id);
    for (const input of Object.values(node.inputs)) toY.add(input.id);
  }
  const filtered: TapeNode[] = [];
  for (const node of tape) {
    if (!nodesFromX.has(node.id) || !nodesToY.has(node.id)) continue;
    const inputs = Object.fromEntries(Object.entries(node.inputs).filter(([, input]) => fromX.has(input.id)));
    filtered.push({ ...node, inputs });
  }
  return filtered;
}

/** Disposes `tensors` except those in `keep` (the same tensor objects). */
function disposeExcept(tensors: Iterable<tf.Tensor | null | undefined>, keep: ReadonlySet<tf.Tensor>): void {
  for (const tensor of tensors) if (tensor && !keep.has(tensor)) tensor.dispose();
}

/**
 * Walks `tape` backwards from `gradients` (tensor id → its gradient), accumulating gradients on
 * inputs as tfjs-core's `backpropagateGradients` does, but disposing each node's saved tensors and
 * its outputs' gradients once the node is done. Gradients of `keep` (the variables) stay.
 */
function backpropagateFreeing(
  engine: EngineInternals,
  gradients: Map<number, tf.Tensor>,
  tape: readonly TapeNode[],
  keep: ReadonlySet<number>,
): void {
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i] as TapeNode;
    const dys = node.outputs.map((output) => gradients.get(output.id) ?? null);
    if (node.gradient == null)
      throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const inputGradients = node.gradient(dys);
    const produced = new Set<tf.Tensor>();
    for (const [inputName, x] of Object.entries(node.inputs)) {
      const gradient = inputGradients[inputName];
      if (gradient === undefined) {
        throw new Error(
          `Cannot backprop through input ${inputName}. Available gradients found: ${Object.keys(inputGradients)}.`,
        );
      }
      const dx = engine.tidy(`grad ${node.kernelName}`, gradient);
      if (dx.dtype !== "float32") {
        throw new Error(
          `Error in gradient for op ${node.kernelName}. The gradient of input ${inputName} must have 'float32' dtype, but has '${dx.dtype}'`,
        );
      }
      if (!tf.util.arraysEqual(dx.shape, x.shape)) {
        throw new Error(
          `Error in gradient for op ${node.kernelName}. The gradient of input '${inputName}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`,
        );
      }
      const current = gradients.get(x.id);
      if (current === undefined) {
        gradients.set(x.id, dx);
        produced.add(dx);
      } else {
        const sum = tf.add(current, dx);
        gradients.set(x.id, sum);
        produced.add(sum);
        if (!produced.has(dx)) dx.dispose();
        current.dispose();
      }
    }
    // Nothing later reads this node's saved tensors or its outputs' gradients (a gradient function
    // may hand back one of them as an input's gradient: those stay).
    disposeExcept(node.saved ?? [], produced);
    node.saved = [];
    for (const output of node.outputs) {
      if (keep.has(output.id)) continue;
      const dy = gradients.get(output.id);
      if (dy && !produced.has(dy)) dy.dispose();
      gradients.delete(output.id);
    }
  }
}

/**
 * `tf.variableGrads(f, varList)` with memory freed during backpropagation (see the file's head);
 * same value and gradients. Falls back to `tf.variableGrads` inside another gradient computation
 * (higher-order gradients need the tape whole) or where tfjs-core's internals are not as expected.
 */
export function variableGradsFreeing(
  f: () => tf.Scalar,
  varList?: tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = engineInternals();
  if (!engine || engine.state.gradientDepth > 0 || process.env.MACNET_FREEING_GRADIENTS === "0") {
    return tf.variableGrads(f, varList);
  }
  const specified = varList != null;
  const all = specified ? varList : (Object.values(tf.engine().registeredVariables) as tf.Variable[]);
  const trainable = all.filter((v) => v.trainable);
  if (trainable.length === 0) {
    throw new Error(
      `variableGrads() expects at least one of the input variables to be trainable, but none of the ${all.length} variables is trainable.`,
    );
  }
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy("forward", f),
  );
  const tape = engine.state.activeTape ?? [];
  const fail = (message: string): never => {
    for (const node of tape) for (const tensor of node.saved ?? []) tensor.dispose();
    engine.state.activeTape = null;
    tf.dispose(y);
    throw new Error(message);
  };
  if (!(y instanceof tf.Tensor)) fail("The result y returned by f() must be a tensor.");
  if (y.rank !== 0)
    fail(`The f passed in variableGrads(f) must return a scalar, but it returned a rank-${y.rank} tensor`);
  const filtered = nodesFromXsToY(tape, trainable, y);
  const named = engine.tidy("backward", () => {
    const gradients = new Map<number, tf.Tensor>([[y.id, tf.onesLike(y)]]);
    const keep = new Set(trainable.map((v) => v.id));
    try {
      backpropagateFreeing(engine, gradients, filtered, keep);
    } finally {
      for (const node of tape) for (const tensor of node.saved ?? []) tensor.dispose();
      engine.state.activeTape = null;
    }
    const byName: tf.NamedTensorMap = {};
    for (const v of trainable) {
      const gradient = gradients.get(v.id);
      if (gradient) byName[v.name] = gradient;
    }
    return byName;
  });
  if (Object.keys(named).length === 0) {
    tf.dispose(y);
    throw new Error(
      "Cannot find a connection between any variable and the result of the loss function y=f(x). Please make sure the operations that use variables are inside the function f passed to minimize().",
    );
  }
  if (specified) for (const v of all) if (!v.trainable) named[v.name] = null as unknown as tf.Tensor;
  return { value: y as tf.Scalar, grads: named };
}
