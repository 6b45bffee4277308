#pragma once

#include <utility>  // before Asio (see docs/development.md)

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>

#include "agent/audit_log.hpp"
#include "agent/request_handler.hpp"
#include "agent/result_sink.hpp"
#include "config/agent_config.hpp"

namespace tether::agent {

/// The request handler of one open window in tether-agent: the dispatcher over the window's
/// setup (inventory, logins, catalog, site key loaded fresh when the window opens) and its
/// transcripts. When that setup cannot be loaded the window still opens, every request is
/// denied `agent-error` naming the problem, and `config.refused` is audited, so the engineer
/// and the admin both see why nothing runs.
std::unique_ptr<request_handler> make_window_dispatcher(boost::asio::any_io_executor executor,
                                                        const config::agent_config& config,
                                                        const std::string& window, result_sink& sink,
                                                        audit_log& audit);

}  // namespace tether::agent
