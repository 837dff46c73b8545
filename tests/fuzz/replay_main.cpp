// Runs a fuzz target without libFuzzer, so the normal (gcc) build and ctest exercise every target and none can rot.
// Each file of the seed corpus is fed whole, then every prefix of it (truncated input is the commonest hostile
// case), then with each byte replaced by 0x00, 0xff and itself ^ 0x80: a small deterministic mutation pass.
// Usage: <target>_replay FILE_OR_FOLDER...   (a crash or abort fails the ctest entry)
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
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
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    replay(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }
  std::printf("%zu corpus files, %zu runs, no crash\n", files.size(), runs);
  return 0;
}
