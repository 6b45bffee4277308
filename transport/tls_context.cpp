#include "transport/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <boost/asio/ip/address.hpp>

#include <cstdio>
#include <cstring>

#include "transport/sha256.hpp"

namespace tether::transport {

namespace ssl = boost::asio::ssl;

namespace {

/// Refuses a private key that group or others can read (the credential rule).
std::string check_key_mode(const std::filesystem::path& key) {
  struct stat st {};
  if (::stat(key.c_str(), &st) != 0) return std::string("cannot stat: ") + std::strerror(errno);
  if ((st.st_mode & 077) == 0) return {};
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return std::string("mode ") + mode + " lets other users read the key; chmod 600 it";
}

/// TLS 1.3 only, our identity, the peer's CA; every failure names the file.
std::string load_common(ssl::context& ctx, const tls_identity& id) {
  if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_3_VERSION) != 1)
    return "tls: cannot require TLS 1.3";
  SSL_CTX_set_options(ctx.native_handle(), SSL_OP_NO_TICKET);  // no resumption state to protect
  // An idle connection gives its 16 KiB read and write buffers back (a console holds hundreds).
  SSL_CTX_set_mode(ctx.native_handle(), SSL_MODE_RELEASE_BUFFERS);
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(id.certificate.string(), ec);
  if (ec) return "tls certificate " + id.certificate.string() + ": " + ec.message();
  if (auto problem = check_key_mode(id.private_key); !problem.empty())
    return "tls private key " + id.private_key.string() + ": " + problem;
  ctx.use_private_key_file(id.private_key.string(), ssl::context::pem, ec);
  if (ec) return "tls private key " + id.private_key.string() + ": " + ec.message();
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    return "tls private key " + id.private_key.string() + ": does not match the certificate " +
           id.certificate.string();
  ctx.load_verify_file(id.ca_bundle.string(), ec);
  if (ec) return "tls CA bundle " + id.ca_bundle.string() + ": " + ec.message();
  return {};
}

/// Makes OpenSSL check the console's name (SAN DNS name or IP address) during verification.
std::string require_name(ssl::context& ctx, const std::string& name) {
  if (name.empty()) return "tls: the console's server name is required";
  auto* param = SSL_CTX_get0_param(ctx.native_handle());
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  const int ok = ec ? X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size())
                    : X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  if (ok != 1) return "tls: cannot check server name \"" + name + "\"";
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return {};
}

tls_context_result failed(std::string error) { return {nullptr, std::move(error)}; }

}  // namespace

digest spki_sha256(X509* certificate) {
  unsigned char* der = nullptr;
  const int size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (size <= 0) return {};
  const auto d = sha256({der, static_cast<std::size_t>(size)});
  OPENSSL_free(der);
  return d;
}

tls_context_result make_client_context(const tls_client_settings& settings) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  if (auto e = load_common(*ctx, settings.identity); !e.empty()) return failed(e);
  if (auto e = require_name(*ctx, settings.server_name); !e.empty()) return failed(e);
  ctx->set_verify_mode(ssl::verify_peer);
  const auto pin = settings.spki_pin;
  // OpenSSL has already checked chain and name (preverified); the pin is checked at the leaf.
  ctx->set_verify_callback([pin](bool preverified, ssl::verify_context& vctx) {
    if (!preverified) return false;
    auto* store = vctx.native_handle();
    if (!pin || X509_STORE_CTX_get_error_depth(store) != 0) return true;
    if (spki_sha256(X509_STORE_CTX_get_current_cert(store)) == *pin) return true;
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return false;
  });
  return {std::move(ctx), {}};
}

tls_context_result make_server_context(const tls_server_settings& settings) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  if (auto e = load_common(*ctx, settings.identity); !e.empty()) return failed(e);
  ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  return {std::move(ctx), {}};
}

std::optional<tls_peer> peer_of(const SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  tls_peer peer;
  peer.spki_sha256 = spki_sha256(cert);
  char cn[256] = {};
  const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn,
                                          sizeof cn);
  if (n > 0) peer.common_name.assign(cn, static_cast<std::size_t>(n));
  return peer;
}

std::optional<digest> parse_spki_pin(std::string_view text) {
  digest out{};
  std::size_t i = 0;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t byte = 0; byte < out.size(); ++byte) {
    if (byte > 0 && i < text.size() && text[i] == ':') ++i;
    if (i + 2 > text.size()) return std::nullopt;
    const int hi = hex(text[i]);
    const int lo = hex(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[byte] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  if (i != text.size()) return std::nullopt;
  return out;
}

}  // namespace tether::transport
