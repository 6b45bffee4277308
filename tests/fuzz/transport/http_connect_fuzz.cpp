// libFuzzer target: the proxy's answer to CONNECT is read from an untrusted peer, and the
// proxy URL comes from the environment. Neither parser may crash, and the answer parser
// must be consistent when fed byte by byte, as http_connect() does.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "transport/http_connect.hpp"

using namespace tether::transport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto url = parse_proxy_url(input);
  if (url.value && (url.value->host.empty() || url.value->port == 0)) std::abort();
  if (!url.value && url.error.rfind("proxy URL: ", 0) != 0) std::abort();
  // Byte by byte, like the client: the first final verdict must equal the verdict on the
  // same prefix, and no verdict may come after more than the size limit.
  std::string header;
  for (char c : input) {
    header.push_back(c);
    const auto r = parse_connect_reply(header);
    if (r.status == connect_reply::state::incomplete) {
      if (header.size() >= max_connect_reply_size) std::abort();
      continue;
    }
    if (r.status != connect_reply::state::malformed && (r.code < 100 || r.code > 999)) std::abort();
    break;
  }
  return 0;
}
