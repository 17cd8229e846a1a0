// Native kernels for TensorFlow.js's CPU backend, built on oneDNN (Debian's libdnnl).
//
// Every function is synchronous and works in place on buffers owned by JavaScript: inputs are
// Float32Arrays, the output is a Float32Array the caller allocated. Tensors are NHWC, filters HWIO
// (TensorFlow's layouts); oneDNN is told so, picks its own blocked layout for the weights and
// reorders to and from ours. Primitives are cached by their shape parameters.
//
// Threads: oneDNN and the loops here use OpenMP, so OMP_NUM_THREADS caps both.

#include <napi.h>
#include <omp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

// ---- argument helpers -----------------------------------------------------------------------

float* floats(const Napi::Value& value, const char* name, size_t expected) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  if (expected != 0 && array.ElementLength() != expected) {
    throw Napi::RangeError::New(value.Env(), std::string(name) + " has " + std::to_string(array.ElementLength()) +
                                                 " elements, expected " + std::to_string(expected));
  }
  return array.Data();
}

uint8_t* bytes(const Napi::Value& value, const char* name, size_t expected) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be a Uint8Array");
  }
  auto array = value.As<Napi::Uint8Array>();
  if (array.ElementLength() != expected) {
    throw Napi::RangeError::New(value.Env(), std::string(name) + " has " + std::to_string(array.ElementLength()) +
                                                 " elements, expected " + std::to_string(expected));
  }
  return array.Data();
}

std::vector<int64_t> ints(const Napi::Value& value, const char* name, size_t expected) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be an Int32Array");
  }
  auto array = value.As<Napi::Int32Array>();
  if (array.ElementLength() != expected) {
    throw Napi::RangeError::New(value.Env(), std::string(name) + " must have " + std::to_string(expected) + " entries");
  }
  return std::vector<int64_t>(array.Data(), array.Data() + expected);
}

std::string keyOf(const char* op, const std::vector<int64_t>& p, float extra = 0) {
  std::string key(op);
  for (auto v : p) key += ',' + std::to_string(v);
  key += ',' + std::to_string(extra);
  return key;
}

// ---- activations shared by fused convolution and matmul ---------------------------------------

enum Activation { LINEAR = 0, RELU = 1, RELU6 = 2, LEAKYRELU = 3, SIGMOID = 4, ELU = 5 };

void appendActivation(dnnl::post_ops& ops, int64_t activation, float alpha) {
  switch (activation) {
    case LINEAR: return;
    case RELU: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f); return;
    case RELU6: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, 0.f, 6.f); return;
    case LEAKYRELU: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, alpha, 0.f); return;
    case SIGMOID: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_logistic, 0.f, 0.f); return;
    case ELU: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_elu, 1.f, 0.f); return;
    default: throw std::invalid_argument("unknown activation code " + std::to_string(activation));
  }
}

inline float activate(float v, int64_t activation, float alpha) {
  switch (activation) {
    case RELU: return v > 0 ? v : 0;
    case RELU6: return std::min(std::max(v, 0.f), 6.f);
    case LEAKYRELU: return v > 0 ? v : alpha * v;
    case SIGMOID: return 1.f / (1.f + std::exp(-v));
    case ELU: return v > 0 ? v : std::expm1(v);
    default: return v;
  }
}

// v[i] = activation(v[i] + bias[i]) over n contiguous values (bias may be null): the epilogue of the
// own GEMM paths (dense layers, row-tile and per-kernel-row convolutions). Serial: callers
// parallelise over rows or pixels.
inline void biasActivate(float* v, int64_t n, const float* bias, int64_t activation, float alpha) {
  if (bias)
    for (int64_t i = 0; i < n; i++) v[i] += bias[i];
  if (activation == RELU)
    for (int64_t i = 0; i < n; i++) v[i] = v[i] > 0 ? v[i] : 0;
  else if (activation != LINEAR)
    for (int64_t i = 0; i < n; i++) v[i] = activate(v[i], activation, alpha);
}

// ---- convolution ------------------------------------------------------------------------------
// p = [N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR]
constexpr size_t CONV_PARAMS = 17;

struct ConvShape {
  memory::dims src, wei, bias, dst, strides, dilates, padL, padR;
  size_t srcSize, weiSize, dstSize;
  explicit ConvShape(const std::vector<int64_t>& p) {
    const auto N = p[0], IH = p[1], IW = p[2], IC = p[3], OH = p[4], OW = p[5], OC = p[6], KH = p[7], KW = p[8];
    src = {N, IC, IH, IW};
    wei = {OC, IC, KH, KW};
    bias = {OC};
    dst = {N, OC, OH, OW};
    strides = {p[9], p[10]};
    dilates = {p[11] - 1, p[12] - 1};
    padL = {p[13], p[14]};
    padR = {p[15], p[16]};
    srcSize = N * IH * IW * IC;
    weiSize = KH * KW * IC * OC;
    dstSize = N * OH * OW * OC;
  }
  memory::desc srcMd() const { return {src, dt::f32, tag::nhwc}; }
  memory::desc dstMd() const { return {dst, dt::f32, tag::nhwc}; }
  memory::desc weiAny() const { return {wei, dt::f32, tag::any}; }
  memory::desc weiUser() const { return {wei, dt::f32, tag::hwio}; }
  dnnl::convolution_forward::desc forwardDesc(dnnl::prop_kind kind, bool withBias) const {
    if (withBias) {
      return {kind, dnnl::algorithm::convolution_direct, srcMd(), weiAny(), memory::desc(bias, dt::f32, tag::a),
              dstMd(), strides, dilates, padL, padR};
    }
    return {kind, dnnl::algorithm::convolution_direct, srcMd(), weiAny(), dstMd(), strides, dilates, padL, padR};
  }
};

// A reorder between our HWIO weights and a primitive's preferred layout, when they differ.
struct WeightsReorder {
  memory::desc wanted;
  std::optional<dnnl::reorder> reorder;
  WeightsReorder(const memory::desc& user, const memory::desc& primitive, bool toUser) : wanted(primitive) {
    if (primitive == user) return;
    memory a(toUser ? primitive : user, cpuEngine()), b(toUser ? user : primitive, cpuEngine());
    reorder = dnnl::reorder(a, b);
  }
  // Weights in the primitive's layout (reordered from `user` when needed).
  memory prepare(memory user) const {
    if (!reorder) return user;
    memory out(wanted, cpuEngine());
    reorder->execute(cpuStream(), user, out);
    return out;
  }
  // Same, reusing the last reorder of the same buffer while its contents are byte for byte the ones
  // reordered then (a model's weights between calls; a changed or recycled buffer is reordered
  // again). At batch 1 the reorders took ~10 % of a MAC-Net inference.
  memory in(memory user) const {
    if (!reorder) return user;
    const auto* data = static_cast<const char*>(user.get_data_handle());
    const size_t bytes = user.get_desc().get_size();
    auto found = reordered.find(data);
    if (found != reordered.end() && std::memcmp(found->second.source.data(), data, bytes) == 0)
      return found->second.weights;
    if (reordered.size() >= 8) reordered.clear();
    auto& entry = reordered[data];
    entry.source.assign(data, data + bytes);
    entry.weights = prepare(user);
    return entry.weights;
  }

 private:
  struct Reordered {
    std::vector<char> source;
    memory weights;
  };
  mutable std::unordered_map<const char*, Reordered> reordered;
};

struct ConvForward {
  dnnl::convolution_forward prim;
  WeightsReorder weights;
};

struct ConvBackwardData {
  dnnl::convolution_backward_data prim;
  WeightsReorder weights;
};

struct ConvBackwardWeights {
  dnnl::convolution_backward_weights prim;
  WeightsReorder weights;  // from the primitive's layout back to HWIO
};

template <typename T>
std::unordered_map<std::string, std::shared_ptr<T>>& cacheOf() {
  static std::unordered_map<std::string, std::shared_ptr<T>> cache;
  return cache;
}

template <typename T, typename Make>
std::shared_ptr<T> cached(const std::string& key, Make make) {
  auto& cache = cacheOf<T>();
  auto found = cache.find(key);
  if (found != cache.end()) return found->second;
  if (cache.size() > 512) cache.clear();
  auto made = std::make_shared<T>(make());
  cache.emplace(key, made);
  return made;
}

// Stride 1, no dilation, a kernel larger than 1×1: the convolutions whose gradients below bypass
// oneDNN's backward primitives.
bool unitStrideSpatial(const std::vector<int64_t>& p) {
  return p[9] == 1 && p[10] == 1 && p[11] == 1 && p[12] == 1 && p[7] * p[8] > 1;
}

// The forward pass of a stride-1, undilated convolution of an input with few channels and long
// rows (MAC-Net's first spectral layer: one channel, a 3×20 kernel, 128 filters) as one GEMM per
// tile of an output row: the tile's patches (K = KH·KW·IC values per pixel) are copied into a
// per-thread buffer that stays in cache and multiplied by the HWIO filter (K × OC), and bias and
// activation are applied to the tile while it is hot. oneDNN 2.6's brgconv runs this shape at a
// quarter of the GEMM's speed (docs/native-kernels.md).
bool forwardAsRowGemms(const std::vector<int64_t>& p, const float* x, const float* w, const float* b, float* y,
                       int64_t activation, float alpha) {
  const int64_t N = p[0], IH = p[1], IW = p[2], IC = p[3], OH = p[4], OW = p[5], OC = p[6], KH = p[7], KW = p[8];
  if (!unitStrideSpatial(p) || IC > 4 || OC < 16 || OW < 64) return false;
  const int64_t pt = p[13], pl = p[14], K = KH * KW * IC;
  constexpr int64_t TILE = 256;
  const int64_t tiles = (OW + TILE - 1) / TILE;
  bool failed = false;
#pragma omp parallel
  {
    std::vector<float> patches(static_cast<size_t>(TILE * K));
#pragma omp for collapse(2) schedule(static)
    for (int64_t row = 0; row < N * OH; row++) {
      for (int64_t t = 0; t < tiles; t++) {
        const int64_t n = row / OH, oh = row % OH, ow0 = t * TILE, count = std::min(TILE, OW - ow0);
        for (int64_t i = 0; i < count; i++) {
          for (int64_t kh = 0; kh < KH; kh++) {
            float* dst = patches.data() + i * K + kh * KW * IC;
            const int64_t ih = oh + kh - pt, iw0 = ow0 + i - pl;
            if (ih < 0 || ih >= IH) {
              std::fill(dst, dst + KW * IC, 0.f);
              continue;
            }
            const float* src = x + ((n * IH + ih) * IW) * IC;
            if (iw0 >= 0 && iw0 + KW <= IW) {
              std::memcpy(dst, src + iw0 * IC, KW * IC * sizeof(float));  // the whole window in the row
              continue;
            }
            for (int64_t kw = 0; kw < KW; kw++) {
              const int64_t iw = iw0 + kw;
              for (int64_t ic = 0; ic < IC; ic++) dst[kw * IC + ic] = iw >= 0 && iw < IW ? src[iw * IC + ic] : 0.f;
            }
          }
        }
        float* out = y + ((n * OH + oh) * OW + ow0) * OC;
        if (dnnl_sgemm('N', 'N', count, OC, K, 1.f, patches.data(), K, w, OC, 0.f, out, OC) != dnnl_success)
          failed = true;
        for (int64_t i = 0; i < count; i++) biasActivate(out + i * OC, OC, b, activation, alpha);
      }
    }
  }
  if (failed) throw std::invalid_argument("dnnl_sgemm failed in a convolution");
  return true;
}

// A stride-1, undilated convolution of short images padded at top or bottom (MAC-Net's 3×20 layers
// on 5- and 2-row inputs) as one 1×KW convolution per kernel row, over only the rows where that
// kernel row meets the image, image by image, summed by oneDNN's sum post-op: brgconv computes the
// padding rows' zeros too (2 of 15 row products at 5 rows: 193 → 174 ms for 16 images of
// 5 × 1000 × 128 → 64 in isolation; 2 % of a b32 inference, 6 % of a b32 training step, where the
// input gradients take this path too). The kernel row that meets every output row goes first, with
// the bias; the activation is a last pass.
bool kernelRowsFit(const std::vector<int64_t>& p) {
  const int64_t IH = p[1], OH = p[4], KH = p[7], PT = p[13], PB = p[15];
  return unitStrideSpatial(p) && KH >= 2 && PT + PB > 0 && PT < KH && OH == IH && IH <= 8;
}

