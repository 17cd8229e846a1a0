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

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
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

struct ConvForward {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward prim;
  dnnl::reorder weiReorder;
  bool needsReorder;
};

struct ConvBackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data prim;
  dnnl::reorder weiReorder;
  bool needsReorder;
};

struct ConvBackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights prim;
  dnnl::reorder weiReorder;
  bool needsReorder;
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

// conv2dForward(x, w, bias | null, y, params, activation, alpha)
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  auto p = ints(info[4], "params", CONV_PARAMS);
  const ConvShape s(p);
  const bool withBias = !info[2].IsNull() && !info[2].IsUndefined();
  float* x = floats(info[0], "x", s.srcSize);
  float* w = floats(info[1], "filter", s.weiSize);
  float* b = withBias ? floats(info[2], "bias", static_cast<size_t>(s.dst[1])) : nullptr;
  float* y = floats(info[3], "y", s.dstSize);
  const int64_t activation = info[5].As<Napi::Number>().Int64Value();
  const float alpha = info[6].As<Napi::Number>().FloatValue();
  p.push_back(withBias);
  p.push_back(activation);
  auto conv = cached<ConvForward>(keyOf("conv_fwd", p, alpha), [&] {
    dnnl::post_ops ops;
    appendActivation(ops, activation, alpha);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    dnnl::convolution_forward::primitive_desc pd(s.forwardDesc(dnnl::prop_kind::forward_inference, withBias), attr,
                                                 cpuEngine());
    const bool needsReorder = pd.weights_desc() != s.weiUser();
    dnnl::reorder weiReorder;
    if (needsReorder) weiReorder = dnnl::reorder(memory(s.weiUser(), cpuEngine()), memory(pd.weights_desc(), cpuEngine()));
    return ConvForward{pd, dnnl::convolution_forward(pd), weiReorder, needsReorder};
  });
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  memory src(s.srcMd(), engine, x), dst(s.dstMd(), engine, y), userWei(s.weiUser(), engine, w);
  memory wei = userWei;
  if (conv->needsReorder) {
    wei = memory(conv->pd.weights_desc(), engine);
    conv->weiReorder.execute(stream, userWei, wei);
  }
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}};
  if (withBias) args.emplace(DNNL_ARG_BIAS, memory({s.bias, dt::f32, tag::a}, engine, b));
  conv->prim.execute(stream, args);
  stream.wait();
  return info.Env().Undefined();
}

// conv2dBackwardData(dy, w, dx, params)
Napi::Value Conv2dBackwardData(const Napi::CallbackInfo& info) {
  const auto p = ints(info[3], "params", CONV_PARAMS);
  const ConvShape s(p);
  float* dy = floats(info[0], "dy", s.dstSize);
  float* w = floats(info[1], "filter", s.weiSize);
  float* dx = floats(info[2], "dx", s.srcSize);
  auto conv = cached<ConvBackwardData>(keyOf("conv_bwd_data", p), [&] {
    dnnl::convolution_forward::primitive_desc hint(s.forwardDesc(dnnl::prop_kind::forward_training, false),
                                                   cpuEngine());
    dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, s.srcMd(), s.weiAny(), s.dstMd(),
                                               s.strides, s.dilates, s.padL, s.padR);
    dnnl::convolution_backward_data::primitive_desc pd(desc, cpuEngine(), hint);
    const bool needsReorder = pd.weights_desc() != s.weiUser();
    dnnl::reorder weiReorder;
    if (needsReorder) weiReorder = dnnl::reorder(memory(s.weiUser(), cpuEngine()), memory(pd.weights_desc(), cpuEngine()));
    return ConvBackwardData{pd, dnnl::convolution_backward_data(pd), weiReorder, needsReorder};
  });
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  memory diffDst(s.dstMd(), engine, dy), diffSrc(s.srcMd(), engine, dx), userWei(s.weiUser(), engine, w);
  memory wei = userWei;
  if (conv->needsReorder) {
    wei = memory(conv->pd.weights_desc(), engine);
    conv->weiReorder.execute(stream, userWei, wei);
  }
  conv->prim.execute(stream, {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DIFF_SRC, diffSrc}});
  stream.wait();
  return info.Env().Undefined();
}

// conv2dBackwardFilter(x, dy, dw, params)
Napi::Value Conv2dBackwardFilter(const Napi::CallbackInfo& info) {
  const auto p = ints(info[3], "params", CONV_PARAMS);
  const ConvShape s(p);
  float* x = floats(info[0], "x", s.srcSize);
  float* dy = floats(info[1], "dy", s.dstSize);
  float* dw = floats(info[2], "dw", s.weiSize);
  auto conv = cached<ConvBackwardWeights>(keyOf("conv_bwd_weights", p), [&] {
    dnnl::convolution_forward::primitive_desc hint(s.forwardDesc(dnnl::prop_kind::forward_training, false),
                                                   cpuEngine());
    dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, s.srcMd(), s.weiAny(),
                                                  s.dstMd(), s.strides, s.dilates, s.padL, s.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, cpuEngine(), hint);
    const bool needsReorder = pd.diff_weights_desc() != s.weiUser();
    dnnl::reorder weiReorder;
    if (needsReorder) {
      weiReorder = dnnl::reorder(memory(pd.diff_weights_desc(), cpuEngine()), memory(s.weiUser(), cpuEngine()));
    }
    return ConvBackwardWeights{pd, dnnl::convolution_backward_weights(pd), weiReorder, needsReorder};
  });
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  memory src(s.srcMd(), engine, x), diffDst(s.dstMd(), engine, dy), userWei(s.weiUser(), engine, dw);
  memory diffWei = conv->needsReorder ? memory(conv->pd.diff_weights_desc(), engine) : userWei;
  conv->prim.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, diffWei}});
  if (conv->needsReorder) conv->weiReorder.execute(stream, diffWei, userWei);
  stream.wait();
  return info.Env().Undefined();
}

// ---- matrix multiplication --------------------------------------------------------------------
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
    const auto status = dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', M, N, K, 1.f, ai, transA ? M : K, bi,
                                   transB ? K : N, 0.f, ci, N);
    if (status != dnnl_success) throw Napi::Error::New(info.Env(), "dnnl_sgemm failed");
  }
  if (withBias || activation != LINEAR) {
    const int64_t rows = batch * M;
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      float* row = c + r * N;
      for (int64_t j = 0; j < N; j++) row[j] = activate(row[j] + (bias ? bias[j] : 0.f), activation, alpha);
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

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  omp_set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
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
  exports.Set("info", Napi::Function::New<Info>(env));
  exports.Set("setThreads", Napi::Function::New<SetThreads>(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(tfjs_native, Init)
