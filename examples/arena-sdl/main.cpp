// guildhall-arena-sdl: the arena in a window. WASD (or the arrow keys) move, the mouse aims, the left button
// shoots. The local fighter is predicted, the others interpolated (arena_game.hpp); the network is one file pair
// (arena_connection.hpp). `--screenshot FILE --frames N` draws N frames of the game, saves a BMP and exits: what
// the e2e test (tests/e2e/arena_sdl.sh) runs under Xvfb.
#include <CLI/CLI.hpp>
#include <SDL.h>
#include <SDL_ttf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <string>

#include "arena_connection.hpp"
#include "arena_game.hpp"
#include "arena_render.hpp"
#include "arena_world.hpp"

namespace {

using namespace guildhall;
using namespace guildhall::arena_sdl;
namespace arena = guildhall::games::arena;

constexpr double kFrameMs = 1000.0 / 60;
// --screenshot: give up (and save what is on screen) when the game has not shown N frames by then.
constexpr double kScreenshotDeadlineMs = 30'000;

struct options {
  connection_settings connection;
  bool guest = false;
  std::string screenshot;
  int frames = 120;
  std::string font = kDefaultFont;
  bool wander = false;
};

// --wander: hold each of eight directions for a second in turn and fire now and then, so an unattended run (the
// e2e test) exercises prediction, reconciliation and shots.
void wander(arena::arena_input& in, double now_ms) {
  static constexpr std::uint8_t kDirections[] = {arena::kUp, arena::kUp | arena::kRight, arena::kRight,
                                                 arena::kRight | arena::kDown, arena::kDown,
                                                 arena::kDown | arena::kLeft, arena::kLeft, arena::kLeft | arena::kUp};
  const auto second = std::uint64_t(now_ms / 1000);
  in.buttons = kDirections[second % 8];
  if (std::uint64_t(now_ms / 250) % 4 == 0) in.buttons |= arena::kFire;
}

arena::arena_input read_controls(std::optional<SDL_Point> me_on_screen, double& aim) {
  const Uint8* keys = SDL_GetKeyboardState(nullptr);
  arena::arena_input in;
  if (keys[SDL_SCANCODE_W] || keys[SDL_SCANCODE_UP]) in.buttons |= arena::kUp;
  if (keys[SDL_SCANCODE_S] || keys[SDL_SCANCODE_DOWN]) in.buttons |= arena::kDown;
  if (keys[SDL_SCANCODE_A] || keys[SDL_SCANCODE_LEFT]) in.buttons |= arena::kLeft;
  if (keys[SDL_SCANCODE_D] || keys[SDL_SCANCODE_RIGHT]) in.buttons |= arena::kRight;
  int mx = 0, my = 0;
  const Uint32 mouse = SDL_GetMouseState(&mx, &my);
  if (mouse & SDL_BUTTON(SDL_BUTTON_LEFT)) in.buttons |= arena::kFire;
  if (me_on_screen && (mx != me_on_screen->x || my != me_on_screen->y)) {
    aim = std::atan2(double(me_on_screen->y - my), double(mx - me_on_screen->x));  // screen y grows down
  }
  in.aim = arena::quantize_aim(aim);
  return in;
}

// "ann killed bob" from a kill event's JSON, without a JSON library: the two names are plain fields.
std::string describe_event(const std::string& type, const std::string& payload) {
  if (type != "kill") return type == "results" ? "the match is over" : "";
  static const std::regex killer(R"re("killer_name"\s*:\s*"([^"]*)")re"), victim(R"re("victim_name"\s*:\s*"([^"]*)")re");
  std::smatch a, b;
  if (!std::regex_search(payload, a, killer) || !std::regex_search(payload, b, victim)) return "a kill";
  return a[1].str() + " killed " + b[1].str();
}

const char* transport_name(client::network_stats::transport_kind kind) {
  using transport = client::network_stats::transport_kind;
  switch (kind) {
    case transport::udp: return "UDP";
    case transport::websocket: return "WebSocket";
    case transport::tcp: return "TCP";
    case transport::none: break;
  }
  return "";  // not connected
}

bool save_screenshot(SDL_Renderer* renderer, const std::string& path) {
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(renderer, &w, &h);
  SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
  if (!surface) return false;
  bool ok = SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB24, surface->pixels, surface->pitch) == 0 &&
            SDL_SaveBMP(surface, path.c_str()) == 0;
  SDL_FreeSurface(surface);
  return ok;
}

