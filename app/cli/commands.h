#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace folio::cli {

struct GlobalOptions {
    std::string workspace;  // "" = the default workspace
    bool json = false;
};

struct IngestArgs {
    std::vector<std::string> paths;
    std::string ref;
    bool workingTree = false;
    std::uint64_t maxFileSize = 2 * 1024 * 1024;
    int threads = 0;
    bool noCodeIndex = false;
};

struct LsArgs {
    std::int64_t source = 0;  // 0 = all
    bool problemsOnly = false;
};

struct SearchArgs {
    std::vector<std::string> words;
    int limit = 20;
};

struct ShowArgs {
    std::string document;
    int page = 0;  // 0 = all pages
    bool withRunningHeads = false;
};

// Each returns the process exit code: 0 success, 1 when something failed (and was reported on stderr).
int ingestCommand(const GlobalOptions& g, const IngestArgs& a);
int lsCommand(const GlobalOptions& g, const LsArgs& a);
int searchCommand(const GlobalOptions& g, const SearchArgs& a);
int showCommand(const GlobalOptions& g, const ShowArgs& a);
int sampleCommand(const GlobalOptions& g, const std::string& folder);
int infoCommand(const GlobalOptions& g);

}  // namespace folio::cli
