#include "folio/ui/settings_dialog.h"

#include "folio/remote/openai_client.h"
#include "folio/remote/remote_options.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QThread>

#include <algorithm>

namespace folio::ui {

SettingsDialog::SettingsDialog(const QString& currentWorkspace, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Settings"));
    QSettings settings;
    threads_ = new QSpinBox;
    threads_->setRange(0, 256);
    threads_->setSpecialValueText(tr("one per core"));
    threads_->setValue(settings.value("jobs/threads", 0).toInt());
    confidence_ = new QSpinBox;
    confidence_->setRange(0, 100);
    confidence_->setSuffix("%");
    confidence_->setValue(settings.value("analysis/minConfidence", 50).toInt());
    workspace_ = new QLineEdit(settings.value("session/workspace", currentWorkspace).toString());
    model_ = new QLineEdit(settings.value("engine/model").toString());
    model_->setPlaceholderText(tr("a Qwen3-Next / Qwen3.5 GGUF file (optional)"));
    auto* browse = new QPushButton(tr("Browse..."));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Model file"), {}, tr("GGUF models (*.gguf)"));
        if (!file.isEmpty()) model_->setText(file);
    });
    cacheBudget_ = new QSpinBox;
    cacheBudget_->setRange(0, 10 * 1024 * 1024);
    cacheBudget_->setSuffix(tr(" MiB"));
    cacheBudget_->setValue(settings.value("cache/diskBudgetMiB", 20480).toInt());
    attention_ = new QComboBox;
    attention_->addItem(tr("Exact: every key"), "exact");
    attention_->addItem(tr("Selected blocks: for corpora of millions of tokens"), "selected");
    attention_->setToolTip(tr("Selected attention reads the first 64 tokens, the last 131,072 and the 16 blocks of 1,024 "
                              "that score best for each query; below that length it equals exact. A corpus is built "
                              "again for each mode."));
    attention_->setCurrentIndex(std::max(0, attention_->findData(settings.value("engine/attention", "exact"))));
    // The key itself is never stored: only the file it is read from (else FOLIO_REMOTE_API_KEY).
    remoteUrl_ = new QLineEdit(settings.value("remote/url").toString());
    remoteUrl_->setPlaceholderText(tr("http://host:8000/v1 of vLLM, SGLang, llama-server or folio serve (optional)"));
    remoteModel_ = new QComboBox;
    remoteModel_->setEditable(true);
    remoteModel_->setCurrentText(settings.value("remote/model").toString());
    remoteModel_->lineEdit()->setPlaceholderText(tr("the first the server lists"));
    testConnection_ = new QPushButton(tr("Test connection"));
    testConnection_->setToolTip(tr("Asks the server for its models, with the key file and timeouts below"));
    connect(testConnection_, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    connectionStatus_ = new QLabel;
    connectionStatus_->setWordWrap(true);
    remoteKeyFile_ = new QLineEdit(settings.value("remote/apiKeyFile").toString());
    remoteKeyFile_->setPlaceholderText(tr("a file whose first line is the key (else FOLIO_REMOTE_API_KEY)"));
    connectTimeout_ = new QSpinBox;
    connectTimeout_->setRange(1, 600);
    connectTimeout_->setSuffix(tr(" s"));
    connectTimeout_->setValue(settings.value("remote/connectTimeout", 10).toInt());
    readTimeout_ = new QSpinBox;
    readTimeout_->setRange(1, 24 * 3600);
    readTimeout_->setSuffix(tr(" s"));
    readTimeout_->setValue(settings.value("remote/readTimeout", 600).toInt());
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(model_, 1);
    modelRow->addWidget(browse);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Worker threads (ingest, analysis)"), threads_);
    form->addRow(tr("Clauses shown from confidence"), confidence_);
    form->addRow(tr("Workspace opened at start"), workspace_);
    form->addRow(tr("Model file"), modelRow);
    form->addRow(tr("Context cache disk budget"), cacheBudget_);
    form->addRow(tr("Attention"), attention_);
    auto* remoteRow = new QHBoxLayout;
    remoteRow->addWidget(remoteUrl_, 1);
    remoteRow->addWidget(testConnection_);
    form->addRow(tr("Remote engine URL"), remoteRow);
    form->addRow(QString(), connectionStatus_);
    form->addRow(tr("Remote model"), remoteModel_);
    form->addRow(tr("Remote API key file"), remoteKeyFile_);
    form->addRow(tr("Remote connect timeout"), connectTimeout_);
    form->addRow(tr("Remote read timeout"), readTimeout_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

SettingsDialog::~SettingsDialog()
{
    // The test is bounded by the connect and read timeouts; its answer is dropped with this dialog.
    if (probe_) probe_->wait();
}

void SettingsDialog::testConnection()
{
    if (probe_ || remoteUrl_->text().trimmed().isEmpty()) return;
    testConnection_->setEnabled(false);
    connectionStatus_->setText(tr("Connecting..."));
    remote::RemoteOptions options;
    options.url = remoteUrl_->text().trimmed().toStdString();
    options.connectTimeoutSeconds = connectTimeout_->value();
    // The model list comes at once from a live server: a silent one should not hold the dialog for the read
    // timeout that a long prefill needs.
    options.readTimeoutSeconds = std::min(readTimeout_->value(), 30);
    const std::string keyFile = remoteKeyFile_->text().trimmed().toStdString();
    probe_ = QThread::create([this, options, keyFile]() mutable {
        QStringList models;
        QString status;
        try {
            options.apiKey = remote::readApiKey(keyFile);
            remote::OpenAiClient client(options);
            for (const auto& m : client.models()) {
                models << QString::fromStdString(m.id);
                status += (status.isEmpty() ? "" : ", ") +
                          (m.contextLength ? tr("%1 (context %L2 tokens)").arg(QString::fromStdString(m.id)).arg(m.contextLength)
                                           : QString::fromStdString(m.id));
            }
            status = models.isEmpty() ? tr("Connected, but the server lists no model.") : tr("Connected: %1").arg(status);
        } catch (const std::exception& e) {
            status = tr("Failed: %1").arg(QString::fromStdString(e.what()));
        }
        QMetaObject::invokeMethod(this, [this, models, status] {
            probe_->wait();
            delete probe_;
            probe_ = nullptr;
            const QString chosen = remoteModel_->currentText();
            remoteModel_->clear();
            remoteModel_->addItems(models);
            remoteModel_->setCurrentText(chosen.isEmpty() && !models.isEmpty() ? models.first() : chosen);
            connectionStatus_->setText(status);
            testConnection_->setEnabled(true);
            emit connectionTested(!models.isEmpty());
        }, Qt::QueuedConnection);
    });
    probe_->start();
}

void SettingsDialog::save() const
{
    QSettings settings;
    settings.setValue("jobs/threads", threads_->value());
    settings.setValue("analysis/minConfidence", confidence_->value());
    settings.setValue("session/workspace", workspace_->text());
    settings.setValue("engine/model", model_->text());
    settings.setValue("cache/diskBudgetMiB", cacheBudget_->value());
    settings.setValue("engine/attention", attention_->currentData());
    settings.setValue("remote/url", remoteUrl_->text().trimmed());
    settings.setValue("remote/model", remoteModel_->currentText().trimmed());
    settings.setValue("remote/apiKeyFile", remoteKeyFile_->text().trimmed());
    settings.setValue("remote/connectTimeout", connectTimeout_->value());
    settings.setValue("remote/readTimeout", readTimeout_->value());
}

}  // namespace folio::ui
