// Session transcripts on disk: private files, exact bytes, listing and lookup.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "agent/audit_event.hpp"
#include "agent/transcript_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::agent;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

transcript_request request(const std::string& window, std::uint64_t id) {
  return {window, id, "alice", "facts", nlohmann::ordered_json{{"lines", "5"}},
          {"dev001", "dev002"}, "2026-11-24T10:00:00.000Z", {"show version"}};
}

transcript_device device(const std::string& name, const std::string& document) {
  transcript_device d;
  d.device = name;
  d.status = "ok";
  d.started_at = "2026-11-24T10:00:00.100Z";
  d.ended_at = "2026-11-24T10:00:01.100Z";
  d.commands.push_back({{"command", "show version"}, {"status", "ok"}});
  d.sha256 = sha256_hex(document);
  d.bytes = document.size();
  return d;
}

}  // namespace

TEST_CASE("a transcript keeps the request and the exact document bytes in private files",
          "[transcript]") {
  tether::testing::temp_dir dir;
  transcript_store store(dir.path / "state");
  REQUIRE(store.begin_request(request("CHG-1", 7)).ok());
  const std::string doc = std::string("{\"x\":\"\xc3\xa9\"}\n", 11);
  REQUIRE(store.record_device("CHG-1", 7, device("dev001", doc), doc).ok());

  const auto folder = store.root() / "CHG-1" / "7";
  CHECK(mode_of(store.root()) == 0700);
  CHECK(mode_of(store.root() / "CHG-1") == 0700);
  CHECK(mode_of(folder) == 0700);
  CHECK(mode_of(folder / "request.json") == 0600);
  CHECK(mode_of(folder / "dev001.result") == 0600);
  CHECK(mode_of(store.root() / "index.jsonl") == 0600);
  CHECK(store.document("CHG-1", 7, "dev001") == doc);

  std::string error;
  const auto session = store.show(7, std::nullopt, error);
  REQUIRE(session);
  CHECK(session->request.engineer == "alice");
  CHECK(session->request.params["lines"] == "5");
  CHECK(session->request.commands == std::vector<std::string>{"show version"});
  REQUIRE(session->devices.size() == 1);  // dev002 has no result yet
  CHECK(session->devices[0].sha256 == sha256_hex(doc));
  CHECK(session->devices[0].bytes == doc.size());
}

TEST_CASE("a request id is recorded once per window", "[transcript]") {
  tether::testing::temp_dir dir;
  transcript_store store(dir.path);
  REQUIRE(store.begin_request(request("CHG-1", 1)).ok());
  CHECK(store.has_request("CHG-1", 1));
  CHECK_FALSE(store.has_request("CHG-2", 1));
  CHECK_FALSE(store.begin_request(request("CHG-1", 1)).ok());
  CHECK_FALSE(store.begin_request(request("../etc", 2)).ok());
  REQUIRE(store.begin_request(request("CHG-2", 1)).ok());

  std::string error;
  CHECK(store.list(std::nullopt, error).size() == 2);
  CHECK(store.list(std::string("CHG-2"), error).size() == 1);
  CHECK(error.empty());
  CHECK_FALSE(store.show(1, std::nullopt, error));
  CHECK(error.find("--window") != std::string::npos);
  CHECK(store.show(1, std::string("CHG-2"), error));
  CHECK_FALSE(store.show(9, std::nullopt, error));
}

TEST_CASE("a device result is never written twice or outside its request", "[transcript]") {
  tether::testing::temp_dir dir;
  transcript_store store(dir.path);
  REQUIRE(store.begin_request(request("CHG-1", 3)).ok());
  REQUIRE(store.record_device("CHG-1", 3, device("dev001", "a"), "a").ok());
  CHECK_FALSE(store.record_device("CHG-1", 3, device("dev001", "b"), "b").ok());
  CHECK_FALSE(store.record_device("CHG-1", 3, device("../x", "b"), "b").ok());
  CHECK(store.document("CHG-1", 3, "dev001") == "a");
}
