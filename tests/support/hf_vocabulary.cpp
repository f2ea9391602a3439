#include "hf_vocabulary.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>
#include <vector>

namespace folio::test {
namespace {

QJsonObject readJson(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot read " + path);
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

void addHfTokenizer(engine::GgufWriter& w, const std::string& folder, const std::string& pre, int size)
{
    using engine::GgufValue;
    using engine::GgufValueType;
    const QJsonObject tokenizer = readJson(folder + "/tokenizer.json");
    const QJsonObject config = readJson(folder + "/tokenizer_config.json");
    const QJsonObject model = tokenizer["model"].toObject();
    const QJsonObject vocab = model["vocab"].toObject();
    const QJsonArray added = tokenizer["added_tokens"].toArray();
    for (auto it = vocab.begin(); it != vocab.end(); ++it) size = std::max(size, it.value().toInt() + 1);
    for (const auto& a : added) size = std::max(size, a.toObject()["id"].toInt() + 1);
    std::vector<std::string> texts(static_cast<std::size_t>(size));
    std::vector<int> types(static_cast<std::size_t>(size), 1);
    for (auto it = vocab.begin(); it != vocab.end(); ++it) texts[std::size_t(it.value().toInt())] = it.key().toStdString();
    for (const auto& a : added) {
        const QJsonObject t = a.toObject();
        texts[std::size_t(t["id"].toInt())] = t["content"].toString().toStdString();
        types[std::size_t(t["id"].toInt())] = t["special"].toBool() ? 3 : 4;
    }
    engine::GgufArray tokens, tokenTypes, merges;
    for (int i = 0; i < size; ++i) {
        // Ids no token uses (in the Qwen vocabularies only those past the last token, up to `size`) are padding,
        // as the converter writes them.
        if (texts[std::size_t(i)].empty()) {
            texts[std::size_t(i)] = "[PAD" + std::to_string(i) + "]";
            types[std::size_t(i)] = 5;
        }
        tokens.push_back(GgufValue::string(texts[std::size_t(i)]));
        tokenTypes.push_back(GgufValue::i32(types[std::size_t(i)]));
    }
    for (const auto& m : model["merges"].toArray()) {
        // Older files write "a b", newer ones ["a", "b"].
        const std::string merge = m.isArray() ? (m.toArray()[0].toString() + " " + m.toArray()[1].toString()).toStdString()
                                              : m.toString().toStdString();
        merges.push_back(GgufValue::string(merge));
    }
    w.set("tokenizer.ggml.model", GgufValue::string("gpt2"));
    w.set("tokenizer.ggml.pre", GgufValue::string(pre));
    w.set("tokenizer.ggml.tokens", GgufValue::array(GgufValueType::String, tokens));
    w.set("tokenizer.ggml.token_type", GgufValue::array(GgufValueType::Int32, tokenTypes));
    w.set("tokenizer.ggml.merges", GgufValue::array(GgufValueType::String, merges));
    const std::string eos = config["eos_token"].toString().toStdString();
    for (int i = 0; i < size; ++i)
        if (texts[std::size_t(i)] == eos) w.set("tokenizer.ggml.eos_token_id", GgufValue::u32(std::uint32_t(i)));
    w.set("tokenizer.ggml.add_bos_token", GgufValue::boolean(config["add_bos_token"].toBool()));
    if (config.contains("chat_template"))
        w.set("tokenizer.chat_template", GgufValue::string(config["chat_template"].toString().toStdString()));
}

}  // namespace folio::test
