// guildhall: one binary, several sub-commands (see README and `guildhall --help`).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/log.hpp"
#include "bench/bench_command.hpp"
#include "cli/commands.hpp"
#include "server/config.hpp"
#include "server/server.hpp"
#include "server/version.hpp"

namespace {

struct serve_options {
  std::string config_file;
  std::map<std::string, std::string> settings;
  std::vector<std::string> set_pairs;
};

void add_serve(CLI::App& app, serve_options& options) {
  auto* serve = app.add_subcommand("serve", "Run the server");
  serve->add_option("--config", options.config_file, "TOML configuration file (default: ./guildhall.toml if present)");
  auto flag = [&](const char* name, const char* setting, const char* help) {
    serve->add_option_function<std::string>(name, [&options, setting](const std::string& value) {
      options.settings[setting] = value;
    }, help);
  };
  flag("--data", "data_dir", "Data directory (database, token key); default ./data");
  flag("--host", "host", "Listen address; default 0.0.0.0");
  flag("--http-port", "http_port", "HTTP + WebSocket port; default 9700 (0: pick a free one)");
  flag("--tcp-port", "tcp_port", "Native TCP port; default 9701 (0: pick a free one)");
  flag("--udp-port", "udp_port", "UDP port; default 9702 (0: pick a free one)");
  flag("--log-level", "log_level", "trace|debug|info|warn|error|off; default info");
  flag("--log-format", "log_format", "text|json (one JSON object per line); default text");
  flag("--shards", "shards", "Network threads; default one per core");
  serve->add_option("--set", options.set_pairs, "Any setting as name=value, e.g. --set limits.max_frame_bytes=131072");
}

int run_serve(serve_options& options) {
  for (const auto& pair : options.set_pairs) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "--set wants name=value, got '%s'\n", pair.c_str());
      return 2;
    }
    options.settings[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  std::string file = options.config_file;
  if (file.empty()) {
    if (const char* from_env = std::getenv("GUILDHALL_CONFIG")) file = from_env;
    else if (FILE* probe = std::fopen("guildhall.toml", "r")) {
      std::fclose(probe);
      file = "guildhall.toml";
    }
  }
  auto config = guildhall::server::load_config(file, options.settings);
  if (!config) {
    std::fprintf(stderr, "configuration error: %s\n", config.error().message.c_str());
    return 2;
  }
  if (auto logging = guildhall::setup_logging(config->log_level, config->log_format); !logging) {
    std::fprintf(stderr, "%s\n", logging.error().message.c_str());
    return 2;
  }
  if (auto ran = guildhall::server::run_server(*config); !ran) {
    std::fprintf(stderr, "guildhall serve: %s\n", ran.error().message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Guildhall multiplayer game server"};
  app.set_version_flag("--version", std::string("guildhall ") + std::string(guildhall::server::version()));
  app.require_subcommand(1);
  serve_options serve;
  add_serve(app, serve);
  guildhall::cli::command_set commands;
  guildhall::cli::add_client_commands(app, commands);
  guildhall::bench::bench_options bench;
  guildhall::bench::add_bench_command(app, bench);
  CLI11_PARSE(app, argc, argv);
  if (app.got_subcommand("serve")) return run_serve(serve);
  if (app.got_subcommand("bench")) return guildhall::bench::run_bench_command(bench);
  return guildhall::cli::run_client_command(app, commands);
}
