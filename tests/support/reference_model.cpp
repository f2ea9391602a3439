#include "reference_model.h"

#include "folio/engine/gguf.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace folio::test {
namespace {

using Vec = std::vector<double>;
using engine::GgufFile;

// A tensor as doubles, row-major: rows x cols, with `cols` = the first GGUF dimension.
struct Mat {
    std::int64_t rows = 0, cols = 0;
    Vec v;
    std::size_t activationBlock = 0;  // the engine multiplies 8-bit activations in blocks of this many values (ActivationRow)
    const double* row(std::int64_t r) const { return v.data() + r * cols; }
};

Mat load(const GgufFile& f, const std::string& name)
{
    const auto& t = f.tensor(name);
    Mat m;
    m.cols = std::int64_t(t.shape[0]);
    m.rows = std::int64_t(t.elementCount()) / m.cols;
    if (engine::quantizesActivations(t.type)) m.activationBlock = t.type == engine::TensorType::Q8_0 ? 32 : 256;
    const auto data = f.tensorData(t);
    const std::size_t rowBytes = engine::rowBytes(t.type, m.cols);
    std::vector<float> buf(std::size_t(m.cols));
    for (std::int64_t r = 0; r < m.rows; ++r) {
        engine::dequantizeRow(t.type, data.data() + std::size_t(r) * rowBytes, buf.data(), m.cols);
        m.v.insert(m.v.end(), buf.begin(), buf.end());
    }
    return m;
}

// The engine's roundings of the token being run, and how many of its steps the reference took.
struct Roundings {
    const std::vector<ReferenceModel::EngineRounding>& engine;
    int adopted = 0;
};

// The engine's rounding of the input closest to x in blocks of `block`, if one is within float32's reach of
// it (a thousandth of its largest value).
const ReferenceModel::EngineRounding* engineRoundingOf(const Vec& x, std::size_t block, const Roundings& r)
{
    double amax = 0;
    for (double v : x) amax = std::max(amax, std::fabs(v));
    const ReferenceModel::EngineRounding* best = nullptr;
    double bestDistance = 1e-3 * amax;
    for (const auto& e : r.engine) {
        if (e.x.size() != x.size() || std::size_t(e.block) != block) continue;
        double distance = 0;
        for (std::size_t i = 0; i < x.size() && distance <= bestDistance; ++i) distance = std::max(distance, std::fabs(x[i] - e.x[i]));
        if (distance <= bestDistance) {
            best = &e;
            bestDistance = distance;
        }
    }
    return best;
}

// x rounded as the engine rounds activations: blocks of `block` values, step amax/127, to nearest (ties to
// even), except that a value within kNearTie of half a step takes the engine's step when that is the other
// neighbour.
Vec roundActivations(const Vec& x, std::size_t block, Roundings& r)
{
    const ReferenceModel::EngineRounding* engine = engineRoundingOf(x, block, r);
    Vec y(x.size());
    for (std::size_t b = 0; b < x.size(); b += block) {
        double amax = 0;
        for (std::size_t i = b; i < b + block; ++i) amax = std::max(amax, std::fabs(x[i]));
        const double d = amax / 127;
        for (std::size_t i = b; i < b + block; ++i) {
            if (d == 0) {
                y[i] = 0;
                continue;
            }
            const double steps = x[i] / d, nearest = std::nearbyint(steps);
            const bool nearTie = std::fabs(steps - std::floor(steps) - 0.5) < ReferenceModel::kNearTie;
            if (engine && nearTie && std::fabs(double(engine->q[i]) - nearest) == 1) {
                y[i] = double(engine->q[i]) * d;
                ++r.adopted;
            } else {
                y[i] = nearest * d;
            }
        }
    }
    return y;
}

// y = W x using rows [first, first + n) of W.
Vec mul(const Mat& w, const Vec& xIn, Roundings& roundings, std::int64_t first = 0, std::int64_t n = -1)
{
    if (n < 0) n = w.rows;
    const Vec x = w.activationBlock ? roundActivations(xIn, w.activationBlock, roundings) : xIn;
    Vec y(static_cast<std::size_t>(n));
    for (std::int64_t r = 0; r < n; ++r) {
        double s = 0;
        for (std::int64_t i = 0; i < w.cols; ++i) s += w.row(first + r)[i] * x[std::size_t(i)];
        y[std::size_t(r)] = s;
    }
    return y;
}

Vec rmsnorm(const Vec& x, const double* w, double eps)
{
    double ss = 0;
    for (double a : x) ss += a * a;
    const double s = 1.0 / std::sqrt(ss / double(x.size()) + eps);
    Vec y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] * s * w[i];
    return y;
}

