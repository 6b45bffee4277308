#pragma once

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace tether::testing {

/// Runs `work` on `io` until it completes, rethrowing what it threw; throws if it has not
/// finished by `deadline`.
template <class T>
T run_coroutine(boost::asio::io_context& io, boost::asio::awaitable<T> work,
                std::chrono::seconds deadline = std::chrono::seconds(60)) {
  std::optional<T> result;
  std::exception_ptr error;
  boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T value) {
    error = e;
    if (!e) result = std::move(value);
  });
  io.restart();
  io.run_for(deadline);
  if (error) std::rethrow_exception(error);
  if (!result) throw std::runtime_error("the coroutine did not finish before its deadline");
  return std::move(*result);
}

}  // namespace tether::testing
