#include "transport/tunnel_server.hpp"

#include <openssl/evp.h>
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
#include "transport/peer_certificate.hpp"
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

/// The nonce of the console's own round-trip probe (keepalive nonces count from 1).
constexpr std::uint64_t rtt_probe_nonce = 0x7274742d70726f62;  // "rtt-prob"

}  // namespace

const char* to_string(tunnel_event::kind k) {
  switch (k) {
    case tunnel_event::kind::session_up: return "session_up";
    case tunnel_event::kind::session_down: return "session_down";
    case tunnel_event::kind::stream_opened: return "stream_opened";
    case tunnel_event::kind::bytes: return "bytes";
    case tunnel_event::kind::stream_ended: return "stream_ended";
    case tunnel_event::kind::denied: return "denied";
    case tunnel_event::kind::notice: return "notice";
    case tunnel_event::kind::checkpoint: return "checkpoint";
  }
  return "unknown";
}

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
  bool closed = false;
  bool pinging = false;
  bool registered = false;                ///< the live session of its site
  agent_session_info info;
  std::chrono::steady_clock::time_point probe_sent;
  std::map<std::uint64_t, open_stream> results;  ///< result id -> its OPEN_STREAM
};

namespace {

/// An event of `what` on session `s`, for the result `o` opened (if any).
tunnel_event event_of(tunnel_event::kind what, const tunnel_server::session& s,
                      const open_stream& o = {}) {
  tunnel_event e;
  e.what = what;
  e.site = s.site;
  e.window_id = s.info.window_id;
  e.request_id = o.request_id;
  e.result_id = o.result_id;
  e.device = o.device;
  e.collector = o.collector;
  return e;
}

}  // namespace

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
      if (!*alive) return;
      unregister_session(*s, "connection ended");
      sessions_.erase(s);
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

/// Makes what was written durable (and counts it stored); false on failure. The store is
/// shared: a failed sync forgets every session's unsynced chunks, so every session that
/// may hold ACKs for them is closed (the agents resend after reconnecting).
bool sync_store(tunnel_server::session& s, result_store& store, tunnel_server_stats& stats,
                const std::set<std::shared_ptr<tunnel_server::session>>& sessions) {
  // Counted by the store, not by the session: a session closed without syncing (replaced by
  // the site's newer one) leaves its written chunks to the next sync, which makes them durable.
  const auto written = store.unsynced_chunks();
  if (auto error = store.sync(); !error.empty()) {
    log()->error("{} {}; closing every session, their unacknowledged chunks come again", s.tag(), error);
    s.close();
    for (const auto& other : sessions) other->close();
    return false;
  }
  stats.stored += written;
  return true;
}

/// One fsync and one ACK per batch: while more of the agent's bytes are already here, keep
/// storing (up to `batch` unsynced bytes); then sync the store, and only then acknowledge.
asio::awaitable<void> acknowledge(tunnel_server::session& s, result_store& store, std::uint64_t batch,
                                  tunnel_server_stats& stats,
                                  const std::set<std::shared_ptr<tunnel_server::session>>& sessions) {
  if (more_input(s) && store.unsynced_bytes() < batch) co_return;
  if (!sync_store(s, store, stats, sessions)) co_return;
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
  s->info.site = s->site;
  s->info.window_id = hi->window_id;
  s->info.agent_software = hi->agent_software;
  s->info.peer = s->peer;
  s->info.peer_fingerprint = peer_fingerprint(s->stream.native_handle());
  for (const auto& w : session_expiry_warnings(s->stream.native_handle())) log()->warn("{} {}", s->tag(), w);
  s->info.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(s->stream.native_handle()));
  s->info.connected_since_ms = wall_ms(settings_);
  s->info.window_closes_at_ms = hi->window_closes_at_ms;
  register_session(s);
  s->probe_sent = std::chrono::steady_clock::now();
  post(s, ping{rtt_probe_nonce});
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
      if (violation.empty()) co_await acknowledge(*s, store_, settings_.sync_batch_bytes, stats_, sessions_);
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
  if (!s->closed) sync_store(*s, store_, stats_, sessions_);  // stored, though the ACK may never arrive
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
    s.results[o->result_id] = *o;
    auto e = event_of(tunnel_event::kind::stream_opened, s, *o);
    e.bytes = progress.bytes;
    emit(std::move(e));
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
    const auto now = std::chrono::steady_clock::now();
    if (p->nonce == rtt_probe_nonce) {
      s.info.rtt_ms = std::chrono::duration<double, std::milli>(now - s.probe_sent).count();
    } else if (const auto rtt = s.alive->on_pong(p->nonce, now)) {
      s.info.rtt_ms = static_cast<double>(rtt->count());
    }
  } else if (const auto* g = std::get_if<goaway>(&f)) {
    log()->info("{} agent sent GOAWAY {}: {}", s.tag(), g->code, g->message);
    s.end_reason = "agent sent GOAWAY " + g->code + ": " + g->message;
    co_return std::string("goaway");
  } else if (const auto* d = std::get_if<deny>(&f)) {
    log()->info("{} [req={}] denied: {}: {}", s.tag(), d->request_id, d->reason, d->message);
    auto e = event_of(tunnel_event::kind::denied, s);
    e.request_id = d->request_id;
    e.reason = d->reason;
    e.message = d->message;
    emit(std::move(e));
  } else if (const auto* n = std::get_if<notice>(&f)) {
    log()->info("{} notice {}: {}", s.tag(), to_string(n->kind), n->message);
    auto e = event_of(tunnel_event::kind::notice, s);
    e.notice = n->kind;
    e.at_ms = n->at_ms;
    e.message = n->message;
    emit(std::move(e));
  } else if (const auto* c = std::get_if<audit_checkpoint>(&f)) {
    const audit_checkpoint copy = *c;
    co_await on_checkpoint(s, copy);
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
    // Counted in stats().stored once synced (result_store::unsynced_chunks).
    auto e = event_of(kind == chunk_kind::data ? tunnel_event::kind::bytes : tunnel_event::kind::stream_ended,
                      s, s.results[id.result_id]);
    e.result_id = id.result_id;
    e.bytes = store_.progress(s.site, id.result_id).first.bytes;
    if (kind == chunk_kind::end) {
      e.status = std::get<end_stream>(f).status;
      e.message = std::get<end_stream>(f).message;
    }
    emit(std::move(e));
  } else {
    ++stats_.duplicates;
    if (kind == chunk_kind::data) size = std::get<data>(f).bytes.size();
  }
  if (kind == chunk_kind::end) {
    s.receiver.forget(id.result_id);
    s.results.erase(id.result_id);
  } else if (const auto grant = s.streams.on_consumed(stream, size); grant > 0) {
    const frame more = credit{stream, grant};
    if (!co_await send(s, more)) co_return std::string();
  }
  co_return std::string();  // acknowledged by acknowledge() once synced
}

