#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/frame.hpp"

namespace tether::transport {

/// Why bytes are not a valid frame; every code is a protocol error that ends the connection.
enum class decode_error_code {
  unknown_type,       ///< the type byte names no frame of this version
  reserved_flags,     ///< flags byte is not zero
  bad_stream_id,      ///< connection frame on a stream, or stream frame on stream 0
  payload_too_large,  ///< declared length above the limit (checked before buffering it)
  length_mismatch,    ///< payload shorter or longer than its fields say
  bad_magic,          ///< HELLO does not start with "TTHR"
  bad_version,        ///< version range empty or zero, or a version not offered
  bad_identifier,     ///< a name field is not an identifier
  bad_text,           ///< a text field is not valid UTF-8, has controls, or is too long
  bad_json,           ///< REQUEST text is not a JSON object within the limits
  bad_value,          ///< a number or enum is outside its allowed range
  digest_mismatch,    ///< DATA bytes do not hash to the digest it carries
};

/// A decode failure: the code and which field, for the log and the GOAWAY message.
struct decode_error {
  decode_error_code code = decode_error_code::bad_value;
  std::string message;
  bool operator==(const decode_error&) const = default;
};

/// The stable name of a decode error code ("payload-too-large").
const char* to_string(decode_error_code code);

/// What the decoder is told to accept.
struct decoder_limits {
  std::uint32_t max_payload = max_payload_size;  ///< at most max_payload_size
};

/// The outcome of asking the decoder for the next frame.
struct decode_result {
  enum class status { frame, need_more, error };
  status state = status::need_more;
  std::optional<frame> value;          ///< set when state == frame
  std::optional<decode_error> error;   ///< set when state == error
};

/// Incremental decoder: feed bytes as they arrive, take complete frames out.
/// Pure (no I/O); after the first error it keeps returning that error.
class frame_decoder {
 public:
  /// A decoder accepting payloads up to `limits.max_payload` bytes.
  explicit frame_decoder(decoder_limits limits = {});

  /// Appends received bytes; call next() until it says need_more before feeding a lot more.
  void feed(std::span<const std::uint8_t> bytes);

  /// The next complete frame, need_more, or the (sticky) decode error.
  decode_result next();

  /// Bytes received but not yet returned as frames.
  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  decoder_limits limits_;
  std::vector<std::uint8_t> buffer_;
  std::size_t consumed_ = 0;
  std::optional<decode_error> error_;
};

/// Decodes exactly one frame from `bytes` (header and payload, nothing after it).
decode_result decode_frame(std::span<const std::uint8_t> bytes, decoder_limits limits = {});

/// The outcome of encoding: the bytes, or why the frame would be refused by a peer.
struct encode_result {
  std::vector<std::uint8_t> bytes;
  std::optional<decode_error> error;
};

/// Whether encode() hashes a DATA frame's bytes again to check the digest it carries.
enum class digest_check {
  verify,   ///< hash the bytes: the digest may not match them (the default)
  trusted,  ///< the digest was computed from these very bytes when they were spooled
};

/// Encodes a frame; a frame that a decoder would reject yields an error and no bytes.
/// With `digest_check::trusted` a DATA frame's digest is not recomputed (every other rule is
/// checked); the receiving decoder always verifies it.
encode_result encode(const frame& f, digest_check check = digest_check::verify);

/// encode() into `buffer`'s storage (its contents are replaced): a sender that hands its
/// last frame's bytes back here allocates nothing per frame.
encode_result encode(const frame& f, digest_check check, std::vector<std::uint8_t> buffer);

/// A DATA frame for `bytes` with its SHA-256 filled in.
data make_data(std::uint32_t stream, std::uint64_t sequence, std::span<const std::uint8_t> bytes);

}  // namespace tether::transport
