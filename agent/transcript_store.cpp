#include "agent/transcript_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "agent/file_text.hpp"
#include "common/json_nesting.hpp"
#include "config/identifier.hpp"

namespace tether::agent {

namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

std::string dump(const ojson& j) {
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

// Writes `bytes` to a new file (mode 0600, never through a symlink, never over a file).
transcript_status write_new(const fs::path& path, std::string_view bytes) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return {"transcript " + path.string() + ": " + std::strerror(errno)};
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      close(fd);
      return {"transcript " + path.string() + ": " + why};
    }
    done += std::size_t(n);
  }
  close(fd);
  return {};
}

transcript_status append_line(const fs::path& path, const std::string& line) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return {"transcript index " + path.string() + ": " + std::strerror(errno)};
  const std::string text = line + "\n";
  const bool ok = write(fd, text.data(), text.size()) == ssize_t(text.size());
  close(fd);
  if (!ok) return {"transcript index " + path.string() + ": short write"};
  return {};
}

ojson request_json(const transcript_request& r) {
  ojson j = ojson::object();
  j["window"] = r.window;
  j["request"] = r.request_id;
  j["engineer"] = r.engineer;
  j["collector"] = r.collector;
  j["params"] = r.params;
  j["devices"] = r.devices;
  j["received_at"] = r.received_at;
  j["commands"] = r.commands;
  return j;
}

ojson device_json(const transcript_device& d) {
  ojson j = ojson::object();
  j["device"] = d.device;
  j["status"] = d.status;
  j["started_at"] = d.started_at;
  j["ended_at"] = d.ended_at;
  j["commands"] = d.commands;
  j["sha256"] = d.sha256;
  j["bytes"] = d.bytes;
  return j;
}

// Reads one JSON object written by the store; files are untrusted when read back.
std::optional<ojson> read_object(const fs::path& path, std::string& error) {
  const auto text = read_text(path.string());
  if (!text) {
    error = "cannot read " + path.string();
    return std::nullopt;
  }
  if (common::json_nests_deeper_than(*text, 16)) {
    error = path.string() + ": nested too deeply";
    return std::nullopt;
  }
  auto j = ojson::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = path.string() + ": not a JSON object";
    return std::nullopt;
  }
  return j;
}

std::string text_of(const ojson& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<transcript_request> request_of(const ojson& j) {
  transcript_request r;
  auto id = j.find("request");
  if (id == j.end() || !id->is_number_unsigned()) return std::nullopt;
  r.request_id = id->get<std::uint64_t>();
  r.window = text_of(j, "window");
  r.engineer = text_of(j, "engineer");
  r.collector = text_of(j, "collector");
  r.received_at = text_of(j, "received_at");
  if (auto p = j.find("params"); p != j.end() && p->is_object()) r.params = *p;
  if (auto d = j.find("devices"); d != j.end() && d->is_array())
    for (const auto& name : *d)
      if (name.is_string()) r.devices.push_back(name.get<std::string>());
  if (auto c = j.find("commands"); c != j.end() && c->is_array())
    for (const auto& command : *c)
      if (command.is_string()) r.commands.push_back(command.get<std::string>());
  return r;
}

transcript_device device_of(const ojson& j) {
  transcript_device d;
  d.device = text_of(j, "device");
  d.status = text_of(j, "status");
  d.started_at = text_of(j, "started_at");
  d.ended_at = text_of(j, "ended_at");
  d.sha256 = text_of(j, "sha256");
  if (auto c = j.find("commands"); c != j.end() && c->is_array()) d.commands = *c;
  if (auto b = j.find("bytes"); b != j.end() && b->is_number_unsigned()) d.bytes = b->get<std::uint64_t>();
  return d;
}

}  // namespace

transcript_store::transcript_store(fs::path state_dir) : root_(std::move(state_dir) / "transcripts") {}

fs::path transcript_store::request_dir(const std::string& window, std::uint64_t request_id) const {
  return root_ / window / std::to_string(request_id);
}

transcript_status transcript_store::ensure_dir(const fs::path& dir) const {
  // Each level is made 0700 by mkdir itself, so no folder is ever readable by others.
  fs::path at;
  for (const auto& part : dir) {
    at /= part;
    if (mkdir(at.c_str(), 0700) != 0 && errno != EEXIST)
      return {"transcript folder " + at.string() + ": " + std::strerror(errno)};
  }
  return {};
}

