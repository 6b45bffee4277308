#include "devsim/device_listener.hpp"

#include <stdexcept>

namespace tether::devsim {

namespace asio = boost::asio;

device_listener::device_listener(asio::io_context& io, const std::string& address,
                                 std::uint16_t port, std::shared_ptr<const device_context> device,
                                 ssh_key host_key)
    : acceptor_(io), device_(std::move(device)) {
  bind_ = ssh_bind_new();
  if (!bind_ || ssh_bind_options_set(bind_, SSH_BIND_OPTIONS_IMPORT_KEY, host_key) != SSH_OK) {
    ssh_key_free(host_key);
    ssh_bind_free(bind_);
    throw std::runtime_error("cannot load the host key into libssh");
  }
  try {
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(address), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    port_ = acceptor_.local_endpoint().port();
  } catch (...) {
    ssh_bind_free(bind_);  // frees the host key it owns
    throw;
  }
}

device_listener::~device_listener() {
  stop();
  ssh_bind_free(bind_);
}

void device_listener::start() {
  if (device_->fault.type == fault::kind::refuse) return;  // bound, not listening: RST
  acceptor_.listen(asio::socket_base::max_listen_connections);
  accept();
}

void device_listener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : connections_)
    if (auto c = weak.lock()) c->stop();
  connections_.clear();
}

void device_listener::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      socket.non_blocking(true, ec);
      ssh_session session = ssh_new();
      if (!ec && session && ssh_bind_accept_fd(bind_, session, socket.native_handle()) == SSH_OK) {
        auto connection = std::make_shared<ssh_connection>(std::move(socket), session, device_);
        std::erase_if(connections_, [](const auto& w) { return w.expired(); });
        connections_.push_back(connection);
        connection->start();
      } else if (session) {
        ssh_free(session);
      }
    }
    accept();
  });
}

}  // namespace tether::devsim
