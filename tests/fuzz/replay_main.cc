// Runs a fuzz harness without libFuzzer, as a test of the normal build: its
// LLVMFuzzerTestOneInput on every file under the given paths (seed corpora,
// reproducers), then on deterministic mutations of those files (bit flips,
// byte changes, truncations, deletions, insertions and splices of two
// files), so that a regression near the seeds fails without clang.
//
// Usage: <name>_fuzzer_test [--mutations=N] PATH...
// A PATH is a file or a directory (read recursively). When an input crashes
// or fails a check, it is written to $TEST_UNDECLARED_OUTPUTS_DIR (else
// $TMPDIR, else /tmp) as replay-crash-input, to run again on its own.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

struct Seed {
  std::string path;
  std::string bytes;
};

// The input being run, for the crash handler.
const std::string* current_input = nullptr;
const char* current_name = "";
char crash_path[4096];

void OnCrash(int signal_number) {
  // Only async-signal-safe calls from here on.
  const int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0 && current_input != nullptr) {
    const char* data = current_input->data();
    size_t left = current_input->size();
    while (left > 0) {
      const ssize_t n = write(fd, data, left);
      if (n <= 0) break;
      data += n;
      left -= static_cast<size_t>(n);
    }
    close(fd);
  }
  const char* parts[] = {"replay: crashed on ", current_name,
                         "; the input is in ", crash_path, "\n"};
  for (const char* part : parts) {
    if (write(STDERR_FILENO, part, strlen(part)) < 0) break;
  }
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream contents;
  contents << in.rdbuf();
  out = contents.str();
  return true;
}

// splitmix64: a small deterministic generator, the same on every machine.
class Random {
 public:
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n); 0 when n is 0.
  size_t Below(size_t n) { return n == 0 ? 0 : Next() % n; }

 private:
  uint64_t state_ = 20261122;
};

std::string Mutate(const std::vector<Seed>& seeds, size_t round,
                   Random& random) {
  std::string input = seeds[round % seeds.size()].bytes;
  const int edits = 1 + static_cast<int>(random.Below(3));
  for (int e = 0; e < edits; ++e) {
    const size_t size = input.size();
    switch (random.Below(7)) {
      case 0:  // flip a bit
        if (size > 0) input[random.Below(size)] ^= 1 << random.Below(8);
        break;
      case 1: {  // an interesting byte
        static constexpr char kBytes[] = {0, 1, 0x7f, '\x80', '\xff', ';', '"'};
        if (size > 0) {
          input[random.Below(size)] = kBytes[random.Below(sizeof(kBytes))];
        }
        break;
      }
      case 2:  // truncate
        input.resize(random.Below(size + 1));
        break;
      case 3: {  // delete a span
        const size_t at = random.Below(size + 1);
        input.erase(at, random.Below(std::min<size_t>(size - at, 64) + 1));
        break;
      }
      case 4: {  // insert random bytes
        std::string bytes(1 + random.Below(8), '\0');
        for (char& c : bytes) c = static_cast<char>(random.Next());
        input.insert(random.Below(size + 1), bytes);
        break;
      }
      case 5: {  // copy a span of the input elsewhere in it
        if (size == 0) break;
        const size_t from = random.Below(size);
        const std::string span =
            input.substr(from, 1 + random.Below(std::min<size_t>(size, 64)));
        input.insert(random.Below(size + 1), span);
        break;
      }
      default: {  // splice: this input's front, another seed's back
        const std::string& other = seeds[random.Below(seeds.size())].bytes;
        input = input.substr(0, random.Below(size + 1)) +
                other.substr(random.Below(other.size() + 1));
        break;
      }
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 2000;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations =
          std::strtol(arg.c_str() + strlen("--mutations="), nullptr, 10);
    } else {
      paths.push_back(arg);
    }
  }
  if (const char* env = std::getenv("REPLAY_MUTATIONS")) {
    mutations = std::strtol(env, nullptr, 10);
  }

  std::vector<Seed> seeds;
  for (const std::string& path : paths) {
    std::error_code error;
    std::vector<std::string> files;
    if (std::filesystem::is_directory(path, error)) {
      for (const auto& entry :
           std::filesystem::recursive_directory_iterator(path, error)) {
        if (entry.is_regular_file()) files.push_back(entry.path().string());
      }
    } else {
      files.push_back(path);
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      Seed seed{file, ""};
      if (!ReadFile(file, seed.bytes)) {
        std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
        return 2;
      }
      seeds.push_back(std::move(seed));
    }
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "replay: no inputs under the given paths\n");
    return 2;
  }

  const char* out_dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (out_dir == nullptr) out_dir = std::getenv("TMPDIR");
  std::snprintf(crash_path, sizeof(crash_path), "%s/replay-crash-input",
                out_dir != nullptr ? out_dir : "/tmp");
  for (int signal_number : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    signal(signal_number, OnCrash);
  }

  for (const Seed& seed : seeds) {
    current_input = &seed.bytes;
    current_name = seed.path.c_str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(seed.bytes.data()),
                           seed.bytes.size());
  }
  Random random;
  std::string name;
  for (long round = 0; round < mutations; ++round) {
    const std::string input = Mutate(seeds, round, random);
    name = "mutation " + std::to_string(round) + " of " +
           seeds[round % seeds.size()].path;
    current_input = &input;
    current_name = name.c_str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()),
                           input.size());
  }
  current_input = nullptr;
  std::printf("replay: %zu seed file(s) and %ld mutation(s) ran clean\n",
              seeds.size(), mutations);
  return 0;
}
