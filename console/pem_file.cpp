#include "console/pem_file.hpp"

#include <fcntl.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tether::console {
namespace {

std::string errno_text(const std::filesystem::path& path) {
  return path.string() + ": " + std::strerror(errno);
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(std::size_t(n));
  }
  return true;
}

// Fills an open file, forces its mode and flushes it to disk; closes it in every case.
bool fill(int fd, std::string_view bytes, mode_t mode) {
  const bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, bytes) && ::fsync(fd) == 0;
  const int saved = errno;
  const bool closed = ::close(fd) == 0;
  errno = saved;
  return ok && closed;
}

write_outcome create_new(const std::filesystem::path& path, std::string_view bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0 && errno == EEXIST)
    return {write_outcome::status::exists, path.string() + " exists (use --force to replace it)"};
  if (fd < 0) return {write_outcome::status::failed, errno_text(path)};
  if (!fill(fd, bytes, mode)) {
    write_outcome failed{write_outcome::status::failed, errno_text(path)};
    ::unlink(path.c_str());
    return failed;
  }
  return {};
}

write_outcome replace_atomically(const std::filesystem::path& path, std::string_view bytes,
                                 mode_t mode) {
  std::string temp = path.string() + ".tmp-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // created 0600, before any byte
  if (fd < 0) return {write_outcome::status::failed, errno_text(temp)};
  if (!fill(fd, bytes, mode) || ::rename(temp.c_str(), path.c_str()) != 0) {
    write_outcome failed{write_outcome::status::failed, errno_text(path)};
    ::unlink(temp.c_str());
    return failed;
  }
  return {};
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, std::size_t(size)) : std::string();
}

bio_ptr open_for_reading(const std::filesystem::path& path, std::string& error) {
  bio_ptr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) error = path.string() + ": " + openssl_errors("cannot open");
  return bio;
}

}  // namespace

write_outcome write_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode,
                         bool replace) {
  return replace ? replace_atomically(path, bytes, mode) : create_new(path, bytes, mode);
}

std::string certificate_pem(X509* cert) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  return drain(bio.get());
}

std::string private_key_pem(EVP_PKEY* key) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  return drain(bio.get());
}

x509_ptr read_certificate(const std::filesystem::path& path, std::string& error) {
  bio_ptr bio = open_for_reading(path, error);
  if (!bio) return nullptr;
  x509_ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) error = path.string() + ": " + openssl_errors("not a PEM certificate");
  return cert;
}

pkey_ptr read_private_key(const std::filesystem::path& path, std::string& error) {
  bio_ptr bio = open_for_reading(path, error);
  if (!bio) return nullptr;
  pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) error = path.string() + ": " + openssl_errors("not a PEM private key");
  return key;
}

}  // namespace tether::console
