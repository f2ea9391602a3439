#include "http_transport.h"

#include "folio/remote/remote_error.h"

#include <curl/curl.h>

#include <chrono>
#include <exception>
#include <mutex>

namespace folio::remote {

namespace {

std::string trimBase(std::string url)
{
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.size() >= 3 && url.compare(url.size() - 3, 3, "/v1") == 0) url.resize(url.size() - 3);
    return url;
}

struct Exchange {
    CURL* curl = nullptr;
    const std::function<void(std::string_view)>* onData = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    HttpResult result;
    std::exception_ptr failure;  // thrown by onData: kept, since nothing may be thrown through libcurl
    // The read timeout, kept here: libcurl's low-speed limit averages over seconds of the request's own upload.
    std::chrono::steady_clock::time_point lastData = std::chrono::steady_clock::now();
    std::chrono::seconds readTimeout{0};
    bool timedOut = false;
};

size_t onBody(char* data, size_t size, size_t count, void* user)
{
    auto* x = static_cast<Exchange*>(user);
    const size_t n = size * count;
    x->lastData = std::chrono::steady_clock::now();
    long status = 0;
    curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
    if (x->onData && *x->onData && status >= 200 && status < 300) {
        try {
            (*x->onData)(std::string_view(data, n));
        } catch (...) {
            x->failure = std::current_exception();
            return 0;  // ends the transfer
        }
    } else
        x->result.body.append(data, n);
    return n;
}

// Called at least about once a second, also while nothing arrives, so Stop closes the stream within a second
// and the read timeout is kept to about a second. Until the request is sent, the read timeout does not run.
int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t uploadTotal, curl_off_t uploaded)
{
    auto* x = static_cast<Exchange*>(user);
    if (x->cancel && x->cancel->load()) return 1;
    const auto now = std::chrono::steady_clock::now();
    if (uploaded < uploadTotal) x->lastData = now;
    if (now - x->lastData > x->readTimeout) {
        x->timedOut = true;
        return 1;
    }
    return 0;
}

}  // namespace

HttpTransport::HttpTransport(RemoteOptions options) : options_(std::move(options)), base_(trimBase(options_.url))
{
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (base_.rfind("http://", 0) != 0 && base_.rfind("https://", 0) != 0)
        throw RemoteError("remote " + options_.url + ": the URL must begin with http:// or https://");
    curl_ = curl_easy_init();
    if (!curl_) throw RemoteError("remote " + base_ + ": libcurl could not start a session");
}

HttpTransport::~HttpTransport()
{
    curl_easy_cleanup(static_cast<CURL*>(curl_));
}

std::string HttpTransport::redact(std::string text) const
{
    if (options_.apiKey.empty()) return text;
    for (std::size_t at = text.find(options_.apiKey); at != std::string::npos; at = text.find(options_.apiKey, at + 3))
        text.replace(at, options_.apiKey.size(), "***");
    return text;
}

HttpResult HttpTransport::get(const std::string& path)
{
    return perform(path, nullptr, {}, nullptr);
}

HttpResult HttpTransport::post(const std::string& path, const std::string& json, const std::function<void(std::string_view)>& onData,
                               const std::atomic<bool>* cancel)
{
    return perform(path, &json, onData, cancel);
}

HttpResult HttpTransport::perform(const std::string& path, const std::string* json,
                                  const std::function<void(std::string_view)>& onData, const std::atomic<bool>* cancel)
{
    CURL* curl = static_cast<CURL*>(curl_);
    curl_easy_reset(curl);
    Exchange x{curl, &onData, cancel, {}, {}, std::chrono::steady_clock::now(), std::chrono::seconds(options_.readTimeoutSeconds)};
    char error[CURL_ERROR_SIZE] = {};
    const std::string url = base_ + path;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json, text/event-stream");
    if (json) headers = curl_slist_append(headers, "Content-Type: application/json");
    const std::string authorization = "Authorization: Bearer " + options_.apiKey;
    if (!options_.apiKey.empty()) headers = curl_slist_append(headers, authorization.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (json) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json->data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(json->size()));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, long(options_.connectTimeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // No redirects: one would carry the key to whatever host it names.
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &x.result.status);
    if (x.failure) std::rethrow_exception(x.failure);
    if (x.timedOut)
        throw RemoteError(redact("remote " + base_ + path + ": no data for " + std::to_string(options_.readTimeoutSeconds) +
                                 " s (the read timeout)"), 0);
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        x.result.cancelled = true;
        return std::move(x.result);
    }
    if (code != CURLE_OK) {
        std::string why = error[0] ? error : curl_easy_strerror(code);
        if (code == CURLE_OPERATION_TIMEDOUT)
            why = "no connection within " + std::to_string(options_.connectTimeoutSeconds) + " s (the connect timeout)";
        throw RemoteError(redact("remote " + base_ + ": " + why), 0);
    }
    return std::move(x.result);
}

}  // namespace folio::remote
