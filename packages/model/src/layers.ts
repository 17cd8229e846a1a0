// Custom layers the MAC-Net family needs and TensorFlow.js layers lacks. Both are serialisable
// (registered with `serialization.registerClass`), so saved models load back without extra code.

import { batchNormTraining, conv2dTraining, dropoutTraining, maxPoolTraining } from "@macnet/tfjs-native";
import * as tf from "@tensorflow/tfjs";
import { initializers, type LayerVariable, layers } from "@tensorflow/tfjs";

type Shape = (number | null)[];

/**
 * Local response normalisation across channels, as in GoogLeNet's stem (Caffe's LRN, size 5,
 * alpha 1e-4, beta 0.75, k 1). Caffe divides alpha by the window size; TensorFlow does not, so the
 * tf alpha is alpha / size.
 */
export class LocalResponseNorm extends layers.Layer {
  static className = "MacnetLocalResponseNorm";
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;

  constructor(args: { depthRadius?: number; bias?: number; alpha?: number; beta?: number; name?: string } = {}) {
    super({ name: args.name });
    this.depthRadius = args.depthRadius ?? 2;
    this.bias = args.bias ?? 1;
    this.alpha = args.alpha ?? 1e-4 / 5;
    this.beta = args.beta ?? 0.75;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.localResponseNormalization(x as tf.Tensor4D, this.depthRadius, this.bias, this.alpha, this.beta);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      depthRadius: this.depthRadius,
      bias: this.bias,
      alpha: this.alpha,
      beta: this.beta,
    };
  }
}

/**
 * Convolutional Block Attention Module (Woo et al. 2018) as one layer: channel attention (average-
 * and max-pooled descriptors through a shared two-layer MLP, added, sigmoid, scale) followed by
 * spatial attention (channel-wise mean and max, concatenated, 7×7 convolution, sigmoid, scale).
 * One layer with its own weights instead of a graph of layers: tfjs layers has no Lambda layer, and
 * a shared MLP would give a layer two inbound nodes.
 */
export class Cbam extends layers.Layer {
  static className = "MacnetCbam";
  readonly reduction: number;
  readonly kernelSize: number;
  private w1?: LayerVariable;
  private b1?: LayerVariable;
  private w2?: LayerVariable;
  private b2?: LayerVariable;
  private spatialKernel?: LayerVariable;
  private spatialBias?: LayerVariable;

  constructor(args: { reduction?: number; kernelSize?: number; name?: string } = {}) {
    super({ name: args.name });
    this.reduction = args.reduction ?? 8;
    this.kernelSize = args.kernelSize ?? 7;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[3];
    if (typeof channels !== "number") throw new Error("Cbam needs a known channel count (NHWC input)");
    const hidden = Math.max(1, Math.floor(channels / this.reduction));
    const glorot = () => initializers.glorotUniform({});
    const zeros = () => initializers.zeros();
    this.w1 = this.addWeight("mlp_kernel_1", [channels, hidden], "float32", glorot());
    this.b1 = this.addWeight("mlp_bias_1", [hidden], "float32", zeros());
    this.w2 = this.addWeight("mlp_kernel_2", [hidden, channels], "float32", glorot());
    this.b2 = this.addWeight("mlp_bias_2", [channels], "float32", zeros());
    this.spatialKernel = this.addWeight(
      "spatial_kernel",
      [this.kernelSize, this.kernelSize, 2, 1],
      "float32",
      glorot(),
    );
    this.spatialBias = this.addWeight("spatial_bias", [1], "float32", zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [w1, b1, w2, b2, kernel, bias] = [
        this.w1,
        this.b1,
        this.w2,
        this.b2,
        this.spatialKernel,
        this.spatialBias,
      ].map((v) => (v as LayerVariable).read());
      const mlp = (descriptor: tf.Tensor2D) =>
        tf.add(
          tf.matMul(tf.relu(tf.add(tf.matMul(descriptor, w1 as tf.Tensor2D), b1 as tf.Tensor)), w2 as tf.Tensor2D),
          b2 as tf.Tensor,
        );
      const channel = tf.sigmoid(tf.add(mlp(tf.mean(x, [1, 2])), mlp(tf.max(x, [1, 2]))));
      const refined = tf.mul(x, tf.reshape(channel, [-1, 1, 1, x.shape[3]]));
      const pooled = tf.concat([tf.mean(refined, 3, true), tf.max(refined, 3, true)], 3) as tf.Tensor4D;
      const spatial = tf.sigmoid(tf.add(tf.conv2d(pooled, kernel as tf.Tensor4D, 1, "same"), bias as tf.Tensor));
      return tf.mul(refined, spatial);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), reduction: this.reduction, kernelSize: this.kernelSize };
  }
}

type BatchNormInternals = {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariable;
  beta: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
};

// tfjs-layers does not export its BatchNormalization class; its factory's product has it.
const BatchNormalizationLayer = Object.getPrototypeOf(layers.batchNormalization({})).constructor as typeof layers.Layer;

/**
 * Keras batch normalisation whose training-mode step runs as one native op with its own gradient
 * on the `onednn` backend (`batchNormTraining`), instead of TensorFlow.js's moments + batchNorm.
 * Same weights, moving averages (momentum 0.99), inference path and results; any other backend,
 * axis or configuration uses the inherited code.
 */
