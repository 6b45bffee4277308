#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace tether::testing {

/// A long-running process a test starts (sshd, devsim, a console). Its stdout and stderr are
/// drained continuously by a thread (a server that logs must never block on a full pipe) and
/// kept, so a test can wait for a readiness line; it is stopped by PID at the end.
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
    quit_ = eventfd(0, EFD_CLOEXEC);
    reader_ = std::thread([this, fd = out[0]] { drain(fd); });
  }
  ~child_process() { stop(); }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Waits until the output contains `text`; false at the deadline or when the child's
  /// output ends without it.
  bool wait_for(const std::string& text, std::chrono::seconds deadline = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] {
      return output_.find(text) != std::string::npos || ended_;
    }) && output_.find(text) != std::string::npos;
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
    // The child's own children (an sshd session, say) may hold the pipe open: tell the
    // reader to stop rather than wait for the pipe's end.
    if (reader_.joinable()) {
      const std::uint64_t one = 1;
      if (write(quit_, &one, sizeof one) < 0) {
      }
      reader_.join();
      close(quit_);
    }
  }

  pid_t pid() const { return pid_; }
  /// The wait status from waitpid once stopped.
  int exit_status() const { return exit_status_; }
  /// Everything the child printed so far.
  std::string output() const {
    std::lock_guard lock(mutex_);
    return output_;
  }

 private:
  void drain(int fd) {
    char buf[4096];
    pollfd fds[2] = {{fd, POLLIN, 0}, {quit_, POLLIN, 0}};
    while (poll(fds, 2, -1) > 0 && !(fds[1].revents & POLLIN)) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(mutex_);
      output_.append(buf, std::size_t(n));
      changed_.notify_all();
    }
    close(fd);
    std::lock_guard lock(mutex_);
    ended_ = true;
    changed_.notify_all();
  }

  pid_t pid_ = -1;
  int exit_status_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool ended_ = false;
  int quit_ = -1;  // eventfd: the reader's signal to stop
  std::thread reader_;
};

}  // namespace tether::testing
