// transport_bench: frame codec throughput and spool commit rate (synchronous=FULL) on this
// machine. Usage: transport_bench [spool-dir] (default: a fresh directory under /tmp).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "transport/frame_codec.hpp"
#include "transport/spool.hpp"

using namespace tether::transport;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

void codec(std::size_t chunk_size, int frames) {
  const std::vector<std::uint8_t> bytes(chunk_size, 'x');
  const auto start = clock_type::now();
  std::size_t decoded = 0;
  frame_decoder decoder;
  for (int i = 0; i < frames; ++i) {
    auto encoded = encode(make_data(1, static_cast<std::uint64_t>(i), bytes));
    if (encoded.error) std::abort();
    decoder.feed(encoded.bytes);
    for (auto r = decoder.next(); r.state == decode_result::status::frame; r = decoder.next())
      ++decoded;
  }
  const double s = seconds_since(start);
  std::printf("codec   DATA %6zu B: %8.0f frames/s  %7.1f MiB/s (encode+check+decode)\n",
              chunk_size, decoded / s, decoded * chunk_size / s / (1024.0 * 1024.0));
}

void spool_rate(const std::filesystem::path& dir, std::size_t chunk_size, int chunks) {
  const auto path = dir / ("bench-" + std::to_string(chunk_size) + ".db");
  std::filesystem::remove(path);
  auto opened = spool::open(path);
  if (!opened.value) {
    std::fprintf(stderr, "%s\n", opened.error.c_str());
    std::exit(1);
  }
  auto& s = *opened.value;
  const auto result = s.begin_result(1, "bench", "bench").id.result_id;
  const std::vector<std::uint8_t> bytes(chunk_size, 'y');
  auto start = clock_type::now();
  for (int i = 0; i < chunks; ++i)
    if (s.append(result, bytes).status != spool_status::ok) std::abort();
  const double append_s = seconds_since(start);
  // Acknowledged as the console does: one ACK frame of up to 1024 entries per transaction.
  std::vector<chunk_id> ids;
  for (int i = 0; i < chunks; ++i) ids.push_back({result, static_cast<std::uint64_t>(i)});
  start = clock_type::now();
  if (s.acknowledge(ids) != ids.size()) std::abort();
  const double ack_s = seconds_since(start);
  std::printf("spool   chunk %6zu B: %8.0f appends/s %7.1f MiB/s, %8.0f acks/s (batched)\n", chunk_size,
              chunks / append_s, chunks * chunk_size / append_s / (1024.0 * 1024.0),
              chunks / ack_s);
  opened.value.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir;
  if (argc > 1) {
    dir = argv[1];
  } else {
    std::string pattern = (std::filesystem::temp_directory_path() / "tether-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return 1;
    dir = pattern;
  }
  codec(1024, 20000);
  codec(65536, 2000);
  spool_rate(dir, 4096, 500);
  spool_rate(dir, 65536, 300);
  if (argc <= 1) std::filesystem::remove_all(dir);
  return 0;
}
