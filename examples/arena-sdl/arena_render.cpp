#include "arena_render.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "arena_connection.hpp"
#include "games/arena/arena_map.hpp"
#include "games/arena/arena_rules.hpp"

namespace guildhall::arena_sdl {

namespace arena = games::arena;

namespace {

constexpr SDL_Color kFloor{28, 32, 40, 255};
constexpr SDL_Color kWall{96, 102, 118, 255};
constexpr SDL_Color kText{230, 230, 230, 255};
constexpr SDL_Color kDim{150, 150, 160, 255};
// One colour per seat for the others; none is close to kLocalColour.
constexpr SDL_Color kSeatColours[arena::kMaxFighters] = {
    {230, 80, 80, 255},  {80, 150, 240, 255},  {90, 200, 120, 255}, {180, 110, 230, 255},
    {70, 210, 210, 255}, {240, 120, 180, 255}, {200, 200, 200, 255}, {170, 120, 80, 255}};
constexpr std::size_t kMaxNotices = 4;
constexpr double kNoticeMs = 4000;

void set_colour(SDL_Renderer* r, SDL_Color c) { SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a); }

}  // namespace

arena_render::arena_render(SDL_Renderer* renderer, const std::string& font_path) : renderer_(renderer) {
  font_ = TTF_OpenFont(font_path.c_str(), 14);
  if (!font_) std::fprintf(stderr, "arena-sdl: no font (%s): drawing without text\n", TTF_GetError());
}

arena_render::~arena_render() {
  if (font_) TTF_CloseFont(font_);
}

void arena_render::window_size(int& w, int& h) {
  w = int(arena::yard_map().width) * kPixelsPerUnit;
  h = int(arena::yard_map().height) * kPixelsPerUnit;
}

SDL_Point arena_render::to_screen(double x, double y) {
  const double height = arena::yard_map().height;
  return {int(std::lround(x * kPixelsPerUnit)), int(std::lround((height - y) * kPixelsPerUnit))};
}

void arena_render::add_notice(std::string text, double now_ms) {
  notices_.push_back({std::move(text), now_ms});
  while (notices_.size() > kMaxNotices) notices_.pop_front();
}

void arena_render::draw(const arena_frame* frame, const hud_figures& hud) {
  set_colour(renderer_, kFloor);
  SDL_RenderClear(renderer_);
  draw_walls();
  if (frame) {
    for (const auto& s : frame->shown.shots) draw_shot(s);
    for (const auto& p : frame->shown.players) {
      if (p.alive) draw_player(p, kSeatColours[std::size_t(p.seat) % arena::kMaxFighters], p.angle);
    }
    if (frame->me && frame->me->alive) draw_player(*frame->me, kLocalColour, hud.aim);
    if (frame->newest) draw_scores(*frame->newest, hud.seat);
  }
  char line[256];
  std::snprintf(line, sizeof line,
                "%s   ping %.0f ms   loss %.1f%%   delay %.0f ms   corrections %llu (mean %.2f u)   underruns %llu",
                hud.transport.empty() ? "offline" : hud.transport.c_str(), hud.rtt_ms, hud.loss * 100, hud.delay_ms, static_cast<unsigned long long>(hud.corrections),
                hud.mean_error, static_cast<unsigned long long>(hud.underruns));
  draw_text(line, 8, 6, kText);
  if (frame && frame->newest) {
    const int left = int(frame->newest->time_left_s);
    std::snprintf(line, sizeof line, "%s %d:%02d", frame->newest->match_state == 0 ? "waiting" : "time", left / 60,
                  left % 60);
    draw_text(line, 8, 24, kDim);
  }
  if (frame && frame->me && !frame->me->alive) draw_text("respawning...", 8, 42, kLocalColour);
  if (!hud.status.empty()) draw_text(hud.status, 8, 60, kLocalColour);
  int w = 0, h = 0;
  window_size(w, h);
  const double now = steady_ms();
  std::erase_if(notices_, [now](const notice& n) { return now - n.at_ms > kNoticeMs; });
  int y = h - 22 * int(notices_.size()) - 4;
  for (const auto& n : notices_) {
    draw_text(n.text, 8, y, kText);
    y += 22;
  }
}

