#include "model_summary.h"

#include "folio/engine/model.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <map>

namespace folio::ui {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ModelSummary", text);
}

QString mebibytes(std::uint64_t bytes)
{
    return QString::number(double(bytes) / (1 << 20), 'f', 1) + " MiB";
}

}  // namespace

QString modelSummaryHtml(const QString& path)
{
    std::unique_ptr<engine::Model> model;
    try {
        model = engine::Model::load(path.toStdString());
    } catch (const std::exception& e) {
        return tr("<b>Model</b>: %1").arg(QString::fromStdString(e.what()).toHtmlEscaped());
    }
    const auto& c = model->config();
    const auto deltaNet = std::count(c.layers.begin(), c.layers.end(), engine::LayerKind::DeltaNet);
    QStringList lines;
    lines << tr("<b>Model</b>: %1, %2 MiB").arg(QFileInfo(path).fileName().toHtmlEscaped())
                 .arg(double(QFileInfo(path).size()) / (1 << 20), 0, 'f', 1);
    lines << tr("architecture %1; %2 layers: %3 Gated DeltaNet, %4 gated attention; width %5; vocabulary %6; context %7")
                 .arg(QString::fromStdString(c.architecture)).arg(c.nLayer).arg(deltaNet).arg(c.nLayer - deltaNet)
                 .arg(c.nEmbd).arg(c.vocab).arg(c.contextLength);
    lines << tr("attention heads %1 (%2 key/value) of %3; DeltaNet key heads %4 of %5, value heads %6 of %7")
                 .arg(c.nHead).arg(c.nHeadKv).arg(c.headDim).arg(c.keyHeads).arg(c.keyDim).arg(c.valueHeads).arg(c.valueDim);
    lines << (c.isMoe() ? tr("mixture of experts: %1 used of %2 per token, expert width %3, shared expert width %4")
                              .arg(c.nExpertUsed).arg(c.nExpert).arg(c.nFFExpert).arg(c.nFFShared)
                        : tr("dense feed-forward, width %1").arg(c.nFF));
    std::map<std::string, std::pair<int, std::uint64_t>> byType;
    for (const auto& t : model->file().tensors()) {
        auto& [count, bytes] = byType[engine::toString(t.type)];
        ++count;
        bytes += t.byteSize();
    }
    QStringList types;
    for (const auto& [type, countBytes] : byType)
        types << tr("%1: %2 tensors, %3").arg(QString::fromStdString(type)).arg(countBytes.first).arg(mebibytes(countBytes.second));
    lines << tr("tensor types: %1").arg(types.join("; "));
    return lines.join("<br>");
}

}  // namespace folio::ui
