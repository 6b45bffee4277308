#include "devsim/ssh_connection.hpp"

#include <algorithm>
#include <chrono>

#include "devsim/log.hpp"

namespace tether::devsim {

namespace asio = boost::asio;

namespace {

constexpr std::size_t max_chunk = 32 * 1024;   // bytes per channel write
constexpr std::size_t slow_chunk = 1024;       // bytes per delayed chunk under slow:MS
constexpr std::chrono::seconds login_grace{60};  // to finish key exchange and login

std::uint64_t next_connection_id() {
  static std::uint64_t id = 0;
  return ++id;
}

std::string crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

ssh_connection::ssh_connection(asio::ip::tcp::socket socket, ssh_session session,
                               std::shared_ptr<const device_context> device)
    : socket_(std::move(socket)),
      slow_timer_(socket_.get_executor()),
      login_timer_(socket_.get_executor()),
      session_(session),
      device_(std::move(device)),
      id_(next_connection_id()) {}

ssh_connection::~ssh_connection() { shut_down(); }

void ssh_connection::start() {
  server_callbacks_.userdata = this;
  server_callbacks_.auth_password_function = &ssh_connection::on_auth_password;
  server_callbacks_.auth_pubkey_function = &ssh_connection::on_auth_pubkey;
  server_callbacks_.channel_open_request_session_function = &ssh_connection::on_channel_open;
  ssh_callbacks_init(&server_callbacks_);
  ssh_set_server_callbacks(session_, &server_callbacks_);
  ssh_set_auth_methods(session_, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
  ssh_set_blocking(session_, 0);
  // Non-blocking: this sends the banner and installs the packet handlers; the key
  // exchange then proceeds as on_ready() feeds libssh.
  log().debug("[dev={} C{}] connected", name(), id_);
  if (ssh_handle_key_exchange(session_) == SSH_ERROR) {
    log().warn("[dev={} C{}] key exchange failed: {}", name(), id_, ssh_get_error(session_));
    shut_down();
    return;
  }
  event_ = ssh_event_new();
  ssh_event_add_session(event_, session_);
  login_timer_.expires_after(login_grace);
  login_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->finished_ || self->authenticated_) return;
    log().info("[dev={} C{}] no login within {} s: disconnecting", self->name(), self->id_,
               login_grace.count());
    self->stop();
  });
  on_ready();
}

void ssh_connection::stop() {
  if (finished_) return;
  ssh_disconnect(session_);
  shut_down();
}

void ssh_connection::shut_down() {
  if (finished_) return;
  finished_ = true;
  log().debug("[dev={} C{}] closed after {} output bytes", name(), id_, bytes_sent_);
  slow_timer_.cancel();
  login_timer_.cancel();
  if (event_) {
    ssh_event_remove_session(event_, session_);
    ssh_event_free(event_);
    event_ = nullptr;
  }
  // libssh owns the descriptor: Asio lets go of it, ssh_free closes it.
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  if (socket_.is_open()) socket_.release(ignored);
  // ssh_disconnect may already have freed the channels; ssh_free frees any left.
  ssh_free(session_);
  channels_.clear();
  session_ = nullptr;
}

void ssh_connection::on_ready() {
  if (finished_) return;
  // Let libssh read, process packets (callbacks run here) and flush what it can.
  if (ssh_event_dopoll(event_, 0) == SSH_ERROR || !ssh_is_connected(session_) ||
      (ssh_get_status(session_) & (SSH_CLOSED | SSH_CLOSED_ERROR))) {
    shut_down();
    return;
  }
  pump();
  if (broken_) {
    shut_down();
    return;
  }
  arm();
}