void convolveByKernelRows(const std::vector<int64_t>& p, const float* x, const float* w, const float* b, float* y,
                          int64_t activation, float alpha) {
  const int64_t N = p[0], IH = p[1], IW = p[2], IC = p[3], OH = p[4], OW = p[5], OC = p[6], KH = p[7], KW = p[8];
  const int64_t PT = p[13];
  std::vector<int64_t> taps{PT};
  for (int64_t kh = 0; kh < KH; kh++)
    if (kh != PT) taps.push_back(kh);
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  for (size_t t = 0; t < taps.size(); t++) {
    const int64_t kh = taps[t];
    const int64_t oh0 = std::max<int64_t>(0, PT - kh), oh1 = std::min(OH, IH + PT - kh), rows = oh1 - oh0;
    if (rows <= 0) continue;
    const int64_t ih0 = oh0 + kh - PT;
    const bool first = t == 0, bias = first && b != nullptr;
    std::vector<int64_t> q = {1, rows, IW, IC, rows, OW, OC, 1, KW, 1, 1, 1, 1, 0, p[14], 0, p[16]};
    const ConvShape row(q);
    q.push_back(bias);
    q.push_back(!first);
    auto conv = cached<ConvForward>(keyOf("conv_fwd_kernel_row", q), [&] {
      dnnl::post_ops ops;
      if (!first) ops.append_sum(1.f);
      dnnl::primitive_attr attr;
      attr.set_post_ops(ops);
      dnnl::convolution_forward::primitive_desc pd(row.forwardDesc(dnnl::prop_kind::forward_inference, bias), attr,
                                                   engine);
      return ConvForward{dnnl::convolution_forward(pd), WeightsReorder(row.weiUser(), pd.weights_desc(), false)};
    });
    memory wei = conv->weights.in(memory(row.weiUser(), engine, const_cast<float*>(w + kh * KW * IC * OC)));
    for (int64_t n = 0; n < N; n++) {
      memory src(row.srcMd(), engine, const_cast<float*>(x + (n * IH + ih0) * IW * IC));
      memory dst(row.dstMd(), engine, y + (n * OH + oh0) * OW * OC);
      std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}};
      if (bias) args.emplace(DNNL_ARG_BIAS, memory({row.bias, dt::f32, tag::a}, engine, const_cast<float*>(b)));
      conv->prim.execute(stream, args);
    }
  }
  stream.wait();
  if (activation != LINEAR) {
#pragma omp parallel for schedule(static)
    for (int64_t pixel = 0; pixel < N * OH * OW; pixel++) biasActivate(y + pixel * OC, OC, nullptr, activation, alpha);
  }
}

// Short, wide kernels on short images (the spectral layers): the image layers keep one primitive.
bool forwardByKernelRows(const std::vector<int64_t>& p, const float* x, const float* w, const float* b, float* y,
                         int64_t activation, float alpha) {
  if (!kernelRowsFit(p) || p[8] < 8 || p[3] < 16) return false;
  convolveByKernelRows(p, x, w, b, y, activation, alpha);
  return true;
}

// oneDNN's convolution primitive, with the bias and the activation as post-ops.
std::shared_ptr<ConvForward> forwardPrimitive(const std::vector<int64_t>& params, bool withBias, int64_t activation,
                                              float alpha) {
  auto p = params;
  p.push_back(withBias);
  p.push_back(activation);
  return cached<ConvForward>(keyOf("conv_fwd", p, alpha), [&] {
    const ConvShape s(params);
    dnnl::post_ops ops;
    appendActivation(ops, activation, alpha);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    dnnl::convolution_forward::primitive_desc pd(s.forwardDesc(dnnl::prop_kind::forward_inference, withBias), attr,
                                                 cpuEngine());
    return ConvForward{dnnl::convolution_forward(pd), WeightsReorder(s.weiUser(), pd.weights_desc(), false)};
  });
}

// Runs a forward primitive on weights already in its layout.
void runForward(const ConvForward& conv, const std::vector<int64_t>& params, const float* x, const memory& wei,
                const float* b, float* y) {
  const ConvShape s(params);
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  memory src(s.srcMd(), engine, const_cast<float*>(x)), dst(s.dstMd(), engine, y);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}};
  if (b) args.emplace(DNNL_ARG_BIAS, memory({s.bias, dt::f32, tag::a}, engine, const_cast<float*>(b)));
  conv.prim.execute(stream, args);
  stream.wait();
}

void convolveByPrimitive(const std::vector<int64_t>& p, const float* x, const float* w, const float* b, float* y,
                         int64_t activation, float alpha) {
  auto conv = forwardPrimitive(p, b != nullptr, activation, alpha);
  const memory wei = conv->weights.in(memory(ConvShape(p).weiUser(), cpuEngine(), const_cast<float*>(w)));
  runForward(*conv, p, x, wei, b, y);
}

// ---- wide kernels in a transform domain along the rows --------------------------------------
// Stride-1 convolutions with wide kernels (MAC-Net's 3×20 spectral layers) computed in a transform
// domain along the width. The image rows are cut into tiles of `span` input pixels at a stride of
// `stride` output pixels; a linear transform of each tile gives `planes` transformed tiles, and a
// transform of the kernel's taps gives each plane its weights, such that every plane is an ordinary
// convolution (KH × `planeKW` kernel, the layer's padding of rows, none of the width) — run by oneDNN's
// own kernels — and the output tile is a linear transform of the planes' outputs, then bias and
// activation. Two transforms (docs/native-kernels.md: error and timings):
// - FFT, overlap-save (the default): tiles of L = 64 pixels give L − KW + 1 outputs; the L/2 + 1
//   frequency bins are the planes, each a complex 1 × 1 product across channels, written as a real
//   convolution of [Re, Im] input channels to [Re, Im] output channels (weights [[c, −d], [d, c]] for
//   the bin's conj(W) = c − id). 4·(L/2 + 1) / (L − KW + 1) of the direct products: 0.15 for KW = 20.
// - Winograd F(4, 4): the taps cut into C = ⌈KW/4⌉ chunks of 4, tiles of 7 pixels at stride 4, 7
//   planes with a KH × C kernel each: 7·C / (4·KW) of the direct products, 0.44 for KW = 20. Points
//   0, ±1, ±2, ½, ∞, matrices from the Vandermonde inverse in double precision.
constexpr int WINO_M = 4, WINO_R = 4, WINO_A = WINO_M + WINO_R - 1;

struct WinogradMatrices {
  float at[WINO_M][WINO_A], g[WINO_A][WINO_R], bt[WINO_A][WINO_A];
  WinogradMatrices() {
    // Toom-Cook: with the α × α Vandermonde matrix V of the points (∞ picks the leading coefficient),
    // Aᵀ = E_mᵀ, G = E_r (the points' powers) and Bᵀ = V⁻ᵀ.
    const double points[WINO_A - 1] = {0, 1, -1, 2, -2, 0.5};
    auto power = [&](int k, int e, int top) { return k < WINO_A - 1 ? std::pow(points[k], e) : (e == top ? 1. : 0.); };
    double v[WINO_A][WINO_A], inv[WINO_A][WINO_A] = {};
    for (int k = 0; k < WINO_A; k++) {
      for (int e = 0; e < WINO_A; e++) v[k][e] = power(k, e, WINO_A - 1);
      for (int e = 0; e < WINO_R; e++) g[k][e] = static_cast<float>(power(k, e, WINO_R - 1));
      for (int e = 0; e < WINO_M; e++) at[e][k] = static_cast<float>(power(k, e, WINO_M - 1));
      inv[k][k] = 1;
    }
    for (int c = 0; c < WINO_A; c++) {  // Gauss-Jordan with partial pivoting
      int pivot = c;
      for (int r = c + 1; r < WINO_A; r++)
        if (std::fabs(v[r][c]) > std::fabs(v[pivot][c])) pivot = r;
      std::swap(v[c], v[pivot]);
      std::swap(inv[c], inv[pivot]);
      const double d = v[c][c];
      for (int e = 0; e < WINO_A; e++) v[c][e] /= d, inv[c][e] /= d;
      for (int r = 0; r < WINO_A; r++) {
        if (r == c) continue;
        const double f = v[r][c];
        for (int e = 0; e < WINO_A; e++) v[r][e] -= f * v[c][e], inv[r][e] -= f * inv[c][e];
      }
    }
    for (int a = 0; a < WINO_A; a++)
      for (int e = 0; e < WINO_A; e++) bt[a][e] = static_cast<float>(inv[e][a]);
  }
};

// Radix-2 complex FFT of n points, each point a vector of `width` floats (re[n][width], im[n][width]),
// in place; the vectors make the inner loops (channels), which the compiler vectorises.
struct Fft {
  int n = 0;
  std::vector<int> reversed;
  std::vector<float> cosines, sines;
  explicit Fft(int points) : n(points), reversed(points), cosines(points / 2), sines(points / 2) {
    int bits = 0;
    while ((1 << bits) < n) bits++;
    for (int i = 0; i < n; i++) {
      int r = 0;
      for (int b = 0; b < bits; b++)
        if (i >> b & 1) r |= 1 << (bits - 1 - b);
      reversed[i] = r;
    }
    for (int k = 0; k < n / 2; k++) {
      cosines[k] = static_cast<float>(std::cos(2 * M_PI * k / n));
      sines[k] = static_cast<float>(std::sin(2 * M_PI * k / n));
    }
  }
  // sign −1: forward (e^{−2πi fk/n}); +1: inverse without the 1/n.
  void run(float* re, float* im, int64_t width, int sign) const {
    for (int i = 0; i < n; i++) {
      if (reversed[i] <= i) continue;
      std::swap_ranges(re + i * width, re + (i + 1) * width, re + reversed[i] * width);
      std::swap_ranges(im + i * width, im + (i + 1) * width, im + reversed[i] * width);
    }
    for (int length = 2; length <= n; length <<= 1) {
      const int half = length / 2, step = n / length;
      for (int start = 0; start < n; start += length) {
        for (int k = 0; k < half; k++) {
          const float c = cosines[k * step], sn = sign * sines[k * step];
          float* __restrict ar = re + (start + k) * width;
          float* __restrict ai = im + (start + k) * width;
          float* __restrict br = re + (start + k + half) * width;
          float* __restrict bi = im + (start + k + half) * width;
          for (int64_t i = 0; i < width; i++) {
            const float tr = br[i] * c - bi[i] * sn, ti = br[i] * sn + bi[i] * c;
            br[i] = ar[i] - tr;
            bi[i] = ai[i] - ti;
            ar[i] += tr;
            ai[i] += ti;
          }
        }
      }
    }
  }
};

enum WideMethod { WIDE_DIRECT = 0, WIDE_FFT = 1, WIDE_WINOGRAD = 2 };

struct WideSettings {
  int method = WIDE_FFT;
  double groupBytes = 32 << 20;  // transformed input and output planes per group of images
  double fftCalls = 0, winogradCalls = 0;
};

WideSettings& wideSettings() {
  static WideSettings settings;
  return settings;
}

// Scratch kept by each thread between calls (a fresh buffer's pages fault in at ~12 µs per 4 KiB on
// one development VM), 2 MiB-aligned and on transparent huge pages where the kernel allows.
class Scratch {
 public:
  float* get(size_t floats) {
    if (floats > size_) {
      std::free(data_);
      const size_t bytes = ((floats * sizeof(float) + (2u << 20) - 1) >> 21) << 21;
      data_ = static_cast<float*>(std::aligned_alloc(2u << 20, bytes));
      if (!data_) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
      madvise(data_, bytes, MADV_HUGEPAGE);
#endif
      size_ = bytes / sizeof(float);
    }
    return data_;
  }
  ~Scratch() { std::free(data_); }

 private:
  float* data_ = nullptr;
  size_t size_ = 0;
};

