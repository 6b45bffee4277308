#pragma once

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace tether::testing {

/// The real OpenSSH server on a loopback port, with its own host key, a client key in
/// authorized_keys, and a ForceCommand script that answers like a small Junos device.
class sshd_server {
 public:
  explicit sshd_server(const temp_dir& dir) : dir_(dir) {
    keygen("host_key");
    keygen("client_key");
    keygen("other_key");
    dir.write("authorized_keys", read(dir / "client_key.pub"));
    dir.write("junos.sh", script(), std::filesystem::perms(0755));
    mkdir("/run/sshd", 0755);  // privilege separation directory sshd insists on
    user = getpwuid(getuid())->pw_name;
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) start();
    if (!process_) throw std::runtime_error("sshd did not start");
    known_hosts = dir.write("known_hosts", "[127.0.0.1]:" + std::to_string(port) + " " +
                                               read(dir / "host_key.pub"));
    client_key = dir / "client_key";
    other_key = dir / "other_key";
    host_key_fingerprint = fingerprint(dir / "host_key.pub");
  }

  /// `[127.0.0.1]:port` pinned to a different key, as after a device was replaced.
  std::string changed_known_hosts() const {
    return dir_.write("known_hosts.changed", "[127.0.0.1]:" + std::to_string(port) + " " +
                                                 read(dir_ / "other_key.pub"));
  }

  std::uint16_t port = 0;
  std::string user;
  std::string known_hosts;
  std::string client_key;
  std::string other_key;
  std::string host_key_fingerprint;  // SHA256:...

 private:
  void keygen(const std::string& name) {
    run_process({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                 dir_ / name});
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static std::string fingerprint(const std::string& pub) {
    auto r = run_process({"/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", pub});
    auto start = r.out.find("SHA256:");
    return r.out.substr(start, r.out.find(' ', start) - start);
  }
  void start() {
    port = free_port();
    const std::string config = dir_.write(
        "sshd_config", "Port " + std::to_string(port) +
                           "\nListenAddress 127.0.0.1\nHostKey " + (dir_ / "host_key") +
                           "\nAuthorizedKeysFile " + (dir_ / "authorized_keys") +
                           "\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
                           "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
                           "ForceCommand " + (dir_ / "junos.sh") +
                           "\nMaxStartups 1000\nMaxSessions 100\nPidFile none\nLogLevel INFO\n");
    process_ = std::make_unique<child_process>(
        std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e", "-f", config});
    if (!process_->wait_for("Server listening on 127.0.0.1 port")) process_.reset();
  }
  std::string script() const {
    return "#!/bin/sh\n"
           "case \"$SSH_ORIGINAL_COMMAND\" in\n"
           "  'show version') printf 'Hostname: sshd-r1\\nModel: mx204\\nJunos: 21.4R3-S5.4\\n' ;;\n"
           "  'show chassis alarms') printf 'No alarms currently active\\n' ;;\n"
           "  'hang') exec sleep 600 ;;\n"
           "  'flood '*) head -c \"${SSH_ORIGINAL_COMMAND#flood }\" /dev/zero | tr '\\000' x ;;\n"
           "  'counted '*) n=${SSH_ORIGINAL_COMMAND#counted }; i=0; while [ $i -lt $n ]; do "
           "head -c 65536 /dev/zero || exit; i=$((i+1)); echo $i > " + (dir_ / "progress") +
           "; done ;;\n"
           "  *) printf '                      ^\\nunknown command.\\n' ;;\n"
           "esac\n";
  }

  const temp_dir& dir_;
  std::unique_ptr<child_process> process_;
};

}  // namespace tether::testing
