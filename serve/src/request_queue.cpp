#include "folio/serve/request_queue.h"

#include <algorithm>

namespace folio::serve {

RequestQueue::RequestQueue(int parallel, int queue, std::function<std::unique_ptr<engine::Session>()> newSession)
    : capacity_(std::max(1, parallel) + std::max(0, queue))
{
    // Sessions are made up front: their memory is bounded by `parallel` from the start, and the first
    // requests do not pay for making them.
    for (int i = 0; i < std::max(1, parallel); ++i) idle_.push_back(newSession());
}

RequestQueue::~RequestQueue() = default;

std::shared_ptr<RequestQueue::Ticket> RequestQueue::admit()
{
    std::lock_guard lock(mutex_);
    if (admitted_ >= capacity_) return nullptr;
    ++admitted_;
    return std::make_shared<Ticket>(*this);
}

int RequestQueue::admitted() const
{
    std::lock_guard lock(mutex_);
    return admitted_;
}

std::unique_ptr<engine::Session> RequestQueue::take()
{
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return !idle_.empty(); });
    auto session = std::move(idle_.back());
    idle_.pop_back();
    return session;
}

void RequestQueue::give(std::unique_ptr<engine::Session> session)
{
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(session));
    }
    freed_.notify_one();
}

void RequestQueue::leave()
{
    std::lock_guard lock(mutex_);
    --admitted_;
}

}  // namespace folio::serve