// One transform (above) for a convolution of IC → OC channels with KW taps.
class RowTransform {
 public:
  int64_t stride = 0, span = 0, planes = 0, planeKW = 0, channels = 1;  // channels: 2 for complex planes
  virtual ~RowTransform() = default;
  // The planes' HWIO weights [plane][KH][planeKW][IC·channels][OC·channels] from HWIO `w` [KH][KW][IC][OC].
  virtual void filter(const float* w, int64_t KH, int64_t KW, int64_t IC, int64_t OC, float* u) const = 0;
  // One tile: `in[e]` is input pixel e of the tile (IC floats) or null (zero); plane a's tile goes to
  // v + a·planeStride (IC·channels floats).
  virtual void input(const float* const* in, int64_t IC, float* v, int64_t planeStride, float* work) const = 0;
  // One tile: plane a's output tile at m + a·planeStride (OC·channels floats); output pixel i (< count)
  // to out + i·OC.
  virtual void output(const float* m, int64_t planeStride, int64_t OC, float* out, int64_t count,
                      float* work) const = 0;
  // Floats of per-thread work space for `input` / `output` with `width` channels.
  virtual int64_t workFloats(int64_t width) const = 0;
};

class WinogradTransform final : public RowTransform {
 public:
  explicit WinogradTransform(int64_t KW) {
    stride = WINO_M;
    span = WINO_A;
    planes = WINO_A;
    planeKW = (KW + WINO_R - 1) / WINO_R;
  }
  // U[ξ][kh][c] = Σ_q G[ξ][q] · w[kh][4c + q] (taps past KW are zero).
  void filter(const float* w, int64_t KH, int64_t KW, int64_t IC, int64_t OC, float* u) const override {
    const int64_t C = planeKW;
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t kh = 0; kh < KH; kh++) {
      for (int64_t c = 0; c < C; c++) {
        for (int a = 0; a < WINO_A; a++) {
          float* plane = u + ((a * KH + kh) * C + c) * IC * OC;
          std::fill(plane, plane + IC * OC, 0.f);
          for (int q = 0; q < WINO_R && c * WINO_R + q < KW; q++) {
            const float coefficient = mat.g[a][q];
            const float* tap = w + (kh * KW + c * WINO_R + q) * IC * OC;
            if (coefficient != 0)
              for (int64_t i = 0; i < IC * OC; i++) plane[i] += coefficient * tap[i];
          }
        }
      }
    }
  }
  void input(const float* const* in, int64_t IC, float* v, int64_t planeStride, float*) const override {
    for (int a = 0; a < WINO_A; a++) {
      float* out = v + a * planeStride;
      std::fill(out, out + IC, 0.f);
      for (int e = 0; e < WINO_A; e++) {
        const float coefficient = mat.bt[a][e];
        if (coefficient == 0 || !in[e]) continue;
        const float* from = in[e];
        for (int64_t i = 0; i < IC; i++) out[i] += coefficient * from[i];
      }
    }
  }
  void output(const float* m, int64_t planeStride, int64_t OC, float* out, int64_t count, float*) const override {
    for (int64_t i = 0; i < count; i++) {
      float* pixel = out + i * OC;
      std::fill(pixel, pixel + OC, 0.f);
      for (int a = 0; a < WINO_A; a++) {
        const float coefficient = mat.at[i][a];
        if (coefficient == 0) continue;
        const float* plane = m + a * planeStride;
        for (int64_t o = 0; o < OC; o++) pixel[o] += coefficient * plane[o];
      }
    }
  }
  int64_t workFloats(int64_t) const override { return 0; }

 private:
  static inline const WinogradMatrices mat{};
};

class FftTransform final : public RowTransform {
 public:
  static constexpr int L = 64;
  explicit FftTransform(int64_t KW) {
    stride = L - KW + 1;
    span = L;
    planes = L / 2 + 1;
    planeKW = 1;
    channels = 2;
  }
  // Bin f, row kh: W = Σ_k w[kh][k] e^{−2πi fk/L} = c + id; the plane maps [a (Re X), b (Im X)] to
  // [Re, Im] of X·conj(W) = (ac + bd) + i(bc − ad).
  void filter(const float* w, int64_t KH, int64_t KW, int64_t IC, int64_t OC, float* u) const override {
    std::vector<double> cosine(static_cast<size_t>(planes * KW)), sine(cosine.size());
    for (int64_t f = 0; f < planes; f++)
      for (int64_t k = 0; k < KW; k++) {
        const double angle = -2 * M_PI * static_cast<double>((f * k) % L) / L;
        cosine[f * KW + k] = std::cos(angle);
        sine[f * KW + k] = std::sin(angle);
      }
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t f = 0; f < planes; f++) {
      for (int64_t kh = 0; kh < KH; kh++) {
        float* plane = u + (f * KH + kh) * 4 * IC * OC;
        std::vector<double> c(static_cast<size_t>(IC * OC), 0.0), d(c.size(), 0.0);
        for (int64_t k = 0; k < KW; k++) {
          const double ck = cosine[f * KW + k], sk = sine[f * KW + k];
          const float* tap = w + (kh * KW + k) * IC * OC;
          for (int64_t i = 0; i < IC * OC; i++) c[i] += ck * tap[i], d[i] += sk * tap[i];
        }
        for (int64_t ic = 0; ic < IC; ic++) {
          float* re = plane + ic * 2 * OC;           // row a = Re X[ic]
          float* im = plane + (IC + ic) * 2 * OC;    // row b = Im X[ic]
          for (int64_t oc = 0; oc < OC; oc++) {
            const float cv = static_cast<float>(c[ic * OC + oc]), dv = static_cast<float>(d[ic * OC + oc]);
            re[oc] = cv;
            re[OC + oc] = -dv;
            im[oc] = dv;
            im[OC + oc] = cv;
          }
        }
      }
    }
  }
  void input(const float* const* in, int64_t IC, float* v, int64_t planeStride, float* work) const override {
    float *re = work, *im = work + L * IC;
    for (int e = 0; e < L; e++) {
      if (in[e])
        std::memcpy(re + e * IC, in[e], IC * sizeof(float));
      else
        std::fill(re + e * IC, re + (e + 1) * IC, 0.f);
    }
    std::fill(im, im + L * IC, 0.f);
    fft.run(re, im, IC, -1);
    for (int64_t f = 0; f < planes; f++) {
      std::memcpy(v + f * planeStride, re + f * IC, IC * sizeof(float));
      std::memcpy(v + f * planeStride + IC, im + f * IC, IC * sizeof(float));
    }
  }
  // The spectrum's other half by symmetry (Y[L − f] = conj Y[f]), the inverse FFT, 1/L.
  void output(const float* m, int64_t planeStride, int64_t OC, float* out, int64_t count,
              float* work) const override {
    float *re = work, *im = work + L * OC;
    for (int64_t f = 0; f < planes; f++) {
      std::memcpy(re + f * OC, m + f * planeStride, OC * sizeof(float));
      std::memcpy(im + f * OC, m + f * planeStride + OC, OC * sizeof(float));
    }
    for (int64_t f = planes; f < L; f++)
      for (int64_t o = 0; o < OC; o++) {
        re[f * OC + o] = re[(L - f) * OC + o];
        im[f * OC + o] = -im[(L - f) * OC + o];
      }
    fft.run(re, im, OC, 1);
    const float scale = 1.f / L;
    for (int64_t i = 0; i < count; i++)
      for (int64_t o = 0; o < OC; o++) out[i * OC + o] = re[i * OC + o] * scale;
  }
  int64_t workFloats(int64_t width) const override { return 2 * L * width; }

 private:
  static inline const Fft fft{L};
};

// A layer's weights in a transform domain: the planes' weights in the plane convolution's layout, kept
// while the HWIO weights they came from are byte for byte the same (a trained model's, between calls).
struct PlaneWeights {
  std::vector<float> source;
  std::vector<memory> planes;
};

bool forwardByRowTransform(const std::vector<int64_t>& p, const float* x, const float* weights, const float* b,
                           float* y, int64_t activation, float alpha, bool keepWeights) {
  const int64_t N = p[0], IH = p[1], IW = p[2], IC = p[3], OH = p[4], OW = p[5], OC = p[6], KHall = p[7], KW = p[8];
  auto& settings = wideSettings();
  if (settings.method == WIDE_DIRECT || !unitStrideSpatial(p) || KW < 8 || IC < 16 || OC < 16 || OW < 16)
    return false;
  // The FFT's tiles give L − KW + 1 outputs: wider kernels take Winograd, and so do small images,
  // where the 33 plane convolutions of a few pixels each cost more in calls than they save (batch 1:
  // 2 × 500 and 1 × 250 pixels took 3.5 and 2.8 ms by FFT, 2.1 and 0.7 by Winograd).
  const int64_t fftStride = FftTransform::L - KW + 1;  // ≤ 0 past L taps: only read when KW ≤ L/2
  const bool byFft = settings.method == WIDE_FFT && KW <= FftTransform::L / 2 &&
                     N * OH * ((OW + fftStride - 1) / fftStride) >= 64;
  std::unique_ptr<RowTransform> transform;
  if (byFft)
    transform = std::make_unique<FftTransform>(KW);
  else
    transform = std::make_unique<WinogradTransform>(KW);
  const RowTransform& tr = *transform;
  // Only the kernel rows that meet the image for some output row (one, on a one-row image).
  const int64_t lo = std::max<int64_t>(0, p[13] - OH + 1), KH = std::min(KHall - 1, p[13] + IH - 1) - lo + 1;
  const int64_t PT = p[13] - lo, PL = p[14], PB = OH - IH - PT + KH - 1;
  if (KH < 1 || PB < 0) return false;
  const int64_t CI = IC * tr.channels, CO = OC * tr.channels, P = tr.planes;
  const int64_t T = (OW + tr.stride - 1) / tr.stride, VT = T + tr.planeKW - 1;
  const int64_t perImage = P * (IH * VT * CI + OH * T * CO);
  const int64_t G = std::clamp<int64_t>(static_cast<int64_t>(settings.groupBytes / (4.0 * perImage)), 1, N);
  thread_local Scratch vScratch, mScratch;
  float* V = vScratch.get(static_cast<size_t>(P * G * IH * VT * CI));
  float* M = mScratch.get(static_cast<size_t>(P * G * OH * T * CO));
  (byFft ? settings.fftCalls : settings.winogradCalls)++;
  // The plane convolutions: one primitive over the group's images (per-kernel-row passes were slower).
  const std::vector<int64_t> plane = {G, IH, VT, CI, OH, T, CO, KH, tr.planeKW, 1, 1, 1, 1, PT, 0, PB, 0};
  const memory::desc planeUser = ConvShape(plane).weiUser();
  const size_t planeFloats = static_cast<size_t>(KH * tr.planeKW * CI * CO);
  const size_t weightFloats = static_cast<size_t>(KH * KW * IC * OC);
  const float* w = weights + lo * KW * IC * OC;
  auto conv = forwardPrimitive(plane, false, LINEAR, 0.f);
  auto prepare = [&](PlaneWeights& entry) {
    std::vector<float> u(P * planeFloats);
    tr.filter(w, KH, KW, IC, OC, u.data());
    entry.planes.clear();
    for (int64_t a = 0; a < P; a++) {
      memory plain(planeUser, cpuEngine(), u.data() + a * planeFloats), owned(conv->weights.wanted, cpuEngine());
      dnnl::reorder(plain, owned).execute(cpuStream(), plain, owned);
      entry.planes.push_back(owned);
    }
    cpuStream().wait();
  };
  // Weights made for this call only (the input gradient's flipped filter) are not kept.
  PlaneWeights once;
  const PlaneWeights* prepared = &once;
  if (keepWeights) {
    static std::unordered_map<std::string, PlaneWeights> cache;
    const std::string key = keyOf(byFft ? "fft" : "winograd", p) +
                            std::to_string(reinterpret_cast<uintptr_t>(w));
    auto found = cache.find(key);
    if (found == cache.end() || std::memcmp(found->second.source.data(), w, weightFloats * sizeof(float)) != 0) {
      if (found == cache.end() && cache.size() >= 16) cache.clear();
      auto& entry = cache[key];
      prepare(entry);
      entry.source.assign(w, w + weightFloats);
      found = cache.find(key);
    }
    prepared = &found->second;
  } else {
    prepare(once);
  }
  const auto& planes = prepared->planes;
  for (int64_t n0 = 0; n0 < N; n0 += G) {
    const int64_t g = std::min(G, N - n0);
    // Input tiles: tile j starts at padded input pixel j·stride.
#pragma omp parallel
    {
      std::vector<float> work(static_cast<size_t>(tr.workFloats(IC)));
      std::vector<const float*> in(static_cast<size_t>(tr.span));
#pragma omp for collapse(2) schedule(static)
      for (int64_t row = 0; row < g * IH; row++) {
        for (int64_t j = 0; j < VT; j++) {
          for (int64_t e = 0; e < tr.span; e++) {
            const int64_t iw = j * tr.stride + e - PL;
            in[e] = iw >= 0 && iw < IW ? x + ((n0 * IH + row) * IW + iw) * IC : nullptr;
          }
          tr.input(in.data(), IC, V + (row * VT + j) * CI, G * IH * VT * CI, work.data());
        }
      }
    }
    auto groupPlane = plane;
    groupPlane[0] = g;
    auto groupConv = g == G ? conv : forwardPrimitive(groupPlane, false, LINEAR, 0.f);
    for (int64_t a = 0; a < P; a++) {
      // The last, smaller group's primitive may want another layout (then reordered here, uncached).
      memory wei = planes[a];
      if (wei.get_desc() != groupConv->weights.wanted) {
        memory other(groupConv->weights.wanted, cpuEngine());
        dnnl::reorder(wei, other).execute(cpuStream(), wei, other);
        wei = other;
      }
      runForward(*groupConv, groupPlane, V + a * G * IH * VT * CI, wei, nullptr, M + a * G * OH * T * CO);
    }
    // Output tiles, then bias and activation.
#pragma omp parallel
    {
      std::vector<float> work(static_cast<size_t>(tr.workFloats(OC)));
#pragma omp for collapse(2) schedule(static)
      for (int64_t row = 0; row < g * OH; row++) {
        for (int64_t t = 0; t < T; t++) {
          const int64_t count = std::min(tr.stride, OW - t * tr.stride);
          float* out = y + ((n0 * OH + row) * OW + t * tr.stride) * OC;
          tr.output(M + (row * T + t) * CO, G * OH * T * CO, OC, out, count, work.data());
          for (int64_t i = 0; i < count; i++) biasActivate(out + i * OC, OC, b, activation, alpha);
        }
      }
    }
  }
  return true;
}

