#include "wire/snapshot/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace guildhall::wire::snapshot {

namespace {

constexpr double two_pi = 2 * std::numbers::pi;
// A real's step count is (max - min) / step rounded up; this slack keeps 0.3 / 0.1 = 3.0000000000000004 at 3.
constexpr double step_slack = 1e-9;

// 2^bits, exactly, for bits in 1..32 (a shift, not std::ldexp: this is on the codec's hot path).
double power_of_two(unsigned bits) { return static_cast<double>(std::uint64_t{1} << bits); }
double all_ones(unsigned bits) { return power_of_two(bits) - 1; }

// Round half up: floor(x + 0.5). JavaScript's Math.floor gives the same double, where std::round and Math.round
// would disagree on halves.
double round_half_up(double x) { return std::floor(x + 0.5); }

}  // namespace

unsigned wire_bits(const field_spec& spec) {
  if (spec.type == field_spec::kind::boolean) return 1;
  return std::clamp<unsigned>(spec.bits, 1, 32);
}

std::uint32_t max_quantized(const field_spec& spec) {
  const double cap = all_ones(wire_bits(spec));
  double steps = 0;
  switch (spec.type) {
    case field_spec::kind::boolean: return 1;
    case field_spec::kind::angle: return static_cast<std::uint32_t>(cap);
    case field_spec::kind::integer:
      if (spec.max > spec.min) steps = round_half_up(spec.max - spec.min);
      break;
    case field_spec::kind::real:
      if (spec.max > spec.min && spec.step > 0) steps = std::ceil((spec.max - spec.min) / spec.step - step_slack);
      break;
  }
  // NaN bounds fail every comparison above and leave steps at 0; an infinite range is capped like a wide one.
  return static_cast<std::uint32_t>(std::clamp(steps, 0.0, cap));
}

std::uint32_t quantize(const field_spec& spec, double value) {
  if (std::isnan(value)) return 0;
  const double top = max_quantized(spec);
  double q = 0;
  switch (spec.type) {
    case field_spec::kind::boolean: return value != 0 ? 1 : 0;
    case field_spec::kind::integer: q = round_half_up(value - spec.min); break;
    case field_spec::kind::real:
      if (value >= spec.max) return static_cast<std::uint32_t>(top);
      q = round_half_up((value - spec.min) / spec.step);
      break;
    case field_spec::kind::angle: {
      if (std::isinf(value)) return 0;
      double turns = value / two_pi;
      turns -= std::floor(turns);
      q = round_half_up(turns * power_of_two(wire_bits(spec)));
      if (q > top) q = 0;  // a hair under 2pi rounds up to a full turn: that is 0
      break;
    }
  }
  if (!(q > 0)) return 0;  // also NaN from a degenerate spec
  return static_cast<std::uint32_t>(std::min(q, top));
}

double dequantize(const field_spec& spec, std::uint32_t q) {
  q = std::min(q, max_quantized(spec));
  switch (spec.type) {
    case field_spec::kind::boolean: return q != 0 ? 1 : 0;
    case field_spec::kind::integer: return spec.min + q;
    case field_spec::kind::real: return std::min(spec.min + q * spec.step, spec.max);
    case field_spec::kind::angle: return q * two_pi / power_of_two(wire_bits(spec));
  }
  return 0;
}

}  // namespace guildhall::wire::snapshot
