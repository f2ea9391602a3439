#include "folio/ui/engine_status_view.h"

#include "folio/app/context_cache.h"
#include "folio/engine/gpu.h"
#include "folio/engine/model.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <filesystem>

namespace folio::ui {

EngineStatusView::EngineStatusView(QWidget* parent) : QWidget(parent)
{
    label_ = new QLabel;
    label_->setTextFormat(Qt::RichText);
    label_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* refresh = new QPushButton(tr("Refresh"));
    auto* prune = new QPushButton(tr("Prune cache to budget"));
    prune->setToolTip(tr("Removes the least recently used cache entries above the disk budget set in Settings"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(refresh);
    buttons->addWidget(prune);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label_, 1);
    layout->addLayout(buttons);
    connect(refresh, &QPushButton::clicked, this, [this] { this->refresh(workspaceDir_); });
    connect(prune, &QPushButton::clicked, this, [this] { pruneToBudget(); });
}

std::uint64_t EngineStatusView::pruneToBudget()
{
    const std::uint64_t budget = QSettings().value("cache/diskBudgetMiB", 20480).toULongLong() << 20;
    const auto folder = std::filesystem::path(workspaceDir_.toStdString()) / "cache";
    const std::uint64_t removed = app::ContextCache::pruneFolder(folder, budget);
    refresh(workspaceDir_);
    return removed;
}

QString EngineStatusView::text() const
{
    return label_->text();
}

void EngineStatusView::refresh(const QString& workspaceDir)
{
    workspaceDir_ = workspaceDir;
    QStringList html;
    const auto gpu = engine::gpu::probe();
    QString gpus = gpu.compiledWithCuda ? tr("CUDA %1, NCCL %2; ").arg(QString::fromStdString(gpu.runtimeVersion),
                                                                      QString::fromStdString(gpu.ncclVersion))
                                        : tr("built without CUDA; ");
    if (gpu.available())
        for (const auto& d : gpu.devices)
            gpus += tr("%1 (%2 GiB) ").arg(QString::fromStdString(d.name)).arg(double(d.memoryBytes) / (1 << 30), 0, 'f', 0);
    else
        gpus += tr("no GPU: %1").arg(QString::fromStdString(gpu.unavailableReason));
    html << tr("<b>GPU</b>: %1").arg(gpus.toHtmlEscaped());

    const QString model = QSettings().value("engine/model").toString();
    if (model.isEmpty()) {
        html << tr("<b>Model</b>: none chosen (Settings). Contract analysis needs none; questions over the workspace do.");
    } else {
        try {
            const auto m = engine::Model::load(model.toStdString());
            const auto& c = m->config();
            html << tr("<b>Model</b>: %1<br>%2, %3 layers, width %4, vocabulary %5, context %6, %7 GiB")
                        .arg(QFileInfo(model).fileName().toHtmlEscaped(), QString::fromStdString(c.architecture))
                        .arg(c.nLayer).arg(c.nEmbd).arg(c.vocab).arg(c.contextLength)
                        .arg(double(QFileInfo(model).size()) / (1 << 30), 0, 'f', 2);
        } catch (const std::exception& e) {
            html << tr("<b>Model</b>: %1").arg(QString::fromStdString(e.what()).toHtmlEscaped());
        }
    }

    const auto folder = std::filesystem::path(workspaceDir.toStdString()) / "cache";
    QString cache;
    std::uint64_t total = 0;
    for (const auto& u : app::ContextCache::diskUsage(folder)) {
        cache += tr("<br>model %1, %2: %3 entries, %4 MiB")
                     .arg(QString::fromStdString(u.fingerprint.substr(0, 12)), QString::fromStdString(u.kind))
                     .arg(u.entries).arg(double(u.storedBytes) / (1 << 20), 0, 'f', 1);
        total += u.storedBytes;
    }
    const QString budget = tr(" (disk budget %1 MiB)").arg(QSettings().value("cache/diskBudgetMiB", 20480).toInt());
    html << (cache.isEmpty() ? tr("<b>Context cache</b>: empty (it fills when a corpus is read: folio corpus build)")
                             : tr("<b>Context cache</b>: %1 MiB on disk%2%3")
                                   .arg(double(total) / (1 << 20), 0, 'f', 1).arg(budget, cache));
    label_->setText(html.join("<br><br>"));
}

}  // namespace folio::ui
