#pragma once

#include <utility>  // before Asio: g++ 12 with Asio 1.18

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <list>
#include <memory>
#include <string>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "devsim/command_router.hpp"
#include "devsim/fault.hpp"

namespace tether::devsim {

/// What every connection to one simulated device shares: how it answers, how it
/// misbehaves and whom it lets in.
struct device_context {
  command_router router;
  devsim::fault fault;
  std::string username;
  std::string password;
  ssh_key client_key = nullptr;  // the accepted public key; owned by the server
};

/// One SSH connection to a simulated device: a non-blocking libssh server session driven
/// by Asio socket readiness on the single io_context thread. Handles password and
/// public-key authentication, exec channels (one command each, several per connection)
/// and an interactive shell with a Junos prompt, and applies the device's fault.
class ssh_connection : public std::enable_shared_from_this<ssh_connection> {
 public:
  /// Takes over an accepted socket; `session` was accepted on it by ssh_bind_accept_fd.
  ssh_connection(boost::asio::ip::tcp::socket socket, ssh_session session,
                 std::shared_ptr<const device_context> device);
  ~ssh_connection();
  ssh_connection(const ssh_connection&) = delete;
  ssh_connection& operator=(const ssh_connection&) = delete;

  /// Starts the key exchange and waits for the client.
  void start();
  /// Disconnects at once (server shutdown).
  void stop();
  /// True once the connection is over.
  bool finished() const { return finished_; }

 private:
  /// One channel of the connection and what it still has to send.
  struct channel_state {
    ssh_connection* owner = nullptr;
    ssh_channel channel = nullptr;
    ssh_channel_callbacks_struct callbacks{};
    enum class mode { none, exec, shell } kind = mode::none;
    bool pty = false;
    std::string pending;          // output not yet written
    std::size_t offset = 0;       // how much of pending is written
    std::string line;             // shell: the line being typed
    bool skip_newline = false;    // shell: a \n right after \r ends nothing
    std::size_t screen_length = 0;  // shell: lines per page; 0 pages nothing
    std::string paged;            // shell: output still behind ---(more)---
    bool done = false;            // close the channel once pending is written
    bool closed = false;          // exit status, EOF and close have been sent
    bool peer_closed = false;
    int exit_status = 0;
  };

  void on_ready();
  void arm();
  void pump();
  void pump_channel(channel_state& c);
  void finish_channel(channel_state& c);
  void shut_down();
  void queue(channel_state& c, const std::string& text);
  void run_shell_line(channel_state& c);
  void page(channel_state& c, std::size_t lines);
  void on_pager_key(channel_state& c, char key);
  std::string prompt() const;
  const std::string& name() const;

  static int on_auth_password(ssh_session, const char* user, const char* password, void* self);
  static int on_auth_pubkey(ssh_session, const char* user, ssh_key key, char state, void* self);
  static ssh_channel on_channel_open(ssh_session, void* self);
  static int on_exec(ssh_session, ssh_channel, const char* command, void* state);
  static int on_pty(ssh_session, ssh_channel, const char*, int width, int height, int, int,
                    void* state);
  static int on_shell(ssh_session, ssh_channel, void* state);
  static int on_data(ssh_session, ssh_channel, void* data, uint32_t len, int is_stderr, void* state);
  static void on_eof(ssh_session, ssh_channel, void* state);
  static void on_close(ssh_session, ssh_channel, void* state);
  static int on_window_change(ssh_session, ssh_channel, int, int, int, int, void*);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer slow_timer_;
  boost::asio::steady_timer login_timer_;  // like sshd's LoginGraceTime
  ssh_session session_;
  ssh_event event_ = nullptr;
  std::shared_ptr<const device_context> device_;
  ssh_server_callbacks_struct server_callbacks_{};
  std::list<channel_state> channels_;  // a list: libssh keeps pointers to the callbacks
  bool authenticated_ = false;
  bool read_armed_ = false, write_armed_ = false;
  bool slow_waiting_ = false;
  bool slow_ready_ = false;  // slow: the delay before the next chunk has passed
  bool drop_pending_ = false;
  bool broken_ = false;  // libssh failed mid-pump: shut down once out of the loop
  bool finished_ = false;
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t id_;  // [C42] in log lines
};

}  // namespace tether::devsim
