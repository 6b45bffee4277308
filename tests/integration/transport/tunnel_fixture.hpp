#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <openssl/evp.h>
#include <spdlog/sinks/base_sink.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"
#include "tests/unit/transport/test_pki.hpp"
#include "transport/component_logger.hpp"
#include "transport/spool.hpp"
#include "transport/tunnel_client.hpp"
#include "transport/tunnel_server.hpp"

namespace tether::transport::test {

/// An spdlog sink that records every message, to check what was logged.
class recording_sink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  /// Whether any recorded message contains every one of `parts`.
  bool contains(const std::vector<std::string>& parts) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& m : messages_) {
      bool all = true;
      for (const auto& p : parts) all = all && m.find(p) != std::string::npos;
      if (all) return true;
    }
    return false;
  }
  std::string all() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (const auto& m : messages_) out += m + "\n";
    return out;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    messages_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> messages_;
};

/// Records the `tunnel` and `console` loggers for the lifetime of the object.
struct log_capture {
  std::shared_ptr<recording_sink> sink = std::make_shared<recording_sink>();
  log_capture() {
    for (const char* name : {"tunnel", "console"}) {
      auto logger = component_logger(name);
      logger->sinks().push_back(sink);
      logger->set_level(spdlog::level::debug);
    }
  }
  ~log_capture() {
    for (const char* name : {"tunnel", "console"}) {
      auto& sinks = component_logger(name)->sinks();
      std::erase(sinks, std::static_pointer_cast<spdlog::sinks::sink>(sink));
    }
  }
};

/// A PKI in a temp dir: the console CA, a console certificate for 127.0.0.1, an agent
/// certificate for site ams-1 (SAN URI), and a second CA with an agent certificate of its own.
struct tunnel_pki {
  tether::testing::temp_dir dir;
  tunnel_pki() {
    const auto ca = make_certificate("tether test CA", nullptr, true);
    const auto other = make_certificate("another CA", nullptr, true);
    write_pem(ca, dir.path, "ca");
    write_pem(other, dir.path, "other-ca");
    write_pem(make_certificate("console", &ca, false, "IP:127.0.0.1,DNS:console.test"), dir.path,
              "console");
    write_pem(make_certificate("agent", &ca, false, "URI:tether:site:ams-1"), dir.path, "agent");
    write_pem(make_certificate("ams-1", &other, false, "URI:tether:site:ams-1"), dir.path, "rogue");
  }
  tls_identity identity(const std::string& name, const std::string& ca = "ca") const {
    return {dir.path / (name + ".pem"), dir.path / (name + ".key"), dir.path / (ca + ".pem")};
  }
};

/// Server settings over `pki` storing into `data_dir`.
inline tunnel_server_settings server_settings(const tunnel_pki& pki, const std::filesystem::path& data_dir) {
  tunnel_server_settings s;
  s.tls.identity = pki.identity("console");
  s.data_dir = data_dir;
  s.console_id = "console-test";
  s.keepalive_interval = std::chrono::milliseconds(2000);
  return s;
}

/// Client settings for site ams-1 dialling 127.0.0.1:`port`, quick backoff, seeded jitter.
inline tunnel_client_settings client_settings(const tunnel_pki& pki, std::uint16_t port) {
  tunnel_client_settings s;
  s.host = "127.0.0.1";
  s.port = port;
  s.tls.identity = pki.identity("agent");
  s.tls.server_name = "127.0.0.1";
  s.site_id = "ams-1";
  s.window_id = "CHG-1";
  s.window_closes_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count() + 3600000;
  s.backoff = {std::chrono::milliseconds(20), std::chrono::milliseconds(200), 0};
  s.connect_timeout = std::chrono::milliseconds(5000);
  auto seed = std::make_shared<std::uint64_t>(42);
  s.random = [seed] { return *seed = *seed * 6364136223846793005ull + 1442695040888963407ull; };
  return s;
}

/// Runs `io` until `done()` holds or `deadline` passes; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::seconds deadline = std::chrono::seconds(30)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  io.restart();
  while (!done() && std::chrono::steady_clock::now() < end) io.run_for(std::chrono::milliseconds(20));
  return done();
}

/// Starts `client.run()` on `io`, storing its outcome in `result` when it returns.
inline void start_client(boost::asio::io_context& io, tunnel_client& client,
                         std::optional<tunnel_result>& result) {
  boost::asio::co_spawn(io, client.run(), [&result](std::exception_ptr e, tunnel_result r) {
    result = e ? tunnel_result{tunnel_end::permanent, "exception"} : std::move(r);
  });
}

/// SHA-256 computed in pieces.
class sha256_stream {
 public:
  sha256_stream() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~sha256_stream() { EVP_MD_CTX_free(ctx_); }
  sha256_stream(const sha256_stream&) = delete;
  sha256_stream& operator=(const sha256_stream&) = delete;
  void add(const void* data, std::size_t size) { EVP_DigestUpdate(ctx_, data, size); }
  std::string hex() {
    unsigned char out[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, out, &n);
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (unsigned i = 0; i < n; ++i) {
      s.push_back(digits[out[i] >> 4]);
      s.push_back(digits[out[i] & 15]);
    }
    return s;
  }

 private:
  EVP_MD_CTX* ctx_;
};

/// SHA-256 of a whole file, in hex.
inline std::string file_sha256(const std::filesystem::path& path) {
  sha256_stream h;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return "missing";
  std::vector<char> buf(1 << 20);
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), f)) h.add(buf.data(), n);
  std::fclose(f);
  return h.hex();
}

}  // namespace tether::transport::test
