#pragma once

#include <string>

namespace folio::ui {

// Shows the main window on the workspace in `workspaceDir` and runs the event loop. Needs a QApplication.
// An empty `workspaceDir` reopens the last session's workspace and document, or the default workspace.
int runWorkbench(const std::string& workspaceDir);

}  // namespace folio::ui
