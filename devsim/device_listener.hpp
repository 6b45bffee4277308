#pragma once

#include <utility>  // before Asio: g++ 12 with Asio 1.18

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <libssh/server.h>

#include "devsim/ssh_connection.hpp"

namespace tether::devsim {

/// The listening socket of one simulated device: accepts TCP connections with Asio and
/// hands each to libssh with the device's host key. Under the refuse fault the socket is
/// bound (so the port stays reserved) but never listens, so connections are refused.
class device_listener {
 public:
  /// Binds address:port (0 for an ephemeral port); takes ownership of `host_key`.
  device_listener(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                  std::shared_ptr<const device_context> device, ssh_key host_key);
  ~device_listener();
  device_listener(const device_listener&) = delete;
  device_listener& operator=(const device_listener&) = delete;

  /// The bound port.
  std::uint16_t port() const { return port_; }
  /// Starts accepting (unless the device refuses connections).
  void start();
  /// Closes the socket and every open connection.
  void stop();

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  ssh_bind bind_ = nullptr;
  std::shared_ptr<const device_context> device_;
  std::vector<std::weak_ptr<ssh_connection>> connections_;
  std::uint16_t port_ = 0;
};

}  // namespace tether::devsim
