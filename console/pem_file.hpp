#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "console/openssl_handles.hpp"

namespace tether::console {

/// What writing a file came to: written, refused because it exists, or an I/O failure.
struct write_outcome {
  enum class status { written, exists, failed };
  status result = status::written;
  std::string error;  // set unless written
};

/// Writes `bytes` to `path` with exactly `mode` (the umask does not apply). Without
/// `replace` the file is created with O_CREAT|O_EXCL, so an existing file (or a symlink
/// planted in its place) is never overwritten; with `replace` the bytes go to a new
/// temporary file in the same folder that is then renamed over `path`.
write_outcome write_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode,
                         bool replace);

/// A certificate as PEM text.
std::string certificate_pem(X509* cert);

/// A private key as unencrypted PKCS#8 PEM text.
std::string private_key_pem(EVP_PKEY* key);

/// Reads the first PEM certificate in `path`; null with `error` set on failure.
x509_ptr read_certificate(const std::filesystem::path& path, std::string& error);

/// Reads a PEM private key from `path`; null with `error` set on failure.
pkey_ptr read_private_key(const std::filesystem::path& path, std::string& error);

}  // namespace tether::console
