#include "folio/remote/remote_options.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace folio::remote {

std::string readApiKey(const std::string& file)
{
    if (file.empty()) {
        const char* env = std::getenv("FOLIO_REMOTE_API_KEY");
        return env ? env : "";
    }
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file + ": the API key file cannot be read");
    std::string key;
    std::getline(in, key);
    while (!key.empty() && (key.back() == '\r' || key.back() == ' ' || key.back() == '\t')) key.pop_back();
    if (key.empty()) throw std::runtime_error(file + ": the API key file's first line is empty");
    return key;
}

}  // namespace folio::remote
