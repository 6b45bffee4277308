#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <random>
#include <set>

namespace tether::transport::test {

/// A TCP relay on 127.0.0.1 between the agent and the console that cuts each link after a
/// random number of bytes (seeded), `cuts` times in all; after that it relays faithfully.
class chaos_proxy {
 public:
  /// Cuts `cuts` links, each after 1..6000 bytes (a quarter of them: handshakes) or
  /// 64 KiB..`max_budget` bytes.
  chaos_proxy(boost::asio::io_context& io, std::uint16_t upstream, std::uint64_t seed, int cuts,
              std::uint64_t max_budget)
      : io_(io), acceptor_(io, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        upstream_(upstream), random_(seed), cuts_left_(cuts), max_budget_(max_budget) {
    boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
  }
  ~chaos_proxy() { stop(); }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  /// Where new links go (after the console restarted on another port).
  void set_upstream(std::uint16_t port) { upstream_ = port; }
  int cuts_done() const { return cuts_done_; }
  int links() const { return links_; }
  /// TCP connections accepted so far (readable from any thread).
  int accepted() const { return accepted_; }

  /// Every open link stops forwarding but stays open: a silent peer (keepalive must notice).
  void stall_open_links() {
    for (const auto& l : open_) l->stalled = true;
  }

  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (const auto& l : open_) l->cut();
  }

 private:
  struct link {
    explicit link(boost::asio::io_context& io) : agent(io), console(io) {}
    void cut() {
      boost::system::error_code ignored;
      agent.close(ignored);
      console.close(ignored);
      closed = true;
    }
    boost::asio::ip::tcp::socket agent;
    boost::asio::ip::tcp::socket console;
    std::uint64_t budget = ~0ull;  ///< bytes (both directions) before the cut
    bool closed = false;
    bool stalled = false;  ///< read and drop, write nothing
    int pumps = 2;
  };

  std::uint64_t pick_budget() {
    if (cuts_left_ <= 0) return ~0ull;
    --cuts_left_;
    // A quarter of the cuts land in the TLS handshake or HELLO, the rest mid-transfer.
    if (std::uniform_int_distribution<int>(0, 3)(random_) == 0)
      return std::uniform_int_distribution<std::uint64_t>(1, 6000)(random_);
    return std::uniform_int_distribution<std::uint64_t>(64 * 1024, std::max<std::uint64_t>(max_budget_, 128 * 1024))(random_);
  }

  boost::asio::awaitable<void> accept_loop() {
    namespace asio = boost::asio;
    for (;;) {
      auto l = std::make_shared<link>(io_);
      boost::system::error_code ec;
      co_await acceptor_.async_accept(l->agent, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++accepted_;
      co_await l->console.async_connect({asio::ip::make_address("127.0.0.1"), upstream_},
                                        asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        l->cut();
        continue;
      }
      ++links_;
      l->budget = pick_budget();
      open_.insert(l);
      asio::co_spawn(io_, pump(l, l->agent, l->console), asio::detached);
      asio::co_spawn(io_, pump(l, l->console, l->agent), asio::detached);
    }
  }

  boost::asio::awaitable<void> pump(std::shared_ptr<link> l, boost::asio::ip::tcp::socket& from,
                                    boost::asio::ip::tcp::socket& to) {
    namespace asio = boost::asio;
    std::array<char, 16384> buf;
    while (!l->closed) {
      boost::system::error_code ec;
      std::size_t n = co_await from.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      if (ec || l->closed) break;
      if (l->stalled) continue;
      bool cut_now = false;
      if (n >= l->budget) {
        n = static_cast<std::size_t>(l->budget);
        cut_now = true;
      }
      l->budget -= n;
      if (n > 0)
        co_await asio::async_write(to, asio::buffer(buf.data(), n), asio::redirect_error(asio::use_awaitable, ec));
      if (cut_now) {
        ++cuts_done_;
        break;
      }
      if (ec) break;
    }
    // A stalled link is a black hole: one side closing is not passed on to the other, so
    // only the peers' own keepalives can notice.
    if (!l->stalled) l->cut();
    if (--l->pumps == 0) open_.erase(l);
  }

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t upstream_;
  std::mt19937_64 random_;
  int cuts_left_;
  std::uint64_t max_budget_;
  int cuts_done_ = 0;
  int links_ = 0;
  std::atomic<int> accepted_{0};
  std::set<std::shared_ptr<link>> open_;
};

}  // namespace tether::transport::test