// The forward convolution: our own paths where they are faster than oneDNN's primitive for the
// shape, else the primitive.
// keepWeights: the weights are a layer's, worth keeping prepared between calls.
void convolve(const std::vector<int64_t>& p, const float* x, const float* w, const float* b, float* y,
              int64_t activation, float alpha, bool keepWeights = true) {
  if (forwardByRowTransform(p, x, w, b, y, activation, alpha, keepWeights)) return;
  if (forwardAsRowGemms(p, x, w, b, y, activation, alpha)) return;
  if (forwardByKernelRows(p, x, w, b, y, activation, alpha)) return;
  convolveByPrimitive(p, x, w, b, y, activation, alpha);
}

// conv2dForward(x, w, bias | null, y, params, activation, alpha)
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  const auto p = ints(info[4], "params", CONV_PARAMS);
  const ConvShape s(p);
  const bool withBias = !info[2].IsNull() && !info[2].IsUndefined();
  float* x = floats(info[0], "x", s.srcSize);
  float* w = floats(info[1], "filter", s.weiSize);
  float* b = withBias ? floats(info[2], "bias", static_cast<size_t>(s.dst[1])) : nullptr;
  float* y = floats(info[3], "y", s.dstSize);
  const int64_t activation = info[5].As<Napi::Number>().Int64Value();
  const float alpha = info[6].As<Napi::Number>().FloatValue();
  convolve(p, x, w, b, y, activation, alpha);
  return info.Env().Undefined();
}

// The input gradient of a stride-1, undilated convolution is a forward convolution of dy with the
// filter flipped in space and its channels swapped, padded by (kernel − 1 − pad) on each side.
// oneDNN 2.6 runs backward-data of NHWC f32 as im2col + GEMM (x64:gemm:jit), its forward as
// brgconv: for MAC-Net's 3×20 convolution of 128 → 64 channels at batch 32, 711 ms as backward
// data, ~370 ms as this forward (docs/native-kernels.md). p' = the forward convolution's params.
bool backwardDataAsForward(const std::vector<int64_t>& p, std::vector<int64_t>& forward) {
  const auto KH = p[7], KW = p[8];
  if (!unitStrideSpatial(p)) return false;
  const int64_t top = KH - 1 - p[13], left = KW - 1 - p[14], bottom = KH - 1 - p[15], right = KW - 1 - p[16];
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return false;
  // dy [N, OH, OW, OC] → dx [N, IH, IW, IC]
  forward = {p[0], p[4], p[5], p[6], p[1], p[2], p[3], KH, KW, 1, 1, 1, 1, top, left, bottom, right};
  return true;
}

// conv2dBackwardData(dy, w, dx, params)
Napi::Value Conv2dBackwardData(const Napi::CallbackInfo& info) {
  const auto p = ints(info[3], "params", CONV_PARAMS);
  const ConvShape s(p);
  float* dy = floats(info[0], "dy", s.dstSize);
  float* w = floats(info[1], "filter", s.weiSize);
  float* dx = floats(info[2], "dx", s.srcSize);
  std::vector<int64_t> fp;
  if (backwardDataAsForward(p, fp)) {
    // HWIO [KH, KW, IC, OC] → flipped HWIO [KH, KW, OC, IC].
    const int64_t KH = p[7], KW = p[8], IC = p[3], OC = p[6];
    std::vector<float> flipped(static_cast<size_t>(s.weiSize));
#pragma omp parallel for collapse(2) schedule(static) if (s.weiSize > 32768)
    for (int64_t kh = 0; kh < KH; kh++) {
      for (int64_t kw = 0; kw < KW; kw++) {
        const float* from = w + (kh * KW + kw) * IC * OC;
        float* to = flipped.data() + ((KH - 1 - kh) * KW + (KW - 1 - kw)) * OC * IC;
        for (int64_t ic = 0; ic < IC; ic++)
          for (int64_t oc = 0; oc < OC; oc++) to[oc * IC + ic] = from[ic * OC + oc];
      }
    }
    convolve(fp, dy, flipped.data(), nullptr, dx, LINEAR, 0.f, false);
    return info.Env().Undefined();
  }
  auto conv = cached<ConvBackwardData>(keyOf("conv_bwd_data", p), [&] {
    dnnl::convolution_forward::primitive_desc hint(s.forwardDesc(dnnl::prop_kind::forward_training, false),
                                                   cpuEngine());
    dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, s.srcMd(), s.weiAny(), s.dstMd(),
                                               s.strides, s.dilates, s.padL, s.padR);
    dnnl::convolution_backward_data::primitive_desc pd(desc, cpuEngine(), hint);
    return ConvBackwardData{dnnl::convolution_backward_data(pd), WeightsReorder(s.weiUser(), pd.weights_desc(), false)};
  });
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  memory diffDst(s.dstMd(), engine, dy), diffSrc(s.srcMd(), engine, dx);
  memory wei = conv->weights.in(memory(s.weiUser(), engine, w));
  conv->prim.execute(stream, {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DIFF_SRC, diffSrc}});
  stream.wait();
  return info.Env().Undefined();
}

// The filter gradient of a stride-1, undilated NHWC convolution with long rows, as GEMMs on the
// tensors as they are: for each filter tap (kh, kw) and each output row, the row's valid pixels of x
// (shifted by the tap) transposed times the same pixels of dy, accumulated into dw[kh, kw]
// (IC × OC). No im2col copy: oneDNN 2.6's backward-weights of NHWC f32 copies x once per tap
// (x64:gemm:jit). Threads take whole taps, so each writes its own slab of dw. MAC-Net's 3×20
// convolution of 128 → 64 channels at batch 32: 1.48 s as backward-weights (docs/native-kernels.md).
bool backwardFilterAsGemms(const std::vector<int64_t>& p, const float* x, const float* dy, float* dw) {
  const int64_t N = p[0], IH = p[1], IW = p[2], IC = p[3], OH = p[4], OW = p[5], OC = p[6], KH = p[7], KW = p[8];
  // Few channels make thin GEMMs: the one-channel first layer took 5× longer this way.
  if (!unitStrideSpatial(p) || OW < 64 || IC < 16 || OC < 16) return false;
  const int64_t pt = p[13], pl = p[14];
  bool failed = false;
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t tap = 0; tap < KH * KW; tap++) {
    const int64_t kh = tap / KW, kw = tap % KW;
    float* slab = dw + tap * IC * OC;
    std::fill(slab, slab + IC * OC, 0.f);
    const int64_t oh0 = std::max<int64_t>(0, pt - kh), oh1 = std::min(OH, IH + pt - kh);
    const int64_t ow0 = std::max<int64_t>(0, pl - kw), ow1 = std::min(OW, IW + pl - kw);
    if (ow1 <= ow0) continue;
    for (int64_t n = 0; n < N; n++) {
      for (int64_t oh = oh0; oh < oh1; oh++) {
        const float* a = x + ((n * IH + oh + kh - pt) * IW + ow0 + kw - pl) * IC;
        const float* b = dy + ((n * OH + oh) * OW + ow0) * OC;
        // Inside a parallel region oneDNN's sgemm runs on the calling thread.
        if (dnnl_sgemm('T', 'N', IC, OC, ow1 - ow0, 1.f, a, IC, b, OC, 1.f, slab, OC) != dnnl_success) failed = true;
      }
    }
  }
  if (failed) throw std::invalid_argument("dnnl_sgemm failed in the filter gradient");
  return true;
}

// conv2dBackwardFilter(x, dy, dw, params)
Napi::Value Conv2dBackwardFilter(const Napi::CallbackInfo& info) {
  const auto p = ints(info[3], "params", CONV_PARAMS);
  const ConvShape s(p);
  float* x = floats(info[0], "x", s.srcSize);
  float* dy = floats(info[1], "dy", s.dstSize);
  float* dw = floats(info[2], "dw", s.weiSize);
  if (backwardFilterAsGemms(p, x, dy, dw)) return info.Env().Undefined();
  auto conv = cached<ConvBackwardWeights>(keyOf("conv_bwd_weights", p), [&] {
    dnnl::convolution_forward::primitive_desc hint(s.forwardDesc(dnnl::prop_kind::forward_training, false),
                                                   cpuEngine());
    dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, s.srcMd(), s.weiAny(),
                                                  s.dstMd(), s.strides, s.dilates, s.padL, s.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, cpuEngine(), hint);
    return ConvBackwardWeights{dnnl::convolution_backward_weights(pd),
                               WeightsReorder(s.weiUser(), pd.diff_weights_desc(), true)};
  });
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  memory src(s.srcMd(), engine, x), diffDst(s.dstMd(), engine, dy), userWei(s.weiUser(), engine, dw);
  const auto& reorder = conv->weights.reorder;
  memory diffWei = reorder ? memory(conv->weights.wanted, engine) : userWei;
  conv->prim.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, diffWei}});
  if (reorder) reorder->execute(stream, diffWei, userWei);
  stream.wait();
  return info.Env().Undefined();
}

// ---- matrix multiplication --------------------------------------------------------------------
// c = a·B for one row a (M = 1) and a B [K, N] larger than the caches (a dense layer at batch 1): each
// thread streams its own block of B's rows, four rows a pass, into a private N-vector, and the vectors
// are summed. This is bound by memory bandwidth; dnnl_sgemm's M = 1 path streamed MAC-Net's 329 MB
// first dense layer in 13–16 ms, this in 10.4–11.6 ms, a plain read of it 10.5–11.1 ms
// (docs/native-kernels.md).
bool gemvByRowBlocks(const float* a, const float* b, float* c, int64_t K, int64_t N) {
  if (K * N < (int64_t{1} << 22) || K < 64) return false;
  std::vector<float> partial(static_cast<size_t>(omp_get_max_threads() * N));
#pragma omp parallel
  {
    const int64_t t = omp_get_thread_num(), threads = omp_get_num_threads();
    const int64_t k0 = K * t / threads, k1 = K * (t + 1) / threads;
    float* __restrict acc = partial.data() + t * N;
    std::fill(acc, acc + N, 0.f);
    int64_t k = k0;
    for (; k + 4 <= k1; k += 4) {
      const float x0 = a[k], x1 = a[k + 1], x2 = a[k + 2], x3 = a[k + 3];
      const float* __restrict w0 = b + k * N;
      const float* __restrict w1 = w0 + N;
      const float* __restrict w2 = w1 + N;
      const float* __restrict w3 = w2 + N;
      for (int64_t n = 0; n < N; n++) acc[n] += x0 * w0[n] + x1 * w1[n] + x2 * w2[n] + x3 * w3[n];
    }
    for (; k < k1; k++) {
      const float x0 = a[k];
      const float* __restrict w0 = b + k * N;
      for (int64_t n = 0; n < N; n++) acc[n] += x0 * w0[n];
    }
#pragma omp barrier
#pragma omp for schedule(static)
    for (int64_t n = 0; n < N; n++) {
      float sum = 0;
      for (int64_t u = 0; u < threads; u++) sum += partial[u * N + n];
      c[n] = sum;
    }
  }
  return true;
}

