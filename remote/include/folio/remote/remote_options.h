#pragma once

#include <string>

namespace folio::remote {

// Where a remote engine is and how long to wait for it. The API key is held only here, in memory: it is sent in
// the Authorization header and never written to the workspace, a log or an error message.
struct RemoteOptions {
    std::string url;             // "http://host:8000" or ".../v1"
    std::string apiKey;          // empty: none
    int connectTimeoutSeconds = 10;
    // How long the server may send nothing at all mid-request. It covers the remote's prefill before the first
    // token, so it is long by default.
    int readTimeoutSeconds = 600;
};

// The API key: the first line of `file` when one is given (it must exist), else the FOLIO_REMOTE_API_KEY
// variable, else none. Throws naming the file when it cannot be read or is empty.
std::string readApiKey(const std::string& file);

}  // namespace folio::remote