int run(const options& opts) {
  if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
    std::fprintf(stderr, "arena-sdl: SDL: %s\n", SDL_GetError());
    return 1;
  }
  int w = 0, h = 0;
  arena_render::window_size(w, h);
  SDL_Window* window = SDL_CreateWindow("Guildhall arena", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, 0);
  SDL_Renderer* renderer = window ? SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED) : nullptr;
  if (window && !renderer) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
  if (!renderer) {
    std::fprintf(stderr, "arena-sdl: no window: %s\n", SDL_GetError());
    return 1;
  }
  int exit_code = 0;
  {
    arena_render render(renderer, opts.font);
    std::optional<arena_game> game;
    hud_figures hud;
    bool over = false;
    std::optional<arena_connection> connection_slot;  // the events below name it; made right after them
    double last_rtt_ms = 0;  // the newest ping: fed again to a game started anew after a rejoin
    connection_events events{
        .on_status =
            [&](const std::string& what) {
              if (!what.empty() && what != hud.status) std::printf("arena-sdl: %s\n", what.c_str());
              std::fflush(stdout);
              hud.status = what;
            },
        .on_joined =
            [&](const joined_room& room) {
              // A fresh model for every (re)join: after a reconnection the ticks, the seat or the room may differ.
              game.emplace(room.seat, room.tick_hz);
              if (last_rtt_ms > 0) game->on_round_trip(last_rtt_ms, steady_ms());
              hud.seat = room.seat;
              std::printf("arena-sdl: %s room %llu, seat %d, %d Hz, over %s\n", room.rejoined ? "back in" : "in",
                          static_cast<unsigned long long>(room.room_id), room.seat, room.tick_hz,
                          connection_slot->over_udp() ? "UDP" : "WebSocket/TCP");
              std::fflush(stdout);
            },
        .on_snapshot =
            [&](std::uint32_t tick, const world_view& world) {
              if (game) game->on_snapshot(tick, world, steady_ms());
            },
        .on_event =
            [&](const std::string& type, const std::string& payload) {
              if (auto text = describe_event(type, payload); !text.empty()) render.add_notice(text, steady_ms());
            },
        .on_round_trip =
            [&](double rtt) {
              last_rtt_ms = rtt;
              if (game) game->on_round_trip(rtt, steady_ms());
            },
        .on_closed =
            [&](const std::string& reason) {
              hud.status = reason;
              over = true;
              std::fprintf(stderr, "arena-sdl: %s\n", reason.c_str());
            },
    };
    auto& connection = connection_slot.emplace(opts.connection, events);
    connection.start();
    const double started = steady_ms();
    int shown_frames = 0;
    bool quit = false;
    double aim = 0;
    while (!quit) {
      const double frame_start = steady_ms();
      SDL_Event e;
      while (SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT || (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_ESCAPE)) quit = true;
      }
      connection.poll();
      const double now = steady_ms();
      std::optional<arena_frame> frame;
      if (game) {
        frame = game->view(now);
        std::optional<SDL_Point> me;
        if (frame && frame->me) me = arena_render::to_screen(frame->me->x, frame->me->y);
        auto controls = read_controls(me, aim);
        if (opts.wander) wander(controls, now);
        if (!over) {
          if (auto out = game->step(now, controls)) connection.send_inputs(*out);
        }
        const auto net = connection.network();
        hud.transport = transport_name(net.transport);
        hud.rtt_ms = net.rtt_ms;
        hud.loss = net.packet_loss;
        hud.delay_ms = game->interpolation_delay_ms(now);
        hud.corrections = game->prediction().corrections;
        hud.mean_error = game->prediction().errors_measured
                             ? game->prediction().error_sum / double(game->prediction().errors_measured)
                             : 0;
        hud.underruns = game->interpolation().underruns;
        hud.aim = aim;
      }
      render.draw(frame ? &*frame : nullptr, hud);
      if (frame) ++shown_frames;
      // After N frames, the first frame that shows the local fighter alive: bots may have just killed it, and a
      // screenshot of "respawning..." shows less of what the client draws.
      const bool shows_me = frame && frame->me && frame->me->alive;
      if (!opts.screenshot.empty() &&
          ((shown_frames >= opts.frames && shows_me) || over || now - started > kScreenshotDeadlineMs)) {
        if (!save_screenshot(renderer, opts.screenshot)) {
          std::fprintf(stderr, "arena-sdl: screenshot failed: %s\n", SDL_GetError());
          exit_code = 1;
        }
        if (shown_frames < opts.frames) {
          std::fprintf(stderr, "arena-sdl: only %d frames of the game were shown\n", shown_frames);
          exit_code = 1;
        }
        std::printf("arena-sdl: %d frames over %s, ping %.0f ms, loss %.1f%%, corrections %llu, mean prediction error %.3f units, "
                    "underruns %llu, saved %s\n",
                    shown_frames, connection.over_udp() ? "UDP" : "WebSocket/TCP", hud.rtt_ms, hud.loss * 100,
                    static_cast<unsigned long long>(hud.corrections), hud.mean_error,
                    static_cast<unsigned long long>(hud.underruns), opts.screenshot.c_str());
        quit = true;
      }
      SDL_RenderPresent(renderer);
      const double spent = steady_ms() - frame_start;
      if (spent < kFrameMs) SDL_Delay(Uint32(kFrameMs - spent));
    }
    connection.close();
  }
  SDL_DestroyRenderer(renderer);
  SDL_DestroyWindow(window);
  TTF_Quit();
  SDL_Quit();
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  options opts;
  CLI::App app{"The Guildhall arena in an SDL2 window: WASD to move, the mouse to aim, the left button to shoot"};
  app.add_option("--server", opts.connection.server,
                 "Server URL: ws://HOST:HTTP_PORT (udp://HOST:PORT?http_port=N, tcp://HOST:PORT, wss://, tls://)")
      ->capture_default_str();
  app.add_option("--transport", opts.connection.transport,
                 "udp: the UDP transport (port HTTP_PORT+2 unless the URL is udp://), falling back to WebSocket; "
                 "ws: WebSocket only (default: udp)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, transport_choice>{
          {"udp", transport_choice::udp}, {"ws", transport_choice::websocket}}));
  auto* guest = app.add_flag("--guest", opts.guest, "Play as a guest with a made-up name (the default without --user)");
  app.add_option("--user", opts.connection.user, "Username; without --password a guest, one per name (the server picks its display name)")->excludes(guest);
  app.add_option("--password", opts.connection.password, "Password: logs in, registering on first use");
  auto* room = app.add_option("--room", opts.connection.room_id, "Join this room id");
  app.add_flag("--matchmake", opts.connection.matchmake, "Queue with the matchmaker (ffa, 2..8 players)")->excludes(room);
  app.add_option("--bots", opts.connection.bots, "Quick join: a public arena with this many bots")
      ->check(CLI::Range(0, 7))
      ->capture_default_str();
  app.add_option("--screenshot", opts.screenshot,
                 "Save a BMP of the screen after --frames frames of the game (once the local fighter is alive), then exit");
  app.add_option("--frames", opts.frames, "Frames of the game to draw before --screenshot")->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--font", opts.font, "TrueType font for the text")->capture_default_str();
  app.add_flag("--wander", opts.wander, "Move and shoot by itself (for unattended runs and tests)");
  CLI11_PARSE(app, argc, argv);
  if (opts.connection.user.empty()) {
    std::random_device rd;
    opts.connection.user = "sdl_" + std::to_string(1000 + rd() % 9000);
    opts.connection.password.clear();
  }
  return run(opts);
}