void ssh_connection::arm() {
  const int flags = ssh_get_poll_flags(session_);
  if (drop_pending_ && !(flags & SSH_WRITE_PENDING)) {
    // drop-after: every allowed byte has left; cut the TCP connection without a word.
    log().info("[dev={} C{}] drop-after: cutting the connection", name(), id_);
    ssh_silent_disconnect(session_);
    shut_down();
    return;
  }
  auto self = shared_from_this();
  if (!read_armed_) {
    read_armed_ = true;
    socket_.async_wait(asio::socket_base::wait_read, [self](boost::system::error_code ec) {
      self->read_armed_ = false;
      if (!ec) self->on_ready();
    });
  }
  if ((flags & SSH_WRITE_PENDING) && !write_armed_) {
    write_armed_ = true;
    socket_.async_wait(asio::socket_base::wait_write, [self](boost::system::error_code ec) {
      self->write_armed_ = false;
      if (!ec) self->on_ready();
    });
  }
}

void ssh_connection::pump() {
  for (channel_state& c : channels_) {
    if (broken_ || drop_pending_) return;
    pump_channel(c);
  }
  // Forget channels both sides have closed.
  for (auto it = channels_.begin(); it != channels_.end();) {
    // Only once the peer's close has arrived: libssh would still call the callbacks of a
    // channel freed before that.
    if (it->closed && it->peer_closed) {
      ssh_remove_channel_callbacks(it->channel, &it->callbacks);
      ssh_channel_free(it->channel);
      it = channels_.erase(it);
    } else {
      ++it;
    }
  }
}

void ssh_connection::pump_channel(channel_state& c) {
  if (c.closed) return;
  if (c.peer_closed) {
    c.closed = true;
    return;
  }
  const fault& f = device_->fault;
  while (c.offset < c.pending.size()) {
    if (f.type == fault::kind::slow && !slow_ready_) {
      // slow:MS: every chunk waits MS first.
      if (!slow_waiting_) {
        slow_waiting_ = true;
        slow_timer_.expires_after(std::chrono::milliseconds(f.amount));
        auto self = shared_from_this();
        slow_timer_.async_wait([self](boost::system::error_code ec) {
          self->slow_waiting_ = false;
          self->slow_ready_ = !ec;
          if (!ec) self->on_ready();
        });
      }
      return;
    }
    const std::size_t window = ssh_channel_window_size(c.channel);
    if (window == 0) return;  // a window adjust will come with the next read
    std::size_t n = std::min({c.pending.size() - c.offset, window,
                              f.type == fault::kind::slow ? slow_chunk : max_chunk});
    if (f.type == fault::kind::drop_after) n = std::min<std::size_t>(n, f.amount - bytes_sent_);
    const int written = n == 0 ? 0 : ssh_channel_write(c.channel, c.pending.data() + c.offset, uint32_t(n));
    if (written == SSH_ERROR) {
      broken_ = true;
      return;
    }
    c.offset += std::size_t(written);
    bytes_sent_ += std::size_t(written);
    if (f.type == fault::kind::drop_after && bytes_sent_ >= f.amount) {
      drop_pending_ = true;
      return;
    }
    if (written == 0) return;
    slow_ready_ = false;
  }
  c.pending.clear();
  c.offset = 0;
  if (c.done) finish_channel(c);
}

void ssh_connection::finish_channel(channel_state& c) {
  ssh_channel_request_send_exit_status(c.channel, c.exit_status);
  ssh_channel_send_eof(c.channel);
  ssh_channel_close(c.channel);
  c.closed = true;
}

void ssh_connection::queue(channel_state& c, const std::string& text) {
  c.pending += text;
}

const std::string& ssh_connection::name() const { return device_->router.device().name; }

std::string ssh_connection::prompt() const {
  const device_identity& d = device_->router.device();
  std::string p;
  if (d.model.re_count > 1) p = "{master}\r\n";
  return p + device_->username + "@" + d.hostname + "> ";
}