transcript_status transcript_store::begin_request(const transcript_request& request) {
  if (!config::is_identifier(request.window))
    return {"transcript: window \"" + request.window + "\" is not an identifier"};
  const auto dir = request_dir(request.window, request.request_id);
  if (auto s = ensure_dir(dir.parent_path()); !s.ok()) return s;
  if (mkdir(dir.c_str(), 0700) != 0)
    return {"transcript folder " + dir.string() + ": " + std::strerror(errno)};
  const ojson j = request_json(request);
  if (auto s = write_new(dir / "request.json", dump(j) + "\n"); !s.ok()) return s;
  return append_line(root_ / "index.jsonl", dump(j));
}

bool transcript_store::has_request(const std::string& window, std::uint64_t request_id) const {
  std::error_code ec;
  return config::is_identifier(window) && fs::exists(request_dir(window, request_id), ec);
}

transcript_status transcript_store::record_device(const std::string& window,
                                                  std::uint64_t request_id,
                                                  const transcript_device& device,
                                                  std::string_view document) {
  if (!config::is_identifier(device.device))
    return {"transcript: device \"" + device.device + "\" is not an identifier"};
  const auto dir = request_dir(window, request_id);
  if (auto s = write_new(dir / (device.device + ".result"), document); !s.ok()) return s;
  return write_new(dir / (device.device + ".json"), dump(device_json(device)) + "\n");
}

std::vector<transcript_request> transcript_store::list(const std::optional<std::string>& window,
                                                       std::string& error) const {
  std::vector<transcript_request> out;
  std::error_code ec;
  if (!fs::exists(root_ / "index.jsonl", ec)) return out;
  const auto text = read_text((root_ / "index.jsonl").string());
  if (!text) {
    error = "cannot read " + (root_ / "index.jsonl").string();
    return out;
  }
  std::istringstream lines(*text);
  std::size_t number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    auto j = common::json_nests_deeper_than(line, 16) ? ojson(nullptr)
                                                       : ojson::parse(line, nullptr, false);
    auto r = j.is_object() ? request_of(j) : std::nullopt;
    if (!r) {
      error = (root_ / "index.jsonl").string() + " line " + std::to_string(number) +
              ": not a transcript record";
      continue;
    }
    if (!window || r->window == *window) out.push_back(std::move(*r));
  }
  return out;
}

std::vector<transcript_device> transcript_store::devices(const transcript_request& request,
                                                         std::string& error) const {
  std::vector<transcript_device> out;
  if (!config::is_identifier(request.window)) return out;
  const auto dir = request_dir(request.window, request.request_id);
  for (const auto& name : request.devices) {
    if (!config::is_identifier(name)) continue;
    std::error_code ec;
    if (!fs::exists(dir / (name + ".json"), ec)) continue;  // still running, or cut before it ended
    if (auto d = read_object(dir / (name + ".json"), error)) out.push_back(device_of(*d));
  }
  return out;
}

std::optional<transcript_session> transcript_store::show(std::uint64_t request_id,
                                                         const std::optional<std::string>& window,
                                                         std::string& error) const {
  std::vector<std::string> windows;
  for (const auto& r : list(window, error))
    if (r.request_id == request_id &&
        std::find(windows.begin(), windows.end(), r.window) == windows.end())
      windows.push_back(r.window);
  if (windows.empty()) {
    error = "no request " + std::to_string(request_id) +
            (window ? " in window " + *window : std::string()) + " in " + root_.string();
    return std::nullopt;
  }
  if (windows.size() > 1) {
    error = "request " + std::to_string(request_id) + " is in several windows (" + windows[0] +
            ", " + windows[1] + "): name one with --window";
    return std::nullopt;
  }
  if (!config::is_identifier(windows[0])) {
    error = "index names window \"" + windows[0] + "\", which is not an identifier";
    return std::nullopt;
  }
  const auto dir = request_dir(windows[0], request_id);
  const auto j = read_object(dir / "request.json", error);
  auto request = j ? request_of(*j) : std::nullopt;
  if (!request) {
    if (error.empty()) error = (dir / "request.json").string() + ": not a transcript request";
    return std::nullopt;
  }
  auto devices_ended = devices(*request, error);
  return transcript_session{std::move(*request), std::move(devices_ended)};
}

std::optional<std::string> transcript_store::document(const std::string& window,
                                                      std::uint64_t request_id,
                                                      const std::string& device) const {
  if (!config::is_identifier(window) || !config::is_identifier(device)) return std::nullopt;
  return read_text((request_dir(window, request_id) / (device + ".result")).string());
}

}  // namespace tether::agent
