#pragma once

#include "folio/app/context_cache.h"
#include "folio/app/corpus_session.h"

#include <QWidget>

#include <cstdint>
#include <optional>

class QLabel;
class QTableWidget;

namespace folio::ui {

class RoutingTable;

// What the engine side of the workspace looks like: GPUs this process can use (CUDA, NCCL), the model file
// chosen in Settings (architecture, shape, tensor types, size, or why it cannot be read), the context cache on
// disk; and after the Ask dock ran the engine (showRun), the tokens/s of that run's prefill and decode, its
// session's cache tiers with hits and misses, and for a MoE model the tokens each layer routed to each expert.
class EngineStatusView : public QWidget {
    Q_OBJECT
public:
    explicit EngineStatusView(QWidget* parent = nullptr);
    // Reads everything again for this workspace folder and the model file in the settings.
    void refresh(const QString& workspaceDir);
    // The last corpus build or question of the Ask dock, and its session's cache (none: the cache is off).
    void showRun(const app::EngineRun& run, const std::optional<app::CacheStats>& cache);
    // Everything the labels say, as rich text.
    QString text() const;
    QTableWidget* routingTable() const;
    // Removes least recently used cache entries above the disk budget from Settings; returns the bytes removed.
    std::uint64_t pruneToBudget();

private:
    QLabel* label_;
    QLabel* runLabel_;
    QLabel* routingLabel_;
    RoutingTable* routing_;
    QString workspaceDir_;
};

}  // namespace folio::ui
