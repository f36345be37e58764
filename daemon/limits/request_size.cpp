#include "limits/request_size.h"

namespace chatd::limits {

std::size_t requestHeadBytes(const Poco::Net::HTTPRequest& request) {
    std::size_t bytes = request.getMethod().size() + 1 + request.getURI().size() + 1 + request.getVersion().size() + 2;
    for (const auto& [name, value] : request) bytes += name.size() + 2 + value.size() + 2;
    return bytes + 2;
}

}  // namespace chatd::limits