double silu(double x) { return x / (1 + std::exp(-x)); }
double sigm(double x) { return 1 / (1 + std::exp(-x)); }

struct Hyper {
    std::string arch;
    std::int64_t E, L, V, H, Hkv, hd, rot, K, Dk, Hk, Hv, Dv, nExp, nUsed, Fexp;
    double eps, base;
    std::vector<bool> recurrent;
};

}  // namespace

struct ReferenceModel::Weights {
    Hyper h;
    Mat embd, out, outNorm;
    std::map<std::string, Mat> W;
};

ReferenceModel::ReferenceModel(const std::string& modelPath)
{
    GgufFile f(modelPath);
    auto built = std::make_shared<Weights>();
    Hyper& h = built->h;
    h.arch = f.at("general.architecture").asString();
    const std::string p = h.arch + ".";
    h.E = f.at(p + "embedding_length").asInt();
    h.L = f.at(p + "block_count").asInt();
    h.H = f.at(p + "attention.head_count").asInt();
    h.Hkv = f.at(p + "attention.head_count_kv").asInt();
    h.hd = f.at(p + "attention.key_length").asInt();
    h.rot = f.at(p + "rope.dimension_count").asInt();
    h.base = f.at(p + "rope.freq_base").asFloat();
    h.eps = f.at(p + "attention.layer_norm_rms_epsilon").asFloat();
    h.K = f.at(p + "ssm.conv_kernel").asInt();
    h.Dk = f.at(p + "ssm.state_size").asInt();
    h.Hk = f.at(p + "ssm.group_count").asInt();
    h.Hv = f.at(p + "ssm.time_step_rank").asInt();
    h.Dv = f.at(p + "ssm.inner_size").asInt() / h.Hv;
    h.nExp = f.intOr(p + "expert_count", 0);
    h.nUsed = f.intOr(p + "expert_used_count", 0);
    h.Fexp = f.intOr(p + "expert_feed_forward_length", 0);
    for (std::int64_t i = 0; i < h.L; ++i) {
        if (f.has(p + "attention.recurrent_layers")) h.recurrent.push_back(f.at(p + "attention.recurrent_layers").asArray()[std::size_t(i)].asInt() != 0);
        else h.recurrent.push_back((i + 1) % f.intOr(p + "full_attention_interval", 4) != 0);
    }
    built->embd = load(f, "token_embd.weight");
    h.V = built->embd.rows;
    built->out = f.findTensor("output.weight") ? load(f, "output.weight") : built->embd;
    built->outNorm = load(f, "output_norm.weight");
    for (const auto& t : f.tensors()) built->W[t.name] = load(f, t.name);
    convHist.resize(std::size_t(h.L));
    S.assign(std::size_t(h.L), std::vector<std::vector<double>>(std::size_t(h.Hv), std::vector<double>(std::size_t(h.Dv * h.Dk), 0.0)));
    keys.resize(std::size_t(h.L));
    values.resize(std::size_t(h.L));
    weights_ = std::move(built);
}

