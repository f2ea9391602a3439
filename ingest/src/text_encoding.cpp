#include "folio/ingest/text_encoding.h"

#include <QString>

#include <cstdio>

namespace folio::ingest {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i)
{
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t min = 0;
    if (b < 0x80) return 1;
    if ((b & 0xE0) == 0xC0) { len = 2; min = 0x80; }
    else if ((b & 0xF0) == 0xE0) { len = 3; min = 0x800; }
    else if ((b & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
    else return 0;
    if (i + len > s.size()) return 0;
    char32_t cp = b & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return len;
}

}  // namespace

bool isValidUtf8(std::string_view bytes)
{
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t len = utf8SequenceLength(bytes, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::string toUtf8Text(std::string_view bytes, bool* converted)
{
    const bool valid = isValidUtf8(bytes);
    if (converted) *converted = !valid;
    if (valid) return std::string(bytes);
    return QString::fromLatin1(bytes.data(), qsizetype(bytes.size())).toStdString();
}

std::string escapeInvalidUtf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t len = utf8SequenceLength(bytes, i);
        if (len == 0) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(bytes[i]));
            out += buf;
            ++i;
        } else {
            out.append(bytes.substr(i, len));
            i += len;
        }
    }
    return out;
}

bool looksBinary(std::string_view bytes)
{
    return bytes.substr(0, 8000).find('\0') != std::string_view::npos;
}

}  // namespace folio::ingest
