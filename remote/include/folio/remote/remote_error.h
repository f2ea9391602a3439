#pragma once

#include <stdexcept>
#include <string>

namespace folio::remote {

// A request the remote refused or could not answer. `status` is the HTTP status, or 0 when no answer came
// (no connection, a timeout). The message names the remote and says why, in the server's own words when it sent
// an error object, and never contains the API key.
class RemoteError : public std::runtime_error {
public:
    RemoteError(const std::string& message, long status = 0) : std::runtime_error(message), status_(status) {}
    long status() const { return status_; }

private:
    long status_;
};

}  // namespace folio::remote
