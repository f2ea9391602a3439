#include "folio/ui/workbench.h"

#include "folio/app/workspace_store.h"
#include "folio/ui/main_window.h"

#include <QApplication>
#include <QMessageBox>
#include <QSettings>

namespace folio::ui {

int runWorkbench(const std::string& workspaceDir)
{
    QApplication::setApplicationName("Folio");
    QApplication::setOrganizationName("Folio");
    try {
        QString dir = QString::fromStdString(workspaceDir);
        const bool resume = dir.isEmpty();
        if (resume)
            dir = QSettings().value("session/workspace",
                                    QString::fromStdString(app::WorkspaceStore::defaultWorkspaceDir().string())).toString();
        MainWindow window(dir);
        if (resume) window.restoreSession();
        window.show();
        return QApplication::exec();
    } catch (const std::exception& e) {
        QMessageBox::critical(nullptr, "Folio", QString::fromStdString(e.what()));
        return 1;
    }
}

}  // namespace folio::ui
