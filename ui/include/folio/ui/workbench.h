#pragma once

#include <string>

namespace folio::ui {

// Shows the main window on the workspace in `workspaceDir` and runs the event loop. Needs a QApplication.
int runWorkbench(const std::string& workspaceDir);

}  // namespace folio::ui
