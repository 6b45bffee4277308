#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/secret_finder.hpp"
#include "collectors/site_key.hpp"

namespace tether::collectors {

/// Replaces every secret in a stream of device output by its `<redacted:XXXXXXXX>` token and
/// leaves every other byte as it was. Chunks may split anything, even a secret: the output
/// is the same however the input is cut. Holds back at most one line; a line longer than
/// `max_line` bytes is replaced whole by one token. Linear in the input.
class redactor {
 public:
  static constexpr std::size_t default_max_line = std::size_t{1} << 20;

  explicit redactor(site_key key, std::size_t max_line = default_max_line);
  ~redactor();
  redactor(const redactor&) = delete;
  redactor& operator=(const redactor&) = delete;

  /// Takes the next chunk; appends to `out` the bytes that are now safe to emit.
  void feed(std::string_view chunk, std::string& out);
  /// Takes the next chunk; returns the bytes that are now safe to emit.
  std::string feed(std::string_view chunk);
  /// Ends the stream: appends the redacted last (unterminated) line to `out`.
  void finish(std::string& out);
  /// Ends the stream: returns the redacted last (unterminated) line.
  std::string finish();

  /// How many secrets have been replaced so far (the audit log records it).
  std::size_t redactions() const { return redactions_; }

 private:
  void emit_line(std::string_view line, std::string& out);
  void emit_overlong(std::string_view tail, bool newline, std::string& out);

  site_key key_;
  std::size_t max_line_;
  secret_finder finder_;
  std::string pending_;                     // the start of a line whose end has not come
  std::unique_ptr<token_hasher> overlong_;  // set while inside a line longer than max_line_
  std::vector<secret_span> spans_;          // reused for every line
  std::size_t redactions_ = 0;
};

/// Redacts a whole text at once (previews, tests).
std::string redact_text(const site_key& key, std::string_view text,
                        std::size_t* redactions = nullptr);

}  // namespace tether::collectors
