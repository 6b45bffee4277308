#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/transport/sample_frames.hpp"

using namespace tether::transport;

namespace {

const std::string golden_path = TETHER_SOURCE_DIR "/tests/unit/transport/golden/sample_frames.hex";

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

/// One line per sample frame: its protocol name and its encoding in hex.
std::string render() {
  std::string out;
  for (const auto& f : test::sample_frames())
    out += std::string(to_string(type_of(f))) + " " + hex(test::encoded(f)) + "\n";
  return out;
}

}  // namespace

// Hidden: run by hand (`transport_unit_tests "[.generate-golden]"`) after a reviewed change
// of the wire format, then review the diff of the golden file.
TEST_CASE("the golden wire encodings are rewritten", "[.generate-golden]") {
  std::ofstream(golden_path, std::ios::trunc) << render();
}

TEST_CASE("the wire encoding of every frame type matches the reviewed golden file", "[frame_codec]") {
  std::ifstream in(golden_path);
  REQUIRE(in.good());
  std::stringstream golden;
  golden << in.rdbuf();
  CHECK(render() == golden.str());
}
