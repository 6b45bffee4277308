#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace tether::console {

/// Where an engineer command finds the server: `--socket PATH`, else `--data-dir DIR`
/// (DIR/console.sock), else $TETHER_CONSOLE_SOCKET, else /var/lib/tether-console/console.sock.
struct server_location {
  std::string socket;
  std::string data_dir;
  bool json = false;  ///< --json: machine output

  /// Registers --socket, --data-dir and --json on `cmd`.
  void add_to(CLI::App& cmd);
  /// The socket path these options name.
  std::string path() const;
};

/// A line read from the server: a JSON value, the end of the connection, or a timeout.
struct server_line {
  enum class kind { line, closed, timeout, error } what = kind::closed;
  nlohmann::json value;
  std::string error;
};

/// An engineer's connection to `tether-console serve` over its Unix socket: one JSON
/// request per line, JSON answers (and, when following, event lines) back.
class engineer_client {
 public:
  engineer_client() = default;
  ~engineer_client();
  engineer_client(const engineer_client&) = delete;
  engineer_client& operator=(const engineer_client&) = delete;

  /// Connects; an error message naming the socket, or empty.
  std::string connect(const std::string& path);
  /// Sends one request line; an error message or empty.
  std::string send(const nlohmann::json& request);
  /// The next line, waiting at most `timeout`.
  server_line next(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  int fd_ = -1;
  std::string path_;
  std::string buffer_;
};

/// Connects, sends `request` and reads the answer; the answer, or {"ok":false,"error":...}.
nlohmann::json ask_server(const server_location& where, const nlohmann::json& request);

/// Prints an answer's error as `tether-console: ...` on stderr (or the JSON with --json); 2.
int report_failure(const server_location& where, const nlohmann::json& answer);

}  // namespace tether::console
