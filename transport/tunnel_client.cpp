#include "transport/tunnel_client.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>

#include "transport/component_logger.hpp"
#include "transport/frame_channel.hpp"
#include "transport/keepalive.hpp"
#include "transport/message_text.hpp"
#include "transport/outbox.hpp"
#include "transport/peer_certificate.hpp"
#include "transport/stream_table.hpp"

namespace tether::transport {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;

namespace {

auto log() { return component_logger("tunnel"); }

/// Whether a TLS error is a refusal (certificate, pin, version, the peer's alert) rather
/// than a cut link: an OpenSSL library error other than an unexpected EOF.
bool is_tls_refusal(const boost::system::error_code& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return false;
  return ERR_GET_REASON(static_cast<unsigned long>(ec.value())) != SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

/// The most DENY / NOTICE frames kept for the next session while the link is down.
constexpr std::size_t max_queued_control = 256;

}  // namespace

const char* to_string(link_event::kind k) {
  switch (k) {
    case link_event::kind::up: return "up";
    case link_event::kind::down: return "down";
    case link_event::kind::refused: return "refused";
  }
  return "unknown";
}

/// One connection attempt's objects, shared by its coroutines; close() ends them all.
struct tunnel_client::connection {
  connection(asio::io_context& io, asio::ssl::context& ctx)
      : stream(io, ctx), channel(stream), wake(io), ping_timer(io), done(io), watchdog(io) {
    wake.expires_at(asio::steady_timer::time_point::max());
    done.expires_at(asio::steady_timer::time_point::max());
  }
  void close() {
    if (closed) return;
    closed = true;
    boost::system::error_code ignored;
    stream.lowest_layer().close(ignored);
    channel.stop();
    wake.cancel();
    ping_timer.cancel();
    watchdog.cancel();
  }