// matmul(a, b, c, params, bias | null, activation, alpha)
// params = [batchA, batchB, M, N, K, transposeA, transposeB]; a is [batchA, M, K] (or [.., K, M]
// when transposed), b is [batchB, K, N] (or [.., N, K]); a batch of 1 broadcasts.
Napi::Value MatMul(const Napi::CallbackInfo& info) {
  const auto p = ints(info[3], "params", 7);
  const int64_t batchA = p[0], batchB = p[1], M = p[2], N = p[3], K = p[4];
  const bool transA = p[5] != 0, transB = p[6] != 0;
  if (batchA != batchB && batchA != 1 && batchB != 1) {
    throw Napi::RangeError::New(info.Env(), "matmul batch sizes must be equal or 1");
  }
  const int64_t batch = std::max(batchA, batchB);
  float* a = floats(info[0], "a", batchA * M * K);
  float* b = floats(info[1], "b", batchB * K * N);
  float* c = floats(info[2], "c", batch * M * N);
  const bool withBias = !info[4].IsNull() && !info[4].IsUndefined();
  float* bias = withBias ? floats(info[4], "bias", N) : nullptr;
  const int64_t activation = info[5].As<Napi::Number>().Int64Value();
  const float alpha = info[6].As<Napi::Number>().FloatValue();
  for (int64_t i = 0; i < batch; i++) {
    const float* ai = a + (batchA == 1 ? 0 : i) * M * K;
    const float* bi = b + (batchB == 1 ? 0 : i) * K * N;
    float* ci = c + i * M * N;
    if (M == 1 && !transB && gemvByRowBlocks(ai, bi, ci, K, N)) continue;
    const auto status = dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', M, N, K, 1.f, ai, transA ? M : K, bi,
                                   transB ? K : N, 0.f, ci, N);
    if (status != dnnl_success) throw Napi::Error::New(info.Env(), "dnnl_sgemm failed");
  }
  if (withBias || activation != LINEAR) {
    const int64_t rows = batch * M;
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      biasActivate(c + r * N, N, bias, activation, alpha);
    }
  }
  return info.Env().Undefined();
}

// ---- max pooling (TensorFlow's semantics: the first maximum in row-major window order) ---------
// p = [N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL]; no dilation (the caller falls back for it).
constexpr size_t POOL_PARAMS = 12;

struct PoolShape {
  int64_t N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL;
  explicit PoolShape(const std::vector<int64_t>& p)
      : N(p[0]), IH(p[1]), IW(p[2]), C(p[3]), OH(p[4]), OW(p[5]), KH(p[6]), KW(p[7]), SH(p[8]), SW(p[9]), PT(p[10]),
        PL(p[11]) {}
  size_t inSize() const { return N * IH * IW * C; }
  size_t outSize() const { return N * OH * OW * C; }
};

// Visits every output pixel of one output row with its window clipped to the image:
// visit(outIndex, rowBegin, rowEnd, colBegin, colEnd).
template <typename Visit>
void forEachWindow(const PoolShape& s, int64_t n, int64_t oh, Visit visit) {
  const int64_t r0 = oh * s.SH - s.PT;
  const int64_t rBegin = std::max<int64_t>(r0, 0), rEnd = std::min(s.IH, r0 + s.KH);
  for (int64_t ow = 0; ow < s.OW; ow++) {
    const int64_t c0 = ow * s.SW - s.PL;
    visit(((n * s.OH + oh) * s.OW + ow) * s.C, rBegin, rEnd, std::max<int64_t>(c0, 0), std::min(s.IW, c0 + s.KW));
  }
}

// maxPool(x, y, params)
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  const PoolShape s(ints(info[2], "params", POOL_PARAMS));
  const float* x = floats(info[0], "x", s.inSize());
  float* y = floats(info[1], "y", s.outSize());
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < s.N; n++) {
    for (int64_t oh = 0; oh < s.OH; oh++) {
      forEachWindow(s, n, oh, [&](int64_t out, int64_t rBegin, int64_t rEnd, int64_t cBegin, int64_t cEnd) {
        float* dst = y + out;
        for (int64_t c = 0; c < s.C; c++) dst[c] = -std::numeric_limits<float>::infinity();
        for (int64_t r = rBegin; r < rEnd; r++) {
          for (int64_t col = cBegin; col < cEnd; col++) {
            const float* src = x + ((n * s.IH + r) * s.IW + col) * s.C;
            for (int64_t c = 0; c < s.C; c++) dst[c] = src[c] > dst[c] ? src[c] : dst[c];
          }
        }
      });
    }
  }
  return info.Env().Undefined();
}

// maxPoolGrad(dy, x, dx, params): dx = scatter of dy onto each window's first maximum.
// Windows overlap, so work is split by image and channel block, never by output row.
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  const PoolShape s(ints(info[3], "params", POOL_PARAMS));
  const float* dy = floats(info[0], "dy", s.outSize());
  const float* x = floats(info[1], "x", s.inSize());
  float* dx = floats(info[2], "dx", s.inSize());
  if (s.SH >= s.KH && s.SW >= s.KW) {
    // Windows do not overlap (the spectral 2×2 pools): each output row owns its input rows, so
    // rows run in parallel and each window writes dy to its first maximum and 0 elsewhere.
    const int64_t rowSize = s.IW * s.C;
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < s.N * s.IH; r++) std::memset(dx + r * rowSize, 0, rowSize * sizeof(float));
#pragma omp parallel
    {
      std::vector<float> best(s.C);
      std::vector<int64_t> where(s.C);
#pragma omp for collapse(2) schedule(static)
      for (int64_t n = 0; n < s.N; n++) {
        for (int64_t oh = 0; oh < s.OH; oh++) {
          forEachWindow(s, n, oh, [&](int64_t out, int64_t rBegin, int64_t rEnd, int64_t cBegin, int64_t cEnd) {
            std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
            std::fill(where.begin(), where.end(), -1);
            for (int64_t r = rBegin; r < rEnd; r++) {
              for (int64_t col = cBegin; col < cEnd; col++) {
                const int64_t base = ((n * s.IH + r) * s.IW + col) * s.C;
                for (int64_t c = 0; c < s.C; c++) {
                  if (x[base + c] > best[c]) {
                    best[c] = x[base + c];
                    where[c] = base + c;
                  }
                }
              }
            }
            for (int64_t c = 0; c < s.C; c++) {
              if (where[c] >= 0) dx[where[c]] = dy[out + c];
            }
          });
        }
      }
    }
    return info.Env().Undefined();
  }
  std::memset(dx, 0, s.inSize() * sizeof(float));
  constexpr int64_t BLOCK = 16;
  const int64_t blocks = (s.C + BLOCK - 1) / BLOCK;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < s.N; n++) {
    for (int64_t blk = 0; blk < blocks; blk++) {
      const int64_t cBegin = blk * BLOCK, cEnd = std::min(s.C, cBegin + BLOCK);
      float best[BLOCK];
      int64_t where[BLOCK];
      for (int64_t oh = 0; oh < s.OH; oh++) {
        forEachWindow(s, n, oh, [&](int64_t out, int64_t rBegin, int64_t rEnd, int64_t colBegin, int64_t colEnd) {
          for (int64_t c = cBegin; c < cEnd; c++) {
            best[c - cBegin] = -std::numeric_limits<float>::infinity();
            where[c - cBegin] = -1;
          }
          for (int64_t r = rBegin; r < rEnd; r++) {
            for (int64_t col = colBegin; col < colEnd; col++) {
              const int64_t base = ((n * s.IH + r) * s.IW + col) * s.C;
              for (int64_t c = cBegin; c < cEnd; c++) {
                if (x[base + c] > best[c - cBegin]) {
                  best[c - cBegin] = x[base + c];
                  where[c - cBegin] = base + c;
                }
              }
            }
          }
          for (int64_t c = cBegin; c < cEnd; c++) {
            if (where[c - cBegin] >= 0) dx[where[c - cBegin]] += dy[out + c];
          }
        });
      }
    }
  }
  return info.Env().Undefined();
}

// ---- training-only pooling and dropout: what the gradient needs, one byte per output element ----

// The window offset (row-major, kh * KW + kw) of no maximum: a window of -inf or NaN only.
constexpr uint8_t NO_MAXIMUM = 255;

// maxPoolArgmax(x, y, where, params): max pooling (as MaxPool: the first maximum in row-major
// window order) that also records each output's window offset of that maximum in `where`, so
// that training keeps one byte per output for the gradient instead of the input and the output.
Napi::Value MaxPoolArgmax(const Napi::CallbackInfo& info) {
  const PoolShape s(ints(info[3], "params", POOL_PARAMS));
  const float* x = floats(info[0], "x", s.inSize());
  float* y = floats(info[1], "y", s.outSize());
  uint8_t* where = bytes(info[2], "where", s.outSize());
  if (s.KH * s.KW >= NO_MAXIMUM) throw Napi::RangeError::New(info.Env(), "pooling window over 254 pixels");
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < s.N; n++) {
    for (int64_t oh = 0; oh < s.OH; oh++) {
      const int64_t r0 = oh * s.SH - s.PT;
      forEachWindow(s, n, oh, [&](int64_t out, int64_t rBegin, int64_t rEnd, int64_t cBegin, int64_t cEnd) {
        const int64_t c0 = ((out / s.C) % s.OW) * s.SW - s.PL;
        float* dst = y + out;
        uint8_t* at = where + out;
        for (int64_t c = 0; c < s.C; c++) {
          dst[c] = -std::numeric_limits<float>::infinity();
          at[c] = NO_MAXIMUM;
        }
        for (int64_t r = rBegin; r < rEnd; r++) {
          for (int64_t col = cBegin; col < cEnd; col++) {
            const float* src = x + ((n * s.IH + r) * s.IW + col) * s.C;
            const uint8_t offset = static_cast<uint8_t>((r - r0) * s.KW + (col - c0));
            for (int64_t c = 0; c < s.C; c++) {
              if (src[c] > dst[c]) {
                dst[c] = src[c];
                at[c] = offset;
              }
            }
          }
        }
      });
    }
  }
  return info.Env().Undefined();
}

// maxPoolArgmaxGrad(dy, where, dx, params): dx = dy scattered onto the recorded maxima. Windows
// may overlap, so work is split by image and channel block, never by output row.
Napi::Value MaxPoolArgmaxGrad(const Napi::CallbackInfo& info) {
  const PoolShape s(ints(info[3], "params", POOL_PARAMS));
  const float* dy = floats(info[0], "dy", s.outSize());
  const uint8_t* where = bytes(info[1], "where", s.outSize());
  float* dx = floats(info[2], "dx", s.inSize());
  const int64_t rowSize = s.IW * s.C;
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < s.N * s.IH; r++) std::memset(dx + r * rowSize, 0, rowSize * sizeof(float));
  constexpr int64_t BLOCK = 64;
  const int64_t blocks = (s.C + BLOCK - 1) / BLOCK;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < s.N; n++) {
    for (int64_t blk = 0; blk < blocks; blk++) {
      const int64_t cBegin = blk * BLOCK, cEnd = std::min(s.C, cBegin + BLOCK);
      for (int64_t oh = 0; oh < s.OH; oh++) {
        for (int64_t ow = 0; ow < s.OW; ow++) {
          const int64_t out = ((n * s.OH + oh) * s.OW + ow) * s.C;
          const int64_t r0 = oh * s.SH - s.PT, c0 = ow * s.SW - s.PL;
          for (int64_t c = cBegin; c < cEnd; c++) {
            const uint8_t offset = where[out + c];
            if (offset == NO_MAXIMUM) continue;
            const int64_t r = r0 + offset / s.KW, col = c0 + offset % s.KW;
            dx[((n * s.IH + r) * s.IW + col) * s.C + c] += dy[out + c];
          }
        }
      }
    }
  }
  return info.Env().Undefined();
}

