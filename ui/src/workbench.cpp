#include "folio/ui/workbench.h"

#include "folio/ui/main_window.h"

#include <QApplication>
#include <QMessageBox>

namespace folio::ui {

int runWorkbench(const std::string& workspaceDir)
{
    QApplication::setApplicationName("Folio");
    QApplication::setOrganizationName("Folio");
    try {
        MainWindow window(QString::fromStdString(workspaceDir));
        window.show();
        return QApplication::exec();
    } catch (const std::exception& e) {
        QMessageBox::critical(nullptr, "Folio", QString::fromStdString(e.what()));
        return 1;
    }
}

}  // namespace folio::ui
