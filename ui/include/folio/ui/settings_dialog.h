#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QThread;
class QSpinBox;

namespace folio::ui {

// The workbench's settings, kept in QSettings: worker threads for ingest and analysis, the clause confidence the
// docks show from, the workspace opened at start, the model file, the context cache's disk budget and a remote
// engine (URL, model, API key file, timeouts), whose connection can be tested here: the server's models fill the
// model list.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const QString& currentWorkspace, QWidget* parent = nullptr);
    ~SettingsDialog() override;
    // Stores what the dialog shows.
    void save() const;

    QSpinBox* threads() const { return threads_; }
    QSpinBox* minimumConfidence() const { return confidence_; }
    QLineEdit* remoteUrl() const { return remoteUrl_; }
    QComboBox* remoteModel() const { return remoteModel_; }
    QLabel* connectionStatus() const { return connectionStatus_; }
    QLineEdit* remoteKeyFile() const { return remoteKeyFile_; }
    QComboBox* attention() const { return attention_; }

    // Asks the remote engine for its models off the UI thread; connectionTested() follows.
    void testConnection();

signals:
    void connectionTested(bool ok);

private:
    QSpinBox* threads_;
    QSpinBox* confidence_;
    QLineEdit* workspace_;
    QLineEdit* model_;
    QSpinBox* cacheBudget_;
    QComboBox* attention_;
    QLineEdit* remoteUrl_;
    QComboBox* remoteModel_;
    QPushButton* testConnection_;
    QLabel* connectionStatus_;
    QThread* probe_ = nullptr;
    QLineEdit* remoteKeyFile_;
    QSpinBox* connectTimeout_;
    QSpinBox* readTimeout_;
};

}  // namespace folio::ui
