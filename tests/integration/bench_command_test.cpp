// `guildhall bench` as a process against a real server, each scenario for a second or two, so that the load
// generator cannot rot: it must run to the end, exit 0 and report figures that are real (deliveries, moves and
// snapshots counted, nothing lost, no decode errors). Not a benchmark: the figures' sizes are not judged.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "guildhall_command.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

using namespace std::chrono_literals;

// The number after "key": in the report's JSON line, or nullopt.
std::optional<double> figure(const std::string& output, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(output, match, std::regex("\"" + key + "\":(-?[0-9.eE+]+)"))) return std::nullopt;
  return std::strtod(match[1].str().c_str(), nullptr);
}

// One server for every scenario, told what bench/run.sh tells it: many guests and connections from one address.
class BenchCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new server_process({"limits.max_connections_per_ip=0", "auth.logins_per_ip_per_minute=0",
                                  "http.reads_per_ip_per_minute=0"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static finished_command bench(std::vector<std::string> args) {
    std::vector<std::string> all = {"bench"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--server-pid", std::to_string(server_->pid())});
    return run_guildhall(all, 30s);
  }
  static std::string ws() { return "ws://127.0.0.1:" + std::to_string(server_->http_port()); }
  static std::string udp() {
    return "udp://127.0.0.1:" + std::to_string(server_->udp_port()) + "?http_port=" +
           std::to_string(server_->http_port());
  }

  static server_process* server_;
};
server_process* BenchCommand::server_ = nullptr;

TEST_F(BenchCommand, IdleConnectsAndAuthenticatesEveryConnection) {
  const auto run = bench({"idle", "--server", ws(), "--connections", "300"});
  ASSERT_EQ(run.exit_status, 0) << run.output;
  EXPECT_EQ(figure(run.output, "authenticated"), 300) << run.output;
  EXPECT_EQ(figure(run.output, "failed"), 0) << run.output;
  EXPECT_GT(figure(run.output, "connects_per_s").value_or(0), 0) << run.output;
}

TEST_F(BenchCommand, TurnsPlaysAcknowledgedMoves) {
  const auto run = bench({"turns", "--server", ws(), "--matches", "10", "--think-ms", "20", "--warmup", "0.5",
                          "--seconds", "1.5"});
  ASSERT_EQ(run.exit_status, 0) << run.output;
  EXPECT_GT(figure(run.output, "durable_moves_per_s").value_or(0), 10) << run.output;
  EXPECT_GT(figure(run.output, "p50_ms").value_or(0), 0) << run.output;
}

TEST_F(BenchCommand, ChatFanoutDeliversEveryMessageToEveryMember) {
  const auto run = bench({"chat-fanout", "--server", ws(), "--members", "20", "--rate", "5", "--warmup", "0.5",
                          "--seconds", "1.5"});
  ASSERT_EQ(run.exit_status, 0) << run.output;
  const auto expected = figure(run.output, "expected_deliveries").value_or(0);
  EXPECT_GT(expected, 0) << run.output;
  EXPECT_EQ(figure(run.output, "lost"), 0) << run.output;
  EXPECT_EQ(figure(run.output, "errors"), 0) << run.output;
  EXPECT_GT(figure(run.output, "deliveries_per_s").value_or(0), 0) << run.output;
}

// Each player decodes about every snapshot (20 a second) with no decode error, and reads real bytes.
void expect_arena_ran(const finished_command& run) {
  ASSERT_EQ(run.exit_status, 0) << run.output;
  EXPECT_GT(figure(run.output, "snapshots_per_player_per_s").value_or(0), 15) << run.output;
  EXPECT_EQ(figure(run.output, "decode_errors"), 0) << run.output;
  EXPECT_EQ(figure(run.output, "errors"), 0) << run.output;
  EXPECT_GT(figure(run.output, "bytes_per_player_per_s").value_or(0), 200) << run.output;
  EXPECT_GT(figure(run.output, "room_ticks").value_or(0), 0) << run.output;
}

TEST_F(BenchCommand, ArenaOverWebSocketDecodesEverySnapshot) {
  const auto run = bench({"arena", "--server", ws(), "--rooms", "2", "--players", "4", "--warmup", "0.5",
                          "--seconds", "1.5"});
  expect_arena_ran(run);
  EXPECT_NE(run.output.find("\"transport\":\"websocket\""), std::string::npos) << run.output;
}

TEST_F(BenchCommand, ArenaOverUdpDecodesEverySnapshot) {
  ASSERT_NE(server_->udp_port(), 0);
  const auto run = bench({"arena", "--server", udp(), "--rooms", "2", "--players", "4", "--warmup", "0.5",
                          "--seconds", "1.5"});
  expect_arena_ran(run);
  EXPECT_NE(run.output.find("\"transport\":\"udp\""), std::string::npos) << run.output;
}

}  // namespace
}  // namespace guildhall::testing