void arena_render::draw_walls() {
  set_colour(renderer_, kWall);
  for (const auto& wall : arena::yard_map().walls) {
    const SDL_Point a = to_screen(wall.min.x, wall.max.y);
    const SDL_Point b = to_screen(wall.max.x, wall.min.y);
    const SDL_Rect rect{a.x, a.y, b.x - a.x, b.y - a.y};
    SDL_RenderFillRect(renderer_, &rect);
  }
}

void arena_render::fill_circle(SDL_Point c, int radius) {
  for (int dy = -radius; dy <= radius; ++dy) {
    const int dx = int(std::sqrt(double(radius * radius - dy * dy)));
    SDL_RenderDrawLine(renderer_, c.x - dx, c.y + dy, c.x + dx, c.y + dy);
  }
}

void arena_render::draw_player(const player_view& p, SDL_Color colour, double aim) {
  const SDL_Point centre = to_screen(p.x, p.y);
  const int radius = int(arena::kPlayerRadius * kPixelsPerUnit);
  set_colour(renderer_, colour);
  fill_circle(centre, radius);
  const SDL_Point tip = to_screen(p.x + std::cos(aim) * 1.2, p.y + std::sin(aim) * 1.2);
  SDL_RenderDrawLine(renderer_, centre.x, centre.y, tip.x, tip.y);
  // Health: a bar above the body, green to red.
  const int width = 2 * radius;
  const int filled = width * std::clamp(p.health, 0, arena::kMaxHealth) / arena::kMaxHealth;
  SDL_Rect back{centre.x - radius, centre.y - radius - 7, width, 4};
  SDL_SetRenderDrawColor(renderer_, 60, 20, 20, 255);
  SDL_RenderFillRect(renderer_, &back);
  back.w = filled;
  SDL_SetRenderDrawColor(renderer_, Uint8(255 - 2 * p.health), Uint8(55 + 2 * p.health), 60, 255);
  SDL_RenderFillRect(renderer_, &back);
}

void arena_render::draw_shot(const shot_view& s) {
  const SDL_Point a = to_screen(s.x0, s.y0);
  const SDL_Point b = to_screen(s.x1, s.y1);
  SDL_SetRenderDrawColor(renderer_, 255, 255, s.hit ? 80 : 255, 255);
  SDL_RenderDrawLine(renderer_, a.x, a.y, b.x, b.y);
}

void arena_render::draw_scores(const world_view& world, int seat) {
  std::vector<player_view> rows = world.players;
  std::sort(rows.begin(), rows.end(), [](const player_view& a, const player_view& b) {
    return a.score != b.score ? a.score > b.score : a.deaths < b.deaths;
  });
  int w = 0, h = 0;
  window_size(w, h);
  int y = 6;
  draw_text("seat   kills   deaths", w - 8, y, kDim, true);
  for (const auto& p : rows) {
    y += 18;
    char line[96];
    std::snprintf(line, sizeof line, "%s%d%s   %5d   %6d", p.seat == seat ? "> " : "", p.seat, p.bot ? " bot" : "",
                  p.score, p.deaths);
    draw_text(line, w - 8, y,
              p.seat == seat ? kLocalColour : kSeatColours[std::size_t(p.seat) % arena::kMaxFighters], true);
  }
}

void arena_render::draw_text(const std::string& text, int x, int y, SDL_Color colour, bool right_aligned) {
  if (!font_ || text.empty()) return;
  SDL_Surface* surface = TTF_RenderUTF8_Blended(font_, text.c_str(), colour);
  if (!surface) return;
  SDL_Texture* texture = SDL_CreateTextureFromSurface(renderer_, surface);
  if (texture) {
    const SDL_Rect to{right_aligned ? x - surface->w : x, y, surface->w, surface->h};
    SDL_RenderCopy(renderer_, texture, nullptr, &to);
    SDL_DestroyTexture(texture);
  }
  SDL_FreeSurface(surface);
}

}  // namespace guildhall::arena_sdl
