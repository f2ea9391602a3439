#pragma once

// An error as the OpenAI API reports it: an HTTP status and {"error": {"message", "type", "param", "code"}}.
// Everything the server refuses is thrown or returned as one of these, so every refusal has the same shape.

#include <nlohmann/json_fwd.hpp>

#include <stdexcept>
#include <string>

namespace folio::serve {

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string message, std::string type, std::string code = {}, std::string param = {});

    int status() const { return status_; }
    const std::string& type() const { return type_; }
    const std::string& code() const { return code_; }
    const std::string& param() const { return param_; }
    nlohmann::json body() const;

    static ApiError badRequest(std::string message, std::string code, std::string param = {});
    // A field of the wrong JSON type: the message names the field and the type it must have.
    static ApiError wrongType(const std::string& field, const std::string& expected);

private:
    int status_;
    std::string type_, code_, param_;
};

}  // namespace folio::serve
