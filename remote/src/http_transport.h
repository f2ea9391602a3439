#pragma once

// One HTTP exchange with the remote at a time, over libcurl: JSON requests, responses kept whole or handed over
// in pieces as they arrive (streams), the connect and read timeouts of RemoteOptions, and a cancel flag that
// closes the connection. Transport failures throw RemoteError with status 0.

#include "folio/remote/remote_options.h"

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

namespace folio::remote {

struct HttpResult {
    long status = 0;
    std::string body;        // whole, unless a 2xx response went to onData
    bool cancelled = false;  // the cancel flag closed the connection
};

class HttpTransport {
public:
    explicit HttpTransport(RemoteOptions options);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // "http://host:8000" without "/v1" or a trailing slash: paths are appended to it.
    const std::string& base() const { return base_; }

    HttpResult get(const std::string& path);
    // A 2xx body goes to `onData` as it arrives when one is given; an error body is always kept whole.
    HttpResult post(const std::string& path, const std::string& json, const std::function<void(std::string_view)>& onData = {},
                    const std::atomic<bool>* cancel = nullptr);
    // The API key replaced by "***" wherever it appears, for anything that may be shown.
    std::string redact(std::string text) const;

private:
    HttpResult perform(const std::string& path, const std::string* json, const std::function<void(std::string_view)>& onData,
                       const std::atomic<bool>* cancel);

    RemoteOptions options_;
    std::string base_;
    void* curl_ = nullptr;  // CURL*, reused so the connection is kept alive between requests
};

}  // namespace folio::remote