// A uniform number in [0, 1) for element i of the stream `seed` (SplitMix64's finaliser over a
// counter): every element is independent of the others, so results do not depend on the threads.
inline double uniformAt(uint64_t seed, uint64_t i) {
  uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

// dropout(x, y, kept, rate, seedHigh, seedLow): y = x · 1/(1 - rate) where an element is kept
// (probability 1 - rate, TensorFlow.js's rule: u + 1 - rate >= 1), x · 0 elsewhere (NaN stays
// NaN, as in TensorFlow.js's multiplication by the mask); kept is 1 or 0.
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  const size_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const float* x = floats(info[0], "x", n);
  float* y = floats(info[1], "y", n);
  uint8_t* kept = bytes(info[2], "kept", n);
  const double rate = info[3].As<Napi::Number>().DoubleValue();
  const uint64_t seed = (static_cast<uint64_t>(info[4].As<Napi::Number>().Uint32Value()) << 32) |
                        info[5].As<Napi::Number>().Uint32Value();
  const float scale = static_cast<float>(1.0 / (1.0 - rate));
#pragma omp parallel for schedule(static) if (n > 32768)
  for (size_t i = 0; i < n; i++) {
    const uint8_t keep = uniformAt(seed, i) >= rate ? 1 : 0;
    kept[i] = keep;
    y[i] = x[i] * (keep ? scale : 0.0f);
  }
  return info.Env().Undefined();
}

// dropoutGrad(dy, kept, dx, rate): dx = dy · 1/(1 - rate) where kept, dy · 0 elsewhere.
Napi::Value DropoutGrad(const Napi::CallbackInfo& info) {
  const size_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const float* dy = floats(info[0], "dy", n);
  const uint8_t* kept = bytes(info[1], "kept", n);
  float* dx = floats(info[2], "dx", n);
  const float scale = static_cast<float>(1.0 / (1.0 - info[3].As<Napi::Number>().DoubleValue()));
#pragma omp parallel for schedule(static) if (n > 32768)
  for (size_t i = 0; i < n; i++) dx[i] = dy[i] * (kept[i] ? scale : 0.0f);
  return info.Env().Undefined();
}

// ---- element-wise and reductions (the glue between convolutions: batch norm, dropout, CBAM, the
// optimizer's updates). TensorFlow.js's JS loops spend most of a training step here.

enum BinaryOp {
  ADD = 0,
  SUB = 1,
  MUL = 2,
  DIV = 3,
  MAXIMUM = 4,
  MINIMUM = 5,
  SQUARED_DIFFERENCE = 6,
  RELU_GRAD = 7,
  EQUAL = 8  // into a Uint8Array (TensorFlow.js's bool)
};

template <int OP>
inline float applyBinary(float a, float b) {
  if constexpr (OP == ADD) return a + b;
  if constexpr (OP == SUB) return a - b;
  if constexpr (OP == MUL) return a * b;
  if constexpr (OP == DIV) return a / b;
  if constexpr (OP == MAXIMUM) return (a > b || std::isnan(a)) ? a : b;
  if constexpr (OP == MINIMUM) return (a < b || std::isnan(a)) ? a : b;
  if constexpr (OP == SQUARED_DIFFERENCE) return (a - b) * (a - b);
  if constexpr (OP == RELU_GRAD) return b > 0 ? a : 0.f;  // a = dy, b = the ReLU's output
  if constexpr (OP == EQUAL) return a == b ? 1.f : 0.f;
  return 0;
}

// out[i] = a[i*sa] OP b[i*sb] over a run of n elements; strides are 0 (broadcast) or 1.
template <int OP, typename T>
void binaryRun(const float* a, int64_t sa, const float* b, int64_t sb, T* out, int64_t n) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<T>(applyBinary<OP>(a[i], b[i]));
  } else if (sa == 1) {
    const float bv = b[0];
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<T>(applyBinary<OP>(a[i], bv));
  } else if (sb == 1) {
    const float av = a[0];
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<T>(applyBinary<OP>(av, b[i]));
  } else {
    const T v = static_cast<T>(applyBinary<OP>(a[0], b[0]));
    for (int64_t i = 0; i < n; i++) out[i] = v;
  }
}

struct Broadcast {
  std::vector<int64_t> dims, strideA, strideB;  // merged, innermost last
  int64_t total = 1;
};

// Right-aligns both shapes to the output's, gives broadcast dimensions stride 0, and merges
// neighbouring dimensions that broadcast the same way, so most cases become one or two loops.
Broadcast planBroadcast(const std::vector<int64_t>& aShape, const std::vector<int64_t>& bShape,
                        const std::vector<int64_t>& outShape) {
  const size_t rank = outShape.size();
  std::vector<int64_t> da(rank, 1), db(rank, 1);
  for (size_t i = 0; i < aShape.size(); i++) da[rank - aShape.size() + i] = aShape[i];
  for (size_t i = 0; i < bShape.size(); i++) db[rank - bShape.size() + i] = bShape[i];
  Broadcast plan;
  int64_t accA = 1, accB = 1;
  std::vector<int64_t> dims, sA, sB;
  for (size_t k = rank; k-- > 0;) {
    const int64_t d = outShape[k];
    plan.total *= d;
    if (d == 1) continue;
    const int64_t strideA = da[k] == 1 ? 0 : accA, strideB = db[k] == 1 ? 0 : accB;
    if (!dims.empty()) {
      const size_t j = dims.size() - 1;
      const bool mergeA = (strideA == 0 && sA[j] == 0) || (strideA != 0 && sA[j] != 0 && strideA == sA[j] * dims[j]);
      const bool mergeB = (strideB == 0 && sB[j] == 0) || (strideB != 0 && sB[j] != 0 && strideB == sB[j] * dims[j]);
      if (mergeA && mergeB) {
        dims[j] *= d;
        accA *= da[k] == 1 ? 1 : d;
        accB *= db[k] == 1 ? 1 : d;
        continue;
      }
    }
    dims.push_back(d);
    sA.push_back(strideA);
    sB.push_back(strideB);
    accA *= da[k] == 1 ? 1 : d;
    accB *= db[k] == 1 ? 1 : d;
  }
  if (dims.empty()) {
    dims.push_back(1);
    sA.push_back(0);
    sB.push_back(0);
  }
  plan.dims.assign(dims.rbegin(), dims.rend());
  plan.strideA.assign(sA.rbegin(), sA.rend());
  plan.strideB.assign(sB.rbegin(), sB.rend());
  // Innermost strides are 0 or 1 after merging only if the innermost dimension is contiguous.
  return plan;
}

template <int OP, typename T = float>
void binaryBroadcast(const Broadcast& p, const float* a, const float* b, T* out) {
  const int rank = static_cast<int>(p.dims.size());
  const int64_t inner = p.dims[rank - 1];
  const int64_t innerA = p.strideA[rank - 1] != 0 ? 1 : 0, innerB = p.strideB[rank - 1] != 0 ? 1 : 0;
  // Units of work: pieces of at most 16384 elements of one innermost run.
  const int64_t pieceLength = std::min<int64_t>(inner, 16384);
  const int64_t piecesPerRun = (inner + pieceLength - 1) / pieceLength;
  const int64_t runs = p.total / inner;
#pragma omp parallel for schedule(static) if (p.total > 32768)
  for (int64_t w = 0; w < runs * piecesPerRun; w++) {
    const int64_t run = w / piecesPerRun, piece = w % piecesPerRun;
    int64_t offA = 0, offB = 0, rest = run;
    for (int k = rank - 2; k >= 0; k--) {
      const int64_t idx = rest % p.dims[k];
      rest /= p.dims[k];
      offA += idx * p.strideA[k];
      offB += idx * p.strideB[k];
    }
    const int64_t begin = piece * pieceLength, n = std::min(pieceLength, inner - begin);
    binaryRun<OP, T>(a + offA + begin * innerA, innerA, b + offB + begin * innerB, innerB, out + run * inner + begin,
                     n);
  }
}

std::vector<int64_t> shapeOf(const Napi::Value& value, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + " must be an Int32Array");
  }
  auto array = value.As<Napi::Int32Array>();
  return std::vector<int64_t>(array.Data(), array.Data() + array.ElementLength());
}

