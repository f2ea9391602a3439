#pragma once

// Answers one parsed chat or completion request on an httplib response: whole, or as server-sent events.

#include "folio/serve/engine_worker.h"
#include "folio/serve/request_queue.h"

#include <functional>
#include <string>

namespace httplib {
struct Response;
}

namespace folio::serve {

struct GenerationContext {
    EngineWorker& engine;
    RequestQueue& queue;
    std::function<void(const std::string&)> log;
};

// Throws ApiError for what is refused before anything is sent (the prompt, a full queue); errors once a
// stream has begun are sent as an error event and end the stream.
void answerGeneration(GenerationContext& ctx, const GenerationRequest& request, httplib::Response& res);

}  // namespace folio::serve
