#pragma once

#include <cstddef>
#include <cstdint>

namespace tether::transport {

/// The outcome of one credit operation; anything but `ok` is refused and changes nothing.
enum class credit_status {
  ok,
  exceeded,   ///< more DATA bytes than the credit allows (from the peer: a protocol error)
  overflow,   ///< a grant would push the window past 2^31 - 1 (from the peer: a protocol error)
  invalid,    ///< zero-byte grant or DATA, or consuming more than was received (a caller bug)
};

/// The stable name of a credit status ("exceeded").
const char* to_string(credit_status status);

/// The sender's credit on one stream: how many DATA bytes it may still send.
/// Pure; the tunnel waits (reading no more device output) while the chunk does not fit.
class send_credit {
 public:
  /// A stream that may send `initial` bytes before the first CREDIT (HELLO_ACK's value).
  explicit send_credit(std::uint32_t initial);

  /// Bytes that may be sent now.
  std::uint32_t available() const { return available_; }

  /// Whether a DATA chunk of `bytes` fits the credit.
  bool can_send(std::size_t bytes) const { return bytes > 0 && bytes <= available_; }

  /// Spends credit for a DATA chunk of `bytes`; `exceeded` when it does not fit.
  credit_status consume(std::size_t bytes);

  /// Adds a CREDIT frame's bytes; `overflow` (a peer's protocol error) past 2^31 - 1.
  credit_status grant(std::uint32_t bytes);

 private:
  std::uint32_t available_;
};

/// The receiver's credit on one stream: what the peer may still send, what it has sent but
/// the consumer has not taken, and when to grant more. Invariant: outstanding + buffered +
/// pending grant == window, so a stream never buffers more than its window.
class receive_credit {
 public:
  /// A stream whose sender starts with `window` bytes of credit.
  explicit receive_credit(std::uint32_t window);

  /// Accounts a DATA chunk; `exceeded` when the peer sent beyond its credit.
  credit_status on_data(std::size_t bytes);

  /// The consumer took `bytes` (stored them); returns the CREDIT to send now, or 0 to wait
  /// until at least half the window can be granted at once. 0 also when `bytes` is invalid.
  std::uint32_t on_consumed(std::size_t bytes);

  /// Credit the peer still holds.
  std::uint32_t outstanding() const { return outstanding_; }

  /// Bytes received and not yet consumed.
  std::uint32_t buffered() const { return buffered_; }

  /// The stream's window.
  std::uint32_t window() const { return window_; }

 private:
  std::uint32_t window_;
  std::uint32_t outstanding_;
  std::uint32_t buffered_ = 0;
  std::uint32_t pending_grant_ = 0;
};

}  // namespace tether::transport