int64_t sizeOf(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

// binary(op, a, aShape, b, bShape, out, outShape)
Napi::Value Binary(const Napi::CallbackInfo& info) {
  const int op = info[0].As<Napi::Number>().Int32Value();
  const auto aShape = shapeOf(info[2], "aShape"), bShape = shapeOf(info[4], "bShape"),
             outShape = shapeOf(info[6], "outShape");
  const float* a = floats(info[1], "a", sizeOf(aShape));
  const float* b = floats(info[3], "b", sizeOf(bShape));
  if (op == EQUAL) {
    if (!info[5].IsTypedArray() || info[5].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
        info[5].As<Napi::Uint8Array>().ElementLength() != static_cast<size_t>(sizeOf(outShape))) {
      throw Napi::TypeError::New(info.Env(), "out of a comparison must be a Uint8Array of the output's size");
    }
    if (sizeOf(outShape) > 0)
      binaryBroadcast<EQUAL, uint8_t>(planBroadcast(aShape, bShape, outShape), a, b,
                                      info[5].As<Napi::Uint8Array>().Data());
    return info.Env().Undefined();
  }
  float* out = floats(info[5], "out", sizeOf(outShape));
  if (sizeOf(outShape) == 0) return info.Env().Undefined();
  const Broadcast plan = planBroadcast(aShape, bShape, outShape);
  switch (op) {
    case ADD: binaryBroadcast<ADD>(plan, a, b, out); break;
    case SUB: binaryBroadcast<SUB>(plan, a, b, out); break;
    case MUL: binaryBroadcast<MUL>(plan, a, b, out); break;
    case DIV: binaryBroadcast<DIV>(plan, a, b, out); break;
    case MAXIMUM: binaryBroadcast<MAXIMUM>(plan, a, b, out); break;
    case MINIMUM: binaryBroadcast<MINIMUM>(plan, a, b, out); break;
    case SQUARED_DIFFERENCE: binaryBroadcast<SQUARED_DIFFERENCE>(plan, a, b, out); break;
    case RELU_GRAD: binaryBroadcast<RELU_GRAD>(plan, a, b, out); break;
    default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
  }
  return info.Env().Undefined();
}

enum UnaryOp {
  SQRT = 0,
  SQUARE = 1,
  RELU_OP = 2,
  STEP = 3,
  NEG = 4,
  EXP = 5,
  SIGMOID_OP = 6,
  RSQRT = 7,
  ABS = 8,
  LOG = 9,
  FLOOR = 10
};

template <int OP>
void unaryLoop(const float* x, float* y, int64_t n, float alpha) {
#pragma omp parallel for schedule(static) if (n > 32768)
  for (int64_t i = 0; i < n; i++) {
    const float v = x[i];
    if constexpr (OP == SQRT) y[i] = std::sqrt(v);
    if constexpr (OP == SQUARE) y[i] = v * v;
    if constexpr (OP == RELU_OP) y[i] = v < 0 ? 0 : v;  // NaN stays NaN, as in TensorFlow.js
    if constexpr (OP == STEP) y[i] = std::isnan(v) ? NAN : (v > 0 ? 1.f : alpha);
    if constexpr (OP == NEG) y[i] = -v;
    if constexpr (OP == EXP) y[i] = std::exp(v);
    if constexpr (OP == SIGMOID_OP) y[i] = 1.f / (1.f + std::exp(-v));
    if constexpr (OP == RSQRT) y[i] = 1.f / std::sqrt(v);
    if constexpr (OP == ABS) y[i] = std::fabs(v);
    if constexpr (OP == LOG) y[i] = std::log(v);
    if constexpr (OP == FLOOR) y[i] = std::floor(v);
  }
}

// unary(op, x, y, alpha)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  const int op = info[0].As<Napi::Number>().Int32Value();
  auto xs = info[1].As<Napi::Float32Array>();
  const float* x = floats(info[1], "x", 0);
  float* y = floats(info[2], "y", xs.ElementLength());
  const int64_t n = xs.ElementLength();
  const float alpha = info[3].As<Napi::Number>().FloatValue();
  switch (op) {
    case SQRT: unaryLoop<SQRT>(x, y, n, alpha); break;
    case SQUARE: unaryLoop<SQUARE>(x, y, n, alpha); break;
    case RELU_OP: unaryLoop<RELU_OP>(x, y, n, alpha); break;
    case STEP: unaryLoop<STEP>(x, y, n, alpha); break;
    case NEG: unaryLoop<NEG>(x, y, n, alpha); break;
    case EXP: unaryLoop<EXP>(x, y, n, alpha); break;
    case SIGMOID_OP: unaryLoop<SIGMOID_OP>(x, y, n, alpha); break;
    case RSQRT: unaryLoop<RSQRT>(x, y, n, alpha); break;
    case ABS: unaryLoop<ABS>(x, y, n, alpha); break;
    case LOG: unaryLoop<LOG>(x, y, n, alpha); break;
    case FLOOR: unaryLoop<FLOOR>(x, y, n, alpha); break;
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
  return info.Env().Undefined();
}

enum ReduceOp { SUM = 0, MEAN = 1, MAX_OP = 2, MIN_OP = 3 };

inline float extreme(int op, float acc, float v) {
  return op == MAX_OP ? (v > acc || std::isnan(v) ? v : acc) : (v < acc || std::isnan(v) ? v : acc);
}

// Reduces rows [begin, end) of one [reduce, inner] slab into acc (sums, double) or ext (max/min).
void reduceRows(int op, const float* slab, int64_t inner, int64_t begin, int64_t end, double* acc, float* ext) {
  for (int64_t i = 0; i < inner; i++) {
    acc[i] = 0;
    ext[i] = slab[begin * inner + i];
  }
  for (int64_t r = begin; r < end; r++) {
    const float* row = slab + r * inner;
    if (op == SUM || op == MEAN) {
      for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
    } else {
      for (int64_t i = 0; i < inner; i++) ext[i] = extreme(op, ext[i], row[i]);
    }
  }
}

// reduce(op, x, y, [outer, reduce, inner]): x viewed as [outer, reduce, inner] → y [outer, inner].
// Rows are read in memory order; sums accumulate in double, as TensorFlow.js's JS loops do.
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const int op = info[0].As<Napi::Number>().Int32Value();
  const auto p = ints(info[3], "params", 3);
  const int64_t outer = p[0], reduce = p[1], inner = p[2];
  if (reduce < 1) throw std::invalid_argument("reduce over an empty axis");
  const float* x = floats(info[1], "x", outer * reduce * inner);
  float* y = floats(info[2], "y", outer * inner);
  const bool isSum = op == SUM || op == MEAN;
  const double scale = op == MEAN ? 1.0 / static_cast<double>(reduce) : 1.0;
  const int threads = omp_get_max_threads();
  const bool big = outer * reduce * inner > 32768;
  if (outer >= 2 * threads || !big) {
    // Enough slabs: each thread reduces whole slabs.
#pragma omp parallel if (big)
    {
      std::vector<double> acc(inner);
      std::vector<float> ext(inner);
#pragma omp for schedule(static)
      for (int64_t o = 0; o < outer; o++) {
        reduceRows(op, x + o * reduce * inner, inner, 0, reduce, acc.data(), ext.data());
        for (int64_t i = 0; i < inner; i++) {
          y[o * inner + i] = isSum ? static_cast<float>(acc[i] * scale) : ext[i];
        }
      }
    }
    return info.Env().Undefined();
  }
  // Few slabs and long reductions: threads take slices of the reduced axis, then combine.
  const size_t slot = static_cast<size_t>(outer * inner);
  std::vector<double> partial(threads * slot);
  std::vector<float> partialExt(threads * slot);
  std::vector<char> used(threads, 0);
#pragma omp parallel
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t begin = reduce * t / nt, end = reduce * (t + 1) / nt;
    if (begin < end) {
      used[t] = 1;
      for (int64_t o = 0; o < outer; o++) {
        reduceRows(op, x + o * reduce * inner, inner, begin, end, partial.data() + t * slot + o * inner,
                   partialExt.data() + t * slot + o * inner);
      }
    }
  }
  for (size_t k = 0; k < slot; k++) {
    double acc = 0;
    float ext = 0;
    bool first = true;
    for (int t = 0; t < threads; t++) {
      if (!used[t]) continue;
      acc += partial[t * slot + k];
      ext = first ? partialExt[t * slot + k] : extreme(op, ext, partialExt[t * slot + k]);
      first = false;
    }
    y[k] = isSum ? static_cast<float>(acc * scale) : ext;
  }
  return info.Env().Undefined();
}

// batchNorm(x, mean, variance, offset | null, scale | null, y, channels, epsilon): inference batch
// normalisation over the last axis; each parameter has `channels` entries or 1.
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  auto xs = info[0].As<Napi::Float32Array>();
  const int64_t n = xs.ElementLength();
  const int64_t channels = info[6].As<Napi::Number>().Int64Value();
  const float epsilon = info[7].As<Napi::Number>().FloatValue();
  auto param = [&](int index, const char* name, float fallback, std::vector<float>& out) {
    out.assign(channels, fallback);
    if (info[index].IsNull() || info[index].IsUndefined()) return;
    auto array = info[index].As<Napi::Float32Array>();
    if (array.ElementLength() != 1 && static_cast<int64_t>(array.ElementLength()) != channels) {
      throw Napi::RangeError::New(info.Env(), std::string(name) + " must have 1 or `channels` entries");
    }
    for (int64_t c = 0; c < channels; c++) out[c] = array.Data()[array.ElementLength() == 1 ? 0 : c];
  };
  std::vector<float> mean, variance, offset, scale;
  param(1, "mean", 0.f, mean);
  param(2, "variance", 1.f, variance);
  param(3, "offset", 0.f, offset);
  param(4, "scale", 1.f, scale);
  // y = (x - mean) * scale / sqrt(variance + epsilon) + offset = x * k + m per channel.
  std::vector<float> k(channels), m(channels);
  for (int64_t c = 0; c < channels; c++) {
    k[c] = scale[c] / std::sqrt(variance[c] + epsilon);
    m[c] = offset[c] - mean[c] * k[c];
  }
  const float* x = floats(info[0], "x", 0);
  float* y = floats(info[5], "y", n);
  const int64_t rows = n / channels;
#pragma omp parallel for schedule(static) if (n > 32768)
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * channels;
    float* yr = y + r * channels;
    for (int64_t c = 0; c < channels; c++) yr[c] = xr[c] * k[c] + m[c];
  }
  return info.Env().Undefined();
}

// tile(x, xShape, y, reps): y = x repeated reps[k] times along each axis k.
Napi::Value Tile(const Napi::CallbackInfo& info) {
  const auto shape = shapeOf(info[1], "xShape"), reps = shapeOf(info[3], "reps");
  if (shape.size() != reps.size() || shape.empty()) throw std::invalid_argument("tile: reps must match the rank");
  const int rank = static_cast<int>(shape.size());
  std::vector<int64_t> outShape(rank);
  for (int k = 0; k < rank; k++) outShape[k] = shape[k] * reps[k];
  const float* x = floats(info[0], "x", sizeOf(shape));
  float* y = floats(info[2], "y", sizeOf(outShape));
  const int64_t inner = outShape[rank - 1], xInner = shape[rank - 1];
  const int64_t rows = sizeOf(outShape) / std::max<int64_t>(inner, 1);
#pragma omp parallel for schedule(static) if (rows * inner > 32768)
  for (int64_t row = 0; row < rows; row++) {
    // Source row: each output index modulo the input's extent, per axis.
    int64_t rest = row, src = 0, stride = xInner;
    for (int k = rank - 2; k >= 0; k--) {
      src += (rest % outShape[k]) % shape[k] * stride;
      rest /= outShape[k];
      stride *= shape[k];
    }
    const float* in = x + src;
    float* out = y + row * inner;
    for (int64_t r = 0; r < reps[rank - 1]; r++) std::memcpy(out + r * xInner, in, xInner * sizeof(float));
  }
  return info.Env().Undefined();
}

// adagrad(value, accum, grad, newValue, newAccum, learningRate, epsilon): one fused pass of
// TensorFlow.js's Adagrad update: accum' = accum + g²; value' = value - lr * g / sqrt(accum' + eps).
Napi::Value Adagrad(const Napi::CallbackInfo& info) {
  const size_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const float* value = floats(info[0], "value", n);
  const float* accum = floats(info[1], "accumulator", n);
  const float* grad = floats(info[2], "gradient", n);
  float* newValue = floats(info[3], "newValue", n);
  float* newAccum = floats(info[4], "newAccumulator", n);
  const float lr = info[5].As<Napi::Number>().FloatValue(), eps = info[6].As<Napi::Number>().FloatValue();
#pragma omp parallel for schedule(static) if (n > 32768)
  for (size_t i = 0; i < n; i++) {
    const float g = grad[i], a = accum[i] + g * g;
    newAccum[i] = a;
    newValue[i] = value[i] + (g / std::sqrt(a + eps)) * -lr;
  }
  return info.Env().Undefined();
}

// lrn(x, y, channels, depthRadius, bias, alpha, beta): local response normalisation across the
// last axis, as TensorFlow.js computes it (sum of squares in double, window clipped at the edges).
Napi::Value Lrn(const Napi::CallbackInfo& info) {
  const size_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const float* x = floats(info[0], "x", n);
  float* y = floats(info[1], "y", n);
  const int64_t channels = info[2].As<Napi::Number>().Int64Value();
  const int64_t radius = info[3].As<Napi::Number>().Int64Value();
  const double bias = info[4].As<Napi::Number>().DoubleValue(), alpha = info[5].As<Napi::Number>().DoubleValue(),
               beta = info[6].As<Napi::Number>().DoubleValue();
  const int64_t pixels = static_cast<int64_t>(n) / channels;
  // The window sums of a pixel first, then one loop without branches over its channels that the
  // compiler vectorises: GoogLeNet's β = 0.75 as v^-0.75 = r·√r with r = 1/√v (with std::pow per
  // element the second LRN took 12.5 ms at batch 32; this way 6.3).
  const bool threeQuarters = beta == 0.75;
#pragma omp parallel if (n > 32768)
  {
    std::vector<double> sums(static_cast<size_t>(channels));
#pragma omp for schedule(static)
    for (int64_t p = 0; p < pixels; p++) {
      const float* xp = x + p * channels;
      float* yp = y + p * channels;
      for (int64_t c = 0; c < channels; c++) {
        double sum = 0;
        for (int64_t k = std::max<int64_t>(0, c - radius); k <= std::min(channels - 1, c + radius); k++) {
          sum += static_cast<double>(xp[k]) * xp[k];
        }
        sums[c] = bias + alpha * sum;
      }
      if (threeQuarters) {
        for (int64_t c = 0; c < channels; c++) {
          const double r = 1.0 / std::sqrt(sums[c]);
          yp[c] = static_cast<float>(xp[c] * (r * std::sqrt(r)));
        }
      } else {
        for (int64_t c = 0; c < channels; c++) yp[c] = static_cast<float>(xp[c] * std::pow(sums[c], -beta));
      }
    }
  }
  return info.Env().Undefined();
}

// lrnGrad(x, y, dy, dx, channels, depthRadius, bias, alpha, beta): TensorFlow.js's LRNGrad (the
// same sums, per pixel, so pixels run in parallel).
Napi::Value LrnGrad(const Napi::CallbackInfo& info) {
  const size_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const float* x = floats(info[0], "x", n);
  const float* y = floats(info[1], "y", n);
  const float* dy = floats(info[2], "dy", n);
  float* dx = floats(info[3], "dx", n);
  const int64_t channels = info[4].As<Napi::Number>().Int64Value();
  const int64_t radius = info[5].As<Napi::Number>().Int64Value();
  const double bias = info[6].As<Napi::Number>().DoubleValue(), alpha = info[7].As<Napi::Number>().DoubleValue(),
               beta = info[8].As<Napi::Number>().DoubleValue();
  if (channels < 1 || n % channels != 0) throw std::invalid_argument("lrnGrad: size is not a multiple of channels");
  const int64_t pixels = static_cast<int64_t>(n) / channels;
#pragma omp parallel for schedule(static) if (n > 32768)
  for (int64_t p = 0; p < pixels; p++) {
    const float *xp = x + p * channels, *yp = y + p * channels, *dyp = dy + p * channels;
    float* dxp = dx + p * channels;
    std::fill(dxp, dxp + channels, 0.f);
    for (int64_t c = 0; c < channels; c++) {
      const int64_t begin = std::max<int64_t>(0, c - radius), end = std::min(channels, c + radius + 1);
      double norm = 0;
      for (int64_t k = begin; k < end; k++) norm += static_cast<double>(xp[k]) * xp[k];
      norm = alpha * norm + bias;
      const double common = -2 * alpha * beta * yp[c] / norm;
      for (int64_t k = begin; k < end; k++) {
        double g = common * xp[k];
        if (k == c) g += std::pow(norm, -beta);
        dxp[k] += static_cast<float>(g * dyp[c]);
      }
    }
  }
  return info.Env().Undefined();
}

