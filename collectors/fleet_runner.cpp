#include "collectors/fleet_runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

namespace tether::collectors {

namespace {

using asio::awaitable;
using asio::use_awaitable;

// Retrying may help only when the connection itself failed, before anything was read.
bool worth_retrying(collect_status s) { return is_transient(s); }

/// Registers a live session for stop() and removes it again, whatever happens.
struct live_entry {
  std::list<libssh_session*>& list;
  std::list<libssh_session*>::iterator it;
  live_entry(std::list<libssh_session*>& l, libssh_session* s) : list(l), it(l.insert(l.end(), s)) {}
  ~live_entry() { list.erase(it); }
};

}  // namespace

fleet_runner::fleet_runner(asio::any_io_executor executor, fleet_options options)
    : executor_(std::move(executor)), options_(std::move(options)) {}

void fleet_runner::stop() {
  stopped_ = true;
  for (auto* s : live_) s->stop();
  for (auto* t : sleeping_) t->cancel();
}

awaitable<std::vector<command_outcome>> fleet_runner::run(const std::vector<fleet_target>& targets,
                                                          const std::vector<std::string>& commands,
                                                          fleet_consumer& consumer) {
  std::vector<command_outcome> outcomes(targets.size() * commands.size());
  for (std::size_t d = 0; d < targets.size(); ++d)
    for (std::size_t c = 0; c < commands.size(); ++c)
      outcomes[d * commands.size() + c] = {targets[d].endpoint.device, commands[c],
                                           collect_status::cancelled, "not started", 0, {}, 0};
  next_ = 0;
  const std::size_t workers = std::min(std::max<std::size_t>(options_.concurrency, 1), targets.size());
  std::size_t running = workers;
  asio::steady_timer all_done(executor_, asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < workers; ++i) {
    asio::co_spawn(executor_, worker(targets, commands, consumer, outcomes),
                   [&running, &all_done](std::exception_ptr) {
                     // A worker never throws (session errors are outcomes); count it done anyway.
                     if (--running == 0) all_done.cancel();
                   });
  }
  boost::system::error_code ec;
  if (running > 0) co_await all_done.async_wait(asio::redirect_error(use_awaitable, ec));
  for (const auto& o : outcomes)  // devices a stop() kept from starting are told too
    if (o.attempts == 0) consumer.finished(o);
  co_return outcomes;
}

awaitable<void> fleet_runner::worker(const std::vector<fleet_target>& targets,
                                     const std::vector<std::string>& commands,
                                     fleet_consumer& consumer,
                                     std::vector<command_outcome>& outcomes) {
  while (!stopped_ && next_ < targets.size()) {
    const std::size_t d = next_++;
    co_await visit(targets[d], commands, consumer, &outcomes[d * commands.size()]);
  }
}

awaitable<bool> fleet_runner::back_off(int attempt) {
  static thread_local std::minstd_rand jitter(std::random_device{}());
  const auto base = options_.first_backoff * (1 << std::min(attempt - 1, 6));
  const auto wait = base / 2 + std::chrono::milliseconds(jitter() % (base.count() / 2 + 1));
  asio::steady_timer timer(executor_, wait);
  sleeping_.push_back(&timer);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
  sleeping_.remove(&timer);
  co_return !stopped_;
}

awaitable<void> fleet_runner::visit(const fleet_target& target,
                                    const std::vector<std::string>& commands,
                                    fleet_consumer& consumer, command_outcome* outcomes) {
  std::size_t next = 0;  // the first command without an outcome yet
  try {
    co_await visit_commands(target, commands, consumer, outcomes, next);
  } catch (const std::exception& e) {
    // The consumer failed (a full disk, say): the rest of this device is an error, said once.
    for (; next < commands.size(); ++next) {
      outcomes[next].status = collect_status::error;
      outcomes[next].message = std::string("result not stored: ") + e.what();
      consumer.finished(outcomes[next]);
    }
  }
  consumer.progress(target.endpoint.device, "done");
}

awaitable<void> fleet_runner::visit_commands(const fleet_target& target,
                                             const std::vector<std::string>& commands,
                                             fleet_consumer& consumer, command_outcome* outcomes,
                                             std::size_t& c) {
  const std::string& device = target.endpoint.device;
  for (int attempt = 1; c < commands.size() && !stopped_; ++attempt) {
    consumer.progress(device, attempt == 1 ? "connecting" : "reconnecting");
    libssh_session session(executor_);
    live_entry entry(live_, &session);
    connect_result link = co_await session.connect(target.endpoint, target.login, options_.ssh);
    for (std::size_t i = c; i < commands.size(); ++i) {
      outcomes[i].host_key_fingerprint = link.host_key_fingerprint;
      outcomes[i].attempts = attempt;
    }
    if (link.status != collect_status::ok) {
      if (worth_retrying(link.status) && attempt < options_.max_attempts) {
        consumer.progress(device, "retrying: " + link.message);
        if (co_await back_off(attempt)) continue;
      }
      for (; c < commands.size(); ++c) {
        outcomes[c].status = stopped_ ? collect_status::cancelled : link.status;
        outcomes[c].message = link.message;
        consumer.finished(outcomes[c]);
      }
      co_return;
    }
    consumer.connected(device, link);
    bool reconnect = false;
    for (; c < commands.size() && !reconnect; ++c) {
      consumer.progress(device, "running " + commands[c]);
      auto sink = [&consumer, &device, c](std::string_view chunk) {
        return consumer.output(device, c, chunk);
      };
      command_result r = co_await session.run(commands[c], options_.limits, sink);
      // A link lost before any byte of this command arrived is worth another connection.
      if (r.status == collect_status::error && r.bytes == 0 && attempt < options_.max_attempts &&
          !stopped_) {
        consumer.progress(device, "retrying: " + r.message);
        reconnect = co_await back_off(attempt);
        if (reconnect) break;
      }
      outcomes[c].status = stopped_ && r.status != collect_status::ok ? collect_status::cancelled
                                                                      : r.status;
      outcomes[c].message = r.message;
      outcomes[c].bytes = r.bytes;
      consumer.finished(outcomes[c]);
    }
    if (!reconnect) co_return;
  }
}

}  // namespace tether::collectors
