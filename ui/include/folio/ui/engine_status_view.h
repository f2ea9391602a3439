#pragma once

#include <QWidget>

#include <cstdint>

class QLabel;

namespace folio::ui {

// What the engine side of the workspace looks like: GPUs this process can use (CUDA, NCCL), the model file
// chosen in Settings (architecture, shape, size, or why it cannot be read), and the context cache on disk.
class EngineStatusView : public QWidget {
    Q_OBJECT
public:
    explicit EngineStatusView(QWidget* parent = nullptr);
    // Reads everything again for this workspace folder and the model file in the settings.
    void refresh(const QString& workspaceDir);
    QString text() const;
    // Removes least recently used cache entries above the disk budget from Settings; returns the bytes removed.
    std::uint64_t pruneToBudget();

private:
    QLabel* label_;
    QString workspaceDir_;
};

}  // namespace folio::ui