// ---- batch normalisation in training: one op forward and one backward instead of the dozen
// full-size temporaries TensorFlow.js's moments + batchNorm + their gradients make.

// Per-channel sums over rows of a [rows, channels] array: sum of f(row, c) in double, threads
// taking slices of rows and combining their partial sums.
template <typename F>
void channelSums(int64_t rows, int64_t channels, std::vector<double>& a, std::vector<double>& b, F f) {
  const int threads = omp_get_max_threads();
  std::vector<double> partA(static_cast<size_t>(threads) * channels, 0.0), partB(partA.size(), 0.0);
#pragma omp parallel
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    double* pa = partA.data() + static_cast<size_t>(t) * channels;
    double* pb = partB.data() + static_cast<size_t>(t) * channels;
    for (int64_t r = rows * t / nt; r < rows * (t + 1) / nt; r++) f(r, pa, pb);
  }
  a.assign(channels, 0.0);
  b.assign(channels, 0.0);
  for (int t = 0; t < threads; t++) {
    for (int64_t c = 0; c < channels; c++) {
      a[c] += partA[static_cast<size_t>(t) * channels + c];
      b[c] += partB[static_cast<size_t>(t) * channels + c];
    }
  }
}

// batchNormTrain(x, gamma, beta, y, mean, variance, channels, epsilon): statistics over every axis
// but the last (biased variance, as tf.moments), y = (x - mean) / sqrt(variance + eps) * gamma + beta.
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  const size_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const int64_t channels = info[6].As<Napi::Number>().Int64Value();
  const double epsilon = info[7].As<Napi::Number>().DoubleValue();
  const float* x = floats(info[0], "x", n);
  const float* gamma = floats(info[1], "gamma", channels);
  const float* beta = floats(info[2], "beta", channels);
  float* y = floats(info[3], "y", n);
  float* mean = floats(info[4], "mean", channels);
  float* variance = floats(info[5], "variance", channels);
  const int64_t rows = static_cast<int64_t>(n) / channels;
  std::vector<double> sum, unused, shifted, squares;
  channelSums(rows, channels, sum, unused, [&](int64_t r, double* a, double*) {
    const float* row = x + r * channels;
    for (int64_t c = 0; c < channels; c++) a[c] += row[c];
  });
  std::vector<float> mu(channels), scale(channels), shift(channels);
  for (int64_t c = 0; c < channels; c++) mu[c] = static_cast<float>(sum[c] / rows);
  // Second pass around the mean: no cancellation on large offsets.
  channelSums(rows, channels, squares, unused, [&](int64_t r, double* a, double*) {
    const float* row = x + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      const double d = static_cast<double>(row[c]) - mu[c];
      a[c] += d * d;
    }
  });
  for (int64_t c = 0; c < channels; c++) {
    const double var = squares[c] / rows;
    mean[c] = mu[c];
    variance[c] = static_cast<float>(var);
    scale[c] = static_cast<float>(gamma[c] / std::sqrt(var + epsilon));
    shift[c] = beta[c] - mu[c] * scale[c];
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * channels;
    float* yr = y + r * channels;
    for (int64_t c = 0; c < channels; c++) yr[c] = xr[c] * scale[c] + shift[c];
  }
  return info.Env().Undefined();
}

// batchNormTrainGrad(x, dy, gamma, mean, variance, dx, dgamma, dbeta, channels, epsilon): the exact
// gradient of batchNormTrain through the batch statistics:
// dx = gamma * invstd / N * (N dy - Σdy - x̂ Σ(dy x̂)), dgamma = Σ(dy x̂), dbeta = Σdy.
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  const size_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const int64_t channels = info[8].As<Napi::Number>().Int64Value();
  const double epsilon = info[9].As<Napi::Number>().DoubleValue();
  const float* x = floats(info[0], "x", n);
  const float* dy = floats(info[1], "dy", n);
  const float* gamma = floats(info[2], "gamma", channels);
  const float* mean = floats(info[3], "mean", channels);
  const float* variance = floats(info[4], "variance", channels);
  float* dx = floats(info[5], "dx", n);
  float* dgamma = floats(info[6], "dgamma", channels);
  float* dbeta = floats(info[7], "dbeta", channels);
  const int64_t rows = static_cast<int64_t>(n) / channels;
  std::vector<float> invstd(channels);
  for (int64_t c = 0; c < channels; c++) invstd[c] = static_cast<float>(1.0 / std::sqrt(variance[c] + epsilon));
  std::vector<double> sumDy, sumDyXhat;
  channelSums(rows, channels, sumDy, sumDyXhat, [&](int64_t r, double* a, double* b) {
    const float* xr = x + r * channels;
    const float* dyr = dy + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      a[c] += dyr[c];
      b[c] += static_cast<double>(dyr[c]) * ((xr[c] - mean[c]) * invstd[c]);
    }
  });
  std::vector<float> k(channels), meanDy(channels), meanDyXhat(channels);
  for (int64_t c = 0; c < channels; c++) {
    dgamma[c] = static_cast<float>(sumDyXhat[c]);
    dbeta[c] = static_cast<float>(sumDy[c]);
    k[c] = gamma[c] * invstd[c];
    meanDy[c] = static_cast<float>(sumDy[c] / rows);
    meanDyXhat[c] = static_cast<float>(sumDyXhat[c] / rows);
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * channels;
    const float* dyr = dy + r * channels;
    float* dxr = dx + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      const float xhat = (xr[c] - mean[c]) * invstd[c];
      dxr[c] = k[c] * (dyr[c] - meanDy[c] - xhat * meanDyXhat[c]);
    }
  }
  return info.Env().Undefined();
}

// ---- introspection ---------------------------------------------------------------------------

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto result = Napi::Object::New(env);
  const auto* version = dnnl::version();
  result.Set("onednn", std::to_string(version->major) + "." + std::to_string(version->minor) + "." +
                           std::to_string(version->patch));
  result.Set("threads", omp_get_max_threads());
  return result;
}

// wideConvolution({method?, groupBytes?}?): how wide-kernel convolutions run ("fft", "winograd" or
// "direct"; MACNET_WIDE_CONV), applying the given settings, and how many took each transform so
// far; for tests and A/B timings.
Napi::Value WideConvolution(const Napi::CallbackInfo& info) {
  auto& settings = wideSettings();
  const char* names[] = {"direct", "fft", "winograd"};
  if (info.Length() > 0 && info[0].IsObject()) {
    auto options = info[0].As<Napi::Object>();
    if (options.Has("method")) {
      const std::string method = options.Get("method").ToString().Utf8Value();
      int found = -1;
      for (int i = 0; i < 3; i++)
        if (method == names[i]) found = i;
      if (found < 0) throw std::invalid_argument("method must be fft, winograd or direct, not " + method);
      settings.method = found;
    }
    if (options.Has("groupBytes")) settings.groupBytes = std::max(0.0, options.Get("groupBytes").ToNumber().DoubleValue());
  }
  auto result = Napi::Object::New(info.Env());
  result.Set("method", names[settings.method]);
  result.Set("groupBytes", settings.groupBytes);
  result.Set("fftCalls", settings.fftCalls);
  result.Set("winogradCalls", settings.winogradCalls);
  return result;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  omp_set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

// adviseHugePages(buffer): asks the kernel to back the buffer's untouched pages with transparent huge
// pages (madvise MADV_HUGEPAGE; Linux's default THP mode, "madvise", uses them only where asked).
// A fresh V8 buffer is calloc'd memory that faults in one 4 KiB page at a time on first write: on
// the 2-core development VM the first write of 355 MB took ~1 s against 15 ms for the second, and
// ~50 ms with huge pages. Returns whether the advice was taken (false off Linux or with THP off).
Napi::Value AdviseHugePages(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "buffer must be a typed array");
  auto array = info[0].As<Napi::TypedArray>();
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto start = reinterpret_cast<uintptr_t>(array.ArrayBuffer().Data()) + array.ByteOffset();
  const uintptr_t begin = (start + page - 1) & ~(page - 1);
  const uintptr_t end = (start + array.ByteLength()) & ~(page - 1);
  bool advised = false;
#ifdef MADV_HUGEPAGE
  if (end > begin) advised = madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) == 0;
#endif
  return Napi::Boolean::New(info.Env(), advised);
}

// alignmentOffset(arrayBuffer): bytes from the start of the buffer's memory to the next 64-byte
// boundary (a cache line, an AVX-512 register). V8's buffers start 16 bytes past one (glibc's chunk
// header); oneDNN's AVX-512 kernels storing into such a buffer split every store across two cache
// lines: a 3×20 convolution with one input channel took 2.5 ms into a V8 buffer and 1.7 ms into an
// aligned view of the same buffer, at batch 32 85 ms against 60.
Napi::Value AlignmentOffset(const Napi::CallbackInfo& info) {
  if (!info[0].IsArrayBuffer()) throw Napi::TypeError::New(info.Env(), "buffer must be an ArrayBuffer");
  const auto address = reinterpret_cast<uintptr_t>(info[0].As<Napi::ArrayBuffer>().Data());
  return Napi::Number::New(info.Env(), static_cast<double>((64 - address % 64) % 64));
}

// Converts oneDNN's errors into JavaScript exceptions so a kernel can fall back to pure tfjs.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const dnnl::error& e) {
    throw Napi::Error::New(info.Env(), std::string("oneDNN: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2dForward", Napi::Function::New<guarded<Conv2dForward>>(env));
  exports.Set("conv2dBackwardData", Napi::Function::New<guarded<Conv2dBackwardData>>(env));
  exports.Set("conv2dBackwardFilter", Napi::Function::New<guarded<Conv2dBackwardFilter>>(env));
  exports.Set("matmul", Napi::Function::New<guarded<MatMul>>(env));
  exports.Set("maxPool", Napi::Function::New<guarded<MaxPool>>(env));
  exports.Set("maxPoolGrad", Napi::Function::New<guarded<MaxPoolGrad>>(env));
  exports.Set("binary", Napi::Function::New<guarded<Binary>>(env));
  exports.Set("unary", Napi::Function::New<guarded<Unary>>(env));
  exports.Set("reduce", Napi::Function::New<guarded<Reduce>>(env));
  exports.Set("batchNorm", Napi::Function::New<guarded<BatchNorm>>(env));
  exports.Set("tile", Napi::Function::New<guarded<Tile>>(env));
  exports.Set("adagrad", Napi::Function::New<guarded<Adagrad>>(env));
  exports.Set("maxPoolArgmax", Napi::Function::New<guarded<MaxPoolArgmax>>(env));
  exports.Set("maxPoolArgmaxGrad", Napi::Function::New<guarded<MaxPoolArgmaxGrad>>(env));
  exports.Set("dropout", Napi::Function::New<guarded<Dropout>>(env));
  exports.Set("dropoutGrad", Napi::Function::New<guarded<DropoutGrad>>(env));
  exports.Set("lrn", Napi::Function::New<guarded<Lrn>>(env));
  exports.Set("lrnGrad", Napi::Function::New<guarded<LrnGrad>>(env));
  exports.Set("batchNormTrain", Napi::Function::New<guarded<BatchNormTrain>>(env));
  exports.Set("batchNormTrainGrad", Napi::Function::New<guarded<BatchNormTrainGrad>>(env));
  exports.Set("adviseHugePages", Napi::Function::New<AdviseHugePages>(env));
  exports.Set("alignmentOffset", Napi::Function::New<AlignmentOffset>(env));
  exports.Set("info", Napi::Function::New<Info>(env));
  exports.Set("wideConvolution", Napi::Function::New<guarded<WideConvolution>>(env));
  exports.Set("setThreads", Napi::Function::New<SetThreads>(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(tfjs_native, Init)
