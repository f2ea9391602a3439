// The main window's part of the deviations view: building the report from the workspace for the chosen baseline.

#include "folio/ui/deviations_view.h"
#include "folio/ui/main_window.h"

#include <QStatusBar>

namespace folio::ui {

DeviationsView* MainWindow::showDeviations(qint64 referenceDocument)
{
    if (!deviations_) {
        deviations_ = new DeviationsView(this);
        connect(deviations_, &DeviationsView::locationRequested, this, [this](const Location& l) {
            navigateTo(l);
            activateWindow();
        });
        connect(deviations_, &DeviationsView::referenceChosen, this, [this](qint64 id) { showDeviations(id); });
    }
    try {
        const auto reference = referenceDocument ? std::optional<std::int64_t>(referenceDocument) : std::nullopt;
        deviations_->setReport(app::DeviationReport::build(*store_, *analysis_, 0.5, reference));
    } catch (const std::exception& e) {
        // The store changed under the window (a source removed): say why instead of showing a stale report.
        statusBar()->showMessage(QString::fromStdString(e.what()));
    }
    deviations_->show();
    deviations_->raise();
    return deviations_;
}

}  // namespace folio::ui
