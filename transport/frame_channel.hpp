#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <optional>
#include <vector>

#include "transport/frame_codec.hpp"

namespace tether::transport {

/// The outcome of reading one frame: the frame, the peer's protocol error, or the I/O end
/// (EOF, reset, closed by stop()).
struct channel_read {
  std::optional<frame> value;
  std::optional<decode_error> protocol;
  boost::system::error_code io;
};

/// One connection's frames over an Asio byte stream (TLS in production, TCP in tests):
/// reads feed the incremental decoder, writes go out whole and one at a time, never
/// interleaved (a caller that needs an order among frames writes them from one coroutine).
/// For a single io thread; one reader at a time, any number of writers.
template <typename Stream>
class frame_channel {
 public:
  /// A channel over `stream`, which must outlive it.
  explicit frame_channel(Stream& stream, decoder_limits limits = {})
      : stream_(stream), decoder_(limits), wake_(stream.get_executor()) {
    wake_.expires_at(boost::asio::steady_timer::time_point::max());
  }

  /// Reads until one frame is complete; a decode error is final (the decoder is sticky).
  boost::asio::awaitable<channel_read> read() {
    for (;;) {
      auto r = decoder_.next();
      if (r.state == decode_result::status::frame) co_return channel_read{std::move(r.value), {}, {}};
      if (r.state == decode_result::status::error) co_return channel_read{{}, std::move(r.error), {}};
      boost::system::error_code ec;
      const auto n = co_await stream_.async_read_some(
          boost::asio::buffer(buffer_), boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return channel_read{{}, {}, ec};
      decoder_.feed(std::span<const std::uint8_t>(buffer_.data(), n));
    }
  }

  /// Encodes and writes one frame once no other write is in progress; `invalid_argument` when
  /// the frame does not encode (a caller bug: nothing is written). The frame is encoded before
  /// this returns; no reference to it is kept. With g++ 12, name the frame in a variable rather
  /// than build a temporary inside the `co_await` expression: g++ 12 destroys such temporaries
  /// twice (the loopback test crashed that way).
  /// `check`: see encode(); the agent's sender trusts the digests its spool computed.
  boost::asio::awaitable<boost::system::error_code> write(const frame& f,
                                                          digest_check check = digest_check::verify) {
    auto encoded = encode(f, check, take_spare());
    return write_bytes(encoded.error ? std::vector<std::uint8_t>() : std::move(encoded.bytes));
  }

  /// Bytes received but not yet returned as frames.
  std::size_t buffered() const { return decoder_.buffered(); }

  /// Wakes waiting writers with operation_aborted; the owner closes the stream itself.
  void stop() {
    stopped_ = true;
    wake_.cancel();
  }

 private:
  boost::asio::awaitable<boost::system::error_code> write_bytes(std::vector<std::uint8_t> bytes) {
    if (bytes.empty()) co_return boost::asio::error::invalid_argument;
    boost::system::error_code ec;
    while (writing_) {
      co_await wake_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (stopped_) co_return boost::asio::error::operation_aborted;
    }
    writing_ = true;
    co_await boost::asio::async_write(stream_, boost::asio::buffer(bytes),
                                      boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    writing_ = false;
    if (spare_.size() < max_spare) spare_.push_back(std::move(bytes));  // the next encode's storage
    wake_.cancel();  // every waiting writer re-checks; the first to run goes next
    co_return ec;
  }

  /// Storage of a written frame, reused by the next encode (no allocation per DATA frame).
  std::vector<std::uint8_t> take_spare() {
    if (spare_.empty()) return {};
    auto out = std::move(spare_.back());
    spare_.pop_back();
    return out;
  }

  static constexpr std::size_t max_spare = 4;

  Stream& stream_;
  frame_decoder decoder_;
  std::vector<std::vector<std::uint8_t>> spare_;
  std::array<std::uint8_t, 16384> buffer_{};
  boost::asio::steady_timer wake_;
  bool writing_ = false;
  bool stopped_ = false;
};

}  // namespace tether::transport
