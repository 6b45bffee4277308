// libFuzzer target for the redactor. Invariants checked on every input:
//  1. no crash, no sanitizer report;
//  2. feeding the input in chunks (cut where the input's first bytes say) gives exactly
//     the output of feeding it whole, with the default line cap and with a tiny one;
//  3. with no redaction the output is byte-identical to the input;
//  4. the output has exactly as many line breaks as the input (secrets never span them);
//  5. no `$1$`, `$5$`, `$6$`, `$8$` or `$9$` survives: each occurrence in the input is inside
//     a crypt-string span (or a whole over-long line) and tokens contain no `$`.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collectors/redactor.hpp"

namespace {

using tether::collectors::redactor;
using tether::collectors::site_key;

site_key fuzz_key() {
  site_key::bytes bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
  return site_key(bytes);
}

struct result {
  std::string out;
  std::size_t redactions = 0;
};

result run(std::string_view text, std::size_t max_line, std::string_view cuts) {
  redactor r(fuzz_key(), max_line);
  result res;
  std::size_t from = 0;
  for (unsigned char c : cuts) {
    std::size_t to = std::min(text.size(), from + c);
    r.feed(text.substr(from, to - from), res.out);
    from = to;
  }
  r.feed(text.substr(from), res.out);
  r.finish(res.out);
  res.redactions = r.redactions();
  return res;
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first up to 8 bytes choose the chunk lengths; all bytes are also the text.
  std::string_view cuts = input.substr(0, std::min<std::size_t>(8, input.size()));
  for (std::size_t max_line : {redactor::default_max_line, std::size_t{16}}) {
    result whole = run(input, max_line, {});
    result chunked = run(input, max_line, cuts);
    check(whole.out == chunked.out);
    check(whole.redactions == chunked.redactions);
    if (whole.redactions == 0) check(whole.out == input);
    check(std::count(whole.out.begin(), whole.out.end(), '\n') ==
          std::count(input.begin(), input.end(), '\n'));
    for (std::string_view scheme : {"$1$", "$5$", "$6$", "$8$", "$9$"}) {
      check(whole.out.find(scheme) == std::string::npos);
    }
  }
  return 0;
}
