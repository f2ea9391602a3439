#include "folio/ui/engine_status_view.h"

#include "model_summary.h"
#include "routing_table.h"

#include "folio/engine/gpu.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <filesystem>

namespace folio::ui {

namespace {

QLabel* richLabel()
{
    auto* label = new QLabel;
    label->setTextFormat(Qt::RichText);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString mebibytes(std::uint64_t bytes)
{
    return QString::number(double(bytes) / (1 << 20), 'f', 1);
}

}  // namespace

EngineStatusView::EngineStatusView(QWidget* parent) : QWidget(parent)
{
    label_ = richLabel();
    runLabel_ = richLabel();
    runLabel_->setText(tr("<b>Last run</b>: none yet (build a corpus or ask a question in the Ask dock)"));
    routingLabel_ = richLabel();
    routing_ = new RoutingTable;
    routing_->hide();
    auto* refresh = new QPushButton(tr("Refresh"));
    auto* prune = new QPushButton(tr("Prune cache to budget"));
    prune->setToolTip(tr("Removes the least recently used cache entries above the disk budget set in Settings"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(refresh);
    buttons->addWidget(prune);
    buttons->addStretch();
    auto* columns = new QHBoxLayout;
    columns->addWidget(label_, 1);
    columns->addWidget(runLabel_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(routingLabel_);
    layout->addWidget(routing_, 1);
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
    return label_->text() + "<br><br>" + runLabel_->text() + "<br><br>" + routingLabel_->text();
}

QTableWidget* EngineStatusView::routingTable() const
{
    return routing_;
}

void EngineStatusView::showRun(const app::EngineRun& run, const std::optional<app::CacheStats>& cache)
{
    refresh(workspaceDir_);  // the run may have filled the cache folder
    QStringList html;
    const QString what = run.kind == app::EngineRun::Kind::Corpus ? tr("corpus build") : tr("question");
    html << tr("<b>Last run</b> (%1)").arg(what);
    html << tr("prefill: %1 tokens in %2 s, %3 tokens/s").arg(run.prefillTokens).arg(run.prefillSeconds, 0, 'f', 2)
                .arg(run.prefillTokensPerSecond(), 0, 'f', 1);
    html << (run.decodeTokens > 0 ? tr("decode: %1 tokens in %2 s, %3 tokens/s").arg(run.decodeTokens)
                                        .arg(run.decodeSeconds, 0, 'f', 2).arg(run.decodeTokensPerSecond(), 0, 'f', 1)
                                  : tr("decode: none in this run"));
    if (cache) {
        html << tr("<b>Session cache</b>: %1 hits, %2 misses").arg(cache->tiers[0].hits + cache->tiers[1].hits + cache->tiers[2].hits)
                    .arg(cache->misses);
        for (const auto tier : {app::CacheTier::Hot, app::CacheTier::Warm, app::CacheTier::Disk}) {
            const auto& t = cache->tiers[int(tier)];
            html << tr("%1: %2 entries, %3 MiB, %4 hits").arg(app::toString(tier)).arg(t.entries).arg(mebibytes(t.bytes)).arg(t.hits);
        }
    } else {
        html << tr("<b>Session cache</b>: off");
    }
    runLabel_->setText(html.join("<br>"));

    if (run.routing.empty()) {
        routingLabel_->setText(tr("<b>Expert routing</b>: dense: no routing"));
        routing_->hide();
        return;
    }
    routingLabel_->setText(tr("<b>Expert routing</b> of the last run: tokens each layer sent to each expert (%1 tokens, "
                              "%2 experts each); CV is the load balance, the coefficient of variation of a layer's "
                              "counts (0: even)").arg(run.routing.tokens).arg(run.routing.expertsUsed));
    routing_->showCounts(run.routing);
    routing_->show();
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
    html << (model.isEmpty() ? tr("<b>Model</b>: none chosen (Settings). Contract analysis needs none; questions over the workspace do.")
                             : modelSummaryHtml(model));

    const auto folder = std::filesystem::path(workspaceDir.toStdString()) / "cache";
    QString cache;
    std::uint64_t total = 0;
    for (const auto& u : app::ContextCache::diskUsage(folder)) {
        cache += tr("<br>model %1, %2: %3 entries, %4 MiB")
                     .arg(QString::fromStdString(u.fingerprint.substr(0, 12)), QString::fromStdString(u.kind))
                     .arg(u.entries).arg(mebibytes(u.storedBytes));
        total += u.storedBytes;
    }
    const QString budget = tr(" (disk budget %1 MiB)").arg(QSettings().value("cache/diskBudgetMiB", 20480).toInt());
    html << (cache.isEmpty() ? tr("<b>Context cache</b>: empty (it fills when a corpus is read: folio corpus build)")
                             : tr("<b>Context cache</b>: %1 MiB on disk%2%3").arg(mebibytes(total), budget, cache));
    label_->setText(html.join("<br><br>"));
}

}  // namespace folio::ui
