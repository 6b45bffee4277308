// Password login, against tether-devsim (the test's sshd accepts keys only).
#include <catch2/catch.hpp>

#include "collectors/libssh_session.hpp"
#include "config/credentials.hpp"
#include "config/inventory.hpp"
#include "tests/support/devsim_fleet.hpp"
#include "tests/support/run_coroutine.hpp"

using namespace tether::collectors;

TEST_CASE("a password login succeeds, a wrong password is an authentication failure",
          "[integration][ssh][devsim]") {
  namespace asio = boost::asio;
  tether::testing::temp_dir dir;
  tether::testing::devsim_fleet fleet(dir, 1);
  auto device = tether::config::load_inventory(fleet.file("inventory.yaml")).devices.at(0);
  auto login = *tether::config::load_credentials(fleet.file("credentials.yaml"))
                    .find("devsim-password");
  REQUIRE(login.how == tether::config::credential::method::password);
  const ssh_endpoint endpoint{device.name, device.host, device.port, fleet.file("known_hosts")};
  asio::io_context io;
  auto attempt = [&](tether::config::credential c) {
    return tether::testing::run_coroutine(io, [&, c]() -> asio::awaitable<connect_result> {
      libssh_session s(co_await asio::this_coro::executor);
      co_return co_await s.connect(endpoint, c, {});
    }());
  };
  CHECK(attempt(login).status == collect_status::ok);
  auto wrong = login;
  wrong.password = "not-the-password";
  auto refused = attempt(wrong);
  CHECK(refused.status == collect_status::auth_failed);
  CHECK(refused.message.find("not-the-password") == std::string::npos);
}
