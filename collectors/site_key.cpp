#include "collectors/site_key.hpp"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace tether::collectors {
namespace {

constexpr std::size_t token_hex_digits = 8;

/// An open file descriptor, closed when it goes out of scope.
class fd_guard {
 public:
  explicit fd_guard(int fd) : fd_(fd) {}
  ~fd_guard() {
    if (fd_ >= 0) ::close(fd_);
  }
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(int err) { return std::strerror(err); }

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// Reads the whole key from an already-open key file after checking its type and mode.
site_key_result read_key_file(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {std::nullopt, false, false, path + ": " + errno_text(errno)};
  if (!S_ISREG(st.st_mode)) {
    return {std::nullopt, false, true, path + ": site key is not a regular file"};
  }
  if ((st.st_mode & 077) != 0) {  // the key is as secret as what it protects
    return {std::nullopt, false, true,
            path + ": site key has mode " + octal_mode(st.st_mode) +
                ", readable or writable by group/others; refusing to use it (chmod 600 it, or "
                "remove it to start a new key)"};
  }
  site_key::bytes key{};
  std::size_t got = 0;
  while (got < key.size()) {
    ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {std::nullopt, false, false, path + ": " + errno_text(errno)};
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  char extra = 0;
  if (got != key.size() || ::read(fd, &extra, 1) != 0) {
    return {std::nullopt, false, true,
            path + ": site key must be exactly " + std::to_string(site_key::size) + " bytes"};
  }
  return {site_key(key), false, false, {}};
}

/// Writes a new random key to `path`; fails with EEXIST if someone else created it first.
site_key_result create_key_file(const std::string& path, int& open_errno) {
  fd_guard fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    open_errno = errno;
    return {std::nullopt, false, false, path + ": cannot create site key: " + errno_text(errno)};
  }
  site_key key = site_key::random();
  const auto& bytes = key.key_bytes();
  std::size_t put = 0;
  while (put < bytes.size()) {
    ssize_t n = ::write(fd.get(), bytes.data() + put, bytes.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::unlink(path.c_str());
      return {std::nullopt, false, false, path + ": cannot write site key: " + errno_text(err)};
    }
    put += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return {std::nullopt, false, false, path + ": cannot write site key: " + errno_text(err)};
  }
  return {key, true, false, {}};
}

}  // namespace

site_key::site_key(const bytes& key) : key_(key) {}

site_key site_key::random() {
  bytes key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("site key: the system random generator failed");
  }
  return site_key(key);
}

std::string site_key::token(std::string_view secret) const {
  token_hasher hasher(*this);
  hasher.update(secret);
  return hasher.finish();
}

/// The HMAC context of one token computation.
struct token_hasher::state {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;
  ~state() {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
  }
};

namespace {

/// One HMAC-SHA256 algorithm object for the whole process (fetching it is the slow part).
EVP_MAC* shared_hmac() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

}  // namespace

token_hasher::token_hasher(const site_key& key) : state_(std::make_unique<state>()) {
  EVP_MAC* mac = shared_hmac();
  if (mac == nullptr || EVP_MAC_up_ref(mac) != 1) throw std::runtime_error("site key: no HMAC");
  state_->mac = mac;
  state_->ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  const auto& bytes = key.key_bytes();
  if (state_->ctx == nullptr || EVP_MAC_init(state_->ctx, bytes.data(), bytes.size(), params) != 1) {
    throw std::runtime_error("site key: HMAC-SHA256 initialisation failed");
  }
}

token_hasher::~token_hasher() = default;

void token_hasher::update(std::string_view piece) {
  if (piece.empty()) return;
  if (EVP_MAC_update(state_->ctx, reinterpret_cast<const unsigned char*>(piece.data()),
                     piece.size()) != 1) {
    throw std::runtime_error("site key: HMAC-SHA256 update failed");
  }
}

std::string token_hasher::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t out_len = 0;
  if (EVP_MAC_final(state_->ctx, out, &out_len, sizeof out) != 1 || out_len < token_hex_digits / 2) {
    throw std::runtime_error("site key: HMAC-SHA256 final failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string token = "<redacted:";
  for (std::size_t i = 0; i < token_hex_digits / 2; ++i) {
    token += hex[out[i] >> 4];
    token += hex[out[i] & 0x0f];
  }
  token += '>';
  return token;
}

site_key_result load_or_create_site_key(const std::string& path) {
  // Two rounds: if another process creates the file between our open and our create,
  // the second round reads what it wrote.
  for (int round = 0; round < 2; ++round) {
    fd_guard fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() >= 0) return read_key_file(fd.get(), path);
    if (errno == ELOOP) return {std::nullopt, false, true, path + ": site key is a symlink"};
    if (errno != ENOENT) return {std::nullopt, false, false, path + ": " + errno_text(errno)};
    int open_errno = 0;
    site_key_result created = create_key_file(path, open_errno);
    if (created.key || open_errno != EEXIST) return created;
  }
  return {std::nullopt, false, false, path + ": site key file keeps changing; giving up"};
}

}  // namespace tether::collectors
