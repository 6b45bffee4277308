#pragma once

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>

namespace tether::testing {

/// Runs `work` on `io` until it completes, rethrowing what it threw; throws if it has not
/// finished by `deadline`.
template <class T>
T run_coroutine(boost::asio::io_context& io, boost::asio::awaitable<T> work,
                std::chrono::seconds deadline = std::chrono::seconds(60)) {
  // Shared with the handler: after a deadline the work is still pending and may complete later.
  struct outcome {
    std::optional<T> result;
    std::exception_ptr error;
  };
  auto state = std::make_shared<outcome>();
  boost::asio::co_spawn(io, std::move(work), [state](std::exception_ptr e, T value) {
    state->error = e;
    if (!e) state->result = std::move(value);
  });
  io.restart();
  io.run_for(deadline);
  if (state->error) std::rethrow_exception(state->error);
  if (!state->result) throw std::runtime_error("the coroutine did not finish before its deadline");
  return std::move(*state->result);
}

}  // namespace tether::testing
