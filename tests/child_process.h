#ifndef CERTREG_TESTS_CHILD_PROCESS_H_
#define CERTREG_TESTS_CHILD_PROCESS_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace certreg {

// A binary of this workspace (from the test's runfiles), e.g.
// "registry/certreg-registry".
inline std::string RunfilesBinary(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/certreg/", path);
}

// A loopback port for this test process (offset 0 to 3); distinct per
// process so tests running in parallel do not collide, and below Linux's
// ephemeral range (32768 and up), where any client socket on the machine
// may hold it.
inline int TestPort(int offset) {
  return 10000 + (getpid() % 5000) * 4 + offset;
}

// A unix socket address short enough for sun_path (test directories are
// too deep): unix:/tmp/certreg-PID-NAME.sock.
inline std::string ShortSocketAddress(const std::string& name) {
  return absl::StrCat("unix:/tmp/certreg-", getpid(), "-", name, ".sock");
}

// A child process, killed (SIGKILL) when this goes out of scope unless it
// was stopped before. Its standard error goes to `stderr_file` when given.
class ChildProcess {
 public:
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::string& stderr_file = "") {
    pid_ = fork();
    if (pid_ == 0) {
      if (!stderr_file.empty()) {
        const int fd = open(stderr_file.c_str(),
                            O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || dup2(fd, 2) < 0) _exit(126);
      }
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(binary.c_str()));
      for (const std::string& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
      }
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { Stop(SIGKILL); }

  pid_t pid() const { return pid_; }

  // Sends `signal` and waits; returns the exit status as waitpid gives it.
  int Stop(int signal) {
    if (pid_ <= 0) return status_;
    kill(pid_, signal);
    waitpid(pid_, &status_, 0);
    pid_ = -1;
    return status_;
  }

  // Waits up to `timeout` for the process to end by itself; true (and its
  // status in *status) if it did.
  bool WaitExit(absl::Duration timeout, int* status) {
    const absl::Time deadline = absl::Now() + timeout;
    while (pid_ > 0 && absl::Now() < deadline) {
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      usleep(20 * 1000);
    }
    *status = status_;
    return pid_ <= 0;
  }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
};

// What a finished command printed and returned.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `binary` with `args` to completion (stdin from /dev/null), capturing
// standard output and error.
inline CommandResult RunCommand(const std::string& binary,
                                const std::vector<std::string>& args) {
  CommandResult result;
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return result;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& arg : args) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Drain both pipes without deadlocking on a full one.
  struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      (i == 0 ? result.out : result.err).append(buffer, n);
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return result;
}

}  // namespace certreg

#endif  // CERTREG_TESTS_CHILD_PROCESS_H_
