#pragma once

#include <string>
#include <vector>

namespace folio::app {

// Migration i brings the schema from version i to i + 1 (PRAGMA user_version). Append, never edit: users'
// workspaces were made by the old steps.
const std::vector<std::string>& workspaceMigrations();

}  // namespace folio::app