std::vector<double> ReferenceModel::step(std::int32_t token, const std::vector<EngineRounding>& engine)
{
    const Hyper& h = weights_->h;
    const Mat &embd = weights_->embd, &out = weights_->out, &outNorm = weights_->outNorm;
    const auto& W = weights_->W;
    auto w = [&](std::int64_t layer, const std::string& name) -> const Mat& {
        return W.at("blk." + std::to_string(layer) + "." + name);
    };
    auto has = [&](std::int64_t layer, const std::string& name) { return W.count("blk." + std::to_string(layer) + "." + name) != 0; };
    Roundings roundings{engine};
    auto mul = [&](const Mat& m, const Vec& x, std::int64_t first = 0, std::int64_t n = -1) {
        return folio::test::mul(m, x, roundings, first, n);
    };
    const std::int64_t convDim = 2 * h.Hk * h.Dk + h.Hv * h.Dv, r = h.Hv / h.Hk;
    const std::size_t pos = position++;
    {
        Vec x(embd.row(token), embd.row(token) + h.E);
        for (std::int64_t l = 0; l < h.L; ++l) {
            const Vec hn = rmsnorm(x, w(l, "attn_norm.weight").v.data(), h.eps);
            Vec mix;
            if (h.recurrent[std::size_t(l)]) {
                Vec qkv, z;
                if (has(l, "ssm_in.weight")) {
                    const Vec all = mul(w(l, "ssm_in.weight"), hn);
                    qkv.assign(std::size_t(convDim), 0.0);
                    z.assign(std::size_t(h.Hv * h.Dv), 0.0);
                    const std::int64_t group = 2 * h.Dk + 2 * r * h.Dv;
                    for (std::int64_t g = 0; g < h.Hk; ++g)
                        for (std::int64_t i = 0; i < group; ++i) {
                            const double val = all[std::size_t(g * group + i)];
                            if (i < h.Dk) qkv[std::size_t(g * h.Dk + i)] = val;
                            else if (i < 2 * h.Dk) qkv[std::size_t(h.Hk * h.Dk + g * h.Dk + i - h.Dk)] = val;
                            else if (i < 2 * h.Dk + r * h.Dv) qkv[std::size_t(2 * h.Hk * h.Dk + g * r * h.Dv + i - 2 * h.Dk)] = val;
                            else z[std::size_t(g * r * h.Dv + i - 2 * h.Dk - r * h.Dv)] = val;
                        }
                } else {
                    qkv = mul(w(l, "attn_qkv.weight"), hn);
                    z = mul(w(l, "attn_gate.weight"), hn);
                }
                Vec bv(std::size_t(h.Hv)), av(std::size_t(h.Hv));
                if (has(l, "ssm_ba.weight")) {
                    const Vec ba = mul(w(l, "ssm_ba.weight"), hn);
                    for (std::int64_t g = 0; g < h.Hk; ++g)
                        for (std::int64_t j = 0; j < r; ++j) {
                            bv[std::size_t(g * r + j)] = ba[std::size_t(g * 2 * r + j)];
                            av[std::size_t(g * r + j)] = ba[std::size_t(g * 2 * r + r + j)];
                        }
                } else {
                    bv = mul(w(l, "ssm_beta.weight"), hn);
                    av = mul(w(l, "ssm_alpha.weight"), hn);
                }
                // Causal conv: c_t = SiLU(sum_j w[:, j] x_{t-K+1+j}), zero before the first token.
                auto& hist = convHist[std::size_t(l)];
                hist.push_back(qkv);
                const Mat& cw = w(l, "ssm_conv1d.weight");
                Vec c(static_cast<std::size_t>(convDim));
                for (std::int64_t ch = 0; ch < convDim; ++ch) {
                    double s = 0;
                    for (std::int64_t j = 0; j < h.K; ++j) {
                        const std::int64_t back = h.K - 1 - j;  // how many tokens ago
                        if (back < std::int64_t(hist.size())) s += cw.row(ch)[j] * hist[hist.size() - 1 - std::size_t(back)][std::size_t(ch)];
                    }
                    c[std::size_t(ch)] = silu(s);
                }
                Vec o(static_cast<std::size_t>(h.Hv * h.Dv));
                for (std::int64_t vh = 0; vh < h.Hv; ++vh) {
                    const std::int64_t kh = h.arch == "qwen3next" ? vh / r : vh % h.Hk;
                    Vec q(c.begin() + kh * h.Dk, c.begin() + (kh + 1) * h.Dk);
                    Vec k(c.begin() + h.Hk * h.Dk + kh * h.Dk, c.begin() + h.Hk * h.Dk + (kh + 1) * h.Dk);
                    const Vec v(c.begin() + 2 * h.Hk * h.Dk + vh * h.Dv, c.begin() + 2 * h.Hk * h.Dk + (vh + 1) * h.Dv);
                    for (Vec* u : {&q, &k}) {
                        double n = 0;
                        for (double a : *u) n += a * a;
                        n = std::max(std::sqrt(n), h.eps);
                        for (double& a : *u) a /= n;
                    }
                    for (double& a : q) a /= std::sqrt(double(h.Dk));
                    const double beta = sigm(bv[std::size_t(vh)]);
                    const double ga = av[std::size_t(vh)] + w(l, "ssm_dt.bias").v[std::size_t(vh)];
                    const double g = std::log1p(std::exp(ga)) * w(l, "ssm_a").v[std::size_t(vh)];
                    Vec& St = S[std::size_t(l)][std::size_t(vh)];
                    for (double& s : St) s *= std::exp(g);
                    for (std::int64_t i = 0; i < h.Dv; ++i) {
                        double sk = 0;
                        for (std::int64_t j = 0; j < h.Dk; ++j) sk += St[std::size_t(i * h.Dk + j)] * k[std::size_t(j)];
                        const double delta = beta * (v[std::size_t(i)] - sk);
                        for (std::int64_t j = 0; j < h.Dk; ++j) St[std::size_t(i * h.Dk + j)] += delta * k[std::size_t(j)];
                    }
                    Vec oh(static_cast<std::size_t>(h.Dv));
                    for (std::int64_t i = 0; i < h.Dv; ++i) {
                        double s = 0;
                        for (std::int64_t j = 0; j < h.Dk; ++j) s += St[std::size_t(i * h.Dk + j)] * q[std::size_t(j)];
                        oh[std::size_t(i)] = s;
                    }
                    oh = rmsnorm(oh, w(l, "ssm_norm.weight").v.data(), h.eps);
                    for (std::int64_t i = 0; i < h.Dv; ++i)
                        o[std::size_t(vh * h.Dv + i)] = oh[std::size_t(i)] * silu(z[std::size_t(vh * h.Dv + i)]);
                }
                mix = mul(w(l, "ssm_out.weight"), o);
            } else {
                const Vec qg = mul(w(l, "attn_q.weight"), hn);
                Vec k = mul(w(l, "attn_k.weight"), hn);
                const Vec v = mul(w(l, "attn_v.weight"), hn);
                auto ropeHead = [&](double* a) {
                    for (std::int64_t i = 0; i < h.rot / 2; ++i) {
                        const double th = double(pos) * std::pow(h.base, -2.0 * double(i) / double(h.rot));
                        const double x0 = a[i], x1 = a[i + h.rot / 2];
                        a[i] = x0 * std::cos(th) - x1 * std::sin(th);
                        a[i + h.rot / 2] = x0 * std::sin(th) + x1 * std::cos(th);
                    }
                };
                for (std::int64_t kvh = 0; kvh < h.Hkv; ++kvh) {
                    Vec kh(k.begin() + kvh * h.hd, k.begin() + (kvh + 1) * h.hd);
                    kh = rmsnorm(kh, w(l, "attn_k_norm.weight").v.data(), h.eps);
                    ropeHead(kh.data());
                    std::copy(kh.begin(), kh.end(), k.begin() + kvh * h.hd);
                }
                keys[std::size_t(l)].push_back(k);
                values[std::size_t(l)].push_back(v);
                Vec att(static_cast<std::size_t>(h.H * h.hd));
                for (std::int64_t hh = 0; hh < h.H; ++hh) {
                    Vec q(qg.begin() + hh * 2 * h.hd, qg.begin() + hh * 2 * h.hd + h.hd);
                    const Vec gate(qg.begin() + hh * 2 * h.hd + h.hd, qg.begin() + (hh + 1) * 2 * h.hd);
                    q = rmsnorm(q, w(l, "attn_q_norm.weight").v.data(), h.eps);
                    ropeHead(q.data());
                    const std::int64_t kvh = hh / (h.H / h.Hkv);
                    Vec sc;
                    for (const Vec& kp : keys[std::size_t(l)]) {
                        double s = 0;
                        for (std::int64_t i = 0; i < h.hd; ++i) s += q[std::size_t(i)] * kp[std::size_t(kvh * h.hd + i)];
                        sc.push_back(s / std::sqrt(double(h.hd)));
                    }
                    const double mx = *std::max_element(sc.begin(), sc.end());
                    double tot = 0;
                    for (double& s : sc) tot += s = std::exp(s - mx);
                    for (std::int64_t i = 0; i < h.hd; ++i) {
                        double a = 0;
                        for (std::size_t t = 0; t < sc.size(); ++t) a += sc[t] / tot * values[std::size_t(l)][t][std::size_t(kvh * h.hd + i)];
                        att[std::size_t(hh * h.hd + i)] = a * sigm(gate[std::size_t(i)]);
                    }
                }
                mix = mul(w(l, "attn_output.weight"), att);
            }
            for (std::int64_t i = 0; i < h.E; ++i) x[std::size_t(i)] += mix[std::size_t(i)];

            const Vec hf = rmsnorm(x, w(l, "post_attention_norm.weight").v.data(), h.eps);
            Vec ff(std::size_t(h.E), 0.0);
            auto expert = [&](const Mat& gate, std::int64_t gFirst, const Mat& up, std::int64_t uFirst, const Mat& down,
                              std::int64_t dFirst, std::int64_t F) {
                const Vec g = mul(gate, hf, gFirst, F), u = mul(up, hf, uFirst, F);
                Vec a(static_cast<std::size_t>(F));
                for (std::int64_t i = 0; i < F; ++i) a[std::size_t(i)] = silu(g[std::size_t(i)]) * u[std::size_t(i)];
                return mul(down, a, dFirst, h.E);
            };
            if (h.nExp == 0) {
                ff = expert(w(l, "ffn_gate.weight"), 0, w(l, "ffn_up.weight"), 0, w(l, "ffn_down.weight"), 0,
                            w(l, "ffn_gate.weight").rows);
            } else {
                Vec prob = mul(w(l, "ffn_gate_inp.weight"), hf);
                const double mx = *std::max_element(prob.begin(), prob.end());
                double tot = 0;
                for (double& a : prob) tot += a = std::exp(a - mx);
                for (double& a : prob) a /= tot;
                std::vector<std::int64_t> idx(std::size_t(h.nExp));
                std::iota(idx.begin(), idx.end(), 0);
                std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return prob[std::size_t(a)] > prob[std::size_t(b)]; });
                double kept = 0;
                for (std::int64_t k = 0; k < h.nUsed; ++k) kept += prob[std::size_t(idx[std::size_t(k)])];
                for (std::int64_t k = 0; k < h.nUsed; ++k) {
                    const std::int64_t e = idx[std::size_t(k)];
                    if (routed.size() <= std::size_t(l)) routed.resize(std::size_t(h.L), std::vector<std::int64_t>(std::size_t(h.nExp)));
                    ++routed[std::size_t(l)][std::size_t(e)];
                    Vec y;
                    if (has(l, "ffn_gate_up_exps.weight")) {
                        const Mat& gu = w(l, "ffn_gate_up_exps.weight");
                        y = expert(gu, e * 2 * h.Fexp, gu, e * 2 * h.Fexp + h.Fexp, w(l, "ffn_down_exps.weight"), e * h.E, h.Fexp);
                    } else {
                        y = expert(w(l, "ffn_gate_exps.weight"), e * h.Fexp, w(l, "ffn_up_exps.weight"), e * h.Fexp,
                                   w(l, "ffn_down_exps.weight"), e * h.E, h.Fexp);
                    }
                    for (std::int64_t i = 0; i < h.E; ++i) ff[std::size_t(i)] += prob[std::size_t(e)] / kept * y[std::size_t(i)];
                }
                if (has(l, "ffn_gate_shexp.weight")) {
                    const Vec y = expert(w(l, "ffn_gate_shexp.weight"), 0, w(l, "ffn_up_shexp.weight"), 0,
                                         w(l, "ffn_down_shexp.weight"), 0, w(l, "ffn_gate_shexp.weight").rows);
                    double s = 0;
                    for (std::int64_t i = 0; i < h.E; ++i) s += w(l, "ffn_gate_inp_shexp.weight").v[std::size_t(i)] * hf[std::size_t(i)];
                    for (std::int64_t i = 0; i < h.E; ++i) ff[std::size_t(i)] += sigm(s) * y[std::size_t(i)];
                }
            }
            for (std::int64_t i = 0; i < h.E; ++i) x[std::size_t(i)] += ff[std::size_t(i)];
        }
        auto logits = mul(out, rmsnorm(x, outNorm.v.data(), h.eps));
        adopted = roundings.adopted;
        return logits;
    }
}

}  // namespace folio::test
