#include "devsim_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tether::test {

namespace fs = std::filesystem;
using clock = std::chrono::steady_clock;

temp_dir::temp_dir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("tether-devsim-test-" + std::to_string(rd()));
  fs::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string bin(const std::string& name) { return std::string(TETHER_BIN_DIR) + "/" + name; }

devsim_process::devsim_process(const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    std::vector<std::string> all{bin("tether-devsim")};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  stdout_fd_ = out[0];
  std::string line;
  const auto deadline = clock::now() + std::chrono::seconds(30);
  while (read_line(line, deadline))
    if (line.rfind("listening: ", 0) == 0) {
      ready_ = line;
      break;
    }
}

devsim_process::~devsim_process() {
  if (pid_ > 0) terminate();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool devsim_process::read_line(std::string& line, clock::time_point deadline) {
  for (;;) {
    const auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) return false;
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, int(left.count())) <= 0) return false;
    char buf[4096];
    const ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(buf, std::size_t(n));
    output_.append(buf, std::size_t(n));
  }
}

int devsim_process::terminate(std::chrono::seconds limit) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  // Read stdout to its end (the process closes it on exit), then reap.
  std::string line;
  const auto deadline = clock::now() + limit;
  while (read_line(line, deadline)) {
  }
  int status = 0;
  // At end of file the process is exiting: waiting for it is bounded.
  pid_t done = eof_ ? waitpid(pid_, &status, 0) : waitpid(pid_, &status, WNOHANG);
  if (done == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

command_result run_command(const std::string& command, const std::string& input,
                           std::chrono::seconds limit) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  if (!input.empty()) {
    const ssize_t written = write(in[1], input.data(), input.size());
    (void)written;
  }
  close(in[1]);
  command_result r;
  const auto deadline = clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    pollfd p{out[0], POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, int(left.count())) <= 0) {
      kill(-pid, SIGKILL);
      break;
    }
    char buf[65536];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    r.output.append(buf, std::size_t(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

}  // namespace tether::test
