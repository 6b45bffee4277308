#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tether::test {

/// A temporary directory removed at the end of the test.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// build/bin/tether-devsim running as a child process with its stdout on a pipe.
class devsim_process {
 public:
  /// Starts tether-devsim with `args` and waits (up to 30 s) for its "listening:" line.
  explicit devsim_process(const std::vector<std::string>& args);
  ~devsim_process();
  devsim_process(const devsim_process&) = delete;
  devsim_process& operator=(const devsim_process&) = delete;

  /// The "listening: ..." line, or "" when it did not come.
  const std::string& ready_line() const { return ready_; }
  /// Sends SIGTERM and waits for the exit status (-1 on timeout).
  int terminate(std::chrono::seconds limit = std::chrono::seconds(20));
  /// Everything read from stdout so far.
  const std::string& output() const { return output_; }

 private:
  bool read_line(std::string& line, std::chrono::steady_clock::time_point deadline);
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  bool eof_ = false;
  std::string buffer_, output_, ready_;
};

/// The result of a shell command.
struct command_result {
  int status = -1;     // exit status
  std::string output;  // stdout and stderr
};

/// Runs `command` with /bin/sh, feeding `input` on stdin, killed after `limit`.
command_result run_command(const std::string& command, const std::string& input = {},
                           std::chrono::seconds limit = std::chrono::seconds(30));

/// Path of a binary in build/bin.
std::string bin(const std::string& name);

}  // namespace tether::test
