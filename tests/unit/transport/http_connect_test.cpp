#include <catch2/catch.hpp>

#include <stdlib.h>

#include <string>

#include "transport/http_connect.hpp"

using namespace tether::transport;
using state = connect_reply::state;

TEST_CASE("a proxy URL gives host, port and the decoded credentials", "[http_connect]") {
  const auto r = parse_proxy_url("http://ops%40site:p%3Ass@proxy.example:3128/");
  REQUIRE(r.value);
  CHECK(r.value->host == "proxy.example");
  CHECK(r.value->port == 3128);
  CHECK(r.value->user == "ops@site");
  CHECK(r.value->password == "p:ss");
  CHECK(r.value->describe() == "ops@site@proxy.example:3128");
}

TEST_CASE("a proxy URL without credentials and an IPv6 proxy are accepted", "[http_connect]") {
  CHECK(parse_proxy_url("http://127.0.0.1:8888").value->user.empty());
  const auto v6 = parse_proxy_url("http://[::1]:8080");
  REQUIRE(v6.value);
  CHECK(v6.value->host == "::1");
}

TEST_CASE("malformed proxy URLs are refused without echoing the password", "[http_connect]") {
  for (const char* bad : {"https://proxy:3128", "proxy:3128", "http://proxy", "http://proxy:0",
                          "http://proxy:70000", "http://proxy:31x8", "http://:3128",
                          "http://proxy:3128/path", "http://u:secret%zz@proxy:3128",
                          "http://pro xy:3128"}) {
    const auto r = parse_proxy_url(bad);
    INFO(bad);
    CHECK_FALSE(r.value);
    CHECK(r.error.rfind("proxy URL: ", 0) == 0);
    CHECK(r.error.find("secret") == std::string::npos);
  }
}

TEST_CASE("the configured proxy wins over HTTPS_PROXY, which wins over https_proxy", "[http_connect]") {
  ::setenv("HTTPS_PROXY", "http://upper:1", 1);
  ::setenv("https_proxy", "http://lower:2", 1);
  CHECK(*proxy_setting(std::string("http://configured:3")) == "http://configured:3");
  CHECK(*proxy_setting(std::nullopt) == "http://upper:1");
  ::unsetenv("HTTPS_PROXY");
  CHECK(*proxy_setting(std::nullopt) == "http://lower:2");
  ::unsetenv("https_proxy");
  CHECK_FALSE(proxy_setting(std::nullopt));
}

TEST_CASE("CONNECT carries the target and Basic credentials only when a user is set", "[http_connect]") {
  proxy_url p{"proxy", 3128, "user", "pass"};
  CHECK(connect_request(p, "console.example", 443) ==
        "CONNECT console.example:443 HTTP/1.1\r\nHost: console.example:443\r\n"
        "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n");
  p.user.clear();
  CHECK(connect_request(p, "::1", 8443) == "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n");
}

TEST_CASE("a 2xx answer establishes the tunnel once the header is complete", "[http_connect]") {
  CHECK(parse_connect_reply("HTTP/1.1 200 Connection established\r\n").status == state::incomplete);
  const auto r = parse_connect_reply("HTTP/1.0 200 Connection established\r\nProxy-agent: x\r\n\r\n");
  CHECK(r.status == state::established);
  CHECK(r.code == 200);
  CHECK(parse_connect_reply("HTTP/1.1 200\r\n\r\n").status == state::established);
}

TEST_CASE("other status codes refuse, naming code and reason", "[http_connect]") {
  const auto r = parse_connect_reply("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
  CHECK(r.status == state::refused);
  CHECK(r.code == 407);
  CHECK(r.reason == "Proxy Authentication Required");
}

TEST_CASE("malformed or oversized answers are refused strictly", "[http_connect]") {
  for (const char* bad : {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
                          "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nX: \x1b[31m\r\n\r\n", "HTTP/1.1 099 Low\r\n\r\n",
                          "HTTP/1.1 200 OK\nInjected: yes\r\n\r\n"}) {
    INFO(bad);
    CHECK(parse_connect_reply(bad).status == state::malformed);
  }
  const std::string huge = "HTTP/1.1 200 OK\r\nX: " + std::string(max_connect_reply_size, 'a');
  CHECK(parse_connect_reply(huge).status == state::malformed);
}
