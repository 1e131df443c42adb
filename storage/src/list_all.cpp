#include <kb/storage/helpers.hpp>

namespace kb::storage {

awaitable<std::vector<object_info>> list_all(backend& b, std::string prefix) {
    std::vector<object_info> all;
    std::optional<std::string> token;
    do {
        auto page = co_await b.list(prefix, token);
        for (auto& o : page.objects) all.push_back(std::move(o));
        token = std::move(page.next_token);
    } while (token);
    co_return all;
}

}  // namespace kb::storage
