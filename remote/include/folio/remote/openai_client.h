#pragma once

// A client of an OpenAI-compatible engine: vLLM, SGLang, llama-server or `folio serve`. It lists the models
// (`/v1/models`, with the context length where the server says it: vLLM's and SGLang's `max_model_len`,
// llama-server's `meta.n_ctx_train`), counts a prompt's tokens (vLLM's `/tokenize`), and streams chat
// (`/v1/chat/completions`) and plain completions (`/v1/completions`, how fill-in-the-middle prompts are sent:
// vLLM takes no `suffix`, so the caller writes the FIM markup into the prompt). Answers stream as server-sent
// events with `stream_options.include_usage`, so the usage, and the prompt tokens the server's prefix cache
// served (`prompt_tokens_details.cached_tokens`), come with the last chunk.
//
// One request at a time per client; a client is cheap, and keeps its connection alive between requests.

#include "folio/remote/remote_error.h"
#include "folio/remote/remote_options.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace folio::remote {

struct RemoteModel {
    std::string id;
    std::int64_t contextLength = 0;  // 0: the server does not say
};

struct RemoteMessage {
    std::string role;  // "system", "user" or "assistant"
    std::string content;
};

struct RemoteRequest {
    int maxTokens = 512;
    double temperature = 0;
    double topP = 1;
    std::optional<std::uint64_t> seed;
    std::vector<std::string> stop;
    // Sent as chat_template_kwargs.enable_thinking (vLLM, SGLang, folio serve) when set.
    std::optional<bool> enableThinking;
};

struct RemoteUsage {
    std::int64_t promptTokens = 0, completionTokens = 0;
    std::optional<std::int64_t> cachedTokens;  // absent when the server does not report it
};

struct RemoteResult {
    std::string text;       // the answer (chat: `content`)
    std::string reasoning;  // chat: `reasoning_content` (or `reasoning`) when the server splits the thinking off
    std::string finishReason;
    std::optional<RemoteUsage> usage;
    double secondsToFirstToken = -1;  // -1: nothing came
    double seconds = 0;
    bool cancelled = false;  // the cancel flag closed the stream
};

struct TokenCount {
    std::int64_t tokens = 0;
    std::int64_t contextLength = 0;  // the server's `max_model_len` when it sent one, else 0
};

class OpenAiClient {
public:
    // Throws RemoteError when the URL is not http:// or https://.
    explicit OpenAiClient(RemoteOptions options);
    ~OpenAiClient();

    const std::string& url() const;  // without "/v1"

    std::vector<RemoteModel> models();
    // The tokens of a chat prompt as the server's template makes it, with the generation prompt; nothing when the
    // server has no /tokenize (llama-server and SGLang expose other shapes).
    std::optional<TokenCount> countChatTokens(const std::string& model, const std::vector<RemoteMessage>& messages);

    using Sink = std::function<void(std::string_view)>;
    RemoteResult chat(const std::string& model, const std::vector<RemoteMessage>& messages, const RemoteRequest& request,
                      const Sink& onReasoning, const Sink& onText, const std::atomic<bool>* cancel = nullptr);
    RemoteResult complete(const std::string& model, const std::string& prompt, const RemoteRequest& request,
                          const Sink& onText, const std::atomic<bool>* cancel = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace folio::remote
