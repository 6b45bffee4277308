#include "console/console_server.hpp"

#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <deque>

#include "common/hex.hpp"
#include "config/identifier.hpp"
#include "console/device_overview.hpp"
#include "console/result_document.hpp"
#include "transport/component_logger.hpp"

namespace tether::console {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;
using nlohmann::json;

namespace {

auto log() { return transport::component_logger("console"); }

/// The longest request line an engineer may send.
constexpr std::size_t max_request_line = 1024 * 1024;

/// Event lines kept for a follower that is slow to read, beyond which `bytes` lines are dropped.
constexpr std::size_t max_follow_lines = 4096;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The user name of the process at the other end of a Unix socket (SO_PEERCRED).
std::string peer_user(int fd) {
  ucred cred{};
  socklen_t size = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0) return {};
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(cred.uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr)
    return found->pw_name;
  return "uid-" + std::to_string(cred.uid);
}

json failure(const std::string& message) { return json{{"ok", false}, {"error", message}}; }

std::string line_of(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

/// A string field that must be an identifier (site, device, collector); nullopt with `error` set.
std::optional<std::string> identifier_field(const json& request, const char* key, std::string& error) {
  const auto it = request.find(key);
  if (it == request.end() || !it->is_string() || !config::is_identifier(it->get<std::string>())) {
    error = std::string(key) + ": expected an identifier (letters, digits, . _ -)";
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::uint64_t> request_id_field(const json& request) {
  const auto it = request.find("request_id");
  if (it == request.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<std::uint64_t>();
}

json result_json(const result_row& r) {
  auto commands = json::parse(r.commands_json, nullptr, false);
  if (commands.is_discarded()) commands = json::array();
  return json{{"id", r.id},          {"site", r.site},           {"window", r.window_id},
              {"request_id", r.request_id}, {"result_id", r.result_id}, {"device", r.device},
              {"collector", r.collector},   {"commands", commands},     {"bytes", r.bytes},
              {"sha256", r.sha256},         {"status", r.status},       {"message", r.message},
              {"started_ms", r.started_ms}, {"finished_ms", r.finished_ms}};
}

std::string to_hex(const std::string& bytes) { return common::to_hex(bytes.data(), bytes.size()); }

template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  return common::to_hex(bytes.data(), N);
}

}  // namespace

/// One engineer connection: the socket, who it is, and what it follows.
struct console_server::engineer {
  explicit engineer(local::socket s) : socket(std::move(s)), wake(socket.get_executor()) {
    wake.expires_at(asio::steady_timer::time_point::max());
  }
  void close() {
    if (closed) return;
    closed = true;
    boost::system::error_code ignored;
    socket.close(ignored);
    wake.cancel();
  }
  local::socket socket;
  asio::steady_timer wake;
  std::string user;
  std::string site;                  ///< followed site
  std::uint64_t follow_request = 0;  ///< followed request, 0 when not following
  std::deque<std::string> lines;     ///< event lines waiting to be written
  bool closed = false;
};

console_server::console_server(asio::io_context& io, console_server_settings settings)
    : io_(io),
      settings_([&] {
        // The data folder is made 0700 before the result store creates results/ in it.
        std::error_code ec;
        if (std::filesystem::create_directories(settings.data_dir, ec))
          std::filesystem::permissions(settings.data_dir, std::filesystem::perms::owner_all, ec);
        settings.tunnel.data_dir = settings.data_dir / "results";
        settings.tunnel.anchor = [this](const std::string& site, const transport::audit_checkpoint& c) {
          return anchor(site, c);
        };
        if (settings.socket_path.empty()) settings.socket_path = settings.data_dir / "console.sock";
        return std::move(settings);
      }()),
      tunnel_(io, settings_.tunnel),
      engineers_(io) {}

console_server::~console_server() { stop(); }

std::string console_server::start() {
  std::error_code ec;
  if (!std::filesystem::is_directory(settings_.data_dir, ec))
    return "data dir " + settings_.data_dir.string() + ": cannot create it";
  auto opened = result_index::open(settings_.data_dir / "index.sqlite");
  if (!opened.value) return opened.error;
  index_ = std::move(opened.value);
  if (auto error = tunnel_.listen(settings_.listen); !error.empty()) return error;
  // A socket file left by a console that died is replaced; a live one is not taken over.
  const auto& path = settings_.socket_path;
  if (std::filesystem::is_socket(std::filesystem::symlink_status(path, ec))) {
    local::socket probe(io_);
    boost::system::error_code connect_error;
    probe.connect(local::endpoint(path.string()), connect_error);
    if (!connect_error) return "engineer socket " + path.string() + ": another console is serving on it";
    std::filesystem::remove(path, ec);
  }
  boost::system::error_code bec;
  engineers_.open(local(), bec);
  if (!bec) engineers_.bind(local::endpoint(path.string()), bec);
  if (bec) return "engineer socket " + path.string() + ": " + bec.message();
  socket_created_ = true;
  ::chmod(path.c_str(), 0660);
  engineers_.listen(asio::socket_base::max_listen_connections, bec);
  if (bec) return "engineer socket " + path.string() + ": " + bec.message();
  tunnel_.on_event([this](const transport::tunnel_event& e) {
    try {
      on_event(e);
    } catch (const std::exception& x) {  // the index or JSON failing must not end the agent's session
      log()->error("[site={}] event {} not recorded: {}", e.site, to_string(e.what), x.what());
    }
  });
  tunnel_.start();
  asio::co_spawn(io_, accept_engineers(), asio::detached);
  log()->info("console serving agents on {}:{}, engineers on {}", settings_.listen.address().to_string(),
              tunnel_.port(), path.string());
  return {};
}

void console_server::stop() {
  tunnel_.stop();
  boost::system::error_code ignored;
  engineers_.close(ignored);
  for (auto& weak : connected_)
    if (auto e = weak.lock()) e->close();
  connected_.clear();
  if (socket_created_) {
    std::error_code ec;
    std::filesystem::remove(settings_.socket_path, ec);
    socket_created_ = false;
  }
}

asio::awaitable<void> console_server::accept_engineers() {
  for (;;) {
    boost::system::error_code ec;
    local::socket socket(io_);
    co_await engineers_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !engineers_.is_open()) co_return;
    if (ec) continue;
    auto e = std::make_shared<engineer>(std::move(socket));
    e->user = peer_user(e->socket.native_handle());
    std::erase_if(connected_, [](const auto& w) { return w.expired(); });
    connected_.push_back(e);
    asio::co_spawn(io_, serve_engineer(e), asio::detached);
  }
}

asio::awaitable<void> console_server::serve_engineer(std::shared_ptr<engineer> e) {
  asio::streambuf buffer(max_request_line);
  while (!e->closed) {
    boost::system::error_code ec;
    const auto n = co_await asio::async_read_until(e->socket, buffer, '\n',
                                                   asio::redirect_error(asio::use_awaitable, ec));
    if (e->closed) co_return;
    json reply;
    if (ec == asio::error::not_found) {
      reply = failure("engineer socket: request longer than 1 MiB");
    } else if (ec) {
      break;
    } else {
      std::string text(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + static_cast<std::ptrdiff_t>(n));
      buffer.consume(n);
      const auto request = json::parse(text, nullptr, false);
      reply = request.is_object() ? answer(*e, request) : failure("engineer socket: a request is one JSON object per line");
    }
    const auto out = line_of(reply);
    co_await asio::async_write(e->socket, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
    if (ec || e->closed) break;
    if (e->follow_request == 0) continue;
    // Following: a reader notices the engineer leaving; event lines go out as they come.
    asio::co_spawn(io_, [e]() -> asio::awaitable<void> {
      char byte = 0;
      boost::system::error_code ignored;
      co_await e->socket.async_read_some(asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, ignored));
      e->close();
    }, asio::detached);
    while (!e->closed) {
      if (e->lines.empty()) {
        e->wake.expires_at(asio::steady_timer::time_point::max());
        co_await e->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      const auto next = std::move(e->lines.front());
      e->lines.pop_front();
      co_await asio::async_write(e->socket, asio::buffer(next), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    break;
  }
  e->close();
}

json console_server::answer(engineer& e, const json& request) {
  const auto op = request.find("op");
  if (op == request.end() || !op->is_string()) return failure("engineer socket: missing \"op\"");
  const auto name = op->get<std::string>();
  if (name == "agents") return agents();
  if (name == "run") return run(e, request);
  if (name == "results") return results(request);
  if (name == "show") return show(request);
  if (name == "devices") return devices(request);
  if (name == "anchors") return anchors(request);
  if (name == "notes") return notes(e, request);
  if (name == "cancel") return cancel(request);
  return failure("engineer socket: unknown op \"" + name + "\"");
}

json console_server::agents() {
  json list = json::array();
  for (const auto& a : tunnel_.agents()) {
    list.push_back({{"site", a.site},
                    {"window", a.window_id},
                    {"window_closes_at_ms", a.window_closes_at_ms},
                    {"connected_since_ms", a.connected_since_ms},
                    {"rtt_ms", a.rtt_ms ? json(*a.rtt_ms) : json(nullptr)},
                    {"peer", a.peer},
                    {"fingerprint", a.peer_fingerprint},
                    {"software", a.agent_software}});
  }
  return json{{"ok", true}, {"agents", list}};
}

json console_server::run(engineer& e, const json& request) {
  std::string error;
  const auto site = identifier_field(request, "site", error);
  const auto collector = identifier_field(request, "collector", error);
  if (!site || !collector) return failure(error);
  json out{{"collector", *collector}};
  if (const auto it = request.find("devices"); it != request.end() && !it->is_null()) {
    if (!it->is_array() || it->empty()) return failure("devices: expected a list of device names");
    for (const auto& d : *it)
      if (!d.is_string() || !config::is_identifier(d.get<std::string>()))
        return failure("devices: " + d.dump() + " is not a device name");
    out["devices"] = *it;
  }
  if (const auto it = request.find("params"); it != request.end() && !it->is_null()) {
    if (!it->is_object()) return failure("params: expected an object of names to strings");
    for (const auto& [k, v] : it->items())
      if (!v.is_string() || !config::is_identifier(k)) return failure("params: " + k + " must be a name with a string value");
    out["params"] = *it;
  }
  out["engineer"] = e.user;
  const auto text = out.dump();
  const auto sent = tunnel_.send_request(*site, text);
  if (!sent.error.empty()) return failure(sent.error);
  log()->info("[site={} req={}] engineer {} runs {}", *site, sent.request_id, e.user, *collector);
  if (auto err = index_->add_request({sent.request_id, *site, e.user, *collector, text, wall_ms(), {}, {}}); !err.empty())
    log()->error("{}", err);
  const auto follow = request.find("follow");
  if (follow != request.end() && follow->is_boolean() && follow->get<bool>()) {
    e.site = *site;
    e.follow_request = sent.request_id;
  }
  return json{{"ok", true}, {"site", *site}, {"request_id", sent.request_id}};
}

json console_server::results(const json& request) {
  std::string error;
  const auto site = identifier_field(request, "site", error);
  if (!site) return failure(error);
  const auto id = request_id_field(request);
  auto rows = index_->results(*site, id);
  if (!rows.error.empty()) return failure(rows.error);
  auto requests = index_->requests(*site, id);
  if (!requests.error.empty()) return failure(requests.error);
  json list = json::array();
  for (const auto& r : rows.rows) list.push_back(result_json(r));
  json asked = json::array();
  for (const auto& r : requests.rows) {
    asked.push_back({{"request_id", r.request_id}, {"engineer", r.engineer}, {"collector", r.collector},
                     {"sent_ms", r.sent_ms}, {"denied_reason", r.denied_reason},
                     {"denied_message", r.denied_message}});
  }
  return json{{"ok", true}, {"results", list}, {"requests", asked}};
}

json console_server::show(const json& request) {
  const auto it = request.find("id");
  if (it == request.end() || !it->is_number_integer()) return failure("id: expected a result id");
  auto rows = index_->result(it->get<std::int64_t>());
  if (!rows.error.empty()) return failure(rows.error);
  if (rows.rows.empty()) return failure("no result " + std::to_string(it->get<std::int64_t>()));
  const auto& row = rows.rows[0];
  const auto path = tunnel_.store().data_path(row.site, row.result_id);
  auto bytes = read_result(path);
  if (!bytes.error.empty()) return failure(bytes.error);
  // Only the first max_document_size bytes are read: a bigger result is hashed as a stream.
  const auto stored_sha256 =
      bytes.bytes.size() < max_document_size ? sha256_hex(bytes.bytes) : summarize_result(path).sha256;
  json out{{"ok", true}, {"result", result_json(row)}, {"stored_sha256", stored_sha256}};
  auto doc = parse_result_document(bytes.bytes);
  const bool is_document = !doc.is_null();
  if (is_document) out["document"] = std::move(doc);
  const auto raw = request.find("raw");
  if (!is_document || (raw != request.end() && raw->is_boolean() && raw->get<bool>()))
    out["raw_hex"] = to_hex(bytes.bytes);
  return out;
}

json console_server::devices(const json& request) {
  std::string error;
  const auto site = identifier_field(request, "site", error);
  if (!site) return failure(error);
  auto rows = index_->results(*site);
  if (!rows.error.empty()) return failure(rows.error);
  device_overview overview;
  for (const auto& row : rows.rows) {  // oldest first: the newest result of a device wins
    if (row.status != "ok" || (row.collector != "facts" && row.collector != "alarms")) continue;
    auto bytes = read_result(tunnel_.store().data_path(row.site, row.result_id));
    if (bytes.error.empty()) overview.add(row.device, row.collector, parse_result_document(bytes.bytes));
  }
  return json{{"ok", true}, {"site", *site}, {"devices", overview.rows()}};
}

json console_server::anchors(const json& request) {
  std::string error;
  const auto site = identifier_field(request, "site", error);
  if (!site) return failure(error);
  auto rows = index_->anchors(*site);
  if (!rows.error.empty()) return failure(rows.error);
  json list = json::array();
  for (const auto& a : rows.rows)
    list.push_back({{"seq", a.audit_sequence}, {"hash", a.chain_head}, {"signature", a.signature},
                    {"at_ms", a.at_ms}, {"received_ms", a.received_ms}});
  return json{{"ok", true}, {"site", *site}, {"anchors", list}};
}

json console_server::notes(engineer& e, const json& request) {
  std::string error;
  const auto site = identifier_field(request, "site", error);
  if (!site) return failure(error);
  if (const auto add = request.find("add"); add != request.end()) {
    if (!add->is_string() || add->get<std::string>().empty() || add->get<std::string>().size() > 4096)
      return failure("notes: the text must be 1 to 4096 bytes");
    if (auto err = index_->add_note({0, *site, wall_ms(), e.user, add->get<std::string>()}); !err.empty())
      return failure(err);
  }
  auto rows = index_->notes(*site);
  if (!rows.error.empty()) return failure(rows.error);
  json list = json::array();
  for (const auto& n : rows.rows)
    list.push_back({{"id", n.id}, {"at_ms", n.at_ms}, {"author", n.author}, {"text", n.text}});
  return json{{"ok", true}, {"site", *site}, {"notes", list}};
}

json console_server::cancel(const json& request) {
  std::string error;
  const auto site = identifier_field(request, "site", error);
  if (!site) return failure(error);
  const auto id = request_id_field(request);
  if (!id) return failure("request_id: expected a request id");
  if (auto err = tunnel_.cancel(*site, *id); !err.empty()) return failure(err);
  return json{{"ok", true}};
}

void console_server::on_event(const transport::tunnel_event& ev) {
  using kind = transport::tunnel_event::kind;
  result_row row;
  row.site = ev.site;
  row.window_id = ev.window_id;
  row.request_id = ev.request_id;
  row.result_id = ev.result_id;
  row.device = ev.device;
  row.collector = ev.collector;
  row.started_ms = wall_ms();
  switch (ev.what) {
    case kind::stream_opened: {
      if (auto err = index_->open_result(row); !err.empty()) log()->error("{}", err);
      tell_followers(ev.site, ev.request_id,
                     {{"event", "opened"}, {"device", ev.device}, {"collector", ev.collector}, {"bytes", ev.bytes}});
      break;
    }
    case kind::bytes:
      tell_followers(ev.site, ev.request_id, {{"event", "bytes"}, {"device", ev.device}, {"bytes", ev.bytes}});
      break;
    case kind::stream_ended: {
      const auto summary = summarize_result(tunnel_.store().data_path(ev.site, ev.result_id));
      if (!summary.error.empty()) log()->error("[site={}] {}", ev.site, summary.error);
      row.commands_json = summary.commands.dump(-1, ' ', false, json::error_handler_t::replace);
      row.bytes = summary.bytes;
      row.sha256 = summary.sha256;
      row.status = to_string(ev.status);
      row.message = ev.message;
      row.finished_ms = wall_ms();
      if (auto err = index_->finish_result(row); !err.empty()) log()->error("{}", err);
      std::int64_t id = 0;
      for (const auto& r : index_->results(ev.site, ev.request_id).rows)
        if (r.result_id == ev.result_id) id = r.id;
      tell_followers(ev.site, ev.request_id,
                     {{"event", "ended"}, {"device", ev.device}, {"status", row.status},
                      {"message", ev.message}, {"bytes", summary.bytes}, {"sha256", summary.sha256},
                      {"id", id}});
      break;
    }
    case kind::denied:
      if (auto err = index_->deny_request(ev.site, ev.request_id, ev.reason, ev.message); !err.empty()) log()->error("{}", err);
      tell_followers(ev.site, ev.request_id, {{"event", "denied"}, {"reason", ev.reason}, {"message", ev.message}});
      break;
    case kind::notice:
      tell_followers(ev.site, 0, {{"event", "notice"}, {"kind", to_string(ev.notice)}, {"at_ms", ev.at_ms},
                                  {"message", ev.message}});
      break;
    case kind::session_down:
      tell_followers(ev.site, 0, {{"event", "link_down"}, {"message", ev.message}});
      break;
    case kind::session_up:
    case kind::checkpoint:
      break;
  }
}

void console_server::tell_followers(const std::string& site, std::uint64_t request_id, const json& line) {
  auto with_request = line;
  with_request["request_id"] = request_id;
  const auto text = line_of(request_id == 0 ? line : with_request);
  for (auto& weak : connected_) {
    auto e = weak.lock();
    if (!e || e->closed || e->follow_request == 0 || e->site != site) continue;
    if (request_id != 0 && e->follow_request != request_id) continue;
    // A follower that does not read keeps at most max_follow_lines; progress lines go first.
    if (e->lines.size() >= max_follow_lines && line.value("event", "") == "bytes") continue;
    e->lines.push_back(text);
    e->wake.cancel();
  }
}

std::string console_server::anchor(const std::string& site, const transport::audit_checkpoint& c) {
  return index_->add_anchor({site, c.audit_sequence, to_hex(c.chain_head), to_hex(c.ed25519), c.at_ms, wall_ms()});
}

}  // namespace tether::console
