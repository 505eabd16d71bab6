#include "verifier/crypto/key_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace certreg {
namespace {

absl::Status WriteNewFile(const std::string& path, const std::string& data,
                          mode_t mode) {
  std::error_code error;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat(path, " already exists; not overwriting it"));
    }
    return absl::UnavailableError(
        absl::StrCat("cannot create ", path, ": ", std::strerror(errno)));
  }
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      close(fd);
      return absl::UnavailableError(
          absl::StrCat("cannot write ", path, ": ", std::strerror(saved)));
    }
    written += static_cast<size_t>(n);
  }
  fchmod(fd, mode);  // the umask may have narrowed it; make it exact
  bool synced = fsync(fd) == 0;
  close(fd);
  if (!synced) {
    return absl::UnavailableError(absl::StrCat("cannot sync ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code error;
    if (!std::filesystem::exists(path, error) && !error) {
      return absl::NotFoundError(absl::StrCat(path, " does not exist"));
    }
    return absl::UnavailableError(absl::StrCat("cannot read ", path));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

absl::Status WriteKeyPair(const Ed25519PrivateKey& key,
                          const std::string& private_path,
                          const std::string& public_path) {
  for (const std::string* path : {&private_path, &public_path}) {
    std::error_code error;
    if (std::filesystem::exists(*path, error)) {
      return absl::AlreadyExistsError(
          absl::StrCat(*path, " already exists; not overwriting it"));
    }
  }
  absl::Status written = WriteNewFile(private_path, key.ToPem(), 0600);
  if (!written.ok()) return written;
  return WriteNewFile(public_path, key.public_key().ToPem(), 0644);
}

absl::StatusOr<Ed25519PrivateKey> ReadPrivateKey(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFile(path);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(*pem);
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", key.status().message()));
  }
  return key;
}

absl::StatusOr<Ed25519PublicKey> ReadPublicKey(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFile(path);
  if (!pem.ok()) return pem.status();
  if (pem->find("PRIVATE KEY") != std::string::npos) {
    absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(*pem);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", key.status().message()));
    }
    return key->public_key();
  }
  absl::StatusOr<Ed25519PublicKey> key = Ed25519PublicKey::FromPem(*pem);
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", key.status().message()));
  }
  return key;
}

std::string DefaultConfigDir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return absl::StrCat(xdg, "/certreg");
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return absl::StrCat(home, "/.config/certreg");
  }
  return ".certreg";
}

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return absl::StrCat(xdg, "/certreg");
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return absl::StrCat(home, "/.local/share/certreg");
  }
  return "certreg-data";
}

}  // namespace certreg
