#include "server_sent_events.h"

namespace folio::remote {

void ServerSentEvents::feed(std::string_view bytes)
{
    pending_.append(bytes);
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
        std::string_view l(pending_.data() + start, nl - start);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        line(l);
    }
    pending_.erase(0, start);
}

void ServerSentEvents::finish()
{
    if (!pending_.empty()) line(pending_);
    pending_.clear();
    line({});
}

void ServerSentEvents::line(std::string_view l)
{
    if (l.empty()) {
        if (hasData_) sink_(data_);
        data_.clear();
        hasData_ = false;
        return;
    }
    if (l.front() == ':' || l.substr(0, 5) != "data:") return;
    l.remove_prefix(5);
    if (!l.empty() && l.front() == ' ') l.remove_prefix(1);
    if (hasData_) data_ += '\n';
    data_.append(l);
    hasData_ = true;
}

}  // namespace folio::remote