asio::awaitable<void> tunnel_server::on_checkpoint(session& s, const audit_checkpoint& c) {
  if (!settings_.anchor) {
    log()->warn("{} audit checkpoint {} not anchored: this console keeps no anchors", s.tag(),
                c.audit_sequence);
    co_return;
  }
  if (const auto error = settings_.anchor(s.site, c); !error.empty()) {
    log()->error("{} audit checkpoint {} not stored: {}", s.tag(), c.audit_sequence, error);
    co_return;  // not acknowledged: the agent sends it again on its next session
  }
  log()->info("{} audit checkpoint {} anchored", s.tag(), c.audit_sequence);
  auto e = event_of(tunnel_event::kind::checkpoint, s);
  e.result_id = c.audit_sequence;
  e.at_ms = c.at_ms;
  emit(std::move(e));
  const frame anchored = ack{{chunk_id{0, c.audit_sequence}}};
  co_await send(s, anchored);
}

void tunnel_server::emit(tunnel_event e) {
  if (on_event_) on_event_(e);
}

void tunnel_server::register_session(const std::shared_ptr<session>& s) {
  auto& slot = by_site_[s->site];
  if (slot && slot != s && !slot->closed) {
    // One session per site: the newest wins (the agent redialled; the old link is stale).
    log()->warn("{} replaces the site's session from {}", s->tag(), slot->peer);
    slot->registered = false;
    const frame bye = goaway{"session-replaced", false, "a newer session of this site replaced this one"};
    auto old = slot;
    asio::co_spawn(io_, [old, bye]() -> asio::awaitable<void> {
      co_await send(*old, bye);
      old->close();
    }, asio::detached);
  }
  slot = s;
  s->registered = true;
  auto e = event_of(tunnel_event::kind::session_up, *s);
  emit(std::move(e));
}

void tunnel_server::unregister_session(const session& s, const std::string& why) {
  if (!s.registered) return;
  auto it = by_site_.find(s.site);
  if (it == by_site_.end() || it->second.get() != &s) return;
  by_site_.erase(it);
  auto e = event_of(tunnel_event::kind::session_down, s);
  e.message = s.end_reason.empty() ? why : s.end_reason;
  emit(std::move(e));
}

void tunnel_server::post(const std::shared_ptr<session>& s, frame f) {
  asio::co_spawn(io_, [s, f = std::move(f)]() -> asio::awaitable<void> {
    const frame copy = f;
    co_await send(*s, copy);
  }, asio::detached);
}

std::vector<agent_session_info> tunnel_server::agents() const {
  std::vector<agent_session_info> out;
  for (const auto& [site, s] : by_site_)
    if (!s->closed) out.push_back(s->info);
  return out;
}

request_sent tunnel_server::send_request(const std::string& site, const std::string& json) {
  auto it = by_site_.find(site);
  if (it == by_site_.end() || it->second->closed) return {0, "no agent connected for site " + site};
  const auto id = std::max<std::uint64_t>(last_request_id_ + 1,
                                          static_cast<std::uint64_t>(wall_ms(settings_)) * 1000);
  const frame f = request{id, json};
  if (auto encoded = encode(f); encoded.error) return {0, "request JSON: " + encoded.error->message};
  last_request_id_ = id;
  log()->info("{} [req={}] REQUEST sent", it->second->tag(), id);
  post(it->second, f);
  return {id, {}};
}

std::string tunnel_server::cancel(const std::string& site, std::uint64_t request_id) {
  auto it = by_site_.find(site);
  if (it == by_site_.end() || it->second->closed) return "no agent connected for site " + site;
  post(it->second, transport::cancel{request_id});
  return {};
}

}  // namespace tether::transport