void ssh_connection::run_shell_line(channel_state& c) {
  const std::string line = std::move(c.line);
  c.line.clear();
  const std::string p = prompt();
  const std::size_t prompt_width = p.size() - (p.rfind('\n') == std::string::npos ? 0 : p.rfind('\n') + 1);
  const command_reply reply = device_->router.run(line, cli_mode::interactive, prompt_width);
  if (reply.type == command_reply::kind::exit) {
    c.done = true;
    return;
  }
  if (device_->fault.type == fault::kind::hang) return;
  if (reply.screen_length) c.screen_length = *reply.screen_length;
  if (c.screen_length > 1 && !reply.no_more) {
    c.paged = reply.text;
    page(c, c.screen_length - 1);
    return;
  }
  std::string out = crlf(reply.text);
  if (!out.empty()) out += "\r\n";
  queue(c, out + p);
}

void ssh_connection::page(channel_state& c, std::size_t lines) {
  std::size_t end = 0;
  for (std::size_t n = 0; n < lines && end < c.paged.size(); ++n) {
    const auto nl = c.paged.find('\n', end);
    end = nl == std::string::npos ? c.paged.size() : nl + 1;
  }
  queue(c, crlf(c.paged.substr(0, end)));
  c.paged.erase(0, end);
  if (c.paged.empty())
    queue(c, "\r\n" + prompt());
  else
    queue(c, "---(more)---");
}

void ssh_connection::on_pager_key(channel_state& c, char key) {
  queue(c, "\r            \r");  // erase ---(more)---
  if (key == 'q' || key == 'Q' || key == 0x03) {
    c.paged.clear();
    queue(c, "\r\n" + prompt());
  } else if (key == '\r' || key == '\n' || key == 'j') {
    page(c, 1);
  } else {
    page(c, c.screen_length - 1);
  }
}

int ssh_connection::on_auth_password(ssh_session, const char* user, const char* password, void* self) {
  auto* me = static_cast<ssh_connection*>(self);
  const device_context& d = *me->device_;
  if (d.fault.type == fault::kind::auth_fail || d.password.empty()) return SSH_AUTH_DENIED;
  if (user != d.username || password != d.password) {
    log().info("[dev={} C{}] password authentication denied", me->name(), me->id_);
    return SSH_AUTH_DENIED;
  }
  log().debug("[dev={} C{}] password authentication accepted", me->name(), me->id_);
  me->authenticated_ = true;
  return SSH_AUTH_SUCCESS;
}

int ssh_connection::on_auth_pubkey(ssh_session, const char* user, ssh_key key, char state, void* self) {
  auto* me = static_cast<ssh_connection*>(self);
  const device_context& d = *me->device_;
  if (d.fault.type == fault::kind::auth_fail || user != d.username || !d.client_key ||
      ssh_key_cmp(key, d.client_key, SSH_KEY_CMP_PUBLIC) != 0)
    return SSH_AUTH_DENIED;
  if (state == SSH_PUBLICKEY_STATE_NONE) return SSH_AUTH_SUCCESS;  // "this key would do"
  if (state != SSH_PUBLICKEY_STATE_VALID) return SSH_AUTH_DENIED;
  log().debug("[dev={} C{}] public key authentication accepted", me->name(), me->id_);
  me->authenticated_ = true;
  return SSH_AUTH_SUCCESS;
}

ssh_channel ssh_connection::on_channel_open(ssh_session session, void* self) {
  auto* me = static_cast<ssh_connection*>(self);
  if (!me->authenticated_) return nullptr;
  ssh_channel channel = ssh_channel_new(session);
  if (!channel) return nullptr;
  channel_state& c = me->channels_.emplace_back();
  c.owner = me;
  c.channel = channel;
  c.callbacks.userdata = &c;
  c.callbacks.channel_exec_request_function = &ssh_connection::on_exec;
  c.callbacks.channel_pty_request_function = &ssh_connection::on_pty;
  c.callbacks.channel_shell_request_function = &ssh_connection::on_shell;
  c.callbacks.channel_data_function = &ssh_connection::on_data;
  c.callbacks.channel_eof_function = &ssh_connection::on_eof;
  c.callbacks.channel_close_function = &ssh_connection::on_close;
  c.callbacks.channel_pty_window_change_function = &ssh_connection::on_window_change;
  ssh_callbacks_init(&c.callbacks);
  ssh_set_channel_callbacks(channel, &c.callbacks);
  return channel;
}

