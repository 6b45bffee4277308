#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "tests/support/temp_dir.hpp"
#include "transport/result_store.hpp"

using namespace tether::transport;

namespace {
std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }
}  // namespace

TEST_CASE("stored chunks are appended in order and their progress survives a restart", "[result_store]") {
  tether::testing::temp_dir dir;
  {
    result_store store(dir.path);
    CHECK(store.append("ams-1", 7, 0, bytes("hello ")).empty());
    CHECK(store.append("ams-1", 7, 1, bytes("world")).empty());
    CHECK_FALSE(store.append("ams-1", 7, 3, bytes("gap")).empty());
    CHECK(store.finish("ams-1", 7, 2, end_status::ok).empty());
  }
  result_store again(dir.path);
  const auto [p, error] = again.progress("ams-1", 7);
  CHECK(error.empty());
  CHECK(p.next_sequence == 3);
  CHECK(p.bytes == 11);
  CHECK(p.finished);
  CHECK(read_all(again.data_path("ams-1", 7)) == "hello world");
  CHECK_FALSE(again.append("ams-1", 7, 3, bytes("after end")).empty());
  struct stat st {};
  REQUIRE(::stat(again.data_path("ams-1", 7).c_str(), &st) == 0);
  CHECK((st.st_mode & 077) == 0);
}

TEST_CASE("bytes written after the last recorded chunk are cut off on recovery", "[result_store]") {
  tether::testing::temp_dir dir;
  {
    result_store store(dir.path);
    REQUIRE(store.append("ams-1", 9, 0, bytes("kept")).empty());
  }
  // A crash between the data fsync and the progress record leaves unrecorded bytes.
  std::ofstream(dir.path / "ams-1" / "result-9.data", std::ios::app) << "torn";
  result_store again(dir.path);
  CHECK(again.progress("ams-1", 9).first.next_sequence == 1);
  CHECK(read_all(again.data_path("ams-1", 9)) == "kept");
  CHECK(again.append("ams-1", 9, 1, bytes("+next")).empty());
  CHECK(read_all(again.data_path("ams-1", 9)) == "kept+next");
}

TEST_CASE("an unknown result starts at sequence 0", "[result_store]") {
  tether::testing::temp_dir dir;
  result_store store(dir.path);
  const auto [p, error] = store.progress("ams-1", 1);
  CHECK(error.empty());
  CHECK(p.next_sequence == 0);
  CHECK_FALSE(p.finished);
}

TEST_CASE("written chunks count only once synced: without a sync a restart cuts them off", "[result_store]") {
  tether::testing::temp_dir dir;
  {
    result_store store(dir.path);
    REQUIRE(store.write("ams-1", 5, 0, bytes("one ")).empty());
    REQUIRE(store.write("ams-1", 5, 1, bytes("two ")).empty());
    CHECK(store.unsynced_bytes() == 8);
    CHECK(store.progress("ams-1", 5).first.next_sequence == 2);  // this process knows them
    REQUIRE(store.sync().empty());
    CHECK(store.unsynced_bytes() == 0);
    REQUIRE(store.write("ams-1", 5, 2, bytes("three")).empty());
    REQUIRE(store.write_end("ams-1", 5, 3, end_status::ok).empty());
  }  // gone before the second sync: as after a crash
  result_store again(dir.path);
  const auto [p, error] = again.progress("ams-1", 5);
  CHECK(error.empty());
  CHECK(p.next_sequence == 2);
  CHECK_FALSE(p.finished);
  CHECK(read_all(again.data_path("ams-1", 5)) == "one two ");
  REQUIRE(again.write("ams-1", 5, 2, bytes("three")).empty());
  REQUIRE(again.write_end("ams-1", 5, 3, end_status::ok).empty());
  REQUIRE(again.sync().empty());
  result_store third(dir.path);
  CHECK(third.progress("ams-1", 5).first.finished);
  CHECK(read_all(third.data_path("ams-1", 5)) == "one two three");
}

TEST_CASE("a finished result is forgotten in memory once synced and read back when asked",
          "[result_store]") {
  tether::testing::temp_dir dir;
  result_store store(dir.path);
  for (std::uint64_t id = 1; id <= 50; ++id) {
    REQUIRE(store.append("ams-1", id, 0, bytes("result " + std::to_string(id))).empty());
    REQUIRE(store.finish("ams-1", id, 1, end_status::ok).empty());
  }
  REQUIRE(store.append("ams-1", 51, 0, bytes("still running")).empty());
  CHECK(store.remembered() == 1);
  const auto [p, error] = store.progress("ams-1", 7);  // e.g. a duplicate after a reconnect
  CHECK(error.empty());
  CHECK(p.finished);
  CHECK(p.next_sequence == 2);
  CHECK(read_all(store.data_path("ams-1", 7)) == "result 7");
  CHECK_FALSE(store.append("ams-1", 7, 1, bytes("after end")).empty());
}
