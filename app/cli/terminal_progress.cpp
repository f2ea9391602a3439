#include "terminal_progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace folio::cli {

TerminalProgress::TerminalProgress() : enabled_(isatty(STDERR_FILENO) == 1) {}

TerminalProgress::~TerminalProgress()
{
    finish();
}

void TerminalProgress::update(const std::string& label, std::uint64_t done, std::uint64_t total,
                              const std::string& current)
{
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    winsize ws{};
    const int columns = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    constexpr int barWidth = 24;
    const int filled = total ? int(barWidth * done / total) : barWidth;
    std::string line = label + " [" + std::string(std::size_t(filled), '#')
        + std::string(std::size_t(barWidth - filled), '.') + "] " + std::to_string(done) + "/" + std::to_string(total)
        + " ";
    const int room = columns - 1 - int(line.size());
    if (room > 3) line += current.size() > std::size_t(room) ? "..." + current.substr(current.size() - std::size_t(room) + 3) : current;
    line.resize(std::size_t(std::max(0, columns - 1)), ' ');
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void TerminalProgress::finish()
{
    if (enabled_ && drawn_) {
        std::fprintf(stderr, "\n");
        drawn_ = false;
    }
}

}  // namespace folio::cli