int ssh_connection::on_exec(ssh_session, ssh_channel, const char* command, void* state) {
  auto& c = *static_cast<channel_state*>(state);
  if (c.kind != channel_state::mode::none) return SSH_ERROR;
  c.kind = channel_state::mode::exec;
  const device_context& d = *c.owner->device_;
  if (d.fault.type == fault::kind::hang) return SSH_OK;  // accepted, never answered
  const command_reply reply = d.router.run(command, cli_mode::exec);
  log().debug("[dev={} C{}] exec: {} bytes", c.owner->name(), c.owner->id_, reply.text.size());
  c.owner->queue(c, c.pty ? crlf(reply.text) : reply.text);
  c.done = true;
  return SSH_OK;
}

int ssh_connection::on_pty(ssh_session, ssh_channel, const char*, int, int height, int, int,
                           void* state) {
  auto& c = *static_cast<channel_state*>(state);
  c.pty = true;
  // Junos pages at the terminal's height; a client without a terminal reports 0: no paging.
  c.screen_length = height > 0 ? std::size_t(height) : 0;
  return SSH_OK;
}

int ssh_connection::on_window_change(ssh_session, ssh_channel, int, int, int, int, void*) {
  return SSH_OK;
}

int ssh_connection::on_shell(ssh_session, ssh_channel, void* state) {
  auto& c = *static_cast<channel_state*>(state);
  if (c.kind != channel_state::mode::none) return SSH_ERROR;
  c.kind = channel_state::mode::shell;
  const device_identity& d = c.owner->device_->router.device();
  c.owner->queue(c, "--- JUNOS " + d.release + " Kernel 64-bit  JNPR-12.1-20230913.c3f4a1b_buil\r\n" +
                        c.owner->prompt());
  return SSH_OK;
}

int ssh_connection::on_data(ssh_session, ssh_channel, void* data, uint32_t len, int, void* state) {
  auto& c = *static_cast<channel_state*>(state);
  if (c.kind != channel_state::mode::shell || c.done) return int(len);
  const char* bytes = static_cast<const char*>(data);
  for (uint32_t i = 0; i < len && !c.done; ++i) {
    const char ch = bytes[i];
    if (!c.paged.empty()) {  // at ---(more)---: a key, not a line
      if (!(ch == '\n' && c.skip_newline)) c.owner->on_pager_key(c, ch);
      c.skip_newline = ch == '\r';
      continue;
    }
    if (ch == '\n' && c.skip_newline) {
      c.skip_newline = false;
      continue;
    }
    c.skip_newline = ch == '\r';
    if (ch == '\r' || ch == '\n') {
      if (c.pty) c.owner->queue(c, "\r\n");
      c.owner->run_shell_line(c);
    } else if (ch == 0x7f || ch == 0x08) {
      if (!c.line.empty()) {
        c.line.pop_back();
        if (c.pty) c.owner->queue(c, "\b \b");
      }
    } else if (ch == 0x03) {  // ^C drops the line
      c.line.clear();
      c.owner->queue(c, "\r\n" + c.owner->prompt());
    } else if (ch == 0x04) {  // ^D ends the session
      c.done = true;
    } else if (static_cast<unsigned char>(ch) >= 0x20 && c.line.size() < 4096) {
      c.line += ch;
      if (c.pty) c.owner->queue(c, std::string(1, ch));
    }
  }
  return int(len);
}

void ssh_connection::on_eof(ssh_session, ssh_channel, void* state) {
  auto& c = *static_cast<channel_state*>(state);
  if (c.kind == channel_state::mode::shell) c.done = true;
}

void ssh_connection::on_close(ssh_session, ssh_channel, void* state) {
  static_cast<channel_state*>(state)->peer_closed = true;
}

}  // namespace tether::devsim
