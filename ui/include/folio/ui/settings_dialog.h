#pragma once

#include <QDialog>

class QLineEdit;
class QSpinBox;

namespace folio::ui {

// The workbench's settings, kept in QSettings: worker threads for ingest and analysis, the clause confidence the
// docks show from, the workspace opened at start, the model file and the context cache's disk budget.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const QString& currentWorkspace, QWidget* parent = nullptr);
    // Stores what the dialog shows.
    void save() const;

    QSpinBox* threads() const { return threads_; }
    QSpinBox* minimumConfidence() const { return confidence_; }

private:
    QSpinBox* threads_;
    QSpinBox* confidence_;
    QLineEdit* workspace_;
    QLineEdit* model_;
    QSpinBox* cacheBudget_;
    QLineEdit* remoteUrl_;
    QLineEdit* remoteModel_;
    QLineEdit* remoteKeyFile_;
    QSpinBox* connectTimeout_;
    QSpinBox* readTimeout_;
};

}  // namespace folio::ui
