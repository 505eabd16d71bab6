#include "verifier/base/durable_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"

namespace certreg {
namespace {

absl::Status IoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

bool WriteAll(int fd, absl::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Writes `bytes` to a new temporary file beside `path`; returns its name.
absl::StatusOr<std::string> WriteTemporary(const std::string& path,
                                           absl::string_view bytes) {
  std::string temp = path + ".tmp.XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return IoError("cannot create a temporary file for", path);
  temp = name.data();
  if (!WriteAll(fd, bytes) || ::fsync(fd) != 0) {
    absl::Status status = IoError("cannot write", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return status;
  }
  if (::close(fd) != 0) {
    absl::Status status = IoError("cannot write", temp);
    ::unlink(temp.c_str());
    return status;
  }
  return temp;
}

}  // namespace

absl::Status WriteFileDurably(const std::string& path,
                              absl::string_view bytes) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat(
        "cannot create directory ", dir.string(), ": ", error.message()));
  }
  absl::StatusOr<std::string> temp = WriteTemporary(path, bytes);
  if (!temp.ok()) return temp.status();
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    absl::Status status = IoError("cannot replace", path);
    ::unlink(temp->c_str());
    return status;
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd < 0) return IoError("cannot sync the directory of", path);
  const int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  if (synced != 0) return IoError("cannot sync the directory of", path);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> ReadFileIfExists(
    const std::string& path, size_t max_bytes) {
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot read ", path, ": ", error.message()));
  }
  if (!exists) return std::nullopt;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot read ", path, ": ", error.message()));
  }
  if (size > max_bytes) {
    return absl::DataLossError(absl::StrCat(
        path, " is ", size, " bytes, more than it can hold (", max_bytes, ")"));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  if (!in.good() && !in.eof()) return IoError("cannot read", path);
  return contents.str();
}

}  // namespace certreg
