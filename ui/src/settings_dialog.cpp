#include "folio/ui/settings_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

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
    // The key itself is never stored: only the file it is read from (else FOLIO_REMOTE_API_KEY).
    remoteUrl_ = new QLineEdit(settings.value("remote/url").toString());
    remoteUrl_->setPlaceholderText(tr("http://host:8000/v1 of vLLM, SGLang, llama-server or folio serve (optional)"));
    remoteModel_ = new QLineEdit(settings.value("remote/model").toString());
    remoteModel_->setPlaceholderText(tr("the first the server lists"));
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
    form->addRow(tr("Remote engine URL"), remoteUrl_);
    form->addRow(tr("Remote model"), remoteModel_);
    form->addRow(tr("Remote API key file"), remoteKeyFile_);
    form->addRow(tr("Remote connect timeout"), connectTimeout_);
    form->addRow(tr("Remote read timeout"), readTimeout_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void SettingsDialog::save() const
{
    QSettings settings;
    settings.setValue("jobs/threads", threads_->value());
    settings.setValue("analysis/minConfidence", confidence_->value());
    settings.setValue("session/workspace", workspace_->text());
    settings.setValue("engine/model", model_->text());
    settings.setValue("cache/diskBudgetMiB", cacheBudget_->value());
    settings.setValue("remote/url", remoteUrl_->text().trimmed());
    settings.setValue("remote/model", remoteModel_->text().trimmed());
    settings.setValue("remote/apiKeyFile", remoteKeyFile_->text().trimmed());
    settings.setValue("remote/connectTimeout", connectTimeout_->value());
    settings.setValue("remote/readTimeout", readTimeout_->value());
}

}  // namespace folio::ui