  tls_stream stream;
  frame_channel<tls_stream> channel;
  asio::steady_timer wake;        ///< the sender waits here for ACK, CREDIT or new chunks
  asio::steady_timer ping_timer;  ///< the keepalive deadline
  asio::steady_timer done;        ///< the session waits here for its helper coroutines
  asio::steady_timer watchdog;    ///< closes the socket when the connect deadline passes
  bool closed = false;
  bool timed_out = false;
  int helpers = 0;
  std::optional<outbound_streams> streams;
  std::optional<outbox> box;
  std::optional<keepalive> alive;
  std::string end_reason;
  bool permanent = false;
  std::optional<std::uint64_t> checkpoint_sent;  ///< audit_sequence sent on this connection
  std::vector<chunk_id> acked;  ///< ACK entries received, deleted from the spool in one go
};

/// The outcome of one dial: whether a session was established, and how it ended.
struct tunnel_client::attempt {
  bool established = false;
  bool permanent = false;
  std::string error;
};

tunnel_client_settings_result client_settings_from(const config::console_endpoint& console,
                                                   const std::string& site) {
  tunnel_client_settings_result out;
  tunnel_client_settings s;
  s.host = console.host;
  s.port = console.port;
  s.site_id = site;
  s.tls.identity = {console.cert_file, console.key_file, console.ca_file};
  s.tls.server_name = console.server_name.empty() ? console.host : console.server_name;
  if (console.pin_sha256) {
    s.tls.spki_pin = parse_spki_pin(*console.pin_sha256);
    if (!s.tls.spki_pin) out.errors.push_back("console.pin_sha256: expected 64 hex digits (colons allowed)");
  }
  if (const auto proxy = proxy_setting(console.proxy)) {
    auto parsed = parse_proxy_url(*proxy);
    if (parsed.value) {
      s.proxy = std::move(parsed.value);
    } else {
      out.errors.push_back((console.proxy ? "console.proxy: " : "HTTPS_PROXY: ") + parsed.error);
    }
  }
  if (out.errors.empty()) out.value = std::move(s);
  return out;
}

tunnel_client::tunnel_client(asio::io_context& io, tunnel_client_settings settings, spool& s)
    : io_(io), settings_(std::move(settings)), spool_(s), backoff_timer_(io) {
  auto ctx = make_client_context(settings_.tls);
  context_ = std::move(ctx.context);
  context_error_ = std::move(ctx.error);
  if (!settings_.random) {
    auto device = std::make_shared<std::random_device>();
    settings_.random = [device] {
      return (static_cast<std::uint64_t>((*device)()) << 32) | (*device)();
    };
  }
}

tunnel_client::~tunnel_client() { stop(); }

std::int64_t tunnel_client::now_ms() const {
  if (settings_.now_ms) return settings_.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void tunnel_client::wake() {
  if (current_) current_->wake.cancel();
}

spool_write tunnel_client::begin_result(std::uint64_t request_id, const std::string& collector,
                                        const std::string& device) {
  auto w = spool_.begin_result(request_id, collector, device);
  wake();
  return w;
}

spool_write tunnel_client::append(std::uint64_t result_id, std::span<const std::uint8_t> bytes) {
  auto w = spool_.append(result_id, bytes);
  wake();
  return w;
}

spool_write tunnel_client::finish(std::uint64_t result_id, end_status status,
                                  const std::string& message) {
  auto w = spool_.finish(result_id, status, message);
  wake();
  return w;
}

void tunnel_client::emit(link_event::kind what, std::string reason, std::string console_id,
                         std::string fingerprint, std::string cipher) {
  if (!on_link_) return;
  link_event e;
  e.what = what;
  e.reason = std::move(reason);
  e.console_id = std::move(console_id);
  e.peer_fingerprint = std::move(fingerprint);
  e.cipher = std::move(cipher);
  on_link_(e);
}

void tunnel_client::set_window(std::string window_id, std::int64_t closes_at_ms) {
  settings_.window_id = std::move(window_id);
  settings_.window_closes_at_ms = closes_at_ms;
}

void tunnel_client::enqueue(frame f) {
  if (control_.size() >= max_queued_control) {
    log()->warn("[site={}] control queue full: dropping the oldest {}", settings_.site_id,
                to_string(type_of(control_.front())));
    control_.pop_front();
  }
  control_.push_back(std::move(f));
  wake();
}

void tunnel_client::deny(std::uint64_t request_id, const std::string& reason,
                         const std::string& message) {
  enqueue(transport::deny{request_id, reason, message_text(message)});
}

void tunnel_client::notice(notice_kind kind, std::int64_t at_ms, const std::string& message) {
  enqueue(transport::notice{kind, at_ms, message_text(message)});
}

void tunnel_client::checkpoint(const audit_checkpoint& c) {
  checkpoint_ = c;
  wake();
}

void tunnel_client::close_for_window_end(const std::string& message) {
  if (!current_ || !current_->box || current_->closed) {
    stop();
    return;
  }
  if (checkpoint_ && current_->checkpoint_sent != checkpoint_->audit_sequence) {
    // The sealed segment's anchor goes before the goodbye; its ACK may not come back in
    // time, so it stays pending and is offered again in the next window.
    current_->checkpoint_sent = checkpoint_->audit_sequence;
    control_.push_back(*checkpoint_);
  }
  const auto text = message_text(message);
  control_.push_back(transport::notice{notice_kind::window_closed, settings_.window_closes_at_ms, text});
  control_.push_back(goaway{"window-closed", true, text});
  closing_for_window_ = true;
  stopped_ = true;  // no redial, whatever happens to this session now
  wake();
}

void tunnel_client::stop() {
  stopped_ = true;
  backoff_timer_.cancel();
  if (current_) current_->close();
}

asio::awaitable<tunnel_result> tunnel_client::run() {
  if (!context_) {
    log()->error("[site={}] tunnel not started: {}", settings_.site_id, context_error_);
    co_return tunnel_result{tunnel_end::permanent, context_error_};
  }
  backoff delays(settings_.backoff, settings_.random);
  while (!stopped_) {
    auto result = co_await connect_once();
    if (stopped_) break;
    if (result.permanent) {
      log()->error("[site={}] tunnel refused for good, not retrying: {}", settings_.site_id,
                   result.error);
      co_return tunnel_result{tunnel_end::permanent, result.error};
    }
    if (result.established) delays.reset();
    const auto delay = delays.next_delay();
    if (delays.exhausted()) {
      log()->error("[site={}] tunnel gave up after {} failed attempts: {}", settings_.site_id,
                   delays.failures(), result.error);
      co_return tunnel_result{tunnel_end::gave_up, result.error};
    }
    log()->warn("[site={}] tunnel down ({}), redialing in {} ms", settings_.site_id,
                result.error, delay.count());
    backoff_timer_.expires_after(delay);
    boost::system::error_code ignored;
    co_await backoff_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return tunnel_result{tunnel_end::stopped, {}};
}

asio::awaitable<tunnel_client::attempt> tunnel_client::connect_once() {
  auto conn = std::make_shared<connection>(io_, *context_);
  current_ = conn;
  conn->watchdog.expires_after(settings_.connect_timeout);
  conn->watchdog.async_wait([conn](const boost::system::error_code& ec) {
    if (ec || conn->closed) return;
    conn->timed_out = true;
    conn->close();
  });
  const std::string target = settings_.host + ":" + std::to_string(settings_.port);
  auto failed = [&](std::string what, bool permanent = false, bool refusal = false) {
    conn->close();
    current_.reset();
    if (conn->timed_out) what += " (connect deadline passed)";
    if (refusal || permanent) emit(link_event::kind::refused, what);
    return attempt{false, permanent, std::move(what)};
  };
  boost::system::error_code ec;
  tcp::resolver resolver(io_);
  const auto& dial_host = settings_.proxy ? settings_.proxy->host : settings_.host;
  const auto dial_port = settings_.proxy ? settings_.proxy->port : settings_.port;
  auto endpoints = co_await resolver.async_resolve(
      dial_host, std::to_string(dial_port), asio::redirect_error(asio::use_awaitable, ec));
  if (ec || conn->closed)
    co_return failed("resolving " + dial_host + ": " + (ec ? ec.message() : "stopped"));
  co_await asio::async_connect(conn->stream.next_layer(), endpoints,
                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec || conn->closed)
    co_return failed((settings_.proxy ? "proxy " + settings_.proxy->describe() : target) +
                     ": connect: " + (ec ? ec.message() : "stopped"));
  conn->stream.next_layer().set_option(tcp::no_delay(true), ec);  // small frames go at once (Nagle)
  if (settings_.proxy) {
    const auto through = co_await http_connect(conn->stream.next_layer(), *settings_.proxy,
                                               settings_.host, settings_.port);
    if (!through.ok || conn->closed) co_return failed(through.error, through.permanent);
  }
  boost::system::error_code not_ip;
  asio::ip::make_address(settings_.tls.server_name, not_ip);
  if (not_ip)  // SNI carries DNS names only
    SSL_set_tlsext_host_name(conn->stream.native_handle(), settings_.tls.server_name.c_str());
  co_await conn->stream.async_handshake(asio::ssl::stream_base::client,
                                        asio::redirect_error(asio::use_awaitable, ec));
  if (ec || conn->closed) {
    std::string why = ec ? ec.message() : "stopped";
    const long verify = SSL_get_verify_result(conn->stream.native_handle());
    if (verify != X509_V_OK) why += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    co_return failed("TLS handshake with console " + target + " failed: " + why,
                     is_tls_refusal(ec));
  }
  const hello hi{settings_.handshake.min_version, settings_.handshake.max_version, now_ms(),
                 settings_.window_closes_at_ms,   settings_.site_id,
                 settings_.window_id,             settings_.software};
  const frame hello_frame = hi;
  if (auto wec = co_await conn->channel.write(hello_frame); wec || conn->closed)
    co_return failed("sending HELLO to " + target + ": " + wec.message());
  auto answer = co_await conn->channel.read();
  if (conn->closed) co_return failed("waiting for HELLO_ACK from " + target + ": stopped");
  if (answer.io)  // in TLS 1.3 the console's refusal of our certificate arrives here
    co_return failed("console " + target + " ended the connection before HELLO_ACK: " +
                         answer.io.message(),
                     is_tls_refusal(answer.io));
  if (answer.protocol)
    co_return failed("console " + target + " sent an undecodable frame: " + answer.protocol->message);
  if (const auto* bye = std::get_if<goaway>(&*answer.value))
    co_return failed("console " + target + " refused HELLO: " + bye->code + ": " + bye->message,
                     !bye->retry, true);
  const auto* ack = std::get_if<hello_ack>(&*answer.value);
  if (ack == nullptr) co_return failed("console " + target + " answered HELLO with another frame");
  if (auto refusal = evaluate_hello_ack(hi, *ack, now_ms(), settings_.handshake)) {
    const frame bye = *refusal;
    co_await conn->channel.write(bye);
    co_return failed("refusing console " + target + ": " + refusal->code + ": " + refusal->message,
                     !refusal->retry, true);
  }
  conn->watchdog.cancel();
  ++sessions_;
  log()->info("[site={}] tunnel up to console {} ({}{}), protocol {}", settings_.site_id,
              ack->console_id, target,
              settings_.proxy ? " via proxy " + settings_.proxy->describe() : std::string(),
              ack->version);
  conn->streams.emplace(ack->max_streams, ack->initial_stream_credit);
  conn->box.emplace(spool_, *conn->streams);
  const std::chrono::milliseconds interval(std::max<std::uint32_t>(ack->keepalive_interval_ms, 1));
  conn->alive.emplace(keepalive_settings{interval, 2 * interval}, std::chrono::steady_clock::now());
  for (const auto& w : session_expiry_warnings(conn->stream.native_handle()))
    log()->warn("[site={}] {}", settings_.site_id, w);
  emit(link_event::kind::up, {}, ack->console_id, peer_fingerprint(conn->stream.native_handle()),
       SSL_CIPHER_get_name(SSL_get_current_cipher(conn->stream.native_handle())));
  auto result = co_await session(conn);
  if (current_ == conn) current_.reset();
  emit(link_event::kind::down, result.error);
  co_return result;
}

asio::awaitable<tunnel_client::attempt> tunnel_client::session(std::shared_ptr<connection> conn) {
  auto helper_done = [conn](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        conn->end_reason = std::string("internal error: ") + x.what();
      }
    }
    --conn->helpers;
    conn->close();
    conn->done.cancel();
  };
  conn->helpers = 2;
  asio::co_spawn(io_, sender(conn), helper_done);
  asio::co_spawn(io_, pinger(conn), helper_done);
  while (!conn->closed) {
    auto r = co_await conn->channel.read();
    if (conn->closed) break;
    if (r.io) {
      conn->end_reason = "connection lost: " + r.io.message();
      break;
    }
    if (r.protocol) {
      const frame bye = goaway{"protocol-error", true, message_text(r.protocol->message)};
      co_await conn->channel.write(bye);
      conn->end_reason = "console sent an invalid frame: " + r.protocol->message;
      break;
    }
    conn->alive->on_frame_received(std::chrono::steady_clock::now());
    if (!handle(*conn, *r.value)) {
      if (conn->end_reason.rfind("protocol", 0) == 0) {
        const frame bye = goaway{"protocol-error", true, message_text(conn->end_reason)};
        co_await conn->channel.write(bye);
      }
      break;
    }
  }
  if (conn->end_reason.empty()) conn->end_reason = stopped_ ? "stopped" : "connection closed";
  conn->close();
  flush_acks(*conn);  // the console stored them: do not resend them on the next session
  while (conn->helpers > 0) {
    boost::system::error_code ignored;
    co_await conn->done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return attempt{true, conn->permanent, conn->end_reason};
}

bool tunnel_client::handle(connection& conn, frame& f) {
  if (!may_send(tunnel_role::console, type_of(f)) || std::holds_alternative<hello_ack>(f)) {
    conn.end_reason = std::string("protocol: unexpected ") + to_string(type_of(f)) + " from the console";
    return false;
  }
  if (auto* a = std::get_if<ack>(&f)) {
    for (const auto& id : a->chunks) {
      if (id.result_id == 0 && checkpoint_ && checkpoint_->audit_sequence == id.sequence) {
        log()->info("[site={}] audit checkpoint {} anchored by the console", settings_.site_id, id.sequence);
        checkpoint_.reset();
      }
    }
    // Deleted by the sender before its next pass (or when the session ends): one spool
    // transaction for every ACK that arrived meanwhile, not one per ACK frame.
    conn.acked.insert(conn.acked.end(), a->chunks.begin(), a->chunks.end());
    if (conn.acked.size() >= max_ack_entries) flush_acks(conn);
    conn.wake.cancel();
  } else if (auto* c = std::get_if<credit>(&f)) {
    if (auto check = conn.box->on_credit(*c); !check.ok) {
      conn.end_reason = "protocol: " + check.violation;
      return false;
    }
    conn.wake.cancel();
  } else if (auto* p = std::get_if<ping>(&f)) {
    // Answered from its own coroutine so the reader never waits behind a long DATA write.
    ++conn.helpers;
    asio::co_spawn(io_, [&conn, nonce = p->nonce]() -> asio::awaitable<void> {
      const frame answer = pong{nonce};
      co_await conn.channel.write(answer);
    }, [&conn](std::exception_ptr) {
      --conn.helpers;
      conn.done.cancel();
    });
  } else if (auto* p = std::get_if<pong>(&f)) {
    conn.alive->on_pong(p->nonce, std::chrono::steady_clock::now());
  } else if (auto* g = std::get_if<goaway>(&f)) {
    conn.end_reason = "console sent GOAWAY " + g->code + ": " + g->message;
    conn.permanent = !g->retry;
    return false;
  } else if (auto* c = std::get_if<cancel>(&f)) {
    if (on_cancel_) {
      on_cancel_(c->request_id);
    } else {
      log()->warn("[site={} req={}] CANCEL ignored: no dispatcher", settings_.site_id, c->request_id);
    }
  } else if (auto* r = std::get_if<request>(&f)) {
    if (on_request_) {
      on_request_(*r);
    } else {
      log()->warn("[site={} req={}] REQUEST ignored: no dispatcher", settings_.site_id, r->request_id);
    }
  } else {
    log()->debug("[site={}] {} from the console ignored", settings_.site_id, to_string(type_of(f)));
  }
  return true;
}

void tunnel_client::flush_acks(connection& conn) {
  if (conn.acked.empty()) return;
  conn.box->on_ack(ack{std::move(conn.acked)});
  conn.acked.clear();
}

asio::awaitable<void> tunnel_client::sender(std::shared_ptr<connection> conn) {
  while (!conn->closed) {
    if (!control_.empty()) {  // DENY / NOTICE (and the window's GOAWAY) go before results
      const frame next = control_.front();
      control_.pop_front();
      const auto ec = co_await conn->channel.write(next);
      if (ec == asio::error::invalid_argument) {  // a frame that cannot be encoded: drop it, never retry it
        log()->error("[site={}] {} not sent: it does not encode", settings_.site_id, to_string(type_of(next)));
        continue;
      }
      if (ec || conn->closed) {
        if (!std::holds_alternative<goaway>(next)) control_.push_front(next);
        co_return;
      }
      continue;
    }
    if (closing_for_window_) {
      closing_for_window_ = false;
      conn->end_reason = "the change window closed";
      // Nothing more is sent. The console answers GOAWAY by closing (after ACKing the sealed
      // anchor); closing first would make our kernel reset the link and could drop frames
      // the console has not read yet. The reader drains until then; the daemon bounds it.
      while (!conn->closed) {
        conn->wake.expires_at(asio::steady_timer::time_point::max());
        boost::system::error_code ignored;
        co_await conn->wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      }
      co_return;
    }
    if (checkpoint_ && conn->checkpoint_sent != checkpoint_->audit_sequence) {
      conn->checkpoint_sent = checkpoint_->audit_sequence;
      const frame anchor = *checkpoint_;
      if (const auto ec = co_await conn->channel.write(anchor); ec || conn->closed) co_return;
      continue;
    }
    flush_acks(*conn);
    auto batch = conn->box->next();
    if (!batch.error.empty())
      log()->error("[site={}] spool: {}", settings_.site_id, batch.error);
    if (batch.frames.empty()) {
      conn->wake.expires_at(asio::steady_timer::time_point::max());
      boost::system::error_code ignored;
      co_await conn->wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      continue;
    }
    for (auto& f : batch.frames) {
      // DATA digests come from the spool, computed from the same bytes when they were committed.
      const auto ec = co_await conn->channel.write(f, digest_check::trusted);
      if (ec || conn->closed) co_return;
      conn->box->recycle(std::move(f));
    }
  }
}

asio::awaitable<void> tunnel_client::pinger(std::shared_ptr<connection> conn) {
  while (!conn->closed) {
    conn->ping_timer.expires_at(conn->alive->deadline());
    boost::system::error_code ignored;
    co_await conn->ping_timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (conn->closed) co_return;
    switch (conn->alive->poll(std::chrono::steady_clock::now())) {
      case keepalive_action::none:
        break;
      case keepalive_action::send_ping: {
        const frame probe = ping{conn->alive->ping_nonce()};
        co_await conn->channel.write(probe);
        break;
      }
      case keepalive_action::peer_dead: {
        conn->end_reason = "console silent past the keepalive timeout";
        const frame bye = goaway{"peer-dead", true, "no answer to PING"};
        co_await conn->channel.write(bye);
        conn->close();
        co_return;
      }
    }
  }
}

}  // namespace tether::transport
