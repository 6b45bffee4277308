#include "console/ca_command.hpp"

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "console/certificate_authority.hpp"
#include "console/certificate_listing.hpp"
#include "console/site_identity.hpp"

namespace tether::console {
namespace {

struct ca_options {
  std::string dir;
  std::optional<int> days;
  bool force = false;
  std::optional<std::string> site;
  std::optional<std::string> console;
  int warn_days = 30;
};

cert_time now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

int exit_code_of(ca_status status) {
  switch (status) {
    case ca_status::ok: return 0;
    case ca_status::bad_input: return 2;
    default: return 1;
  }
}

std::string mode_text(unsigned mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", mode);
  return text;
}

int report(const ca_result& result, bool show_pin) {
  if (result.status != ca_status::ok) {
    std::cerr << "tether-console: " << result.error << "\n";
    return exit_code_of(result.status);
  }
  for (const auto& file : result.files)
    std::cout << "wrote " << file.path.string() << " (mode " << mode_text(file.mode) << ")\n";
  std::cout << "subject: " << result.subject << "\nserial: " << result.serial
            << "\nnot_after: " << format_utc(result.not_after) << "\n";
  if (show_pin)
    std::cout << "pin_sha256: " << result.spki_sha256
              << "\n(agents may pin it: console.pin_sha256 in agent.yaml)\n";
  if (result.shortened)
    std::cerr << "tether-console: warning: the certificate ends with the CA, at "
              << format_utc(result.not_after) << "\n";
  return 0;
}

int run_init(const ca_options& o) {
  const auto result =
      certificate_authority::init(o.dir, o.days.value_or(default_ca_days), o.force, now());
  return report(result, false);
}

int run_issue(const ca_options& o) {
  if (o.site.has_value() == o.console.has_value()) {
    std::cerr << "tether-console: ca issue: give exactly one of --site ID or --console NAME\n";
    return 2;
  }
  std::string error;
  const auto ca = certificate_authority::open(o.dir, error);
  if (!ca) {
    const bool missing = !std::filesystem::exists(std::filesystem::path(o.dir) / "ca.crt");
    std::cerr << "tether-console: no usable CA: " << error
              << (missing ? " (run ca init --dir first)" : "") << "\n";
    return 1;
  }
  const leaf_request request{o.site ? leaf_kind::site : leaf_kind::console,
                             o.site ? *o.site : *o.console,
                             o.days.value_or(default_leaf_days), o.force};
  const cert_time at = now();
  const int code = report(ca->issue(request, at), request.kind == leaf_kind::console);
  if (const auto notice = expiry_warning(ca->certificate(), at, std::chrono::days{90}))
    std::cerr << "tether-console: warning: CA " << notice->message() << "\n";
  return code;
}

std::string status_text(const listed_certificate& c) {
  if (!c.problem.empty()) return "invalid: " + c.problem;
  if (!c.notice) return "ok";
  if (c.notice->expired) return "expired";
  const auto days = std::chrono::duration_cast<std::chrono::days>(c.notice->remaining).count();
  return "expires in " + std::to_string(days) + (days == 1 ? " day" : " days");
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text + "  ";
}

int run_list(const ca_options& o) {
  if (o.warn_days < 0) {
    std::cerr << "tether-console: --warn-days: expected 0 or more days\n";
    return 2;
  }
  std::string error;
  const auto list = list_certificates(o.dir, now(), std::chrono::days(o.warn_days), error);
  if (list.empty()) {
    std::cerr << "tether-console: no usable CA: " << error << "\n";
    return 1;
  }
  std::size_t file_width = 4, name_width = 4;
  for (const auto& c : list) {
    file_width = std::max(file_width, c.file.size());
    name_width = std::max(name_width, c.name.size());
  }
  std::cout << padded("FILE", file_width) << padded("ROLE", 7) << padded("NAME", name_width)
            << padded("NOT_AFTER", 20) << "STATUS\n";
  bool healthy = true;
  for (const auto& c : list) {
    std::cout << padded(c.file, file_width) << padded(c.role, 7) << padded(c.name, name_width)
              << padded(c.not_after ? format_utc(*c.not_after) : "-", 20) << status_text(c)
              << "\n";
    healthy = healthy && c.healthy();
  }
  return healthy ? 0 : 1;
}

void add_common(CLI::App& cmd, ca_options& o) {
  cmd.add_option("--dir", o.dir, "folder holding ca.crt and ca.key")->required();
  cmd.add_option("--days", o.days, "validity in days");
  cmd.add_flag("--force", o.force, "replace existing files of the same name");
}

}  // namespace

void add_ca_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ca_options>();
  auto* ca = app.add_subcommand("ca", "the console's certificate authority");
  ca->require_subcommand(1);

  auto* init = ca->add_subcommand("init", "create DIR/ca.key (0600) and DIR/ca.crt (0644)");
  add_common(*init, *options);
  init->callback([options, &exit_code] { exit_code = run_init(*options); });

  auto* issue = ca->add_subcommand(
      "issue", "issue DIR/site-ID.{crt,key} or DIR/console-NAME.{crt,key} signed by the CA");
  add_common(*issue, *options);
  auto* site = issue->add_option("--site", options->site, "site ID (an agent's client cert)");
  auto* console = issue->add_option("--console", options->console,
                                    "DNS name or IP address agents dial (the server cert)");
  site->excludes(console);
  issue->callback([options, &exit_code] { exit_code = run_issue(*options); });

  auto* list = ca->add_subcommand(
      "list", "list the CA's certificates; exit 1 if one is invalid or expires within "
              "--warn-days");
  list->add_option("--dir", options->dir, "folder holding ca.crt")->required();
  list->add_option("--warn-days", options->warn_days, "warn this many days ahead (30)");
  list->callback([options, &exit_code] { exit_code = run_list(*options); });
}

}  // namespace tether::console
