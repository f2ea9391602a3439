#include "folio/serve/api_error.h"

#include <nlohmann/json.hpp>

namespace folio::serve {

ApiError::ApiError(int status, std::string message, std::string type, std::string code, std::string param)
    : std::runtime_error(std::move(message)), status_(status), type_(std::move(type)), code_(std::move(code)),
      param_(std::move(param))
{
}

nlohmann::json ApiError::body() const
{
    using nlohmann::json;
    return {{"error", {{"message", what()}, {"type", type_},
                       {"param", param_.empty() ? json(nullptr) : json(param_)},
                       {"code", code_.empty() ? json(nullptr) : json(code_)}}}};
}

ApiError ApiError::badRequest(std::string message, std::string code, std::string param)
{
    return ApiError(400, std::move(message), "invalid_request_error", std::move(code), std::move(param));
}

ApiError ApiError::wrongType(const std::string& field, const std::string& expected)
{
    return badRequest("'" + field + "' must be " + expected, "invalid_type", field);
}

}  // namespace folio::serve
