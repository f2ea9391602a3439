#pragma once

// Admission and scheduling: at most `parallel` requests run at once, each on a Session of its own, and at
// most `queue` more wait for one. A request beyond that is refused at once (429), never dropped: admit()
// returns a ticket or nothing, and a ticket's holder waits for a session with acquire().

#include "folio/engine/session.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace folio::serve {

class RequestQueue {
public:
    class Lease;
    class Ticket;

    RequestQueue(int parallel, int queue, std::function<std::unique_ptr<engine::Session>()> newSession);
    ~RequestQueue();

    // A place in the queue, or null when `parallel + queue` requests are admitted already.
    std::shared_ptr<Ticket> admit();
    int admitted() const;

private:
    std::unique_ptr<engine::Session> take();
    void give(std::unique_ptr<engine::Session> session);
    void leave();

    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<engine::Session>> idle_;
    int admitted_ = 0;
    const int capacity_;
};

// A running request's session, given back when the lease ends.
class RequestQueue::Lease {
public:
    Lease(RequestQueue& queue, std::unique_ptr<engine::Session> session) : queue_(queue), session_(std::move(session)) {}
    ~Lease() { queue_.give(std::move(session_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    engine::Session& session() { return *session_; }

private:
    RequestQueue& queue_;
    std::unique_ptr<engine::Session> session_;
};

// An admitted request; it leaves the queue when the ticket is destroyed.
class RequestQueue::Ticket {
public:
    explicit Ticket(RequestQueue& queue) : queue_(queue) {}
    ~Ticket() { queue_.leave(); }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    // Waits for a free session.
    Lease acquire() { return Lease(queue_, queue_.take()); }

private:
    RequestQueue& queue_;
};

}  // namespace folio::serve
