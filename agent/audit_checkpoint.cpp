#include "agent/audit_checkpoint.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "agent/audit_event.hpp"

namespace tether::agent {

namespace {

using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* key) { return {key, EVP_PKEY_free}; }

std::string hex(const unsigned char* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

bool unhex(std::string_view text, std::string& out) {
  if (text.size() % 2) return false;
  auto value = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = value(text[i]), lo = value(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(char(hi * 16 + lo));
  }
  return true;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot read");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to a new file with mode 0600, refusing to replace an existing one.
void write_new_private(const std::filesystem::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(path.string() + ": cannot create");
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

audit_key::audit_key(std::shared_ptr<evp_pkey_st> key, bool has_private)
    : key_(std::move(key)), private_(has_private) {}

audit_key audit_key::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!key) throw std::runtime_error("cannot generate an Ed25519 key");
  return audit_key(own(key), true);
}

audit_key audit_key::from_pem(std::string_view pem) {
  bio_ptr bio(BIO_new_mem_buf(pem.data(), int(pem.size())), BIO_free);
  if (EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)) {
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
      EVP_PKEY_free(key);
      throw std::runtime_error("not an Ed25519 key");
    }
    return audit_key(own(key), true);
  }
  bio.reset(BIO_new_mem_buf(pem.data(), int(pem.size())));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!key) throw std::runtime_error("not a PEM key");
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    throw std::runtime_error("not an Ed25519 key");
  }
  return audit_key(own(key), false);
}

audit_key audit_key::load_public(const std::filesystem::path& path) {
  try {
    return from_pem(read_file(path));
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

audit_key audit_key::load_or_create(const std::filesystem::path& path) {
  if (std::filesystem::exists(path)) {
    audit_key key = load_public(path);
    if (!key.has_private()) throw std::runtime_error(path.string() + ": not a private key");
    return key;
  }
  audit_key key = generate();
  bio_ptr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!PEM_write_bio_PrivateKey(bio.get(), key.key_.get(), nullptr, nullptr, 0, nullptr,
                                nullptr))
    throw std::runtime_error("cannot encode the audit key");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  write_new_private(path, std::string(data, std::size_t(size)));
  std::filesystem::path pub = path;
  pub += ".pub";
  std::filesystem::remove(pub);
  write_new_private(pub, key.public_pem());
  std::filesystem::permissions(pub, std::filesystem::perms(0644));
  return key;
}

std::string audit_key::public_pem() const {
  bio_ptr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!PEM_write_bio_PUBKEY(bio.get(), key_.get())) throw std::runtime_error("cannot encode key");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, std::size_t(size));
}

std::string audit_key::key_id() const {
  unsigned char raw[64];
  std::size_t size = sizeof raw;
  if (!EVP_PKEY_get_raw_public_key(key_.get(), raw, &size))
    throw std::runtime_error("cannot read the public key");
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(raw), size)).substr(0, 16);
}

std::string audit_key::sign(std::string_view message) const {
  if (!private_) throw std::logic_error("signing needs the private audit key");
  md_ctx_ptr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char signature[64];
  std::size_t size = sizeof signature;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature, &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    throw std::runtime_error("Ed25519 signing failed");
  return hex(signature, size);
}

bool audit_key::verify(std::string_view message, std::string_view signature_hex) const {
  std::string signature;
  if (signature_hex.size() != 128 || !unhex(signature_hex, signature)) return false;
  md_ctx_ptr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

std::string checkpoint_message(std::uint64_t seq, std::string_view hash) {
  return "tether-audit-checkpoint v1\n" + std::to_string(seq) + "\n" + std::string(hash) + "\n";
}

nlohmann::ordered_json anchor_json(const audit_anchor& anchor) {
  return {{"seq", anchor.seq},
          {"hash", anchor.hash},
          {"signature", anchor.signature},
          {"key_id", anchor.key_id}};
}

anchors_result read_anchors(const std::filesystem::path& path) {
  anchors_result out;
  std::ifstream in(path);
  if (!in) {
    out.error = path.string() + ": cannot read";
    return out;
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("seq") ||
        !j["seq"].is_number_unsigned() || !j.contains("hash") || !j["hash"].is_string() ||
        !j.contains("signature") || !j["signature"].is_string()) {
      out.error = path.string() + ":" + std::to_string(number) +
                  ": not an anchor {seq, hash, signature}";
      return out;
    }
    audit_anchor a;
    a.seq = j["seq"].get<std::uint64_t>();
    a.hash = j["hash"].get<std::string>();
    a.signature = j["signature"].get<std::string>();
    if (j.contains("key_id") && j["key_id"].is_string()) a.key_id = j["key_id"].get<std::string>();
    out.anchors.push_back(std::move(a));
  }
  return out;
}

bool append_anchor(const std::filesystem::path& path, const audit_anchor& anchor,
                   std::string& error) {
  const std::string line = anchor_json(anchor).dump() + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = path.string() + ": cannot open";
    return false;
  }
  bool ok = ::write(fd, line.data(), line.size()) == ssize_t(line.size()) && ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok) error = path.string() + ": cannot write";
  return ok;
}

}  // namespace tether::agent
