#pragma once
// Draws one arena_frame with SDL2: the yard's walls, fighters as circles with an aim line and a health bar, shot
// tracers, the score board, the match clock and the network figures (ping, loss, interpolation delay,
// corrections). Text uses SDL2_ttf with DejaVu Sans; without the font the game still draws, without text.
// The local fighter is always kLocalColour, which no other seat uses (the e2e test looks for it on screen).
// Thread-safety: SDL's rendering thread (the main thread).
#include <SDL.h>
#include <SDL_ttf.h>

#include <deque>
#include <string>

#include "arena_game.hpp"

namespace guildhall::arena_sdl {

inline constexpr int kPixelsPerUnit = 20;  // the 48 x 32 yard fills 960 x 640
inline constexpr SDL_Color kLocalColour{255, 210, 63, 255};
inline constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

struct hud_figures {
  std::string status;       // before the first snapshot, or why the game ended
  std::string transport;     // "UDP", "WebSocket": what the connection ended up on
  double rtt_ms = 0;
  double loss = 0;          // 0..1
  double delay_ms = 0;      // interpolation delay
  std::uint64_t corrections = 0;
  double mean_error = 0;    // units
  std::uint64_t underruns = 0;
  int seat = -1;
  double aim = 0;           // the local aim, radians: drawn at once, not as the server last saw it
};

class arena_render {
 public:
  arena_render(SDL_Renderer* renderer, const std::string& font_path);
  ~arena_render();
  arena_render(const arena_render&) = delete;
  arena_render& operator=(const arena_render&) = delete;

  // Draws into the back buffer; the caller presents it (after reading it back, for a screenshot).
  void draw(const arena_frame* frame, const hud_figures& hud);
  // Kill feed: the newest few lines are shown for a few seconds.
  void add_notice(std::string text, double now_ms);
  bool has_font() const { return font_ != nullptr; }

  static SDL_Point to_screen(double x, double y);
  static void window_size(int& w, int& h);

 private:
  void draw_walls();
  void draw_player(const player_view& p, SDL_Color colour, double aim);
  void draw_shot(const shot_view& s);
  void draw_scores(const world_view& world, int seat);
  void draw_text(const std::string& text, int x, int y, SDL_Color colour, bool right_aligned = false);
  void fill_circle(SDL_Point centre, int radius);

  SDL_Renderer* renderer_;
  TTF_Font* font_ = nullptr;
  struct notice {
    std::string text;
    double at_ms;
  };
  std::deque<notice> notices_;
};

}  // namespace guildhall::arena_sdl
