#include "transport/tunnel_server.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

#include "config/identifier.hpp"
#include "transport/chunk_receiver.hpp"
#include "transport/component_logger.hpp"
#include "transport/frame_channel.hpp"
#include "transport/keepalive.hpp"
#include "transport/stream_table.hpp"

namespace tether::transport {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;

namespace {

auto log() { return component_logger("console"); }

std::string endpoint_text(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

std::string site_of_certificate(X509* certificate) {
  if (certificate == nullptr) return {};
  constexpr std::string_view prefix = "tether:site:";
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  std::string site;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_URI) continue;
    const auto* uri = name->d.uniformResourceIdentifier;
    const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                                static_cast<std::size_t>(ASN1_STRING_length(uri)));
    if (text.substr(0, prefix.size()) == prefix) {
      site = std::string(text.substr(prefix.size()));
      break;
    }
  }
  GENERAL_NAMES_free(names);
  if (site.empty()) {
    char cn[256] = {};
    const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName,
                                            cn, sizeof cn);
    if (n > 0) site.assign(cn, static_cast<std::size_t>(n));
  }
  return config::is_identifier(site) ? site : std::string();
}

/// One agent connection: its TLS stream, frames, stream rules, dedup and liveness.
struct tunnel_server::session {
  session(tcp::socket socket, asio::ssl::context& ctx, const tunnel_server_settings& settings)
      : stream(std::move(socket), ctx),
        channel(stream),
        ping_timer(stream.get_executor()),
        done(stream.get_executor()),
        watchdog(stream.get_executor()),
        streams(settings.max_streams, settings.initial_stream_credit) {
    peer = endpoint_text(stream.next_layer());
    done.expires_at(asio::steady_timer::time_point::max());
  }
  void close() {
    if (closed) return;
    closed = true;
    boost::system::error_code ignored;
    stream.lowest_layer().close(ignored);
    channel.stop();
    ping_timer.cancel();
    watchdog.cancel();
  }
  /// The log prefix: `[peer=...]`, then `[site=...]` once known.
  std::string tag() const { return "[peer=" + peer + (site.empty() ? "" : " site=" + site) + "]"; }

  tls_stream stream;
  frame_channel<tls_stream> channel;
  asio::steady_timer ping_timer;
  asio::steady_timer done;
  asio::steady_timer watchdog;
  inbound_streams streams;
  chunk_receiver receiver;
  std::optional<keepalive> alive;
  std::string peer;
  std::string site;
  std::string end_reason;
  std::size_t written = 0;  ///< chunks written to the store, not yet synced
  bool closed = false;
  bool pinging = false;
};

tunnel_server::tunnel_server(asio::io_context& io, tunnel_server_settings settings)
    : io_(io), settings_(std::move(settings)), acceptor_(io), store_(settings_.data_dir) {}

tunnel_server::~tunnel_server() {
  *alive_ = false;
  stop();
}

std::string tunnel_server::listen(const tcp::endpoint& endpoint) {
  // What HELLO_ACK carries must be encodable (docs/protocol.md, HELLO_ACK): refuse at start.
  const auto keepalive_ms = settings_.keepalive_interval.count();
  if (keepalive_ms < 1000 || keepalive_ms > 600000)
    return "console: keepalive_interval must be 1 s .. 600 s";
  if (settings_.initial_stream_credit < max_chunk_size || settings_.initial_stream_credit > max_credit_window)
    return "console: initial_stream_credit must be 64 KiB .. 2^31 - 1 bytes";
  if (settings_.max_streams < 1 || settings_.max_streams > 1024) return "console: max_streams must be 1 .. 1024";
  if (!config::is_identifier(settings_.console_id)) return "console: console_id must be an identifier";
  auto ctx = make_server_context(settings_.tls);
  if (!ctx.context) return ctx.error;
  context_ = std::move(ctx.context);
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "console listen " + endpoint.address().to_string() + ":" +
                 std::to_string(endpoint.port()) + ": " + ec.message();
  return {};
}

std::uint16_t tunnel_server::port() const {
  boost::system::error_code ec;
  const auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void tunnel_server::start() {
  asio::co_spawn(io_, accept_loop(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      log()->error("tunnel listener stopped: {}", x.what());
    }
  });
}

void tunnel_server::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& s : sessions_) s->close();
}

