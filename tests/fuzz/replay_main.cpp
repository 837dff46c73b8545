// Runs a fuzz target without libFuzzer, so the normal (gcc) build and ctest exercise every target and none can rot.
// Each file of the seed corpus is fed whole, then every prefix of it (truncated input is the commonest hostile
// case), then with each byte replaced by 0x00, 0xff and itself ^ 0x80: a small deterministic mutation pass.
// With GUILDHALL_FUZZ_SECONDS=N it then mutates the seeds at random for N seconds (bit flips, byte changes,
// inserts, deletes, splices of two seeds; GUILDHALL_FUZZ_SEED=S repeats a run): no coverage guidance, so it is
// a stand-in for libFuzzer where the compiler has none (Debian 12's clang 14 cannot build the project). Run it
// under the address/undefined sanitizer build, which turns a silent overrun into a crash.
// Usage: <target>_replay FILE_OR_FOLDER...   (a crash or abort fails the ctest entry)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::size_t runs = 0;

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  ++runs;
}

void replay(const std::string& seed) {
  run(seed);
  for (std::size_t cut = 0; cut < seed.size(); ++cut) run(seed.substr(0, cut));
  for (std::size_t at = 0; at < seed.size(); ++at) {
    const unsigned char replacements[] = {0x00, 0xff, static_cast<unsigned char>(seed[at] ^ 0x80)};
    for (unsigned char replacement : replacements) {
      std::string mutated = seed;
      mutated[at] = static_cast<char>(replacement);
      run(mutated);
    }
  }
}

// One random mutation of `seed`, sometimes spliced with `other`: the shapes of damage decoders meet.
std::string mutate(std::string input, const std::string& other, std::mt19937_64& random) {
  auto pick = [&random](std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
  const int rounds = 1 + static_cast<int>(pick(4));
  for (int round = 0; round < rounds; ++round) {
    switch (pick(6)) {
      case 0:
        if (!input.empty()) input[pick(input.size())] ^= static_cast<char>(1u << pick(8));
        break;
      case 1:
        if (!input.empty()) input[pick(input.size())] = static_cast<char>(pick(256));
        break;
      case 2:
        input.insert(pick(input.size() + 1), 1 + pick(8), static_cast<char>(pick(256)));
        break;
      case 3:
        if (!input.empty()) input.erase(pick(input.size()), 1 + pick(8));
        break;
      case 4:
        input = input.substr(0, pick(input.size() + 1)) + other.substr(pick(other.size() + 1));
        break;
      default:
        if (input.size() >= 2) std::swap(input[pick(input.size())], input[pick(input.size())]);
        break;
    }
  }
  return input;
}

void mutate_for(const std::vector<std::string>& seeds, double seconds, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::size_t mutated = 0;
  while (std::chrono::steady_clock::now() < end) {
    for (int i = 0; i < 256; ++i, ++mutated) {
      const auto& a = seeds[std::uniform_int_distribution<std::size_t>(0, seeds.size() - 1)(random)];
      const auto& b = seeds[std::uniform_int_distribution<std::size_t>(0, seeds.size() - 1)(random)];
      run(mutate(a, b, random));
    }
  }
  std::printf("%zu random mutations in %.0f s (GUILDHALL_FUZZ_SEED=%llu), no crash\n", mutated, seconds,
              static_cast<unsigned long long>(seed));
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path path(argv[i]);
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.push_back(path);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s FILE_OR_FOLDER...: no corpus files found\n", argv[0]);
    return 2;
  }
  std::vector<std::string> seeds;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    seeds.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    replay(seeds.back());
  }
  std::printf("%zu corpus files, %zu runs, no crash\n", files.size(), runs);
  if (const char* seconds = std::getenv("GUILDHALL_FUZZ_SECONDS")) {
    const char* seed = std::getenv("GUILDHALL_FUZZ_SEED");
    mutate_for(seeds, std::atof(seconds),
               seed ? std::strtoull(seed, nullptr, 10)
                    : static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
  }
  return 0;
}
