#include "collectors/site_key.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
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
  bool right_size = got == key.size() && ::read(fd, &extra, 1) == 0;
  std::optional<site_key> loaded;
  if (right_size) loaded.emplace(key);
  OPENSSL_cleanse(key.data(), key.size());
  if (!right_size) {
    return {std::nullopt, false, true,
            path + ": site key must be exactly " + std::to_string(site_key::size) + " bytes"};
  }
  return {std::move(loaded), false, false, {}};
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

/// An EVP digest context, freed when it goes out of scope.
struct token_hasher::digest_context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~digest_context() { EVP_MD_CTX_free(ctx); }
};

struct site_key::hmac_pads {
  EVP_MD* sha256 = nullptr;
  EVP_MD_CTX* inner = nullptr;  // SHA-256 after (key ^ ipad)
  EVP_MD_CTX* outer = nullptr;  // SHA-256 after (key ^ opad)
  ~hmac_pads() {
    EVP_MD_CTX_free(inner);
    EVP_MD_CTX_free(outer);
    EVP_MD_free(sha256);
  }
};

namespace {

constexpr std::size_t sha256_block = 64;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("site key: HMAC-SHA256 ") + what + " failed");
}

// HMAC (RFC 2104) with a key shorter than the block: pad it with zeros, then XOR.
std::shared_ptr<const site_key::hmac_pads> make_pads(const site_key::bytes& key) {
  auto pads = std::make_shared<site_key::hmac_pads>();
  pads->sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  pads->inner = EVP_MD_CTX_new();
  pads->outer = EVP_MD_CTX_new();
  require(pads->sha256 != nullptr && pads->inner != nullptr && pads->outer != nullptr, "set-up");
  std::array<unsigned char, sha256_block> ipad{};
  std::array<unsigned char, sha256_block> opad{};
  for (std::size_t i = 0; i < sha256_block; ++i) {
    unsigned char k = i < key.size() ? key[i] : 0;
    ipad[i] = k ^ 0x36;
    opad[i] = k ^ 0x5c;
  }
  require(EVP_DigestInit_ex(pads->inner, pads->sha256, nullptr) == 1 &&
              EVP_DigestUpdate(pads->inner, ipad.data(), ipad.size()) == 1 &&
              EVP_DigestInit_ex(pads->outer, pads->sha256, nullptr) == 1 &&
              EVP_DigestUpdate(pads->outer, opad.data(), opad.size()) == 1,
          "set-up");
  OPENSSL_cleanse(ipad.data(), ipad.size());
  OPENSSL_cleanse(opad.data(), opad.size());
  return pads;
}

// Ends the inner hash in `ctx`, runs the outer one and appends `<redacted:XXXXXXXX>`.
void finish_token(EVP_MD_CTX* ctx, const site_key::hmac_pads& pads, std::string& out) {
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int inner_len = 0;
  unsigned int mac_len = 0;
  require(EVP_DigestFinal_ex(ctx, inner, &inner_len) == 1 &&
              EVP_MD_CTX_copy_ex(ctx, pads.outer) == 1 &&
              EVP_DigestUpdate(ctx, inner, inner_len) == 1 &&
              EVP_DigestFinal_ex(ctx, mac, &mac_len) == 1 && mac_len >= token_hex_digits / 2,
          "final");
  static constexpr char hex[] = "0123456789abcdef";
  char token[] = "<redacted:XXXXXXXX>";
  for (std::size_t i = 0; i < token_hex_digits / 2; ++i) {
    token[10 + 2 * i] = hex[mac[i] >> 4];
    token[11 + 2 * i] = hex[mac[i] & 0x0f];
  }
  out.append(token, sizeof token - 1);
}

}  // namespace

site_key::site_key(const bytes& key) : key_(key), pads_(make_pads(key)) {}

site_key::~site_key() { OPENSSL_cleanse(key_.data(), key_.size()); }

site_key site_key::random() {
  bytes key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("site key: the system random generator failed");
  }
  site_key made(key);
  OPENSSL_cleanse(key.data(), key.size());
  return made;
}

std::string site_key::token(std::string_view secret) const {
  std::string token;
  append_token(secret, token);
  return token;
}

void site_key::append_token(std::string_view secret, std::string& out) const {
  // One digest context per thread, reused: a token costs two context copies, no allocation.
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           &EVP_MD_CTX_free);
  require(ctx != nullptr && EVP_MD_CTX_copy_ex(ctx.get(), pads_->inner) == 1, "copy");
  require(secret.empty() || EVP_DigestUpdate(ctx.get(), secret.data(), secret.size()) == 1,
          "update");
  finish_token(ctx.get(), *pads_, out);
}

token_hasher::token_hasher(const site_key& key)
    : pads_(key.pads_), ctx_(std::make_unique<digest_context>()) {
  require(ctx_->ctx != nullptr && EVP_MD_CTX_copy_ex(ctx_->ctx, pads_->inner) == 1, "copy");
}

token_hasher::~token_hasher() = default;

void token_hasher::update(std::string_view piece) {
  if (piece.empty()) return;
  require(EVP_DigestUpdate(ctx_->ctx, piece.data(), piece.size()) == 1, "update");
}

std::string token_hasher::finish() {
  std::string token;
  finish_token(ctx_->ctx, *pads_, token);
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