asio::awaitable<void> tunnel_server::accept_loop() {
  auto alive = alive_;
  while (*alive && !stopped_) {
    boost::system::error_code ec;
    tcp::socket socket(io_);
    co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive || stopped_) co_return;
    if (ec) {
      log()->warn("accept failed: {}", ec.message());
      continue;
    }
    ++stats_.accepted;
    socket.set_option(tcp::no_delay(true), ec);  // ACK and CREDIT are small: never hold them back (Nagle)
    auto s = std::make_shared<session>(std::move(socket), *context_, settings_);
    sessions_.insert(s);
    asio::co_spawn(io_, serve(s), [this, alive, s](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          log()->error("{} session dropped: internal error: {}", s->tag(), x.what());
        }
      }
      s->close();
      if (*alive) sessions_.erase(s);
    });
  }
}

namespace {

std::int64_t wall_ms(const tunnel_server_settings& settings) {
  if (settings.now_ms) return settings.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Whether more of the agent's bytes wait to be read: decoded, inside TLS, or in the socket.
bool more_input(tunnel_server::session& s) {
  boost::system::error_code ec;
  return s.channel.buffered() > 0 || SSL_pending(s.stream.native_handle()) > 0 ||
         s.stream.next_layer().available(ec) > 0;
}

/// Writes one frame (named, see frame_channel::write) and reports whether it went out.
asio::awaitable<bool> send(tunnel_server::session& s, const frame& f) {
  const auto ec = co_await s.channel.write(f);
  co_return !ec && !s.closed;
}

/// One fsync and one ACK per batch: while more of the agent's bytes are already here, keep
/// storing (up to `batch` unsynced bytes); then sync the store, and only then acknowledge.
/// Makes what the session wrote durable (and counts it stored); false, closing, on failure.
bool sync_store(tunnel_server::session& s, result_store& store, tunnel_server_stats& stats) {
  if (auto error = store.sync(); !error.empty()) {
    log()->error("{} {}", s.tag(), error);
    s.close();  // not acknowledged: the agent resends after reconnecting
    return false;
  }
  stats.stored += s.written;
  s.written = 0;
  return true;
}

asio::awaitable<void> acknowledge(tunnel_server::session& s, result_store& store, std::uint64_t batch,
                                  tunnel_server_stats& stats) {
  if (more_input(s) && store.unsynced_bytes() < batch) co_return;
  if (!sync_store(s, store, stats)) co_return;
  while (auto a = s.receiver.take_ack()) {
    const frame acknowledgement = std::move(*a);
    if (!co_await send(s, acknowledgement)) co_return;
  }
}

/// Keeps the agent honest about liveness: PING after silence, close when it stays silent.
asio::awaitable<void> pinger(std::shared_ptr<tunnel_server::session> s) {
  while (!s->closed) {
    s->ping_timer.expires_at(s->alive->deadline());
    boost::system::error_code ignored;
    co_await s->ping_timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (s->closed) co_return;
    const auto action = s->alive->poll(std::chrono::steady_clock::now());
    if (action == keepalive_action::send_ping) {
      const frame probe = ping{s->alive->ping_nonce()};
      co_await send(*s, probe);
    } else if (action == keepalive_action::peer_dead) {
      log()->warn("{} agent silent past the keepalive timeout: closing", s->tag());
      const frame bye = goaway{"peer-dead", true, "no answer to PING"};
      co_await send(*s, bye);
      s->close();
    }
  }
}

/// The handshake's refusal: logged, counted, a GOAWAY when TLS is up, then closed.
/// With g++ 12, callers name every argument: temporaries in a co_await are destroyed twice.
asio::awaitable<void> refuse(tunnel_server::session& s, tunnel_server_stats& stats,
                             const std::string& why, const std::optional<frame>& bye) {
  ++stats.refused;
  log()->warn("{} refused: {}", s.tag(), why);
  if (bye) co_await send(s, *bye);
  s.close();
}

}  // namespace

asio::awaitable<void> tunnel_server::serve(std::shared_ptr<session> s) {
  // After a co_await, a closed session may mean the server is gone: check `s->closed`
  // (or `alive`, a copy) before touching a member.
  const auto alive = alive_;
  const std::optional<frame> no_goaway;
  s->watchdog.expires_after(settings_.handshake_timeout);
  s->watchdog.async_wait([s](const boost::system::error_code& ec) {
    if (!ec && !s->closed) {
      s->end_reason = "handshake deadline passed";
      s->close();
    }
  });
  boost::system::error_code ec;
  co_await s->stream.async_handshake(asio::ssl::stream_base::server,
                                     asio::redirect_error(asio::use_awaitable, ec));
  if (s->closed) {
    const auto why = "TLS handshake: " + s->end_reason;
    if (*alive && !stopped_) co_await refuse(*s, stats_, why, no_goaway);
    co_return;
  }
  if (ec) {
    const long verify = SSL_get_verify_result(s->stream.native_handle());
    const auto why = "TLS handshake failed: " + ec.message() +
                     (verify != X509_V_OK ? std::string(" (") + X509_verify_cert_error_string(verify) + ")"
                                          : std::string());
    co_await refuse(*s, stats_, why, no_goaway);
    co_return;
  }
  s->site = site_of_certificate(SSL_get0_peer_certificate(s->stream.native_handle()));
  if (s->site.empty()) {
    const std::string why = "the client certificate names no site (SAN URI tether:site:ID or CN)";
    const std::optional<frame> bye = goaway{"unknown-site", false, "certificate names no site"};
    co_await refuse(*s, stats_, why, bye);
    co_return;
  }
  auto first = co_await s->channel.read();
  if (s->closed) {
    const auto why = "no HELLO: " + s->end_reason;
    if (*alive && !stopped_) co_await refuse(*s, stats_, why, no_goaway);
    co_return;
  }
  if (!first.value) {
    const std::string why = "no HELLO: " + (first.io ? first.io.message() : first.protocol->message);
    const std::optional<frame> bye =
        first.protocol ? std::optional<frame>(goaway{"protocol-error", true, first.protocol->message.substr(0, max_message_size)})
                       : std::nullopt;
    co_await refuse(*s, stats_, why, bye);
    co_return;
  }
  const auto* hi = std::get_if<hello>(&*first.value);
  if (hi == nullptr) {
    const auto why = std::string("first frame is ") + to_string(type_of(*first.value));
    const std::optional<frame> bye = goaway{"protocol-error", true, "HELLO expected"};
    co_await refuse(*s, stats_, why, bye);
    co_return;
  }
  if (hi->site_id != s->site) {
    const auto why = "HELLO names site " + hi->site_id + ", the certificate " + s->site;
    const std::optional<frame> bye = goaway{"site-mismatch", false, "HELLO site does not match the certificate"};
    co_await refuse(*s, stats_, why, bye);
    co_return;
  }
  const auto verdict = evaluate_hello(*hi, wall_ms(settings_), settings_.handshake);
  if (verdict.refusal) {
    const auto why = "HELLO: " + verdict.refusal->code + ": " + verdict.refusal->message;
    const std::optional<frame> bye = *verdict.refusal;
    co_await refuse(*s, stats_, why, bye);
    co_return;
  }
  const frame answer = hello_ack{*verdict.version, wall_ms(settings_), settings_.initial_stream_credit,
                         settings_.max_streams,
                         static_cast<std::uint32_t>(settings_.keepalive_interval.count()),
                         settings_.console_id};
  if (!co_await send(*s, answer)) {
    if (!s->closed) log()->warn("{} HELLO_ACK not sent: connection lost", s->tag());
    s->close();
    co_return;
  }
  s->watchdog.cancel();
  ++stats_.sessions;
  log()->info("{} session up: window {}, agent {}", s->tag(), hi->window_id, hi->agent_software);
  s->alive.emplace(keepalive_settings{settings_.keepalive_interval, 2 * settings_.keepalive_interval},
                   std::chrono::steady_clock::now());
  asio::co_spawn(io_, pinger(s), asio::detached);  // ends when the session closes
  co_await session_loop(s);
}

asio::awaitable<void> tunnel_server::session_loop(std::shared_ptr<session> s) {
  while (!s->closed) {
    auto r = co_await s->channel.read();
    if (s->closed) co_return;  // stopped: the server may be gone, touch nothing of it
    if (r.io) {
      log()->info("{} session ended: {}", s->tag(), r.io.message());
      break;
    }
    std::string violation;
    if (r.protocol) {
      violation = r.protocol->message;
    } else {
      s->alive->on_frame_received(std::chrono::steady_clock::now());
      violation = co_await on_frame(*s, *r.value);
      if (s->closed) co_return;
      if (violation.empty()) co_await acknowledge(*s, store_, settings_.sync_batch_bytes, stats_);
      if (s->closed) co_return;
    }
    if (violation == "goaway") break;
    if (!violation.empty()) {
      log()->warn("{} protocol error, closing: {}", s->tag(), violation);
      const frame bye = goaway{"protocol-error", true, violation.substr(0, max_message_size)};
      co_await send(*s, bye);
      break;
    }
  }
  if (!s->closed) sync_store(*s, store_, stats_);  // stored, though the ACK may never arrive
  s->close();
}

asio::awaitable<std::string> tunnel_server::on_frame(session& s, frame& f) {
  const auto type = type_of(f);
  if (!may_send(tunnel_role::agent, type) || std::holds_alternative<hello>(f))
    co_return std::string("unexpected ") + to_string(type) + " from the agent";
  if (const auto* o = std::get_if<open_stream>(&f)) {
    const auto check = s.streams.on_open(*o);
    if (!check.ok) co_return check.violation;
    auto [progress, error] = store_.progress(s.site, o->result_id);
    if (!error.empty()) {
      log()->error("{} {}", s.tag(), error);
      s.close();  // nothing acknowledged: the agent resends after reconnecting
      co_return std::string();
    }
    s.receiver.resume(o->result_id, progress.next_sequence, progress.finished);
    co_return std::string();
  }
  if (const auto* d = std::get_if<data>(&f)) {
    const auto check = s.streams.on_data(*d);
    if (!check.ok) co_return check.violation;
    const chunk_id id{check.result_id, d->sequence};
    const auto outcome = co_await on_chunk(s, id, chunk_kind::data, d->stream, f);
    co_return outcome;
  }
  if (const auto* e = std::get_if<end_stream>(&f)) {
    const auto check = s.streams.on_end(*e);
    if (!check.ok) co_return check.violation;
    const chunk_id id{check.result_id, e->sequence};
    const auto outcome = co_await on_chunk(s, id, chunk_kind::end, e->stream, f);
    co_return outcome;
  }
  if (const auto* p = std::get_if<ping>(&f)) {
    const frame answer = pong{p->nonce};
    co_await send(s, answer);
  } else if (const auto* p = std::get_if<pong>(&f)) {
    s.alive->on_pong(p->nonce, std::chrono::steady_clock::now());
  } else if (const auto* g = std::get_if<goaway>(&f)) {
    log()->info("{} agent sent GOAWAY {}: {}", s.tag(), g->code, g->message);
    co_return std::string("goaway");
  } else {
    log()->info("{} {} from the agent", s.tag(), to_string(type));
  }
  co_return std::string();
}

asio::awaitable<std::string> tunnel_server::on_chunk(session& s, chunk_id id, chunk_kind kind,
                                                     std::uint32_t stream, const frame& f) {
  const auto decision = s.receiver.accept(id, kind);
  if (decision.verdict == chunk_verdict::violation) co_return decision.message;
  std::size_t size = 0;
  if (decision.verdict == chunk_verdict::store) {
    std::string error;
    if (kind == chunk_kind::data) {
      const auto& bytes = std::get<data>(f).bytes;
      size = bytes.size();
      error = store_.write(s.site, id.result_id, id.sequence, bytes);
    } else {
      error = store_.write_end(s.site, id.result_id, id.sequence, std::get<end_stream>(f).status);
    }
    if (!error.empty()) {
      log()->error("{} {}", s.tag(), error);
      s.close();  // not acknowledged: the agent resends it after reconnecting
      co_return std::string();
    }
    s.receiver.stored(id);
    ++s.written;  // counted in stats().stored once synced
  } else {
    ++stats_.duplicates;
    if (kind == chunk_kind::data) size = std::get<data>(f).bytes.size();
  }
  if (kind == chunk_kind::end) {
    s.receiver.forget(id.result_id);
  } else if (const auto grant = s.streams.on_consumed(stream, size); grant > 0) {
    const frame more = credit{stream, grant};
    if (!co_await send(s, more)) co_return std::string();
  }
  co_return std::string();  // acknowledged by acknowledge() once synced
}

}  // namespace tether::transport
