#include <catch2/catch.hpp>

#include "transport/message_text.hpp"

using tether::transport::message_text;

TEST_CASE("a protocol message is valid UTF-8 without control bytes, cut on a character boundary",
          "[message_text]") {
  CHECK(message_text("dev001 is not\tin the \x1b[31minventory\n") == "dev001 is not?in the ?[31minventory?");
  CHECK(message_text("caf\xc3\xa9 \xff") == "caf\xc3\xa9 \xef\xbf\xbd");
  const std::string long_text = std::string(1023, 'a') + "\xc3\xa9" + "tail";
  const auto cut = message_text(long_text);
  CHECK(cut.size() == 1023);  // the two-byte character does not fit: cut before it
  CHECK(message_text(long_text, 2000) == long_text);
  CHECK(message_text("").empty());
}