export class MacnetBatchNormalization extends BatchNormalizationLayer {
  static className = "MacnetBatchNormalization";

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormInternals;
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    const lastAxis = self.axis === -1 || self.axis === input.rank - 1;
    if (!kwargs?.training || !lastAxis || !self.center || !self.scale) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const result = batchNormTraining(input, self.gamma.read(), self.beta.read(), self.epsilon);
      if (!result) return super.call(inputs, kwargs) as tf.Tensor;
      const decay = 1 - self.momentum;
      for (const [variable, value] of [
        [self.movingMean, result.mean],
        [self.movingVariance, result.variance],
      ] as const) {
        const current = variable.read();
        variable.write(tf.sub(current, tf.mul(tf.sub(current, value), decay)));
      }
      tf.dispose([result.mean, result.variance]);
      return result.y;
    });
  }
}

type ConvInternals = {
  rank: number;
  kernel: LayerVariable;
  bias: LayerVariable | null;
  strides: [number, number];
  padding: string;
  dataFormat: string;
  dilationRate: [number, number];
  activation: { getClassName(): string };
  inboundNodes: { inboundLayers: { getClassName(): string }[] }[];
};

// tfjs-layers does not export its Conv2D class either.
type ConvArgs = Parameters<typeof layers.conv2d>[0];
const Conv2DLayer = Object.getPrototypeOf(layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as new (
  args: ConvArgs,
) => InstanceType<typeof layers.Layer>;

/**
 * Keras Conv2D whose training-mode call, for ReLU or linear activations with a bias, runs
 * `conv2dTraining` on the `onednn` backend: the ReLU gradient is applied inside the native backward
 * pass instead of as two output-sized tensors kept to the end of backpropagation, and the input's
 * gradient is skipped when the input is a model input. Same weights and results as Conv2D.
 */
export class MacnetConv2D extends Conv2DLayer {
  static className = "MacnetConv2D";

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as ConvInternals;
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const activation = self.activation.getClassName();
    const eligible =
      kwargs?.training &&
      self.rank === 2 &&
      self.bias !== null &&
      self.dataFormat === "channelsLast" &&
      self.dilationRate.every((d) => d === 1) &&
      (activation === "relu" || activation === "linear") &&
      (self.padding === "same" || self.padding === "valid");
    if (!eligible) return super.call(inputs, kwargs);
    const fromModelInput = self.inboundNodes[0]?.inboundLayers[0]?.getClassName() === "InputLayer";
    return tf.tidy(() => {
      const output = conv2dTraining(
        input,
        self.kernel.read() as tf.Tensor4D,
        (self.bias as LayerVariable).read() as tf.Tensor1D,
        {
          strides: self.strides,
          pad: self.padding as "same" | "valid",
          activation: activation as "relu" | "linear",
          inputGradient: !fromModelInput,
        },
      );
      return output ?? (super.call(inputs, kwargs) as tf.Tensor);
    });
  }
}

type PoolInternals = {
  poolSize: [number, number];
  strides: [number, number];
  padding: string;
  dataFormat: string;
};

// Nor its MaxPooling2D and Dropout classes.
const MaxPooling2DLayer = Object.getPrototypeOf(layers.maxPooling2d({ poolSize: 2 })).constructor as new (
  args: Parameters<typeof layers.maxPooling2d>[0],
) => InstanceType<typeof layers.Layer>;
const DropoutLayer = Object.getPrototypeOf(layers.dropout({ rate: 0.5 })).constructor as new (
  args: Parameters<typeof layers.dropout>[0],
) => InstanceType<typeof layers.Layer>;

/**
 * Keras MaxPooling2D whose training-mode call runs `maxPoolTraining` on the `onednn` backend: the
 * gradient keeps one byte per output (where each maximum was) instead of the input and output.
 * Same results; inference and other backends use the inherited code.
 */
export class MacnetMaxPooling2D extends MaxPooling2DLayer {
  static className = "MacnetMaxPooling2D";

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as PoolInternals;
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const eligible =
      kwargs?.training &&
      input.rank === 4 &&
      self.dataFormat === "channelsLast" &&
      (self.padding === "same" || self.padding === "valid");
    if (!eligible) return super.call(inputs, kwargs);
    const output = maxPoolTraining(input, {
      poolSize: self.poolSize,
      strides: self.strides,
      pad: self.padding as "same" | "valid",
    });
    return output ?? super.call(inputs, kwargs);
  }
}

/**
 * Keras Dropout whose training-mode call runs `dropoutTraining` on the `onednn` backend (native
 * random numbers, a one-byte mask kept for the gradient). Same distribution and scaling, not the
 * same random stream; a fixed seed or a noise shape uses the inherited code.
 */
export class MacnetDropout extends DropoutLayer {
  static className = "MacnetDropout";

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as { rate: number; noiseShape?: unknown; seed?: number };
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    if (!kwargs?.training || self.noiseShape != null || self.seed != null) return super.call(inputs, kwargs);
    return dropoutTraining(input, self.rate) ?? super.call(inputs, kwargs);
  }
}

tf.serialization.registerClass(MacnetConv2D as unknown as tf.serialization.SerializableConstructor<MacnetConv2D>);
tf.serialization.registerClass(MacnetBatchNormalization);
tf.serialization.registerClass(
  MacnetMaxPooling2D as unknown as tf.serialization.SerializableConstructor<MacnetMaxPooling2D>,
);
tf.serialization.registerClass(MacnetDropout as unknown as tf.serialization.SerializableConstructor<MacnetDropout>);
tf.serialization.registerClass(LocalResponseNorm);
tf.serialization.registerClass(Cbam);
