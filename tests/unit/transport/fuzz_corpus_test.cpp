#include <catch2/catch.hpp>

#include <fstream>

#include "tests/unit/transport/sample_frames.hpp"

using namespace tether::transport;

namespace {
void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}
}  // namespace

// Hidden: run by hand (`transport_unit_tests "[.generate-corpus]"`) to rewrite the seeds.
TEST_CASE("the fuzz seed corpora hold one encoded frame of each type", "[.generate-corpus]") {
  const std::string dir = TETHER_SOURCE_DIR "/tests/fuzz/corpus/frame_decoder_fuzz/";
  std::vector<std::uint8_t> all;
  for (const auto& f : test::sample_frames()) {
    const auto bytes = test::encoded(f);
    write(dir + to_string(type_of(f)) + ".bin", bytes);
    all.insert(all.end(), bytes.begin(), bytes.end());
  }
  write(dir + "ALL.bin", all);
  write(TETHER_SOURCE_DIR "/tests/fuzz/corpus/stream_rules_fuzz/ALL.bin", all);
}

TEST_CASE("every committed seed decodes as frames of the sample set", "[frame_codec]") {
  const std::string path = TETHER_SOURCE_DIR "/tests/fuzz/corpus/frame_decoder_fuzz/ALL.bin";
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  frame_decoder d;
  d.feed(bytes);
  std::vector<frame> got;
  for (int guard = 0; guard < 100; ++guard) {
    auto r = d.next();
    REQUIRE(r.state != decode_result::status::error);
    if (r.state == decode_result::status::need_more) break;
    got.push_back(*r.value);
  }
  CHECK(got == test::sample_frames());
}
