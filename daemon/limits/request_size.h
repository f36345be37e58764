// The size of an HTTP request head as it came over the wire (request line
// plus header fields), for limits.max_header_bytes. Poco 1.11 has no setting
// for it (HTTPServerParams has none); its fixed caps are 100 fields, 256-byte
// names, 8 KiB values and a 16 KiB URI, so a head can reach ~860 KB. The
// router answers 431 above the configured limit.
#pragma once

#include <Poco/Net/HTTPRequest.h>

#include <cstddef>

namespace chatd::limits {

// Bytes of "METHOD URI VERSION\r\n", every "Name: value\r\n" and the final "\r\n".
std::size_t requestHeadBytes(const Poco::Net::HTTPRequest& request);

}  // namespace chatd::limits
