#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace tether::testing {

/// A long-running process a test starts (sshd, devsim, a console): its stderr and stdout
/// are read line by line to wait for readiness; it is stopped by PID at the end.
class child_process {
 public:
  explicit child_process(const std::vector<std::string>& argv) {
    int out[2];
    if (pipe2(out, O_CLOEXEC)) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      throw std::runtime_error("cannot start " + argv[0]);
    }
    output_fd_ = out[0];
  }
  ~child_process() { stop(); }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Waits until the output contains `text`; false at the deadline or when the child exits.
  bool wait_for(const std::string& text, std::chrono::seconds deadline = std::chrono::seconds(30)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (output_.find(text) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0 || output_fd_ < 0) return false;
      pollfd p{output_fd_, POLLIN, 0};
      if (poll(&p, 1, int(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = read(output_fd_, buf, sizeof buf);
      if (n <= 0) {
        close(output_fd_);
        output_fd_ = -1;
        return output_.find(text) != std::string::npos;
      }
      output_.append(buf, std::size_t(n));
    }
    return true;
  }

  /// Sends `sig`, waits up to 5 s for the child to exit (then SIGKILL), and reaps it.
  void stop(int sig = SIGTERM) {
    if (pid_ > 0) {
      const int exited = int(syscall(SYS_pidfd_open, pid_, 0));
      kill(pid_, sig);
      pollfd p{exited, POLLIN, 0};
      if (exited < 0 || poll(&p, 1, 5000) <= 0) kill(pid_, SIGKILL);
      if (exited >= 0) close(exited);
      int status = 0;
      waitpid(pid_, &status, 0);
      exit_status_ = status;
      pid_ = -1;
    }
    if (output_fd_ >= 0) close(output_fd_);
    output_fd_ = -1;
  }

  pid_t pid() const { return pid_; }
  /// The wait status from waitpid once stopped.
  int exit_status() const { return exit_status_; }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int exit_status_ = 0;
  int output_fd_ = -1;
  std::string output_;
};

}  // namespace tether::testing
