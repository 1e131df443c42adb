// Dispatch on the segment's format (see open_segment.hpp).
#include <kb/segments/oso_frames.hpp>

#include <kb/segments/open_segment.hpp>
#include <kb/storage/format/oso.hpp>

namespace kb::segments {

namespace sf = storage::format;

awaitable<sf::segment_reader> open_segment(storage::backend& b, std::string key,
                                           sf::segment_read_options opts) {
    if (sf::looks_like_oso_segment_key(key)) co_return co_await open_oso_segment(b, key, opts);
    co_return co_await sf::segment_reader::open(b, std::move(key), opts);
}

}  // namespace kb::segments
