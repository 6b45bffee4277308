#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "transport/sha256.hpp"
#include "transport/spool.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::transport;
namespace fs = std::filesystem;

namespace {

using tether::testing::temp_dir;

std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

std::unique_ptr<spool> open_spool(const fs::path& path, spool_limits limits = {}) {
  auto opened = spool::open(path, limits);
  INFO(opened.error);
  REQUIRE(opened.value);
  return std::move(opened.value);
}

/// Runs `write` on the spool at `path` in a child process that then dies by SIGKILL without
/// closing anything; `write` returns false when a write failed.
void write_then_die(const fs::path& path, const std::function<bool(spool&)>& write) {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // no Catch2 in the child
    auto opened = spool::open(path);
    if (!opened.value) ::_exit(3);
    if (!write(*opened.value)) ::_exit(4);
    ::raise(SIGKILL);
    ::_exit(5);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
}

std::vector<chunk_id> ids(const spool& s) {
  auto listing = s.unacknowledged();
  REQUIRE(listing.error.empty());
  std::vector<chunk_id> out;
  for (const auto& c : listing.chunks) out.push_back(c.id);
  return out;
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("appended chunks are listed in append order with their digests", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto a = s->begin_result(7, "show-version", "r1");
  const auto b = s->begin_result(7, "show-version", "r2");
  REQUIRE(a.status == spool_status::ok);
  REQUIRE(b.status == spool_status::ok);
  CHECK(a.id.result_id != b.id.result_id);
  CHECK(s->append(a.id.result_id, bytes_of("a0")).id == chunk_id{a.id.result_id, 0});
  CHECK(s->append(b.id.result_id, bytes_of("b0")).id == chunk_id{b.id.result_id, 0});
  CHECK(s->append(a.id.result_id, bytes_of("a1")).id == chunk_id{a.id.result_id, 1});
  CHECK(s->finish(a.id.result_id, end_status::timeout, "no prompt").id ==
        chunk_id{a.id.result_id, 2});

  auto listing = s->unacknowledged();
  REQUIRE(listing.error.empty());
  REQUIRE(listing.chunks.size() == 4);
  CHECK(listing.chunks[0].bytes == bytes_of("a0"));
  CHECK(listing.chunks[0].sha256 == sha256(bytes_of("a0")));
  CHECK(listing.chunks[1].bytes == bytes_of("b0"));
  CHECK(listing.chunks[2].bytes == bytes_of("a1"));
  CHECK(listing.chunks[3].kind == chunk_kind::end);
  CHECK(listing.chunks[3].status == end_status::timeout);
  CHECK(listing.chunks[3].bytes == bytes_of("no prompt"));
  CHECK(s->unacknowledged(2).chunks.size() == 2);
  CHECK(s->used_bytes() == 6);
  CHECK(s->result(b.id.result_id) == spooled_result{b.id.result_id, 7, "show-version", "r2"});
}

TEST_CASE("an acknowledged chunk is deleted, and a result goes once its END is acknowledged", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  s->append(r, bytes_of("x0"));
  s->append(r, bytes_of("x1"));
  s->finish(r, end_status::ok, "");
  CHECK(s->acknowledge({r, 1}));
  CHECK_FALSE(s->acknowledge({r, 1}));  // already gone
  CHECK(ids(*s) == std::vector<chunk_id>{{r, 0}, {r, 2}});
  CHECK(s->chunk_count() == 2);
  CHECK(s->used_bytes() == 2);
  CHECK(s->acknowledge({r, 2}));
  CHECK(s->result(r));  // chunk 0 still waits
  CHECK(s->acknowledge({r, 0}));
  CHECK_FALSE(s->result(r));
  CHECK(ids(*s).empty());
  CHECK(s->chunk_count() == 0);
  CHECK(s->used_bytes() == 0);
  CHECK_FALSE(s->acknowledge({999, 0}));
  CHECK_FALSE(s->acknowledge({0, 0}));
}

TEST_CASE("nothing may be appended after a result's END or to an unknown result", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  REQUIRE(s->finish(r, end_status::ok, "").status == spool_status::ok);
  CHECK(s->append(r, bytes_of("late")).status == spool_status::finished);
  CHECK(s->finish(r, end_status::ok, "").status == spool_status::finished);
  CHECK(s->append(r + 100, bytes_of("x")).status == spool_status::unknown_result);
  CHECK(s->append(0, bytes_of("x")).status == spool_status::unknown_result);
  CHECK(s->begin_result(0, "c", "d").status == spool_status::unknown_result);
}

TEST_CASE("chunks must hold 1 to 64 KiB", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  CHECK(s->append(r, {}).status == spool_status::too_large);
  CHECK(s->append(r, std::vector<std::uint8_t>(max_chunk_size + 1)).status ==
        spool_status::too_large);
  CHECK(s->append(r, std::vector<std::uint8_t>(max_chunk_size)).status == spool_status::ok);
  CHECK(s->finish(r, end_status::ok, std::string(max_message_size + 1, 'x')).status ==
        spool_status::too_large);
}

TEST_CASE("a full spool refuses with a clear error until the console acknowledges", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db", {100});
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  REQUIRE(s->append(r, std::vector<std::uint8_t>(60, 'a')).status == spool_status::ok);
  const auto refused = s->append(r, std::vector<std::uint8_t>(41, 'b'));
  CHECK(refused.status == spool_status::full);
  CHECK_THAT(refused.message, Catch::Contains("spool full: 60 of 100 bytes"));
  CHECK(ids(*s).size() == 1);
  CHECK(s->append(r, std::vector<std::uint8_t>(40, 'b')).status == spool_status::ok);
  CHECK(s->finish(r, end_status::ok, "the END is not counted").status == spool_status::ok);
  REQUIRE(s->acknowledge({r, 0}));
  CHECK(s->append(s->begin_result(2, "c", "d").id.result_id, std::vector<std::uint8_t>(60, 'c'))
            .status == spool_status::ok);
}

TEST_CASE("closing without acknowledgement keeps every chunk for the next run", "[spool]") {
  temp_dir dir;
  const auto path = dir.path / "spool.db";
  std::uint64_t r = 0;
  {
    auto s = open_spool(path);
    r = s->begin_result(3, "show-interfaces", "r1").id.result_id;
    s->append(r, bytes_of("first"));
    s->append(r, bytes_of("second"));
    s->acknowledge({r, 0});
  }
  auto s = open_spool(path);
  CHECK(ids(*s) == std::vector<chunk_id>{{r, 1}});
  CHECK(s->used_bytes() == 6);
  CHECK(s->result(r) == spooled_result{r, 3, "show-interfaces", "r1"});
  CHECK(s->append(r, bytes_of("third")).id == chunk_id{r, 2});
  CHECK(s->begin_result(4, "c", "d").id.result_id > r);  // ids are never reused
}

TEST_CASE("a process killed right after appending loses nothing it appended", "[spool]") {
  temp_dir dir;
  const auto path = dir.path / "spool.db";
  write_then_die(path, [](spool& s) {
    const auto r = s.begin_result(9, "c", "d").id.result_id;
    for (int i = 0; i < 20; ++i)
      if (s.append(r, bytes_of("chunk " + std::to_string(i))).status != spool_status::ok) return false;
    return true;
  });

  auto s = open_spool(path);
  auto listing = s->unacknowledged();
  REQUIRE(listing.chunks.size() == 20);
  for (std::size_t i = 0; i < 20; ++i) {
    CHECK(listing.chunks[i].id.sequence == i);
    CHECK(listing.chunks[i].bytes == bytes_of("chunk " + std::to_string(i)));
  }
  SECTION("the run that died is ended as an agent error on restart") {
    REQUIRE(s->abandon_unfinished("agent restarted").status == spool_status::ok);
    const auto last = s->unacknowledged().chunks.back();
    CHECK(last.kind == chunk_kind::end);
    CHECK(last.id.sequence == 20);
    CHECK(last.status == end_status::agent_error);
  }
}

TEST_CASE("the spool file and its WAL are created readable by the owner only", "[spool]") {
  temp_dir dir;
  const auto path = dir.path / "spool.db";
  const auto old_mask = ::umask(0);  // even a permissive umask must not widen the mode
  auto s = open_spool(path);
  ::umask(old_mask);
  s->append(s->begin_result(1, "c", "d").id.result_id, bytes_of("x"));
  CHECK(mode_of(path) == 0600);
  REQUIRE(fs::exists(path.string() + "-wal"));
  CHECK(mode_of(path.string() + "-wal") == 0600);
}

TEST_CASE("a spool others may read, a symlink, or a foreign database is refused", "[spool]") {
  temp_dir dir;
  SECTION("group-readable file") {
    const auto path = dir.path / "spool.db";
    { std::ofstream(path).put('\0'); }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    auto opened = spool::open(path);
    CHECK_FALSE(opened.value);
    CHECK_THAT(opened.error, Catch::Contains("mode 0640") && Catch::Contains("chmod 600"));
  }
  SECTION("symlink") {
    open_spool(dir.path / "real.db");
    fs::create_symlink(dir.path / "real.db", dir.path / "link.db");
    auto opened = spool::open(dir.path / "link.db");
    CHECK_FALSE(opened.value);
    CHECK_THAT(opened.error, Catch::StartsWith("spool " + (dir.path / "link.db").string() + ": cannot open"));
  }
  SECTION("directory") {
    fs::create_directory(dir.path / "dir.db");
    CHECK_FALSE(spool::open(dir.path / "dir.db").value);
  }
  SECTION("not a database") {
    const auto path = dir.path / "junk.db";
    {
      std::ofstream out(path);
      out << std::string(4096, 'j');
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    auto opened = spool::open(path);
    CHECK_FALSE(opened.value);
    CHECK_THAT(opened.error, Catch::Contains("not a database"));
  }
}

TEST_CASE("one ACK frame's entries are deleted together, unknown ones counted out", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  for (int i = 0; i < 5; ++i) s->append(r, bytes_of("chunk"));
  const std::vector<chunk_id> acked = {{r, 0}, {r, 2}, {r, 9}, {0, 0}, {r, 4}};
  CHECK(s->acknowledge(acked) == 3);
  CHECK(ids(*s) == std::vector<chunk_id>{{r, 1}, {r, 3}});
  CHECK(s->used_bytes() == 10);
}

TEST_CASE("pending lists chunk references in order and chunk fetches one with its bytes", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  s->append(r, bytes_of("abc"));
  s->finish(r, end_status::device_error, "boom");
  const auto listing = s->pending();
  REQUIRE(listing.error.empty());
  REQUIRE(listing.refs.size() == 2);
  const auto first = listing.refs[0].position;
  CHECK(listing.refs == std::vector<chunk_ref>{{{r, 0}, chunk_kind::data, 3, first},
                                               {{r, 1}, chunk_kind::end, 4, first + 1}});
  const auto c = s->chunk({r, 1});
  REQUIRE(c);
  CHECK(c->kind == chunk_kind::end);
  CHECK(c->status == end_status::device_error);
  CHECK(c->bytes == bytes_of("boom"));
  CHECK(c->sha256 == sha256(bytes_of("boom")));
  CHECK_FALSE(s->chunk({r, 2}));
}

TEST_CASE("append_all cuts bytes into 64 KiB chunks committed together, or refuses them all", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db", spool_limits{200 * 1024});
  const auto r = s->begin_result(1, "show-log", "r1").id.result_id;
  REQUIRE(s->append(r, bytes_of("head")).status == spool_status::ok);
  std::vector<std::uint8_t> bytes(2 * max_chunk_size + 10);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
  const auto w = s->append_all(r, bytes);
  REQUIRE(w.status == spool_status::ok);
  CHECK(w.id == chunk_id{r, 3});
  const auto listing = s->unacknowledged();
  REQUIRE(listing.chunks.size() == 4);
  std::vector<std::uint8_t> joined;
  for (std::size_t i = 1; i < 4; ++i) {
    const auto& c = listing.chunks[i];
    CHECK(c.id == chunk_id{r, i});
    CHECK(c.sha256 == sha256(c.bytes));
    joined.insert(joined.end(), c.bytes.begin(), c.bytes.end());
  }
  CHECK(listing.chunks[1].bytes.size() == max_chunk_size);
  CHECK(listing.chunks[3].bytes.size() == 10);
  CHECK(joined == bytes);
  CHECK(s->used_bytes() == 4 + bytes.size());
  // Over the limit: nothing of it is written, the next sequence is unchanged.
  CHECK(s->append_all(r, bytes).status == spool_status::full);
  CHECK(s->append_all(r, {}).status == spool_status::too_large);
  CHECK(s->finish(r, end_status::ok, "").id == chunk_id{r, 4});
  CHECK(s->append_all(r, bytes_of("late")).status == spool_status::finished);
}

TEST_CASE("pending lists from an append position on", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  for (int i = 0; i < 4; ++i) s->append(r, bytes_of("chunk"));
  const auto all = s->pending();
  REQUIRE(all.refs.size() == 4);
  const auto rest = s->pending(10, all.refs[2].position);
  REQUIRE(rest.refs.size() == 2);
  CHECK(rest.refs[0].id == chunk_id{r, 2});
  CHECK(rest.refs[1].id == chunk_id{r, 3});
  CHECK(s->pending(1, all.refs[3].position + 1).refs.empty());
}

TEST_CASE("chunk reads the bytes into the buffer it is given", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  s->append(r, bytes_of("abc"));
  std::vector<std::uint8_t> buffer(100, 'z');
  const auto c = s->chunk({r, 0}, std::move(buffer));
  REQUIRE(c);
  CHECK(c->bytes == bytes_of("abc"));
  CHECK(c->sha256 == sha256(bytes_of("abc")));
}

TEST_CASE("appends are checkpointed as they are committed: the WAL stays small", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db");
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  const std::vector<std::uint8_t> mib(1024 * 1024, 'x');
  for (int i = 0; i < 24; ++i) REQUIRE(s->append_all(r, mib).status == spool_status::ok);
  // Once the WAL passes SQLite's checkpoint threshold (1 000 pages, ~4 MiB) the next commit's
  // checkpoint copies it into the database and the WAL starts over; a read left open across
  // the commit once kept everything in the WAL (24 MiB here).
  CHECK(fs::file_size(dir.path / "spool.db-wal") < 8 * 1024 * 1024);
  CHECK(s->pending(1).refs.size() == 1);
}

TEST_CASE("an acknowledgement survives reopening the spool", "[spool]") {
  temp_dir dir;
  std::uint64_t r = 0;
  {
    auto s = open_spool(dir.path / "spool.db");
    r = s->begin_result(1, "c", "d").id.result_id;
    s->append(r, bytes_of("one"));
    s->append(r, bytes_of("two"));
    CHECK(s->acknowledge(std::vector<chunk_id>{{r, 0}}) == 1);
  }
  auto s = open_spool(dir.path / "spool.db");
  CHECK(ids(*s) == std::vector<chunk_id>{{r, 1}});
  CHECK(s->used_bytes() == 3);
}

TEST_CASE("a spool deleted and made again gives result ids above every old one", "[spool]") {
  temp_dir dir;
  const auto path = dir.path / "spool.db";
  std::uint64_t old_last = 0;
  {
    auto s = open_spool(path);
    for (int i = 0; i < 3; ++i) old_last = s->begin_result(1, "c", "d").id.result_id;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  auto s = open_spool(path);
  const auto first_new = s->begin_result(1, "c", "d").id.result_id;
  CHECK(first_new > old_last);
  CHECK(s->begin_result(1, "c", "d").id.result_id == first_new + 1);
}

TEST_CASE("a batch's writes are committed as they are made: a process killed mid-batch loses none",
          "[spool]") {
  temp_dir dir;
  const auto path = dir.path / "spool.db";
  write_then_die(path, [](spool& s) {
    s.begin_batch();
    for (int i = 0; i < 20; ++i) {
      const auto r = s.begin_result(9, "c", "dev" + std::to_string(i)).id.result_id;
      if (s.append(r, bytes_of("cut " + std::to_string(i))).status != spool_status::ok ||
          s.finish(r, end_status::window_closed, "truncated").status != spool_status::ok)
        return false;
    }
    return true;
  });
  auto s = open_spool(path);
  CHECK(s->unacknowledged().chunks.size() == 40);
  SECTION("and a batch that ends is synced, and the spool goes on") {
    s->begin_batch();
    const auto r = s->begin_result(10, "c", "d").id.result_id;
    REQUIRE(s->append(r, bytes_of("in a batch")).status == spool_status::ok);
    CHECK(s->end_batch().empty());
    CHECK(s->end_batch().empty());  // no batch: nothing to do
    REQUIRE(s->append(r, bytes_of("after it")).status == spool_status::ok);
    s.reset();
    CHECK(open_spool(path)->unacknowledged().chunks.size() == 42);
  }
}

TEST_CASE("no new result is registered while nine tenths of the spool wait", "[spool]") {
  temp_dir dir;
  auto s = open_spool(dir.path / "spool.db", {100});
  const auto r = s->begin_result(1, "c", "d").id.result_id;
  REQUIRE(s->append(r, std::vector<std::uint8_t>(89, 'a')).status == spool_status::ok);
  CHECK(s->begin_result(2, "c", "d").status == spool_status::ok);  // 89 of 100: still room
  REQUIRE(s->append(r, std::vector<std::uint8_t>(1, 'b')).status == spool_status::ok);
  const auto refused = s->begin_result(3, "c", "d");
  CHECK(refused.status == spool_status::full);
  CHECK_THAT(refused.message, Catch::Contains("spool full: 90 of 100 bytes"));
  CHECK(s->append(r, std::vector<std::uint8_t>(10, 'c')).status == spool_status::ok);  // running work goes on
  REQUIRE(s->acknowledge({r, 0}));
  CHECK(s->begin_result(4, "c", "d").status == spool_status::ok);
}
